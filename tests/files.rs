//! The database file and every file the program writes (issue 6, classes 4, 5
//! and 8; DOMAIN.md "Database files" and "Exports and notices"), through the
//! built binary: exit status, one clear line on stderr, and the database —
//! its rows and its bytes — unchanged by whatever was refused.
//!
//! The database file's own cases are in `files/database.rs`.
//!
//! Some cases need root (a tmpfs for a full disk, `setpriv` to run as nobody,
//! since root ignores file permissions); without it they print a skip note.

mod common;
#[path = "files/database.rs"]
mod database;
#[path = "files/support.rs"]
mod support;

use std::process::Command;

use guanhuai::db;
use rusqlite::Connection;

use support::*;

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
fn a_disk_that_fills_during_a_large_workbook_export_says_so_and_leaves_nothing() {
    // The sheet is written row by row to a scratch file beside the export:
    // 1,000 members with 3,000-character notes need about 9 MB of it, and the
    // disk has 7 MB free.
    let Some(fs) = Tmpfs::new("16m") else { return };
    let dir = tempdir(0o700);
    let db_path = dir.path().join("g.sqlite");
    let csv = dir.path().join("long.csv");
    let note = "走访记录".repeat(750);
    let mut text = String::from("编号,姓名,入党日期,备注\n");
    for i in 0..1000 {
        text.push_str(&format!("L{i:04},李{i},1990-07-01,{note}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    succeeded(&run(
        &db_path,
        &["import", "members", csv.to_str().unwrap()],
    ));
    std::fs::write(fs.path().join("fill"), vec![0u8; 9 << 20]).unwrap();
    let full = files(fs.path());
    let target = fs.path().join("long.xlsx");
    let out = run(&db_path, &["export", "members", target.to_str().unwrap()]);
    refused(&out, "磁盘已满");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(files(fs.path()), full, "nothing left on the disk");
    // With room, the same export is written, and reads back.
    std::fs::remove_file(fs.path().join("fill")).unwrap();
    succeeded(&run(
        &db_path,
        &["export", "members", target.to_str().unwrap()],
    ));
    let again = dir.path().join("again.sqlite");
    let out = run(&again, &["import", "members", target.to_str().unwrap()]);
    succeeded(&out);
    assert!(stdout(&out).contains("新增 1000"), "{}", stdout(&out));
}

#[test]
fn an_import_into_a_database_on_a_full_disk_changes_nothing() {
    // room for the demo and the import with their audit log once the disk is freed
    let Some(fs) = Tmpfs::new("4m") else { return };
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

#[test]
fn an_import_of_a_file_that_cannot_be_read_leaves_no_new_database() {
    let w = common::Workdir::new();
    let missing = w.path("nothing.csv");
    let odd = w.write("roster.pdf", b"%PDF-1.4");
    for file in [&missing, &odd] {
        let out = w
            .command(&["import", "members", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{file:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).trim().is_empty());
        assert!(!w.db.exists(), "a database was created for {file:?}");
    }
}
