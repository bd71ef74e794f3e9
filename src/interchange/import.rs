//! The all-or-nothing import driver shared by every file kind.
//!
//! One pass over the file inside one write transaction: each row is read and
//! checked, and written while no row so far had a problem; after the first bad
//! row writing stops but checking goes on, so every bad row is reported. With
//! any problem the transaction is rolled back and nothing changes.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Msg;
use super::columns::{Column, HeaderError, HeaderMap, RowCtx, RowProblem};
use super::table::{Table, TableRow};
use crate::db::{self, DbError};

/// How many rows above the data may hold a title before the header row.
const HEADER_SEARCH_ROWS: usize = 10;

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowResult {
    Added,
    Updated,
    /// Already in the database exactly so: nothing written.
    Unchanged,
    /// Had a problem (recorded in the row's context), or was not written
    /// because an earlier row had one.
    NotWritten,
}

/// Turns one row of a file kind into database writes.
pub trait RowImporter {
    /// The columns of this file kind.
    fn columns(&self) -> &'static [Column];

    /// Today: no date in the file may be later.
    fn today(&self) -> NaiveDate;

    /// The action the audit log names for this import (`import members` …).
    fn action(&self) -> &'static str;

    /// Checks one row (recording problems in `r`) and, when `write` is true and
    /// the row has no problem, writes it.
    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult>;
}

/// The counts of a successful import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The file could not be read, or has no usable header row.
    File(Msg),
    /// Every problem of every bad row, in row order.
    Rows(Vec<RowProblem>),
    Db(DbError),
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        Failure::Db(e)
    }
}

/// Runs an import; `progress` is called with the number of data rows read every
/// `every` rows (0: never).
pub fn run(
    conn: &mut Connection,
    table: Table,
    imp: &mut dyn RowImporter,
    every: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome, Failure> {
    let mut rows = table.peekable();
    let map = find_header(&mut rows, imp.columns())?;
    let tx = db::audit::write_tx(conn, &db::audit::Actor::new(imp.action()))?;
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut out = Outcome::default();
    for row in rows {
        let row = row.map_err(Failure::File)?;
        if row.is_blank() {
            continue;
        }
        out.rows += 1;
        let mut ctx = RowCtx::new(&row, &map, imp.today());
        let write = problems.is_empty();
        match imp.row(&tx, &mut ctx, write) {
            Ok(RowResult::Added) => out.added += 1,
            Ok(RowResult::Updated) => out.updated += 1,
            Ok(RowResult::Unchanged) => out.unchanged += 1,
            Ok(RowResult::NotWritten) => {}
            // A rule of the data refused the write: a problem of this row.
            Err(DbError::Invalid { zh, en }) => ctx.problems.push(RowProblem {
                row: row.number,
                column: None,
                msg: Msg::new(zh, en),
            }),
            Err(e) => return Err(Failure::Db(e)),
        }
        problems.append(&mut ctx.problems);
        if every > 0 && out.rows % every == 0 {
            progress(out.rows);
        }
    }
    if !problems.is_empty() {
        // Dropping the transaction rolls back every row written before the first problem.
        drop(tx);
        return Err(Failure::Rows(problems));
    }
    tx.commit()?;
    Ok(out)
}

/// Finds the header row: the first non-blank row that names every required
/// column, among the first few (a title row above the headers is common).
/// That row must then be a valid header: no unknown or repeated column.
fn find_header(
    rows: &mut std::iter::Peekable<Table>,
    columns: &'static [Column],
) -> Result<HeaderMap, Failure> {
    let mut first_err: Option<Msg> = None;
    let mut seen = 0;
    while seen < HEADER_SEARCH_ROWS {
        let Some(row) = rows.next() else { break };
        let TableRow { cells, number, .. } = row.map_err(Failure::File)?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        seen += 1;
        match HeaderMap::new(columns, &cells, number) {
            Ok(map) => return Ok(map),
            Err(HeaderError::Bad(e)) => return Err(Failure::File(e)),
            Err(HeaderError::Missing(e)) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(Failure::File(first_err.unwrap_or_else(|| {
        Msg::new(
            "文件是空的：第一行应为列名（如 编号、姓名），其后每行一条记录",
            "the file is empty: the first row should hold the column names, then one record per row",
        )
    })))
}
