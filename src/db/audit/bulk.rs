//! A large import's inserts logged in one statement at its end (migration 8):
//! while `bulk_writes` names a table, that table's per-row insert triggers —
//! the audit row and, for talks and visits, the members' cached latest dates
//! — stand aside, and [`Bulk::finish`] writes what they would have, set-based,
//! in the same transaction. Only inserts stand aside: an import's updates of
//! existing rows are logged row by row as always.

use rusqlite::Connection;

use crate::db::Result;

/// The tables whose inserts a bulk import may log at its end.
const TABLES: [&str; 4] = ["members", "talks", "visits", "events"];

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
        tx.execute(
            "INSERT INTO audit_sessions (at, user, action) SELECT at, user, action FROM audit_now n
             WHERE NOT EXISTS (SELECT 1 FROM audit_sessions s
                               WHERE s.at = n.at AND s.user = n.user AND s.action = n.action)",
            [],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
                 SELECT (SELECT s.id FROM audit_now n JOIN audit_sessions s
                         ON s.at = n.at AND s.user = n.user AND s.action = n.action),
                        '{t}', v.id, 'insert', NULL, v.new
                 FROM {t}_audit_new v WHERE v.id > ?1 ORDER BY v.id"
            ),
            [self.after],
        )?;
        if matches!(t, "talks" | "visits") {
            tx.execute(
                &format!(
                    "UPDATE members SET
                         (last_talk, last_visit, last_health_check, last_contact) =
                         (SELECT last_talk, last_visit, last_health_check, last_contact
                          FROM member_latest l WHERE l.member_id = members.id)
                     WHERE id IN (SELECT member_id FROM {t} WHERE id > ?1)"
                ),
                [self.after],
            )?;
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
