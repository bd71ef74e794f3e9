//! What the rules read about a member: the latest satisfying records, live
//! hardship cases, campaign visits, and the member's own facts.

use super::super::dates;
use super::super::member::Member;
use super::super::records::Campaign;
use super::super::settings::Settings;
use super::super::vocab::{CampaignTarget, EventKind, VisitKind};
use super::*;
use chrono::NaiveDate;

/// A record that may discharge an obligation (its date aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordClass {
    Talk,
    Visit(VisitKind),
    /// An event creates obligations; it discharges none.
    Event,
}

impl Rule {
    /// Whether a record of this class discharges an obligation of this rule
    /// (DOMAIN.md's "satisfied by"; dates, anchors and windows aside). Forms
    /// use it to warn before saving a record that will not count.
    pub fn discharged_by(self, r: RecordClass) -> bool {
        let visit = |f: fn(VisitKind) -> bool| matches!(r, RecordClass::Visit(k) if f(k));
        match self {
            Rule::AnnualTalk | Rule::EventTalk => r == RecordClass::Talk,
            Rule::HardshipVisit | Rule::HonoraryVisit | Rule::EventVisit | Rule::Campaign => {
                visit(VisitKind::in_person)
            }
            Rule::HonoraryHealthCheck => visit(VisitKind::is_health_check),
            Rule::MobileContact => r == RecordClass::Talk || visit(VisitKind::is_contact),
            // done in the hardship ledger and the fund, not by a talk or visit
            Rule::HardshipReview | Rule::LoanInstalment => false,
        }
    }
}

/// The latest records on or before D, by the class of record each rule reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latest {
    /// Any talk.
    pub talk: Option<NaiveDate>,
    /// An in-person visit (home, hospital, holiday).
    pub visit: Option<NaiveDate>,
    /// A visit of kind health_check.
    pub health_check: Option<NaiveDate>,
    /// Any talk or any visit except health_check.
    pub contact: Option<NaiveDate>,
}

impl Latest {
    /// The latest record that discharges an obligation of `rule` (None for
    /// the rules no talk or visit discharges).
    pub fn for_rule(&self, rule: Rule) -> Option<NaiveDate> {
        match rule {
            Rule::AnnualTalk | Rule::EventTalk => self.talk,
            Rule::HardshipVisit | Rule::HonoraryVisit | Rule::EventVisit | Rule::Campaign => {
                self.visit
            }
            Rule::HonoraryHealthCheck => self.health_check,
            Rule::MobileContact => self.contact,
            Rule::HardshipReview | Rule::LoanInstalment => None,
        }
    }

    /// Counts a talk dated `d` (the caller leaves out talks after D).
    pub fn add_talk(&mut self, d: NaiveDate) {
        self.talk = self.talk.max(Some(d));
        self.contact = self.contact.max(Some(d));
    }

    /// Counts a visit dated `d`: in person (home, hospital, holiday), a health
    /// check, and every kind but health_check as a contact.
    pub fn add_visit(&mut self, kind: VisitKind, d: NaiveDate) {
        if kind.in_person() {
            self.visit = self.visit.max(Some(d));
        }
        if kind.is_health_check() {
            self.health_check = self.health_check.max(Some(d));
        }
        if kind.is_contact() {
            self.contact = self.contact.max(Some(d));
        }
    }
}

/// A hardship case that is now `approved` or `active`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCase {
    pub approved_on: Option<NaiveDate>,
    /// The latest annual review on or before D.
    pub last_review: Option<NaiveDate>,
}

/// Whether a member was visited in person inside a campaign window (up to D).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WindowVisit {
    #[default]
    No,
    /// Visited; the date was not loaded.
    Yes,
    /// Visited, latest on this day.
    On(NaiveDate),
}

impl WindowVisit {
    pub fn visited(self) -> bool {
        !matches!(self, WindowVisit::No)
    }
}

