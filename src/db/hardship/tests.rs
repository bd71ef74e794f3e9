use super::*;
use crate::db;
use crate::domain::member::Member;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn member(conn: &mut Connection, code: &str, name: &str) -> i64 {
    let tx = write_tx(conn, &Actor::new("test")).unwrap();
    let m = Member::new(code, name, d("1950-03-01"));
    let id = db::members::insert(&tx, &m).unwrap();
    tx.commit().unwrap();
    id
}

fn new_case(member_id: i64, year: i32) -> NewCase {
    NewCase {
        member_id,
        year,
        categories: vec![HardshipCategory::Illness, HardshipCategory::Living],
        cause: "因病致困".into(),
        family_situation: "老伴无业".into(),
        family: vec![
            FamilyMember {
                relation: "妻".into(),
                name: "李秀英".into(),
                income_fen: 120_050,
            },
            FamilyMember {
                relation: "子".into(),
                name: "王强".into(),
                income_fen: 0,
            },
        ],
        priority: Priority::Urgent,
        applied_on: d("2026-11-01"),
        note: "本人申请".into(),
    }
}

fn req(date: &str, data: StepData) -> StepRequest {
    StepRequest {
        date: d(date),
        note: String::new(),
        data,
    }
}

fn version(conn: &Connection, id: i64) -> i64 {
    case(conn, id).unwrap().unwrap().version
}

/// Everything a clerk's work writes, as text: what must not move when a write is refused.
fn snapshot(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for t in [
        "hardship_cases",
        "hardship_case_categories",
        "hardship_steps",
        "hardship_reviews",
        "hardship_family",
        "hardship_measures",
        "hardship_measure_actions",
        "hardship_helpers",
        "audit_log",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut s = String::from(t);
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("|{v:?}"));
                }
                Ok(s)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

const TODAY: &str = "2026-11-28";

#[test]
fn a_case_goes_through_the_workflow_and_each_step_is_logged() {
    let mut conn = db::open_in_memory().unwrap();
    let m = member(&mut conn, "001", "王建国");
    let id = create_case(&mut conn, &new_case(m, 2026), "form: hardship case").unwrap();
    let today = d(TODAY);
    let steps_in = [
        req(
            "2026-11-03",
            StepData::Review(Votes {
                for_: 9,
                against: 1,
                abstain: 1,
            }),
        ),
        req(
            "2026-11-04",
            StepData::Publicize {
                from: d("2026-11-04"),
                to: d("2026-11-10"),
            },
        ),
        req(
            "2026-11-11",
            StepData::Submit {
                to: "街道党工委".into(),
            },
        ),
        req("2026-11-20", StepData::Approve),
        req("2026-11-21", StepData::Activate),
    ];
    for r in &steps_in {
        let v = version(&conn, id);
        record_step(&mut conn, id, v, r, 5, today).unwrap();
    }
    let det = detail(&conn, id).unwrap().unwrap();
    assert_eq!(det.row.state, CaseState::Active);
    assert_eq!(det.row.approved_on, Some(d("2026-11-20")));
    assert!(hardship::is_valid_path(&det.steps));
    assert_eq!(det.steps.len(), 6);
    assert_eq!(det.steps[0].note, "本人申请");
    assert_eq!(det.steps[3].submitted_to, "街道党工委");
    assert_eq!(det.family_income_fen(), 120_050);
    assert_eq!(det.row.categories.len(), 2);
    assert!(det.steps.iter().all(|s| s.clerk == os_user()));
    let actions: Vec<String> = conn
        .prepare(
            "SELECT s.action FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id
             WHERE l.tbl = 'hardship_steps' ORDER BY l.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "form: hardship case",
            "form: hardship step reviewed",
            "form: hardship step publicized",
            "form: hardship step submitted",
            "form: hardship step approved",
            "form: hardship step active",
        ]
    );
    // the review moves the due date on
    assert_eq!(det.row.review_due(365), Some(d("2027-11-20")));
    record_review(
        &mut conn,
        id,
        d("2026-11-27"),
        ReviewOutcome::Continue,
        "复核",
        today,
    )
    .unwrap();
    let row = case(&conn, id).unwrap().unwrap();
    assert_eq!(row.review_due(365), Some(d("2027-11-27")));
    // 已脱困 by a review records the step too
    record_review(
        &mut conn,
        id,
        d("2026-11-28"),
        ReviewOutcome::Resolved,
        "已就业",
        today,
    )
    .unwrap();
    let det = detail(&conn, id).unwrap().unwrap();
    assert_eq!(det.row.state, CaseState::Resolved);
    assert_eq!(det.reviews.len(), 2);
    assert!(hardship::is_valid_path(&det.steps));
}

#[test]
fn one_case_per_member_and_year() {
    let mut conn = db::open_in_memory().unwrap();
    let m = member(&mut conn, "001", "王建国");
    create_case(&mut conn, &new_case(m, 2026), "t").unwrap();
    let before = snapshot(&conn);
    let e = create_case(&mut conn, &new_case(m, 2026), "t").unwrap_err();
    let msg = e.message(crate::domain::Lang::Zh);
    assert!(
        msg.contains("王建国 已有 2026 年度的困难台账（个人申请）"),
        "{msg}"
    );
    assert_eq!(snapshot(&conn), before);
    create_case(&mut conn, &new_case(m, 2025), "t").unwrap();
    assert_eq!(cases_of_member(&conn, m).unwrap().len(), 2);
}

