//! The members screen drawn into a `TestBackend` at 80x24 with Chinese data;
//! keys fed through `App::handle` exactly as the terminal delivers them.

mod common;

use common::screen::{ctrl, d, draw, key, screen, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::validate::make_id_number;
use guanhuai::domain::vocab::{Employment, Gender, MemberStatus};
use guanhuai::ui::app::{App, Config, Popup, StatusKind, Tab};
use guanhuai::ui::screens::members::MembersScreen;
use guanhuai::ui::screens::members::View;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

const TODAY: &str = "2026-01-15";

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// A branch on a temporary file: names with 𠮷, a minority name with `·`,
/// polyphones (重, 单, 曾), members transferred out and deceased.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut add = |code: &str, name: &str, f: &dyn Fn(&mut Member)| {
        let mut m = Member::new(code, name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        f(&mut m);
        db::members::save(&mut conn, &m).unwrap();
    };
    add("001", "张三", &|m| {
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1950-03-12"));
        m.joined_on = d("1975-07-01");
        m.id_number = Some(make_id_number("110101", d("1950-03-12"), 123));
        m.phone = Some("13812345678".into());
        m.living_alone = true;
        m.employment = Some(Employment::Retired);
        m.notes = "老支书，耳背，走访请大声说话。".into();
    });
    add("002", "李四", &|m| {
        m.gender = Some(Gender::Female);
        m.birth_date = Some(d("1985-06-01"));
        m.joined_on = d("2010-07-01");
        m.mobile = true;
        m.mobile_since = Some(d("2023-03-01"));
        m.whereabouts = "广东深圳".into();
        m.phone = Some("13900001111".into());
    });
    add("003", "𠮷祥", &|m| {
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1990-01-01"));
        m.joined_on = d("2015-01-01");
    });
    add("004", "阿依古丽·买买提", &|m| {
        m.gender = Some(Gender::Female);
        m.birth_date = Some(d("1978-02-02"));
        m.joined_on = d("2001-07-01");
        m.low_income = true;
        m.chronic_ill = true;
        m.phone = Some("0991-1234567".into());
    });
    add("005", "重庆生", &|m| {
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1960-10-01"));
        m.joined_on = d("1985-07-01");
        m.disabled = true;
    });
    add("006", "王五", &|m| {
        m.gender = Some(Gender::Male);
        m.status = MemberStatus::TransferredOut;
    });
    add("007", "赵六", &|m| {
        m.gender = Some(Gender::Female);
        m.status = MemberStatus::Deceased;
    });
    add("008", "单田芳", &|m| {
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1934-12-17"));
        m.joined_on = d("1956-07-01");
        m.honorary = true;
        m.honorary_since = Some(d("2010-07-01"));
        m.no_fixed_income = true;
    });
    add("009", "曾小红", &|m| {
        m.gender = Some(Gender::Female);
        m.birth_date = Some(d("1999-09-09"));
        m.joined_on = d("2022-06-30");
    });
    Fixture { _dir: dir, path }
}

fn config(lang: Lang, mono: bool) -> Config {
    Config {
        lang,
        mono,
        ..Config::new(d(TODAY))
    }
}

/// The app on the members tab (it opens on the Overview).
fn app_on(f: &Fixture, cfg: Config) -> App {
    let mut app = App::new(db::open(&f.path).unwrap(), cfg).unwrap();
    app.handle(key(KeyCode::Char('2')));
    app
}

/// Types text as the terminal delivers it: one key event per character
/// (an input method commits 张三 as two `Char` events).
fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_ascii_uppercase() || "?~!@#$%^&*()_+{}|:\"<>".contains(c) {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle(Event::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }
}

fn page_names(app: &App) -> Vec<String> {
    app.screen::<MembersScreen>()
        .page()
        .iter()
        .map(|m| m.name.clone())
        .collect()
}

