//! Events, talks, visits, campaigns and hardship cases: writes and reads.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Params, Row, params};

use super::export::{Consume, stream};
use super::{DbError, Result, date_text, parse_date};
use crate::domain::records::{Campaign, Event, HardshipCase, Talk, Visit};
use crate::domain::vocab::{
    CampaignTarget, CaseState, Coded, EventKind, HardshipCategory, Priority, TalkForm, VisitKind,
};

pub fn insert_event(conn: &Connection, e: &Event) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO events (member_id, date, kind, note) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        e.member_id,
        date_text(e.date),
        e.kind.code(),
        e.note
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_talk(conn: &Connection, t: &Talk) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO talks (member_id, date, conductor, form, summary, problems, follow_up, follow_up_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        t.member_id,
        date_text(t.date),
        t.conductor,
        t.form.code(),
        t.summary,
        t.problems,
        t.follow_up,
        t.follow_up_note
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_visit(conn: &Connection, v: &Visit) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO visits (member_id, date, visitor, kind, goods, fund_entry_id, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        v.member_id,
        date_text(v.date),
        v.visitor,
        v.kind.code(),
        v.goods,
        v.fund_entry_id,
        v.notes
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds a campaign; refuses a window that ends before it starts or a name in use.
pub fn insert_campaign(conn: &Connection, c: &Campaign) -> Result<i64> {
    if let Some((zh, en)) = c.window_problem() {
        return Err(DbError::invalid(zh, en));
    }
    if c.targets.is_empty() {
        return Err(DbError::invalid(
            "至少要有一个走访对象",
            "at least one target group is needed",
        ));
    }
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM campaigns WHERE name = ?1")?
        .query_row([&c.name], |r| r.get(0))
        .optional()?;
    if exists.is_some() {
        return Err(DbError::invalid(
            format!("已有名为“{}”的活动", c.name),
            format!("a campaign named \"{}\" already exists", c.name),
        ));
    }
    conn.prepare_cached("INSERT INTO campaigns (name, date_from, date_to) VALUES (?1, ?2, ?3)")?
        .execute(params![c.name, date_text(c.from), date_text(c.to)])?;
    let id = conn.last_insert_rowid();
    for t in &c.targets {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO campaign_targets (campaign_id, target) VALUES (?1, ?2)",
        )?
        .execute(params![id, t.code()])?;
    }
    Ok(id)
}

/// Every campaign, newest window first.
pub fn campaigns(conn: &Connection) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.date_from, c.date_to,
                (SELECT group_concat(target, ',') FROM campaign_targets t WHERE t.campaign_id = c.id)
         FROM campaigns c ORDER BY c.date_from DESC, c.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let targets: Option<String> = r.get(4)?;
        Ok(Campaign {
            id: r.get(0)?,
            name: r.get(1)?,
            from: parse_date(r.get(2)?).unwrap_or_default(),
            to: parse_date(r.get(3)?).unwrap_or_default(),
            targets: targets
                .unwrap_or_default()
                .split(',')
                .filter_map(CampaignTarget::from_code)
                .collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a hardship case with its categories, or updates the case the member
/// already has for that year, writing no workflow steps: for tests that need
/// a case in some state. The import, the demo and the forms go through
/// `db::hardship` (and `db::hardship_ledger`), so every case has its history.
pub fn upsert_hardship_case(conn: &Connection, c: &HardshipCase) -> Result<i64> {
    let existing = hardship_case_id(conn, c.member_id, c.year)?;
    let approved = c.approved_on.map(date_text);
    let id = match existing {
        Some(id) => {
            conn.prepare_cached(
                "UPDATE hardship_cases SET cause = ?1, priority = ?2, state = ?3, approved_on = ?4,
                    version = version + 1 WHERE id = ?5",
            )?
            .execute(params![
                c.cause,
                c.priority.code(),
                c.state.code(),
                approved,
                id
            ])?;
            conn.execute(
                "DELETE FROM hardship_case_categories WHERE case_id = ?1",
                [id],
            )?;
            id
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO hardship_cases (member_id, year, cause, priority, state, approved_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                c.member_id,
                c.year,
                c.cause,
                c.priority.code(),
                c.state.code(),
                approved
            ])?;
            conn.last_insert_rowid()
        }
    };
    for cat in &c.categories {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO hardship_case_categories (case_id, category) VALUES (?1, ?2)",
        )?
        .execute(params![id, cat.code()])?;
    }
    Ok(id)
}

/// The id of the member's case for `year`, if there is one.
pub fn hardship_case_id(conn: &Connection, member_id: i64, year: i32) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM hardship_cases WHERE member_id = ?1 AND year = ?2")?
        .query_row(params![member_id, year], |r| r.get(0))
        .optional()?)
}

