//! The member-needs survey (需求调查, tab 6) drawn into a `TestBackend` at
//! 80x24: the rounds with their progress, the data-entry form with last
//! round's answers beside it, the results; the keys a clerk types, counted.

mod common;

use common::screen::{ctrl, d, key, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::survey::Answers;
use guanhuai::domain::vocab::{Health, Ideology, Need};
use guanhuai::ui::app::{App, Config, Popup, Tab};
use guanhuai::ui::screens::survey::{Field, SurveyScreen, View};
use ratatui::crossterm::event::{Event, KeyCode};

const TODAY: &str = "2026-11-28";

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn answers(date: &str, ideology: Ideology, health: Health, needs: &[Need]) -> Answers {
    Answers {
        date: d(date),
        surveyor: "王委员".into(),
        ideology,
        health,
        needs: needs.to_vec(),
        work_expectations: String::new(),
        opinions: String::new(),
        follow_up: false,
        follow_up_note: String::new(),
    }
}

/// Six members (roster order by pinyin: 阿依古丽·买买提, 𠮷祥, 李四, 单田芳,
/// 王五, 张三); a closed 2025 round all answered; the 2026 round with 李四
/// and 张三 answered.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    for (code, name) in [
        ("001", "张三"),
        ("002", "李四"),
        ("003", "单田芳"),
        ("004", "阿依古丽·买买提"),
        ("005", "𠮷祥"),
        ("006", "王五"),
    ] {
        let mut m = Member::new(code, name, d("2000-07-01"));
        // Registered this year: no annual talk is due yet.
        m.registered_on = Some(d("2026-06-01"));
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    let today = d(TODAY);
    let last = db::survey::create_round(
        &mut conn,
        "2025年度党员需求调查",
        2025,
        d("2025-11-01"),
        today,
    )
    .unwrap();
    use Need::*;
    let olds = [
        (Ideology::Stable, Health::Good, vec![Medical]),
        (Ideology::Stable, Health::Fair, vec![Medical, Housing]),
        (Ideology::Stable, Health::Good, vec![]),
        (Ideology::Fluctuating, Health::Poor, vec![Financial, Care]),
        (Ideology::Stable, Health::Good, vec![Training]),
        (Ideology::Stable, Health::Good, vec![]),
    ];
    for (id, (i, h, n)) in ids.iter().zip(olds) {
        db::survey::save_response(
            &mut conn,
            last,
            *id,
            &answers("2025-11-10", i, h, &n),
            None,
            today,
        )
        .unwrap();
    }
    db::survey::close_round(&mut conn, last, d("2025-12-31")).unwrap();
    let now = db::survey::create_round(
        &mut conn,
        "2026年度党员需求调查",
        2026,
        d("2026-11-01"),
        today,
    )
    .unwrap();
    let mut a = answers("2026-11-20", Ideology::Stable, Health::Fair, &[Medical]);
    a.follow_up = true;
    a.follow_up_note = "联系社区医院".into();
    db::survey::save_response(&mut conn, now, ids[1], &a, None, today).unwrap();
    db::survey::save_response(
        &mut conn,
        now,
        ids[0],
        &answers(
            "2026-11-20",
            Ideology::Stable,
            Health::Good,
            &[Medical, Financial],
        ),
        None,
        today,
    )
    .unwrap();
    Fixture { _dir: dir, path }
}

fn tab6(f: &Fixture, lang: Lang) -> App {
    let config = Config {
        lang,
        ..Config::new(d(TODAY))
    };
    let mut app = App::new(db::open(&f.path).unwrap(), config).unwrap();
    app.handle(key(KeyCode::Char('6')));
    assert_eq!(app.tab(), Tab::Survey);
    app
}

fn survey(app: &App) -> &SurveyScreen {
    app.screen::<SurveyScreen>()
}

fn entry_member(app: &App) -> String {
    survey(app)
        .entry()
        .map(|e| e.member.name.clone())
        .unwrap_or_default()
}

fn conn(f: &Fixture) -> rusqlite::Connection {
    db::open(&f.path).unwrap()
}

fn round_id(f: &Fixture, name: &str) -> i64 {
    db::survey::round_by_name(&conn(f), name)
        .unwrap()
        .unwrap()
        .id
}

