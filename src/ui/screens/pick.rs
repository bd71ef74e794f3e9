//! The members a clerk finds by typing in a search or a member picker (the
//! talks and visits tab, the fund tab, the record, hardship and survey
//! forms): active members matching a code, a name, full pinyin or initials.
//!
//! On a small roster [`db::visits_list::member_candidates`] answers (SQLite
//! narrows, the pinyin matcher decides). On a large one that walk reads
//! rows all over the file: hundreds of milliseconds a keystroke at
//! 1,000,000 members. There the search goes through the Members tab's kind
//! of in-memory index ([`RosterIndex`], about 26 bytes a member), built once
//! on a worker thread with its own connection, shared by every picker of
//! the process, and searched in a few milliseconds: exact code first, then a
//! code prefix, the name, the phone digits a list shows, each in pinyin
//! order. Until it is built, or while it is built again, the walk answers.
//!
//! Never stale: every write of a member leaves an audit row in its
//! transaction (DOMAIN.md), so before each search one indexed look at the
//! audit rows newer than the index's snapshot tells whether a member
//! changed since; if one did, the walk answers and the index is built again.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::roster_index::{Hits, RosterIndex, StatusFilter};
use crate::db::{self, visits_list::MemberHit};
use crate::domain::pinyin::PreparedQuery;
use crate::domain::settings::Settings;

/// From this many members a search goes through the index.
pub const LARGE_ROSTER: usize = 20_000;

/// An index and the newest audit row of the snapshot it was read from.
struct Built {
    path: String,
    audit_id: i64,
    ix: Arc<RosterIndex>,
}

enum State {
    Idle,
    Building {
        path: String,
        rx: Receiver<db::Result<(i64, RosterIndex)>>,
    },
    Ready(Built),
}

static STATE: Mutex<State> = Mutex::new(State::Idle);

/// The last search through an index: a query that only grew since is
/// matched among its hits, not the whole roster (as on the Members tab).
struct Last {
    ix: Arc<RosterIndex>,
    query: String,
    hits: Arc<Hits>,
}

static LAST: Mutex<Option<Last>> = Mutex::new(None);

/// Active members matching `query`, at most `limit`, best first.
pub fn candidates(conn: &Connection, query: &str, limit: usize) -> db::Result<Vec<MemberHit>> {
    candidates_from(conn, query, limit, LARGE_ROSTER, false)
}

/// [`candidates`] with the roster size the index starts at; `wait`: block
/// until an index being built is ready (tests).
#[doc(hidden)]
pub fn candidates_from(
    conn: &Connection,
    query: &str,
    limit: usize,
    large: usize,
    wait: bool,
) -> db::Result<Vec<MemberHit>> {
    let q = query.trim();
    if q.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let ix = match path {
        Some(path) if db::roster::more_than(conn, large)? => index_for(conn, path, wait)?,
        _ => None,
    };
    let Some(ix) = ix else {
        return db::visits_list::member_candidates(conn, q, limit);
    };
    let pq = PreparedQuery::new(q);
    let within = {
        let last = LAST.lock().unwrap_or_else(|p| p.into_inner());
        last.as_ref()
            .filter(|l| {
                Arc::ptr_eq(&l.ix, &ix)
                    && !l.query.is_empty()
                    && pq.as_str().starts_with(l.query.as_str())
            })
            .map(|l| Arc::clone(&l.hits))
    };
    let hits = Arc::new(ix.filter(StatusFilter::Active, None, &pq, within.as_deref()));
    *LAST.lock().unwrap_or_else(|p| p.into_inner()) = Some(Last {
        ix: Arc::clone(&ix),
        query: pq.as_str().to_string(),
        hits: Arc::clone(&hits),
    });
    let mut out = Vec::with_capacity(limit.min(hits.len()));
    for place in hits.slice(&ix, 0, limit) {
        if let Some(hit) = db::visits_list::member_hit(conn, ix.id(place))? {
            out.push(hit);
        }
    }
    Ok(out)
}

/// Whether the index of the file at `path` is built (tests: the searches
/// went through it).
#[doc(hidden)]
pub fn ready_for(path: &str) -> bool {
    let state = STATE.lock().unwrap_or_else(|p| p.into_inner());
    matches!(&*state, State::Ready(b) if b.path == path)
}

/// The index of the file at `path` when it is built and no member changed
/// since its snapshot; otherwise starts building one (unless under way).
fn index_for(conn: &Connection, path: String, wait: bool) -> db::Result<Option<Arc<RosterIndex>>> {
    let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
    let mut started = false;
    loop {
        if let State::Building { path: p, rx } = &*state {
            let got = if wait {
                rx.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                rx.try_recv()
            };
            match got {
                Ok(Ok((audit_id, ix))) => {
                    let path = p.clone();
                    *state = State::Ready(Built {
                        path,
                        audit_id,
                        ix: Arc::new(ix),
                    });
                }
                Err(TryRecvError::Empty) => return Ok(None),
                // A failed build leaves the walk to answer; a later search tries again.
                Ok(Err(_)) | Err(TryRecvError::Disconnected) => *state = State::Idle,
            }
        }
        if let State::Ready(b) = &mut *state
            && b.path == path
            && let Some(newest) = db::roster::unchanged_since(conn, b.audit_id, &["members"])?
        {
            b.audit_id = newest;
            return Ok(Some(Arc::clone(&b.ix)));
        }
        if started {
            return Ok(None);
        }
        *state = build(path.clone());
        started = true;
        if !wait {
            return Ok(None);
        }
    }
}

/// Builds the index of the file at `path` on a worker thread, with the
/// newest audit row read in the same snapshot.
fn build(path: String) -> State {
    let (tx, rx) = channel();
    let worker_path = path.clone();
    std::thread::spawn(move || {
        let res = (|| -> db::Result<(i64, RosterIndex)> {
            let conn = db::open_scan(std::path::Path::new(&worker_path))?;
            // Only the status bits of the marks are read: any day and settings do.
            db::roster::with_audit_mark(&conn, |c| {
                RosterIndex::build(c, crate::clock::today(), &Settings::default())
            })
        })();
        crate::fsutil::return_freed_memory();
        let _ = tx.send(res);
    });
    State::Building { path, rx }
}
