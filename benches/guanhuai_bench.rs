//! Speed and memory benchmark (`cargo bench`). Not a test: it reports figures.
//!
//! Datasets are generated once into `bench-data/` (about 8 records per member over
//! three years, the demo generator scaled up) and reused. Sizes come from
//! `GUANHUAI_BENCH_SIZES` (default `100000`; `100000,1000000` for the large run).
//!
//! Measured, each in a fresh process so peak memory is the process's own:
//! - `guanhuai overdue --format csv` end to end (process start to exit), and its peak RSS;
//! - the same rules as hand-written SQL in the `sqlite3` shell (`benches/baseline.sql`),
//!   whose rows must equal ours;
//! - the Members screen: open + first page drawn, per search keystroke, per page-down, peak RSS;
//! - the Overview screen: open + first frame drawn;
//! - the list tabs 3 (困难台账), 5 (帮扶基金) and 7 (业绩考核): the first frame
//!   with rows after the tab key, line and page moves, End and Home, filters
//!   and searches, each in a child of its own with its peak RSS.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

const TODAY: &str = "2026-11-28";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        child(&args[pos + 1], Path::new(&args[pos + 2]));
        return;
    }
    let sizes: Vec<usize> = std::env::var("GUANHUAI_BENCH_SIZES")
        .unwrap_or_else(|_| "100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    for n in sizes {
        let db = dir.join(format!("members-{n}.sqlite"));
        if !db.exists() {
            generate(&db, n);
        }
        report(&db, n);
    }
}

fn generate(db: &Path, n: usize) {
    eprintln!("generating {n} members into {} …", db.display());
    let tmp = db.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    let start = Instant::now();
    let mut conn = guanhuai::db::open(&tmp).unwrap();
    let c = guanhuai::cli::demo::generate(
        &mut conn,
        guanhuai::cli::demo::GenOptions {
            members: n,
            years: 3,
            today: today(),
            seed: 7,
            progress_every: 100_000,
        },
    )
    .unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(conn);
    std::fs::rename(&tmp, db).unwrap();
    eprintln!(
        "generated in {:.1} s: {} members, {} talks, {} visits, {} events ({} records), {} cases, {} campaigns",
        start.elapsed().as_secs_f64(),
        c.members,
        c.talks,
        c.visits,
        c.events,
        c.talks + c.visits + c.events,
        c.cases,
        c.campaigns
    );
}

/// Runs a command to completion; returns (wall time, peak RSS in KiB, stdout).
fn run_measured(cmd: &mut Command) -> (Duration, i64, Vec<u8>) {
    let out_path = std::env::temp_dir().join(format!("guanhuai-bench-{}.out", std::process::id()));
    let out = std::fs::File::create(&out_path).unwrap();
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::from(out))
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}"
    );
    std::mem::forget(child);
    let stdout = std::fs::read(&out_path).unwrap();
    let _ = std::fs::remove_file(&out_path);
    (wall, usage.ru_maxrss, stdout)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(db: &Path, n: usize) {
    println!("== {n} members ({}) ==", db.display());
    // bring the dataset to the current schema, and the kept obligations
    // current (once, as the first start after an upgrade does), before
    // measuring anything
    {
        let conn = guanhuai::db::open(db).unwrap();
        let settings = guanhuai::db::settings::load(&conn).unwrap();
        if !guanhuai::db::obligations::kept::is_current(&conn, &settings).unwrap() {
            let t = Instant::now();
            guanhuai::db::obligations::kept::ensure(&conn, &settings).unwrap();
            println!(
                "kept obligations rebuilt once in {:.1} s",
                t.elapsed().as_secs_f64()
            );
        }
    }
    // `GUANHUAI_BENCH_ONLY=members` (or overview, hardship, visits, fund, assessments): that screen's section alone.
    if let Ok(only) = std::env::var("GUANHUAI_BENCH_ONLY") {
        screen_child(&only, db);
        return;
    }
    let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!("database file {:.0} MB", size as f64 / 1e6);
    let bin = env!("CARGO_BIN_EXE_guanhuai");
    let runs = if n >= 1_000_000 { 3 } else { 7 };

    // overdue, end to end
    let mut times = Vec::new();
    let mut rss = 0;
    let mut ours = Vec::new();
    for _ in 0..runs {
        let (t, r, out) = run_measured(
            Command::new(bin)
                .args([
                    "--db",
                    db.to_str().unwrap(),
                    "overdue",
                    "--as-of",
                    TODAY,
                    "--format",
                    "csv",
                ])
                .env("GUANHUAI_TODAY", TODAY),
        );
        times.push(t);
        rss = rss.max(r);
        ours = out;
    }
    let overdue = median(times);
    let rows = ours
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1);
    println!(
        "overdue --format csv: median {:.0} ms of {runs} runs, peak RSS {:.1} MB, {rows} rows",
        ms(overdue),
        rss as f64 / 1024.0
    );

    // the same rules in the sqlite3 shell
    let sql =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/baseline.sql"))
            .unwrap()
            .replace("'2026-11-28' AS d", &format!("'{TODAY}' AS d"));
    let sql_path = std::env::temp_dir().join("guanhuai-baseline.sql");
    std::fs::write(&sql_path, sql).unwrap();
    let mut times = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..runs.min(5) {
        let (t, _, out) = run_measured(
            Command::new("sqlite3")
                .arg(db)
                .stdin(std::fs::File::open(&sql_path).unwrap()),
        );
        times.push(t);
        theirs = out;
    }
    let baseline = median(times);
    println!(
        "sqlite3 baseline (benches/baseline.sql): median {:.0} ms; guanhuai/baseline = {:.2}",
        ms(baseline),
        overdue.as_secs_f64() / baseline.as_secs_f64()
    );
    let same = same_rows(&ours, &theirs);
    println!("rows equal to the baseline's: {same}");

    // the screens, in a child process each; each reports its own peak memory
    // (VmHWM after exec: a fork's accounting would include this process's pages)
    for what in ["members", "overview", "hardship", "fund", "assessments"] {
        screen_child(what, db);
    }
}

