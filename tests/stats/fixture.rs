//! The hand-counted roster of the statistics tests (`tests/stats.rs`
//! through the binary, `tests/ui_stats.rs` on tab 8), judged on 2026-06-30.
#![allow(dead_code)]

use std::path::Path;

use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::db::fund::{NewEntry, NewLoan};
use guanhuai::domain::member::Member;
use guanhuai::domain::records::HardshipCase;
use guanhuai::domain::vocab::{
    CaseState, Direction, Employment, Gender, HardshipCategory, MemberStatus, Priority,
};
use rusqlite::{Connection, params};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A member registered on 2020-01-01 (joined 2000-07-01).
fn member(
    code: &str,
    name: &str,
    gender: Option<Gender>,
    born: Option<&str>,
    employment: Option<Employment>,
) -> Member {
    let mut m = Member::new(code, name, d("2000-07-01"));
    m.gender = gender;
    m.birth_date = born.map(d);
    m.employment = employment;
    m.registered_on = Some(d("2020-01-01"));
    m
}

fn save(conn: &mut Connection, m: Member) -> i64 {
    db::members::save(conn, &m).unwrap().0
}

fn talk(conn: &Connection, member: i64, date: &str) {
    conn.execute(
        "INSERT INTO talks (member_id, date, conductor) VALUES (?1, ?2, '支部书记')",
        params![member, date],
    )
    .unwrap();
}

fn visit(conn: &Connection, member: i64, date: &str, kind: &str, voided: Option<&str>) {
    conn.execute(
        "INSERT INTO visits (member_id, date, kind, visitor, voided_on) VALUES (?1, ?2, ?3, '组织委员', ?4)",
        params![member, date, kind, voided],
    )
    .unwrap();
}

fn case(
    conn: &Connection,
    member_id: i64,
    year: i32,
    state: CaseState,
    categories: Vec<HardshipCategory>,
    priority: Priority,
    approved_on: Option<&str>,
) {
    db::records::upsert_hardship_case(
        conn,
        &HardshipCase {
            id: 0,
            member_id,
            year,
            categories,
            cause: String::new(),
            priority,
            state,
            approved_on: approved_on.map(d),
            last_review: None,
        },
    )
    .unwrap();
}

fn entry(
    conn: &Connection,
    date: &str,
    dir: Direction,
    cat: &str,
    fen: i64,
    member: Option<i64>,
) -> i64 {
    db::fund::insert(
        conn,
        &NewEntry {
            date: d(date),
            direction: dir,
            category: cat.into(),
            amount_fen: fen,
            member_id: member,
            handled_by: "会计".into(),
            approved_by: "书记".into(),
            ..NewEntry::default()
        },
        d("2026-11-28"),
    )
    .unwrap()
    .id
}

