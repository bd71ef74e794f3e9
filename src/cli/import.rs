//! `guanhuai import members|talks|visits|events|hardship FILE`: all or nothing.
//!
//! Every bad row is reported on stderr (`第 N 行，列「身份证号」：…`), then the
//! command fails with exit status 1 and the database is unchanged. Progress goes
//! to stderr every 5,000 rows when stderr is a terminal or the file is large;
//! the summary line goes to stdout.

use std::io::IsTerminal;

use rusqlite::Connection;

use super::{CliError, ImportKind};
use crate::domain::Lang;
use crate::domain::safe_text::for_terminal;
use crate::interchange::columns::RowProblem;
use crate::interchange::hardship::HardshipImport;
use crate::interchange::import::{self, Failure, Outcome, RowImporter};
use crate::interchange::members::MemberImport;
use crate::interchange::records::{EventImport, Roster, TalkImport, VisitImport};
use crate::interchange::table::Table;

/// Progress is shown every this many rows.
const PROGRESS_EVERY: usize = 5_000;
/// A file this large (bytes) shows progress even when stderr is not a terminal.
const BIG_FILE: u64 = 1_000_000;

/// Imports the rows of `table` (opened by the caller, before the database).
pub fn run(
    conn: &mut Connection,
    what: ImportKind,
    table: Table,
    lang: Lang,
) -> Result<(), CliError> {
    let today = crate::clock::today();
    let every = if table.file_size > BIG_FILE || std::io::stderr().is_terminal() {
        PROGRESS_EVERY
    } else {
        0
    };
    let db_err = |e| CliError::from_db(e, lang);
    let mut imp: Box<dyn RowImporter> = match what {
        ImportKind::Members => Box::new(MemberImport::new(today)),
        ImportKind::Talks => Box::new(TalkImport::new(Roster::new(), today)),
        ImportKind::Visits => Box::new(VisitImport::new(Roster::new(), today)),
        ImportKind::Events => Box::new(EventImport::new(Roster::new(), today)),
        ImportKind::Hardship => Box::new(HardshipImport::new(Roster::new(), today)),
    };
    let mut progress = |n: usize| {
        eprintln!(
            "{}",
            lang_fmt(lang, &format!("已读 {n} 行…"), &format!("read {n} rows…"))
        );
    };
    // Each problem is printed as it is found: a file of a million bad rows
    // needs no memory for them.
    let mut problem = |p: RowProblem| eprintln!("{}", for_terminal(&p.message(lang)));
    match import::run_streaming(
        conn,
        table,
        imp.as_mut(),
        every,
        &mut progress,
        &mut problem,
    ) {
        Ok(out) => {
            println!("{}", summary(what, &out, lang));
            // The import's duplicate checks and page cache are done with:
            // freed before the rebuild below needs its own memory.
            drop(imp);
            let _ = conn.execute_batch("PRAGMA shrink_memory");
            crate::fsutil::return_freed_memory();
            // Many members written: the kept obligations are rebuilt now, in
            // a transaction of their own, so the next start and `overdue`
            // read them instead of running the rules (the rows are in already).
            // The import stands either way: should this fail (a full disk),
            // readers run the rules until a later start rebuilds the table.
            if let Err(e) = crate::db::settings::load(conn)
                .and_then(|s| crate::db::obligations::kept::ensure(conn, &s))
            {
                eprintln!(
                    "{}",
                    lang_fmt(
                        lang,
                        &format!(
                            "提示：应办事项索引未能更新（{}），下次打开时重建",
                            e.message(lang)
                        ),
                        &format!(
                            "note: the obligations index was not updated ({}); it is rebuilt on the next start",
                            e.message(lang)
                        ),
                    )
                );
            }
            Ok(())
        }
        Err(Failure::File(m)) => Err(CliError(m.pick(lang).to_string())),
        Err(Failure::Db(e)) => Err(db_err(e)),
        Err(Failure::Rows(all)) => {
            let mut rows: Vec<usize> = all.iter().map(|p| p.row).collect();
            rows.dedup();
            let n = all.len();
            all.into_iter().for_each(&mut problem);
            Err(refused(rows.len(), n, lang))
        }
        Err(Failure::Refused { rows, problems }) => Err(refused(rows, problems, lang)),
    }
}

