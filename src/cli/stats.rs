//! `guanhuai stats [--as-of DATE] [--format table|json] [--xlsx FILE]`: the
//! figures of the upward report (DOMAIN.md "Statistics") on a day, default
//! today. Only reads the database.
//!
//! table: the sections of [`Stats::sections`] with their labels in the chosen
//! language, labels padded and figures right-aligned by display width;
//! json: one object with the stable keys of [`Stats::to_json`] (money in fen);
//! `--xlsx FILE` writes the printable report (党员关怀帮扶工作统计, `.xlsx`, or
//! `.txt` as text) instead of printing, and says so on one line.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{CliError, StatsFormat};
use crate::domain::Lang;
use crate::domain::stats::Stats;
use crate::interchange::notice::{NoticeFormat, write_notice};
use crate::interchange::stats::stats_report;
use crate::textwidth as text;

pub fn run(
    conn: &Connection,
    as_of: Option<NaiveDate>,
    format: StatsFormat,
    xlsx: Option<(&Path, u32)>,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some((file, _)) = xlsx {
        NoticeFormat::for_path(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    }
    let as_of = as_of.unwrap_or_else(crate::clock::today);
    let settings = crate::db::settings::load(conn).map_err(|e| CliError::from_db(e, lang))?;
    let stats = crate::db::stats::compute(conn, as_of, &settings)
        .map_err(|e| CliError::from_db(e, lang))?;
    let written = match (xlsx, format) {
        (Some((file, mode)), _) => {
            let report = stats_report(&stats, crate::clock::today(), lang);
            write_notice(file, mode, &report).map_err(|m| CliError(m.pick(lang).to_string()))?;
            let shown = file.display();
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!("已写入统计报表 {shown}（截至 {as_of}）"),
                    Lang::En => format!("wrote the statistics as of {as_of} to {shown}"),
                }
            )
        }
        (None, StatsFormat::Json) => write_json(&stats, out),
        (None, StatsFormat::Table) => write_table(&stats, lang, out),
    };
    written
        .and_then(|()| out.flush())
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            }
        })
        .map_err(|e| CliError(format!("{}{e}", lang.pick("无法输出：", "cannot write: "))))
}

/// One object, pretty-printed (two-space indent), keys in a stable order.
pub fn write_json(stats: &Stats, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &stats.to_json()).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// The sections for people: a title line, then per section its heading and
/// its lines, labels padded and figures right-aligned to common widths.
pub fn write_table(stats: &Stats, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let sections = stats.sections(lang);
    let lw = sections
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| text::width(&l.label))
        .max()
        .unwrap_or(0);
    let vw = sections
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| text::width(&l.value))
        .max()
        .unwrap_or(0);
    let day = crate::domain::dates::fmt(stats.as_of);
    writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!("党员关怀帮扶工作统计（截至 {day}）"),
            Lang::En => format!("Party member care statistics as of {day}"),
        }
    )?;
    for s in &sections {
        writeln!(out)?;
        writeln!(out, "{}", s.title)?;
        for l in &s.lines {
            let value = crate::domain::safe_text::escape_controls(&l.value, false);
            writeln!(
                out,
                "  {}  {}",
                text::pad_right(&l.label, lw),
                text::pad_left(&value, vw)
            )?;
        }
    }
    Ok(())
}
