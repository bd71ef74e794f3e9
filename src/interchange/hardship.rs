//! The hardship ledger file (困难党员台账).
//!
//! Import: one case per member and 年度. 困难类型 lists one or more categories
//! separated by `、` `;` `,` (also full-width `，` `；` and `/`). 批准日期 is
//! required for a case that is 审核通过, 帮扶中 or 已脱困 (the rules count
//! visits and reviews from it), optional for 终止, and refused for a case not
//! yet approved or 驳回.
//!
//! - A new case gets the steps of the main path up to the row's 状态
//!   ([`crate::domain::hardship::path_to`]), signed by the OS user, noted
//!   导入 and marked imported: the steps up to 审核通过 dated on 批准日期
//!   when the row has one, every other step on the day of the import.
//!   轻重缓急 defaults to 一般 and 状态 to 个人申请.
//! - A case the member already has for that year (the annual re-survey)
//!   takes the row's 困难类型, 致困原因 and 轻重缓急 (an absent or empty
//!   致困原因 / 轻重缓急 / 状态 keeps what the case has). A 状态 further along
//!   the case's path adds the missing steps as above; the same 状态 adds
//!   nothing; one that would move the case back or off its path (帮扶中 →
//!   个人申请, 驳回 → 帮扶中) is refused: steps are never edited, a wrong one
//!   is answered on the case by 驳回 or 终止. A 批准日期 other than the one the
//!   case was approved on, or before the case's last step, is refused too,
//!   and so is a 逐级申报 while the case's notice (公示) still runs.
//!   A row that changes nothing writes nothing.
//!
//! Export ([`hardship_export`]): the importable columns first, then what the
//! ledger holds beyond them — 申请日期, 家庭成员 (`妻 李秀英 1200.00元；子 王强
//! 0.00元`), 家庭月收入(元), 帮扶人 (`一帮一：刘建国`, `多帮一：…、…`),
//! 帮扶措施 (their kinds), 最近年审, 下次年审. An import reads those columns
//! over (checked as text, not stored): they are a report of records entered
//! on the 困难台账 tab, each dated and signed there, and a file cannot say
//! when or by whom they were made. So a ledger exported and imported back
//! into the same database changes nothing, and into another creates the cases.
//! The XLSX keeps the header in row 1 (so it imports back as it is) and is
//! print-ready: the title in the page header, the signature line (经办人 /
//! 审核人 / 日期) in the page footer, A4 landscape, the header row repeated,
//! fitted to the page width.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::columns::{Column, RowCtx, labels_zh};
use super::import::{RowImporter, RowResult};
use super::records::Roster;
use crate::db;
use crate::db::hardship::NewCase;
use crate::db::hardship_ledger::{self, IMPORTED_NOTE};
use crate::domain::hardship::{next_steps, path_to};
use crate::domain::records::HardshipCase;
use crate::domain::safe_text::quote;
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, Priority};

mod export;
pub use export::hardship_export;

pub const CODE: usize = 0;
pub const YEAR: usize = 1;
pub const CATEGORIES: usize = 2;
pub const CAUSE: usize = 3;
pub const PRIORITY: usize = 4;
pub const STATE: usize = 5;
pub const APPROVED_ON: usize = 6;
pub const NAME: usize = 7;

