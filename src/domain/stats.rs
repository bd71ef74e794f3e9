//! 统计 — the figures a branch reports upward, for one day D (DOMAIN.md
//! "Statistics"), as plain data: [`Stats`] is filled by `db::stats::compute`
//! and shown by `guanhuai stats` (table, JSON, XLSX) and tab 8 from the same
//! [`Stats::sections`], so nothing is computed twice.
//!
//! Definitions (each JSON key is listed in [`Stats::to_json`]):
//! - **Members**: `members_total` counts every member on the roster, whatever
//!   the status; every other member count is of **active** members (status
//!   `active`, as it is now: DOMAIN.md takes status and flags as they are now).
//! - **Age** is the age on D in whole years. Bands: `under_35` (< 35),
//!   `35_59`, `60_69`, `70_plus` (≥ 70); a member with no birth date (or one
//!   after D) is `unknown`. `age_60_plus` = `60_69` + `70_plus`;
//!   `age_60_plus_share` = `age_60_plus` / active members **with a known
//!   age**, a number 0..1 rounded to 4 decimals (null when no age is known).
//! - **Gender** and **employment** list every code of the vocabulary (zeros
//!   included) and `unknown` for an empty field.
//! - **Records** (hardship cases, talks, visits, honours, fund entries) are
//!   counted whoever the member is now. Hardship cases are the cases **of the
//!   year of D** (`hardship_year`), by their state now, by category (a case
//!   with two categories counts under each) and by priority. Talks and visits
//!   are those dated from 1 January of D's year up to D, not voided. Honours
//!   are those of the year of D dated on or before D, the branch's included.
//! - **overdue** is the number of rows `guanhuai overdue --as-of D` lists.
//!   **completion_by_rule**: per rule code, `applicable` = every obligation of
//!   the rule on D (active members), `satisfied` = those done on D (an event
//!   or campaign obligation discharged by a record, or an interval obligation
//!   whose due date, moved by the latest record, is not yet past), `pending`
//!   = those owed once (an event's talk or visit, a campaign's visit, a loan
//!   instalment) neither done nor yet due, `overdue` = applicable − satisfied
//!   − pending, `rate` = satisfied / (applicable − pending) to 4 decimals
//!   (null when nothing is due or done): an illness not yet visited inside
//!   its week counts neither for nor against the rate. A loan instalment is
//!   an obligation only while unpaid.
//! - **survey**: the latest round started on or before D (null when none):
//!   `answered` = responses of active members dated on or before D, `active`
//!   = `members_active`, counts per need and per ideological state of those
//!   responses, `follow_up` = those needing follow-up.
//! - **Fund** (money in fen, integers): income and payments by category from
//!   1 January of D's year up to D with reversals netted in their original's
//!   category (as an audit counts them), the balance at the end of D, and the
//!   loans outstanding at the end of D (principal − repayments dated on or
//!   before D, a loan whose opening payment was reversed by D not counted).

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

use super::Lang;
use super::dates;
use super::money::format_money;
use super::rules::Rule;
use super::vocab::{
    CaseState, Coded, Employment, ExpenseCategory, Gender, HardshipCategory, HonourLevel, Ideology,
    IncomeCategory, MemberStatus, Need, Priority,
};

/// A count per code, in the vocabulary's order.
pub type Counts = Vec<(&'static str, u64)>;
/// An amount in fen per code, in the vocabulary's order.
pub type Amounts = Vec<(&'static str, i64)>;

/// The code of an empty field.
pub const UNKNOWN: &str = "unknown";

/// The age bands, in order.
pub const AGE_BANDS: [&str; 4] = ["under_35", "35_59", "60_69", "70_plus"];

/// The band of an age on D.
pub fn age_band(age: i32) -> &'static str {
    match age {
        ..35 => AGE_BANDS[0],
        35..=59 => AGE_BANDS[1],
        60..=69 => AGE_BANDS[2],
        _ => AGE_BANDS[3],
    }
}

/// One rule's completion on D.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub rule: Rule,
    pub applicable: u64,
    pub satisfied: u64,
    /// Owed once, not done and not yet due (an illness visited within its
    /// week, an instalment not yet due): neither done nor overdue.
    pub pending: u64,
}

