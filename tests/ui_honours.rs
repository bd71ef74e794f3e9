//! 激励 (tab 7) drawn into a `TestBackend` at 80x24: the honours list, a
//! year's assessment with its totals per grade, the birthdays of this month
//! and the next; saving an honour or a discipline records its event (so the
//! member owes a talk on the Overview); the bonus follows the settings;
//! paying the bonuses writes fund payments, or nothing at all when the fund
//! is short; a paid assessment keeps its grade.

mod common;

use common::screen::{ctrl, d, key, text_of};
use guanhuai::db;
use guanhuai::db::audit::Actor;
use guanhuai::db::fund::NewEntry;
use guanhuai::db::incentives::NewHonour;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::vocab::{Direction, Grade, HonourLevel, HonourTitle};
use guanhuai::ui::app::{App, Config, Popup, Tab};
use guanhuai::ui::screens::honours::{HonoursScreen, View};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

const TODAY: &str = "2026-11-28";

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    /// 001 张三, 002 李四, 003 阿依古丽·买买提, 004 𠮷祥.
    ids: Vec<i64>,
}

fn income(conn: &mut Connection, date: &str, fen: i64) {
    let e = NewEntry {
        date: d(date),
        direction: Direction::In,
        category: "fiscal".into(),
        amount_fen: fen,
        handled_by: "李会计".into(),
        approved_by: "王书记".into(),
        ..NewEntry::default()
    };
    let tx = db::audit::write_tx(conn, &Actor::new("test fixture")).unwrap();
    db::fund::insert(&tx, &e, d(TODAY)).unwrap();
    tx.commit().unwrap();
}

fn set_base(conn: &Connection, fen: i64) {
    let mut s = db::settings::load(conn).unwrap();
    s.bonus_base_fen = fen;
    db::settings::save(conn, &s).unwrap();
}

/// Four members; two honours; the 2026 grades 优秀, 良好, 合格 (the fourth
/// not graded); a bonus base of ¥1,000.00; ¥500.00 in the fund.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    for (code, name, birth, joined) in [
        ("001", "张三", "1956-11-03", "1976-12-20"),
        ("002", "李四", "1964-02-29", "1986-11-15"),
        ("003", "阿依古丽·买买提", "1990-12-31", "2016-07-01"),
        ("004", "𠮷祥", "1950-05-05", "1991-11-30"),
    ] {
        let mut m = Member::new(code, name, d(joined));
        m.registered_on = Some(d("2020-01-01"));
        m.birth_date = Some(d(birth));
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    let today = d(TODAY);
    for (member_id, title, level, date) in [
        (
            Some(ids[0]),
            HonourTitle::ExcellentMember,
            HonourLevel::Street,
            "2026-06-28",
        ),
        (
            None,
            HonourTitle::AdvancedOrg,
            HonourLevel::District,
            "2025-06-28",
        ),
    ] {
        let date = d(date);
        db::incentives::add_honour(
            &mut conn,
            &NewHonour {
                member_id,
                title,
                title_other: String::new(),
                level,
                year: chrono::Datelike::year(&date),
                date,
                note: String::new(),
            },
            today,
        )
        .unwrap();
    }
    for (i, g) in [Grade::Excellent, Grade::Good, Grade::Pass]
        .into_iter()
        .enumerate()
    {
        db::incentives::set_grade(&mut conn, 2026, ids[i], g).unwrap();
    }
    set_base(&conn, 100_000);
    income(&mut conn, "2026-01-05", 50_000);
    Fixture {
        _dir: dir,
        path,
        ids,
    }
}

fn app_on(f: &Fixture, lang: Lang) -> App {
    let config = Config {
        lang,
        ..Config::new(d(TODAY))
    };
    App::new(db::open(&f.path).unwrap(), config).unwrap()
}

fn tab7(f: &Fixture, lang: Lang) -> App {
    let mut app = app_on(f, lang);
    app.handle(key(KeyCode::Char('7')));
    assert_eq!(app.tab(), Tab::Honours);
    app
}

fn screen(app: &App) -> &HonoursScreen {
    app.screen::<HonoursScreen>()
}

