//! 规则引擎: what the branch owes each member on a day D — talks, visits,
//! health checks, the 必谈/必访 of events, campaign visits, hardship reviews and
//! loan instalments — as pure functions of plain data (DOMAIN.md, "Obligations
//! and overdue").
//!
//! States: an obligation is **overdue** when it is not satisfied and due < D,
//! **due soon** when not satisfied and D ≤ due ≤ D + due_soon_days, otherwise
//! **not due**. Only event and campaign obligations can be **satisfied**: an
//! interval obligation (annual talk, visits, health check, contact, hardship
//! review) never goes away, its latest record just moves the due date forward,
//! so it is always overdue, due soon or not due by that date. A loan instalment
//! is listed only while unpaid.
//!
//! The caller supplies, for each member, the latest satisfying dates on or
//! before D (records after D are ignored by the rules, so they must not be
//! passed in) — the database layer reads them from cached columns, the tests
//! from a scan of every record.

use std::cmp::Ordering;

use chrono::{Duration, NaiveDate};

use super::dates;
use super::records::Campaign;
use super::settings::Settings;
use super::vocab::{CampaignTarget, EventKind, Lang};

mod kind;
use kind::colon;
pub use kind::{Kind, KindRef, ObligationKind, Rule};

mod facts;
pub use facts::{Latest, LiveCase, MemberFacts, RecordClass, WindowVisit};

/// The state of an obligation on the as-of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// An event or campaign obligation discharged by a record.
    Satisfied,
    /// Not satisfied; D ≤ due ≤ D + due_soon_days.
    DueSoon,
    /// Not satisfied; due < D.
    Overdue,
    /// Not satisfied; due later than the due-soon window.
    NotDue,
}

impl State {
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            State::Satisfied => ("已完成", "Done"),
            State::DueSoon => ("即将到期", "Due soon"),
            State::Overdue => ("逾期", "Overdue"),
            State::NotDue => ("未到期", "Not due"),
        };
        lang.pick(zh, en)
    }
}

/// The state of an obligation with this due date on `as_of`.
pub fn state_of(due: NaiveDate, satisfied: bool, as_of: NaiveDate, soon_days: i64) -> State {
    if satisfied {
        State::Satisfied
    } else if due < as_of {
        State::Overdue
    } else if due <= add_days(as_of, soon_days) {
        State::DueSoon
    } else {
        State::NotDue
    }
}

/// `d` + `n` days, saturating at the ends of the calendar.
pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(n)).unwrap_or(if n < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Days overdue: D − due (negative while not yet due).
pub fn days_overdue(due: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - due).num_days()
}

/// Where an obligation counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// 入册日期.
    Registered(NaiveDate),
    /// 入党日期, for a member without a registration date.
    Joined(NaiveDate),
    /// 荣誉党员批准日期.
    HonorarySince(NaiveDate),
    /// 流出日期.
    MobileSince(NaiveDate),
    /// The approval of a hardship case.
    Approved(NaiveDate),
    /// A hardship case's last annual review, for a case without an approval date.
    Reviewed(NaiveDate),
    /// The event's date.
    Event(NaiveDate),
    /// The first day of the campaign window.
    CampaignFrom(NaiveDate),
    /// The instalment's date.
    Instalment(NaiveDate),
}

impl Anchor {
    pub fn date(self) -> NaiveDate {
        match self {
            Anchor::Registered(d)
            | Anchor::Joined(d)
            | Anchor::HonorarySince(d)
            | Anchor::MobileSince(d)
            | Anchor::Approved(d)
            | Anchor::Reviewed(d)
            | Anchor::Event(d)
            | Anchor::CampaignFrom(d)
            | Anchor::Instalment(d) => d,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Anchor::Registered(_) => ("入册", "registered"),
            Anchor::Joined(_) => ("入党(无入册日期)", "joined (no registration date)"),
            Anchor::HonorarySince(_) => ("荣誉党员批准", "honorary since"),
            Anchor::MobileSince(_) => ("流出", "mobile since"),
            Anchor::Approved(_) => ("台账批准", "case approved"),
            Anchor::Reviewed(_) => ("年审", "reviewed"),
            Anchor::Event(_) => ("事件", "event"),
            Anchor::CampaignFrom(_) => ("活动开始", "campaign from"),
            Anchor::Instalment(_) => ("分期应还", "instalment"),
        };
        lang.pick(zh, en)
    }
}

impl KindRef {
    /// The kind with its campaign's name.
    pub fn to_kind(self, campaigns: &[Campaign]) -> ObligationKind {
        self.map_campaign(|i| campaigns[i].name.clone())
    }
}

/// One obligation as the engine finds it (no allocation; see [`Obligation`]
/// for the owned form with its explanation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub kind: KindRef,
    pub due: NaiveDate,
    pub state: State,
    pub anchor: Anchor,
    /// The latest record of the satisfying class on or before D (it may be
    /// older than the anchor, in which case it did not count).
    pub last: Option<NaiveDate>,
    /// The interval (interval rules) or the deadline in days (event rules).
    pub days: Option<i64>,
}

