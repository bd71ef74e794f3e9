//! 激励 in the database: honours (表彰) and disciplines (处分), each with its
//! event (情况) written in the same transaction so the must-talk obligation
//! follows; the yearly assessments (业绩考核) with their bonuses and the
//! payment of the bonuses through the help fund; the people the greetings
//! of the month are drawn from.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{Actor, os_user, write_tx};
use super::fund::{self, NewEntry};
use super::{DbError, Result, date_text, parse_date};
use crate::domain::fund as dfund;
use crate::domain::incentives::{self, GradeTotal, Person};
use crate::domain::records::Event;
use crate::domain::safe_text;
use crate::domain::settings::Settings;
use crate::domain::vocab::{Coded, Direction, EventKind, Grade, HonourLevel, HonourTitle};

/// A new honour (表彰): `member_id` None is the branch itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHonour {
    pub member_id: Option<i64>,
    pub title: HonourTitle,
    /// The title's text when `title` is `Other`.
    pub title_other: String,
    pub level: HonourLevel,
    pub year: i32,
    pub date: NaiveDate,
    pub note: String,
}

/// An honour as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HonourRow {
    pub id: i64,
    pub member_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub title: HonourTitle,
    pub title_other: String,
    pub level: HonourLevel,
    pub year: i32,
    pub date: NaiveDate,
    pub note: String,
    pub event_id: Option<i64>,
}

impl HonourRow {
    /// The title as shown: the vocabulary's, or the text of an `other`.
    pub fn title_text(&self, lang: crate::domain::Lang) -> String {
        if self.title == HonourTitle::Other && !self.title_other.is_empty() {
            self.title_other.clone()
        } else {
            self.title.label(lang).to_string()
        }
    }
}

/// A new discipline (处分).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDiscipline {
    pub member_id: i64,
    pub date: NaiveDate,
    /// 警告, 严重警告 … as the clerk writes it.
    pub kind: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisciplineRow {
    pub id: i64,
    pub member_id: i64,
    pub code: String,
    pub name: String,
    pub date: NaiveDate,
    pub kind: String,
    pub note: String,
    pub event_id: Option<i64>,
}

/// A member in a year's assessment: their grade (if given) and its bonus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    pub member_id: i64,
    pub code: String,
    pub name: String,
    pub grade: Option<Grade>,
    /// The bonus of the grade: paid (the fund entry's amount) or due now
    /// under the settings.
    pub bonus_fen: i64,
    pub paid_entry_id: Option<i64>,
    /// The member's place in pinyin order (the list's key, with the code).
    pub sort_key: Vec<u8>,
}

fn member_name(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT code, name, status FROM members WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?)
}

fn check_note(text: &str, max: usize, what_zh: &str, what_en: &str) -> Result<()> {
    safe_text::check_text(text, false, max).map_err(|p| {
        DbError::invalid(
            format!("{what_zh}：{}", p.zh()),
            format!("{what_en}: {}", p.en()),
        )
    })
}

fn check_date(date: NaiveDate, today: NaiveDate) -> Result<()> {
    if date > today {
        return Err(DbError::invalid(
            "日期不能晚于今天",
            "the date cannot be after today",
        ));
    }
    Ok(())
}

/// Saves an honour in one transaction; for a member also the commendation
/// event (受到表彰) of the same date. Returns the honour's id.
pub fn add_honour(conn: &mut Connection, h: &NewHonour, today: NaiveDate) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: honour"))?;
    let id = insert_honour(&tx, h, today)?;
    tx.commit()?;
    Ok(id)
}

