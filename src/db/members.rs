//! 党员 rows: read, write (with optimistic locking) and the light roster index.

use chrono::NaiveDate;
use std::sync::OnceLock;

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use super::export::{Consume, stream};
use super::{DbError, Result, date_text, parse_date};
use crate::domain::member::Member;
use crate::domain::pinyin;
use crate::domain::vocab::{Coded, Employment, Gender, MemberStatus, Membership};

/// The columns `from_row` reads, in its order.
pub const COLUMNS: &str = "id, code, name, gender, birth_date, id_number, phone, joined_on, \
    membership, status, employment, registered_on, mobile, mobile_since, whereabouts, contact, \
    honorary, honorary_since, low_income, no_fixed_income, living_alone, disabled, chronic_ill, \
    notes, version, left_on, left_to";

/// Builds a member from a row selected with `COLUMNS`.
pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Member> {
    let text = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    Ok(Member {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        gender: text(3)?.and_then(|s| Gender::from_code(&s)),
        birth_date: parse_date(text(4)?),
        id_number: text(5)?,
        phone: text(6)?,
        joined_on: parse_date(text(7)?).unwrap_or_default(),
        membership: text(8)?
            .and_then(|s| Membership::from_code(&s))
            .unwrap_or(Membership::Full),
        status: text(9)?
            .and_then(|s| MemberStatus::from_code(&s))
            .unwrap_or(MemberStatus::Active),
        employment: text(10)?.and_then(|s| Employment::from_code(&s)),
        registered_on: parse_date(text(11)?),
        mobile: r.get::<_, i64>(12)? != 0,
        mobile_since: parse_date(text(13)?),
        whereabouts: r.get(14)?,
        contact: r.get(15)?,
        honorary: r.get::<_, i64>(16)? != 0,
        honorary_since: parse_date(text(17)?),
        low_income: r.get::<_, i64>(18)? != 0,
        no_fixed_income: r.get::<_, i64>(19)? != 0,
        living_alone: r.get::<_, i64>(20)? != 0,
        disabled: r.get::<_, i64>(21)? != 0,
        chronic_ill: r.get::<_, i64>(22)? != 0,
        notes: r.get(23)?,
        version: r.get(24)?,
        left_on: parse_date(text(25)?),
        left_to: r.get(26)?,
    })
}

fn opt_date(d: Option<NaiveDate>) -> Option<String> {
    d.map(date_text)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Member>> {
    let sql = format!("SELECT {COLUMNS} FROM members WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn get_by_code(conn: &Connection, code: &str) -> Result<Option<Member>> {
    let sql = format!("SELECT {COLUMNS} FROM members WHERE code = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([code], from_row)
        .optional()?)
}

/// The id of the member with this code.
pub fn id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM members WHERE code = ?1")?
        .query_row([code.trim()], |r| r.get(0))
        .optional()?)
}

/// Members with these ids, in the order given (for one page of a list).
pub fn by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<Member>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM members WHERE id = ?1"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = stmt.query_row([id], from_row).optional()? {
            out.push(m);
        }
    }
    Ok(out)
}

/// Every member in pinyin order of the name, then code.
pub fn all(conn: &Connection) -> Result<Vec<Member>> {
    let mut out = Vec::new();
    stream_all(conn, &mut |rows| out.extend(rows))?;
    Ok(out)
}

/// Every member in pinyin order of the name, then code, one at a time (for exports).
pub fn stream_all(conn: &Connection, consume: Consume<'_, Member>) -> Result<()> {
    let sql = format!("SELECT {COLUMNS} FROM members ORDER BY sort_key, code");
    stream(conn, &sql, [], from_row, consume)
}

