//! Loading what the rule engine needs, fast, and running it over the roster.
//!
//! [`compute`] is the overdue / due-soon list of the command line and the
//! Overview; [`member_obligations`] is one member's obligations with their
//! explanations (the member detail screen, and the explanation line of a row).
//!
//! How the list stays fast at a million members without loading the records:
//! - the triggers of `schema.sql` keep each member's latest talk, in-person
//!   visit, health check and contact in `members`, so one sequential scan of
//!   `members` feeds every interval rule. When records after D exist (an as-of
//!   in the past) the cached value may be too new: a few such members are
//!   corrected with indexed `max(date) … date <= D` queries, many with one
//!   grouped pass per table;
//! - the pinyin order comes from a covering scan of the `members_sort` index
//!   (sort_key, code → rowid): a dense rank per name, so rows sort on integers;
//! - events are one scan of `events`, judged against the latest talk and visit
//!   kept per member in a compact array; campaigns are one indexed range query
//!   over `visits_date` each, kept as a bitset; hardship cases and loan
//!   instalments are few and read with their own queries;
//! - each active member's id, code and name go into one byte arena; a row is
//!   16 bytes (a packed sort key — due date, pinyin rank, obligation code rank
//!   — and the member's place in the arena), so sorting compares integers and
//!   printing a row reads one place in memory (touched a few rows ahead);
//! - on a large roster in a file, the work is split over two threads, each
//!   with its own connection reading the same snapshot (a third connection
//!   holds the write lock while both read transactions start): the ranks
//!   beside the small queries, then the member pass by id range, then the
//!   event pass by rowid range; the halves are merged before the sort.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, Result, date_text, parse_date};
use crate::domain::records::Campaign;
use crate::domain::rules::{
    self, Context, Found, KindRef, Latest, LiveCase, MemberFacts, Obligation, ObligationKind, Rule,
    State, WindowVisit,
};
use crate::domain::settings::Settings;
use crate::domain::vocab::{CampaignTarget, Coded, EventKind};

pub mod kept;
pub mod listing;
mod passes;
mod queries;

#[doc(hidden)]
pub use passes::{Parallel, compute_part, compute_with};
use queries::*;

/// Which rows [`compute`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Overdue obligations (due < D).
    Overdue,
    /// Due-soon obligations (D ≤ due ≤ D + due_soon_days).
    Soon,
    /// Both, overdue first (the Overview).
    Both,
    /// Every obligation not satisfied (as Overdue on a far day), and the
    /// satisfied campaign obligations apart ([`Report::done`]): what the
    /// kept table holds (see `kept`).
    Kept,
}

impl Which {
    fn wants(self, s: State) -> bool {
        match self {
            Which::Overdue => s == State::Overdue,
            Which::Soon => s == State::DueSoon,
            Which::Both => matches!(s, State::Overdue | State::DueSoon),
            Which::Kept => s == State::Overdue,
        }
    }
}

/// How many obligations of one rule are in each state on D (every active member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: Rule,
    pub overdue: u64,
    pub due_soon: u64,
    pub not_due: u64,
    /// Event and campaign obligations discharged by a record.
    pub satisfied: u64,
}

impl RuleCount {
    pub fn total(&self) -> u64 {
        self.overdue + self.due_soon + self.not_due + self.satisfied
    }

    fn add(&mut self, s: State) {
        match s {
            State::Overdue => self.overdue += 1,
            State::DueSoon => self.due_soon += 1,
            State::NotDue => self.not_due += 1,
            State::Satisfied => self.satisfied += 1,
        }
    }
}

/// A started campaign (from ≤ D) and how far it has got: members targeted and
/// members visited in person inside the window (up to D).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignProgress {
    pub campaign: Campaign,
    pub targeted: u64,
    pub visited: u64,
}

/// One row of the list, 16 bytes (a million rows fit in 16 MB): the due date,
/// the pinyin rank of the name and the obligation packed into one sort key,
/// and where the member's id, code and name are in the report. Read it
/// through [`Report::view`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    key: u64,
    at: u32,
}

