//! `guanhuai export survey --round NAME FILE`: a round's responses written
//! out; a name that is not a round exits 1 listing the rounds there are.

mod common;

use std::process::Command;

use common::screen::d;
use guanhuai::db;
use guanhuai::domain::member::Member;
use guanhuai::domain::survey::Answers;
use guanhuai::domain::vocab::{Health, Ideology, Need};

fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("GUANHUAI_TODAY", "2026-11-28")
        .output()
        .unwrap()
}

#[test]
fn export_survey_writes_the_round_and_names_the_rounds_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut conn = db::open(&path).unwrap();
    let m = db::members::save(&mut conn, &Member::new("001", "张三", d("2000-07-01")))
        .unwrap()
        .0;
    let today = d("2026-11-28");
    let round =
        db::survey::create_round(&mut conn, "2026年度党员需求调查", 2026, today, today).unwrap();
    let a = Answers {
        date: today,
        surveyor: "王委员".into(),
        ideology: Ideology::Fluctuating,
        health: Health::Fair,
        needs: vec![Need::Medical, Need::Financial],
        work_expectations: String::new(),
        opinions: String::new(),
        follow_up: true,
        follow_up_note: "上门了解".into(),
    };
    db::survey::save_response(&mut conn, round, m, &a, None, today).unwrap();
    drop(conn);

    let csv = dir.path().join("s.csv");
    let out = run(
        &path,
        &[
            "export",
            "survey",
            "--round",
            "2026年度党员需求调查",
            csv.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("编号,姓名,调查日期,调查人,思想状况,健康状况,需求,医疗"));
    assert_eq!(
        lines[1],
        "001,张三,2026-11-28,王委员,波动,一般,医疗、经济困难,是,否,否,否,否,否,否,否,是,否,,,是,上门了解"
    );

    let out = run(&path, &["export", "survey", "--round", "2025", "x.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("没有名为“2025”的调查；现有调查：2026年度党员需求调查"),
        "{err}"
    );
    let out = run(&path, &["export", "survey", "x.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("请用 --round 指定调查名称"));
    assert!(!dir.path().join("x.csv").exists());
}
