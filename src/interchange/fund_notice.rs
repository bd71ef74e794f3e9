//! The public notice of the help fund (帮扶基金救助公示): every payment to a
//! person in the period that stands (not reversed) — relief, condolence
//! money, living subsidies, interest-free loans and any other payment naming
//! a member — with its voucher, who handled and who approved it, and a total
//! line, so the branch sees where the money went.
//!
//! Names are shown; ID numbers keep their first and last four characters
//! and phone numbers their first three and last four digits, as on the
//! hardship notice.
//!
//! The period: `guanhuai notice fund` without dates gives the current month
//! up to today (what a clerk posts at the month's end); `--to` alone gives
//! its month up to that day; `--from` alone runs to today ([`period`]).

use chrono::{Datelike, NaiveDate};

use super::fund_report::amount;
use super::notice::{Notice, NoticeColumn};
use crate::db::fund::NoticePayment;
use crate::domain::fund::category_label;
use crate::domain::{Lang, validate};

/// The columns: header (zh, en) and the widest their text may run.
const COLUMNS: &[(&str, &str, usize)] = &[
    ("序号", "No.", 4),
    ("姓名", "Name", 16),
    ("编号", "Code", 10),
    ("日期", "Date", 10),
    ("类别", "Category", 16),
    ("金额 (¥)", "Amount (¥)", 14),
    ("凭证号", "Voucher", 12),
    ("经手人", "Handled by", 10),
    ("审批人", "Approved by", 10),
    ("身份证号", "ID number", 18),
    ("手机", "Phone", 14),
];

/// The period a notice covers when `from` and/or `to` are left out: `to`
/// defaults to today, `from` to the first day of `to`'s month.
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    (from, to)
}

/// The notice of `rows` (from [`crate::db::fund::notice_payments`]) for the
/// period asked (an open end is unbounded), made `today`.
pub fn fund_notice(
    rows: &[NoticePayment],
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
    lang: Lang,
) -> Notice {
    let columns = COLUMNS
        .iter()
        .map(|&(zh, en, w)| NoticeColumn::new(lang.pick(zh, en), w))
        .collect();
    let mut table: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| row(i + 1, r, lang))
        .collect();
    if !rows.is_empty() {
        let total: i64 = rows.iter().map(|r| r.entry.amount_fen).sum();
        let people = {
            let mut ids: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        };
        let mut line = vec![String::new(); COLUMNS.len()];
        line[0] = lang.pick("合计", "Total").into();
        line[1] = match lang {
            Lang::Zh => format!("{people} 人 {} 笔", rows.len()),
            Lang::En => format!("{people} people, {} payments", rows.len()),
        };
        line[5] = amount(total);
        table.push(line);
    }
    let label = lang.pick("救助期间：", "Period: ");
    let period = match (from, to) {
        (Some(a), Some(b)) => match lang {
            Lang::Zh => format!("{label}{a} 至 {b}"),
            Lang::En => format!("{label}{a} to {b}"),
        },
        (Some(a), None) => match lang {
            Lang::Zh => format!("{label}{a} 起"),
            Lang::En => format!("{label}from {a}"),
        },
        (None, Some(b)) => match lang {
            Lang::Zh => format!("{label}截至 {b}"),
            Lang::En => format!("{label}until {b}"),
        },
        (None, None) => match lang {
            Lang::Zh => format!("{label}截至 {today} 的全部"),
            Lang::En => format!("{label}everything up to {today}"),
        },
    };
    Notice {
        sheet: lang.pick("帮扶基金救助公示", "Fund notice").into(),
        title: lang
            .pick("帮扶基金救助公示", "Public notice: help fund payments")
            .into(),
        period,
        columns,
        rows: table,
        empty: lang
            .pick(
                "本期帮扶基金没有付给个人的款项。",
                "The fund paid no one in this period.",
            )
            .into(),
        closing: vec![
            lang.pick(
                "以上款项均经审批、凭证齐全，现予公示。如有异议，请于公示之日起七日内向党支部反映。",
                "Each payment above was approved and has its voucher. Any objection should be raised with the party branch within seven days.",
            )
            .into(),
        ],
        signature: lang
            .pick(
                "经办人：          审核人：          日期：",
                "Prepared by:          Checked by:          Date:",
            )
            .into(),
    }
}

