//! A large import's inserts logged at its end, a statement per 10,000 rows
//! (migration 8):
//! while `bulk_writes` names a table, that table's per-row insert triggers —
//! the audit row and, for talks and visits, the members' cached latest dates
//! — stand aside, and [`Bulk::finish`] writes what they would have, set-based,
//! in the same transaction. Only inserts stand aside: an import's updates of
//! existing rows are logged row by row as always.
//!
//! Two things make the rows themselves cheaper to write:
//! - An import whose rows are all inserts into its bulk table (records; members
//!   into an empty roster) writes them with the connection's triggers off
//!   ([`TriggersOff`]). Every insert trigger of these tables is one that
//!   stands aside during a bulk import, or one that notes the member for the
//!   kept obligations, which a large import rebuilds instead (a test checks
//!   that no other kind exists). A statement without triggers needs no
//!   statement journal, which costs a copy of every page a row touches.
//! - Loading members into a roster smaller than the file, the indexes that
//!   no constraint needs are dropped at the start and built again, from
//!   their own SQL, by [`Bulk::finish`]: one sort instead of a random insert
//!   a row in each. All of it is inside the import's transaction, so a
//!   refused or interrupted import leaves them as they were.

use rusqlite::Connection;
use rusqlite::config::DbConfig;

use rusqlite::OptionalExtension;

use crate::db::{DbError, Result};

/// The tables whose inserts a bulk import may log at its end.
const TABLES: [&str; 4] = ["members", "talks", "visits", "events"];

/// Rows logged (and members brought up to date) by one statement.
const CHUNK: i64 = 10_000;

/// The page cache (KiB) while the dropped indexes are built again: it bounds
/// the memory of each sort (see [`Bulk::finish`]).
const SORT_CACHE_KIB: i64 = 8 * 1024;

/// A members file of this many bytes a member already in the roster, or
/// more, loads without the indexes no constraint needs (a member's row takes
/// 100 to 300 bytes of a file: a file this size brings about as many members
/// as there are).
const DEFER_BYTES_A_MEMBER: u64 = 200;

/// A bulk insert under way into one table, begun in a write transaction.
#[derive(Debug)]
pub struct Bulk {
    table: &'static str,
    /// The highest id before the import: every row above it is new.
    after: i64,
    /// The indexes dropped for the load (their SQL), built again at the end.
    deferred: Vec<String>,
    /// New rows were written as [`BareInserts`]: their CHECKs are verified
    /// at the end.
    verify: bool,
}

/// The connection's triggers and CHECK constraints off, for the rows of an
/// import that only inserts into its bulk table (from
/// [`Bulk::bare_inserts`]): both on again when this is dropped. Either
/// change makes SQLite prepare every statement of the connection again,
/// under the setting of the moment. The CHECKs of the rows written
/// meanwhile are verified by [`Bulk::finish`], all in one statement.
pub struct BareInserts<'c>(&'c Connection);

impl<'c> BareInserts<'c> {
    fn new(tx: &'c Connection) -> Result<BareInserts<'c>> {
        tx.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        let bare = BareInserts(tx);
        tx.pragma_update(None, "ignore_check_constraints", true)?;
        Ok(bare)
    }

    /// Whether the connection writes bare inserts now.
    pub fn active(tx: &Connection) -> Result<bool> {
        Ok(!tx.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER)?)
    }
}

impl Drop for BareInserts<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .pragma_update(None, "ignore_check_constraints", false);
        let _ = self
            .0
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true);
    }
}

/// What a bulk import will do, decided before its transaction: the
/// connection is set up for it (an import that builds indexes keeps its
/// temporary store on disk).
#[derive(Debug, Clone, Copy)]
pub struct BulkPlan {
    table: &'static str,
    size: u64,
    defer: bool,
}

impl BulkPlan {
    /// The plan for a file of `file_size` bytes into `table`.
    pub fn new(conn: &Connection, table: &'static str, file_size: u64) -> Result<BulkPlan> {
        let defer = table == "members" && small_roster(conn, file_size)?;
        Ok(BulkPlan {
            table,
            size: file_size,
            defer,
        })
    }

