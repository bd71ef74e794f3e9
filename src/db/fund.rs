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

/// The balance now (every entry).
pub fn balance(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount_fen ELSE -amount_fen END), 0)
         FROM fund_entries",
        [],
        |r| r.get(0),
    )?)
}

/// The voucher number proposed next for `year`.
pub fn propose_voucher(conn: &Connection, year: i32) -> Result<String> {
    let mut stmt = conn.prepare_cached("SELECT voucher_no FROM fund_entries WHERE year = ?1")?;
    let used: Vec<String> = stmt
        .query_map([year], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(fund::next_voucher(year, used.iter().map(String::as_str)))
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
    let all = entries(conn)?;
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
    let all = entries(conn)?;
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
        settle_instalments(conn, loan)?;
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
        |r| {
            Ok(ListRow {
                entry: entry_row(r)?,
                member_code: r.get(17)?,
                member_name: r.get(18)?,
                reversed_by: r.get(19)?,
                reverses: r.get(20)?,
            })
        },
    )?;
    let mut rows: Vec<ListRow> = rows.collect::<rusqlite::Result<_>>()?;
    // a reversal beside its original
    let mut i = 0;
    while i < rows.len() {
        if let Some(target) = rows[i].entry.reverses_id
            && let Some(at) = rows.iter().position(|r| r.entry.id == target)
            && at + 1 != i
            && at < i
        {
            let r = rows.remove(i);
            rows.insert(at + 1, r);
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

/// What `fund verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub entries: usize,
    pub balance_fen: i64,
    /// The chain head, or where it breaks (with the entry's voucher and date
    /// when the entry is still there).
    pub chain: std::result::Result<String, (ChainBreak, Option<(String, NaiveDate)>)>,
    /// End-of-day balances below zero.
    pub negative_days: Vec<(NaiveDate, i64)>,
    /// Audits whose stored figures no longer match the entries: (audit id,
    /// period, what differs in Chinese and in English).
    pub audit_problems: Vec<(i64, NaiveDate, NaiveDate, (String, String))>,
    /// Guard triggers missing from the schema (dropped with another tool).
    pub missing_guards: Vec<String>,
    pub audits: usize,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.chain.is_ok()
            && self.negative_days.is_empty()
            && self.audit_problems.is_empty()
            && self.missing_guards.is_empty()
    }
}

/// The triggers that keep the fund append-only, and those that write and
/// keep the audit log `verify` compares the entries with; `verify` reports
/// any missing.
const GUARDS: [&str; 16] = [
    "fund_entries_no_update",
    "fund_entries_no_delete",
    "fund_entries_locked",
    "fund_entries_balance",
    "fund_entries_reversal",
    "fund_entries_subsidy_once",
    "audits_no_update",
    "audits_no_delete",
    "audits_no_overlap",
    "audit_totals_no_update",
    "audit_totals_no_delete",
    "fund_entries_audit_insert",
    "fund_entries_audit_update",
    "fund_entries_audit_delete",
    "audit_log_no_update",
    "audit_log_no_delete",
];

/// Recomputes the chain, the balance on every day and every audit's figures.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let all = entries(conn)?;
    // The chain shows an edit; the log (written by the same transactions)
    // shows a deleted last entry, or a chain recomputed after an edit.
    let chain = match (fund::verify_chain(&all), logged_break(conn, &all)?) {
        (Ok(head), None) => Ok(head),
        (Ok(_), Some(l)) => Err(l),
        (Err(b), Some(l)) if l.id() < b.id() => Err(l),
        (Err(b), _) => Err(b),
    }
    .map_err(|b| {
        let at = all
            .iter()
            .find(|e| e.id == b.id())
            .map(|e| (e.voucher_no.clone(), e.date));
        (b, at)
    });
    let mut audit_problems = Vec::new();
    let stored = audits(conn)?;
    for a in &stored {
        let f = fund::audit_figures(&all, a.from, a.to);
        let mut wrong = Vec::new();
        if f.opening_fen != a.opening_fen {
            wrong.push((
                format!(
                    "期初余额 {} ≠ 结账时 {}",
                    format_money(f.opening_fen),
                    format_money(a.opening_fen)
                ),
                format!(
                    "opening balance {} ≠ {} when closed",
                    format_money(f.opening_fen),
                    format_money(a.opening_fen)
                ),
            ));
        }
        if f.income_fen != a.income_fen {
            wrong.push((
                format!(
                    "收入 {} ≠ 结账时 {}",
                    format_money(f.income_fen),
                    format_money(a.income_fen)
                ),
                format!(
                    "income {} ≠ {} when closed",
                    format_money(f.income_fen),
                    format_money(a.income_fen)
                ),
            ));
        }
        if f.payments_fen != a.payments_fen {
            wrong.push((
                format!(
                    "支出 {} ≠ 结账时 {}",
                    format_money(f.payments_fen),
                    format_money(a.payments_fen)
                ),
                format!(
                    "payments {} ≠ {} when closed",
                    format_money(f.payments_fen),
                    format_money(a.payments_fen)
                ),
            ));
        }
        if f.closing_fen != a.closing_fen {
            wrong.push((
                format!(
                    "期末余额 {} ≠ 结账时 {}",
                    format_money(f.closing_fen),
                    format_money(a.closing_fen)
                ),
                format!(
                    "closing balance {} ≠ {} when closed",
                    format_money(f.closing_fen),
                    format_money(a.closing_fen)
                ),
            ));
        }
        let stored_totals = audit_totals(conn, a.id)?;
        let now_totals: Vec<(Direction, String, i64)> = f
            .income
            .iter()
            .map(|(c, v)| (Direction::In, c.clone(), *v))
            .chain(
                f.payments
                    .iter()
                    .map(|(c, v)| (Direction::Out, c.clone(), *v)),
            )
            .collect();
        let norm = |mut v: Vec<(Direction, String, i64)>| {
            v.retain(|x| x.2 != 0);
            v.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
            v
        };
        if norm(stored_totals) != norm(now_totals) {
            wrong.push((
                "分类合计与结账时不符".to_string(),
                "the totals by category differ from those closed".to_string(),
            ));
        }
        if let Some(last) = a.chain_last_id {
            match all.iter().find(|e| e.id == last) {
                Some(e) if e.hash == a.chain_head => {}
                Some(_) => wrong.push((
                    format!("结账时的链头（第 {last} 条）已改变"),
                    format!("the chain head it closed on (entry {last}) changed"),
                )),
                None => wrong.push((
                    format!("结账时的最后一条（第 {last} 条）已不存在"),
                    format!("the last entry it closed on (entry {last}) is gone"),
                )),
            }
        }
        if !wrong.is_empty() {
            let zh: Vec<&str> = wrong.iter().map(|w| w.0.as_str()).collect();
            let en: Vec<&str> = wrong.iter().map(|w| w.1.as_str()).collect();
            audit_problems.push((a.id, a.from, a.to, (zh.join("；"), en.join("; "))));
        }
    }
    let mut missing_guards = Vec::new();
    for g in GUARDS {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            [g],
            |r| r.get(0),
        )?;
        if n == 0 {
            missing_guards.push(g.to_string());
        }
    }
    Ok(Verification {
        entries: all.len(),
        balance_fen: fund::balance(&all),
        chain,
        negative_days: fund::negative_days(&all),
        audit_problems,
        missing_guards,
        audits: stored.len(),
    })
}

