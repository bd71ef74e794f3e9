//! Import benchmark (`cargo bench --bench import_bench`): rows per second and
//! peak memory (wait4's ru_maxrss of the import process) of `guanhuai import`:
//!
//! - a members CSV into an empty database, then the same file again (every
//!   member unchanged), then talks CSV naming those members, and the same
//!   members file with one bad row at its very end (refused, nothing written);
//! - a members XLSX into an empty database;
//! - a small XLSX whose one stray cell sits at XFD1048576 (refused);
//! - the floor: the same members file's writes by hand-written SQL alone
//!   (see [`floor`]), to set the figures above against.
//!
//! Not a test: it reports figures. The targets (issue 11): at least 100,000
//! rows a second for members and for records, and a peak RSS of at most
//! 100 MB whatever the file size. `GUANHUAI_BENCH_ROWS` sets the rows of the
//! CSV files (default 1,000,000), `GUANHUAI_BENCH_XLSX_ROWS` of the workbook
//! (default 149,000, about the most a workbook may hold). The files are written into a temporary directory that
//! is removed at the end.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use guanhuai::domain::validate::make_id_number;

const TODAY: &str = "2026-11-28";

/// Runs the binary; returns wall time, CPU time (user + system), peak RSS
/// (KiB) and the exit status. On a busy machine the CPU time is the steadier figure.
fn run_measured(args: &[&str]) -> (Duration, Duration, i64, i32) {
    run_program(
        Path::new(env!("CARGO_BIN_EXE_guanhuai")),
        args,
        Stdio::null(),
    )
}

/// [`run_measured`] for any program, its standard output to `stdout`.
fn run_program(program: &Path, args: &[&str], stdout: Stdio) -> (Duration, Duration, i64, i32) {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .env("GUANHUAI_TODAY", TODAY)
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    std::mem::forget(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let tv =
        |t: libc::timeval| Duration::from_micros(t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64);
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    (start.elapsed(), cpu, usage.ru_maxrss, code)
}

fn member_row(i: usize) -> [String; 8] {
    let birth = NaiveDate::from_ymd_opt(
        1940 + (i % 60) as i32,
        1 + (i % 12) as u32,
        1 + (i % 28) as u32,
    )
    .unwrap();
    let joined =
        NaiveDate::from_ymd_opt((birth.year() + 20 + (i % 20) as i32).min(2025), 7, 1).unwrap();
    let given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军"];
    let family = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    [
        format!("M{i:06}"),
        format!(
            "{}{}{}",
            family[i % 10],
            given[(i / 10) % 10],
            given[(i / 100) % 10]
        ),
        if i.is_multiple_of(2) { "男" } else { "女" }.to_string(),
        birth.to_string(),
        // 420 birth dates × 1,000 sequence numbers per district: unique ID numbers
        make_id_number(
            &format!("{}", 110_101 + i / 420_000),
            birth,
            ((i / 420) % 1000) as u32,
        ),
        format!("138{:08}", i),
        joined.to_string(),
        "退休老党员，家住幸福里小区，子女在外地工作".to_string(),
    ]
}

const HEAD: [&str; 8] = [
    "编号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机",
    "入党日期",
    "备注",
];

/// Writes the members CSV; with `bad_last`, the last row's 入党日期 is no date.
fn write_csv(path: &Path, n: usize, bad_last: bool) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "{}", HEAD.join(",")).unwrap();
    for i in 0..n {
        let mut row = member_row(i);
        if bad_last && i + 1 == n {
            row[6] = "不是日期".to_string();
        }
        writeln!(out, "{}", row.join(",")).unwrap();
    }
    out.flush().unwrap();
}

fn write_xlsx(path: &Path, n: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEAD.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        for (c, v) in member_row(i).iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
    }
    book.save(path).unwrap();
}

