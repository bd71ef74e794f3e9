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

use super::Msg;
use super::formula;

/// One record: its row number and the byte ranges of its cells (quotes removed
/// later: `quoted` cells have `""` to unescape).
struct Record {
    row: usize,
    cells: Vec<RawCell>,
}

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

/// A CSV file read into memory, its structure and encoding checked.
pub struct CsvFile {
    bytes: Vec<u8>,
    encoding: Encoding,
    delimiter: u8,
    pos: usize,
    row: usize,
}

/// A row of decoded cells.
pub struct CsvRow {
    pub number: usize,
    pub cells: Vec<String>,
}

impl CsvFile {
    /// Checks the whole file (structure and encoding) before any row is handed out.
    pub fn new(bytes: Vec<u8>) -> Result<CsvFile, Msg> {
        let (bytes, bom) = strip_bom(bytes)?;
        let delimiter = delimiter(&bytes);
        let mut file = CsvFile {
            bytes,
            encoding: Encoding::Utf8,
            delimiter,
            pos: 0,
            row: 0,
        };
        file.encoding = file.check(bom)?;
        file.pos = 0;
        file.row = 0;
        Ok(file)
    }

    /// One pass over every record: quotes, then the encoding of each row.
    fn check(&mut self, bom: bool) -> Result<Encoding, Msg> {
        let valid = std::str::from_utf8(&self.bytes).is_ok();
        // (count, first row) of rows that are UTF-8 with CJK text, and of rows
        // that are not UTF-8 at all.
        let mut utf8_rows = (0usize, 0usize);
        let mut other_rows = (0usize, 0usize);
        while let Some(rec) = self.next_record()? {
            if valid {
                continue;
            }
            let (start, end) = match (rec.cells.first(), rec.cells.last()) {
                (Some(a), Some(b)) => (a.start, b.end),
                _ => continue,
            };
            let raw = &self.bytes[start..end];
            if raw.is_ascii() {
                continue;
            }
            let tally = |t: &mut (usize, usize)| {
                if t.0 == 0 {
                    t.1 = rec.row;
                }
                t.0 += 1;
            };
            match std::str::from_utf8(raw) {
                Ok(s) if s.chars().filter(|&c| c >= '\u{800}').count() >= 2 => {
                    tally(&mut utf8_rows)
                }
                Ok(_) => {}
                Err(_) => tally(&mut other_rows),
            }
        }
        if valid {
            return Ok(Encoding::Utf8);
        }
        if bom {
            return Err(Msg::new(
                format!(
                    "第 {} 行不是有效的 UTF-8 文本，但文件以 UTF-8 标记开头：该行可能是用 GBK 保存的，请把整个文件另存为 UTF-8 后再导入",
                    other_rows.1
                ),
                format!(
                    "row {} is not valid UTF-8 although the file starts with a UTF-8 BOM (was it saved in GBK?); save the whole file as UTF-8 and import again",
                    other_rows.1
                ),
            ));
        }
        if utf8_rows.0 > 0 {
            return Err(if utf8_rows.0 >= other_rows.0 {
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
            });
        }
        // GBK: every row must decode.
        self.pos = 0;
        self.row = 0;
        while let Some(rec) = self.next_record()? {
            for c in &rec.cells {
                let (_, bad) =
                    encoding_rs::GB18030.decode_without_bom_handling(&self.bytes[c.start..c.end]);
                if bad {
                    return Err(Msg::new(
                        format!(
                            "第 {} 行无法识别文字编码：文件既不是 UTF-8 也不是 GBK 文本",
                            rec.row
                        ),
                        format!("row {}: the file is neither UTF-8 nor GBK text", rec.row),
                    ));
                }
            }
        }
        Ok(Encoding::Gbk)
    }

