use super::*;

#[test]
fn campaign_not_started_creates_nothing() {
    let c = campaign(
        "七一走访",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::All],
    );
    let m = member();
    assert!(
        find(
            &run(&m, "2026-06-14", std::slice::from_ref(&c)),
            "campaign:七一走访"
        )
        .is_none()
    );
    let o = find(
        &run(&m, "2026-06-15", std::slice::from_ref(&c)),
        "campaign:七一走访",
    )
    .unwrap();
    assert_eq!((o.due, o.state), (d("2026-07-01"), State::NotDue));
    let o = find(&run(&m, "2026-07-02", &[c]), "campaign:七一走访").unwrap();
    assert_eq!((o.state, o.days_overdue), (State::Overdue, 1));
}

#[test]
fn campaign_visit_satisfies_and_roster_date_counts() {
    let c = campaign(
        "七一走访",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::All],
    );
    let visits = [WindowVisit::On(d("2026-06-20"))];
    let m = MemberFacts {
        campaign_visits: &visits,
        ..member()
    };
    let o = find(
        &run(&m, "2026-07-10", std::slice::from_ref(&c)),
        "campaign:七一走访",
    )
    .unwrap();
    assert_eq!(o.state, State::Satisfied);
    assert!(
        o.explanation
            .text(Lang::Zh)
            .contains("已于 2026-06-20 上门走访")
    );
    // registered after `from`: not targeted
    let m = MemberFacts {
        registered_on: Some(d("2026-06-16")),
        ..member()
    };
    assert!(find(&run(&m, "2026-07-10", &[c]), "campaign:七一走访").is_none());
}

#[test]
fn campaign_groups_are_judged_on_from() {
    let s = Settings::default();
    let old = campaign(
        "春节走访",
        "2026-02-28",
        "2026-03-10",
        &[CampaignTarget::Old],
    );
    // born 1956-02-29: turns 70 on 2026-03-01 (no 29 Feb in 2026)
    let m = MemberFacts {
        birth_date: Some(d("1956-02-29")),
        joined_on: d("1990-01-01"),
        ..member()
    };
    assert!(!m.targeted_by(&old, &s));
    let later = Campaign {
        from: d("2026-03-01"),
        ..old.clone()
    };
    assert!(m.targeted_by(&later, &s));
    // party standing 50 years on `from`
    let m = MemberFacts {
        joined_on: d("1976-02-28"),
        registered_on: None,
        ..member()
    };
    assert!(m.targeted_by(&old, &s));
    let m = MemberFacts {
        joined_on: d("1976-03-01"),
        ..member()
    };
    assert!(!m.targeted_by(&old, &s));

    let hon = campaign(
        "荣誉",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::Honorary],
    );
    let mut m = MemberFacts {
        honorary: true,
        honorary_since: Some(d("2026-06-16")),
        ..member()
    };
    assert!(!m.targeted_by(&hon, &s));
    m.honorary_since = Some(d("2026-06-15"));
    assert!(m.targeted_by(&hon, &s));
    m.honorary_since = None; // counts from 入册 2020-03-01
    assert!(m.targeted_by(&hon, &s));

    let hard = campaign(
        "困难",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::Hardship],
    );
    let cases = [LiveCase {
        approved_on: Some(d("2026-06-20")),
        last_review: None,
    }];
    let m = MemberFacts {
        cases: &cases,
        ..member()
    };
    assert!(!m.targeted_by(&hard, &s));
    let cases = [LiveCase {
        approved_on: Some(d("2026-06-15")),
        last_review: None,
    }];
    let m = MemberFacts {
        cases: &cases,
        ..member()
    };
    assert!(m.targeted_by(&hard, &s));

    let flags = campaign(
        "关爱",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::LivingAlone, CampaignTarget::Disabled],
    );
    assert!(!member().targeted_by(&flags, &s));
    let m = MemberFacts {
        disabled: true,
        ..member()
    };
    assert!(m.targeted_by(&flags, &s));
}

#[test]
fn old_cutoffs_agree_with_whole_years() {
    let s = Settings::default();
    let froms = [
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2025-02-28",
        "2025-03-01",
        "2026-06-15",
    ];
    for from in froms {
        let from = d(from);
        let born_by = latest_start_with_years(from, s.old_age);
        let joined_by = latest_start_with_years(from, s.old_standing);
        let mut b = d("1950-01-01");
        while b < d("1980-12-31") {
            assert_eq!(
                dates::age_on(b, from) >= s.old_age,
                b <= born_by,
                "{b} {from}"
            );
            assert_eq!(
                dates::whole_years(b, from) >= s.old_standing,
                b <= joined_by,
                "{b} {from}"
            );
            b = b.succ_opt().unwrap();
        }
    }
    // and through the campaign rule (the fast test) against the plain one
    let c = campaign("敬老", "2026-03-01", "2026-03-10", &[CampaignTarget::Old]);
    let ctx = Context::new(d("2026-06-30"), &s, std::slice::from_ref(&c));
    for born in ["1956-02-28", "1956-02-29", "1956-03-01", "1956-03-02"] {
        let m = MemberFacts {
            birth_date: Some(d(born)),
            ..member()
        };
        assert_eq!(ctx.targets(0, &m), m.targeted_by(&c, &s), "{born}");
    }
}

