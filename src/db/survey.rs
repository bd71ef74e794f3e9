//! 党员需求调查: rounds (create, close, list) and responses (save — a new
//! one or a correction over its version —, read by round or member),
//! progress and the members not yet answered, in roster order (pinyin,
//! then code, as the Members list), results and the follow-up list.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Actor};
use super::visits_list::MemberHit;
use super::{DbError, Result, date_text, parse_date};
use crate::domain::survey::{Answers, Response, Results, Round, results};
use crate::domain::validate;
use crate::domain::vocab::{Coded, Health, Ideology, Need};

fn round_of(r: &rusqlite::Row) -> rusqlite::Result<Round> {
    Ok(Round {
        id: r.get(0)?,
        name: r.get(1)?,
        year: r.get(2)?,
        started_on: parse_date(r.get(3)?).unwrap_or_default(),
        closed_on: parse_date(r.get(4)?),
        note: r.get(5)?,
    })
}

const ROUND_COLUMNS: &str = "id, name, year, started_on, closed_on, note";

/// Every round, newest first (by year, then start).
pub fn rounds(conn: &Connection) -> Result<Vec<Round>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds ORDER BY year DESC, started_on DESC, id DESC"
    ))?;
    Ok(stmt
        .query_map([], round_of)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn round_by_name(conn: &Connection, name: &str) -> Result<Option<Round>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE name = ?1"
        ))?
        .query_row([name.trim()], round_of)
        .optional()?)
}

/// The round before `round` (the previous year's, else the one started before).
pub fn previous_round(conn: &Connection, round: &Round) -> Result<Option<Round>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds
             WHERE (year, started_on, id) < (?1, ?2, ?3)
             ORDER BY year DESC, started_on DESC, id DESC LIMIT 1"
        ))?
        .query_row(
            params![round.year, date_text(round.started_on), round.id],
            round_of,
        )
        .optional()?)
}

/// Opens a round; refuses a blank or taken name and a start after `today`.
pub fn create_round(
    conn: &mut Connection,
    name: &str,
    year: i32,
    started_on: NaiveDate,
    today: NaiveDate,
) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbError::invalid("请填写调查名称", "the round needs a name"));
    }
    validate::not_future(started_on, today).map_err(|p| DbError::invalid(p.zh(), p.en()))?;
    if round_by_name(conn, name)?.is_some() {
        return Err(DbError::invalid(
            // short: it shows beside the name field, which holds the name
            "已有同名的调查",
            "another round has this name",
        ));
    }
    let tx = audit::write_tx(conn, &Actor::new("form: survey round"))?;
    tx.execute(
        "INSERT INTO survey_rounds (name, year, started_on) VALUES (?1, ?2, ?3)",
        params![name, year, date_text(started_on)],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(id)
}

/// Corrects round `id`'s name, year and start date; refuses a blank or taken
/// name, a start after `today`, after the round's first response or after
/// its close.
pub fn update_round(
    conn: &mut Connection,
    id: i64,
    name: &str,
    year: i32,
    started_on: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbError::invalid("请填写调查名称", "the round needs a name"));
    }
    validate::not_future(started_on, today).map_err(|p| DbError::invalid(p.zh(), p.en()))?;
    if round_by_name(conn, name)?.is_some_and(|r| r.id != id) {
        return Err(DbError::invalid(
            // short: it shows beside the name field, which holds the name
            "已有同名的调查",
            "another round has this name",
        ));
    }
    let (first, closed): (Option<String>, Option<String>) = conn.query_row(
        "SELECT (SELECT min(date) FROM survey_responses WHERE round_id = r.id), r.closed_on
         FROM survey_rounds r WHERE r.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let start = date_text(started_on);
    if let Some(first) = first.filter(|f| *f < start) {
        return Err(DbError::invalid(
            format!("不能晚于首份答卷日期 {first}"),
            format!("not after the first response, {first}"),
        ));
    }
    if let Some(closed) = closed.filter(|c| *c < start) {
        return Err(DbError::invalid(
            format!("不能晚于结束日期 {closed}"),
            format!("not after the close, {closed}"),
        ));
    }
    let tx = audit::write_tx(conn, &Actor::new("form: survey round edit"))?;
    tx.execute(
        "UPDATE survey_rounds SET name = ?1, year = ?2, started_on = ?3 WHERE id = ?4",
        params![name, year, start, id],
    )?;
    tx.commit()?;
    Ok(())
}