impl Completion {
    pub fn overdue(&self) -> u64 {
        self.applicable - self.satisfied - self.pending
    }

    /// What has fallen due or been done: applicable − pending.
    pub fn due(&self) -> u64 {
        self.applicable - self.pending
    }

    /// satisfied / (applicable − pending), or None when nothing is due or done.
    pub fn rate(&self) -> Option<f64> {
        ratio(self.satisfied, self.due())
    }
}

/// The latest survey round started on or before D, and its answers.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyStats {
    pub round: String,
    pub year: i32,
    pub started_on: NaiveDate,
    pub answered: u64,
    pub active: u64,
    pub by_need: Counts,
    pub by_ideology: Counts,
    pub follow_up: u64,
}

/// Every figure of the statistics on one day (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub as_of: NaiveDate,
    pub members_total: u64,
    pub members_by_status: Counts,
    pub members_active: u64,
    pub members_by_gender: Counts,
    pub age_bands: Counts,
    pub employment: Counts,
    pub mobile: u64,
    pub honorary: u64,
    pub hardship_cases: u64,
    pub hardship_by_state: Counts,
    pub hardship_by_category: Counts,
    pub hardship_by_priority: Counts,
    pub talks_in_year: u64,
    pub visits_in_year: u64,
    pub overdue: u64,
    pub completion_by_rule: Vec<Completion>,
    pub survey: Option<SurveyStats>,
    pub honours_by_level: Counts,
    pub fund_income_by_category_fen: Amounts,
    pub fund_payments_by_category_fen: Amounts,
    pub fund_balance_fen: i64,
    pub loans_outstanding: u64,
    pub loans_outstanding_fen: i64,
}

/// a / b rounded to 4 decimals; None when b is 0.
pub fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| (a as f64 / b as f64 * 10_000.0).round() / 10_000.0)
}

/// A share as a percentage with one decimal (`41.7%`), or `—`.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

/// Zero counts for every code of a vocabulary, with `unknown` after them when asked.
pub fn zeros<V: Coded>(unknown: bool) -> Counts {
    let mut v: Counts = V::ALL.iter().map(|x| (x.code(), 0)).collect();
    if unknown {
        v.push((UNKNOWN, 0));
    }
    v
}

/// Adds `n` to `code` (or to `unknown`, when the code is not listed).
pub fn bump(counts: &mut Counts, code: &str, n: u64) {
    if let Some(c) = counts.iter_mut().find(|c| c.0 == code) {
        c.1 += n;
    } else if let Some(c) = counts.iter_mut().find(|c| c.0 == UNKNOWN) {
        c.1 += n;
    }
}

/// Looks a count up by code (0 when absent).
pub fn get(counts: &Counts, code: &str) -> u64 {
    counts.iter().find(|c| c.0 == code).map_or(0, |c| c.1)
}

mod present;

pub use present::*;

impl Stats {
    pub fn year(&self) -> i32 {
        self.as_of.year()
    }

    /// Active members 60 and over (`60_69` + `70_plus`).
    pub fn age_60_plus(&self) -> u64 {
        get(&self.age_bands, "60_69") + get(&self.age_bands, "70_plus")
    }

    /// Of the active members with a known age.
    pub fn age_60_plus_share(&self) -> Option<f64> {
        let known = self.members_active - get(&self.age_bands, UNKNOWN);
        ratio(self.age_60_plus(), known)
    }

    pub fn fund_income_fen(&self) -> i64 {
        self.fund_income_by_category_fen.iter().map(|x| x.1).sum()
    }

    pub fn fund_payments_fen(&self) -> i64 {
        self.fund_payments_by_category_fen.iter().map(|x| x.1).sum()
    }

