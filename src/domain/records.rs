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

/// Where a campaign stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignPhase {
    /// `from` is after the day: it creates nothing yet, and a visit counts only later.
    NotStarted,
    Running,
    /// `to` is before the day: a visit now no longer counts for it.
    Ended,
}

impl Campaign {
    /// The target groups' labels, `老党员、困难党员`.
    pub fn targets_label(&self, lang: super::Lang) -> String {
        use super::vocab::Coded;
        self.targets
            .iter()
            .map(|t| t.label(lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    }

    /// Whether the campaign has started on `day` (one starting later creates nothing yet).
    pub fn started(&self, day: NaiveDate) -> bool {
        self.from <= day
    }

    /// Where the campaign stands on `day`.
    pub fn phase(&self, day: NaiveDate) -> CampaignPhase {
        if day < self.from {
            CampaignPhase::NotStarted
        } else if day > self.to {
            CampaignPhase::Ended
        } else {
            CampaignPhase::Running
        }
    }

    /// Whether an in-person visit dated `date` counts for the campaign (within [from, to]).
    pub fn counts_on(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The last day a visit counts, judged on D: the window's end, or D.
    pub fn window_end(&self, as_of: NaiveDate) -> NaiveDate {
        self.to.min(as_of)
    }

    /// The window's problem, if any: its end before its start (zh, en).
    pub fn window_problem(&self) -> Option<(String, String)> {
        (self.to < self.from).then(|| {
            let (f, t) = (super::dates::fmt(self.from), super::dates::fmt(self.to));
            (
                format!("活动结束日期 {t} 早于开始日期 {f}"),
                format!("the window ends ({t}) before it starts ({f})"),
            )
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_campaign_window_is_judged_in_one_place() {
        let c = Campaign {
            id: 0,
            name: "七一".into(),
            from: d("2026-06-15"),
            to: d("2026-07-01"),
            targets: vec![CampaignTarget::Old],
        };
        assert_eq!(c.phase(d("2026-06-14")), CampaignPhase::NotStarted);
        assert_eq!(c.phase(d("2026-06-15")), CampaignPhase::Running);
        assert_eq!(c.phase(d("2026-07-01")), CampaignPhase::Running);
        assert_eq!(c.phase(d("2026-07-02")), CampaignPhase::Ended);
        assert!(!c.started(d("2026-06-14")) && c.started(d("2026-06-15")));
        assert!(c.counts_on(d("2026-07-01")) && !c.counts_on(d("2026-07-02")));
        assert_eq!(c.window_end(d("2026-06-20")), d("2026-06-20"));
        assert_eq!(c.window_end(d("2026-11-28")), d("2026-07-01"));
        assert!(c.window_problem().is_none());
        let bad = Campaign {
            to: d("2026-06-01"),
            ..c
        };
        assert!(bad.window_problem().unwrap().0.contains("2026-06-01"));
    }
}
