//! The audit report (审计报告) as lines of text: the period, the opening
//! balance, income and payments by category, the closing balance, the chain
//! head it closed on, and whether the entries add up — for a closed audit
//! (its stored figures, checked against the entries now) and for the preview
//! before a period is closed.

use rusqlite::Connection;

use crate::db;
use crate::db::fund::Audit;
use crate::domain::Lang;
use crate::domain::fund::{AuditFigures, audit_figures, category_label};
use crate::domain::money::format_money;
use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory};
use crate::ui::text;

/// Width of the labels' column.
const LABEL_W: usize = 18;
/// Width of the amounts' column.
const AMOUNT_W: usize = 16;

fn row(label: &str, fen: i64) -> String {
    format!(
        "  {}{}",
        text::pad_right(label, LABEL_W),
        text::pad_left(&format_money(fen), AMOUNT_W)
    )
}

/// Categories in the order of their vocabulary (财政补贴 before 党费划拨 …).
fn in_order(v: &[(String, i64)], d: Direction) -> Vec<&(String, i64)> {
    let codes: Vec<&str> = match d {
        Direction::In => IncomeCategory::ALL.iter().map(|c| c.code()).collect(),
        Direction::Out => ExpenseCategory::ALL.iter().map(|c| c.code()).collect(),
    };
    let mut out: Vec<&(String, i64)> = v.iter().collect();
    out.sort_by_key(|(c, _)| codes.iter().position(|x| x == c).unwrap_or(usize::MAX));
    out
}

/// Who closed it, for a closed audit: (auditor, closed on, closed by).
pub struct Closed<'a> {
    pub auditor: &'a str,
    pub closed_on: chrono::NaiveDate,
    pub closed_by: &'a str,
}

/// The report of `f` closed on chain head `head`. `matches` says whether the
/// entries now give the same figures (None for a preview).
pub fn report_lines(
    f: &AuditFigures,
    head: &str,
    closed: Option<Closed<'_>>,
    matches: Option<bool>,
    lang: Lang,
) -> Vec<String> {
    let mut v = Vec::new();
    v.push(match lang {
        Lang::Zh => format!("审计期间：{} 至 {}（{} 笔账目）", f.from, f.to, f.entries),
        Lang::En => format!("Period: {} to {} ({} entries)", f.from, f.to, f.entries),
    });
    if let Some(c) = &closed {
        v.push(match lang {
            Lang::Zh => format!(
                "审计人：{}    结账日期：{}    操作人：{}",
                c.auditor, c.closed_on, c.closed_by
            ),
            Lang::En => format!(
                "Auditor: {}    closed on {} by {}",
                c.auditor, c.closed_on, c.closed_by
            ),
        });
    }
    v.push(row(lang.pick("期初余额", "Opening balance"), f.opening_fen));
    // Income and payments side by side, so that the whole report fits a screen.
    let inc = in_order(&f.income, Direction::In);
    let out = in_order(&f.payments, Direction::Out);
    v.push(format!(
        "{}  {}",
        row(lang.pick("收入合计", "Income"), f.income_fen),
        row(lang.pick("支出合计", "Payments"), f.payments_fen)
    ));
    for i in 0..inc.len().max(out.len()) {
        let side = |x: Option<&&(String, i64)>| match x {
            Some((c, fen)) => row(&format!("  {}", category_label(c, lang)), *fen),
            None => " ".repeat(2 + LABEL_W + AMOUNT_W),
        };
        let left = side(inc.get(i));
        let right = side(out.get(i));
        v.push(format!("{left}  {right}").trim_end().to_string());
    }
    v.push(row(lang.pick("期末余额", "Closing balance"), f.closing_fen));
    let ok = f.adds_up();
    v.push(match (lang, ok) {
        (Lang::Zh, true) => "核对：期初 + 收入 − 支出 = 期末，相符".to_string(),
        (Lang::Zh, false) => "核对：期初 + 收入 − 支出 ≠ 期末，不符！".to_string(),
        (Lang::En, true) => "Check: opening + income − payments = closing: adds up".to_string(),
        (Lang::En, false) => {
            "Check: opening + income − payments ≠ closing: DOES NOT ADD UP".to_string()
        }
    });
    if let Some(m) = matches {
        v.push(match (lang, m) {
            (Lang::Zh, true) => "现有账目重新计算：与结账时一致".to_string(),
            (Lang::Zh, false) => "现有账目重新计算：与结账时不一致！".to_string(),
            (Lang::En, true) => "Recomputed from the entries now: the same".to_string(),
            (Lang::En, false) => "Recomputed from the entries now: DIFFERENT".to_string(),
        });
    }
    v.push(format!("{}{head}", lang.pick("账目链头：", "Chain head: ")));
    v
}

/// The figures an audit stored, in the order of the report.
fn stored_figures(a: &Audit, totals: &[(Direction, String, i64)]) -> AuditFigures {
    let side = |d: Direction| {
        totals
            .iter()
            .filter(|(x, _, _)| *x == d)
            .map(|(_, c, fen)| (c.clone(), *fen))
            .collect::<Vec<_>>()
    };
    AuditFigures {
        from: a.from,
        to: a.to,
        opening_fen: a.opening_fen,
        income: side(Direction::In),
        payments: side(Direction::Out),
        income_fen: a.income_fen,
        payments_fen: a.payments_fen,
        closing_fen: a.closing_fen,
        entries: a.entries as usize,
    }
}

/// The report of a closed audit, checked against the entries now.
pub fn audit_report(conn: &Connection, a: &Audit, lang: Lang) -> db::Result<Vec<String>> {
    let totals = db::fund::audit_totals(conn, a.id)?;
    let stored = stored_figures(a, &totals);
    let now = audit_figures(&db::fund::entries(conn)?, a.from, a.to);
    let same = now.opening_fen == stored.opening_fen
        && now.income_fen == stored.income_fen
        && now.payments_fen == stored.payments_fen
        && now.closing_fen == stored.closing_fen
        && now.entries == stored.entries;
    let mut lines = report_lines(
        &stored,
        &a.chain_head,
        Some(Closed {
            auditor: &a.auditor,
            closed_on: a.closed_on,
            closed_by: &a.closed_by,
        }),
        Some(same),
        lang,
    );
    if !a.note.is_empty() {
        lines.push(format!("{}{}", lang.pick("说明：", "Note: "), a.note));
    }
    Ok(lines)
}
