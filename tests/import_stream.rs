//! Imports that stream their file (issue 11): a large file with one bad row
//! near its end changes nothing and names that row; duplicates far apart are
//! found; a file that changes between the checking pass and the reading pass
//! is refused and nothing is written, while a file replaced by a new one (as
//! editors save) is read as the version that was checked.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::domain::validate::make_id_number;
use guanhuai::interchange::import::{self, Failure};
use guanhuai::interchange::members::MemberImport;
use guanhuai::interchange::records::{Roster, TalkImport};
use guanhuai::interchange::table::Table;

/// Rows of the large files (a few seconds for the debug binary).
const ROWS: usize = 20_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A members CSV of `n` valid rows; `edit` may change any row's cells.
fn members_csv(n: usize, mut edit: impl FnMut(usize, &mut Vec<String>)) -> String {
    let mut s = String::from("编号,姓名,出生日期,身份证号,入党日期\n");
    let birth = NaiveDate::from_ymd_opt(1960, 3, 15).unwrap();
    for i in 0..n {
        let mut row = vec![
            format!("M{i:06}"),
            format!("王{}", ["一", "二", "三", "四"][i % 4]),
            birth.to_string(),
            make_id_number(&format!("{}", 110_101 + i / 1000), birth, (i % 1000) as u32),
            "1990-07-01".to_string(),
        ];
        edit(i, &mut row);
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

fn dump(db: &Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    common::dump(&conn)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_large_file_with_one_bad_row_near_the_end_changes_nothing_and_names_it() {
    let env = common::Workdir::new();
    // a roster to start from
    let first = env.write("first.csv", members_csv(10, |_, _| {}).as_bytes());
    let out = env
        .command(&["import", "members", first.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = dump(&env.db);
    // every member again (10 unchanged), then new ones; the second to last row
    // has a bad date, the last repeats the code of row 2
    let csv = members_csv(ROWS, |i, row| {
        if i == ROWS - 2 {
            row[4] = "1990-13-01".into();
        }
        if i == ROWS - 1 {
            row[0] = "M000000".into();
        }
    });
    let big = env.write("big.csv", csv.as_bytes());
    let out = env
        .command(&["import", "members", big.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    // rows are numbered as in Excel: the header is row 1
    let bad_date = format!("第 {} 行，列「入党日期」：", ROWS);
    let dup_code = format!("第 {} 行，列「编号」：编号 M000000 与第 2 行重复", ROWS + 1);
    assert!(err.contains(&bad_date), "{err}");
    assert!(err.contains(&dup_code), "{err}");
    assert!(err.contains("2 行有错误"), "{err}");
    assert_eq!(dump(&env.db), before, "the database changed");

    // the same file without its two bad rows imports whole
    let good = env.write("good.csv", members_csv(ROWS, |_, _| {}).as_bytes());
    let out = env
        .command(&["import", "members", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    let want = format!("导入 {ROWS} 名党员（新增 {}，更新 0，未变 10）", ROWS - 10);
    assert!(said.contains(&want), "{said}");
}

#[test]
fn an_id_number_repeated_far_apart_is_found_in_a_file_and_against_the_roster() {
    let env = common::Workdir::new();
    let csv = members_csv(ROWS, |i, row| {
        if i == ROWS - 1 {
            // the ID number of row 3 (member M000001)
            let birth = NaiveDate::from_ymd_opt(1960, 3, 15).unwrap();
            row[3] = make_id_number("110101", birth, 1);
        }
    });
    let p = env.write("ids.csv", csv.as_bytes());
    let out = env
        .command(&["import", "members", p.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let want = format!(
        "第 {} 行，列「身份证号」：身份证号与第 3 行（编号 M000001）重复",
        ROWS + 1
    );
    assert!(err.contains(&want), "{err}");

    // into a roster that holds the number already
    let ok = env.write("ok.csv", members_csv(5, |_, _| {}).as_bytes());
    let out = env
        .command(&["import", "members", ok.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let clash = members_csv(8, |i, row| {
        row[0] = format!("N{i}");
        if i != 7 {
            row[3].clear();
        }
        if i == 7 {
            let birth = NaiveDate::from_ymd_opt(1960, 3, 15).unwrap();
            row[3] = make_id_number("110101", birth, 2);
        }
    });
    let p = env.write("clash.csv", clash.as_bytes());
    let out = env
        .command(&["import", "members", p.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("第 9 行，列「身份证号」：身份证号已被 王三（编号 M000002）使用"),
        "{err}"
    );
}

/// Opens the file (the checking pass), lets `change` act on it, then imports.
fn import_after(p: &Path, change: impl FnOnce()) -> (Result<String, String>, rusqlite::Connection) {
    let mut conn = db::open_in_memory().unwrap();
    let table = Table::open(p).unwrap();
    change();
    let r = import::run(
        &mut conn,
        table,
        &mut MemberImport::new(today()),
        0,
        &mut |_| {},
    );
    let r = match r {
        Ok(o) => Ok(format!("{} rows", o.rows)),
        Err(Failure::File(m)) => Err(m.zh),
        Err(Failure::Rows(p)) => Err(format!("{} problems", p.len())),
        Err(Failure::Refused { problems, .. }) => Err(format!("{problems} problems")),
        Err(Failure::Db(e)) => Err(e.to_string()),
    };
    (r, conn)
}

fn members(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_file_changed_between_the_passes_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.csv");
    let original = members_csv(500, |_, _| {});
    // the same size, one name changed, and even the modification time put back
    let edited = original.replacen("王四", "李四", 1);
    assert_eq!(edited.len(), original.len());
    std::fs::write(&p, &original).unwrap();
    let (r, conn) = import_after(&p, || {
        let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        std::io::Write::write_all(&mut &f, edited.as_bytes()).unwrap();
        f.set_modified(mtime).unwrap();
    });
    let err = r.unwrap_err();
    assert!(err.starts_with("文件在导入过程中被修改了"), "{err}");
    assert_eq!(members(&conn), 0);
    let log: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(log, 0);

    // rows added at the end
    std::fs::write(&p, &original).unwrap();
    let (r, conn) = import_after(&p, || {
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        std::io::Write::write_all(&mut f, b"X1,\xe5\xbc\xa0\xe4\xb8\x89,,,1990-07-01\n").unwrap();
    });
    assert!(r.unwrap_err().starts_with("文件在导入过程中被修改了"));
    assert_eq!(members(&conn), 0);

    // cut short, inside a row
    std::fs::write(&p, &original).unwrap();
    let (r, conn) = import_after(&p, || {
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(original.len() as u64 / 2).unwrap();
    });
    assert!(r.unwrap_err().starts_with("文件在导入过程中被修改了"));
    assert_eq!(members(&conn), 0);
}

#[test]
fn a_file_replaced_by_a_new_one_is_read_as_the_version_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.csv");
    std::fs::write(&p, members_csv(300, |_, _| {})).unwrap();
    // as an editor saves: a new file renamed over the old one
    let (r, conn) = import_after(&p, || {
        let new = dir.path().join("m.csv.new");
        std::fs::write(&new, "编号,姓名,入党日期\n\"open,x\n").unwrap();
        std::fs::rename(&new, &p).unwrap();
    });
    assert_eq!(r.unwrap(), "300 rows");
    assert_eq!(members(&conn), 300);
}

#[test]
fn records_name_their_members_from_the_database_row_by_row() {
    let mut conn = db::open_in_memory().unwrap();
    let table = Table::from_csv_bytes(members_csv(50, |_, _| {}).into_bytes()).unwrap();
    import::run(
        &mut conn,
        table,
        &mut MemberImport::new(today()),
        0,
        &mut |_| {},
    )
    .unwrap();
    let talks = "编号,日期,姓名\nM000001,2026-01-05,王二\nM000001,2026-01-06,\nM000002,2026-01-05,王二\nZZ,2026-01-05,\nM000049,2026-02-01,王二\n";
    let table = Table::from_csv_bytes(talks.as_bytes().to_vec()).unwrap();
    let mut imp = TalkImport::new(Roster::new(), today());
    let Err(Failure::Rows(p)) = import::run(&mut conn, table, &mut imp, 0, &mut |_| {}) else {
        panic!("refused");
    };
    let said: Vec<String> = p
        .iter()
        .map(|p| p.message(guanhuai::domain::Lang::Zh))
        .collect();
    assert_eq!(
        said,
        [
            "第 4 行，列「姓名」：编号 M000002 是 王三，不是 王二",
            "第 5 行，列「编号」：编号 ZZ 不在党员名册中",
        ]
    );
    let n: i64 = conn
        .query_row("SELECT count(*) FROM talks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

/// Every problem an import of `csv` reports (or its row count), with at most
/// `keys` codes and ID numbers held in memory (`None`: the default budget).
fn problems_with_budget(csv: &str, keys: Option<usize>) -> (Vec<String>, String) {
    let mut conn = db::open_in_memory().unwrap();
    let birth = NaiveDate::from_ymd_opt(1960, 3, 15).unwrap();
    let seed = members_csv(5, |i, r| {
        r[0] = format!("OLD{i}");
        r[3] = make_id_number("120101", birth, i as u32);
    });
    let table = Table::from_csv_bytes(seed.into_bytes()).unwrap();
    import::run(
        &mut conn,
        table,
        &mut MemberImport::new(today()),
        0,
        &mut |_| {},
    )
    .unwrap();
    let table = Table::from_csv_bytes(csv.as_bytes().to_vec()).unwrap();
    let mut imp = match keys {
        Some(n) => MemberImport::with_memory_keys(today(), n),
        None => MemberImport::new(today()),
    };
    let mut said = Vec::new();
    let r = import::run_streaming(&mut conn, table, &mut imp, 0, &mut |_| {}, &mut |p| {
        said.push(p.message(guanhuai::domain::Lang::Zh))
    });
    let end = match r {
        Ok(o) => format!("{} rows, {} members", o.rows, members(&conn)),
        Err(Failure::Refused { rows, problems }) => format!("refused: {rows} rows, {problems}"),
        Err(_) => "failed".into(),
    };
    (said, end)
}

#[test]
fn duplicates_past_the_memory_budget_are_found_on_disk_alike() {
    // duplicates of codes and ID numbers held in memory, on disk, and of
    // members already in the database, before and after the budget's end
    let birth = NaiveDate::from_ymd_opt(1960, 3, 15).unwrap();
    let old_id = make_id_number("120101", birth, 3);
    let csv = members_csv(400, |i, r| match i {
        150 => r[0] = "M000003".into(), // code of a row in memory
        390 => r[0] = "M000300".into(), // code of a row on disk
        391 => r[3] = make_id_number("110101", birth, 350), // ID of a row on disk
        392 => r[3] = make_id_number("110101", birth, 20), // ID of a row in memory
        393 => r[3] = old_id.clone(),   // ID of a member in the file's roster and the db
        394 => r[0] = "OLD2".into(),    // an existing member, updated
        _ => {}
    });
    let (mem, mem_end) = problems_with_budget(&csv, None);
    let (disk, disk_end) = problems_with_budget(&csv, Some(100));
    assert_eq!(mem, disk);
    assert_eq!(mem_end, disk_end);
    assert!(
        mem.iter()
            .any(|m| m.contains("M000300") && m.contains("第 302 行")),
        "{mem:?}"
    );
    assert!(mem.iter().any(|m| m.contains("第 352 行")), "{mem:?}");
    assert!(mem.len() >= 4, "{mem:?}");
    assert!(disk_end.starts_with("refused"), "{disk_end}");
    // a clean file spilled to disk is written whole
    let clean = members_csv(400, |_, _| {});
    let (none, end) = problems_with_budget(&clean, Some(50));
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(end, "400 rows, 405 members");
}
