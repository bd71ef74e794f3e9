//! The overdue engine end to end: a worked fixture checked byte for byte
//! against `tests/fixtures/overdue/*.csv` (computed by hand from DOMAIN.md),
//! the command line's formats and exit statuses, and a property test comparing
//! the fast database path with an independent naive implementation and with
//! the pure rule engine fed with every record.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, params};

use guanhuai::db;
use guanhuai::db::obligations::{self, Fallback, Parallel, Report, Which};
use guanhuai::domain::member::Member;
use guanhuai::domain::pinyin;
use guanhuai::domain::records::{Campaign, Event, HardshipCase, Talk, Visit};
use guanhuai::domain::rules::{self, Context, LiveCase, MemberFacts, SortKey, State, WindowVisit};
use guanhuai::domain::settings::Settings;
use guanhuai::domain::vocab::{
    CampaignTarget, CaseState, Coded, EventKind, MemberStatus, Priority, TalkForm, VisitKind,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// ---------------------------------------------------------------- writers

fn add_member(conn: &mut Connection, m: Member) -> i64 {
    db::members::save(conn, &m).unwrap().0
}

fn talk(conn: &Connection, member_id: i64, date: &str) {
    db::records::insert_talk(
        conn,
        &Talk {
            id: 0,
            member_id,
            date: d(date),
            conductor: "支部书记".into(),
            form: TalkForm::FaceToFace,
            summary: String::new(),
            problems: String::new(),
            follow_up: false,
            follow_up_note: String::new(),
        },
    )
    .unwrap();
}

fn visit(conn: &Connection, member_id: i64, date: &str, kind: VisitKind) {
    db::records::insert_visit(
        conn,
        &Visit {
            id: 0,
            member_id,
            date: d(date),
            visitor: "组织委员".into(),
            kind,
            goods: String::new(),
            fund_entry_id: None,
            notes: String::new(),
        },
    )
    .unwrap();
}

fn event(conn: &Connection, member_id: i64, date: &str, kind: EventKind) {
    db::records::insert_event(
        conn,
        &Event {
            id: 0,
            member_id,
            date: d(date),
            kind,
            note: String::new(),
        },
    )
    .unwrap();
}

fn campaign(conn: &Connection, name: &str, from: &str, to: &str, targets: &[CampaignTarget]) {
    db::records::insert_campaign(
        conn,
        &Campaign {
            id: 0,
            name: name.into(),
            from: d(from),
            to: d(to),
            targets: targets.to_vec(),
        },
    )
    .unwrap();
}

fn case(
    conn: &Connection,
    member_id: i64,
    year: i32,
    state: CaseState,
    approved_on: Option<&str>,
) -> i64 {
    db::records::upsert_hardship_case(
        conn,
        &HardshipCase {
            id: 0,
            member_id,
            year,
            categories: vec![],
            cause: String::new(),
            priority: Priority::Normal,
            state,
            approved_on: approved_on.map(d),
            last_review: None,
        },
    )
    .unwrap()
}

fn review(conn: &Connection, case_id: i64, date: &str) {
    conn.execute(
        "INSERT INTO hardship_reviews (case_id, date) VALUES (?1, ?2)",
        params![case_id, date],
    )
    .unwrap();
}

fn loan(conn: &Connection, member_id: i64, date: &str) -> i64 {
    conn.execute(
        "INSERT INTO loans (member_id, principal_fen, date) VALUES (?1, 300000, ?2)",
        params![member_id, date],
    )
    .unwrap();
    conn.last_insert_rowid()
}

/// An instalment, repaid by an income entry dated `paid` when given.
fn instalment(conn: &Connection, loan_id: i64, due: &str, paid: Option<&str>) {
    let entry: Option<i64> = paid.map(|p| {
        let member: i64 = conn
            .query_row(
                "SELECT member_id FROM loans WHERE id = ?1",
                [loan_id],
                |r| r.get(0),
            )
            .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM fund_entries", [], |r| r.get(0))
            .unwrap();
        // written as raw rows (dates the checked API would refuse); the rule
        // engine does not read the hash chain
        conn.execute(
            "INSERT INTO fund_entries (date, direction, category, amount_fen, member_id,
                 voucher_no, loan_id, prev_hash, hash)
             VALUES (?1, 'in', 'loan_repayment', 100000, ?2, ?3, ?4, '', '')",
            params![p, member, format!("HK{n:04}"), loan_id],
        )
        .unwrap();
        conn.last_insert_rowid()
    });
    conn.execute(
        "INSERT INTO loan_instalments (loan_id, seq, due_date, amount_fen, paid_entry_id)
         VALUES (?1, (SELECT count(*) + 1 FROM loan_instalments WHERE loan_id = ?1), ?2, 100000, ?3)",
        params![loan_id, due, entry],
    )
    .unwrap();
}

fn member(code: &str, name: &str, joined: &str, born: &str, registered: Option<&str>) -> Member {
    let mut m = Member::new(code, name, d(joined));
    m.birth_date = Some(d(born));
    m.registered_on = registered.map(d);
    m
}

// ---------------------------------------------------------------- the worked fixture