/// The day, the settings and the campaigns the rules are judged with.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub as_of: NaiveDate,
    pub settings: &'a Settings,
    /// Every campaign; those whose window starts after D create nothing.
    pub campaigns: &'a [Campaign],
    /// Per campaign, the latest birth date and the latest joining date that
    /// make a member old on its first day (a million members ask this).
    old_cutoffs: Vec<(NaiveDate, NaiveDate)>,
}

/// The latest `start` from which `n` whole years have passed on `on` (counted
/// like an age: whole years fall as `start` moves later, so every earlier
/// start qualifies too).
pub fn latest_start_with_years(on: NaiveDate, n: i32) -> NaiveDate {
    let mut c = dates::add_years(on, -n);
    while dates::whole_years(c, on) < n {
        match c.pred_opt() {
            Some(p) => c = p,
            None => return c,
        }
    }
    while let Some(next) = c.succ_opt()
        && dates::whole_years(next, on) >= n
    {
        c = next;
    }
    c
}

impl<'a> Context<'a> {
    pub fn new(as_of: NaiveDate, settings: &'a Settings, campaigns: &'a [Campaign]) -> Self {
        let old_cutoffs = campaigns
            .iter()
            .map(|c| {
                (
                    latest_start_with_years(c.from, settings.old_age),
                    latest_start_with_years(c.from, settings.old_standing),
                )
            })
            .collect();
        Context {
            as_of,
            settings,
            campaigns,
            old_cutoffs,
        }
    }

    /// [`MemberFacts::targeted_by`] for campaign `i`, with the old-member test
    /// reduced to two date comparisons.
    fn targets(&self, i: usize, m: &MemberFacts<'_>) -> bool {
        let c = &self.campaigns[i];
        let (born_by, joined_by) = self.old_cutoffs[i];
        m.active
            && m.roster_anchor().date() <= c.from
            && c.targets.iter().any(|&t| match t {
                CampaignTarget::Old => {
                    m.birth_date.is_some_and(|b| b <= born_by) || m.joined_on <= joined_by
                }
                _ => m.in_group_on(t, c.from, self.settings),
            })
    }

    fn state(&self, due: NaiveDate, satisfied: bool) -> State {
        state_of(due, satisfied, self.as_of, self.settings.due_soon_days)
    }

    /// An interval rule: due = max(anchor, latest) + interval. A record older
    /// than the anchor does not count — the max takes care of it.
    fn interval(&self, kind: KindRef, anchor: Anchor, last: Option<NaiveDate>, days: i64) -> Found {
        let from = last.map_or(anchor.date(), |l| l.max(anchor.date()));
        let due = add_days(from, days);
        Found {
            kind,
            due,
            state: self.state(due, false),
            anchor,
            last,
            days: Some(days),
        }
    }
}

/// The last day a visit counts for a campaign: the window's end, or D.
pub fn campaign_window_end(c: &Campaign, as_of: NaiveDate) -> NaiveDate {
    c.window_end(as_of)
}

/// Whether a campaign has started on D (one starting later creates nothing yet).
pub fn campaign_started(c: &Campaign, as_of: NaiveDate) -> bool {
    c.started(as_of)
}

/// The obligations an event dated `date` creates (必谈 and/or 必访), judged
/// with the member's latest talk and in-person visit on or before D: one
/// record satisfies every open obligation of its type with an event on or
/// before it.
pub fn event_obligations(
    date: NaiveDate,
    kind: EventKind,
    latest: &Latest,
    ctx: &Context<'_>,
    mut f: impl FnMut(Found),
) {
    if date > ctx.as_of {
        return;
    }
    let s = ctx.settings;
    let mut one = |k: KindRef, last: Option<NaiveDate>, days: i64| {
        let due = add_days(date, days);
        f(Found {
            kind: k,
            due,
            state: ctx.state(due, last.is_some_and(|l| l >= date)),
            anchor: Anchor::Event(date),
            last,
            days: Some(days),
        });
    };
    if kind.obliges_talk() {
        let last = latest.for_rule(Rule::EventTalk);
        one(KindRef::EventTalk(kind), last, s.event_talk_days);
    }
    if kind.obliges_visit() {
        let last = latest.for_rule(Rule::EventVisit);
        one(KindRef::EventVisit(kind), last, s.event_visit_days);
    }
}

/// The annual review of a live hardship case: due = last review (else
/// approved_on) + interval. A case approved after D was not yet approved on D
/// and one with neither date has nothing to count from: neither creates a review.
pub fn hardship_review(case: &LiveCase, ctx: &Context<'_>) -> Option<Found> {
    if case.approved_on.is_some_and(|a| a > ctx.as_of) {
        return None;
    }
    let anchor = match (case.approved_on, case.last_review) {
        (Some(a), _) => Anchor::Approved(a),
        (None, Some(r)) => Anchor::Reviewed(r),
        (None, None) => return None,
    };
    let base = case.last_review.unwrap_or(anchor.date());
    let due = add_days(base, ctx.settings.hardship_review_days);
    Some(Found {
        kind: KindRef::HardshipReview,
        due,
        state: ctx.state(due, false),
        anchor,
        last: case.last_review,
        days: Some(ctx.settings.hardship_review_days),
    })
}