/// What the rules read about one member (flags and status as they are now).
#[derive(Debug, Clone, Default)]
pub struct MemberFacts<'a> {
    pub id: i64,
    pub active: bool,
    pub joined_on: NaiveDate,
    pub registered_on: Option<NaiveDate>,
    pub birth_date: Option<NaiveDate>,
    pub honorary: bool,
    pub honorary_since: Option<NaiveDate>,
    pub mobile: bool,
    pub mobile_since: Option<NaiveDate>,
    pub chronic_ill: bool,
    pub low_income: bool,
    pub living_alone: bool,
    pub disabled: bool,
    /// Cases now approved or active.
    pub cases: &'a [LiveCase],
    /// Latest satisfying records on or before D.
    pub latest: Latest,
    /// Events (those after D are ignored).
    pub events: &'a [(NaiveDate, EventKind)],
    /// One per entry of [`Context::campaigns`] (missing entries mean not visited).
    pub campaign_visits: &'a [WindowVisit],
    /// Unpaid loan instalments, by date.
    pub instalments: &'a [NaiveDate],
}

impl MemberFacts<'_> {
    /// What the rules read of a roster member as it is now; its records, cases
    /// and instalments are the caller's to add.
    pub fn of_member(m: &Member) -> Self {
        MemberFacts {
            id: m.id,
            active: m.is_active(),
            joined_on: m.joined_on,
            registered_on: m.registered_on,
            birth_date: m.birth_date,
            honorary: m.honorary,
            honorary_since: m.honorary_since,
            mobile: m.mobile,
            mobile_since: m.mobile_since,
            chronic_ill: m.chronic_ill,
            low_income: m.low_income,
            living_alone: m.living_alone,
            disabled: m.disabled,
            ..MemberFacts::default()
        }
    }

    /// Where the roster rules count from: 入册日期, else 入党日期.
    pub fn roster_anchor(&self) -> Anchor {
        match self.registered_on {
            Some(d) => Anchor::Registered(d),
            None => Anchor::Joined(self.joined_on),
        }
    }

    /// 荣誉党员 since: honorary_since, else the roster anchor (DOMAIN.md: an empty
    /// honorary_since counts from registered_on). Used by the interval rules and,
    /// the same way, by a campaign's `honorary` group.
    pub fn honorary_anchor(&self) -> Anchor {
        match self.honorary_since {
            Some(d) => Anchor::HonorarySince(d),
            None => self.roster_anchor(),
        }
    }

    pub fn mobile_anchor(&self) -> Anchor {
        match self.mobile_since {
            Some(d) => Anchor::MobileSince(d),
            None => self.roster_anchor(),
        }
    }

    /// 老党员 on `on`: age ≥ old_age or party standing ≥ old_standing (a
    /// 29 February birthday or joining day falls on 1 March in other years).
    pub fn is_old_on(&self, on: NaiveDate, s: &Settings) -> bool {
        self.birth_date
            .is_some_and(|b| dates::age_on(b, on) >= s.old_age)
            || dates::whole_years(self.joined_on, on) >= s.old_standing
    }

    /// In a campaign's target group on `on` (see DOMAIN.md "Campaign rules").
    pub fn in_group_on(&self, target: CampaignTarget, on: NaiveDate, s: &Settings) -> bool {
        match target {
            CampaignTarget::All => true,
            CampaignTarget::Old => self.is_old_on(on, s),
            CampaignTarget::Hardship => self
                .cases
                .iter()
                .any(|c| c.approved_on.is_some_and(|a| a <= on)),
            CampaignTarget::Honorary => self.honorary && self.honorary_anchor().date() <= on,
            CampaignTarget::ChronicIll => self.chronic_ill,
            CampaignTarget::LowIncome => self.low_income,
            CampaignTarget::LivingAlone => self.living_alone,
            CampaignTarget::Disabled => self.disabled,
        }
    }

    /// Whether the member is targeted by campaign `c`: active, on the roster on
    /// or before `from`, and in one of its groups on `from`.
    pub fn targeted_by(&self, c: &Campaign, s: &Settings) -> bool {
        self.active
            && self.roster_anchor().date() <= c.from
            && c.targets.iter().any(|&t| self.in_group_on(t, c.from, s))
    }
}
