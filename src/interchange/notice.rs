//! Printable notices (公示): a title, the period, a table, a closing sentence
//! and the signature line (经办人 / 审核人 / 日期), written as an XLSX ready
//! to print or as aligned UTF-8 text. The hardship notice
//! (`guanhuai notice hardship`) is the first; the help fund's uses the same.
//!
//! XLSX (DOMAIN.md "Exports and notices"): the title row, the period row, the
//! header row (repeated on every printed page), the rows, then the closing
//! sentence and the signature line; A4, fitted to the page width (as many
//! pages down as it takes), landscape when the table is wider than a portrait
//! page holds. Every cell is written as text, never as a formula.
//!
//! Text: UTF-8, LF line ends, columns aligned by display width (a Chinese
//! character is two cells); a cell wider than its column's limit wraps onto
//! continuation lines within its column, so nothing is cut.
//!
//! Both are written unnamed with the database's mode and named only when
//! complete ([`crate::fsutil::NewFile`]).

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format as XlsxFormat, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::Msg;
use crate::domain::Lang;
use crate::fsutil::{NewFile, WriteError};
use crate::textwidth;

/// One column of a notice: its header and the widest (in display cells) its
/// text may run before it wraps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeColumn {
    pub header: String,
    pub max_width: usize,
}

impl NoticeColumn {
    pub fn new(header: impl Into<String>, max_width: usize) -> Self {
        NoticeColumn {
            header: header.into(),
            max_width: max_width.max(2),
        }
    }
}

/// What a notice says, in the order it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The sheet's name in the workbook.
    pub sheet: String,
    pub title: String,
    /// The line under the title (公示期：… 至 …).
    pub period: String,
    pub columns: Vec<NoticeColumn>,
    /// Text cells, one per column.
    pub rows: Vec<Vec<String>>,
    /// Printed instead of the rows when there are none.
    pub empty: String,
    /// Lines after the table (如有异议 …).
    pub closing: Vec<String>,
    /// The last line (经办人：… 审核人：… 日期：).
    pub signature: String,
}

/// The kinds of notice file, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    Xlsx,
    Txt,
}

impl NoticeFormat {
    /// `.xlsx` or `.txt`, or a message naming them.
    pub fn for_path(path: &Path) -> Result<NoticeFormat, Msg> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Ok(NoticeFormat::Xlsx),
            "txt" => Ok(NoticeFormat::Txt),
            _ => Err(Msg::new(
                format!(
                    "无法识别文件类型：{}（公示文件名应以 .xlsx 或 .txt 结尾）",
                    path.display()
                ),
                format!(
                    "unknown file type: {} (a notice's name should end in .xlsx or .txt)",
                    path.display()
                ),
            )),
        }
    }
}

/// Writes the notice to `path` (format by extension) with the permission bits
/// `mode`; an existing file is replaced, and nothing is left on failure.
pub fn write_notice(path: &Path, mode: u32, notice: &Notice) -> Result<(), Msg> {
    let bytes = match NoticeFormat::for_path(path)? {
        NoticeFormat::Txt => text(notice).into_bytes(),
        NoticeFormat::Xlsx => xlsx(notice).map_err(|e| {
            Msg::new(
                format!("无法写入文件 {}：{e}", path.display()),
                format!("cannot write {}: {e}", path.display()),
            )
        })?,
    };
    let write_error = |e| {
        let e = WriteError::new(path, e);
        Msg::new(e.message(Lang::Zh), e.message(Lang::En))
    };
    let mut out = NewFile::create(path, mode).map_err(write_error)?;
    out.file().write_all(&bytes).map_err(write_error)?;
    out.commit(true).map_err(write_error)
}

/// A cell as one line of printable text: control characters (a line break
/// in a note) become spaces.
fn one_line(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The width of each column in display cells: its header and its widest
/// cell, at most its limit (never narrower than the header).
fn widths(n: &Notice) -> Vec<usize> {
    n.columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let head = textwidth::width(&c.header);
            let cells = n
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| textwidth::width(&one_line(s)))
                .max()
                .unwrap_or(0);
            head.max(cells.min(c.max_width))
        })
        .collect()
}

/// Between two columns of the text notice.
const GAP: &str = "  ";

/// The notice as aligned text (UTF-8, LF line ends, no trailing blanks).
pub fn text(n: &Notice) -> String {
    let widths = widths(n);
    let total = widths.iter().sum::<usize>() + GAP.len() * widths.len().saturating_sub(1);
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    let title_w = textwidth::width(&n.title);
    line(&format!(
        "{}{}",
        " ".repeat(total.saturating_sub(title_w) / 2),
        n.title
    ));
    line(&n.period);
    line("");
    let headers: Vec<String> = n.columns.iter().map(|c| c.header.clone()).collect();
    for l in table_lines(&headers, &widths) {
        line(&l);
    }
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule.join(GAP));
    if n.rows.is_empty() {
        line(&n.empty);
    }
    for row in &n.rows {
        for l in table_lines(row, &widths) {
            line(&l);
        }
    }
    line("");
    for c in &n.closing {
        line(c);
    }
    line("");
    line(&n.signature);
    out
}

/// One row of the table as lines: each cell wrapped within its column's
/// width, padded to it by display width.
fn table_lines(cells: &[String], widths: &[usize]) -> Vec<String> {
    let wrapped: Vec<Vec<String>> = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let s = cells.get(i).map(|s| one_line(s)).unwrap_or_default();
            let lines = wrap_cell(&s, w);
            if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            }
        })
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|k| {
            let parts: Vec<String> = wrapped
                .iter()
                .zip(widths)
                .map(|(lines, &w)| {
                    textwidth::pad_right(lines.get(k).map(String::as_str).unwrap_or(""), w)
                })
                .collect();
            parts.join(GAP)
        })
        .collect()
}

