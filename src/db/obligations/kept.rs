//! The kept obligations (`kept_obligations`, migration 7): every active
//! member's open obligations with their due dates, kept current as records,
//! members, cases, loans and campaigns are written, so the Overview and
//! `overdue` read a page of an index instead of running the rules over the
//! whole roster.
//!
//! The rows are what the full pass ([`super::compute`]) finds on a far day:
//! every obligation not satisfied by a record, and the satisfied campaign
//! obligations apart (for the progress figures). On a day D they equal the
//! full pass on D as long as no record, step, review or fund entry is dated
//! after D ([`horizon`]): rows that start later (an event's, a campaign's)
//! carry their first day and are left out before it. For an earlier D the
//! full pass runs instead.
//!
//! Keeping them current:
//! - triggers note the member of every written record in `kept_dirty`;
//! - the writer recomputes those members before it commits ([`sync`], called
//!   by [`crate::db::audit::WriteTx::commit`]): a few queries per member;
//! - a campaign change, a rules or settings change, or a bulk write (more
//!   than [`SYNC_LIMIT`] members) leaves the table stale (no `kept_state`
//!   row, or one with another version): the next writer that asks
//!   ([`ensure`]) rebuilds it from one full pass; until then readers run the
//!   rules themselves, so nobody ever reads rows that are not current.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Fallback, Parallel, Report, Which, compute_part, compute_with, member_obligations};
use crate::db::{Result, date_text, parse_date};
use crate::domain::records::Campaign;
use crate::domain::rules::{ObligationKind, Rule, State};
use crate::domain::settings::Settings;

/// Raised whenever the rules find other obligations for the same records.
pub const RULES_VERSION: &str = "1";

/// Members recomputed one by one before a commit; more make the table stale.
pub const SYNC_LIMIT: usize = 2_000;

/// The far day the rows are computed on: every record counts, nothing is due yet.
fn far() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 1, 1).unwrap_or(NaiveDate::MAX)
}

/// What the rows depend on besides the records: the rules and their settings.
pub fn version(s: &Settings) -> String {
    format!(
        "{RULES_VERSION}:{}:{}:{}:{}:{}:{}:{}:{}:{}:{}",
        s.old_age,
        s.old_standing,
        s.annual_talk_days,
        s.hardship_visit_days,
        s.honorary_visit_days,
        s.honorary_health_check_days,
        s.mobile_contact_days,
        s.event_talk_days,
        s.event_visit_days,
        s.hardship_review_days,
    )
}

/// The latest date of anything the rules ignore when it is after D: talks,
/// visits, hardship steps, approvals and reviews, fund entries and loans.
pub fn horizon(conn: &Connection) -> Result<Option<NaiveDate>> {
    let d: Option<String> = conn.query_row(
        "SELECT max(d) FROM (
            SELECT max(date) AS d FROM talks
            UNION ALL SELECT max(date) FROM visits
            UNION ALL SELECT max(date) FROM hardship_steps
            UNION ALL SELECT max(date) FROM hardship_reviews
            UNION ALL SELECT max(approved_on) FROM hardship_cases
            UNION ALL SELECT max(date) FROM fund_entries
            UNION ALL SELECT max(date) FROM loans)",
        [],
        |r| r.get(0),
    )?;
    Ok(parse_date(d))
}

