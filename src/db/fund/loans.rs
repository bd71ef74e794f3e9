//! 无息借款: loans with their instalment schedules, and repayments that
//! complete instalments in due order.

use super::*;

/// A loan (无息借款) as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRow {
    pub id: i64,
    pub member_id: i64,
    pub member_code: String,
    pub member_name: String,
    pub date: NaiveDate,
    pub principal_fen: i64,
    pub repaid_fen: i64,
    /// The opening payment was reversed: the loan never stood.
    pub cancelled: bool,
    pub instalments: Vec<InstalmentRow>,
    pub note: String,
}

impl LoanRow {
    pub fn outstanding_fen(&self) -> i64 {
        if self.cancelled {
            0
        } else {
            (self.principal_fen - self.repaid_fen).max(0)
        }
    }

    /// Unpaid instalments due before `on`.
    pub fn overdue(&self, on: NaiveDate) -> Vec<&InstalmentRow> {
        if self.cancelled {
            return Vec::new();
        }
        self.instalments
            .iter()
            .filter(|i| i.paid_entry_id.is_none() && i.due < on)
            .collect()
    }

    /// What is still owed on each instalment, in schedule order: repayments
    /// pay the instalments in due order, so a part payment lowers the first
    /// unpaid one (a ¥500 repayment on ¥1,000 instalments leaves ¥500 owed on it).
    pub fn owed_per_instalment(&self) -> Vec<i64> {
        let mut credit = if self.cancelled {
            i64::MAX
        } else {
            self.repaid_fen
        };
        self.instalments
            .iter()
            .map(|i| {
                if i.paid_entry_id.is_some() {
                    credit = credit.saturating_sub(i.amount_fen).max(0);
                    return 0;
                }
                let covered = credit.min(i.amount_fen).max(0);
                credit -= covered;
                i.amount_fen - covered
            })
            .collect()
    }

    /// What is owed on the instalments due before `on` (their amounts less the
    /// part already repaid).
    pub fn overdue_fen(&self, on: NaiveDate) -> i64 {
        self.instalments
            .iter()
            .zip(self.owed_per_instalment())
            .filter(|(i, _)| i.due < on)
            .map(|(_, owed)| owed)
            .sum()
    }

    /// The first unpaid instalment.
    pub fn next_due(&self) -> Option<&InstalmentRow> {
        if self.cancelled {
            return None;
        }
        self.instalments.iter().find(|i| i.paid_entry_id.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalmentRow {
    pub seq: i64,
    pub due: NaiveDate,
    pub amount_fen: i64,
    pub paid_entry_id: Option<i64>,
}

/// Repayments that count for a loan: (date, entry id, amount), not reversed.
fn repayments(conn: &Connection, loan_id: i64) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.date, f.id, f.amount_fen FROM fund_entries f
         WHERE f.loan_id = ?1 AND f.category = 'loan_repayment' AND f.direction = 'in'
           AND f.reverses_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = f.id)
         ORDER BY f.date, f.id",
    )?;
    let v = stmt.query_map([loan_id], |r| {
        Ok((
            parse_date(r.get(0)?).unwrap_or_default(),
            r.get(1)?,
            r.get(2)?,
        ))
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Marks each instalment with the repayment that completed it (after a
/// repayment or a reversal). Part of the caller's transaction.
pub(super) fn settle_instalments(conn: &Connection, loan_id: i64) -> Result<()> {
    let rows = instalments(conn, loan_id)?;
    let plan: Vec<Instalment> = rows
        .iter()
        .map(|i| Instalment {
            seq: i.seq,
            due: i.due,
            amount_fen: i.amount_fen,
        })
        .collect();
    let paid = fund::allocate(&plan, &repayments(conn, loan_id)?);
    for (i, p) in rows.iter().zip(paid) {
        if i.paid_entry_id != p {
            conn.prepare_cached(
                "UPDATE loan_instalments SET paid_entry_id = ?1 WHERE loan_id = ?2 AND seq = ?3",
            )?
            .execute(params![p, loan_id, i.seq])?;
        }
    }
    Ok(())
}

fn instalments(conn: &Connection, loan_id: i64) -> Result<Vec<InstalmentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, due_date, amount_fen, paid_entry_id FROM loan_instalments WHERE loan_id = ?1 ORDER BY seq",
    )?;
    let v = stmt.query_map([loan_id], |r| {
        Ok(InstalmentRow {
            seq: r.get(0)?,
            due: parse_date(r.get(1)?).unwrap_or_default(),
            amount_fen: r.get(2)?,
            paid_entry_id: r.get(3)?,
        })
    })?;
    Ok(v.collect::<rusqlite::Result<_>>()?)
}

/// Every loan with its schedule and what was repaid, newest first.
pub fn loans(conn: &Connection) -> Result<Vec<LoanRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.member_id, m.code, m.name, l.date, l.principal_fen, l.note,
            EXISTS (SELECT 1 FROM fund_entries p JOIN fund_entries r ON r.reverses_id = p.id
                    WHERE p.loan_id = l.id AND p.category = 'loan' AND p.direction = 'out')
         FROM loans l JOIN members m ON m.id = l.member_id ORDER BY l.date DESC, l.id DESC",
    )?;
    type LoanCols = (i64, i64, String, String, Option<String>, i64, String, bool);
    let rows: Vec<LoanCols> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, member_id, code, name, date, principal, note, cancelled) in rows {
        let repaid = repayments(conn, id)?.iter().map(|r| r.2).sum();
        out.push(LoanRow {
            id,
            member_id,
            member_code: code,
            member_name: name,
            date: parse_date(date).unwrap_or_default(),
            principal_fen: principal,
            repaid_fen: repaid,
            cancelled,
            instalments: instalments(conn, id)?,
            note,
        });
    }
    Ok(out)
}