    /// One object with the stable keys of the README (see the module doc).
    pub fn to_json(&self) -> Value {
        let completion: Map<String, Value> = self
            .completion_by_rule
            .iter()
            .map(|c| {
                (
                    c.rule.code().to_string(),
                    json!({
                        "applicable": c.applicable,
                        "satisfied": c.satisfied,
                        "pending": c.pending,
                        "overdue": c.overdue(),
                        "rate": c.rate(),
                    }),
                )
            })
            .collect();
        let survey = match &self.survey {
            None => Value::Null,
            Some(s) => json!({
                "round": s.round,
                "year": s.year,
                "started_on": dates::fmt(s.started_on),
                "answered": s.answered,
                "active": s.active,
                "answered_share": ratio(s.answered, s.active),
                "by_need": counts_json(&s.by_need),
                "by_ideology": counts_json(&s.by_ideology),
                "follow_up": s.follow_up,
            }),
        };
        json!({
            "as_of": dates::fmt(self.as_of),
            "year": self.year(),
            "members_total": self.members_total,
            "members_by_status": counts_json(&self.members_by_status),
            "members_active": self.members_active,
            "members_by_gender": counts_json(&self.members_by_gender),
            "age_bands": counts_json(&self.age_bands),
            "age_60_plus": self.age_60_plus(),
            "age_60_plus_share": self.age_60_plus_share(),
            "employment": counts_json(&self.employment),
            "mobile": self.mobile,
            "honorary": self.honorary,
            "hardship_year": self.year(),
            "hardship_cases": self.hardship_cases,
            "hardship_by_state": counts_json(&self.hardship_by_state),
            "hardship_by_category": counts_json(&self.hardship_by_category),
            "hardship_by_priority": counts_json(&self.hardship_by_priority),
            "talks_in_year": self.talks_in_year,
            "visits_in_year": self.visits_in_year,
            "overdue": self.overdue,
            "completion_by_rule": completion,
            "survey": survey,
            "honours_by_level": counts_json(&self.honours_by_level),
            "fund_income_by_category_fen": amounts_json(&self.fund_income_by_category_fen),
            "fund_payments_by_category_fen": amounts_json(&self.fund_payments_by_category_fen),
            "fund_income_fen": self.fund_income_fen(),
            "fund_payments_fen": self.fund_payments_fen(),
            "fund_balance_fen": self.fund_balance_fen,
            "loans_outstanding": self.loans_outstanding,
            "loans_outstanding_fen": self.loans_outstanding_fen,
        })
    }

