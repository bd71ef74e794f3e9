use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-28";

fn step(state: CaseState, date: &str) -> Step {
    Step {
        id: 0,
        state,
        date: d(date),
        clerk: "clerk".into(),
        note: String::new(),
        votes: None,
        public: None,
        submitted_to: String::new(),
        reason: String::new(),
        imported: false,
    }
}

fn votes(f: i64, a: i64, b: i64) -> Votes {
    Votes {
        for_: f,
        against: a,
        abstain: b,
    }
}

/// A request of each kind that is valid in itself, dated `date`.
fn request(to: CaseState, date: &str) -> StepRequest {
    let data = match to {
        CaseState::Reviewed => StepData::Review(votes(7, 1, 1)),
        CaseState::Publicized => StepData::Publicize {
            from: d(date),
            to: d(date) + Duration::days(6),
        },
        CaseState::Submitted => StepData::Submit {
            to: "街道党工委".into(),
        },
        CaseState::Approved => StepData::Approve,
        CaseState::Rejected => StepData::Reject {
            reason: "不符合条件".into(),
            votes: None,
        },
        CaseState::Active => StepData::Activate,
        CaseState::Resolved => StepData::Resolve,
        CaseState::Closed => StepData::Close {
            reason: "本人撤回申请".into(),
        },
        CaseState::Applied => unreachable!("an application is not a step request"),
    };
    StepRequest {
        date: d(date),
        note: String::new(),
        data,
    }
}

const REQUESTABLE: [CaseState; 8] = [
    CaseState::Reviewed,
    CaseState::Publicized,
    CaseState::Submitted,
    CaseState::Approved,
    CaseState::Rejected,
    CaseState::Active,
    CaseState::Resolved,
    CaseState::Closed,
];

/// The table of the workflow, written out: from each state, the steps allowed.
fn allowed(from: CaseState, to: CaseState) -> bool {
    use CaseState::*;
    matches!(
        (from, to),
        (Applied, Reviewed | Rejected | Closed)
            | (Reviewed, Publicized | Rejected | Closed)
            | (Publicized, Submitted | Rejected | Closed)
            | (Submitted, Approved | Rejected | Closed)
            | (Approved, Active | Closed)
            | (Active, Resolved | Closed)
    )
}

#[test]
fn every_transition_is_allowed_or_refused_with_the_allowed_ones_named() {
    for &from in CaseState::ALL {
        for &to in &REQUESTABLE {
            // a history that ends in `from`, with the notice long over
            let history = vec![step(from, "2026-01-10")];
            let r = check_step(from, &history, &request(to, "2026-03-01"), 5, d(TODAY));
            if allowed(from, to) {
                assert_eq!(r, Ok(()), "{from:?} → {to:?}");
            } else {
                let e = r.expect_err(&format!("{from:?} → {to:?} must be refused"));
                assert_eq!(e.field, "");
                assert!(e.zh.contains(to.zh()), "{}", e.zh);
                if is_final(from) {
                    assert!(e.zh.contains("不能再登记"), "{}", e.zh);
                } else {
                    for n in next_steps(from) {
                        assert!(e.zh.contains(n.zh()), "{} lacks {}", e.zh, n.zh());
                        assert!(e.en.contains(n.en()), "{} lacks {}", e.en, n.en());
                    }
                }
            }
        }
    }
}

#[test]
fn an_application_is_never_requested_again_and_final_states_end_the_case() {
    for &s in CaseState::ALL {
        assert!(!next_steps(s).contains(&CaseState::Applied));
    }
    assert!(is_final(CaseState::Rejected));
    assert!(is_final(CaseState::Resolved));
    assert!(is_final(CaseState::Closed));
    assert!(!is_final(CaseState::Approved));
}

