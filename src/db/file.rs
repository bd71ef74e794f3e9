//! The database file (DOMAIN.md "Database files"): what a path holds before
//! anything is configured, who may create it, and how it is opened.
//!
//! The file is looked at first, read-only and without locks, so that a file
//! that is not ours (a browser's history, a newer guanhuai's database, a text
//! file) is refused before anything in it changes — not even its journal mode,
//! and without creating `-wal` or `-shm` files beside it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{DbError, Result, configure, migrate, migrations};
use crate::fsutil;

/// `PRAGMA application_id` of a guanhuai database ("GHAI").
pub const APPLICATION_ID: i32 = 0x4748_4149;

/// What a command does with the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The UI, `demo`, `import`, `campaign add`: the file is created when
    /// missing (its directory is not) and written.
    Create,
    /// `overdue`, `export`, `backup` (and `stats`, `report`): the file must
    /// exist; it is opened read-only when the clerk may not write it.
    Read,
}

/// What a path holds, found without changing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Missing,
    /// 0 bytes, or an SQLite file with no schema object: ready to be initialised.
    Empty,
    /// A guanhuai database at this schema version.
    Ours(i64),
}

/// The schema version this program migrates to.
pub fn latest_version() -> i64 {
    migrations().last().map_or(0, |m| m.0)
}

/// Opens the database for `access`: inspects the file, creates it (mode 0600,
/// or 0660 in a setgid directory) when `Create` allows, then configures and
/// migrates it; or opens it read-only, unmigrated, when `Read` finds it not
/// writable. Never creates a directory.
pub fn open_as(path: &Path, access: Access) -> Result<Connection> {
    let found = inspect(path)?;
    match (found, access) {
        (Found::Missing, Access::Read) => Err(refused(
            format!("数据库文件不存在：{}（请检查 --db 路径）", path.display()),
            format!(
                "the database file does not exist: {} (check the --db path)",
                path.display()
            ),
        )),
        (Found::Empty, Access::Read) => Err(refused(
            format!(
                "数据库文件是空的：{}（还没有任何数据；请检查 --db 路径）",
                path.display()
            ),
            format!(
                "the database file is empty: {} (it holds no data yet; check the --db path)",
                path.display()
            ),
        )),
        (Found::Missing, Access::Create) => {
            create_file(path)?;
            // A file that could not even be initialised (a full disk) is not left behind.
            open_writable(path).inspect_err(|_| {
                for p in [
                    sidecar(path, "-wal"),
                    sidecar(path, "-shm"),
                    path.to_path_buf(),
                ] {
                    let _ = std::fs::remove_file(p);
                }
            })
        }
        (Found::Empty | Found::Ours(_), Access::Create) => {
            if !writable(path) {
                return Err(read_only(path));
            }
            open_writable(path)
        }
        (Found::Ours(version), Access::Read) => {
            if writable(path) {
                open_writable(path)
            } else {
                open_read_only(path, version)
            }
        }
    }
}

/// Whether nothing is at `path` yet: a command that creates the database
/// there takes it back with [`remove_unused`] when it fails.
pub fn is_missing(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_err()
}