/// The roster of `tests/fixtures/overdue/`, judged on D = 2026-06-30 with the
/// default settings. The comment on each member gives every obligation it
/// has on D, computed by hand; the CSV files hold the same rows in list order.
fn build_fixture(path: &Path) {
    let mut conn = db::open(path).unwrap();

    // 春节 2026: the lunar new year is 02-17, so the proposed window is 02-03..02-16.
    campaign(
        &conn,
        "春节走访",
        "2026-02-03",
        "2026-02-16",
        &[CampaignTarget::All],
    );
    campaign(
        &conn,
        "敬老走访",
        "2026-03-01",
        "2026-03-15",
        &[CampaignTarget::Old],
    );
    campaign(
        &conn,
        "七一走访",
        "2026-06-15",
        "2026-07-01",
        &[CampaignTarget::Old, CampaignTarget::Hardship],
    );
    // starts after D: creates nothing yet
    campaign(
        &conn,
        "中秋走访",
        "2026-09-10",
        "2026-09-25",
        &[CampaignTarget::All],
    );

    // 001 张三, registered 2020-03-01, last talk 2025-04-10:
    //   annual_talk due 2026-04-10 → 81 overdue;
    //   job_change on 06-01, no talk since → event_talk due 06-16 → 14 overdue;
    //   春节: home visit 02-10 inside the window → satisfied; not old (55), no case.
    //   A home visit on 07-03 is after D and ignored.
    let m1 = add_member(
        &mut conn,
        member(
            "001",
            "张三",
            "1998-07-01",
            "1970-05-05",
            Some("2020-03-01"),
        ),
    );
    talk(&conn, m1, "2025-04-10");
    visit(&conn, m1, "2026-02-10", VisitKind::Home);
    visit(&conn, m1, "2026-07-03", VisitKind::Home);
    event(&conn, m1, "2026-06-01", EventKind::JobChange);

    // 002 詹天佑, no 入册日期 (counts from joined 2010-01-15):
    //   talks 2025-06-01 and 2026-07-05 (after D: ignored, though the cached
    //   last_talk holds it) → annual_talk due 2026-06-01 → 29 overdue;
    //   春节: only a phone call in the window → due 02-16 → 134 overdue.
    let m2 = add_member(
        &mut conn,
        member("002", "詹天佑", "2010-01-15", "1985-08-08", None),
    );
    talk(&conn, m2, "2025-06-01");
    talk(&conn, m2, "2026-07-05");
    visit(&conn, m2, "2026-02-05", VisitKind::Phone);

    // 003 王五, honorary since 2025-10-01, born 1940-02-29 (old):
    //   annual_talk: talk 2026-01-05 → due 2027-01-05, not due;
    //   honorary_visit: home visit 2025-12-20 + 182 → 2026-06-20 → 10 overdue;
    //   honorary_health_check: none, 2025-10-01 + 365 → 2026-10-01, not due;
    //   春节 134 overdue; 敬老 (old) due 03-15 → 107 overdue; 七一 (old) due 07-01 → due soon, -1.
    let mut m = member(
        "003",
        "王五",
        "1965-03-01",
        "1940-02-29",
        Some("2015-01-01"),
    );
    m.honorary = true;
    m.honorary_since = Some(d("2025-10-01"));
    let m3 = add_member(&mut conn, m);
    talk(&conn, m3, "2026-01-05");
    visit(&conn, m3, "2025-12-20", VisitKind::Home);

    // 004 赵六, mobile since 2026-01-10, born 1956-02-29 (70 on 2026-03-01):
    //   annual_talk: talk 2025-09-01 → due 2026-09-01, not due;
    //   mobile_contact: phone 2026-03-01 counts, the health check 05-01 does not
    //   → due 2026-05-30 → 31 overdue;
    //   春节 134; 敬老: 70 on its first day 03-01 → 107 overdue; 七一 → -1.
    let mut m = member(
        "004",
        "赵六",
        "1985-07-01",
        "1956-02-29",
        Some("2019-09-01"),
    );
    m.mobile = true;
    m.mobile_since = Some(d("2026-01-10"));
    let m4 = add_member(&mut conn, m);
    talk(&conn, m4, "2025-09-01");
    visit(&conn, m4, "2026-03-01", VisitKind::Phone);
    visit(&conn, m4, "2026-05-01", VisitKind::HealthCheck);

    // 005 钱七, hardship cases 2024 (approved 2024-03-01, reviewed 2025-03-10),
    //   2025 (active, approved 2025-11-20) and 2023 (resolved: not live):
    //   annual_talk: talk 2025-12-01 → not due;
    //   hardship_visit: latest approval 2025-11-20, home visit 2026-01-15
    //   → due 2026-04-15 → 76 overdue (the home visit on 07-02 is after D);
    //   hardship_review 2024: 2025-03-10 + 365 → 2026-03-10 → 112 overdue;
    //   hardship_review 2025: 2026-11-20, not due;
    //   illness on 06-25 → event_visit due 07-02 → due soon, -2;
    //   春节: the 01-15 visit is outside the window → 134; 七一 (hardship) → -1.
    let m5 = add_member(
        &mut conn,
        member(
            "005",
            "钱七",
            "2000-07-01",
            "1965-01-01",
            Some("2018-05-01"),
        ),
    );
    let c2024 = case(&conn, m5, 2024, CaseState::Approved, Some("2024-03-01"));
    review(&conn, c2024, "2025-03-10");
    case(&conn, m5, 2025, CaseState::Active, Some("2025-11-20"));
    case(&conn, m5, 2023, CaseState::Resolved, Some("2023-02-01"));
    talk(&conn, m5, "2025-12-01");
    visit(&conn, m5, "2026-01-15", VisitKind::Home);
    visit(&conn, m5, "2026-07-02", VisitKind::Home);
    event(&conn, m5, "2026-06-25", EventKind::Illness);

    // 006 孙八, transferred out: no obligations at all.
    let mut m = member(
        "006",
        "孙八",
        "1990-01-01",
        "1960-01-01",
        Some("2010-01-01"),
    );
    m.status = MemberStatus::TransferredOut;
    let m6 = add_member(&mut conn, m);
    event(&conn, m6, "2026-06-01", EventKind::Illness);

    // 007 李四, registered 2025-07-10:
    //   talk 2026-06-20 → annual_talk due 2027-06-20, not due; it satisfies the
    //   complaint (06-10) and, on the same day, the ideology (06-20) talks;
    //   ideology and accident on 06-20 oblige visits: last visit in person
    //   02-03 → both due 06-27 → 3 overdue (code order: accident, ideology);
    //   setback on 06-25 → event_talk due 07-10 → due soon, -10;
    //   春节: home visit on 02-03, the window's first day → satisfied;
    //   loan: instalment 04-01 repaid only on 07-03 (after D) → 90 overdue,
    //   05-01 repaid 05-02 → none, 06-01 unpaid → 29 overdue, 07-01 → -1.
    let m7 = add_member(
        &mut conn,
        member(
            "007",
            "李四",
            "2012-05-01",
            "1988-03-03",
            Some("2025-07-10"),
        ),
    );
    visit(&conn, m7, "2026-02-03", VisitKind::Home);
    talk(&conn, m7, "2026-06-20");
    event(&conn, m7, "2026-06-10", EventKind::Complaint);
    event(&conn, m7, "2026-06-20", EventKind::Ideology);
    event(&conn, m7, "2026-06-20", EventKind::Accident);
    event(&conn, m7, "2026-06-25", EventKind::Setback);
    conn.execute(
        "INSERT INTO fund_entries (date, direction, category, amount_fen, voucher_no, prev_hash, hash)
         VALUES ('2025-12-01', 'in', 'fiscal', 1000000, 'CZ0001', '', '')",
        [],
    )
    .unwrap();
    let l = loan(&conn, m7, "2026-01-01");
    instalment(&conn, l, "2026-04-01", Some("2026-07-03"));
    instalment(&conn, l, "2026-05-01", Some("2026-05-02"));
    instalment(&conn, l, "2026-06-01", None);
    instalment(&conn, l, "2026-07-01", None);

    // 008 阿依古丽·买买提, registered 2024-06-30, born 1956-03-02, no records:
    //   annual_talk due 2025-06-30 → 365 overdue; 春节 134;
    //   敬老: 69 on 03-01 and standing 46 → not targeted; 七一: 70 on 06-15 → -1.
    add_member(
        &mut conn,
        member(
            "008",
            "阿依古丽·买买提",
            "1980-01-01",
            "1956-03-02",
            Some("2024-06-30"),
        ),
    );

    // 009 "Anna, Lee" (the comma makes the CSV quote the field), registered
    //   2026-06-01 (after every started window: no campaign):
    //   annual_talk due 2027-06-01; accident on 06-19 → event_visit due 06-26 → 4 overdue.
    let m9 = add_member(
        &mut conn,
        member(
            "009",
            "Anna, Lee",
            "2020-01-01",
            "1990-01-01",
            Some("2026-06-01"),
        ),
    );
    event(&conn, m9, "2026-06-19", EventKind::Accident);

    // 010 张三 (the same name as 001): talk 2025-04-10 → annual_talk 81 overdue,
    //   listed after 001 (same name, same obligation: member code order); 春节 134.
    let m10 = add_member(
        &mut conn,
        member(
            "010",
            "张三",
            "1999-07-01",
            "1971-01-01",
            Some("2020-03-01"),
        ),
    );
    talk(&conn, m10, "2025-04-10");
}

