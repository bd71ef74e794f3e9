//! "Many clerks, one file": UI sessions in pseudo-terminals and a loop of
//! command-line imports and queries, all on one database file for a while;
//! then every write is looked for in the file.
//!
//! Each session goes round: a talk, a visit and a fund income through the
//! forms, each with a text of its own (LOAD-s{session}-{t|v|f}{n}), then an
//! edit race: the sessions of a pair open the same talk in its edit form,
//! both type a new summary and both save at once. One must be saved and the
//! other refused with the version-conflict message, never both saved.

mod cli;
pub mod session;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use session::{Saved, Session};

pub struct Options {
    pub duration: Duration,
    /// UI sessions (an even number: they race in pairs).
    pub sessions: usize,
    /// A database filled by `guanhuai demo` to use (a copy is made); else a new one.
    pub db: Option<PathBuf>,
}

/// What one session did.
#[derive(Debug, Default)]
struct Done {
    talks: Vec<String>,
    visits: Vec<String>,
    incomes: Vec<String>,
    races_won: usize,
    races_lost: usize,
    screens: u64,
    busy: Vec<(String, String)>,
    errors: Vec<String>,
    exit: i32,
}

/// One pair's shared state for its edit races.
struct Pair {
    barrier: Barrier,
    stop: Mutex<bool>,
    /// This round's outcome per member of the pair: the text typed and how it ended.
    round: Mutex<Vec<(String, Saved)>>,
    /// The summaries that won, in order; lost rounds, both refused or both saved.
    winners: Mutex<Vec<String>>,
    bad_rounds: Mutex<Vec<String>>,
}

/// The members the conflict talks belong to, one per pair.
fn race_code(pair: usize) -> String {
    format!("L9{pair:02}")
}

fn guanhuai(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("GUANHUAI_TODAY", crate::pty::TODAY)
        .output()
        .expect("run guanhuai")
}

/// The result: the figures and every failed requirement.
pub struct Report {
    pub lines: Vec<String>,
    pub failures: Vec<String>,
}

