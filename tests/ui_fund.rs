//! The help fund (帮扶基金, tab 5) drawn into a `TestBackend` at 80x24: the
//! list with the balance and the chain's state, its filters and totals, a
//! reversal beside its original, the income and payment forms and their
//! errors, the loans, the subsidy batch's preview and the audit report, in
//! Chinese and in English.

mod common;
#[path = "ui_fund/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Popup, StatusKind};
use guanhuai::ui::popups::fund_forms::FundForm;
use guanhuai::ui::screens::fund::View;
use ratatui::crossterm::event::KeyCode;

/// The screen with the OS user (who closed an audit) written as `<user>`,
/// the line padded back to its border.
fn without_os_user(text: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let user = db::audit::os_user();
    text.lines()
        .map(|l| match l.find("操作人：") {
            Some(i) if l.contains(&user) => {
                let head = format!("{}<user>", &l[..i + "操作人：".len()]);
                format!("{head}{}│", " ".repeat(79 - head.width()))
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn list_shows_balance_chain_entries_reversal_beside_and_totals() {
    let f = fixture();
    let app = tab5(&f, Lang::Zh);
    let text = text_of(&app);
    insta::assert_snapshot!("fund_list_zh", text);
    // 20,000 + 1,500 − 2,000 − 500 + 500 − 3,000 + 500 − 2 × 80.
    assert!(text.contains("余额 ¥16,840.00"), "{text}");
    assert!(text.contains("账目链完整"));
    // The reversal is listed right after the entry it reverses, both marked.
    let v = vouchers(&app);
    let rows = fund(&app).rows();
    let at = rows.iter().position(|r| r.reversed_by.is_some()).unwrap();
    assert_eq!(rows[at + 1].entry.reverses_id, Some(rows[at].entry.id));
    assert_eq!(v.len(), 9);
    let lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| l.contains("已冲销")).unwrap();
    assert!(lines[i + 1].contains("冲销") && lines[i + 1].contains("¥500.00"));
    assert!(text.contains("收入 ¥22,500.00  支出 ¥5,660.00"), "{text}");
    // F7: the selected entry's log (who wrote it, from which form).
    let mut app = app;
    app.handle(key(KeyCode::F(7)));
    assert!(matches!(app.popups().last(), Some(Popup::Log(_))));
    assert!(text_of(&app).contains(CLERK), "{}", text_of(&app));
}

#[test]
fn list_in_english() {
    let f = fixture();
    let app = tab5(&f, Lang::En);
    let text = text_of(&app);
    insta::assert_snapshot!("fund_list_en", text);
    assert!(text.contains("Balance ¥16,840.00"));
    assert!(text.contains("chain intact"));
    assert!(text.contains("reversed"));
}

#[test]
fn filters_narrow_the_list_and_its_totals() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    // d/F8: income only.
    app.handle(key(KeyCode::F(8)));
    assert!(
        fund(&app)
            .rows()
            .iter()
            .all(|r| r.entry.direction == guanhuai::domain::vocab::Direction::In)
    );
    assert!(text_of(&app).contains("方向 收入"));
    // c/F9: 财政补贴.
    app.handle(key(KeyCode::F(9)));
    assert_eq!(fund(&app).rows().len(), 1);
    assert!(text_of(&app).contains("收入 ¥20,000.00  支出 ¥0.00"));
    app.handle(key(KeyCode::Esc));
    assert_eq!(fund(&app).rows().len(), 9);
    // t/F6: this month (none in November), this year, the audited period.
    app.handle(key(KeyCode::F(6)));
    assert!(fund(&app).rows().is_empty());
    app.handle(key(KeyCode::F(6)));
    assert_eq!(fund(&app).rows().len(), 9);
    app.handle(key(KeyCode::F(6)));
    assert!(text_of(&app).contains("期间 2026-01-01~2026-06-30"));
    assert_eq!(fund(&app).rows().len(), 7);
    app.handle(key(KeyCode::Esc));
    // `/`: a member by initials.
    app.handle(key(KeyCode::Char('/')));
    type_str(&mut app, "zs");
    let rows = fund(&app).rows();
    assert_eq!(rows.len(), 3, "{:?}", vouchers(&app));
    assert!(
        rows.iter()
            .all(|r| r.member_name.as_deref() == Some("张三"))
    );
}

#[test]
fn income_then_payment_move_the_balance_in_the_header() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::F(2)));
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
fn subsidy_batch_previews_then_pays_only_the_members_missing() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::Char('s')));
    focus(&mut app, "month");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-11");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    app.handle(key(KeyCode::F(9)));
    assert!(matches!(fund_form(&app), Some(FundForm::Preview(_))));
    let text = text_of(&app);
    insta::assert_snapshot!("fund_subsidy_preview_zh", text);
    assert!(text.contains("本次发放 2 人，合计 ¥160.00"));
    assert!(text.contains("张三") && text.contains("李四"));
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(status_text(&app).contains("2 人"));
    assert!(text_of(&app).contains("余额 ¥16,680.00"));

    // A member who becomes eligible: the second run pays only them.
    {
        let mut conn = db::open(&f.path).unwrap();
        let mut m = db::members::get(&conn, f.ids[2]).unwrap().unwrap();
        m.no_fixed_income = true;
        db::members::save(&mut conn, &m).unwrap();
    }
    app.handle(key(KeyCode::Char('s')));
    focus(&mut app, "month");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-11");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    assert!(
        text.contains("本次发放 1 人") && text.contains("本月已发 2 人"),
        "{text}"
    );
    assert!(text.contains("王五") && !text.contains("张三"));
    app.handle(key(KeyCode::Enter));
    assert!(status_text(&app).contains("1 人"));
    let conn = db::open(&f.path).unwrap();
    let paid = db::fund::entries(&conn)
        .unwrap()
        .into_iter()
        .filter(|e| e.subsidy_month.as_deref() == Some("2026-11"))
        .count();
    assert_eq!(paid, 3);
    // A third run has nobody to pay: confirming is refused.
    app.handle(key(KeyCode::Char('s')));
    focus(&mut app, "month");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-11");
    fill(&mut app, "handled", HANDLER);
    fill(&mut app, "approved", APPROVER);
    app.handle(key(KeyCode::F(9)));
    assert!(text_of(&app).contains("已全部发放"));
    app.handle(key(KeyCode::F(9)));
    assert!(fund_form(&app).is_some());
}

