//! The help fund's forms (帮扶基金, tab 5) at 80x24: an income and a
//! payment moving the balance in the header, amounts refused beside the
//! field (malformed, zero, negative, three decimals, more than the balance on
//! any later day), a date in an audited period, a reversal confirmed and
//! refused a second time, a loan with its schedule, and a visit with 慰问金
//! writing its linked payment in the visit's transaction. The list, the
//! loans, the batches and the audits are in `ui_fund.rs`.

mod common;
#[path = "ui_fund/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Popup, StatusKind};
use ratatui::crossterm::event::KeyCode;

#[test]
fn income_then_payment_move_the_balance_in_the_header() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::F(2)));
    app.handle(key(KeyCode::Enter)); // 1. 收入 of the new-entry menu
    assert!(form(&app).title.contains("登记收入"));
    // Social donation (社会捐赠): the fourth category.
    focus(&mut app, "category");
    press(&mut app, &[KeyCode::Right; 3]);
    fill(&mut app, "amount", "１,０００.５");
    fill(&mut app, "handled", HANDLER);
    app.handle(key(KeyCode::F(9)));
    assert!(fund_form(&app).is_none(), "{}", text_of(&app));
    let text = text_of(&app);
    assert!(text.contains("余额 ¥17,840.50"), "{text}");
    assert!(
        status_text(&app).contains("2026-0010"),
        "{}",
        status_text(&app)
    );
    assert_eq!(fund(&app).selected().unwrap().entry.amount_fen, 100_050);

    // A payment of 救助金 to 王五 by initials.
    app.handle(key(KeyCode::F(5)));
    type_str(&mut app, "ww");
    app.handle(key(KeyCode::Enter));
    fill(&mut app, "amount", "840.5");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    app.handle(key(KeyCode::F(9)));
    assert!(fund_form(&app).is_none(), "{}", text_of(&app));
    assert!(text_of(&app).contains("余额 ¥17,000.00"));
    let sel = fund(&app).selected().unwrap();
    assert_eq!(sel.member_name.as_deref(), Some("王五"));
    assert_eq!(sel.entry.category, "relief");
}

#[test]
fn a_payment_larger_than_the_balance_is_refused_beside_the_amount() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::F(5)));
    type_str(&mut app, "003");
    fill(&mut app, "amount", "20000");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    let err = form(&app).error_of("amount").unwrap().to_string();
    assert!(err.contains("¥16,840.00"), "{err}");
    insta::assert_snapshot!("fund_payment_too_large_zh", text_of(&app));
    app.handle(key(KeyCode::F(9)));
    // Refused: the form stays with the input, nothing written.
    assert!(fund_form(&app).is_some());
    assert_eq!(form(&app).text_of("amount"), "20000");
    let conn = db::open(&f.path).unwrap();
    assert_eq!(db::fund::entries(&conn).unwrap().len(), 9);

    // Dated back to February, a smaller payment still breaks a later day.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(5)));
    type_str(&mut app, "003");
    focus(&mut app, "date");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-07-01");
    fill(&mut app, "amount", "17000");
    assert!(form(&app).error_of("amount").is_some());
    // A date inside the audited period is refused beside the date.
    focus(&mut app, "date");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-03-01");
    fill(&mut app, "amount", "");
    let err = form(&app).error_of("date").unwrap_or_default().to_string();
    assert!(err.contains("已审计结账"), "{err}");
}

#[test]
fn malformed_zero_and_three_decimal_amounts_are_refused_beside_the_field() {
    let f = fixture();
    let mut app = tab5(&f, Lang::En);
    app.handle(key(KeyCode::F(2)));
    app.handle(key(KeyCode::Enter)); // 1. 收入 of the new-entry menu
    for (typed, says) in [
        ("12a", "not an amount"),
        ("0", "above zero"),
        ("-5", "above zero"),
        ("1.234", "two decimals"),
    ] {
        focus(&mut app, "amount");
        app.handle(ctrl('u'));
        type_str(&mut app, typed);
        let err = form(&app)
            .error_of("amount")
            .unwrap_or_default()
            .to_string();
        assert!(err.contains(says), "{typed}: {err}");
    }
    insta::assert_snapshot!("fund_income_bad_amount_en", text_of(&app));
    // A payment of condolence money names the member.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::F(5)));
    focus(&mut app, "category");
    app.handle(key(KeyCode::Right));
    assert!(
        form(&app)
            .error_of("member")
            .unwrap_or_default()
            .contains("pick the member")
    );
}

#[test]
fn a_reversal_is_confirmed_shown_beside_its_original_and_refused_a_second_time() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    select(&mut app, "2026-0003");
    app.handle(key(KeyCode::Delete));
    assert!(form(&app).title.contains("冲销：凭证 2026-0003"));
    type_str(&mut app, "重复发放");
    app.handle(key(KeyCode::F(9)));
    // The confirmation names what is reversed.
    assert!(matches!(app.popups().last(), Some(Popup::Confirm { .. })));
    assert!(text_of(&app).contains("确认冲销"));
    app.handle(key(KeyCode::Enter));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    let text = text_of(&app);
    assert!(text.contains("余额 ¥18,840.00"), "{text}");
    let v = vouchers(&app);
    let at = v.iter().position(|x| x == "2026-0003").unwrap();
    assert_eq!(
        fund(&app).rows()[at + 1].reverses.as_deref(),
        Some("2026-0003")
    );
    // Once only: the original and the reversal both refuse.
    select(&mut app, "2026-0003");
    app.handle(key(KeyCode::Char('r')));
    assert!(app.popups().is_empty());
    let s = app.status().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(s.text.contains("每笔只能冲销一次"), "{}", s.text);
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Delete));
    assert!(status_text(&app).contains("本身是冲销"));
}