#[test]
fn the_vote_passes_with_more_than_half_of_those_voting() {
    assert!(votes(5, 4, 0).passed());
    assert!(!votes(5, 5, 0).passed());
    // abstentions are votes cast: 5 of 10 is not more than half
    assert!(!votes(5, 3, 2).passed());
    assert!(votes(6, 3, 2).passed());
    assert!(votes(1, 0, 0).passed());
    assert!(!votes(0, 0, 0).passed());
    assert!(!votes(0, 0, 3).passed());

    let h = [step(CaseState::Applied, "2026-11-01")];
    let mut req = request(CaseState::Reviewed, "2026-11-05");
    req.data = StepData::Review(votes(4, 3, 1));
    let e = check_step(CaseState::Applied, &h, &req, 5, d(TODAY)).unwrap_err();
    assert_eq!(e.field, "votes_for");
    assert!(e.zh.contains("赞成 4 票未超过投票 8 人的半数"), "{}", e.zh);
    assert!(e.zh.contains("驳回"));
    req.data = StepData::Review(votes(0, 0, 0));
    let e = check_step(CaseState::Applied, &h, &req, 5, d(TODAY)).unwrap_err();
    assert_eq!(e.field, "votes_for");
    // the failed vote is answered by a rejection, which may carry the votes
    let reject = StepRequest {
        date: d("2026-11-05"),
        note: String::new(),
        data: StepData::Reject {
            reason: "民主评议未通过".into(),
            votes: Some(votes(4, 3, 1)),
        },
    };
    assert_eq!(
        check_step(CaseState::Applied, &h, &reject, 5, d(TODAY)),
        Ok(())
    );
}

#[test]
fn a_notice_runs_at_least_the_minimum_days_both_ends_counted() {
    let h = [
        step(CaseState::Applied, "2026-11-01"),
        step(CaseState::Reviewed, "2026-11-03"),
    ];
    let notice = |from: &str, to: &str, min: i64| {
        check_step(
            CaseState::Reviewed,
            &h,
            &StepRequest {
                date: d(from),
                note: String::new(),
                data: StepData::Publicize {
                    from: d(from),
                    to: d(to),
                },
            },
            min,
            d(TODAY),
        )
    };
    assert_eq!(notice("2026-11-04", "2026-11-08", 5), Ok(()));
    let e = notice("2026-11-04", "2026-11-07", 5).unwrap_err();
    assert_eq!(e.field, "public_to");
    assert!(
        e.zh.contains("公示 4 天，不少于 5 天：最早至 2026-11-08"),
        "{}",
        e.zh
    );
    assert_eq!(notice("2026-11-04", "2026-11-04", 1), Ok(()));
    assert_eq!(notice("2026-11-04", "2026-11-13", 10), Ok(()));
    assert_eq!(
        notice("2026-11-04", "2026-11-12", 10).unwrap_err().field,
        "public_to"
    );
    let e = notice("2026-11-04", "2026-11-01", 1).unwrap_err();
    assert_eq!(e.field, "public_to");
    // a notice may still be running today (it ends in the future)
    assert_eq!(notice("2026-11-27", "2026-12-03", 5), Ok(()));
    // it is recorded on the day it starts, and that day is not in the future
    assert_eq!(
        notice("2026-11-29", "2026-12-05", 5).unwrap_err().field,
        "date"
    );
    assert_eq!(notice_min_end(d("2026-11-04"), 5), d("2026-11-08"));
}

#[test]
fn a_submission_waits_for_the_notice_to_end() {
    let mut notice = step(CaseState::Publicized, "2026-11-04");
    notice.public = Some((d("2026-11-04"), d("2026-11-10")));
    let h = [
        step(CaseState::Applied, "2026-11-01"),
        step(CaseState::Reviewed, "2026-11-03"),
        notice,
    ];
    let submit = |date: &str, to: &str| {
        check_step(
            CaseState::Publicized,
            &h,
            &StepRequest {
                date: d(date),
                note: String::new(),
                data: StepData::Submit { to: to.into() },
            },
            5,
            d(TODAY),
        )
    };
    let e = submit("2026-11-10", "街道").unwrap_err();
    assert_eq!(e.field, "date");
    assert!(e.zh.contains("公示期至 2026-11-10 结束"), "{}", e.zh);
    assert!(e.zh.contains("2026-11-11 起"), "{}", e.zh);
    assert_eq!(submit("2026-11-11", "街道党工委"), Ok(()));
    assert_eq!(submit("2026-11-11", "  ").unwrap_err().field, "to");
}