/// Closes round `id` on `on` (no more responses are taken).
pub fn close_round(conn: &mut Connection, id: i64, on: NaiveDate) -> Result<()> {
    let tx = audit::write_tx(conn, &Actor::new("form: survey round close"))?;
    let n = tx.execute(
        "UPDATE survey_rounds SET closed_on = ?1 WHERE id = ?2 AND closed_on IS NULL",
        params![date_text(on), id],
    )?;
    if n == 0 {
        return Err(DbError::invalid(
            "这次调查已结束",
            "this round is closed already",
        ));
    }
    tx.commit()?;
    Ok(())
}

fn needs_of(conn: &Connection, response_id: i64) -> Result<Vec<Need>> {
    let mut stmt =
        conn.prepare_cached("SELECT need FROM survey_response_needs WHERE response_id = ?1")?;
    let mut v: Vec<Need> = stmt
        .query_map([response_id], |r| r.get::<_, String>(0))?
        .filter_map(|c| c.ok().and_then(|c| Need::from_code(&c)))
        .collect();
    v.sort();
    Ok(v)
}

const RESPONSE_COLUMNS: &str = "id, round_id, member_id, date, surveyor, ideology, health,
    work_expectations, opinions, follow_up, follow_up_note, version";

fn response_rows(
    conn: &Connection,
    where_: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Response>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RESPONSE_COLUMNS} FROM survey_responses WHERE {where_} ORDER BY id"
    ))?;
    let rows: Vec<Response> = stmt
        .query_map(p, |r| {
            Ok(Response {
                id: r.get(0)?,
                round_id: r.get(1)?,
                member_id: r.get(2)?,
                answers: Answers {
                    date: parse_date(r.get(3)?).unwrap_or_default(),
                    surveyor: r.get(4)?,
                    ideology: Ideology::from_code(&r.get::<_, String>(5)?)
                        .unwrap_or(Ideology::Stable),
                    health: Health::from_code(&r.get::<_, String>(6)?).unwrap_or(Health::Good),
                    needs: Vec::new(),
                    work_expectations: r.get(7)?,
                    opinions: r.get(8)?,
                    follow_up: r.get(9)?,
                    follow_up_note: r.get(10)?,
                },
                version: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|mut r| {
            r.answers.needs = needs_of(conn, r.id)?;
            Ok(r)
        })
        .collect()
}

/// The response of `member` in `round`, if there is one.
pub fn response(conn: &Connection, round: i64, member: i64) -> Result<Option<Response>> {
    Ok(response_rows(
        conn,
        "round_id = ?1 AND member_id = ?2",
        params![round, member],
    )?
    .pop())
}

/// Every response of a round, in the order they were entered.
pub fn responses(conn: &Connection, round: i64) -> Result<Vec<Response>> {
    response_rows(conn, "round_id = ?1", [round])
}

/// The surveyor of the round's last saved response (the form carries it over).
pub fn last_surveyor(conn: &Connection, round: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT surveyor FROM survey_responses
             WHERE id = (SELECT max(id) FROM survey_responses WHERE round_id = ?1)",
        )?
        .query_row([round], |r| r.get(0))
        .optional()?)
}

