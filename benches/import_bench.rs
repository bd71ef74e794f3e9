//! Import benchmark (`cargo bench --bench import_bench`): time and peak memory
//! of `guanhuai import` on files of 100,000 rows (CSV and XLSX members, CSV
//! talks), and on a small XLSX whose one stray cell sits at XFD1048576.
//! Not a test: it reports figures. The target is a peak RSS of at most 100 MB
//! for any import of up to 100,000 rows. `GUANHUAI_BENCH_ROWS` changes the size.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use guanhuai::domain::validate::make_id_number;

const TODAY: &str = "2026-11-28";

/// Runs the binary; returns wall time, peak RSS (KiB) and the exit status.
fn run_measured(args: &[&str]) -> (Duration, i64, i32) {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .args(args)
        .env("GUANHUAI_TODAY", TODAY)
        .stdout(Stdio::null())
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
    (start.elapsed(), usage.ru_maxrss, code)
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
        make_id_number("110105", birth, ((i / 420) % 1000) as u32),
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

fn write_csv(path: &Path, n: usize) {
    let mut s = HEAD.join(",");
    s.push('\n');
    for i in 0..n {
        s.push_str(&member_row(i).join(","));
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
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
    let mut s = String::from("编号,日期,形式,谈话人,内容摘要\n");
    for i in 0..n {
        let d = NaiveDate::from_ymd_opt(
            2024 + (i % 2) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .unwrap();
        s.push_str(&format!(
            "M{i:06},{d},面对面,支部书记 王建国,了解近况，身体尚好，提醒按时参加组织生活\n"
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--generate") {
        generate(Path::new(&args[pos + 1]), args[pos + 2].parse().unwrap());
        return;
    }
    let n: usize = std::env::var("GUANHUAI_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    let xlsx = dir.path().join("members.xlsx");
    let talks = dir.path().join("talks.csv");
    let stray = dir.path().join("stray.xlsx");
    // The files are written by a child process: a child forked from a process
    // that held a 100,000-row workbook would start with its pages counted.
    let ok = Command::new(std::env::current_exe().unwrap())
        .arg("--generate")
        .arg(dir.path())
        .arg(n.to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "generating the files failed");
    let size = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1e6;
    println!("== import of {n} rows ==");
    for (label, kind, file, fresh) in [
        ("members CSV", "members", &csv, true),
        ("members XLSX", "members", &xlsx, true),
        ("talks CSV (after the members)", "talks", &talks, false),
        ("stray cell XLSX (refused)", "members", &stray, true),
    ] {
        let db = dir.path().join("bench.sqlite");
        if fresh {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
            }
        }
        let (t, rss, code) = run_measured(&[
            "--db",
            db.to_str().unwrap(),
            "import",
            kind,
            file.to_str().unwrap(),
        ]);
        println!(
            "{label}: {:.1} MB file, {:.2} s, peak RSS {:.1} MB, exit {code}",
            size(file),
            t.as_secs_f64(),
            rss as f64 / 1024.0
        );
    }
}

fn generate(dir: &Path, n: usize) {
    let csv = dir.join("members.csv");
    let xlsx = dir.join("members.xlsx");
    let talks = dir.join("talks.csv");
    let stray = dir.join("stray.xlsx");
    write_csv(&csv, n);
    write_xlsx(&xlsx, n);
    write_talks(&talks, n);
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in HEAD.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save(&stray).unwrap();
    }
}