#[test]
fn list_in_pinyin_order_with_marks_and_masked_phones() {
    let f = fixture();
    let app = app_on(&f, config(Lang::Zh, false));
    // Active members only, in dictionary order: 阿 < 重(chong) < 𠮷(ji) < 李 < 单(shan) < 曾(zeng) < 张
    assert_eq!(
        page_names(&app),
        [
            "阿依古丽·买买提",
            "重庆生",
            "𠮷祥",
            "李四",
            "单田芳",
            "曾小红",
            "张三"
        ]
    );
    let t = draw(&app);
    let text = screen(t.backend().buffer());
    insta::assert_snapshot!("members_list_zh", text);
    assert!(text.contains("138****5678"));
    assert!(!text.contains("13812345678"));
    // The selected row is drawn in the selection colour across the row.
    let buf = t.backend().buffer();
    let row = text.lines().position(|l| l.contains("阿依古丽")).unwrap() as u16;
    assert_eq!(buf[(2, row)].bg, Color::Cyan);
    assert_eq!(buf[(70, row)].bg, Color::Cyan);
    assert_ne!(buf[(2, row + 1)].bg, Color::Cyan);
}

#[test]
fn search_narrows_by_initials_pinyin_characters_code_and_phone() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::Char('/')));
    assert!(app.screen::<MembersScreen>().text_focus());
    type_str(&mut app, "zs");
    assert_eq!(page_names(&app), ["张三"]);
    insta::assert_snapshot!("members_search_zs", text_of(&app));
    // Narrowed further and widened again by Backspace.
    app.handle(key(KeyCode::Backspace));
    assert!(page_names(&app).contains(&"曾小红".to_string()));
    let search = |app: &mut App, q: &str| {
        app.handle(key(KeyCode::Esc));
        app.handle(key(KeyCode::F(3)));
        type_str(app, q);
        page_names(app)
    };
    assert_eq!(search(&mut app, "zhangsan"), ["张三"]);
    assert_eq!(search(&mut app, "张"), ["张三"]);
    // 重庆 by either reading of 重
    assert_eq!(search(&mut app, "cq"), ["重庆生"]);
    assert_eq!(search(&mut app, "zq"), ["重庆生"]);
    assert_eq!(search(&mut app, "ayg"), ["阿依古丽·买买提"]);
    assert_eq!(search(&mut app, "𠮷"), ["𠮷祥"]);
    assert_eq!(search(&mut app, "jx"), ["𠮷祥"]);
    assert_eq!(search(&mut app, "008"), ["单田芳"]);
    assert_eq!(search(&mut app, "5678"), ["张三"]);
    assert_eq!(search(&mut app, "0991"), ["阿依古丽·买买提"]);
    // Digits are typed into the search, not taken as tab keys; Tab goes to
    // the list keeping the search (Enter would open the one member left);
    // Esc in the box clears it.
    app.handle(key(KeyCode::Tab));
    assert!(!app.screen::<MembersScreen>().text_focus());
    assert_eq!(app.screen::<MembersScreen>().search_text(), "0991");
    app.handle(key(KeyCode::Char('/')));
    app.handle(key(KeyCode::Esc));
    assert_eq!(page_names(&app).len(), 7);
}

#[test]
fn search_cursor_sits_after_chinese_text() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "张三");
    let mut t = draw(&app);
    // "搜索 " is 5 cells, 张三 4 more.
    t.backend_mut().assert_cursor_position((9, 1));
}

#[test]
fn filters_by_status_and_category() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::F(5)));
    assert_eq!(page_names(&app), ["王五"]);
    app.handle(key(KeyCode::Char('f')));
    assert_eq!(page_names(&app), ["赵六"]);
    app.handle(key(KeyCode::F(5)));
    assert_eq!(page_names(&app).len(), 9);
    let text = text_of(&app);
    assert!(text.contains("转出"), "{text}");
    assert!(text.contains("去世"));
    app.handle(key(KeyCode::F(5))); // back to active
    app.handle(key(KeyCode::F(6))); // 老党员
    assert_eq!(page_names(&app), ["单田芳", "张三"]);
    app.handle(key(KeyCode::Char('c'))); // 流动党员
    assert_eq!(page_names(&app), ["李四"]);
    let text = text_of(&app);
    assert!(text.contains("类别 流动党员"), "{text}");
    app.handle(key(KeyCode::Esc)); // clears search and filters
    assert_eq!(page_names(&app).len(), 7);
}