/// The columns `hardship_case_row` reads, of `hardship_cases c`.
const HARDSHIP_COLS: &str =
    "c.id, c.member_id, c.year, c.cause, c.priority, c.state, c.approved_on,
     (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
     (SELECT max(date) FROM hardship_reviews r WHERE r.case_id = c.id)";

fn hardship_case_row(r: &Row<'_>) -> rusqlite::Result<HardshipCase> {
    let cats: Option<String> = r.get(7)?;
    Ok(HardshipCase {
        id: r.get(0)?,
        member_id: r.get(1)?,
        year: r.get(2)?,
        cause: r.get(3)?,
        priority: Priority::from_code(&r.get::<_, String>(4)?).unwrap_or(Priority::Normal),
        state: CaseState::from_code(&r.get::<_, String>(5)?).unwrap_or(CaseState::Applied),
        approved_on: parse_date(r.get(6)?),
        categories: cats
            .unwrap_or_default()
            .split(',')
            .filter_map(HardshipCategory::from_code)
            .collect(),
        last_review: parse_date(r.get(8)?),
    })
}

/// Every hardship case with its categories and latest review, newest year first.
pub fn hardship_cases(conn: &Connection) -> Result<Vec<HardshipCase>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {HARDSHIP_COLS} FROM hardship_cases c ORDER BY c.year DESC, c.id"
    ))?;
    let rows = stmt.query_map([], hardship_case_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every hardship case with its member, newest year first, then by member in
/// pinyin order (for export).
pub fn stream_hardship_cases(
    conn: &Connection,
    consume: Consume<'_, OfMember<HardshipCase>>,
) -> Result<()> {
    let sql = format!(
        "SELECT {HARDSHIP_COLS}, m.code, m.name
         FROM hardship_cases c JOIN members m ON m.id = c.member_id
         ORDER BY c.year DESC, m.sort_key, m.code"
    );
    stream(
        conn,
        &sql,
        [],
        |r| of_member(r, 9, hardship_case_row(r)?),
        consume,
    )
}

/// A talk, visit or event of one member, for histories and lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Talk(Talk),
    Visit(Visit),
    Event(Event),
}

impl Record {
    pub fn date(&self) -> NaiveDate {
        match self {
            Record::Talk(t) => t.date,
            Record::Visit(v) => v.date,
            Record::Event(e) => e.date,
        }
    }
}

pub(super) const TALK_COLS: &str =
    "id, member_id, date, conductor, form, summary, problems, follow_up, follow_up_note";
pub(super) const VISIT_COLS: &str =
    "id, member_id, date, visitor, kind, goods, fund_entry_id, notes";
pub(super) const EVENT_COLS: &str = "id, member_id, date, kind, note";

pub(super) fn talk_row(r: &Row<'_>) -> rusqlite::Result<Talk> {
    Ok(Talk {
        id: r.get(0)?,
        member_id: r.get(1)?,
        date: parse_date(r.get(2)?).unwrap_or_default(),
        conductor: r.get(3)?,
        form: TalkForm::from_code(&r.get::<_, String>(4)?).unwrap_or(TalkForm::FaceToFace),
        summary: r.get(5)?,
        problems: r.get(6)?,
        follow_up: r.get::<_, i64>(7)? != 0,
        follow_up_note: r.get(8)?,
    })
}

