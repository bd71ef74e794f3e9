//! 操作日志: who changed what, when, through which part of the program.
//!
//! The rows are written by the triggers of `schema.sql` (migration 3) on every
//! table a clerk's work writes, inside the writing transaction, so no write path
//! can forget them and a rolled-back write leaves none. The triggers read who
//! writes and through which action from the one-row table `audit_actor`, which
//! [`write_tx`] sets; they store it once per second as a session
//! (`audit_sessions`: local time, user, action) that the rows share:
//!
//! ```ignore
//! let tx = db::audit::write_tx(conn, &Actor::new("form: talk add"))?;
//! db::records::insert_talk(&tx, &talk)?;
//! tx.commit()?;
//! ```
//!
//! A write begun with plain [`super::write_tx`] is logged with an empty action
//! (never with a stale one); a write from outside the program with none (the
//! name is taken out again in the transaction that wrote it). The database refuses UPDATE and DELETE on the log and its
//! sessions. The time is the clock's (`GUANHUAI_TODAY` does not move it).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Row, Transaction, params_from_iter};

use super::export::{Consume, stream};
use super::{Result, date_text};

/// Who writes: the OS user and the program action (`import members`,
/// `form: member edit`, `demo`, `campaign add`, `settings` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub action: String,
}

impl Actor {
    /// The current OS user doing `action`.
    pub fn new(action: impl Into<String>) -> Self {
        Actor {
            user: os_user(),
            action: action.into(),
        }
    }
}

/// The OS user: `USER`, else `LOGNAME`, else the name of the real user id.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(u) = std::env::var(var)
            && !u.trim().is_empty()
        {
            return u;
        }
    }
    uid_name().unwrap_or_default()
}

#[cfg(unix)]
fn uid_name() -> Option<String> {
    let uid = unsafe { libc::getuid() };
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to live memory of the sizes given.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr(), buf.len(), &mut out) };
    if rc != 0 || out.is_null() || pw.pw_name.is_null() {
        return Some(format!("uid {uid}"));
    }
    // SAFETY: getpwuid_r succeeded, so pw_name is a NUL-terminated string in `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pw.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

#[cfg(not(unix))]
fn uid_name() -> Option<String> {
    None
}

/// Names `actor` as the author of every change made from now on in the
/// connection's open transaction, until [`commit`] ends it. [`write_tx`]
/// calls it; call it yourself only inside a transaction you began otherwise,
/// and end that transaction with [`commit`].
pub fn set_actor(conn: &Connection, actor: &Actor) -> Result<Named> {
    // (a file from before the name was taken out at commit may still hold one)
    conn.prepare_cached(
        "INSERT INTO audit_actor (id, user, action) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET user = excluded.user, action = excluded.action
         WHERE user IS NOT excluded.user OR action IS NOT excluded.action",
    )?
    .execute(rusqlite::params![actor.user, actor.action])?;
    Ok(Named(conn.total_changes()))
}

/// A transaction whose writer is named in `audit_actor`: how many rows the
/// connection had changed once the name was written.
#[derive(Debug, Clone, Copy)]
#[must_use = "end the transaction with audit::commit"]
pub struct Named(u64);

/// Commits a transaction begun with [`set_actor`], taking the writer's name
/// out again first: a write from outside guanhuai afterwards is logged with no
/// user or action, never as guanhuai's last action. A transaction that
/// changed nothing but the name is rolled back instead, so a write that
/// changes nothing (an import of a file already in) leaves the file as it was.
pub fn commit(tx: Transaction<'_>, named: Named) -> Result<()> {
    if tx.total_changes() == named.0 {
        tx.rollback()?;
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM audit_actor")?.execute([])?;
    tx.commit()?;
    Ok(())
}

/// Starts a write transaction (as [`super::write_tx`]) whose changes are logged
/// as `actor`'s.
pub fn write_tx<'c>(conn: &'c mut Connection, actor: &Actor) -> Result<WriteTx<'c>> {
    let tx = super::begin_immediate(conn)?;
    let named = set_actor(&tx, actor)?;
    Ok(WriteTx(tx, named))
}

/// A write transaction whose commit first brings the kept obligations of the
/// members it wrote up to date (`obligations::kept::sync`), in the same
/// transaction: a reader never sees records without their obligations.
/// Everything else is the transaction's own (it derefs to it); dropped
/// without a commit, it rolls back.
#[derive(Debug)]
pub struct WriteTx<'c>(Transaction<'c>, Named);