fn write_talks(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "编号,日期,形式,谈话人,内容摘要").unwrap();
    for i in 0..n {
        let d = NaiveDate::from_ymd_opt(
            2024 + (i % 2) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .unwrap();
        // members in a scattered order, as a year's talks are
        let m = (i * 7_919) % n;
        writeln!(
            out,
            "M{m:06},{d},面对面,支部书记 王建国,了解近况，身体尚好，提醒按时参加组织生活"
        )
        .unwrap();
    }
    out.flush().unwrap();
}

fn rows_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--generate") {
        generate(
            Path::new(&args[pos + 1]),
            args[pos + 2].parse().unwrap(),
            args[pos + 3].parse().unwrap(),
        );
        return;
    }
    if let Some(pos) = args.iter().position(|a| a == "--floor") {
        floor(Path::new(&args[pos + 1]), Path::new(&args[pos + 2]));
        return;
    }
    let n = rows_env("GUANHUAI_BENCH_ROWS", 1_000_000);
    // About the largest roster a workbook may hold (12 MB of text, see
    // `MAX_SHARED_STRINGS` in src/interchange/xlsx_read.rs).
    let nx = rows_env("GUANHUAI_BENCH_XLSX_ROWS", 149_000);
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    // The files are written by a child process: a child forked from a process
    // that held a large workbook would start with its pages counted.
    let ok = Command::new(std::env::current_exe().unwrap())
        .arg("--generate")
        .arg(dir.path())
        .arg(n.to_string())
        .arg(nx.to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "generating the files failed");
    let size = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1e6;
    println!("== import: CSV files of {n} rows, a workbook of {nx} rows ==");
    // (label, kind, file, rows, a fresh database, exit status wanted)
    let runs = [
        ("members CSV, new", "members", "members.csv", n, true, 0),
        (
            "members CSV, again (unchanged)",
            "members",
            "members.csv",
            n,
            false,
            0,
        ),
        ("talks CSV", "talks", "talks.csv", n, false, 0),
        (
            "members CSV, bad last row (refused)",
            "members",
            "members_bad.csv",
            n,
            false,
            1,
        ),
        ("members XLSX, new", "members", "members.xlsx", nx, true, 0),
        (
            "stray cell XLSX (refused)",
            "members",
            "stray.xlsx",
            1,
            true,
            1,
        ),
    ];
    for (label, kind, file, rows, fresh, want) in runs {
        let db = p("bench.sqlite");
        if fresh {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
            }
        }
        let file = p(file);
        let (t, cpu, rss, code) = run_measured(&[
            "--db",
            db.to_str().unwrap(),
            "import",
            kind,
            file.to_str().unwrap(),
        ]);
        let (secs, cpu) = (t.as_secs_f64(), cpu.as_secs_f64());
        println!(
            "{label}: {:.1} MB file, {rows} rows in {secs:.2} s = {:.0} rows/s (CPU {cpu:.2} s = {:.0} rows/s), peak RSS {:.1} MB, exit {code}{}",
            size(&file),
            rows as f64 / secs,
            rows as f64 / cpu,
            rss as f64 / 1024.0,
            if code == want { "" } else { " (UNEXPECTED)" }
        );
        // The bound on an import's memory, whatever the file's size.
        if rss > 100 * 1024 {
            println!("  peak memory above the 100 MB target");
        }
        if label == "talks CSV" {
            export_round_trip(&db, &p("export.xlsx"), &p("round.sqlite"), n);
        }
    }
    // The floor: the same three writes by hand-written SQL, in a child process.
    let members = p("members.csv");
    let floor_db = p("floor.sqlite");
    let (t, cpu, rss, code) = run_program(
        &std::env::current_exe().unwrap(),
        &[
            "--floor",
            floor_db.to_str().unwrap(),
            members.to_str().unwrap(),
        ],
        Stdio::inherit(),
    );
    println!(
        "floor, members CSV by hand-written SQL: {n} rows in {:.2} s = {:.0} rows/s (CPU {:.2} s), peak RSS {:.1} MB, exit {code}",
        t.as_secs_f64(),
        n as f64 / t.as_secs_f64(),
        cpu.as_secs_f64(),
        rss as f64 / 1024.0
    );
}

