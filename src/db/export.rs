//! Streaming reads for exports: a query's rows are handed over one at a time
//! through an iterator, so a large roster or history is never held in memory.

use rusqlite::{Connection, Params, Row};

use super::Result;

/// What receives an export's rows: called once, with an iterator over them.
pub type Consume<'a, R> = &'a mut dyn FnMut(&mut dyn Iterator<Item = R>);

/// Runs `sql` and hands its rows, read by `map`, to `consume`. A row that
/// cannot be read ends the iteration, and its error is returned.
pub(crate) fn stream<R>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<R>,
    consume: Consume<'_, R>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut failed: Option<rusqlite::Error> = None;
    {
        let rows = stmt.query_map(params, map)?;
        let mut it = rows.map_while(|r| r.map_err(|e| failed = Some(e)).ok());
        consume(&mut it);
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
