//! The all-or-nothing import driver shared by every file kind.
//!
//! One pass over the file inside one write transaction: each row is read and
//! checked, and written while no row so far had a problem; after the first bad
//! row writing stops but checking goes on, so every bad row is reported. With
//! any problem the transaction is rolled back and nothing changes.
//!
//! Memory does not grow with the file: rows are read one at a time into one
//! reused buffer, duplicate checks keep a few dozen bytes a row up to a
//! budget and the rest in a scratch file (see `seen`), [`run_streaming`]
//! hands each problem on as it is found, and the import connection gets a
//! page cache of its own size and keeps its statement journals in memory
//! (they hold one row's pages).

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

    /// The table a large file's new rows go to, when their audit rows (and
    /// cached dates) may be written all at once at the end (`db::audit::Bulk`).
    fn bulk_table(&self) -> Option<&'static str> {
        None
    }

    /// Every row this import may write is an insert into
    /// [`Self::bulk_table`], so that a bulk import's rows need no trigger.
    fn inserts_only(&self, _tx: &Connection) -> db::Result<bool> {
        Ok(false)
    }

    /// Rows written without an ID number or phone because the file had it
    /// masked (`1101**********1234`, as an export without `--full` writes),
    /// for the summary to say so (none by default).
    fn masked(&self) -> usize {
        0
    }

    /// Writes what [`Self::row`] queued (nothing by default): runs once
    /// every row is read and none had a problem, while the rows are still
    /// bare inserts.
    fn flush(&mut self, _tx: &Connection) -> db::Result<()> {
        Ok(())
    }

    /// Runs once every row is written and none had a problem, before the
    /// commit: work on the whole import (nothing by default).
    fn finish(&mut self, _tx: &Connection) -> db::Result<()> {
        Ok(())
    }
}

/// The page cache of the import connection (KiB): enough for the indexes
/// that rows reach at random places (pinyin keys, ID numbers) of a large roster.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// The connection's settings that an import changes for its one large write.
struct BulkSettings {
    cache_size: i64,
    temp_store: i64,
    threads: i64,
}

impl BulkSettings {
    /// Sets the connection up for the import; returns the settings it had.
    /// `sorts`: the import builds indexes again (see `db::audit::Bulk`).
    fn apply(conn: &Connection, sorts: bool) -> db::Result<Self> {
        let get = |p: &str| -> db::Result<i64> {
            Ok(conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))?)
        };
        let before = BulkSettings {
            cache_size: get("cache_size")?,
            temp_store: get("temp_store")?,
            threads: get("threads")?,
        };
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        // Statement journals (each update's, with its triggers) in memory: on
        // disk they cost a file write for every page a row touches. Not for
        // an import that builds indexes: with the temporary store in memory,
        // the sort that builds one never spills to a file, and holds the
        // whole index in memory instead.
        if !sorts {
            conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        // A second thread for the sorts that build indexes again (the
        // deferred ones, the kept obligations'): the roster's four deferred
        // indexes took a fifth less time on two cores at 1,000,000 members
        // (the kept obligations' index was not measured). SQLite uses it
        // only for sorts too large for one pass.
        conn.pragma_update(None, "threads", 2)?;
        Ok(before)
    }

    fn restore(self, conn: &Connection) -> db::Result<()> {
        conn.pragma_update(None, "cache_size", self.cache_size)?;
        conn.pragma_update(None, "temp_store", self.temp_store)?;
        conn.pragma_update(None, "threads", self.threads)?;
        Ok(())
    }
}

/// The work done once all rows are in and before the commit, in the import's
/// transaction: the importer's own, then whatever keeps derived tables current
/// after a bulk write.
fn before_commit(tx: &Connection, imp: &mut dyn RowImporter) -> db::Result<()> {
    imp.finish(tx)
}

/// The counts of a successful import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows whose masked ID number or phone was not imported ([`RowImporter::masked`]).
    pub masked: usize,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The file could not be read, or has no usable header row.
    File(Msg),
    /// Every problem of every bad row, in row order.
    Rows(Vec<RowProblem>),
    /// From [`run_streaming`], which handed each problem on: how many rows
    /// had problems, and how many problems there were.
    Refused {
        rows: usize,
        problems: usize,
    },
    Db(DbError),
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        Failure::Db(e)
    }
}

/// Files larger than this (bytes, about 2,000 rows) leave the kept
/// obligations to one rebuild after the import.
const BULK_FILE: u64 = 256 * 1024;