/// Removes the database at `path` (and its `-wal` and `-shm`) if it holds no
/// clerk's data: nothing in its audit log but settings, which every write
/// leaves rows in. For a command that created the file and then failed (an
/// import refused as a whole), so that it leaves no new database behind; a
/// file another copy of guanhuai has meanwhile written to is kept.
pub fn remove_unused(path: &Path) {
    // (read-write: a read-only connection could not open a WAL file whose
    // -shm the failed command's connection removed)
    let unused = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .and_then(|c| {
            c.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM audit_log WHERE tbl <> 'settings')",
                [],
                |r| r.get::<_, bool>(0),
            )
        })
        .unwrap_or(false);
    if unused {
        for p in [
            sidecar(path, "-wal"),
            sidecar(path, "-shm"),
            path.to_path_buf(),
        ] {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn refused(zh: String, en: String) -> DbError {
    DbError::File { zh, en }
}

/// The message for a database the clerk may not write.
pub fn read_only(path: &Path) -> DbError {
    refused(
        format!(
            "数据库文件 {} 或其所在目录只读，无法写入：请检查权限（文件和所在目录都需要写权限），或请有权限的工作人员操作",
            path.display()
        ),
        format!(
            "the database file {} or its directory is read-only, so nothing can be written: check the permissions (both the file and its directory must be writable), or ask a clerk who can write it",
            path.display()
        ),
    )
}

fn open_writable(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    migrate(&conn)?;
    super::name_keys::refresh(&conn)?;
    Ok(conn)
}

/// A database the clerk may read but not write: SQLite is told so, so that
/// it needs no `-shm` when there is no `-wal` (the file is then immutable for
/// it); nothing is migrated.
fn open_read_only(path: &Path, version: i64) -> Result<Connection> {
    if version < latest_version() {
        return Err(refused(
            format!(
                "数据库文件 {} 是旧版本（数据库版本 {version}，本程序为 {}），需要升级，但你没有写权限：请有写权限的工作人员先用本程序打开它一次",
                path.display(),
                latest_version()
            ),
            format!(
                "the database file {} has an older schema (version {version}, this program has {}) and must be upgraded, but you may not write it: it must be opened once by a clerk who can write it",
                path.display(),
                latest_version()
            ),
        ));
    }
    let conn = connect_read_only(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// A read-only connection that changes nothing on disk: without a `-wal`
/// file the database is opened as immutable (no locks, no `-shm`).
fn connect_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if sidecar(path, "-wal").exists() {
        return Connection::open_with_flags(path, flags);
    }
    Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
}

/// `path` + `suffix` (`-wal`, `-shm`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// `file:PATH?immutable=1`, the path percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in abs.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Whether the clerk may write the file and its directory (the `-wal` and
/// `-shm` files are created and removed there).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ok = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            // SAFETY: a valid NUL-terminated path.
            .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
    };
    ok(path) && ok(fsutil::dir_of(path))
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Creates an empty database file with its mode; its directory must exist.
fn create_file(path: &Path) -> Result<()> {
    let dir = fsutil::dir_of(path);
    if !dir.is_dir() {
        return Err(refused(
            format!(
                "目录不存在：{}（不会自动创建；请检查 --db 路径）",
                dir.display()
            ),
            format!(
                "no such directory: {} (it is not created for you; check the --db path)",
                dir.display()
            ),
        ));
    }
    let mode = fsutil::new_file_mode(dir);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(path).map_err(|e| {
        if fsutil::is_read_only(&e) {
            read_only(path)
        } else {
            DbError::Io(e)
        }
    })?;
    #[cfg(unix)]
    {
        // Set on the open file: the umask has no say.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    let _ = (file, mode);
    Ok(())
}

/// Looks at what `path` holds, changing nothing; refuses what is not ours.
fn inspect(path: &Path) -> Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(DbError::Io(e)),
    };
    if meta.is_dir() {
        return Err(refused(
            format!("{} 是一个目录，不是数据库文件", path.display()),
            format!("{} is a directory, not a database file", path.display()),
        ));
    }
    if meta.len() == 0 {
        return Ok(Found::Empty);
    }
    if !has_sqlite_header(path)? {
        return Err(not_sqlite(path));
    }
    let look = || -> rusqlite::Result<(i64, i32, Vec<String>)> {
        let conn = connect_read_only(path)?;
        // A database another copy is writing is read, not refused.
        conn.busy_timeout(Duration::from_secs(10))?;
        let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let mut stmt = conn.prepare(
            // Every object, not only tables: a file holding only a view (or
            // a trigger) is not empty. Tables first, for the message's example.
            "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type <> 'table', rowid",
        )?;
        let objects = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((version, app, objects))
    };
    let (version, app, objects) = look().map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            not_sqlite(path)
        }
        _ => DbError::Sql(e),
    })?;
    judge(path, version, app, &objects)
}

