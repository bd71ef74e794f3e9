//! The workflow's steps and the annual reviews (年审), checked against the
//! case as it is now, inside the writing transaction.

use super::*;

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

pub(super) fn state_of(conn: &Connection, case_id: i64) -> Result<(CaseState, i64)> {
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
