//! `guanhuai backup FILE`: a consistent copy of the database, safe while
//! other clerks write, that leaves nothing at FILE unless it is complete.
//!
//! SQLite's backup API opens its destination by name, so the copy would exist
//! under FILE (or a temp name) while it is written. Instead the pages are read
//! with the `sqlite_dbpage` virtual table inside one read transaction (a
//! snapshot: committed data only, even in WAL mode while another copy writes)
//! and written into an unnamed file ([`crate::fsutil::NewFile`]), which is
//! checked (`PRAGMA integrity_check` on the written bytes) and only then given
//! its name. A file already at FILE is never overwritten.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use rusqlite::Connection;

use super::{DbError, Result};
use crate::domain::Lang;
use crate::fsutil::{NewFile, WriteError};

/// Copies the database of `conn` to `dest` with permission bits `mode`.
pub fn backup(conn: &Connection, dest: &Path, mode: u32) -> Result<()> {
    if dest.symlink_metadata().is_ok() {
        return Err(exists(dest));
    }
    let fail = |e: std::io::Error| write_failed(dest, e);
    let mut out = NewFile::create(dest, mode).map_err(fail)?;
    let len = copy_pages(conn, out.file()).map_err(|e| match e {
        Copy::Write(e) => write_failed(dest, e),
        Copy::Read(e) => e,
    })?;
    check_copy(out.file(), len, dest)?;
    out.commit(false).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(dest)
        } else {
            write_failed(dest, e)
        }
    })
}

fn exists(dest: &Path) -> DbError {
    DbError::invalid(
        format!("{} 已存在，不覆盖", dest.display()),
        format!("{} already exists; not overwriting it", dest.display()),
    )
}

fn write_failed(dest: &Path, e: std::io::Error) -> DbError {
    let e = WriteError::new(dest, e);
    DbError::File {
        zh: e.message(Lang::Zh),
        en: e.message(Lang::En),
    }
}

enum Copy {
    Read(DbError),
    Write(std::io::Error),
}

impl From<rusqlite::Error> for Copy {
    fn from(e: rusqlite::Error) -> Self {
        Copy::Read(e.into())
    }
}

impl From<std::io::Error> for Copy {
    fn from(e: std::io::Error) -> Self {
        Copy::Write(e)
    }
}

/// Writes every page of one snapshot of the database to `file`; its length.
fn copy_pages(conn: &Connection, file: &mut std::fs::File) -> std::result::Result<u64, Copy> {
    // One read transaction: every page from the same snapshot.
    let tx = conn.unchecked_transaction()?;
    let page_size = tx.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))? as u64;
    let page_count = tx.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))? as u64;
    let mut w = std::io::BufWriter::with_capacity(256 * 1024, &mut *file);
    {
        let mut stmt = tx.prepare("SELECT pgno, data FROM sqlite_dbpage('main') ORDER BY pgno")?;
        let mut rows = stmt.query([])?;
        let mut next = 1u64;
        while let Some(row) = rows.next()? {
            let pgno = row.get::<_, i64>(0)? as u64;
            let data = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            if pgno != next {
                w.seek(SeekFrom::Start((pgno - 1) * page_size))?;
            }
            if pgno == 1 {
                w.write_all(&as_standalone(data, page_count))?;
            } else {
                w.write_all(data)?;
            }
            next = pgno + 1;
        }
    }
    w.flush()?;
    drop(w);
    tx.finish()?;
    let len = page_count * page_size;
    file.set_len(len)?;
    Ok(len)
}

/// Page 1 of the copy: a database file of its own. The journal mode bytes
/// say rollback (a `-wal` does not go with the copy; guanhuai switches it to
/// WAL again when it opens it) and the header's page count is the copy's,
/// valid for its change counter — as SQLite's own backup writes it.
fn as_standalone(page1: &[u8], page_count: u64) -> Vec<u8> {
    let mut p = page1.to_vec();
    if p.len() >= 100 {
        p[18] = 1;
        p[19] = 1;
        p[28..32].copy_from_slice(&(page_count as u32).to_be_bytes());
        let counter: [u8; 4] = p[24..28].try_into().expect("four bytes");
        p[92..96].copy_from_slice(&counter);
    }
    p
}

/// Opens the written bytes as a database (mapped, not read into memory) and
/// runs `PRAGMA integrity_check`: a copy that would not open is never named.
#[cfg(unix)]
fn check_copy(file: &std::fs::File, len: u64, dest: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    let bad = |why: String| DbError::File {
        zh: format!(
            "备份未完成：写出的副本检查未通过（{why}），未留下 {}",
            dest.display()
        ),
        en: format!(
            "the backup was not completed: the copy failed its check ({why}); nothing was left at {}",
            dest.display()
        ),
    };
    let size = usize::try_from(len).map_err(|_| bad("too large".into()))?;
    if size == 0 {
        return Err(bad("empty".into()));
    }
    // SAFETY: a shared read-only mapping of a file we hold open; it is unmapped
    // below, after the connection that reads it is closed.
    let map = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ,
            libc::MAP_SHARED,
            file.as_raw_fd(),
            0,
        )
    };
    if map == libc::MAP_FAILED {
        return Err(DbError::Io(std::io::Error::last_os_error()));
    }
    let result = (|| -> std::result::Result<String, String> {
        let conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
        // SAFETY: the buffer outlives the connection (dropped at the end of
        // this closure); READONLY: SQLite neither writes, resizes nor frees it.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_deserialize(
                conn.handle(),
                c"main".as_ptr(),
                map.cast::<u8>(),
                len as i64,
                len as i64,
                rusqlite::ffi::SQLITE_DESERIALIZE_READONLY,
            )
        };
        if rc != rusqlite::ffi::SQLITE_OK {
            return Err(format!("SQLite {rc}"));
        }
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())
    })();
    // SAFETY: the mapping made above, no longer used.
    unsafe { libc::munmap(map, size) };
    match result {
        Ok(s) if s == "ok" => Ok(()),
        Ok(s) => Err(bad(crate::domain::safe_text::quote(&s))),
        Err(e) => Err(bad(e)),
    }
}

#[cfg(not(unix))]
fn check_copy(_file: &std::fs::File, _len: u64, _dest: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_is_a_checked_private_copy_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("g.sqlite");
        let conn = super::super::open(&src).unwrap();
        conn.execute_batch(
            "INSERT INTO settings (key, value) VALUES ('x', '1');
             CREATE TABLE big (b BLOB); INSERT INTO big VALUES (zeroblob(100000));",
        )
        .unwrap();
        let dest = dir.path().join("copy.sqlite");
        backup(&conn, &dest, 0o600).unwrap();
        assert_eq!(crate::fsutil::mode_of(&dest).unwrap(), 0o600);
        let copy = Connection::open(&dest).unwrap();
        let ok: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let n: i64 = copy
            .query_row("SELECT count(*) FROM settings WHERE key = 'x'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        drop(copy);
        let before = std::fs::read(&dest).unwrap();
        let e = backup(&conn, &dest, 0o600).unwrap_err();
        assert!(e.message(Lang::Zh).contains("已存在"));
        assert_eq!(std::fs::read(&dest).unwrap(), before);
    }
}
