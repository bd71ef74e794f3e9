//! The hardship ledger file (困难党员台账).
//!
//! Import: one case per member and 年度; a case the member already has for that
//! year is updated (annual re-survey). 困难类型 lists one or more categories
//! separated by `、` `;` `,` (also full-width `，` `；` and `/`). 轻重缓急
//! defaults to 一般 and 状态 to 个人申请. 批准日期 is required for a case that
//! is 审核通过, 帮扶中 or 已脱困 (the rules count visits and reviews from it),
//! optional for 终止, and refused for a case not yet approved or 驳回.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::columns::{Column, RowCtx, labels_zh};
use super::export::ExportQuery;
use super::import::{RowImporter, RowResult};
use super::records::Roster;
use super::write::Cell;
use crate::db;
use crate::db::records::OfMember;
use crate::domain::records::HardshipCase;
use crate::domain::safe_text::quote;
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, Lang, Priority};

pub const CODE: usize = 0;
pub const YEAR: usize = 1;
pub const CATEGORIES: usize = 2;
pub const CAUSE: usize = 3;
pub const PRIORITY: usize = 4;
pub const STATE: usize = 5;
pub const APPROVED_ON: usize = 6;
pub const NAME: usize = 7;

pub const COLUMNS: &[Column] = &[
    Column::new("code", "编号").required().max(32),
    Column::new("year", "年度").required(),
    Column::new("categories", "困难类型").required(),
    Column::new("cause", "致困原因").max(500),
    Column::new("priority", "轻重缓急"),
    Column::new("state", "状态"),
    Column::new("approved_on", "批准日期"),
    Column::new("name", "姓名").max(50),
];

/// The separators accepted between categories.
const CATEGORY_SEPARATORS: [char; 6] = ['、', ';', ',', '，', '；', '/'];

/// Imports hardship cases (upsert by member and year).
pub struct HardshipImport {
    pub roster: Roster,
    pub today: NaiveDate,
    /// (member id, year) → first row.
    seen: HashMap<(i64, i32), usize>,
}

impl HardshipImport {
    pub fn new(roster: Roster, today: NaiveDate) -> Self {
        HardshipImport {
            roster,
            today,
            seen: HashMap::new(),
        }
    }
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim().trim_end_matches('年').trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    s.parse::<i32>().ok().filter(|y| (1949..=2200).contains(y))
}

impl HardshipImport {
    fn year(&mut self, r: &mut RowCtx) -> Option<i32> {
        let s = r.required_text(YEAR)?;
        // a case is for this year or a past one (or next year's, planned in December)
        let y = parse_year(s).filter(|y| *y <= self.today.year() + 1);
        if y.is_none() {
            r.problem(
                YEAR,
                format!("“{}”不是有效年度，请写作 2026", quote(s)),
                format!("\"{}\" is not a year: write e.g. 2026", quote(s)),
            );
        }
        y
    }

