use super::*;
use crate::db;

fn member_insert(conn: &mut Connection, action: &str, code: &str) -> i64 {
    let tx = write_tx(conn, &Actor::new(action)).unwrap();
    let mut m = crate::domain::member::Member::new(
        code,
        "张三",
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
    );
    if code == "001" {
        m.id_number = Some("11010519491231002X".into());
    }
    let id = db::members::insert(&tx, &m).unwrap();
    tx.commit().unwrap();
    id
}

#[test]
fn an_insert_is_logged_with_its_actor_and_a_masked_id() {
    let mut conn = db::open_in_memory().unwrap();
    let id = member_insert(&mut conn, "form: member add", "001");
    let log = for_record(&conn, "members", id).unwrap();
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!(e.action, "form: member add");
    assert_eq!(e.user, os_user());
    assert_eq!(e.op, Op::Insert);
    let new = e.new.as_ref().unwrap();
    assert_eq!(new["code"], "001");
    assert_eq!(new["id_number"], "1101**********002X");
    assert!(!e.changes_text().contains("11010519491231002X"));
    // an ID number in a note is masked when read
    let tx = db::write_tx(&mut conn).unwrap();
    tx.execute("UPDATE members SET notes = '证件 110105194912310021'", [])
        .unwrap();
    tx.commit().unwrap();
    let log = for_record(&conn, "members", id).unwrap();
    assert_eq!(log[1].changes_text(), "notes:  → 证件 1101**********0021");
}

#[test]
fn plain_write_tx_logs_an_empty_action_not_a_stale_one() {
    let mut conn = db::open_in_memory().unwrap();
    member_insert(&mut conn, "import members", "001");
    let tx = db::write_tx(&mut conn).unwrap();
    tx.execute("UPDATE members SET notes = 'x'", []).unwrap();
    tx.commit().unwrap();
    let all = page(&conn, &LogFilter::default(), None, 10).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].action, "");
    assert_eq!(all[0].op, Op::Update);
    assert_eq!(all[0].changes_text(), "notes:  → x");
}

/// The tables a clerk's work writes; each has its three audit triggers.
const AUDITED: &[&str] = &[
    "members",
    "talks",
    "visits",
    "events",
    "hardship_cases",
    "hardship_case_categories",
    "hardship_steps",
    "hardship_reviews",
    "hardship_measures",
    "hardship_measure_actions",
    "hardship_helpers",
    "hardship_family",
    "campaigns",
    "campaign_targets",
    "fund_entries",
    "loans",
    "loan_instalments",
    "audits",
    "audit_totals",
    "survey_rounds",
    "survey_responses",
    "survey_response_needs",
    "honours",
    "disciplines",
    "assessments",
    "settings",
];

#[test]
fn every_written_table_has_its_audit_triggers() {
    let conn = db::open_in_memory().unwrap();
    for t in AUDITED {
        for op in ["insert", "update", "delete"] {
            let name = format!("{t}_audit_{op}");
            let on: String = conn
                .query_row(
                    "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| panic!("no trigger {name}"));
            assert_eq!(&on, t);
        }
    }
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_audit\\_%' ESCAPE '\\'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n as usize, AUDITED.len() * 3);
}

#[test]
fn the_log_refuses_update_and_delete() {
    let mut conn = db::open_in_memory().unwrap();
    member_insert(&mut conn, "demo", "001");
    assert!(conn.execute("UPDATE audit_log SET tbl = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    assert!(
        conn.execute("UPDATE audit_sessions SET user = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_sessions", []).is_err());
    assert_eq!(count(&conn, &LogFilter::default()).unwrap(), 1);
}

#[test]
fn a_rolled_back_write_leaves_no_entry() {
    let mut conn = db::open_in_memory().unwrap();
    {
        let tx = write_tx(&mut conn, &Actor::new("import members")).unwrap();
        let m = crate::domain::member::Member::new(
            "001",
            "张三",
            NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        );
        db::members::insert(&tx, &m).unwrap();
    }
    assert_eq!(count(&conn, &LogFilter::default()).unwrap(), 0);
}

#[test]
fn pages_filter_and_follow_the_keyset() {
    let mut conn = db::open_in_memory().unwrap();
    for i in 0..5 {
        member_insert(&mut conn, "import members", &format!("{:03}", i + 1));
    }
    let first = page(&conn, &LogFilter::default(), None, 2).unwrap();
    assert_eq!(first.len(), 2);
    let next = page(&conn, &LogFilter::default(), Some(first[1].id), 10).unwrap();
    assert_eq!(next.len(), 3);
    assert!(next[0].id < first[1].id);
    let mut f = LogFilter {
        table: Some("talks".into()),
        ..LogFilter::default()
    };
    assert_eq!(count(&conn, &f).unwrap(), 0);
    f.table = Some("members".into());
    f.user = Some(os_user());
    assert_eq!(count(&conn, &f).unwrap(), 5);
    f.from = NaiveDate::from_ymd_opt(2999, 1, 1);
    assert_eq!(count(&conn, &f).unwrap(), 0);
    assert_eq!(users(&conn).unwrap(), vec![os_user()]);
}
