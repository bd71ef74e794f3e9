//! The hardship ledger's workflow (困难党员台账): which step may follow which,
//! and what each step must carry. Pure: the caller passes the case's history,
//! the settings and today.
//!
//! The path: 个人申请 → 民主评议 → 公示 → 逐级申报 → 审核通过 → 帮扶中 →
//! 已脱困. 驳回 ends an application before approval (a failed vote, an
//! objection during the notice, a refusal upstream); 终止 ends a case at any
//! live step. No step is skipped, none is repeated, and nothing is edited: a
//! wrong step is answered by the next one (驳回 or 终止) with its note.

use chrono::{Duration, NaiveDate};

use super::dates;
use super::vocab::{CaseState, Coded, Lang};

/// The steps that may follow `state`, in the order they are offered.
pub fn next_steps(state: CaseState) -> &'static [CaseState] {
    use CaseState::*;
    match state {
        Applied => &[Reviewed, Rejected, Closed],
        Reviewed => &[Publicized, Rejected, Closed],
        Publicized => &[Submitted, Rejected, Closed],
        Submitted => &[Approved, Rejected, Closed],
        Approved => &[Active, Closed],
        Active => &[Resolved, Closed],
        Rejected | Resolved | Closed => &[],
    }
}

/// A state no step follows.
pub fn is_final(state: CaseState) -> bool {
    next_steps(state).is_empty()
}

/// The main path's next step (what the list shows as "next"), if any.
pub fn main_next(state: CaseState) -> Option<CaseState> {
    next_steps(state).first().copied()
}

/// The branch vote of a 民主评议: for, against, abstaining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Votes {
    pub for_: i64,
    pub against: i64,
    pub abstain: i64,
}

impl Votes {
    pub fn total(self) -> i64 {
        self.for_ + self.against + self.abstain
    }

    /// Passed: more than half of those voting (abstentions are votes cast) are for.
    pub fn passed(self) -> bool {
        self.total() > 0 && self.for_ * 2 > self.total()
    }
}

/// What a step carries besides its date and note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepData {
    /// 民主评议 (votes are optional on a 驳回 after a failed vote).
    Review(Votes),
    /// 公示 from, to (inclusive).
    Publicize { from: NaiveDate, to: NaiveDate },
    /// 逐级申报: to whom.
    Submit { to: String },
    /// 审核通过: approved_on is the step's date.
    Approve,
    /// 驳回: the reason, with the failed vote when it follows an application.
    Reject {
        reason: String,
        votes: Option<Votes>,
    },
    /// 帮扶中.
    Activate,
    /// 已脱困.
    Resolve,
    /// 终止: the reason.
    Close { reason: String },
}

impl StepData {
    /// The state the step moves the case to.
    pub fn state(&self) -> CaseState {
        match self {
            StepData::Review(_) => CaseState::Reviewed,
            StepData::Publicize { .. } => CaseState::Publicized,
            StepData::Submit { .. } => CaseState::Submitted,
            StepData::Approve => CaseState::Approved,
            StepData::Reject { .. } => CaseState::Rejected,
            StepData::Activate => CaseState::Active,
            StepData::Resolve => CaseState::Resolved,
            StepData::Close { .. } => CaseState::Closed,
        }
    }
}

/// One recorded step of a case, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: i64,
    pub state: CaseState,
    pub date: NaiveDate,
    /// The OS user who recorded it.
    pub clerk: String,
    pub note: String,
    pub votes: Option<Votes>,
    pub public: Option<(NaiveDate, NaiveDate)>,
    pub submitted_to: String,
    /// 驳回 / 终止: why.
    pub reason: String,
    /// Created by an import from the state a row named (dates unknown).
    pub imported: bool,
}

/// A step the clerk asks for: its date, note and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    pub date: NaiveDate,
    pub note: String,
    pub data: StepData,
}

/// Why a step is refused, and beside which field of its form the message goes
/// (`"date"`, `"votes_for"`, `"public_to"`, `"to"`, `"reason"`, or `""` for the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

