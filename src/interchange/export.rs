//! Exports as streams of rows from `db`, each turned into cells as it is
//! written, so a large roster or history is never held in memory twice.

use rusqlite::Connection;

use super::columns::Column;
use super::write::Cell;
use crate::db::{self, export::Consume};
use crate::domain::Lang;

/// One of `db`'s streaming reads (`db::records::stream_talks` …).
pub type Read<R> = fn(&Connection, Consume<'_, R>) -> db::Result<()>;

/// Streams an export's rows, as cells, to a consumer.
type Rows = Box<dyn Fn(&Connection, Consume<'_, Vec<Cell>>) -> db::Result<()>>;

/// What one `export` writes: the sheet name, the columns and the rows.
pub struct ExportQuery {
    pub sheet_zh: &'static str,
    pub sheet_en: &'static str,
    pub columns: &'static [Column],
    rows: Rows,
}

impl ExportQuery {
    /// The rows `read` streams, each turned into cells by `cells`.
    pub fn new<R: 'static>(
        (sheet_zh, sheet_en): (&'static str, &'static str),
        columns: &'static [Column],
        read: Read<R>,
        cells: impl Fn(R) -> Vec<Cell> + 'static,
    ) -> Self {
        ExportQuery {
            sheet_zh,
            sheet_en,
            columns,
            rows: Box::new(move |conn, consume| {
                read(conn, &mut |rows| consume(&mut rows.map(&cells)))
            }),
        }
    }

    /// The rows `rows` hands over, already as cells (for a read that needs
    /// arguments, such as the log's date range).
    pub fn from_fn(
        (sheet_zh, sheet_en): (&'static str, &'static str),
        columns: &'static [Column],
        rows: impl Fn(&Connection, Consume<'_, Vec<Cell>>) -> db::Result<()> + 'static,
    ) -> Self {
        ExportQuery {
            sheet_zh,
            sheet_en,
            columns,
            rows: Box::new(rows),
        }
    }

    pub fn sheet(&self, lang: Lang) -> &'static str {
        lang.pick(self.sheet_zh, self.sheet_en)
    }

    pub fn headers(&self, lang: Lang) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.header(lang)).collect()
    }

    /// Reads the rows and hands them, one at a time, to `consume`.
    pub fn with_rows<T>(
        &self,
        conn: &Connection,
        consume: impl FnOnce(&mut dyn Iterator<Item = Vec<Cell>>) -> T,
    ) -> db::Result<T> {
        let mut consume = Some(consume);
        let mut out = None;
        (self.rows)(conn, &mut |rows| {
            if let Some(consume) = consume.take() {
                out = Some(consume(rows));
            }
        })?;
        // `db` hands the rows over once the query runs, or returns its error.
        Ok(out.expect("the rows are handed over once"))
    }

    /// Every row (for tests and small exports).
    pub fn collect(&self, conn: &Connection) -> db::Result<Vec<Vec<Cell>>> {
        self.with_rows(conn, |it| it.collect())
    }
}
