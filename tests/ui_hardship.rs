//! The hardship ledger (困难台账, tab 3) drawn into a `TestBackend` at 80x24:
//! the list with its counts and filters, a case's detail with its workflow
//! history, the step forms and their errors, a new case, the annual review,
//! a visit from the case, the Overview's review row and the member detail.
//! The cases are built here through `db::hardship`, so the screens stay the
//! same whatever the demo holds.

mod common;

use common::screen::{d, draw, key, screen, text_of};
use guanhuai::db;
use guanhuai::db::audit::Actor;
use guanhuai::db::hardship::{FamilyMember, HelperKind, NewAction, NewCase, NewMeasure};
use guanhuai::domain::Lang;
use guanhuai::domain::hardship::{StepData, StepRequest, Votes};
use guanhuai::domain::member::Member;
use guanhuai::domain::rules::ObligationKind;
use guanhuai::domain::vocab::{CaseState, Gender, HardshipCategory, MeasureKind, Priority};
use guanhuai::ui::app::{App, Config, Popup, StatusKind, Tab};
use guanhuai::ui::popups::hardship_forms::HardshipForm;
use guanhuai::ui::screens::hardship::HardshipScreen;
use guanhuai::ui::screens::members::MembersScreen;
use guanhuai::ui::screens::overview::OverviewScreen;
use guanhuai::ui::widgets::form::Form;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

const TODAY: &str = "2026-11-28";

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// The clerk who recorded the fixture's steps (the OS user would vary).
const CLERK: &str = "李书记";

/// Writes in one transaction signed by [`CLERK`].
fn as_clerk<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> T) -> T {
    let actor = Actor {
        user: CLERK.into(),
        action: "test fixture".into(),
    };
    let tx = db::audit::write_tx(conn, &actor).unwrap();
    let v = f(&tx);
    tx.commit().unwrap();
    v
}

fn step(conn: &mut Connection, case: i64, date: &str, data: StepData, note: &str) {
    let req = StepRequest {
        date: d(date),
        note: note.into(),
        data,
    };
    as_clerk(conn, |tx| {
        db::hardship::add_step(tx, case, &req, 5, d(TODAY), CLERK).unwrap()
    });
}

fn open_case_as_clerk(conn: &mut Connection, c: &NewCase) -> i64 {
    as_clerk(conn, |tx| {
        db::hardship::insert_case(tx, c, CLERK, false).unwrap()
    })
}

/// Up to approval: reviewed, a notice of seven days, submitted, approved.
fn approve(conn: &mut Connection, case: i64, from: &str) {
    let from = d(from);
    let day = |n: i64| (from + chrono::Duration::days(n)).to_string();
    let votes = Votes {
        for_: 12,
        against: 1,
        abstain: 0,
    };
    step(conn, case, &day(0), StepData::Review(votes), "支部党员大会");
    step(
        conn,
        case,
        &day(1),
        StepData::Publicize {
            from: d(&day(1)),
            to: d(&day(7)),
        },
        "",
    );
    step(
        conn,
        case,
        &day(8),
        StepData::Submit {
            to: "街道党工委".into(),
        },
        "",
    );
    step(conn, case, &day(15), StepData::Approve, "");
}

