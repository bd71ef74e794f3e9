//! Columns of the interchange files, header mapping, and the parsing of one
//! row's cells with every problem recorded against its row and column.

use chrono::NaiveDate;

use super::Msg;
use super::table::TableRow;
use crate::domain::safe_text::{self, quote};
use crate::domain::vocab::Coded;
use crate::domain::{Lang, dates, validate};

/// One column of a file kind: its English code (DOMAIN's name), its Chinese
/// header, other headers clerks use for it, and whether a file must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// Line breaks are allowed (notes and summaries only).
    pub multiline: bool,
    /// The most characters a cell may hold.
    pub max: usize,
}

/// The longest a one-line cell may be unless its column says otherwise.
pub const SHORT_TEXT: usize = 100;
/// The longest a note or summary may be.
pub const LONG_TEXT: usize = 4000;

impl Column {
    pub const fn new(key: &'static str, zh: &'static str) -> Self {
        Column {
            key,
            zh,
            aliases: &[],
            required: false,
            multiline: false,
            max: SHORT_TEXT,
        }
    }

    /// A note or summary: line breaks allowed, up to [`LONG_TEXT`] characters.
    pub const fn long(mut self) -> Self {
        self.multiline = true;
        self.max = LONG_TEXT;
        self
    }

    /// At most `max` characters.
    pub const fn max(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }

    /// The header written on export.
    pub fn header(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.key)
    }

    fn matches(&self, normalized: &str) -> bool {
        normalized == self.key
            || normalized == normalize_header(self.zh)
            || self
                .aliases
                .iter()
                .any(|a| normalize_header(a) == normalized)
    }
}

/// A header as compared: blanks (also full-width and inside, as in `姓　名`),
/// required-field stars and a BOM removed; ASCII lower-cased; `-`/` ` as `_`.
pub fn normalize_header(h: &str) -> String {
    let h: String = h
        .chars()
        .filter(|c| !matches!(c, '\u{feff}' | '*' | '＊'))
        .collect();
    if h.is_ascii() {
        // English codes: `Birth Date`, `birth-date` and `BIRTH_DATE` are `birth_date`.
        h.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_")
    } else {
        h.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

/// Header cells that carry no data of a record and are passed over: the
/// running number (序号) that Chinese spreadsheets start with.
const IGNORED_HEADERS: &[&str] = &["序号", "no", "no.", "#"];

/// Where each column of a file kind sits in the file's rows (`None`: not in the file).
#[derive(Debug, Clone)]
pub struct HeaderMap {
    pub columns: &'static [Column],
    positions: Vec<Option<usize>>,
    /// The number of cells of the header row: a row with more is refused.
    pub width: usize,
    /// Positions whose header cell is empty or ignored: data there is refused.
    unnamed: Vec<usize>,
    /// The header row's number.
    pub row: usize,
}

/// Why a row is not the header row.
pub enum HeaderError {
    /// Some required column is not named: perhaps a title row above the header.
    Missing(Msg),
    /// The row names the required columns but is not a valid header.
    Bad(Msg),
}

/// The spreadsheet letter of a 0-based column: 0 → A, 26 → AA.
pub fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl HeaderMap {
    /// Maps a header row; refuses a row without a required column, with a
    /// column twice, or with a header that is no column of this file kind.
    pub fn new(
        columns: &'static [Column],
        headers: &[String],
        row: usize,
    ) -> Result<HeaderMap, HeaderError> {
        let mut positions = vec![None; columns.len()];
        let mut twice = Vec::new();
        let mut unknown = Vec::new();
        let mut unnamed = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let n = normalize_header(h);
            if n.is_empty() || IGNORED_HEADERS.contains(&n.as_str()) {
                unnamed.push(i);
                continue;
            }
            match columns.iter().position(|c| c.matches(&n)) {
                Some(c) if positions[c].is_some() => twice.push((c, i)),
                Some(c) => positions[c] = Some(i),
                None => unknown.push(i),
            }
        }
        let missing: Vec<&Column> = columns
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_none())
            .map(|(c, _)| c)
            .collect();
        // Every problem of the row, in one message: a clerk fixes the header once.
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        for &(c, i) in &twice {
            let c = &columns[c];
            zh.push(format!(
                "第 {} 列：「{}」列出现了两次",
                column_letter(i),
                c.zh
            ));
            en.push(format!(
                "column {}: the column {} appears twice",
                column_letter(i),
                c.key
            ));
        }
        if !unknown.is_empty() {
            // a header of thousands of columns makes a message of ten
            let more = unknown.len().saturating_sub(10);
            let shown = &unknown[..unknown.len().min(10)];
            let (more_zh, more_en) = if more > 0 {
                (format!("等（另有 {more} 列）"), format!(" and {more} more"))
            } else {
                (String::new(), String::new())
            };
            let list_zh = shown
                .iter()
                .map(|&i| format!("第 {} 列「{}」", column_letter(i), quote(&headers[i])))
                .collect::<Vec<_>>()
                .join("、");
            let list_en = shown
                .iter()
                .map(|&i| format!("column {} \"{}\"", column_letter(i), quote(&headers[i])))
                .collect::<Vec<_>>()
                .join(", ");
            let known_zh = columns.iter().map(|c| c.zh).collect::<Vec<_>>().join("、");
            let known_en = columns.iter().map(|c| c.key).collect::<Vec<_>>().join(", ");
            zh.push(format!(
                "有无法识别的列：{list_zh}{more_zh}。可用的列：{known_zh}；请删除或改正这些列"
            ));
            en.push(format!(
                "unknown columns: {list_en}{more_en}. The columns are: {known_en}; remove or rename them"
            ));
        }
        if !missing.is_empty() {
            let need_zh = missing
                .iter()
                .map(|c| format!("「{}」", c.zh))
                .collect::<String>();
            let need_en = missing.iter().map(|c| c.key).collect::<Vec<_>>().join(", ");
            let mut msg = Msg::new(
                format!("表头缺少必需的列{need_zh}（第一行应为列名，如 编号、姓名）"),
                format!("the header row lacks the required column(s) {need_en}"),
            );
            // A row that names some columns is the header with a mistake in
            // it: say what else is wrong with it too.
            if positions.iter().any(Option::is_some) && !zh.is_empty() {
                msg = Msg::new(
                    format!("{}；第 {row} 行（表头）{}", msg.zh, zh.join("；")),
                    format!("{}; row {row} (header), {}", msg.en, en.join("; ")),
                );
            }
            return Err(HeaderError::Missing(msg));
        }
        if !zh.is_empty() {
            return Err(HeaderError::Bad(Msg::new(
                format!("第 {row} 行（表头）{}", zh.join("；")),
                format!("row {row} (header), {}", en.join("; ")),
            )));
        }
        Ok(HeaderMap {
            columns,
            positions,
            width: headers.len(),
            unnamed,
            row,
        })
    }

    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
    }

    /// The column mapped to a position of the row, if any.
    fn column_at(&self, i: usize) -> Option<usize> {
        self.positions.iter().position(|p| *p == Some(i))
    }
}