#[test]
fn steps_reviews_and_actions_are_never_edited_or_deleted() {
    let mut conn = db::open_in_memory().unwrap();
    let m = member(&mut conn, "001", "王建国");
    let h = member(&mut conn, "002", "李红");
    let id = create_case(&mut conn, &new_case(m, 2026), "t").unwrap();
    let mid = add_measure(
        &mut conn,
        id,
        &NewMeasure {
            kind: MeasureKind::Medical,
            plan: "联系医保报销".into(),
            responsible: "李红".into(),
            start_date: Some(d("2026-11-05")),
        },
    )
    .unwrap();
    add_action(
        &mut conn,
        mid,
        &NewAction {
            date: d("2026-11-06"),
            action: "陪同办理报销".into(),
            amount_fen: Some(50_000),
            goods: String::new(),
        },
        d(TODAY),
    )
    .unwrap();
    let hit = HelperKind::Member {
        id: h,
        code: "002".into(),
        name: "李红".into(),
    };
    add_helper(&mut conn, id, &hit, Some(d("2026-11-05"))).unwrap();
    add_helper(&mut conn, id, &HelperKind::Unit("社区卫生站".into()), None).unwrap();
    let e = add_helper(&mut conn, id, &hit, None).unwrap_err();
    assert!(
        e.message(crate::domain::Lang::Zh)
            .contains("已是这份台账的帮扶人")
    );
    let own = HelperKind::Member {
        id: m,
        code: "001".into(),
        name: "王建国".into(),
    };
    assert!(add_helper(&mut conn, id, &own, None).is_err());
    let row = case(&conn, id).unwrap().unwrap();
    assert_eq!(row.helpers, ["李红", "社区卫生站"]);
    assert_eq!(
        pairing_label(row.helpers.len(), crate::domain::Lang::Zh),
        "多帮一"
    );

    for sql in [
        "UPDATE hardship_steps SET date = '2026-01-01'",
        "DELETE FROM hardship_steps",
        "UPDATE hardship_measure_actions SET action = 'x'",
        "DELETE FROM hardship_measure_actions",
    ] {
        let before = snapshot(&conn);
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("never"), "{sql}: {e}");
        assert_eq!(snapshot(&conn), before);
    }
    conn.execute(
        "INSERT INTO hardship_reviews (case_id, date) VALUES (?1, '2026-11-20')",
        [id],
    )
    .unwrap();
    for sql in [
        "UPDATE hardship_reviews SET note = 'x'",
        "DELETE FROM hardship_reviews",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql}");
    }
    // every table of the ledger is in the audit log
    for t in [
        "hardship_cases",
        "hardship_case_categories",
        "hardship_steps",
        "hardship_family",
        "hardship_measures",
        "hardship_measure_actions",
        "hardship_helpers",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE tbl = ?1 AND op = 'insert'",
                [t],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n > 0, "{t} not logged");
    }
}

#[test]
fn a_step_read_at_an_old_version_is_a_conflict() {
    let mut conn = db::open_in_memory().unwrap();
    let m = member(&mut conn, "001", "王建国");
    let id = create_case(&mut conn, &new_case(m, 2026), "t").unwrap();
    let v = version(&conn, id);
    let close = req(
        "2026-11-02",
        StepData::Close {
            reason: "撤回".into(),
        },
    );
    record_step(&mut conn, id, v, &close, 5, d(TODAY)).unwrap();
    let before = snapshot(&conn);
    let review = req(
        "2026-11-03",
        StepData::Review(Votes {
            for_: 5,
            against: 0,
            abstain: 0,
        }),
    );
    let e = record_step(&mut conn, id, v, &review, 5, d(TODAY)).unwrap_err();
    assert!(matches!(e, DbError::Conflict { .. }));
    // read again, the step is refused by the state
    let v = version(&conn, id);
    let e = record_step(&mut conn, id, v, &review, 5, d(TODAY)).unwrap_err();
    assert!(
        e.message(crate::domain::Lang::Zh)
            .contains("台账已是「终止」")
    );
    assert_eq!(snapshot(&conn), before);
}