#[test]
fn round_view_shows_progress_and_who_is_missing() {
    let f = fixture();
    let app = tab6(&f, Lang::Zh);
    let text = text_of(&app);
    insta::assert_snapshot!("survey_rounds_zh", text);
    assert!(text.contains("已登记 2 / 在册党员 6（33%）"), "{text}");
    assert!(text.contains("未登记（按名册顺序，4 人）"));
    assert!(text.contains("004 阿依古丽·买买提"));
    assert!(!text.contains("001 张三"));
    let app = tab6(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("survey_rounds_en", text);
    assert!(text.contains("2 answered / 6 active (33%)"));
}

/// The keystrokes of one blank response (no needs, no text), from the form
/// opening on the member to the response saved and the next member shown.
#[test]
fn a_blank_response_takes_at_most_eight_keys() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    // The first unanswered in roster order; the surveyor carried over from
    // the round's last form.
    assert_eq!(entry_member(&app), "阿依古丽·买买提");
    let keys: Vec<Event> = vec![
        key(KeyCode::Char('1')), // 思想状况 稳定
        key(KeyCode::Char('1')), // 健康状况 良好
        key(KeyCode::F(9)),      // 保存并下一位
    ];
    let count = keys.len();
    for k in keys {
        app.handle(k);
    }
    assert!(count <= 8, "{count} keys");
    assert_eq!(count, 3);
    assert_eq!(entry_member(&app), "𠮷祥");
    let r = db::survey::responses(&conn(&f), round_id(&f, "2026年度党员需求调查")).unwrap();
    assert_eq!(r.len(), 3);
    let saved = r.last().unwrap();
    assert_eq!(saved.answers.ideology, Ideology::Stable);
    assert_eq!(saved.answers.health, Health::Good);
    assert!(saved.answers.needs.is_empty());
    assert_eq!(saved.answers.surveyor, "王委员");
    assert!(text_of(&app).contains("已保存：004 阿依古丽·买买提；下一位 005 𠮷祥"));
    // Enter on every field also gets there: digit, digit, then Enter to the end.
    let mut keys = vec![key(KeyCode::Char('2')), key(KeyCode::Char('1'))];
    keys.extend(std::iter::repeat_n(key(KeyCode::Enter), 7));
    assert_eq!(keys.len(), 9);
    // (the short way is the one a clerk uses; Ctrl-S saves like F9)
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::Char('1')));
    app.handle(ctrl('s'));
    assert_eq!(entry_member(&app), "单田芳");
}

#[test]
fn entry_form_shows_last_round_and_carries_it_over() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    let text = text_of(&app);
    insta::assert_snapshot!("survey_entry_zh", text);
    assert!(text.contains("上次调查（F5 沿用）"));
    assert!(text.contains("生活照料、经济困难"), "{text}");
    app.handle(key(KeyCode::F(5)));
    let e = survey(&app).entry().unwrap();
    assert_eq!(e.ideology, Some(Ideology::Fluctuating));
    assert_eq!(e.health, Some(Health::Poor));
    assert_eq!(e.needs, [Need::Care, Need::Financial]);
    let mut app = tab6(&f, Lang::En);
    app.handle(key(KeyCode::Enter));
    insta::assert_snapshot!("survey_entry_en", text_of(&app));
}

#[test]
fn needs_toggle_by_number_and_date_and_surveyor_carry_over() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::Char('3')));
    app.handle(key(KeyCode::Char('2')));
    assert_eq!(survey(&app).entry().unwrap().focus, Field::Needs);
    for c in ['4', '0', '9', '9'] {
        app.handle(key(KeyCode::Char(c)));
    }
    assert_eq!(
        survey(&app).entry().unwrap().needs,
        [Need::Housing, Need::Other]
    );
    // To the date: clear it and type another; then the surveyor.
    app.handle(key(KeyCode::Enter)); // 需跟进
    app.handle(key(KeyCode::Char('1'))); // yes
    app.handle(key(KeyCode::Enter)); // 调查日期
    app.handle(ctrl('u'));
    for c in "2026-11-25".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::Enter)); // 调查人
    app.handle(ctrl('u'));
    for c in "李书记".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::F(9)));
    let e = survey(&app).entry().unwrap();
    assert_eq!(e.member.name, "𠮷祥");
    assert_eq!(e.date.value(), "2026-11-25");
    assert_eq!(e.surveyor.value(), "李书记");
    let r = db::survey::response(&conn(&f), round_id(&f, "2026年度党员需求调查"), 4)
        .unwrap()
        .unwrap();
    assert_eq!(r.answers.needs, [Need::Housing, Need::Other]);
    assert!(r.answers.follow_up);
    assert_eq!(r.answers.ideology, Ideology::Attention);
}