/// Runs an import; `progress` is called with the number of data rows read every
/// `every` rows (0: never). A refusal carries every problem (for a file whose
/// problems may be many, [`run_streaming`] hands them on one by one instead).
pub fn run(
    conn: &mut Connection,
    table: Table,
    imp: &mut dyn RowImporter,
    every: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome, Failure> {
    let mut all = Vec::new();
    match run_streaming(conn, table, imp, every, progress, &mut |p| all.push(p)) {
        Err(Failure::Refused { .. }) => Err(Failure::Rows(all)),
        r => r,
    }
}

/// [`run`], with each problem given to `problem` as soon as it is found (in
/// row order), so that memory does not grow with the number of bad rows; a
/// refusal is then [`Failure::Refused`] with the counts.
pub fn run_streaming(
    conn: &mut Connection,
    mut table: Table,
    imp: &mut dyn RowImporter,
    every: usize,
    progress: &mut dyn FnMut(usize),
    problem: &mut dyn FnMut(RowProblem),
) -> Result<Outcome, Failure> {
    let mut row = TableRow::default();
    let map = find_header(&mut table, &mut row, imp.columns())?;
    let bulk = match imp.bulk_table() {
        Some(t) if table.file_size > BULK_FILE => {
            Some(db::audit::BulkPlan::new(conn, t, table.file_size)?)
        }
        _ => None,
    };
    let sorts = bulk.as_ref().is_some_and(|b| b.defers_indexes());
    let settings = BulkSettings::apply(conn, sorts)?;
    let result = write_rows(
        conn, table, bulk, &map, &mut row, imp, every, progress, problem,
    );
    settings.restore(conn)?;
    result
}

#[allow(clippy::too_many_arguments)]
fn write_rows(
    conn: &mut Connection,
    mut table: Table,
    plan: Option<db::audit::BulkPlan>,
    map: &HeaderMap,
    row: &mut TableRow,
    imp: &mut dyn RowImporter,
    every: usize,
    progress: &mut dyn FnMut(usize),
    problem: &mut dyn FnMut(RowProblem),
) -> Result<Outcome, Failure> {
    let tx = db::audit::write_tx(conn, &db::audit::Actor::new(imp.action()))?;
    // A large file touches many members: the kept obligations are rebuilt
    // after it (cli::import) instead of each member being noted row by row.
    // Its inserts are logged in one statement at the end, not row by row.
    let mut bulk = None;
    if table.file_size > BULK_FILE {
        db::obligations::kept::invalidate(&tx)?;
        if let Some(plan) = plan {
            bulk = db::audit::Bulk::begin(&tx, plan)?;
        }
    }
    // Rows that are all inserts of a bulk import need no trigger, and their
    // CHECKs are verified once at the end (see `Bulk`).
    let bare = match bulk.as_mut() {
        Some(b) if imp.inserts_only(&tx)? => Some(b.bare_inserts(&tx)?),
        _ => None,
    };
    let (mut bad_rows, mut problems) = (0, 0);
    let mut out = Outcome::default();
    while let Some(read) = table.next_into(row) {
        read.map_err(Failure::File)?;
        if row.is_blank() {
            continue;
        }
        out.rows += 1;
        let mut ctx = RowCtx::new(row, map, imp.today());
        let write = problems == 0;
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
        if !ctx.problems.is_empty() {
            bad_rows += 1;
            problems += ctx.problems.len();
            ctx.problems.drain(..).for_each(&mut *problem);
        }
        if every > 0 && out.rows % every == 0 {
            progress(out.rows);
        }
    }
    if problems == 0 {
        imp.flush(&tx)?;
    }
    out.masked = imp.masked();
    drop(bare);
    if problems > 0 {
        // Dropping the transaction rolls back every row written before the first problem.
        drop(tx);
        return Err(Failure::Refused {
            rows: bad_rows,
            problems,
        });
    }
    if out.added == 0 && out.updated == 0 {
        // Every row is in already: nothing to commit, and the kept
        // obligations, marked stale for a large file, stay as they were.
        drop(tx);
        return Ok(out);
    }
    before_commit(&tx, imp)?;
    if let Some(b) = bulk {
        b.finish(&tx)?;
    }
    tx.commit()?;
    Ok(out)
}

/// Finds the header row: the first non-blank row that names every required
/// column, among the first few (a title row above the headers is common).
/// That row must then be a valid header: no unknown or repeated column.
fn find_header(
    table: &mut Table,
    row: &mut TableRow,
    columns: &'static [Column],
) -> Result<HeaderMap, Failure> {
    let mut first_err: Option<Msg> = None;
    let mut seen = 0;
    while seen < HEADER_SEARCH_ROWS {
        let Some(read) = table.next_into(row) else {
            break;
        };
        read.map_err(Failure::File)?;
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        seen += 1;
        match HeaderMap::new(columns, &row.cells, row.number) {
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
