//! `guanhuai backup FILE`: SQLite's online backup, safe while another copy runs.

use std::process::Command;

use guanhuai::db;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guanhuai"));
    c.env("GUANHUAI_TODAY", "2026-11-28");
    c
}

fn members(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn backup_copies_the_committed_data_while_another_clerk_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("branch.sqlite");
    let out = bin().arg("--db").arg(&src).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = members(&src);

    // another copy of the program is in the middle of a write
    let mut other = db::open(&src).unwrap();
    let tx = db::write_tx(&mut other).unwrap();
    tx.execute("UPDATE members SET notes = '未提交的修改'", [])
        .unwrap();

    let copy = dir.path().join("备份.sqlite");
    let out = bin()
        .arg("--db")
        .arg(&src)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("已备份到"));
    drop(tx); // rolled back

    assert_eq!(members(&copy), before);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let uncommitted: i64 = conn
        .query_row(
            "SELECT count(*) FROM members WHERE notes = '未提交的修改'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(uncommitted, 0, "the backup holds only committed data");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup is readable by its owner only");
    }
}

#[test]
fn backup_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("branch.sqlite");
    drop(db::open(&src).unwrap());
    let copy = dir.path().join("old.sqlite");
    std::fs::write(&copy, b"keep me").unwrap();
    let out = bin()
        .arg("--db")
        .arg(&src)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));
    assert_eq!(std::fs::read(&copy).unwrap(), b"keep me");
}
