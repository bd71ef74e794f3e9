//! The kill test of the fund and the hardship ledger (issue 11): the program,
//! driven through its UI in a pseudo-terminal as a clerk drives it, is killed
//! with SIGKILL at a random moment after the key that confirms
//!
//! - a monthly subsidy batch (生活补贴, tab 5 `s`) over 1,000 members,
//! - closing an audit (定时审计, tab 5 `a` F2) after it (its chain check
//!   runs over every entry inside the transaction),
//! - a hardship step (民主评议, tab 3 F5).
//!
//! None of them has a command-line way in. After each kill the file is
//! opened as the next run would open it: `PRAGMA integrity_check` is ok,
//! `guanhuai fund verify` exits 0, and the rows the operation writes — its
//! table rows and its audit-log rows — are either all there (as after an
//! uninterrupted run) or all absent (as before).
//!
//! The moments are drawn uniformly within the time an uninterrupted run takes
//! from the confirming key until its rows are in the file (measured first,
//! by a reader polling the file; 25% past it, so some runs finish),
//! from a seeded generator; the seed is printed, and
//! `GUANHUAI_KILL_SEED=N cargo test --test kill_fund -- --nocapture` repeats
//! a run. `GUANHUAI_KILL_RUNS=N` sets the kills per operation; the ignored
//! `long_sweep` makes 40 of each.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::pty::{Key, Pty, TODAY};
use guanhuai::cli::demo::Rng;
use guanhuai::db;
use rusqlite::Connection;

/// Members of the branch of the subsidy batch and the audit: a batch of
/// this many takes about a second in a debug build (each entry's insert
/// trigger sums the ledger), time enough for kills to land inside it.
const MEMBERS: usize = 1_000;
/// Ctrl-E then Ctrl-U: the field emptied.
const CLEAR: &str = "\x05\x15";
/// A slow step (a first screen on a big branch in a debug build) may take this long.
const STEP: Duration = Duration::from_secs(60);

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn must(r: Result<(), String>) {
    if let Err(e) = r {
        panic!("{e}");
    }
}

