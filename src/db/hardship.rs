//! The steps (审批流程) and annual reviews (年审) of a hardship case. The case
//! itself, with its categories, is in `records`.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{Result, date_text};
use crate::domain::vocab::{CaseState, Coded};

/// One step of a case's procedure: who recorded it when, the branch vote of a
/// review (赞成/反对/弃权), the window of a public notice (公示).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardshipStep {
    pub case_id: i64,
    pub step: CaseState,
    pub date: NaiveDate,
    pub clerk: String,
    /// (for, against, abstaining)
    pub votes: Option<(i64, i64, i64)>,
    /// (from, to)
    pub public: Option<(NaiveDate, NaiveDate)>,
}

/// Records a step of a case. Part of the caller's transaction.
pub fn insert_step(conn: &Connection, s: &HardshipStep) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO hardship_steps (case_id, step, date, clerk, votes_for, votes_against, votes_abstain,
            public_from, public_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        s.case_id,
        s.step.code(),
        date_text(s.date),
        s.clerk,
        s.votes.map(|v| v.0),
        s.votes.map(|v| v.1),
        s.votes.map(|v| v.2),
        s.public.map(|p| date_text(p.0)),
        s.public.map(|p| date_text(p.1)),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Records an annual review (年审) of a case. Part of the caller's transaction.
pub fn insert_review(
    conn: &Connection,
    case_id: i64,
    date: NaiveDate,
    clerk: &str,
    note: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO hardship_reviews (case_id, date, clerk, note) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![case_id, date_text(date), clerk, note])?;
    Ok(conn.last_insert_rowid())
}