fn fixture_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.sqlite");
    build_fixture(&path);
    (dir, path)
}

fn guanhuai(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GUANHUAI_TODAY")
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/overdue")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn fixture_overdue_csv_byte_for_byte() {
    let (_dir, path) = fixture_db();
    let out = guanhuai(
        &path,
        &["overdue", "--as-of", "2026-06-30", "--format", "csv"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        fixture("expected.csv")
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn fixture_due_soon_csv_byte_for_byte() {
    let (_dir, path) = fixture_db();
    let out = guanhuai(
        &path,
        &[
            "overdue",
            "--as-of",
            "2026-06-30",
            "--format",
            "csv",
            "--soon",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        fixture("expected_soon.csv")
    );
}

#[test]
fn fixture_json_has_the_same_rows() {
    let (_dir, path) = fixture_db();
    let out = guanhuai(
        &path,
        &["overdue", "--as-of", "2026-06-30", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\"name\":\"阿依古丽·买买提\""),
        "Chinese is not escaped"
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let csv = fixture("expected.csv");
    let expected: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, line) in rows.iter().zip(expected) {
        let days = row["days_overdue"].as_i64().unwrap();
        let name = row["name"].as_str().unwrap();
        let name = if name.contains(',') {
            format!("\"{name}\"")
        } else {
            name.to_string()
        };
        let rebuilt = format!(
            "{},{},{},{},{}",
            row["member_code"].as_str().unwrap(),
            name,
            row["obligation"].as_str().unwrap(),
            row["due"].as_str().unwrap(),
            days
        );
        assert_eq!(rebuilt, line);
    }
}

#[test]
fn fixture_table_is_aligned_with_labels_and_a_count() {
    let (_dir, path) = fixture_db();
    let out = guanhuai(&path, &["overdue", "--as-of", "2026-06-30"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "逾期事项（截至 2026-06-30）");
    assert!(lines[1].starts_with("编号"));
    assert!(text.contains("活动：春节走访"));
    assert!(text.contains("必访：发生意外或遭受灾害"));
    assert!(!text.contains("annual_talk"));
    assert_eq!(*lines.last().unwrap(), "共 22 项逾期");
    // the due-date column starts at the same display column on every row
    let col = |l: &str| {
        let i = l.find("2026-").or_else(|| l.find("2025-")).unwrap();
        guanhuai::ui::text::width(&l[..i])
    };
    let first = col(lines[2]);
    for l in &lines[2..lines.len() - 1] {
        assert_eq!(col(l), first, "{l}");
    }

    let out = guanhuai(
        &path,
        &["--lang", "en", "overdue", "--as-of", "2026-06-30", "--soon"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Due within 14 days of 2026-06-30\n"));
    assert!(text.contains("Campaign: 七一走访"));
    assert!(text.ends_with("7 due soon\n"));
}

#[test]
fn usage_and_user_errors_exit_statuses() {
    let (dir, path) = fixture_db();
    let out = guanhuai(&path, &["overdue", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = guanhuai(&path, &["overdue", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    // a database that cannot be opened is the user's error: 1, message on stderr
    let out = guanhuai(dir.path(), &["overdue", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.is_empty());
}

#[test]
fn default_as_of_is_today_honouring_guanhuai_today() {
    let (_dir, path) = fixture_db();
    let out = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(&path)
        .args(["overdue", "--format", "csv"])
        .env("GUANHUAI_TODAY", "2026-06-30")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        fixture("expected.csv")
    );
}

#[test]
fn fixture_report_counts_campaigns_and_explanations() {
    let (_dir, path) = fixture_db();
    let conn = db::open(&path).unwrap();
    let s = Settings::default();
    let report = obligations::compute(&conn, d("2026-06-30"), &s, Which::Both).unwrap();
    assert_eq!(report.overdue().len(), 22);
    assert_eq!(report.soon().len(), 7);
    let progress: Vec<_> = report
        .campaigns
        .iter()
        .map(|p| (p.campaign.name.as_str(), p.targeted, p.visited))
        .collect();
    // newest window first; 中秋 has not started
    assert_eq!(
        progress,
        vec![("七一走访", 4, 0), ("敬老走访", 2, 0), ("春节走访", 8, 2)]
    );
    let annual = report.count(rules::Rule::AnnualTalk);
    assert_eq!((annual.overdue, annual.due_soon, annual.total()), (4, 0, 9));
    let first = report.rows()[0];
    let o = report.explain(&conn, &first, &s).unwrap().unwrap();
    assert_eq!(
        o.explanation.text(guanhuai::domain::Lang::Zh),
        "年度谈心：入册 2024-06-30，无谈话记录，间隔 365 天，应于 2025-06-30，逾期 365 天"
    );
    // the member detail lists every obligation with its state
    let id = report.member_id(&first);
    let all = obligations::member_obligations(&conn, id, d("2026-06-30"), &s).unwrap();
    let codes: Vec<_> = all.iter().map(|o| (o.kind.code(), o.state)).collect();
    assert_eq!(
        codes,
        vec![
            ("annual_talk".to_string(), State::Overdue),
            ("campaign:春节走访".to_string(), State::Overdue),
            ("campaign:七一走访".to_string(), State::DueSoon),
        ]
    );
}

/// Two reports hold the same rows in the same order, counts and campaign progress.
fn assert_same_report(a: &Report, b: &Report, what: &str) {
    let rows = |r: &Report| {
        r.iter()
            .map(|v| {
                let (id, code, name) = (v.member_id, v.member_code.to_string(), v.name.to_string());
                (
                    id,
                    code,
                    name,
                    v.code.to_string(),
                    v.due,
                    v.days_overdue,
                    v.state,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(a), rows(b), "{what}: rows");
    assert_eq!(a.counts, b.counts, "{what}: counts");
    assert_eq!(a.campaigns, b.campaigns, "{what}: campaigns");
    assert_eq!(a.overdue().len(), b.overdue().len(), "{what}: split");
}

/// A copy of an in-memory database in a file, so the two-thread path can run.
fn file_copy(conn: &Connection) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.sqlite");
    conn.execute("VACUUM INTO ?1", [path.to_str().unwrap()])
        .unwrap();
    let file = db::open(&path).unwrap();
    (dir, file)
}

#[test]
fn fixture_two_threads_equal_one() {
    let (_dir, path) = fixture_db();
    let conn = db::open(&path).unwrap();
    let s = Settings::default();
    for day in ["2025-06-30", "2026-01-20", "2026-06-30", "2026-12-31"] {
        for which in [Which::Overdue, Which::Soon, Which::Both] {
            for fb in [Fallback::Auto, Fallback::PerMember, Fallback::Bulk] {
                let one = obligations::compute_with(&conn, d(day), &s, which, fb, Parallel::Never)
                    .unwrap();
                let two = obligations::compute_with(&conn, d(day), &s, which, fb, Parallel::Always)
                    .unwrap();
                assert_same_report(&one, &two, &format!("{day} {which:?} {fb:?}"));
            }
        }
    }
    // inside a transaction the other connection could not see its writes:
    // one thread then, with the transaction's view
    let tx = conn.unchecked_transaction().unwrap();
    tx.execute("UPDATE members SET status = 'deceased'", [])
        .unwrap();
    let r = obligations::compute_with(
        &tx,
        d("2026-06-30"),
        &s,
        Which::Both,
        Fallback::Auto,
        Parallel::Always,
    )
    .unwrap();
    assert!(r.is_empty());
}

// ---------------------------------------------------------------- property test

/// xorshift64*: small, deterministic, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A day in [from, to]; half the time snapped to the 1st or 15th of its
    /// month, so records, events, windows and D often fall on the same day.
    fn date(&mut self, from: &str, to: &str) -> NaiveDate {
        let (a, b) = (d(from), d(to));
        let x = a + Duration::days(self.below((b - a).num_days() as u64 + 1) as i64);
        if self.chance(50) {
            let snapped = x.with_day(if self.chance(50) { 1 } else { 15 }).unwrap();
            if snapped >= a && snapped <= b {
                return snapped;
            }
        }
        x
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

#[derive(Debug, Clone)]
struct PMember {
    id: i64,
    m: Member,
}

#[derive(Debug, Clone)]
struct PCase {
    member_id: i64,
    state: CaseState,
    approved_on: Option<NaiveDate>,
    reviews: Vec<NaiveDate>,
}

#[derive(Debug, Clone)]
struct PInstalment {
    member_id: i64,
    loan_date: NaiveDate,
    due: NaiveDate,
    paid_on: Option<NaiveDate>,
}

/// Everything written to the database, kept in plain vectors for the naive
/// implementation.
#[derive(Debug, Default)]
struct Scenario {
    members: Vec<PMember>,
    talks: Vec<(i64, NaiveDate)>,
    visits: Vec<(i64, NaiveDate, VisitKind)>,
    events: Vec<(i64, NaiveDate, EventKind)>,
    campaigns: Vec<Campaign>,
    cases: Vec<PCase>,
    instalments: Vec<PInstalment>,
}

const NAMES: &[&str] = &[
    "张三",
    "詹天",
    "张三",
    "王五",
    "阿明",
    "吕布",
    "卢俊",
    "罗成",
    "单雄信",
    "曾国藩",
    "李四",
    "𠮷田",
];

fn generate(rng: &mut Rng, conn: &mut Connection, s: &Settings) -> Scenario {
    db::settings::save(conn, s).unwrap();
    let mut sc = Scenario::default();
    let n = 1 + rng.below(7);
    for i in 0..n {
        let joined = rng.date("1950-01-01", "2024-12-31");
        let mut m = Member::new(
            &format!("M{:02}", rng.below(100) * 10 + i),
            rng.pick(NAMES),
            joined,
        );
        m.birth_date = Some(if rng.chance(15) {
            rng.pick(&[d("1952-02-29"), d("1956-02-29"), d("1956-03-01")])
        } else {
            rng.date("1930-01-01", "1995-12-31")
        });
        if rng.chance(80) {
            m.registered_on = Some(rng.date("2015-01-01", "2026-06-30"));
        }
        m.status = if rng.chance(85) {
            MemberStatus::Active
        } else {
            rng.pick(&[MemberStatus::TransferredOut, MemberStatus::Deceased])
        };
        if rng.chance(35) {
            m.honorary = true;
            if rng.chance(70) {
                m.honorary_since = Some(rng.date("2020-01-01", "2026-12-31"));
            }
        }
        if rng.chance(35) {
            m.mobile = true;
            if rng.chance(70) {
                m.mobile_since = Some(rng.date("2020-01-01", "2026-12-31"));
            }
        }
        m.chronic_ill = rng.chance(20);
        m.low_income = rng.chance(20);
        m.living_alone = rng.chance(20);
        m.disabled = rng.chance(20);
        let (id, _) = db::members::save(conn, &m).unwrap();
        sc.members.push(PMember { id, m });
    }
    // Sometimes spread the ids out, so the sparse id map is exercised too.
    if rng.chance(25) {
        for pm in &mut sc.members {
            let new = pm.id * 1_000_003;
            conn.execute("UPDATE members SET id = ?1 WHERE id = ?2", [new, pm.id])
                .unwrap();
            pm.id = new;
        }
    }
    let ids: Vec<i64> = sc.members.iter().map(|m| m.id).collect();
    let (lo, hi) = ("2023-06-01", "2027-06-30");
    for _ in 0..rng.below(4 * n + 1) {
        let (m, date) = (rng.pick(&ids), rng.date(lo, hi));
        talk(conn, m, &date.to_string());
        sc.talks.push((m, date));
    }
    for _ in 0..rng.below(5 * n + 1) {
        let (m, date, kind) = (rng.pick(&ids), rng.date(lo, hi), rng.pick(VisitKind::ALL));
        visit(conn, m, &date.to_string(), kind);
        sc.visits.push((m, date, kind));
    }
    for _ in 0..rng.below(3 * n + 1) {
        let (m, date, kind) = (rng.pick(&ids), rng.date(lo, hi), rng.pick(EventKind::ALL));
        event(conn, m, &date.to_string(), kind);
        sc.events.push((m, date, kind));
    }
    for i in 0..rng.below(4) {
        let from = rng.date("2024-01-01", "2026-12-31");
        let to = from + Duration::days(rng.below(40) as i64);
        let mut targets: Vec<CampaignTarget> = CampaignTarget::ALL
            .iter()
            .copied()
            .filter(|_| rng.chance(25))
            .collect();
        if targets.is_empty() {
            targets.push(rng.pick(CampaignTarget::ALL));
        }
        let name = rng
            .pick(&["春节走访", "七一走访", "中秋走访", "重阳"])
            .to_string()
            + &i.to_string();
        let c = Campaign {
            id: 0,
            name,
            from,
            to,
            targets,
        };
        db::records::insert_campaign(conn, &c).unwrap();
        sc.campaigns.push(c);
    }
    for (year, &m) in ids.iter().enumerate() {
        for k in 0..rng.below(3) {
            let state = rng.pick(CaseState::ALL);
            let approved_on = rng.chance(85).then(|| rng.date("2023-01-01", "2026-12-31"));
            let id = case(
                conn,
                m,
                2000 + year as i32 * 3 + k as i32,
                state,
                approved_on.map(|a| a.to_string()).as_deref(),
            );
            let mut reviews = Vec::new();
            for _ in 0..rng.below(3) {
                let r = rng.date("2023-06-01", "2027-06-30");
                review(conn, id, &r.to_string());
                reviews.push(r);
            }
            sc.cases.push(PCase {
                member_id: m,
                state,
                approved_on,
                reviews,
            });
        }
    }
    if rng.chance(40) {
        conn.execute(
            "INSERT INTO fund_entries (date, direction, category, amount_fen, voucher_no, prev_hash, hash)
             VALUES ('2020-01-01', 'in', 'fiscal', 100000000, 'CZ-START', '', '')",
            [],
        )
        .unwrap();
        for _ in 0..1 + rng.below(3) {
            let m = rng.pick(&ids);
            let loan_date = rng.date("2024-01-01", "2026-12-31");
            let l = loan(conn, m, &loan_date.to_string());
            for _ in 0..1 + rng.below(4) {
                let due = rng.date("2024-01-01", "2027-06-30");
                let paid_on = rng.chance(50).then(|| rng.date("2024-01-01", "2027-06-30"));
                instalment(
                    conn,
                    l,
                    &due.to_string(),
                    paid_on.map(|p| p.to_string()).as_deref(),
                );
                sc.instalments.push(PInstalment {
                    member_id: m,
                    loan_date,
                    due,
                    paid_on,
                });
            }
        }
    }
    sc
}

type Key = (i64, Vec<u8>, String, String, NaiveDate);

fn k(x: &Key) -> SortKey<'_> {
    SortKey {
        days_overdue: x.0,
        name_key: &x.1,
        code: &x.2,
        member_code: &x.3,
        due: x.4,
    }
}

/// One expected row: (member id, obligation code, due, state).
type Expect = (i64, String, NaiveDate, State);

fn add(due: NaiveDate, n: i64) -> NaiveDate {
    due + Duration::days(n)
}

/// Whole years like an age; a 29 February anniversary is 1 March in other years.
fn naive_years(from: NaiveDate, on: NaiveDate) -> i32 {
    let anniversary = |y: i32| {
        NaiveDate::from_ymd_opt(y, from.month(), from.day())
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 3, 1).unwrap())
    };
    let mut n = on.year() - from.year();
    if on < anniversary(on.year()) {
        n -= 1;
    }
    n
}

/// DOMAIN.md read literally, scanning every record (no caches, no max() trick:
/// records before the anchor are dropped explicitly).
fn naive(sc: &Scenario, s: &Settings, day: NaiveDate) -> Vec<Expect> {
    let mut out = Vec::new();
    let state = |due: NaiveDate, satisfied: bool| {
        if satisfied {
            State::Satisfied
        } else if due < day {
            State::Overdue
        } else if due <= add(day, s.due_soon_days) {
            State::DueSoon
        } else {
            State::NotDue
        }
    };
    for pm in &sc.members {
        let (id, m) = (pm.id, &pm.m);
        if m.status != MemberStatus::Active {
            continue;
        }
        let talks: Vec<NaiveDate> = sc
            .talks
            .iter()
            .filter(|t| t.0 == id && t.1 <= day)
            .map(|t| t.1)
            .collect();
        let visits = |pred: &dyn Fn(VisitKind) -> bool| -> Vec<NaiveDate> {
            sc.visits
                .iter()
                .filter(|v| v.0 == id && v.1 <= day && pred(v.2))
                .map(|v| v.1)
                .collect()
        };
        let in_person = visits(&|k| {
            matches!(
                k,
                VisitKind::Home | VisitKind::Hospital | VisitKind::Holiday
            )
        });
        let health = visits(&|k| k == VisitKind::HealthCheck);
        let mut contact = visits(&|k| k != VisitKind::HealthCheck);
        contact.extend(&talks);
        let interval = |anchor: NaiveDate, records: &[NaiveDate], n: i64| {
            let counted = records.iter().filter(|&&r| r >= anchor).max();
            add(*counted.unwrap_or(&anchor), n)
        };
        let mut push = |code: String, due: NaiveDate, st: State| out.push((id, code, due, st));
        let reg = m.registered_on.unwrap_or(m.joined_on);
        let due = interval(reg, &talks, s.annual_talk_days);
        push("annual_talk".into(), due, state(due, false));
        let live: Vec<&PCase> = sc
            .cases
            .iter()
            .filter(|c| {
                c.member_id == id && matches!(c.state, CaseState::Approved | CaseState::Active)
            })
            .collect();
        if let Some(a) = live
            .iter()
            .filter_map(|c| c.approved_on)
            .filter(|&a| a <= day)
            .max()
        {
            let due = interval(a, &in_person, s.hardship_visit_days);
            push("hardship_visit".into(), due, state(due, false));
        }
        if m.honorary {
            let a = m.honorary_since.unwrap_or(reg);
            let due = interval(a, &in_person, s.honorary_visit_days);
            push("honorary_visit".into(), due, state(due, false));
            let due = interval(a, &health, s.honorary_health_check_days);
            push("honorary_health_check".into(), due, state(due, false));
        }
        if m.mobile {
            let a = m.mobile_since.unwrap_or(reg);
            let due = interval(a, &contact, s.mobile_contact_days);
            push("mobile_contact".into(), due, state(due, false));
        }
        for &(_, date, kind) in sc.events.iter().filter(|e| e.0 == id && e.1 <= day) {
            if kind.obliges_talk() {
                let due = add(date, s.event_talk_days);
                let ok = talks.iter().any(|&t| t >= date);
                push(format!("event_talk:{}", kind.code()), due, state(due, ok));
            }
            if kind.obliges_visit() {
                let due = add(date, s.event_visit_days);
                let ok = in_person.iter().any(|&v| v >= date);
                push(format!("event_visit:{}", kind.code()), due, state(due, ok));
            }
        }
        for c in sc.campaigns.iter().filter(|c| c.from <= day) {
            let on = c.from;
            let in_group = |t: CampaignTarget| match t {
                CampaignTarget::All => true,
                CampaignTarget::Old => {
                    m.birth_date
                        .is_some_and(|b| naive_years(b, on) >= s.old_age)
                        || naive_years(m.joined_on, on) >= s.old_standing
                }
                CampaignTarget::Hardship => {
                    live.iter().any(|c| c.approved_on.is_some_and(|a| a <= on))
                }
                CampaignTarget::Honorary => m.honorary && m.honorary_since.unwrap_or(reg) <= on,
                CampaignTarget::ChronicIll => m.chronic_ill,
                CampaignTarget::LowIncome => m.low_income,
                CampaignTarget::LivingAlone => m.living_alone,
                CampaignTarget::Disabled => m.disabled,
            };
            if reg > on || !c.targets.iter().any(|&t| in_group(t)) {
                continue;
            }
            let end = c.to.min(day);
            let ok = in_person.iter().any(|&v| v >= c.from && v <= end);
            push(format!("campaign:{}", c.name), c.to, state(c.to, ok));
        }
        for c in &live {
            if c.approved_on.is_some_and(|a| a > day) {
                continue;
            }
            let last = c.reviews.iter().filter(|&&r| r <= day).max().copied();
            let Some(base) = last.or(c.approved_on) else {
                continue;
            };
            let due = add(base, s.hardship_review_days);
            push("hardship_review".into(), due, state(due, false));
        }
        for i in sc.instalments.iter().filter(|i| i.member_id == id) {
            if i.loan_date <= day && i.paid_on.is_none_or(|p| p > day) {
                push("loan_instalment".into(), i.due, state(i.due, false));
            }
        }
    }
    out
}

/// The pure engine fed with every record (latest dates computed by scanning).
fn engine_with_all_records(sc: &Scenario, s: &Settings, day: NaiveDate) -> Vec<Expect> {
    let started: Vec<Campaign> = sc.campaigns.clone();
    let ctx = Context::new(day, s, &started);
    let mut out = Vec::new();
    for pm in &sc.members {
        let id = pm.id;
        let mut latest = rules::Latest::default();
        sc.talks
            .iter()
            .filter(|t| t.0 == id && t.1 <= day)
            .for_each(|t| latest.add_talk(t.1));
        sc.visits
            .iter()
            .filter(|v| v.0 == id && v.1 <= day)
            .for_each(|v| latest.add_visit(v.2, v.1));
        let cases: Vec<LiveCase> = sc
            .cases
            .iter()
            .filter(|c| c.member_id == id && c.state.is_live())
            .map(|c| LiveCase {
                approved_on: c.approved_on,
                last_review: c.reviews.iter().filter(|&&r| r <= day).max().copied(),
            })
            .collect();
        let events: Vec<(NaiveDate, EventKind)> = sc
            .events
            .iter()
            .filter(|e| e.0 == id)
            .map(|e| (e.1, e.2))
            .collect();
        let visits: Vec<WindowVisit> = started
            .iter()
            .map(|c| {
                sc.visits
                    .iter()
                    .filter(|v| {
                        v.0 == id
                            && v.2.in_person()
                            && v.1 >= c.from
                            && v.1 <= rules::campaign_window_end(c, day)
                    })
                    .map(|v| v.1)
                    .max()
                    .map_or(WindowVisit::No, WindowVisit::On)
            })
            .collect();
        let instalments: Vec<NaiveDate> = sc
            .instalments
            .iter()
            .filter(|i| {
                i.member_id == id && i.loan_date <= day && i.paid_on.is_none_or(|p| p > day)
            })
            .map(|i| i.due)
            .collect();
        let m = &pm.m;
        let facts = MemberFacts {
            id,
            cases: &cases,
            latest,
            events: &events,
            campaign_visits: &visits,
            instalments: &instalments,
            ..MemberFacts::of_member(m)
        };
        for o in rules::obligations(&facts, &ctx) {
            out.push((id, o.kind.code(), o.due, o.state));
        }
    }
    out
}

fn listed(mut v: Vec<Expect>) -> Vec<Expect> {
    v.retain(|e| matches!(e.3, State::Overdue | State::DueSoon));
    v.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    v
}

/// For an overdue row: no satisfying record in the window it needed one.
fn check_window(sc: &Scenario, s: &Settings, day: NaiveDate, e: &Expect) {
    let (id, code, due, _) = e;
    let talks = || {
        sc.talks
            .iter()
            .filter(|t| t.0 == *id && t.1 <= day)
            .map(|t| t.1)
    };
    let in_person = || {
        sc.visits
            .iter()
            .filter(|v| v.0 == *id && v.1 <= day && v.2.in_person())
            .map(|v| v.1)
    };
    let none_after = |it: &mut dyn Iterator<Item = NaiveDate>, after: NaiveDate| {
        for r in it {
            assert!(r <= after, "{e:?} has a satisfying record after {after}");
        }
    };
    let interval = |n: i64| add(*due, -n);
    match code.as_str() {
        "annual_talk" => none_after(&mut talks(), interval(s.annual_talk_days)),
        "hardship_visit" => none_after(&mut in_person(), interval(s.hardship_visit_days)),
        "honorary_visit" => none_after(&mut in_person(), interval(s.honorary_visit_days)),
        c if c.starts_with("event_talk:") => {
            none_after(&mut talks(), add(interval(s.event_talk_days), -1))
        }
        c if c.starts_with("event_visit:") => {
            none_after(&mut in_person(), add(interval(s.event_visit_days), -1))
        }
        c if c.starts_with("campaign:") => {
            let camp = sc
                .campaigns
                .iter()
                .find(|x| format!("campaign:{}", x.name) == *c)
                .unwrap();
            assert!(
                in_person().all(|v| v < camp.from || v > camp.to),
                "{e:?} was visited in its window"
            );
        }
        _ => {}
    }
}

#[test]
fn property_fast_path_equals_naive_and_engine() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for scenario in 0..300 {
        let mut conn = db::open_in_memory().unwrap();
        let mut s = Settings::default();
        if rng.chance(40) {
            s.annual_talk_days = 30 + rng.below(400) as i64;
            s.hardship_visit_days = 10 + rng.below(120) as i64;
            s.honorary_visit_days = 10 + rng.below(200) as i64;
            s.mobile_contact_days = 10 + rng.below(120) as i64;
            s.event_talk_days = rng.below(30) as i64;
            s.event_visit_days = rng.below(30) as i64;
            s.due_soon_days = rng.below(30) as i64;
            s.old_age = 60 + rng.below(20) as i32;
            s.old_standing = 30 + rng.below(30) as i32;
        }
        let sc = generate(&mut rng, &mut conn, &s);
        let day = rng.date("2024-01-01", "2027-03-31");
        let settings = db::settings::load(&conn).unwrap();
        assert_eq!(settings, s);

        let want = listed(naive(&sc, &s, day));
        assert_eq!(
            listed(engine_with_all_records(&sc, &s, day)),
            want,
            "scenario {scenario}: engine fed with every record"
        );
        // the same database in a file, for the two-thread path
        let (_dir, file) = file_copy(&conn);
        for fb in [Fallback::Auto, Fallback::PerMember, Fallback::Bulk] {
            let report =
                obligations::compute_with(&conn, day, &s, Which::Both, fb, Parallel::Never)
                    .unwrap();
            let two = obligations::compute_with(&file, day, &s, Which::Both, fb, Parallel::Always)
                .unwrap();
            assert_same_report(&report, &two, &format!("scenario {scenario} ({fb:?})"));
            let got: Vec<Expect> = report
                .iter()
                .map(|r| (r.member_id, r.kind.code(), r.due, r.state))
                .collect();
            // the list order is the DOMAIN.md order
            let codes: HashMap<i64, (String, String)> = sc
                .members
                .iter()
                .map(|m| (m.id, (m.m.code.clone(), m.m.name.clone())))
                .collect();
            let keys: Vec<Key> = got
                .iter()
                .map(|g| {
                    let (code, name) = &codes[&g.0];
                    let days = (day - g.2).num_days();
                    (days, pinyin::sort_key(name), g.1.clone(), code.clone(), g.2)
                })
                .collect();
            for w in keys.windows(2) {
                assert_ne!(
                    rules::compare(&k(&w[0]), &k(&w[1])),
                    std::cmp::Ordering::Greater,
                    "scenario {scenario}: out of order"
                );
            }
            for r in report.iter() {
                assert_eq!(r.days_overdue, (day - r.due).num_days());
                assert_eq!(r.member_code, codes[&r.member_id].0);
                assert_eq!(r.name, codes[&r.member_id].1);
            }
            assert_eq!(listed(got), want, "scenario {scenario} ({fb:?}) on {day}");
        }
        for e in want.iter().filter(|e| e.3 == State::Overdue) {
            check_window(&sc, &s, day, e);
        }
        // the member detail agrees with the list
        for pm in &sc.members {
            let mine: Vec<Expect> = obligations::member_obligations(&conn, pm.id, day, &s)
                .unwrap()
                .into_iter()
                .map(|o| (pm.id, o.kind.code(), o.due, o.state))
                .collect();
            let expect: Vec<Expect> = want.iter().filter(|e| e.0 == pm.id).cloned().collect();
            assert_eq!(
                listed(mine),
                expect,
                "scenario {scenario}: member {}",
                pm.id
            );
        }
    }
}

fn on_fixture_day(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("GUANHUAI_TODAY", "2026-06-30")
        .output()
        .unwrap()
}

/// `campaign list` and `campaign unvisited` on D = 2026-06-30: the counts of
/// the fixture's comments (春节 targets the eight active members registered by
/// 02-03, of whom 001 and 007 were visited in person in the window; 七一 the
/// old 003, 004, 008 and the hardship case of 005), and who is left, in
/// pinyin order, on the terminal and in a file; a visit recorded takes its
/// member off the list.
#[test]
fn campaign_list_and_unvisited_on_the_fixture() {
    let (dir, path) = fixture_db();
    let conn = db::open(&path).unwrap();
    conn.execute(
        "UPDATE members SET phone = '13800000005' WHERE code = '005'",
        [],
    )
    .unwrap();
    let out = on_fixture_day(&path, &["campaign", "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "集中走访慰问活动（截至 2026-06-30）\n\
         名称      开始日期    结束日期    状态    对象  已访  未访  走访对象\n\
         中秋走访  2026-09-10  2026-09-25  未开始     —     —     —  全体党员\n\
         七一走访  2026-06-15  2026-07-01  进行中     4     0     4  困难党员、老党员\n\
         敬老走访  2026-03-01  2026-03-15  已结束     2     0     2  老党员\n\
         春节走访  2026-02-03  2026-02-16  已结束     8     2     6  全体党员\n"
    );

    let out = on_fixture_day(&path, &["campaign", "unvisited", "春节走访"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "春节走访 未走访名单（截至 2026-06-30）\n\
         编号  姓名             手机\n\
         008   阿依古丽·买买提\n\
         005   钱七             13800000005\n\
         003   王五\n\
         002   詹天佑\n\
         010   张三\n\
         004   赵六\n\
         共 6 人未走访（对象 8 人，已访 2 人）\n"
    );

    let file = dir.path().join("春节未访.csv");
    let out = on_fixture_day(
        &path,
        &["campaign", "unvisited", "春节走访", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "编号,姓名,手机\n008,阿依古丽·买买提,\n005,钱七,13800000005\n003,王五,\n\
         002,詹天佑,\n010,张三,\n004,赵六,\n"
    );
    let xlsx = dir.path().join("春节未访.xlsx");
    let out = on_fixture_day(
        &path,
        &[
            "--lang",
            "en",
            "campaign",
            "unvisited",
            "春节走访",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("exported 6 members not yet visited to {}\n", xlsx.display())
    );

    // a home visit to 003 inside the window counts for 春节 (and only for it)
    visit(&conn, 3, "2026-02-10", VisitKind::Home);
    let out = on_fixture_day(
        &path,
        &["--lang", "en", "campaign", "unvisited", "春节走访"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("王五"), "{text}");
    assert!(
        text.ends_with("5 not yet visited (8 targeted, 3 visited)\n"),
        "{text}"
    );
    let out = on_fixture_day(&path, &["campaign", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("春节走访  2026-02-03  2026-02-16  已结束     8     3     5"),
        "{text}"
    );
}

/// A name that is no campaign, a file of no known type, a database that is
/// not there: exit 1, the reason on stderr, nothing written or created.
#[test]
fn campaign_unvisited_refusals() {
    let (dir, path) = fixture_db();
    let out = on_fixture_day(&path, &["campaign", "unvisited", "国庆走访"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("没有名为“国庆走访”的活动；现有活动：中秋走访、七一走访、敬老走访、春节走访"),
        "{err}"
    );
    let txt = dir.path().join("list.txt");
    let out = on_fixture_day(
        &path,
        &["campaign", "unvisited", "春节走访", txt.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!txt.exists());
    let missing = dir.path().join("none.sqlite");
    for args in [
        &["campaign", "list"][..],
        &["campaign", "unvisited", "春节走访"],
    ] {
        let out = on_fixture_day(&missing, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(!missing.exists());
    }
    let out = on_fixture_day(&path, &["campaign", "unvisited"]);
    assert_eq!(out.status.code(), Some(2));
}
