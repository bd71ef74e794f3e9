//! The only place with SQL. Opens the file, applies `schema.sql` as numbered
//! migrations, and returns domain types. Every write is one transaction.

pub mod assessment_list;
pub mod audit;
pub mod backup;
pub mod corrections;
pub mod export;
pub mod file;
pub mod fund;
pub mod hardship;
pub mod hardship_ledger;
pub mod incentives;
pub mod members;
pub mod name_keys;
pub mod obligations;
pub mod pages;
pub mod records;
pub mod roster;
pub mod settings;
pub mod stats;
pub mod survey;
pub mod visits_list;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

pub use backup::backup;
pub use file::{APPLICATION_ID, Access, open_as};

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
    /// The database file cannot be used as asked: missing, not ours, newer,
    /// read-only (said with the file's path).
    File {
        zh: String,
        en: String,
    },
}

impl DbError {
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Self {
        DbError::Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message for the clerk: a fault of the disk or the file says what
    /// happened and what to do (磁盘已满 …), in one sentence.
    pub fn message(&self, lang: crate::domain::Lang) -> String {
        match self {
            DbError::Sql(e) => sql_message(e, lang),
            DbError::Conflict { zh, en }
            | DbError::Invalid { zh, en }
            | DbError::File { zh, en } => lang.pick(zh, en).to_string(),
            DbError::Io(e) if crate::fsutil::is_disk_full(e) => disk_full(lang),
            DbError::Io(e) if crate::fsutil::is_read_only(e) => read_only_message(lang),
            DbError::Io(e) => lang.pick("文件错误：", "file error: ").to_string() + &e.to_string(),
        }
    }
}

/// The database file named in messages about it (set once by the command line).
static MESSAGE_PATH: OnceLock<PathBuf> = OnceLock::new();

/// Names `path` in the messages of faults of the database file (disk full,
/// read-only, I/O errors). The first call wins.
pub fn name_in_messages(path: &Path) {
    let _ = MESSAGE_PATH.set(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
}

fn message_path() -> String {
    MESSAGE_PATH
        .get()
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

fn disk_full(lang: crate::domain::Lang) -> String {
    let p = message_path();
    lang.pick(
        &format!("磁盘已满：无法写入数据库文件{p}，未保存任何更改；请清理磁盘空间后重试"),
        &format!(
            "the disk is full: cannot write the database file{p}, nothing was saved; free some space and try again"
        ),
    )
    .to_string()
}

fn read_only_message(lang: crate::domain::Lang) -> String {
    let p = message_path();
    let p = if p.is_empty() {
        String::new()
    } else {
        p.trim_start().to_string() + " "
    };
    lang.pick(
        &format!(
            "数据库文件 {p}或其所在目录只读，无法写入：请检查权限（文件和所在目录都需要写权限），未保存任何更改"
        ),
        &format!(
            "the database file {p}or its directory is read-only, so nothing can be written: check the permissions (both the file and its directory must be writable); nothing was saved"
        ),
    )
    .to_string()
}

fn sql_message(e: &rusqlite::Error, lang: crate::domain::Lang) -> String {
    let p = message_path();
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => disk_full(lang),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => read_only_message(lang),
        // A full disk often shows as a failed write of the -wal or -shm file.
        Some(ErrorCode::SystemIoFailure)
            if MESSAGE_PATH
                .get()
                .is_some_and(|p| crate::fsutil::disk_nearly_full(crate::fsutil::dir_of(p))) =>
        {
            disk_full(lang)
        }
        Some(ErrorCode::SystemIoFailure) => lang
            .pick(
                &format!(
                    "读写数据库文件{p}时磁盘出错，未保存任何更改：请检查磁盘（空间、连接、网络盘）后重试，或先用 guanhuai backup 备份到别处"
                ),
                &format!(
                    "a disk read/write error on the database file{p}, nothing was saved: check the disk (space, cable, network drive) and try again, or first back it up elsewhere with guanhuai backup"
                ),
            )
            .to_string(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => lang
            .pick(
                &format!("数据库文件{p}已损坏或不是 SQLite 数据库：请从备份恢复"),
                &format!(
                    "the database file{p} is damaged or not an SQLite database: restore it from a backup"
                ),
            )
            .to_string(),
        Some(ErrorCode::CannotOpen) => lang
            .pick(
                &format!("无法打开数据库文件{p}：请检查路径和权限"),
                &format!("cannot open the database file{p}: check the path and the permissions"),
            )
            .to_string(),
        _ => lang.pick("数据库错误：", "database error: ").to_string() + &e.to_string(),
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

/// Opens the database for writing, creating the file when missing (see
/// [`open_as`] with [`Access::Create`]; its directory must exist).
pub fn open(path: &Path) -> Result<Connection> {
    open_as(path, Access::Create)
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
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
    }
    // A file made before guanhuai set its application id.
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

/// Starts a write transaction that takes the write lock at once (no deadlock
/// between two copies upgrading read locks; the busy timeout then just waits).
/// Its changes are logged with the OS user and no action: name the action with
/// [`audit::write_tx`] instead.
pub fn write_tx(conn: &mut Connection) -> Result<audit::WriteTx<'_>> {
    audit::write_tx(conn, &audit::Actor::new(""))
}

/// The transaction of [`write_tx`], without naming an actor.
fn begin_immediate(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// The settings key that marks a database filled by `guanhuai demo`.
const DEMO_KEY: &str = "demo_data";

/// Marks the database as the demo's (the UI says so).
pub fn mark_demo(conn: &Connection) -> Result<()> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let named = audit::set_actor(&tx, &audit::Actor::new("demo"))?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, '1')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [DEMO_KEY],
    )?;
    audit::commit(tx, named)?;
    Ok(())
}

/// Whether `guanhuai demo` filled this database.
pub fn is_demo(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM settings WHERE key = ?1",
        [DEMO_KEY],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// The in-person visit kinds as an SQL list, `('home','hospital','holiday')`,
/// from [`VisitKind::IN_PERSON`] (for a literal list where a view would keep
/// SQLite from using the partial index `visits_in_person`).
pub fn in_person_sql() -> &'static str {
    use crate::domain::vocab::{Coded, VisitKind};
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let codes: Vec<String> = VisitKind::IN_PERSON
            .iter()
            .map(|k| format!("'{}'", k.code()))
            .collect();
        format!("({})", codes.join(","))
    })
}

