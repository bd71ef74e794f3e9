//! A large import's inserts logged at its end, a statement per 10,000 rows
//! (migration 8):
//! while `bulk_writes` names a table, that table's per-row insert triggers —
//! the audit row and, for talks and visits, the members' cached latest dates
//! — stand aside, and [`Bulk::finish`] writes what they would have, set-based,
//! in the same transaction. Only inserts stand aside: an import's updates of
//! existing rows are logged row by row as always.

use rusqlite::Connection;

use crate::db::Result;

/// The tables whose inserts a bulk import may log at its end.
const TABLES: [&str; 4] = ["members", "talks", "visits", "events"];

/// Rows logged (and members brought up to date) by one statement.
const CHUNK: i64 = 10_000;

/// A bulk insert under way into one table, begun in a write transaction.
#[derive(Debug)]
pub struct Bulk {
    table: &'static str,
    /// The highest id before the import: every row above it is new.
    after: i64,
}

impl Bulk {
    /// Sets the table's insert triggers aside for the rest of the transaction
    /// (`None` for a table that has no set-based log).
    pub fn begin(tx: &Connection, table: &'static str) -> Result<Option<Bulk>> {
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
        Ok(Some(Bulk { table, after }))
    }

    /// Logs every row inserted since [`Bulk::begin`], in id order, as the
    /// insert trigger would have (one session for all: this moment's), brings
    /// the cached dates of the members they name up to date, and puts the
    /// triggers back.
    pub fn finish(self, tx: &Connection) -> Result<()> {
        let t = self.table;
        // One session for every row, read once: the clock may pass a second
        // between the statements below.
        let (at, user, action): (String, String, String) =
            tx.query_row("SELECT at, user, action FROM audit_now", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        tx.execute(
            "INSERT OR IGNORE INTO audit_sessions (at, user, action) VALUES (?1, ?2, ?3)",
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
        let mut log = tx.prepare(&format!(
            "INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
             SELECT ?3, '{t}', v.id, 'insert', NULL, v.new
             FROM {t}_audit_new v WHERE v.id > ?1 AND v.id <= ?2 ORDER BY v.id"
        ))?;
        // A statement per CHUNK rows: each statement's journal (in memory
        // during an import) holds only the pages that statement changed.
        let mut from = self.after;
        while from < last {
            let to = from.saturating_add(CHUNK).min(last);
            log.execute([from, to, session])?;
            from = to;
        }
        if matches!(t, "talks" | "visits") {
            // the members the new records name, each once, CHUNK ids at a time
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS bulk_members (member_id INTEGER PRIMARY KEY);
                 DELETE FROM temp.bulk_members;",
            )?;
            tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO temp.bulk_members (member_id)
                     SELECT member_id FROM {t} WHERE id > ?1"
                ),
                [self.after],
            )?;
            let (lo, hi): (i64, i64) = tx.query_row(
                "SELECT coalesce(min(member_id), 0), coalesce(max(member_id), -1)
                 FROM temp.bulk_members",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut cached = tx.prepare(
                "UPDATE members SET
                     (last_talk, last_visit, last_health_check, last_contact) =
                     (SELECT last_talk, last_visit, last_health_check, last_contact
                      FROM member_latest l WHERE l.member_id = members.id)
                 WHERE id IN (SELECT member_id FROM temp.bulk_members
                              WHERE member_id >= ?1 AND member_id < ?2)",
            )?;
            let mut m = lo;
            while m <= hi {
                let next = m.saturating_add(CHUNK);
                cached.execute([m, next])?;
                m = next;
            }
            tx.execute_batch("DROP TABLE temp.bulk_members")?;
        }
        tx.execute("DELETE FROM bulk_writes WHERE tbl = ?1", [t])?;
        Ok(())
    }
}

/// Puts every table's triggers back: called by every commit through
/// `db::audit`, so that no bulk mark ever outlives its transaction.
pub fn clear(tx: &Connection) -> Result<()> {
    tx.prepare_cached("DELETE FROM bulk_writes")?.execute([])?;
    Ok(())
}