/// One loan by id.
pub fn loan(conn: &Connection, id: i64) -> Result<Option<LoanRow>> {
    Ok(loans(conn)?.into_iter().find(|l| l.id == id))
}

/// The member's open loans (something outstanding), oldest first: what
/// Enter on a `loan_instalment` row of the Overview offers to repay.
pub fn open_loans_of(conn: &Connection, member_id: i64) -> Result<Vec<LoanRow>> {
    let mut v: Vec<LoanRow> = loans(conn)?
        .into_iter()
        .filter(|l| l.member_id == member_id && l.outstanding_fen() > 0)
        .collect();
    v.reverse();
    Ok(v)
}

/// A new loan: the payment and its schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLoan {
    pub member_id: i64,
    pub case_id: Option<i64>,
    pub principal_fen: i64,
    pub date: NaiveDate,
    pub first_due: NaiveDate,
    pub instalments: u32,
    pub every_months: u32,
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
}

/// Opens a loan in one transaction: the `loan` payment, the loan and its
/// instalment schedule.
pub fn open_loan(conn: &mut Connection, l: &NewLoan, today: NaiveDate) -> Result<(i64, Entry)> {
    let tx = write_tx(conn, &Actor::new("form: fund loan"))?;
    let r = insert_loan(&tx, l, today)?;
    tx.commit()?;
    Ok(r)
}