const KIND_BITS: u32 = 12;
const RANK_BITS: u32 = 24;
/// Days from CE are offset so every date SQLite accepts (years 0–9999) is positive.
const DAY_OFFSET: i32 = 1000;

impl Row {
    fn new(due: NaiveDate, name_rank: u32, kind: u16, at: u32) -> Row {
        let day = (due.num_days_from_ce() + DAY_OFFSET).max(0) as u64;
        Row {
            key: day << (RANK_BITS + KIND_BITS)
                | u64::from(name_rank) << KIND_BITS
                | u64::from(kind),
            at,
        }
    }

    pub fn due(&self) -> NaiveDate {
        let day = (self.key >> (RANK_BITS + KIND_BITS)) as i32 - DAY_OFFSET;
        NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default()
    }

    fn name_rank(&self) -> u32 {
        ((self.key >> KIND_BITS) & ((1 << RANK_BITS) - 1)) as u32
    }

    fn kind(&self) -> usize {
        (self.key & ((1 << KIND_BITS) - 1)) as usize
    }
}

/// A row with its member and obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowView<'a> {
    pub member_id: i64,
    pub member_code: &'a str,
    pub name: &'a str,
    pub kind: &'a ObligationKind,
    /// The obligation code (`annual_talk`, `campaign:春节走访` …).
    pub code: &'a str,
    pub due: NaiveDate,
    /// D − due: positive when overdue, ≤ 0 when due soon.
    pub days_overdue: i64,
    pub state: State,
}

/// Every active member's id, code and name, one record after another:
/// id (8 bytes), code length (2), name length (2), code, name. A row points
/// at its member's record, so printing a row touches one place in memory.
#[derive(Debug, Clone, Default)]
struct Records(Vec<u8>);

impl Records {
    fn push(&mut self, id: i64, code: &str, name: &str) -> u32 {
        let at = self.0.len() as u32;
        let (code, name) = (clip(code), clip(name));
        self.0.extend_from_slice(&id.to_le_bytes());
        self.0.extend_from_slice(&(code.len() as u16).to_le_bytes());
        self.0.extend_from_slice(&(name.len() as u16).to_le_bytes());
        self.0.extend_from_slice(code.as_bytes());
        self.0.extend_from_slice(name.as_bytes());
        at
    }

    fn get(&self, at: u32) -> (i64, &str, &str) {
        let b = &self.0[at as usize..];
        let id = i64::from_le_bytes(b[..8].try_into().unwrap_or_default());
        let code_len = usize::from(u16::from_le_bytes([b[8], b[9]]));
        let name_len = usize::from(u16::from_le_bytes([b[10], b[11]]));
        let code = &b[12..12 + code_len];
        let name = &b[12 + code_len..12 + code_len + name_len];
        (id, utf8(code), utf8(name))
    }
}

/// The overdue and/or due-soon list on one day, sorted (DOMAIN.md order), with
/// counts per rule and the progress of every started campaign.
#[derive(Debug, Clone)]
pub struct Report {
    pub as_of: NaiveDate,
    rows: Vec<Row>,
    /// Satisfied campaign obligations (only for [`Which::Kept`]).
    done: Vec<Row>,
    kinds: Vec<ObligationKind>,
    codes: Vec<String>,
    records: Records,
    /// One entry per [`Rule::ALL`], in that order.
    pub counts: Vec<RuleCount>,
    /// Campaigns with from ≤ D, newest window first.
    pub campaigns: Vec<CampaignProgress>,
    /// The pinyin key of every rank (only for [`Which::Kept`]).
    keys: SortKeys,
}

/// Every distinct pinyin key of the members a pass read, in order: the key
/// of each name rank.
#[derive(Debug, Clone, Default)]
struct SortKeys {
    arena: Vec<u8>,
    ends: Vec<u32>,
}

impl SortKeys {
    /// Adds the key of the next rank.
    fn push(&mut self, key: &[u8]) {
        self.arena.extend_from_slice(key);
        self.ends.push(self.arena.len() as u32);
    }

