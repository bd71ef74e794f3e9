//! The only place with SQL. Opens the file, applies `schema.sql` as numbered
//! migrations, and returns domain types. Every write is one transaction.

pub mod export;
pub mod fund;
pub mod hardship;
pub mod members;
pub mod obligations;
pub mod records;
pub mod roster;
pub mod settings;
pub mod visits_list;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// The whole schema; sections start with `-- migration: N`.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// An error for the user: what went wrong, in words a clerk understands.
#[derive(Debug)]
pub enum DbError {
    Sql(rusqlite::Error),
    /// Someone else saved this record since it was read.
    Conflict {
        zh: String,
        en: String,
    },
    /// A rule of the data (uniqueness, a missing record …).
    Invalid {
        zh: String,
        en: String,
    },
    Io(std::io::Error),
}

impl DbError {
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DbError::Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: crate::domain::Lang) -> String {
        match self {
            DbError::Sql(e) => {
                lang.pick("数据库错误：", "database error: ").to_string() + &e.to_string()
            }
            DbError::Conflict { zh, en } | DbError::Invalid { zh, en } => {
                lang.pick(zh, en).to_string()
            }
            DbError::Io(e) => lang.pick("文件错误：", "file error: ").to_string() + &e.to_string(),
        }
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::domain::Lang::En))
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sql(e)
    }
}

impl From<std::io::Error> for DbError {
    fn from(e: std::io::Error) -> Self {
        DbError::Io(e)
    }
}

pub type Result<T> = std::result::Result<T, DbError>;

/// The default database: `guanhuai.sqlite` in the platform data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "guanhuai").map(|d| d.data_dir().join("guanhuai.sqlite"))
}

/// Opens (creating if needed, readable by its owner only) and migrates the database.
pub fn open(path: &Path) -> Result<Connection> {
    let is_new = !path.exists();
    if is_new {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        create_private(path)?;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// A second connection to an already opened database, for a worker thread that
/// makes one pass over the data: a small page cache, since a scan reads each
/// page once, keeps the memory of the whole program low.
pub fn open_scan(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "cache_size", -256)?;
    Ok(conn)
}

/// An in-memory database with the schema, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(|_| ())
}

fn configure(conn: &Connection) -> Result<()> {
    // Two clerks on one file: wait for the other's write rather than fail.
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// The numbered sections of `schema.sql`: a line `-- migration: N` starts section N.
pub fn migrations() -> Vec<(i64, &'static str)> {
    // (number, where its marker line starts, where its body starts)
    let mut marks: Vec<(i64, usize, usize)> = Vec::new();
    let mut offset = 0;
    for line in SCHEMA.split_inclusive('\n') {
        if let Some(n) = line
            .strip_prefix("-- migration: ")
            .and_then(|n| n.trim().parse().ok())
        {
            marks.push((n, offset, offset + line.len()));
        }
        offset += line.len();
    }
    marks
        .iter()
        .enumerate()
        .map(|(k, &(n, _, body))| {
            let end = marks.get(k + 1).map_or(SCHEMA.len(), |&(_, next, _)| next);
            (n, &SCHEMA[body..end])
        })
        .collect()
}

/// Applies every migration newer than `PRAGMA user_version`, each in one transaction.
pub fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (n, sql) in migrations() {
        if n <= current {
            continue;
        }
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        // Another copy may have migrated while we waited for the write lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now < n {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", n)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Starts a write transaction that takes the write lock at once (no deadlock
/// between two copies upgrading read locks; the busy timeout then just waits).
pub fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Copies the database to `dest` with SQLite's online backup (safe while another copy runs).
pub fn backup(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(DbError::invalid(
            format!("{} 已存在，不覆盖", dest.display()),
            format!("{} already exists; not overwriting it", dest.display()),
        ));
    }
    create_private(dest)?;
    if let Err(e) = conn.backup(
        rusqlite::MAIN_DB,
        dest,
        None::<fn(rusqlite::backup::Progress)>,
    ) {
        let _ = std::fs::remove_file(dest);
        return Err(e.into());
    }
    Ok(())
}

/// A date as stored.
pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads a stored date (NULL or empty → None).
pub fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_and_apply_once() {
        let m = migrations();
        assert_eq!(m[0].0, 1);
        let conn = open_in_memory().unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, m.last().unwrap().0);
        migrate(&conn).unwrap();
    }

    #[test]
    fn new_file_is_private_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("g.sqlite");
        let conn = open(&p).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let perm = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(perm, 0o600);
        }
    }
}