impl<'c> WriteTx<'c> {
    pub fn commit(self) -> Result<()> {
        bulk::clear(&self.0)?;
        super::obligations::kept::sync(&self.0)?;
        commit(self.0, self.1)
    }

    pub fn rollback(self) -> Result<()> {
        self.0.rollback()?;
        Ok(())
    }
}

impl<'c> std::ops::Deref for WriteTx<'c> {
    type Target = Transaction<'c>;

    fn deref(&self) -> &Transaction<'c> {
        &self.0
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// What an entry did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub fn code(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        match self {
            Op::Insert => lang.pick("新增", "insert"),
            Op::Update => lang.pick("修改", "update"),
            Op::Delete => lang.pick("删除", "delete"),
        }
    }

    fn from_code(s: &str) -> Op {
        match s {
            "insert" => Op::Insert,
            "delete" => Op::Delete,
            _ => Op::Update,
        }
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub id: i64,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub user: String,
    pub action: String,
    /// The table changed (`members`, `talks` …).
    pub table: String,
    /// The id of the changed record (0 for settings, whose key is in the values).
    pub record_id: i64,
    pub op: Op,
    /// The values before and after, as JSON objects (ID numbers masked): an
    /// insert's new values and a delete's old ones leave out NULL, empty and
    /// false; an update has the changed fields only (a field set from or to
    /// NULL on one side only).
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// A field whose value an entry changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
}

impl LogEntry {
    /// The fields that differ between old and new (every field set of an
    /// insert or a delete); a field missing on one side is null there.
    pub fn changes(&self) -> Vec<Change> {
        let empty = serde_json::Map::new();
        let obj = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_object()).cloned();
        let (old, new) = (obj(&self.old), obj(&self.new));
        let (old, new) = (
            old.unwrap_or_else(|| empty.clone()),
            new.unwrap_or_else(|| empty.clone()),
        );
        let mut keys: Vec<String> = new.keys().cloned().collect();
        keys.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
        keys.into_iter()
            .filter_map(|k| {
                let o = old.get(&k).cloned().unwrap_or(serde_json::Value::Null);
                let n = new.get(&k).cloned().unwrap_or(serde_json::Value::Null);
                (o != n && k != "version").then_some(Change {
                    field: k,
                    old: o,
                    new: n,
                })
            })
            .collect()
    }

    /// The changes in one line: `field: old → new; …` (an insert lists the new
    /// values, a delete the old ones).
    pub fn changes_text(&self) -> String {
        let show = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        self.changes()
            .iter()
            .map(|c| match self.op {
                Op::Insert => format!("{}: {}", c.field, show(&c.new)),
                Op::Delete => format!("{}: {}", c.field, show(&c.old)),
                Op::Update => format!("{}: {} → {}", c.field, show(&c.old), show(&c.new)),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Which entries to read: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// On or after this day.
    pub from: Option<NaiveDate>,
    /// On or before this day.
    pub to: Option<NaiveDate>,
    pub user: Option<String>,
    pub table: Option<String>,
    /// One record of `table`.
    pub record_id: Option<i64>,
    /// A hardship case with everything that belongs to it: its categories,
    /// family, steps, reviews, measures and their logs, helpers.
    pub case_id: Option<i64>,
}

impl LogFilter {
    /// The entries of one record.
    pub fn record(table: &str, record_id: i64) -> Self {
        LogFilter {
            table: Some(table.to_string()),
            record_id: Some(record_id),
            ..LogFilter::default()
        }
    }

    /// The entries of hardship case `id` and of everything that belongs to it.
    pub fn hardship_case(id: i64) -> Self {
        LogFilter {
            case_id: Some(id),
            ..LogFilter::default()
        }
    }

    /// The WHERE clause (starting with `WHERE 1`) and its values.
    fn sql(&self) -> (String, Vec<Value>) {
        let mut w = String::from("WHERE 1");
        let mut v: Vec<Value> = Vec::new();
        let mut cond = |c: &str, val: Value| {
            v.push(val);
            w.push_str(&format!(" AND {c} ?{}", v.len()));
        };
        if let Some(d) = self.from {
            cond("s.at >=", Value::Text(date_text(d)));
        }
        if let Some(d) = self.to {
            // every time of that day: 'YYYY-MM-DD HH:MM:SS' < 'YYYY-MM-DD~'
            cond("s.at <", Value::Text(date_text(d) + "~"));
        }
        if let Some(u) = &self.user {
            cond("s.user =", Value::Text(u.clone()));
        }
        if let Some(t) = &self.table {
            cond("l.tbl =", Value::Text(t.clone()));
        }
        if let Some(id) = self.record_id {
            cond("l.record_id =", Value::Integer(id));
        }
        if let Some(id) = self.case_id {
            // A row that belongs to the case names it in its logged values
            // (old for a delete, new otherwise); a measure's log, its measure.
            v.push(Value::Integer(id));
            let n = v.len();
            w.push_str(&format!(
                " AND ((l.tbl IN ('hardship_cases', 'hardship_case_categories') AND l.record_id = ?{n})
                   OR (l.tbl IN ('hardship_steps', 'hardship_reviews', 'hardship_measures',
                                 'hardship_helpers', 'hardship_family')
                       AND json_extract(coalesce(l.new, l.old), '$.case_id') = ?{n})
                   OR (l.tbl = 'hardship_measure_actions'
                       AND json_extract(coalesce(l.new, l.old), '$.measure_id') IN
                           (SELECT id FROM hardship_measures WHERE case_id = ?{n})))"
            ));
        }
        (w, v)
    }
}

/// The columns `entry` reads, of `audit_log l JOIN audit_sessions s`.
const COLS: &str = "l.id, s.at, s.user, s.action, l.tbl, l.record_id, l.op, l.old, l.new";
const FROM: &str = "audit_log l JOIN audit_sessions s ON s.id = l.session_id";

fn entry(r: &Row<'_>) -> rusqlite::Result<LogEntry> {
    // The ID number column is masked by the triggers; an ID number typed into
    // a note or a summary is masked here, as everything the program shows.
    let json = |s: Option<String>| {
        s.and_then(|s| serde_json::from_str(&crate::domain::safe_text::mask_id_numbers(&s)).ok())
    };
    Ok(LogEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        action: r.get(3)?,
        table: r.get(4)?,
        record_id: r.get(5)?,
        op: Op::from_code(&r.get::<_, String>(6)?),
        old: json(r.get(7)?),
        new: json(r.get(8)?),
    })
}