/// The importable columns, then the ledger's report columns (read over on import).
pub const COLUMNS: &[Column] = &[
    Column::new("code", "编号").required().max(32),
    Column::new("year", "年度").required(),
    Column::new("categories", "困难类型").required(),
    Column::new("cause", "致困原因").max(500),
    Column::new("priority", "轻重缓急"),
    Column::new("state", "状态"),
    Column::new("approved_on", "批准日期"),
    Column::new("name", "姓名").max(50),
    Column::new("applied_on", "申请日期"),
    Column::new("family", "家庭成员").max(2000),
    Column::new("family_income", "家庭月收入(元)").aliases(&["家庭月收入", "家庭月收入（元）"]),
    Column::new("helpers", "帮扶人").max(2000),
    Column::new("measures", "帮扶措施").max(500),
    Column::new("last_review", "最近年审"),
    Column::new("next_review", "下次年审"),
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
        let member = self.roster.member(tx, r, CODE, NAME)?;
        let year = self.year(r);
        let categories = self.categories(r);
        let priority = r.coded::<Priority>(PRIORITY).flatten();
        let state = r.coded::<CaseState>(STATE).flatten();
        let existing = match (member, year) {
            (Some(m), Some(y)) => match db::records::hardship_case_id(tx, m, y)? {
                Some(id) => hardship_ledger::case_by_id(tx, id)?,
                None => None,
            },
            _ => None,
        };
        // An empty 状态 keeps the state of a case that exists.
        let target = state
            .or(existing.as_ref().map(|c| c.state))
            .unwrap_or(CaseState::Applied);
        let approved_on = if r.has_problem(STATE) {
            r.date(APPROVED_ON);
            None
        } else {
            self.approved_on(r, target)
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
        let Some(approved_on) = approved_on else {
            return Ok(RowResult::NotWritten);
        };
        let steps = match &existing {
            None => path_to(target, approved_on.is_some()),
            Some(c) => match continuation(tx, r, c, target, approved_on, self.today)? {
                Some(steps) => steps,
                None => return Ok(RowResult::NotWritten),
            },
        };
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let today = self.today;
        let date_of = move |s: CaseState| match approved_on {
            Some(a) if up_to_approval(s) => a,
            _ => today,
        };
        let clerk = db::audit::os_user();
        match existing {
            None => {
                let case = NewCase {
                    member_id,
                    year,
                    categories,
                    cause: r.text(CAUSE).unwrap_or("").to_string(),
                    family_situation: String::new(),
                    family: Vec::new(),
                    priority: priority.unwrap_or(Priority::Normal),
                    applied_on: date_of(CaseState::Applied),
                    note: IMPORTED_NOTE.into(),
                };
                let id = db::hardship::insert_case(tx, &case, &clerk, true)?;
                hardship_ledger::add_imported_steps(tx, id, &steps[1..], date_of, &clerk)?;
                Ok(RowResult::Added)
            }
            Some(c) => {
                let cause = r.text(CAUSE).unwrap_or(&c.cause);
                let priority = priority.unwrap_or(c.priority);
                let changed =
                    hardship_ledger::correct_case(tx, c.id, cause, priority, &categories)?;
                hardship_ledger::add_imported_steps(tx, c.id, &steps, date_of, &clerk)?;
                Ok(if changed || !steps.is_empty() {
                    RowResult::Updated
                } else {
                    RowResult::Unchanged
                })
            }
        }
    }
}

/// The steps up to 审核通过, dated on the approval when an import knows it.
fn up_to_approval(s: CaseState) -> bool {
    use CaseState::*;
    matches!(s, Applied | Reviewed | Publicized | Submitted | Approved)
}

/// The steps that take a case whose steps so far are `history` (oldest
/// first), now in `current`, on to `target`; `None` when `target` is behind
/// it or off its path. `approving`: the row brings an approval the case has
/// not had, so the way there goes through 审核通过.
fn extension(
    history: &[CaseState],
    current: CaseState,
    target: CaseState,
    approving: bool,
) -> Option<Vec<CaseState>> {
    if target == current {
        return Some(Vec::new());
    }
    if !approving && next_steps(current).contains(&target) {
        return Some(vec![target]);
    }
    let path = path_to(target, approving);
    (path.len() > history.len() && path.starts_with(history))
        .then(|| path[history.len()..].to_vec())
}