/// One screen's figures, measured in a child process of its own.
fn screen_child(what: &str, db: &Path) {
    let exe = std::env::current_exe().unwrap();
    let (_, _, out) = run_measured(
        Command::new(exe)
            .args(["--child", what, db.to_str().unwrap()])
            .env("GUANHUAI_TODAY", TODAY),
    );
    print!("{}", String::from_utf8_lossy(&out));
}

/// Compares our CSV with the sqlite3 shell's (which quotes every text field).
fn same_rows(ours: &[u8], theirs: &[u8]) -> bool {
    let read = |b: &[u8], header: bool| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(header)
            .from_reader(b)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let a = read(ours, true);
    let b = read(theirs, false);
    if a != b {
        let first = a.iter().zip(&b).position(|(x, y)| x != y);
        eprintln!(
            "differ: {} rows vs {}; first difference at row {:?}: {:?} vs {:?}",
            a.len(),
            b.len(),
            first,
            first.map(|i| &a[i]),
            first.map(|i| &b[i])
        );
    }
    a == b
}

fn child(what: &str, db: &Path) {
    match what {
        "members" => screens::members(db),
        "overview" => screens::overview(db),
        "hardship" | "visits" | "fund" | "assessments" => screens::list_tab(what, db),
        _ => panic!("unknown child {what}"),
    }
}

mod screens {
    use std::path::Path;
    use std::time::{Duration, Instant};