/// A date as stored.
pub fn date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    match d.year() {
        // as `%Y-%m-%d` writes it, without its formatting machinery (a bulk
        // import writes millions of dates)
        y @ 0..=9999 => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
        _ => d.format("%Y-%m-%d").to_string(),
    }
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
    fn the_schema_lists_the_in_person_kinds_of_the_domain() {
        use crate::domain::vocab::{Coded, VisitKind};
        let conn = open_in_memory().unwrap();
        let view: Vec<String> = conn
            .prepare("SELECT kind FROM in_person_kinds ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut domain: Vec<String> = VisitKind::IN_PERSON
            .iter()
            .map(|k| k.code().to_string())
            .collect();
        domain.sort();
        assert_eq!(view, domain);
        assert_eq!(in_person_sql(), "('home','hospital','holiday')");
        let index: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'visits_in_person'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            index
                .replace(' ', "")
                .contains(&format!("kindIN{}", in_person_sql())),
            "{index}"
        );
    }

    /// A file as an older guanhuai left it: the migrations up to `version`.
    fn file_at_version(version: i64) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for (n, sql) in migrations().into_iter().filter(|(n, _)| *n <= version) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", n).unwrap();
        }
        conn
    }

    /// The first column of every row `sql` gives.
    fn column<T: rusqlite::types::FromSql>(
        conn: &Connection,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Vec<T> {
        conn.prepare(sql)
            .unwrap()
            .query_map(params, |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn every_table_without_rowid_declares_its_key_first_in_its_order() {
        // the sqlite3 shell 3.40 misreads such a table's other columns in
        // PRAGMA integrity_check (false "NULL value in …"; migration 10)
        let conn = open_in_memory().unwrap();
        let tables: Vec<String> = column(
            &conn,
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%'",
            [],
        );
        assert!(
            tables.contains(&"kept_obligations".to_string()),
            "{tables:?}"
        );
        for t in &tables {
            let pk: Vec<i64> = column(
                &conn,
                "SELECT pk FROM pragma_table_info(?1) ORDER BY cid",
                [t],
            );
            let keys = pk.iter().filter(|&&k| k > 0).count() as i64;
            let first: Vec<i64> = pk.iter().take(keys as usize).copied().collect();
            assert_eq!(first, (1..=keys).collect::<Vec<_>>(), "{t}: {pk:?}");
        }
    }

    #[test]
    fn migration_10_leaves_the_kept_obligations_to_be_built_again() {
        let conn = file_at_version(9);
        conn.execute_batch(
            "INSERT INTO members (id, code, name, joined_on, sort_key) VALUES (1, '001', '张三', '2000-01-01', x'00');
             INSERT INTO kept_obligations (done, due, sort_key, code, member_code, member_id, name, rule, campaign_id, starts_on, seq)
             VALUES (0, '2001-01-01', x'00', 'annual_talk', '001', 1, '张三', 1, 0, '', 1);
             INSERT INTO kept_counts VALUES (0, 1, 0, '2001-01-01', '', 1);
             INSERT INTO kept_state VALUES (1, 'old');",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let n = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(n("SELECT count(*) FROM kept_obligations"), 0);
        assert_eq!(n("SELECT count(*) FROM kept_counts"), 0);
        assert_eq!(
            n("SELECT count(*) FROM kept_state"),
            0,
            "stale: rebuilt by the next writer"
        );
        let settings = settings::load(&conn).unwrap();
        assert!(obligations::kept::ensure(&conn, &settings).unwrap());
        assert_eq!(
            n("SELECT count(*) FROM kept_obligations WHERE member_code = '001' AND done = 0"),
            n("SELECT count(*) FROM kept_obligations"),
        );
        assert!(n("SELECT count(*) FROM kept_obligations") > 0);
    }

    #[test]
    fn migration_3_keeps_the_records_of_an_older_file_and_their_latest_dates() {
        let conn = file_at_version(2);
        conn.execute_batch(
            "INSERT INTO members (id, code, name, joined_on, sort_key) VALUES (1, '001', '张三', '2000-01-01', x'00');
             INSERT INTO talks (member_id, date) VALUES (1, '2026-01-01');
             INSERT INTO visits (member_id, date, kind) VALUES (1, '2026-02-01', 'home');",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let latest = || -> (Option<String>, Option<String>) {
            conn.query_row("SELECT last_talk, last_visit FROM members", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
        };
        assert_eq!(
            latest(),
            (Some("2026-01-01".into()), Some("2026-02-01".into()))
        );
        conn.execute("UPDATE visits SET voided_on = '2026-03-01'", [])
            .unwrap();
        assert_eq!(latest(), (Some("2026-01-01".into()), None));
        // the old rows are not in the log; the void is, with no actor named
        let log = audit::page(&conn, &audit::LogFilter::default(), None, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].user.as_str(), log[0].action.as_str()), ("", ""));
    }

    #[test]
    fn new_file_is_private_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.sqlite");
        assert!(open(&dir.path().join("sub").join("g.sqlite")).is_err());
        let conn = open(&p).unwrap();
        let app: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
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
