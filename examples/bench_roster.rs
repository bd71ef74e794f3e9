//! Generates one benchmark dataset for `scripts/compare.py`:
//!
//!     cargo run --release --example bench_roster -- N FILE
//!
//! N members with three years of history, from the demo generator scaled up,
//! with the same seed and day as `benches/guanhuai_bench.rs`, so both benchmarks
//! can share `bench-data/members-N.sqlite`. Written to `FILE.partial` and renamed
//! only when complete; an existing FILE is refused.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use guanhuai::cli::demo::{GenOptions, generate};

const TODAY: (i32, u32, u32) = (2026, 11, 28);
const SEED: u64 = 7;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(file)) = (
        args.first()
            .and_then(|a| a.replace([',', '_'], "").parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: bench_roster N FILE");
        return ExitCode::from(2);
    };
    if file.exists() {
        eprintln!("{} exists: not overwritten", file.display());
        return ExitCode::FAILURE;
    }
    let partial = file.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let mut p = partial.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let today = NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("a valid day");
    let start = Instant::now();
    let result = (|| -> Result<guanhuai::cli::demo::GenCounts, String> {
        let mut conn = guanhuai::db::open(&partial).map_err(|e| e.to_string())?;
        let counts = generate(
            &mut conn,
            GenOptions {
                members: n,
                years: 3,
                today,
                seed: SEED,
                progress_every: 100_000,
            },
        )
        .map_err(|e| e.to_string())?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
            .map_err(|e| e.to_string())?;
        Ok(counts)
    })();
    match result {
        Ok(c) => {
            if let Err(e) = std::fs::rename(&partial, &file) {
                eprintln!("cannot rename {}: {e}", partial.display());
                return ExitCode::FAILURE;
            }
            eprintln!(
                "generated {} in {:.1} s: {} members, {} talks, {} visits, {} events, {} cases, {} campaigns",
                file.display(),
                start.elapsed().as_secs_f64(),
                c.members,
                c.talks,
                c.visits,
                c.events,
                c.cases,
                c.campaigns
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generating {n} members failed: {e}");
            ExitCode::FAILURE
        }
    }
}