pub fn run(o: &Options) -> Report {
    assert!(
        o.sessions >= 2 && o.sessions.is_multiple_of(2),
        "sessions in pairs"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("load.sqlite");
    match &o.db {
        Some(src) => {
            std::fs::copy(src, &db).expect("copy the database");
        }
        None => {
            let out = guanhuai(&db, &["demo"]);
            assert!(out.status.success(), "guanhuai demo failed");
        }
    }
    let (members, before) = setup(&db, o.sessions / 2);
    let db_str = db.to_str().unwrap().to_string();
    let started = Instant::now();
    let until = started + o.duration;

    let pairs: Vec<Arc<Pair>> = (0..o.sessions / 2)
        .map(|_| {
            Arc::new(Pair {
                barrier: Barrier::new(2),
                stop: Mutex::new(false),
                round: Mutex::new(Vec::new()),
                winners: Mutex::new(Vec::new()),
                bad_rounds: Mutex::new(Vec::new()),
            })
        })
        .collect();
    let uis: Vec<_> = (0..o.sessions)
        .map(|s| {
            let pair = Arc::clone(&pairs[s / 2]);
            let db = db_str.clone();
            let members = members.clone();
            std::thread::spawn(move || clerk(s, &db, &members, &pair, until))
        })
        .collect();
    let cli = {
        let db = db.clone();
        let work = dir.path().to_path_buf();
        let members = members.clone();
        std::thread::spawn(move || cli::cli_loop(&db, &work, &members, until))
    };
    let done: Vec<Done> = uis.into_iter().map(|t| t.join().unwrap()).collect();
    let cli = cli.join().unwrap();
    let elapsed = started.elapsed();

    check(&db, o, &done, &cli, &pairs, &before, elapsed)
}

/// Adds one member per pair with one talk to race on; the members to write
/// for (active, by code) and the row counts before the load.
fn setup(db: &Path, pairs: usize) -> (Vec<(String, String)>, BTreeMap<&'static str, i64>) {
    use guanhuai::domain::member::Member;
    let mut conn = guanhuai::db::open(db).expect("open");
    let joined = chrono::NaiveDate::from_ymd_opt(1990, 7, 1).unwrap();
    let names = ["甲乙丙", "丁戊己", "庚辛壬", "癸子丑"];
    for p in 0..pairs {
        let m = Member::new(&race_code(p), names[p % names.len()], joined);
        guanhuai::db::members::save(&mut conn, &m).expect("a race member");
    }
    let members: Vec<(String, String)> = conn
        .prepare(
            "SELECT code, name FROM members WHERE status = 'active' AND code NOT LIKE 'L9%' ORDER BY code",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    let mut csv = String::from("编号,日期,形式,内容摘要\n");
    for p in 0..pairs {
        csv.push_str(&format!(
            "{},{},面对面,LOAD-conflict-{p}\n",
            race_code(p),
            crate::pty::TODAY
        ));
    }
    let file = db.with_file_name("race.csv");
    std::fs::write(&file, csv).unwrap();
    let out = guanhuai(db, &["import", "talks", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "the race talks: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut before = BTreeMap::new();
    for t in ["talks", "visits", "fund_entries", "audit_log"] {
        before.insert(t, count(&conn, &format!("SELECT count(*) FROM {t}")));
    }
    (members, before)
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// One clerk's round until the time is up (decided with the pair partner).
fn clerk(s: usize, db: &str, members: &[(String, String)], pair: &Pair, until: Instant) -> Done {
    let mut done = Done::default();
    let mut ui = match Session::start(s, db) {
        Ok(ui) => ui,
        Err(e) => {
            done.errors.push(e);
            // The partner must not wait for a race that never comes.
            *pair.stop.lock().unwrap() = true;
            pair.barrier.wait();
            return done;
        }
    };
    let mut n = 0usize;
    loop {
        // Both of the pair go on or both stop.
        if pair.barrier.wait().is_leader() {
            let mut stop = pair.stop.lock().unwrap();
            *stop = *stop || Instant::now() >= until;
        }
        pair.barrier.wait();
        if *pair.stop.lock().unwrap() {
            break;
        }
        let (code, name) = &members[(s * 7919 + n * 13) % members.len()];
        let step = (|| -> Result<(), String> {
            let t = format!("LOAD-s{s}-t{n}");
            ui.talk(code, name, &t)?;
            done.talks.push(t);
            let v = format!("LOAD-s{s}-v{n}");
            ui.visit(code, name, &v)?;
            done.visits.push(v);
            let f = format!("LOAD-s{s}-f{n}");
            ui.income(&f)?;
            done.incomes.push(f);
            Ok(())
        })();
        let raced = step.and_then(|()| race(&mut ui, s, n, pair, &mut done));
        if let Err(e) = raced {
            done.errors.push(e);
            // Tell the partner to stop, and meet it where it waits.
            *pair.stop.lock().unwrap() = true;
            break;
        }
        n += 1;
    }
    done.screens = ui.screens;
    done.busy = std::mem::take(&mut ui.busy);
    match ui.quit() {
        Ok((ui, code)) => {
            done.exit = code;
            done.screens = ui.screens;
            done.busy.extend(ui.busy);
        }
        Err(e) => {
            done.errors.push(e);
            done.exit = -1;
        }
    }
    done
}

/// One edit race of the pair: both forms open on the same version, then both save.
fn race(ui: &mut Session, s: usize, n: usize, pair: &Pair, done: &mut Done) -> Result<(), String> {
    let p = s / 2;
    let text = format!("LOAD-conflict-{p}-r{n}-s{s}");
    let opened = ui.edit_talk(&race_code(p), &text);
    // Both are at the form (or one failed: both give up).
    if opened.is_err() {
        *pair.stop.lock().unwrap() = true;
    }
    pair.barrier.wait();
    opened?;
    if *pair.stop.lock().unwrap() {
        return Err(format!("session {s}: the partner could not open the form"));
    }
    let saved = ui.save_edit()?;
    match saved {
        Saved::Ok => done.races_won += 1,
        Saved::Conflict => done.races_lost += 1,
    }
    pair.round.lock().unwrap().push((text, saved));
    if pair.barrier.wait().is_leader() {
        let round = std::mem::take(&mut *pair.round.lock().unwrap());
        let won: Vec<&String> = round
            .iter()
            .filter(|(_, s)| *s == Saved::Ok)
            .map(|(t, _)| t)
            .collect();
        if won.len() == 1 {
            pair.winners.lock().unwrap().push(won[0].clone());
        } else {
            pair.bad_rounds
                .lock()
                .unwrap()
                .push(format!("pair {p} round {n}: {round:?}"));
        }
    }
    Ok(())
}

fn texts(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `want` and what the file holds are the same texts, each once.
fn same(what: &str, want: &[String], found: Vec<String>, failures: &mut Vec<String>) -> usize {
    let set: BTreeSet<&String> = found.iter().collect();
    if set.len() != found.len() {
        failures.push(format!("{what}: a text is stored twice"));
    }
    let want_set: BTreeSet<&String> = want.iter().collect();
    let missing: Vec<_> = want_set.difference(&set).take(5).collect();
    let extra: Vec<_> = set.difference(&want_set).take(5).collect();
    if !missing.is_empty() {
        failures.push(format!("{what}: saved but not found: {missing:?}"));
    }
    if !extra.is_empty() {
        failures.push(format!("{what}: found but never confirmed: {extra:?}"));
    }
    found.len()
}

fn check(
    db: &Path,
    o: &Options,
    done: &[Done],
    cli: &cli::CliCounts,
    pairs: &[Arc<Pair>],
    before: &BTreeMap<&'static str, i64>,
    elapsed: Duration,
) -> Report {
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let conn = rusqlite::Connection::open(db).unwrap();
    lines.push(format!(
        "{} UI sessions and one command-line loop on one file for {:.0} s",
        o.sessions,
        elapsed.as_secs_f64()
    ));

    for (s, d) in done.iter().enumerate() {
        let q = |col: &str, table: &str, kind: char| {
            format!("SELECT {col} FROM {table} WHERE {col} LIKE 'LOAD-s{s}-{kind}%'")
        };
        let t = same(
            &format!("session {s} talks"),
            &d.talks,
            texts(&conn, &q("summary", "talks", 't')),
            &mut failures,
        );
        let v = same(
            &format!("session {s} visits"),
            &d.visits,
            texts(&conn, &q("notes", "visits", 'v')),
            &mut failures,
        );
        let f = same(
            &format!("session {s} fund incomes"),
            &d.incomes,
            texts(&conn, &q("note", "fund_entries", 'f')),
            &mut failures,
        );
        lines.push(format!(
            "session {s}: saved {} talks, {} visits, {} incomes (found {t}, {v}, {f}); edit races won {}, refused with the conflict message {}; {} screens scanned; exit {}",
            d.talks.len(),
            d.visits.len(),
            d.incomes.len(),
            d.races_won,
            d.races_lost,
            d.screens,
            d.exit
        ));
        for e in &d.errors {
            failures.push(format!("session {s}: {e}"));
        }
        for (what, screen) in d.busy.iter().take(3) {
            failures.push(format!(
                "session {s}: {what:?} on screen:\n{}",
                crate::pty::framed(screen)
            ));
        }
        if d.exit != 0 {
            failures.push(format!("session {s}: exit status {}", d.exit));
        }
    }

    let ct = same(
        "imported talks",
        &cli.talks,
        texts(
            &conn,
            "SELECT summary FROM talks WHERE summary LIKE 'LOAD-cli-%'",
        ),
        &mut failures,
    );
    let cv = same(
        "imported visits",
        &cli.visits,
        texts(
            &conn,
            "SELECT notes FROM visits WHERE notes LIKE 'LOAD-cli-%'",
        ),
        &mut failures,
    );
    lines.push(format!(
        "command line: {} commands; {} imports ({} talks, {} visits found of {} and {}); {} overdue queries; {} fund verify",
        cli.commands,
        cli.imports,
        ct,
        cv,
        cli.talks.len(),
        cli.visits.len(),
        cli.overdue,
        cli.verify
    ));
    for (cmd, code, err) in cli.failures.iter().take(5) {
        failures.push(format!("`guanhuai {cmd}` exited {code}: {err}"));
    }
    for err in cli.busy.iter().take(3) {
        failures.push(format!("a busy error on stderr: {err}"));
    }

    for (p, pair) in pairs.iter().enumerate() {
        let winners = pair.winners.lock().unwrap();
        let bad = pair.bad_rounds.lock().unwrap();
        failures.extend(bad.iter().cloned());
        let stored: Option<(String, i64)> = conn
            .query_row(
                "SELECT t.summary, t.version FROM talks t JOIN members m ON m.id = t.member_id WHERE m.code = ?1",
                [race_code(p)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let last = winners
            .last()
            .cloned()
            .unwrap_or_else(|| format!("LOAD-conflict-{p}"));
        match &stored {
            Some((summary, version)) => {
                if *summary != last {
                    failures.push(format!(
                        "pair {p}: the talk says {summary:?}, the last saved edit was {last:?}"
                    ));
                }
                if *version != winners.len() as i64 + 1 {
                    failures.push(format!(
                        "pair {p}: version {version} after {} saved edits",
                        winners.len()
                    ));
                }
            }
            None => failures.push(format!("pair {p}: the race talk is gone")),
        }
        lines.push(format!(
            "pair {p}: {} edit races, each one saved and one refused: {}; the talk holds the last saved edit",
            winners.len() + bad.len(),
            if bad.is_empty() { "yes" } else { "NO" }
        ));
    }

    let ui_writes: usize = done
        .iter()
        .map(|d| d.talks.len() + d.visits.len() + d.incomes.len() + d.races_won)
        .sum();
    let screens: u64 = done.iter().map(|d| d.screens).sum();
    let busy: usize = done.iter().map(|d| d.busy.len()).sum::<usize>() + cli.busy.len();
    lines.push(format!(
        "writes: {ui_writes} through the forms, {} rows by {} imports; busy errors (or fund alarms) seen: {busy} (in {screens} screens and {} stderr texts)",
        cli.talks.len() + cli.visits.len(),
        cli.imports,
        cli.commands
    ));
    let rows = |t: &str| count(&conn, &format!("SELECT count(*) FROM {t}")) - before[t];
    lines.push(format!(
        "rows added: talks {}, visits {}, fund entries {}, audit log {}",
        rows("talks"),
        rows("visits"),
        rows("fund_entries"),
        rows("audit_log")
    ));
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    if ok != "ok" {
        failures.push(format!("integrity_check: {ok}"));
    }
    drop(conn);
    let v = guanhuai(db, &["fund", "verify"]);
    let out = String::from_utf8_lossy(&v.stdout).trim().to_string();
    lines.push(format!(
        "guanhuai fund verify: exit {} — {out}{}",
        v.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&v.stderr).trim()
    ));
    if !v.status.success() {
        failures.push("guanhuai fund verify failed".into());
    }
    Report { lines, failures }
}