/// Every obligation of one member on D, in any order, including those not due
/// and those satisfied. An inactive member has none.
pub fn for_each_obligation(m: &MemberFacts<'_>, ctx: &Context<'_>, mut f: impl FnMut(Found)) {
    if !m.active {
        return;
    }
    let s = ctx.settings;
    let d = ctx.as_of;
    f(ctx.interval(
        KindRef::AnnualTalk,
        m.roster_anchor(),
        m.latest.for_rule(Rule::AnnualTalk),
        s.annual_talk_days,
    ));
    if let Some(a) = m
        .cases
        .iter()
        .filter_map(|c| c.approved_on)
        .filter(|&a| a <= d)
        .max()
    {
        f(ctx.interval(
            KindRef::HardshipVisit,
            Anchor::Approved(a),
            m.latest.for_rule(Rule::HardshipVisit),
            s.hardship_visit_days,
        ));
    }
    if m.honorary {
        let anchor = m.honorary_anchor();
        f(ctx.interval(
            KindRef::HonoraryVisit,
            anchor,
            m.latest.for_rule(Rule::HonoraryVisit),
            s.honorary_visit_days,
        ));
        f(ctx.interval(
            KindRef::HonoraryHealthCheck,
            anchor,
            m.latest.for_rule(Rule::HonoraryHealthCheck),
            s.honorary_health_check_days,
        ));
    }
    if m.mobile {
        f(ctx.interval(
            KindRef::MobileContact,
            m.mobile_anchor(),
            m.latest.for_rule(Rule::MobileContact),
            s.mobile_contact_days,
        ));
    }
    for &(date, kind) in m.events {
        event_obligations(date, kind, &m.latest, ctx, &mut f);
    }
    for (i, c) in ctx.campaigns.iter().enumerate() {
        if !campaign_started(c, d) || !ctx.targets(i, m) {
            continue;
        }
        let visit = m.campaign_visits.get(i).copied().unwrap_or_default();
        f(Found {
            kind: KindRef::Campaign(i),
            due: c.to,
            state: ctx.state(c.to, visit.visited()),
            anchor: Anchor::CampaignFrom(c.from),
            last: match visit {
                WindowVisit::On(v) => Some(v),
                _ => None,
            },
            days: None,
        });
    }
    for case in m.cases {
        if let Some(found) = hardship_review(case, ctx) {
            f(found);
        }
    }
    for &due in m.instalments {
        f(Found {
            kind: KindRef::LoanInstalment,
            due,
            state: ctx.state(due, false),
            anchor: Anchor::Instalment(due),
            last: None,
            days: None,
        });
    }
}

/// Every obligation of one member with its explanation (the member detail screen).
pub fn obligations(m: &MemberFacts<'_>, ctx: &Context<'_>) -> Vec<Obligation> {
    let mut out = Vec::new();
    for_each_obligation(m, ctx, |f| out.push(Obligation::new(m.id, f, ctx)));
    out
}

/// 应办事项 — one obligation of one member, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    pub member_id: i64,
    pub kind: ObligationKind,
    pub due: NaiveDate,
    pub state: State,
    /// D − due (negative while not yet due).
    pub days_overdue: i64,
    pub explanation: Explanation,
}

impl Obligation {
    pub fn new(member_id: i64, f: Found, ctx: &Context<'_>) -> Self {
        let kind = f.kind.to_kind(ctx.campaigns);
        let window = match f.kind {
            KindRef::Campaign(i) => Some((ctx.campaigns[i].from, ctx.campaigns[i].to)),
            _ => None,
        };
        Obligation {
            member_id,
            due: f.due,
            state: f.state,
            days_overdue: days_overdue(f.due, ctx.as_of),
            explanation: Explanation {
                kind: kind.clone(),
                anchor: f.anchor,
                last: f.last,
                days: f.days,
                window,
                due: f.due,
                state: f.state,
                as_of: ctx.as_of,
            },
            kind,
        }
    }
}

/// What the overdue list is sorted by, for one row.
#[derive(Debug, Clone, Copy)]
pub struct SortKey<'a> {
    pub days_overdue: i64,
    /// `pinyin::sort_key` of the member's name.
    pub name_key: &'a [u8],
    /// The obligation code.
    pub code: &'a str,
    pub member_code: &'a str,
    pub due: NaiveDate,
}

/// The order of the overdue (and due-soon) lists: days overdue, most first;
/// then the name in pinyin order; then the obligation code and then the member
/// code in code-point order (UTF-8 byte order is the same); then the due date.
pub fn compare(a: &SortKey<'_>, b: &SortKey<'_>) -> Ordering {
    b.days_overdue
        .cmp(&a.days_overdue)
        .then_with(|| a.name_key.cmp(b.name_key))
        .then_with(|| a.code.cmp(b.code))
        .then_with(|| a.member_code.cmp(b.member_code))
        .then_with(|| a.due.cmp(&b.due))
}

mod explain;
pub use explain::Explanation;

#[cfg(test)]
mod tests;
