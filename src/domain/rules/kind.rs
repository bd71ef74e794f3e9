//! The kinds of obligation: the rule family (for counts per rule) and the
//! kind with its payload (the event or campaign it comes from).

use super::super::vocab::{Coded, EventKind, Lang};

/// The rule an obligation comes from, for counts per rule (completion rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    AnnualTalk,
    HardshipVisit,
    HonoraryVisit,
    HonoraryHealthCheck,
    MobileContact,
    EventTalk,
    EventVisit,
    Campaign,
    HardshipReview,
    LoanInstalment,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::AnnualTalk,
        Rule::HardshipVisit,
        Rule::HonoraryVisit,
        Rule::HonoraryHealthCheck,
        Rule::MobileContact,
        Rule::EventTalk,
        Rule::EventVisit,
        Rule::Campaign,
        Rule::HardshipReview,
        Rule::LoanInstalment,
    ];

    /// Whether an obligation of this rule is owed once and discharged by one
    /// record (an event's talk or visit, a campaign's visit, an instalment's
    /// payment), rather than renewed by each record (the yearly talk, the
    /// half-yearly visit …): before its due date it is pending, not done.
    pub fn is_once(self) -> bool {
        matches!(
            self,
            Rule::EventTalk | Rule::EventVisit | Rule::Campaign | Rule::LoanInstalment
        )
    }

    /// Position in [`Rule::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            Rule::AnnualTalk => "annual_talk",
            Rule::HardshipVisit => "hardship_visit",
            Rule::HonoraryVisit => "honorary_visit",
            Rule::HonoraryHealthCheck => "honorary_health_check",
            Rule::MobileContact => "mobile_contact",
            Rule::EventTalk => "event_talk",
            Rule::EventVisit => "event_visit",
            Rule::Campaign => "campaign",
            Rule::HardshipReview => "hardship_review",
            Rule::LoanInstalment => "loan_instalment",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Rule::AnnualTalk => ("年度谈心", "Annual talk"),
            Rule::HardshipVisit => ("困难党员走访", "Hardship visit"),
            Rule::HonoraryVisit => ("荣誉党员走访", "Honorary member visit"),
            Rule::HonoraryHealthCheck => ("荣誉党员体检", "Honorary member health check"),
            Rule::MobileContact => ("流动党员联系", "Mobile member contact"),
            Rule::EventTalk => ("必谈", "Must talk"),
            Rule::EventVisit => ("必访", "Must visit"),
            Rule::Campaign => ("集中走访", "Campaign"),
            Rule::HardshipReview => ("困难台账年审", "Hardship case review"),
            Rule::LoanInstalment => ("借款还款", "Loan instalment"),
        };
        lang.pick(zh, en)
    }
}

/// What is owed, one enum for every obligation kind; `C` names a campaign:
/// by its name in [`ObligationKind`] (the code stored and printed:
/// `annual_talk`, `event_talk:illness`, `campaign:春节走访` …), by its position
/// in [`Context::campaigns`] in [`KindRef`] (cheap: no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind<C> {
    AnnualTalk,
    HardshipVisit,
    HonoraryVisit,
    HonoraryHealthCheck,
    MobileContact,
    EventTalk(EventKind),
    EventVisit(EventKind),
    /// The campaign (its name, or its position in the context).
    Campaign(C),
    HardshipReview,
    LoanInstalment,
}

/// An obligation kind with its campaign named.
pub type ObligationKind = Kind<String>;

/// An obligation kind with its campaign as a position in [`Context::campaigns`].
pub type KindRef = Kind<usize>;

impl<C> Kind<C> {
    /// The rule the obligation comes from.
    pub fn rule(&self) -> Rule {
        match self {
            Kind::AnnualTalk => Rule::AnnualTalk,
            Kind::HardshipVisit => Rule::HardshipVisit,
            Kind::HonoraryVisit => Rule::HonoraryVisit,
            Kind::HonoraryHealthCheck => Rule::HonoraryHealthCheck,
            Kind::MobileContact => Rule::MobileContact,
            Kind::EventTalk(_) => Rule::EventTalk,
            Kind::EventVisit(_) => Rule::EventVisit,
            Kind::Campaign(_) => Rule::Campaign,
            Kind::HardshipReview => Rule::HardshipReview,
            Kind::LoanInstalment => Rule::LoanInstalment,
        }
    }

    /// The same kind with its campaign named by `f`.
    pub fn map_campaign<D>(self, f: impl FnOnce(C) -> D) -> Kind<D> {
        match self {
            Kind::AnnualTalk => Kind::AnnualTalk,
            Kind::HardshipVisit => Kind::HardshipVisit,
            Kind::HonoraryVisit => Kind::HonoraryVisit,
            Kind::HonoraryHealthCheck => Kind::HonoraryHealthCheck,
            Kind::MobileContact => Kind::MobileContact,
            Kind::EventTalk(k) => Kind::EventTalk(k),
            Kind::EventVisit(k) => Kind::EventVisit(k),
            Kind::Campaign(c) => Kind::Campaign(f(c)),
            Kind::HardshipReview => Kind::HardshipReview,
            Kind::LoanInstalment => Kind::LoanInstalment,
        }
    }
}

impl ObligationKind {
    /// The stable code: `annual_talk`, `event_talk:<kind>`, `campaign:<name>` ….
    pub fn code(&self) -> String {
        match self {
            ObligationKind::EventTalk(k) | ObligationKind::EventVisit(k) => {
                format!("{}:{}", self.rule().code(), k.code())
            }
            ObligationKind::Campaign(name) => format!("campaign:{name}"),
            _ => self.rule().code().to_string(),
        }
    }

    /// Reads a code written by [`ObligationKind::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        if let Some(name) = s.strip_prefix("campaign:") {
            return (!name.is_empty()).then(|| ObligationKind::Campaign(name.to_string()));
        }
        if let Some(k) = s.strip_prefix("event_talk:") {
            return EventKind::from_code(k).map(ObligationKind::EventTalk);
        }
        if let Some(k) = s.strip_prefix("event_visit:") {
            return EventKind::from_code(k).map(ObligationKind::EventVisit);
        }
        Some(match s {
            "annual_talk" => ObligationKind::AnnualTalk,
            "hardship_visit" => ObligationKind::HardshipVisit,
            "honorary_visit" => ObligationKind::HonoraryVisit,
            "honorary_health_check" => ObligationKind::HonoraryHealthCheck,
            "mobile_contact" => ObligationKind::MobileContact,
            "hardship_review" => ObligationKind::HardshipReview,
            "loan_instalment" => ObligationKind::LoanInstalment,
            _ => return None,
        })
    }

    /// 年度谈心, 必谈：岗位变动, 必访：生病住院, 活动：春节走访 ….
    pub fn label(&self, lang: Lang) -> String {
        match self {
            ObligationKind::EventTalk(k) | ObligationKind::EventVisit(k) => {
                format!(
                    "{}{}{}",
                    self.rule().label(lang),
                    colon(lang),
                    k.label(lang)
                )
            }
            ObligationKind::Campaign(name) => {
                format!("{}{}{name}", lang.pick("活动", "Campaign"), colon(lang))
            }
            _ => self.rule().label(lang).to_string(),
        }
    }
}

pub(super) fn colon(lang: Lang) -> &'static str {
    lang.pick("：", ": ")
}
