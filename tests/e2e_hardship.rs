//! End to end: the hardship ledger in an 80x24 pseudo-terminal, the way a
//! clerk works it — a case for a member found by initials, taken through
//! 民主评议, 公示, 逐级申报 and 审核通过; the member then owes a hardship visit
//! on the Overview, and the visit recorded from the case clears it.

mod common;

use common::pty::{Key, Pty, TIMEOUT, framed};
use guanhuai::db;
use guanhuai::domain::member::Member;

fn must(r: Result<(), String>) {
    if let Err(e) = r {
        panic!("{e}");
    }
}

/// Ctrl-E then Ctrl-U: the field emptied, to type a date over it.
const CLEAR: &str = "\x05\x15";

/// Three members, no case, no visit.
fn branch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e2e.sqlite");
    let mut conn = db::open(&path).unwrap();
    for (code, name) in [("001", "张三丰"), ("002", "李四"), ("003", "王五")] {
        let mut m = Member::new(code, name, common::screen::d("2000-07-01"));
        m.registered_on = Some(common::screen::d("2020-01-01"));
        m.birth_date = Some(common::screen::d("1960-01-01"));
        db::members::save(&mut conn, &m).unwrap();
    }
    (dir, path)
}

/// True when a line of `screen` names 张三丰 and the hardship visit.
fn owes_visit(screen: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains("张三丰") && l.contains("困难党员走访"))
}

/// One step from the detail: F5, its number in the menu, then `fill`, then F9.
fn step(p: &mut Pty, pick: &str, form_title: &str, fill: &[&str]) {
    p.send_key(Key::F(5));
    must(p.wait_for("办理："));
    p.send(pick);
    must(p.wait_for(form_title));
    for s in fill {
        match *s {
            "\t" => p.send_key(Key::Tab),
            "\x1b[Z" => p.send_key(Key::BackTab),
            s => p.send(s),
        }
    }
    p.send_key(Key::F(9));
}

#[test]
fn a_case_through_the_workflow_then_its_visit_from_the_case() {
    let (_dir, path) = branch();
    let mut p = Pty::spawn(&["--db", path.to_str().unwrap()], &[]);
    must(p.wait_for("总览"));
    p.send("3");
    must(p.wait_for("困难党员台账"));
    must(p.wait_for("没有符合条件的台账"));

    // A new case: the member by the initials of the name.
    p.send_key(Key::F(2));
    must(p.wait_for("新建困难台账"));
    p.send("zsf");
    must(p.wait_for("001 张三丰"));
    p.send_key(Key::Enter);
    p.send_key(Key::Tab);
    p.send(CLEAR);
    p.send("2026-07-01");
    p.send_key(Key::Tab);
    p.send(" ");
    p.send_key(Key::F(9));
    must(p.wait_for("已建立困难台账：张三丰（001）2026 年度"));
    must(p.wait_for("待民主评议"));

    // The detail, then each step in its form.
    p.send_key(Key::Enter);
    must(p.wait_for("可办理：民主评议 · 驳回 · 终止"));
    step(
        &mut p,
        "1",
        "登记「民主评议」",
        &["9", "\x1b[Z", CLEAR, "2026-07-05"],
    );
    must(p.wait_for("可办理：公示 · 驳回 · 终止"));
    step(
        &mut p,
        "1",
        "登记「公示」",
        &[CLEAR, "2026-07-06", "\t", CLEAR, "2026-07-12"],
    );
    must(p.wait_for("可办理：逐级申报 · 驳回 · 终止"));
    step(
        &mut p,
        "1",
        "登记「逐级申报」",
        &[CLEAR, "2026-07-13", "\t", "街道党工委"],
    );
    must(p.wait_for("可办理：审核通过 · 驳回 · 终止"));
    step(&mut p, "1", "登记「审核通过」", &[CLEAR, "2026-07-20"]);
    must(p.wait_for("可办理：帮扶中 · 终止"));
    let screen = p.screen_text();
    for want in [
        "2026-07-05 民主评议",
        "赞成 9 反对 0 弃权 0",
        "公示 2026-07-06 至 2026-07-12",
        "报 街道党工委",
        "2026-07-20 审核通过",
    ] {
        assert!(screen.contains(want), "{want}:\n{}", framed(&screen));
    }

    // Approved in the list; the Overview owes its visit (due 90 days on).
    p.send_key(Key::Esc);
    must(p.wait_for("年审 2027-07-20"));
    assert!(p.screen_text().contains("审核通过"));
    p.send("1");
    must(p.wait_until("the hardship visit owed", TIMEOUT, owes_visit));

    // The visit from the case clears it.
    p.send("3");
    must(p.wait_for("困难党员台账"));
    p.send_key(Key::Enter);
    must(p.wait_for("可办理：帮扶中 · 终止"));
    p.send("v");
    must(p.wait_for("登记走访慰问"));
    must(p.wait_for("困难党员走访"));
    p.send("王委员");
    p.send_key(Key::F(9));
    must(p.wait_for("已登记走访：张三丰（001）"));
    p.send("1");
    must(p.wait_until("the visit no longer owed", TIMEOUT, |s| {
        s.contains("总览") && !owes_visit(s)
    }));
    p.send("q");
    let st = p.wait_exit(TIMEOUT).expect("the program exits");
    assert_eq!(st.code(), Some(0));
}
