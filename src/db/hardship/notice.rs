//! The cases of a public notice (公示).

use super::*;

/// One case on a public notice (公示).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub code: String,
    pub name: String,
    pub gender: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub cause: String,
    pub priority: Priority,
    pub state: CaseState,
    /// The notice window; none for a case an import put in 公示 (its window
    /// was not recorded).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The cases of a public notice. With no period: every case now in 公示
/// (one an import put there, without its window, too).
/// With one: every case whose notice window overlaps [from, to] (an open end
/// is unbounded), whatever its state now. By notice start, then pinyin.
pub fn notice_rows(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<NoticeRow>> {
    let period = from.is_some() || to.is_some();
    let mut stmt = conn.prepare_cached(
        "SELECT m.code, m.name, m.gender, m.id_number, m.phone, c.year,
            (SELECT group_concat(category, ',') FROM hardship_case_categories k WHERE k.case_id = c.id),
            c.cause, c.priority, c.state, s.public_from, s.public_to
         FROM hardship_steps s JOIN hardship_cases c ON c.id = s.case_id
         JOIN members m ON m.id = c.member_id
         WHERE s.step = 'publicized'
           AND (CASE WHEN ?1 THEN s.public_from IS NOT NULL AND s.public_to IS NOT NULL
                     AND (?2 IS NULL OR s.public_to >= ?2) AND (?3 IS NULL OR s.public_from <= ?3)
                ELSE c.state = 'publicized' END)
         ORDER BY s.public_from IS NULL, s.public_from, m.sort_key, m.code, c.year",
    )?;
    let v = stmt.query_map(
        params![period, from.map(date_text), to.map(date_text)],
        |r| {
            Ok(NoticeRow {
                code: r.get(0)?,
                name: r.get(1)?,
                gender: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                id_number: r.get(3)?,
                phone: r.get(4)?,
                year: r.get(5)?,
                categories: categories_of(r.get(6)?),
                cause: r.get(7)?,
                priority: Priority::from_code(&r.get::<_, String>(8)?).unwrap_or(Priority::Normal),
                state: CaseState::from_code(&r.get::<_, String>(9)?).unwrap_or(CaseState::Applied),
                from: parse_date(r.get(10)?),
                to: parse_date(r.get(11)?),
            })
        },
    )?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}
