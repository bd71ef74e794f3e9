//! The load test (`scripts/load.sh [SECONDS]`, or `cargo bench --bench load --
//! [SECONDS] [--sessions N] [--db DEMO.sqlite]`): four clerks' UI sessions in
//! pseudo-terminals and a loop of command-line imports and queries on one
//! database file, 300 s unless told. Prints the figures and exits 1 when a
//! requirement failed: a busy error reached a clerk, a saved write is not in
//! the file, an edit overwrote another without the conflict message, or the
//! fund does not verify. See `run/mod.rs`.

#[allow(dead_code)]
#[path = "../../tests/common/pty.rs"]
mod pty;
mod run;

use std::time::Duration;

fn main() {
    let mut o = run::Options {
        duration: Duration::from_secs(300),
        sessions: 4,
        db: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            // what cargo bench passes
            "--bench" => {}
            "--sessions" => {
                o.sessions = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n: &usize| *n >= 2 && n.is_multiple_of(2))
                    .unwrap_or_else(|| usage("--sessions takes an even number ≥ 2"));
            }
            "--db" => {
                o.db = Some(
                    args.next()
                        .unwrap_or_else(|| usage("--db takes a file"))
                        .into(),
                )
            }
            s => match s.parse::<f64>() {
                Ok(secs) if secs > 0.0 => o.duration = Duration::from_secs_f64(secs),
                _ => usage(&format!("unknown argument {s:?}")),
            },
        }
    }
    println!(
        "load: {} UI sessions and the command line on one file for {:?} …",
        o.sessions, o.duration
    );
    let report = run::run(&o);
    for l in &report.lines {
        println!("{l}");
    }
    if report.failures.is_empty() {
        println!("load: every requirement held");
    } else {
        println!("load: {} requirement(s) failed:", report.failures.len());
        for f in &report.failures {
            println!("  - {f}");
        }
        std::process::exit(1);
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("load: {msg}\nusage: load [SECONDS] [--sessions N] [--db DEMO.sqlite]");
    std::process::exit(2);
}