/// Decides from the file's header values and schema objects (tables first).
fn judge(path: &Path, version: i64, app: i32, objects: &[String]) -> Result<Found> {
    if objects.is_empty() && version == 0 && (app == 0 || app == APPLICATION_ID) {
        return Ok(Found::Empty);
    }
    // Files of earlier guanhuai versions have no application id: known by their tables.
    let ours_before_app_id = app == 0
        && version >= 1
        && ["settings", "members", "talks", "visits", "events"]
            .iter()
            .all(|t| objects.iter().any(|n| n == t));
    if app != APPLICATION_ID && !ours_before_app_id {
        let example = objects.first().map(String::as_str).unwrap_or("");
        return Err(refused(
            format!(
                "不是 guanhuai 的数据库：{}（其中是别的程序的数据{}）；未做任何修改，请检查 --db 路径",
                path.display(),
                if example.is_empty() {
                    String::new()
                } else {
                    format!("，例如 {}", crate::domain::safe_text::quote(example))
                }
            ),
            format!(
                "not a guanhuai database: {} (it holds another program's data{}); nothing was changed, check the --db path",
                path.display(),
                if example.is_empty() {
                    String::new()
                } else {
                    format!(", e.g. {}", crate::domain::safe_text::quote(example))
                }
            ),
        ));
    }
    let latest = latest_version();
    if version > latest {
        return Err(refused(
            format!(
                "数据库文件 {} 由更新版本的 guanhuai 创建（数据库版本 {version}，本程序支持到 {latest}）：请升级程序；未做任何修改",
                path.display()
            ),
            format!(
                "the database file {} was created by a newer guanhuai (schema version {version}, this program knows up to {latest}): please upgrade the program; nothing was changed",
                path.display()
            ),
        ));
    }
    Ok(Found::Ours(version))
}

fn not_sqlite(path: &Path) -> DbError {
    refused(
        format!(
            "不是 guanhuai 的数据库：{} 不是 SQLite 数据库文件（或已损坏）；未做任何修改，请检查 --db 路径",
            path.display()
        ),
        format!(
            "not a guanhuai database: {} is not an SQLite database file (or it is damaged); nothing was changed, check the --db path",
            path.display()
        ),
    )
}

/// The first 16 bytes are SQLite's magic string.
fn has_sqlite_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 100];
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n == head.len() && &head[..16] == b"SQLite format 3\0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn files_are_judged_by_application_id_tables_and_version() {
        let p = Path::new("x.sqlite");
        let latest = latest_version();
        assert_eq!(judge(p, 0, 0, &[]).unwrap(), Found::Empty);
        assert_eq!(
            judge(p, latest, APPLICATION_ID, &objects(&["members"])).unwrap(),
            Found::Ours(latest)
        );
        let old = objects(&["settings", "members", "events", "talks", "visits"]);
        assert_eq!(judge(p, 1, 0, &old).unwrap(), Found::Ours(1));
        let e = judge(p, 0, 0, &objects(&["members"])).unwrap_err();
        assert!(
            e.message(crate::domain::Lang::Zh)
                .contains("不是 guanhuai 的数据库")
        );
        let e = judge(p, 70, 0, &objects(&["moz_places"])).unwrap_err();
        assert!(e.message(crate::domain::Lang::En).contains("moz_places"));
        let e = judge(p, latest + 1, APPLICATION_ID, &objects(&["members"])).unwrap_err();
        assert!(e.message(crate::domain::Lang::Zh).contains("更新版本"));
        assert!(judge(p, 0, 7, &[]).is_err(), "another program's empty file");
    }

    #[test]
    fn uris_are_percent_encoded() {
        let u = immutable_uri(Path::new("/tmp/a b?#%/数.sqlite"));
        assert_eq!(u, "file:/tmp/a%20b%3F%23%25/%E6%95%B0.sqlite?immutable=1");
    }
}
