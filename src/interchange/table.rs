//! Reading a table file into numbered rows of text cells.
//!
//! Rows are numbered as the clerk sees them in Excel: the first line (or sheet
//! row 1) is row 1, whatever it holds. Cells are returned as text; an XLSX date
//! cell becomes `YYYY-MM-DD`, a whole number loses its `.0`, so every later
//! check works on the same text whichever format the file came in.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader};

use super::{Format, Msg};

/// One row of a table: its row number (1-based, as in Excel) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub number: usize,
    pub cells: Vec<String>,
}

impl TableRow {
    /// True when every cell is blank (Excel leaves such rows after the data).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The rows of a CSV file or of the first sheet of a workbook, in order.
pub struct Table {
    inner: Inner,
    /// The size of the file in bytes (to decide whether to show progress).
    pub file_size: u64,
}

enum Inner {
    Csv {
        records: csv::StringRecordsIntoIter<Cursor<Vec<u8>>>,
        number: usize,
    },
    Sheet {
        range: Range<Data>,
        /// Sheet row number (0-based) of the range's first row.
        first_row: usize,
        next: usize,
    },
}

impl Table {
    /// Opens a CSV or XLSX file (decided by its extension).
    pub fn open(path: &Path) -> Result<Table, Msg> {
        let format = Format::for_import(path)?;
        let file_size = std::fs::metadata(path)
            .map_err(|e| io_error(path, &e))?
            .len();
        let inner = match format {
            Format::Csv => {
                let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
                csv_rows(decode(&bytes).map_err(|m| in_file(path, m))?)
            }
            Format::Xlsx => first_sheet(path)?,
        };
        Ok(Table { inner, file_size })
    }

    /// A table over CSV text already in memory (for tests and pasted data).
    pub fn from_csv_text(text: String) -> Table {
        Table {
            file_size: text.len() as u64,
            inner: csv_rows(text),
        }
    }
}

impl Iterator for Table {
    type Item = Result<TableRow, Msg>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Csv { records, number } => {
                let rec = records.next()?;
                *number += 1;
                Some(match rec {
                    Ok(r) => {
                        // The reader skips blank lines, which Excel counts as rows; a
                        // record's position is where the skipped run began.
                        if let Some(p) = r.position() {
                            let text = records.reader().get_ref().get_ref();
                            let mut at = (p.byte() as usize).min(text.len());
                            // the `\n` of the previous record's `\r\n` is not a blank line
                            if at > 0 && text[at - 1] == b'\r' && text.get(at) == Some(&b'\n') {
                                at += 1;
                            }
                            *number += blank_lines(&text[at..]);
                        }
                        Ok(TableRow {
                            number: *number,
                            cells: r.iter().map(str::to_string).collect(),
                        })
                    }
                    Err(e) => Err(Msg::new(
                        format!("第 {} 行附近无法读取：{e}", *number),
                        format!("cannot read the file near row {}: {e}", *number),
                    )),
                })
            }
            Inner::Sheet {
                range,
                first_row,
                next,
            } => {
                let (height, width) = range.get_size();
                if *next >= height {
                    return None;
                }
                let i = *next;
                *next += 1;
                let cells = (0..width)
                    .map(|j| range.get((i, j)).map(cell_text).unwrap_or_default())
                    .collect();
                Some(Ok(TableRow {
                    number: *first_row + i + 1,
                    cells,
                }))
            }
        }
    }
}

/// The number of line breaks (`\n`, `\r\n` or `\r`) at the start of `b`.
fn blank_lines(b: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => n += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => n += 1,
            b'\r' => {}
            _ => break,
        }
        i += 1;
    }
    n
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

/// Decodes CSV bytes: UTF-8 (BOM optional), UTF-16 with a BOM, else GBK (as
/// GB18030, its superset).
pub fn decode(bytes: &[u8]) -> Result<String, Msg> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| {
            Msg::new(
                "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8",
                "the file starts with a UTF-8 BOM but is not valid UTF-8",
            )
        });
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, bad) = enc.decode_without_bom_handling(rest);
            if !bad {
                return Ok(text.into_owned());
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if bad {
        return Err(Msg::new(
            "文件编码无法识别（应为 UTF-8 或 GBK）",
            "the file is neither UTF-8 nor GBK text",
        ));
    }
    Ok(text.into_owned())
}

fn csv_rows(text: String) -> Inner {
    // Excel's "Unicode text" is tab-separated; a CSV has commas.
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(text.into_bytes()))
        .into_records();
    Inner::Csv { records, number: 0 }
}

fn first_sheet(path: &Path) -> Result<Inner, Msg> {
    let bad = |e: &dyn std::fmt::Display| {
        Msg::new(
            format!("无法读取表格文件 {}：{e}", path.display()),
            format!("cannot read the workbook {}: {e}", path.display()),
        )
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| bad(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| bad(&e))?,
        None => Range::empty(),
    };
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    Ok(Inner::Sheet {
        range,
        first_row,
        next: 0,
    })
}

/// The text of one sheet cell.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(dt) => number_text(dt.as_f64()),
        // ISO dates from some writers: keep the date part of a date-time.
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) if date.len() == 10 => date.to_string(),
            _ => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// A number as a clerk typed it: whole numbers without `.0`.
fn number_text(f: f64) -> String {
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
    fn decodes_utf8_with_and_without_bom_and_gbk() {
        assert_eq!(decode("编号,姓名".as_bytes()).unwrap(), "编号,姓名");
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xE7\xBC\x96\xE5\x8F\xB7").unwrap(),
            "编号"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,姓名\n001,张三");
        assert_eq!(decode(&gbk).unwrap(), "编号,姓名\n001,张三");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "编号\t姓名".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), "编号\t姓名");
    }

    #[test]
    fn csv_rows_are_numbered_like_excel() {
        let t = Table::from_csv_text("\na,b\r\n1,\"x\ny\"\r\n\r\n2,3\n\n\n4,5\n".into());
        let rows: Vec<_> = t.map(Result::unwrap).collect();
        assert_eq!(rows[0].cells, ["a", "b"]);
        assert_eq!(rows[0].number, 2);
        assert_eq!(rows[1].number, 3);
        assert_eq!(rows[1].cells[1], "x\ny");
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 5, 8]);
        assert_eq!(rows[3].cells, ["4", "5"]);
    }

    #[test]
    fn tab_separated_text_is_read() {
        let t = Table::from_csv_text("编号\t姓名\n001\t张三\n".into());
        let rows: Vec<_> = t.map(Result::unwrap).collect();
        assert_eq!(rows[1].cells, ["001", "张三"]);
    }

    #[test]
    fn numbers_lose_their_point_zero() {
        assert_eq!(cell_text(&Data::Float(13812345678.0)), "13812345678");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Int(2025)), "2025");
    }
}