impl StepError {
    fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        StepError {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// The labels of the steps allowed after `state`, joined for a message.
fn allowed_labels(state: CaseState, lang: Lang) -> String {
    let v: Vec<&str> = next_steps(state).iter().map(|s| s.label(lang)).collect();
    v.join(lang.pick("、", ", "))
}

/// The last day a notice from `from` must run to: `min_days` days, both ends counted.
pub fn notice_min_end(from: NaiveDate, min_days: i64) -> NaiveDate {
    from + Duration::days(min_days.max(1) - 1)
}

/// Checks a step against the case's state and history (oldest first), the
/// minimum notice days and today. `Ok` means it may be recorded as asked.
pub fn check_step(
    state: CaseState,
    history: &[Step],
    req: &StepRequest,
    min_notice_days: i64,
    today: NaiveDate,
) -> Result<(), StepError> {
    let to = req.data.state();
    if !next_steps(state).contains(&to) {
        return Err(if is_final(state) {
            StepError::new(
                "",
                format!("台账已是「{}」，不能再登记「{}」", state.zh(), to.zh()),
                format!(
                    "the case is {}: no step follows, not even {}",
                    state.en(),
                    to.en()
                ),
            )
        } else {
            StepError::new(
                "",
                format!(
                    "「{}」之后不能登记「{}」，只能：{}",
                    state.zh(),
                    to.zh(),
                    allowed_labels(state, Lang::Zh)
                ),
                format!(
                    "{} cannot follow {}; allowed: {}",
                    to.en(),
                    state.en(),
                    allowed_labels(state, Lang::En)
                ),
            )
        });
    }
    if req.date > today {
        return Err(StepError::new(
            "date",
            format!("日期 {} 晚于今天", req.date),
            format!("{} is after today", req.date),
        ));
    }
    if req.date < dates::EARLIEST {
        return Err(StepError::new(
            "date",
            format!("日期 {} 早于 1900 年", req.date),
            format!("{} is before 1900", req.date),
        ));
    }
    if let Some(last) = history.last()
        && req.date < last.date
    {
        return Err(StepError::new(
            "date",
            format!("日期早于上一步「{}」（{}）", last.state.zh(), last.date),
            format!(
                "the date is before the last step, {} on {}",
                last.state.en(),
                last.date
            ),
        ));
    }
    match &req.data {
        StepData::Review(v) => {
            if v.total() == 0 {
                return Err(StepError::new(
                    "votes_for",
                    "请填写赞成、反对、弃权票数",
                    "enter the votes for, against and abstaining",
                ));
            }
            if !v.passed() {
                return Err(StepError::new(
                    "votes_for",
                    format!(
                        "赞成 {} 票未超过投票 {} 人的半数：评议未通过，应登记驳回",
                        v.for_,
                        v.total()
                    ),
                    format!(
                        "{} for is not more than half of the {} votes: the review failed, record a rejection",
                        v.for_,
                        v.total()
                    ),
                ));
            }
        }
        StepData::Publicize { from, to } => {
            if *from != req.date {
                return Err(StepError::new(
                    "date",
                    "公示的登记日期即公示开始日期",
                    "a notice is recorded on the day it starts",
                ));
            }
            if to < from {
                return Err(StepError::new(
                    "public_to",
                    format!("公示结束日期 {to} 早于开始日期 {from}"),
                    format!("the notice ends on {to}, before it starts on {from}"),
                ));
            }
            let min_end = notice_min_end(*from, min_notice_days);
            if *to < min_end {
                let days = (*to - *from).num_days() + 1;
                return Err(StepError::new(
                    "public_to",
                    format!("公示 {days} 天，不少于 {min_notice_days} 天：最早至 {min_end}"),
                    format!(
                        "a notice of {days} days; at least {min_notice_days}: until {min_end} or later"
                    ),
                ));
            }
        }
        StepData::Submit { to } => {
            if to.trim().is_empty() {
                return Err(StepError::new(
                    "to",
                    "请填写报送单位",
                    "enter to whom it is submitted",
                ));
            }
            let notice = history
                .iter()
                .rev()
                .find(|s| s.state == CaseState::Publicized)
                .and_then(|s| s.public);
            if let Some((_, end)) = notice
                && req.date <= end
            {
                return Err(StepError::new(
                    "date",
                    format!(
                        "公示期至 {end} 结束，逐级申报须在其后（{} 起）",
                        end + Duration::days(1)
                    ),
                    format!(
                        "the notice runs until {end}: submit from {} on",
                        end + Duration::days(1)
                    ),
                ));
            }
        }
        StepData::Reject { reason, .. } => {
            if reason.trim().is_empty() {
                return Err(StepError::new(
                    "reason",
                    "请填写驳回原因",
                    "enter the reason for the rejection",
                ));
            }
        }
        StepData::Close { reason } => {
            if reason.trim().is_empty() {
                return Err(StepError::new(
                    "reason",
                    "请填写终止原因",
                    "enter why the case is closed",
                ));
            }
        }
        StepData::Approve | StepData::Activate | StepData::Resolve => {}
    }
    Ok(())
}

/// Whether `history` (oldest first) is a path the workflow allows: it starts
/// with 个人申请 and each step may follow the one before, on the same day or later.
pub fn is_valid_path(history: &[Step]) -> bool {
    let Some(first) = history.first() else {
        return false;
    };
    if first.state != CaseState::Applied {
        return false;
    }
    history.windows(2).all(|w| {
        next_steps(w[0].state).contains(&w[1].state) && (w[1].imported || w[1].date >= w[0].date)
    })
}

/// The steps of the main path up to and including `state` (an import creates
/// them). 驳回 follows the application; 终止 follows the application, or
/// 帮扶中 when the case was approved.
pub fn path_to(state: CaseState, approved: bool) -> Vec<CaseState> {
    use CaseState::*;
    let main = [
        Applied, Reviewed, Publicized, Submitted, Approved, Active, Resolved,
    ];
    match state {
        Rejected => vec![Applied, Rejected],
        Closed if approved => vec![
            Applied, Reviewed, Publicized, Submitted, Approved, Active, Closed,
        ],
        Closed => vec![Applied, Closed],
        s => {
            let n = main.iter().position(|&m| m == s).unwrap_or(0);
            main[..=n].to_vec()
        }
    }
}

/// The outcome of an annual review (年审).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// 继续帮扶: the case stays; the next review is due a year on.
    Continue,
    /// 已脱困: the review also records the 已脱困 step.
    Resolved,
}

impl ReviewOutcome {
    pub fn code(self) -> &'static str {
        match self {
            ReviewOutcome::Continue => "continue",
            ReviewOutcome::Resolved => "resolved",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "continue" => Some(ReviewOutcome::Continue),
            "resolved" => Some(ReviewOutcome::Resolved),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ReviewOutcome::Continue => lang.pick("继续帮扶", "Continue"),
            ReviewOutcome::Resolved => lang.pick("已脱困", "Resolved"),
        }
    }
}