pub(super) fn visit_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        id: r.get(0)?,
        member_id: r.get(1)?,
        date: parse_date(r.get(2)?).unwrap_or_default(),
        visitor: r.get(3)?,
        kind: VisitKind::from_code(&r.get::<_, String>(4)?).unwrap_or(VisitKind::Home),
        goods: r.get(5)?,
        fund_entry_id: r.get(6)?,
        notes: r.get(7)?,
    })
}

pub(super) fn event_row(r: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        member_id: r.get(1)?,
        date: parse_date(r.get(2)?).unwrap_or_default(),
        kind: EventKind::from_code(&r.get::<_, String>(3)?).unwrap_or(EventKind::Setback),
        note: r.get(4)?,
    })
}

/// Every talk, visit and event of one member, newest first.
pub fn member_history(conn: &Connection, member_id: i64) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut s = conn.prepare_cached(&format!(
        "SELECT {TALK_COLS} FROM talks WHERE member_id = ?1"
    ))?;
    for t in s.query_map([member_id], talk_row)? {
        out.push(Record::Talk(t?));
    }
    let mut s = conn.prepare_cached(&format!(
        "SELECT {VISIT_COLS} FROM visits WHERE member_id = ?1"
    ))?;
    for v in s.query_map([member_id], visit_row)? {
        out.push(Record::Visit(v?));
    }
    let mut s = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLS} FROM events WHERE member_id = ?1"
    ))?;
    for e in s.query_map([member_id], event_row)? {
        out.push(Record::Event(e?));
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.date()));
    Ok(out)
}

/// A record with the code and name of its member, as exports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfMember<R> {
    pub code: String,
    pub name: String,
    pub record: R,
}

/// A visit with the amount of its fund entry (慰问金), if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidVisit {
    pub visit: Visit,
    pub amount_fen: Option<i64>,
}

/// `record` with the member code and name in columns `at` and `at + 1`.
fn of_member<R>(r: &Row<'_>, at: usize, record: R) -> rusqlite::Result<OfMember<R>> {
    Ok(OfMember {
        code: r.get(at)?,
        name: r.get(at + 1)?,
        record,
    })
}

/// Every talk with its member, in date order (for export; voided ones left out,
/// so a file exported and imported back never revives them).
pub fn stream_talks(conn: &Connection, consume: Consume<'_, OfMember<Talk>>) -> Result<()> {
    let sql = format!(
        "SELECT x.*, m.code, m.name FROM (SELECT {TALK_COLS} FROM talks WHERE voided_on IS NULL) x
         JOIN members m ON m.id = x.member_id ORDER BY x.date, x.id"
    );
    stream(conn, &sql, [], |r| of_member(r, 9, talk_row(r)?), consume)
}

/// Every visit with its member and 慰问金, in date order (for export).
pub fn stream_visits(conn: &Connection, consume: Consume<'_, OfMember<PaidVisit>>) -> Result<()> {
    let sql = format!(
        "SELECT x.*, m.code, m.name, f.amount_fen FROM (SELECT {VISIT_COLS} FROM visits WHERE voided_on IS NULL) x
         JOIN members m ON m.id = x.member_id
         LEFT JOIN fund_entries f ON f.id = x.fund_entry_id
         ORDER BY x.date, x.id"
    );
    let paid = |r: &Row<'_>| {
        let visit = PaidVisit {
            visit: visit_row(r)?,
            amount_fen: r.get(10)?,
        };
        of_member(r, 8, visit)
    };
    stream(conn, &sql, [], paid, consume)
}

/// Every event with its member, in date order (for export).
pub fn stream_events(conn: &Connection, consume: Consume<'_, OfMember<Event>>) -> Result<()> {
    let sql = format!(
        "SELECT x.*, m.code, m.name FROM (SELECT {EVENT_COLS} FROM events WHERE voided_on IS NULL) x
         JOIN members m ON m.id = x.member_id ORDER BY x.date, x.id"
    );
    stream(conn, &sql, [], |r| of_member(r, 5, event_row(r)?), consume)
}

