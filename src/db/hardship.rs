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
     c.version, m.readings";

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

/// A new case: the application (个人申请) with what the clerk knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub member_id: i64,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub cause: String,
    pub family_situation: String,
    pub family: Vec<FamilyMember>,
    pub priority: Priority,
    /// The day of the application (the first step).
    pub applied_on: NaiveDate,
    pub note: String,
}

/// Why a member cannot have another case for `year`.
fn duplicate(conn: &Connection, member_id: i64, year: i32, except: i64) -> Result<Option<DbError>> {
    let other: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT c.state, m.name FROM hardship_cases c JOIN members m ON m.id = c.member_id
             WHERE c.member_id = ?1 AND c.year = ?2 AND c.id <> ?3",
        )?
        .query_row(params![member_id, year, except], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(other.map(|(state, name)| {
        let state = CaseState::from_code(&state).unwrap_or(CaseState::Applied);
        DbError::invalid(
            format!(
                "{name} 已有 {year} 年度的困难台账（{}）：每人每年一份，请在原台账上办理",
                state.zh()
            ),
            format!(
                "{name} already has a {year} case ({}): one case per member and year",
                state.en()
            ),
        )
    }))
}

fn check_case_fields(c: &NewCase) -> Result<()> {
    if c.categories.is_empty() {
        return Err(DbError::invalid(
            "请至少选择一种困难类型",
            "choose at least one category",
        ));
    }
    if !(1949..=2200).contains(&c.year) {
        return Err(DbError::invalid("年度无效", "not a valid year"));
    }
    if c.family.iter().any(|f| f.income_fen < 0) {
        return Err(DbError::invalid(
            "月收入不能为负",
            "an income cannot be negative",
        ));
    }
    Ok(())
}

fn write_family(conn: &Connection, case_id: i64, family: &[FamilyMember]) -> Result<()> {
    conn.prepare_cached("DELETE FROM hardship_family WHERE case_id = ?1")?
        .execute([case_id])?;
    for f in family {
        conn.prepare_cached(
            "INSERT INTO hardship_family (case_id, relation, name, income_fen) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![case_id, f.relation, f.name, f.income_fen])?;
    }
    let total: i64 = family.iter().map(|f| f.income_fen).sum();
    conn.prepare_cached(
        "UPDATE hardship_cases SET family_members = ?1, family_income_fen = ?2 WHERE id = ?3",
    )?
    .execute(params![
        (!family.is_empty()).then_some(family.len() as i64),
        (!family.is_empty()).then_some(total),
        case_id
    ])?;
    Ok(())
}

fn write_categories(conn: &Connection, case_id: i64, cats: &[HardshipCategory]) -> Result<()> {
    let now: Vec<String> = conn
        .prepare_cached("SELECT category FROM hardship_case_categories WHERE case_id = ?1")?
        .query_map([case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for old in &now {
        if !cats.iter().any(|c| c.code() == old) {
            conn.prepare_cached(
                "DELETE FROM hardship_case_categories WHERE case_id = ?1 AND category = ?2",
            )?
            .execute(params![case_id, old])?;
        }
    }
    for c in cats {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO hardship_case_categories (case_id, category) VALUES (?1, ?2)",
        )?
        .execute(params![case_id, c.code()])?;
    }
    Ok(())
}

/// Writes a new case and its first step (个人申请), inside the caller's
/// transaction. Refuses a second case of the member for the year.
pub fn insert_case(conn: &Connection, c: &NewCase, clerk: &str, imported: bool) -> Result<i64> {
    check_case_fields(c)?;
    if let Some(e) = duplicate(conn, c.member_id, c.year, 0)? {
        return Err(e);
    }
    conn.prepare_cached(
        "INSERT INTO hardship_cases (member_id, year, cause, family_situation, priority, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'applied')",
    )?
    .execute(params![
        c.member_id,
        c.year,
        c.cause,
        c.family_situation,
        c.priority.code()
    ])?;
    let id = conn.last_insert_rowid();
    write_categories(conn, id, &c.categories)?;
    if !c.family.is_empty() {
        write_family(conn, id, &c.family)?;
    }
    insert_step(
        conn,
        id,
        &Step {
            id: 0,
            state: CaseState::Applied,
            date: c.applied_on,
            clerk: clerk.to_string(),
            note: c.note.clone(),
            votes: None,
            public: None,
            submitted_to: String::new(),
            reason: String::new(),
            imported,
        },
    )?;
    Ok(id)
}

/// Opens a case (个人申请) in one transaction, logged as `action`.
pub fn create_case(conn: &mut Connection, c: &NewCase, action: &str) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new(action))?;
    let id = insert_case(&tx, c, &os_user(), false)?;
    tx.commit()?;
    Ok(id)
}

