//! `guanhuai backup FILE`: SQLite's online backup, safe while another copy runs.

use std::path::Path;

use rusqlite::Connection;

use super::CliError;
use crate::domain::Lang;

pub fn run(conn: &Connection, file: &Path, lang: Lang) -> Result<(), CliError> {
    crate::db::backup(conn, file).map_err(|e| CliError::from_db(e, lang))?;
    eprintln!(
        "{} {}",
        lang.pick("已备份到", "backed up to"),
        file.display()
    );
    Ok(())
}
