//! The help fund (帮扶基金): the rules every entry obeys, pure functions of
//! the entries (DOMAIN.md, "Help fund").
//!
//! - The balance at the end of every day is Σin − Σout of the entries dated
//!   up to that day, and never below zero: a payment dated back is checked
//!   against every later day too.
//! - Entries are never edited or deleted; a mistake is answered by a reversal
//!   (冲销): the opposite direction, the same category, amount and member,
//!   once per entry.
//! - Each entry stores the SHA-256 of the previous entry's hash and its own
//!   fields, in id order: a hash chain that an edit made with another SQLite
//!   tool breaks.
//! - Voucher numbers 凭证号 are unique per year and proposed as `2026-0001`.
//! - Loans are paid back by instalments; a repayment completes instalments
//!   in due order. The living subsidy goes to the members DOMAIN.md names.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Months, NaiveDate};
use sha2::{Digest, Sha256};

use super::member::Member;
use super::money::format_money;
use super::settings::Settings;
use super::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory, Lang};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the fund as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub id: i64,
    pub date: NaiveDate,
    pub direction: Direction,
    /// The code of an `IncomeCategory` or an `ExpenseCategory`: of the
    /// direction, or for a reversal of the opposite one (the original's).
    pub category: String,
    pub amount_fen: i64,
    pub member_id: Option<i64>,
    pub case_id: Option<i64>,
    pub measure_id: Option<i64>,
    pub voucher_no: String,
    pub handled_by: String,
    pub approved_by: String,
    pub note: String,
    pub reverses_id: Option<i64>,
    pub loan_id: Option<i64>,
    /// `YYYY-MM` of a living subsidy payment.
    pub subsidy_month: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// +amount for income, −amount for a payment.
    pub fn signed(&self) -> i64 {
        match self.direction {
            Direction::In => self.amount_fen,
            Direction::Out => -self.amount_fen,
        }
    }

    /// The hash this entry should have after `prev`.
    pub fn expected_hash(&self, prev: &str) -> String {
        entry_hash(prev, self)
    }
}

/// The text an entry's hash is taken of: a version line, the previous hash,
/// then every field as `name=length:value`, so no two entries read alike.
fn canonical(prev: &str, e: &Entry) -> String {
    let mut s = String::from("guanhuai-fund-v1\n");
    let mut field = |name: &str, v: &str| {
        let _ = writeln!(s, "{name}={}:{v}", v.len());
    };
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    field("prev", prev);
    field("id", &e.id.to_string());
    field("date", &e.date.format("%Y-%m-%d").to_string());
    field("direction", e.direction.code());
    field("category", &e.category);
    field("amount_fen", &e.amount_fen.to_string());
    field("member_id", &opt(e.member_id));
    field("case_id", &opt(e.case_id));
    field("measure_id", &opt(e.measure_id));
    field("voucher_no", &e.voucher_no);
    field("handled_by", &e.handled_by);
    field("approved_by", &e.approved_by);
    field("note", &e.note);
    field("reverses_id", &opt(e.reverses_id));
    field("loan_id", &opt(e.loan_id));
    field("subsidy_month", e.subsidy_month.as_deref().unwrap_or(""));
    s
}

/// SHA-256 of the entry after `prev`, in lowercase hex.
pub fn entry_hash(prev: &str, e: &Entry) -> String {
    let digest = Sha256::digest(canonical(prev, e).as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// Where the chain first fails, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's fields or hash were changed since it was written.
    Altered { id: i64 },
    /// The entry does not follow the one before it: an entry before it was
    /// deleted, or entries were reordered (its stored prev_hash is not the
    /// hash before it).
    Broken { id: i64 },
}

impl ChainBreak {
    pub fn id(&self) -> i64 {
        match self {
            ChainBreak::Altered { id } | ChainBreak::Broken { id } => *id,
        }
    }
}

/// Recomputes the chain over the entries in id order; `Ok` with the head
/// (the last hash, [`GENESIS`] when there is none).
pub fn verify_chain(entries: &[Entry]) -> Result<String, ChainBreak> {
    let mut c = ChainCheck::default();
    entries.iter().for_each(|e| c.push(e));
    c.finish()
}

/// [`verify_chain`] an entry at a time (a ledger streamed from the file).
#[derive(Debug, Clone)]
pub struct ChainCheck {
    prev: String,
    last_id: i64,
    broken: Option<ChainBreak>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck {
            prev: GENESIS.to_string(),
            last_id: i64::MIN,
            broken: None,
        }
    }
}