fn row(n: usize, r: &NoticePayment, lang: Lang) -> Vec<String> {
    let masked = |v: &Option<String>, f: fn(&str) -> String| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(f)
            .unwrap_or_default()
    };
    let e = &r.entry;
    let mut category = category_label(&e.category, lang);
    if let Some(m) = &e.subsidy_month {
        category = format!("{category} {m}");
    }
    vec![
        n.to_string(),
        r.name.clone(),
        r.code.clone(),
        e.date.to_string(),
        category,
        amount(e.amount_fen),
        e.voucher_no.clone(),
        e.handled_by.clone(),
        e.approved_by.clone(),
        masked(&r.id_number, validate::mask_id),
        masked(&r.phone, validate::mask_phone),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::Entry;
    use crate::domain::vocab::Direction;
    use crate::interchange::notice::text;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn payment(code: &str, name: &str, category: &str, fen: i64) -> NoticePayment {
        NoticePayment {
            entry: Entry {
                id: 3,
                date: d("2026-11-05"),
                direction: Direction::Out,
                category: category.into(),
                amount_fen: fen,
                voucher_no: "2026-0031".into(),
                handled_by: "王委员".into(),
                approved_by: "李书记".into(),
                subsidy_month: (category == "subsidy").then(|| "2026-11".to_string()),
                ..Entry::default()
            },
            code: code.into(),
            name: name.into(),
            id_number: Some("110105195003150123".into()),
            phone: Some("13812345678".into()),
        }
    }

    #[test]
    fn rows_mask_ids_and_phones_and_end_with_the_total() {
        let rows = [
            payment("001", "张三", "relief", 123_456),
            payment("001", "张三", "subsidy", 8_000),
            payment("002", "阿依古丽·买买提", "condolence", 50_000),
        ];
        let n = fund_notice(
            &rows,
            (Some(d("2026-11-01")), Some(d("2026-11-28"))),
            d("2026-11-28"),
            Lang::Zh,
        );
        assert_eq!(
            n.rows[0],
            [
                "1",
                "张三",
                "001",
                "2026-11-05",
                "救助金",
                "1,234.56",
                "2026-0031",
                "王委员",
                "李书记",
                "1101**********0123",
                "138****5678"
            ]
        );
        assert_eq!(n.rows[1][4], "生活补贴 2026-11");
        assert_eq!(n.rows[3][0], "合计");
        assert_eq!(n.rows[3][1], "2 人 3 笔");
        assert_eq!(n.rows[3][5], "1,814.56");
        assert_eq!(n.period, "救助期间：2026-11-01 至 2026-11-28");
        let t = text(&n);
        assert!(!t.contains("110105195003150123") && !t.contains("13812345678"));
        assert!(t.contains("帮扶基金救助公示"));
    }

    #[test]
    fn an_empty_notice_says_so_and_has_no_total() {
        let n = fund_notice(
            &[],
            (Some(d("2026-11-01")), None),
            d("2026-11-28"),
            Lang::En,
        );
        assert!(n.rows.is_empty());
        assert_eq!(n.period, "Period: from 2026-11-01");
        assert!(text(&n).contains("The fund paid no one in this period."));
    }

    #[test]
    fn the_default_period_is_the_month_so_far() {
        let today = d("2026-12-01");
        assert_eq!(period(None, None, today), (d("2026-12-01"), today));
        assert_eq!(
            period(None, Some(d("2026-11-20")), today),
            (d("2026-11-01"), d("2026-11-20"))
        );
        assert_eq!(
            period(Some(d("2026-10-15")), None, today),
            (d("2026-10-15"), today)
        );
    }
}
