//! `guanhuai stats` against a roster small enough to count by hand: ten
//! members, their records, hardship cases, fund entries with a reversal and a
//! loan, two survey rounds and honours. Every expected number below is
//! written out from the comments (counted by hand from DOMAIN.md and the
//! definitions in `domain::stats`), never computed by the code under test.
//! Also: the table's alignment, `--lang en`, `--xlsx`, and the exit statuses.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::NaiveDate;
use common::Workdir;
use guanhuai::db;
use guanhuai::db::fund::{NewEntry, NewLoan};
use guanhuai::domain::member::Member;
use guanhuai::domain::records::HardshipCase;
use guanhuai::domain::vocab::{
    CaseState, Direction, Employment, Gender, HardshipCategory, MemberStatus, Priority,
};
use rusqlite::{Connection, params};
use serde_json::{Value, json};

fn d(s: &str) -> NaiveDate {
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
fn build(path: &Path) {
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

fn fixture() -> Workdir {
    let w = Workdir::new();
    build(&w.db);
    w
}

fn run(w: &Workdir, args: &[&str]) -> Output {
    w.command(args).output().unwrap()
}

fn json_of(w: &Workdir, as_of: &str) -> Value {
    let out = run(w, &["stats", "--as-of", as_of, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks every key of `expected` in `got`, naming the first that differs.
fn check(got: &Value, expected: &Value) {
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(got.get(k), Some(v), "key {k}");
    }
}

#[test]
fn every_figure_on_2026_06_30_as_counted_by_hand() {
    let w = fixture();
    let got = json_of(&w, "2026-06-30");
    let expected = json!({
        "as_of": "2026-06-30",
        "year": 2026,
        "members_total": 10,
        "members_by_status": {"active": 8, "transferred_out": 1, "deceased": 1},
        "members_active": 8,
        "members_by_gender": {"m": 4, "f": 3, "unknown": 1},
        "age_bands": {"under_35": 1, "35_59": 3, "60_69": 1, "70_plus": 2, "unknown": 1},
        "age_60_plus": 3,
        "age_60_plus_share": 0.4286,
        "employment": {"employed": 1, "retired": 3, "unemployed": 1, "farmer": 1,
                       "student": 1, "other": 0, "unknown": 1},
        "mobile": 1,
        "honorary": 1,
        "hardship_year": 2026,
        "hardship_cases": 3,
        "hardship_by_state": {"applied": 1, "reviewed": 0, "publicized": 0, "submitted": 0,
            "approved": 0, "rejected": 0, "active": 1, "resolved": 0, "closed": 1},
        "hardship_by_category": {"living": 1, "solitary": 0, "elderly_frail": 1, "illness": 1,
            "disability": 0, "disaster": 0, "unemployment": 1, "low_income": 0,
            "education": 0, "accident": 0},
        "hardship_by_priority": {"urgent": 1, "key": 1, "normal": 1},
        "talks_in_year": 5,
        "visits_in_year": 3,
        "overdue": 5,
        "completion_by_rule": {
            "annual_talk": {"applicable": 8, "satisfied": 6, "overdue": 2, "rate": 0.75},
            "hardship_visit": {"applicable": 1, "satisfied": 0, "overdue": 1, "rate": 0.0},
            "honorary_visit": {"applicable": 1, "satisfied": 1, "overdue": 0, "rate": 1.0},
            "honorary_health_check": {"applicable": 1, "satisfied": 1, "overdue": 0, "rate": 1.0},
            "mobile_contact": {"applicable": 1, "satisfied": 0, "overdue": 1, "rate": 0.0},
            "event_talk": {"applicable": 1, "satisfied": 1, "overdue": 0, "rate": 1.0},
            "event_visit": {"applicable": 0, "satisfied": 0, "overdue": 0, "rate": null},
            "campaign": {"applicable": 0, "satisfied": 0, "overdue": 0, "rate": null},
            "hardship_review": {"applicable": 1, "satisfied": 1, "overdue": 0, "rate": 1.0},
            "loan_instalment": {"applicable": 2, "satisfied": 1, "overdue": 1, "rate": 0.5}
        },
        "survey": {
            "round": "2026年度党员需求调查",
            "year": 2026,
            "started_on": "2026-06-01",
            "answered": 3,
            "active": 8,
            "answered_share": 0.375,
            "by_need": {"medical": 2, "employment": 0, "education": 0, "housing": 0,
                "training": 0, "psychological": 0, "legal": 0, "care": 1, "financial": 2,
                "other": 0},
            "by_ideology": {"stable": 1, "fluctuating": 1, "attention": 1},
            "follow_up": 2
        },
        "honours_by_level": {"branch": 1, "street": 1, "district": 1, "city": 0},
        // 2026 up to D: dues 2,000.00, donations 500.00, repayment 1,000.00,
        // interest 12.34; relief 300.00 reversed → 0; the loan 3,000.00,
        // condolence 200.00 (the goods on 07-05 are after D).
        "fund_income_by_category_fen": {"fiscal": 0, "dues": 200000, "member_donation": 50000,
            "social_donation": 0, "loan_repayment": 100000, "interest": 1234, "other": 0},
        "fund_payments_by_category_fen": {"relief": 0, "condolence": 20000, "goods": 0,
            "subsidy": 0, "loan": 300000, "health_check": 0, "training": 0, "other": 0},
        "fund_income_fen": 351234,
        "fund_payments_fen": 320000,
        // 10,000.00 + 2,000.00 + 500.00 − 300.00 + 300.00 − 3,000.00 + 1,000.00 − 200.00 + 12.34
        "fund_balance_fen": 1031234,
        "loans_outstanding": 1,
        "loans_outstanding_fen": 200000
    });
    check(&got, &expected);
    // nothing more, nothing less than the documented keys
    let mut keys: Vec<&String> = got.as_object().unwrap().keys().collect();
    let mut want: Vec<&String> = expected.as_object().unwrap().keys().collect();
    keys.sort();
    want.sort();
    assert_eq!(keys, want);
    // the overdue figure is what `overdue` lists
    let out = run(&w, &["overdue", "--as-of", "2026-06-30", "--format", "csv"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1 + 5);
}

#[test]
fn every_figure_on_2025_12_31_as_counted_by_hand() {
    let w = fixture();
    let got = json_of(&w, "2025-12-31");
    let expected = json!({
        "as_of": "2025-12-31",
        "year": 2025,
        "members_active": 8,
        // ages on 2025-12-31: 001 35, 002 30, 003 59, 004 69, 005 65, 007 75, 008 40
        "age_bands": {"under_35": 1, "35_59": 3, "60_69": 2, "70_plus": 1, "unknown": 1},
        "age_60_plus": 3,
        "age_60_plus_share": 0.4286,
        "hardship_cases": 1,
        "hardship_by_priority": {"urgent": 0, "key": 0, "normal": 1},
        "talks_in_year": 1,
        "visits_in_year": 0,
        // no talk on or before D for 001, 002, 004, 005, 007, 008 (annual_talk),
        // and 005's mobile_contact (due 2025-04-01)
        "overdue": 7,
        "survey": {
            "round": "2025年度党员需求调查", "year": 2025, "started_on": "2025-03-01",
            "answered": 1, "active": 8, "answered_share": 0.125,
            "by_need": {"medical": 0, "employment": 0, "education": 0, "housing": 0,
                "training": 1, "psychological": 0, "legal": 0, "care": 0, "financial": 0,
                "other": 0},
            "by_ideology": {"stable": 1, "fluctuating": 0, "attention": 0},
            "follow_up": 0
        },
        "honours_by_level": {"branch": 1, "street": 0, "district": 0, "city": 0},
        "fund_income_fen": 1000000,
        "fund_payments_fen": 0,
        "fund_balance_fen": 1000000,
        "loans_outstanding": 0,
        "loans_outstanding_fen": 0
    });
    check(&got, &expected);
    assert_eq!(got["hardship_by_state"]["resolved"], json!(1));
    assert_eq!(got["fund_income_by_category_fen"]["fiscal"], json!(1000000));
}

#[test]
fn the_table_is_aligned_and_in_either_language() {
    let w = fixture();
    let out = run(&w, &["stats", "--as-of", "2026-06-30"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("党员关怀帮扶工作统计（截至 2026-06-30）\n"),
        "{text}"
    );
    for want in [
        "一、党员基本情况",
        "在册党员",
        "60岁及以上占比（年龄已知者）",
        "42.9%",
        "完成率：年度谈心",
        "6/8 75.0%",
        "¥10,312.34",
        "2026年度党员需求调查",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // every figure line ends in the same display column
    let widths: Vec<usize> = text
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| unicode_width::UnicodeWidthStr::width(l))
        .collect();
    assert!(widths.len() > 40);
    assert!(widths.iter().all(|&x| x == widths[0]), "{text}");
    let en = run(&w, &["--lang", "en", "stats", "--as-of", "2026-06-30"]);
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.starts_with("Party member care statistics as of 2026-06-30\n"),
        "{en}"
    );
    assert!(en.contains("Active members") && en.contains("Share 60+ (of known age)"));
}

#[test]
fn the_xlsx_report_is_written() {
    let w = fixture();
    let file = w.path("统计.xlsx");
    let out = run(
        &w,
        &[
            "stats",
            "--as-of",
            "2026-06-30",
            "--xlsx",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已写入统计报表"));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let txt = w.path("统计.txt");
    let out = run(
        &w,
        &[
            "stats",
            "--as-of",
            "2026-06-30",
            "--xlsx",
            txt.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let t = std::fs::read_to_string(&txt).unwrap();
    assert!(t.contains("党员关怀帮扶工作统计") && t.contains("截至 2026-06-30"));
    assert!(t.contains("审核人"));
    assert!(t.contains("10,312.34"));
}

#[test]
fn exit_statuses() {
    let w = Workdir::new();
    // a read-only command refuses a missing database and creates nothing
    let out = run(&w, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!w.db.exists());
    let w = fixture();
    assert_eq!(
        run(&w, &["stats", "--as-of", "2026-13-01"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&w, &["stats", "--format", "csv"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&w, &["stats", "--bogus"]).status.code(), Some(2));
    // a report file of an unknown kind is a user error, and nothing is written
    let bad = w.path("r.pdf");
    let out = run(&w, &["stats", "--xlsx", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!bad.exists());
    // default: today (2026-11-28)
    let out = run(&w, &["stats", "--format", "json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], json!("2026-11-28"));
}
