//! The command-line side of the load: imports of known talks and visits, and
//! `overdue` and `fund verify` queries, in a loop on the same file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::session::forbidden_in;

/// Rows in each import file.
pub const ROWS: usize = 20;

#[derive(Debug, Default)]
pub struct CliCounts {
    pub imports: usize,
    /// Rows of the imports that exited 0: the summaries (talks) or notes (visits).
    pub talks: Vec<String>,
    pub visits: Vec<String>,
    pub overdue: usize,
    pub verify: usize,
    /// Runs that failed or said something forbidden: (command, status, stderr).
    pub failures: Vec<(String, i32, String)>,
    /// Stderr texts with a busy error.
    pub busy: Vec<String>,
    pub commands: usize,
}

fn run(db: &Path, args: &[&str], counts: &mut CliCounts) -> bool {
    let out = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("GUANHUAI_TODAY", crate::pty::TODAY)
        .output()
        .expect("run guanhuai");
    counts.commands += 1;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    if forbidden_in(&err).is_some() {
        counts.busy.push(err.clone());
    }
    if code != 0 {
        counts
            .failures
            .push((args.join(" "), code, err.chars().take(400).collect()));
        return false;
    }
    true
}

/// Imports and queries until `until`; `members` are (code, name) to write for.
pub fn cli_loop(db: &Path, dir: &Path, members: &[(String, String)], until: Instant) -> CliCounts {
    let mut c = CliCounts::default();
    let mut k = 0usize;
    while Instant::now() < until {
        let talks = k.is_multiple_of(2);
        let (file, rows) = import_file(dir, members, k, talks);
        let kind = if talks { "talks" } else { "visits" };
        if run(db, &["import", kind, file.to_str().unwrap()], &mut c) {
            c.imports += 1;
            if talks {
                c.talks.extend(rows);
            } else {
                c.visits.extend(rows);
            }
        }
        let _ = std::fs::remove_file(&file);
        if run(db, &["overdue", "--format", "csv"], &mut c) {
            c.overdue += 1;
        }
        if k % 4 == 3 && run(db, &["fund", "verify"], &mut c) {
            c.verify += 1;
        }
        k += 1;
    }
    c
}

/// Import file `k`: ROWS talks (or visits) with the texts LOAD-cli-K-J.
fn import_file(
    dir: &Path,
    members: &[(String, String)],
    k: usize,
    talks: bool,
) -> (PathBuf, Vec<String>) {
    let mut csv = if talks {
        String::from("编号,姓名,日期,形式,谈话人,内容摘要\n")
    } else {
        String::from("编号,姓名,日期,方式,走访人,情况\n")
    };
    let mut texts = Vec::new();
    for j in 0..ROWS {
        let (code, name) = &members[(k * ROWS + j) % members.len()];
        let text = format!("LOAD-cli-{k}-{j}");
        if talks {
            csv.push_str(&format!(
                "{code},{name},{},面对面,导入员,{text}\n",
                crate::pty::TODAY
            ));
        } else {
            csv.push_str(&format!(
                "{code},{name},{},家访,导入员,{text}\n",
                crate::pty::TODAY
            ));
        }
        texts.push(text);
    }
    let file = dir.join(format!("import-{k}.csv"));
    std::fs::write(&file, csv).expect("write an import file");
    (file, texts)
}