#[test]
fn loan_instalments_are_due_on_their_date() {
    let inst = [d("2026-06-01"), d("2026-07-01")];
    let m = MemberFacts {
        instalments: &inst,
        ..member()
    };
    let obs: Vec<_> = run(&m, "2026-06-30", &[])
        .into_iter()
        .filter(|o| o.kind == ObligationKind::LoanInstalment)
        .map(|o| (o.due, o.state, o.days_overdue))
        .collect();
    assert_eq!(
        obs,
        vec![
            (d("2026-06-01"), State::Overdue, 29),
            (d("2026-07-01"), State::DueSoon, -1)
        ]
    );
}

#[test]
fn explanation_names_rule_anchor_last_record_and_interval() {
    let mut m = member();
    m.latest.talk = Some(d("2024-05-02"));
    let o = one(&m, "2026-06-30", "annual_talk");
    assert_eq!(
        o.explanation.text(Lang::Zh),
        "年度谈心：入册 2020-03-01，上次谈话 2024-05-02，间隔 365 天，应于 2025-05-02，逾期 424 天"
    );
    assert_eq!(
        o.explanation.text(Lang::En),
        "Annual talk: registered 2020-03-01, last talk 2024-05-02, every 365 days, due 2025-05-02, 424 days overdue"
    );
    m.latest.talk = Some(d("2019-01-01"));
    let t = one(&m, "2026-06-30", "annual_talk")
        .explanation
        .text(Lang::Zh);
    assert!(t.contains("上次谈话 2019-01-01(早于起算日，不计)"), "{t}");
    let events = [(d("2026-06-01"), EventKind::Illness)];
    let m = MemberFacts {
        events: &events,
        ..member()
    };
    assert_eq!(
        one(&m, "2026-06-30", "event_visit:illness")
            .explanation
            .text(Lang::Zh),
        "必访：生病住院：事件 2026-06-01，7 天内上门走访，无上门走访记录，应于 2026-06-08，逾期 22 天"
    );
}

#[test]
fn sort_order() {
    let key = |days: i64, name: &str, code: &str, mcode: &str, due: &str| {
        (
            days,
            pinyin::sort_key(name),
            code.to_string(),
            mcode.to_string(),
            d(due),
        )
    };
    let mut rows = vec![
        key(3, "张三", "annual_talk", "002", "2026-01-01"),
        key(3, "詹天", "mobile_contact", "009", "2026-01-01"),
        key(9, "王五", "annual_talk", "003", "2026-01-01"),
        key(3, "张三", "annual_talk", "001", "2026-01-01"),
        key(3, "张三", "campaign:七一", "001", "2026-01-01"),
        key(3, "张三", "campaign:中秋", "001", "2026-01-01"),
        key(3, "张三", "event_talk:setback", "001", "2026-01-01"),
        key(3, "张三", "event_talk:setback", "001", "2025-12-01"),
        key(3, "张三", "event_visit:accident", "001", "2026-01-01"),
        key(-2, "阿明", "annual_talk", "001", "2026-01-01"),
    ];
    type Key = (i64, Vec<u8>, String, String, NaiveDate);
    fn k(r: &Key) -> SortKey<'_> {
        SortKey {
            days_overdue: r.0,
            name_key: &r.1,
            code: &r.2,
            member_code: &r.3,
            due: r.4,
        }
    }
    rows.sort_by(|a, b| compare(&k(a), &k(b)));
    let got: Vec<_> = rows
        .iter()
        .map(|r| format!("{} {} {} {}", r.0, r.2, r.3, r.4))
        .collect();
    assert_eq!(
        got,
        vec![
            "9 annual_talk 003 2026-01-01",
            // 詹 (zhān) before every 张 (zhāng)
            "3 mobile_contact 009 2026-01-01",
            "3 annual_talk 001 2026-01-01",
            "3 annual_talk 002 2026-01-01",
            // code-point order: 七 U+4E03 before 中 U+4E2D
            "3 campaign:七一 001 2026-01-01",
            "3 campaign:中秋 001 2026-01-01",
            "3 event_talk:setback 001 2025-12-01",
            "3 event_talk:setback 001 2026-01-01",
            "3 event_visit:accident 001 2026-01-01",
            "-2 annual_talk 001 2026-01-01",
        ]
    );
}

#[test]
fn which_records_discharge_which_rule_is_what_latest_counts() {
    let day = d("2026-01-01");
    let mut classes = vec![RecordClass::Talk, RecordClass::Event];
    classes.extend(VisitKind::ALL.iter().map(|&k| RecordClass::Visit(k)));
    for rule in Rule::ALL {
        for &class in &classes {
            let mut latest = Latest::default();
            match class {
                RecordClass::Talk => latest.add_talk(day),
                RecordClass::Visit(k) => latest.add_visit(k, day),
                RecordClass::Event => {}
            }
            assert_eq!(
                rule.discharged_by(class),
                latest.for_rule(rule) == Some(day),
                "{rule:?} by {class:?}"
            );
        }
    }
    assert!(Rule::MobileContact.discharged_by(RecordClass::Visit(VisitKind::Phone)));
    assert!(!Rule::Campaign.discharged_by(RecordClass::Visit(VisitKind::Phone)));
    assert!(!Rule::HonoraryVisit.discharged_by(RecordClass::Visit(VisitKind::HealthCheck)));
    assert!(Rule::HonoraryHealthCheck.discharged_by(RecordClass::Visit(VisitKind::HealthCheck)));
}
