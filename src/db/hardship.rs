//! The hardship ledger (困难台账): cases with their family, the dated steps
//! of the application workflow, annual reviews (年审), help measures
//! (帮扶措施) with their action logs, and the helpers paired with a case
//! (结对帮扶).
//!
//! Every write here is one transaction with its audit rows (`db::audit`), and
//! checks again, inside it, what the form checked before: a step is allowed
//! from the state the case is in now (`domain::hardship`). Steps, reviews
//! and actions are only ever added.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{Actor, os_user, write_tx};
use super::{DbError, Result, date_text, parse_date};
use crate::domain::hardship::{self, ReviewOutcome, Step, StepData, StepRequest, Votes};
use crate::domain::pinyin;
use crate::domain::records::Visit;
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, MeasureKind, Priority};

/// A family member of the household (家庭成员) with their monthly income.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FamilyMember {
    /// 称谓 (妻、子 …)
    pub relation: String,
    pub name: String,
    pub income_fen: i64,
}

/// A case as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub member_id: i64,
    pub code: String,
    pub name: String,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub priority: Priority,
    pub state: CaseState,
    pub approved_on: Option<NaiveDate>,
    pub last_review: Option<NaiveDate>,
    /// The window of its 公示, once there is one.
    pub notice: Option<(NaiveDate, NaiveDate)>,
    /// Helpers' names (a member's name or the unit's), in the order added.
    pub helpers: Vec<String>,
    pub version: i64,
    /// The member's place in pinyin order (the list's key, with the code).
    pub sort_key: Vec<u8>,
}

impl CaseRow {
    /// The next annual review, while the case is live.
    pub fn review_due(&self, interval_days: i64) -> Option<NaiveDate> {
        hardship::review_due(
            self.state,
            self.approved_on,
            self.last_review,
            interval_days,
        )
    }
}

/// What narrows the list; `query` matches code, name, pinyin or initials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub year: Option<i32>,
    pub state: Option<CaseState>,
    pub category: Option<HardshipCategory>,
    pub priority: Option<Priority>,
    pub query: String,
}

const ROW_COLS: &str = "c.id, c.member_id, m.code, m.name, c.year,
     (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
     c.priority, c.state, c.approved_on,
     (SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id),
     (SELECT public_from || ',' || public_to FROM hardship_steps s
       WHERE s.case_id = c.id AND s.step = 'publicized' AND s.public_from IS NOT NULL),
     (SELECT group_concat(coalesce(hm.name, h.unit_name), '、') FROM
        (SELECT * FROM hardship_helpers WHERE case_id = c.id ORDER BY id) h
        LEFT JOIN members hm ON hm.id = h.helper_member_id),
     c.version, m.readings, m.sort_key";

fn categories_of(s: Option<String>) -> Vec<HardshipCategory> {
    let mut v: Vec<HardshipCategory> = s
        .unwrap_or_default()
        .split(',')
        .filter_map(HardshipCategory::from_code)
        .collect();
    v.sort();
    v
}

fn case_row(r: &Row<'_>) -> rusqlite::Result<CaseRow> {
    let notice: Option<String> = r.get(10)?;
    let notice = notice.and_then(|s| {
        let (a, b) = s.split_once(',')?;
        Some((
            parse_date(Some(a.to_string()))?,
            parse_date(Some(b.to_string()))?,
        ))
    });
    let helpers: Option<String> = r.get(11)?;
    Ok(CaseRow {
        id: r.get(0)?,
        member_id: r.get(1)?,
        code: r.get(2)?,
        name: r.get(3)?,
        year: r.get(4)?,
        categories: categories_of(r.get(5)?),
        priority: Priority::from_code(&r.get::<_, String>(6)?).unwrap_or(Priority::Normal),
        state: CaseState::from_code(&r.get::<_, String>(7)?).unwrap_or(CaseState::Applied),
        approved_on: parse_date(r.get(8)?),
        last_review: parse_date(r.get(9)?),
        notice,
        helpers: helpers
            .unwrap_or_default()
            .split('、')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        version: r.get(12)?,
        sort_key: r.get(14)?,
    })
}

/// The priority order of the list: 特困, 重点, 一般.
const PRIORITY_ORDER: &str = "CASE c.priority WHEN 'urgent' THEN 0 WHEN 'key' THEN 1 ELSE 2 END";

/// The cases the filter keeps, by priority (特困, 重点, 一般), then member in
/// pinyin order, then year (newest first).
pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<CaseRow>> {
    let sql = format!(
        "SELECT {ROW_COLS} FROM hardship_cases c JOIN members m ON m.id = c.member_id
         WHERE (?1 IS NULL OR c.year = ?1) AND (?2 IS NULL OR c.state = ?2)
           AND (?3 IS NULL OR c.priority = ?3)
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM hardship_case_categories k
                                     WHERE k.case_id = c.id AND k.category = ?4))
         ORDER BY {PRIORITY_ORDER}, m.sort_key, m.code, c.year DESC, c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let q = f.query.trim();
    let ql = q.to_lowercase();
    let mut rows = stmt.query(params![
        f.year,
        f.state.map(|s| s.code()),
        f.priority.map(|p| p.code()),
        f.category.map(|c| c.code()),
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let row = case_row(r)?;
        if !q.is_empty() {
            let readings: String = r.get(13)?;
            let hit = row.code.to_lowercase().starts_with(&ql)
                || row.name.contains(q)
                || pinyin::matches(q, &row.name, &readings);
            if !hit {
                continue;
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// How many cases are in each state (every state listed, in workflow order),
/// under the filter's year, category, priority and query (not its state).
pub fn state_counts(conn: &Connection, f: &CaseFilter) -> Result<Vec<(CaseState, usize)>> {
    let all = list(
        conn,
        &CaseFilter {
            state: None,
            ..f.clone()
        },
    )?;
    Ok(CaseState::ALL
        .iter()
        .map(|&s| (s, all.iter().filter(|c| c.state == s).count()))
        .collect())
}

/// The newest case's id (0 without cases): ids only grow.
pub fn last_case_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM hardship_cases")?
        .query_row([], |r| r.get(0))?)
}

/// The years that have cases, newest first.
pub fn years(conn: &Connection) -> Result<Vec<i32>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT year FROM hardship_cases ORDER BY year DESC")?;
    let v = stmt.query_map([], |r| r.get(0))?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// One case's row, by id.
pub fn case(conn: &Connection, id: i64) -> Result<Option<CaseRow>> {
    let sql = format!(
        "SELECT {ROW_COLS} FROM hardship_cases c JOIN members m ON m.id = c.member_id WHERE c.id = ?1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], case_row)
        .optional()?)
}

/// An annual review (年审) as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub date: NaiveDate,
    pub clerk: String,
    pub outcome: ReviewOutcome,
    pub note: String,
}

/// One dated entry of a measure's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: i64,
    pub date: NaiveDate,
    pub action: String,
    pub amount_fen: Option<i64>,
    pub goods: String,
    pub clerk: String,
}

/// A help measure (帮扶措施) with its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: i64,
    pub kind: MeasureKind,
    pub plan: String,
    pub responsible: String,
    pub start_date: Option<NaiveDate>,
    pub actions: Vec<Action>,
}

