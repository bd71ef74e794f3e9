//! The overdue and due-soon lists as the Overview and `overdue` read them:
//! from the kept table a page at a time when it answers for the day (see
//! [`super::kept`]), else from a full pass held in memory. Either way the
//! same rows in the same order, the counts per rule and the campaigns'
//! progress.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{CampaignProgress, Report, RowView, RuleCount, Which, compute, kept};
use crate::db::{Result, date_text};
use crate::domain::rules::{self, ObligationKind, Rule, State};
use crate::domain::settings::Settings;

/// One of the two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// due < D.
    Overdue,
    /// D ≤ due ≤ D + due_soon_days.
    Soon,
}

/// One row of a list, owned (a page of them is held by the screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub member_id: i64,
    pub member_code: String,
    pub name: String,
    pub kind: ObligationKind,
    /// The obligation code (`annual_talk`, `campaign:春节走访` …).
    pub code: String,
    pub due: NaiveDate,
    /// D − due.
    pub days_overdue: i64,
    pub state: State,
}

impl Item {
    fn of(v: &RowView<'_>) -> Item {
        Item {
            member_id: v.member_id,
            member_code: v.member_code.to_string(),
            name: v.name.to_string(),
            kind: v.kind.clone(),
            code: v.code.to_string(),
            due: v.due,
            days_overdue: v.days_overdue,
            state: v.state,
        }
    }
}

#[derive(Debug)]
enum Source {
    Full(Box<Report>),
    Kept { soon_end: NaiveDate },
}

/// Both lists on one day.
#[derive(Debug)]
pub struct Listing {
    pub as_of: NaiveDate,
    source: Source,
    overdue: usize,
    soon: usize,
    /// One entry per [`Rule::ALL`]: overdue and due-soon counts (the kept
    /// table does not count the obligations not due or satisfied: 0 there).
    pub counts: Vec<RuleCount>,
    /// Campaigns with from ≤ D, in the order of `records::campaigns`.
    pub campaigns: Vec<CampaignProgress>,
}

impl Listing {
    /// The lists on `as_of`: from the kept table when it answers for the day,
    /// else by running the rules (an earlier day, a stale table).
    pub fn load(conn: &Connection, as_of: NaiveDate, settings: &Settings) -> Result<Listing> {
        match Listing::kept(conn, as_of, settings)? {
            Some(l) => Ok(l),
            None => Ok(Listing::from_report(compute(
                conn,
                as_of,
                settings,
                Which::Both,
            )?)),
        }
    }

    /// A full pass's report (asked for with [`Which::Both`]).
    pub fn from_report(report: Report) -> Listing {
        let (overdue, soon) = (report.overdue().len(), report.soon().len());
        Listing {
            as_of: report.as_of,
            overdue,
            soon,
            counts: report.counts.clone(),
            campaigns: report.campaigns.clone(),
            source: Source::Full(Box::new(report)),
        }
    }