/// Whether the rows are current for these settings (built, and no member
/// waits to be recomputed).
pub fn is_current(conn: &Connection, settings: &Settings) -> Result<bool> {
    let (stored, dirty): (Option<String>, bool) = conn.query_row(
        "SELECT (SELECT version FROM kept_state WHERE id = 1),
                EXISTS (SELECT 1 FROM kept_dirty)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(!dirty && stored.as_deref() == Some(version(settings).as_str()))
}

/// Whether the rows answer for day `as_of` (current, and nothing dated after it).
pub fn usable(conn: &Connection, as_of: NaiveDate, settings: &Settings) -> Result<bool> {
    Ok(is_current(conn, settings)? && horizon(conn)?.is_none_or(|h| h <= as_of))
}

/// Leaves the rows stale (a bulk write: the next [`ensure`] rebuilds them),
/// so the triggers stop noting members one by one.
pub fn invalidate(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM kept_state; DELETE FROM kept_dirty;")?;
    Ok(())
}

/// Recomputes the members written in this transaction (inside it, before the
/// commit). Many of them, or a settings change, leave the rows stale instead.
pub fn sync(conn: &Connection) -> Result<()> {
    let dirty: i64 = conn.query_row("SELECT count(*) FROM kept_dirty", [], |r| r.get(0))?;
    if dirty == 0 {
        return Ok(());
    }
    let stored: Option<String> = conn
        .query_row("SELECT version FROM kept_state WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let settings = crate::db::settings::load(conn)?;
    if stored.as_deref() != Some(version(&settings).as_str()) || dirty as usize > SYNC_LIMIT {
        return invalidate(conn);
    }
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT member_id FROM kept_dirty ORDER BY member_id")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let campaigns = Campaigns::read(conn)?;
    for id in ids {
        recompute(conn, id, &settings, &campaigns)?;
    }
    conn.execute("DELETE FROM kept_dirty", [])?;
    Ok(())
}

/// Makes the rows current, rebuilding them when stale: in a write
/// transaction of its own (seconds at a million members). False when the
/// file cannot be written (read-only): readers then run the rules.
pub fn ensure(conn: &Connection, settings: &Settings) -> Result<bool> {
    if is_current(conn, settings)? {
        return Ok(true);
    }
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Ok(false);
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    sync(&tx)?;
    // Another copy may have rebuilt them while we waited for the lock; the
    // settings in the file are the ones that count.
    let current = crate::db::settings::load(&tx)?;
    if !is_current(&tx, &current)? {
        rebuild(&tx, &current)?;
    }
    tx.commit()?;
    is_current(conn, settings)
}

/// The campaigns by name, for the rows' campaign ids and first days.
struct Campaigns(HashMap<String, (i64, NaiveDate)>);

impl Campaigns {
    fn read(conn: &Connection) -> Result<Self> {
        let list: Vec<Campaign> = crate::db::records::campaigns(conn)?;
        Ok(Campaigns(
            list.into_iter().map(|c| (c.name, (c.id, c.from))).collect(),
        ))
    }

    /// (campaign id or 0, the day the row counts from or None).
    fn of(&self, kind: &ObligationKind, due: NaiveDate, s: &Settings) -> (i64, Option<NaiveDate>) {
        match kind {
            ObligationKind::Campaign(name) => match self.0.get(name) {
                Some(&(id, from)) => (id, Some(from)),
                None => (0, None),
            },
            ObligationKind::EventTalk(_) => (
                0,
                Some(crate::domain::rules::add_days(due, -s.event_talk_days)),
            ),
            ObligationKind::EventVisit(_) => (
                0,
                Some(crate::domain::rules::add_days(due, -s.event_visit_days)),
            ),
            _ => (0, None),
        }
    }
}

/// One row as written.
struct NewRow<'a> {
    done: bool,
    due: NaiveDate,
    code: &'a str,
    rule: Rule,
    campaign_id: i64,
    starts_on: Option<NaiveDate>,
}

/// The count deltas of a write, applied at the end.
#[derive(Default)]
struct Counts(HashMap<(bool, usize, i64, String, String), i64>);

impl Counts {
    fn add(&mut self, done: bool, rule: usize, campaign: i64, due: String, starts: String, n: i64) {
        *self
            .0
            .entry((done, rule, campaign, due, starts))
            .or_default() += n;
    }

    fn apply(self, conn: &Connection) -> Result<()> {
        let mut up = conn.prepare_cached(
            "INSERT INTO kept_counts (done, rule, campaign_id, due, starts_on, n)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT DO UPDATE SET n = n + excluded.n",
        )?;
        for ((done, rule, campaign, due, starts), n) in self.0 {
            if n != 0 {
                up.execute(params![done, rule as i64, campaign, due, starts, n])?;
            }
        }
        conn.execute("DELETE FROM kept_counts WHERE n = 0", [])?;
        Ok(())
    }
}

/// Replaces one member's rows with what the rules find now.
fn recompute(conn: &Connection, id: i64, settings: &Settings, campaigns: &Campaigns) -> Result<()> {
    let mut counts = Counts::default();
    {
        let mut old = conn.prepare_cached(
            "SELECT done, rule, campaign_id, due, starts_on FROM kept_obligations WHERE member_id = ?1",
        )?;
        let mut q = old.query([id])?;
        while let Some(r) = q.next()? {
            let rule: i64 = r.get(1)?;
            counts.add(
                r.get(0)?,
                rule as usize,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                -1,
            );
        }
    }
    conn.prepare_cached("DELETE FROM kept_obligations WHERE member_id = ?1")?
        .execute([id])?;
    let member: Option<(Vec<u8>, String, String)> = conn
        .prepare_cached("SELECT sort_key, code, name FROM members WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((sort_key, code, name)) = member {
        let found = member_obligations(conn, id, far(), settings)?;
        let mut insert = insert_stmt(conn)?;
        for (seq, o) in found.iter().enumerate() {
            let done = o.state == State::Satisfied;
            if done && !matches!(o.kind, ObligationKind::Campaign(_)) {
                continue;
            }
            let (campaign_id, starts_on) = campaigns.of(&o.kind, o.due, settings);
            let obligation = o.kind.code();
            let row = NewRow {
                done,
                due: o.due,
                code: &obligation,
                rule: o.kind.rule(),
                campaign_id,
                starts_on,
            };
            write_row(
                &mut insert,
                &mut counts,
                &row,
                &sort_key,
                &code,
                id,
                &name,
                seq as i64,
            )?;
        }
    }
    counts.apply(conn)
}

fn insert_stmt(conn: &Connection) -> Result<rusqlite::CachedStatement<'_>> {
    Ok(conn.prepare_cached(
        "INSERT INTO kept_obligations
           (done, due, sort_key, code, member_code, member_id, name, rule, campaign_id, starts_on, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?)
}

#[allow(clippy::too_many_arguments)]
fn write_row(
    insert: &mut rusqlite::CachedStatement<'_>,
    counts: &mut Counts,
    row: &NewRow<'_>,
    sort_key: &[u8],
    member_code: &str,
    member_id: i64,
    name: &str,
    seq: i64,
) -> Result<()> {
    let due = date_text(row.due);
    let starts = row.starts_on.map(date_text).unwrap_or_default();
    // A satisfied campaign obligation is only counted: no name, no pinyin key.
    let (sort_key, name): (&[u8], &str) = if row.done {
        (&[], "")
    } else {
        (sort_key, name)
    };
    insert.execute(params![
        row.done,
        due,
        sort_key,
        row.code,
        member_code,
        member_id,
        name,
        row.rule.index() as i64,
        row.campaign_id,
        starts,
        seq,
    ])?;
    counts.add(row.done, row.rule.index(), row.campaign_id, due, starts, 1);
    Ok(())
}

/// Members computed at a time by [`rebuild`]: its memory is that of this
/// many members (about 40 MB), whatever the roster's size.
pub const REBUILD_PART: usize = 500_000;

/// Every row anew from the full pass on the far day (inside a transaction),
/// [`REBUILD_PART`] members at a time: the rows of a part are those the
/// pass over the whole roster finds for its members.
pub fn rebuild(conn: &Connection, settings: &Settings) -> Result<()> {
    rebuild_in_parts(conn, settings, REBUILD_PART)
}

/// [`rebuild`] with parts of `part` members (tests use small ones).
#[doc(hidden)]
pub fn rebuild_in_parts(conn: &Connection, settings: &Settings, part: usize) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM kept_obligations; DELETE FROM kept_counts; DELETE FROM kept_dirty;
         DELETE FROM kept_state; DROP INDEX IF EXISTS kept_obligations_member;",
    )?;
    let campaigns = Campaigns::read(conn)?;
    let mut counts = Counts::default();
    let mut seq = 0i64;
    let bounds = part_bounds(conn, part)?;
    for span in bounds.windows(2) {
        let members = (span[0], span[1]);
        let report = compute_part(conn, far(), settings, Which::Kept, Fallback::Auto, members)?;
        write_report(conn, settings, &report, &campaigns, &mut counts, &mut seq)?;
    }
    counts.apply(conn)?;
    conn.execute_batch("CREATE INDEX kept_obligations_member ON kept_obligations (member_id);")?;
    conn.execute(
        "INSERT INTO kept_state (id, version) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        [version(settings)],
    )?;
    Ok(())
}

