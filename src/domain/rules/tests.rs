use super::*;
use crate::domain::pinyin;
use crate::domain::vocab::{Coded, VisitKind};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn member() -> MemberFacts<'static> {
    MemberFacts {
        id: 1,
        active: true,
        joined_on: d("2000-07-01"),
        registered_on: Some(d("2020-03-01")),
        ..MemberFacts::default()
    }
}

fn run(m: &MemberFacts<'_>, as_of: &str, campaigns: &[Campaign]) -> Vec<Obligation> {
    let s = Settings::default();
    let ctx = Context::new(d(as_of), &s, campaigns);
    obligations(m, &ctx)
}

fn find(obs: &[Obligation], code: &str) -> Option<Obligation> {
    obs.iter().find(|o| o.kind.code() == code).cloned()
}

fn one(m: &MemberFacts<'_>, as_of: &str, code: &str) -> Obligation {
    find(&run(m, as_of, &[]), code).unwrap_or_else(|| panic!("no {code}"))
}

fn campaign(name: &str, from: &str, to: &str, targets: &[CampaignTarget]) -> Campaign {
    Campaign {
        id: 1,
        name: name.into(),
        from: d(from),
        to: d(to),
        targets: targets.to_vec(),
    }
}

#[test]
fn codes_and_labels() {
    let kinds = [
        (ObligationKind::AnnualTalk, "annual_talk", "年度谈心"),
        (
            ObligationKind::HardshipVisit,
            "hardship_visit",
            "困难党员走访",
        ),
        (
            ObligationKind::HonoraryVisit,
            "honorary_visit",
            "荣誉党员走访",
        ),
        (
            ObligationKind::HonoraryHealthCheck,
            "honorary_health_check",
            "荣誉党员体检",
        ),
        (
            ObligationKind::MobileContact,
            "mobile_contact",
            "流动党员联系",
        ),
        (
            ObligationKind::EventTalk(EventKind::JobChange),
            "event_talk:job_change",
            "必谈：岗位变动",
        ),
        (
            ObligationKind::EventVisit(EventKind::Illness),
            "event_visit:illness",
            "必访：生病住院",
        ),
        (
            ObligationKind::Campaign("春节走访".into()),
            "campaign:春节走访",
            "活动：春节走访",
        ),
        (
            ObligationKind::HardshipReview,
            "hardship_review",
            "困难台账年审",
        ),
        (
            ObligationKind::LoanInstalment,
            "loan_instalment",
            "借款还款",
        ),
    ];
    for (k, code, zh) in kinds {
        assert_eq!(k.code(), code);
        assert_eq!(k.label(Lang::Zh), zh);
        assert_eq!(ObligationKind::from_code(code), Some(k.clone()));
        assert!(!k.label(Lang::En).is_empty());
    }
    assert_eq!(
        ObligationKind::EventVisit(EventKind::Illness).label(Lang::En),
        "Must visit: Illness"
    );
    assert_eq!(ObligationKind::from_code("nonsense"), None);
    assert_eq!(ObligationKind::from_code("campaign:"), None);
}

#[test]
fn annual_talk_counts_from_registration_or_joining() {
    let m = member();
    let o = one(&m, "2026-06-30", "annual_talk");
    assert_eq!(o.due, d("2021-03-01"));
    assert_eq!(o.state, State::Overdue);
    assert_eq!(
        o.days_overdue,
        (d("2026-06-30") - d("2021-03-01")).num_days()
    );

    let m = MemberFacts {
        registered_on: None,
        joined_on: d("2026-01-10"),
        ..member()
    };
    let o = one(&m, "2026-06-30", "annual_talk");
    assert_eq!(o.due, d("2027-01-10"));
    assert_eq!(o.state, State::NotDue);
    assert_eq!(o.explanation.anchor, Anchor::Joined(d("2026-01-10")));
}

#[test]
fn latest_record_moves_the_due_date_but_not_before_the_anchor() {
    let mut m = member();
    // a talk before 入册 does not count: due stays anchor + 365
    m.latest.talk = Some(d("2019-05-01"));
    assert_eq!(one(&m, "2026-06-30", "annual_talk").due, d("2021-03-01"));
    // a late talk (after the due date, before D) satisfies and moves the due date
    m.latest.talk = Some(d("2025-09-01"));
    let o = one(&m, "2026-06-30", "annual_talk");
    assert_eq!(o.due, d("2026-09-01"));
    assert_eq!(o.state, State::NotDue);
    assert_eq!(o.days_overdue, -63);
}

