//! The load test, short (issue 11): two clerks' UI sessions in
//! pseudo-terminals and the command line (imports, `overdue`, `fund verify`)
//! on one demo file for 10 seconds. No busy error reaches a clerk, every
//! saved write is in the file, each edit race ends with one save and one
//! conflict message, and the fund verifies. The five-minute run with four
//! sessions is `scripts/load.sh`.

mod common;
#[path = "../benches/load/run/mod.rs"]
mod run;

use common::pty;
use std::time::Duration;

#[test]
fn two_clerks_and_the_command_line_on_one_file() {
    let report = run::run(&run::Options {
        duration: Duration::from_secs(10),
        sessions: 2,
        db: None,
    });
    for l in &report.lines {
        println!("{l}");
    }
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
    // The run did work of every kind.
    let all = report.lines.join("\n");
    assert!(!all.contains("saved 0 talks"), "{all}");
    assert!(!all.contains(" 0 imports"), "{all}");
}