    /// The load drops the indexes no constraint needs and builds them again.
    pub fn defers_indexes(&self) -> bool {
        self.defer
    }
}

/// The roster is small beside a members file of `file_size` bytes.
fn small_roster(conn: &Connection, file_size: u64) -> Result<bool> {
    let max: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM members", [], |r| r.get(0))?;
    Ok(small(max, file_size))
}

/// A roster whose largest id is `max_id` (which counts its members at most)
/// is small beside a members file of `file_size` bytes.
fn small(max_id: i64, file_size: u64) -> bool {
    (max_id.max(0) as u64).saturating_mul(DEFER_BYTES_A_MEMBER) <= file_size
}

impl Bulk {
    /// Sets the table's insert triggers aside for the rest of the transaction
    /// (`None` for a table that has no set-based log). The indexes are
    /// dropped only if the plan said so and the roster is still small.
    pub fn begin(tx: &Connection, plan: BulkPlan) -> Result<Option<Bulk>> {
        let table = plan.table;
        if !TABLES.contains(&table) {
            return Ok(None);
        }
        let after: i64 = tx.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        // New rows take the next ids only while there are ids above the
        // highest (SQLite picks free ones at random after the largest id):
        // then every row is logged by its trigger.
        if after > i64::MAX / 2 {
            return Ok(None);
        }
        tx.execute(
            "INSERT OR IGNORE INTO bulk_writes (tbl) VALUES (?1)",
            [table],
        )?;
        let deferred = if plan.defer && small(after, plan.size) {
            drop_plain_indexes(tx, table)?
        } else {
            Vec::new()
        };
        Ok(Some(Bulk {
            table,
            after,
            deferred,
            verify: false,
        }))
    }

    /// Triggers and CHECKs off until the guard is dropped: for an import
    /// whose every row is an insert into this table. [`Bulk::finish`] then
    /// verifies every CHECK of the table on the new rows.
    pub fn bare_inserts<'c>(&mut self, tx: &'c Connection) -> Result<BareInserts<'c>> {
        self.verify = true;
        BareInserts::new(tx)
    }

    /// Logs every row inserted since [`Bulk::begin`], in id order, as the
    /// insert trigger would have (one session for all: this moment's), brings
    /// the cached dates of the members they name up to date, builds the
    /// dropped indexes again and puts the triggers back.
    pub fn finish(self, tx: &Connection) -> Result<()> {
        let t = self.table;
        if self.verify {
            verify_checks(tx, t, self.after)?;
        }
        // One session for every row, read once: the clock may pass a second
        // between the statements below.
        let (at, user, action): (String, String, String) =
            tx.query_row("SELECT at, user, action FROM audit_now", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        tx.execute(
            // (not OR IGNORE: an append-only table refuses a key that exists)
            "INSERT INTO audit_sessions (at, user, action) SELECT ?1, ?2, ?3
             WHERE NOT EXISTS (SELECT 1 FROM audit_sessions WHERE at = ?1 AND user = ?2 AND action = ?3)",
            [&at, &user, &action],
        )?;
        let session: i64 = tx.query_row(
            "SELECT id FROM audit_sessions WHERE at = ?1 AND user = ?2 AND action = ?3",
            [&at, &user, &action],
            |r| r.get(0),
        )?;
        let last: i64 =
            tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), [], |r| {
                r.get(0)
            })?;
        // The log refuses a row whose id is there already (a REPLACE from
        // another tool); these rows take new ids, so that check is set aside
        // while they go in, inside this transaction (a third of the time of
        // a million log rows), and put back at once.
        let guard: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_log_no_replace'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if guard.is_some() {
            tx.execute_batch("DROP TRIGGER audit_log_no_replace")?;
        }
        {
            let mut log = tx.prepare(&format!(
                "INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
                 SELECT ?3, '{t}', v.id, 'insert', NULL, v.new
                 FROM {t}_audit_new v WHERE v.id > ?1 AND v.id <= ?2 ORDER BY v.id"
            ))?;
            chunks(self.after, last, CHUNK, |from, to| {
                log.execute([from, to, session])?;
                Ok(())
            })?;
        }
        if let Some(sql) = guard {
            tx.execute_batch(&sql)?;
        }
        // The cached latest dates, as the insert triggers would leave them:
        // each only ever rises to a new record's date, so the latest of a
        // member's new rows is what the triggers did row by row. CHUNK member
        // ids a statement (their rows lie together); a member whose dates
        // would not change is not written.
        let dates = match t {
            "talks" => Some(TALK_DATES),
            "visits" => Some(VISIT_DATES),
            _ => None,
        };
        if let Some(sql) = dates {
            let (lo, hi): (i64, i64) = tx.query_row(
                &format!(
                    "SELECT coalesce(min(member_id), 0), coalesce(max(member_id), -1)
                     FROM {t} WHERE id > ?1"
                ),
                [self.after],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // Member ids may be sparse: never more statements than rows.
            let span = hi.saturating_sub(lo).saturating_add(1);
            let statements = (last - self.after) / CHUNK + 1;
            let step = CHUNK.max(span / statements + 1);
            let mut cached = tx.prepare(sql)?;
            chunks(lo.saturating_sub(1), hi, step, |from, to| {
                cached.execute([from, to, self.after])?;
                Ok(())
            })?;
        }
        if !self.deferred.is_empty() {
            // A CREATE INDEX sorts in memory up to the page cache's size for
            // each of its threads: with the import's 32 MB cache and two
            // threads, building the roster's indexes again took a 1,000,000
            // member import from 88 MB to 122 MB at its peak. At 8 MB they
            // take as long (3.0 s for the four, measured in one run beside
            // 4.0 s at 32 MB) and the peak stays that of the rows. The
            // import puts the connection's own size back when it ends.
            tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
        }
        for sql in &self.deferred {
            tx.execute_batch(sql)?;
        }
        tx.execute("DELETE FROM bulk_writes WHERE tbl = ?1", [t])?;
        Ok(())
    }
}

