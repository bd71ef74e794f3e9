//! Strict CSV reading (RFC 4180, as Excel and WPS write it), because a file
//! that is read wrongly loses data silently:
//!
//! - a quote that is never closed, or text after a closing quote, is an error
//!   naming the row where the cell began (a lenient reader swallows the rest
//!   of the file into one cell);
//! - the encoding is decided for the whole file: a BOM, else valid UTF-8, else
//!   GBK (read as GB18030, its superset); a file that is UTF-8 except for some
//!   rows (one row saved in GBK) is refused naming the first such row, instead
//!   of being decoded as GBK as a whole with every name garbled;
//! - rows are numbered as Excel numbers them: each record is one row (a quoted
//!   cell may hold line breaks), blank lines are rows too.
//!
//! Records are found on the raw bytes: `"`, `,`, tab, CR and LF never occur
//! inside a multi-byte character of UTF-8 or GBK/GB18030, so the structure is
//! read before any decoding, and each cell is decoded on its own.
//!
//! The file is streamed, never held whole in memory: a first pass checks the
//! structure and the encoding of every record, then the rows are read in a
//! second pass over the file. A file that changes between the two passes (saved
//! again from Excel while the import runs) is noticed at the end of the second
//! pass — its size, modification time and a digest of its bytes must be those
//! of the first — and refused, so an import never writes rows of two versions.

mod source;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use source::{Digesting, Raw, Source, Text, Utf16};

use super::Msg;
use super::formula;
use super::table::TableRow;

/// Bytes read from the file at a time.
const READ_BUF: usize = 256 * 1024;

/// A cell of the current record: its byte range in the record (quotes
/// removed; `quoted` cells have `""` to unescape).
#[derive(Clone, Copy)]
struct RawCell {
    start: usize,
    end: usize,
    quoted: bool,
}

/// The text encoding of a whole file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Gbk,
}

/// The byte order mark a file starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bom {
    None,
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Bom {
    fn len(self) -> usize {
        match self {
            Bom::None => 0,
            Bom::Utf8 => 3,
            Bom::Utf16Le | Bom::Utf16Be => 2,
        }
    }
}

/// Why a record could not be read.
enum RecordError {
    /// The structure is broken (a quote never closed …): the message says where.
    Bad(Msg),
    Io(io::Error),
}

impl From<io::Error> for RecordError {
    fn from(e: io::Error) -> Self {
        RecordError::Io(e)
    }
}

/// Where a record's reader is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a cell.
    CellStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: a second one is an escaped quote, else it closed the cell.
    QuoteSeen,
    /// The record ended with CR: one LF after it belongs to the same line break.
    AfterCr,
}

/// One pass over the records of the text: each record's raw bytes (without
/// its line break) and the ranges of its cells.
struct Records {
    input: BufReader<Text>,
    delimiter: u8,
    row: usize,
    record: Vec<u8>,
    cells: Vec<RawCell>,
}