/// A loan inside the caller's transaction.
pub fn insert_loan(conn: &Connection, l: &NewLoan, today: NaiveDate) -> Result<(i64, Entry)> {
    if l.instalments == 0 || l.instalments > 120 {
        return Err(DbError::invalid(
            "分期数须在 1 到 120 之间",
            "instalments: 1 to 120",
        ));
    }
    if l.first_due <= l.date {
        return Err(DbError::invalid(
            "首期还款日须晚于借款日",
            "the first instalment falls after the loan",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO loans (member_id, case_id, principal_fen, date, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        l.member_id,
        l.case_id,
        l.principal_fen.max(1),
        date_text(l.date),
        l.note.trim()
    ])?;
    let loan_id = conn.last_insert_rowid();
    let e = insert(
        conn,
        &NewEntry {
            date: l.date,
            direction: Direction::Out,
            category: "loan".into(),
            amount_fen: l.principal_fen,
            member_id: Some(l.member_id),
            case_id: l.case_id,
            measure_id: None,
            voucher_no: l.voucher_no.clone(),
            handled_by: l.handled_by.clone(),
            approved_by: l.approved_by.clone(),
            note: l.note.clone(),
            loan_id: Some(loan_id),
            subsidy_month: None,
        },
        today,
    )?;
    for i in fund::schedule(
        l.principal_fen,
        l.first_due,
        l.instalments,
        l.every_months.max(1),
    ) {
        conn.prepare_cached(
            "INSERT INTO loan_instalments (loan_id, seq, due_date, amount_fen) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![loan_id, i.seq, date_text(i.due), i.amount_fen])?;
    }
    Ok((loan_id, e))
}

/// A repayment (借款归还) of loan `loan_id`: income linked to the loan, at
/// most what is outstanding; the instalments it completes are marked paid.
pub fn repay(conn: &mut Connection, loan_id: i64, e: &NewEntry, today: NaiveDate) -> Result<Entry> {
    let tx = write_tx(conn, &Actor::new("form: fund loan repayment"))?;
    let written = insert_repayment(&tx, loan_id, e, today)?;
    tx.commit()?;
    Ok(written)
}

/// A repayment inside the caller's transaction.
pub fn insert_repayment(
    conn: &Connection,
    loan_id: i64,
    e: &NewEntry,
    today: NaiveDate,
) -> Result<Entry> {
    let l = loan(conn, loan_id)?.ok_or_else(|| DbError::invalid("没有这笔借款", "no such loan"))?;
    if l.cancelled {
        return Err(DbError::invalid("这笔借款已冲销", "this loan was reversed"));
    }
    if e.amount_fen > l.outstanding_fen() {
        return Err(DbError::invalid(
            format!(
                "还款 {} 超过尚欠的 {}",
                format_money(e.amount_fen),
                format_money(l.outstanding_fen())
            ),
            format!(
                "the repayment of {} is more than the {} outstanding",
                format_money(e.amount_fen),
                format_money(l.outstanding_fen())
            ),
        ));
    }
    if e.date < l.date {
        return Err(DbError::invalid(
            format!("还款日期早于借款日期 {}", l.date),
            format!("the repayment is dated before the loan, {}", l.date),
        ));
    }
    let written = insert(
        conn,
        &NewEntry {
            direction: Direction::In,
            category: "loan_repayment".into(),
            member_id: Some(l.member_id),
            loan_id: Some(loan_id),
            ..e.clone()
        },
        today,
    )?;
    settle_instalments(conn, loan_id)?;
    Ok(written)
}

#[cfg(test)]
mod owed_tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn loan(repaid_fen: i64, paid: usize) -> LoanRow {
        LoanRow {
            id: 1,
            member_id: 1,
            member_code: "0001".into(),
            member_name: "赵六".into(),
            date: ymd(2026, 1, 1),
            principal_fen: 400_000,
            repaid_fen,
            cancelled: false,
            instalments: (1..=4)
                .map(|m| InstalmentRow {
                    seq: m,
                    due: ymd(2026, m as u32 + 1, 1),
                    amount_fen: 100_000,
                    paid_entry_id: (m as usize <= paid).then_some(m),
                })
                .collect(),
            note: String::new(),
        }
    }

    #[test]
    fn a_part_repayment_lowers_what_is_overdue() {
        // four ¥1,000 instalments all due, ¥500 repaid: ¥3,500 is overdue, not ¥4,000
        let l = loan(50_000, 0);
        let after = ymd(2026, 12, 1);
        assert_eq!(l.overdue(after).len(), 4);
        assert_eq!(l.owed_per_instalment(), [50_000, 100_000, 100_000, 100_000]);
        assert_eq!(l.overdue_fen(after), 350_000);
        assert_eq!(l.overdue_fen(after), l.outstanding_fen());
        // one paid in full and ¥300 more: the second instalment owes ¥700
        let l = loan(130_000, 1);
        assert_eq!(l.owed_per_instalment(), [0, 70_000, 100_000, 100_000]);
        assert_eq!(l.overdue_fen(ymd(2026, 3, 2)), 70_000);
        assert_eq!(l.overdue_fen(ymd(2026, 2, 1)), 0);
        // a reversed loan owes nothing
        let mut l = loan(0, 0);
        l.cancelled = true;
        assert_eq!(l.overdue_fen(after), 0);
    }
}
