//! The members list's in-memory index: for every member, in pinyin order, its
//! id, its status and category marks as bits, and its entry in the pinyin
//! search index ([`CompactIndex`]: name, code, the phone digits a list
//! shows; readings once per character). About 26 bytes a member, so
//! 1,000,000 members take about 26 MB; the full rows of a page are fetched
//! from the database by id. A search scans in pinyin order and buckets the
//! matches by rank as they come ([`Hits`]), so no result is ever sorted.
//!
//! Building it reads every member (a few hundred ms at 100,000), so a large
//! roster is indexed on a worker thread with its own connection while the
//! first page is drawn from a keyset query; a small one is indexed at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db;
use crate::domain::member::{Mark, Member};
use crate::domain::pinyin::{CompactIndex, PreparedQuery, Scratch};
use crate::domain::settings::Settings;
use crate::domain::validate::mask_phone;
use crate::domain::vocab::MemberStatus;

/// Which statuses the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Active,
    TransferredOut,
    Deceased,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::Active,
        StatusFilter::TransferredOut,
        StatusFilter::Deceased,
        StatusFilter::All,
    ];

    pub fn status(self) -> Option<MemberStatus> {
        match self {
            StatusFilter::Active => Some(MemberStatus::Active),
            StatusFilter::TransferredOut => Some(MemberStatus::TransferredOut),
            StatusFilter::Deceased => Some(MemberStatus::Deceased),
            StatusFilter::All => None,
        }
    }

    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&s| s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

const STATUS_BITS: u16 = 0b11;

/// Runs this long are scanned on every core.
const PARALLEL_FROM: usize = 20_000;

fn status_bits(s: MemberStatus) -> u16 {
    match s {
        MemberStatus::Active => 0,
        MemberStatus::TransferredOut => 1,
        MemberStatus::Deceased => 2,
    }
}

fn mark_bit(m: Mark) -> u16 {
    let i = Mark::ALL.iter().position(|&x| x == m).unwrap_or(0);
    1 << (2 + i)
}

fn flags_of(m: &Member, today: NaiveDate, s: &Settings) -> u16 {
    m.marks(today, s)
        .into_iter()
        .fold(status_bits(m.status), |f, mk| f | mark_bit(mk))
}