    fn categories(&mut self, r: &mut RowCtx) -> Vec<HardshipCategory> {
        let Some(s) = r.required_text(CATEGORIES) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut bad = Vec::new();
        for part in s.split(CATEGORY_SEPARATORS).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match HardshipCategory::parse(part) {
                Some(c) if !out.contains(&c) => out.push(c),
                Some(_) => {}
                None => bad.push(part),
            }
        }
        if out.is_empty() && bad.is_empty() {
            r.problem(
                CATEGORIES,
                format!(
                    "“{}”中没有困难类型，可填：{}（多个用、分隔）",
                    quote(s),
                    labels_zh::<HardshipCategory>()
                ),
                format!(
                    "\"{}\" names no category; use: {} (separated by , or ;)",
                    quote(s),
                    HardshipCategory::codes()
                ),
            );
        }
        if !bad.is_empty() {
            let bad: Vec<String> = bad.iter().map(|b| quote(b)).collect();
            r.problem(
                CATEGORIES,
                format!(
                    "“{}”不是困难类型，可填：{}（多个用、分隔）",
                    bad.join("、"),
                    labels_zh::<HardshipCategory>()
                ),
                format!(
                    "\"{}\" is not a category; use: {} (separated by , or ;)",
                    bad.join(", "),
                    HardshipCategory::codes()
                ),
            );
        }
        out
    }

    fn approved_on(&mut self, r: &mut RowCtx, state: CaseState) -> Option<Option<NaiveDate>> {
        let d = r.date(APPROVED_ON).unwrap_or(None);
        if r.has_problem(APPROVED_ON) {
            return None;
        }
        use CaseState::*;
        match (state, d) {
            (Approved | Active | Resolved, None) => {
                r.problem(
                    APPROVED_ON,
                    format!("状态为「{}」的台账须填批准日期", state.zh()),
                    format!("a case in state {} needs its approval date", state.code()),
                );
                None
            }
            (Applied | Reviewed | Publicized | Submitted | Rejected, Some(_)) => {
                r.problem(
                    APPROVED_ON,
                    format!("状态为「{}」的台账尚未批准，不应有批准日期", state.zh()),
                    format!(
                        "a case in state {} is not approved and has no approval date",
                        state.code()
                    ),
                );
                None
            }
            (_, d) => Some(d),
        }
    }
}

impl RowImporter for HardshipImport {
    fn action(&self) -> &'static str {
        "import hardship"
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn today(&self) -> NaiveDate {
        self.today
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        let member = self.roster.member(r, CODE, NAME);
        let year = self.year(r);
        let categories = self.categories(r);
        let priority = r.coded::<Priority>(PRIORITY).flatten();
        let state = r.coded::<CaseState>(STATE).flatten();
        let approved_on = if r.has_problem(STATE) {
            r.date(APPROVED_ON);
            None
        } else {
            self.approved_on(r, state.unwrap_or(CaseState::Applied))
        };
        let (Some(member_id), Some(year)) = (member, year) else {
            return Ok(RowResult::NotWritten);
        };
        if let Some(first) = self.seen.insert((member_id, year), r.row) {
            self.seen.insert((member_id, year), first);
            r.problem(
                YEAR,
                format!("同一党员 {year} 年度的台账与第 {first} 行重复"),
                format!("this member's {year} case is also on row {first}"),
            );
        }
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let c = HardshipCase {
            id: 0,
            member_id,
            year,
            categories,
            cause: r.text(CAUSE).unwrap_or("").to_string(),
            priority: priority.unwrap_or(Priority::Normal),
            state: state.unwrap_or(CaseState::Applied),
            approved_on: approved_on.flatten(),
            last_review: None,
        };
        let exists = db::records::hardship_case_id(tx, member_id, year)?;
        db::records::upsert_hardship_case(tx, &c)?;
        Ok(if exists.is_some() {
            RowResult::Updated
        } else {
            RowResult::Added
        })
    }
}

/// Every hardship case, newest year first, then by member in pinyin order.
pub fn hardship_export(lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("困难党员台账", "Hardship"),
        COLUMNS,
        db::records::stream_hardship_cases,
        move |c| case_row(c, lang),
    )
}

fn case_row(c: OfMember<HardshipCase>, lang: Lang) -> Vec<Cell> {
    let OfMember { code, name, record } = c;
    let mut cats = record.categories;
    cats.sort();
    let cats: Vec<&str> = cats.iter().map(|k| k.label(lang)).collect();
    vec![
        Cell::Text(code),
        Cell::Int(record.year.into()),
        Cell::text(cats.join(lang.pick("、", ", "))),
        Cell::Text(record.cause),
        Cell::text(record.priority.label(lang)),
        Cell::text(record.state.label(lang)),
        Cell::Date(record.approved_on),
        Cell::Text(name),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(parse_year("2026"), Some(2026));
        assert_eq!(parse_year("2026年"), Some(2026));
        assert_eq!(parse_year("26"), None);
        assert_eq!(parse_year("二〇二六"), None);
    }
}