    /// The lists from the kept table, or None when it does not answer for the day.
    pub fn kept(
        conn: &Connection,
        as_of: NaiveDate,
        settings: &Settings,
    ) -> Result<Option<Listing>> {
        // One snapshot for the check, the counts and the progress.
        let tx = conn.unchecked_transaction()?;
        if !kept::usable(&tx, as_of, settings)? {
            return Ok(None);
        }
        let d = date_text(as_of);
        let soon_end = rules::add_days(as_of, settings.due_soon_days);
        let mut counts: Vec<RuleCount> = Rule::ALL
            .iter()
            .map(|&rule| RuleCount {
                rule,
                overdue: 0,
                due_soon: 0,
                not_due: 0,
                satisfied: 0,
            })
            .collect();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT rule, due < ?1, sum(n) FROM kept_counts
                 WHERE done = 0 AND due <= ?2 AND starts_on <= ?1
                 GROUP BY 1, 2",
            )?;
            let mut q = stmt.query(params![d, date_text(soon_end)])?;
            while let Some(r) = q.next()? {
                let (rule, overdue, n): (i64, bool, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                if let Some(c) = counts.get_mut(rule as usize) {
                    if overdue {
                        c.overdue += n as u64;
                    } else {
                        c.due_soon += n as u64;
                    }
                }
            }
        }
        let mut campaigns = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN done = 1 THEN n END), 0)
                 FROM kept_counts WHERE campaign_id = ?1",
            )?;
            for c in crate::db::records::campaigns(&tx)? {
                if !rules::campaign_started(&c, as_of) {
                    continue;
                }
                let (targeted, visited): (i64, i64) =
                    stmt.query_row([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                campaigns.push(CampaignProgress {
                    campaign: c,
                    targeted: targeted as u64,
                    visited: visited as u64,
                });
            }
        }
        let overdue = counts.iter().map(|c| c.overdue as usize).sum();
        let soon = counts.iter().map(|c| c.due_soon as usize).sum();
        Ok(Some(Listing {
            as_of,
            source: Source::Kept { soon_end },
            overdue,
            soon,
            counts,
            campaigns,
        }))
    }

    /// Whether the rows come from the kept table (paged) rather than a pass in memory.
    pub fn is_kept(&self) -> bool {
        matches!(self.source, Source::Kept { .. })
    }

    pub fn len(&self, part: Part) -> usize {
        match part {
            Part::Overdue => self.overdue,
            Part::Soon => self.soon,
        }
    }

    pub fn is_empty(&self, part: Part) -> bool {
        self.len(part) == 0
    }

    pub fn count(&self, rule: Rule) -> RuleCount {
        self.counts[rule.index()]
    }

    /// Rows `start .. start + n` of a list (fewer at its end).
    pub fn page(&self, conn: &Connection, part: Part, start: usize, n: usize) -> Result<Vec<Item>> {
        let len = self.len(part);
        let start = start.min(len);
        let n = n.min(len - start);
        if n == 0 {
            return Ok(Vec::new());
        }
        match &self.source {
            Source::Full(rep) => {
                let rows = match part {
                    Part::Overdue => rep.overdue(),
                    Part::Soon => rep.soon(),
                };
                Ok(rows[start..start + n]
                    .iter()
                    .map(|r| Item::of(&rep.view(r)))
                    .collect())
            }
            Source::Kept { soon_end } => {
                // Read from the nearer end: a page near the bottom of a long
                // list does not step over every row above it.
                let from_end = start > len / 2;
                let (order, offset) = if from_end {
                    ("DESC", len - start - n)
                } else {
                    ("", start)
                };
                let sql = format!(
                    "SELECT member_id, member_code, name, code, due FROM kept_obligations
                     WHERE done = 0 AND {}
                     ORDER BY done {order}, due {order}, sort_key {order}, code {order},
                              member_code {order}, member_id {order}
                     LIMIT ?3 OFFSET ?4",
                    range(part)
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let mut q = stmt.query(params![
                    date_text(self.as_of),
                    date_text(*soon_end),
                    n as i64,
                    offset as i64
                ])?;
                let mut out = Vec::with_capacity(n);
                let mut kinds = KindCache::default();
                while let Some(r) = q.next()? {
                    out.push(kept_item(r, &mut kinds, self.as_of)?);
                }
                if from_end {
                    out.reverse();
                }
                Ok(out)
            }
        }
    }

    /// The rows of a list that belong to `members` (what a search found: a
    /// few hundred members at most), in the list's order.
    pub fn rows_of(&self, conn: &Connection, part: Part, members: &[i64]) -> Result<Vec<Item>> {
        match &self.source {
            Source::Full(rep) => {
                let wanted: std::collections::HashSet<i64> = members.iter().copied().collect();
                let rows = match part {
                    Part::Overdue => rep.overdue(),
                    Part::Soon => rep.soon(),
                };
                Ok(rows
                    .iter()
                    .map(|r| rep.view(r))
                    .filter(|v| wanted.contains(&v.member_id))
                    .map(|v| Item::of(&v))
                    .collect())
            }
            Source::Kept { soon_end } => {
                let sql = format!(
                    "SELECT member_id, member_code, name, code, due FROM kept_obligations
                     WHERE done = 0 AND {} AND member_id IN (SELECT value FROM json_each(?3))
                     ORDER BY done, due, sort_key, code, member_code, member_id",
                    range(part)
                );
                let ids = format!(
                    "[{}]",
                    members
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let mut q =
                    stmt.query(params![date_text(self.as_of), date_text(*soon_end), ids])?;
                let mut out = Vec::new();
                let mut kinds = KindCache::default();
                while let Some(r) = q.next()? {
                    out.push(kept_item(r, &mut kinds, self.as_of)?);
                }
                Ok(out)
            }
        }
    }

    /// Every row of a list in order (the command line: a million rows
    /// stream through without being held).
    pub fn each(
        &self,
        conn: &Connection,
        part: Part,
        mut f: impl FnMut(RowView<'_>) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>> {
        match &self.source {
            Source::Full(rep) => {
                let rows = match part {
                    Part::Overdue => rep.overdue(),
                    Part::Soon => rep.soon(),
                };
                for r in rows {
                    if let Err(e) = f(rep.view(r)) {
                        return Ok(Err(e));
                    }
                }
                Ok(Ok(()))
            }
            Source::Kept { soon_end } => {
                let sql = format!(
                    "SELECT member_id, member_code, name, code, due FROM kept_obligations
                     WHERE done = 0 AND {}
                     ORDER BY done, due, sort_key, code, member_code, member_id",
                    range(part)
                );
                let mut stmt = conn.prepare(&sql)?;
                let d = date_text(self.as_of);
                let mut q = match part {
                    Part::Overdue => stmt.query(params![d])?,
                    Part::Soon => stmt.query(params![d, date_text(*soon_end)])?,
                };
                let mut kinds = KindCache::default();
                let mut last: Option<(Vec<u8>, NaiveDate)> = None;
                while let Some(r) = q.next()? {
                    let due_raw = r.get_ref(4)?.as_bytes().map_err(rusqlite::Error::from)?;
                    // Rows come in runs of one due date: parse it once per run.
                    let due = match &last {
                        Some((raw, d)) if raw.as_slice() == due_raw => *d,
                        _ => {
                            let d = std::str::from_utf8(due_raw)
                                .ok()
                                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                                .unwrap_or(self.as_of);
                            last = Some((due_raw.to_vec(), d));
                            d
                        }
                    };
                    let code = text(r, 3)?;
                    let kind = kinds.get_ref(code);
                    let view = RowView {
                        member_id: r.get(0)?,
                        member_code: text(r, 1)?,
                        name: text(r, 2)?,
                        kind,
                        code,
                        due,
                        days_overdue: rules::days_overdue(due, self.as_of),
                        state: state(due, self.as_of),
                    };
                    if let Err(e) = f(view) {
                        return Ok(Err(e));
                    }
                }
                Ok(Ok(()))
            }
        }
    }

    /// Why a row is due (rule, anchor, last record …): the rules over that member.
    pub fn explain(
        &self,
        conn: &Connection,
        item: &Item,
        settings: &Settings,
    ) -> Result<Option<rules::Obligation>> {
        let all = super::member_obligations(conn, item.member_id, self.as_of, settings)?;
        Ok(all
            .into_iter()
            .find(|o| o.kind == item.kind && o.due == item.due))
    }
}

/// The WHERE clause of a list (?1 = D, ?2 = D + due_soon_days). An overdue
/// row always started before D (its first day is on or before its due date).
/// A row of the kept table read as `SELECT member_id, member_code, name, code, due`.
fn kept_item(r: &rusqlite::Row<'_>, kinds: &mut KindCache, as_of: NaiveDate) -> Result<Item> {
    let code: String = r.get(3)?;
    let due = crate::db::parse_date(r.get(4)?).unwrap_or(as_of);
    Ok(Item {
        member_id: r.get(0)?,
        member_code: r.get(1)?,
        name: r.get(2)?,
        kind: kinds.get(&code),
        code,
        due,
        days_overdue: rules::days_overdue(due, as_of),
        state: state(due, as_of),
    })
}

fn range(part: Part) -> &'static str {
    match part {
        Part::Overdue => "due < ?1",
        Part::Soon => "due >= ?1 AND due <= ?2 AND starts_on <= ?1",
    }
}

fn text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> Result<&'a str> {
    Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

fn state(due: NaiveDate, as_of: NaiveDate) -> State {
    if due < as_of {
        State::Overdue
    } else {
        State::DueSoon
    }
}

/// Obligation kinds by code: a list has a few dozen distinct codes, a
/// million rows look them up.
#[derive(Default)]
struct KindCache(std::collections::HashMap<Box<str>, ObligationKind>);

impl KindCache {
    fn get_ref(&mut self, code: &str) -> &ObligationKind {
        if !self.0.contains_key(code) {
            let kind = ObligationKind::from_code(code)
                .unwrap_or_else(|| ObligationKind::Campaign(code.to_string()));
            self.0.insert(code.into(), kind);
        }
        &self.0[code]
    }

    fn get(&mut self, code: &str) -> ObligationKind {
        self.get_ref(code).clone()
    }
}