#[test]
fn inactive_members_have_no_obligations() {
    let m = MemberFacts {
        active: false,
        honorary: true,
        mobile: true,
        ..member()
    };
    let c = campaign(
        "七一走访",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::All],
    );
    assert!(run(&m, "2026-06-30", &[c]).is_empty());
}

#[test]
fn visit_classes_in_person_health_check_contact() {
    let mut l = Latest::default();
    l.add_visit(VisitKind::Phone, d("2026-01-01"));
    l.add_visit(VisitKind::HealthCheck, d("2026-02-01"));
    l.add_visit(VisitKind::Letter, d("2026-03-01"));
    assert_eq!(l.visit, None);
    assert_eq!(l.health_check, Some(d("2026-02-01")));
    assert_eq!(l.contact, Some(d("2026-03-01")));
    l.add_visit(VisitKind::Holiday, d("2025-12-01"));
    assert_eq!(l.visit, Some(d("2025-12-01")));
    assert_eq!(l.contact, Some(d("2026-03-01")));
    l.add_talk(d("2026-04-01"));
    assert_eq!(
        (l.talk, l.contact),
        (Some(d("2026-04-01")), Some(d("2026-04-01")))
    );
}

#[test]
fn honorary_rules_read_their_own_record_classes() {
    let mut m = MemberFacts {
        honorary: true,
        honorary_since: Some(d("2025-01-01")),
        ..member()
    };
    // a phone call and a health check are not visits in person
    m.latest.add_visit(VisitKind::Phone, d("2026-06-01"));
    m.latest.add_visit(VisitKind::HealthCheck, d("2025-12-01"));
    let obs = run(&m, "2026-06-30", &[]);
    let visit = find(&obs, "honorary_visit").unwrap();
    assert_eq!(visit.due, d("2025-07-02")); // 2025-01-01 + 182
    assert_eq!(visit.state, State::Overdue);
    let hc = find(&obs, "honorary_health_check").unwrap();
    assert_eq!(hc.due, d("2026-12-01"));
    // empty honorary_since counts from registered_on
    m.honorary_since = None;
    let visit = one(&m, "2026-06-30", "honorary_visit");
    assert_eq!(
        visit.explanation.anchor,
        Anchor::Registered(d("2020-03-01"))
    );
}

#[test]
fn mobile_contact_counts_phone_but_not_health_check() {
    let mut m = MemberFacts {
        mobile: true,
        mobile_since: Some(d("2026-01-01")),
        ..member()
    };
    m.latest.add_visit(VisitKind::HealthCheck, d("2026-05-01"));
    assert_eq!(one(&m, "2026-06-30", "mobile_contact").due, d("2026-04-01"));
    m.latest.add_visit(VisitKind::Online, d("2026-04-20"));
    let o = one(&m, "2026-06-30", "mobile_contact");
    assert_eq!(o.due, d("2026-07-19"));
    assert_eq!(o.state, State::NotDue);
    m.mobile_since = None;
    let o = one(&m, "2026-06-30", "mobile_contact");
    assert_eq!(o.explanation.anchor, Anchor::Registered(d("2020-03-01")));
}

#[test]
fn hardship_visit_counts_from_the_latest_approval_on_or_before_d() {
    let cases = [
        LiveCase {
            approved_on: Some(d("2025-03-01")),
            last_review: None,
        },
        LiveCase {
            approved_on: Some(d("2026-04-01")),
            last_review: None,
        },
        // approved after D: not yet a hardship case on D
        LiveCase {
            approved_on: Some(d("2026-07-05")),
            last_review: None,
        },
    ];
    let mut m = MemberFacts {
        cases: &cases,
        ..member()
    };
    m.latest.visit = Some(d("2026-01-15")); // before the latest approval: does not count
    let obs = run(&m, "2026-06-30", &[]);
    let v = find(&obs, "hardship_visit").unwrap();
    assert_eq!(v.due, d("2026-06-30")); // 2026-04-01 + 90
    assert_eq!(v.state, State::DueSoon);
    // reviews: one per case approved on or before D
    let reviews: Vec<_> = obs
        .iter()
        .filter(|o| o.kind == ObligationKind::HardshipReview)
        .map(|o| (o.due, o.state))
        .collect();
    assert_eq!(
        reviews,
        vec![
            (d("2026-03-01"), State::Overdue),
            (d("2027-04-01"), State::NotDue)
        ]
    );
    // no case approved on or before D: no hardship visit
    let late = [cases[2]];
    let m = MemberFacts {
        cases: &late,
        ..member()
    };
    assert!(find(&run(&m, "2026-06-30", &[]), "hardship_visit").is_none());
}

