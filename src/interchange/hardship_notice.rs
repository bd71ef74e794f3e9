//! The public notice of hardship cases (困难党员帮扶公示): who is on notice,
//! for what hardship, and until when, so the branch can object in time.
//!
//! Names are shown (a notice names the people it is about); ID numbers keep
//! their first and last four characters (`1101**********1234`) and phone
//! numbers their first three and last four digits (`138****5678`), as every
//! list and export shows them.

use chrono::NaiveDate;

use super::notice::{Notice, NoticeColumn};
use crate::db::hardship::NoticeRow;
use crate::domain::vocab::{Coded, Gender};
use crate::domain::{Lang, dates, validate};

/// The columns: header (zh, en) and the widest their text may run.
const COLUMNS: &[(&str, &str, usize)] = &[
    ("序号", "No.", 4),
    ("姓名", "Name", 16),
    ("编号", "Code", 10),
    ("性别", "Gender", 6),
    ("年度", "Year", 4),
    ("困难类型", "Categories", 16),
    ("致困原因", "Cause", 24),
    ("轻重缓急", "Priority", 8),
    ("公示期", "Notice period", 24),
    ("身份证号", "ID number", 18),
    ("手机", "Phone", 16),
];

/// The notice of `cases` (from [`crate::db::hardship::notice_rows`]) for the
/// period asked (`from`, `to`; none: the notices running now), made `today`.
pub fn hardship_notice(
    cases: &[NoticeRow],
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
    lang: Lang,
) -> Notice {
    let columns = COLUMNS
        .iter()
        .map(|&(zh, en, w)| NoticeColumn::new(lang.pick(zh, en), w))
        .collect();
    let rows: Vec<Vec<String>> = cases
        .iter()
        .enumerate()
        .map(|(i, r)| row(i + 1, r, lang))
        .collect();
    Notice {
        sheet: lang.pick("困难党员帮扶公示", "Hardship notice").into(),
        title: lang
            .pick("困难党员帮扶公示", "Public notice: hardship assistance")
            .into(),
        period: period_line(rows_period(&rows, from, to), today, lang),
        columns,
        rows,
        empty: lang
            .pick(
                "本期没有公示的困难党员帮扶对象。",
                "No hardship cases are on notice for this period.",
            )
            .into(),
        closing: vec![
            lang.pick(
                "如有异议，请于公示期内向党支部反映。",
                "Any objection should be raised with the party branch within the notice period.",
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

/// The period the line names: the one asked, else the span of the notices listed.
fn rows_period(
    rows: &[Vec<String>],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>, bool) {
    if from.is_some() || to.is_some() {
        return (from, to, true);
    }
    // The window is the 公示期 column: `from 至 to` / `from to to`.
    let window = |r: &Vec<String>| -> Option<(NaiveDate, NaiveDate)> {
        let s = r.get(8)?;
        let mut parts = s.split_whitespace();
        let a = dates::parse_date(parts.next()?)?;
        let b = dates::parse_date(parts.last()?)?;
        Some((a, b))
    };
    let spans: Vec<(NaiveDate, NaiveDate)> = rows.iter().filter_map(window).collect();
    let lo = spans.iter().map(|s| s.0).min();
    let hi = spans.iter().map(|s| s.1).max();
    (lo, hi, false)
}

fn period_line(
    (from, to, asked): (Option<NaiveDate>, Option<NaiveDate>, bool),
    today: NaiveDate,
    lang: Lang,
) -> String {
    let label = lang.pick("公示期：", "Notice period: ");
    match (from, to) {
        (Some(a), Some(b)) => match lang {
            Lang::Zh => format!("{label}{} 至 {}", dates::fmt(a), dates::fmt(b)),
            Lang::En => format!("{label}{} to {}", dates::fmt(a), dates::fmt(b)),
        },
        (Some(a), None) => match lang {
            Lang::Zh => format!("{label}{} 起", dates::fmt(a)),
            Lang::En => format!("{label}from {}", dates::fmt(a)),
        },
        (None, Some(b)) => match lang {
            Lang::Zh => format!("{label}截至 {}", dates::fmt(b)),
            Lang::En => format!("{label}until {}", dates::fmt(b)),
        },
        (None, None) if asked => label.trim_end().to_string(),
        (None, None) => match lang {
            Lang::Zh => format!("{label}{} 无公示中的台账", dates::fmt(today)),
            Lang::En => format!("{label}none running on {}", dates::fmt(today)),
        },
    }
}

fn row(n: usize, r: &NoticeRow, lang: Lang) -> Vec<String> {
    let cats: Vec<&str> = r.categories.iter().map(|c| c.label(lang)).collect();
    let gender = Gender::from_code(&r.gender)
        .map(|g| g.label(lang).to_string())
        .unwrap_or_default();
    let window = match (r.from, r.to, lang) {
        (Some(a), Some(b), Lang::Zh) => format!("{} 至 {}", dates::fmt(a), dates::fmt(b)),
        (Some(a), Some(b), Lang::En) => format!("{} to {}", dates::fmt(a), dates::fmt(b)),
        // an imported case: the window was not recorded
        _ => lang.pick("（未登记）", "(not recorded)").to_string(),
    };
    let masked = |v: &Option<String>, f: fn(&str) -> String| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(f)
            .unwrap_or_default()
    };
    vec![
        n.to_string(),
        r.name.clone(),
        r.code.clone(),
        gender,
        r.year.to_string(),
        cats.join(lang.pick("、", ", ")),
        r.cause.clone(),
        r.priority.label(lang).to_string(),
        window,
        masked(&r.id_number, validate::mask_id),
        masked(&r.phone, validate::mask_phone),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::{CaseState, HardshipCategory, Priority};

    fn d(s: &str) -> NaiveDate {
        dates::parse_date(s).unwrap()
    }

    fn case() -> NoticeRow {
        NoticeRow {
            code: "001".into(),
            name: "张三".into(),
            gender: "m".into(),
            id_number: Some("110105195003150123".into()),
            phone: Some("13812345678".into()),
            year: 2026,
            categories: vec![HardshipCategory::Living, HardshipCategory::Illness],
            cause: "长期患病".into(),
            priority: Priority::Urgent,
            state: CaseState::Publicized,
            from: Some(d("2026-11-26")),
            to: Some(d("2026-12-02")),
        }
    }

    #[test]
    fn a_row_masks_the_id_number_and_the_phone() {
        let n = hardship_notice(&[case()], (None, None), d("2026-11-28"), Lang::Zh);
        assert_eq!(
            n.rows[0],
            [
                "1",
                "张三",
                "001",
                "男",
                "2026",
                "生活困难、因病",
                "长期患病",
                "特困",
                "2026-11-26 至 2026-12-02",
                "1101**********0123",
                "138****5678"
            ]
        );
        assert_eq!(n.period, "公示期：2026-11-26 至 2026-12-02");
    }

    #[test]
    fn the_period_line_names_the_period_asked_or_says_none_runs() {
        let today = d("2026-11-28");
        let asked = hardship_notice(&[], (Some(d("2026-11-01")), None), today, Lang::Zh);
        assert_eq!(asked.period, "公示期：2026-11-01 起");
        let none = hardship_notice(&[], (None, None), today, Lang::En);
        assert_eq!(none.period, "Notice period: none running on 2026-11-28");
        assert_eq!(none.columns[0].header, "No.");
    }
}
