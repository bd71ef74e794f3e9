//! Writing a table: CSV (RFC 4180, UTF-8 without a BOM, LF line ends, quotes
//! only where needed) or XLSX
//! (bold frozen header row, autofilter, column widths from the content, dates
//! as real date cells formatted `yyyy-mm-dd`, codes and ID numbers as text).
//!
//! The file is written with [`crate::fsutil::NewFile`]: unnamed until complete,
//! with the database's mode, so a failed or killed export leaves nothing
//! behind, neither half a file under the clerk's name nor a hidden temp file.
//! CSV cells are guarded against formula injection ([`super::formula`]).

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::formula::guard;
use super::{Format, Msg};
use crate::domain::money::format_yuan;
use crate::domain::{Lang, dates};
use crate::fsutil::{NewFile, WriteError};

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
            Cell::Money(fen) => format_yuan(*fen),
        }
    }
}

/// Writes `rows` under `headers` to `path` (format by extension) with the
/// permission bits `mode` (those of the database: see [`crate::fsutil::mode_like`]);
/// returns the row count. The file appears under its name only when complete;
/// an existing file is replaced.
pub fn write_table(
    path: &Path,
    mode: u32,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<usize, Msg> {
    prepare_table(path, mode, sheet_name, headers, rows)?.commit()
}

/// A table written in full but not yet under its name: [`Written::commit`]
/// names it; dropped, it leaves nothing. For a caller that learns only after
/// the last row whether the rows were all read.
pub struct Written {
    file: NewFile,
    path: std::path::PathBuf,
    rows: usize,
}

impl Written {
    /// Gives the file its name (replacing an existing file); the row count.
    pub fn commit(self) -> Result<usize, Msg> {
        let Written { file, path, rows } = self;
        file.commit(true).map_err(|e| write_error(&path, e))?;
        Ok(rows)
    }
}

/// [`write_table`] up to the naming.
pub fn prepare_table(
    path: &Path,
    mode: u32,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<Written, Msg> {
    prepare_printable(path, mode, sheet_name, headers, rows, None)
}

/// How an XLSX table prints when it is a document as well as data (the
/// hardship ledger): A4 landscape, the header row repeated on every page,
/// fitted to the page width, a title in the page header and a line (the
/// signature line) in the page footer. The header stays in row 1, so the
/// file imports back as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Print {
    pub title: String,
    pub footer: String,
}

/// [`prepare_table`], set up to print as `print` says when it is given (XLSX only).
pub fn prepare_printable(
    path: &Path,
    mode: u32,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    print: Option<&Print>,
) -> Result<Written, Msg> {
    let format = Format::for_export(path)?;
    let mut out = NewFile::create(path, mode).map_err(|e| write_error(path, e))?;
    let n = match format {
        Format::Csv => write_csv(out.file(), headers, rows).map_err(|e| write_error(path, e))?,
        Format::Xlsx => {
            let (n, bytes) = crate::fsutil::catching(|| {
                xlsx_bytes(crate::fsutil::dir_of(path), sheet_name, headers, rows, print)
            })
            .map_err(|panic| {
                // The sheet's scratch writes panic on a failed write (the
                // room check below makes that a race with another writer).
                let full = ["StorageFull", "QuotaExceeded", "code: 28,"]
                    .iter()
                    .any(|k| panic.contains(k));
                if full {
                    write_error(path, std::io::ErrorKind::StorageFull.into())
                } else {
                    Msg::new(
                        format!("无法写入文件 {}：{panic}", path.display()),
                        format!("cannot write {}: {panic}", path.display()),
                    )
                }
            })?
            .map_err(|e| match e {
                XlsxError::IoError(e) => write_error(path, e),
                XlsxError::TempFileError(_, e) => write_error(path, e),
                // Rows are read one at a time: a sheet learns it is too long
                // only at its 1,048,577th row.
                XlsxError::RowColumnLimitError => Msg::new(
                    format!(
                        "无法写入 {}：超过 .xlsx 工作表的 1,048,576 行上限（含表头），请导出为 .csv（日志可用 --from/--to 分段导出）",
                        path.display()
                    ),
                    format!(
                        "cannot write {}: more rows than an .xlsx sheet holds (1,048,576 with the header); export to .csv instead (the log can also be exported in parts with --from/--to)",
                        path.display()
                    ),
                ),
                e => xlsx_error(path, &e),
            })?;
            out.file()
                .write_all(&bytes)
                .map_err(|e| write_error(path, e))?;
            n
        }
    };
    Ok(Written {
        file: out,
        path: path.to_path_buf(),
        rows: n,
    })
}

/// A failed write, said the way the clerk can act on it (磁盘已满 …).
fn write_error(path: &Path, e: std::io::Error) -> Msg {
    let e = WriteError::new(path, e);
    Msg::new(e.message(Lang::Zh), e.message(Lang::En))
}

fn xlsx_error(path: &Path, e: &XlsxError) -> Msg {
    Msg::new(
        format!("无法写入文件 {}：{e}", path.display()),
        format!("cannot write {}: {e}", path.display()),
    )
}

fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// CSV with every text guarded against formula injection (the header too).
fn write_csv(
    file: &mut std::fs::File,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> std::io::Result<usize> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(std::io::BufWriter::new(file));
    w.write_record(headers.iter().map(|h| guard(h).into_owned()))
        .map_err(csv_io)?;
    let mut n = 0;
    for row in rows {
        w.write_record(row.iter().map(|c| guard(&c.as_text()).into_owned()))
            .map_err(csv_io)?;
        n += 1;
    }
    let buf = w.into_inner().map_err(|e| e.into_error())?;
    buf.into_inner().map_err(|e| e.into_error())?;
    Ok(n)
}

/// The workbook in memory: the clerk's file is written from it in one go, so
/// a full disk is an error we report, never a message of the zip writer.
/// The sheet is written in constant-memory mode: each row goes to an unnamed
/// scratch file once the next one starts, its texts inline rather than in a
/// table of shared strings, so that the memory of an export does not grow
/// with the rows (1,000,000 members had taken 3.5 GB) and the file imports
/// back a row at a time whatever its size (the importer holds a shared-string
/// table whole, see `xlsx_read`). The scratch file lies in `dir`, the
/// export's own directory: it has room for the export, and a small /tmp
/// (or one in memory) is not filled.
fn xlsx_bytes(
    dir: &Path,
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    print: Option<&Print>,
) -> Result<(usize, Vec<u8>), XlsxError> {
    let mut book = Workbook::new();
    book.set_tempdir(dir)?;
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name)?;
    let bold = XlsxFormat::new().set_bold();
    let date_fmt = XlsxFormat::new().set_num_format("yyyy-mm-dd");
    let money_fmt = XlsxFormat::new().set_num_format("0.00");
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut room = Room::new(dir);
    let mut n = 0usize;
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        room.check(&row)?;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let w = match cell {
                Cell::Text(s) if s.is_empty() => 0,
                Cell::Text(s) => {
                    sheet.write_string(r, col, s)?;
                    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
                }
                Cell::Date(None) => 0,
                Cell::Date(Some(d)) => {
                    match excel_date(*d) {
                        Some(dt) => sheet.write_date_with_format(r, col, dt, &date_fmt)?,
                        // Excel has no dates before 1900: the date as text.
                        None => sheet.write_string(r, col, dates::fmt(*d))?,
                    };
                    10
                }
                Cell::Int(i) => {
                    sheet.write_number(r, col, *i as f64)?;
                    i.to_string().len()
                }
                Cell::Money(fen) => {
                    sheet.write_number_with_format(r, col, *fen as f64 / 100.0, &money_fmt)?;
                    format_yuan(*fen).len()
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
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        sheet.autofilter(0, 0, n as u32, headers.len() as u16 - 1)?;
    }
    if let Some(p) = print {
        sheet.set_paper_size(9);
        sheet.set_landscape();
        sheet.set_repeat_rows(0, 0)?;
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_margins(0.4, 0.4, 0.8, 0.8, 0.3, 0.3);
        // `&` starts a control code in a page header; a literal one is `&&`.
        sheet.set_header(format!("&C&\"-,Bold\"&14{}", p.title.replace('&', "&&")));
        sheet.set_footer(format!("&L{}&R&P / &N", p.footer.replace('&', "&&")));
    }
    Ok((n, book.save_to_buffer()?))
}

/// Keeps the sheet's scratch file from meeting a full disk, where its writer
/// would panic: the free space of its directory is looked at before the first
/// row and again after every [`Room::EVERY`] bytes or so of cells, and an
/// export is refused as a full disk while [`Room::KEEP`] are still free.
struct Room<'a> {
    dir: &'a Path,
    /// Bytes of cells (their text and the XML around it) since the last look.
    since: usize,
    looked: bool,
}

