//! Interchange (导入导出): CSV and XLSX files in, CSV and XLSX files out.
//!
//! - [`table`] reads a file into numbered rows of text cells: CSV in UTF-8 (with or
//!   without BOM), UTF-16 with BOM or GBK/GB18030 (what Excel and WPS save on
//!   Chinese Windows), tab-separated text, read strictly by [`csv_read`]; XLSX
//!   (the one sheet with data) streamed cell by cell by [`xlsx_read`], with date
//!   cells turned into `YYYY-MM-DD` and whole numbers written without `.0`.
//! - [`columns`] maps header cells (Chinese header, an alias, or English code) to
//!   the columns of a file kind, and parses one row's cells (dates, flags, coded
//!   values), recording every problem with its row and column.
//! - [`members`], [`records`] (talks, visits, events) and [`hardship`] turn rows
//!   into domain records with every check of DOMAIN.md; [`import`] runs an
//!   all-or-nothing import of any of them.
//! - [`export`] streams a query's rows to [`write`], which writes CSV or XLSX;
//!   [`fund`] is the help fund ledger export.
//! - [`notice`] writes printable public notices (公示: title, period, table,
//!   signature line) as XLSX or aligned text; [`hardship_notice`] is the
//!   hardship ledger's, [`fund_notice`] the help fund's (救助公示) and
//!   [`fund_report`] an audit's report (审计报告), laid out the same way.
//!
//! CSV output is plain RFC 4180 as DOMAIN.md asks: UTF-8 without a BOM, LF line
//! ends, quotes only where needed, so scripts read it as it is. Excel on Chinese
//! Windows guesses such a file to be GBK; for Excel, export to `.xlsx`.
//!
//! Exports write DOMAIN.md's columns first, in its order, then a few extra
//! columns (姓名 on record files, 联系人 on members, …) that import ignores or
//! checks; see each module.

pub mod columns;
pub mod csv_read;
pub mod export;
pub mod formula;
pub mod fund;
pub mod fund_notice;
pub mod fund_report;
pub mod hardship;
pub mod hardship_notice;
pub mod import;
pub mod log;
pub mod members;
pub mod notice;
pub mod records;
pub mod seen;
pub mod stats;
pub mod survey;
pub mod table;
pub mod write;
pub mod xlsx_read;

use std::path::Path;

use crate::domain::Lang;

/// A message for the clerk, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// The kind of a table file, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.csv` (also `.txt`/`.tsv` on import: tab-separated text as Excel saves it).
    Csv,
    /// `.xlsx` / `.xlsm`.
    Xlsx,
}

impl Format {
    /// The format of an import file, or a message naming the accepted extensions.
    pub fn for_import(path: &Path) -> Result<Format, Msg> {
        match extension(path).as_str() {
            "csv" | "txt" | "tsv" => Ok(Format::Csv),
            "xlsx" | "xlsm" => Ok(Format::Xlsx),
            // The old binary format is read into a dense grid of every cell
            // up to the last used one: a stray far cell costs gigabytes.
            "xls" | "et" => Err(Msg::new(
                format!(
                    "不支持旧版 Excel 文件：{}。请在 Excel 或 WPS 中打开后另存为 .xlsx 或 .csv 再导入",
                    path.display()
                ),
                format!(
                    "old-style Excel files are not read: {}. Open it in Excel or WPS, save it as .xlsx or .csv and import that",
                    path.display()
                ),
            )),
            _ => Err(bad_extension(path, ".csv 或 .xlsx", ".csv or .xlsx")),
        }
    }

    /// The format of an export file: `.csv` or `.xlsx`.
    pub fn for_export(path: &Path) -> Result<Format, Msg> {
        match extension(path).as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(bad_extension(path, ".csv 或 .xlsx", ".csv or .xlsx")),
        }
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn bad_extension(path: &Path, zh: &str, en: &str) -> Msg {
    Msg::new(
        format!(
            "无法识别文件类型：{}（文件名应以 {zh} 结尾）",
            path.display()
        ),
        format!(
            "unknown file type: {} (the name should end in {en})",
            path.display()
        ),
    )
}
