//! The help fund ledger (帮扶基金): entries are only ever added. Every write
//! here is one transaction with its audit rows, checks in the domain what the
//! schema's triggers check again (a balance below zero on any day, a locked
//! period, a voucher used twice, a second reversal), and extends the hash
//! chain: the new entry gets the next id and the SHA-256 of the last entry's
//! hash and its own fields.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{Actor, os_user, write_tx};
use super::export::{Consume, stream};
use super::{DbError, Result, date_text, parse_date};
use crate::domain::fund::{
    self, AuditFigures, ChainBreak, Entry, FundError, GENESIS, Instalment, entry_hash,
};
use crate::domain::member::Member;
use crate::domain::money::{MAX_FEN, format_money};
use crate::domain::settings::Settings;
use crate::domain::vocab::{Coded, Direction};

const ENTRY_COLS: &str = "id, date, direction, category, amount_fen, member_id, case_id, measure_id,
    voucher_no, handled_by, approved_by, note, reverses_id, loan_id, subsidy_month, prev_hash, hash";

fn entry_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        date: parse_date(r.get(1)?).unwrap_or_default(),
        direction: if r.get::<_, String>(2)? == "out" {
            Direction::Out
        } else {
            Direction::In
        },
        category: r.get(3)?,
        amount_fen: r.get(4)?,
        member_id: r.get(5)?,
        case_id: r.get(6)?,
        measure_id: r.get(7)?,
        voucher_no: r.get(8)?,
        handled_by: r.get(9)?,
        approved_by: r.get(10)?,
        note: r.get(11)?,
        reverses_id: r.get(12)?,
        loan_id: r.get(13)?,
        subsidy_month: r.get(14)?,
        prev_hash: r.get(15)?,
        hash: r.get(16)?,
    })
}

/// Every entry, in id (chain) order.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLS} FROM fund_entries ORDER BY id"
    ))?;
    let v = stmt.query_map([], entry_row)?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// One entry by id.
pub fn entry(conn: &Connection, id: i64) -> Result<Option<Entry>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLS} FROM fund_entries WHERE id = ?1"
        ))?
        .query_row([id], entry_row)
        .optional()?)
}

/// How long the ledger is (entry ids run 1, 2, 3 …): from the index.
pub fn len(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM fund_entries", [], |r| {
            r.get(0)
        })?,
    )
}

/// The balance now (every entry): the sum of the per-day nets the insert
/// trigger keeps (`fund_days`; entries are never updated or deleted).
pub fn balance(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(sum(net), 0) FROM fund_days", [], |r| {
            r.get(0)
        })?,
    )
}

/// The voucher number proposed next for `year`: one past the highest
/// `YYYY-NNNN` used that year, as `fund::next_voucher` finds it, from the
/// number the insert trigger keeps per year (`fund_voucher_max`), so a batch
/// of a hundred thousand payments does not read every voucher for each.
pub fn propose_voucher(conn: &Connection, year: i32) -> Result<String> {
    let n: i64 = conn
        .prepare_cached("SELECT n FROM fund_voucher_max WHERE year = ?1")?
        .query_row([year], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    Ok(format!("{year}-{:04}", n + 1))
}

/// One entry per day with money on it, carrying that day's net amount (an
/// income when the net is positive): what the balance checks
/// (`fund::check_payment`, `balance_on`, `lowest_from`) need, read from the
/// per-day totals the insert trigger keeps (`fund_days`) instead of every entry.
pub fn day_totals(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached("SELECT date, net FROM fund_days ORDER BY date")?;
    let mut q = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = q.next()? {
        let (Some(date), net) = (parse_date(r.get(0)?), r.get::<_, i64>(1)?) else {
            continue;
        };
        out.push(Entry {
            id: 0,
            date,
            direction: if net >= 0 {
                Direction::In
            } else {
                Direction::Out
            },
            category: String::new(),
            amount_fen: net.abs(),
            member_id: None,
            case_id: None,
            measure_id: None,
            voucher_no: String::new(),
            handled_by: String::new(),
            approved_by: String::new(),
            note: String::new(),
            reverses_id: None,
            loan_id: None,
            subsidy_month: None,
            prev_hash: String::new(),
            hash: String::new(),
        });
    }
    Ok(out)
}

/// The audited period that locks `date`, if any: the one it falls in, else
/// the latest one ending after it. A day before an audited period is locked
/// too: an entry dated then would change that audit's opening balance.
pub fn locked_period(conn: &Connection, date: NaiveDate) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let p: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT date_from, date_to FROM audits WHERE ?1 <= date_to
             ORDER BY ?1 BETWEEN date_from AND date_to DESC, date_to DESC LIMIT 1",
        )?
        .query_row([date_text(date)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(p.and_then(|(a, b)| Some((parse_date(Some(a))?, parse_date(Some(b))?))))
}

/// A new entry, as a form or a batch asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewEntry {
    pub date: NaiveDate,
    pub direction: Direction,
    /// The code of an `IncomeCategory` or an `ExpenseCategory`, by `direction`.
    pub category: String,
    pub amount_fen: i64,
    pub member_id: Option<i64>,
    pub case_id: Option<i64>,
    pub measure_id: Option<i64>,
    /// Empty: the next number of the year is given.
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
    pub loan_id: Option<i64>,
    pub subsidy_month: Option<String>,
}

