//! The audit report (帮扶基金审计报告) of one closed audit (定时审计): the
//! opening balance, income and payments by category, the closing balance,
//! the check opening + income − payments = closing, the chain head the audit
//! closed on, who audited and when, and the signature line
//! (审计人 / 经办人 / 日期). A [`Notice`] laid out as 项目 / 金额 / 说明, so
//! the notice writer prints it as an XLSX ready to print or as text.
//!
//! The figures are those the audit stored; `verification_ok` says whether
//! the fund verifies now (`guanhuai fund verify`): the chain intact, and
//! every audit's figures still those of the entries.

use super::notice::{Notice, NoticeColumn};
use crate::db::fund::Audit;
use crate::domain::Lang;
use crate::domain::fund::category_label;
use crate::domain::money::format_money;
use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory};

/// An amount as the report's 金额 column shows it: grouped, two decimals,
/// the ¥ in the header (`1,234.56`, `-50.00`).
pub fn amount(fen: i64) -> String {
    format_money(fen).replacen('¥', "", 1)
}

/// The printable report of `audit` with its stored `totals` by category.
pub fn audit_report(
    audit: &Audit,
    totals: &[(Direction, String, i64)],
    verification_ok: bool,
    lang: Lang,
) -> Notice {
    let columns = vec![
        NoticeColumn::new(lang.pick("项目", "Item"), 20),
        NoticeColumn::new(lang.pick("金额 (¥)", "Amount (¥)"), 16),
        NoticeColumn::new(lang.pick("说明", "Note"), 34),
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |item: String, fen: Option<i64>, note: String| {
        rows.push(vec![item, fen.map(amount).unwrap_or_default(), note]);
    };
    let day_before = audit.from.pred_opt().unwrap_or(audit.from);
    row(
        lang.pick("期初余额", "Opening balance").into(),
        Some(audit.opening_fen),
        match lang {
            Lang::Zh => format!("{day_before} 日终"),
            Lang::En => format!("at the end of {day_before}"),
        },
    );
    let side = |dir: Direction| -> Vec<(String, i64)> {
        let order = |c: &str| match dir {
            Direction::In => IncomeCategory::ALL.iter().position(|x| x.code() == c),
            Direction::Out => ExpenseCategory::ALL.iter().position(|x| x.code() == c),
        };
        let mut v: Vec<(String, i64)> = totals
            .iter()
            .filter(|t| t.0 == dir)
            .map(|t| (t.1.clone(), t.2))
            .collect();
        v.sort_by_key(|(c, _)| (order(c).unwrap_or(99), c.clone()));
        v
    };
    let income = side(Direction::In);
    let payments = side(Direction::Out);
    let (in_label, out_label) = (lang.pick("收入", "Income"), lang.pick("支出", "Payments"));
    for (c, v) in &income {
        row(
            format!("{in_label}：{}", category_label(c, lang)),
            Some(*v),
            String::new(),
        );
    }
    let in_sum: i64 = income.iter().map(|x| x.1).sum();
    row(
        lang.pick("收入合计", "Total income").into(),
        Some(audit.income_fen),
        String::new(),
    );
    for (c, v) in &payments {
        row(
            format!("{out_label}：{}", category_label(c, lang)),
            Some(*v),
            String::new(),
        );
    }
    let out_sum: i64 = payments.iter().map(|x| x.1).sum();
    row(
        lang.pick("支出合计", "Total payments").into(),
        Some(audit.payments_fen),
        String::new(),
    );
    row(
        lang.pick("期末余额", "Closing balance").into(),
        Some(audit.closing_fen),
        match lang {
            Lang::Zh => format!("{} 日终", audit.to),
            Lang::En => format!("at the end of {}", audit.to),
        },
    );
    let adds_up = audit.opening_fen + audit.income_fen - audit.payments_fen == audit.closing_fen
        && in_sum == audit.income_fen
        && out_sum == audit.payments_fen;
    let sum = format!(
        "{} + {} − {} = {}",
        amount(audit.opening_fen),
        amount(audit.income_fen),
        amount(audit.payments_fen),
        amount(audit.opening_fen + audit.income_fen - audit.payments_fen)
    );
    row(
        lang.pick("核对", "Check").into(),
        Some(audit.opening_fen + audit.income_fen - audit.payments_fen),
        match (lang, adds_up) {
            (Lang::Zh, true) => "期初 + 收入 − 支出，与期末余额相符".into(),
            (Lang::En, true) => "opening + income − payments: agrees".into(),
            (Lang::Zh, false) => "期初 + 收入 − 支出：与期末余额或分类合计不符".into(),
            (Lang::En, false) => {
                "opening + income − payments: does NOT agree with the closing balance or the categories".into()
            }
        },
    );
    row(
        lang.pick("本期账目", "Entries").into(),
        None,
        match lang {
            Lang::Zh => format!("{} 笔", audit.entries),
            Lang::En => format!("{}", audit.entries),
        },
    );
    row(
        lang.pick("结账时链头", "Chain head").into(),
        None,
        match (lang, audit.chain_last_id) {
            (Lang::Zh, Some(id)) => format!("第 {id} 条 {}", audit.chain_head),
            (Lang::En, Some(id)) => format!("entry {id} {}", audit.chain_head),
            (_, None) => lang.pick("（无账目）", "(no entries)").into(),
        },
    );
    row(
        lang.pick("现时核验", "Verified now").into(),
        None,
        if verification_ok {
            lang.pick(
                "账目链完整，各期数字与结账时一致",
                "the chain is intact and every audit still matches",
            )
            .into()
        } else {
            lang.pick(
                "未通过（见 guanhuai fund verify）",
                "FAILED: run guanhuai fund verify to find out why",
            )
            .into()
        },
    );
    row(
        lang.pick("审计人", "Auditor").into(),
        None,
        audit.auditor.clone(),
    );
    let closed = if audit.closed_by.trim().is_empty() {
        audit.closed_on.to_string()
    } else {
        match lang {
            Lang::Zh => format!("{}（操作人 {}）", audit.closed_on, audit.closed_by),
            Lang::En => format!("{} (by {})", audit.closed_on, audit.closed_by),
        }
    };
    row(lang.pick("结账日期", "Closed on").into(), None, closed);
    if !audit.note.trim().is_empty() {
        row(
            lang.pick("备注", "Note").into(),
            None,
            audit.note.trim().to_string(),
        );
    }
    Notice {
        sheet: lang.pick("审计报告", "Audit report").into(),
        title: lang
            .pick("帮扶基金审计报告", "Help fund audit report")
            .into(),
        period: match lang {
            Lang::Zh => format!(
                "审计期间：{} 至 {}（第 {} 次审计）",
                audit.from, audit.to, audit.id
            ),
            Lang::En => format!(
                "Audited period: {} to {} (audit {})",
                audit.from, audit.to, audit.id
            ),
        },
        columns,
        rows,
        empty: String::new(),
        closing: vec![
            match (lang, adds_up) {
                (Lang::Zh, true) => format!("核对：{sum}，与期末余额相符。"),
                (Lang::En, true) => format!("Check: {sum}, as the closing balance."),
                (Lang::Zh, false) => format!("核对：{sum}，与期末余额或分类合计不符！"),
                (Lang::En, false) => {
                    format!("Check: {sum}: does NOT agree with the closing balance or the categories!")
                }
            },
            lang.pick(
                "本期已结账锁定：期间内不得再记账，更正以冲销方式记入以后的期间。",
                "The period is closed and locked: no entry may be dated in it; corrections are reversals in a later period.",
            )
            .into(),
        ],
        signature: lang
            .pick(
                "审计人：          经办人：          日期：",
                "Auditor:          Prepared by:          Date:",
            )
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::notice::text;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn audit() -> Audit {
        Audit {
            id: 1,
            from: d("2026-01-01"),
            to: d("2026-06-30"),
            auditor: "赵会计".into(),
            closed_on: d("2026-07-05"),
            closed_by: "clerk1".into(),
            opening_fen: 100_000,
            income_fen: 5_050_000,
            payments_fen: 1_234_500,
            closing_fen: 3_915_500,
            entries: 7,
            chain_last_id: Some(9),
            chain_head: "ab".repeat(32),
            note: String::new(),
        }
    }

    fn totals() -> Vec<(Direction, String, i64)> {
        vec![
            (Direction::Out, "relief".into(), 1_000_000),
            (Direction::In, "dues".into(), 50_000),
            (Direction::In, "fiscal".into(), 5_000_000),
            (Direction::Out, "condolence".into(), 234_500),
        ]
    }

    #[test]
    fn the_report_lists_categories_in_vocabulary_order_and_checks_the_sum() {
        let n = audit_report(&audit(), &totals(), true, Lang::Zh);
        let items: Vec<&str> = n.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            &items[..7],
            [
                "期初余额",
                "收入：财政补贴",
                "收入：党费划拨",
                "收入合计",
                "支出：救助金",
                "支出：慰问金",
                "支出合计"
            ]
        );
        assert_eq!(n.rows[0][1], "1,000.00");
        assert_eq!(n.rows[0][2], "2025-12-31 日终");
        assert_eq!(n.rows[3][1], "50,500.00");
        assert_eq!(n.rows[7], ["期末余额", "39,155.00", "2026-06-30 日终"]);
        assert_eq!(
            n.rows[8],
            ["核对", "39,155.00", "期初 + 收入 − 支出，与期末余额相符"]
        );
        assert_eq!(
            n.closing[0],
            "核对：1,000.00 + 50,500.00 − 12,345.00 = 39,155.00，与期末余额相符。"
        );
        let t = text(&n);
        assert!(
            t.contains("审计期间：2026-01-01 至 2026-06-30（第 1 次审计）"),
            "{t}"
        );
        assert!(t.contains("赵会计"), "{t}");
        // the chain head is printed whole, wrapped in its column
        let joined: String = t.split_whitespace().collect();
        assert!(joined.contains(&"ab".repeat(32)), "{t}");
        assert!(t.contains("2026-07-05（操作人 clerk1）"), "{t}");
        assert!(
            t.trim_end()
                .ends_with("审计人：          经办人：          日期：")
        );
    }

    #[test]
    fn categories_that_do_not_add_up_are_flagged_and_a_failed_verification_said() {
        let mut t = totals();
        t.pop();
        let n = audit_report(&audit(), &t, false, Lang::En);
        let check = n.rows.iter().find(|r| r[0] == "Check").unwrap();
        assert!(check[2].contains("does NOT agree"), "{check:?}");
        let now = n.rows.iter().find(|r| r[0] == "Verified now").unwrap();
        assert!(now[2].starts_with("FAILED"), "{now:?}");
    }
}