#[test]
fn dates_run_forward_and_never_past_today() {
    let h = [step(CaseState::Applied, "2026-11-10")];
    let e = check_step(
        CaseState::Applied,
        &h,
        &request(CaseState::Reviewed, "2026-11-09"),
        5,
        d(TODAY),
    )
    .unwrap_err();
    assert_eq!(e.field, "date");
    assert!(e.zh.contains("个人申请"), "{}", e.zh);
    // the same day as the last step is fine
    assert_eq!(
        check_step(
            CaseState::Applied,
            &h,
            &request(CaseState::Reviewed, "2026-11-10"),
            5,
            d(TODAY)
        ),
        Ok(())
    );
    let e = check_step(
        CaseState::Applied,
        &h,
        &request(CaseState::Reviewed, "2026-11-29"),
        5,
        d(TODAY),
    )
    .unwrap_err();
    assert_eq!(e.field, "date");
}

#[test]
fn rejections_and_closures_need_a_reason() {
    let h = [step(CaseState::Submitted, "2026-11-10")];
    for data in [
        StepData::Reject {
            reason: " ".into(),
            votes: None,
        },
        StepData::Close { reason: "".into() },
    ] {
        let e = check_step(
            CaseState::Submitted,
            &h,
            &StepRequest {
                date: d("2026-11-20"),
                note: String::new(),
                data,
            },
            5,
            d(TODAY),
        )
        .unwrap_err();
        assert_eq!(e.field, "reason");
    }
}

#[test]
fn review_due_one_interval_after_approval_or_the_last_review() {
    let a = Some(d("2025-12-01"));
    assert_eq!(
        review_due(CaseState::Approved, a, None, 365),
        Some(d("2026-12-01"))
    );
    assert_eq!(
        review_due(CaseState::Active, a, Some(d("2026-11-20")), 365),
        Some(d("2027-11-20"))
    );
    assert_eq!(
        review_due(CaseState::Active, a, Some(d("2026-11-20")), 30),
        Some(d("2026-12-20"))
    );
    for s in [
        CaseState::Applied,
        CaseState::Submitted,
        CaseState::Rejected,
        CaseState::Resolved,
        CaseState::Closed,
    ] {
        assert_eq!(review_due(s, a, None, 365), None, "{s:?}");
    }
    assert_eq!(review_due(CaseState::Approved, None, None, 365), None);
}

#[test]
fn reviews_are_of_live_cases_dated_in_order_and_resolve_only_when_helped() {
    let a = Some(d("2025-12-01"));
    let today = d(TODAY);
    let ok = |s, last, date: &str, o| check_review(s, a, last, d(date), o, today);
    assert_eq!(
        ok(
            CaseState::Active,
            None,
            "2026-11-20",
            ReviewOutcome::Continue
        ),
        Ok(())
    );
    assert_eq!(
        ok(
            CaseState::Active,
            None,
            "2026-11-20",
            ReviewOutcome::Resolved
        ),
        Ok(())
    );
    assert_eq!(
        ok(
            CaseState::Approved,
            None,
            "2026-11-20",
            ReviewOutcome::Resolved
        )
        .unwrap_err()
        .field,
        "outcome"
    );
    assert_eq!(
        ok(
            CaseState::Submitted,
            None,
            "2026-11-20",
            ReviewOutcome::Continue
        )
        .unwrap_err()
        .field,
        ""
    );
    assert_eq!(
        ok(
            CaseState::Active,
            None,
            "2025-11-30",
            ReviewOutcome::Continue
        )
        .unwrap_err()
        .field,
        "date"
    );
    assert_eq!(
        ok(
            CaseState::Active,
            Some(d("2026-11-01")),
            "2026-10-31",
            ReviewOutcome::Continue
        )
        .unwrap_err()
        .field,
        "date"
    );
    assert_eq!(
        ok(
            CaseState::Active,
            None,
            "2026-11-29",
            ReviewOutcome::Continue
        )
        .unwrap_err()
        .field,
        "date"
    );
}

#[test]
fn imports_create_the_main_path_up_to_a_state() {
    use CaseState::*;
    assert_eq!(path_to(Applied, false), vec![Applied]);
    assert_eq!(
        path_to(Active, true),
        vec![Applied, Reviewed, Publicized, Submitted, Approved, Active]
    );
    assert_eq!(path_to(Rejected, false), vec![Applied, Rejected]);
    assert_eq!(path_to(Closed, false), vec![Applied, Closed]);
    assert_eq!(*path_to(Closed, true).last().unwrap(), Closed);
    for &s in CaseState::ALL {
        for approved in [false, true] {
            let steps: Vec<Step> = path_to(s, approved)
                .into_iter()
                .map(|st| step(st, "2026-01-01"))
                .collect();
            assert!(is_valid_path(&steps), "{s:?}");
            assert_eq!(steps.last().unwrap().state, s);
        }
    }
}

