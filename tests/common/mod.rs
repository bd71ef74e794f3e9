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
