//! Reading a table file into numbered rows of text cells.
//!
//! Rows are numbered as the clerk sees them in Excel: the first line (or sheet
//! row 1) is row 1, whatever it holds. Cells are returned as text; an XLSX date
//! cell becomes `YYYY-MM-DD`, a whole number loses its `.0`, so every later
//! check works on the same text whichever format the file came in.

use std::path::Path;
use std::sync::mpsc::Receiver;

use super::csv_read::CsvFile;
use super::{Format, Msg, xlsx_read};

/// One row of a table: its row number (1-based, as in Excel) and its cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableRow {
    pub number: usize,
    pub cells: Vec<String>,
    /// The cells that a workbook held as numbers (not text): a 身份证号 kept
    /// as a number has lost its last digits.
    pub numbers: Vec<usize>,
}

impl TableRow {
    /// True when every cell is blank (Excel leaves such rows after the data).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The rows of a CSV file or of the one sheet of a workbook that holds data,
/// in order; blank rows are left out (their numbers are skipped).
pub struct Table {
    inner: Inner,
    /// The size of the file in bytes (to decide whether to show progress).
    pub file_size: u64,
}

enum Inner {
    Csv(Box<CsvFile>),
    Sheet(Receiver<Result<TableRow, Msg>>),
}

impl Table {
    /// Opens a CSV or XLSX file (decided by its extension). A CSV file is
    /// checked whole (quotes, encoding) before any row is handed out, then
    /// read again for the rows (never held in memory whole).
    pub fn open(path: &Path) -> Result<Table, Msg> {
        let format = Format::for_import(path)?;
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
        if meta.is_dir() {
            return Err(Msg::new(
                format!("{} 是一个目录，不是文件", path.display()),
                format!("{} is a directory, not a file", path.display()),
            ));
        }
        let inner = match format {
            Format::Csv => Inner::Csv(Box::new(CsvFile::open(path).map_err(|m| in_file(path, m))?)),
            Format::Xlsx => Inner::Sheet(xlsx_read::rows(path)?),
        };
        Ok(Table {
            inner,
            file_size: meta.len(),
        })
    }

    /// A table over CSV text already in memory (for tests and pasted data).
    pub fn from_csv_bytes(bytes: Vec<u8>) -> Result<Table, Msg> {
        Ok(Table {
            file_size: bytes.len() as u64,
            inner: Inner::Csv(Box::new(CsvFile::new(bytes)?)),
        })
    }
}

impl Table {
    /// Reads the next row into `row`, reusing its buffers: `None` at the end.
    pub fn next_into(&mut self, row: &mut TableRow) -> Option<Result<(), Msg>> {
        match &mut self.inner {
            Inner::Csv(file) => file.next_into(row),
            Inner::Sheet(rows) => Some(rows.recv().ok()?.map(|r| *row = r)),
        }
    }
}

impl Iterator for Table {
    type Item = Result<TableRow, Msg>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = TableRow::default();
        Some(self.next_into(&mut row)?.map(|()| row))
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> Msg {
    Msg::new(
        format!("无法读取文件 {}：{e}", path.display()),
        format!("cannot read {}: {e}", path.display()),
    )
}

fn in_file(path: &Path, m: Msg) -> Msg {
    Msg::new(
        format!("{}：{}", path.display(), m.zh),
        format!("{}: {}", path.display(), m.en),
    )
}

/// A number as a clerk typed it: whole numbers without `.0`.
pub fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_their_point_zero() {
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(2025.0), "2025");
    }
}
