//! `guanhuai export members|talks|visits|events|hardship|fund|log|survey FILE.csv|FILE.xlsx`
//! (`--from DATE` / `--to DATE` pick the log's days, `--round NAME` the survey's round).
//!
//! Headers and labels in the chosen language (Chinese by default; `--lang en`
//! writes the English codes as headers and English labels — both import back).
//! Flags are 是/否 (Y/N), dates YYYY-MM-DD (real date cells in XLSX), ID numbers
//! masked unless `--full`. Members in pinyin order, records by date. Rows are
//! streamed from the database to the file, which has the database's mode
//! (0600, or 0660 in a shared directory) and appears only when complete.
//! The hardship ledger's XLSX is ready to print (A4 landscape, header row
//! repeated, fitted to the width, title in the page header, the signature
//! line in the page footer).

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{CliError, ExportKind};
use crate::db::audit::LogFilter;
use crate::domain::Lang;
use crate::interchange::write::{Print, prepare_printable};
use crate::interchange::{Format, fund, hardship, log, members, records, survey};

pub fn run(
    conn: &Connection,
    what: ExportKind,
    file: &Path,
    full: bool,
    (from, to, round): (Option<NaiveDate>, Option<NaiveDate>, Option<&str>),
    mode: u32,
    lang: Lang,
) -> Result<(), CliError> {
    // A wrong extension is refused before any work.
    Format::for_export(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    // --from, --to and --round were checked as usage (`check_usage`).
    let query = match what {
        ExportKind::Survey => survey::survey_export(survey_round(conn, round, lang)?, lang),
        ExportKind::Members => members::export_query(full, lang),
        ExportKind::Talks => records::talk_export(lang),
        ExportKind::Visits => records::visit_export(lang),
        ExportKind::Events => records::event_export(lang),
        ExportKind::Hardship => hardship::hardship_export(lang),
        ExportKind::Fund => fund::fund_export(lang),
        ExportKind::Log => log::log_export(
            LogFilter {
                from,
                to,
                ..LogFilter::default()
            },
            full,
            lang,
        ),
    };
    let headers = query.headers(lang);
    // The ledger is a document too: printed, it carries its title and the signature line.
    let print = (what == ExportKind::Hardship).then(|| Print {
        title: lang.pick("困难党员台账", "Hardship ledger").to_string(),
        footer: lang
            .pick(
                "经办人：          审核人：          日期：",
                "Prepared by:          Checked by:          Date:",
            )
            .to_string(),
    });
    // The file is named only once every row was read: a read error midway
    // leaves nothing, not a short file that looks complete.
    let written = query
        .with_rows(conn, |rows| {
            prepare_printable(
                file,
                mode,
                query.sheet(lang),
                &headers,
                rows,
                print.as_ref(),
            )
        })
        .map_err(|e| CliError::from_db(e, lang))?
        .map_err(|m| CliError(m.pick(lang).to_string()))?;
    let n = written
        .commit()
        .map_err(|m| CliError(m.pick(lang).to_string()))?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("已导出 {n} 行到 {}", file.display()),
            Lang::En => format!("exported {n} rows to {}", file.display()),
        }
    );
    Ok(())
}

/// The id of the survey round named `name`; without a name, or with one
/// that is not a round, the error lists the rounds there are.
fn survey_round(conn: &Connection, name: Option<&str>, lang: Lang) -> Result<i64, CliError> {
    let db_err = |e: crate::db::DbError| CliError::from_db(e, lang);
    if let Some(n) = name
        && let Some(r) = crate::db::survey::round_by_name(conn, n).map_err(db_err)?
    {
        return Ok(r.id);
    }
    let names: Vec<String> = crate::db::survey::rounds(conn)
        .map_err(db_err)?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let list = if names.is_empty() {
        lang.pick("（还没有调查）", "(none yet)").to_string()
    } else {
        names.join(lang.pick("、", ", "))
    };
    Err(CliError(match (name, lang) {
        (None, Lang::Zh) => format!("请用 --round 指定调查名称；现有调查：{list}"),
        (None, Lang::En) => format!("name the round with --round; the rounds: {list}"),
        (Some(n), Lang::Zh) => format!("没有名为“{n}”的调查；现有调查：{list}"),
        (Some(n), Lang::En) => format!("no survey round named “{n}”; the rounds: {list}"),
    }))
}