    use guanhuai::db;
    use guanhuai::ui::app::{App, Config};
    use guanhuai::ui::screens::members::MembersScreen;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use super::{ms, today};

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// A memory figure of this process from /proc/self/status, in MB (Linux).
    fn status_mb(field: &str) -> f64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .unwrap_or(0.0)
            / 1024.0
    }

    /// Resident memory now, in MB.
    fn rss_mb() -> f64 {
        status_mb("VmRSS:")
    }

    /// Peak resident memory of this process in MB.
    fn peak_mb() -> f64 {
        status_mb("VmHWM:")
    }

    /// Open + first members page drawn, search keystrokes, page-down.
    pub fn members(db_path: &Path) {
        let t = Instant::now();
        let conn = db::open(db_path).unwrap();
        let mut app = App::new(conn, Config::new(today())).unwrap();
        app.handle(key(KeyCode::Char('2')));
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| app.render(f)).unwrap();
        let open = t.elapsed();
        println!(
            "members: open + first page drawn {:.1} ms (peak RSS {:.1} MB)",
            ms(open),
            peak_mb()
        );

        let t = Instant::now();
        let conn = db::open(db_path).unwrap();
        app.screen_mut::<MembersScreen>().wait_index(&conn).unwrap();
        drop(conn);
        let (ix, kept) = app.screen::<MembersScreen>().search_bytes();
        println!(
            "members: search index {:.1} MB, results kept {:.1} MB",
            ix as f64 / 1e6,
            kept as f64 / 1e6
        );
        println!(
            "members: search index ready {:.0} ms later (built on a worker thread); RSS {:.1} MB, peak so far {:.1} MB",
            ms(t.elapsed()),
            rss_mb(),
            peak_mb()
        );

        let mut worst = Duration::ZERO;
        let mut total = Duration::ZERO;
        let mut keys = 0;
        app.handle(key(KeyCode::Char('/')));
        for q in ["zhang", "zs", "wxy", "13", "李", "cq", "5678", "lv"] {
            for c in q
                .chars()
                .map(KeyCode::Char)
                .chain(q.chars().map(|_| KeyCode::Backspace))
            {
                let t = Instant::now();
                app.handle(key(c));
                term.draw(|f| app.render(f)).unwrap();
                let d = t.elapsed();
                // `GUANHUAI_BENCH_WAIT=1`: let every search finish before the next key.
                if std::env::var_os("GUANHUAI_BENCH_WAIT").is_some() {
                    app.wait_ready();
                }
                if std::env::var_os("GUANHUAI_BENCH_KEYS").is_some() {
                    println!("  key {c:?}: {:.2} ms", ms(d));
                }
                worst = worst.max(d);
                total += d;
                keys += 1;
            }
        }
        println!(
            "members: search keystroke (incl. redraw) mean {:.2} ms, worst {:.2} ms over {keys} keys",
            ms(total) / keys as f64,
            ms(worst)
        );
        app.handle(key(KeyCode::Esc));

        let mut worst = Duration::ZERO;
        let t0 = Instant::now();
        let pages = 300;
        for _ in 0..pages {
            let t = Instant::now();
            app.handle(key(KeyCode::PageDown));
            term.draw(|f| app.render(f)).unwrap();
            worst = worst.max(t.elapsed());
        }
        println!(
            "members: page-down (incl. redraw) mean {:.3} ms, worst {:.3} ms over {pages}",
            ms(t0.elapsed()) / pages as f64,
            ms(worst)
        );
        println!("members: peak RSS (VmHWM) {:.1} MB", peak_mb());
    }

    /// CPU time (user + system) this process has used so far.
    fn cpu() -> Duration {
        // SAFETY: a zeroed rusage is a valid value for getrusage to fill.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: RUSAGE_SELF with a valid pointer.
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        tv(u.ru_utime) + tv(u.ru_stime)
    }

    /// Open + the Overview's first frame with its lists, the CPU used until
    /// the program would wait for a key, paging, and peak memory.
    pub fn overview(db_path: &Path) {
        let t = Instant::now();
        let conn = db::open(db_path).unwrap();
        let mut app = App::new(conn, Config::new(today())).unwrap();
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| app.render(f)).unwrap();
        println!(
            "overview: open + first frame drawn {:.1} ms (lists {})",
            ms(t.elapsed()),
            if app.busy() {
                "still computing"
            } else {
                "in it"
            }
        );
        app.wait_ready();
        term.draw(|f| app.render(f)).unwrap();
        println!(
            "overview: open + frame with the overdue and due-soon lists drawn {:.1} ms",
            ms(t.elapsed())
        );
        println!(
            "overview: CPU from start to idle {:.0} ms (user + system since exec)",
            ms(cpu())
        );
        let t = Instant::now();
        let pages = 100;
        for _ in 0..pages {
            app.handle(key(KeyCode::PageDown));
            term.draw(|f| app.render(f)).unwrap();
        }
        println!(
            "overview: page-down (incl. redraw) mean {:.3} ms",
            ms(t.elapsed()) / pages as f64
        );
        let t = Instant::now();
        app.handle(key(KeyCode::End));
        term.draw(|f| app.render(f)).unwrap();
        println!("overview: End (last page) {:.1} ms", ms(t.elapsed()));
        println!("overview: peak RSS (VmHWM) {:.1} MB", peak_mb());
    }

    /// One list tab: the tab key to its first frame with rows, then moves
    /// and filters, each key timed with its redraw.
    pub fn list_tab(what: &str, db_path: &Path) {
        let conn = db::open(db_path).unwrap();
        let mut app = App::new(conn, Config::new(today())).unwrap();
        app.wait_ready();
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| app.render(f)).unwrap();
        let mut timed = |app: &mut App, label: &str, keys: &[KeyCode], n: usize| {
            let mut worst = Duration::ZERO;
            let t0 = Instant::now();
            for _ in 0..n {
                let t = Instant::now();
                for &k in keys {
                    app.handle(key(k));
                }
                term.draw(|f| app.render(f)).unwrap();
                worst = worst.max(t.elapsed());
            }
            if n == 1 {
                println!("{what}: {label} {:.1} ms", ms(worst));
            } else {
                println!(
                    "{what}: {label} (incl. redraw) mean {:.2} ms, worst {:.2} ms over {n}",
                    ms(t0.elapsed()) / n as f64,
                    ms(worst)
                );
            }
        };
        let (tab, open): (char, &[KeyCode]) = match what {
            "hardship" => ('3', &[]),
            "visits" => ('4', &[]),
            "fund" => ('5', &[]),
            // honours → discipline → assessments
            _ => ('7', &[KeyCode::F(5), KeyCode::F(5)]),
        };
        let mut first = vec![KeyCode::Char(tab)];
        first.extend_from_slice(open);
        let t = Instant::now();
        timed(&mut app, "tab key to first frame with rows", &first, 1);
        if app.busy() {
            app.wait_ready();
            println!(
                "{what}: totals/checks from the worker ready {:.0} ms after the tab key",
                ms(t.elapsed())
            );
        }
        timed(&mut app, "Down", &[KeyCode::Down], 200);
        timed(&mut app, "PageDown", &[KeyCode::PageDown], 200);
        timed(&mut app, "PageUp", &[KeyCode::PageUp], 50);
        if what != "assessments" {
            timed(&mut app, "End", &[KeyCode::End], 1);
            timed(&mut app, "Up at the end", &[KeyCode::Up], 50);
            timed(&mut app, "Home", &[KeyCode::Home], 1);
        }
        let filters: &[(&str, &[KeyCode])] = match what {
            "hardship" => &[
                ("year filter (y)", &[KeyCode::Char('y')]),
                ("state filter (f)", &[KeyCode::Char('f')]),
                ("category filter (c)", &[KeyCode::Char('c')]),
                ("priority filter (p)", &[KeyCode::Char('p')]),
                ("clear filters (Esc)", &[KeyCode::Esc]),
            ],
            "fund" => &[
                ("period filter (t)", &[KeyCode::Char('t')]),
                ("period filter again (t)", &[KeyCode::Char('t')]),
                ("direction filter (d)", &[KeyCode::Char('d')]),
                ("category filter (c)", &[KeyCode::Char('c')]),
                ("clear filters (Esc)", &[KeyCode::Esc]),
            ],
            "visits" => &[],
            _ => &[("year (y)", &[KeyCode::Char('y')])],
        };
        for (label, keys) in filters {
            timed(&mut app, label, keys, 1);
            app.wait_ready();
        }
        if what != "assessments" {
            app.handle(key(KeyCode::Char('/')));
            let path = db_path.to_str().unwrap();
            let mut search = |app: &mut App, label: &str| {
                let mut worst = Duration::ZERO;
                let mut total = Duration::ZERO;
                let mut n = 0;
                for c in ["zhang", "wxy", "13"].iter().flat_map(|q| {
                    q.chars()
                        .map(KeyCode::Char)
                        .chain(q.chars().map(|_| KeyCode::Backspace))
                }) {
                    let t = Instant::now();
                    app.handle(key(c));
                    term.draw(|f| app.render(f)).unwrap();
                    let d = t.elapsed();
                    worst = worst.max(d);
                    total += d;
                    n += 1;
                }
                println!(
                    "{what}: search keystroke{label} (incl. redraw) mean {:.2} ms, worst {:.2} ms over {n} keys",
                    ms(total) / n as f64,
                    ms(worst)
                );
            };
            let t = Instant::now();
            search(&mut app, " (first search)");
            // Tabs 4 and 5 search a large roster through the shared index
            // (`ui::screens::pick`), built on a worker thread from the first key.
            if what != "hardship" {
                while !guanhuai::ui::screens::pick::ready_for(path) && t.elapsed().as_secs() < 60 {
                    std::thread::sleep(Duration::from_millis(20));
                    let _ = guanhuai::ui::screens::pick::candidates(app.conn(), "x", 1);
                }
                println!(
                    "{what}: member search index ready {:.0} ms after the first key; RSS peak so far {:.1} MB",
                    ms(t.elapsed()),
                    peak_mb()
                );
                search(&mut app, " (index ready)");
            }
        }
        println!("{what}: peak RSS (VmHWM) {:.1} MB", peak_mb());
    }
}
