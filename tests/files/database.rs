//! The database file (DOMAIN.md "Database files"): files that are not ours,
//! paths that do not exist, read-only files and directories, and the UI
//! saying which file is open.

use std::path::{Path, PathBuf};
use std::process::Command;

use guanhuai::db;
use rusqlite::Connection;

use super::support::*;

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
        CAMPAIGN_ADD.to_vec(),
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
fn a_database_holding_only_a_view_or_a_trigger_is_not_empty() {
    let dir = tempdir(0o700);
    for (name, sql, object) in [
        ("view.sqlite", "CREATE VIEW answer AS SELECT 42;", "answer"),
        (
            "trigger.sqlite",
            "CREATE TEMP TABLE t (x); CREATE VIEW w AS SELECT 1 AS x;
             CREATE TRIGGER no_writes INSTEAD OF INSERT ON w BEGIN SELECT 1; END;",
            "w",
        ),
    ] {
        let p = foreign(dir.path(), name, false, sql);
        let before = dump(&p);
        every_command_refuses(&p, "不是 guanhuai 的数据库");
        assert_eq!(journal_mode(&p), "delete");
        assert_eq!(dump(&p), before);
        let out = run(&p, &["--lang", "en", "overdue"]);
        refused(&out, "not a guanhuai database");
        assert!(stderr(&out).contains(object), "{}", stderr(&out));
    }
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
fn a_refused_write_to_a_new_path_leaves_no_database_behind() {
    let dir = tempdir(0o700);
    let inputs = tempdir(0o700);
    let bad = inputs.path().join("bad.csv");
    std::fs::write(&bad, "编号,姓名,入党日期\n001,,1990-07-01\n").unwrap();
    let talks = inputs.path().join("talks.csv");
    std::fs::write(
        &talks,
        "编号,日期,形式,谈话人\n999,2026-01-05,个别谈话,王书记\n",
    )
    .unwrap();
    let new = dir.path().join("branch.sqlite");
    for (args, want) in [
        (vec!["import", "members", bad.to_str().unwrap()], "姓名"),
        // a member who is not on the (new, empty) roster
        (vec!["import", "talks", talks.to_str().unwrap()], "999"),
        (
            vec![
                "campaign",
                "add",
                "--name",
                "七一",
                "--from",
                "2026-07-01",
                "--to",
                "2026-06-01",
                "--targets",
                "old",
            ],
            "",
        ),
    ] {
        let out = run(&new, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
        assert!(
            names(dir.path()).is_empty(),
            "after {args:?}: {:?}",
            names(dir.path())
        );
    }
    // a good import creates it, and a refused one afterwards keeps it as it was
    let good = inputs.path().join("m.csv");
    members_csv(&good, 3);
    succeeded(&run(&new, &["import", "members", good.to_str().unwrap()]));
    let before = dump(&new);
    let out = run(&new, &["import", "members", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(dump(&new), before);
    assert_eq!(count(&new, "members"), 3);
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
        CAMPAIGN_ADD.to_vec(),
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
        let screen = super::common::screen::text_of(&app);
        let title = screen.lines().next().unwrap();
        assert_eq!(
            title.contains("【演示数据】") || title.contains("[DEMO DATA]"),
            demo,
            "{title}"
        );
        app.handle(super::common::screen::key(KeyCode::Char('?')));
        let screen = super::common::screen::text_of(&app);
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
