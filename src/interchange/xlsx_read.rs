//! Reading an XLSX workbook cell by cell.
//!
//! Only the cells the sheet holds are read, streamed from the sheet's XML on a
//! worker thread and handed over a row at a time, so a stray cell at the far
//! corner (XFD1048576) costs one cell, not a grid of a million rows, and the
//! memory of an import does not grow with the file. A workbook with data on
//! more than one sheet is refused with the sheet names, rather than silently
//! reading one of them.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};

use calamine::{DataRef, Reader, Xlsx};

use super::Msg;
use super::table::{TableRow, number_text};

type Book = Xlsx<BufReader<File>>;

/// Excel's last column is XFD (16,384 columns).
const MAX_COLUMNS: u32 = 16_384;

/// The text table (sharedStrings.xml) is read whole into memory, about two
/// bytes of memory for each of its bytes (three for a table of one-letter
/// texts): a workbook that declares more is refused before it is opened, so
/// that an import keeps within 100 MB whatever the workbook. 12 MB hold the
/// texts of about 150,000 roster rows (a generated roster of 400,000 rows,
/// 33.6 MB of text, took an import to 144 MB against 74 MB for the same rows
/// as CSV); a larger roster comes as CSV, which is read a row at a time.
const MAX_SHARED_STRINGS: u64 = 12 << 20;

/// Refuses a workbook whose text table would not fit the memory an import
/// may use (a "zip bomb", or a file that is not a roster at all).
fn check_sizes(path: &Path) -> Result<(), Msg> {
    let Ok(file) = File::open(path) else {
        return Ok(()); // calamine says why
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let name = entry
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if name.ends_with("sharedstrings.xml") && entry.size() > MAX_SHARED_STRINGS {
            return Err(Msg::new(
                format!(
                    "{} 中的文字总量过大（解压后 {} MB，.xlsx 最多 {} MB，约 15 万行名册）：请在 Excel 或 WPS 中另存为 CSV（UTF-8）后导入，CSV 文件逐行读取，大小不限",
                    path.display(),
                    entry.size() >> 20,
                    MAX_SHARED_STRINGS >> 20
                ),
                format!(
                    "{} holds too much text for a workbook ({} MB uncompressed; an .xlsx may hold {} MB, about 150,000 roster rows): save it as CSV (UTF-8) in Excel or WPS and import that, since a CSV file is read a row at a time, whatever its size",
                    path.display(),
                    entry.size() >> 20,
                    MAX_SHARED_STRINGS >> 20
                ),
            ));
        }
    }
    Ok(())
}

fn open(path: &Path) -> Result<Book, Msg> {
    check_sizes(path)?;
    calamine::open_workbook::<Book, _>(path).map_err(|e| {
        Msg::new(
            format!(
                "{} 不是有效的 .xlsx 文件（{e}）：请在 Excel 或 WPS 中打开后另存为 .xlsx 或 .csv",
                path.display()
            ),
            format!(
                "{} is not a valid .xlsx workbook ({e}); open it in Excel or WPS and save it as .xlsx or .csv",
                path.display()
            ),
        )
    })
}

fn bad_sheet(path: &Path, sheet: &str, e: &dyn std::fmt::Display) -> Msg {
    Msg::new(
        format!("无法读取 {} 的工作表「{sheet}」：{e}", path.display()),
        format!(
            "cannot read the sheet \"{sheet}\" of {}: {e}",
            path.display()
        ),
    )
}

