//! 定时审计: closing a period (locked from then on) and the audits closed.

use super::*;

/// A closed audit (定时审计).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub auditor: String,
    pub closed_on: NaiveDate,
    pub closed_by: String,
    pub opening_fen: i64,
    pub income_fen: i64,
    pub payments_fen: i64,
    pub closing_fen: i64,
    pub entries: i64,
    pub chain_last_id: Option<i64>,
    pub chain_head: String,
    pub note: String,
}

/// Every closed audit, oldest period first.
pub fn audits(conn: &Connection) -> Result<Vec<Audit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date_from, date_to, auditor, closed_on, closed_by, opening_balance_fen,
                income_fen, payments_fen, closing_balance_fen, entries, chain_last_id, chain_head, note
         FROM audits ORDER BY date_from",
    )?;
    let v = stmt.query_map([], |r| {
        Ok(Audit {
            id: r.get(0)?,
            from: parse_date(r.get(1)?).unwrap_or_default(),
            to: parse_date(r.get(2)?).unwrap_or_default(),
            auditor: r.get(3)?,
            closed_on: parse_date(r.get(4)?).unwrap_or_default(),
            closed_by: r.get(5)?,
            opening_fen: r.get(6)?,
            income_fen: r.get(7)?,
            payments_fen: r.get(8)?,
            closing_fen: r.get(9)?,
            entries: r.get(10)?,
            chain_last_id: r.get(11)?,
            chain_head: r.get(12)?,
            note: r.get(13)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// An audit's stored totals by direction and category.
pub fn audit_totals(conn: &Connection, audit_id: i64) -> Result<Vec<(Direction, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT direction, category, amount_fen FROM audit_totals WHERE audit_id = ?1",
    )?;
    let v = stmt.query_map([audit_id], |r| {
        Ok((
            if r.get::<_, String>(0)? == "out" {
                Direction::Out
            } else {
                Direction::In
            },
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// The period the next audit proposes: from the day after the last audited
/// period (or the first entry) to `to`.
pub fn next_audit_from(conn: &Connection) -> Result<Option<NaiveDate>> {
    let last: Option<String> =
        conn.query_row("SELECT max(date_to) FROM audits", [], |r| r.get(0))?;
    if let Some(d) = parse_date(last) {
        return Ok(d.succ_opt());
    }
    let first: Option<String> =
        conn.query_row("SELECT min(date) FROM fund_entries", [], |r| r.get(0))?;
    Ok(parse_date(first))
}

/// What closing [from, to] would record, or why it cannot be closed.
pub fn audit_preview(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<std::result::Result<(AuditFigures, String), FundError>> {
    if to < from {
        return Ok(Err(FundError::new(
            "to",
            format!("截止日期早于起始日期 {from}"),
            format!("the period ends before it starts, {from}"),
        )));
    }
    if to > today {
        return Ok(Err(FundError::new(
            "to",
            "不能结账到今天以后",
            "a period cannot be closed beyond today",
        )));
    }
    let overlap: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT date_from, date_to FROM audits WHERE date_from <= ?2 AND ?1 <= date_to LIMIT 1",
        )?
        .query_row(params![date_text(from), date_text(to)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((a, b)) = overlap {
        return Ok(Err(FundError::new(
            "from",
            format!("与已审计的 {a} 至 {b} 重叠"),
            format!("overlaps the audited period {a} to {b}"),
        )));
    }
    let all = entries(conn)?;
    let head = fund::verify_chain(&all);
    let head = match head {
        Ok(h) => h,
        Err(b) => {
            return Ok(Err(FundError::new(
                "",
                format!(
                    "账目链在第 {} 条处被改动：先查明原因（guanhuai fund verify），不能结账",
                    b.id()
                ),
                format!(
                    "the chain breaks at entry {}: find out why (guanhuai fund verify) before closing",
                    b.id()
                ),
            )));
        }
    };
    Ok(Ok((fund::audit_figures(&all, from, to), head)))
}

/// Closes [from, to] (定时审计) in one transaction: the period is locked, its
/// totals by category, the balances and the chain head are kept.
pub fn close_audit(
    conn: &mut Connection,
    from: NaiveDate,
    to: NaiveDate,
    auditor: &str,
    note: &str,
    today: NaiveDate,
) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: fund audit"))?;
    let id = insert_audit(&tx, from, to, auditor, note, today)?;
    tx.commit()?;
    Ok(id)
}

/// An audit inside the caller's transaction.
pub fn insert_audit(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    auditor: &str,
    note: &str,
    today: NaiveDate,
) -> Result<i64> {
    if auditor.trim().is_empty() {
        return Err(DbError::invalid("请填写审计人", "enter the auditor's name"));
    }
    let (f, head) = audit_preview(conn, from, to, today)?.map_err(refused)?;
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM fund_entries", [], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO audits (date_from, date_to, auditor, closed_on, closed_by, opening_balance_fen,
            income_fen, payments_fen, closing_balance_fen, entries, chain_last_id, chain_head, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        date_text(from),
        date_text(to),
        auditor.trim(),
        date_text(today),
        os_user(),
        f.opening_fen,
        f.income_fen,
        f.payments_fen,
        f.closing_fen,
        f.entries as i64,
        last,
        if last.is_some() { head } else { String::new() },
        note.trim(),
    ])?;
    let id = conn.last_insert_rowid();
    for (dir, list) in [(Direction::In, &f.income), (Direction::Out, &f.payments)] {
        for (cat, v) in list {
            conn.prepare_cached(
                "INSERT INTO audit_totals (audit_id, direction, category, amount_fen) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, dir.code(), cat, v])?;
        }
    }
    Ok(id)
}