/// The name of the member with this id.
pub fn name_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT name FROM members WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// The code and name of the member with this ID number.
pub fn holder_of_id_number(conn: &Connection, id_number: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT code, name FROM members WHERE id_number = ?1")?
        .query_row([id_number], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Refuses a code or ID number another member already has.
fn check_unique(conn: &Connection, m: &Member) -> Result<()> {
    let other: Option<String> = conn
        .prepare_cached("SELECT name FROM members WHERE code = ?1 AND id <> ?2")?
        .query_row(params![m.code, m.id], |r| r.get(0))
        .optional()?;
    if let Some(name) = other {
        return Err(DbError::invalid(
            format!("编号 {} 已被 {} 使用", m.code, name),
            format!("code {} is already used by {}", m.code, name),
        ));
    }
    if let Some(idn) = &m.id_number {
        let other: Option<String> = conn
            .prepare_cached("SELECT name FROM members WHERE id_number = ?1 AND id <> ?2")?
            .query_row(params![idn, m.id], |r| r.get(0))
            .optional()?;
        if let Some(name) = other {
            return Err(DbError::invalid(
                format!("身份证号已被 {name} 使用"),
                format!("this ID number is already used by {name}"),
            ));
        }
    }
    Ok(())
}

/// Calls `f` with the stored columns of a member in `MEMBER_SET` order
/// (?1 … ?25), with the pinyin keys computed from the name.
fn with_values<T>(m: &Member, f: impl FnOnce(&[&dyn ToSql]) -> T) -> T {
    let gender = m.gender.map(|g| g.code());
    let birth = opt_date(m.birth_date);
    let joined = date_text(m.joined_on);
    let employment = m.employment.map(|e| e.code());
    let registered = opt_date(m.registered_on);
    let mobile_since = opt_date(m.mobile_since);
    let honorary_since = opt_date(m.honorary_since);
    let sort_key = pinyin::sort_key(&m.name);
    let readings = pinyin::readings(&m.name);
    f(&[
        &m.code,
        &m.name,
        &gender,
        &birth,
        &m.id_number,
        &m.phone,
        &joined,
        &m.membership.code(),
        &m.status.code(),
        &employment,
        &registered,
        &m.mobile,
        &mobile_since,
        &m.whereabouts,
        &m.contact,
        &m.honorary,
        &honorary_since,
        &m.low_income,
        &m.no_fixed_income,
        &m.living_alone,
        &m.disabled,
        &m.chronic_ill,
        &m.notes,
        &sort_key,
        &readings,
    ])
}

/// The columns `with_values` fills, in its order.
const MEMBER_SET: [&str; 25] = [
    "code",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "joined_on",
    "membership",
    "status",
    "employment",
    "registered_on",
    "mobile",
    "mobile_since",
    "whereabouts",
    "contact",
    "honorary",
    "honorary_since",
    "low_income",
    "no_fixed_income",
    "living_alone",
    "disabled",
    "chronic_ill",
    "notes",
    "sort_key",
    "readings",
];

fn insert_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let marks: Vec<String> = (1..=MEMBER_SET.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO members ({}) VALUES ({})",
            MEMBER_SET.join(", "),
            marks.join(", ")
        )
    })
}

fn update_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let set: Vec<String> = MEMBER_SET
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let n = MEMBER_SET.len();
        format!(
            "UPDATE members SET {}, version = version + 1, updated_at = datetime('now')
             WHERE id = ?{} AND version = ?{}",
            set.join(", "),
            n + 1,
            n + 2
        )
    })
}

/// Inserts a new member; returns its id. Part of the caller's transaction.
pub fn insert(conn: &Connection, m: &Member) -> Result<i64> {
    check_unique(conn, m)?;
    insert_checked(conn, m)
}

/// [`insert`] for a caller that has made sure no other member has the code
/// or the ID number (an import, which looks both up for its messages).
pub fn insert_checked(conn: &Connection, m: &Member) -> Result<i64> {
    let mut stmt = conn.prepare_cached(insert_sql())?;
    with_values(m, |v| stmt.execute(v))?;
    Ok(conn.last_insert_rowid())
}

/// Members a [`NewMembers`] statement inserts at a time.
const BATCH: usize = 32;

/// New members of an import. During a bulk load of bare inserts
/// (`db::audit::BareInserts`: no trigger, the CHECKs verified at its end,
/// into an empty roster, so that no row reads another's from the database)
/// they are inserted [`BATCH`] at a time by one statement, so that SQLite's work for a statement (opening its cursors,
/// closing them) is done once for them all. The statement calls no SQL
/// function (the timestamps are bound, read once) and is `INSERT OR FAIL`,
/// which stops at a bad row without undoing those before it: SQLite then
/// keeps no statement journal for it (the import's transaction is all or
/// nothing anyway); otherwise each at once, by [`insert_checked`]. The
/// caller has made sure no other member has a code or an ID number (as for
/// [`insert_checked`]) and calls [`NewMembers::flush`] once the last row is
/// given.
#[derive(Default)]
pub struct NewMembers {
    waiting: Vec<Member>,
    /// `datetime('now')` of the first statement: the created and updated
    /// time of every member of the load.
    now: Option<String>,
}