/// Corrects what a case says (member and year stay; the state moves only by
/// steps), if no one changed it since `version` was read.
pub fn update_case(
    conn: &mut Connection,
    id: i64,
    version: i64,
    c: &NewCase,
    action: &str,
) -> Result<()> {
    check_case_fields(c)?;
    let tx = write_tx(conn, &Actor::new(action))?;
    let n = tx
        .prepare_cached(
            "UPDATE hardship_cases SET cause = ?1, family_situation = ?2, priority = ?3,
                version = version + 1 WHERE id = ?4 AND version = ?5",
        )?
        .execute(params![
            c.cause,
            c.family_situation,
            c.priority.code(),
            id,
            version
        ])?;
    if n == 0 {
        return Err(conflict());
    }
    write_categories(&tx, id, &c.categories)?;
    write_family(&tx, id, &c.family)?;
    tx.commit()?;
    Ok(())
}

fn conflict() -> DbError {
    DbError::Conflict {
        zh: "另一位经办人刚修改了这份台账，请重新打开后再办理".into(),
        en: "another clerk changed this case meanwhile: open it again".into(),
    }
}

/// Inserts one step row (no checks). Part of the caller's transaction.
pub fn insert_step(conn: &Connection, case_id: i64, s: &Step) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO hardship_steps (case_id, step, date, clerk, votes_for, votes_against,
            votes_abstain, public_from, public_to, reason, note, submitted_to, imported)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        case_id,
        s.state.code(),
        date_text(s.date),
        s.clerk,
        s.votes.map(|v| v.for_),
        s.votes.map(|v| v.against),
        s.votes.map(|v| v.abstain),
        s.public.map(|p| date_text(p.0)),
        s.public.map(|p| date_text(p.1)),
        s.reason,
        s.note,
        s.submitted_to,
        s.imported as i64,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The step row a request makes.
fn step_of(req: &StepRequest, clerk: &str) -> Step {
    let mut s = Step {
        id: 0,
        state: req.data.state(),
        date: req.date,
        clerk: clerk.to_string(),
        note: req.note.trim().to_string(),
        votes: None,
        public: None,
        submitted_to: String::new(),
        reason: String::new(),
        imported: false,
    };
    match &req.data {
        StepData::Review(v) => s.votes = Some(*v),
        StepData::Publicize { from, to } => s.public = Some((*from, *to)),
        StepData::Submit { to } => s.submitted_to = to.trim().to_string(),
        StepData::Reject { reason, votes } => {
            s.reason = reason.trim().to_string();
            s.votes = *votes;
        }
        StepData::Close { reason } => s.reason = reason.trim().to_string(),
        StepData::Approve | StepData::Activate | StepData::Resolve => {}
    }
    s
}

/// Moves the case to the step's state (approval sets approved_on).
fn set_state(conn: &Connection, case_id: i64, s: &Step) -> Result<()> {
    if s.state == CaseState::Approved {
        conn.prepare_cached(
            "UPDATE hardship_cases SET state = ?1, approved_on = ?2, version = version + 1 WHERE id = ?3",
        )?
        .execute(params![s.state.code(), date_text(s.date), case_id])?;
    } else {
        conn.prepare_cached(
            "UPDATE hardship_cases SET state = ?1, version = version + 1 WHERE id = ?2",
        )?
        .execute(params![s.state.code(), case_id])?;
    }
    Ok(())
}