/// A problem with one row of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: Option<Column>,
    pub msg: Msg,
}

impl RowProblem {
    /// `第 5 行，列「身份证号」：…` / `row 5, column id_number: …`.
    pub fn message(&self, lang: Lang) -> String {
        match (&self.column, lang) {
            (Some(c), Lang::Zh) => format!("第 {} 行，列「{}」：{}", self.row, c.zh, self.msg.zh),
            (Some(c), Lang::En) => format!("row {}, column {}: {}", self.row, c.key, self.msg.en),
            (None, Lang::Zh) => format!("第 {} 行：{}", self.row, self.msg.zh),
            (None, Lang::En) => format!("row {}: {}", self.row, self.msg.en),
        }
    }
}

/// One data row being read: typed access to its cells; every problem is kept.
pub struct RowCtx<'a> {
    pub row: usize,
    cells: &'a [String],
    /// Positions of cells a workbook held as numbers.
    numbers: &'a [usize],
    map: &'a HeaderMap,
    /// Dates may not be after this day.
    today: NaiveDate,
    pub problems: Vec<RowProblem>,
}

impl<'a> RowCtx<'a> {
    /// A row's context; the characters and the length of every cell, and
    /// cells outside the header's columns, are checked at once.
    pub fn new(row: &'a TableRow, map: &'a HeaderMap, today: NaiveDate) -> Self {
        let mut ctx = RowCtx {
            row: row.number,
            cells: &row.cells,
            numbers: &row.numbers,
            map,
            today,
            problems: Vec::new(),
        };
        ctx.check_cells();
        ctx
    }

