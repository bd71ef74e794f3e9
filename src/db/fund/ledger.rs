//! What the fund shows outside: the payments on a public notice (救助公示)
//! and the ledger as exported.

use super::*;

/// A payment to a person on the public notice (救助公示).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticePayment {
    pub entry: Entry,
    pub code: String,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

/// The payments to people dated in [from, to] (open ends unbounded) that
/// stand (not reversed), by date.
pub fn notice_payments(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<NoticePayment>> {
    let sql = format!(
        "SELECT {}, m.code, m.name, m.id_number, m.phone
         FROM fund_entries f JOIN members m ON m.id = f.member_id
         WHERE f.direction = 'out' AND f.reverses_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = f.id)
           AND (?1 IS NULL OR f.date >= ?1) AND (?2 IS NULL OR f.date <= ?2)
         ORDER BY f.date, f.id",
        ENTRY_COLS
            .split(',')
            .map(|c| format!("f.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let v = stmt.query_map(params![from.map(date_text), to.map(date_text)], |r| {
        Ok(NoticePayment {
            entry: entry_row(r)?,
            code: r.get(17)?,
            name: r.get(18)?,
            id_number: r.get(19)?,
            phone: r.get(20)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Members by id: (code, name), for lists that name entries' members.
pub fn member_names(conn: &Connection) -> Result<HashMap<i64, (String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM members")?;
    let v = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// One line of the ledger as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub date: Option<NaiveDate>,
    pub direction: Direction,
    /// The code of an `IncomeCategory` or an `ExpenseCategory`.
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
    pub subsidy_month: Option<String>,
    pub hash: String,
    /// The entry's id: its place in the chain.
    pub id: i64,
    pub case_id: Option<i64>,
    pub measure_id: Option<i64>,
    pub loan_id: Option<i64>,
    /// The year and voucher number of the reversal of this entry.
    pub reversed_by: Option<(i64, String)>,
    pub prev_hash: String,
}

/// Every entry in chain order, with its member and the voucher it reverses.
pub fn stream_ledger(conn: &Connection, consume: Consume<'_, LedgerRow>) -> Result<()> {
    let sql = "SELECT f.date, f.direction, f.category, f.amount_fen, m.code, m.name, f.voucher_no,
                      f.handled_by, f.approved_by, f.note, r.year, r.voucher_no, f.subsidy_month, f.hash,
                      f.id, f.case_id, f.measure_id, f.loan_id, b.year, b.voucher_no, f.prev_hash
               FROM fund_entries f
               LEFT JOIN members m ON m.id = f.member_id
               LEFT JOIN fund_entries r ON r.id = f.reverses_id
               LEFT JOIN fund_entries b ON b.reverses_id = f.id
               ORDER BY f.id";
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
            subsidy_month: r.get(12)?,
            hash: r.get(13)?,
            id: r.get(14)?,
            case_id: r.get(15)?,
            measure_id: r.get(16)?,
            loan_id: r.get(17)?,
            reversed_by: match (r.get(18)?, r.get(19)?) {
                (Some(year), Some(voucher)) => Some((year, voucher)),
                _ => None,
            },
            prev_hash: r.get(20)?,
        })
    };
    stream(conn, sql, [], row, consume)
}
