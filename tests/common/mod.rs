//! Shared by the integration tests: a pseudo-terminal harness and demo databases.
#![allow(dead_code)]

pub mod pty;
pub mod screen;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary directory holding a database filled by `guanhuai demo`.
pub struct DemoDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl DemoDb {
    pub fn path_str(&self) -> &str {
        self.path.to_str().expect("utf-8 temp path")
    }
}

/// Runs `guanhuai --db DIR/demo.sqlite demo` (with today fixed) and returns the file.
pub fn demo_db() -> DemoDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    fill_demo(&path);
    DemoDb { dir, path }
}

pub fn fill_demo(path: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(path)
        .arg("demo")
        .env("GUANHUAI_TODAY", pty::TODAY)
        .env_remove("NO_COLOR")
        .output()
        .expect("run guanhuai demo");
    assert!(
        out.status.success(),
        "guanhuai demo failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every table of a database, its schema and rows in rowid order (key order
/// for tables without rowid), and the user version: equal dumps before and
/// after a refused command show that nothing changed.
pub fn dump(conn: &rusqlite::Connection) -> String {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let mut out = format!("user_version {version}\n");
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (t, sql) in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")))
            .unwrap();
        let n = stmt.column_count();
        out.push_str(&format!("== {sql}\n"));
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

/// A temporary directory with a database path in it, for running the built
/// binary on it (`--db DIR/g.sqlite`, today fixed at 2026-11-28).
pub struct Workdir {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Workdir {
    pub fn new() -> Workdir {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("g.sqlite");
        Workdir { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write a test file");
        p
    }

    /// The binary on this database with `args`, today 2026-11-28.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_guanhuai"));
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env("GUANHUAI_TODAY", "2026-11-28");
        c
    }
}