    fn check_cells(&mut self) {
        let cells = self.cells;
        if cells.len() > self.map.width {
            let extra = cells[self.map.width..].iter().any(|c| !c.trim().is_empty());
            self.problems.push(RowProblem {
                row: self.row,
                column: None,
                msg: Msg::new(
                    format!(
                        "有 {} 个单元格，比表头（第 {} 行，{} 列）多{}：请检查是否有多余的逗号或错位的单元格",
                        cells.len(),
                        self.map.row,
                        self.map.width,
                        if extra { "，多出的内容无处存放" } else { "" }
                    ),
                    format!(
                        "has {} cells, more than the {} of the header (row {}){}; check for stray commas or shifted cells",
                        cells.len(),
                        self.map.width,
                        self.map.row,
                        if extra { ", and the extra ones hold data" } else { "" }
                    ),
                ),
            });
        }
        let mut unnamed = self
            .map
            .unnamed
            .iter()
            .filter(|&&i| cells.get(i).is_some_and(|c| !c.trim().is_empty()));
        if let Some(&i) = unnamed.next() {
            let more = unnamed.count();
            let (more_zh, more_en) = if more > 0 {
                (
                    format!("（另有 {more} 列也是如此）"),
                    format!(" (and {more} more such columns)"),
                )
            } else {
                (String::new(), String::new())
            };
            self.problems.push(RowProblem {
                row: self.row,
                column: None,
                msg: Msg::new(
                    format!(
                        "第 {} 列有数据“{}”，但该列没有列名{more_zh}：请补上列名或删除这些内容",
                        column_letter(i),
                        quote(&cells[i])
                    ),
                    format!(
                        "column {} holds \"{}\" but has no header{more_en}; name the column or remove it",
                        column_letter(i),
                        quote(&cells[i])
                    ),
                ),
            });
        }
        for (i, cell) in cells.iter().enumerate() {
            let Some(col) = self.map.column_at(i) else {
                continue;
            };
            let c = self.map.columns[col];
            if let Err(p) = safe_text::check_text(cell.trim(), c.multiline, c.max) {
                self.problem(col, p.zh(), p.en());
            }
        }
    }

    /// True when the workbook held this column's cell as a number.
    pub fn is_number(&self, col: usize) -> bool {
        self.map.positions[col].is_some_and(|i| self.numbers.contains(&i))
    }

    pub fn column(&self, col: usize) -> Column {
        self.map.columns[col]
    }

    /// Records a problem with a column.
    pub fn problem(&mut self, col: usize, zh: impl Into<String>, en: impl Into<String>) {
        let column = Some(self.map.columns[col]);
        self.problems.push(RowProblem {
            row: self.row,
            column,
            msg: Msg::new(zh, en),
        });
    }

    /// Records a problem with the column whose English code is `key` (from
    /// domain validation); a column already reported is not reported again.
    pub fn field_problem(&mut self, key: &str, zh: String, en: String) {
        let col = self.map.columns.iter().position(|c| c.key == key);
        if let Some(col) = col {
            if self.has_problem(col) {
                return;
            }
            self.problem(col, zh, en);
        } else {
            self.problems.push(RowProblem {
                row: self.row,
                column: None,
                msg: Msg::new(zh, en),
            });
        }
    }