fn refused(e: FundError) -> DbError {
    DbError::invalid(e.zh, e.en)
}

/// Checks what is wrong with an entry before it is written: amount, category,
/// member, date (not after today, not in an audited period), voucher, and for
/// a payment the balance on its date and every later day. `existing` is every
/// entry now. The same checks run in `insert`.
pub fn check_new(
    conn: &Connection,
    e: &NewEntry,
    existing: &[Entry],
    today: NaiveDate,
) -> Result<std::result::Result<(), FundError>> {
    if e.amount_fen <= 0 {
        return Ok(Err(FundError::new(
            "amount",
            "金额须大于 0",
            "the amount must be above zero",
        )));
    }
    if e.amount_fen > MAX_FEN {
        return Ok(Err(FundError::new(
            "amount",
            "金额过大（最多十亿元）",
            "the amount is too large",
        )));
    }
    if !fund::category_fits(e.direction, &e.category) {
        return Ok(Err(FundError::new(
            "category",
            format!("「{}」不是{}类别", e.category, e.direction.zh()),
            format!("{} is not a category of {}", e.category, e.direction.en()),
        )));
    }
    if fund::needs_member(e.direction, &e.category) && e.member_id.is_none() {
        return Ok(Err(FundError::new(
            "member",
            format!(
                "「{}」是付给个人的款项：请选择党员",
                fund::category_label(&e.category, crate::domain::Lang::Zh)
            ),
            "a payment to a person names the member",
        )));
    }
    if e.date > today {
        return Ok(Err(FundError::new(
            "date",
            format!("日期 {} 晚于今天", e.date),
            format!("{} is after today", e.date),
        )));
    }
    if e.date < crate::domain::dates::EARLIEST {
        return Ok(Err(FundError::new(
            "date",
            "日期早于 1900 年",
            "the date is before 1900",
        )));
    }
    if let Some((a, b)) = locked_period(conn, e.date)? {
        if e.date < a {
            return Ok(Err(FundError::new(
                "date",
                format!(
                    "{b} 及以前已审计结账（{a} 至 {b}）：记入 {} 会改变审计时的期初余额",
                    e.date
                ),
                format!(
                    "{a} to {b} is audited: an entry dated {}, before it, would change its opening balance",
                    e.date
                ),
            )));
        }
        return Ok(Err(FundError::new(
            "date",
            format!("{a} 至 {b} 已审计结账，不能再记入该期间"),
            format!("{a} to {b} is audited and locked: no entry may be dated in it"),
        )));
    }
    if !e.voucher_no.trim().is_empty() {
        let year = e.date.format("%Y").to_string();
        let taken: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM fund_entries WHERE year = ?1 AND voucher_no = ?2)",
            )?
            .query_row(
                params![year.parse::<i64>().unwrap_or(0), e.voucher_no.trim()],
                |r| r.get(0),
            )?;
        if taken {
            return Ok(Err(FundError::new(
                "voucher",
                format!("{year} 年已有凭证号 {}", e.voucher_no.trim()),
                format!("voucher {} is already used in {year}", e.voucher_no.trim()),
            )));
        }
    }
    if e.direction == Direction::Out
        && let Err(err) = fund::check_payment(existing, e.date, e.amount_fen)
    {
        return Ok(Err(err));
    }
    Ok(Ok(()))
}