impl Records {
    /// Reads the next record; false at the end of the text.
    fn next(&mut self) -> Result<bool, RecordError> {
        let Records {
            input,
            delimiter,
            row,
            record,
            cells,
        } = self;
        let d = *delimiter;
        record.clear();
        cells.clear();
        let this_row = *row + 1;
        let mut state = State::CellStart;
        let mut started = false;
        let mut cell_start = 0;
        loop {
            let buf = input.fill_buf()?;
            let n = buf.len();
            if n == 0 {
                if !started {
                    return Ok(false);
                }
                match state {
                    State::CellStart | State::Unquoted => cells.push(RawCell {
                        start: if state == State::CellStart {
                            record.len()
                        } else {
                            cell_start
                        },
                        end: record.len(),
                        quoted: false,
                    }),
                    State::Quoted => return Err(RecordError::Bad(unclosed_quote(this_row))),
                    State::QuoteSeen => cells.push(RawCell {
                        start: cell_start,
                        end: record.len() - 1,
                        quoted: true,
                    }),
                    State::AfterCr => {}
                }
                *row = this_row;
                return Ok(true);
            }
            started = true;
            let mut i = 0;
            while i < n {
                match state {
                    State::AfterCr => {
                        if buf[i] == b'\n' {
                            i += 1;
                        }
                        input.consume(i);
                        *row = this_row;
                        return Ok(true);
                    }
                    State::CellStart => {
                        if buf[i] == b'"' {
                            record.push(b'"');
                            i += 1;
                            state = State::Quoted;
                        } else {
                            state = State::Unquoted;
                        }
                        cell_start = record.len();
                    }
                    State::Unquoted => {
                        let rest = &buf[i..];
                        let Some(j) = rest
                            .iter()
                            .position(|&c| c == d || c == b'\n' || c == b'\r')
                        else {
                            record.extend_from_slice(rest);
                            i = n;
                            continue;
                        };
                        record.extend_from_slice(&rest[..j]);
                        i += j + 1;
                        cells.push(RawCell {
                            start: cell_start,
                            end: record.len(),
                            quoted: false,
                        });
                        match rest[j] {
                            b'\r' => state = State::AfterCr,
                            b'\n' => {
                                input.consume(i);
                                *row = this_row;
                                return Ok(true);
                            }
                            _ => {
                                record.push(d);
                                state = State::CellStart;
                            }
                        }
                    }
                    State::Quoted => {
                        let rest = &buf[i..];
                        match rest.iter().position(|&c| c == b'"') {
                            None => {
                                record.extend_from_slice(rest);
                                i = n;
                            }
                            Some(j) => {
                                // (a line break inside quotes belongs to the cell: one Excel row)
                                record.extend_from_slice(&rest[..=j]);
                                i += j + 1;
                                state = State::QuoteSeen;
                            }
                        }
                    }
                    State::QuoteSeen => {
                        let b = buf[i];
                        if b == b'"' {
                            record.push(b);
                            i += 1;
                            state = State::Quoted;
                            continue;
                        }
                        cells.push(RawCell {
                            start: cell_start,
                            end: record.len() - 1,
                            quoted: true,
                        });
                        i += 1;
                        if b == d {
                            record.push(d);
                            state = State::CellStart;
                        } else if b == b'\n' {
                            input.consume(i);
                            *row = this_row;
                            return Ok(true);
                        } else if b == b'\r' {
                            state = State::AfterCr;
                        } else {
                            let k = cells.len();
                            return Err(RecordError::Bad(Msg::new(
                                format!(
                                    "第 {this_row} 行第 {k} 个单元格：右引号后还有其他字符（引号不配对）"
                                ),
                                format!(
                                    "row {this_row}, cell {k}: text after a closing quote (unbalanced quotes)"
                                ),
                            )));
                        }
                    }
                }
            }
            input.consume(n);
        }
    }

    /// The bytes from the first cell's start to the last cell's end.
    fn raw(&self) -> &[u8] {
        match (self.cells.first(), self.cells.last()) {
            (Some(a), Some(b)) => &self.record[a.start..b.end],
            _ => &[],
        }
    }

    /// The digest and length of the raw bytes read so far.
    fn sum(&self) -> (u64, u64) {
        self.input.get_ref().digesting().sum()
    }
}

/// A CSV file whose structure and encoding have been checked; its rows are
/// read by [`CsvFile::next_into`].
pub struct CsvFile {
    source: Source,
    bom: Bom,
    encoding: Encoding,
    delimiter: u8,
    /// Digest and length of the bytes of the checking pass.
    checked: (u64, u64),
    /// The pass that hands out rows (opened on the first row asked for).
    rows: Option<Records>,
    done: bool,
    /// For a quoted cell with `""` in it.
    scratch: String,
}

impl CsvFile {
    /// A CSV file on disk, checked whole (structure and encoding) before any
    /// row is handed out; the file is read again for the rows.
    pub fn open(path: &Path) -> Result<CsvFile, Msg> {
        let io_err = |e: io::Error| io_message(path, &e);
        let file = File::open(path).map_err(io_err)?;
        let meta = file.metadata().map_err(io_err)?;
        let source = Source::File {
            file,
            len: meta.len(),
            modified: meta.modified().ok(),
        };
        CsvFile::check(source).map_err(|e| match e {
            RecordError::Bad(m) => m,
            RecordError::Io(e) => io_message(path, &e),
        })
    }

