//! The hardship ledger's test branch, built through `db::hardship` (so the
//! screens stay the same whatever the demo holds), and the keys and
//! look-ups the hardship tests share; `ui_hardship.rs` and
//! `ui_hardship_forms.rs` use it.
#![allow(dead_code)]

pub use crate::common::screen::{d, key, text_of};
use guanhuai::db;
use guanhuai::db::audit::Actor;
use guanhuai::db::hardship::{FamilyMember, HelperKind, NewAction, NewCase, NewMeasure};
use guanhuai::domain::Lang;
use guanhuai::domain::hardship::{StepData, StepRequest, Votes};
use guanhuai::domain::member::Member;
use guanhuai::domain::vocab::{Gender, HardshipCategory, MeasureKind, Priority};
use guanhuai::ui::app::{App, Config, Popup, Tab};
use guanhuai::ui::popups::hardship_forms::HardshipForm;
use guanhuai::ui::screens::hardship::HardshipScreen;
use guanhuai::ui::widgets::form::Form;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

pub const TODAY: &str = "2026-11-28";

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

/// The clerk who recorded the fixture's steps (the OS user would vary).
pub const CLERK: &str = "李书记";

/// Writes in one transaction signed by [`CLERK`].
pub fn as_clerk<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> T) -> T {
    let actor = Actor {
        user: CLERK.into(),
        action: "test fixture".into(),
    };
    let tx = db::audit::write_tx(conn, &actor).unwrap();
    let v = f(&tx);
    tx.commit().unwrap();
    v
}

pub fn step(conn: &mut Connection, case: i64, date: &str, data: StepData, note: &str) {
    let req = StepRequest {
        date: d(date),
        note: note.into(),
        data,
    };
    as_clerk(conn, |tx| {
        db::hardship::add_step(tx, case, &req, 5, d(TODAY), CLERK).unwrap()
    });
}

pub fn open_case_as_clerk(conn: &mut Connection, c: &NewCase) -> i64 {
    as_clerk(conn, |tx| {
        db::hardship::insert_case(tx, c, CLERK, false).unwrap()
    })
}

/// Up to approval: reviewed, a notice of seven days, submitted, approved.
pub fn approve(conn: &mut Connection, case: i64, from: &str) {
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
pub fn fixture() -> Fixture {
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

pub fn app_on(f: &Fixture, lang: Lang) -> App {
    let config = Config {
        lang,
        ..Config::new(d(TODAY))
    };
    App::new(db::open(&f.path).unwrap(), config).unwrap()
}

pub fn tab3(f: &Fixture, lang: Lang) -> App {
    let mut app = app_on(f, lang);
    app.handle(key(KeyCode::Char('3')));
    assert_eq!(app.tab(), Tab::Hardship);
    app
}

pub fn press(app: &mut App, codes: &[KeyCode]) {
    for &c in codes {
        app.handle(key(c));
    }
}

pub fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
}

/// The names in the list, in its order.
pub fn names(app: &App) -> Vec<String> {
    app.screen::<HardshipScreen>()
        .rows()
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// Opens the case of `name` from the list.
pub fn open_case(app: &mut App, name: &str) {
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
pub fn hardship_form(app: &App) -> Option<&HardshipForm> {
    match app.popups().last() {
        Some(Popup::Hardship(f)) => Some(f),
        _ => None,
    }
}

pub fn form(app: &App) -> &Form {
    hardship_form(app).expect("a hardship form").form()
}

/// The options of the menu on top of the stack.
pub fn menu_options(app: &App) -> Vec<String> {
    match app.popups().last() {
        Some(Popup::Menu { menu, .. }) => menu.options.clone(),
        other => panic!("no menu on top: {other:?}"),
    }
}
