//! 统计: reads the figures of [`crate::domain::stats::Stats`] for a day D.
//! The definitions are in that module's doc; here is only how they are read:
//! a few grouped queries over members and records, the rule engine's counts
//! for the overdue list and the completion rates (the same pass as `guanhuai
//! overdue`), and the fund's entries through `domain::fund::audit_figures`.
//! The survey and honours tables are read straight from the schema.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

use super::obligations::{self, Which};
use super::{Result, date_text, parse_date};
use crate::domain::dates;
use crate::domain::fund::audit_figures;
use crate::domain::rules::Rule;
use crate::domain::settings::Settings;
use crate::domain::stats::{
    AGE_BANDS, Amounts, Completion, Counts, Stats, SurveyStats, UNKNOWN, age_band, bump, zeros,
};
use crate::domain::vocab::{
    CaseState, Coded, Employment, ExpenseCategory, Gender, HardshipCategory, HonourLevel, Ideology,
    IncomeCategory, MemberStatus, Need, Priority,
};

/// Every figure on `as_of`.
pub fn compute(conn: &Connection, as_of: NaiveDate, settings: &Settings) -> Result<Stats> {
    let d = date_text(as_of);
    let year = as_of.year();
    let year_start = date_text(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of));

    let mut members_by_status = zeros::<MemberStatus>(false);
    grouped(
        conn,
        "SELECT status, count(*) FROM members GROUP BY status",
        [],
        &mut members_by_status,
    )?;
    let members_total = members_by_status.iter().map(|x| x.1).sum();
    let members_active = crate::domain::stats::get(&members_by_status, "active");

    let mut members_by_gender = zeros::<Gender>(true);
    grouped(
        conn,
        "SELECT coalesce(gender, ''), count(*) FROM members WHERE status = 'active' GROUP BY 1",
        [],
        &mut members_by_gender,
    )?;
    let mut employment = zeros::<Employment>(true);
    grouped(
        conn,
        "SELECT coalesce(employment, ''), count(*) FROM members WHERE status = 'active' GROUP BY 1",
        [],
        &mut employment,
    )?;

    let mut age_bands: Counts = AGE_BANDS.iter().map(|b| (*b, 0)).collect();
    age_bands.push((UNKNOWN, 0));
    {
        let mut stmt = conn.prepare(
            "SELECT birth_date, count(*) FROM members WHERE status = 'active' GROUP BY birth_date",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let birth = parse_date(r.get(0)?);
            let n: i64 = r.get(1)?;
            let band = match birth {
                Some(b) if b <= as_of => age_band(dates::age_on(b, as_of)),
                _ => UNKNOWN,
            };
            bump(&mut age_bands, band, n as u64);
        }
    }

    let flag = |col: &str| -> Result<u64> {
        let sql = format!("SELECT count(*) FROM members WHERE status = 'active' AND {col} = 1");
        Ok(conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as u64)
    };
    let mobile = flag("mobile")?;
    let honorary = flag("honorary")?;

    let mut hardship_by_state = zeros::<CaseState>(false);
    grouped(
        conn,
        "SELECT state, count(*) FROM hardship_cases WHERE year = ?1 GROUP BY state",
        [year],
        &mut hardship_by_state,
    )?;
    let hardship_cases = hardship_by_state.iter().map(|x| x.1).sum();
    let mut hardship_by_category = zeros::<HardshipCategory>(false);
    grouped(
        conn,
        "SELECT k.category, count(*) FROM hardship_case_categories k
         JOIN hardship_cases c ON c.id = k.case_id WHERE c.year = ?1 GROUP BY k.category",
        [year],
        &mut hardship_by_category,
    )?;
    let mut hardship_by_priority = zeros::<Priority>(false);
    grouped(
        conn,
        "SELECT priority, count(*) FROM hardship_cases WHERE year = ?1 GROUP BY priority",
        [year],
        &mut hardship_by_priority,
    )?;

    let in_year = |table: &str| -> Result<u64> {
        let sql = format!(
            "SELECT count(*) FROM {table} WHERE date >= ?1 AND date <= ?2 AND voided_on IS NULL"
        );
        Ok(conn.query_row(&sql, params![year_start, d], |r| r.get::<_, i64>(0))? as u64)
    };
    let talks_in_year = in_year("talks")?;
    let visits_in_year = in_year("visits")?;

    let report = obligations::compute(conn, as_of, settings, Which::Overdue)?;
    let overdue = report.len() as u64;
    let completion_by_rule = Rule::ALL
        .iter()
        .map(|&rule| {
            let c = report.count(rule);
            // not yet due: done for now (a renewed obligation whose due date
            // the latest record moved on), or still to do (one owed once)
            let ahead = c.due_soon + c.not_due;
            let (satisfied, pending) = if rule.is_once() {
                (c.satisfied, ahead)
            } else {
                (c.satisfied + ahead, 0)
            };
            Completion {
                rule,
                applicable: c.total(),
                satisfied,
                pending,
            }
        })
        .collect();

    let survey = survey(conn, as_of, members_active)?;

    let mut honours_by_level = zeros::<HonourLevel>(false);
    grouped(
        conn,
        "SELECT level, count(*) FROM honours WHERE year = ?1 AND date <= ?2 GROUP BY level",
        params![year, d],
        &mut honours_by_level,
    )?;

    let entries = super::fund::entries(conn)?;
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let fig = audit_figures(&entries, from, as_of);
    let amounts = |all: Vec<&'static str>, got: &[(String, i64)]| -> Amounts {
        all.into_iter()
            .map(|c| (c, got.iter().filter(|g| g.0 == c).map(|g| g.1).sum()))
            .collect()
    };
    let fund_income_by_category_fen = amounts(
        IncomeCategory::ALL.iter().map(|c| c.code()).collect(),
        &fig.income,
    );
    let fund_payments_by_category_fen = amounts(
        ExpenseCategory::ALL.iter().map(|c| c.code()).collect(),
        &fig.payments,
    );
    let fund_balance_fen = fig.closing_fen;

    let (loans_outstanding, loans_outstanding_fen) = loans_outstanding(conn, &d)?;

    Ok(Stats {
        as_of,
        members_total,
        members_by_status,
        members_active,
        members_by_gender,
        age_bands,
        employment,
        mobile,
        honorary,
        hardship_cases,
        hardship_by_state,
        hardship_by_category,
        hardship_by_priority,
        talks_in_year,
        visits_in_year,
        overdue,
        completion_by_rule,
        survey,
        honours_by_level,
        fund_income_by_category_fen,
        fund_payments_by_category_fen,
        fund_balance_fen,
        loans_outstanding,
        loans_outstanding_fen,
    })
}

