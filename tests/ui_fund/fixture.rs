//! The help fund's test branch, built through `db::fund` (so the screens
//! stay the same whatever the demo holds), every entry handled by 李会计 and
//! approved by 王书记, every write signed by one clerk; and the keys and
//! look-ups the fund tests share.
#![allow(dead_code)]

pub use crate::common::screen::{ctrl, d, key, text_of};
use guanhuai::db;
use guanhuai::db::audit::Actor;
use guanhuai::db::fund::{NewEntry, NewLoan};
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::settings::Settings;
use guanhuai::domain::vocab::{Direction, Gender};
use guanhuai::ui::app::{App, Config, Popup, Tab};
use guanhuai::ui::popups::fund_forms::FundForm;
use guanhuai::ui::screens::fund::FundScreen;
use guanhuai::ui::widgets::form::Form;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

pub const TODAY: &str = "2026-11-28";
pub const CLERK: &str = "李书记";
pub const HANDLER: &str = "李会计";
pub const APPROVER: &str = "王书记";

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    /// Members by code: 001 张三, 002 李四, 003 王五, 004 赵六.
    pub ids: Vec<i64>,
}

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

pub fn entry(
    conn: &mut Connection,
    date: &str,
    direction: Direction,
    category: &str,
    fen: i64,
    member: Option<i64>,
) -> i64 {
    let e = NewEntry {
        date: d(date),
        direction,
        category: category.into(),
        amount_fen: fen,
        member_id: member,
        handled_by: HANDLER.into(),
        approved_by: APPROVER.into(),
        ..NewEntry::default()
    };
    as_clerk(conn, |tx| db::fund::insert(tx, &e, d(TODAY)).unwrap().id)
}

/// The fund of the tests:
/// - 2026-01-05 财政补贴 ¥20,000.00; 2026-01-20 党员捐助 ¥1,500.00 (张三)
/// - 2026-02-10 救助金 ¥2,000.00 to 张三
/// - 2026-03-05 慰问金 ¥500.00 to 李四, reversed on 2026-03-06
/// - 2026-04-01 a loan of ¥3,000.00 to 赵六 in 6 monthly instalments from
///   2026-05-01, ¥500.00 repaid on 2026-05-03 (five instalments overdue)
/// - 2026-10-10 the 2026-10 subsidy to 张三 and 李四 (no fixed income, 66 years' standing)
/// - the audit of 2026-01-01 to 2026-06-30 by 孙审计
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    for (code, name, poor) in [
        ("001", "张三", true),
        ("002", "李四", true),
        ("003", "王五", false),
        ("004", "赵六", false),
    ] {
        let mut m = Member::new(code, name, d("1960-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.gender = Some(Gender::Male);
        m.birth_date = Some(d("1940-01-01"));
        m.no_fixed_income = poor;
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    entry(
        &mut conn,
        "2026-01-05",
        Direction::In,
        "fiscal",
        2_000_000,
        None,
    );
    entry(
        &mut conn,
        "2026-01-20",
        Direction::In,
        "member_donation",
        150_000,
        Some(ids[0]),
    );
    entry(
        &mut conn,
        "2026-02-10",
        Direction::Out,
        "relief",
        200_000,
        Some(ids[0]),
    );
    let c = entry(
        &mut conn,
        "2026-03-05",
        Direction::Out,
        "condolence",
        50_000,
        Some(ids[1]),
    );
    as_clerk(&mut conn, |tx| {
        db::fund::insert_reversal(tx, c, d("2026-03-06"), "", "金额有误", d(TODAY)).unwrap()
    });
    let loan = NewLoan {
        member_id: ids[3],
        case_id: None,
        principal_fen: 300_000,
        date: d("2026-04-01"),
        first_due: d("2026-05-01"),
        instalments: 6,
        every_months: 1,
        voucher_no: String::new(),
        handled_by: HANDLER.into(),
        approved_by: APPROVER.into(),
        note: String::new(),
    };
    let (loan_id, _) = as_clerk(&mut conn, |tx| {
        db::fund::insert_loan(tx, &loan, d(TODAY)).unwrap()
    });
    let repay = NewEntry {
        date: d("2026-05-03"),
        direction: Direction::In,
        category: "loan_repayment".into(),
        amount_fen: 50_000,
        member_id: Some(ids[3]),
        handled_by: HANDLER.into(),
        approved_by: APPROVER.into(),
        ..NewEntry::default()
    };
    as_clerk(&mut conn, |tx| {
        db::fund::insert_repayment(tx, loan_id, &repay, d(TODAY)).unwrap()
    });
    as_clerk(&mut conn, |tx| {
        db::fund::insert_audit(tx, d("2026-01-01"), d("2026-06-30"), "孙审计", "", d(TODAY))
            .unwrap()
    });
    as_clerk(&mut conn, |tx| {
        db::fund::insert_subsidies(
            tx,
            "2026-10",
            d("2026-10-10"),
            HANDLER,
            APPROVER,
            &Settings::default(),
            d(TODAY),
        )
        .unwrap()
    });
    Fixture {
        _dir: dir,
        path,
        ids,
    }
}

pub fn app_on(f: &Fixture, lang: Lang) -> App {
    let config = Config {
        lang,
        ..Config::new(d(TODAY))
    };
    App::new(db::open(&f.path).unwrap(), config).unwrap()
}

pub fn tab5(f: &Fixture, lang: Lang) -> App {
    let mut app = app_on(f, lang);
    app.handle(key(KeyCode::Char('5')));
    assert_eq!(app.tab(), Tab::Fund);
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

pub fn fund(app: &App) -> &FundScreen {
    app.screen::<FundScreen>()
}

/// The vouchers in the list, in its order.
pub fn vouchers(app: &App) -> Vec<String> {
    fund(app)
        .rows()
        .iter()
        .map(|r| r.entry.voucher_no.clone())
        .collect()
}

/// Puts the cursor on the entry of `voucher`.
pub fn select(app: &mut App, voucher: &str) {
    let i = vouchers(app).iter().position(|v| v == voucher).unwrap();
    press(app, &[KeyCode::Home]);
    for _ in 0..i {
        app.handle(key(KeyCode::Down));
    }
    assert_eq!(fund(app).selected().unwrap().entry.voucher_no, voucher);
}

/// The fund popup on top of the stack.
pub fn fund_form(app: &App) -> Option<&FundForm> {
    match app.popups().last() {
        Some(Popup::Fund(f)) => Some(f),
        _ => None,
    }
}

pub fn form(app: &App) -> &Form {
    fund_form(app).and_then(|f| f.form()).expect("a fund form")
}

/// Moves the focus of the form on top to field `key` with Tab.
pub fn focus(app: &mut App, field: &str) {
    for _ in 0..20 {
        if form(app).focused_key() == field {
            return;
        }
        app.handle(key(KeyCode::Tab));
    }
    panic!("no field {field}");
}

/// Types `s` into field `field` of the form on top.
pub fn fill(app: &mut App, field: &str, s: &str) {
    focus(app, field);
    type_str(app, s);
}

pub fn status_text(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}