#[test]
fn the_notice_lists_cases_in_publicity_or_overlapping_a_period() {
    let mut conn = db::open_in_memory().unwrap();
    let a = member(&mut conn, "001", "王建国");
    let b = member(&mut conn, "002", "李红");
    let today = d(TODAY);
    for (m, from, to) in [
        (a, "2026-11-04", "2026-11-10"),
        (b, "2026-11-25", "2026-12-01"),
    ] {
        let id = create_case(&mut conn, &new_case(m, 2026), "t").unwrap();
        let v = version(&conn, id);
        let r = req(
            "2026-11-03",
            StepData::Review(Votes {
                for_: 5,
                against: 0,
                abstain: 0,
            }),
        );
        record_step(&mut conn, id, v, &r, 5, today).unwrap();
        let v = version(&conn, id);
        let p = req(
            from,
            StepData::Publicize {
                from: d(from),
                to: d(to),
            },
        );
        record_step(&mut conn, id, v, &p, 5, today).unwrap();
    }
    let id = hardship_case_for(&conn, a);
    let v = version(&conn, id);
    record_step(
        &mut conn,
        id,
        v,
        &req(
            "2026-11-11",
            StepData::Submit {
                to: "街道".into()
            },
        ),
        5,
        today,
    )
    .unwrap();
    let now: Vec<String> = notice_rows(&conn, None, None)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(now, ["李红"]);
    let nov: Vec<String> = notice_rows(&conn, Some(d("2026-11-01")), Some(d("2026-11-30")))
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(nov, ["王建国", "李红"]);
    let early = notice_rows(&conn, None, Some(d("2026-11-05"))).unwrap();
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].from, Some(d("2026-11-04")));
}

fn hardship_case_for(conn: &Connection, member_id: i64) -> i64 {
    cases_of_member(conn, member_id).unwrap()[0].0
}

#[test]
fn the_list_sorts_by_priority_then_pinyin_and_filters() {
    let mut conn = db::open_in_memory().unwrap();
    let names = [
        ("001", "张三"),
        ("002", "安娜"),
        ("003", "詹姆"),
        ("004", "白云"),
    ];
    let prio = [
        Priority::Normal,
        Priority::Normal,
        Priority::Urgent,
        Priority::Key,
    ];
    for ((code, name), p) in names.iter().zip(prio) {
        let m = member(&mut conn, code, name);
        let mut c = new_case(m, 2026);
        c.priority = p;
        if *code == "002" {
            c.categories = vec![HardshipCategory::Disaster];
        }
        create_case(&mut conn, &c, "t").unwrap();
    }
    let all: Vec<String> = list(&conn, &CaseFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(all, ["詹姆", "白云", "安娜", "张三"]);
    let f = CaseFilter {
        query: "zs".into(),
        ..Default::default()
    };
    let hits: Vec<String> = list(&conn, &f)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(hits, ["张三"]);
    let f = CaseFilter {
        category: Some(HardshipCategory::Disaster),
        ..Default::default()
    };
    assert_eq!(list(&conn, &f).unwrap().len(), 1);
    let f = CaseFilter {
        priority: Some(Priority::Urgent),
        ..Default::default()
    };
    assert_eq!(list(&conn, &f).unwrap()[0].name, "詹姆");
    let counts = state_counts(&conn, &CaseFilter::default()).unwrap();
    assert_eq!(counts[0], (CaseState::Applied, 4));
    assert!(counts[1..].iter().all(|(_, n)| *n == 0));
    assert_eq!(years(&conn).unwrap(), [2026]);
}

#[derive(Debug, Clone)]
struct Attempt {
    to: usize,
    days: i64,
    votes: (i64, i64, i64),
    notice_days: i64,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("GUANHUAI_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(48)
    ))]

    /// Through the database: any sequence of attempted steps leaves a stored
    /// history that is a valid path, the case's state its last step, and each
    /// refused attempt leaves every table (and the audit log) as it was.
    #[test]
    fn stored_histories_stay_valid_paths(
        attempts in prop::collection::vec(
            (0usize..8, -2i64..12, (0i64..6, 0i64..6, 0i64..3), 0i64..8)
                .prop_map(|(to, days, votes, notice_days)| Attempt { to, days, votes, notice_days }),
            0..24,
        ),
    ) {
        let mut conn = db::open_in_memory().unwrap();
        let m = member(&mut conn, "001", "王建国");
        let mut c = new_case(m, 2026);
        c.applied_on = d("2026-01-01");
        let id = create_case(&mut conn, &c, "t").unwrap();
        let today = d("2026-12-31");
        let mut date = d("2026-01-01");
        for a in attempts {
            let when = date + chrono::Duration::days(a.days);
            let data = match a.to {
                0 => StepData::Review(Votes { for_: a.votes.0, against: a.votes.1, abstain: a.votes.2 }),
                1 => StepData::Publicize { from: when, to: when + chrono::Duration::days(a.notice_days) },
                2 => StepData::Submit { to: "街道党工委".into() },
                3 => StepData::Approve,
                4 => StepData::Reject { reason: "不符合".into(), votes: None },
                5 => StepData::Activate,
                6 => StepData::Resolve,
                _ => StepData::Close { reason: "撤回".into() },
            };
            let before = snapshot(&conn);
            let v = version(&conn, id);
            match record_step(&mut conn, id, v, &req(&when.to_string(), data), 5, today) {
                Ok(_) => date = when,
                Err(_) => prop_assert_eq!(snapshot(&conn), before),
            }
            let det = detail(&conn, id).unwrap().unwrap();
            prop_assert!(hardship::is_valid_path(&det.steps));
            prop_assert_eq!(det.steps.last().unwrap().state, det.row.state);
            prop_assert_eq!(
                det.row.approved_on.is_some(),
                det.steps.iter().any(|s| s.state == CaseState::Approved)
            );
        }
    }
}
