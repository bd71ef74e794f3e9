//! The help fund (帮扶基金, tab 5) drawn into a `TestBackend` at 80x24: the
//! list with the balance and the chain's state (and the chain found broken
//! after an edit behind the program's back), its filters and totals, a
//! reversal beside its original, the loans, the subsidy batch's preview, the
//! audit report and closing a period, the notice and report files, and the
//! Overview's loan row. The forms are in `ui_fund_forms.rs`.

mod common;
#[path = "ui_fund/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::Popup;
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
    app.handle(key(KeyCode::Enter)); // 1. 收入 of the new-entry menu
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
    // a part repayment: the instalment it falls on says what it still owes,
    // and the list's overdue figure is what is owed, not the instalments' sum
    app.handle(key(KeyCode::F(5)));
    focus(&mut app, "amount");
    for _ in 0..10 {
        app.handle(key(KeyCode::Backspace));
    }
    type_str(&mut app, "200");
    fill(&mut app, "handled", HANDLER);
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    let text = text_of(&app);
    assert!(text.contains("逾期未还（尚欠 ¥300.00）"), "{text}");
    app.handle(key(KeyCode::Esc));
    let text = text_of(&app);
    let row = text
        .lines()
        .find(|l| l.contains("赵六"))
        .unwrap_or_default();
    assert!(row.contains("4 期 ¥1,800.00"), "{text}");
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