/// An honour and its event inside the caller's transaction.
pub fn insert_honour(tx: &Connection, h: &NewHonour, today: NaiveDate) -> Result<i64> {
    check_date(h.date, today)?;
    if !(1949..=9999).contains(&h.year) {
        return Err(DbError::invalid("年度不对", "the year is not right"));
    }
    let other = h.title_other.trim();
    if h.title == HonourTitle::Other && other.is_empty() {
        return Err(DbError::invalid("请填写称号", "write the title"));
    }
    check_note(other, 60, "称号", "Title")?;
    check_note(&h.note, 200, "备注", "Note")?;
    if let Some((zh, en)) = crate::domain::incentives::title_misfit(h.title, h.member_id.is_some())
    {
        return Err(DbError::invalid(zh, en));
    }
    let event_id = match h.member_id {
        Some(m) => {
            if member_name(tx, m)?.is_none() {
                return Err(DbError::invalid("没有这位党员", "no such member"));
            }
            let title = if h.title == HonourTitle::Other {
                other.to_string()
            } else {
                h.title.zh().to_string()
            };
            Some(super::records::insert_event(
                tx,
                &Event {
                    id: 0,
                    member_id: m,
                    date: h.date,
                    kind: EventKind::Commendation,
                    note: format!("{}级表彰：{title}", h.level.zh()),
                },
            )?)
        }
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO honours (member_id, title, title_other, level, year, date, event_id, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        h.member_id,
        h.title.code(),
        if h.title == HonourTitle::Other {
            other
        } else {
            ""
        },
        h.level.code(),
        h.year,
        date_text(h.date),
        event_id,
        h.note.trim(),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The honours, newest first, narrowed by year and level.
pub fn honours(
    conn: &Connection,
    year: Option<i32>,
    level: Option<HonourLevel>,
) -> Result<Vec<HonourRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.member_id, coalesce(m.code, ''), coalesce(m.name, ''), h.title,
                h.title_other, h.level, h.year, h.date, h.note, h.event_id
         FROM honours h LEFT JOIN members m ON m.id = h.member_id
         WHERE (?1 IS NULL OR h.year = ?1) AND (?2 IS NULL OR h.level = ?2)
         ORDER BY h.date DESC, h.id DESC",
    )?;
    let rows = stmt.query_map(params![year, level.map(|l| l.code())], |r| {
        Ok(HonourRow {
            id: r.get(0)?,
            member_id: r.get(1)?,
            code: r.get(2)?,
            name: r.get(3)?,
            title: HonourTitle::from_code(&r.get::<_, String>(4)?).unwrap_or(HonourTitle::Other),
            title_other: r.get(5)?,
            level: HonourLevel::from_code(&r.get::<_, String>(6)?).unwrap_or(HonourLevel::Branch),
            year: r.get(7)?,
            date: parse_date(r.get(8)?).unwrap_or_default(),
            note: r.get(9)?,
            event_id: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The years honours were given for, newest first.
pub fn honour_years(conn: &Connection) -> Result<Vec<i32>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT year FROM honours ORDER BY year DESC")?;
    let v = stmt.query_map([], |r| r.get(0))?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Saves a discipline and its punishment event (受到处分) in one transaction.
pub fn add_discipline(conn: &mut Connection, d: &NewDiscipline, today: NaiveDate) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new("form: discipline"))?;
    let id = insert_discipline(&tx, d, today)?;
    tx.commit()?;
    Ok(id)
}

/// A discipline and its event inside the caller's transaction.
pub fn insert_discipline(tx: &Connection, d: &NewDiscipline, today: NaiveDate) -> Result<i64> {
    check_date(d.date, today)?;
    let kind = d.kind.trim();
    if kind.is_empty() {
        return Err(DbError::invalid(
            "请填写处分种类",
            "write the kind of discipline",
        ));
    }
    check_note(kind, 40, "处分种类", "Kind")?;
    check_note(&d.note, 200, "备注", "Note")?;
    if member_name(tx, d.member_id)?.is_none() {
        return Err(DbError::invalid("没有这位党员", "no such member"));
    }
    let event_id = super::records::insert_event(
        tx,
        &Event {
            id: 0,
            member_id: d.member_id,
            date: d.date,
            kind: EventKind::Punishment,
            note: kind.to_string(),
        },
    )?;
    tx.prepare_cached(
        "INSERT INTO disciplines (member_id, date, kind, note, event_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![d.member_id, date_text(d.date), kind, d.note.trim(), event_id])?;
    Ok(tx.last_insert_rowid())
}

/// The disciplines, newest first.
pub fn disciplines(conn: &Connection) -> Result<Vec<DisciplineRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.member_id, m.code, m.name, d.date, d.kind, d.note, d.event_id
         FROM disciplines d JOIN members m ON m.id = d.member_id
         ORDER BY d.date DESC, d.id DESC",
    )?;
    let v = stmt.query_map([], |r| {
        Ok(DisciplineRow {
            id: r.get(0)?,
            member_id: r.get(1)?,
            code: r.get(2)?,
            name: r.get(3)?,
            date: parse_date(r.get(4)?).unwrap_or_default(),
            kind: r.get(5)?,
            note: r.get(6)?,
            event_id: r.get(7)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// A year's assessment: every active member (and anyone assessed that
/// year who is no longer active), in pinyin order, with grade and bonus.
pub fn assessments(conn: &Connection, year: i32, s: &Settings) -> Result<Vec<AssessmentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.code, m.name, a.grade, a.paid_entry_id, f.amount_fen, m.sort_key
         FROM members m
         LEFT JOIN assessments a ON a.member_id = m.id AND a.year = ?1
         LEFT JOIN fund_entries f ON f.id = a.paid_entry_id
         WHERE m.status = 'active' OR a.id IS NOT NULL
         ORDER BY m.sort_key, m.code",
    )?;
    let v = stmt.query_map([year], |r| {
        let grade = r
            .get::<_, Option<String>>(3)?
            .and_then(|g| Grade::from_code(&g));
        let paid: Option<i64> = r.get(4)?;
        let paid_fen: Option<i64> = r.get(5)?;
        Ok(AssessmentRow {
            member_id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            grade,
            bonus_fen: match (paid_fen, grade) {
                (Some(f), _) => f,
                (None, Some(g)) => incentives::bonus_for(s, g),
                (None, None) => 0,
            },
            paid_entry_id: paid,
            sort_key: r.get(6)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// The totals per grade of a year's rows.
pub fn grade_totals(rows: &[AssessmentRow]) -> Vec<GradeTotal> {
    let graded: Vec<(Grade, i64)> = rows
        .iter()
        .filter_map(|r| r.grade.map(|g| (g, r.bonus_fen)))
        .collect();
    incentives::totals(&graded)
}

/// The years with assessments, and this year, newest first.
pub fn assessment_years(conn: &Connection, this_year: i32) -> Result<Vec<i32>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT year FROM assessments")?;
    let mut v: Vec<i32> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !v.contains(&this_year) {
        v.push(this_year);
    }
    v.sort_unstable_by(|a, b| b.cmp(a));
    Ok(v)
}

/// Gives (or changes) a member's grade for a year; a paid assessment
/// cannot be changed.
pub fn set_grade(conn: &mut Connection, year: i32, member_id: i64, grade: Grade) -> Result<()> {
    let tx = write_tx(conn, &Actor::new("form: assessment"))?;
    put_grade(&tx, year, member_id, grade)?;
    tx.commit()?;
    Ok(())
}

/// A grade inside the caller's transaction.
pub fn put_grade(tx: &Connection, year: i32, member_id: i64, grade: Grade) -> Result<()> {
    let Some((code, name)) = member_name(tx, member_id)? else {
        return Err(DbError::invalid("没有这位党员", "no such member"));
    };
    let paid: Option<Option<i64>> = tx
        .prepare_cached("SELECT paid_entry_id FROM assessments WHERE year = ?1 AND member_id = ?2")?
        .query_row(params![year, member_id], |r| r.get(0))
        .optional()?;
    if let Some(Some(_)) = paid {
        return Err(DbError::invalid(
            format!("{name}（{code}）{year} 年度的考核奖励已发放，等次不能再改"),
            format!("the {year} bonus of {name} ({code}) is paid: the grade cannot change"),
        ));
    }
    tx.prepare_cached(
        "INSERT INTO assessments (year, member_id, grade) VALUES (?1, ?2, ?3)
         ON CONFLICT (year, member_id) DO UPDATE SET grade = excluded.grade",
    )?
    .execute(params![year, member_id, grade.code()])?;
    Ok(())
}

/// One bonus to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BonusDue {
    pub member_id: i64,
    pub code: String,
    pub name: String,
    pub grade: Grade,
    pub amount_fen: i64,
}

/// What paying a year's bonuses on `date` would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BonusPreview {
    pub year: i32,
    pub date: NaiveDate,
    pub to_pay: Vec<BonusDue>,
    pub total_fen: i64,
    /// The balance on `date`.
    pub balance_fen: i64,
    /// The lowest balance from `date` on: what can be paid out.
    pub available_fen: i64,
}

impl BonusPreview {
    pub fn affordable(&self) -> bool {
        self.total_fen <= self.available_fen
    }
}

/// The unpaid assessments of a year with a bonus above zero.
pub fn bonus_preview(
    conn: &Connection,
    year: i32,
    date: NaiveDate,
    s: &Settings,
) -> Result<BonusPreview> {
    let to_pay: Vec<BonusDue> = assessments(conn, year, s)?
        .into_iter()
        .filter(|r| r.paid_entry_id.is_none() && r.bonus_fen > 0)
        .filter_map(|r| {
            Some(BonusDue {
                grade: r.grade?,
                member_id: r.member_id,
                code: r.code,
                name: r.name,
                amount_fen: r.bonus_fen,
            })
        })
        .collect();
    let all = fund::entries(conn)?;
    Ok(BonusPreview {
        year,
        date,
        total_fen: to_pay.iter().map(|b| b.amount_fen).sum(),
        to_pay,
        balance_fen: dfund::balance_on(&all, date),
        available_fen: dfund::lowest_from(&all, date).0,
    })
}

/// Pays a year's unpaid bonuses in one transaction: one fund payment
/// (category `other`, note 考核奖励) per member, each assessment marked
/// paid; refused as a whole when the fund is short. Returns how many were
/// paid and the total.
#[allow(clippy::too_many_arguments)]
pub fn pay_bonuses(
    conn: &mut Connection,
    year: i32,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<(usize, i64)> {
    let tx = write_tx(conn, &Actor::new("form: assessment bonuses"))?;
    let paid = insert_bonuses(&tx, year, date, handled_by, approved_by, s, today)?;
    tx.commit()?;
    Ok(paid)
}

/// The bonus payments inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn insert_bonuses(
    tx: &Connection,
    year: i32,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<(usize, i64)> {
    let p = bonus_preview(tx, year, date, s)?;
    if p.to_pay.is_empty() {
        return Err(DbError::invalid(
            format!("{year} 年度没有待发放的考核奖励"),
            format!("no unpaid bonus for {year}"),
        ));
    }
    if !p.affordable() {
        return Err(fund::batch_short(
            p.to_pay.len(),
            p.total_fen,
            p.available_fen,
            date,
        ));
    }
    let handled = if handled_by.trim().is_empty() {
        os_user()
    } else {
        handled_by.trim().to_string()
    };
    for b in &p.to_pay {
        let e = fund::insert(
            tx,
            &NewEntry {
                date,
                direction: Direction::Out,
                category: "other".into(),
                amount_fen: b.amount_fen,
                member_id: Some(b.member_id),
                case_id: None,
                measure_id: None,
                voucher_no: String::new(),
                handled_by: handled.clone(),
                approved_by: approved_by.to_string(),
                note: format!("考核奖励 {year} 年度 {}", b.grade.zh()),
                loan_id: None,
                subsidy_month: None,
            },
            today,
        )?;
        tx.prepare_cached(
            "UPDATE assessments SET paid_entry_id = ?1 WHERE year = ?2 AND member_id = ?3",
        )?
        .execute(params![e.id, year, b.member_id])?;
    }
    Ok((p.to_pay.len(), p.total_fen))
}

/// The active members as the greetings need them.
/// How many birthdays and political birthdays of active members fall in
/// `on`'s month (as `incentives::month_counts` over [`greeting_people`]),
/// counted through the month indexes: the Overview asks at every start.
pub fn month_counts(conn: &Connection, on: NaiveDate) -> Result<(usize, usize)> {
    let mm = format!("{:02}", on.month());
    let yyyy = format!("{:04}", on.year());
    let (b, p): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM members
                 WHERE substr(birth_date, 6, 2) = ?1 AND status = 'active' AND birth_date < ?2),
                (SELECT count(*) FROM members
                 WHERE substr(joined_on, 6, 2) = ?1 AND status = 'active' AND joined_on < ?2)",
        params![mm, yyyy],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((b as usize, p as usize))
}

/// id, code, name, birth_date, joined_on.
fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        code: r.get_ref(1)?.as_str()?.into(),
        name: r.get_ref(2)?.as_str()?.into(),
        birth_date: parse_date(r.get(3)?),
        joined_on: parse_date(r.get(4)?).unwrap_or_default(),
    })
}

/// The active members whose birthday or joining day falls in one of `months`
/// (1–12), found through the month indexes: `incentives::greetings` over
/// them is the same as over [`greeting_people`], without reading the roster.
pub fn greeting_people_in(conn: &Connection, months: &[u32]) -> Result<Vec<Person>> {
    let list: Vec<String> = months.iter().map(|m| format!("'{m:02}'")).collect();
    let list = list.join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT id, code, name, birth_date, joined_on FROM members
         WHERE id IN (SELECT id FROM members WHERE substr(birth_date, 6, 2) IN ({list}) AND status = 'active'
                      UNION SELECT id FROM members WHERE substr(joined_on, 6, 2) IN ({list}) AND status = 'active')
         ORDER BY id"
    ))?;
    let v = stmt.query_map([], person_row)?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

pub fn greeting_people(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, birth_date, joined_on FROM members
         WHERE status = 'active' ORDER BY sort_key, code",
    )?;
    let v = stmt.query_map([], person_row)?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_counts_through_the_indexes_equal_the_greetings() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("g.sqlite")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        crate::cli::demo::generate(
            &mut conn,
            crate::cli::demo::GenOptions {
                members: 300,
                years: 1,
                today,
                seed: 11,
                progress_every: 0,
            },
        )
        .unwrap();
        // A member born this year and one born on 29 February count as the greetings do.
        conn.execute_batch(
            "UPDATE members SET birth_date = '2026-11-02' WHERE id = 1;
             UPDATE members SET birth_date = '1960-02-29' WHERE id = 2;",
        )
        .unwrap();
        let people = greeting_people(&conn).unwrap();
        for m in 1..=12u32 {
            let next = m % 12 + 1;
            let some = greeting_people_in(&conn, &[m, next]).unwrap();
            let on = NaiveDate::from_ymd_opt(2026, m, 3).unwrap();
            assert_eq!(
                crate::domain::incentives::greetings(&some, on),
                crate::domain::incentives::greetings(&people, on),
                "greetings of {on}"
            );
        }
        for m in 1..=12 {
            for y in [2025, 2026] {
                let on = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
                assert_eq!(
                    month_counts(&conn, on).unwrap(),
                    crate::domain::incentives::month_counts(&people, on),
                    "{on}"
                );
            }
        }
    }
}