    /// CSV text in memory, checked whole before any row is handed out.
    pub fn new(bytes: Vec<u8>) -> Result<CsvFile, Msg> {
        CsvFile::check(Source::Bytes(bytes.into())).map_err(|e| match e {
            RecordError::Bad(m) => m,
            RecordError::Io(e) => Msg::new(format!("读取出错：{e}"), format!("read error: {e}")),
        })
    }

    fn check(source: Source) -> Result<CsvFile, RecordError> {
        let mut file = CsvFile {
            bom: Bom::None,
            source,
            encoding: Encoding::Utf8,
            delimiter: b',',
            checked: (0, 0),
            rows: None,
            done: false,
            scratch: String::new(),
        };
        file.bom = file.find_bom()?;
        file.delimiter = delimiter(&mut file.text()?)?;
        file.encoding = file.check_records()?;
        Ok(file)
    }

    /// A fresh reader of the raw bytes, from the start.
    fn raw(&self) -> io::Result<Digesting> {
        let raw = match &self.source {
            Source::File { file, .. } => {
                let mut f = file.try_clone()?;
                f.seek(SeekFrom::Start(0))?;
                Raw::File(f)
            }
            Source::Bytes(b) => Raw::Bytes(Cursor::new(b.clone())),
        };
        Ok(Digesting::new(raw))
    }

    fn find_bom(&self) -> io::Result<Bom> {
        let mut head = Vec::with_capacity(3);
        self.raw()?.take(3).read_to_end(&mut head)?;
        Ok(if head.starts_with(b"\xEF\xBB\xBF") {
            Bom::Utf8
        } else if head.starts_with(b"\xFF\xFE") {
            Bom::Utf16Le
        } else if head.starts_with(b"\xFE\xFF") {
            Bom::Utf16Be
        } else {
            Bom::None
        })
    }

    /// A fresh reader of the text, from the start (after the BOM).
    fn text(&self) -> io::Result<BufReader<Text>> {
        let mut raw = self.raw()?;
        let mut bom = [0u8; 3];
        raw.read_exact(&mut bom[..self.bom.len()])?;
        let text = match self.bom {
            Bom::Utf16Le | Bom::Utf16Be => {
                let enc = if self.bom == Bom::Utf16Le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                Text::Utf16(Box::new(Utf16::new(raw, enc)))
            }
            Bom::None | Bom::Utf8 => Text::Plain(raw),
        };
        Ok(BufReader::with_capacity(READ_BUF, text))
    }

    fn records(&self) -> io::Result<Records> {
        Ok(Records {
            input: self.text()?,
            delimiter: self.delimiter,
            row: 0,
            record: Vec::new(),
            cells: Vec::new(),
        })
    }

