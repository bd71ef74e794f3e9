//! `guanhuai backup FILE`: a consistent copy of the database, safe while
//! other clerks work; nothing is left at FILE unless the copy is complete and
//! checked, and an existing FILE is never overwritten.

use std::path::Path;

use rusqlite::Connection;

use super::CliError;
use crate::domain::Lang;

/// `mode`: the permission bits of the copy (those of the database).
pub fn run(conn: &Connection, file: &Path, mode: u32, lang: Lang) -> Result<(), CliError> {
    crate::db::backup(conn, file, mode).map_err(|e| CliError::from_db(e, lang))?;
    eprintln!(
        "{} {}",
        lang.pick("已备份到", "backed up to"),
        file.display()
    );
    Ok(())
}