    /// The key of rank `rank` (ranks count from 1, as the pass numbers them).
    fn get(&self, rank: u32) -> &[u8] {
        let Some(i) = (rank as usize).checked_sub(1) else {
            return &[];
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        self.arena.get(start..end).unwrap_or(&[])
    }
}

impl Report {
    /// The pinyin key of a row's member (a [`Which::Kept`] report's).
    pub fn sort_key(&self, r: &Row) -> &[u8] {
        self.keys.get(r.name_rank())
    }

    /// Every row, in list order (overdue ones first when both were asked for).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The satisfied campaign obligations (a report for [`Which::Kept`]).
    pub fn done(&self) -> &[Row] {
        &self.done
    }

    /// The overdue rows (a prefix of [`Report::rows`]).
    pub fn overdue(&self) -> &[Row] {
        &self.rows[..self.split()]
    }

    /// The due-soon rows (the rest of [`Report::rows`]).
    pub fn soon(&self) -> &[Row] {
        &self.rows[self.split()..]
    }

    fn split(&self) -> usize {
        self.rows.partition_point(|r| r.due() < self.as_of)
    }

    pub fn member_id(&self, r: &Row) -> i64 {
        self.records.get(r.at).0
    }

    pub fn member_code(&self, r: &Row) -> &str {
        self.records.get(r.at).1
    }

    pub fn member_name(&self, r: &Row) -> &str {
        self.records.get(r.at).2
    }

    pub fn kind(&self, r: &Row) -> &ObligationKind {
        &self.kinds[r.kind()]
    }

    pub fn code(&self, r: &Row) -> &str {
        &self.codes[r.kind()]
    }

    /// D − due.
    pub fn days_overdue(&self, r: &Row) -> i64 {
        rules::days_overdue(r.due(), self.as_of)
    }

    /// Overdue or due soon (a report holds no other rows).
    pub fn state(&self, r: &Row) -> State {
        if r.due() < self.as_of {
            State::Overdue
        } else {
            State::DueSoon
        }
    }

    pub fn view<'a>(&'a self, r: &Row) -> RowView<'a> {
        let (member_id, member_code, name) = self.records.get(r.at);
        let due = r.due();
        RowView {
            member_id,
            member_code,
            name,
            kind: &self.kinds[r.kind()],
            code: &self.codes[r.kind()],
            due,
            days_overdue: rules::days_overdue(due, self.as_of),
            state: if due < self.as_of {
                State::Overdue
            } else {
                State::DueSoon
            },
        }
    }

    /// Every row in list order. Members are spread over the report's memory,
    /// so the record of a row a few places ahead is touched early: the
    /// processor then fetches several at once instead of waiting for each.
    pub fn iter(&self) -> impl Iterator<Item = RowView<'_>> + '_ {
        const AHEAD: usize = 16;
        self.rows.iter().enumerate().map(move |(i, r)| {
            if let Some(next) = self.rows.get(i + AHEAD) {
                std::hint::black_box(self.records.0.get(next.at as usize).copied());
            }
            self.view(r)
        })
    }

    pub fn count(&self, rule: Rule) -> RuleCount {
        self.counts[rule.index()]
    }

    /// The explanation of a row (rule, anchor, last record …), from the same
    /// rules run over that one member's records.
    pub fn explain(
        &self,
        conn: &Connection,
        r: &Row,
        settings: &Settings,
    ) -> Result<Option<Obligation>> {
        let all = member_obligations(conn, self.member_id(r), self.as_of, settings)?;
        let kind = self.kind(r);
        Ok(all
            .into_iter()
            .find(|o| &o.kind == kind && o.due == r.due()))
    }
}

/// The overdue and/or due-soon obligations of every active member on `as_of`.
pub fn compute(
    conn: &Connection,
    as_of: NaiveDate,
    settings: &Settings,
    which: Which,
) -> Result<Report> {
    compute_with(conn, as_of, settings, which, Fallback::Auto, Parallel::Auto)
}