    pub fn has_problem(&self, col: usize) -> bool {
        let key = self.map.columns[col].key;
        self.problems
            .iter()
            .any(|p| p.column.is_some_and(|c| c.key == key))
    }

    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The trimmed text of a column; `None` when the file has no such column.
    pub fn text(&self, col: usize) -> Option<&'a str> {
        let i = self.map.positions[col]?;
        Some(self.cells.get(i).map_or("", |s| s.trim()))
    }

    /// Records that a column which must be given is empty or absent.
    fn missing<T>(&mut self, col: usize) -> Option<T> {
        let c = self.column(col);
        self.problem(
            col,
            format!("{}不能为空", c.zh),
            format!("{} is required", c.key),
        );
        None
    }

    /// A column read by `parse`: `None` when absent or unreadable (then the
    /// problem `bad` words for the text is recorded), `Some(None)` when empty.
    fn parsed<T>(
        &mut self,
        col: usize,
        parse: impl FnOnce(&str) -> Option<T>,
        bad: impl FnOnce(&str) -> (String, String),
    ) -> Option<Option<T>> {
        let s = self.text(col)?;
        if s.is_empty() {
            return Some(None);
        }
        if self.has_problem(col) {
            return None;
        }
        let v = parse(s);
        if v.is_none() {
            let (zh, en) = bad(s);
            self.problem(col, zh, en);
            return None;
        }
        Some(v)
    }

    /// The text of a column that must not be empty.
    pub fn required_text(&mut self, col: usize) -> Option<&'a str> {
        match self.text(col) {
            Some(s) if !s.is_empty() => Some(s),
            _ => self.missing(col),
        }
    }

    /// A date column: `None` when absent or bad (then recorded), `Some(None)`
    /// when empty. A date runs from 1900-01-01 to today.
    pub fn date(&mut self, col: usize) -> Option<Option<NaiveDate>> {
        let today = self.today;
        let d = self.parsed(col, dates::parse_date_any, |s| {
            let s = quote(s);
            (
                format!(
                    "“{s}”不是有效日期，请写作 2024-01-25、2024/1/25、2024.1.25 或 2024年1月25日"
                ),
                format!(
                    "\"{s}\" is not a date: write 2024-01-25, 2024/1/25, 2024.1.25 or 2024年1月25日"
                ),
            )
        })?;
        if let Some(d) = d {
            if d < dates::EARLIEST {
                self.problem(
                    col,
                    format!("日期{}早于1900-01-01，不是可信的日期", dates::fmt(d)),
                    format!("the date {} is before 1900-01-01", dates::fmt(d)),
                );
                return None;
            }
            if validate::not_future(d, today).is_err() {
                self.problem(
                    col,
                    format!("日期{}晚于今天（{}）", dates::fmt(d), dates::fmt(today)),
                    format!(
                        "the date {} is after today ({})",
                        dates::fmt(d),
                        dates::fmt(today)
                    ),
                );
                return None;
            }
        }
        Some(d)
    }

    /// A date that must be given.
    pub fn required_date(&mut self, col: usize) -> Option<NaiveDate> {
        match self.date(col) {
            Some(Some(d)) => Some(d),
            Some(None) | None if self.has_problem(col) => None,
            _ => self.missing(col),
        }
    }

    /// A flag column (是/否, Y/N, 1/0, true/false; empty is false).
    pub fn flag(&mut self, col: usize) -> Option<bool> {
        let s = self.text(col)?;
        if self.has_problem(col) {
            return None;
        }
        match parse_flag(s) {
            Some(b) => Some(b),
            None => {
                let s = quote(s);
                self.problem(
                    col,
                    format!("“{s}”无效：应填 是/否、Y/N、1/0 或 true/false"),
                    format!("\"{s}\" is not a yes/no value: use Y/N, 1/0, true/false or 是/否"),
                );
                None
            }
        }
    }

    /// A coded column (code or either label): `Some(None)` when empty.
    pub fn coded<T: Coded>(&mut self, col: usize) -> Option<Option<T>> {
        self.parsed(col, T::parse, |s| {
            let s = quote(s);
            (
                format!("“{s}”无效，可填：{}", labels_zh::<T>()),
                format!("\"{s}\" is not allowed; use one of: {}", T::codes()),
            )
        })
    }

    /// A coded column that must be given.
    pub fn required_coded<T: Coded>(&mut self, col: usize) -> Option<T> {
        match self.coded::<T>(col) {
            Some(Some(v)) => Some(v),
            _ if self.has_problem(col) => None,
            _ => {
                let c = self.column(col);
                self.problem(
                    col,
                    format!("{}不能为空，可填：{}", c.zh, labels_zh::<T>()),
                    format!("{} is required; use one of: {}", c.key, T::codes()),
                );
                None
            }
        }
    }
}

/// Every Chinese label of a vocabulary, `、`-separated.
pub fn labels_zh<T: Coded>() -> String {
    T::ALL.iter().map(|v| v.zh()).collect::<Vec<_>>().join("、")
}

/// 是/否, Y/N, yes/no, 1/0, true/false (case-insensitive); empty is false.
pub fn parse_flag(s: &str) -> Option<bool> {
    let s = s.trim();
    if s.is_empty() {
        return Some(false);
    }
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "是" | "y" | "yes" | "1" | "true" | "√" | "✓" => Some(true),
        "否" | "n" | "no" | "0" | "false" => Some(false),
        _ => None,
    }
}

/// A flag as written on export.
pub fn flag_text(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "Y",
        (false, Lang::En) => "N",
    }
}

#[cfg(test)]
mod tests;