#[test]
fn a_bad_date_is_shown_beside_the_field_and_nothing_is_saved() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    assert!(text.contains("! 请选择 1–3"), "{text}");
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Char('1')));
    for _ in 0..2 {
        app.handle(key(KeyCode::Enter));
    }
    app.handle(key(KeyCode::Char('x')));
    app.handle(key(KeyCode::F(9)));
    assert!(text_of(&app).contains("! 日期如 2026-11-28"));
    assert_eq!(survey(&app).entry().unwrap().focus, Field::Date);
    let r = db::survey::responses(&conn(&f), round_id(&f, "2026年度党员需求调查")).unwrap();
    assert_eq!(r.len(), 2);
}

#[test]
fn the_ideology_key_records_an_event_the_member_then_owes_a_talk() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(6)));
    assert!(text_of(&app).contains("已记录思想波动事件：004 阿依古丽·买买提"));
    assert_eq!(
        survey(&app).entry().unwrap().ideology,
        Some(Ideology::Fluctuating)
    );
    let c = conn(&f);
    let (kind, date): (String, String) = c
        .query_row(
            "SELECT kind, date FROM events WHERE member_id = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), date.as_str()), ("ideology", TODAY));
    // The Overview lists the talk the event calls for. The form holds the
    // unsaved 波动: Esc asks, Enter (yes) leaves.
    app.handle(key(KeyCode::Esc));
    assert!(survey(&app).entry().is_some());
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::Char('1')));
    assert!(text_of(&app).contains("即将到期 1"));
    app.handle(key(KeyCode::Tab));
    let text = text_of(&app);
    assert!(text.contains("004      阿依古丽·买买~"), "{text}");
    assert!(!text.contains("𠮷祥"), "{text}");
}

#[test]
fn the_hardship_key_opens_an_application_prefilled() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(7)));
    let text = text_of(&app);
    assert!(text.contains("新建困难台账"), "{text}");
    assert!(text.contains("004 阿依古丽·买买提"));
    assert!(
        text.contains("[x]生活困难") || text.contains("生活困难"),
        "{text}"
    );
}

#[test]
fn results_count_needs_and_states_with_the_change() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::F(6)));
    assert!(matches!(survey(&app).view(), View::Results));
    let text = text_of(&app);
    insta::assert_snapshot!("survey_results_zh", text);
    // 医疗: 2 now, 2 last round; 住房 0 now, 1 before; 经济困难 1 and 1.
    let r = survey(&app).results();
    assert_eq!(r.now.needs[0], 2);
    assert!(text.contains(" 住房                0      -1"), "{text}");
    assert!(text.contains("001 张三") || text.contains("002 李四"));
    assert!(text.contains("联系社区医院"));
    let mut app = tab6(&f, Lang::En);
    app.handle(key(KeyCode::F(6)));
    insta::assert_snapshot!("survey_results_en", text_of(&app));
}

#[test]
fn a_correction_is_logged_and_a_stale_one_refused() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    // Find 张三 (answered) by initials: the form opens on the stored response.
    app.handle(key(KeyCode::F(3)));
    for c in "zs".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::Enter));
    let e = survey(&app).entry().unwrap();
    assert_eq!(e.member.name, "张三");
    assert!(e.editing.is_some());
    assert!(text_of(&app).contains("已登记：修改将记入日志"));
    app.handle(key(KeyCode::Char('2'))); // 波动
    app.handle(key(KeyCode::F(9)));
    let c = conn(&f);
    let round = round_id(&f, "2026年度党员需求调查");
    let r = db::survey::response(&c, round, 1).unwrap().unwrap();
    assert_eq!(r.answers.ideology, Ideology::Fluctuating);
    assert_eq!(r.version, 2);
    let logged: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE tbl = 'survey_responses' AND record_id = ?1 AND op = 'update'",
            [r.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
    // A save over the old version is refused and changes nothing.
    let mut mc = conn(&f);
    let err = db::survey::save_response(&mut mc, round, 1, &r.answers, Some(1), d(TODAY));
    assert!(matches!(err, Err(db::DbError::Conflict { .. })));
}

/// A roster of 50,001 members in a file (written with one statement), the
/// first 30,000 in roster order answered in the round.
fn large_fixture() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    i64,
    Vec<(i64, String)>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.sqlite");
    let mut conn = db::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50001)
         INSERT INTO members (code, name, joined_on, sort_key)
         SELECT printf('M%06d', i), '党员' || i, '2000-07-01', printf('%08d', i) FROM n;",
    )
    .unwrap();
    tx.commit().unwrap();
    let today = d(TODAY);
    let round =
        db::survey::create_round(&mut conn, "2026年度调查", 2026, d("2026-11-01"), today).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO survey_responses (round_id, member_id, date, surveyor, ideology, health)
         SELECT ?1, id, '2026-11-20', '王委员', 'stable', 'good' FROM members WHERE id <= 30000",
        [round],
    )
    .unwrap();
    tx.commit().unwrap();
    let first: Vec<(i64, String)> = db::survey::unanswered(&conn, round, None, 3)
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    (dir, path, round, first)
}