/// When the next annual review is due: the last review, or the approval
/// when there is none, plus `interval_days`. `None` while the case is not live.
pub fn review_due(
    state: CaseState,
    approved_on: Option<NaiveDate>,
    last_review: Option<NaiveDate>,
    interval_days: i64,
) -> Option<NaiveDate> {
    if !state.is_live() {
        return None;
    }
    let anchor = last_review.or(approved_on)?;
    Some(anchor + Duration::days(interval_days))
}

/// Checks an annual review: the case is live, the date is not before the
/// approval or the last review, not after today; 已脱困 needs 帮扶中 first.
pub fn check_review(
    state: CaseState,
    approved_on: Option<NaiveDate>,
    last_review: Option<NaiveDate>,
    date: NaiveDate,
    outcome: ReviewOutcome,
    today: NaiveDate,
) -> Result<(), StepError> {
    if !state.is_live() {
        return Err(StepError::new(
            "",
            format!("台账为「{}」：只有审核通过或帮扶中的台账年审", state.zh()),
            format!(
                "the case is {}: only approved or active cases are reviewed",
                state.en()
            ),
        ));
    }
    if date > today {
        return Err(StepError::new(
            "date",
            format!("日期 {date} 晚于今天"),
            format!("{date} is after today"),
        ));
    }
    if let Some(a) = approved_on
        && date < a
    {
        return Err(StepError::new(
            "date",
            format!("日期早于批准日期 {a}"),
            format!("the date is before the approval on {a}"),
        ));
    }
    if let Some(l) = last_review
        && date < l
    {
        return Err(StepError::new(
            "date",
            format!("日期早于上次年审 {l}"),
            format!("the date is before the last review on {l}"),
        ));
    }
    if outcome == ReviewOutcome::Resolved && state != CaseState::Active {
        return Err(StepError::new(
            "outcome",
            "台账尚未「帮扶中」：请先登记帮扶中，不跳过步骤",
            "the case is not yet being helped: record that step first, none is skipped",
        ));
    }
    Ok(())
}

/// What the list shows as the case's next thing: the next step of the path,
/// the end of a running notice, or the review due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextThing {
    Step(CaseState),
    NoticeUntil(NaiveDate),
    ReviewDue(NaiveDate),
    Done,
}

pub fn next_thing(
    state: CaseState,
    notice: Option<(NaiveDate, NaiveDate)>,
    review_due: Option<NaiveDate>,
    today: NaiveDate,
) -> NextThing {
    match state {
        CaseState::Publicized => match notice {
            Some((_, to)) if to >= today => NextThing::NoticeUntil(to),
            _ => NextThing::Step(CaseState::Submitted),
        },
        s if s.is_live() => match review_due {
            Some(d) => NextThing::ReviewDue(d),
            None => NextThing::Done,
        },
        s => match main_next(s) {
            Some(n) => NextThing::Step(n),
            None => NextThing::Done,
        },
    }
}

#[cfg(test)]
mod tests;