impl NewMembers {
    /// Queues `m` during bare inserts, writing the queue when it is full;
    /// else writes `m` now.
    pub fn push(&mut self, conn: &Connection, m: Member) -> Result<()> {
        if !super::audit::BareInserts::active(conn)? {
            return insert_checked(conn, &m).map(drop);
        }
        self.waiting.push(m);
        if self.waiting.len() >= BATCH {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes every queued member.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        let n = self.waiting.len();
        if n == 0 {
            return Ok(());
        }
        let now = match &self.now {
            Some(now) => now.clone(),
            None => {
                let now: String = conn.query_row("SELECT datetime('now')", [], |r| r.get(0))?;
                self.now.insert(now).clone()
            }
        };
        static FULL: OnceLock<String> = OnceLock::new();
        let mut stmt = if n == BATCH {
            conn.prepare_cached(FULL.get_or_init(|| batch_insert_sql(BATCH)))?
        } else {
            conn.prepare_cached(&batch_insert_sql(n))?
        };
        let width = MEMBER_SET.len() + 2;
        for (j, m) in self.waiting.iter().enumerate() {
            let at = j * width;
            with_values(m, |v| -> rusqlite::Result<()> {
                for (i, p) in v.iter().enumerate() {
                    stmt.raw_bind_parameter(at + i + 1, p)?;
                }
                stmt.raw_bind_parameter(at + v.len() + 1, &now)?;
                stmt.raw_bind_parameter(at + v.len() + 2, &now)
            })?;
        }
        stmt.raw_execute()?;
        self.waiting.clear();
        Ok(())
    }
}

/// The statement of [`NewMembers`] for `n` members: `MEMBER_SET`, then the
/// created and updated time, for each.
fn batch_insert_sql(n: usize) -> String {
    let width = MEMBER_SET.len() + 2;
    let rows: Vec<String> = (0..n)
        .map(|j| {
            let marks: Vec<String> = (1..=width).map(|i| format!("?{}", j * width + i)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!(
        "INSERT OR FAIL INTO members ({}, created_at, updated_at) VALUES {}",
        MEMBER_SET.join(", "),
        rows.join(", ")
    )
}

/// Saves an edit made over `m.version`; refuses it when someone saved in between.
/// Returns the new version. Part of the caller's transaction.
pub fn update(conn: &Connection, m: &Member) -> Result<i64> {
    check_unique(conn, m)?;
    update_checked(conn, m)
}

/// [`update`] for a caller that has made sure no other member has the code
/// or the ID number.
pub fn update_checked(conn: &Connection, m: &Member) -> Result<i64> {
    let mut stmt = conn.prepare_cached(update_sql())?;
    let (id, version) = (m.id, m.version);
    let n = with_values(m, |v| {
        let mut all: Vec<&dyn ToSql> = v.to_vec();
        all.extend([&id as &dyn ToSql, &version]);
        stmt.execute(all.as_slice())
    })?;
    if n == 0 {
        return Err(conflict(conn, m.id)?);
    }
    Ok(m.version + 1)
}

fn conflict(conn: &Connection, id: i64) -> Result<DbError> {
    let exists: bool = conn
        .prepare_cached("SELECT 1 FROM members WHERE id = ?1")?
        .query_row([id], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    Ok(if exists {
        DbError::Conflict {
            zh: "保存失败：另一位工作人员已修改了这条记录。请按 Esc 放弃后重新打开，或记下您的修改。"
                .into(),
            en: "Not saved: another clerk changed this record since you opened it. Press Esc and reopen it, or note your changes."
                .into(),
        }
    } else {
        DbError::invalid("这条记录已不存在", "this record no longer exists")
    })
}

/// Saves a member in its own transaction: insert when new, else update.
/// Returns (id, version).
/// Logged as `form: member add` or `form: member edit`.
pub fn save(conn: &mut Connection, m: &Member) -> Result<(i64, i64)> {
    let action = if m.id == 0 {
        "form: member add"
    } else {
        "form: member edit"
    };
    let tx = super::audit::write_tx(conn, &super::audit::Actor::new(action))?;
    let out = if m.id == 0 {
        (insert(&tx, m)?, 1)
    } else {
        (m.id, update(&tx, m)?)
    };
    tx.commit()?;
    Ok(out)
}

/// Changes a member's status (转出, 去世) instead of deleting, dated today with
/// no destination: [`set_status_on`] with `Some(clock::today())` and `""`.
pub fn set_status(
    conn: &mut Connection,
    id: i64,
    version: i64,
    status: MemberStatus,
) -> Result<i64> {
    set_status_on(conn, id, version, status, Some(crate::clock::today()), "")
}

/// Changes a member's status (转出, 去世) instead of deleting; optimistic like
/// `update`. `on` is the day of the transfer or death and `to` where a transfer
/// went (both cleared when the member becomes active again). Returns the new
/// version; logged as `form: member status`.
pub fn set_status_on(
    conn: &mut Connection,
    id: i64,
    version: i64,
    status: MemberStatus,
    on: Option<NaiveDate>,
    to: &str,
) -> Result<i64> {
    let tx = super::audit::write_tx(conn, &super::audit::Actor::new("form: member status"))?;
    let active = status == MemberStatus::Active;
    let on = if active { None } else { on.map(date_text) };
    let to = if status == MemberStatus::TransferredOut {
        to.trim()
    } else {
        ""
    };
    let n = tx.execute(
        "UPDATE members SET status = ?1, left_on = ?4, left_to = ?5, version = version + 1,
             updated_at = datetime('now')
         WHERE id = ?2 AND version = ?3",
        params![status.code(), id, version, on, to],
    )?;
    if n == 0 {
        return Err(conflict(&tx, id)?);
    }
    tx.commit()?;
    Ok(version + 1)
}

/// The light columns of every member that lists, search and filters need,
/// in pinyin order (then code).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub readings: String,
    pub phone: String,
    pub status: MemberStatus,
    pub birth_date: Option<NaiveDate>,
    pub joined_on: NaiveDate,
    pub mobile: bool,
    pub honorary: bool,
    pub low_income: bool,
    pub no_fixed_income: bool,
    pub living_alone: bool,
    pub disabled: bool,
    pub chronic_ill: bool,
}

/// Calls `f` for every member in pinyin order, without keeping rows around.
pub fn for_each_roster_entry(conn: &Connection, mut f: impl FnMut(RosterEntry)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, code, name, readings, coalesce(phone, ''), status, birth_date, joined_on,
                mobile, honorary, low_income, no_fixed_income, living_alone, disabled, chronic_ill
         FROM members ORDER BY sort_key, code",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let status: String = r.get(5)?;
        f(RosterEntry {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            readings: r.get(3)?,
            phone: r.get(4)?,
            status: MemberStatus::from_code(&status).unwrap_or(MemberStatus::Active),
            birth_date: parse_date(r.get(6)?),
            joined_on: parse_date(r.get(7)?).unwrap_or_default(),
            mobile: r.get::<_, i64>(8)? != 0,
            honorary: r.get::<_, i64>(9)? != 0,
            low_income: r.get::<_, i64>(10)? != 0,
            no_fixed_income: r.get::<_, i64>(11)? != 0,
            living_alone: r.get::<_, i64>(12)? != 0,
            disabled: r.get::<_, i64>(13)? != 0,
            chronic_ill: r.get::<_, i64>(14)? != 0,
        });
    }
    Ok(())
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn insert_get_update_and_conflict() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut m = Member::new("001", "张三", d("2000-07-01"));
        let (id, v) = save(&mut conn, &m).unwrap();
        m.id = id;
        m.version = v;
        let got = get(&conn, id).unwrap().unwrap();
        assert_eq!(got, m);

        // two clerks read version 1; the first save wins, the second is refused
        let mut a = got.clone();
        let mut b = got.clone();
        a.notes = "甲的修改".into();
        b.notes = "乙的修改".into();
        save(&mut conn, &a).unwrap();
        let err = save(&mut conn, &b).unwrap_err();
        assert!(matches!(err, DbError::Conflict { .. }));
        assert_eq!(get(&conn, id).unwrap().unwrap().notes, "甲的修改");
    }

    #[test]
    fn duplicate_code_is_refused_with_a_clear_message() {
        let mut conn = crate::db::open_in_memory().unwrap();
        save(&mut conn, &Member::new("001", "张三", d("2000-07-01"))).unwrap();
        let err = save(&mut conn, &Member::new("001", "李四", d("2001-07-01"))).unwrap_err();
        assert!(
            err.message(crate::domain::Lang::Zh)
                .contains("编号 001 已被 张三 使用")
        );
    }
}