/// The roster just imported, exported as a workbook (written row by row, its
/// texts inline) and that workbook imported into a fresh file: time and peak
/// memory of both, the rows a workbook can hold (Excel's 1,048,576) coming
/// back whatever their number.
fn export_round_trip(db: &Path, xlsx: &Path, fresh: &Path, n: usize) {
    let (t, _, rss, code) = run_measured(&[
        "--db",
        db.to_str().unwrap(),
        "export",
        "members",
        xlsx.to_str().unwrap(),
    ]);
    let mb = std::fs::metadata(xlsx).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "members XLSX export: {n} rows in {:.2} s, {mb:.1} MB file, peak RSS {:.1} MB, exit {code}",
        t.as_secs_f64(),
        rss as f64 / 1024.0
    );
    let (t, _, rss, code) = run_measured(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        "members",
        xlsx.to_str().unwrap(),
    ]);
    println!(
        "that workbook imported into a fresh file: {n} rows in {:.2} s = {:.0} rows/s, peak RSS {:.1} MB, exit {code}{}",
        t.as_secs_f64(),
        n as f64 / t.as_secs_f64(),
        rss as f64 / 1024.0,
        if rss > 100 * 1024 {
            " (above the 100 MB target)"
        } else {
            ""
        }
    );
}

/// The floor of a members import: what the writes every import must make cost
/// SQLite alone (the same bundled library, the same schema, one transaction):
/// each row inserted by one prepared statement with the triggers gone (read
/// by the `csv` crate, no check of any kind, the name's bytes for its pinyin
/// key), the four indexes no constraint needs built after the rows, one log
/// row a member from the schema's own view, and the commit. Nothing of
/// guanhuai's own work: no check, duplicate report, pinyin or kept obligations.
fn floor(db: &Path, csv_path: &Path) {
    let mut conn = guanhuai::db::open(db).unwrap();
    conn.pragma_update(None, "cache_size", -32 * 1024).unwrap();
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    let triggers: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'members'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    // The indexes the import itself defers, by the import's own function.
    let indexes = guanhuai::db::audit::drop_plain_indexes(&tx, "members").unwrap();
    let mut laps = Vec::new();
    let mut lap = Instant::now();
    let mut mark = |what: String| {
        laps.push(format!("{what} {:.2} s", lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO members (code, name, gender, birth_date, id_number, phone,
                 joined_on, notes, sort_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CAST(?2 AS BLOB))",
            )
            .unwrap();
        let mut rd = csv::Reader::from_path(csv_path).unwrap();
        let mut rec = csv::StringRecord::new();
        while rd.read_record(&mut rec).unwrap() {
            let gender = if &rec[2] == "男" { "m" } else { "f" };
            insert
                .execute(rusqlite::params![
                    &rec[0], &rec[1], gender, &rec[3], &rec[4], &rec[5], &rec[6], &rec[7]
                ])
                .unwrap();
        }
    }
    mark("rows".to_string());
    for sql in &indexes {
        tx.execute_batch(sql).unwrap();
    }
    mark(format!("{} indexes", indexes.len()));
    tx.execute(
        "INSERT INTO audit_sessions (at, user, action) VALUES ('2026-11-28 09:00:00', 'bench', 'import members')",
        [],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO audit_log (session_id, tbl, record_id, op, old, new)
         SELECT last_insert_rowid(), 'members', v.id, 'insert', NULL, v.new
         FROM members_audit_new v ORDER BY v.id",
        [],
    )
    .unwrap();
    mark("log".to_string());
    tx.commit().unwrap();
    drop(conn);
    mark("commit and close".to_string());
    println!(
        "floor: {} ({:.2} s in all)",
        laps.join(", "),
        start.elapsed().as_secs_f64()
    );
}

fn generate(dir: &Path, n: usize, nx: usize) {
    write_csv(&dir.join("members.csv"), n, false);
    write_csv(&dir.join("members_bad.csv"), n, true);
    write_talks(&dir.join("talks.csv"), n);
    write_xlsx(&dir.join("members.xlsx"), nx);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEAD.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(dir.join("stray.xlsx")).unwrap();
}