/// Switches views with F5 until `v` shows.
fn to_view(app: &mut App, v: View) {
    for _ in 0..4 {
        if screen(app).view() == v {
            return;
        }
        app.handle(key(KeyCode::F(5)));
    }
    panic!("no view {v:?}");
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
}

fn status_text(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

fn focus(app: &mut App, field: &str) {
    for _ in 0..20 {
        match app.popups().last() {
            Some(Popup::Honours(f)) if f.form.focused_key() == field => return,
            Some(Popup::Honours(_)) => app.handle(key(KeyCode::Tab)),
            _ => panic!("no honours form"),
        };
    }
    panic!("no field {field}");
}

#[test]
fn honours_list_zh_and_en() {
    let f = fixture();
    let app = tab7(&f, Lang::Zh);
    let text = text_of(&app);
    insta::assert_snapshot!("honours_list_zh", text);
    assert!(text.contains("[表彰]"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.contains("001 张三")
        && l.contains("优秀共产党员")
        && l.contains("街道")
        && l.contains("2026")));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("（支部）") && l.contains("先进基层党组织") && l.contains("区"))
    );
    let app = tab7(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("honours_list_en", text);
    assert!(text.contains("(branch)") && text.contains("Advanced branch"));
}

#[test]
fn assessments_show_bonuses_and_totals_per_grade() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Assessments);
    let text = text_of(&app);
    insta::assert_snapshot!("honours_assessments_zh", text);
    assert!(text.contains("2026 年度业绩考核"), "{text}");
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {text}"))
            .to_string()
    };
    assert!(row("张三").contains("优秀") && row("张三").contains("¥1,000.00"));
    assert!(row("李四").contains("良好") && row("李四").contains("¥800.00"));
    assert!(row("阿依古丽").contains("合格") && row("阿依古丽").contains("¥500.00"));
    assert!(!row("𠮷祥").contains('¥'));
    assert!(text.contains("优秀1人 ¥1,000.00"), "{text}");
    assert!(text.contains("良好1人 ¥800.00"));
    assert!(text.contains("不合格0人 ¥0.00"));
    assert!(text.contains("已评 3/4 人  奖励合计 ¥2,300.00  未发放 ¥2,300.00"));

    let mut app = tab7(&f, Lang::En);
    to_view(&mut app, View::Assessments);
    let text = text_of(&app);
    insta::assert_snapshot!("honours_assessments_en", text);
    assert!(text.contains("Exc. 1 ¥1,000.00"), "{text}");
    assert!(text.contains("Graded 3/4  total ¥2,300.00"));
}

#[test]
fn the_bonus_follows_the_settings() {
    let f = fixture();
    set_base(&db::open(&f.path).unwrap(), 120_000);
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Assessments);
    let text = text_of(&app);
    assert!(text.contains("优秀1人 ¥1,200.00"), "{text}");
    assert!(text.contains("良好1人 ¥960.00"), "{text}");
    assert!(text.contains("基数 ¥1,200.00"), "{text}");
}

#[test]
fn number_keys_grade_the_selected_member_and_move_on() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Assessments);
    let row4 = screen(&app)
        .assessments()
        .iter()
        .position(|r| r.code == "004")
        .unwrap();
    for _ in 0..row4 {
        app.handle(key(KeyCode::Down));
    }
    app.handle(key(KeyCode::Enter));
    assert!(screen(&app).grading());
    // While grading a digit grades, it does not switch tabs.
    app.handle(key(KeyCode::Char('2')));
    assert_eq!(app.tab(), Tab::Honours);
    assert!(status_text(&app).contains("𠮷祥（004）2026 年度：良好，奖励 ¥800.00"));
    let r = &screen(&app).assessments()[row4];
    assert_eq!(r.grade, Some(Grade::Good));
    app.handle(key(KeyCode::Esc));
    assert!(!screen(&app).grading());
    assert!(text_of(&app).contains("已评 4/4 人"));
}