/// Saves `member`'s answers in `round`: a new response (`version` None) or a
/// correction over `version`; refuses a date after `today`, a blank
/// surveyor, a closed round and a response someone saved since. The
/// response's id and new version.
pub fn save_response(
    conn: &mut Connection,
    round: i64,
    member: i64,
    a: &Answers,
    version: Option<i64>,
    today: NaiveDate,
) -> Result<(i64, i64)> {
    validate::not_future(a.date, today).map_err(|p| DbError::invalid(p.zh(), p.en()))?;
    if a.surveyor.trim().is_empty() {
        return Err(DbError::invalid("请填写调查人", "the surveyor is missing"));
    }
    let closed: Option<Option<String>> = conn
        .prepare_cached("SELECT closed_on FROM survey_rounds WHERE id = ?1")?
        .query_row([round], |r| r.get(0))
        .optional()?;
    match closed {
        None => {
            return Err(DbError::invalid(
                "这次调查已不存在",
                "this round no longer exists",
            ));
        }
        Some(Some(_)) => {
            return Err(DbError::invalid(
                "这次调查已结束，不再登记",
                "this round is closed: no more responses",
            ));
        }
        Some(None) => {}
    }
    let action = if version.is_some() {
        "form: survey response edit"
    } else {
        "form: survey response"
    };
    let tx = audit::write_tx(conn, &Actor::new(action))?;
    let (id, new_version) = match version {
        None => {
            let taken: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM survey_responses WHERE round_id = ?1 AND member_id = ?2",
                )?
                .query_row(params![round, member], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                return Err(DbError::Conflict {
                    zh: "保存失败：这位党员本次调查已登记（另一位工作人员刚刚保存）".into(),
                    en: "Not saved: this member's response was saved by another clerk just now"
                        .into(),
                });
            }
            (insert_response(&tx, round, member, a)?, 1)
        }
        Some(v) => {
            let id: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM survey_responses WHERE round_id = ?1 AND member_id = ?2",
                )?
                .query_row(params![round, member], |r| r.get(0))
                .optional()?;
            let Some(id) = id else {
                return Err(DbError::invalid(
                    "这条记录已不存在",
                    "this record no longer exists",
                ));
            };
            let n = tx.execute(
                "UPDATE survey_responses SET date = ?1, surveyor = ?2, ideology = ?3, health = ?4,
                     work_expectations = ?5, opinions = ?6, follow_up = ?7, follow_up_note = ?8,
                     version = version + 1
                 WHERE id = ?9 AND version = ?10",
                params![
                    date_text(a.date),
                    a.surveyor.trim(),
                    a.ideology.code(),
                    a.health.code(),
                    a.work_expectations,
                    a.opinions,
                    a.follow_up,
                    a.follow_up_note,
                    id,
                    v
                ],
            )?;
            if n == 0 {
                return Err(DbError::Conflict {
                    zh: "保存失败：另一位工作人员已修改了这份调查表。请按 Esc 放弃后重新打开。"
                        .into(),
                    en: "Not saved: another clerk changed this response since you opened it. Press Esc and reopen it."
                        .into(),
                });
            }
            (id, v + 1)
        }
    };
    write_needs(&tx, id, &a.needs)?;
    tx.commit()?;
    Ok((id, new_version))
}

/// Writes a new response and its needs inside the caller's transaction
/// (the demo's, or [`save_response`]'s); no checks.
pub fn insert_response(conn: &Connection, round: i64, member: i64, a: &Answers) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO survey_responses (round_id, member_id, date, surveyor, ideology, health,
             work_expectations, opinions, follow_up, follow_up_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        round,
        member,
        date_text(a.date),
        a.surveyor.trim(),
        a.ideology.code(),
        a.health.code(),
        a.work_expectations,
        a.opinions,
        a.follow_up,
        a.follow_up_note
    ])?;
    let id = conn.last_insert_rowid();
    write_needs(conn, id, &a.needs)?;
    Ok(id)
}