/// Seven members, six cases:
/// - 001 张三: 2026 个人申请 (一般).
/// - 002 李四: 2026 帮扶中 (特困), a family of two, a measure with one entry
///   in its log, paired with 张三 and a unit (多帮一); review due 2027-03-20.
/// - 003 单田芳: 2025 审核通过 on 2025-06-16 (重点): its review was due
///   2026-06-16, overdue.
/// - 004 阿依古丽·买买提: 2026 公示 until 2026-12-01.
/// - 005 𠮷祥: 2025 驳回 (the vote failed).
/// - 006 王五 (and 007 赵六): no case.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    for (code, name) in [
        ("001", "张三"),
        ("002", "李四"),
        ("003", "单田芳"),
        ("004", "阿依古丽·买买提"),
        ("005", "𠮷祥"),
        ("006", "王五"),
        ("007", "赵六"),
    ] {
        let mut m = Member::new(code, name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1960-01-01"));
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    let case =
        |conn: &mut Connection, member: i64, year, cats: &[HardshipCategory], p, applied: &str| {
            let c = NewCase {
                member_id: member,
                year,
                categories: cats.to_vec(),
                cause: "因病致贫，长期服药".into(),
                family_situation: String::new(),
                family: Vec::new(),
                priority: p,
                applied_on: d(applied),
                note: String::new(),
            };
            open_case_as_clerk(conn, &c)
        };
    use HardshipCategory::*;
    case(
        &mut conn,
        ids[0],
        2026,
        &[Living],
        Priority::Normal,
        "2026-11-01",
    );
    let ls = {
        let c = NewCase {
            member_id: ids[1],
            year: 2026,
            categories: vec![Illness, LowIncome],
            cause: "本人患尿毒症，每周透析三次".into(),
            family_situation: "妻子务农，儿子在读高中".into(),
            family: vec![
                FamilyMember {
                    relation: "妻".into(),
                    name: "王芳".into(),
                    income_fen: 120_000,
                },
                FamilyMember {
                    relation: "子".into(),
                    name: "李小明".into(),
                    income_fen: 0,
                },
            ],
            priority: Priority::Urgent,
            applied_on: d("2026-03-01"),
            note: "本人书面申请".into(),
        };
        open_case_as_clerk(&mut conn, &c)
    };
    approve(&mut conn, ls, "2026-03-05");
    step(&mut conn, ls, "2026-04-01", StepData::Activate, "");
    let m = db::hardship::add_measure(
        &mut conn,
        ls,
        &NewMeasure {
            kind: MeasureKind::Living,
            plan: "每季度送生活物资".into(),
            responsible: "王委员".into(),
            start_date: Some(d("2026-04-01")),
        },
    )
    .unwrap();
    db::hardship::add_action(
        &mut conn,
        m,
        &NewAction {
            date: d("2026-05-01"),
            action: "送慰问金和米面油".into(),
            amount_fen: Some(50_000),
            goods: "米面油".into(),
        },
        d(TODAY),
    )
    .unwrap();
    db::hardship::add_helper(
        &mut conn,
        ls,
        &HelperKind::Member {
            id: ids[0],
            code: "001".into(),
            name: "张三".into(),
        },
        Some(d("2026-04-01")),
    )
    .unwrap();
    db::hardship::add_helper(
        &mut conn,
        ls,
        &HelperKind::Unit("社区居委会".into()),
        Some(d("2026-04-01")),
    )
    .unwrap();
    let stf = case(
        &mut conn,
        ids[2],
        2025,
        &[ElderlyFrail],
        Priority::Key,
        "2025-05-20",
    );
    approve(&mut conn, stf, "2025-06-01");
    let aygl = case(
        &mut conn,
        ids[3],
        2026,
        &[Illness],
        Priority::Normal,
        "2026-11-10",
    );
    step(
        &mut conn,
        aygl,
        "2026-11-20",
        StepData::Review(Votes {
            for_: 9,
            against: 0,
            abstain: 1,
        }),
        "",
    );
    step(
        &mut conn,
        aygl,
        "2026-11-25",
        StepData::Publicize {
            from: d("2026-11-25"),
            to: d("2026-12-01"),
        },
        "",
    );
    let jx = case(
        &mut conn,
        ids[4],
        2025,
        &[Unemployment],
        Priority::Normal,
        "2025-09-01",
    );
    step(
        &mut conn,
        jx,
        "2025-09-10",
        StepData::Reject {
            reason: "民主评议未通过".into(),
            votes: Some(Votes {
                for_: 4,
                against: 7,
                abstain: 1,
            }),
        },
        "",
    );
    Fixture { _dir: dir, path }
}

fn app_on(f: &Fixture, lang: Lang) -> App {
    let config = Config {
        lang,
        ..Config::new(d(TODAY))
    };
    App::new(db::open(&f.path).unwrap(), config).unwrap()
}

fn tab3(f: &Fixture, lang: Lang) -> App {
    let mut app = app_on(f, lang);
    app.handle(key(KeyCode::Char('3')));
    assert_eq!(app.tab(), Tab::Hardship);
    app
}

fn press(app: &mut App, codes: &[KeyCode]) {
    for &c in codes {
        app.handle(key(c));
    }
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
}

/// The names in the list, in its order.
fn names(app: &App) -> Vec<String> {
    app.screen::<HardshipScreen>()
        .rows()
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// Opens the case of `name` from the list.
fn open_case(app: &mut App, name: &str) {
    let i = names(app).iter().position(|n| n == name).unwrap();
    press(app, &[KeyCode::Home]);
    for _ in 0..i {
        app.handle(key(KeyCode::Down));
    }
    app.handle(key(KeyCode::Enter));
    assert_eq!(
        app.screen::<HardshipScreen>().detail().unwrap().row.name,
        name
    );
}

/// The hardship form on top of the stack.
fn hardship_form(app: &App) -> Option<&HardshipForm> {
    match app.popups().last() {
        Some(Popup::Hardship(f)) => Some(f),
        _ => None,
    }
}

fn form(app: &App) -> &Form {
    hardship_form(app).expect("a hardship form").form()
}

/// The options of the menu on top of the stack.
fn menu_options(app: &App) -> Vec<String> {
    match app.popups().last() {
        Some(Popup::Menu { menu, .. }) => menu.options.clone(),
        other => panic!("no menu on top: {other:?}"),
    }
}

#[test]
fn list_by_priority_then_pinyin_with_counts_filters_and_search() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    // 特困, 重点, then 一般 in pinyin order.
    assert_eq!(
        names(&app),
        ["李四", "单田芳", "阿依古丽·买买提", "𠮷祥", "张三"]
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_list_zh", text);
    assert!(text.contains("申请1 评议0 公示1 申报0 通过1 驳回1 帮扶1 脱困0 终止0  共 5 份"));
    // The overdue review is marked, the running notice shows its end.
    assert!(text.contains("!年审 2026-06-16"), "{text}");
    assert!(text.contains("公示至2026-12-01"));
    assert!(text.contains("多帮一2"));

    // F6: by state, 个人申请 first; the counts stay those of every state.
    app.handle(key(KeyCode::F(6)));
    assert_eq!(names(&app), ["张三"]);
    assert!(text_of(&app).contains("状态 个人申请"));
    app.handle(key(KeyCode::Char('f')));
    assert!(names(&app).is_empty());
    // F5: by year (newest first); c/F8 by category; p/F9 by priority.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(5)));
    assert_eq!(names(&app), ["李四", "阿依古丽·买买提", "张三"]);
    app.handle(key(KeyCode::F(5)));
    assert_eq!(names(&app), ["单田芳", "𠮷祥"]);
    app.handle(key(KeyCode::Esc));
    press(&mut app, &[KeyCode::F(8); 4]); // 生活困难, 鳏寡孤独, 年老体弱, 因病
    assert_eq!(names(&app), ["李四", "阿依古丽·买买提"]);
    assert!(text_of(&app).contains("类型 因病"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(9)));
    assert_eq!(names(&app), ["李四"]);
    app.handle(key(KeyCode::Esc));
    // `/`: incremental, by initials.
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "ay");
    assert_eq!(names(&app), ["阿依古丽·买买提"]);
    // Enter on a search that leaves one case opens it.
    app.handle(key(KeyCode::Enter));
    assert!(app.screen::<HardshipScreen>().detail().is_some());
}

#[test]
fn list_in_english() {
    let f = fixture();
    let app = tab3(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_list_en", text);
    assert!(text.contains("!rev. 2026-06-16"));
}

#[test]
fn detail_shows_the_history_and_only_the_allowed_steps() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_detail_zh", text);
    assert!(text.contains("妻 王芳 1200.00元、子 李小明 0.00元；月收入合计 1200.00 元"));
    assert!(text.contains("赞成 12 反对 1 弃权 0；支部党员大会"));
    assert!(text.contains("可办理：已脱困 · 终止"));
    assert!(text.contains("多帮一：张三、社区居委会"));
    // Scrolling: the measures, reviews and visits further down.
    app.handle(key(KeyCode::PageDown));
    let text = text_of(&app);
    assert!(
        text.contains("2026-05-01 送慰问金和米面油 500.00元 米面油"),
        "{text}"
    );
    assert!(text.contains("下次年审 2027-03-20"));
    assert!(text.contains("社区居委会（单位）  自 2026-04-01"));
    // The step menu offers what may follow 帮扶中, nothing else.
    app.handle(key(KeyCode::F(5)));
    assert_eq!(menu_options(&app), ["已脱困", "终止"]);
}

#[test]
fn detail_in_english() {
    let f = fixture();
    let mut app = tab3(&f, Lang::En);
    open_case(&mut app, "李四");
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_detail_en", text);
    assert!(text.contains("Allowed next: Resolved · Closed"));
}

#[test]
fn a_failed_vote_is_refused_beside_the_votes_and_no_step_is_skipped() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "张三");
    assert!(text_of(&app).contains("可办理：民主评议 · 驳回 · 终止"));
    app.handle(key(KeyCode::F(5)));
    // 公示 and the rest cannot be offered after an application.
    assert_eq!(menu_options(&app), ["民主评议", "驳回", "终止"]);
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(form(&app).focused_key(), "votes_for");
    type_str(&mut app, "5");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "6");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "1");
    assert_eq!(
        form(&app).error_of("votes_for"),
        Some("赞成 5 票未超过投票 12 人的半数：评议未通过，应登记驳回")
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_step_failed_vote_zh", text);
    // Saving is refused; the case stays 个人申请.
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_some());
    assert_eq!(app.status().unwrap().kind, StatusKind::Error);
    let c = db::hardship::list(app.conn(), &Default::default()).unwrap();
    assert_eq!(
        c.iter().find(|c| c.name == "张三").unwrap().state,
        CaseState::Applied
    );
    // Focus went back to the votes for; eight of fifteen pass.
    assert_eq!(form(&app).focused_key(), "votes_for");
    press(&mut app, &[KeyCode::Backspace]);
    type_str(&mut app, "8");
    assert_eq!(form(&app).error_of("votes_for"), None);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    let text = text_of(&app);
    assert!(text.contains("民主评议"), "{text}");
    assert!(text.contains("赞成 8 反对 6 弃权 1"));
    assert!(text.contains("可办理：公示 · 驳回 · 终止"));

    // The notice: shorter than 5 days is refused beside its end.
    app.handle(key(KeyCode::F(5)));
    assert_eq!(menu_options(&app), ["公示", "驳回", "终止"]);
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(form(&app).text_of("public_to"), "2026-12-02");
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "11-30");
    assert_eq!(
        form(&app).error_of("public_to"),
        Some("公示 3 天，不少于 5 天：最早至 2026-12-02")
    );
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "12-02");
    assert_eq!(form(&app).error_of("public_to"), None);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    // Submitting before the notice ends is refused beside the date.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    assert_eq!(
        form(&app).error_of("date"),
        Some("公示期至 2026-12-02 结束，逐级申报须在其后（2026-12-03 起）")
    );
}