#[test]
fn birthdays_of_this_month_and_the_next() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Birthdays);
    let text = text_of(&app);
    insta::assert_snapshot!("honours_birthdays_zh", text);
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {text}"))
            .to_string()
    };
    assert!(line("本月 2026年11月").contains("生日 1 人，政治生日 2 人"));
    assert!(line("下月 2026年12月").contains("生日 1 人，政治生日 1 人"));
    assert!(line("11-03 001 张三").contains("生日  70 岁 ★逢十"));
    assert!(line("11-15 002 李四").contains("入党 40 年 ★逢十"));
    assert!(line("11-30 004 𠮷祥").contains("入党 35 年"));
    assert!(!line("11-30 004 𠮷祥").contains('★'));
    assert!(line("12-20 001 张三").contains("入党 50 年 ★光荣在党50年"));
    assert!(line("12-31 003").contains("生日  36 岁"));
    let mut app = tab7(&f, Lang::En);
    to_view(&mut app, View::Birthdays);
    let text = text_of(&app);
    assert!(
        text.contains("joined 50 years ago * 50 years in the party"),
        "{text}"
    );

    // The Overview counts this month's.
    let app = app_on(&f, Lang::Zh);
    assert!(
        text_of(&app).contains("本月生日 1 政治生日 2"),
        "{}",
        text_of(&app)
    );
}

#[test]
fn the_birthdays_view_pages_through_both_months_line_by_line() {
    // more greetings than a page: each page shows the next lines of the
    // list, the second month's heading where its greetings begin
    use guanhuai::domain::incentives;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.sqlite");
    let mut conn = db::open(&path).unwrap();
    let names = ["王一", "李二", "张三", "刘四", "陈五", "杨六", "赵七"];
    for i in 0..70u32 {
        let birth = format!("{}-{}-{:02}", 1950 + i, 11 + i % 2, 1 + i % 28);
        let joined = format!(
            "{}-{:02}-{:02}",
            1980 + i % 30,
            [11, 12, 3][i as usize % 3],
            2 + i % 27
        );
        let mut m = Member::new(
            &format!("B{i:03}"),
            names[i as usize % names.len()],
            d(&joined),
        );
        m.registered_on = Some(d("2020-01-01"));
        m.birth_date = Some(d(&birth));
        db::members::save(&mut conn, &m).unwrap();
    }
    let people = db::incentives::greeting_people(&conn).unwrap();
    let months = incentives::greetings(&people, d(TODAY));
    let mut want = Vec::new();
    for (i, g) in months.iter().enumerate() {
        want.push(["本月 2026年11月", "下月 2026年12月"][i].to_string());
        for g in g {
            want.push(format!(
                "{:02}-{:02} {} {}",
                chrono::Datelike::month(&g.date),
                chrono::Datelike::day(&g.date),
                g.code,
                g.name
            ));
        }
    }
    assert!(want.len() > 60, "{}", want.len());
    let f = Fixture {
        _dir: dir,
        path,
        ids: Vec::new(),
    };
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Birthdays);
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..want.len() {
        for l in text_of(&app).lines() {
            let l = l.trim_matches(|c: char| c == '│' || c.is_whitespace());
            let listed = want.iter().find(|w| l.starts_with(w.as_str()));
            if let Some(w) = listed
                && seen.last() != Some(w)
                && !seen.contains(w)
            {
                seen.push(w.clone());
            }
        }
        if seen.len() == want.len() {
            break;
        }
        app.handle(key(KeyCode::PageDown));
    }
    assert_eq!(seen, want);
}

#[test]
fn saving_an_honour_records_a_commendation_event_and_a_talk_is_owed() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    let overview = |app: &mut App| {
        app.handle(key(KeyCode::Char('1')));
        let t = text_of(app);
        app.handle(key(KeyCode::Char('7')));
        t
    };
    let before = overview(&mut app);
    assert!(
        !before
            .lines()
            .any(|l| l.contains("李四") && l.contains("表彰"))
    );
    app.handle(key(KeyCode::F(2)));
    assert!(matches!(app.popups().last(), Some(Popup::Honours(_))));
    type_str(&mut app, "lisi");
    app.handle(key(KeyCode::Enter));
    focus(&mut app, "level");
    app.handle(key(KeyCode::Right));
    // Honoured on 1 November: the talk was due within 15 days, so it is late.
    focus(&mut app, "date");
    app.handle(ctrl('e'));
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-11-01");
    app.handle(ctrl('s'));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    let st = status_text(&app);
    assert!(st.contains("李四（002）街道级“优秀共产党员”"), "{st}");
    assert!(st.contains("已记“受到表彰”情况（必谈）"), "{st}");
    assert!(
        text_of(&app)
            .lines()
            .any(|l| l.contains("002 李四") && l.contains("街道"))
    );
    let conn = db::open(&f.path).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM events e JOIN honours h ON h.event_id = e.id
             WHERE e.member_id = ?1 AND e.kind = 'commendation' AND e.date = ?2",
            rusqlite::params![f.ids[1], "2026-11-01"],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    let after = overview(&mut app);
    assert!(
        after.lines().any(|l| l.contains("李四")
            && l.contains("必谈：受到表彰")
            && l.contains("2026-11-16")),
        "{after}"
    );
}