#[test]
fn detail_shows_every_field_masked() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "zs");
    app.handle(key(KeyCode::Tab)); // to the list
    app.handle(key(KeyCode::Enter)); // open
    assert!(matches!(
        app.screen::<MembersScreen>().view(),
        View::Detail(_)
    ));
    let text = text_of(&app);
    insta::assert_snapshot!("member_detail_zh", text);
    assert!(text.contains("1101**********"));
    assert!(!text.contains("19500312"));
    assert!(text.contains("1950-03-12（75岁）"));
    assert!(text.contains("党龄50年"));
    app.handle(key(KeyCode::Esc));
    assert!(matches!(app.screen::<MembersScreen>().view(), View::List));
}

#[test]
fn new_member_form_cursor_validation_and_save() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::Char('n')));
    assert!(app.member_form().is_some());
    type_str(&mut app, "010");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "张三");
    let mut t = draw(&app);
    // The form's inner area starts at x=1; a space, labels in 14 cells
    // (`荣誉批准日期` + 2), a space, then the input.
    let field_x = 1 + 1 + 14 + 1;
    t.backend_mut().assert_cursor_position((field_x + 4, 3));
    insta::assert_snapshot!("member_form_new", screen(t.backend().buffer()));

    // A bad phone shows its error beside the field at once.
    app.handle(key(KeyCode::Down)); // gender
    // a choice field too has the cursor, on its label (`< ` before it)
    draw(&app)
        .backend_mut()
        .assert_cursor_position((field_x + 2, 4));
    type_str(&mut app, "m");
    app.handle(key(KeyCode::Down)); // birth date
    type_str(&mut app, "1980年5月1日");
    app.handle(key(KeyCode::Down)); // id number
    app.handle(key(KeyCode::Down)); // phone
    type_str(&mut app, "1381234");
    let form = app.member_form().unwrap();
    assert!(form.form.error_of("phone").unwrap().contains("11位"));
    let text = text_of(&app);
    assert!(text.contains("! 手机号应为11位"), "{text}");

    // Saving is refused (入党日期 is required and empty, the phone is bad);
    // focus jumps to the first bad field.
    app.handle(ctrl('s'));
    let form = app.member_form().unwrap();
    assert_eq!(form.form.focused_key(), "phone");
    assert_eq!(form.form.error_of("joined_on"), Some("必填"));
    assert_eq!(app.status().unwrap().kind, StatusKind::Error);

    app.handle(ctrl('u'));
    type_str(&mut app, "13700001234");
    app.handle(key(KeyCode::Down));
    type_str(&mut app, "2005-07-01");
    app.handle(key(KeyCode::F(9)));
    assert!(app.member_form().is_none(), "{:?}", app.status());
    assert_eq!(app.status().unwrap().text, "已保存：张三（010）");
    // Both 张三 are listed, the new one selected.
    assert_eq!(page_names(&app).iter().filter(|n| *n == "张三").count(), 2);
    let stored = db::members::get_by_code(app.conn(), "010")
        .unwrap()
        .unwrap();
    assert_eq!(stored.birth_date, Some(d("1980-05-01")));
    assert_eq!(stored.gender, Some(Gender::Male));
    assert_eq!(stored.registered_on, Some(d(TODAY)));
    let sel = app.screen::<MembersScreen>().selected().unwrap();
    assert_eq!(sel.code, "010");
}

#[test]
fn duplicate_code_is_shown_beside_the_field() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::F(2)));
    type_str(&mut app, "001");
    let form = app.member_form().unwrap();
    assert_eq!(form.form.error_of("code"), Some("编号 001 已被 张三 使用"));
}

#[test]
fn cancel_asks_when_changed_and_quit_asks_with_unsaved_input() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::Insert));
    app.handle(key(KeyCode::Esc)); // nothing typed: closes
    assert!(app.member_form().is_none());
    app.handle(key(KeyCode::Char('n')));
    type_str(&mut app, "q"); // typed into the code field, not quit
    assert!(!app.should_quit());
    assert_eq!(app.member_form().unwrap().form.text_of("code"), "q");
    app.handle(key(KeyCode::F(10)));
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    let text = text_of(&app);
    assert!(text.contains("未保存的输入"), "{text}");
    app.handle(key(KeyCode::Esc)); // no
    assert!(!app.should_quit());
    app.handle(key(KeyCode::Esc)); // cancel the form: asks
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    app.handle(key(KeyCode::Enter)); // discard
    assert!(app.popups().is_empty());
    app.handle(key(KeyCode::Char('q')));
    assert!(app.should_quit());
}

