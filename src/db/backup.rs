//! `guanhuai backup FILE`: a consistent copy of the database, safe while
//! other clerks write, that leaves nothing at FILE unless it is complete.
//!
//! SQLite's backup API opens its destination by name, so the copy would exist
//! under FILE (or a temp name) while it is written. Instead the pages are read
//! with the `sqlite_dbpage` virtual table inside one read transaction (a
//! snapshot: committed data only, even in WAL mode while another copy writes)
//! and written into an unnamed file ([`crate::fsutil::NewFile`]), which is
//! checked and only then given its name: `PRAGMA integrity_check` of that
//! snapshot, in the same read transaction, and the written file read back
//! to the same SHA-256 as the bytes the copy was written from. A file
//! already at FILE is never overwritten. Both checks read through small
//! buffers: mapping the copy whole to check it had counted every page of it
//! in the process's memory (1.4 GB for a 1.4 GB database).

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

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
    let (len, digest) = copy_pages(conn, out.file()).map_err(|e| match e {
        Copy::Write(e) => write_failed(dest, e),
        Copy::Read(e) => e,
        Copy::Unsound(why) => unsound(dest, why),
    })?;
    match read_back(out.file(), len) {
        Ok(d) if d == digest => {}
        Ok(_) => return Err(unsound(dest, "the file read back differs".into())),
        Err(e) => return Err(write_failed(dest, e)),
    }
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
    /// `PRAGMA integrity_check` of the snapshot said this.
    Unsound(String),
}

fn unsound(dest: &Path, why: String) -> DbError {
    DbError::File {
        zh: format!(
            "备份未完成：写出的副本检查未通过（{why}），未留下 {}",
            dest.display()
        ),
        en: format!(
            "the backup was not completed: the copy failed its check ({why}); nothing was left at {}",
            dest.display()
        ),
    }
}

/// Feeds `n` zero bytes to `h` (the pages a copy leaves as a hole).
fn hash_zeros(h: &mut Sha256, mut n: u64) {
    let zeros = [0u8; 4096];
    while n > 0 {
        let k = n.min(zeros.len() as u64) as usize;
        h.update(&zeros[..k]);
        n -= k as u64;
    }
}

/// The SHA-256 of the first `len` bytes of `file`, read through a small buffer.
fn read_back(file: &mut std::fs::File, len: u64) -> std::io::Result<[u8; 32]> {
    use std::io::Read;
    file.seek(SeekFrom::Start(0))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut left = len;
    while left > 0 {
        let k = left.min(buf.len() as u64) as usize;
        file.read_exact(&mut buf[..k])?;
        h.update(&buf[..k]);
        left -= k as u64;
    }
    Ok(h.finalize().into())
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

/// Writes every page of one snapshot of the database to `file`, after
/// `PRAGMA integrity_check` of that snapshot; its length and the SHA-256 of
/// the bytes written.
fn copy_pages(
    conn: &Connection,
    file: &mut std::fs::File,
) -> std::result::Result<(u64, [u8; 32]), Copy> {
    // One read transaction: every page from the same snapshot.
    let tx = conn.unchecked_transaction()?;
    let page_size = tx.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))? as u64;
    let page_count = tx.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))? as u64;
    let len = page_count * page_size;
    let sound: String = tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if sound != "ok" {
        return Err(Copy::Unsound(crate::domain::safe_text::quote(&sound)));
    }
    let mut h = Sha256::new();
    let mut w = std::io::BufWriter::with_capacity(256 * 1024, &mut *file);
    {
        let mut stmt = tx.prepare("SELECT pgno, data FROM sqlite_dbpage('main') ORDER BY pgno")?;
        let mut rows = stmt.query([])?;
        let mut next = 1u64;
        while let Some(row) = rows.next()? {
            let pgno = row.get::<_, i64>(0)? as u64;
            let data = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            if pgno != next {
                // (never before the pages written so far: the rows come in order)
                hash_zeros(&mut h, (pgno.saturating_sub(next)) * page_size);
                w.seek(SeekFrom::Start((pgno - 1) * page_size))?;
            }
            if pgno == 1 {
                let p = as_standalone(data, page_count);
                h.update(&p);
                w.write_all(&p)?;
            } else {
                h.update(data);
                w.write_all(data)?;
            }
            next = pgno + 1;
        }
        // the pages after the last one read, if any, are a hole too
        hash_zeros(&mut h, len.saturating_sub((next - 1) * page_size));
    }
    w.flush()?;
    drop(w);
    tx.finish()?;
    file.set_len(len)?;
    Ok((len, h.finalize().into()))
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

    #[test]
    fn an_unsound_database_is_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("g.sqlite");
        let conn = super::super::open(&src).unwrap();
        // An index whose entries no longer match its table, as another tool
        // editing the schema would leave it.
        conn.execute_batch(
            "CREATE TABLE t (x, y); CREATE INDEX t_x ON t (x);
             INSERT INTO t VALUES (1, 10), (2, 20), (3, 30);
             PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX t_x ON t (y)' WHERE name = 't_x';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
        drop(conn);
        let conn = Connection::open(&src).unwrap();
        let dest = dir.path().join("copy.sqlite");
        let e = backup(&conn, &dest, 0o600).unwrap_err();
        assert!(
            e.message(Lang::Zh).contains("检查未通过"),
            "{}",
            e.message(Lang::Zh)
        );
        assert!(e.message(Lang::En).contains("nothing was left"));
        assert!(!dest.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter(|e| e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("g.sqlite"))
                .count(),
            "nothing but the database and its side files"
        );
    }
}