fn state_of(conn: &Connection, case_id: i64) -> Result<(CaseState, i64)> {
    let s: Option<(String, i64)> = conn
        .prepare_cached("SELECT state, version FROM hardship_cases WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (s, v) = s.ok_or_else(|| DbError::invalid("没有这份台账", "no such case"))?;
    Ok((CaseState::from_code(&s).unwrap_or(CaseState::Applied), v))
}

/// Records a step inside the caller's transaction, checking it against the
/// case as it is now.
pub fn add_step(
    conn: &Connection,
    case_id: i64,
    req: &StepRequest,
    min_notice_days: i64,
    today: NaiveDate,
    clerk: &str,
) -> Result<i64> {
    let (state, _) = state_of(conn, case_id)?;
    let history = steps(conn, case_id)?;
    hardship::check_step(state, &history, req, min_notice_days, today)
        .map_err(|e| DbError::invalid(e.zh, e.en))?;
    let s = step_of(req, clerk);
    let id = insert_step(conn, case_id, &s)?;
    set_state(conn, case_id, &s)?;
    Ok(id)
}

/// Records a step of the workflow in one transaction, if the case is still
/// at `version` (else another clerk moved it: conflict).
pub fn record_step(
    conn: &mut Connection,
    case_id: i64,
    version: i64,
    req: &StepRequest,
    min_notice_days: i64,
    today: NaiveDate,
) -> Result<i64> {
    let tx = write_tx(
        conn,
        &Actor::new(format!("form: hardship step {}", req.data.state().code())),
    )?;
    let (_, v) = state_of(&tx, case_id)?;
    if v != version {
        return Err(conflict());
    }
    let id = add_step(&tx, case_id, req, min_notice_days, today, &os_user())?;
    tx.commit()?;
    Ok(id)
}

/// Records an annual review (年审) in one transaction; 已脱困 also records
/// the 已脱困 step on the same day.
pub fn record_review(
    conn: &mut Connection,
    case_id: i64,
    date: NaiveDate,
    outcome: ReviewOutcome,
    note: &str,
    today: NaiveDate,
) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: hardship review"))?;
    let id = add_review(&tx, case_id, date, outcome, note, today, &os_user())?;
    tx.commit()?;
    Ok(id)
}

/// An annual review inside the caller's transaction.
pub fn add_review(
    conn: &Connection,
    case_id: i64,
    date: NaiveDate,
    outcome: ReviewOutcome,
    note: &str,
    today: NaiveDate,
    clerk: &str,
) -> Result<i64> {
    let row =
        case(conn, case_id)?.ok_or_else(|| DbError::invalid("没有这份台账", "no such case"))?;
    hardship::check_review(
        row.state,
        row.approved_on,
        row.last_review,
        date,
        outcome,
        today,
    )
    .map_err(|e| DbError::invalid(e.zh, e.en))?;
    conn.prepare_cached(
        "INSERT INTO hardship_reviews (case_id, date, clerk, note, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        case_id,
        date_text(date),
        clerk,
        note.trim(),
        outcome.code()
    ])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("UPDATE hardship_cases SET version = version + 1 WHERE id = ?1")?
        .execute([case_id])?;
    if outcome == ReviewOutcome::Resolved {
        let req = StepRequest {
            date,
            note: note.trim().to_string(),
            data: StepData::Resolve,
        };
        add_step(conn, case_id, &req, 1, today, clerk)?;
    }
    Ok(id)
}

/// Inserts one review row (no checks). Part of the caller's transaction.
pub fn insert_review(
    conn: &Connection,
    case_id: i64,
    date: NaiveDate,
    clerk: &str,
    note: &str,
    outcome: ReviewOutcome,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO hardship_reviews (case_id, date, clerk, note, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![case_id, date_text(date), clerk, note, outcome.code()])?;
    Ok(conn.last_insert_rowid())
}