#[test]
fn a_large_roster_reads_who_has_not_answered_on_a_worker_and_starts_from_the_first() {
    let (_dir, path, _round, first) = large_fixture();
    assert_eq!(first[0].1, "M030001");
    let mut app = App::new(db::open(&path).unwrap(), Config::new(d(TODAY))).unwrap();
    app.handle(key(KeyCode::Char('6')));
    // the 30,000 answered first in roster order are walked past on a worker
    assert!(survey(&app).is_reading());
    let at_once = text_of(&app);
    assert!(
        at_once.contains("统计中") || at_once.contains("已登记 30000 / 在册党员 50001"),
        "{at_once}"
    );
    assert!(
        at_once.contains("读取中") || at_once.contains("M030001"),
        "{at_once}"
    );
    app.wait_ready();
    let ready = text_of(&app);
    assert!(ready.contains("已登记 30000 / 在册党员 50001"), "{ready}");
    assert!(ready.contains("未登记（按名册顺序，20001 人）"), "{ready}");
    assert!(
        ready.contains("M030001") && ready.contains("M030002"),
        "{ready}"
    );
    assert!(!ready.contains("读取中"), "{ready}");
    assert!(!survey(&app).is_reading());
    // data entry from the top opens the first member not answered
    app.handle(key(KeyCode::Enter));
    assert_eq!(entry_member(&app), "党员30001");
}

#[test]
fn leaving_or_quitting_the_entry_form_with_unsaved_input_asks_first() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    // Nothing typed: Esc leaves at once.
    app.handle(key(KeyCode::Enter));
    assert!(survey(&app).entry().is_some());
    app.handle(key(KeyCode::Esc));
    assert!(survey(&app).entry().is_none());
    // 思想状况 chosen: Esc asks with the question every form asks; no keeps
    // the form and its input.
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::Esc));
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    let text = text_of(&app);
    assert!(
        text.contains("这份表单有未保存的输入。放弃这些输入并离开吗"),
        "{text}"
    );
    app.handle(key(KeyCode::Esc));
    assert!(app.popups().is_empty());
    let e = survey(&app).entry().unwrap();
    assert_eq!(e.ideology, Some(Ideology::Fluctuating));
    // F10 asks too, and answering no keeps the form.
    app.handle(key(KeyCode::F(10)));
    let text = text_of(&app);
    assert!(text.contains("表单中有未保存的输入。确定退出吗"), "{text}");
    assert!(!app.should_quit());
    app.handle(key(KeyCode::Esc));
    assert!(!app.should_quit());
    assert!(survey(&app).entry().is_some());
    // F4 (skip) asks as well; yes goes on to the next member, input dropped.
    let first = entry_member(&app);
    app.handle(key(KeyCode::F(4)));
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    app.handle(key(KeyCode::Enter));
    assert!(app.popups().is_empty());
    assert_ne!(entry_member(&app), first);
    assert_eq!(survey(&app).entry().unwrap().ideology, None);
    // Esc, then yes: back to the rounds, nothing saved.
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    assert!(survey(&app).entry().is_none());
    let text = text_of(&app);
    assert!(text.contains("已登记 2"), "{text}");
}

