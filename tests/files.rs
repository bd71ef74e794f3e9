//! The database file and every file the program writes (issue 6, classes 4, 5
//! and 8; DOMAIN.md "Database files" and "Exports and notices"), through the
//! built binary: exit status, one clear line on stderr, and the database —
//! its rows and its bytes — unchanged by whatever was refused.
//!
//! Some cases need root (a tmpfs for a full disk, `setpriv` to run as nobody,
//! since root ignores file permissions); without it they print a skip note.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use guanhuai::db;
use rusqlite::{Connection, OpenFlags};

const TODAY: &str = "2026-11-28";
const NOBODY: &str = "65534";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guanhuai"));
    c.env("GUANHUAI_TODAY", TODAY).env_remove("NO_COLOR");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().unwrap()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Runs the binary as nobody (with `groups`, e.g. "100"), or `None` without root.
fn run_as_nobody(db: &Path, args: &[&str], groups: Option<&str>) -> Option<Output> {
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn succeeded(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {}: {}",
        o.status,
        stderr(o)
    );
}

/// Exit 1 and one clear line on stderr containing `want`, never the raw
/// texts of SQLite, the zip writer or the schema.
fn refused(o: &Output, want: &str) {
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

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Every file in `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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

fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// A connection that changes nothing: no locks, no `-wal`, no `-shm` (when a
/// `-wal` was left, e.g. a checkpoint found the disk full, it reads that too).
fn immutable(p: &Path) -> Connection {
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

/// Every table's rows in rowid order (key order for tables without rowid).
fn dump(p: &Path) -> String {
    let conn = immutable(p);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = String::new();
    for t in tables {
        let sql = format!("SELECT * FROM \"{t}\" ORDER BY rowid");
        let mut stmt = conn
            .prepare(&sql)
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")))
            .unwrap();
        let n = stmt.column_count();
        out.push_str(&format!("== {t}\n"));
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

/// The journal mode the file says it is in (an immutable connection
/// always reports "delete").
fn journal_mode(p: &Path) -> &'static str {
    match header_mode(p) {
        (2, 2) => "wal",
        _ => "delete",
    }
}

/// The file's own bytes 18 and 19: 2 for WAL, 1 for rollback.
fn header_mode(p: &Path) -> (u8, u8) {
    let b = std::fs::read(p).unwrap();
    (b[18], b[19])
}

fn count(p: &Path, table: &str) -> i64 {
    immutable(p)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn integrity(p: &Path) -> String {
    immutable(p)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// A directory that nobody may enter and use as the test needs.
fn tempdir(m: u32) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    chmod(d.path(), m);
    d
}

/// `dir/g.sqlite` filled by `guanhuai demo`.
fn demo_in(dir: &Path) -> PathBuf {
    let p = dir.join("g.sqlite");
    common::fill_demo(&p);
    p
}

/// A members CSV of `n` new members.
fn members_csv(path: &Path, n: u32) {
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

// ---- file modes -------------------------------------------------------------

#[test]
fn a_new_database_is_private_and_its_wal_exports_and_backups_follow() {
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    assert_eq!(mode(&db_path), 0o600);
    // While a clerk has it open, the -wal and -shm files have the same mode.
    let conn = db::open(&db_path).unwrap();
    conn.execute("UPDATE members SET notes = notes", [])
        .unwrap();
    for side in ["g.sqlite-wal", "g.sqlite-shm"] {
        assert_eq!(mode(&dir.path().join(side)), 0o600, "{side}");
    }
    drop(conn);
    for (file, extra) in [("m.csv", "--full"), ("m.xlsx", "--full"), ("v.csv", "")] {
        let target = dir.path().join(file);
        let mut args = vec!["export", "members", target.to_str().unwrap()];
        if file.starts_with('v') {
            args[1] = "visits";
        }
        if !extra.is_empty() {
            args.push(extra);
        }
        succeeded(&run(&db_path, &args));
        assert_eq!(mode(&target), 0o600, "{file}");
    }
    let copy = dir.path().join("copy.sqlite");
    succeeded(&run(&db_path, &["backup", copy.to_str().unwrap()]));
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(
        names(dir.path()),
        ["copy.sqlite", "g.sqlite", "m.csv", "m.xlsx", "v.csv"]
    );
}

#[test]
fn an_export_replaces_an_older_file_and_takes_the_database_mode() {
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    let target = dir.path().join("m.csv");
    std::fs::write(&target, "old").unwrap();
    chmod(&target, 0o644);
    succeeded(&run(
        &db_path,
        &["export", "members", target.to_str().unwrap(), "--full"],
    ));
    assert_eq!(mode(&target), 0o600);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap().lines().count(),
        121
    );
    assert_eq!(names(dir.path()), ["g.sqlite", "m.csv"]);
}

#[test]
fn a_shared_group_directory_gives_group_files() {
    if !is_root() {
        eprintln!("skipped: chown to a group needs root");
        return;
    }
    let dir = tempdir(0o755);
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let st = Command::new("chown")
        .arg(":users")
        .arg(&shared)
        .status()
        .unwrap();
    assert!(st.success());
    chmod(&shared, 0o2770);
    let db_path = demo_in(&shared);
    assert_eq!(mode(&db_path), 0o660);
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&db_path).unwrap().gid(), 100);
    }
    let conn = db::open(&db_path).unwrap();
    conn.execute("UPDATE members SET notes = notes", [])
        .unwrap();
    for side in ["g.sqlite-wal", "g.sqlite-shm"] {
        assert_eq!(mode(&shared.join(side)), 0o660, "{side}");
    }
    drop(conn);
    let csv = shared.join("m.csv");
    let xlsx = shared.join("m.xlsx");
    let copy = shared.join("copy.sqlite");
    succeeded(&run(
        &db_path,
        &["export", "members", csv.to_str().unwrap(), "--full"],
    ));
    succeeded(&run(
        &db_path,
        &["export", "members", xlsx.to_str().unwrap(), "--full"],
    ));
    succeeded(&run(&db_path, &["backup", copy.to_str().unwrap()]));
    for f in [&csv, &xlsx, &copy] {
        assert_eq!(mode(f), 0o660, "{}", f.display());
    }
    // Another clerk of the group writes the same file.
    let out = run_as_nobody(
        &db_path,
        &[
            "campaign",
            "add",
            "--name",
            "重阳节走访",
            "--from",
            "2026-10-20",
            "--to",
            "2026-10-31",
            "--targets",
            "old",
        ],
        Some("100"),
    )
    .unwrap();
    succeeded(&out);
}

// ---- failed writes leave nothing ------------------------------------------

#[test]
fn an_export_into_a_missing_directory_says_so_and_creates_nothing() {
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    let before = files(dir.path());
    for file in ["no/m.csv", "no/m.xlsx"] {
        let target = dir.path().join(file);
        let out = run(&db_path, &["export", "members", target.to_str().unwrap()]);
        refused(&out, "目录不存在");
    }
    let out = run(
        &db_path,
        &["backup", dir.path().join("no/b.sqlite").to_str().unwrap()],
    );
    refused(&out, "目录不存在");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn an_export_into_a_read_only_directory_leaves_nothing_there() {
    let dir = tempdir(0o755);
    let db_path = demo_in(dir.path());
    chmod(&db_path, 0o644);
    let out_dir = tempdir(0o755); // root's, not writable by nobody
    for file in ["m.csv", "m.xlsx"] {
        let target = out_dir.path().join(file);
        let Some(out) = run_as_nobody(
            &db_path,
            &["export", "members", target.to_str().unwrap(), "--full"],
            None,
        ) else {
            return;
        };
        refused(&out, "只读或没有写权限");
    }
    let out = run_as_nobody(
        &db_path,
        &[
            "--lang",
            "en",
            "backup",
            out_dir.path().join("b.sqlite").to_str().unwrap(),
        ],
        None,
    )
    .unwrap();
    refused(&out, "read-only or not writable");
    assert!(names(out_dir.path()).is_empty());
}

// ---- a full disk ------------------------------------------------------------

/// A small tmpfs, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn new(size: &str) -> Option<Tmpfs> {
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

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left with a file of zeros.
    fn fill(&self) {
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

#[test]
fn a_full_disk_says_so_once_and_leaves_nothing() {
    let Some(fs) = Tmpfs::new("2m") else { return };
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    let db_before = files(dir.path());
    fs.fill();
    let full = files(fs.path());
    for file in ["m.xlsx", "m.csv", "v.csv", "v.xlsx"] {
        let what = if file.starts_with('m') {
            "members"
        } else {
            "visits"
        };
        let target = fs.path().join(file);
        let out = run(&db_path, &["export", what, target.to_str().unwrap()]);
        refused(&out, "磁盘已满");
        assert_eq!(files(fs.path()), full, "after export {file}");
    }
    let out = run(
        &db_path,
        &[
            "--lang",
            "en",
            "export",
            "members",
            fs.path().join("e.csv").to_str().unwrap(),
        ],
    );
    refused(&out, "the disk is full");
    let out = run(
        &db_path,
        &["backup", fs.path().join("b.sqlite").to_str().unwrap()],
    );
    refused(&out, "磁盘已满");
    assert_eq!(files(fs.path()), full, "after backup");
    assert_eq!(files(dir.path()), db_before, "the database is unchanged");

    // A new database on the full disk: refused, nothing left.
    let csv = dir.path().join("new.csv");
    members_csv(&csv, 300);
    let out = run(
        &fs.path().join("new.sqlite"),
        &["import", "members", csv.to_str().unwrap()],
    );
    refused(&out, "磁盘已满");
    assert_eq!(files(fs.path()), full, "after import into a new database");
}

#[test]
fn an_import_into_a_database_on_a_full_disk_changes_nothing() {
    let Some(fs) = Tmpfs::new("2m") else { return };
    let dir = tempdir(0o700);
    let src = demo_in(dir.path());
    let db_path = fs.path().join("g.sqlite");
    std::fs::copy(&src, &db_path).unwrap();
    let csv = dir.path().join("new.csv");
    members_csv(&csv, 3000);
    let before = dump(&db_path);
    let bytes = std::fs::read(&db_path).unwrap();
    fs.fill();
    let out = run(&db_path, &["import", "members", csv.to_str().unwrap()]);
    refused(&out, "磁盘已满");
    assert_eq!(std::fs::read(&db_path).unwrap(), bytes);
    assert_eq!(dump(&db_path), before);
    // Only SQLite's own -wal and -shm may have appeared beside it.
    for n in names(fs.path()) {
        assert!(
            ["fill", "g.sqlite", "g.sqlite-wal", "g.sqlite-shm"].contains(&n.as_str()),
            "{n} left on the full disk"
        );
    }
    // Once there is room again, the same import works and the file is sound.
    std::fs::remove_file(fs.path().join("fill")).unwrap();
    succeeded(&run(
        &db_path,
        &["import", "members", csv.to_str().unwrap()],
    ));
    assert_eq!(count(&db_path, "members"), 3120);
    assert_eq!(integrity(&db_path), "ok");
}

// ---- files that are not ours ------------------------------------------------

/// Every command on `db_path` is refused with `want`, and the directory —
/// the file's bytes, its journal mode, no `-wal`/`-shm` and no export — is
/// exactly as before.
fn every_command_refuses(db_path: &Path, want: &str) {
    let dir = db_path.parent().unwrap();
    let inputs = tempdir(0o700);
    let csv = inputs.path().join("m.csv");
    members_csv(&csv, 3);
    let before = files(dir);
    let out_csv = dir.join("out.csv");
    let out_xlsx = dir.join("out.xlsx");
    let copy = dir.join("copy.sqlite");
    let commands: Vec<Vec<&str>> = vec![
        vec!["overdue"],
        vec!["overdue", "--format", "csv"],
        vec!["export", "members", out_csv.to_str().unwrap()],
        vec!["export", "talks", out_xlsx.to_str().unwrap()],
        vec!["backup", copy.to_str().unwrap()],
        vec!["demo"],
        vec!["import", "members", csv.to_str().unwrap()],
        vec![
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
        ],
        vec![], // the terminal UI
    ];
    for args in commands {
        let out = run(db_path, &args);
        refused(&out, want);
        assert_eq!(files(dir), before, "after {args:?}");
    }
}

#[test]
fn a_newer_guanhuai_database_is_refused_untouched() {
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    let newer = db::file::latest_version() + 1;
    {
        let c = Connection::open(&db_path).unwrap();
        c.pragma_update(None, "user_version", newer).unwrap();
    }
    let mode_before = journal_mode(&db_path);
    every_command_refuses(&db_path, "由更新版本的 guanhuai 创建");
    assert_eq!(journal_mode(&db_path), mode_before);
    let out = run(&db_path, &["--lang", "en", "overdue"]);
    refused(&out, "created by a newer guanhuai");
    assert!(stderr(&out).contains(&format!("version {newer}")));
}

fn foreign(dir: &Path, name: &str, wal: bool, sql: &str) -> PathBuf {
    let p = dir.join(name);
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "journal_mode", if wal { "WAL" } else { "DELETE" })
        .unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    assert_eq!(header_mode(&p), if wal { (2, 2) } else { (1, 1) });
    p
}

#[test]
fn a_browser_database_in_wal_mode_is_refused_untouched() {
    let dir = tempdir(0o700);
    let p = foreign(
        dir.path(),
        "places.sqlite",
        true,
        "PRAGMA user_version = 77;
         CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT);
         INSERT INTO moz_places (url, title) VALUES ('https://example.org/', 'x');",
    );
    let before = dump(&p);
    every_command_refuses(&p, "不是 guanhuai 的数据库");
    assert_eq!(journal_mode(&p), "wal");
    assert_eq!(dump(&p), before);
    let out = run(&p, &["--lang", "en", "overdue"]);
    refused(&out, "not a guanhuai database");
    assert!(stderr(&out).contains("moz_places"));
}

#[test]
fn another_programs_database_in_rollback_mode_is_refused_untouched() {
    let dir = tempdir(0o700);
    let p = foreign(
        dir.path(),
        "cookies.sqlite",
        false,
        "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, host TEXT);
         INSERT INTO moz_cookies (host) VALUES ('example.org');",
    );
    every_command_refuses(&p, "不是 guanhuai 的数据库");
    assert_eq!(journal_mode(&p), "delete");
}

#[test]
fn a_database_whose_table_clashes_with_ours_is_refused_untouched() {
    let dir = tempdir(0o700);
    let p = foreign(
        dir.path(),
        "other.sqlite",
        false,
        "CREATE TABLE members (member_no TEXT, full_name TEXT, dues REAL);
         INSERT INTO members VALUES ('7', 'someone', 12.5);",
    );
    every_command_refuses(&p, "不是 guanhuai 的数据库");
    assert_eq!(journal_mode(&p), "delete");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempdir(0o700);
    let p = dir.path().join("notes.sqlite");
    std::fs::write(&p, "党支部工作笔记\n".repeat(50)).unwrap();
    every_command_refuses(&p, "不是 SQLite 数据库文件");
    let short = dir.path().join("short.sqlite");
    std::fs::write(&short, b"SQLite format 3\0").unwrap();
    let out = run(&short, &["demo"]);
    refused(&out, "不是 SQLite 数据库文件");
    assert_eq!(std::fs::read(&short).unwrap(), b"SQLite format 3\0");
}

#[test]
fn an_empty_file_and_an_empty_sqlite_file_are_initialised() {
    let dir = tempdir(0o700);
    let zero = dir.path().join("zero.sqlite");
    std::fs::write(&zero, b"").unwrap();
    let out = run(&zero, &["overdue"]);
    refused(&out, "数据库文件是空的");
    assert_eq!(std::fs::read(&zero).unwrap(), b"");
    succeeded(&run(&zero, &["demo"]));
    assert_eq!(count(&zero, "members"), 120);

    let empty = foreign(
        dir.path(),
        "empty.sqlite",
        false,
        "PRAGMA user_version = 0;",
    );
    succeeded(&run(&empty, &["demo"]));
    assert_eq!(count(&empty, "members"), 120);
    assert_eq!(journal_mode(&empty), "wal");
    let app: i32 = immutable(&empty)
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, db::APPLICATION_ID);
}

// ---- paths that do not exist ------------------------------------------------

#[test]
fn reading_commands_refuse_a_missing_database_and_create_nothing() {
    let dir = tempdir(0o700);
    let missing = dir.path().join("branch.sqlite");
    let out_csv = dir.path().join("m.csv");
    let copy = dir.path().join("b.sqlite");
    for args in [
        vec!["overdue"],
        vec!["overdue", "--soon", "--format", "json"],
        vec!["export", "members", out_csv.to_str().unwrap()],
        vec!["backup", copy.to_str().unwrap()],
    ] {
        let out = run(&missing, &args);
        refused(&out, "数据库文件不存在");
        assert!(stderr(&out).contains("branch.sqlite"));
        assert!(names(dir.path()).is_empty(), "after {args:?}");
    }
    // Also under a directory that does not exist.
    let out = run(&dir.path().join("typo/branch.sqlite"), &["overdue"]);
    refused(&out, "数据库文件不存在");
    assert!(names(dir.path()).is_empty());
}

#[test]
fn a_mistyped_directory_is_never_created() {
    let dir = tempdir(0o700);
    let inputs = tempdir(0o700);
    let csv = inputs.path().join("m.csv");
    members_csv(&csv, 3);
    let typo = dir.path().join("typo").join("deeper").join("g.sqlite");
    for args in [
        vec!["demo"],
        vec!["import", "members", csv.to_str().unwrap()],
        vec![],
    ] {
        let out = run(&typo, &args);
        refused(&out, "目录不存在");
        assert!(names(dir.path()).is_empty(), "after {args:?}");
    }
    let out = run(&typo, &["--lang", "en", "demo"]);
    refused(&out, "no such directory");
}

#[test]
fn only_the_default_data_directory_is_created_and_privately() {
    let home = tempdir(0o700);
    let plain = || {
        let mut c = bin();
        c.env("HOME", home.path()).env_remove("XDG_DATA_HOME");
        c
    };
    let out = plain().arg("overdue").output().unwrap();
    refused(&out, "数据库文件不存在");
    assert!(
        names(home.path()).is_empty(),
        "a reading command creates nothing"
    );
    succeeded(&plain().arg("demo").output().unwrap());
    let data = home.path().join(".local/share/guanhuai");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("guanhuai.sqlite")), 0o600);
    succeeded(&plain().arg("overdue").output().unwrap());
}

// ---- read-only files and directories ---------------------------------------

#[test]
fn a_read_only_directory_still_serves_the_reading_commands() {
    let dir = tempdir(0o755);
    let db_path = demo_in(dir.path());
    chmod(&db_path, 0o644);
    let expected = stdout(&run(&db_path, &["overdue", "--format", "csv"]));
    assert!(expected.lines().count() > 1);
    let before = files(dir.path());
    let dump_before = dump(&db_path);
    let out_dir = tempdir(0o777);

    let Some(out) = run_as_nobody(&db_path, &["overdue", "--format", "csv"], None) else {
        return;
    };
    succeeded(&out);
    assert_eq!(stdout(&out), expected);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let copy = out_dir.path().join("b.sqlite");
    let out = run_as_nobody(&db_path, &["backup", copy.to_str().unwrap()], None).unwrap();
    succeeded(&out);
    assert_eq!(integrity(&copy), "ok");
    assert_eq!(count(&copy, "members"), 120);
    assert_eq!(mode(&copy), 0o640, "the database's mode, never the world's");

    let csv = out_dir.path().join("m.csv");
    let out = run_as_nobody(
        &db_path,
        &["export", "members", csv.to_str().unwrap(), "--full"],
        None,
    )
    .unwrap();
    succeeded(&out);
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 121);

    // Writing commands say why they cannot, and change nothing.
    let input = out_dir.path().join("new.csv");
    members_csv(&input, 3);
    chmod(&input, 0o644);
    for args in [
        vec!["import", "members", input.to_str().unwrap()],
        vec!["demo"],
        vec![
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
        ],
        vec![],
    ] {
        let out = run_as_nobody(&db_path, &args, None).unwrap();
        refused(&out, "只读，无法写入");
    }
    assert_eq!(files(dir.path()), before);
    assert_eq!(dump(&db_path), dump_before);
}

#[test]
fn a_read_only_file_in_a_writable_directory_is_read_without_side_files() {
    let dir = tempdir(0o777);
    let db_path = demo_in(dir.path());
    chmod(&db_path, 0o444);
    let before = files(dir.path());
    let Some(out) = run_as_nobody(&db_path, &["overdue"], None) else {
        return;
    };
    succeeded(&out);
    assert_eq!(files(dir.path()), before, "no -wal or -shm was made");
    let out = run_as_nobody(&db_path, &["--lang", "en", "demo"], None).unwrap();
    refused(&out, "is read-only, so nothing can be written");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_read_only_file_system_is_read_and_never_written() {
    let Some(fs) = Tmpfs::new("4m") else { return };
    let dir = tempdir(0o700);
    let src = demo_in(dir.path());
    let db_path = fs.path().join("g.sqlite");
    std::fs::copy(&src, &db_path).unwrap();
    let st = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(fs.path())
        .status()
        .unwrap();
    assert!(st.success());
    let before = files(fs.path());
    let out = run(&db_path, &["overdue", "--format", "csv"]);
    succeeded(&out);
    assert!(stdout(&out).lines().count() > 1);
    let copy = dir.path().join("b.sqlite");
    succeeded(&run(&db_path, &["backup", copy.to_str().unwrap()]));
    assert_eq!(count(&copy, "members"), 120);
    let out = run(&db_path, &["demo"]);
    refused(&out, "只读，无法写入");
    let out = run(
        &db_path,
        &[
            "export",
            "members",
            fs.path().join("m.csv").to_str().unwrap(),
        ],
    );
    refused(&out, "只读或没有写权限");
    assert_eq!(files(fs.path()), before);
}

/// A database as the first guanhuai made it: migration 1 only, no application id.
fn first_version_db(dir: &Path) -> PathBuf {
    let p = dir.join("old.sqlite");
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.execute_batch(db::migrations()[0].1).unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    drop(c);
    chmod(&p, 0o600);
    p
}

#[test]
fn an_older_database_is_upgraded_by_a_writer_and_explained_to_a_reader() {
    if db::file::latest_version() < 2 {
        return;
    }
    let dir = tempdir(0o755);
    let p = first_version_db(dir.path());
    chmod(&p, 0o644);
    let before = files(dir.path());
    if let Some(out) = run_as_nobody(&p, &["overdue"], None) {
        refused(&out, "有写权限的工作人员先用本程序打开它一次");
        assert_eq!(files(dir.path()), before);
    }
    succeeded(&run(&p, &["overdue"]));
    let c = immutable(&p);
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i32 = c
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::file::latest_version());
    assert_eq!(app, db::APPLICATION_ID);
}

// ---- messages -----------------------------------------------------------------

#[test]
fn a_path_with_terminal_codes_is_shown_escaped() {
    let dir = tempdir(0o700);
    let p = dir.path().join("x\u{1b}]0;owned\u{7}.sqlite");
    let out = run(&p, &["overdue"]);
    refused(&out, "数据库文件不存在");
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\x1B"), "{err}");
}

// ---- exports: formulas and old dates ------------------------------------------

#[test]
fn exports_guard_formulas_and_survive_dates_before_1900() {
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    {
        let c = Connection::open(&db_path).unwrap();
        c.execute(
            "UPDATE members SET name = '=HYPERLINK(\"http://x\",\"点我\")', joined_on = '1899-05-01'
             WHERE id = (SELECT min(id) FROM members)",
            [],
        )
        .unwrap();
    }
    let csv = dir.path().join("m.csv");
    succeeded(&run(
        &db_path,
        &["export", "members", csv.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    let xlsx = dir.path().join("m.xlsx");
    let out = run(&db_path, &["export", "members", xlsx.to_str().unwrap()]);
    succeeded(&out);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let found = range.rows().flatten().any(|c| *c == "1899-05-01");
    assert!(found, "the old date is kept as text");
}

// ---- the UI says which file is open -------------------------------------------

#[test]
fn the_ui_shows_the_open_file_and_marks_the_demo() {
    use guanhuai::ui::OpenFile;
    use guanhuai::ui::app::{App, Config};
    use ratatui::crossterm::event::KeyCode;
    let dir = tempdir(0o700);
    let db_path = demo_in(dir.path());
    assert!(db::is_demo(&immutable(&db_path)).unwrap());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    for (demo, lang) in [
        (true, guanhuai::domain::Lang::Zh),
        (false, guanhuai::domain::Lang::Zh),
        (true, guanhuai::domain::Lang::En),
    ] {
        let mut app = App::new(
            db::open(&db_path).unwrap(),
            Config {
                lang,
                ..Config::new(today)
            },
        )
        .unwrap();
        app.show_database(OpenFile {
            path: "/srv/关怀/guanhuai-demo.sqlite".into(),
            demo,
        });
        let screen = common::screen::text_of(&app);
        let title = screen.lines().next().unwrap();
        assert_eq!(
            title.contains("【演示数据】") || title.contains("[DEMO DATA]"),
            demo,
            "{title}"
        );
        app.handle(common::screen::key(KeyCode::Char('?')));
        let screen = common::screen::text_of(&app);
        let want = match (lang, demo) {
            (guanhuai::domain::Lang::Zh, true) => {
                "数据库：/srv/关怀/guanhuai-demo.sqlite（演示数据）"
            }
            (guanhuai::domain::Lang::Zh, false) => "数据库：/srv/关怀/guanhuai-demo.sqlite ",
            _ => "database: /srv/关怀/guanhuai-demo.sqlite (demo data)",
        };
        assert!(screen.contains(want), "{screen}");
        for line in screen.lines() {
            assert_eq!(
                unicode_width::UnicodeWidthStr::width(line),
                80,
                "every row 80 cells: {line}"
            );
        }
    }
}