/// How cached latest dates newer than D are corrected (tests force each way).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Per-member queries when few records are dated after D, else grouped passes.
    Auto,
    PerMember,
    Bulk,
}

/// Above this many talks and visits dated after D, one grouped pass per table
/// beats a query per member.
const PER_MEMBER_LIMIT: i64 = 20_000;

/// Events judged at a time in the event pass.
const EVENT_BATCH: usize = 4096;

/// What the event pass needs of an active member, by slot.
#[derive(Debug, Clone, Copy)]
struct Slot {
    name_rank: u32,
    /// The member's record in the report; INACTIVE for members without obligations.
    at: u32,
    talk: Option<NaiveDate>,
    visit: Option<NaiveDate>,
}

const INACTIVE: u32 = u32::MAX;

impl Default for Slot {
    fn default() -> Self {
        Slot {
            name_rank: 0,
            at: INACTIVE,
            talk: None,
            visit: None,
        }
    }
}

/// Member ids to dense slots: the id less the first one's when ids are
/// dense (the usual case; the first is 0 unless a part of the roster is
/// computed, see [`passes::compute_part`]).
enum IdMap {
    Dense(i64),
    Sparse(HashMap<i64, u32>),
}

impl IdMap {
    fn idx(&self, id: i64) -> Option<usize> {
        match self {
            IdMap::Dense(first) => id.checked_sub(*first).and_then(|i| usize::try_from(i).ok()),
            IdMap::Sparse(m) => m.get(&id).map(|&i| i as usize),
        }
    }
}

/// Obligation kinds numbered in code order, so rows sort on the number.
struct Kinds {
    list: Vec<ObligationKind>,
    fixed: [u16; 7],
    talk: [u16; 16],
    visit: [u16; 16],
    campaign: Vec<u16>,
}

impl Kinds {
    fn new(campaigns: &[Campaign]) -> Self {
        let fixed_kinds = [
            ObligationKind::AnnualTalk,
            ObligationKind::HardshipVisit,
            ObligationKind::HonoraryVisit,
            ObligationKind::HonoraryHealthCheck,
            ObligationKind::MobileContact,
            ObligationKind::HardshipReview,
            ObligationKind::LoanInstalment,
        ];
        let mut all: Vec<ObligationKind> = fixed_kinds.to_vec();
        all.extend(EventKind::ALL.iter().map(|&k| ObligationKind::EventTalk(k)));
        all.extend(
            EventKind::ALL
                .iter()
                .map(|&k| ObligationKind::EventVisit(k)),
        );
        all.extend(
            campaigns
                .iter()
                .map(|c| ObligationKind::Campaign(c.name.clone())),
        );
        let mut order: Vec<(String, usize)> =
            all.iter().enumerate().map(|(i, k)| (k.code(), i)).collect();
        order.sort();
        let mut id_of = vec![0u16; all.len()];
        for (rank, (_, i)) in order.iter().enumerate() {
            id_of[*i] = rank as u16;
        }
        let list = order.iter().map(|(_, i)| all[*i].clone()).collect();
        let n = EventKind::ALL.len();
        Kinds {
            list,
            fixed: std::array::from_fn(|i| id_of[i]),
            talk: std::array::from_fn(|i| id_of[7 + i]),
            visit: std::array::from_fn(|i| id_of[7 + n + i]),
            campaign: id_of[7 + 2 * n..].to_vec(),
        }
    }

    fn id(&self, k: KindRef) -> u16 {
        match k {
            KindRef::AnnualTalk => self.fixed[0],
            KindRef::HardshipVisit => self.fixed[1],
            KindRef::HonoraryVisit => self.fixed[2],
            KindRef::HonoraryHealthCheck => self.fixed[3],
            KindRef::MobileContact => self.fixed[4],
            KindRef::HardshipReview => self.fixed[5],
            KindRef::LoanInstalment => self.fixed[6],
            KindRef::EventTalk(e) => self.talk[e as usize],
            KindRef::EventVisit(e) => self.visit[e as usize],
            KindRef::Campaign(i) => self.campaign[i],
        }
    }
}