#[test]
fn an_honour_for_the_branch_records_no_event() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    let conn = db::open(&f.path).unwrap();
    let events = |c: &Connection| -> i64 {
        c.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap()
    };
    let before = events(&conn);
    app.handle(key(KeyCode::F(2)));
    focus(&mut app, "title");
    app.handle(key(KeyCode::Left)); // 其他
    app.handle(ctrl('s'));
    // 其他 needs its text: refused, beside the field.
    assert!(!app.popups().is_empty());
    assert!(text_of(&app).contains("请填写称号"), "{}", text_of(&app));
    focus(&mut app, "title_other");
    type_str(&mut app, "党建工作示范点");
    app.handle(ctrl('s'));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(status_text(&app).contains("支部获得的表彰"));
    assert_eq!(events(&conn), before);
    assert!(
        text_of(&app)
            .lines()
            .any(|l| l.contains("（支部）") && l.contains("党建工作示范点"))
    );
}

#[test]
fn a_title_goes_to_whom_it_is_for() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    let conn = db::open(&f.path).unwrap();
    let honours = |c: &Connection| -> i64 {
        c.query_row("SELECT count(*) FROM honours", [], |r| r.get(0))
            .unwrap()
    };
    let before = honours(&conn);
    // a fresh form does not call out the member it has not reached yet
    app.handle(key(KeyCode::F(2)));
    assert!(!text_of(&app).contains("请填写党员"), "{}", text_of(&app));
    // 优秀共产党员 for the branch: refused beside the member
    app.handle(ctrl('s'));
    assert!(!app.popups().is_empty());
    let text = text_of(&app);
    assert!(text.contains("这个称号授予党员：请填写党员"), "{text}");
    // a member named, 先进基层党组织: refused beside the title
    focus(&mut app, "member");
    type_str(&mut app, "lisi");
    app.handle(key(KeyCode::Enter));
    focus(&mut app, "title");
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Right));
    app.handle(ctrl('s'));
    assert!(!app.popups().is_empty());
    let text = text_of(&app);
    assert!(text.contains("先进基层党组织是支部获得的称号"), "{text}");
    assert_eq!(honours(&conn), before);
    // the database refuses the same, whoever writes
    let mut conn = conn;
    let h = NewHonour {
        member_id: None,
        title: HonourTitle::ExcellentWorker,
        title_other: String::new(),
        level: HonourLevel::Branch,
        year: 2026,
        date: d("2026-11-01"),
        note: String::new(),
    };
    let e = db::incentives::add_honour(&mut conn, &h, d("2026-11-28")).unwrap_err();
    assert!(e.message(Lang::Zh).contains("这个称号授予党员"), "{e:?}");
    let h = NewHonour {
        member_id: Some(f.ids[1]),
        title: HonourTitle::AdvancedOrg,
        ..h
    };
    assert!(db::incentives::add_honour(&mut conn, &h, d("2026-11-28")).is_err());
    assert_eq!(honours(&conn), before);
}

