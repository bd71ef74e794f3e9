//! Exports as queries whose rows are written one at a time, so a large roster
//! or history is never held in memory twice.

use rusqlite::{Connection, Row};

use super::columns::Column;
use super::write::Cell;
use crate::db;
use crate::domain::Lang;

/// Maps one result row to the cells of an exported row.
pub type RowMapper = Box<dyn Fn(&Row<'_>) -> rusqlite::Result<Vec<Cell>>>;

/// What one `export` writes: the sheet name, the columns and the query.
pub struct ExportQuery {
    pub sheet_zh: &'static str,
    pub sheet_en: &'static str,
    pub columns: &'static [Column],
    pub sql: String,
    pub row: RowMapper,
}

impl ExportQuery {
    pub fn sheet(&self, lang: Lang) -> &'static str {
        lang.pick(self.sheet_zh, self.sheet_en)
    }

    pub fn headers(&self, lang: Lang) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.header(lang)).collect()
    }

    /// Runs the query and hands its rows, one at a time, to `consume`.
    pub fn with_rows<T>(
        &self,
        conn: &Connection,
        consume: impl FnOnce(&mut dyn Iterator<Item = Vec<Cell>>) -> T,
    ) -> db::Result<T> {
        let mut stmt = conn.prepare(&self.sql)?;
        let mut failed: Option<rusqlite::Error> = None;
        let out = {
            let rows = stmt.query_map([], |r| (self.row)(r))?;
            let mut it = rows.map_while(|r| r.map_err(|e| failed = Some(e)).ok());
            consume(&mut it)
        };
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(out),
        }
    }

    /// Every row (for tests and small exports).
    pub fn collect(&self, conn: &Connection) -> db::Result<Vec<Vec<Cell>>> {
        self.with_rows(conn, |it| it.collect())
    }
}