#[test]
fn a_short_notice_in_english() {
    let f = fixture();
    let mut app = tab3(&f, Lang::En);
    open_case(&mut app, "张三");
    // 驳回 after an application may carry the failed vote.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('2')));
    let keys: Vec<&str> = form(&app).fields().iter().map(|f| f.key).collect();
    assert_eq!(
        keys,
        [
            "date",
            "reason",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "note"
        ]
    );
    app.handle(key(KeyCode::Esc));
    // A vote, then a notice of two days.
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    type_str(&mut app, "9");
    app.handle(key(KeyCode::F(9)));
    app.handle(key(KeyCode::F(5)));
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Tab));
    press(&mut app, &[KeyCode::Backspace; 5]);
    type_str(&mut app, "11-29");
    assert_eq!(
        form(&app).error_of("public_to"),
        Some("a notice of 2 days; at least 5: until 2026-12-02 or later")
    );
    let text = text_of(&app);
    insta::assert_snapshot!("hardship_step_short_notice_en", text);
}

#[test]
fn a_new_case_and_the_duplicate_refused_with_its_reason() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    app.handle(key(KeyCode::F(2)));
    assert_eq!(form(&app).focused_key(), "member");
    assert_eq!(form(&app).text_of("year"), "2026");
    assert_eq!(form(&app).text_of("applied_on"), TODAY);
    // 张三 already has a 2026 case.
    type_str(&mut app, "zs");
    app.handle(key(KeyCode::Enter)); // takes the candidate
    assert_eq!(form(&app).text_of("member"), "001 张三");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]); // to the categories
    assert_eq!(form(&app).focused_key(), "categories");
    app.handle(key(KeyCode::Char(' ')));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_some(), "refused: the form stays");
    let msg = "张三 已有 2026 年度的困难台账（个人申请）：每人每年一份，请在原台账上办理";
    assert_eq!(form(&app).message.as_deref(), Some(msg));
    assert_eq!(app.status().unwrap().text, msg);
    assert!(text_of(&app).contains("张三 已有 2026 年度的困难台账"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter)); // discard the input

    // 赵六: a new case with two in the family, incomes typed in yuan.
    app.handle(key(KeyCode::Char('n')));
    type_str(&mut app, "zl");
    app.handle(key(KeyCode::Enter));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    // No category ticked: refused beside the check list.
    app.handle(key(KeyCode::F(9)));
    assert_eq!(
        form(&app).error_of("categories"),
        Some("至少选一种困难类型")
    );
    assert_eq!(form(&app).focused_key(), "categories");
    press(&mut app, &[KeyCode::Right, KeyCode::Right, KeyCode::Right]);
    app.handle(key(KeyCode::Char(' '))); // 因病
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "肺癌化疗");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_str(&mut app, "妻 刘梅");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "１,2３4.5x");
    assert_eq!(
        form(&app).error_of("inc1"),
        Some("不是有效金额：请写作 200 或 1234.56（单位：元）")
    );
    app.handle(key(KeyCode::Backspace));
    assert_eq!(form(&app).error_of("inc1"), None);
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "子 赵小");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "-5");
    assert_eq!(form(&app).error_of("inc2"), Some("月收入不能为负"));
    press(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    assert_eq!(
        app.status().unwrap().text,
        "已建立困难台账：赵六（007）2026 年度"
    );
    let row = app
        .screen::<HardshipScreen>()
        .rows()
        .iter()
        .find(|r| r.name == "赵六")
        .cloned()
        .unwrap();
    assert_eq!(row.state, CaseState::Applied);
    assert_eq!(row.categories, [HardshipCategory::Illness]);
    let detail = db::hardship::detail(app.conn(), row.id).unwrap().unwrap();
    assert_eq!(detail.cause, "肺癌化疗");
    assert_eq!(
        detail
            .family
            .iter()
            .map(|m| (m.relation.as_str(), m.name.as_str(), m.income_fen))
            .collect::<Vec<_>>(),
        [("妻", "刘梅", 123_450), ("子", "赵小", 0)]
    );
}