/// The first member id of every part of `part` members, in id order,
/// between i64::MIN and i64::MAX: one walk over the ids.
fn part_bounds(conn: &Connection, part: usize) -> Result<Vec<i64>> {
    let mut bounds = vec![i64::MIN];
    let mut stmt = conn.prepare("SELECT id FROM members ORDER BY id")?;
    let mut q = stmt.query([])?;
    let mut n = 0usize;
    while let Some(r) = q.next()? {
        n += 1;
        if n > part {
            bounds.push(r.get(0)?);
            n = 1;
        }
    }
    bounds.push(i64::MAX);
    Ok(bounds)
}

/// Writes one part's rows (numbered on from `seq`) and adds them to `counts`.
fn write_report(
    conn: &Connection,
    settings: &Settings,
    report: &Report,
    campaigns: &Campaigns,
    counts: &mut Counts,
    seq: &mut i64,
) -> Result<()> {
    {
        let mut insert = insert_stmt(conn)?;
        for (done, rows) in [(false, report.rows()), (true, report.done())] {
            for r in rows {
                let v = report.view(r);
                let (campaign_id, starts_on) = campaigns.of(v.kind, v.due, settings);
                let row = NewRow {
                    done,
                    due: v.due,
                    code: v.code,
                    rule: v.kind.rule(),
                    campaign_id,
                    starts_on,
                };
                let key = report.sort_key(r);
                *seq += 1;
                write_row(
                    &mut insert,
                    counts,
                    &row,
                    key,
                    v.member_code,
                    v.member_id,
                    v.name,
                    *seq,
                )?;
            }
        }
    }
    Ok(())
}

/// The report [`rebuild`] writes, for tests comparing it with the table.
#[doc(hidden)]
pub fn far_report(conn: &Connection, settings: &Settings) -> Result<Report> {
    compute_with(
        conn,
        far(),
        settings,
        Which::Kept,
        Fallback::Auto,
        Parallel::Never,
    )
}

#[cfg(test)]
mod tests;
