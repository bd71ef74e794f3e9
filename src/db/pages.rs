//! A list read a page at a time by key (the screens hold a window of it,
//! `ui::widgets::window`): a page read on from a row through an index,
//! never an OFFSET.

use rusqlite::Connection;

use super::Result;

/// A list read a page at a time in its order, by the key of a row.
pub trait Pager {
    type Key: Clone;
    type Row: Clone;

    /// The key of a row: its place in the order, unique in the list.
    fn key(&self, row: &Self::Row) -> Self::Key;

    /// How many rows the list has.
    fn len(&self, conn: &Connection) -> Result<usize>;

    /// Up to `n` rows after `after` (`inclusive`: from it), from the first
    /// row when None, in list order.
    fn after(
        &self,
        conn: &Connection,
        after: Option<&Self::Key>,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<Self::Row>>;

    /// Up to `n` rows just before `before`, up to the last row when None, in
    /// list order.
    fn before(
        &self,
        conn: &Connection,
        before: Option<&Self::Key>,
        n: usize,
    ) -> Result<Vec<Self::Row>>;

    /// How many rows come before `key` (the row's index when it is listed,
    /// where it would be when not).
    fn rank(&self, conn: &Connection, key: &Self::Key) -> Result<usize>;
}