/// Appends an entry to the chain: the next id, the voucher (proposed when
/// empty), prev_hash and hash. Part of the caller's transaction; no checks.
fn append(conn: &Connection, mut e: Entry) -> Result<Entry> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, hash FROM fund_entries ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (last_id, prev) = last.unwrap_or((0, GENESIS.to_string()));
    e.id = last_id + 1;
    if e.voucher_no.trim().is_empty() {
        e.voucher_no = propose_voucher(conn, chrono::Datelike::year(&e.date))?;
    }
    e.voucher_no = e.voucher_no.trim().to_string();
    e.prev_hash = prev.clone();
    e.hash = entry_hash(&prev, &e);
    conn.prepare_cached(&format!(
        "INSERT INTO fund_entries ({ENTRY_COLS}) VALUES
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
    ))?
    .execute(params![
        e.id,
        date_text(e.date),
        e.direction.code(),
        e.category,
        e.amount_fen,
        e.member_id,
        e.case_id,
        e.measure_id,
        e.voucher_no,
        e.handled_by,
        e.approved_by,
        e.note,
        e.reverses_id,
        e.loan_id,
        e.subsidy_month,
        e.prev_hash,
        e.hash,
    ])?;
    Ok(e)
}

/// Checks and writes an entry inside the caller's transaction.
pub fn insert(conn: &Connection, e: &NewEntry, today: NaiveDate) -> Result<Entry> {
    let all = day_totals(conn)?;
    check_new(conn, e, &all, today)?.map_err(refused)?;
    append(
        conn,
        Entry {
            id: 0,
            date: e.date,
            direction: e.direction,
            category: e.category.clone(),
            amount_fen: e.amount_fen,
            member_id: e.member_id,
            case_id: e.case_id,
            measure_id: e.measure_id,
            voucher_no: e.voucher_no.clone(),
            handled_by: e.handled_by.trim().to_string(),
            approved_by: e.approved_by.trim().to_string(),
            note: e.note.trim().to_string(),
            reverses_id: None,
            loan_id: e.loan_id,
            subsidy_month: e.subsidy_month.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        },
    )
}

/// Records an income or a payment in one transaction, logged as `action`.
pub fn record(
    conn: &mut Connection,
    e: &NewEntry,
    today: NaiveDate,
    action: &str,
) -> Result<Entry> {
    let tx = write_tx(conn, &Actor::new(action))?;
    let written = insert(&tx, e, today)?;
    tx.commit()?;
    Ok(written)
}

/// Why entry `id` cannot be reversed, if it cannot.
pub fn reversal_problem(conn: &Connection, id: i64) -> Result<Option<FundError>> {
    let Some(e) = entry(conn, id)? else {
        return Ok(Some(FundError::new("", "没有这笔账目", "no such entry")));
    };
    if e.reverses_id.is_some() {
        return Ok(Some(FundError::new(
            "",
            format!("凭证 {} 本身是冲销，不能再冲销", e.voucher_no),
            format!("voucher {} is itself a reversal", e.voucher_no),
        )));
    }
    let by: Option<String> = conn
        .prepare_cached("SELECT voucher_no FROM fund_entries WHERE reverses_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(v) = by {
        return Ok(Some(FundError::new(
            "",
            format!("凭证 {} 已由凭证 {v} 冲销，每笔只能冲销一次", e.voucher_no),
            format!(
                "voucher {} was already reversed by {v}: once only",
                e.voucher_no
            ),
        )));
    }
    if e.category == "loan" && e.direction == Direction::Out && e.loan_id.is_some() {
        let repaid: i64 = conn.query_row(
            "SELECT count(*) FROM fund_entries f WHERE f.loan_id = ?1 AND f.category = 'loan_repayment'
               AND f.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = f.id)",
            [e.loan_id],
            |r| r.get(0),
        )?;
        if repaid > 0 {
            return Ok(Some(FundError::new(
                "",
                "这笔借款已有还款：先冲销还款，再冲销借款",
                "the loan has repayments: reverse them first",
            )));
        }
    }
    Ok(None)
}

/// Records the reversal (冲销) of entry `id`, dated `date`, in one
/// transaction. The reversal of an income is a payment: the balance is checked.
pub fn reverse(
    conn: &mut Connection,
    id: i64,
    date: NaiveDate,
    voucher_no: &str,
    note: &str,
    today: NaiveDate,
) -> Result<Entry> {
    let tx = write_tx(conn, &Actor::new("form: fund reversal"))?;
    let written = insert_reversal(&tx, id, date, voucher_no, note, today)?;
    tx.commit()?;
    Ok(written)
}