#[test]
fn the_entry_form_takes_first_letters_and_its_needs_are_a_check_list() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    app.handle(key(KeyCode::Enter));
    let typed = |app: &mut App, s: &str| {
        for c in s.chars() {
            app.handle(key(KeyCode::Char(c)));
        }
    };
    // 思想状况 by the pinyin initials of 需关注, 健康状况 by 较差's
    typed(&mut app, "xgz");
    assert_eq!(
        survey(&app).entry().unwrap().ideology,
        Some(Ideology::Attention)
    );
    // F6 refuses a member whose answer is not 波动, and records nothing
    app.handle(key(KeyCode::F(6)));
    assert!(
        text_of(&app).contains("思想波动事件只为“波动”记录"),
        "{}",
        text_of(&app)
    );
    let events = |f: &Fixture| -> i64 {
        conn(f)
            .query_row(
                "SELECT count(*) FROM events WHERE kind = 'ideology'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(events(&f), 0);
    typed(&mut app, "bd");
    assert_eq!(
        survey(&app).entry().unwrap().ideology,
        Some(Ideology::Fluctuating)
    );
    // once 波动, F6 records one event, and a second press no second one
    app.handle(key(KeyCode::F(6)));
    app.handle(key(KeyCode::F(6)));
    assert!(
        text_of(&app).contains("已记录过思想波动事件"),
        "{}",
        text_of(&app)
    );
    assert_eq!(events(&f), 1);
    app.handle(key(KeyCode::Down));
    typed(&mut app, "jc");
    assert_eq!(survey(&app).entry().unwrap().health, Some(Health::Poor));
    // the needs: → moves the cursor, Space ticks, letters find (jj 经济困难)
    app.handle(key(KeyCode::Down));
    assert_eq!(survey(&app).entry().unwrap().focus, Field::Needs);
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Char(' ')));
    assert_eq!(survey(&app).entry().unwrap().needs, vec![Need::Employment]);
    typed(&mut app, "jj");
    app.handle(key(KeyCode::Char(' ')));
    assert_eq!(
        survey(&app).entry().unwrap().needs,
        vec![Need::Employment, Need::Financial]
    );
    app.handle(key(KeyCode::Left));
    app.handle(key(KeyCode::Char(' ')));
    assert_eq!(
        survey(&app).entry().unwrap().needs,
        vec![Need::Employment, Need::Care, Need::Financial]
    );
    // the terminal cursor sits on the need under the list's cursor (生活照料)
    let mut t = common::screen::draw(&app);
    let pos = t.get_cursor_position().unwrap();
    let row: String = (0..80)
        .map(|x| t.backend().buffer()[(x, pos.y)].symbol().to_string())
        .collect();
    let before: String = (0..pos.x)
        .map(|x| t.backend().buffer()[(x, pos.y)].symbol().to_string())
        .collect();
    // (a wide character's second cell reads as a blank)
    let squeeze = |s: &str| s.replace(' ', "");
    assert!(squeeze(&row).contains("8*生活照料"), "{row}");
    assert!(
        squeeze(&before).ends_with('8'),
        "cursor after the 8 of 8*生活照料: {before:?}"
    );
    // help lists the typed keys too
    app.handle(key(KeyCode::F(1)));
    let text = text_of(&app);
    assert!(text.contains("1-9 0") && text.contains("首字母"), "{text}");
}

#[test]
fn a_round_is_corrected_with_e_and_its_dates_stay_in_order() {
    let f = fixture();
    let mut app = tab6(&f, Lang::Zh);
    let id = round_id(&f, "2026年度党员需求调查");
    let started = |f: &Fixture| -> String {
        conn(f)
            .query_row(
                "SELECT started_on FROM survey_rounds WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let retype = |app: &mut App, s: &str| {
        app.handle(ctrl('e'));
        app.handle(ctrl('u'));
        for c in s.chars() {
            app.handle(key(KeyCode::Char(c)));
        }
    };
    // the newest round is selected: e opens its fields
    app.handle(key(KeyCode::Char('e')));
    let text = text_of(&app);
    assert!(text.contains("修改调查（F9 保存，Esc 取消）"), "{text}");
    assert!(text.contains("2026-11-01"), "{text}");
    // a start after the first response (2026-11-20) is refused beside it
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    retype(&mut app, "2026-11-25");
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    let line = |text: &str, label: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_default()
            .to_string()
    };
    // beside the start date, the field it is about
    assert!(
        line(&text, "开始日期").contains("不能晚于首份答卷日期 2026-11-20"),
        "{text}"
    );
    assert_eq!(started(&f), "2026-11-01");
    // another round's name is refused too
    app.handle(key(KeyCode::BackTab));
    app.handle(key(KeyCode::BackTab));
    retype(&mut app, "2025年度党员需求调查");
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    assert!(line(&text, "调查名称").contains("已有同名的调查"), "{text}");
    // an earlier start and a new name are saved, and logged
    retype(&mut app, "2026年度需求调查");
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    retype(&mut app, "2026-10-15");
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    assert!(!text.contains("修改调查（F9"), "{text}");
    assert!(
        app.status()
            .is_some_and(|s| s.text.contains("已修改：2026年度需求调查")),
        "{text}"
    );
    assert_eq!(started(&f), "2026-10-15");
    assert!(text.contains("2026年度需求调查"), "{text}");
    let logged: i64 = conn(&f)
        .query_row(
            "SELECT count(*) FROM audit_log WHERE tbl = 'survey_rounds' AND record_id = ?1
             AND op = 'update' AND new LIKE '%2026-10-15%'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
}