#[test]
fn ctrl_c_quits_from_the_search_box() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "q");
    assert!(!app.should_quit());
    app.handle(ctrl('c'));
    assert!(app.should_quit());
}

#[test]
fn edit_conflict_keeps_the_form_and_its_input() {
    let f = fixture();
    let mut a = app_on(&f, config(Lang::Zh, false));
    let mut b = app_on(&f, config(Lang::Zh, false));
    for app in [&mut a, &mut b] {
        app.handle(key(KeyCode::F(3)));
        type_str(app, "zs");
        app.handle(key(KeyCode::Enter));
        app.handle(key(KeyCode::F(4)));
        assert!(app.member_form().is_some());
    }
    let go_to_notes = |app: &mut App| {
        for _ in 0..21 {
            app.handle(key(KeyCode::Down));
        }
        assert_eq!(app.member_form().unwrap().form.focused_key(), "notes");
        app.handle(ctrl('u'));
    };
    go_to_notes(&mut a);
    type_str(&mut a, "甲：已走访");
    a.handle(ctrl('s'));
    assert!(a.member_form().is_none());
    assert_eq!(a.status().unwrap().kind, StatusKind::Ok);

    go_to_notes(&mut b);
    type_str(&mut b, "乙：电话联系");
    b.handle(ctrl('s'));
    let form = b.member_form().expect("the form stays open");
    assert_eq!(form.form.text_of("notes"), "乙：电话联系");
    let status = b.status().unwrap();
    assert_eq!(status.kind, StatusKind::Error);
    assert!(
        status.text.contains("另一位工作人员已修改"),
        "{}",
        status.text
    );
    let text = text_of(&b);
    assert!(text.contains("保存失败"), "{text}");
    insta::assert_snapshot!("member_form_conflict", text);
    let stored = db::members::get_by_code(b.conn(), "001").unwrap().unwrap();
    assert_eq!(stored.notes, "甲：已走访");
}

#[test]
fn status_change_with_confirmation() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "lisi");
    app.handle(key(KeyCode::Tab)); // to the list
    app.handle(key(KeyCode::F(8)));
    let text = text_of(&app);
    assert!(text.contains("更改状态：李四（002）"), "{text}");
    app.handle(key(KeyCode::Char('1'))); // 转出
    let text = text_of(&app);
    assert!(text.contains("确认转出：李四（002）"), "{text}");
    insta::assert_snapshot!("member_status_confirm", text);
    // The day (today) and where to: Enter on the last field confirms.
    app.handle(key(KeyCode::Enter));
    type_str(&mut app, "区委组织部");
    app.handle(key(KeyCode::Enter));
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    let stored = db::members::get_by_code(app.conn(), "002")
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, MemberStatus::TransferredOut);
    assert_eq!(stored.left_on, Some(d(TODAY)));
    assert_eq!(stored.left_to, "区委组织部");
    // Gone from the active list (the search still applies), kept on file.
    assert!(page_names(&app).is_empty());
    app.handle(key(KeyCode::F(5)));
    assert_eq!(page_names(&app), ["李四"]);
}

#[test]
fn english_labels() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::En, false));
    let text = text_of(&app);
    insta::assert_snapshot!("members_list_en", text);
    assert!(text.contains("Members"));
    assert!(text.contains("Code"));
    app.handle(key(KeyCode::Char('n')));
    let text = text_of(&app);
    assert!(text.contains("New member"));
    assert!(text.contains("Joined party"));
    assert!(!text.contains("入党"));
}

#[test]
fn help_lists_the_screens_keys() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('?'),
        KeyModifiers::SHIFT,
    )));
    let text = text_of(&app);
    insta::assert_snapshot!("members_help", text);
    for k in [
        "/ F3",
        "n F2 Ins",
        "e F4",
        "f F5",
        "x F8",
        "? F1",
        "q F10 Ctrl-C",
    ] {
        assert!(text.contains(k), "{k} missing:\n{text}");
    }
    app.handle(key(KeyCode::Esc));
    assert!(app.popups().is_empty());
}

