//! What the file tests share: running the binary (also as nobody), the one
//! clear line a refusal gives, and looking at files and databases without
//! changing them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::{Connection, OpenFlags};

pub const TODAY: &str = "2026-11-28";
pub const NOBODY: &str = "65534";

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guanhuai"));
    c.env("GUANHUAI_TODAY", TODAY).env_remove("NO_COLOR");
    c
}

pub fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().unwrap()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Runs the binary as nobody (with `groups`, e.g. "100"), or `None` without root.
pub fn run_as_nobody(db: &Path, args: &[&str], groups: Option<&str>) -> Option<Output> {
    if !is_root() {
        eprintln!("skipped: running as nobody needs root");
        return None;
    }
    let mut c = Command::new("setpriv");
    c.args(["--reuid", NOBODY, "--regid", NOBODY]);
    match groups {
        Some(g) => c.args(["--groups", g]),
        None => c.arg("--clear-groups"),
    };
    let out = c
        .arg(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("GUANHUAI_TODAY", TODAY)
        .output()
        .expect("setpriv");
    Some(out)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn succeeded(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {}: {}",
        o.status,
        stderr(o)
    );
}

/// Exit 1 and one clear line on stderr containing `want`, never the raw
/// texts of SQLite, the zip writer or the schema.
pub fn refused(o: &Output, want: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit status; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(err.contains(want), "expected «{want}» in: {err}");
    for raw in [
        "attempt to write a readonly database",
        "disk I/O error",
        "database or disk is full",
        "ZipWriter",
        "CREATE TABLE",
        "No space left",
    ] {
        assert!(!err.contains(raw), "raw message «{raw}» in: {err}");
    }
}

pub fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

pub fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Every file in `dir` with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.file_type().unwrap().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

pub fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// A connection that changes nothing: no locks, no `-wal`, no `-shm` (when a
/// `-wal` was left, e.g. a checkpoint found the disk full, it reads that too).
pub fn immutable(p: &Path) -> Connection {
    let mut wal = p.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Connection::open_with_flags(p, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    }
    Connection::open_with_flags(
        format!("file:{}?immutable=1", p.display()),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap()
}

/// Every table's rows (see `common::dump`), read without touching the file.
pub fn dump(p: &Path) -> String {
    super::common::dump(&immutable(p))
}

/// The journal mode the file says it is in (an immutable connection
/// always reports "delete").
pub fn journal_mode(p: &Path) -> &'static str {
    match header_mode(p) {
        (2, 2) => "wal",
        _ => "delete",
    }
}

/// The file's own bytes 18 and 19: 2 for WAL, 1 for rollback.
pub fn header_mode(p: &Path) -> (u8, u8) {
    let b = std::fs::read(p).unwrap();
    (b[18], b[19])
}

pub fn count(p: &Path, table: &str) -> i64 {
    immutable(p)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

pub fn integrity(p: &Path) -> String {
    immutable(p)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// A directory that nobody may enter and use as the test needs.
pub fn tempdir(m: u32) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    chmod(d.path(), m);
    d
}

/// `dir/g.sqlite` filled by `guanhuai demo`.
pub fn demo_in(dir: &Path) -> PathBuf {
    let p = dir.join("g.sqlite");
    super::common::fill_demo(&p);
    p
}

/// A members CSV of `n` new members.
pub fn members_csv(path: &Path, n: u32) {
    use guanhuai::domain::validate::make_id_number;
    let base = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    let mut csv = String::from("编号,姓名,性别,出生日期,身份证号,入党日期\n");
    for i in 0..n {
        let birth = base + chrono::Duration::days(i64::from(i % 9000));
        csv.push_str(&format!(
            "N{i:05},王{}{},男,{birth},{},1990-07-01\n",
            ['建', '国', '秀', '英', '明'][i as usize % 5],
            ['华', '军', '兰', '芳', '强'][i as usize / 5 % 5],
            make_id_number("110105", birth, i % 1000),
        ));
    }
    std::fs::write(path, csv).unwrap();
}

/// A small tmpfs, unmounted when dropped.
pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    pub fn new(size: &str) -> Option<Tmpfs> {
        if !is_root() {
            eprintln!("skipped: a tmpfs for a full disk needs root");
            return None;
        }
        let dir = tempdir(0o755);
        let st = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0777"),
                "tmpfs",
            ])
            .arg(dir.path())
            .status()
            .unwrap();
        if !st.success() {
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        Some(Tmpfs { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left with a file of zeros.
    pub fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("fill")).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.write_all(&[0u8; 1]);
        while f.write_all(&[0u8; 512]).is_ok() {}
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// A writing command that takes no file: a campaign window.
pub const CAMPAIGN_ADD: [&str; 10] = [
    "campaign",
    "add",
    "--name",
    "x",
    "--from",
    "2026-01-01",
    "--to",
    "2026-01-31",
    "--targets",
    "old",
];
