//! `guanhuai stats` against a roster small enough to count by hand: ten
//! members, their records, hardship cases, fund entries with a reversal and a
//! loan, two survey rounds and honours. Every expected number below is
//! written out from the comments (counted by hand from DOMAIN.md and the
//! definitions in `domain::stats`), never computed by the code under test.
//! Also: the table's alignment, `--lang en`, `--xlsx`, and the exit statuses.

mod common;

#[path = "stats/fixture.rs"]
mod fixture;

use std::process::Output;

use common::Workdir;
use fixture::build;
use serde_json::{Value, json};

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
            "annual_talk": {"applicable": 8, "satisfied": 6, "pending": 0, "overdue": 2, "rate": 0.75},
            "hardship_visit": {"applicable": 1, "satisfied": 0, "pending": 0, "overdue": 1, "rate": 0.0},
            "honorary_visit": {"applicable": 1, "satisfied": 1, "pending": 0, "overdue": 0, "rate": 1.0},
            "honorary_health_check": {"applicable": 1, "satisfied": 1, "pending": 0, "overdue": 0, "rate": 1.0},
            "mobile_contact": {"applicable": 1, "satisfied": 0, "pending": 0, "overdue": 1, "rate": 0.0},
            "event_talk": {"applicable": 1, "satisfied": 1, "pending": 0, "overdue": 0, "rate": 1.0},
            "event_visit": {"applicable": 0, "satisfied": 0, "pending": 0, "overdue": 0, "rate": null},
            "campaign": {"applicable": 0, "satisfied": 0, "pending": 0, "overdue": 0, "rate": null},
            "hardship_review": {"applicable": 1, "satisfied": 1, "pending": 0, "overdue": 0, "rate": 1.0},
            // one instalment unpaid and overdue, one unpaid and not yet due:
            // pending, so neither done nor overdue, and left out of the rate
            "loan_instalment": {"applicable": 2, "satisfied": 0, "pending": 1, "overdue": 1, "rate": 0.0}
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

/// An obligation owed once (the talk 003's job change of 2026-06-01 calls
/// for, due 2026-06-16) and not yet done before its due date is pending:
/// neither done nor overdue, and outside the rate.
#[test]
fn an_event_talk_not_yet_due_is_pending_not_done() {
    let w = fixture();
    let got = json_of(&w, "2026-06-10");
    assert_eq!(
        got["completion_by_rule"]["event_talk"],
        json!({"applicable": 1, "satisfied": 0, "pending": 1, "overdue": 0, "rate": null})
    );
    let table = run(&w, &["stats", "--as-of", "2026-06-10"]);
    let text = String::from_utf8_lossy(&table.stdout);
    let pending = text
        .lines()
        .find(|l| l.contains("未到期：必谈"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(pending.trim_end().ends_with(" 1"), "{pending}");
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
        .map(unicode_width::UnicodeWidthStr::width)
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