#[test]
fn no_color_theme_has_no_colour_and_reverse_selection() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, true));
    let check = |app: &App| {
        let t = draw(app);
        let buf = t.backend().buffer();
        for c in buf.content() {
            assert_eq!(c.fg, Color::Reset, "colour in mono theme");
            assert_eq!(c.bg, Color::Reset, "colour in mono theme");
        }
        t
    };
    let t = check(&app);
    let buf = t.backend().buffer();
    assert!(buf[(2, 4)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(2, 5)].modifier.contains(Modifier::REVERSED));
    app.handle(key(KeyCode::Char('n')));
    check(&app);
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(1)));
    check(&app);
}

#[test]
fn ascii_borders() {
    let f = fixture();
    let app = app_on(
        &f,
        Config {
            ascii: true,
            ..config(Lang::Zh, false)
        },
    );
    let text = text_of(&app);
    assert!(text.contains("+-"), "{text}");
    assert!(!text.contains('│') && !text.contains('─') && !text.contains('┌'));
}

#[test]
fn popup_over_wide_characters_leaves_no_half_character() {
    let f = fixture();
    // At any width the menu's left border may fall on the second half of a
    // name; `screen` asserts no wide character is cut.
    for w in 60..=81u16 {
        let mut app = app_on(
            &f,
            Config {
                width: w,
                ..config(Lang::Zh, false)
            },
        );
        app.handle(key(KeyCode::Char('x')));
        let mut t = Terminal::new(TestBackend::new(w, 24)).unwrap();
        t.draw(|fr| app.render(fr)).unwrap();
        screen(t.backend().buffer());
    }
}

#[test]
fn tab_keys_for_screens_not_built_yet_do_nothing() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    let not_built = Tab::ALL.into_iter().filter(|t| !t.available());
    for t in not_built {
        let c = char::from_digit(t.number() as u32, 10).unwrap();
        app.handle(key(KeyCode::Char(c)));
    }
    assert_eq!(app.tab(), Tab::Members);
}

#[test]
fn paging_keeps_the_selection_and_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut conn = db::open(&path).unwrap();
    for i in 0..50 {
        db::members::save(
            &mut conn,
            &Member::new(&format!("{i:03}"), &format!("张{i:02}"), d("2000-07-01")),
        )
        .unwrap();
    }
    let mut app = App::new(conn, config(Lang::Zh, false)).unwrap();
    app.handle(key(KeyCode::Char('2')));
    assert_eq!(app.screen::<MembersScreen>().page().len(), 17);
    app.handle(key(KeyCode::PageDown));
    assert_eq!(
        app.screen::<MembersScreen>().selected().unwrap().code,
        "017"
    );
    assert!(text_of(&app).contains("第 2/3 页"));
    app.handle(key(KeyCode::End));
    assert_eq!(
        app.screen::<MembersScreen>().selected().unwrap().code,
        "049"
    );
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Home));
    assert_eq!(
        app.screen::<MembersScreen>().selected().unwrap().code,
        "000"
    );
    // A taller terminal shows more rows.
    app.handle(Event::Resize(80, 40));
    assert_eq!(app.screen::<MembersScreen>().page().len(), 33);
}