/// One page of the log, newest first: at most `limit` entries matching
/// `filter` with id below `before` (keyset paging: pass the last id of the
/// previous page; `None` for the first page).
pub fn page(
    conn: &Connection,
    filter: &LogFilter,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<LogEntry>> {
    let (mut w, mut v) = filter.sql();
    if let Some(b) = before {
        v.push(Value::Integer(b));
        w.push_str(&format!(" AND l.id < ?{}", v.len()));
    }
    v.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT {COLS} FROM {FROM} {w} ORDER BY l.id DESC LIMIT ?{}",
        v.len()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(v), entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many entries match `filter` (for a list's footer).
pub fn count(conn: &Connection, filter: &LogFilter) -> Result<i64> {
    let (w, v) = filter.sql();
    Ok(conn
        .prepare_cached(&format!("SELECT count(*) FROM {FROM} {w}"))?
        .query_row(params_from_iter(v), |r| r.get(0))?)
}

/// Every entry of one record, oldest first (for its detail).
pub fn for_record(conn: &Connection, table: &str, record_id: i64) -> Result<Vec<LogEntry>> {
    let mut v = page(
        conn,
        &LogFilter::record(table, record_id),
        None,
        usize::MAX >> 2,
    )?;
    v.reverse();
    Ok(v)
}

/// The users who appear in the log, for a filter's choices.
pub fn users(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT s.user FROM audit_sessions s
         WHERE EXISTS (SELECT 1 FROM audit_log l WHERE l.session_id = s.id) ORDER BY s.user",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every entry matching `filter`, oldest first, streamed (for export).
pub fn stream_log(
    conn: &Connection,
    filter: &LogFilter,
    consume: Consume<'_, LogEntry>,
) -> Result<()> {
    let (w, v) = filter.sql();
    let sql = format!("SELECT {COLS} FROM {FROM} {w} ORDER BY l.id");
    stream(conn, &sql, params_from_iter(v), entry, consume)
}

mod bulk;
pub use bulk::{BareInserts, Bulk, BulkPlan, checks_of, drop_plain_indexes};

#[cfg(test)]
mod tests;