/// The steps a row adds to the case `c` (none when it names the state the
/// case is in); `None`, with the problem recorded, when it cannot.
fn continuation(
    tx: &Connection,
    r: &mut RowCtx,
    c: &HardshipCase,
    target: CaseState,
    approved_on: Option<NaiveDate>,
    today: NaiveDate,
) -> db::Result<Option<Vec<CaseState>>> {
    if let (Some(was), Some(now)) = (c.approved_on, approved_on)
        && was != now
    {
        r.problem(
            APPROVED_ON,
            format!("台账已于 {was} 审核通过，批准日期不能改为 {now}：步骤不修改"),
            format!("the case was approved on {was}; the date cannot become {now} (steps are never edited)"),
        );
        return Ok(None);
    }
    let history = db::hardship::steps(tx, c.id)?;
    let states: Vec<CaseState> = history.iter().map(|s| s.state).collect();
    let approving = c.approved_on.is_none() && approved_on.is_some();
    let Some(steps) = extension(&states, c.state, target, approving) else {
        r.problem(
            STATE,
            format!(
                "台账现为「{}」，不能改为「{}」：步骤只进不退，不能跳出流程（更正请在台账中登记驳回或终止）",
                c.state.zh(),
                target.zh()
            ),
            format!(
                "the case is {}: it cannot become {}; steps only move forward along the workflow (record a rejection or closure on the case instead)",
                c.state.en(),
                target.en()
            ),
        );
        return Ok(None);
    };
    if let Some(a) = approved_on
        && approving
    {
        if !steps.contains(&CaseState::Approved) {
            r.problem(
                APPROVED_ON,
                format!("台账为「{}」，未经审核通过，不应有批准日期", c.state.zh()),
                format!(
                    "the case is {} and was never approved: it has no approval date",
                    c.state.en()
                ),
            );
            return Ok(None);
        }
        if let Some(last) = history.last()
            && a < last.date
        {
            r.problem(
                APPROVED_ON,
                format!(
                    "批准日期 {a} 早于台账上一步「{}」（{}）",
                    last.state.zh(),
                    last.date
                ),
                format!(
                    "the approval date {a} is before the case's last step, {} on {}",
                    last.state.en(),
                    last.date
                ),
            );
            return Ok(None);
        }
    }
    // a submission follows the notice (the case's own, recorded with its window)
    let notice_end = history.iter().rev().find_map(|s| s.public.map(|p| p.1));
    let submitted_on = approved_on.unwrap_or(today);
    if let Some(end) = notice_end
        && steps.contains(&CaseState::Submitted)
        && submitted_on <= end
    {
        r.problem(
            STATE,
            format!(
                "公示期至 {end} 结束，逐级申报须在其后：现在不能改为「{}」",
                target.zh()
            ),
            format!(
                "the notice runs until {end}; the case can be submitted only after it, so not {} yet",
                target.en()
            ),
        );
        return Ok(None);
    }
    Ok(Some(steps))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseState::*;

    #[test]
    fn years() {
        assert_eq!(parse_year("2026"), Some(2026));
        assert_eq!(parse_year("2026年"), Some(2026));
        assert_eq!(parse_year("26"), None);
        assert_eq!(parse_year("二〇二六"), None);
    }

    #[test]
    fn a_row_moves_a_case_only_forward_along_its_path() {
        let main = [Applied, Reviewed, Publicized, Submitted, Approved, Active];
        assert_eq!(extension(&main[..1], Applied, Applied, false), Some(vec![]));
        assert_eq!(
            extension(&main[..1], Applied, Active, true),
            Some(vec![Reviewed, Publicized, Submitted, Approved, Active])
        );
        assert_eq!(
            extension(&main[..2], Reviewed, Closed, false),
            Some(vec![Closed])
        );
        assert_eq!(
            extension(&main[..5], Approved, Closed, false),
            Some(vec![Closed])
        );
        assert_eq!(
            extension(&main[..5], Approved, Resolved, false),
            Some(vec![Active, Resolved])
        );
        assert_eq!(extension(&main, Active, Applied, false), None);
        assert_eq!(extension(&main, Active, Submitted, false), None);
        assert_eq!(
            extension(&[Applied, Rejected], Rejected, Active, true),
            None
        );
        assert_eq!(extension(&[Applied, Closed], Closed, Reviewed, false), None);
    }
}