/// The runs of digits the list shows of a phone (`138****5678`: `138` and
/// `5678`), so `5678` finds it and the hidden digits never match.
fn shown_digits(phone: &str) -> Vec<String> {
    if phone.trim().is_empty() {
        return Vec::new();
    }
    mask_phone(phone)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn push_entry(ix: &mut CompactIndex, name: &str, readings: &str, code: &str, phone: &str) {
    let shown = shown_digits(phone);
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    ix.push(name, readings, code, &shown);
}

/// Member ids, four bytes each while every id fits.
#[derive(Debug, Clone)]
enum Ids {
    Narrow(Vec<u32>),
    Wide(Vec<i64>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Narrow(Vec::new())
    }
}

impl Ids {
    fn with_capacity(n: usize) -> Self {
        Ids::Narrow(Vec::with_capacity(n))
    }

    fn len(&self) -> usize {
        match self {
            Ids::Narrow(v) => v.len(),
            Ids::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> i64 {
        match self {
            Ids::Narrow(v) => i64::from(v[i]),
            Ids::Wide(v) => v[i],
        }
    }

    fn widen(&mut self, id: i64) -> &mut Vec<i64> {
        if let Ids::Narrow(v) = self
            && u32::try_from(id).is_err()
        {
            *self = Ids::Wide(v.iter().map(|&x| i64::from(x)).collect());
        }
        match self {
            Ids::Wide(v) => v,
            Ids::Narrow(_) => unreachable!("widened above"),
        }
    }

    fn insert(&mut self, at: usize, id: i64) {
        match (self, u32::try_from(id)) {
            (Ids::Narrow(v), Ok(x)) => v.insert(at, x),
            (ids, _) => ids.widen(id).insert(at, id),
        }
    }

    fn push(&mut self, id: i64) {
        let at = self.len();
        self.insert(at, id);
    }

    fn remove(&mut self, at: usize) {
        match self {
            Ids::Narrow(v) => {
                v.remove(at);
            }
            Ids::Wide(v) => {
                v.remove(at);
            }
        }
    }

    fn position(&self, id: i64) -> Option<usize> {
        match self {
            Ids::Narrow(v) => {
                let id = u32::try_from(id).ok()?;
                v.iter().position(|&x| x == id)
            }
            Ids::Wide(v) => v.iter().position(|&x| x == id),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RosterIndex {
    ids: Ids,
    flags: Vec<u16>,
    /// Each member's search entry, at its place.
    search: CompactIndex,
    /// Runs this long are scanned on every core ([`PARALLEL_FROM`]; tests lower it).
    parallel_from: usize,
}

impl RosterIndex {
    /// Reads every member (light columns only) in pinyin order.
    pub fn build(conn: &Connection, today: NaiveDate, s: &Settings) -> db::Result<Self> {
        // Presized, so no vector doubles while the roster is read.
        let n = usize::try_from(db::members::count(conn)?).unwrap_or(0);
        let mut ix = RosterIndex {
            ids: Ids::with_capacity(n),
            flags: Vec::with_capacity(n),
            search: CompactIndex::with_capacity(n),
            parallel_from: PARALLEL_FROM,
        };
        // One scratch member so marks come from `Member::marks`, not a copy of its rules.
        let mut scratch = Member::new("", "", today);
        db::members::for_each_roster_entry(conn, |e| {
            scratch.status = e.status;
            scratch.birth_date = e.birth_date;
            scratch.joined_on = e.joined_on;
            scratch.mobile = e.mobile;
            scratch.honorary = e.honorary;
            scratch.low_income = e.low_income;
            scratch.no_fixed_income = e.no_fixed_income;
            scratch.living_alone = e.living_alone;
            scratch.disabled = e.disabled;
            scratch.chronic_ill = e.chronic_ill;
            push_entry(&mut ix.search, &e.name, &e.readings, &e.code, &e.phone);
            ix.ids.push(e.id);
            ix.flags.push(flags_of(&scratch, today, s));
        })?;
        ix.search.shrink_to_fit();
        Ok(ix)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// Bytes the index holds, about (figures).
    pub fn heap_bytes(&self) -> usize {
        let ids = match &self.ids {
            Ids::Narrow(v) => v.capacity() * 4,
            Ids::Wide(v) => v.capacity() * 8,
        };
        ids + self.flags.capacity() * 2 + self.search.heap_bytes()
    }

    /// The member id at a place in pinyin order.
    pub fn id(&self, pos: u32) -> i64 {
        self.ids.get(pos as usize)
    }

    pub fn position_of(&self, id: i64) -> Option<usize> {
        self.ids.position(id)
    }

    fn passes(&self, pos: usize, status: StatusFilter, mark: Option<Mark>) -> bool {
        let f = self.flags[pos];
        status
            .status()
            .is_none_or(|s| f & STATUS_BITS == status_bits(s))
            && mark.is_none_or(|m| f & mark_bit(m) != 0)
    }

    /// The places of the members that pass the filters and match the query,
    /// best match first ([`Rank`](crate::domain::pinyin::Rank): the code, a code prefix, the name, phone
    /// digits), each rank in pinyin order. `within` narrows an earlier result
    /// (the query only grew by a keystroke).
    pub fn filter(
        &self,
        status: StatusFilter,
        mark: Option<Mark>,
        q: &PreparedQuery,
        within: Option<&Hits>,
    ) -> Hits {
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        self.filter_with(status, mark, q, within, threads, &AtomicBool::new(false))
            .unwrap_or_default()
    }

    /// Every member passing the filters, in pinyin order (an empty search),
    /// without a list of places.
    pub fn every(&self, status: StatusFilter, mark: Option<Mark>) -> Hits {
        Hits::every(self, status, mark)
    }

    /// [`filter`](Self::filter) on at most `threads` threads; `None` when
    /// `cancel` was set before it finished.
    pub fn filter_with(
        &self,
        status: StatusFilter,
        mark: Option<Mark>,
        q: &PreparedQuery,
        within: Option<&Hits>,
        threads: usize,
        cancel: &AtomicBool,
    ) -> Option<Hits> {
        let m = self.search.matcher(q);
        let test = |buckets: &mut [Vec<u32>; RANKS], sc: &mut Scratch, p: u32| {
            if self.passes(p as usize, status, mark)
                && let Some(r) = m.rank(p as usize, sc)
            {
                buckets[rank_no(r)].push(p);
            }
        };
        let threads_for = |n: usize| {
            if n >= self.parallel_from.max(2) {
                threads
            } else {
                1
            }
        };
        let hits = match within.filter(|w| !w.is_every()) {
            None => {
                let n = self.ids.len();
                Hits::from_buckets(scan(n, threads_for(n), cancel, |b, buf, i| {
                    test(b, buf, i as u32)
                }))
            }
            Some(w) => {
                // Each earlier rank in pinyin order gives runs in pinyin
                // order to the new ranks; a new rank merges its runs.
                let mut runs: [Vec<Vec<u32>>; RANKS] = Default::default();
                for r in 0..RANKS {
                    let old = w.bucket(r);
                    let got = scan(old.len(), threads_for(old.len()), cancel, |b, buf, i| {
                        test(b, buf, old[i])
                    });
                    for (to, v) in got.into_iter().enumerate() {
                        runs[to].push(v);
                    }
                }
                Hits::from_buckets(runs.map(merge_runs))
            }
        };
        (!cancel.load(Ordering::Relaxed)).then_some(hits)
    }

    /// The start of the result for a query, read in pinyin order for about
    /// `budget`: the places known to be the result's first ones (until
    /// `want` are, or the time is up), how many matches were seen, and the
    /// whole result if the scan reached the end. A rank's matches seen so
    /// far are the first of that rank, so they stand where they will stay
    /// once every better rank is known in full: none of it can match (a
    /// code search when every code is digits and the query is not), or the
    /// scan is through.
    pub fn first_page(
        &self,
        status: StatusFilter,
        mark: Option<Mark>,
        q: &PreparedQuery,
        want: usize,
        budget: Duration,
        chunk: usize,
    ) -> FirstPage {
        let start = Instant::now();
        let m = self.search.matcher(q);
        let possible = m.possible();
        if !possible.contains(&true) {
            return FirstPage {
                done: Some(Hits::default()),
                ..FirstPage::default()
            };
        }
        let n = self.ids.len();
        let mut buckets: [Vec<u32>; RANKS] = Default::default();
        let mut sc = Scratch::default();
        let mut at = 0;
        loop {
            let to = (at + chunk.max(1)).min(n);
            for p in at..to {
                if self.passes(p, status, mark)
                    && let Some(r) = m.rank(p, &mut sc)
                {
                    buckets[rank_no(r)].push(p as u32);
                }
            }
            at = to;
            if at == n {
                return FirstPage {
                    shown: Vec::new(),
                    found: buckets.iter().map(Vec::len).sum(),
                    done: Some(Hits::from_buckets(buckets)),
                };
            }
            let mut shown = Vec::new();
            for (r, b) in buckets.iter().enumerate() {
                if possible[r] && !b.is_empty() {
                    shown.extend_from_slice(&b[..b.len().min(want)]);
                }
                if possible[r] {
                    break;
                }
            }
            shown.truncate(want);
            if shown.len() >= want || start.elapsed() >= budget {
                return FirstPage {
                    shown,
                    found: buckets.iter().map(Vec::len).sum(),
                    done: None,
                };
            }
        }
    }

    /// Puts a saved member (new or edited) at its place `rank` in pinyin order.
    pub fn upsert(&mut self, m: &Member, rank: usize, today: NaiveDate, s: &Settings) {
        if let Some(p) = self.position_of(m.id) {
            self.ids.remove(p);
            self.flags.remove(p);
            self.search.remove(p);
        }
        let phone = m.phone.as_deref().unwrap_or_default();
        let shown = shown_digits(phone);
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        let at = rank.min(self.ids.len());
        self.search.insert(at, &m.name, "", &m.code, &shown);
        self.ids.insert(at, m.id);
        self.flags.insert(at, flags_of(m, today, s));
    }

    /// Records a status change (转出, 去世, back to 在册).
    pub fn set_status(&mut self, id: i64, status: MemberStatus) {
        if let Some(p) = self.position_of(id) {
            self.flags[p] = (self.flags[p] & !STATUS_BITS) | status_bits(status);
        }
    }
}

/// Returns the memory freed while reading the roster (its rows, the
/// connection's cache) to the system, where the C library keeps it.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The index, ready or still being built on a worker thread.
#[derive(Debug)]
pub enum Loader {
    Ready(Arc<RosterIndex>),
    /// Not started yet: the Overview's worker goes first on a 2-core machine.
    Deferred {
        path: String,
        today: NaiveDate,
        settings: Settings,
    },
    Pending(Receiver<db::Result<RosterIndex>>),
    Failed(String),
}

impl Loader {
    /// Builds on a worker thread with its own connection to `path`.
    pub fn spawn(path: String, today: NaiveDate, settings: Settings) -> Loader {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let res = db::open_scan(std::path::Path::new(&path))
                .and_then(|c| RosterIndex::build(&c, today, &settings));
            give_back_freed_memory();
            let _ = tx.send(res);
        });
        Loader::Pending(rx)
    }

    /// Starts a deferred build on its worker thread.
    pub fn start(&mut self) {
        if let Loader::Deferred {
            path,
            today,
            settings,
        } = self
        {
            *self = Loader::spawn(std::mem::take(path), *today, settings.clone());
        }
    }

    /// Takes the worker's result if it has arrived (`block`: wait for it,
    /// starting a deferred build first).
    pub fn poll(&mut self, block: bool) {
        if block {
            self.start();
        }
        if let Loader::Pending(rx) = self {
            let got = if block {
                rx.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                rx.try_recv()
            };
            *self = match got {
                Ok(Ok(ix)) => Loader::Ready(Arc::new(ix)),
                Ok(Err(e)) => Loader::Failed(e.to_string()),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    Loader::Failed("roster index worker stopped".into())
                }
            };
        }
    }

    pub fn ready(&self) -> Option<&Arc<RosterIndex>> {
        match self {
            Loader::Ready(ix) => Some(ix),
            _ => None,
        }
    }

    /// The index to change. Drop a running [`Search`] first; an abandoned
    /// one lets go within a few thousand members, so this waits for that
    /// (up to a second, then the index is copied rather than shared).
    pub fn ready_mut(&mut self) -> Option<&mut RosterIndex> {
        match self {
            Loader::Ready(ix) => {
                for _ in 0..1000 {
                    if Arc::strong_count(ix) == 1 {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Some(Arc::make_mut(ix))
            }
            _ => None,
        }
    }
}

mod hits;
mod worker;

pub use hits::Hits;
use hits::{RANKS, merge_runs, rank_no};
use worker::scan;
pub use worker::{FirstPage, Search};

#[cfg(test)]
mod tests;