impl ChainCheck {
    /// The next entry in id order (nothing more is checked after a break).
    pub fn push(&mut self, e: &Entry) {
        if self.broken.is_some() {
            return;
        }
        if e.id <= self.last_id || e.prev_hash != self.prev {
            self.broken = Some(ChainBreak::Broken { id: e.id });
        } else if e.hash != entry_hash(&self.prev, e) {
            self.broken = Some(ChainBreak::Altered { id: e.id });
        } else {
            self.prev.clone_from(&e.hash);
            self.last_id = e.id;
        }
    }

    pub fn finish(self) -> Result<String, ChainBreak> {
        match self.broken {
            Some(b) => Err(b),
            None => Ok(self.prev),
        }
    }
}

/// The balance at the end of `date`.
pub fn balance_on(entries: &[Entry], date: NaiveDate) -> i64 {
    entries
        .iter()
        .filter(|e| e.date <= date)
        .map(Entry::signed)
        .sum()
}

/// The balance now: every entry.
pub fn balance(entries: &[Entry]) -> i64 {
    entries.iter().map(Entry::signed).sum()
}

/// The lowest end-of-day balance from `date` on (that day and every later day
/// an entry is dated), with the day it falls on: what a payment dated `date`
/// may take at most.
pub fn lowest_from(entries: &[Entry], date: NaiveDate) -> (i64, NaiveDate) {
    let mut by_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for e in entries {
        *by_day.entry(e.date.max(date)).or_default() += e.signed();
    }
    by_day.entry(date).or_default();
    let mut running = 0;
    let mut low: Option<(i64, NaiveDate)> = None;
    for (&d, &delta) in &by_day {
        running += delta;
        if d >= date && low.is_none_or(|(b, _)| running < b) {
            low = Some((running, d));
        }
    }
    low.unwrap_or((0, date))
}

/// Every end-of-day balance that is below zero: (day, balance), in date order.
pub fn negative_days(entries: &[Entry]) -> Vec<(NaiveDate, i64)> {
    let mut d = DayNets::default();
    entries.iter().for_each(|e| d.push(e));
    d.negative_days()
}

/// The net of every day an entry is dated, an entry at a time (memory
/// follows the days, not the entries).
#[derive(Debug, Clone, Default)]
pub struct DayNets(BTreeMap<NaiveDate, i64>);

impl DayNets {
    pub fn push(&mut self, e: &Entry) {
        *self.0.entry(e.date).or_default() += e.signed();
    }

    /// [`negative_days`] of the entries pushed.
    pub fn negative_days(&self) -> Vec<(NaiveDate, i64)> {
        let mut running = 0;
        let mut out = Vec::new();
        for (&d, &delta) in &self.0 {
            running += delta;
            if running < 0 {
                out.push((d, running));
            }
        }
        out
    }
}

/// Why a fund operation is refused, and beside which field of its form the
/// message goes (`"amount"`, `"date"`, `"member"`, `"voucher"`, `""` for the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundError {
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