#[test]
fn saving_a_review_moves_the_due_date_on() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "单田芳");
    assert!(text_of(&app).contains("下次年审 2026-06-16（已逾期 165 天）"));
    app.handle(key(KeyCode::Char('r')));
    let text = text_of(&app);
    assert!(
        text.contains("应于 2026-06-16 年审（已逾期 165 天）"),
        "{text}"
    );
    assert_eq!(form(&app).text_of("date"), TODAY);
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_str(&mut app, "生活仍困难");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert_eq!(
        app.status().unwrap().text,
        "已登记年审：单田芳（003）2025 年度；下次年审 2027-11-28"
    );
    let text = text_of(&app);
    assert!(text.contains("下次年审 2027-11-28"), "{text}");
    app.handle(key(KeyCode::Esc));
    assert!(text_of(&app).contains("年审 2027-11-28"));
    // 已脱困 at a review needs 帮扶中 first: refused beside the outcome.
    open_case(&mut app, "单田芳");
    app.handle(key(KeyCode::F(6)));
    press(&mut app, &[KeyCode::Tab, KeyCode::Right]);
    assert_eq!(
        form(&app).error_of("outcome"),
        Some("台账尚未「帮扶中」：请先登记帮扶中，不跳过步骤")
    );
}

#[test]
fn overview_enter_on_a_review_row_opens_the_review_form() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.wait_ready();
    let i = {
        let ov = app.screen::<OverviewScreen>();
        let rep = ov.report().unwrap();
        ov.rows()
            .iter()
            .position(|r| *rep.kind(r) == ObligationKind::HardshipReview)
            .expect("a hardship_review row")
    };
    for _ in 0..i {
        app.handle(key(KeyCode::Down));
    }
    app.handle(key(KeyCode::Enter));
    let t = screen(draw(&app).backend().buffer());
    assert!(t.contains("年审：单田芳（003）2025 年度"), "{t}");
    assert!(matches!(hardship_form(&app), Some(HardshipForm::Review(_))));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    // The Overview recomputed: the review is no longer owed.
    let ov = app.screen::<OverviewScreen>();
    let rep = ov.report().unwrap();
    assert!(
        !ov.rows()
            .iter()
            .any(|r| *rep.kind(r) == ObligationKind::HardshipReview)
    );
}