/// A new help measure (帮扶措施).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeasure {
    pub kind: MeasureKind,
    pub plan: String,
    pub responsible: String,
    pub start_date: Option<NaiveDate>,
}

/// Adds a measure to a case inside the caller's transaction.
pub fn insert_measure(conn: &Connection, case_id: i64, m: &NewMeasure) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO hardship_measures (case_id, kind, plan, responsible, start_date)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        case_id,
        m.kind.code(),
        m.plan.trim(),
        m.responsible.trim(),
        m.start_date.map(date_text)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds a measure in one transaction.
pub fn add_measure(conn: &mut Connection, case_id: i64, m: &NewMeasure) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: hardship measure"))?;
    live_for_help(&tx, case_id)?;
    let id = insert_measure(&tx, case_id, m)?;
    tx.commit()?;
    Ok(id)
}

/// Help is planned and given for a case that is not closed, resolved or rejected.
fn live_for_help(conn: &Connection, case_id: i64) -> Result<()> {
    let (state, _) = state_of(conn, case_id)?;
    if hardship::is_final(state) {
        return Err(DbError::invalid(
            format!("台账已是「{}」，不再登记帮扶", state.zh()),
            format!("the case is {}: no more help is recorded", state.en()),
        ));
    }
    Ok(())
}

/// A dated entry of a measure's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub date: NaiveDate,
    pub action: String,
    pub amount_fen: Option<i64>,
    pub goods: String,
}

