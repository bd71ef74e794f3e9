//! End to end: the member-needs survey in an 80x24 pseudo-terminal, the way
//! a clerk types in a stack of paper forms — three responses in a row, each
//! save opening the next member; the third names 经济困难 and opens a
//! hardship application for the member from the form; the round's progress
//! then shows three more.

mod common;

use common::pty::{Key, Pty};
use guanhuai::db;
use guanhuai::domain::member::Member;

fn must(r: Result<(), String>) {
    if let Err(e) = r {
        panic!("{e}");
    }
}

/// Four members and an open round with nobody answered.
fn branch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e2e.sqlite");
    let mut conn = db::open(&path).unwrap();
    for (code, name) in [
        ("001", "张三丰"),
        ("002", "李四"),
        ("003", "王五"),
        ("004", "阿依古丽·买买提"),
    ] {
        let mut m = Member::new(code, name, common::screen::d("2000-07-01"));
        m.registered_on = Some(common::screen::d("2026-06-01"));
        db::members::save(&mut conn, &m).unwrap();
    }
    let today = common::screen::d(common::pty::TODAY);
    db::survey::create_round(
        &mut conn,
        "2026年度党员需求调查",
        2026,
        common::screen::d("2026-11-01"),
        today,
    )
    .unwrap();
    (dir, path)
}

#[test]
fn three_responses_in_a_row_one_opening_a_hardship_case() {
    let (_dir, path) = branch();
    let mut p = Pty::spawn(&["--db", path.to_str().unwrap()], &[]);
    must(p.wait_for("总览"));
    p.send("6");
    must(p.wait_for("已登记 0 / 在册党员 4（0%）"));

    // Roster order: 阿依古丽·买买提, 李四, 王五, 张三丰. The surveyor is typed once.
    p.send_key(Key::Enter);
    must(p.wait_for("004 阿依古丽·买买提"));
    p.send("11");
    for _ in 0..3 {
        p.send_key(Key::Enter);
    }
    p.send("王委员");
    p.send_key(Key::F(9));
    must(p.wait_for("已保存：004 阿依古丽·买买提；下一位 002 李四"));

    // The second: ideology 波动, health 一般, needs 医疗; the surveyor carried over.
    p.send("221");
    p.send_key(Key::F(9));
    must(p.wait_for("已保存：002 李四；下一位 003 王五"));

    // The third: need 经济困难 (9), then F7 opens the application, prefilled.
    p.send("139");
    p.send_key(Key::F(7));
    must(p.wait_for("新建困难台账"));
    must(p.wait_for("003 王五"));
    p.send_key(Key::F(9));
    must(p.wait_for("已建立困难台账：王五（003）2026 年度"));
    // Back on the form: save it.
    p.send_key(Key::F(9));
    must(p.wait_for("已保存：003 王五；下一位 001 张三丰"));
    p.send_key(Key::Esc);
    must(p.wait_for("已登记 3 / 在册党员 4（75%）"));
    must(p.wait_for("001 张三丰"));

    let conn = db::open(&path).unwrap();
    let cases: i64 = conn
        .query_row(
            "SELECT count(*) FROM hardship_cases c JOIN members m ON m.id = c.member_id
             JOIN hardship_case_categories k ON k.case_id = c.id
             WHERE m.code = '003' AND k.category = 'living'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(-1);
    assert_eq!(cases, 1);
    p.send_key(Key::F(10));
}