    /// One pass over every record: quotes, then the encoding of each row.
    fn check_records(&mut self) -> Result<Encoding, RecordError> {
        let mut records = self.records()?;
        let mut valid = true;
        // (count, first row) of rows that are UTF-8 with CJK text, and of rows
        // that are not UTF-8 at all.
        let mut utf8_rows = (0usize, 0usize);
        let mut other_rows = (0usize, 0usize);
        // The header row holds known words: when they are UTF-8 Chinese, the
        // file is UTF-8, whatever most of its rows are (rows of one or two
        // characters, such as a name, are too short to count as evidence).
        let mut header_utf8 = false;
        let mut first = true;
        let read = loop {
            let more = match records.next() {
                Ok(more) => more,
                Err(RecordError::Io(e)) if e.kind() == io::ErrorKind::InvalidData => {
                    break Err(RecordError::Bad(Msg::new(
                        "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本",
                        "the file starts with a UTF-16 BOM but is not valid UTF-16 text",
                    )));
                }
                Err(e) => break Err(e),
            };
            if !more {
                break Ok(());
            }
            let raw = records.raw();
            let header = std::mem::take(&mut first);
            if raw.is_ascii() {
                continue;
            }
            let row = records.row;
            let tally = |t: &mut (usize, usize)| {
                if t.0 == 0 {
                    t.1 = row;
                }
                t.0 += 1;
            };
            match std::str::from_utf8(raw) {
                Ok(s) if s.chars().filter(|&c| c >= '\u{800}').nth(1).is_some() => {
                    header_utf8 |= header;
                    tally(&mut utf8_rows)
                }
                Ok(_) => {}
                Err(_) => {
                    valid = false;
                    tally(&mut other_rows)
                }
            }
        };
        read?;
        self.checked = records.sum();
        if valid {
            return Ok(Encoding::Utf8);
        }
        if self.bom != Bom::None {
            return Err(RecordError::Bad(Msg::new(
                format!(
                    "第 {} 行不是有效的 UTF-8 文本，但文件以 UTF-8 标记开头：该行可能是用 GBK 保存的，请把整个文件另存为 UTF-8 后再导入",
                    other_rows.1
                ),
                format!(
                    "row {} is not valid UTF-8 although the file starts with a UTF-8 BOM (was it saved in GBK?); save the whole file as UTF-8 and import again",
                    other_rows.1
                ),
            )));
        }
        if utf8_rows.0 > 0 {
            return Err(RecordError::Bad(
                if header_utf8 || utf8_rows.0 >= other_rows.0 {
                    Msg::new(
                        format!(
                            "第 {} 行不是 UTF-8 编码，而文件其余部分是 UTF-8（共 {} 行编码不同，可能是用 GBK 保存的）：请把整个文件另存为同一种编码后再导入",
                            other_rows.1, other_rows.0
                        ),
                        format!(
                            "row {} is not UTF-8 while the rest of the file is ({} such rows, perhaps saved in GBK); save the whole file in one encoding and import again",
                            other_rows.1, other_rows.0
                        ),
                    )
                } else {
                    Msg::new(
                        format!(
                            "第 {} 行是 UTF-8 编码，而文件其余部分是 GBK（共 {} 行编码不同）：请把整个文件另存为同一种编码后再导入",
                            utf8_rows.1, utf8_rows.0
                        ),
                        format!(
                            "row {} is UTF-8 while the rest of the file is GBK ({} such rows); save the whole file in one encoding and import again",
                            utf8_rows.1, utf8_rows.0
                        ),
                    )
                },
            ));
        }
        // GBK: every row must decode.
        let mut records = self.records()?;
        while records.next()? {
            for c in &records.cells {
                let (_, bad) = encoding_rs::GB18030
                    .decode_without_bom_handling(&records.record[c.start..c.end]);
                if bad {
                    let row = records.row;
                    return Err(RecordError::Bad(Msg::new(
                        format!("第 {row} 行无法识别文字编码：文件既不是 UTF-8 也不是 GBK 文本"),
                        format!("row {row}: the file is neither UTF-8 nor GBK text"),
                    )));
                }
            }
        }
        Ok(Encoding::Gbk)
    }

    /// Reads the next non-blank row into `row` (its cells' buffers reused):
    /// `None` at the end of the file.
    pub fn next_into(&mut self, row: &mut TableRow) -> Option<Result<(), Msg>> {
        if self.done {
            return None;
        }
        let r = self.next_row(row);
        if !matches!(r, Ok(true)) {
            self.done = true;
            self.rows = None;
        }
        match r {
            Ok(true) => Some(Ok(())),
            Ok(false) => None,
            Err(m) => Some(Err(m)),
        }
    }