impl<'a> Room<'a> {
    /// A cell's XML takes at most a few times its text (`&` is `&amp;`):
    /// well below what is kept free between two looks.
    const EVERY: usize = 256 * 1024;
    const KEEP: u64 = 4 * 1024 * 1024;

    fn new(dir: &'a Path) -> Self {
        Room {
            dir,
            since: 0,
            looked: false,
        }
    }

    fn check(&mut self, row: &[Cell]) -> Result<(), XlsxError> {
        self.since += row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.len() + 48,
                _ => 48,
            })
            .sum::<usize>();
        if self.looked && self.since < Self::EVERY {
            return Ok(());
        }
        self.looked = true;
        self.since = 0;
        match crate::fsutil::free_bytes(self.dir) {
            Some(free) if free < Self::KEEP => {
                Err(XlsxError::IoError(std::io::ErrorKind::StorageFull.into()))
            }
            _ => Ok(()),
        }
    }
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_no_bom_lf_and_minimal_quoting() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let rows = vec![vec![
            Cell::text("阿依古丽·买买提"),
            Cell::text("a,b"),
            Cell::Date(NaiveDate::from_ymd_opt(2024, 1, 25)),
        ]];
        write_table(&p, 0o600, "t", &["姓名", "备注", "日期"], rows).unwrap();
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
        let err = write_table(&dir.path().join("t.pdf"), 0o600, "t", &["a"], vec![]).unwrap_err();
        assert!(err.en.contains(".csv or .xlsx"));
    }

    #[test]
    fn csv_cells_that_could_run_as_formulas_are_guarded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let rows = vec![vec![
            Cell::text("=HYPERLINK(\"http://x\")"),
            Cell::text("@SUM(1)"),
            Cell::Money(-150),
        ]];
        write_table(&p, 0o600, "t", &["a", "b", "c"], rows).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "a,b,c\n\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(1),-1.50\n"
        );
    }

    #[test]
    fn a_date_excel_cannot_hold_is_written_as_text_and_the_file_has_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.xlsx");
        let rows = vec![vec![
            Cell::Date(NaiveDate::from_ymd_opt(1899, 12, 31)),
            Cell::Date(NaiveDate::from_ymd_opt(2024, 1, 25)),
        ]];
        assert_eq!(write_table(&p, 0o640, "t", &["a", "b"], rows).unwrap(), 1);
        assert_eq!(crate::fsutil::mode_of(&p).unwrap(), 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_missing_directory_says_so_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no").join("t.csv");
        let err = write_table(&p, 0o600, "t", &["a"], vec![]).unwrap_err();
        assert!(err.zh.starts_with("目录不存在"), "{err:?}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
