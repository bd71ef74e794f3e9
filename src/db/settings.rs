//! 设置 stored as key = value.

use rusqlite::{Connection, params};

use super::Result;
use crate::domain::settings::{SETTINGS, Settings};

/// The settings in force: defaults overridden by what the branch stored.
pub fn load(conn: &Connection) -> Result<Settings> {
    let mut s = Settings::default();
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (k, v) = row?;
        s.apply(&k, &v);
    }
    Ok(s)
}

/// Stores every setting in one transaction, logged as `settings` (a value
/// that did not change is not written).
pub fn save(conn: &Connection, s: &Settings) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    let named = super::audit::set_actor(&tx, &super::audit::Actor::new("settings"))?;
    for def in SETTINGS {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value
             WHERE value <> excluded.value",
            params![def.key, (def.get)(s).to_string()],
        )?;
    }
    super::audit::commit(tx, named)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let conn = crate::db::open_in_memory().unwrap();
        assert_eq!(load(&conn).unwrap(), Settings::default());
        let s = Settings {
            annual_talk_days: 200,
            ..Settings::default()
        };
        save(&conn, &s).unwrap();
        assert_eq!(load(&conn).unwrap(), s);
    }

    #[test]
    fn a_save_logs_the_changed_settings_only() {
        use crate::db::audit::{self, LogFilter};
        let conn = crate::db::open_in_memory().unwrap();
        save(&conn, &Settings::default()).unwrap();
        let first = audit::count(&conn, &LogFilter::default()).unwrap();
        let s = Settings {
            annual_talk_days: 200,
            ..Settings::default()
        };
        save(&conn, &s).unwrap();
        assert_eq!(
            audit::count(&conn, &LogFilter::default()).unwrap(),
            first + 1
        );
        let log = audit::page(&conn, &LogFilter::default(), None, 1).unwrap();
        assert_eq!(log[0].action, "settings");
        assert!(
            log[0].changes_text().contains("→ 200"),
            "{}",
            log[0].changes_text()
        );
        save(&conn, &s).unwrap();
        assert_eq!(
            audit::count(&conn, &LogFilter::default()).unwrap(),
            first + 1
        );
    }
}