#[test]
fn large_roster_draws_the_first_page_before_the_index_is_built() {
    use guanhuai::ui::screens::members::SYNC_INDEX_LIMIT;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite");
    let mut conn = db::open(&path).unwrap();
    let tx = db::write_tx(&mut conn).unwrap();
    let n = SYNC_INDEX_LIMIT + 100;
    for i in 0..n {
        let name = ["张三", "李四", "王五", "赵六", "重庆生"][i % 5];
        let mut m = Member::new(&format!("{i:05}"), name, d("2000-07-01"));
        if i % 10 == 0 {
            m.status = MemberStatus::Deceased;
        }
        db::members::insert(&tx, &m).unwrap();
    }
    tx.commit().unwrap();
    drop(conn);

    let mut app = App::new(db::open(&path).unwrap(), config(Lang::Zh, false)).unwrap();
    app.handle(key(KeyCode::Char('2')));
    // Drawn at once from the keyset query: active members in pinyin order
    // (重 as a surname reads chóng, before 李).
    assert_eq!(app.screen::<MembersScreen>().total(), n - n.div_ceil(10));
    assert!(page_names(&app).iter().all(|s| s == "重庆生"));
    assert_eq!(app.screen::<MembersScreen>().page()[0].code, "00004");
    app.handle(key(KeyCode::Down));
    assert_eq!(
        app.screen::<MembersScreen>().selected().unwrap().code,
        "00009"
    );
    // Paging and search use the index (waiting for the worker if needed).
    app.handle(key(KeyCode::PageDown));
    assert_eq!(
        app.screen::<MembersScreen>().selected().unwrap().code,
        "00094"
    );
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "ls");
    assert_eq!(app.screen::<MembersScreen>().total(), n / 5);
    assert!(page_names(&app).iter().all(|s| s == "李四"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(5))); // 转出: none
    assert_eq!(app.screen::<MembersScreen>().total(), 0);
    app.handle(key(KeyCode::F(5))); // 去世
    assert_eq!(app.screen::<MembersScreen>().total(), n.div_ceil(10));
}

#[test]
fn every_view_draws_at_small_and_large_sizes_without_cutting_characters() {
    let f = fixture();
    let sizes = [
        (20, 4),
        (40, 10),
        (60, 16),
        (79, 23),
        (80, 24),
        (100, 30),
        (132, 43),
    ];
    let views: [&[Event]; 5] = [
        &[],
        &[key(KeyCode::Enter)],
        &[key(KeyCode::F(2))],
        &[key(KeyCode::F(1))],
        &[key(KeyCode::F(8))],
    ];
    for (w, h) in sizes {
        for keys in views {
            let mut app = app_on(
                &f,
                Config {
                    width: w,
                    height: h,
                    ..config(Lang::Zh, false)
                },
            );
            for k in keys {
                app.handle(k.clone());
            }
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|fr| app.render(fr)).unwrap();
            screen(t.backend().buffer());
        }
    }
}

#[test]
fn help_in_a_form_lists_the_form_keys() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    app.handle(key(KeyCode::F(2)));
    app.handle(key(KeyCode::F(1)));
    let text = text_of(&app);
    for k in ["Ctrl-S F9", "Tab ↓ Enter", "Shift-Tab ↑", "Space"] {
        assert!(text.contains(k), "{k} missing:\n{text}");
    }
    app.handle(key(KeyCode::Esc));
    assert!(app.member_form().is_some());
}

#[test]
fn a_paste_is_typed_into_the_field_its_line_breaks_as_spaces_and_nowhere_else() {
    let f = fixture();
    let mut app = app_on(&f, config(Lang::Zh, false));
    // on the list (no field typed into) a paste does nothing: a pasted `q`
    // does not quit, a pasted `n` opens no form
    app.handle(Event::Paste("qn\n".into()));
    assert!(!app.should_quit());
    assert!(app.member_form().is_none());
    // into the search box: every character, the line break a space (not
    // Enter, which would end the search and drop the rest)
    app.handle(key(KeyCode::Char('/')));
    app.handle(Event::Paste("张\r\n三".into()));
    assert!(app.screen::<MembersScreen>().text_focus());
    assert_eq!(app.screen::<MembersScreen>().search_text(), "张 三");
    app.handle(key(KeyCode::Esc));
    // into a form's field: a name pasted with a tab and a trailing newline
    app.handle(key(KeyCode::Char('n')));
    app.handle(Event::Paste("010\t\n".into()));
    let form = app.member_form().unwrap();
    assert_eq!(form.form.focused_key(), "code");
    assert_eq!(form.form.text_of("code"), "010  ");
    // a question takes no paste: `y` does not answer it
    app.handle(key(KeyCode::Esc));
    assert!(text_of(&app).contains("放弃"), "{}", text_of(&app));
    app.handle(Event::Paste("y".into()));
    assert!(app.member_form().is_some());
}
