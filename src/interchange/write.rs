//! Writing a table: CSV (RFC 4180, UTF-8 without a BOM, LF line ends, quotes
//! only where needed) or XLSX
//! (bold frozen header row, autofilter, column widths from the content, dates
//! as real date cells formatted `yyyy-mm-dd`, codes and ID numbers as text).
//!
//! The file is written beside the target and renamed into place, so a failed
//! export never leaves half a file under the clerk's file name.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Workbook};
use unicode_width::UnicodeWidthStr;

use super::{Format, Msg};
use crate::domain::dates;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A date (empty when `None`).
    Date(Option<NaiveDate>),
    Int(i64),
    /// An amount in fen, written in yuan with two decimals (`1234.56`).
    Money(i64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The cell as CSV text.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.map(dates::fmt).unwrap_or_default(),
            Cell::Int(i) => i.to_string(),
            Cell::Money(fen) => yuan(*fen),
        }
    }
}

/// Fen as yuan with two decimals, no grouping: `123456` → `1234.56`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Writes `rows` under `headers` to `path` (format by extension); returns the row count.
pub fn write_table(
    path: &Path,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<usize, Msg> {
    let format = Format::for_export(path)?;
    let tmp = temp_path(path);
    let result = match format {
        Format::Csv => write_csv(&tmp, headers, rows),
        Format::Xlsx => write_xlsx(&tmp, sheet_name, headers, rows),
    };
    let n = match result {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_error(path, &e)
    })?;
    Ok(n)
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_error(path: &Path, e: &dyn std::fmt::Display) -> Msg {
    Msg::new(
        format!("无法写入文件 {}：{e}", path.display()),
        format!("cannot write {}: {e}", path.display()),
    )
}

fn write_csv(
    path: &Path,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<usize, Msg> {
    let err = |e: &dyn std::fmt::Display| write_error(path, e);
    let file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| err(&e))?);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file);
    w.write_record(headers).map_err(|e| err(&e))?;
    let mut n = 0;
    for row in rows {
        w.write_record(row.iter().map(Cell::as_text))
            .map_err(|e| err(&e))?;
        n += 1;
    }
    let file = w.into_inner().map_err(|e| err(&e.error().to_string()))?;
    file.into_inner()
        .map_err(|e| err(&e.error().to_string()))?
        .sync_all()
        .map_err(|e| err(&e))?;
    Ok(n)
}

fn write_xlsx(
    path: &Path,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<usize, Msg> {
    let err = |e: &dyn std::fmt::Display| write_error(path, e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(|e| err(&e))?;
    let bold = XlsxFormat::new().set_bold();
    let date_fmt = XlsxFormat::new().set_num_format("yyyy-mm-dd");
    let money_fmt = XlsxFormat::new().set_num_format("0.00");
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| err(&e))?;
    }
    let mut n = 0usize;
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let w = match cell {
                Cell::Text(s) if s.is_empty() => 0,
                Cell::Text(s) => {
                    sheet.write_string(r, col, s).map_err(|e| err(&e))?;
                    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
                }
                Cell::Date(None) => 0,
                Cell::Date(Some(d)) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(|e| err(&e))?;
                    sheet
                        .write_date_with_format(r, col, dt, &date_fmt)
                        .map_err(|e| err(&e))?;
                    10
                }
                Cell::Int(i) => {
                    sheet.write_number(r, col, *i as f64).map_err(|e| err(&e))?;
                    i.to_string().len()
                }
                Cell::Money(fen) => {
                    sheet
                        .write_number_with_format(r, col, *fen as f64 / 100.0, &money_fmt)
                        .map_err(|e| err(&e))?;
                    yuan(*fen).len()
                }
            };
            if let Some(max) = widths.get_mut(c) {
                *max = (*max).max(w);
            }
        }
        n += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        // Excel widths are in characters of the default font; a CJK character is two.
        let width = (*w as f64 + 2.0).clamp(6.0, 50.0);
        sheet
            .set_column_width(c as u16, width)
            .map_err(|e| err(&e))?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| err(&e))?;
    if !headers.is_empty() {
        sheet
            .autofilter(0, 0, n as u32, headers.len() as u16 - 1)
            .map_err(|e| err(&e))?;
    }
    book.save(path).map_err(|e| err(&e))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_has_two_decimals() {
        assert_eq!(yuan(123456), "1234.56");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-100), "-1.00");
    }

    #[test]
    fn csv_has_bom_lf_and_minimal_quoting() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let rows = vec![vec![
            Cell::text("阿依古丽·买买提"),
            Cell::text("a,b"),
            Cell::Date(NaiveDate::from_ymd_opt(2024, 1, 25)),
        ]];
        write_table(&p, "t", &["姓名", "备注", "日期"], rows).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(
            bytes,
            "姓名,备注,日期\n阿依古丽·买买提,\"a,b\",2024-01-25\n".as_bytes()
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn other_extensions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_table(&dir.path().join("t.pdf"), "t", &["a"], vec![]).unwrap_err();
        assert!(err.en.contains(".csv or .xlsx"));
    }
}