/// The last line of a refused import.
fn refused(rows: usize, problems: usize, lang: Lang) -> CliError {
    CliError(lang_fmt(
        lang,
        &format!("导入失败：{rows} 行有错误（共 {problems} 处），未写入任何数据"),
        &format!(
            "import failed: {rows} {} ({problems} {}); nothing was written",
            if rows == 1 {
                "row has errors"
            } else {
                "rows have errors"
            },
            if problems == 1 { "problem" } else { "problems" },
        ),
    ))
}

fn lang_fmt(lang: Lang, zh: &str, en: &str) -> String {
    lang.pick(zh, en).to_string()
}

/// `导入 120 名党员（新增 100，更新 20）` and the like.
fn summary(what: ImportKind, o: &Outcome, lang: Lang) -> String {
    let (zh_unit, en_unit) = match what {
        ImportKind::Members => ("名党员", "members"),
        ImportKind::Talks => ("条谈话记录", "talks"),
        ImportKind::Visits => ("条走访记录", "visits"),
        ImportKind::Events => ("条情况记录", "events"),
        ImportKind::Hardship => ("个困难台账", "hardship cases"),
    };
    let mut zh = vec![format!("新增 {}", o.added)];
    let mut en = vec![format!("{} new", o.added)];
    if o.updated > 0 || matches!(what, ImportKind::Members | ImportKind::Hardship) {
        zh.push(format!("更新 {}", o.updated));
        en.push(format!("{} updated", o.updated));
    }
    if o.unchanged > 0 {
        if what == ImportKind::Members {
            zh.push(format!("未变 {}", o.unchanged));
            en.push(format!("{} unchanged", o.unchanged));
        } else {
            zh.push(format!("已有相同记录 {} 条，未重复导入", o.unchanged));
            en.push(format!("{} already recorded, skipped", o.unchanged));
        }
    }
    if o.masked > 0 {
        zh.push(format!(
            "其中 {} 行的身份证号或手机是遮蔽的，未导入：导出时加 --full 可保留",
            o.masked
        ));
        en.push(format!(
            "{} rows had a masked ID number or phone, not imported: export with --full to keep them",
            o.masked
        ));
    }
    match lang {
        Lang::Zh => format!("导入 {} {zh_unit}（{}）", o.rows, zh.join("，")),
        Lang::En => format!("imported {} {en_unit} ({})", o.rows, en.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let o = Outcome {
            rows: 120,
            added: 100,
            updated: 20,
            unchanged: 0,
            masked: 0,
        };
        assert_eq!(
            summary(ImportKind::Members, &o, Lang::Zh),
            "导入 120 名党员（新增 100，更新 20）"
        );
        assert_eq!(
            summary(ImportKind::Members, &o, Lang::En),
            "imported 120 members (100 new, 20 updated)"
        );
        let o = Outcome {
            rows: 5,
            added: 3,
            updated: 0,
            unchanged: 2,
            masked: 0,
        };
        assert_eq!(
            summary(ImportKind::Talks, &o, Lang::Zh),
            "导入 5 条谈话记录（新增 3，已有相同记录 2 条，未重复导入）"
        );
        let o = Outcome {
            rows: 3,
            added: 3,
            updated: 0,
            unchanged: 0,
            masked: 2,
        };
        assert_eq!(
            summary(ImportKind::Members, &o, Lang::Zh),
            "导入 3 名党员（新增 3，更新 0，其中 2 行的身份证号或手机是遮蔽的，未导入：导出时加 --full 可保留）"
        );
        // one of a thing is singular
        assert_eq!(
            refused(1, 1, Lang::En).0,
            "import failed: 1 row has errors (1 problem); nothing was written"
        );
        assert_eq!(
            refused(2, 3, Lang::En).0,
            "import failed: 2 rows have errors (3 problems); nothing was written"
        );
    }
}
