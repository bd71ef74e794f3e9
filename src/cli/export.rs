//! `guanhuai export members|talks|visits|events|hardship|fund FILE.csv|FILE.xlsx`.
//!
//! Headers and labels in the chosen language (Chinese by default; `--lang en`
//! writes the English codes as headers and English labels — both import back).
//! Flags are 是/否 (Y/N), dates YYYY-MM-DD (real date cells in XLSX), ID numbers
//! masked unless `--full`. Members in pinyin order, records by date.

use std::path::Path;

use rusqlite::Connection;

use super::{CliError, ExportKind};
use crate::db;
use crate::domain::Lang;
use crate::interchange::columns::Column;
use crate::interchange::write::{Cell, write_table};
use crate::interchange::{Format, hardship, members, records};

pub fn run(
    conn: &Connection,
    what: ExportKind,
    file: &Path,
    full: bool,
    lang: Lang,
) -> Result<(), CliError> {
    // A wrong extension is refused before any work.
    Format::for_export(file).map_err(|m| CliError(m.pick(lang).to_string()))?;
    let db_err = |e| CliError::from_db(e, lang);
    let (sheet, columns, rows): (&str, &[Column], Vec<Vec<Cell>>) = match what {
        ExportKind::Members => (
            lang.pick("党员", "Members"),
            members::COLUMNS,
            db::members::all(conn)
                .map_err(db_err)?
                .iter()
                .map(|m| members::export_row(m, full, lang))
                .collect(),
        ),
        ExportKind::Talks => (
            lang.pick("谈心谈话", "Talks"),
            records::talk::COLUMNS,
            records::talk_rows(conn, lang).map_err(db_err)?,
        ),
        ExportKind::Visits => (
            lang.pick("走访慰问", "Visits"),
            records::visit::COLUMNS,
            records::visit_rows(conn, lang).map_err(db_err)?,
        ),
        ExportKind::Events => (
            lang.pick("情况", "Events"),
            records::event::COLUMNS,
            records::event_rows(conn, lang).map_err(db_err)?,
        ),
        ExportKind::Hardship => (
            lang.pick("困难党员台账", "Hardship"),
            hardship::COLUMNS,
            hardship::hardship_rows(conn, lang).map_err(db_err)?,
        ),
        ExportKind::Fund => (
            lang.pick("帮扶基金", "Fund"),
            hardship::FUND_COLUMNS,
            hardship::fund_rows(conn, lang).map_err(db_err)?,
        ),
    };
    let headers: Vec<&str> = columns.iter().map(|c| c.header(lang)).collect();
    let n = write_table(file, sheet, &headers, rows)
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