/// Who helps: a roster member, or a named unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelperKind {
    Member { id: i64, code: String, name: String },
    Unit(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helper {
    pub id: i64,
    pub kind: HelperKind,
    pub since: Option<NaiveDate>,
}

impl Helper {
    pub fn name(&self) -> &str {
        match &self.kind {
            HelperKind::Member { name, .. } => name,
            HelperKind::Unit(u) => u,
        }
    }
}

/// 一帮一 with one helper, 多帮一 with several.
pub fn pairing_label(helpers: usize, lang: crate::domain::Lang) -> &'static str {
    match helpers {
        0 => lang.pick("未结对", "No helper"),
        1 => lang.pick("一帮一", "One to one"),
        _ => lang.pick("多帮一", "Several to one"),
    }
}

/// Everything the case detail shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub cause: String,
    pub family_situation: String,
    pub family: Vec<FamilyMember>,
    /// Oldest first.
    pub steps: Vec<Step>,
    /// Oldest first.
    pub reviews: Vec<Review>,
    pub measures: Vec<Measure>,
    pub helpers: Vec<Helper>,
    /// The member's visits (not voided) since the application, oldest first.
    pub visits: Vec<Visit>,
}

impl CaseDetail {
    /// The family's monthly income in all.
    pub fn family_income_fen(&self) -> i64 {
        self.family.iter().map(|f| f.income_fen).sum()
    }
}

