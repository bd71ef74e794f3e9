//! Help measures (帮扶措施) with their dated logs, and the helpers paired
//! with a case (结对帮扶).

use super::*;

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
