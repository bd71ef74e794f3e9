//! The help fund ledger (帮扶基金): entries are never edited or deleted (a
//! mistake is corrected by a reversing entry), so there are only inserts and reads.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::export::{Consume, stream};
use super::{Result, date_text, parse_date};
use crate::domain::vocab::{Coded, Direction};

/// A new fund entry (收入 or 支出) with its voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFundEntry {
    pub date: NaiveDate,
    pub direction: Direction,
    /// The code of an `IncomeCategory` or an `ExpenseCategory`, by `direction`.
    pub category: String,
    pub amount_fen: i64,
    pub member_id: Option<i64>,
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
}

/// Adds an entry; the schema refuses a negative balance, a locked period or a
/// voucher number used twice in a year. Part of the caller's transaction.
pub fn insert_entry(conn: &Connection, e: &NewFundEntry) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO fund_entries (date, direction, category, amount_fen, member_id, voucher_no,
            handled_by, approved_by, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        date_text(e.date),
        e.direction.code(),
        e.category,
        e.amount_fen,
        e.member_id,
        e.voucher_no,
        e.handled_by,
        e.approved_by,
        e.note
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One line of the ledger as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub date: Option<NaiveDate>,
    pub direction: Direction,
    /// The code of an `IncomeCategory` or an `ExpenseCategory`, by `direction`.
    pub category: String,
    pub amount_fen: i64,
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
    /// The year and voucher number of the entry this one reverses (voucher
    /// numbers are unique per year).
    pub reverses: Option<(i64, String)>,
}

/// Every entry in date order, with its member and the voucher it reverses.
pub fn stream_ledger(conn: &Connection, consume: Consume<'_, LedgerRow>) -> Result<()> {
    let sql = "SELECT f.date, f.direction, f.category, f.amount_fen, m.code, m.name, f.voucher_no,
                      f.handled_by, f.approved_by, f.note, r.year, r.voucher_no
               FROM fund_entries f
               LEFT JOIN members m ON m.id = f.member_id
               LEFT JOIN fund_entries r ON r.id = f.reverses_id
               ORDER BY f.date, f.id";
    let row = |r: &rusqlite::Row<'_>| {
        let direction: String = r.get(1)?;
        let reverses = match (r.get(10)?, r.get(11)?) {
            (Some(year), Some(voucher)) => Some((year, voucher)),
            _ => None,
        };
        Ok(LedgerRow {
            date: parse_date(r.get(0)?),
            direction: if direction == "in" {
                Direction::In
            } else {
                Direction::Out
            },
            category: r.get(2)?,
            amount_fen: r.get(3)?,
            member_code: r.get(4)?,
            member_name: r.get(5)?,
            voucher_no: r.get(6)?,
            handled_by: r.get(7)?,
            approved_by: r.get(8)?,
            note: r.get(9)?,
            reverses,
        })
    };
    stream(conn, sql, [], row, consume)
}