fn seed() -> u64 {
    std::env::var("GUANHUAI_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        .max(1)
}

fn runs(default: usize) -> usize {
    std::env::var("GUANHUAI_KILL_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A database copied from `template` (closed, so one file holds it all).
fn fresh(template: &Path, db: &Path) {
    remove_db(db);
    std::fs::copy(template, db).unwrap();
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Audit-log rows written under an action like `action`.
fn logged(conn: &Connection, action: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id
         WHERE s.action LIKE ?1",
        [action],
        |r| r.get(0),
    )
    .unwrap()
}

/// What one operation is: how to reach its confirming key, what it shows
/// when done, and the counts it changes.
struct Op {
    name: &'static str,
    template: PathBuf,
    /// Navigates and fills the form up to (not including) the confirming key.
    prepare: fn(&mut Pty) -> Result<(), String>,
    confirm: Key,
    done: &'static str,
    counts: fn(&Connection) -> Vec<i64>,
}

/// Opens the file as the next run would (recovering the `-wal`), checks it
/// and returns the operation's counts.
fn sound(op: &Op, db: &Path, what: &str) -> Vec<i64> {
    let conn = Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{what}");
    let c = (op.counts)(&conn);
    drop(conn);
    let out = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(["fund", "verify"])
        .env("GUANHUAI_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: fund verify exited {}: {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    c
}

/// The program on `db` up to the confirming key, which is pressed; the pty.
fn start(op: &Op, db: &Path) -> Pty {
    let mut p = Pty::spawn(&["--db", db.to_str().unwrap()], &[]);
    must(p.wait_for_timeout("基金", STEP));
    must((op.prepare)(&mut p));
    p.send_key(op.confirm);
    p
}

/// Runs the operation to its end; how long from the confirming key until its
/// rows are in the file (watched by a reader every millisecond), and until
/// its message is on the screen.
fn uninterrupted(op: &Op, db: &Path) -> (Duration, Duration) {
    let reader = Connection::open(db).unwrap();
    let before = (op.counts)(&reader);
    let mut p = Pty::spawn(&["--db", db.to_str().unwrap()], &[]);
    must(p.wait_for_timeout("基金", STEP));
    must((op.prepare)(&mut p));
    p.send_key(op.confirm);
    let t0 = Instant::now();
    while (op.counts)(&reader) == before {
        assert!(
            t0.elapsed() < STEP,
            "{}: nothing written; the screen is:\n{}",
            op.name,
            common::pty::framed(&p.screen_text())
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let committed = t0.elapsed();
    must(p.wait_for_timeout(op.done, STEP));
    let shown = t0.elapsed();
    p.kill();
    (committed, shown)
}

/// `n` kills of `op` at random moments; (found complete, found absent).
fn sweep(op: &Op, n: usize, seed: u64) -> (usize, usize) {
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite");
    fresh(&op.template, &db);
    let before = sound(op, &db, "the template");
    let (span, shown) = uninterrupted(op, &db);
    let after = sound(op, &db, "after an uninterrupted run");
    assert_ne!(before, after, "{}: the operation changed nothing", op.name);
    println!(
        "{}: uninterrupted, written {span:?} and shown {shown:?} after the key; counts {before:?} → {after:?}",
        op.name
    );
    let (mut whole, mut absent) = (0, 0);
    for i in 0..n {
        fresh(&op.template, &db);
        // Mostly before the rows are in, some after.
        let max = (span + span / 4).as_micros().max(1) as u64;
        let at = Duration::from_micros(rng.below(max));
        let mut p = start(op, &db);
        std::thread::sleep(at);
        let finished = p.screen_text().contains(op.done);
        p.kill();
        let what = format!("{} kill {i} at {at:?} (seed {seed})", op.name);
        let found = sound(op, &db, &what);
        if found == after {
            whole += 1;
        } else if found == before {
            assert!(
                !finished,
                "{what}: the message was shown, the work is absent"
            );
            absent += 1;
        } else {
            panic!("{what}: partial state {found:?}, before {before:?}, after {after:?}");
        }
    }
    println!(
        "{}: {n} kills, {whole} found the work complete, {absent} found it absent",
        op.name
    );
    (whole, absent)
}

// ---- the branches --------------------------------------------------------

/// A branch of [`MEMBERS`] imported members who all draw the living subsidy,
/// with the money for it: the 2026-11 batch pays every one of them.
fn big_branch(dir: &Path) -> PathBuf {
    use guanhuai::db::fund::NewEntry;
    use guanhuai::domain::validate::make_id_number;
    use guanhuai::domain::vocab::Direction;
    let path = dir.join("big.sqlite");
    let base = d("1930-01-01");
    let mut csv = String::from("编号,姓名,性别,出生日期,身份证号,入党日期\n");
    for i in 0..MEMBERS {
        let birth = base + chrono::Duration::days(i as i64 % 9_000);
        csv.push_str(&format!(
            "B{i:05},{}{}{},{},{birth},{},1960-07-01\n",
            ["王", "李", "张", "刘", "陈"][i % 5],
            ["建", "国", "秀", "英", "明"][i / 5 % 5],
            ["华", "军", "兰", "芳", "强"][i / 25 % 5],
            if i % 2 == 0 { "男" } else { "女" },
            make_id_number("110105", birth, i as u32 % 1000),
        ));
    }
    let file = dir.join("members.csv");
    std::fs::write(&file, csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(&path)
        .arg("import")
        .arg("members")
        .arg(&file)
        .env("GUANHUAI_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = db::open(&path).unwrap();
    let actor = db::audit::Actor::new("test setup");
    let tx = db::audit::write_tx(&mut conn, &actor).unwrap();
    tx.execute("UPDATE members SET no_fixed_income = 1", [])
        .unwrap();
    let income = NewEntry {
        date: d("2026-01-05"),
        direction: Direction::In,
        category: "fiscal".into(),
        amount_fen: 100_000_000,
        handled_by: "李会计".into(),
        approved_by: "王书记".into(),
        ..NewEntry::default()
    };
    db::fund::insert(&tx, &income, d(TODAY)).unwrap();
    tx.commit().unwrap();
    let s = db::settings::load(&conn).unwrap();
    let p = db::fund::subsidy_preview(&conn, "2026-11", d(TODAY), &s).unwrap();
    assert_eq!(p.to_pay.len(), MEMBERS);
    assert!(p.affordable());
    path
}

/// Three members, one case applied for on 2026-07-01 (待民主评议).
fn small_branch(dir: &Path) -> PathBuf {
    use guanhuai::db::hardship::NewCase;
    use guanhuai::domain::member::Member;
    use guanhuai::domain::vocab::{HardshipCategory, Priority};
    let path = dir.join("small.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut ids = Vec::new();
    for (code, name) in [("001", "张三丰"), ("002", "李四"), ("003", "王五")] {
        let mut m = Member::new(code, name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.birth_date = Some(d("1960-01-01"));
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    let case = NewCase {
        member_id: ids[0],
        year: 2026,
        categories: vec![HardshipCategory::Illness],
        cause: "因病致困".into(),
        family_situation: String::new(),
        family: Vec::new(),
        priority: Priority::Urgent,
        applied_on: d("2026-07-01"),
        note: String::new(),
    };
    db::hardship::create_case(&mut conn, &case, "test setup").unwrap();
    path
}

// ---- the operations --------------------------------------------------------

fn subsidy(template: PathBuf) -> Op {
    Op {
        name: "subsidy batch",
        template,
        prepare: |p| {
            p.send("5");
            p.wait_for_timeout("帮扶基金收支", STEP)?;
            p.send("s");
            p.wait_for("生活补贴：按月发放")?;
            p.wait_for("2026-11")?;
            p.send_key(Key::Tab);
            p.send_key(Key::Tab);
            p.send("李会计");
            p.send_key(Key::Tab);
            p.send("王书记");
            p.wait_for("王书记")?;
            p.send_key(Key::F(9));
            p.wait_for_timeout("生活补贴预览", STEP)?;
            p.wait_for("本次发放")
        },
        confirm: Key::F(9),
        done: "已发放 2026-11 生活补贴",
        counts: |c| {
            vec![
                count(
                    c,
                    "SELECT count(*) FROM fund_entries WHERE subsidy_month = '2026-11'",
                ),
                count(c, "SELECT count(*) FROM fund_entries"),
                logged(c, "form: fund subsidy batch"),
            ]
        },
    }
}

fn audit(template: PathBuf) -> Op {
    Op {
        name: "audit close",
        template,
        prepare: |p| {
            p.send("5");
            p.wait_for_timeout("帮扶基金收支", STEP)?;
            p.send("a");
            p.wait_for("定时审计")?;
            p.send_key(Key::F(2));
            p.wait_for("定时审计：结账一个期间")?;
            // Up to today: the period holds the batch's entries too.
            p.send_key(Key::Tab);
            p.send(CLEAR);
            p.send(TODAY);
            p.send_key(Key::Tab);
            p.send("孙审计");
            p.wait_for("孙审计")?;
            p.send_key(Key::F(9));
            p.wait_for_timeout("审计报告预览", STEP)
        },
        confirm: Key::F(9),
        done: "已审计结账",
        counts: |c| {
            vec![
                count(c, "SELECT count(*) FROM audits"),
                count(c, "SELECT count(*) FROM audit_totals"),
                logged(c, "form: fund audit"),
            ]
        },
    }
}

fn hardship_step(template: PathBuf) -> Op {
    Op {
        name: "hardship step",
        template,
        prepare: |p| {
            p.send("3");
            p.wait_for("困难党员台账")?;
            p.wait_for("张三丰")?;
            p.send_key(Key::Enter);
            p.wait_for("可办理：民主评议")?;
            p.send_key(Key::F(5));
            p.wait_for("办理：")?;
            p.send("1");
            p.wait_for("登记「民主评议」")?;
            p.send("9");
            p.send_key(Key::BackTab);
            p.send(CLEAR);
            p.send("2026-07-05");
            p.wait_for("2026-07-05")
        },
        confirm: Key::F(9),
        done: "可办理：公示",
        counts: |c| {
            vec![
                count(c, "SELECT count(*) FROM hardship_steps"),
                count(c, "SELECT sum(version) FROM hardship_cases"),
                count(
                    c,
                    "SELECT count(*) FROM hardship_cases WHERE state = 'applied'",
                ),
                logged(c, "form: hardship step %"),
            ]
        },
    }
}

/// The big branch, and the same after its 2026-11 batch (for the audit:
/// thousands more entries for its chain check inside the transaction).
fn templates(dir: &Path) -> (PathBuf, PathBuf) {
    let big = big_branch(dir);
    let paid = dir.join("paid.sqlite");
    std::fs::copy(&big, &paid).unwrap();
    let mut conn = db::open(&paid).unwrap();
    let s = db::settings::load(&conn).unwrap();
    db::fund::pay_subsidies(
        &mut conn,
        "2026-11",
        d(TODAY),
        "李会计",
        "王书记",
        &s,
        d(TODAY),
    )
    .unwrap();
    (big, paid)
}

fn check(op: Op, n: usize) {
    let seed = seed();
    println!(
        "{}: seed {seed} (GUANHUAI_KILL_SEED={seed} repeats it)",
        op.name
    );
    let started = Instant::now();
    let (whole, absent) = sweep(&op, n, seed);
    assert_eq!(whole + absent, n);
    println!("{}: {:?}", op.name, started.elapsed());
}

#[test]
fn a_subsidy_batch_killed_is_all_paid_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    check(subsidy(big_branch(dir.path())), runs(10));
}

#[test]
fn an_audit_close_killed_is_closed_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let (_, paid) = templates(dir.path());
    check(audit(paid), runs(10));
}

#[test]
fn a_hardship_step_killed_is_recorded_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    check(hardship_step(small_branch(dir.path())), runs(15));
}

/// 40 kills of each (several minutes): `cargo test --test kill_fund -- --ignored`.
#[test]
#[ignore]
fn long_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let (big, paid) = templates(dir.path());
    let small = small_branch(dir.path());
    let n = runs(40);
    check(subsidy(big), n);
    check(audit(paid), n);
    check(hardship_step(small), n);
}