#[test]
fn a_discipline_records_a_punishment_event() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Discipline);
    app.handle(key(KeyCode::Insert));
    type_str(&mut app, "003");
    focus(&mut app, "kind");
    app.handle(ctrl('s'));
    // The kind is required: nothing written.
    assert!(!app.popups().is_empty());
    type_str(&mut app, "警告");
    app.handle(ctrl('s'));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(status_text(&app).contains("受到处分"));
    let text = text_of(&app);
    insta::assert_snapshot!("honours_discipline_zh", text);
    assert!(
        text.lines()
            .any(|l| l.contains("阿依古丽") && l.contains("警告"))
    );
    let conn = db::open(&f.path).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM events e JOIN disciplines x ON x.event_id = e.id
             WHERE e.member_id = ?1 AND e.kind = 'punishment'",
            [f.ids[2]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

/// The bonus form: 经手人 and 审批人, then F9 to the preview.
fn fill_bonus(app: &mut App) {
    focus(app, "handled");
    type_str(app, "王委员");
    focus(app, "approved");
    type_str(app, "李书记");
    app.handle(key(KeyCode::F(9)));
}

#[test]
fn paying_is_refused_as_a_whole_when_the_fund_is_short_then_pays_everyone() {
    let f = fixture();
    let mut app = tab7(&f, Lang::Zh);
    to_view(&mut app, View::Assessments);
    let before = common::dump(&db::open(&f.path).unwrap());
    // paying asks who handles and approves, as every fund payment has them
    app.handle(key(KeyCode::F(9)));
    assert!(
        text_of(&app).contains("发放 2026 年度考核奖励"),
        "{}",
        text_of(&app)
    );
    app.handle(key(KeyCode::F(9)));
    assert!(matches!(app.popups().last(), Some(Popup::Honours(_))));
    assert!(text_of(&app).contains("经手人") && text_of(&app).contains("必填"));
    fill_bonus(&mut app);
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    let preview = text_of(&app);
    assert!(preview.contains("3 人"), "{preview}");
    assert!(preview.contains("¥2,300.00"), "{preview}");
    assert!(preview.contains("余额 ¥500.00"), "{preview}");
    assert!(preview.contains("余额不足"), "{preview}");
    app.handle(key(KeyCode::Enter));
    assert!(
        status_text(&app).contains("余额不足"),
        "{}",
        status_text(&app)
    );
    assert!(status_text(&app).contains("整批未发放"));
    assert_eq!(common::dump(&db::open(&f.path).unwrap()), before);

    income(&mut db::open(&f.path).unwrap(), "2026-11-01", 300_000);
    app.handle(key(KeyCode::Char('p')));
    fill_bonus(&mut app);
    assert!(text_of(&app).contains("确认后逐人登记基金支出"));
    app.handle(key(KeyCode::Char('y')));
    assert!(
        status_text(&app).contains("已发放 2026 年度考核奖励：3 人，共 ¥2,300.00"),
        "{}",
        status_text(&app)
    );
    let conn = db::open(&f.path).unwrap();
    let paid: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT f.member_id, f.amount_fen FROM assessments a
             JOIN fund_entries f ON f.id = a.paid_entry_id
             WHERE a.year = 2026 AND f.direction = 'out' AND f.category = 'other'
             ORDER BY f.member_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        paid,
        vec![(f.ids[0], 100_000), (f.ids[1], 80_000), (f.ids[2], 50_000)]
    );
    let signed: i64 = conn
        .query_row(
            "SELECT count(*) FROM assessments a JOIN fund_entries f ON f.id = a.paid_entry_id
             WHERE a.year = 2026 AND f.handled_by = '王委员' AND f.approved_by = '李书记'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(signed, 3);
    assert_eq!(
        db::fund::balance(&conn).unwrap(),
        50_000 + 300_000 - 230_000
    );
    let text = text_of(&app);
    let rows_paid = text
        .lines()
        .filter(|l| l.starts_with('│') && l.contains("已发放"))
        .count();
    assert_eq!(rows_paid, 3, "{text}");
    assert!(text.contains("未发放 ¥0.00"));

    // A paid assessment keeps its grade; the settings no longer move it.
    app.handle(key(KeyCode::Enter));
    // The first row is 阿依古丽·买买提 (pinyin order), graded 合格 and paid.
    app.handle(key(KeyCode::Char('2')));
    assert!(
        status_text(&app).contains("阿依古丽·买买提（003）2026 年度的考核奖励已发放，等次不能再改"),
        "{}",
        status_text(&app)
    );
    assert_eq!(screen(&app).assessments()[0].grade, Some(Grade::Pass));
    let g: String = conn
        .query_row(
            "SELECT grade FROM assessments WHERE year = 2026 AND member_id = ?1",
            [f.ids[2]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(g, "pass");
    // Nothing left to pay.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty());
    assert!(status_text(&app).contains("没有待发放的考核奖励"));
}
