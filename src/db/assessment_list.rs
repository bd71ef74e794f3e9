//! A year's assessment list (业绩考核) a page at a time: the members listed
//! (active, or assessed that year) in pinyin order read through
//! `members_sort` by key, the totals per grade from one aggregate over the
//! year's assessments, and the years from the `(year, member_id)` index a
//! year at a time. The same rows, order and totals as
//! [`super::incentives::assessments`] and [`super::incentives::grade_totals`].

use rusqlite::{Connection, Row, params};

use super::Result;
use super::incentives::AssessmentRow;
use super::pages::Pager;
use crate::domain::incentives::{self, GradeTotal};
use crate::domain::settings::Settings;
use crate::domain::vocab::{Coded, Grade};

/// A row's place in the list: the member's sort key and code.
pub type Key = (Vec<u8>, String);

/// The list of one year under the settings' bonuses.
#[derive(Debug, Clone)]
pub struct AssessmentPages {
    pub year: i32,
    pub settings: Settings,
}

const COLS: &str = "SELECT m.sort_key, m.id, m.code, m.name, a.grade, a.paid_entry_id, f.amount_fen
     FROM members m
     LEFT JOIN assessments a ON a.member_id = m.id AND a.year = ?1
     LEFT JOIN fund_entries f ON f.id = a.paid_entry_id
     WHERE (m.status = 'active' OR a.id IS NOT NULL)";

impl AssessmentPages {
    fn row(&self, r: &Row<'_>) -> rusqlite::Result<AssessmentRow> {
        let grade = r
            .get::<_, Option<String>>(4)?
            .and_then(|g| Grade::from_code(&g));
        let paid: Option<i64> = r.get(5)?;
        let paid_fen: Option<i64> = r.get(6)?;
        Ok(AssessmentRow {
            member_id: r.get(1)?,
            code: r.get(2)?,
            name: r.get(3)?,
            grade,
            bonus_fen: match (paid_fen, grade) {
                (Some(f), _) => f,
                (None, Some(g)) => incentives::bonus_for(&self.settings, g),
                (None, None) => 0,
            },
            paid_entry_id: paid,
            sort_key: r.get(0)?,
        })
    }

    fn read(
        &self,
        conn: &Connection,
        sql: &str,
        key: Option<&Key>,
        n: usize,
    ) -> Result<Vec<AssessmentRow>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let (k, c) = match key {
            Some((k, c)) => (Some(k.as_slice()), Some(c.as_str())),
            None => (None, None),
        };
        let v = stmt.query_map(params![self.year, n as i64, k, c], |r| self.row(r))?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }
}

impl Pager for AssessmentPages {
    type Key = Key;
    type Row = AssessmentRow;

    fn key(&self, row: &AssessmentRow) -> Key {
        (row.sort_key.clone(), row.code.clone())
    }