/// The steps of a case, oldest first.
pub fn steps(conn: &Connection, case_id: i64) -> Result<Vec<Step>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, step, date, clerk, note, votes_for, votes_against, votes_abstain,
                public_from, public_to, submitted_to, reason, imported
         FROM hardship_steps WHERE case_id = ?1 ORDER BY id",
    )?;
    let v = stmt.query_map([case_id], |r| {
        let votes = match (
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, Option<i64>>(7)?,
        ) {
            (Some(f), Some(a), Some(b)) => Some(Votes {
                for_: f,
                against: a,
                abstain: b,
            }),
            _ => None,
        };
        let public = match (parse_date(r.get(8)?), parse_date(r.get(9)?)) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        Ok(Step {
            id: r.get(0)?,
            state: CaseState::from_code(&r.get::<_, String>(1)?).unwrap_or(CaseState::Applied),
            date: parse_date(r.get(2)?).unwrap_or_default(),
            clerk: r.get(3)?,
            note: r.get(4)?,
            votes,
            public,
            submitted_to: r.get(10)?,
            reason: r.get(11)?,
            imported: r.get::<_, i64>(12)? != 0,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// The annual reviews of a case, oldest first.
pub fn reviews(conn: &Connection, case_id: i64) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, clerk, outcome, note FROM hardship_reviews WHERE case_id = ?1
         ORDER BY date, id",
    )?;
    let v = stmt.query_map([case_id], |r| {
        Ok(Review {
            id: r.get(0)?,
            date: parse_date(r.get(1)?).unwrap_or_default(),
            clerk: r.get(2)?,
            outcome: ReviewOutcome::from_code(&r.get::<_, String>(3)?)
                .unwrap_or(ReviewOutcome::Continue),
            note: r.get(4)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Everything about one case, or `None` when there is no such case.
pub fn detail(conn: &Connection, case_id: i64) -> Result<Option<CaseDetail>> {
    let Some(row) = case(conn, case_id)? else {
        return Ok(None);
    };
    let (cause, family_situation): (String, String) = conn
        .prepare_cached("SELECT cause, family_situation FROM hardship_cases WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let family = {
        let mut stmt = conn.prepare_cached(
            "SELECT relation, name, income_fen FROM hardship_family WHERE case_id = ?1 ORDER BY id",
        )?;
        let v = stmt.query_map([case_id], |r| {
            Ok(FamilyMember {
                relation: r.get(0)?,
                name: r.get(1)?,
                income_fen: r.get(2)?,
            })
        })?;
        v.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut measures = {
        let mut stmt = conn.prepare_cached(
            "SELECT id, kind, plan, responsible, start_date FROM hardship_measures
             WHERE case_id = ?1 ORDER BY id",
        )?;
        let v = stmt.query_map([case_id], |r| {
            Ok(Measure {
                id: r.get(0)?,
                kind: MeasureKind::from_code(&r.get::<_, String>(1)?)
                    .unwrap_or(MeasureKind::Living),
                plan: r.get(2)?,
                responsible: r.get(3)?,
                start_date: parse_date(r.get(4)?),
                actions: Vec::new(),
            })
        })?;
        v.collect::<rusqlite::Result<Vec<_>>>()?
    };
    for m in &mut measures {
        let mut stmt = conn.prepare_cached(
            "SELECT id, date, action, amount_fen, goods, clerk FROM hardship_measure_actions
             WHERE measure_id = ?1 ORDER BY date, id",
        )?;
        let v = stmt.query_map([m.id], |r| {
            Ok(Action {
                id: r.get(0)?,
                date: parse_date(r.get(1)?).unwrap_or_default(),
                action: r.get(2)?,
                amount_fen: r.get(3)?,
                goods: r.get(4)?,
                clerk: r.get(5)?,
            })
        })?;
        m.actions = v.collect::<rusqlite::Result<_>>()?;
    }
    let helpers = {
        let mut stmt = conn.prepare_cached(
            "SELECT h.id, h.helper_member_id, m.code, m.name, h.unit_name, h.since
             FROM hardship_helpers h LEFT JOIN members m ON m.id = h.helper_member_id
             WHERE h.case_id = ?1 ORDER BY h.id",
        )?;
        let v = stmt.query_map([case_id], |r| {
            let kind = match r.get::<_, Option<i64>>(1)? {
                Some(id) => HelperKind::Member {
                    id,
                    code: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                },
                None => HelperKind::Unit(r.get::<_, Option<String>>(4)?.unwrap_or_default()),
            };
            Ok(Helper {
                id: r.get(0)?,
                kind,
                since: parse_date(r.get(5)?),
            })
        })?;
        v.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let steps = steps(conn, case_id)?;
    let since = steps.first().map(|s| s.date);
    let visits = match since {
        Some(since) => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {} FROM visits WHERE member_id = ?1 AND date >= ?2 AND voided_on IS NULL
                 ORDER BY date, id",
                super::records::VISIT_COLS
            ))?;
            let v = stmt.query_map(
                params![row.member_id, date_text(since)],
                super::records::visit_row,
            )?;
            v.collect::<rusqlite::Result<Vec<_>>>()?
        }
        None => Vec::new(),
    };
    Ok(Some(CaseDetail {
        row,
        cause,
        family_situation,
        family,
        reviews: reviews(conn, case_id)?,
        steps,
        measures,
        helpers,
        visits,
    }))
}

/// A member's cases, newest year first: (case id, year, state).
pub fn cases_of_member(conn: &Connection, member_id: i64) -> Result<Vec<(i64, i32, CaseState)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, year, state FROM hardship_cases WHERE member_id = ?1 ORDER BY year DESC, id",
    )?;
    let v = stmt.query_map([member_id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            CaseState::from_code(&r.get::<_, String>(2)?).unwrap_or(CaseState::Applied),
        ))
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// The member's live case (approved or being helped) whose annual review is
/// due first: the one the Overview's `hardship_review` row opens.
pub fn live_case_of(conn: &Connection, member_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM hardship_cases c WHERE c.member_id = ?1
               AND c.state IN ('approved', 'active') AND c.approved_on IS NOT NULL
             ORDER BY coalesce((SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id),
                               c.approved_on), c.id
             LIMIT 1",
        )?
        .query_row([member_id], |r| r.get(0))
        .optional()?)
}

mod cases;
mod help;
mod notice;
mod pages;
mod steps;

pub use cases::*;
pub use help::*;
pub use notice::*;
pub use pages::{CaseMembers, HardshipPages};
pub use steps::*;

#[cfg(test)]
mod tests;