fn response(
    conn: &Connection,
    round: i64,
    member: i64,
    date: &str,
    ideology: &str,
    needs: &[&str],
    follow_up: bool,
) {
    conn.execute(
        "INSERT INTO survey_responses (round_id, member_id, date, surveyor, ideology, health, follow_up)
         VALUES (?1, ?2, ?3, '组织委员', ?4, 'good', ?5)",
        params![round, member, date, ideology, follow_up],
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    for n in needs {
        conn.execute(
            "INSERT INTO survey_response_needs (response_id, need) VALUES (?1, ?2)",
            params![id, n],
        )
        .unwrap();
    }
}

fn round(conn: &Connection, name: &str, year: i32, started: &str) -> i64 {
    conn.execute(
        "INSERT INTO survey_rounds (name, year, started_on) VALUES (?1, ?2, ?3)",
        params![name, year, started],
    )
    .unwrap();
    conn.last_insert_rowid()
}

fn honour(conn: &Connection, member: Option<i64>, level: &str, year: i32, date: &str) {
    conn.execute(
        "INSERT INTO honours (member_id, title, level, year, date) VALUES (?1, 'excellent_member', ?2, ?3, ?4)",
        params![member, level, year, date],
    )
    .unwrap();
}

/// The roster, judged on D = 2026-06-30 with the default settings. Ages on D
/// in brackets; every obligation of each active member on D is in its comment.
pub fn build(path: &Path) {
    use Employment::*;
    use Gender::*;
    let mut conn = db::open(path).unwrap();
    // 001 王芳 f (36: 35_59) employed. talk 2026-03-10 → annual_talk due
    //   2027-03-10, not overdue; a talk 2026-08-01 is after D (not counted).
    let m1 = save(
        &mut conn,
        member(
            "001",
            "王芳",
            Some(Female),
            Some("1990-03-01"),
            Some(Employed),
        ),
    );
    talk(&conn, m1, "2026-03-10");
    talk(&conn, m1, "2026-08-01");
    // 002 李强 m (30: under_35) student. No talk → annual_talk OVERDUE.
    let m2 = save(
        &mut conn,
        member("002", "李强", Some(Male), Some("1995-07-01"), Some(Student)),
    );
    // 003 张伟 m (59, 60 tomorrow: 35_59) retired. talk 2025-07-01 → due 2026-07-01 (due soon).
    let m3 = save(
        &mut conn,
        member("003", "张伟", Some(Male), Some("1966-07-01"), Some(Retired)),
    );
    talk(&conn, m3, "2025-07-01");
    // 004 刘秀英 f (70 on D: 70_plus) retired, honorary since 2026-01-01.
    //   talk 2026-02-01; home visit 2026-05-01 → honorary_visit due 2026-10-30;
    //   no health check → honorary_health_check due 2027-01-01. Nothing overdue.
    let mut m = member(
        "004",
        "刘秀英",
        Some(Female),
        Some("1956-06-30"),
        Some(Retired),
    );
    m.honorary = true;
    m.honorary_since = Some(d("2026-01-01"));
    let m4 = save(&mut conn, m);
    talk(&conn, m4, "2026-02-01");
    visit(&conn, m4, "2026-05-01", "home", None);
    // 005 陈明 m (66: 60_69) farmer, mobile since 2025-01-01. No talk →
    //   annual_talk OVERDUE; phone call 2026-01-10 → mobile_contact due 2026-04-10 OVERDUE.
    let mut m = member("005", "陈明", Some(Male), Some("1960-01-01"), Some(Farmer));
    m.mobile = true;
    m.mobile_since = Some(d("2025-01-01"));
    let m5 = save(&mut conn, m);
    visit(&conn, m5, "2026-01-10", "phone", None);
    // 006 赵敏: no gender, no birth date, no employment (all unknown),
    //   registered 2026-01-01 → annual_talk due 2027-01-01.
    let mut m = member("006", "赵敏", None, None, None);
    m.registered_on = Some(d("2026-01-01"));
    save(&mut conn, m);
    // 007 孙丽 f (76: 70_plus) retired. Case 2026 active, approved 2026-02-01,
    //   illness + elderly_frail, urgent. talk 2026-04-01; home visit 2026-03-01 →
    //   hardship_visit due 2026-05-30 OVERDUE (the home visit 2026-06-20 is
    //   voided); hardship_review due 2027-02-01. Loan 2026-03-01 ¥3,000 in
    //   three monthly instalments from 2026-05-01: the first repaid 2026-05-01,
    //   06-01 OVERDUE, 07-01 due soon.
    let m7 = save(
        &mut conn,
        member(
            "007",
            "孙丽",
            Some(Female),
            Some("1950-01-01"),
            Some(Retired),
        ),
    );
    talk(&conn, m7, "2026-04-01");
    visit(&conn, m7, "2026-03-01", "home", None);
    visit(&conn, m7, "2026-06-20", "home", Some("2026-06-21"));
    case(
        &conn,
        m7,
        2026,
        CaseState::Active,
        vec![HardshipCategory::Illness, HardshipCategory::ElderlyFrail],
        Priority::Urgent,
        Some("2026-02-01"),
    );
    // 008 周杰 m (41: 35_59) unemployed. Case 2026 applied, unemployment, key;
    //   case 2025 resolved, unemployment, normal. Event job_change 2026-06-01 →
    //   event_talk due 2026-06-16, satisfied by the talk on D (late satisfies).
    let m8 = save(
        &mut conn,
        member(
            "008",
            "周杰",
            Some(Male),
            Some("1985-05-05"),
            Some(Unemployed),
        ),
    );
    talk(&conn, m8, "2026-06-30");
    conn.execute(
        "INSERT INTO events (member_id, date, kind) VALUES (?1, '2026-06-01', 'job_change')",
        [m8],
    )
    .unwrap();
    case(
        &conn,
        m8,
        2026,
        CaseState::Applied,
        vec![HardshipCategory::Unemployment],
        Priority::Key,
        None,
    );
    case(
        &conn,
        m8,
        2025,
        CaseState::Resolved,
        vec![HardshipCategory::Unemployment],
        Priority::Normal,
        Some("2025-03-01"),
    );
    // 009 吴刚 deceased: not active, but his records count (talk 2026-01-05,
    //   case 2026 closed, living, normal).
    let mut m = member("009", "吴刚", Some(Male), Some("1940-01-01"), Some(Retired));
    m.status = MemberStatus::Deceased;
    m.left_on = Some(d("2026-03-01"));
    let m9 = save(&mut conn, m);
    talk(&conn, m9, "2026-01-05");
    case(
        &conn,
        m9,
        2026,
        CaseState::Closed,
        vec![HardshipCategory::Living],
        Priority::Normal,
        None,
    );
    // 010 郑华 transferred out (and mobile): not active.
    let mut m = member(
        "010",
        "郑华",
        Some(Female),
        Some("1980-01-01"),
        Some(Employed),
    );
    m.status = MemberStatus::TransferredOut;
    m.left_on = Some(d("2026-02-01"));
    m.mobile = true;
    save(&mut conn, m);

    // The fund, in date order.
    entry(
        &conn,
        "2025-12-01",
        Direction::In,
        "fiscal",
        1_000_000,
        None,
    );
    entry(&conn, "2026-01-10", Direction::In, "dues", 200_000, None);
    entry(
        &conn,
        "2026-02-01",
        Direction::In,
        "member_donation",
        50_000,
        None,
    );
    let relief = entry(
        &conn,
        "2026-02-05",
        Direction::Out,
        "relief",
        30_000,
        Some(m7),
    );
    db::fund::insert_reversal(
        &conn,
        relief,
        d("2026-02-06"),
        "",
        "金额有误",
        d("2026-11-28"),
    )
    .unwrap();
    let (loan, _) = db::fund::insert_loan(
        &conn,
        &NewLoan {
            member_id: m7,
            case_id: None,
            principal_fen: 300_000,
            date: d("2026-03-01"),
            first_due: d("2026-05-01"),
            instalments: 3,
            every_months: 1,
            voucher_no: String::new(),
            handled_by: "会计".into(),
            approved_by: "书记".into(),
            note: String::new(),
        },
        d("2026-11-28"),
    )
    .unwrap();
    db::fund::insert_repayment(
        &conn,
        loan,
        &NewEntry {
            date: d("2026-05-01"),
            direction: Direction::In,
            category: "loan_repayment".into(),
            amount_fen: 100_000,
            member_id: Some(m7),
            loan_id: Some(loan),
            ..NewEntry::default()
        },
        d("2026-11-28"),
    )
    .unwrap();
    entry(
        &conn,
        "2026-06-15",
        Direction::Out,
        "condolence",
        20_000,
        Some(m4),
    );
    entry(&conn, "2026-06-20", Direction::In, "interest", 1_234, None);
    entry(&conn, "2026-07-05", Direction::Out, "goods", 10_000, None);

    // Survey: 2025 round (001: stable, training); 2026 round started 06-01:
    // 001 stable {medical, financial} follow-up; 002 fluctuating {financial};
    // 007 attention {care, medical} follow-up; 009 (deceased) not counted;
    // 003 answered 07-10, after D. A 2027 round starts after D.
    let r25 = round(&conn, "2025年度党员需求调查", 2025, "2025-03-01");
    response(&conn, r25, m1, "2025-03-05", "stable", &["training"], false);
    let r26 = round(&conn, "2026年度党员需求调查", 2026, "2026-06-01");
    response(
        &conn,
        r26,
        m1,
        "2026-06-05",
        "stable",
        &["medical", "financial"],
        true,
    );
    response(
        &conn,
        r26,
        m2,
        "2026-06-10",
        "fluctuating",
        &["financial"],
        false,
    );
    response(
        &conn,
        r26,
        m7,
        "2026-06-12",
        "attention",
        &["care", "medical"],
        true,
    );
    response(&conn, r26, m9, "2026-06-02", "stable", &["housing"], false);
    response(&conn, r26, m3, "2026-07-10", "stable", &["legal"], false);
    round(&conn, "2027年度党员需求调查", 2027, "2026-11-01");

    // Honours of 2026 up to D: branch (001), district (004), street (the
    // branch's own); city (008) on 07-01 is after D. 2025: branch (002).
    honour(&conn, Some(m1), "branch", 2026, "2026-06-01");
    honour(&conn, Some(m4), "district", 2026, "2026-05-01");
    honour(&conn, None, "street", 2026, "2026-06-15");
    honour(&conn, Some(m8), "city", 2026, "2026-07-01");
    honour(&conn, Some(m2), "branch", 2025, "2025-12-01");
}
