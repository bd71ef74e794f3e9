//! The demo's incentives (激励): the 七一 honours of this year and the last
//! at every level, for members and for the branch itself; a discipline; last
//! year's assessment with its bonuses paid through the help fund and this
//! year's graded but not yet paid. Everything goes through `db::incentives`,
//! so the honours' commendation events and the discipline's punishment event
//! put their talks on the must-talk list.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::{day, ymd};
use crate::db;
use crate::db::fund::NewEntry;
use crate::db::incentives::{NewDiscipline, NewHonour};
use crate::domain::vocab::{Direction, Grade, HonourLevel, HonourTitle};

/// The bonus base the demo sets (¥200.00).
const BASE_FEN: i64 = 20_000;

/// The last 七一 (party day) honours date on or before `today`.
fn party_day(today: NaiveDate, years_back: i32) -> NaiveDate {
    let this = ymd(today.year() - years_back, 6, 28);
    if this <= today {
        this
    } else {
        ymd(today.year() - years_back - 1, 6, 28)
    }
}

/// A grade for the `i`th member: about 20 % excellent, 40 % good, 35 % pass.
fn grade_for(i: usize, salt: usize) -> Grade {
    match (i * 7 + salt) % 20 {
        0..=3 => Grade::Excellent,
        4..=11 => Grade::Good,
        12..=18 => Grade::Pass,
        _ => Grade::Fail,
    }
}

/// Writes the incentives into the caller's transaction.
pub fn incentives(conn: &Connection, today: NaiveDate) -> db::Result<()> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.len() < 8 {
        return Ok(());
    }
    // `settings::save` is a transaction of its own: the one key is written here.
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('bonus_base_fen', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [BASE_FEN.to_string()],
    )?;
    let s = db::settings::load(conn)?;

    let this = party_day(today, 0);
    let last = party_day(today, 1);
    let honours = [
        (
            Some(ids[2]),
            HonourTitle::ExcellentMember,
            HonourLevel::Branch,
            this,
        ),
        (
            Some(ids[5]),
            HonourTitle::ExcellentMember,
            HonourLevel::Street,
            this,
        ),
        (
            Some(ids[7]),
            HonourTitle::ExcellentWorker,
            HonourLevel::District,
            this,
        ),
        (None, HonourTitle::AdvancedOrg, HonourLevel::Street, this),
        (
            Some(ids[3]),
            HonourTitle::ExcellentMember,
            HonourLevel::City,
            last,
        ),
        (None, HonourTitle::AdvancedOrg, HonourLevel::District, last),
        (
            Some(ids[1]),
            HonourTitle::Other,
            HonourLevel::Branch,
            day(today, -6),
        ),
    ];
    for (member_id, title, level, date) in honours {
        db::incentives::insert_honour(
            conn,
            &NewHonour {
                member_id,
                title,
                title_other: if title == HonourTitle::Other {
                    "志愿服务先进个人".into()
                } else {
                    String::new()
                },
                level,
                year: date.year(),
                date,
                note: String::new(),
            },
            today,
        )?;
    }
    db::incentives::insert_discipline(
        conn,
        &NewDiscipline {
            member_id: ids[ids.len() - 3],
            date: day(today, -40),
            kind: "警告".into(),
            note: "连续六个月未参加组织生活".into(),
        },
        today,
    )?;

    let year = today.year();
    for (i, &id) in ids.iter().enumerate() {
        db::incentives::put_grade(conn, year - 1, id, grade_for(i, 3))?;
        if i % 3 != 2 {
            db::incentives::put_grade(conn, year, id, grade_for(i, 11))?;
        }
    }
    // Last year's bonuses, paid in January (or after the last audited
    // period, which is locked); the branch's dues transfer covers them when
    // the fund's own balance does not.
    let locked: Option<String> =
        conn.query_row("SELECT max(date_to) FROM audits", [], |r| r.get(0))?;
    let after_audit = db::parse_date(locked).map_or(ymd(year, 1, 20), |d| day(d, 1));
    let paid_on = ymd(year, 1, 20).max(after_audit).min(today);
    let p = db::incentives::bonus_preview(conn, year - 1, paid_on, &s)?;
    if !p.affordable() {
        db::fund::insert(
            conn,
            &NewEntry {
                date: paid_on,
                direction: Direction::In,
                category: "dues".into(),
                amount_fen: p.total_fen - p.available_fen,
                member_id: None,
                case_id: None,
                measure_id: None,
                voucher_no: String::new(),
                handled_by: "王委员".into(),
                approved_by: "李书记".into(),
                note: "党费划拨（考核奖励）".into(),
                loan_id: None,
                subsidy_month: None,
            },
            today,
        )?;
    }
    db::incentives::insert_bonuses(conn, year - 1, paid_on, "王委员", "李书记", &s, today)?;
    // The bank's interest comes in last: the newest entry of the fund stays
    // one no assessment points at.
    db::fund::insert(
        conn,
        &NewEntry {
            date: today,
            direction: Direction::In,
            category: "interest".into(),
            amount_fen: 1_268,
            handled_by: "王委员".into(),
            approved_by: "李书记".into(),
            note: "活期利息".into(),
            ..NewEntry::default()
        },
        today,
    )?;
    Ok(())
}