/// Adds the (code, count) rows of a grouped query to `counts`.
fn grouped(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    counts: &mut Counts,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        bump(counts, &code, n as u64);
    }
    Ok(())
}

/// The latest round started on or before D, with the answers of active members up to D.
fn survey(conn: &Connection, as_of: NaiveDate, active: u64) -> Result<Option<SurveyStats>> {
    let d = date_text(as_of);
    let round: Option<(i64, String, i32, Option<String>)> = conn
        .query_row(
            "SELECT id, name, year, started_on FROM survey_rounds WHERE started_on <= ?1
             ORDER BY started_on DESC, id DESC LIMIT 1",
            [&d],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, name, year, started)) = round else {
        return Ok(None);
    };
    const ANSWERED: &str = "FROM survey_responses s JOIN members m ON m.id = s.member_id
         WHERE s.round_id = ?1 AND s.date <= ?2 AND m.status = 'active'";
    let (answered, follow_up): (i64, i64) = conn.query_row(
        &format!("SELECT count(*), coalesce(sum(s.follow_up), 0) {ANSWERED}"),
        params![id, d],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut by_ideology = zeros::<Ideology>(false);
    grouped(
        conn,
        &format!("SELECT s.ideology, count(*) {ANSWERED} GROUP BY s.ideology"),
        params![id, d],
        &mut by_ideology,
    )?;
    let mut by_need = zeros::<Need>(false);
    grouped(
        conn,
        "SELECT n.need, count(*) FROM survey_response_needs n
         JOIN survey_responses s ON s.id = n.response_id JOIN members m ON m.id = s.member_id
         WHERE s.round_id = ?1 AND s.date <= ?2 AND m.status = 'active' GROUP BY n.need",
        params![id, d],
        &mut by_need,
    )?;
    Ok(Some(SurveyStats {
        round: name,
        year,
        started_on: parse_date(started).unwrap_or(as_of),
        answered: answered as u64,
        active,
        by_need,
        by_ideology,
        follow_up: follow_up as u64,
    }))
}

/// Loans standing at the end of D and what is still owed on them: principal
/// less the repayments dated on or before D that were not reversed by D; a
/// loan whose opening payment was reversed by D never stood.
fn loans_outstanding(conn: &Connection, d: &str) -> Result<(u64, i64)> {
    let mut stmt = conn.prepare(
        "SELECT l.principal_fen - coalesce((
                SELECT sum(f.amount_fen) FROM fund_entries f
                WHERE f.loan_id = l.id AND f.category = 'loan_repayment' AND f.direction = 'in'
                  AND f.reverses_id IS NULL AND f.date <= ?1
                  AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = f.id AND r.date <= ?1)
             ), 0)
         FROM loans l
         WHERE l.date <= ?1
           AND NOT EXISTS (SELECT 1 FROM fund_entries p JOIN fund_entries r ON r.reverses_id = p.id
                           WHERE p.loan_id = l.id AND p.category = 'loan' AND p.direction = 'out'
                             AND r.date <= ?1)",
    )?;
    let owed: Vec<i64> = stmt
        .query_map([d], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let standing: Vec<i64> = owed.into_iter().filter(|&x| x > 0).collect();
    Ok((standing.len() as u64, standing.iter().sum()))
}