#[test]
fn a_visit_from_the_case_shows_in_its_visits() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    app.handle(key(KeyCode::Char('v')));
    let rf = app.record_form().expect("a visit form");
    assert_eq!(rf.member().unwrap().name, "李四");
    assert_eq!(rf.form.text_of("notes"), "困难党员走访");
    type_str(&mut app, "王委员");
    app.handle(key(KeyCode::F(9)));
    assert!(app.record_form().is_none());
    press(&mut app, &[KeyCode::PageDown, KeyCode::PageDown]);
    let text = text_of(&app);
    assert!(
        text.contains("2026-11-28 家访     王委员       困难党员走访"),
        "{text}"
    );
}

#[test]
fn help_pairing_and_measures_from_the_detail() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "单田芳");
    // No measure yet: the log cannot be written.
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none());
    assert!(app.status().unwrap().text.contains("先按 m 或 F8 登记措施"));
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Right)); // 生活帮扶
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "每月送药");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    app.handle(key(KeyCode::Char('a')));
    type_str(&mut app, "送降压药");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "0");
    assert_eq!(form(&app).error_of("amount"), Some("金额须大于 0"));
    app.handle(key(KeyCode::Backspace));
    type_str(&mut app, "86.5");
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    app.handle(key(KeyCode::F(11)));
    type_str(&mut app, "ls");
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    let text = text_of(&app);
    assert!(text.contains("一帮一：李四"), "{text}");
    app.handle(key(KeyCode::PageDown));
    let text = text_of(&app);
    assert!(text.contains("1. 生活帮扶：每月送药"), "{text}");
    assert!(text.contains("2026-11-28 送降压药 86.50元"));
}