    /// The next record's cell ranges, or a structural error naming its row.
    fn next_record(&mut self) -> Result<Option<Record>, Msg> {
        let b = &self.bytes;
        let n = b.len();
        if self.pos >= n {
            return Ok(None);
        }
        self.row += 1;
        let row = self.row;
        let mut cells = Vec::new();
        let mut i = self.pos;
        loop {
            // one cell, starting at i
            if i < n && b[i] == b'"' {
                let start = i + 1;
                let mut j = start;
                loop {
                    if j >= n {
                        return Err(unclosed_quote(row));
                    }
                    if b[j] == b'"' {
                        if j + 1 < n && b[j + 1] == b'"' {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    // (a line break inside quotes belongs to the cell: one Excel row)
                    j += 1;
                }
                cells.push(RawCell {
                    start,
                    end: j,
                    quoted: true,
                });
                i = j + 1;
                if i < n && b[i] != self.delimiter && b[i] != b'\n' && b[i] != b'\r' {
                    return Err(Msg::new(
                        format!(
                            "第 {row} 行第 {} 个单元格：右引号后还有其他字符（引号不配对）",
                            cells.len()
                        ),
                        format!(
                            "row {row}, cell {}: text after a closing quote (unbalanced quotes)",
                            cells.len()
                        ),
                    ));
                }
            } else {
                let start = i;
                while i < n && b[i] != self.delimiter && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                cells.push(RawCell {
                    start,
                    end: i,
                    quoted: false,
                });
            }
            if i < n && b[i] == self.delimiter {
                i += 1;
                continue;
            }
            // end of the record: a line break or the end of the file
            if i < n && b[i] == b'\r' {
                i += 1;
            }
            if i < n && b[i] == b'\n' {
                i += 1;
            }
            break;
        }
        self.pos = i;
        Ok(Some(Record { row, cells }))
    }

    fn decode(&self, c: RawCell) -> String {
        let raw = &self.bytes[c.start..c.end];
        let text = match self.encoding {
            // checked to be valid UTF-8 when the file was opened
            Encoding::Utf8 => String::from_utf8_lossy(raw).into_owned(),
            Encoding::Gbk => encoding_rs::GB18030
                .decode_without_bom_handling(raw)
                .0
                .into_owned(),
        };
        let text = if c.quoted {
            text.replace("\"\"", "\"")
        } else {
            text
        };
        formula::unguard(&text).to_string()
    }
}

impl Iterator for CsvFile {
    type Item = Result<CsvRow, Msg>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rec = match self.next_record() {
                Ok(Some(r)) => r,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if rec.cells.iter().all(|c| c.start == c.end) {
                continue; // a blank line: a row of Excel, but nothing in it
            }
            let cells = rec.cells.iter().map(|&c| self.decode(c)).collect();
            return Some(Ok(CsvRow {
                number: rec.row,
                cells,
            }));
        }
    }
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

/// Removes a UTF-8 BOM, or decodes UTF-16 with a BOM into UTF-8 bytes.
fn strip_bom(bytes: Vec<u8>) -> Result<(Vec<u8>, bool), Msg> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok((bytes[3..].to_vec(), true));
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, bad) = enc.decode_without_bom_handling(rest);
            if bad {
                return Err(Msg::new(
                    "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本",
                    "the file starts with a UTF-16 BOM but is not valid UTF-16 text",
                ));
            }
            return Ok((text.into_owned().into_bytes(), true));
        }
    }
    Ok((bytes, false))
}

/// Excel's "Unicode text" is tab-separated; a CSV has commas. Decided by the
/// first record, outside quotes (a quoted cell may hold tabs or line breaks).
fn delimiter(bytes: &[u8]) -> u8 {
    let (mut tabs, mut commas, mut quoted) = (0, 0, false);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b'\t' if !quoted => tabs += 1,
            b',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if tabs > 0 && commas == 0 { b'\t' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Msg> {
        CsvFile::new(text.to_vec())?
            .map(|r| r.map(|r| (r.number, r.cells)))
            .collect()
    }

    #[test]
    fn rows_are_numbered_like_excel() {
        let r = rows(b"\na,b\r\n1,\"x\ny\"\r\n\r\n2,3\n\n\n4,5\n").unwrap();
        let numbers: Vec<usize> = r.iter().map(|r| r.0).collect();
        assert_eq!(numbers, [2, 3, 5, 8]);
        assert_eq!(r[1].1, ["1", "x\ny"]);
        assert_eq!(r[3].1, ["4", "5"]);
    }

    #[test]
    fn quotes_are_strict() {
        let e = rows(b"a,b\n1,\"open\n2,3\n4,5\n").err().unwrap();
        assert!(e.zh.starts_with("第 2 行：引号没有闭合"), "{}", e.zh);
        let e = rows(b"a,b\n1,\"x\"y\n").err().unwrap();
        assert!(e.zh.contains("第 2 行第 2 个单元格"), "{}", e.zh);
        let r = rows(b"a,b\n\"say \"\"hi\"\"\",5\"3\n").unwrap();
        assert_eq!(r[1].1, ["say \"hi\"", "5\"3"]);
        assert_eq!(rows(b"a,\"\"\n").unwrap()[0].1, ["a", ""]);
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,姓名\n001,张三\n");
        assert_eq!(rows(&gbk).unwrap()[1].1, ["001", "张三"]);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("编号,姓名\n".as_bytes());
        assert_eq!(rows(&bom).unwrap()[0].1, ["编号", "姓名"]);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "编号\t姓名\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(rows(&utf16).unwrap()[0].1, ["编号", "姓名"]);
        // a UTF-8 file with one row saved in GBK
        let mut mixed = "编号,姓名\n001,张三丰\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("002,李四光\n").0);
        mixed.extend_from_slice("003,王五一\n".as_bytes());
        let e = rows(&mixed).err().unwrap();
        assert!(e.zh.starts_with("第 3 行不是 UTF-8 编码"), "{}", e.zh);
    }

    #[test]
    fn a_quoted_tab_does_not_make_a_comma_file_tab_separated() {
        // found by tests/fuzz.rs: the delimiter is judged outside quotes
        let r = rows(b"\"'\t\n\",b\n1,2\n").unwrap();
        assert_eq!(r[0].1, ["\t\n", "b"]);
        assert_eq!(rows(b"a\tb\n1\t2\n").unwrap()[1].1, ["1", "2"]);
    }

    #[test]
    fn formula_guard_is_removed() {
        assert_eq!(rows(b"'=1+1,'abc\n").unwrap()[0].1, ["=1+1", "'abc"]);
    }
}
