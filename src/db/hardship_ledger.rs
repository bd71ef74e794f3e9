//! The hardship ledger as a file sees it (`export hardship`, `import hardship`):
//! one row per case with what the richer model holds summed up (family,
//! helpers, measures), and the writes an import makes — the fields a row
//! corrects, and the steps of the workflow up to the state it names, marked
//! as imported.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::export::{Consume, stream};
use super::hardship::FamilyMember;
use super::records::OfMember;
use super::{Result, date_text, parse_date};
use crate::domain::hardship::Step;
use crate::domain::records::HardshipCase;
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, MeasureKind, Priority};

/// One case of the ledger file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCase {
    pub case: OfMember<HardshipCase>,
    /// The day of the application (the first step).
    pub applied_on: Option<NaiveDate>,
    pub family: Vec<FamilyMember>,
    /// Helpers' names (a member's or the unit's), in the order paired.
    pub helpers: Vec<String>,
    /// The kinds of the case's measures, each once, in the order planned.
    pub measures: Vec<MeasureKind>,
}

/// Separates the fields of one family member, and the members, in the query.
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

const LEDGER_SQL: &str =
    "SELECT c.id, c.member_id, c.year, c.cause, c.priority, c.state, c.approved_on,
     (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
     (SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id),
     m.code, m.name,
     (SELECT date FROM hardship_steps s WHERE s.case_id = c.id ORDER BY s.id LIMIT 1),
     (SELECT group_concat(relation || char(31) || name || char(31) || income_fen, char(30))
        FROM (SELECT * FROM hardship_family f WHERE f.case_id = c.id ORDER BY f.id)),
     (SELECT group_concat(coalesce(hm.name, h.unit_name), char(30)) FROM
        (SELECT * FROM hardship_helpers WHERE case_id = c.id ORDER BY id) h
        LEFT JOIN members hm ON hm.id = h.helper_member_id),
     (SELECT group_concat(kind, ',') FROM
        (SELECT kind FROM hardship_measures WHERE case_id = c.id ORDER BY id))
     FROM hardship_cases c JOIN members m ON m.id = c.member_id
     ORDER BY c.year DESC, m.sort_key, m.code";

fn categories(s: Option<String>) -> Vec<HardshipCategory> {
    s.unwrap_or_default()
        .split(',')
        .filter_map(HardshipCategory::from_code)
        .collect()
}

fn case_of(r: &Row<'_>) -> rusqlite::Result<HardshipCase> {
    Ok(HardshipCase {
        id: r.get(0)?,
        member_id: r.get(1)?,
        year: r.get(2)?,
        cause: r.get(3)?,
        priority: Priority::from_code(&r.get::<_, String>(4)?).unwrap_or(Priority::Normal),
        state: CaseState::from_code(&r.get::<_, String>(5)?).unwrap_or(CaseState::Applied),
        approved_on: parse_date(r.get(6)?),
        categories: categories(r.get(7)?),
        last_review: parse_date(r.get(8)?),
    })
}

fn ledger_row(r: &Row<'_>) -> rusqlite::Result<LedgerCase> {
    let family = r
        .get::<_, Option<String>>(12)?
        .unwrap_or_default()
        .split(RECORD)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut f = s.split(FIELD);
            FamilyMember {
                relation: f.next().unwrap_or("").to_string(),
                name: f.next().unwrap_or("").to_string(),
                income_fen: f.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            }
        })
        .collect();
    let helpers = r
        .get::<_, Option<String>>(13)?
        .unwrap_or_default()
        .split(RECORD)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut measures: Vec<MeasureKind> = Vec::new();
    for k in r
        .get::<_, Option<String>>(14)?
        .unwrap_or_default()
        .split(',')
        .filter_map(MeasureKind::from_code)
    {
        if !measures.contains(&k) {
            measures.push(k);
        }
    }
    Ok(LedgerCase {
        case: OfMember {
            code: r.get(9)?,
            name: r.get(10)?,
            record: case_of(r)?,
        },
        applied_on: parse_date(r.get(11)?),
        family,
        helpers,
        measures,
    })
}

/// Every case of the ledger, newest year first, then by member in pinyin order.
pub fn stream_ledger(conn: &Connection, consume: Consume<'_, LedgerCase>) -> Result<()> {
    stream(conn, LEDGER_SQL, [], ledger_row, consume)
}

/// One case as an import compares it, by id.
pub fn case_by_id(conn: &Connection, id: i64) -> Result<Option<HardshipCase>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.member_id, c.year, c.cause, c.priority, c.state, c.approved_on,
              (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
              (SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id)
             FROM hardship_cases c WHERE c.id = ?1",
        )?
        .query_row([id], case_of)
        .optional()?)
}

/// Sets what a row says of an existing case — cause, priority, categories —
/// writing only what differs; true when something did.
pub fn correct_case(
    conn: &Connection,
    id: i64,
    cause: &str,
    priority: Priority,
    cats: &[HardshipCategory],
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE hardship_cases SET cause = ?1, priority = ?2, version = version + 1
             WHERE id = ?3 AND (cause IS NOT ?1 OR priority IS NOT ?2)",
        )?
        .execute(params![cause, priority.code(), id])?;
    let mut changed = n > 0;
    let now: Vec<String> = conn
        .prepare_cached("SELECT category FROM hardship_case_categories WHERE case_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for old in &now {
        if !cats.iter().any(|c| c.code() == old) {
            conn.prepare_cached(
                "DELETE FROM hardship_case_categories WHERE case_id = ?1 AND category = ?2",
            )?
            .execute(params![id, old])?;
            changed = true;
        }
    }
    for c in cats {
        changed |= conn
            .prepare_cached(
                "INSERT OR IGNORE INTO hardship_case_categories (case_id, category) VALUES (?1, ?2)",
            )?
            .execute(params![id, c.code()])?
            > 0;
    }
    Ok(changed)
}

/// Adds the steps `states` to a case, each on the day `date_of` gives it,
/// signed by `clerk`, noted 导入 and marked imported, and moves the case to
/// the last of them (审核通过 sets approved_on to its date). The caller has
/// checked that they continue the case's path.
pub fn add_imported_steps(
    conn: &Connection,
    case_id: i64,
    states: &[CaseState],
    date_of: impl Fn(CaseState) -> NaiveDate,
    clerk: &str,
) -> Result<()> {
    let Some(&last) = states.last() else {
        return Ok(());
    };
    for &state in states {
        super::hardship::insert_step(
            conn,
            case_id,
            &Step {
                id: 0,
                state,
                date: date_of(state),
                clerk: clerk.to_string(),
                note: IMPORTED_NOTE.into(),
                votes: None,
                public: None,
                submitted_to: String::new(),
                reason: String::new(),
                imported: true,
            },
        )?;
    }
    let approved = states
        .contains(&CaseState::Approved)
        .then(|| date_text(date_of(CaseState::Approved)));
    conn.prepare_cached(
        "UPDATE hardship_cases SET state = ?1, approved_on = coalesce(?2, approved_on),
            version = version + 1 WHERE id = ?3",
    )?
    .execute(params![last.code(), approved, case_id])?;
    Ok(())
}

/// The note of a step an import made.
pub const IMPORTED_NOTE: &str = "导入";