    fn next_row(&mut self, row: &mut TableRow) -> Result<bool, Msg> {
        if self.rows.is_none() {
            self.rows = Some(self.records().map_err(|e| self.read_error(&e))?);
        }
        let records = self.rows.as_mut().expect("opened above");
        loop {
            match records.next() {
                Ok(true) => {}
                Ok(false) => break,
                // The file was checked whole: it changed since.
                Err(RecordError::Bad(_)) => return Err(changed()),
                Err(RecordError::Io(e)) => return Err(self.read_error(&e)),
            }
            if records.cells.iter().all(|c| c.start == c.end) {
                continue; // a blank line: a row of Excel, but nothing in it
            }
            row.number = records.row;
            row.numbers.clear();
            row.cells.truncate(records.cells.len());
            while row.cells.len() < records.cells.len() {
                row.cells.push(String::new());
            }
            for (out, c) in row.cells.iter_mut().zip(&records.cells) {
                decode_into(
                    self.encoding,
                    &records.record[c.start..c.end],
                    c.quoted,
                    out,
                    &mut self.scratch,
                );
            }
            return Ok(true);
        }
        // The end: the same bytes as the checking pass, or the file changed.
        if records.sum() != self.checked || !self.unchanged_on_disk() {
            return Err(changed());
        }
        Ok(false)
    }

    /// Whether the file still has the size and modification time it had when opened.
    fn unchanged_on_disk(&self) -> bool {
        match &self.source {
            Source::File {
                file,
                len,
                modified,
            } => file
                .metadata()
                .is_ok_and(|m| m.len() == *len && m.modified().ok() == *modified),
            Source::Bytes(_) => true,
        }
    }

    fn read_error(&self, e: &io::Error) -> Msg {
        Msg::new(
            format!("读取文件出错：{e}；未写入任何数据"),
            format!("error reading the file: {e}; nothing was written"),
        )
    }
}

/// The message for a file that changed while it was imported.
fn changed() -> Msg {
    Msg::new(
        "文件在导入过程中被修改了（可能在 Excel 或 WPS 中又保存了一次）：未写入任何数据。请关闭编辑该文件的程序后重新导入",
        "the file changed while it was being imported (saved again from Excel or WPS?); nothing was written. Close the program editing it and import again",
    )
}

/// Decodes one cell into `out` (cleared first): `""` unescaped in a quoted
/// cell, the formula guard removed.
fn decode_into(enc: Encoding, raw: &[u8], quoted: bool, out: &mut String, scratch: &mut String) {
    out.clear();
    let text: std::borrow::Cow<'_, str> = match enc {
        // checked to be valid UTF-8 when the file was opened
        Encoding::Utf8 => String::from_utf8_lossy(raw),
        Encoding::Gbk => encoding_rs::GB18030.decode_without_bom_handling(raw).0,
    };
    let text: &str = if quoted && text.contains("\"\"") {
        scratch.clear();
        scratch.push_str(&text.replace("\"\"", "\""));
        scratch
    } else {
        &text
    };
    out.push_str(formula::unguard(text));
}

fn io_message(path: &Path, e: &io::Error) -> Msg {
    Msg::new(
        format!("无法读取文件 {}：{e}", path.display()),
        format!("cannot read {}: {e}", path.display()),
    )
}

fn unclosed_quote(row: usize) -> Msg {
    Msg::new(
        format!(
            "第 {row} 行：引号没有闭合，从这里到文件末尾都会被读成一个单元格；请检查该行的引号（\"）"
        ),
        format!(
            "row {row}: a quote (\") is never closed, so the rest of the file would be read as one cell; check the quotes on that row"
        ),
    )
}

/// Excel's "Unicode text" is tab-separated; a CSV has commas. Decided by the
/// first record, outside quotes (a quoted cell may hold tabs or line breaks).
fn delimiter(text: &mut impl BufRead) -> Result<u8, RecordError> {
    let (mut tabs, mut commas, mut quoted) = (0, 0, false);
    'read: loop {
        let buf = match text.fill_buf() {
            Ok(b) => b,
            // reported by the checking pass, with its message
            Err(e) if e.kind() == io::ErrorKind::InvalidData => break,
            Err(e) => return Err(e.into()),
        };
        if buf.is_empty() {
            break;
        }
        for &b in buf {
            match b {
                b'"' => quoted = !quoted,
                b'\n' | b'\r' if !quoted => break 'read,
                b'\t' if !quoted => tabs += 1,
                b',' if !quoted => commas += 1,
                _ => {}
            }
        }
        let n = buf.len();
        text.consume(n);
    }
    Ok(if tabs > 0 && commas == 0 { b'\t' } else { b',' })
}

#[cfg(test)]
mod tests;