    /// The active members and the others assessed that year.
    fn len(&self, conn: &Connection) -> Result<usize> {
        let n: i64 = conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM members WHERE status = 'active')
                      + (SELECT count(*) FROM members m
                         WHERE m.status IN ('transferred_out', 'deceased')
                           AND EXISTS (SELECT 1 FROM assessments a
                                       WHERE a.year = ?1 AND a.member_id = m.id))",
            )?
            .query_row([self.year], |r| r.get(0))?;
        Ok(n as usize)
    }

    fn after(
        &self,
        conn: &Connection,
        after: Option<&Key>,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<Self::Row>> {
        let sql = match (after, inclusive) {
            (None, _) => {
                format!("{COLS} AND ?3 IS NULL AND ?4 IS NULL ORDER BY m.sort_key, m.code LIMIT ?2")
            }
            (Some(_), false) => format!(
                "{COLS} AND (m.sort_key, m.code) > (?3, ?4) ORDER BY m.sort_key, m.code LIMIT ?2"
            ),
            (Some(_), true) => format!(
                "{COLS} AND (m.sort_key, m.code) >= (?3, ?4) ORDER BY m.sort_key, m.code LIMIT ?2"
            ),
        };
        self.read(conn, &sql, after, n)
    }

    fn before(&self, conn: &Connection, before: Option<&Key>, n: usize) -> Result<Vec<Self::Row>> {
        let sql = match before {
            None => format!(
                "{COLS} AND ?3 IS NULL AND ?4 IS NULL
                 ORDER BY m.sort_key DESC, m.code DESC LIMIT ?2"
            ),
            Some(_) => format!(
                "{COLS} AND (m.sort_key, m.code) < (?3, ?4)
                 ORDER BY m.sort_key DESC, m.code DESC LIMIT ?2"
            ),
        };
        let mut rows = self.read(conn, &sql, before, n)?;
        rows.reverse();
        Ok(rows)
    }

    /// Every member before the key (the index alone) less the ones not
    /// listed (not active and not assessed: few).
    fn rank(&self, conn: &Connection, key: &Key) -> Result<usize> {
        let n: i64 = conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM members WHERE (sort_key, code) < (?2, ?3))
                      - (SELECT count(*) FROM members m
                         WHERE m.status IN ('transferred_out', 'deceased')
                           AND (m.sort_key, m.code) < (?2, ?3)
                           AND NOT EXISTS (SELECT 1 FROM assessments a
                                           WHERE a.year = ?1 AND a.member_id = m.id))",
            )?
            .query_row(params![self.year, key.0, key.1], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }
}

/// The totals per grade of a year's list (every assessment of the year is
/// listed: its member is active or assessed), and the bonuses not paid yet.
pub fn grade_totals(conn: &Connection, year: i32, s: &Settings) -> Result<Totals> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.grade, count(*), count(a.paid_entry_id), count(f.id),
                coalesce(sum(f.amount_fen), 0)
         FROM assessments a LEFT JOIN fund_entries f ON f.id = a.paid_entry_id
         WHERE a.year = ?1 GROUP BY a.grade",
    )?;
    let mut q = stmt.query([year])?;
    let mut per: Vec<(Grade, usize, i64)> = Vec::new();
    let mut unpaid = 0;
    while let Some(r) = q.next()? {
        let Some(g) = Grade::from_code(&r.get::<_, String>(0)?) else {
            continue;
        };
        let (n, marked, found, paid): (i64, i64, i64, i64) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let bonus = incentives::bonus_for(s, g);
        per.push((g, n as usize, paid + (n - found) * bonus));
        unpaid += (n - marked) * bonus;
    }
    let grades = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail]
        .iter()
        .map(|&grade| {
            let (count, bonus_fen) = per
                .iter()
                .filter(|(g, _, _)| *g == grade)
                .fold((0, 0), |(c, b), (_, n, f)| (c + n, b + f));
            GradeTotal {
                grade,
                count,
                bonus_fen,
            }
        })
        .collect();
    Ok(Totals {
        grades,
        unpaid_fen: unpaid,
    })
}

/// What the lines under the list sum up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// 优秀, 良好, 合格, 不合格.
    pub grades: Vec<GradeTotal>,
    /// The bonuses of the graded rows not paid.
    pub unpaid_fen: i64,
}

/// The years with assessments, and this year, newest first: one index
/// probe per year rather than a pass over every assessment.
pub fn years(conn: &Connection, this_year: i32) -> Result<Vec<i32>> {
    let mut stmt = conn.prepare_cached("SELECT max(year) FROM assessments WHERE year < ?1")?;
    let mut v = Vec::new();
    let mut below = i64::MAX;
    while let Some(y) = stmt.query_row([below], |r| r.get::<_, Option<i64>>(0))? {
        v.push(y as i32);
        below = y;
    }
    if !v.contains(&this_year) {
        v.push(this_year);
    }
    v.sort_unstable_by(|a, b| b.cmp(a));
    Ok(v)
}