/// Refuses the rows of `table` with ids above `after` when one breaks a
/// CHECK constraint of the table, as their inserts would have with the
/// constraints on: every CHECK of the table's SQL, in one scan.
fn verify_checks(tx: &Connection, table: &str, after: i64) -> Result<()> {
    let sql: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    let checks = checks_of(&sql);
    if checks.is_empty() {
        return Ok(());
    }
    // A CHECK fails when its value is false; NULL passes.
    let broken = |c: &String| format!("NOT coalesce(({c}), 1)");
    let any: Vec<String> = checks.iter().map(broken).collect();
    let first: Option<i64> = tx
        .query_row(
            &format!(
                "SELECT id FROM {table} WHERE id > ?1 AND ({}) ORDER BY id LIMIT 1",
                any.join(" OR ")
            ),
            [after],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = first else {
        return Ok(());
    };
    let mut which = String::new();
    for c in &checks {
        let bad: bool = tx.query_row(
            &format!("SELECT {} FROM {table} WHERE id = ?1", broken(c)),
            [id],
            |r| r.get(0),
        )?;
        if bad {
            which = c.clone();
            break;
        }
    }
    Err(DbError::invalid(
        format!(
            "导入的记录不符合数据库的约束（{table} 表 id {id}：CHECK ({which})），未导入任何内容"
        ),
        format!(
            "an imported record breaks a rule of the database ({table} id {id}: CHECK ({which})); nothing was imported"
        ),
    ))
}

/// The expressions of every CHECK constraint in a CREATE TABLE statement (a
/// column's or the table's), in order: the text between the parentheses
/// after each CHECK keyword, outside quotes and comments.
pub fn checks_of(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Where the CHECK being read opened, and its depth of parentheses.
    let mut open: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    let mut word_start: Option<usize> = None;
    let mut after_check = false;
    while i < b.len() {
        let c = b[i];
        let ident = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        if ident {
            word_start.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(w) = word_start.take() {
            after_check = open.is_none() && sql[w..i].eq_ignore_ascii_case("check");
        }
        match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
                after_check = false;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            b'(' => {
                depth += 1;
                if after_check {
                    open = Some((i + 1, depth));
                }
                after_check = false;
            }
            b')' => {
                if let Some((start, d)) = open
                    && d == depth
                {
                    out.push(sql[start..i].trim().to_string());
                    open = None;
                }
                depth = depth.saturating_sub(1);
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_check = false,
        }
        i += 1;
    }
    out
}

/// Runs `f` on the ids in (from, last] `step` at a time, as (from, to]: each
/// statement's journal (in memory during an import) holds only the pages
/// that statement changed.
fn chunks(
    mut from: i64,
    last: i64,
    step: i64,
    mut f: impl FnMut(i64, i64) -> Result<()>,
) -> Result<()> {
    while from < last {
        let to = from.saturating_add(step).min(last);
        f(from, to)?;
        from = to;
    }
    Ok(())
}

/// The cached dates of the members with ids in (?1, ?2] raised to the latest
/// of their talks with ids above ?3, as `talks_ai` raises them. Those talks
/// are the import's, none of them voided: the index on (member, date), with
/// the id in it, answers alone, without reading a talk's row.
const TALK_DATES: &str = "UPDATE members SET
        last_talk = max(coalesce(last_talk, ''), n.d),
        last_contact = max(coalesce(last_contact, ''), n.d)
    FROM (SELECT member_id, max(date) AS d FROM talks INDEXED BY talks_member
          WHERE member_id > ?1 AND member_id <= ?2 AND id > ?3
          GROUP BY member_id) n
    WHERE members.id = n.member_id
      AND (n.d > coalesce(last_talk, '') OR n.d > coalesce(last_contact, ''))";

/// The same for visits, as `visits_ai` raises them.
const VISIT_DATES: &str = "UPDATE members SET
        last_visit = CASE WHEN n.v IS NOT NULL
            THEN max(coalesce(last_visit, ''), n.v) ELSE last_visit END,
        last_health_check = CASE WHEN n.h IS NOT NULL
            THEN max(coalesce(last_health_check, ''), n.h) ELSE last_health_check END,
        last_contact = CASE WHEN n.c IS NOT NULL
            THEN max(coalesce(last_contact, ''), n.c) ELSE last_contact END
    FROM (SELECT member_id,
                 max(CASE WHEN kind IN (SELECT kind FROM in_person_kinds) THEN date END) AS v,
                 max(CASE WHEN kind = 'health_check' THEN date END) AS h,
                 max(CASE WHEN kind <> 'health_check' THEN date END) AS c
          FROM visits
          WHERE member_id > ?1 AND member_id <= ?2 AND id > ?3 AND voided_on IS NULL
          GROUP BY member_id) n
    WHERE members.id = n.member_id
      AND (n.v > coalesce(last_visit, '') OR n.h > coalesce(last_health_check, '')
           OR n.c > coalesce(last_contact, ''))";

/// Drops the table's indexes that were made by CREATE INDEX and enforce
/// nothing (not UNIQUE); returns their SQL, to build them again. Public for
/// the import benchmark's floor, which defers the same indexes.
pub fn drop_plain_indexes(tx: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT l.name, m.sql FROM pragma_index_list(?1) l
         JOIN sqlite_schema m ON m.type = 'index' AND m.name = l.name
         WHERE l.origin = 'c' AND l.\"unique\" = 0 AND l.partial = 0 AND m.sql IS NOT NULL
         ORDER BY l.name",
    )?;
    let plain: Vec<(String, String)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for (name, _) in &plain {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(plain.into_iter().map(|(_, sql)| sql).collect())
}

/// Puts every table's triggers back: called by every commit through
/// `db::audit`, so that no bulk mark ever outlives its transaction.
pub fn clear(tx: &Connection) -> Result<()> {
    tx.prepare_cached("DELETE FROM bulk_writes")?.execute([])?;
    Ok(())
}