/// True when the sheet holds at least one non-empty cell.
fn has_data(book: &mut Book, sheet: &str) -> Result<bool, calamine::XlsxError> {
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        // a chart sheet or a dialog sheet holds no cells
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    while let Some(cell) = cells.next_cell()? {
        if !is_blank(cell.get_value()) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn is_blank(v: &DataRef) -> bool {
    match v {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The names of the sheets that hold data.
fn sheets_with_data(path: &Path) -> Result<Vec<String>, Msg> {
    let mut book = open(path)?;
    let mut with_data = Vec::new();
    for name in book.sheet_names() {
        if has_data(&mut book, &name).map_err(|e| bad_sheet(path, &name, &e))? {
            with_data.push(name);
        }
    }
    Ok(with_data)
}

/// Runs `f`, turning a panic of the workbook reader (a damaged file it did
/// not foresee) into a message: a reader thread that died silently would look
/// like the end of the sheet, and rows would be lost without a word.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T, Msg>) -> Result<T, Msg> {
    crate::fsutil::catching(f).unwrap_or_else(|_| {
        Err(Msg::new(
            format!(
                "{} 已损坏，无法读取：请在 Excel 或 WPS 中打开后另存为 .xlsx 或 .csv",
                path.display()
            ),
            format!(
                "{} is damaged and cannot be read; open it in Excel or WPS and save it again as .xlsx or .csv",
                path.display()
            ),
        ))
    })
}

/// The rows of the one sheet that holds data, streamed from a worker thread.
pub fn rows(path: &Path) -> Result<Receiver<Result<TableRow, Msg>>, Msg> {
    let mut with_data = guarded(path, || sheets_with_data(path))?;
    if with_data.len() > 1 {
        let names = with_data
            .iter()
            .map(|n| format!("「{}」", crate::domain::safe_text::quote(n)))
            .collect::<String>();
        return Err(Msg::new(
            format!(
                "工作簿中有 {} 个工作表有数据：{names}。一次只能导入一个工作表：请把其他工作表删除或另存为单独的文件",
                with_data.len()
            ),
            format!(
                "{} sheets of the workbook hold data: {}. Import one sheet at a time: delete the others or save them as separate files",
                with_data.len(),
                with_data.join(", ")
            ),
        ));
    }
    let (tx, rx) = sync_channel(256);
    let Some(sheet) = with_data.pop() else {
        return Ok(rx); // no data at all: the sender is dropped, no rows
    };
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let result = guarded(&path.clone(), || -> Result<(), Msg> {
            let mut book = open(&path)?;
            let mut cells = book
                .worksheet_cells_reader(&sheet)
                .map_err(|e| bad_sheet(&path, &sheet, &e))?;
            let mut row: Option<TableRow> = None;
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| bad_sheet(&path, &sheet, &e))?
            {
                let v = cell.get_value();
                if is_blank(v) {
                    continue;
                }
                let (r, c) = cell.get_position();
                let number = r as usize + 1;
                if row.as_ref().is_some_and(|row| row.number != number) {
                    let done = row.take().expect("checked");
                    if number < done.number {
                        return Err(bad_sheet(&path, &sheet, &"rows out of order"));
                    }
                    if tx.send(Ok(done)).is_err() {
                        return Ok(()); // the import stopped reading
                    }
                }
                if c >= MAX_COLUMNS {
                    return Err(bad_sheet(&path, &sheet, &"column beyond XFD"));
                }
                let row = row.get_or_insert_with(|| TableRow {
                    number,
                    cells: Vec::new(),
                    numbers: Vec::new(),
                });
                let c = c as usize;
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                row.cells[c] = cell_text(v);
                if matches!(v, DataRef::Int(_) | DataRef::Float(_)) {
                    row.numbers.push(c);
                }
            }
            if let Some(done) = row {
                let _ = tx.send(Ok(done));
            }
            Ok(())
        });
        if let Err(e) = result {
            let _ = tx.send(Err(e));
        }
    });
    Ok(rx)
}

/// The text of one sheet cell: a date cell as `YYYY-MM-DD` (a serial below 1,
/// which is no date, as its number), a whole number without `.0`.
pub fn cell_text(d: &DataRef) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataRef::DateTime(dt) => number_text(dt.as_f64()),
        // ISO dates from some writers: keep the date part of a date-time.
        DataRef::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) if date.len() == 10 => date.to_string(),
            _ => s.clone(),
        },
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e}"),
    }
}