impl FundError {
    pub fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FundError {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// Checks that payments of `amount` in all dated `date` keep every
/// end-of-day balance from that day on at zero or above.
pub fn check_payment(entries: &[Entry], date: NaiveDate, amount: i64) -> Result<(), FundError> {
    let (low, day) = lowest_from(entries, date);
    if amount <= low {
        return Ok(());
    }
    let now = balance_on(entries, date);
    let (zh, en) = if day == date || low == now {
        (
            format!(
                "余额不足：{date} 的余额为 {}，不够支出 {}",
                format_money(now),
                format_money(amount)
            ),
            format!(
                "the balance on {date} is {}, less than the payment of {}",
                format_money(now),
                format_money(amount)
            ),
        )
    } else {
        (
            format!(
                "余额不足：支出后 {day} 的余额将为 {}（当日余额 {}），不够支出 {}",
                format_money(low - amount),
                format_money(low),
                format_money(amount)
            ),
            format!(
                "the balance on {day} would be {} (it is {} then): not enough for {}",
                format_money(low - amount),
                format_money(low),
                format_money(amount)
            ),
        )
    };
    Err(FundError::new("amount", zh, en))
}

/// The voucher number proposed next in `year`: one past the highest
/// `YYYY-NNNN` used that year, four digits at least.
pub fn next_voucher<'a>(year: i32, used: impl IntoIterator<Item = &'a str>) -> String {
    let prefix = format!("{year}-");
    let n = used
        .into_iter()
        .filter_map(|v| v.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:04}", n + 1)
}

/// The label of a category of a direction (or of a reversal's original).
pub fn category_label(code: &str, lang: Lang) -> String {
    IncomeCategory::from_code(code)
        .map(|c| c.label(lang).to_string())
        .or_else(|| ExpenseCategory::from_code(code).map(|c| c.label(lang).to_string()))
        .unwrap_or_else(|| code.to_string())
}

/// Whether `code` is a category of `direction` (for a new entry, not a reversal).
pub fn category_fits(direction: Direction, code: &str) -> bool {
    match direction {
        Direction::In => IncomeCategory::from_code(code).is_some(),
        Direction::Out => ExpenseCategory::from_code(code).is_some(),
    }
}

/// Payments to a person name the member: 救助金, 慰问金, 生活补贴, 无息借款.
pub fn needs_member(direction: Direction, code: &str) -> bool {
    direction == Direction::Out && matches!(code, "relief" | "condolence" | "subsidy" | "loan")
}

/// The reversal (冲销) of `e`, dated `date`: the opposite direction with
/// the same category, amount, member, case and loan.
pub fn reversal_of(e: &Entry, date: NaiveDate, voucher_no: String, note: String) -> Entry {
    Entry {
        id: 0,
        date,
        direction: match e.direction {
            Direction::In => Direction::Out,
            Direction::Out => Direction::In,
        },
        category: e.category.clone(),
        amount_fen: e.amount_fen,
        member_id: e.member_id,
        case_id: e.case_id,
        measure_id: e.measure_id,
        voucher_no,
        handled_by: e.handled_by.clone(),
        approved_by: e.approved_by.clone(),
        note,
        reverses_id: Some(e.id),
        loan_id: e.loan_id,
        subsidy_month: e.subsidy_month.clone(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// The entries that count: neither reversed nor reversals.
pub fn standing(entries: &[Entry]) -> Vec<&Entry> {
    let reversed: std::collections::HashSet<i64> =
        entries.iter().filter_map(|e| e.reverses_id).collect();
    entries
        .iter()
        .filter(|e| e.reverses_id.is_none() && !reversed.contains(&e.id))
        .collect()
}

/// An instalment of a loan's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub seq: i64,
    pub due: NaiveDate,
    pub amount_fen: i64,
}

/// `count` instalments of a loan of `principal`, the first due on `first`,
/// then every `every_months` months (a day past the month's end falls on its
/// last day); equal amounts, the remainder on the last.
pub fn schedule(
    principal: i64,
    first: NaiveDate,
    count: u32,
    every_months: u32,
) -> Vec<Instalment> {
    let count = count.max(1) as i64;
    let base = principal / count;
    let mut out = Vec::new();
    for k in 0..count {
        let due = first
            .checked_add_months(Months::new(every_months * k as u32))
            .unwrap_or(first);
        let amount = if k == count - 1 {
            principal - base * (count - 1)
        } else {
            base
        };
        out.push(Instalment {
            seq: k + 1,
            due,
            amount_fen: amount,
        });
    }
    out
}

/// Which repayment completes each instalment: repayments (date, entry id,
/// amount) are applied in date order to the instalments in due order; an
/// instalment is paid by the repayment that brings the total repaid to its
/// cumulative amount.
pub fn allocate(
    instalments: &[Instalment],
    repayments: &[(NaiveDate, i64, i64)],
) -> Vec<Option<i64>> {
    let mut reps: Vec<&(NaiveDate, i64, i64)> = repayments.iter().collect();
    reps.sort_by_key(|r| (r.0, r.1));
    let mut out = Vec::with_capacity(instalments.len());
    let mut owed = 0;
    let mut paid = 0;
    let mut next = reps.iter().peekable();
    let mut last: Option<i64> = None;
    for i in instalments {
        owed += i.amount_fen;
        while paid < owed {
            match next.next() {
                Some(r) => {
                    paid += r.2;
                    last = Some(r.1);
                }
                None => break,
            }
        }
        out.push(if paid >= owed { last } else { None });
    }
    out
}

/// Whether `m` gets the monthly living subsidy on `on`: active, and either
/// without a fixed income with a party standing of 55 years or more, or on
/// low income aged 50 or more with a standing of 20 years or more (settings).
pub fn subsidy_eligible(m: &Member, on: NaiveDate, s: &Settings) -> bool {
    if !m.is_active() {
        return false;
    }
    let standing = m.standing_on(on);
    let no_income = m.no_fixed_income && standing >= s.subsidy_no_income_standing;
    let low_income = m.low_income
        && m.age_on(on).is_some_and(|a| a >= s.subsidy_low_income_age)
        && standing >= s.subsidy_low_income_standing;
    no_income || low_income
}

/// `YYYY-MM` of a day.
pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The first day of a `YYYY-MM` month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// What an audit (定时审计) of [from, to] finds in the entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The balance at the end of the day before `from`.
    pub opening_fen: i64,
    /// Income by category (reversals of income count against it), in vocabulary order.
    pub income: Vec<(String, i64)>,
    /// Payments by category (reversals of payments count against them).
    pub payments: Vec<(String, i64)>,
    pub income_fen: i64,
    pub payments_fen: i64,
    /// The balance at the end of `to`.
    pub closing_fen: i64,
    /// Entries dated in the period.
    pub entries: usize,
}

impl AuditFigures {
    /// Opening + income − payments = closing.
    pub fn adds_up(&self) -> bool {
        self.opening_fen + self.income_fen - self.payments_fen == self.closing_fen
    }
}

/// The figures of an audit of [from, to]. A reversal counts in its original's
/// column: the reversal of a payment lowers that category's payments.
pub fn audit_figures(entries: &[Entry], from: NaiveDate, to: NaiveDate) -> AuditFigures {
    let mut sum = AuditSum::new(from, to);
    entries.iter().for_each(|e| sum.push(e));
    sum.finish()
}

/// [`audit_figures`] an entry at a time, in any order.
#[derive(Debug, Clone)]
pub struct AuditSum {
    from: NaiveDate,
    to: NaiveDate,
    opening: i64,
    closing: i64,
    income: BTreeMap<String, i64>,
    payments: BTreeMap<String, i64>,
    n: usize,
}

impl AuditSum {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        AuditSum {
            from,
            to,
            opening: 0,
            closing: 0,
            income: BTreeMap::new(),
            payments: BTreeMap::new(),
            n: 0,
        }
    }

    pub fn push(&mut self, e: &Entry) {
        if e.date < self.from {
            self.opening += e.signed();
        }
        if e.date <= self.to {
            self.closing += e.signed();
        }
        if e.date < self.from || e.date > self.to {
            return;
        }
        self.n += 1;
        let income_side = match (e.direction, e.reverses_id.is_some()) {
            (Direction::In, false) | (Direction::Out, true) => true,
            (Direction::Out, false) | (Direction::In, true) => false,
        };
        let v = if e.reverses_id.is_some() {
            -e.amount_fen
        } else {
            e.amount_fen
        };
        let side = if income_side {
            &mut self.income
        } else {
            &mut self.payments
        };
        if let Some(x) = side.get_mut(&e.category) {
            *x += v;
        } else {
            side.insert(e.category.clone(), v);
        }
    }

    pub fn finish(self) -> AuditFigures {
        // each side in its vocabulary's order (an unknown category last)
        let ordered = |m: BTreeMap<String, i64>, codes: &[&str]| -> Vec<(String, i64)> {
            let mut v: Vec<(String, i64)> = m.into_iter().collect();
            v.sort_by_key(|(c, _)| codes.iter().position(|x| x == c).unwrap_or(99));
            v
        };
        let income_codes: Vec<&str> = IncomeCategory::ALL.iter().map(|x| x.code()).collect();
        let payment_codes: Vec<&str> = ExpenseCategory::ALL.iter().map(|x| x.code()).collect();
        let income = ordered(self.income, &income_codes);
        let payments = ordered(self.payments, &payment_codes);
        let income_fen = income.iter().map(|x| x.1).sum();
        let payments_fen = payments.iter().map(|x| x.1).sum();
        AuditFigures {
            from: self.from,
            to: self.to,
            opening_fen: self.opening,
            income,
            payments,
            income_fen,
            payments_fen,
            closing_fen: self.closing,
            entries: self.n,
        }
    }
}

#[cfg(test)]
mod tests;