#[test]
fn what_the_list_shows_next() {
    let today = d(TODAY);
    assert_eq!(
        next_thing(CaseState::Applied, None, None, today),
        NextThing::Step(CaseState::Reviewed)
    );
    assert_eq!(
        next_thing(
            CaseState::Publicized,
            Some((d("2026-11-25"), d("2026-11-30"))),
            None,
            today
        ),
        NextThing::NoticeUntil(d("2026-11-30"))
    );
    assert_eq!(
        next_thing(
            CaseState::Publicized,
            Some((d("2026-11-01"), d("2026-11-10"))),
            None,
            today
        ),
        NextThing::Step(CaseState::Submitted)
    );
    assert_eq!(
        next_thing(CaseState::Active, None, Some(d("2027-01-01")), today),
        NextThing::ReviewDue(d("2027-01-01"))
    );
    assert_eq!(
        next_thing(CaseState::Closed, None, None, today),
        NextThing::Done
    );
}

/// An attempted step of a random session: which step, how many days after
/// the last one, and whether its data is good or bad.
#[derive(Debug, Clone)]
struct Attempt {
    to: CaseState,
    days: i64,
    votes: (i64, i64, i64),
    notice_days: i64,
    blank: bool,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        prop::sample::select(REQUESTABLE.to_vec()),
        -3i64..20,
        (0i64..9, 0i64..9, 0i64..4),
        0i64..10,
        prop::bool::weighted(0.2),
    )
        .prop_map(|(to, days, votes, notice_days, blank)| Attempt {
            to,
            days,
            votes,
            notice_days,
            blank,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("GUANHUAI_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
    ))]

    /// Whatever the clerk tries, in whatever order, the case's history stays
    /// a valid path: accepted steps are applied, refused ones change nothing.
    #[test]
    fn any_sequence_of_attempts_leaves_a_valid_path(
        attempts in prop::collection::vec(attempt(), 0..40),
        min_days in 1i64..8,
    ) {
        let today = d("2027-12-31");
        let mut history = vec![step(CaseState::Applied, "2026-01-01")];
        let mut state = CaseState::Applied;
        let mut date = d("2026-01-01");
        for a in attempts {
            let when = date + Duration::days(a.days);
            let text = if a.blank { "" } else { "说明" };
            let data = match a.to {
                CaseState::Reviewed => StepData::Review(votes(a.votes.0, a.votes.1, a.votes.2)),
                CaseState::Publicized => StepData::Publicize {
                    from: when,
                    to: when + Duration::days(a.notice_days),
                },
                CaseState::Submitted => StepData::Submit { to: text.into() },
                CaseState::Approved => StepData::Approve,
                CaseState::Rejected => StepData::Reject { reason: text.into(), votes: None },
                CaseState::Active => StepData::Activate,
                CaseState::Resolved => StepData::Resolve,
                _ => StepData::Close { reason: text.into() },
            };
            let req = StepRequest { date: when, note: String::new(), data };
            let before = history.clone();
            match check_step(state, &history, &req, min_days, today) {
                Ok(()) => {
                    prop_assert!(next_steps(state).contains(&a.to));
                    let mut s = step(a.to, "2026-01-01");
                    s.date = when;
                    if let StepData::Publicize { from, to } = req.data {
                        prop_assert!((to - from).num_days() + 1 >= min_days);
                        s.public = Some((from, to));
                    }
                    if let StepData::Review(v) = req.data {
                        prop_assert!(v.passed());
                    }
                    if a.to == CaseState::Submitted {
                        let notice = history.iter().find_map(|s| s.public).unwrap();
                        prop_assert!(when > notice.1);
                    }
                    history.push(s);
                    state = a.to;
                    date = when;
                }
                Err(_) => prop_assert_eq!(&history, &before),
            }
            prop_assert!(is_valid_path(&history));
            prop_assert_eq!(history.last().unwrap().state, state);
        }
    }
}