#[test]
fn a_new_loan_is_a_payment_with_a_schedule() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::F(11)));
    app.handle(key(KeyCode::F(2)));
    type_str(&mut app, "zs");
    app.handle(key(KeyCode::Enter));
    fill(&mut app, "amount", "1200");
    focus(&mut app, "instalments");
    app.handle(ctrl('u'));
    type_str(&mut app, "12");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    assert!(
        form(&app)
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("共 12 期，每期 ¥100.00")
    );
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert_eq!(fund(&app).loans().len(), 2);
    assert!(text_of(&app).contains("余额 ¥15,640.00"));
}

/// The record form on top of the stack.
fn record_form(app: &App) -> &guanhuai::ui::widgets::form::Form {
    match app.popups().last() {
        Some(Popup::RecordForm(f)) => &f.form,
        other => panic!("no record form on top: {other:?}"),
    }
}

fn fill_record(app: &mut App, field: &str, s: &str) {
    for _ in 0..20 {
        if record_form(app).focused_key() == field {
            break;
        }
        app.handle(key(KeyCode::Tab));
    }
    assert_eq!(record_form(app).focused_key(), field);
    app.handle(ctrl('u'));
    type_str(app, s);
}

#[test]
fn a_visit_with_condolence_money_records_the_linked_payment_in_its_transaction() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('4')));
    app.handle(key(KeyCode::Char('n')));
    press(&mut app, &[KeyCode::Down, KeyCode::Enter]);
    type_str(&mut app, "zs");
    app.handle(key(KeyCode::Enter));
    fill_record(&mut app, "visitor", "李书记");
    // More than the balance: refused beside the amount, nothing written.
    fill_record(&mut app, "money", "20000");
    fill_record(&mut app, "money_approved", APPROVER);
    let err = record_form(&app)
        .error_of("money")
        .unwrap_or_default()
        .to_string();
    assert!(
        err.contains("余额不足") && err.contains("¥16,840.00"),
        "{err}"
    );
    app.handle(key(KeyCode::F(9)));
    assert!(matches!(app.popups().last(), Some(Popup::RecordForm(_))));
    let conn = db::open(&f.path).unwrap();
    let visits = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(visits(&conn), 0);
    assert_eq!(db::fund::entries(&conn).unwrap().len(), 9);

    fill_record(&mut app, "money", "300");
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(
        status_text(&app).contains("慰问金 ¥300.00（凭证 2026-0010）"),
        "{}",
        status_text(&app)
    );
    assert_eq!(visits(&conn), 1);
    let (entry_id, member): (i64, i64) = conn
        .query_row(
            "SELECT v.fund_entry_id, f.member_id FROM visits v JOIN fund_entries f ON f.id = v.fund_entry_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(member, f.ids[0]);
    let e = db::fund::entry(&conn, entry_id).unwrap().unwrap();
    assert_eq!((e.category.as_str(), e.amount_fen), ("condolence", 30_000));
    assert_eq!(e.handled_by, "李书记");
    // The fund tab shows it and the lower balance.
    app.handle(key(KeyCode::Char('5')));
    let text = text_of(&app);
    assert!(text.contains("余额 ¥16,540.00"), "{text}");
    assert_eq!(fund(&app).selected().unwrap().entry.id, entry_id);
}

#[test]
fn two_clerks_who_opened_the_income_form_at_once_both_save_with_their_own_vouchers() {
    let f = fixture();
    let mut a = tab5(&f, Lang::Zh);
    let mut b = tab5(&f, Lang::Zh);
    for app in [&mut a, &mut b] {
        app.handle(key(KeyCode::F(2)));
        app.handle(key(KeyCode::Enter)); // 1. 收入 of the new-entry menu
        fill(app, "amount", "10");
        fill(app, "handled", HANDLER);
    }
    // Both were proposed the same number; each is written with a free one.
    assert_eq!(form(&a).text_of("voucher"), "2026-0010");
    assert_eq!(form(&b).text_of("voucher"), "2026-0010");
    a.handle(key(KeyCode::F(9)));
    b.handle(key(KeyCode::F(9)));
    assert!(fund_form(&a).is_none(), "{}", text_of(&a));
    assert!(fund_form(&b).is_none(), "{}", text_of(&b));
    assert!(status_text(&a).contains("2026-0010"), "{}", status_text(&a));
    assert!(status_text(&b).contains("2026-0011"), "{}", status_text(&b));

    // A number the clerk typed is kept as typed, and refused when taken.
    a.handle(key(KeyCode::F(2)));
    a.handle(key(KeyCode::Enter)); // 1. 收入 of the new-entry menu
    focus(&mut a, "voucher");
    a.handle(ctrl('u'));
    type_str(&mut a, "2026-0011");
    fill(&mut a, "amount", "10");
    fill(&mut a, "handled", HANDLER);
    a.handle(key(KeyCode::F(9)));
    assert!(fund_form(&a).is_some());
    assert!(
        form(&a)
            .error_of("voucher")
            .unwrap_or_default()
            .contains("已有凭证号"),
        "{}",
        text_of(&a)
    );
    let conn = db::open(&f.path).unwrap();
    assert_eq!(db::fund::entries(&conn).unwrap().len(), 11);
}
