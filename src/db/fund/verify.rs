//! `fund verify`: the hash chain recomputed, the balance on every day, every
//! audit's figures, the hashes the audit log kept, and the guard triggers.

use super::*;

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

/// Recomputes the chain, the balance on every day and every audit's figures,
/// all from one snapshot of the file: read outside a transaction, the entries
/// and the audit log could come from either side of another clerk's write
/// (an entry written just after the entries were read would look deleted).
pub fn verify(conn: &Connection) -> Result<Verification> {
    if !conn.is_autocommit() {
        return verify_snapshot(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let v = verify_snapshot(&tx)?;
    tx.commit()?;
    Ok(v)
}

fn verify_snapshot(conn: &Connection) -> Result<Verification> {
    let stored = audits(conn)?;
    let scan = scan(conn, &stored)?;
    // The chain shows an edit; the log (written by the same transactions)
    // shows a deleted last entry, or a chain recomputed after an edit.
    let chain = match (scan.chain, scan.logged) {
        (Ok(head), None) => Ok(head),
        (Ok(_), Some(l)) => Err(l),
        (Err(b), Some(l)) if l.id() < b.id() => Err(l),
        (Err(b), _) => Err(b),
    };
    let chain = match chain {
        Ok(head) => Ok(head),
        Err(b) => {
            let at = entry(conn, b.id())?.map(|e| (e.voucher_no, e.date));
            Err((b, at))
        }
    };
    let mut audit_problems = Vec::new();
    for (a, f) in stored.iter().zip(scan.figures) {
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
            match scan.heads.get(&last) {
                Some(h) if *h == a.chain_head => {}
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
        entries: scan.entries,
        balance_fen: scan.balance_fen,
        chain,
        negative_days: scan.days.negative_days(),
        audit_problems,
        missing_guards,
        audits: stored.len(),
    })
}

/// What one pass over the entries (in id order, one at a time) found.
struct Scan {
    entries: usize,
    balance_fen: i64,
    chain: std::result::Result<String, ChainBreak>,
    /// The first entry the audit log recorded that is gone (`Broken`) or
    /// holds another hash now (`Altered`). Entries written without a log row
    /// (none are, through guanhuai) are judged by the chain alone.
    logged: Option<ChainBreak>,
    days: fund::DayNets,
    /// Each stored audit's figures recomputed, in the order of `audits`.
    figures: Vec<fund::AuditFigures>,
    /// The hashes of the entries the audits closed on.
    heads: HashMap<i64, String>,
}

/// Streams the entries once beside the audit log's insert rows (both in id
/// order, merged): memory follows the days and audits, not the ledger.
fn scan(conn: &Connection, stored: &[Audit]) -> Result<Scan> {
    let mut chain = fund::ChainCheck::default();
    let mut days = fund::DayNets::default();
    let mut sums: Vec<fund::AuditSum> = stored
        .iter()
        .map(|a| fund::AuditSum::new(a.from, a.to))
        .collect();
    let wanted: std::collections::HashSet<i64> =
        stored.iter().filter_map(|a| a.chain_last_id).collect();
    let mut heads = HashMap::new();
    let (mut n, mut balance) = (0, 0);
    let mut logged: Option<ChainBreak> = None;

    let mut log_stmt = conn.prepare(
        "SELECT record_id, json_extract(new, '$.hash') FROM audit_log
         WHERE tbl = 'fund_entries' AND op = 'insert' ORDER BY record_id",
    )?;
    let mut log = log_stmt.query([])?;
    let mut next_log = || -> Result<Option<(i64, Option<String>)>> {
        Ok(match log.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        })
    };
    let mut pending = next_log()?;

    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLS} FROM fund_entries ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let e = entry_row(r)?;
        n += 1;
        balance += e.signed();
        chain.push(&e);
        days.push(&e);
        sums.iter_mut().for_each(|s| s.push(&e));
        if wanted.contains(&e.id) {
            heads.insert(e.id, e.hash.clone());
        }
        // log rows of ids below this one name entries that are gone
        while logged.is_none()
            && let Some((id, hash)) = &pending
            && *id <= e.id
        {
            if *id < e.id {
                logged = Some(ChainBreak::Broken { id: *id });
            } else if hash.as_deref().is_some_and(|h| h != e.hash) {
                logged = Some(ChainBreak::Altered { id: *id });
            }
            pending = next_log()?;
        }
    }
    if logged.is_none()
        && let Some((id, _)) = pending
    {
        logged = Some(ChainBreak::Broken { id });
    }
    Ok(Scan {
        entries: n,
        balance_fen: balance,
        chain: chain.finish(),
        logged,
        days,
        figures: sums.into_iter().map(fund::AuditSum::finish).collect(),
        heads,
    })
}
