//! The stored pinyin order keys (`members.sort_key`) follow the program's
//! reading rules: when the rules change (a given-name reading fixed), every
//! key is computed anew once, in one transaction, when a clerk who may write
//! the file opens it.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::pinyin;

/// Raised whenever `pinyin::sort_key` orders some name differently.
/// 2: given-name readings (子 zǐ, not the suffix zi).
pub const VERSION: &str = "2";

const KEY: &str = "name_key_version";

/// Recomputes every member's sort key unless the file's keys are current.
pub fn refresh(conn: &Connection) -> Result<()> {
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
            r.get(0)
        })
        .optional()?;
    if stored.as_deref() == Some(VERSION) {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let named = super::audit::set_actor(&tx, &super::audit::Actor::new("open: name keys"))?;
    {
        let mut read = tx.prepare("SELECT id, name, sort_key FROM members")?;
        let mut write = tx.prepare("UPDATE members SET sort_key = ?2 WHERE id = ?1")?;
        let rows = read.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut changed = Vec::new();
        for row in rows {
            let (id, name, old) = row?;
            let new = pinyin::sort_key(&name);
            if new != old {
                changed.push((id, new));
            }
        }
        for (id, key) in changed {
            write.execute(params![id, key])?;
        }
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEY, VERSION],
    )?;
    super::audit::commit(tx, named)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_keys_are_recomputed_once() {
        let conn = crate::db::open_in_memory().unwrap();
        let m = crate::domain::member::Member::new(
            "1",
            "王子豪",
            chrono::NaiveDate::from_ymd_opt(2000, 7, 1).unwrap(),
        );
        crate::db::members::insert(&conn, &m).unwrap();
        conn.execute("UPDATE members SET sort_key = x'00'", [])
            .unwrap();
        conn.execute("DELETE FROM settings WHERE key = ?1", [KEY])
            .unwrap();
        refresh(&conn).unwrap();
        let key: Vec<u8> = conn
            .query_row("SELECT sort_key FROM members", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key, pinyin::sort_key("王子豪"));
        // current: nothing is written again
        conn.execute("UPDATE members SET sort_key = x'00'", [])
            .unwrap();
        refresh(&conn).unwrap();
        let key: Vec<u8> = conn
            .query_row("SELECT sort_key FROM members", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key, vec![0]);
    }
}
