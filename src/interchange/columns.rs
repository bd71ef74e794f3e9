//! Columns of the interchange files, header mapping, and the parsing of one
//! row's cells with every problem recorded against its row and column.

use chrono::NaiveDate;

use super::Msg;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::vocab::Coded;

/// One column of a file kind: its English code (DOMAIN's name), its Chinese
/// header, other headers clerks use for it, and whether a file must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Column {
    pub const fn new(key: &'static str, zh: &'static str) -> Self {
        Column {
            key,
            zh,
            aliases: &[],
            required: false,
        }
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

/// Where each column of a file kind sits in the file's rows (`None`: not in the file).
#[derive(Debug, Clone)]
pub struct HeaderMap {
    pub columns: &'static [Column],
    positions: Vec<Option<usize>>,
}

impl HeaderMap {
    /// Maps a header row; refuses a file without a required column or with a
    /// column twice. Unknown headers are ignored (a clerk's own extra columns).
    pub fn new(columns: &'static [Column], headers: &[String]) -> Result<HeaderMap, Msg> {
        let mut positions = vec![None; columns.len()];
        let mut twice = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let n = normalize_header(h);
            if n.is_empty() {
                continue;
            }
            if let Some(c) = columns.iter().position(|c| c.matches(&n)) {
                if positions[c].is_some() {
                    twice.push(c);
                } else {
                    positions[c] = Some(i);
                }
            }
        }
        let missing: Vec<&Column> = columns
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_none())
            .map(|(c, _)| c)
            .collect();
        if !missing.is_empty() {
            let zh = missing
                .iter()
                .map(|c| format!("「{}」", c.zh))
                .collect::<String>();
            let en = missing.iter().map(|c| c.key).collect::<Vec<_>>().join(", ");
            return Err(Msg::new(
                format!("表头缺少必需的列{zh}（第一行应为列名，如 编号、姓名）"),
                format!("the header row lacks the required column(s) {en}"),
            ));
        }
        if let Some(&c) = twice.first() {
            let c = &columns[c];
            return Err(Msg::new(
                format!("表头中「{}」列出现了两次", c.zh),
                format!("the column {} appears twice in the header row", c.key),
            ));
        }
        Ok(HeaderMap { columns, positions })
    }

    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
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
    map: &'a HeaderMap,
    pub problems: Vec<RowProblem>,
}

impl<'a> RowCtx<'a> {
    pub fn new(row: usize, cells: &'a [String], map: &'a HeaderMap) -> Self {
        RowCtx {
            row,
            cells,
            map,
            problems: Vec::new(),
        }
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

    /// A date column: `None` when absent or bad (then recorded), `Some(None)` when empty.
    pub fn date(&mut self, col: usize) -> Option<Option<NaiveDate>> {
        self.parsed(col, dates::parse_date, |s| {
            (
                format!(
                    "“{s}”不是有效日期，请写作 2024-01-25、2024/1/25、2024.1.25 或 2024年1月25日"
                ),
                format!(
                    "\"{s}\" is not a date: write 2024-01-25, 2024/1/25, 2024.1.25 or 2024年1月25日"
                ),
            )
        })
    }

    /// A date that must be given.
    pub fn required_date(&mut self, col: usize) -> Option<NaiveDate> {
        match self.date(col) {
            Some(Some(d)) => Some(d),
            Some(None) | None if self.has_problem(col) => None,
            _ => self.missing(col),
        }
    }

    /// A date that must be given and not be after `today`.
    pub fn past_date(&mut self, col: usize, today: NaiveDate) -> Option<NaiveDate> {
        let d = self.required_date(col)?;
        if d > today {
            self.problem(
                col,
                format!("日期{}晚于今天", dates::fmt(d)),
                format!("the date {} is after today", dates::fmt(d)),
            );
            return None;
        }
        Some(d)
    }

    /// A flag column (是/否, Y/N, 1/0, true/false; empty is false).
    pub fn flag(&mut self, col: usize) -> Option<bool> {
        let s = self.text(col)?;
        match parse_flag(s) {
            Some(b) => Some(b),
            None => {
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
mod tests {
    use super::*;
    use crate::domain::vocab::Gender;

    const COLS: &[Column] = &[
        Column::new("code", "编号").required(),
        Column::new("name", "姓名").required(),
        Column::new("phone", "手机").aliases(&["手机号码"]),
        Column::new("mobile", "流动党员"),
        Column::new("gender", "性别"),
    ];

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_in_chinese_english_and_aliases() {
        let m =
            HeaderMap::new(COLS, &headers(&["\u{feff}编 号", "NAME", "手机号码*", "x"])).unwrap();
        assert!(m.has(0) && m.has(1) && m.has(2) && !m.has(3));
        let err = HeaderMap::new(COLS, &headers(&["编号", "手机"])).unwrap_err();
        assert!(err.zh.contains("「姓名」"), "{}", err.zh);
        assert!(HeaderMap::new(COLS, &headers(&["编号", "姓名", "name"])).is_err());
        assert_eq!(normalize_header(" Birth Date "), "birth_date");
    }

    #[test]
    fn flags_and_coded_values() {
        for (s, v) in [
            ("是", true),
            ("Y", true),
            ("true", true),
            ("1", true),
            ("", false),
        ] {
            assert_eq!(parse_flag(s), Some(v), "{s}");
        }
        for (s, v) in [("否", false), ("n", false), ("FALSE", false), ("0", false)] {
            assert_eq!(parse_flag(s), Some(v), "{s}");
        }
        assert_eq!(parse_flag("maybe"), None);
        let m = HeaderMap::new(COLS, &headers(&["编号", "姓名", "流动党员", "性别"])).unwrap();
        let cells = headers(&["1", "张三", "也许", "男性"]);
        let mut r = RowCtx::new(2, &cells, &m);
        assert_eq!(r.flag(3), None);
        assert_eq!(r.coded::<Gender>(4), None);
        assert_eq!(r.problems.len(), 2);
        assert_eq!(
            r.problems[1].message(Lang::Zh),
            "第 2 行，列「性别」：“男性”无效，可填：男、女"
        );
        assert!(
            r.problems[0]
                .message(Lang::En)
                .starts_with("row 2, column mobile: ")
        );
    }
}