/// Adds an entry to a measure's log inside the caller's transaction.
pub fn insert_action(
    conn: &Connection,
    measure_id: i64,
    a: &NewAction,
    clerk: &str,
) -> Result<i64> {
    if a.action.trim().is_empty() {
        return Err(DbError::invalid("请填写做了什么", "say what was done"));
    }
    if a.amount_fen.is_some_and(|f| f <= 0) {
        return Err(DbError::invalid(
            "金额须大于 0",
            "the amount must be above 0",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO hardship_measure_actions (measure_id, date, action, amount_fen, goods, clerk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        measure_id,
        date_text(a.date),
        a.action.trim(),
        a.amount_fen,
        a.goods.trim(),
        clerk
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds an entry to a measure's log in one transaction; the date may not be
/// after today nor before the measure started.
pub fn add_action(
    conn: &mut Connection,
    measure_id: i64,
    a: &NewAction,
    today: NaiveDate,
) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: hardship measure action"))?;
    let m: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT case_id, start_date FROM hardship_measures WHERE id = ?1")?
        .query_row([measure_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (case_id, start) = m.ok_or_else(|| DbError::invalid("没有这项措施", "no such measure"))?;
    live_for_help(&tx, case_id)?;
    if a.date > today {
        return Err(DbError::invalid(
            format!("日期 {} 晚于今天", a.date),
            format!("{} is after today", a.date),
        ));
    }
    if let Some(s) = parse_date(start)
        && a.date < s
    {
        return Err(DbError::invalid(
            format!("日期早于措施开始日期 {s}"),
            format!("the date is before the measure started on {s}"),
        ));
    }
    let id = insert_action(&tx, measure_id, a, &os_user())?;
    tx.commit()?;
    Ok(id)
}

/// Pairs a helper with a case inside the caller's transaction; the same
/// member or unit twice, or the member helping their own case, is refused.
pub fn insert_helper(
    conn: &Connection,
    case_id: i64,
    helper: &HelperKind,
    since: Option<NaiveDate>,
) -> Result<i64> {
    match helper {
        HelperKind::Member { id, name, .. } => {
            let own: i64 = conn
                .prepare_cached("SELECT member_id FROM hardship_cases WHERE id = ?1")?
                .query_row([case_id], |r| r.get(0))?;
            if own == *id {
                return Err(DbError::invalid(
                    "帮扶人不能是困难党员本人",
                    "the member cannot be their own helper",
                ));
            }
            let dup: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM hardship_helpers WHERE case_id = ?1 AND helper_member_id = ?2)",
                )?
                .query_row(params![case_id, id], |r| r.get(0))?;
            if dup {
                return Err(DbError::invalid(
                    format!("{name} 已是这份台账的帮扶人"),
                    format!("{name} already helps in this case"),
                ));
            }
            conn.prepare_cached(
                "INSERT INTO hardship_helpers (case_id, helper_member_id, since) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![case_id, id, since.map(date_text)])?;
        }
        HelperKind::Unit(unit) => {
            let unit = unit.trim();
            if unit.is_empty() {
                return Err(DbError::invalid(
                    "请填写帮扶单位名称",
                    "enter the unit's name",
                ));
            }
            let dup: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM hardship_helpers WHERE case_id = ?1 AND unit_name = ?2)",
                )?
                .query_row(params![case_id, unit], |r| r.get(0))?;
            if dup {
                return Err(DbError::invalid(
                    format!("{unit} 已是这份台账的帮扶单位"),
                    format!("{unit} already helps in this case"),
                ));
            }
            conn.prepare_cached(
                "INSERT INTO hardship_helpers (case_id, unit_name, since) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![case_id, unit, since.map(date_text)])?;
        }
    }
    Ok(conn.last_insert_rowid())
}

/// Pairs a helper with a case in one transaction.
pub fn add_helper(
    conn: &mut Connection,
    case_id: i64,
    helper: &HelperKind,
    since: Option<NaiveDate>,
) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: hardship helper"))?;
    live_for_help(&tx, case_id)?;
    let id = insert_helper(&tx, case_id, helper, since)?;
    tx.commit()?;
    Ok(id)
}

/// One case on a public notice (公示).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub code: String,
    pub name: String,
    pub gender: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub cause: String,
    pub priority: Priority,
    pub state: CaseState,
    /// The notice window; none for a case an import put in 公示 (its window
    /// was not recorded).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The cases of a public notice. With no period: every case now in 公示
/// (one an import put there, without its window, too).
/// With one: every case whose notice window overlaps [from, to] (an open end
/// is unbounded), whatever its state now. By notice start, then pinyin.
pub fn notice_rows(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<NoticeRow>> {
    let period = from.is_some() || to.is_some();
    let mut stmt = conn.prepare_cached(
        "SELECT m.code, m.name, m.gender, m.id_number, m.phone, c.year,
            (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
            c.cause, c.priority, c.state, s.public_from, s.public_to
         FROM hardship_steps s JOIN hardship_cases c ON c.id = s.case_id
         JOIN members m ON m.id = c.member_id
         WHERE s.step = 'publicized'
           AND (CASE WHEN ?1 THEN s.public_from IS NOT NULL AND s.public_to IS NOT NULL
                     AND (?2 IS NULL OR s.public_to >= ?2) AND (?3 IS NULL OR s.public_from <= ?3)
                ELSE c.state = 'publicized' END)
         ORDER BY s.public_from IS NULL, s.public_from, m.sort_key, m.code, c.year",
    )?;
    let v = stmt.query_map(
        params![period, from.map(date_text), to.map(date_text)],
        |r| {
            Ok(NoticeRow {
                code: r.get(0)?,
                name: r.get(1)?,
                gender: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                id_number: r.get(3)?,
                phone: r.get(4)?,
                year: r.get(5)?,
                categories: categories_of(r.get(6)?),
                cause: r.get(7)?,
                priority: Priority::from_code(&r.get::<_, String>(8)?).unwrap_or(Priority::Normal),
                state: CaseState::from_code(&r.get::<_, String>(9)?).unwrap_or(CaseState::Applied),
                from: parse_date(r.get(10)?),
                to: parse_date(r.get(11)?),
            })
        },
    )?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests;