/// The first entry the audit log recorded that is gone (`Broken`, the entry
/// no longer there) or holds another hash now (`Altered`). Entries written
/// without a log row (none are, through guanhuai) are judged by the chain alone.
fn logged_break(conn: &Connection, all: &[Entry]) -> Result<Option<ChainBreak>> {
    let by_id: HashMap<i64, &str> = all.iter().map(|e| (e.id, e.hash.as_str())).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, json_extract(new, '$.hash') FROM audit_log
         WHERE tbl = 'fund_entries' AND op = 'insert' ORDER BY record_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let hash: Option<String> = r.get(1)?;
        match by_id.get(&id) {
            None => return Ok(Some(ChainBreak::Broken { id })),
            Some(h) if hash.as_deref().is_some_and(|x| x != *h) => {
                return Ok(Some(ChainBreak::Altered { id }));
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

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

/// A loan (无息借款) as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRow {
    pub id: i64,
    pub member_id: i64,
    pub member_code: String,
    pub member_name: String,
    pub date: NaiveDate,
    pub principal_fen: i64,
    pub repaid_fen: i64,
    /// The opening payment was reversed: the loan never stood.
    pub cancelled: bool,
    pub instalments: Vec<InstalmentRow>,
    pub note: String,
}

impl LoanRow {
    pub fn outstanding_fen(&self) -> i64 {
        if self.cancelled {
            0
        } else {
            (self.principal_fen - self.repaid_fen).max(0)
        }
    }

    /// Unpaid instalments due before `on`.
    pub fn overdue(&self, on: NaiveDate) -> Vec<&InstalmentRow> {
        if self.cancelled {
            return Vec::new();
        }
        self.instalments
            .iter()
            .filter(|i| i.paid_entry_id.is_none() && i.due < on)
            .collect()
    }

    /// The first unpaid instalment.
    pub fn next_due(&self) -> Option<&InstalmentRow> {
        if self.cancelled {
            return None;
        }
        self.instalments.iter().find(|i| i.paid_entry_id.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalmentRow {
    pub seq: i64,
    pub due: NaiveDate,
    pub amount_fen: i64,
    pub paid_entry_id: Option<i64>,
}

/// Repayments that count for a loan: (date, entry id, amount), not reversed.
fn repayments(conn: &Connection, loan_id: i64) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.date, f.id, f.amount_fen FROM fund_entries f
         WHERE f.loan_id = ?1 AND f.category = 'loan_repayment' AND f.direction = 'in'
           AND f.reverses_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = f.id)
         ORDER BY f.date, f.id",
    )?;
    let v = stmt.query_map([loan_id], |r| {
        Ok((
            parse_date(r.get(0)?).unwrap_or_default(),
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Marks each instalment with the repayment that completed it (after a
/// repayment or a reversal). Part of the caller's transaction.
fn settle_instalments(conn: &Connection, loan_id: i64) -> Result<()> {
    let rows = instalments(conn, loan_id)?;
    let plan: Vec<Instalment> = rows
        .iter()
        .map(|i| Instalment {
            seq: i.seq,
            due: i.due,
            amount_fen: i.amount_fen,
        })
        .collect();
    let paid = fund::allocate(&plan, &repayments(conn, loan_id)?);
    for (i, p) in rows.iter().zip(paid) {
        if i.paid_entry_id != p {
            conn.prepare_cached(
                "UPDATE loan_instalments SET paid_entry_id = ?1 WHERE loan_id = ?2 AND seq = ?3",
            )?
            .execute(params![p, loan_id, i.seq])?;
        }
    }
    Ok(())
}

fn instalments(conn: &Connection, loan_id: i64) -> Result<Vec<InstalmentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, due_date, amount_fen, paid_entry_id FROM loan_instalments WHERE loan_id = ?1 ORDER BY seq",
    )?;
    let v = stmt.query_map([loan_id], |r| {
        Ok(InstalmentRow {
            seq: r.get(0)?,
            due: parse_date(r.get(1)?).unwrap_or_default(),
            amount_fen: r.get(2)?,
            paid_entry_id: r.get(3)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Every loan with its schedule and what was repaid, newest first.
pub fn loans(conn: &Connection) -> Result<Vec<LoanRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.member_id, m.code, m.name, l.date, l.principal_fen, l.note,
            EXISTS (SELECT 1 FROM fund_entries p JOIN fund_entries r ON r.reverses_id = p.id
                    WHERE p.loan_id = l.id AND p.category = 'loan' AND p.direction = 'out')
         FROM loans l JOIN members m ON m.id = l.member_id ORDER BY l.date DESC, l.id DESC",
    )?;
    type LoanCols = (i64, i64, String, String, Option<String>, i64, String, bool);
    let rows: Vec<LoanCols> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, member_id, code, name, date, principal, note, cancelled) in rows {
        let repaid = repayments(conn, id)?.iter().map(|r| r.2).sum();
        out.push(LoanRow {
            id,
            member_id,
            member_code: code,
            member_name: name,
            date: parse_date(date).unwrap_or_default(),
            principal_fen: principal,
            repaid_fen: repaid,
            cancelled,
            instalments: instalments(conn, id)?,
            note,
        });
    }
    Ok(out)
}

/// One loan by id.
pub fn loan(conn: &Connection, id: i64) -> Result<Option<LoanRow>> {
    Ok(loans(conn)?.into_iter().find(|l| l.id == id))
}

/// The member's open loans (something outstanding), oldest first: what
/// Enter on a `loan_instalment` row of the Overview offers to repay.
pub fn open_loans_of(conn: &Connection, member_id: i64) -> Result<Vec<LoanRow>> {
    let mut v: Vec<LoanRow> = loans(conn)?
        .into_iter()
        .filter(|l| l.member_id == member_id && l.outstanding_fen() > 0)
        .collect();
    v.reverse();
    Ok(v)
}

/// A new loan: the payment and its schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLoan {
    pub member_id: i64,
    pub case_id: Option<i64>,
    pub principal_fen: i64,
    pub date: NaiveDate,
    pub first_due: NaiveDate,
    pub instalments: u32,
    pub every_months: u32,
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
}

/// Opens a loan in one transaction: the `loan` payment, the loan and its
/// instalment schedule.
pub fn open_loan(conn: &mut Connection, l: &NewLoan, today: NaiveDate) -> Result<(i64, Entry)> {
    let tx = write_tx(conn, &Actor::new("form: fund loan"))?;
    let r = insert_loan(&tx, l, today)?;
    tx.commit()?;
    Ok(r)
}

/// A loan inside the caller's transaction.
pub fn insert_loan(conn: &Connection, l: &NewLoan, today: NaiveDate) -> Result<(i64, Entry)> {
    if l.instalments == 0 || l.instalments > 120 {
        return Err(DbError::invalid(
            "分期数须在 1 到 120 之间",
            "instalments: 1 to 120",
        ));
    }
    if l.first_due <= l.date {
        return Err(DbError::invalid(
            "首期还款日须晚于借款日",
            "the first instalment falls after the loan",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO loans (member_id, case_id, principal_fen, date, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        l.member_id,
        l.case_id,
        l.principal_fen.max(1),
        date_text(l.date),
        l.note.trim()
    ])?;
    let loan_id = conn.last_insert_rowid();
    let e = insert(
        conn,
        &NewEntry {
            date: l.date,
            direction: Direction::Out,
            category: "loan".into(),
            amount_fen: l.principal_fen,
            member_id: Some(l.member_id),
            case_id: l.case_id,
            measure_id: None,
            voucher_no: l.voucher_no.clone(),
            handled_by: l.handled_by.clone(),
            approved_by: l.approved_by.clone(),
            note: l.note.clone(),
            loan_id: Some(loan_id),
            subsidy_month: None,
        },
        today,
    )?;
    for i in fund::schedule(
        l.principal_fen,
        l.first_due,
        l.instalments,
        l.every_months.max(1),
    ) {
        conn.prepare_cached(
            "INSERT INTO loan_instalments (loan_id, seq, due_date, amount_fen) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![loan_id, i.seq, date_text(i.due), i.amount_fen])?;
    }
    Ok((loan_id, e))
}

/// A repayment (借款归还) of loan `loan_id`: income linked to the loan, at
/// most what is outstanding; the instalments it completes are marked paid.
pub fn repay(conn: &mut Connection, loan_id: i64, e: &NewEntry, today: NaiveDate) -> Result<Entry> {
    let tx = write_tx(conn, &Actor::new("form: fund loan repayment"))?;
    let written = insert_repayment(&tx, loan_id, e, today)?;
    tx.commit()?;
    Ok(written)
}

/// A repayment inside the caller's transaction.
pub fn insert_repayment(
    conn: &Connection,
    loan_id: i64,
    e: &NewEntry,
    today: NaiveDate,
) -> Result<Entry> {
    let l = loan(conn, loan_id)?.ok_or_else(|| DbError::invalid("没有这笔借款", "no such loan"))?;
    if l.cancelled {
        return Err(DbError::invalid("这笔借款已冲销", "this loan was reversed"));
    }
    if e.amount_fen > l.outstanding_fen() {
        return Err(DbError::invalid(
            format!(
                "还款 {} 超过尚欠的 {}",
                format_money(e.amount_fen),
                format_money(l.outstanding_fen())
            ),
            format!(
                "the repayment of {} is more than the {} outstanding",
                format_money(e.amount_fen),
                format_money(l.outstanding_fen())
            ),
        ));
    }
    if e.date < l.date {
        return Err(DbError::invalid(
            format!("还款日期早于借款日期 {}", l.date),
            format!("the repayment is dated before the loan, {}", l.date),
        ));
    }
    let written = insert(
        conn,
        &NewEntry {
            direction: Direction::In,
            category: "loan_repayment".into(),
            member_id: Some(l.member_id),
            loan_id: Some(loan_id),
            ..e.clone()
        },
        today,
    )?;
    settle_instalments(conn, loan_id)?;
    Ok(written)
}

/// What a monthly subsidy batch (生活补贴) would pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyPreview {
    pub month: String,
    pub date: NaiveDate,
    pub per_member_fen: i64,
    /// The eligible members not yet paid for the month: (id, code, name), in
    /// pinyin order.
    pub to_pay: Vec<(i64, String, String)>,
    /// Eligible members already paid for the month.
    pub already_paid: usize,
    pub total_fen: i64,
    /// The balance on the batch's date, and the most a payment that day may take.
    pub balance_fen: i64,
    pub available_fen: i64,
}

impl SubsidyPreview {
    pub fn affordable(&self) -> bool {
        self.total_fen <= self.available_fen
    }
}

/// The batch of `month` (`YYYY-MM`) dated `date`: who is eligible on that day
/// and not yet paid for the month.
pub fn subsidy_preview(
    conn: &Connection,
    month: &str,
    date: NaiveDate,
    s: &Settings,
) -> Result<SubsidyPreview> {
    let members = super::members::all(conn)?;
    let paid: std::collections::HashSet<i64> = conn
        .prepare_cached(
            "SELECT o.member_id FROM fund_entries o WHERE o.subsidy_month = ?1 AND o.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = o.id)",
        )?
        .query_map([month], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut eligible: Vec<&Member> = members
        .iter()
        .filter(|m| fund::subsidy_eligible(m, date, s))
        .collect();
    eligible.sort_by(|a, b| {
        crate::domain::pinyin::compare_names(&a.name, &b.name).then(a.code.cmp(&b.code))
    });
    let already_paid = eligible.iter().filter(|m| paid.contains(&m.id)).count();
    let to_pay: Vec<(i64, String, String)> = eligible
        .iter()
        .filter(|m| !paid.contains(&m.id))
        .map(|m| (m.id, m.code.clone(), m.name.clone()))
        .collect();
    let all = entries(conn)?;
    let per = s.subsidy_monthly_fen;
    Ok(SubsidyPreview {
        month: month.to_string(),
        date,
        per_member_fen: per,
        total_fen: per * to_pay.len() as i64,
        already_paid,
        to_pay,
        balance_fen: fund::balance_on(&all, date),
        available_fen: fund::lowest_from(&all, date).0,
    })
}

/// Pays the batch in one transaction: one `subsidy` payment per member not
/// yet paid for the month, with consecutive vouchers; refused as a whole when
/// the balance is short. Returns how many were paid.
#[allow(clippy::too_many_arguments)]
pub fn pay_subsidies(
    conn: &mut Connection,
    month: &str,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<usize> {
    let tx = write_tx(conn, &Actor::new("form: fund subsidy batch"))?;
    let n = insert_subsidies(&tx, month, date, handled_by, approved_by, s, today)?;
    tx.commit()?;
    Ok(n)
}

/// The subsidy batch inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn insert_subsidies(
    conn: &Connection,
    month: &str,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<usize> {
    if fund::parse_month(month).is_none() {
        return Err(DbError::invalid(
            format!("“{month}”不是月份，请写作 2026-11"),
            format!("\"{month}\" is not a month: write 2026-11"),
        ));
    }
    if s.subsidy_monthly_fen <= 0 {
        return Err(DbError::invalid(
            "生活补贴每月金额为 0：请先在设置中填写",
            "the monthly subsidy is zero: set it first",
        ));
    }
    let p = subsidy_preview(conn, month, date, s)?;
    if p.to_pay.is_empty() {
        return Ok(0);
    }
    if !p.affordable() {
        return Err(DbError::invalid(
            format!(
                "余额不足：{} 名共 {}，{} 的可用余额为 {}，整批未发放",
                p.to_pay.len(),
                format_money(p.total_fen),
                date,
                format_money(p.available_fen)
            ),
            format!(
                "not enough money: {} members, {} in all, {} available on {}; nothing was paid",
                p.to_pay.len(),
                format_money(p.total_fen),
                format_money(p.available_fen),
                date
            ),
        ));
    }
    for (id, _, _) in &p.to_pay {
        insert(
            conn,
            &NewEntry {
                date,
                direction: Direction::Out,
                category: "subsidy".into(),
                amount_fen: p.per_member_fen,
                member_id: Some(*id),
                handled_by: handled_by.to_string(),
                approved_by: approved_by.to_string(),
                note: format!("{month} 生活补贴"),
                subsidy_month: Some(month.to_string()),
                ..NewEntry::default()
            },
            today,
        )?;
    }
    Ok(p.to_pay.len())
}

/// A visit's 慰问金: a `condolence` payment to the visited member, linked to
/// the visit, inside the caller's transaction (the visit's own).
pub fn pay_condolence(
    conn: &Connection,
    visit_id: i64,
    e: &NewEntry,
    today: NaiveDate,
) -> Result<Entry> {
    let written = insert(
        conn,
        &NewEntry {
            direction: Direction::Out,
            category: "condolence".into(),
            ..e.clone()
        },
        today,
    )?;
    conn.prepare_cached("UPDATE visits SET fund_entry_id = ?1 WHERE id = ?2")?
        .execute(params![written.id, visit_id])?;
    Ok(written)
}

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

#[cfg(test)]
mod tests;