#[test]
fn the_audit_report_shows_the_figures_and_the_chain_head() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(ctrl('r'));
    assert_eq!(fund(&app).view(), View::Audits);
    assert!(text_of(&app).contains("2026-01-01 ~ 2026-06-30"));
    app.handle(key(KeyCode::Enter));
    // Who closed it is the OS user: not the same on every machine.
    let text = without_os_user(&text_of(&app));
    insta::assert_snapshot!("fund_audit_report_zh", text);
    assert!(text.contains("期初余额") && text.contains("期末余额"));
    assert!(text.contains("相符"));
    assert!(text.contains("与结账时一致"));
    let conn = db::open(&f.path).unwrap();
    let head = &db::fund::audits(&conn).unwrap()[0].chain_head;
    assert!(text.contains(head.as_str()));
}

#[test]
fn an_audit_is_previewed_then_closed_and_locks_its_period() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(ctrl('r'));
    app.handle(key(KeyCode::F(2)));
    // Proposed: the day after the last audit to the end of last month.
    assert_eq!(form(&app).text_of("from"), "2026-07-01");
    assert_eq!(form(&app).text_of("to"), "2026-10-31");
    fill(&mut app, "auditor", "孙审计");
    app.handle(key(KeyCode::F(9)));
    let text = text_of(&app);
    assert!(text.contains("审计报告预览"), "{text}");
    assert!(text.contains("生活补贴"));
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert_eq!(fund(&app).audits().len(), 2);
    // An income dated in it is now refused beside the date.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::F(2)));
    focus(&mut app, "date");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-08-01");
    assert!(
        form(&app)
            .error_of("date")
            .unwrap_or_default()
            .contains("2026-07-01 至 2026-10-31"),
        "{}",
        text_of(&app)
    );
}

