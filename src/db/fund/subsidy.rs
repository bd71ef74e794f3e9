//! 生活补贴 batches (once per member and month, all or nothing) and a
//! visit's 慰问金.

use super::*;

/// What a monthly subsidy batch (生活补贴) would pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyPreview {
    pub month: String,
    pub date: NaiveDate,
    pub per_member_fen: i64,
    /// The eligible members not yet paid for the month: (id, code, name), in
    /// pinyin order.
    pub to_pay: Vec<(i64, String, String)>,
    /// Eligible members already paid for the month.
    pub already_paid: usize,
    pub total_fen: i64,
    /// The balance on the batch's date, and the most a payment that day may take.
    pub balance_fen: i64,
    pub available_fen: i64,
}

impl SubsidyPreview {
    pub fn affordable(&self) -> bool {
        self.total_fen <= self.available_fen
    }
}

/// The batch of `month` (`YYYY-MM`) dated `date`: who is eligible on that day
/// and not yet paid for the month.
pub fn subsidy_preview(
    conn: &Connection,
    month: &str,
    date: NaiveDate,
    s: &Settings,
) -> Result<SubsidyPreview> {
    let members = crate::db::members::all(conn)?;
    let paid: std::collections::HashSet<i64> = conn
        .prepare_cached(
            "SELECT o.member_id FROM fund_entries o WHERE o.subsidy_month = ?1 AND o.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = o.id)",
        )?
        .query_map([month], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut eligible: Vec<&Member> = members
        .iter()
        .filter(|m| fund::subsidy_eligible(m, date, s))
        .collect();
    eligible.sort_by(|a, b| {
        crate::domain::pinyin::compare_names(&a.name, &b.name).then(a.code.cmp(&b.code))
    });
    let already_paid = eligible.iter().filter(|m| paid.contains(&m.id)).count();
    let to_pay: Vec<(i64, String, String)> = eligible
        .iter()
        .filter(|m| !paid.contains(&m.id))
        .map(|m| (m.id, m.code.clone(), m.name.clone()))
        .collect();
    let all = super::day_totals(conn)?;
    let per = s.subsidy_monthly_fen;
    Ok(SubsidyPreview {
        month: month.to_string(),
        date,
        per_member_fen: per,
        total_fen: per * to_pay.len() as i64,
        already_paid,
        to_pay,
        balance_fen: fund::balance_on(&all, date),
        available_fen: fund::lowest_from(&all, date).0,
    })
}

/// Pays the batch in one transaction: one `subsidy` payment per member not
/// yet paid for the month, with consecutive vouchers; refused as a whole when
/// the balance is short. Returns how many were paid.
#[allow(clippy::too_many_arguments)]
pub fn pay_subsidies(
    conn: &mut Connection,
    month: &str,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<usize> {
    let tx = write_tx(conn, &Actor::new("form: fund subsidy batch"))?;
    let n = insert_subsidies(&tx, month, date, handled_by, approved_by, s, today)?;
    tx.commit()?;
    Ok(n)
}

/// The subsidy batch inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn insert_subsidies(
    conn: &Connection,
    month: &str,
    date: NaiveDate,
    handled_by: &str,
    approved_by: &str,
    s: &Settings,
    today: NaiveDate,
) -> Result<usize> {
    if fund::parse_month(month).is_none() {
        return Err(DbError::invalid(
            format!("“{month}”不是月份，请写作 2026-11"),
            format!("\"{month}\" is not a month: write 2026-11"),
        ));
    }
    if s.subsidy_monthly_fen <= 0 {
        return Err(DbError::invalid(
            "生活补贴每月金额为 0：请先在设置中填写",
            "the monthly subsidy is zero: set it first",
        ));
    }
    let p = subsidy_preview(conn, month, date, s)?;
    if p.to_pay.is_empty() {
        return Ok(0);
    }
    if !p.affordable() {
        return Err(batch_short(
            p.to_pay.len(),
            p.total_fen,
            p.available_fen,
            date,
        ));
    }
    // The entries differ only in their member: checked once, the batch's
    // total as one payment (the balance on its date and every later day),
    // then written with consecutive vouchers. An entry at a time through
    // `insert` would read the whole ledger again for each member.
    let first = NewEntry {
        date,
        direction: Direction::Out,
        category: "subsidy".into(),
        amount_fen: p.total_fen,
        member_id: Some(p.to_pay[0].0),
        handled_by: handled_by.trim().to_string(),
        approved_by: approved_by.trim().to_string(),
        note: format!("{month} 生活补贴"),
        subsidy_month: Some(month.to_string()),
        ..NewEntry::default()
    };
    check_new(conn, &first, &super::day_totals(conn)?, today)?.map_err(refused)?;
    let year = chrono::Datelike::year(&date);
    let next = propose_voucher(conn, year)?;
    let from: u32 = next
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    for (i, (id, _, _)) in p.to_pay.iter().enumerate() {
        append(
            conn,
            Entry {
                id: 0,
                date,
                direction: Direction::Out,
                category: first.category.clone(),
                amount_fen: p.per_member_fen,
                member_id: Some(*id),
                case_id: None,
                measure_id: None,
                voucher_no: format!("{year}-{:04}", from + i as u32),
                handled_by: first.handled_by.clone(),
                approved_by: first.approved_by.clone(),
                note: first.note.clone(),
                reverses_id: None,
                loan_id: None,
                subsidy_month: first.subsidy_month.clone(),
                prev_hash: String::new(),
                hash: String::new(),
            },
        )?;
    }
    Ok(p.to_pay.len())
}

/// A visit's 慰问金: a `condolence` payment to the visited member, linked to
/// the visit, inside the caller's transaction (the visit's own).
pub fn pay_condolence(
    conn: &Connection,
    visit_id: i64,
    e: &NewEntry,
    today: NaiveDate,
) -> Result<Entry> {
    let written = insert(
        conn,
        &NewEntry {
            direction: Direction::Out,
            category: "condolence".into(),
            ..e.clone()
        },
        today,
    )?;
    conn.prepare_cached("UPDATE visits SET fund_entry_id = ?1 WHERE id = ?2")?
        .execute(params![written.id, visit_id])?;
    Ok(written)
}

/// A batch of payments (subsidies, bonuses) refused as a whole: `n` members,
/// `total_fen` in all, only `available_fen` from `date` on.
pub fn batch_short(n: usize, total_fen: i64, available_fen: i64, date: NaiveDate) -> DbError {
    DbError::invalid(
        format!(
            "余额不足：{n} 名共 {}，{date} 的可用余额为 {}，整批未发放",
            format_money(total_fen),
            format_money(available_fen)
        ),
        format!(
            "not enough money: {n} members, {} in all, {} available on {date}; nothing was paid",
            format_money(total_fen),
            format_money(available_fen)
        ),
    )
}