/// Runs `insert` unless `sql` (a `SELECT 1 … LIMIT 1`) finds a row; whether it ran.
fn insert_unless_found(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    insert: impl FnOnce() -> Result<i64>,
) -> Result<bool> {
    let found = conn
        .prepare_cached(sql)?
        .query_row(params, |_| Ok(()))
        .optional()?;
    if found.is_some() {
        return Ok(false);
    }
    insert()?;
    Ok(true)
}

/// Adds the talk unless the member already has one on that date with the same
/// form, conductor and summary (then false: importing a file twice adds nothing).
pub fn add_talk_if_new(conn: &Connection, t: &Talk) -> Result<bool> {
    insert_unless_found(
        conn,
        "SELECT 1 FROM talks WHERE member_id = ?1 AND date = ?2 AND form = ?3
         AND conductor = ?4 AND summary = ?5 AND voided_on IS NULL LIMIT 1",
        params![
            t.member_id,
            date_text(t.date),
            t.form.code(),
            t.conductor,
            t.summary
        ],
        || insert_talk(conn, t),
    )
}

/// Adds the visit unless the member already has one on that date with the same
/// kind, visitor, goods and notes.
pub fn add_visit_if_new(conn: &Connection, v: &Visit) -> Result<bool> {
    insert_unless_found(
        conn,
        "SELECT 1 FROM visits WHERE member_id = ?1 AND date = ?2 AND kind = ?3
         AND visitor = ?4 AND goods = ?5 AND notes = ?6 AND voided_on IS NULL LIMIT 1",
        params![
            v.member_id,
            date_text(v.date),
            v.kind.code(),
            v.visitor,
            v.goods,
            v.notes
        ],
        || insert_visit(conn, v),
    )
}

/// Adds the event unless the member already has one on that date with the same
/// kind and note.
pub fn add_event_if_new(conn: &Connection, e: &Event) -> Result<bool> {
    insert_unless_found(
        conn,
        "SELECT 1 FROM events WHERE member_id = ?1 AND date = ?2 AND kind = ?3
         AND note = ?4 AND voided_on IS NULL LIMIT 1",
        params![e.member_id, date_text(e.date), e.kind.code(), e.note],
        || insert_event(conn, e),
    )
}

/// A record a form of the UI writes.
#[derive(Debug, Clone, Copy)]
pub enum NewRecord<'a> {
    Talk(&'a Talk),
    Visit(&'a Visit),
    Event(&'a Event),
    Campaign(&'a Campaign),
}

/// Writes a visit and its 慰问金 (a `condolence` payment from the help fund
/// linked to it) in one transaction: both or neither. Logged as
/// `form: visit add`; returns the visit's id and the payment.
pub fn add_visit_with_money(
    conn: &mut Connection,
    v: &Visit,
    money: &super::fund::NewEntry,
    today: NaiveDate,
) -> Result<(i64, crate::domain::fund::Entry)> {
    let tx = super::audit::write_tx(conn, &super::audit::Actor::new("form: visit add"))?;
    let id = insert_visit(&tx, v)?;
    let paid = super::fund::pay_condolence(&tx, id, money, today)?;
    tx.commit()?;
    Ok((id, paid))
}

/// Writes one record from a form in its own transaction; returns its id.
/// Logged as `form: talk add` (visit, event, campaign alike).
pub fn add_from_form(conn: &mut Connection, r: NewRecord<'_>) -> Result<i64> {
    let action = match r {
        NewRecord::Talk(_) => "form: talk add",
        NewRecord::Visit(_) => "form: visit add",
        NewRecord::Event(_) => "form: event add",
        NewRecord::Campaign(_) => "form: campaign add",
    };
    let tx = super::audit::write_tx(conn, &super::audit::Actor::new(action))?;
    let id = match r {
        NewRecord::Talk(t) => insert_talk(&tx, t)?,
        NewRecord::Visit(v) => insert_visit(&tx, v)?,
        NewRecord::Event(e) => insert_event(&tx, e)?,
        NewRecord::Campaign(c) => insert_campaign(&tx, c)?,
    };
    tx.commit()?;
    Ok(id)
}