#[test]
fn hardship_review_uses_the_last_review() {
    let case = LiveCase {
        approved_on: Some(d("2024-03-01")),
        last_review: Some(d("2025-06-01")),
    };
    let s = Settings::default();
    let ctx = Context::new(d("2026-06-30"), &s, &[]);
    let f = hardship_review(&case, &ctx).unwrap();
    assert_eq!((f.due, f.state), (d("2026-06-01"), State::Overdue));
    let none = LiveCase {
        approved_on: None,
        last_review: None,
    };
    assert!(hardship_review(&none, &ctx).is_none());
}

#[test]
fn one_talk_satisfies_every_earlier_event_and_same_day_counts() {
    let events = [
        (d("2026-03-01"), EventKind::JobChange),
        (d("2026-04-01"), EventKind::Setback),
        (d("2026-05-10"), EventKind::Ideology), // talk and visit
        (d("2026-06-10"), EventKind::Retirement),
        (d("2026-07-10"), EventKind::Complaint), // after D: ignored
    ];
    let mut m = MemberFacts {
        events: &events,
        ..member()
    };
    m.latest.add_talk(d("2026-05-10")); // same day as the ideology event
    m.latest.add_visit(VisitKind::Phone, d("2026-06-20")); // not in person
    let obs = run(&m, "2026-06-30", &[]);
    let states: Vec<_> = obs
        .iter()
        .filter(|o| o.kind.rule() != Rule::AnnualTalk)
        .map(|o| (o.kind.code(), o.due, o.state))
        .collect();
    assert_eq!(
        states,
        vec![
            (
                "event_talk:job_change".into(),
                d("2026-03-16"),
                State::Satisfied
            ),
            (
                "event_talk:setback".into(),
                d("2026-04-16"),
                State::Satisfied
            ),
            (
                "event_talk:ideology".into(),
                d("2026-05-25"),
                State::Satisfied
            ),
            (
                "event_visit:ideology".into(),
                d("2026-05-17"),
                State::Overdue
            ),
            (
                "event_talk:retirement".into(),
                d("2026-06-25"),
                State::Overdue
            ),
        ]
    );
    let o = find(&obs, "event_visit:ideology").unwrap();
    assert_eq!(o.days_overdue, 44);
}

#[test]
fn event_visit_needs_an_in_person_visit_on_or_after_the_event() {
    let events = [(d("2026-06-01"), EventKind::Illness)];
    let mut m = MemberFacts {
        events: &events,
        ..member()
    };
    m.latest.add_visit(VisitKind::Hospital, d("2026-05-31"));
    m.latest.add_visit(VisitKind::HealthCheck, d("2026-06-02"));
    assert_eq!(
        one(&m, "2026-06-30", "event_visit:illness").state,
        State::Overdue
    );
    m.latest.add_visit(VisitKind::Hospital, d("2026-06-20")); // late still counts
    assert_eq!(
        one(&m, "2026-06-30", "event_visit:illness").state,
        State::Satisfied
    );
}

#[test]
fn due_soon_boundaries() {
    let s = Settings::default();
    let day = d("2026-06-30");
    assert_eq!(state_of(d("2026-06-29"), false, day, 14), State::Overdue);
    assert_eq!(state_of(day, false, day, 14), State::DueSoon);
    assert_eq!(state_of(d("2026-07-14"), false, day, 14), State::DueSoon);
    assert_eq!(state_of(d("2026-07-15"), false, day, 14), State::NotDue);
    assert_eq!(state_of(d("2026-06-01"), true, day, 14), State::Satisfied);
    assert_eq!(s.due_soon_days, 14);
    // through the rules: registered 2025-06-30 → due 2026-06-30 = D: due soon, 0 days
    let m = MemberFacts {
        registered_on: Some(d("2025-06-30")),
        ..member()
    };
    let o = one(&m, "2026-06-30", "annual_talk");
    assert_eq!((o.state, o.days_overdue), (State::DueSoon, 0));
    let m = MemberFacts {
        registered_on: Some(d("2025-07-14")),
        ..member()
    };
    assert_eq!(one(&m, "2026-06-30", "annual_talk").state, State::DueSoon);
    let m = MemberFacts {
        registered_on: Some(d("2025-07-15")),
        ..member()
    };
    assert_eq!(one(&m, "2026-06-30", "annual_talk").state, State::NotDue);
}

/// Campaigns, age and standing cut-offs, loans, explanations, sort order.
mod later;