    /// The figures in sections, labelled in `lang`: the table of `guanhuai
    /// stats`, the XLSX report and tab 8 all show these.
    pub fn sections(&self, lang: Lang) -> Vec<Section> {
        let l = lang;
        let y = self.year();
        let mut out = Vec::new();

        let mut lines = vec![
            line(
                l.pick("党员总数（含转出、去世）", "Members (all statuses)"),
                self.members_total.to_string(),
            ),
            line(
                l.pick("在册党员", "Active members"),
                self.members_active.to_string(),
            ),
        ];
        lines.extend(count_lines(
            l.pick("性别：", "Gender: "),
            &self.members_by_gender,
            Vocab::Gender,
            l,
        ));
        lines.extend(count_lines(
            l.pick("年龄：", "Age: "),
            &self.age_bands,
            Vocab::AgeBand,
            l,
        ));
        lines.push(line(
            l.pick("60岁及以上", "Aged 60 and over"),
            self.age_60_plus().to_string(),
        ));
        lines.push(line(
            l.pick("60岁及以上占比（年龄已知者）", "Share 60+ (of known age)"),
            percent(self.age_60_plus_share()),
        ));
        lines.extend(count_lines(
            l.pick("职业：", "Employment: "),
            &self.employment,
            Vocab::Employment,
            l,
        ));
        lines.push(line(
            l.pick("流动党员", "Mobile members"),
            self.mobile.to_string(),
        ));
        lines.push(line(
            l.pick("荣誉党员", "Honorary members"),
            self.honorary.to_string(),
        ));
        out.push(Section {
            title: l.pick("一、党员基本情况", "1. Members").into(),
            lines,
            charts: vec![
                bars(
                    l.pick("性别", "Gender"),
                    &self.members_by_gender,
                    Vocab::Gender,
                    l,
                ),
                bars(
                    l.pick("年龄段", "Age band"),
                    &self.age_bands,
                    Vocab::AgeBand,
                    l,
                ),
                bars(
                    l.pick("职业状况", "Employment"),
                    &self.employment,
                    Vocab::Employment,
                    l,
                ),
            ],
        });

        let mut lines = vec![line(
            match l {
                Lang::Zh => format!("{y}年度困难台账"),
                Lang::En => format!("Hardship cases of {y}"),
            },
            self.hardship_cases.to_string(),
        )];
        lines.extend(count_lines(
            l.pick("状态：", "State: "),
            &self.hardship_by_state,
            Vocab::CaseState,
            l,
        ));
        lines.extend(count_lines(
            l.pick("类别：", "Category: "),
            &self.hardship_by_category,
            Vocab::Category,
            l,
        ));
        lines.extend(count_lines(
            l.pick("轻重缓急：", "Priority: "),
            &self.hardship_by_priority,
            Vocab::Priority,
            l,
        ));
        out.push(Section {
            title: l.pick("二、困难党员帮扶", "2. Hardship").into(),
            lines,
            charts: vec![
                bars(
                    l.pick("台账状态", "Case state"),
                    &self.hardship_by_state,
                    Vocab::CaseState,
                    l,
                ),
                bars(
                    l.pick("困难类别", "Category"),
                    &self.hardship_by_category,
                    Vocab::Category,
                    l,
                ),
                bars(
                    l.pick("轻重缓急", "Priority"),
                    &self.hardship_by_priority,
                    Vocab::Priority,
                    l,
                ),
            ],
        });

        let mut lines = vec![
            line(
                match l {
                    Lang::Zh => format!("{y}年谈心谈话（次）"),
                    Lang::En => format!("Talks in {y}"),
                },
                self.talks_in_year.to_string(),
            ),
            line(
                match l {
                    Lang::Zh => format!("{y}年走访慰问（次）"),
                    Lang::En => format!("Visits in {y}"),
                },
                self.visits_in_year.to_string(),
            ),
            line(
                l.pick("逾期事项", "Overdue obligations"),
                self.overdue.to_string(),
            ),
        ];
        let mut rate_bars = Vec::new();
        for c in self.completion_by_rule.iter().filter(|c| c.applicable > 0) {
            lines.push(line(
                format!("{}{}", l.pick("完成率：", "Done: "), c.rule.label(l)),
                format!("{}/{} {}", c.satisfied, c.due(), percent(c.rate())),
            ));
            if c.pending > 0 {
                // owed once, not yet due: outside the rate, but said
                lines.push(line(
                    format!("{}{}", l.pick("未到期：", "Not yet due: "), c.rule.label(l)),
                    c.pending.to_string(),
                ));
            }
            rate_bars.push((
                chart_label(c.rule, l).to_string(),
                c.rate().map_or(0, |r| (r * 100.0).round() as u64),
            ));
        }
        out.push(Section {
            title: l
                .pick("三、谈心走访与完成率", "3. Talks, visits, completion")
                .into(),
            lines,
            charts: vec![Bars {
                title: l.pick("各项完成率", "Completion by rule").into(),
                bars: rate_bars,
                unit: Unit::Percent,
            }],
        });

        let mut lines = Vec::new();
        let mut charts = Vec::new();
        match &self.survey {
            None => lines.push(line(
                l.pick("需求调查", "Survey"),
                l.pick("尚无调查", "no round yet"),
            )),
            Some(s) => {
                lines.push(line(l.pick("调查轮次", "Round"), s.round.clone()));
                lines.push(line(
                    l.pick("开始日期", "Started"),
                    dates::fmt(s.started_on),
                ));
                lines.push(line(
                    l.pick("已答 / 在册", "Answered / active"),
                    format!(
                        "{}/{} {}",
                        s.answered,
                        s.active,
                        percent(ratio(s.answered, s.active))
                    ),
                ));
                lines.extend(count_lines(
                    l.pick("思想状况：", "Ideology: "),
                    &s.by_ideology,
                    Vocab::Ideology,
                    l,
                ));
                lines.extend(count_lines(
                    l.pick("需求：", "Need: "),
                    &s.by_need,
                    Vocab::Need,
                    l,
                ));
                lines.push(line(
                    l.pick("需跟进", "Follow-up needed"),
                    s.follow_up.to_string(),
                ));
                charts.push(bars(l.pick("需求", "Needs"), &s.by_need, Vocab::Need, l));
                charts.push(bars(
                    l.pick("思想状况", "Ideology"),
                    &s.by_ideology,
                    Vocab::Ideology,
                    l,
                ));
            }
        }
        let mut honour_lines = count_lines(
            &match l {
                Lang::Zh => format!("{y}年表彰："),
                Lang::En => format!("Honours {y}: "),
            },
            &self.honours_by_level,
            Vocab::HonourLevel,
            l,
        );
        lines.append(&mut honour_lines);
        charts.push(bars(
            l.pick("表彰级别", "Honours by level"),
            &self.honours_by_level,
            Vocab::HonourLevel,
            l,
        ));
        out.push(Section {
            title: l.pick("四、需求调查与表彰", "4. Survey and honours").into(),
            lines,
            charts,
        });

        let mut lines = Vec::new();
        for (c, fen) in &self.fund_income_by_category_fen {
            lines.push(line(
                format!(
                    "{}{}",
                    l.pick("收入：", "Income: "),
                    Vocab::Income.label(c, l)
                ),
                format_money(*fen),
            ));
        }
        lines.push(line(
            l.pick("收入合计", "Income in total"),
            format_money(self.fund_income_fen()),
        ));
        for (c, fen) in &self.fund_payments_by_category_fen {
            lines.push(line(
                format!(
                    "{}{}",
                    l.pick("支出：", "Paid: "),
                    Vocab::Expense.label(c, l)
                ),
                format_money(*fen),
            ));
        }
        lines.push(line(
            l.pick("支出合计", "Paid in total"),
            format_money(self.fund_payments_fen()),
        ));
        lines.push(line(
            l.pick("基金余额", "Fund balance"),
            format_money(self.fund_balance_fen),
        ));
        lines.push(line(
            l.pick("未还借款", "Loans outstanding"),
            match l {
                Lang::Zh => format!(
                    "{} 笔 {}",
                    self.loans_outstanding,
                    format_money(self.loans_outstanding_fen)
                ),
                Lang::En => format!(
                    "{} for {}",
                    self.loans_outstanding,
                    format_money(self.loans_outstanding_fen)
                ),
            },
        ));
        out.push(Section {
            title: match l {
                Lang::Zh => format!("五、帮扶基金（{y}-01-01 至 {}）", dates::fmt(self.as_of)),
                Lang::En => format!("5. Help fund ({y}-01-01 to {})", dates::fmt(self.as_of)),
            },
            lines,
            charts: vec![
                money_bars(
                    l.pick("收入（元）", "Income (¥)"),
                    &self.fund_income_by_category_fen,
                    Vocab::Income,
                    l,
                ),
                money_bars(
                    l.pick("支出（元）", "Payments (¥)"),
                    &self.fund_payments_by_category_fen,
                    Vocab::Expense,
                    l,
                ),
            ],
        });
        out
    }
}

#[cfg(test)]
mod tests;
