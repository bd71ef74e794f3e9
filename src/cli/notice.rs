//! `guanhuai notice hardship [--from DATE] [--to DATE] FILE.xlsx|FILE.txt`:
//! the public notice (公示) of hardship cases, ready to print.
//!
//! Without a period: the cases in 公示 now. With `--from` and/or `--to`: every
//! case whose notice window overlaps the period, whatever its state now (a
//! notice reprinted for the file). Only reads the database. The file is
//! written whole with the database's mode; an empty notice is still written
//! (it says no case is on notice) and the command says so.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::CliError;
use crate::domain::Lang;
use crate::interchange::hardship_notice::hardship_notice;
use crate::interchange::notice::{NoticeFormat, write_notice};

pub fn hardship(
    conn: &Connection,
    period: (Option<NaiveDate>, Option<NaiveDate>),
    file: &Path,
    mode: u32,
    lang: Lang,
) -> Result<(), CliError> {
    // A wrong extension is refused before any work.
    NoticeFormat::for_path(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let rows = crate::db::hardship::notice_rows(conn, period.0, period.1)
        .map_err(|e| CliError::from_db(e, lang))?;
    let notice = hardship_notice(&rows, period, crate::clock::today(), lang);
    write_notice(file, mode, &notice).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let n = rows.len();
    let shown = file.display();
    println!(
        "{}",
        match (lang, n) {
            (Lang::Zh, 0) => format!("没有需要公示的困难台账；已写入空公示 {shown}"),
            (Lang::En, 0) =>
                format!("no hardship case is on notice; wrote an empty notice to {shown}"),
            (Lang::Zh, n) => format!("已写入公示 {shown}：{n} 个困难台账"),
            (Lang::En, 1) => format!("wrote the notice of 1 hardship case to {shown}"),
            (Lang::En, n) => format!("wrote the notice of {n} hardship cases to {shown}"),
        }
    );
    Ok(())
}
