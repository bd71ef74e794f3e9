//! Records of care: events (情况), talks (谈心谈话), visits (走访慰问), campaigns
//! (集中走访慰问) and the parts of a hardship case the rules read.

use chrono::NaiveDate;

use super::vocab::{
    CampaignTarget, CaseState, EventKind, HardshipCategory, Priority, TalkForm, VisitKind,
};

/// 情况 — something that happened to a member and obliges a talk or visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub member_id: i64,
    pub date: NaiveDate,
    pub kind: EventKind,
    pub note: String,
}

/// 谈心谈话.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Talk {
    pub id: i64,
    pub member_id: i64,
    pub date: NaiveDate,
    /// 谈话人: name and role.
    pub conductor: String,
    pub form: TalkForm,
    pub summary: String,
    pub problems: String,
    pub follow_up: bool,
    pub follow_up_note: String,
}

/// 走访慰问.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub id: i64,
    pub member_id: i64,
    pub date: NaiveDate,
    pub visitor: String,
    pub kind: VisitKind,
    pub goods: String,
    /// 慰问金: the fund entry paying it, if any.
    pub fund_entry_id: Option<i64>,
    pub notes: String,
}

/// 集中走访慰问 — a campaign window with target groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub targets: Vec<CampaignTarget>,
}

/// 困难党员台账 — one member's case for one year (the fields of the ledger list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardshipCase {
    pub id: i64,
    pub member_id: i64,
    pub year: i32,
    pub categories: Vec<HardshipCategory>,
    pub cause: String,
    pub priority: Priority,
    pub state: CaseState,
    pub approved_on: Option<NaiveDate>,
    /// The date of the latest annual review (年审), if any.
    pub last_review: Option<NaiveDate>,
}