/// Collects the rows, counts and campaign progress as obligations are found.
struct Sink {
    which: Which,
    rows: Vec<Row>,
    done: Vec<Row>,
    counts: Vec<RuleCount>,
    progress: Vec<(u64, u64)>,
}

impl Sink {
    /// Records one obligation.
    fn take(&mut self, f: &Found, slot: &Slot, kinds: &Kinds) {
        self.counts[f.kind.rule().index()].add(f.state);
        if let KindRef::Campaign(i) = f.kind {
            self.progress[i].0 += 1;
            self.progress[i].1 += u64::from(f.state == State::Satisfied);
            if self.which == Which::Kept && f.state == State::Satisfied {
                self.done
                    .push(Row::new(f.due, slot.name_rank, kinds.id(f.kind), slot.at));
            }
        }
        if self.which.wants(f.state) {
            self.rows
                .push(Row::new(f.due, slot.name_rank, kinds.id(f.kind), slot.at));
        }
    }
}

/// Every obligation of one member on `as_of` (not-due and satisfied ones too),
/// each with its explanation, most overdue first.
pub fn member_obligations(
    conn: &Connection,
    member_id: i64,
    as_of: NaiveDate,
    settings: &Settings,
) -> Result<Vec<Obligation>> {
    let Some(m) = super::members::get(conn, member_id)? else {
        return Ok(Vec::new());
    };
    let d_text = date_text(as_of);
    let latest = ExactLatest::new(conn, &d_text)?.all(member_id)?;
    let mut events: Vec<(NaiveDate, EventKind)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT date, kind FROM events WHERE member_id = ?1 AND date <= ?2 AND voided_on IS NULL
             ORDER BY date, id",
        )?;
        let mut q = stmt.query(params![member_id, d_text])?;
        while let Some(r) = q.next()? {
            if let (Some(d), Some(k)) = (
                day(r.get_ref(0)?),
                r.get_ref(1)?.as_str().ok().and_then(EventKind::from_code),
            ) {
                events.push((d, k));
            }
        }
    }
    let campaigns: Vec<Campaign> = super::records::campaigns(conn)?
        .into_iter()
        .filter(|c| rules::campaign_started(c, as_of))
        .collect();
    let mut visits = Vec::with_capacity(campaigns.len());
    {
        let in_person = crate::db::in_person_sql();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT max(date) FROM visits
             WHERE member_id = ?1 AND date >= ?2 AND date <= ?3 AND kind IN {in_person}
             AND voided_on IS NULL"
        ))?;
        for c in &campaigns {
            let end = rules::campaign_window_end(c, as_of);
            let v: Option<String> = stmt
                .query_row(params![member_id, date_text(c.from), date_text(end)], |r| {
                    r.get(0)
                })?;
            visits.push(parse_date(v).map_or(WindowVisit::No, WindowVisit::On));
        }
    }
    let cases = live_cases(conn, as_of, Some(member_id))?;
    let instalments = unpaid_instalments(conn, as_of, Some(member_id))?;
    let facts = MemberFacts {
        cases: cases.of(member_id),
        latest,
        events: &events,
        campaign_visits: &visits,
        instalments: instalments.of(member_id),
        ..MemberFacts::of_member(&m)
    };
    let ctx = Context::new(as_of, settings, &campaigns);
    let mut out = rules::obligations(&facts, &ctx);
    let mut keyed: Vec<(String, Obligation)> = out.drain(..).map(|o| (o.kind.code(), o)).collect();
    keyed.sort_by(|(ca, a), (cb, b)| {
        (a.state == State::Satisfied)
            .cmp(&(b.state == State::Satisfied))
            .then(b.days_overdue.cmp(&a.days_overdue))
            .then(ca.cmp(cb))
            .then(a.due.cmp(&b.due))
    });
    Ok(keyed.into_iter().map(|(_, o)| o).collect())
}

#[cfg(test)]
mod tests;
