//! `guanhuai notice hardship|fund [--from DATE] [--to DATE] FILE.xlsx|FILE.txt`:
//! the public notices (公示) of hardship cases and of the help fund's
//! payments to people, ready to print.
//!
//! Hardship://!
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

/// `guanhuai notice fund [--from DATE] [--to DATE] FILE`: the payments to
/// people in the period (救助公示). Without dates: this month up to today;
/// `--to` alone: its month up to that day; `--from` alone: up to today
/// ([`crate::interchange::fund_notice::period`]).
pub fn fund(
    conn: &Connection,
    asked: (Option<NaiveDate>, Option<NaiveDate>),
    file: &Path,
    mode: u32,
    lang: Lang,
) -> Result<(), CliError> {
    NoticeFormat::for_path(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let today = crate::clock::today();
    let (from, to) = crate::interchange::fund_notice::period(asked.0, asked.1, today);
    if to < from {
        return Err(CliError(match lang {
            Lang::Zh => format!("--from {from} 晚于 {to}（未给 --to 时截至今天）"),
            Lang::En => format!("--from {from} is after {to} (without --to the period ends today)"),
        }));
    }
    let rows = crate::db::fund::notice_payments(conn, Some(from), Some(to))
        .map_err(|e| CliError::from_db(e, lang))?;
    let notice =
        crate::interchange::fund_notice::fund_notice(&rows, (Some(from), Some(to)), today, lang);
    write_notice(file, mode, &notice).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let total: i64 = rows.iter().map(|r| r.entry.amount_fen).sum();
    let shown = file.display();
    let money = crate::domain::money::format_money(total);
    println!(
        "{}",
        match (lang, rows.len()) {
            (Lang::Zh, 0) => format!("{from} 至 {to} 没有付给个人的款项；已写入空公示 {shown}"),
            (Lang::En, 0) => format!(
                "no payment to a person from {from} to {to}; wrote an empty notice to {shown}"
            ),
            (Lang::Zh, n) => format!("已写入救助公示 {shown}：{from} 至 {to}，{n} 笔，共 {money}"),
            (Lang::En, n) => format!(
                "wrote the fund notice of {n} payments ({money}, {from} to {to}) to {shown}"
            ),
        }
    );
    Ok(())
}
