//! The members search as the clerk types: a result the keystroke can reach
//! at once (a small roster, an earlier result narrowed, a query few members
//! match) is computed whole; else the keystroke reads the roster in pinyin
//! order for a few milliseconds, shows the rows known to come first, and a
//! worker thread finishes the search (the list says "searching…" and
//! counts "at least" until it is back).

use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;

use super::MembersScreen;
use crate::db;
use crate::domain::pinyin::PreparedQuery;
use crate::ui::screens::roster_index::{Hits, Search};

/// When a search goes to the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchTuning {
    /// Searches over at most this many members are computed whole at once.
    pub sync_limit: usize,
    /// How long a keystroke reads the roster for the first rows.
    pub budget: Duration,
    /// Members read between two looks at the clock.
    pub chunk: usize,
    /// Places kept in earlier results for Backspace (beside the one shown).
    pub kept_places: usize,
}

impl Default for SearchTuning {
    fn default() -> Self {
        SearchTuning {
            sync_limit: 50_000,
            budget: Duration::from_millis(2),
            chunk: 2048,
            kept_places: 250_000,
        }
    }
}

/// A search the worker is finishing, and what the list shows meanwhile.
#[derive(Debug)]
pub(super) struct Pending {
    query: String,
    search: Search,
    /// The result's first places, known already.
    shown: Vec<u32>,
}

impl MembersScreen {
    /// How many members the list shows (a floor while searching).
    pub(super) fn visible_len(&self) -> usize {
        match (&self.pending, self.results.last()) {
            (Some(p), _) => p.shown.len(),
            (None, Some((_, v))) => v.len(),
            (None, None) => 0,
        }
    }

    /// The places (in the index) of the rows `from..to` of the list.
    pub(super) fn visible_places(&self, from: usize, to: usize) -> Vec<u32> {
        match (&self.pending, self.results.last(), self.loader.ready()) {
            (Some(p), _, _) => p.shown[from.min(p.shown.len())..to.min(p.shown.len())].to_vec(),
            (None, Some((_, v)), Some(ix)) => v.slice(ix, from, to),
            _ => Vec::new(),
        }
    }

    /// True while the worker finishes a search: the rows shown are the
    /// result's first ones and [`total`](Self::total) is a lower bound.
    pub fn searching(&self) -> bool {
        self.pending.is_some()
    }

    /// Bytes held by the search index and the results kept for Backspace,
    /// about (figures).
    pub fn search_bytes(&self) -> (usize, usize) {
        let ix = self.loader.ready().map_or(0, |ix| ix.heap_bytes());
        let kept = self.results.iter().map(|(_, h)| h.places().len() * 4).sum();
        (ix, kept)
    }

    /// How searches are split between the keystroke and the worker (tests
    /// and benchmarks try the worker on small rosters).
    pub fn set_search_tuning(&mut self, t: SearchTuning) {
        self.tuning = t;
    }

    /// Recomputes the visible members. `reuse`: the filters and the index are
    /// unchanged since the last call, so earlier results may be reused.
    pub(super) fn refilter(&mut self, conn: &Connection, reuse: bool) -> db::Result<()> {
        if let Some(p) = self.pending.take() {
            p.search.abandon();
        }
        let q = PreparedQuery::new(self.search.value());
        let Some(ix) = self.loader.ready().map(Arc::clone) else {
            return Ok(());
        };
        if !reuse {
            self.results.clear();
        }
        while let Some((top, _)) = self.results.last()
            && !q.as_str().starts_with(top.as_str())
        {
            self.results.pop();
        }
        self.using_index = true;
        self.cursor = 0;
        self.page_offset = usize::MAX;
        if self
            .results
            .last()
            .is_some_and(|(top, _)| top == q.as_str())
        {
            self.total = self.visible_len();
            return self.fetch_page(conn);
        }
        let (status, mark) = (self.status_filter, self.mark_filter);
        let within = self.results.last().map(|(_, v)| Arc::clone(v));
        let source = within.as_ref().map_or(ix.len(), |w| w.len());
        if q.is_empty() {
            // Every member passing the filters: counted, not listed.
            let v = ix.every(status, mark);
            self.keep(String::new(), v);
        } else if source <= self.tuning.sync_limit {
            let v = ix.filter(status, mark, &q, within.as_deref());
            self.keep(q.as_str().to_string(), v);
        } else {
            let t = self.tuning;
            let first = ix.first_page(status, mark, &q, self.page_size, t.budget, t.chunk);
            match first.done {
                Some(v) => self.keep(q.as_str().to_string(), v),
                None => {
                    let search = Search::spawn(ix, status, mark, q.clone(), within);
                    self.pending = Some(Pending {
                        query: q.as_str().to_string(),
                        search,
                        shown: first.shown,
                    });
                    // Matches seen so far: the result has at least this many.
                    self.total = first.found;
                    return self.fetch_page(conn);
                }
            }
        }
        self.total = self.visible_len();
        self.fetch_page(conn)
    }

    /// Puts a result on top of those kept for Backspace, letting go of the
    /// largest earlier ones while they hold more than
    /// [`SearchTuning::kept_places`] (Backspace to one of those searches again).
    fn keep(&mut self, query: String, hits: Hits) {
        self.results.push((query, Arc::new(hits)));
        loop {
            // Each kept query stays a prefix of the next, whichever goes.
            let below = &self.results[..self.results.len() - 1];
            let kept: usize = below.iter().map(|(_, h)| h.places().len()).sum();
            let largest = below
                .iter()
                .enumerate()
                .max_by_key(|(_, (_, h))| h.places().len())
                .map(|(i, _)| i);
            match largest {
                Some(i) if kept > self.tuning.kept_places => {
                    self.results.remove(i);
                }
                _ => break,
            }
        }
    }

    /// Takes the worker's result if it is back (`wait`: waits for it); true
    /// when it arrived. The cursor stays on the row it was on (the rows
    /// shown before are the result's first ones).
    pub(super) fn poll_search(&mut self, conn: &Connection, wait: bool) -> db::Result<bool> {
        let Some(p) = &mut self.pending else {
            return Ok(false);
        };
        let Some(hits) = p.search.poll(wait) else {
            if wait {
                // The worker stopped without a result: search here.
                self.pending = None;
                self.refilter_now(conn)?;
                return Ok(true);
            }
            return Ok(false);
        };
        let Some(p) = self.pending.take() else {
            return Ok(false);
        };
        self.keep(p.query, hits);
        self.total = self.visible_len();
        self.cursor = self.cursor.min(self.total.saturating_sub(1));
        self.page_offset = usize::MAX;
        self.fetch_page(conn)?;
        Ok(true)
    }

    /// Waits for a search the worker is finishing (before a move that needs
    /// the whole result).
    pub(super) fn finish_search(&mut self, conn: &Connection) -> db::Result<()> {
        self.poll_search(conn, true).map(|_| ())
    }

    /// The whole result computed here, with no worker.
    fn refilter_now(&mut self, conn: &Connection) -> db::Result<()> {
        let q = PreparedQuery::new(self.search.value());
        let Some(ix) = self.loader.ready().map(Arc::clone) else {
            return Ok(());
        };
        let within = self.results.last().map(|(_, v)| Arc::clone(v));
        let v: Hits = ix.filter(self.status_filter, self.mark_filter, &q, within.as_deref());
        self.keep(q.as_str().to_string(), v);
        self.total = self.visible_len();
        self.cursor = self.cursor.min(self.total.saturating_sub(1));
        self.page_offset = usize::MAX;
        self.fetch_page(conn)
    }
}
