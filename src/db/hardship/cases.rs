//! Opening a case (个人申请) and correcting what it says: one case per member
//! and year.

use super::*;

/// A new case: the application (个人申请) with what the clerk knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub member_id: i64,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub cause: String,
    pub family_situation: String,
    pub family: Vec<FamilyMember>,
    pub priority: Priority,
    /// The day of the application (the first step).
    pub applied_on: NaiveDate,
    pub note: String,
}

/// Why a member cannot have another case for `year`.
fn duplicate(conn: &Connection, member_id: i64, year: i32, except: i64) -> Result<Option<DbError>> {
    let other: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT c.state, m.name FROM hardship_cases c JOIN members m ON m.id = c.member_id
             WHERE c.member_id = ?1 AND c.year = ?2 AND c.id <> ?3",
        )?
        .query_row(params![member_id, year, except], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(other.map(|(state, name)| {
        let state = CaseState::from_code(&state).unwrap_or(CaseState::Applied);
        DbError::invalid(
            format!(
                "{name} 已有 {year} 年度的困难台账（{}）：每人每年一份，请在原台账上办理",
                state.zh()
            ),
            format!(
                "{name} already has a {year} case ({}): one case per member and year",
                state.en()
            ),
        )
    }))
}

fn check_case_fields(c: &NewCase) -> Result<()> {
    if c.categories.is_empty() {
        return Err(DbError::invalid(
            "请至少选择一种困难类型",
            "choose at least one category",
        ));
    }
    if !(1949..=2200).contains(&c.year) {
        return Err(DbError::invalid("年度无效", "not a valid year"));
    }
    if c.family.iter().any(|f| f.income_fen < 0) {
        return Err(DbError::invalid(
            "月收入不能为负",
            "an income cannot be negative",
        ));
    }
    Ok(())
}

fn write_family(conn: &Connection, case_id: i64, family: &[FamilyMember]) -> Result<()> {
    conn.prepare_cached("DELETE FROM hardship_family WHERE case_id = ?1")?
        .execute([case_id])?;
    for f in family {
        conn.prepare_cached(
            "INSERT INTO hardship_family (case_id, relation, name, income_fen) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![case_id, f.relation, f.name, f.income_fen])?;
    }
    let total: i64 = family.iter().map(|f| f.income_fen).sum();
    conn.prepare_cached(
        "UPDATE hardship_cases SET family_members = ?1, family_income_fen = ?2 WHERE id = ?3",
    )?
    .execute(params![
        (!family.is_empty()).then_some(family.len() as i64),
        (!family.is_empty()).then_some(total),
        case_id
    ])?;
    Ok(())
}

fn write_categories(conn: &Connection, case_id: i64, cats: &[HardshipCategory]) -> Result<()> {
    let now: Vec<String> = conn
        .prepare_cached("SELECT category FROM hardship_case_categories WHERE case_id = ?1")?
        .query_map([case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for old in &now {
        if !cats.iter().any(|c| c.code() == old) {
            conn.prepare_cached(
                "DELETE FROM hardship_case_categories WHERE case_id = ?1 AND category = ?2",
            )?
            .execute(params![case_id, old])?;
        }
    }
    for c in cats {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO hardship_case_categories (case_id, category) VALUES (?1, ?2)",
        )?
        .execute(params![case_id, c.code()])?;
    }
    Ok(())
}

/// Writes a new case and its first step (个人申请), inside the caller's
/// transaction. Refuses a second case of the member for the year.
pub fn insert_case(conn: &Connection, c: &NewCase, clerk: &str, imported: bool) -> Result<i64> {
    check_case_fields(c)?;
    if let Some(e) = duplicate(conn, c.member_id, c.year, 0)? {
        return Err(e);
    }
    conn.prepare_cached(
        "INSERT INTO hardship_cases (member_id, year, cause, family_situation, priority, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'applied')",
    )?
    .execute(params![
        c.member_id,
        c.year,
        c.cause,
        c.family_situation,
        c.priority.code()
    ])?;
    let id = conn.last_insert_rowid();
    write_categories(conn, id, &c.categories)?;
    if !c.family.is_empty() {
        write_family(conn, id, &c.family)?;
    }
    insert_step(
        conn,
        id,
        &Step {
            id: 0,
            state: CaseState::Applied,
            date: c.applied_on,
            clerk: clerk.to_string(),
            note: c.note.clone(),
            votes: None,
            public: None,
            submitted_to: String::new(),
            reason: String::new(),
            imported,
        },
    )?;
    Ok(id)
}

/// Opens a case (个人申请) in one transaction, logged as `action`.
pub fn create_case(conn: &mut Connection, c: &NewCase, action: &str) -> Result<i64> {
    let tx = write_tx(conn, &Actor::new(action))?;
    let id = insert_case(&tx, c, &os_user(), false)?;
    tx.commit()?;
    Ok(id)
}

/// Corrects what a case says (member and year stay; the state moves only by
/// steps), if no one changed it since `version` was read.
pub fn update_case(
    conn: &mut Connection,
    id: i64,
    version: i64,
    c: &NewCase,
    action: &str,
) -> Result<()> {
    check_case_fields(c)?;
    let tx = write_tx(conn, &Actor::new(action))?;
    let n = tx
        .prepare_cached(
            "UPDATE hardship_cases SET cause = ?1, family_situation = ?2, priority = ?3,
                version = version + 1 WHERE id = ?4 AND version = ?5",
        )?
        .execute(params![
            c.cause,
            c.family_situation,
            c.priority.code(),
            id,
            version
        ])?;
    if n == 0 {
        return Err(conflict());
    }
    write_categories(&tx, id, &c.categories)?;
    write_family(&tx, id, &c.family)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn conflict() -> DbError {
    DbError::Conflict {
        zh: "另一位经办人刚修改了这份台账，请重新打开后再办理".into(),
        en: "another clerk changed this case meanwhile: open it again".into(),
    }
}
