//! The rows of a long list around its cursor: a few pages read by key from
//! the database ([`Pager`]), so opening a list and moving in it reads what
//! is shown and not the whole list, and the memory held does not grow with
//! the list. A move reads on from the window's edge by key (never an
//! OFFSET), Home from the first row, End from the last.

use rusqlite::Connection;

use crate::db;

pub use crate::db::pages::Pager;

/// Rows `start .. start + rows.len()` of a list of `len` rows.
#[derive(Debug, Clone)]
pub struct Window<R> {
    start: usize,
    rows: Vec<R>,
    len: usize,
}

impl<R> Default for Window<R> {
    fn default() -> Self {
        Window {
            start: 0,
            rows: Vec::new(),
            len: 0,
        }
    }
}

/// Pages held on either side of the cursor's page, at most.
const KEEP: usize = 3;

impl<R: Clone> Window<R> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of the first row held.
    pub fn start(&self) -> usize {
        self.start
    }

    /// The rows held, in list order.
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// Row `i` of the list, when it is held.
    pub fn get(&self, i: usize) -> Option<&R> {
        i.checked_sub(self.start).and_then(|k| self.rows.get(k))
    }

    /// Counts the list and reads its rows around `cursor` (clamped into
    /// it); returns the cursor. `per` is the page size.
    pub fn open<P: Pager<Row = R>>(
        &mut self,
        pager: &P,
        conn: &Connection,
        cursor: usize,
        per: usize,
    ) -> db::Result<usize> {
        self.len = pager.len(conn)?;
        self.rows.clear();
        self.start = 0;
        let cursor = cursor.min(self.len.saturating_sub(1));
        self.fill(pager, conn, cursor, per)?;
        Ok(cursor)
    }

    /// Counts the list again and reads the rows around the row `key` was
    /// (or where it would be); returns the cursor: that row's index, or
    /// `fallback` clamped when there is no key.
    pub fn reopen_at<P: Pager<Row = R>>(
        &mut self,
        pager: &P,
        conn: &Connection,
        key: Option<&P::Key>,
        fallback: usize,
        per: usize,
    ) -> db::Result<usize> {
        let Some(key) = key else {
            return self.open(pager, conn, fallback, per);
        };
        let per = per.max(1);
        self.len = pager.len(conn)?;
        if self.len == 0 {
            self.rows.clear();
            self.start = 0;
            return Ok(0);
        }
        let rank = pager.rank(conn, key)?.min(self.len);
        let mut rows = pager.before(conn, Some(key), 2 * per)?;
        let before = rows.len();
        rows.extend(pager.after(conn, Some(key), true, 3 * per)?);
        self.start = rank.saturating_sub(before);
        self.rows = rows;
        self.clamp();
        Ok(rank.min(self.len - 1))
    }

    /// As [`Self::reopen_at`], the row `key` was staying selected when
    /// `same` says the row there is still it; else the window opens at
    /// `fallback` (a row no longer listed: where the cursor was).
    pub fn reopen_on<P: Pager<Row = R>>(
        &mut self,
        pager: &P,
        conn: &Connection,
        key: Option<&P::Key>,
        same: impl Fn(&R) -> bool,
        fallback: usize,
        per: usize,
    ) -> db::Result<usize> {
        if key.is_some() {
            let c = self.reopen_at(pager, conn, key, fallback, per)?;
            if self.get(c).is_some_and(&same) {
                return Ok(c);
            }
        }
        self.open(pager, conn, fallback, per)
    }

    /// Reads the rows held again in place (a row changed but none came or
    /// went: the same keys, the same count).
    pub fn reread<P: Pager<Row = R>>(&mut self, pager: &P, conn: &Connection) -> db::Result<()> {
        let Some(first) = self.rows.first().map(|r| pager.key(r)) else {
            return Ok(());
        };
        self.rows = pager.after(conn, Some(&first), true, self.rows.len())?;
        self.clamp();
        Ok(())
    }

    /// Makes sure the rows one page either side of `cursor` are held,
    /// reading on from the window's edge, or from an end of the list.
    pub fn fill<P: Pager<Row = R>>(
        &mut self,
        pager: &P,
        conn: &Connection,
        cursor: usize,
        per: usize,
    ) -> db::Result<()> {
        let per = per.max(1);
        let len = self.len;
        if len == 0 {
            self.rows.clear();
            self.start = 0;
            return Ok(());
        }
        let cursor = cursor.min(len - 1);
        let lo = cursor.saturating_sub(per);
        let hi = (cursor + per + 1).min(len);
        let end = self.start + self.rows.len();
        if !self.rows.is_empty() && self.start <= lo && end >= hi {
            return Ok(());
        }
        let adjacent = !self.rows.is_empty() && lo <= end && hi >= self.start;
        if adjacent {
            if hi > end {
                // on from the last row held
                let last = pager.key(&self.rows[self.rows.len() - 1]);
                let more = pager.after(conn, Some(&last), false, hi - end + 2 * per)?;
                self.rows.extend(more);
            }
            if lo < self.start {
                // back from the first row held
                let first = pager.key(&self.rows[0]);
                let more = pager.before(conn, Some(&first), self.start - lo + 2 * per)?;
                self.start -= more.len().min(self.start);
                let mut rows = more;
                rows.append(&mut self.rows);
                self.rows = rows;
            }
        } else if cursor < len / 2 {
            // from the first row (Home, or a window far away)
            let n = (cursor + 3 * per).max(5 * per);
            if cursor <= KEEP * per {
                self.rows = pager.after(conn, None, false, n)?;
                self.start = 0;
            } else {
                return self.far(pager, conn, cursor, per);
            }
        } else {
            let n = (len - cursor + 2 * per).max(5 * per);
            if len - cursor <= KEEP * per {
                self.rows = pager.before(conn, None, n)?;
                self.start = len.saturating_sub(self.rows.len());
            } else {
                return self.far(pager, conn, cursor, per);
            }
        }
        self.trim(cursor, per);
        self.clamp();
        Ok(())
    }

    /// A row far from the window and from both ends (not a key move: a
    /// resize or a list shortened meanwhile): read from the nearer end up
    /// to it.
    fn far<P: Pager<Row = R>>(
        &mut self,
        pager: &P,
        conn: &Connection,
        cursor: usize,
        per: usize,
    ) -> db::Result<()> {
        let len = self.len;
        if cursor < len / 2 {
            let mut rows = pager.after(conn, None, false, cursor + 2 * per)?;
            let keep_from = cursor.saturating_sub(2 * per).min(rows.len());
            rows.drain(..keep_from);
            self.start = keep_from;
            self.rows = rows;
        } else {
            let mut rows = pager.before(conn, None, len - cursor + 2 * per)?;
            let start = len.saturating_sub(rows.len());
            let drop = (cursor.saturating_sub(2 * per)).saturating_sub(start);
            rows.drain(..drop.min(rows.len()));
            self.start = start + drop;
            self.rows = rows;
        }
        self.trim(cursor, per);
        self.clamp();
        Ok(())
    }

    /// Drops the rows more than [`KEEP`] pages away from the cursor.
    fn trim(&mut self, cursor: usize, per: usize) {
        let keep_lo = cursor.saturating_sub((KEEP + 1) * per);
        if keep_lo > self.start {
            let n = (keep_lo - self.start).min(self.rows.len());
            self.rows.drain(..n);
            self.start += n;
        }
        let keep_hi = cursor + (KEEP + 1) * per;
        if self.start + self.rows.len() > keep_hi {
            self.rows.truncate(keep_hi.saturating_sub(self.start));
        }
    }

    /// Keeps the window inside the count (a list changed by another clerk
    /// between the count and a read).
    fn clamp(&mut self) {
        if self.start + self.rows.len() > self.len {
            self.len = self.start + self.rows.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of the numbers 0..n read by key.
    struct Numbers(usize);

    impl Pager for Numbers {
        type Key = usize;
        type Row = usize;
        fn key(&self, row: &usize) -> usize {
            *row
        }
        fn len(&self, _: &Connection) -> db::Result<usize> {
            Ok(self.0)
        }
        fn after(
            &self,
            _: &Connection,
            after: Option<&usize>,
            inclusive: bool,
            n: usize,
        ) -> db::Result<Vec<usize>> {
            let from = match after {
                None => 0,
                Some(&k) if inclusive => k,
                Some(&k) => k + 1,
            };
            Ok((from..self.0).take(n).collect())
        }
        fn before(
            &self,
            _: &Connection,
            before: Option<&usize>,
            n: usize,
        ) -> db::Result<Vec<usize>> {
            let to = before.copied().unwrap_or(self.0).min(self.0);
            Ok((to.saturating_sub(n)..to).collect())
        }
        fn rank(&self, _: &Connection, key: &usize) -> db::Result<usize> {
            Ok((*key).min(self.0))
        }
    }

    #[test]
    fn every_move_holds_the_rows_around_the_cursor_and_no_more() {
        let conn = Connection::open_in_memory().unwrap();
        for n in [0usize, 1, 5, 17, 100, 1000] {
            let p = Numbers(n);
            let mut w = Window::default();
            let per = 7;
            let mut cursor = w.open(&p, &conn, 0, per).unwrap();
            let mut moves: Vec<isize> = vec![1, 1, 7, 7, 7, -1, -7, isize::MAX, -7, -1, 7];
            moves.extend([isize::MIN, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, -7, -7, -7, -7]);
            for m in moves {
                cursor = match m {
                    isize::MAX => n.saturating_sub(1),
                    isize::MIN => 0,
                    m if m < 0 => cursor.saturating_sub(m.unsigned_abs()),
                    m => (cursor + m as usize).min(n.saturating_sub(1)),
                };
                w.fill(&p, &conn, cursor, per).unwrap();
                assert_eq!(w.len(), n);
                if n == 0 {
                    assert!(w.rows().is_empty());
                    continue;
                }
                for i in cursor.saturating_sub(per)..(cursor + per + 1).min(n) {
                    assert_eq!(w.get(i), Some(&i), "row {i} at cursor {cursor} of {n}");
                }
                assert!(w.rows().len() <= (2 * KEEP + 3) * per, "{}", w.rows().len());
                for (k, r) in w.rows().iter().enumerate() {
                    assert_eq!(*r, w.start() + k);
                }
            }
        }
    }

    #[test]
    fn reopening_at_a_key_puts_the_cursor_on_its_row() {
        let conn = Connection::open_in_memory().unwrap();
        let p = Numbers(500);
        let mut w = Window::default();
        let c = w.reopen_at(&p, &conn, Some(&321), 0, 10).unwrap();
        assert_eq!(c, 321);
        assert_eq!(w.get(321), Some(&321));
        assert_eq!(w.get(311), Some(&311));
        let c = w.reopen_at(&p, &conn, Some(&900), 0, 10).unwrap();
        assert_eq!(c, 499);
        assert_eq!(w.get(499), Some(&499));
        let c = w.reopen_at(&p, &conn, None, 250, 10).unwrap();
        assert_eq!(c, 250);
        assert_eq!(w.get(250), Some(&250));
    }
}