#[test]
fn the_member_detail_lists_the_cases() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "ls");
    app.handle(key(KeyCode::Enter));
    assert!(matches!(
        app.screen::<MembersScreen>().view(),
        guanhuai::ui::screens::members::View::Detail(_)
    ));
    let text = text_of(&app);
    assert!(text.contains("困难台账      2026 帮扶中"), "{text}");
}

#[test]
fn editing_a_case_keeps_its_member_year_and_steps() {
    let f = fixture();
    let mut app = tab3(&f, Lang::Zh);
    open_case(&mut app, "李四");
    app.handle(key(KeyCode::F(4)));
    let fm = form(&app);
    assert_eq!(fm.title, "修改困难台账：李四（002）2026 年度");
    let keys: Vec<&str> = fm.fields().iter().map(|f| f.key).collect();
    assert!(!keys.contains(&"member") && !keys.contains(&"year"));
    assert_eq!(fm.text_of("fam1"), "妻 王芳");
    assert_eq!(fm.text_of("inc1"), "1200.00");
    assert_eq!(fm.text_of("fam2"), "子 李小明");
    assert!(fm.checks_of("categories")[3]);
    // The wife's income corrected, the priority lowered to 重点.
    let fm_focus = |app: &App| form(app).focused_key();
    while fm_focus(&app) != "inc1" {
        app.handle(key(KeyCode::Tab));
    }
    press(&mut app, &[KeyCode::Backspace; 7]);
    type_str(&mut app, "1500");
    while fm_focus(&app) != "priority" {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::F(9)));
    assert!(hardship_form(&app).is_none(), "{:?}", app.status());
    let d = app.screen::<HardshipScreen>().detail().unwrap();
    assert_eq!(d.row.priority, Priority::Key);
    assert_eq!(d.family_income_fen(), 150_000);
    assert_eq!(d.steps.len(), 6, "the steps are never edited");
    assert!(text_of(&app).contains("月收入合计 1500.00 元"));
}
