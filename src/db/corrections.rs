//! 更正: editing and voiding (作废) talks, visits and events.
//!
//! Each function is one transaction, logged in the audit log (`form: talk edit`,
//! `form: visit void` …), and saves only over the version it was read at (like
//! members). A voided record stays, marked, and counts for no rule: the rule
//! engine and the members' cached latest dates (triggers in `schema.sql`) leave
//! it out, and an edit of its date recomputes the member's latest dates.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, Actor};
use super::records::{EVENT_COLS, Record, TALK_COLS, VISIT_COLS, event_row, talk_row, visit_row};
use super::visits_list::RecordType;
use super::{DbError, Result, date_text, parse_date};
use crate::domain::records::{Event, Talk, Visit};
use crate::domain::safe_text;
use crate::domain::validate;
use crate::domain::vocab::Coded;

/// 作废: when and why a record was voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub on: NaiveDate,
    pub reason: String,
}

/// A record as stored: its version (for an edit or a void) and whether it is voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<R> {
    pub record: R,
    pub version: i64,
    pub void: Option<Void>,
}

fn stored<R>(
    r: &Row<'_>,
    at: usize,
    read: impl Fn(&Row<'_>) -> rusqlite::Result<R>,
) -> rusqlite::Result<Stored<R>> {
    let on: Option<String> = r.get(at + 1)?;
    Ok(Stored {
        record: read(r)?,
        version: r.get(at)?,
        void: parse_date(on).map(|on| Void {
            on,
            reason: r.get(at + 2).unwrap_or_default(),
        }),
    })
}

fn get<R>(
    conn: &Connection,
    table: &str,
    cols: &str,
    n: usize,
    id: i64,
    read: impl Fn(&Row<'_>) -> rusqlite::Result<R>,
) -> Result<Option<Stored<R>>> {
    let sql = format!("SELECT {cols}, version, voided_on, void_reason FROM {table} WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| stored(r, n, &read))
        .optional()?)
}

/// A talk with its version and void mark.
pub fn get_talk(conn: &Connection, id: i64) -> Result<Option<Stored<Talk>>> {
    get(conn, "talks", TALK_COLS, 9, id, talk_row)
}

/// A visit with its version and void mark.
pub fn get_visit(conn: &Connection, id: i64) -> Result<Option<Stored<Visit>>> {
    get(conn, "visits", VISIT_COLS, 8, id, visit_row)
}

/// An event with its version and void mark.
pub fn get_event(conn: &Connection, id: i64) -> Result<Option<Stored<Event>>> {
    get(conn, "events", EVENT_COLS, 5, id, event_row)
}

/// The void marks of a member's records (for the history beside
/// `records::member_history`): (type, id) → void.
pub fn member_voids(conn: &Connection, member_id: i64) -> Result<Vec<((RecordType, i64), Void)>> {
    let mut out = Vec::new();
    for t in RecordType::ALL {
        let sql = format!(
            "SELECT id, voided_on, void_reason FROM {} WHERE member_id = ?1
             AND voided_on IS NOT NULL",
            t.table_name()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([member_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get(2)?,
            ))
        })?;
        for row in rows {
            let (id, on, reason) = row?;
            if let Some(on) = parse_date(on) {
                out.push(((t, id), Void { on, reason }));
            }
        }
    }
    Ok(out)
}

/// Every talk, visit and event of one member, newest first (as
/// `records::member_history`), each with its void mark: the member's history
/// shows voided records marked.
pub fn member_history_marked(
    conn: &Connection,
    member_id: i64,
) -> Result<Vec<(Record, Option<Void>)>> {
    let voids: std::collections::HashMap<(RecordType, i64), Void> =
        member_voids(conn, member_id)?.into_iter().collect();
    Ok(super::records::member_history(conn, member_id)?
        .into_iter()
        .map(|r| {
            let key = match &r {
                Record::Talk(t) => (RecordType::Talk, t.id),
                Record::Visit(v) => (RecordType::Visit, v.id),
                Record::Event(e) => (RecordType::Event, e.id),
            };
            let void = voids.get(&key).cloned();
            (r, void)
        })
        .collect())
}

/// Why a changed record may not be saved: someone saved it since, it is gone,
/// or it is voided.
fn refusal(conn: &Connection, table: &str, id: i64) -> Result<DbError> {
    let row: Option<Option<String>> = conn
        .prepare_cached(&format!("SELECT voided_on FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(match row {
        None => DbError::invalid("这条记录已不存在", "this record no longer exists"),
        Some(Some(_)) => DbError::invalid(
            "这条记录已作废，不能再修改或作废",
            "this record is voided: it cannot be changed or voided again",
        ),
        Some(None) => DbError::Conflict {
            zh: "保存失败：另一位工作人员已修改了这条记录。请按 Esc 放弃后重新打开，或记下您的修改。"
                .into(),
            en: "Not saved: another clerk changed this record since you opened it. Press Esc and reopen it, or note your changes."
                .into(),
        },
    })
}

fn check_date(d: NaiveDate, today: NaiveDate) -> Result<()> {
    validate::not_future(d, today).map_err(|p| DbError::invalid(p.zh(), p.en()))
}

/// Runs `sql` (an UPDATE ending in `WHERE id = ?.. AND version = ?.. AND
/// voided_on IS NULL`) in one logged transaction; the new version.
fn save(
    conn: &mut Connection,
    action: &str,
    table: &str,
    id: i64,
    version: i64,
    write: impl FnOnce(&Connection) -> Result<usize>,
) -> Result<i64> {
    let tx = audit::write_tx(conn, &Actor::new(action))?;
    if write(&tx)? == 0 {
        return Err(refusal(&tx, table, id)?);
    }
    tx.commit()?;
    Ok(version + 1)
}

/// Saves an edited talk (`t.id`) over `version`; refuses a date after `today`,
/// a voided talk, or one saved by someone else since. The new version.
pub fn update_talk(conn: &mut Connection, t: &Talk, version: i64, today: NaiveDate) -> Result<i64> {
    check_date(t.date, today)?;
    save(conn, "form: talk edit", "talks", t.id, version, |tx| {
        Ok(tx.execute(
            "UPDATE talks SET member_id = ?1, date = ?2, conductor = ?3, form = ?4, summary = ?5,
                 problems = ?6, follow_up = ?7, follow_up_note = ?8, version = version + 1
             WHERE id = ?9 AND version = ?10 AND voided_on IS NULL",
            params![
                t.member_id,
                date_text(t.date),
                t.conductor,
                t.form.code(),
                t.summary,
                t.problems,
                t.follow_up,
                t.follow_up_note,
                t.id,
                version
            ],
        )?)
    })
}

/// Saves an edited visit (`v.id`) over `version`, as [`update_talk`]. The
/// link to a fund entry (慰问金) is kept as stored: money is corrected in the fund.
pub fn update_visit(
    conn: &mut Connection,
    v: &Visit,
    version: i64,
    today: NaiveDate,
) -> Result<i64> {
    check_date(v.date, today)?;
    save(conn, "form: visit edit", "visits", v.id, version, |tx| {
        Ok(tx.execute(
            "UPDATE visits SET member_id = ?1, date = ?2, visitor = ?3, kind = ?4, goods = ?5,
                 notes = ?6, version = version + 1
             WHERE id = ?7 AND version = ?8 AND voided_on IS NULL",
            params![
                v.member_id,
                date_text(v.date),
                v.visitor,
                v.kind.code(),
                v.goods,
                v.notes,
                v.id,
                version
            ],
        )?)
    })
}

/// Saves an edited event (`e.id`) over `version`, as [`update_talk`].
pub fn update_event(
    conn: &mut Connection,
    e: &Event,
    version: i64,
    today: NaiveDate,
) -> Result<i64> {
    check_date(e.date, today)?;
    save(conn, "form: event edit", "events", e.id, version, |tx| {
        Ok(tx.execute(
            "UPDATE events SET member_id = ?1, date = ?2, kind = ?3, note = ?4,
                 version = version + 1
             WHERE id = ?5 AND version = ?6 AND voided_on IS NULL",
            params![
                e.member_id,
                date_text(e.date),
                e.kind.code(),
                e.note,
                e.id,
                version
            ],
        )?)
    })
}

/// Voids record `id` of type `t` on `on` for `reason` (required, one line of
/// at most 200 characters), over `version`. The new version.
pub fn void(
    conn: &mut Connection,
    t: RecordType,
    id: i64,
    version: i64,
    on: NaiveDate,
    reason: &str,
) -> Result<i64> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DbError::invalid(
            "请填写作废原因",
            "a reason for voiding is required",
        ));
    }
    safe_text::check_text(reason, false, 200).map_err(|p| DbError::invalid(p.zh(), p.en()))?;
    let table = t.table_name();
    let action = match t {
        RecordType::Talk => "form: talk void",
        RecordType::Visit => "form: visit void",
        RecordType::Event => "form: event void",
    };
    save(conn, action, table, id, version, |tx| {
        Ok(tx.execute(
            &format!(
                "UPDATE {table} SET voided_on = ?1, void_reason = ?2, version = version + 1
                 WHERE id = ?3 AND version = ?4 AND voided_on IS NULL"
            ),
            params![date_text(on), reason, id, version],
        )?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use crate::domain::member::Member;
    use crate::domain::vocab::{TalkForm, VisitKind};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn setup() -> (Connection, i64) {
        let mut conn = db::open_in_memory().unwrap();
        let (id, _) =
            db::members::save(&mut conn, &Member::new("001", "张三", d("2000-01-01"))).unwrap();
        (conn, id)
    }

    fn latest(conn: &Connection, id: i64) -> (Option<String>, Option<String>, Option<String>) {
        conn.query_row(
            "SELECT last_talk, last_visit, last_contact FROM members WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    }

    fn talk(member_id: i64, date: &str) -> Talk {
        Talk {
            id: 0,
            member_id,
            date: d(date),
            conductor: "李书记".into(),
            form: TalkForm::FaceToFace,
            summary: "谈心".into(),
            problems: String::new(),
            follow_up: false,
            follow_up_note: String::new(),
        }
    }

    #[test]
    fn voiding_and_editing_recompute_the_latest_dates() {
        let (mut conn, m) = setup();
        let t1 = db::records::insert_talk(&conn, &talk(m, "2026-01-10")).unwrap();
        let t2 = db::records::insert_talk(&conn, &talk(m, "2026-05-10")).unwrap();
        assert_eq!(latest(&conn, m).0.as_deref(), Some("2026-05-10"));
        let v = void(
            &mut conn,
            RecordType::Talk,
            t2,
            1,
            d("2026-11-28"),
            "录错了",
        )
        .unwrap();
        assert_eq!(v, 2);
        assert_eq!(latest(&conn, m).0.as_deref(), Some("2026-01-10"));
        assert_eq!(latest(&conn, m).2.as_deref(), Some("2026-01-10"));
        let s = get_talk(&conn, t2).unwrap().unwrap();
        assert_eq!(s.void.unwrap().reason, "录错了");
        // a voided talk is not edited or voided again
        assert!(void(&mut conn, RecordType::Talk, t2, 2, d("2026-11-28"), "again").is_err());
        let mut t = get_talk(&conn, t1).unwrap().unwrap();
        t.record.date = d("2025-12-01");
        update_talk(&mut conn, &t.record, t.version, d("2026-11-28")).unwrap();
        assert_eq!(latest(&conn, m).0.as_deref(), Some("2025-12-01"));
        // stale version: refused as a conflict
        assert!(matches!(
            update_talk(&mut conn, &t.record, t.version, d("2026-11-28")),
            Err(DbError::Conflict { .. })
        ));
        // not after today
        t.record.date = d("2026-12-01");
        assert!(update_talk(&mut conn, &t.record, t.version + 1, d("2026-11-28")).is_err());
        // both logged
        let log = audit::for_record(&conn, "talks", t2).unwrap();
        assert_eq!(log.last().unwrap().action, "form: talk void");
        assert!(log.last().unwrap().changes_text().contains("录错了"));
    }

    #[test]
    fn a_voided_visit_leaves_the_last_visit_and_the_list_marks_it() {
        let (mut conn, m) = setup();
        let v = Visit {
            id: 0,
            member_id: m,
            date: d("2026-03-01"),
            visitor: "王".into(),
            kind: VisitKind::Home,
            goods: String::new(),
            fund_entry_id: None,
            notes: String::new(),
        };
        let id = db::records::insert_visit(&conn, &v).unwrap();
        assert_eq!(latest(&conn, m).1.as_deref(), Some("2026-03-01"));
        assert!(void(&mut conn, RecordType::Visit, id, 1, d("2026-11-28"), " ").is_err());
        void(
            &mut conn,
            RecordType::Visit,
            id,
            1,
            d("2026-11-28"),
            "重复录入",
        )
        .unwrap();
        assert_eq!(latest(&conn, m), (None, None, None));
        let rows = db::visits_list::page(&conn, &Default::default(), None, 10).unwrap();
        assert_eq!(rows[0].voided_on, Some(d("2026-11-28")));
        assert_eq!(member_voids(&conn, m).unwrap().len(), 1);
        let history = member_history_marked(&conn, m).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].1.as_ref().unwrap().reason, "重复录入");
        // the identical record may be imported again
        assert!(db::records::add_visit_if_new(&conn, &v).unwrap());
    }

    #[test]
    fn a_voided_event_obliges_nothing() {
        let (mut conn, m) = setup();
        let e = Event {
            id: 0,
            member_id: m,
            date: d("2026-10-01"),
            kind: crate::domain::vocab::EventKind::Illness,
            note: String::new(),
        };
        let id = db::records::insert_event(&conn, &e).unwrap();
        let s = crate::domain::settings::Settings::default();
        let count = |conn: &Connection| {
            db::obligations::member_obligations(conn, m, d("2026-11-28"), &s)
                .unwrap()
                .iter()
                .filter(|o| o.kind.code().starts_with("event_"))
                .count()
        };
        assert_eq!(count(&conn), 1);
        let mut ev = get_event(&conn, id).unwrap().unwrap();
        ev.record.note = "住院".into();
        let v = update_event(&mut conn, &ev.record, ev.version, d("2026-11-28")).unwrap();
        void(
            &mut conn,
            RecordType::Event,
            id,
            v,
            d("2026-11-28"),
            "不是本人",
        )
        .unwrap();
        assert_eq!(count(&conn), 0);
    }
}