/// The reversal of entry `id` inside the caller's transaction.
pub fn insert_reversal(
    conn: &Connection,
    id: i64,
    date: NaiveDate,
    voucher_no: &str,
    note: &str,
    today: NaiveDate,
) -> Result<Entry> {
    if let Some(p) = reversal_problem(conn, id)? {
        return Err(refused(p));
    }
    let original =
        entry(conn, id)?.ok_or_else(|| DbError::invalid("没有这笔账目", "no such entry"))?;
    if note.trim().is_empty() {
        return Err(DbError::invalid("请填写冲销原因", "say why it is reversed"));
    }
    if date < original.date {
        return Err(DbError::invalid(
            format!("冲销日期早于原账目日期 {}", original.date),
            format!("the reversal is dated before the entry, {}", original.date),
        ));
    }
    let r = fund::reversal_of(
        &original,
        date,
        voucher_no.to_string(),
        note.trim().to_string(),
    );
    let all = day_totals(conn)?;
    let check = NewEntry {
        date,
        direction: r.direction,
        // a reversal keeps the original's category; check the rest as an
        // entry of its direction ("other" fits both)
        category: "other".into(),
        amount_fen: r.amount_fen,
        voucher_no: r.voucher_no.clone(),
        ..NewEntry::default()
    };
    check_new(conn, &check, &all, today)?.map_err(refused)?;
    let written = append(conn, r)?;
    if let Some(loan) = written.loan_id {
        loans::settle_instalments(conn, loan)?;
    }
    Ok(written)
}

/// A line of the fund list: the entry, its member, and the reversal that
/// answers it or the entry it reverses (by voucher).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub entry: Entry,
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    /// The voucher of the reversal of this entry.
    pub reversed_by: Option<String>,
    /// The voucher of the entry this one reverses.
    pub reverses: Option<String>,
    /// For a reversal listed right after the entry it reverses (both
    /// listed, the entry first): that entry's date and id.
    pub beside: Option<(NaiveDate, i64)>,
}

/// What narrows the fund list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub direction: Option<Direction>,
    pub category: Option<String>,
    pub member_id: Option<i64>,
}

/// A listed entry: its columns, then member code and name and the vouchers
/// of its reversal and of the entry it reverses (columns 17 to 20).
fn list_row(r: &Row<'_>) -> rusqlite::Result<ListRow> {
    Ok(ListRow {
        entry: entry_row(r)?,
        member_code: r.get(17)?,
        member_name: r.get(18)?,
        reversed_by: r.get(19)?,
        reverses: r.get(20)?,
        beside: None,
    })
}

/// The entries the filter keeps, by date then id; a reversal right after the
/// entry it reverses when both are kept.
pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<ListRow>> {
    let sql = format!(
        "SELECT {}, m.code, m.name,
            (SELECT r.voucher_no FROM fund_entries r WHERE r.reverses_id = f.id),
            (SELECT o.voucher_no FROM fund_entries o WHERE o.id = f.reverses_id)
         FROM fund_entries f LEFT JOIN members m ON m.id = f.member_id
         WHERE (?1 IS NULL OR f.date >= ?1) AND (?2 IS NULL OR f.date <= ?2)
           AND (?3 IS NULL OR f.direction = ?3) AND (?4 IS NULL OR f.category = ?4)
           AND (?5 IS NULL OR f.member_id = ?5)
         ORDER BY f.date, f.id",
        ENTRY_COLS
            .split(',')
            .map(|c| format!("f.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            f.from.map(date_text),
            f.to.map(date_text),
            f.direction.map(|d| d.code()),
            f.category,
            f.member_id
        ],
        list_row,
    )?;
    let mut rows: Vec<ListRow> = rows.collect::<rusqlite::Result<_>>()?;
    // a reversal beside its original
    let mut i = 0;
    while i < rows.len() {
        if let Some(target) = rows[i].entry.reverses_id
            && let Some(at) = rows.iter().position(|r| r.entry.id == target)
            && at < i
        {
            rows[i].beside = Some((rows[at].entry.date, rows[at].entry.id));
            if at + 1 != i {
                let r = rows.remove(i);
                rows.insert(at + 1, r);
            }
        }
        i += 1;
    }
    Ok(rows)
}

/// The totals of listed rows: income, payments (each counts its direction).
pub fn totals(rows: &[ListRow]) -> (i64, i64) {
    let mut inc = 0;
    let mut out = 0;
    for r in rows {
        match r.entry.direction {
            Direction::In => inc += r.entry.amount_fen,
            Direction::Out => out += r.entry.amount_fen,
        }
    }
    (inc, out)
}

mod audits;
mod ledger;
mod loans;
mod pages;
mod subsidy;
mod verify;

pub use audits::*;
pub use ledger::*;
pub use loans::*;
pub use pages::{FundPages, ListTotals};
pub use subsidy::*;
pub use verify::*;

#[cfg(test)]
mod tests;