/// Where a list in a cell (生活困难、因病) is best broken: after its separators.
const BREAK_AFTER: [char; 5] = ['、', '，', '；', ',', ';'];

/// A cell's text in lines of at most `w` cells, broken after a list
/// separator where one fits, else anywhere [`textwidth::wrap`] may.
fn wrap_cell(s: &str, w: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for part in s.split_inclusive(BREAK_AFTER) {
        let fits = textwidth::width(&cur) + textwidth::width(part) <= w;
        if fits {
            cur.push_str(part);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if textwidth::width(part) <= w {
            cur.push_str(part);
        } else {
            let mut pieces = textwidth::wrap(part, w);
            if let Some(last) = pieces.pop() {
                lines.extend(pieces);
                cur = last;
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Column widths (in Excel's characters) above which a portrait A4 page
/// would have to shrink the print too far: such a notice is printed landscape.
const PORTRAIT_WIDTH: f64 = 100.0;

/// Rows of the workbook before the table: title, period, header.
const HEADER_ROW: u32 = 2;

/// The notice as an XLSX workbook ready to print.
pub fn xlsx(n: &Notice) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&n.sheet)?;
    let ncols = n.columns.len().max(1) as u16;
    let last_col = ncols - 1;
    let title_fmt = XlsxFormat::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let line_fmt = XlsxFormat::new()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let head_fmt = XlsxFormat::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell_fmt = XlsxFormat::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    // A line across the table: one merged cell (a single column needs no merge).
    let across = |sheet: &mut rust_xlsxwriter::Worksheet,
                  row: u32,
                  s: &str,
                  f: &XlsxFormat|
     -> Result<(), XlsxError> {
        if last_col == 0 {
            sheet.write_string_with_format(row, 0, s, f)?;
        } else {
            sheet.merge_range(row, 0, row, last_col, s, f)?;
        }
        Ok(())
    };
    across(sheet, 0, &n.title, &title_fmt)?;
    sheet.set_row_height(0, 30)?;
    across(sheet, 1, &n.period, &line_fmt)?;
    for (c, col) in n.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, &col.header, &head_fmt)?;
    }
    let mut r = HEADER_ROW + 1;
    if n.rows.is_empty() {
        let f = cell_fmt.clone().set_align(FormatAlign::Center);
        across(sheet, r, &n.empty, &f)?;
        r += 1;
    }
    for row in &n.rows {
        for c in 0..n.columns.len() {
            let s = row.get(c).map(|s| one_line(s)).unwrap_or_default();
            sheet.write_string_with_format(r, c as u16, &s, &cell_fmt)?;
        }
        r += 1;
    }
    r += 1;
    for c in &n.closing {
        across(sheet, r, c, &line_fmt)?;
        r += 1;
    }
    r += 1;
    across(sheet, r, &n.signature, &line_fmt)?;
    let mut total = 0.0;
    for (c, w) in widths(n).iter().enumerate() {
        // Excel widths are in characters of the default font; a CJK character is two.
        let width = (*w as f64 + 2.0).max(4.0);
        total += width;
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_paper_size(9);
    if total > PORTRAIT_WIDTH {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(rows: Vec<Vec<&str>>) -> Notice {
        Notice {
            sheet: "公示".into(),
            title: "测试公示".into(),
            period: "公示期：2026-11-26 至 2026-12-02".into(),
            columns: vec![
                NoticeColumn::new("序号", 4),
                NoticeColumn::new("姓名", 12),
                NoticeColumn::new("原因", 6),
            ],
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect())
                .collect(),
            empty: "（无）".into(),
            closing: vec!["如有异议，请反映。".into()],
            signature: "经办人：    审核人：    日期：".into(),
        }
    }

    #[test]
    fn text_columns_align_by_display_width_and_long_cells_wrap() {
        let t = text(&notice(vec![
            vec!["1", "张三", "因病"],
            vec!["2", "Li Lei", "下岗失业后无收入"],
        ]));
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "      测试公示");
        assert_eq!(lines[3], "序号  姓名    原因");
        assert_eq!(lines[4], "----  ------  ------");
        assert_eq!(lines[5], "1     张三    因病");
        assert_eq!(lines[6], "2     Li Lei  下岗失");
        assert_eq!(lines[7], "              业后无");
        assert_eq!(lines[8], "              收入");
        assert!(t.ends_with("\n经办人：    审核人：    日期：\n"));
        assert!(!t.contains('\r'));
    }

    #[test]
    fn lists_break_after_their_separators() {
        assert_eq!(
            wrap_cell("生活困难、鳏寡孤独、因病", 16),
            ["生活困难、", "鳏寡孤独、因病"]
        );
        assert_eq!(wrap_cell("abc", 16), ["abc"]);
        assert_eq!(
            wrap_cell("下岗失业后无收入", 6),
            ["下岗失", "业后无", "收入"]
        );
    }

    #[test]
    fn an_empty_notice_says_so() {
        let t = text(&notice(vec![]));
        assert!(t.contains("\n（无）\n"), "{t}");
    }

    #[test]
    fn other_extensions_are_refused() {
        let err = NoticeFormat::for_path(Path::new("n.csv")).unwrap_err();
        assert!(err.zh.contains(".xlsx 或 .txt"));
        assert_eq!(
            NoticeFormat::for_path(Path::new("N.TXT")),
            Ok(NoticeFormat::Txt)
        );
    }

    #[test]
    fn the_workbook_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("n.xlsx");
        write_notice(&p, 0o640, &notice(vec![vec!["1", "=1+1", "x"]])).unwrap();
        assert_eq!(crate::fsutil::mode_of(&p).unwrap(), 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