#[test]
fn loans_list_outstanding_and_overdue_and_take_a_repayment() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(key(KeyCode::F(11)));
    let text = text_of(&app);
    assert!(
        text.contains("赵六") && text.contains("¥2,500.00"),
        "{text}"
    );
    assert!(text.contains("5 期"), "{text}");
    app.handle(key(KeyCode::Enter));
    let text = text_of(&app);
    insta::assert_snapshot!("fund_loan_schedule_zh", text);
    assert!(text.contains("逾期未还") && text.contains("已还"));
    app.handle(key(KeyCode::F(5)));
    assert!(form(&app).title.contains("借款还款：赵六"));
    assert_eq!(form(&app).text_of("amount"), "500.00");
    fill(&mut app, "handled", HANDLER);
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(text_of(&app).contains("¥2,000.00"));
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

#[test]
fn the_overview_loan_row_opens_the_repayment_form() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    let text = text_of(&app);
    assert!(text.contains("赵六"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    // The first overdue instalment's row; the cursor starts on the first row.
    let row = lines
        .iter()
        .position(|l| l.contains("赵六") && l.contains("借款还款"))
        .unwrap();
    let first = lines.iter().position(|l| l.contains("2020-12-31")).unwrap();
    for _ in first..row {
        app.handle(key(KeyCode::Down));
    }
    app.handle(key(KeyCode::Enter));
    assert!(
        form(&app).title.contains("借款还款：赵六"),
        "{}",
        text_of(&app)
    );
}

#[test]
fn the_chain_turns_broken_after_an_update_behind_the_programs_back() {
    let f = fixture();
    let mut app = tab5(&f, Lang::Zh);
    assert!(text_of(&app).contains("账目链完整"));
    {
        let conn = rusqlite::Connection::open(&f.path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER fund_entries_no_update;
             UPDATE fund_entries SET amount_fen = 10 WHERE voucher_no = '2026-0003';",
        )
        .unwrap();
    }
    // Shown again (another tab and back): the tab says so.
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Char('5')));
    let text = text_of(&app);
    assert!(
        text.contains("账目链被改动：第 3 条（凭证 2026-0003，2026-02-10）"),
        "{text}"
    );
}

#[test]
fn the_notice_and_an_audit_report_are_written_to_files() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut app = tab5(&f, Lang::Zh);
    app.handle(ctrl('g'));
    assert!(form(&app).title.contains("救助公示"));
    let notice = dir.path().join("公示.txt");
    focus(&mut app, "file");
    app.handle(ctrl('u'));
    type_str(&mut app, notice.to_str().unwrap());
    focus(&mut app, "from");
    app.handle(ctrl('u'));
    type_str(&mut app, "2026-01-01");
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    assert!(
        status_text(&app).contains("已写入救助公示：4 笔"),
        "{}",
        status_text(&app)
    );
    let text = std::fs::read_to_string(&notice).unwrap();
    // The relief, the loan and the two subsidies stand; the reversed 慰问金 is left out.
    assert!(
        text.contains("张三") && text.contains("2026-0003"),
        "{text}"
    );
    assert!(!text.contains("2026-0004"), "{text}");

    app.handle(ctrl('r'));
    app.handle(key(KeyCode::F(6)));
    let report = dir.path().join("report.txt");
    focus(&mut app, "file");
    app.handle(ctrl('u'));
    type_str(&mut app, report.to_str().unwrap());
    app.handle(key(KeyCode::F(9)));
    assert!(status_text(&app).contains("审计报告 2026-01-01 至 2026-06-30"));
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("17,000.00"), "{text}");
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