/// Writes a round inside the caller's transaction (the demo's); no checks.
pub fn insert_round(
    conn: &Connection,
    name: &str,
    year: i32,
    started_on: NaiveDate,
    closed_on: Option<NaiveDate>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO survey_rounds (name, year, started_on, closed_on) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        name,
        year,
        date_text(started_on),
        closed_on.map(date_text)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Makes the stored needs of response `id` those of `needs`.
fn write_needs(tx: &Connection, id: i64, needs: &[Need]) -> Result<()> {
    let a_needs = needs;
    let old = needs_of(tx, id)?;
    for n in old.iter().filter(|n| !a_needs.contains(n)) {
        tx.execute(
            "DELETE FROM survey_response_needs WHERE response_id = ?1 AND need = ?2",
            params![id, n.code()],
        )?;
    }
    for n in a_needs.iter().filter(|n| !old.contains(n)) {
        tx.execute(
            "INSERT INTO survey_response_needs (response_id, need) VALUES (?1, ?2)",
            params![id, n.code()],
        )?;
    }
    Ok(())
}

/// (answered, active members) of a round; a response of a member who is no
/// longer active still counts as answered only while the member is active.
pub fn progress(conn: &Connection, round: i64) -> Result<(usize, usize)> {
    let (a, t): (i64, i64) = conn
        .prepare_cached(
            // the responses less those of members no longer active (few), and
            // the roster less those members: each from an index, no scan of
            // every response's member
            "SELECT (SELECT count(*) FROM survey_responses WHERE round_id = ?1)
                    - (SELECT count(*) FROM members m WHERE m.status <> 'active'
                       AND EXISTS (SELECT 1 FROM survey_responses s
                                   WHERE s.round_id = ?1 AND s.member_id = m.id)),
                    (SELECT count(*) FROM members)
                    - (SELECT count(*) FROM members WHERE status <> 'active')",
        )?
        .query_row([round], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((a as usize, t as usize))
}

/// Active members without a response in `round`, in roster order, the first
/// `limit` after member `after` (in that order).
pub fn unanswered(
    conn: &Connection,
    round: i64,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<MemberHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name FROM members m
         WHERE status = 'active'
           AND NOT EXISTS (SELECT 1 FROM survey_responses s WHERE s.round_id = ?1 AND s.member_id = m.id)
           AND (?2 IS NULL OR (sort_key, code) > (SELECT sort_key, code FROM members WHERE id = ?2))
         ORDER BY sort_key, code LIMIT ?3",
    )?;
    Ok(stmt
        .query_map(params![round, after, limit as i64], |r| {
            Ok(MemberHit {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The next member to survey: the first unanswered after `after` in roster
/// order, else the first unanswered from the top.
pub fn next_unanswered(
    conn: &Connection,
    round: i64,
    after: Option<i64>,
) -> Result<Option<MemberHit>> {
    if let Some(h) = unanswered(conn, round, after, 1)?.pop() {
        return Ok(Some(h));
    }
    Ok(unanswered(conn, round, None, 1)?.pop())
}

/// The member hit of `id`.
pub fn member_hit(conn: &Connection, id: i64) -> Result<Option<MemberHit>> {
    Ok(conn
        .prepare_cached("SELECT id, code, name FROM members WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(MemberHit {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            })
        })
        .optional()?)
}

/// The results of a round (responses of members active or not).
pub fn round_results(conn: &Connection, round: i64) -> Result<Results> {
    let rs = responses(conn, round)?;
    Ok(results(rs.iter().map(|r| &r.answers)))
}

/// A response that needs follow-up (跟进), with its member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub member: MemberHit,
    pub needs: Vec<Need>,
    pub ideology: Ideology,
    pub note: String,
}

/// The responses of a round that need follow-up, in roster order.
pub fn follow_ups(conn: &Connection, round: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, m.id, m.code, m.name, s.ideology, s.follow_up_note
         FROM survey_responses s JOIN members m ON m.id = s.member_id
         WHERE s.round_id = ?1 AND s.follow_up = 1
         ORDER BY m.sort_key, m.code",
    )?;
    let rows: Vec<(i64, MemberHit, String, String)> = stmt
        .query_map([round], |r| {
            Ok((
                r.get(0)?,
                MemberHit {
                    id: r.get(1)?,
                    code: r.get(2)?,
                    name: r.get(3)?,
                },
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, member, ideology, note)| {
            Ok(FollowUp {
                member,
                needs: needs_of(conn, id)?,
                ideology: Ideology::from_code(&ideology).unwrap_or(Ideology::Stable),
                note,
            })
        })
        .collect()
}

/// A response as the export writes it: the member and the answers.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub member: MemberHit,
    pub answers: Answers,
}

/// Streams the responses of `round` in roster order (members' pinyin, then code).
pub fn stream_responses(
    conn: &Connection,
    round: i64,
    consume: super::export::Consume<'_, ExportRow>,
) -> Result<()> {
    let sql = "SELECT m.id, m.code, m.name, s.date, s.surveyor, s.ideology, s.health,
                      s.work_expectations, s.opinions, s.follow_up, s.follow_up_note,
                      (SELECT group_concat(need, ',') FROM survey_response_needs n WHERE n.response_id = s.id)
               FROM survey_responses s JOIN members m ON m.id = s.member_id
               WHERE s.round_id = ?1
               ORDER BY m.sort_key, m.code";
    super::export::stream(
        conn,
        sql,
        [round],
        |r| {
            let codes: Option<String> = r.get(11)?;
            let mut needs: Vec<Need> = codes
                .unwrap_or_default()
                .split(',')
                .filter_map(Need::from_code)
                .collect();
            needs.sort();
            Ok(ExportRow {
                member: MemberHit {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    name: r.get(2)?,
                },
                answers: Answers {
                    date: parse_date(r.get(3)?).unwrap_or_default(),
                    surveyor: r.get(4)?,
                    ideology: Ideology::from_code(&r.get::<_, String>(5)?)
                        .unwrap_or(Ideology::Stable),
                    health: Health::from_code(&r.get::<_, String>(6)?).unwrap_or(Health::Good),
                    needs,
                    work_expectations: r.get(7)?,
                    opinions: r.get(8)?,
                    follow_up: r.get(9)?,
                    follow_up_note: r.get(10)?,
                },
            })
        },
        consume,
    )
}
