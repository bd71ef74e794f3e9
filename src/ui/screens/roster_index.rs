//! The members list's in-memory index: for every member, in pinyin order, its
//! id, its status and category marks as bits, and its entry in the pinyin
//! search index (name, full pinyin, initials, code, the phone digits a list
//! shows). About 100
//! bytes a member, so 100,000 members take about 10 MB; the full rows of a
//! page are fetched from the database by id.
//!
//! Building it reads every member (a few hundred ms at 100,000), so a large
//! roster is indexed on a worker thread with its own connection while the
//! first page is drawn from a keyset query; a small one is indexed at once.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db;
use crate::domain::member::{Mark, Member};
use crate::domain::pinyin::{PreparedQuery, Rank, SearchIndex};
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

/// Rosters this large are scanned on every core when a search starts afresh.
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

fn push_entry(ix: &mut SearchIndex, name: &str, readings: &str, code: &str, phone: &str) -> u32 {
    let shown = shown_digits(phone);
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    ix.push(name, readings, code, &shown)
}

#[derive(Debug, Default)]
pub struct RosterIndex {
    ids: Vec<i64>,
    flags: Vec<u16>,
    /// The search entry of each member (an edited member gets a new one).
    entry: Vec<u32>,
    search: SearchIndex,
}

impl RosterIndex {
    /// Reads every member (light columns only) in pinyin order.
    pub fn build(conn: &Connection, today: NaiveDate, s: &Settings) -> db::Result<Self> {
        let mut ix = RosterIndex::default();
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
            let entry = push_entry(&mut ix.search, &e.name, &e.readings, &e.code, &e.phone);
            ix.ids.push(e.id);
            ix.flags.push(flags_of(&scratch, today, s));
            ix.entry.push(entry);
        })?;
        Ok(ix)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The member id at a place in pinyin order.
    pub fn id(&self, pos: u32) -> i64 {
        self.ids[pos as usize]
    }

    pub fn position_of(&self, id: i64) -> Option<usize> {
        self.ids.iter().position(|&x| x == id)
    }

    fn passes(&self, pos: usize, status: StatusFilter, mark: Option<Mark>) -> bool {
        let f = self.flags[pos];
        status
            .status()
            .is_none_or(|s| f & STATUS_BITS == status_bits(s))
            && mark.is_none_or(|m| f & mark_bit(m) != 0)
    }

    /// The places of the members that pass the filters and match the query,
    /// best match first ([`Rank`]: the code, a code prefix, the name, phone
    /// digits), each rank in pinyin order. `within` narrows an earlier result
    /// (the query only grew by a keystroke).
    pub fn filter(
        &self,
        status: StatusFilter,
        mark: Option<Mark>,
        q: &PreparedQuery,
        within: Option<&[u32]>,
    ) -> Vec<u32> {
        let test = |p: u32| -> Option<(Rank, u32)> {
            if !self.passes(p as usize, status, mark) {
                return None;
            }
            self.search.rank(self.entry[p as usize], q).map(|r| (r, p))
        };
        let mut hits: Vec<(Rank, u32)> = match within {
            Some(w) => w.iter().filter_map(|&p| test(p)).collect(),
            None if self.ids.len() >= PARALLEL_FROM => {
                // A full scan of a large roster: one slice per core.
                let n = self.ids.len() as u32;
                let threads = std::thread::available_parallelism()
                    .map_or(1, |t| t.get())
                    .min(8) as u32;
                let chunk = n.div_ceil(threads);
                std::thread::scope(|sc| {
                    let handles: Vec<_> = (0..threads)
                        .map(|t| {
                            let test = &test;
                            sc.spawn(move || {
                                (t * chunk..((t + 1) * chunk).min(n))
                                    .filter_map(test)
                                    .collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    let mut out = Vec::new();
                    for h in handles {
                        out.extend(h.join().expect("filter thread"));
                    }
                    out
                })
            }
            None => (0..self.ids.len() as u32).filter_map(test).collect(),
        };
        if !q.is_empty() {
            hits.sort_unstable();
        }
        hits.into_iter().map(|(_, p)| p).collect()
    }

    /// Puts a saved member (new or edited) at its place `rank` in pinyin order.
    pub fn upsert(&mut self, m: &Member, rank: usize, today: NaiveDate, s: &Settings) {
        if let Some(p) = self.position_of(m.id) {
            self.ids.remove(p);
            self.flags.remove(p);
            self.entry.remove(p);
        }
        let phone = m.phone.as_deref().unwrap_or_default();
        let entry = push_entry(&mut self.search, &m.name, "", &m.code, phone);
        let at = rank.min(self.ids.len());
        self.ids.insert(at, m.id);
        self.flags.insert(at, flags_of(m, today, s));
        self.entry.insert(at, entry);
    }

    /// Records a status change (转出, 去世, back to 在册).
    pub fn set_status(&mut self, id: i64, status: MemberStatus) {
        if let Some(p) = self.position_of(id) {
            self.flags[p] = (self.flags[p] & !STATUS_BITS) | status_bits(status);
        }
    }
}

/// The index, ready or still being built on a worker thread.
#[derive(Debug)]
pub enum Loader {
    Ready(RosterIndex),
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
                Ok(Ok(ix)) => Loader::Ready(ix),
                Ok(Err(e)) => Loader::Failed(e.to_string()),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    Loader::Failed("roster index worker stopped".into())
                }
            };
        }
    }

    pub fn ready(&self) -> Option<&RosterIndex> {
        match self {
            Loader::Ready(ix) => Some(ix),
            _ => None,
        }
    }

    pub fn ready_mut(&mut self) -> Option<&mut RosterIndex> {
        match self {
            Loader::Ready(ix) => Some(ix),
            _ => None,
        }
    }
}
