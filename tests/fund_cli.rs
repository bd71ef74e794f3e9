//! The help fund on the command line, through the built binary:
//! `fund verify` on the intact demo and after each kind of tampering done
//! with SQL the way a person with the `sqlite3` shell would (drop the guard
//! trigger, then change the file); the guards refusing UPDATE and DELETE
//! while they are there; `notice fund`, `fund report`, `export fund`; and a
//! loan's overdue instalment in `overdue` until it is repaid.

mod common;

use std::process::Output;

use chrono::NaiveDate;
use common::{Workdir, dump};
use guanhuai::db;
use guanhuai::db::fund::{NewEntry, NewLoan};
use guanhuai::domain::vocab::Direction;
use rusqlite::Connection;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn run(w: &Workdir, args: &[&str]) -> Output {
    w.command(args).env("USER", "clerk1").output().unwrap()
}

fn ok(w: &Workdir, args: &[&str]) -> String {
    let out = run(w, args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    stdout(&out)
}

/// A workdir holding the demo (today 2026-11-28).
fn demo() -> Workdir {
    let w = Workdir::new();
    run_ok_demo(&w);
    w
}

fn run_ok_demo(w: &Workdir) {
    let out = run(w, &["demo"]);
    assert!(out.status.success(), "demo: {}", stderr(&out));
}

/// The file opened as another SQLite tool opens it: no guanhuai code, no
/// foreign keys, the statements run as typed.
fn sqlite3(w: &Workdir, sql: &str) {
    let c = Connection::open(&w.db).unwrap();
    c.execute_batch(sql).unwrap();
}

/// `fund verify`: (exit status, stdout, stderr).
fn verify(w: &Workdir) -> (i32, String, String) {
    let out = run(w, &["fund", "verify"]);
    (out.status.code().unwrap(), stdout(&out), stderr(&out))
}

/// The voucher and date of entry `id`, as stored.
fn voucher_date(w: &Workdir, id: i64) -> (String, String) {
    let c = Connection::open(&w.db).unwrap();
    c.query_row(
        "SELECT voucher_no, date FROM fund_entries WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The SQL of a trigger, to put it back after the change (a careful
/// tamperer leaves the guards as they were).
fn trigger_sql(w: &Workdir, name: &str) -> String {
    let c = Connection::open(&w.db).unwrap();
    c.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
        [name],
        |r| r.get::<_, String>(0),
    )
    .unwrap()
        + ";"
}

/// Runs `sql` with the update and delete guards of the fund dropped, then
/// puts them back.
fn behind_the_guards(w: &Workdir, sql: &str) {
    let upd = trigger_sql(w, "fund_entries_no_update");
    let del = trigger_sql(w, "fund_entries_no_delete");
    sqlite3(
        w,
        &format!(
            "DROP TRIGGER fund_entries_no_update; DROP TRIGGER fund_entries_no_delete;
             {sql}
             {upd}
             {del}"
        ),
    );
}

/// The first problem line `fund verify` printed.
fn first_problem(err: &str) -> &str {
    err.lines().nth(1).map(str::trim).unwrap_or("")
}

#[test]
fn the_intact_demo_fund_verifies() {
    let w = demo();
    let before = dump(&Connection::open(&w.db).unwrap());
    let (code, out, err) = verify(&w);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let c = Connection::open(&w.db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM fund_entries", [], |r| r.get(0))
        .unwrap();
    let head: String = c
        .query_row(
            "SELECT hash FROM fund_entries ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let balance = guanhuai::domain::money::format_money(db::fund::balance(&c).unwrap());
    assert_eq!(
        out,
        format!(
            "帮扶基金完整：账目 {n} 笔，余额 {balance}，审计 1 次，链头 {}\n",
            &head[..12]
        )
    );
    // it only reads
    assert_eq!(dump(&c), before);
    let en = run(&w, &["--lang", "en", "fund", "verify"]);
    assert!(stdout(&en).starts_with(&format!("fund intact: {n} entries, balance ")));
}

#[test]
fn update_and_delete_of_a_saved_entry_fail_while_the_guards_are_there() {
    let w = demo();
    let c = Connection::open(&w.db).unwrap();
    let before = dump(&c);
    let e = c
        .execute("UPDATE fund_entries SET amount_fen = 1 WHERE id = 3", [])
        .unwrap_err();
    assert!(e.to_string().contains("never edited"), "{e}");
    let e = c
        .execute("DELETE FROM fund_entries WHERE id = 3", [])
        .unwrap_err();
    assert!(e.to_string().contains("never deleted"), "{e}");
    let e = c
        .execute("UPDATE audits SET auditor = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("never edited"), "{e}");
    assert_eq!(dump(&c), before);
    assert_eq!(verify(&w).0, 0);
}

#[test]
fn a_changed_amount_is_found_and_the_dropped_guard_named() {
    let w = demo();
    let (v, d) = voucher_date(&w, 3);
    sqlite3(
        &w,
        "DROP TRIGGER fund_entries_no_update;
         UPDATE fund_entries SET amount_fen = amount_fen + 1 WHERE id = 3;",
    );
    let (code, out, err) = verify(&w);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.starts_with("错误：帮扶基金核验未通过：\n"), "{err}");
    assert_eq!(
        first_problem(&err),
        format!("第 3 条账目（凭证 {v}，{d}）：内容被改动")
    );
    // entry 3 is in the audited half year: the audit no longer adds up
    assert!(err.contains("第 1 次审计（"), "{err}");
    assert!(err.contains("收入 "), "{err}");
    assert!(
        err.contains("保护触发器被删除：fund_entries_no_update"),
        "{err}"
    );
    let en = run(&w, &["--lang", "en", "fund", "verify"]);
    assert!(
        stderr(&en).contains(&format!(
            "entry 3 (voucher {v}, {d}): its contents were changed"
        )),
        "{}",
        stderr(&en)
    );
}

#[test]
fn a_changed_date_is_found_with_the_guards_put_back() {
    let w = demo();
    let c = Connection::open(&w.db).unwrap();
    // the last entry before today's: after the audited period
    let id: i64 = c
        .query_row("SELECT max(id) - 1 FROM fund_entries", [], |r| r.get(0))
        .unwrap();
    let (v, _) = voucher_date(&w, id);
    behind_the_guards(
        &w,
        &format!("UPDATE fund_entries SET date = date(date, '-1 day') WHERE id = {id};"),
    );
    let (_, d) = voucher_date(&w, id);
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 {id} 条账目（凭证 {v}，{d}）：内容被改动")
    );
    assert!(!err.contains("保护触发器"), "{err}");
}

#[test]
fn a_deleted_entry_is_found_by_the_log_and_by_the_chain() {
    let w = demo();
    behind_the_guards(&w, "DELETE FROM fund_entries WHERE id = 5;");
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        "第 5 条账目：已被删除（操作日志记有这一条）"
    );
    // with the log's rows of it deleted too, the chain still breaks after it
    let (v, d) = voucher_date(&w, 6);
    sqlite3(
        &w,
        "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE tbl = 'fund_entries' AND record_id = 5;",
    );
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 6 条账目（凭证 {v}，{d}）：前一条被删除或顺序被改动")
    );
    assert!(
        err.contains("保护触发器被删除：audit_log_no_delete"),
        "{err}"
    );
}

#[test]
fn a_deleted_last_entry_is_found_by_the_log() {
    let w = demo();
    let c = Connection::open(&w.db).unwrap();
    let last: i64 = c
        .query_row("SELECT max(id) FROM fund_entries", [], |r| r.get(0))
        .unwrap();
    behind_the_guards(&w, &format!("DELETE FROM fund_entries WHERE id = {last};"));
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 {last} 条账目：已被删除（操作日志记有这一条）")
    );
}

#[test]
fn reordered_entries_are_found() {
    // two rows' ids swapped
    let w = demo();
    let (v4, d4) = voucher_date(&w, 4);
    behind_the_guards(
        &w,
        "UPDATE fund_entries SET id = -3 WHERE id = 3;
         UPDATE fund_entries SET id = 3 WHERE id = 4;
         UPDATE fund_entries SET id = 4 WHERE id = -3;",
    );
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 3 条账目（凭证 {v4}，{d4}）：前一条被删除或顺序被改动")
    );
    // two rows' dates and amounts swapped
    let w = demo();
    behind_the_guards(
        &w,
        "CREATE TEMP TABLE t AS SELECT id, date, amount_fen FROM fund_entries WHERE id IN (3, 4);
         UPDATE fund_entries SET
             date = (SELECT date FROM t WHERE t.id = 7 - fund_entries.id),
             amount_fen = (SELECT amount_fen FROM t WHERE t.id = 7 - fund_entries.id)
         WHERE id IN (3, 4);",
    );
    let (v3, d3) = voucher_date(&w, 3);
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 3 条账目（凭证 {v3}，{d3}）：内容被改动")
    );
}

#[test]
fn a_chain_recomputed_after_an_edit_is_found_by_the_log() {
    let w = demo();
    let c = Connection::open(&w.db).unwrap();
    let mut all = db::fund::entries(&c).unwrap();
    drop(c);
    // lower a payment and write every hash again, as guanhuai would have
    let k = all
        .iter()
        .position(|e| e.direction == Direction::Out && e.category == "health_check")
        .unwrap();
    all[k].amount_fen -= 10_000;
    let mut prev = guanhuai::domain::fund::GENESIS.to_string();
    let mut sql = String::new();
    for e in &mut all {
        e.prev_hash = prev.clone();
        e.hash = guanhuai::domain::fund::entry_hash(&prev, e);
        sql.push_str(&format!(
            "UPDATE fund_entries SET amount_fen = {}, prev_hash = '{}', hash = '{}' WHERE id = {};\n",
            e.amount_fen, e.prev_hash, e.hash, e.id
        ));
        prev = e.hash.clone();
    }
    behind_the_guards(&w, &sql);
    let id = all[k].id;
    let (v, d) = voucher_date(&w, id);
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert_eq!(
        first_problem(&err),
        format!("第 {id} 条账目（凭证 {v}，{d}）：内容被改动")
    );
}

#[test]
fn a_changed_audit_total_is_found() {
    let w = demo();
    sqlite3(
        &w,
        "DROP TRIGGER audits_no_update;
         UPDATE audits SET income_fen = income_fen + 100, closing_balance_fen = closing_balance_fen + 100;",
    );
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    let line = first_problem(&err);
    assert!(line.starts_with("第 1 次审计（"), "{err}");
    assert!(line.contains("的数字与账目不符：收入 ¥"), "{err}");
    assert!(line.contains("期末余额 ¥"), "{err}");
    assert!(err.contains("audits_no_update"), "{err}");

    // a category total changed, the guards put back
    let w = demo();
    let upd = trigger_sql(&w, "audit_totals_no_update");
    sqlite3(
        &w,
        &format!(
            "DROP TRIGGER audit_totals_no_update;
             UPDATE audit_totals SET amount_fen = amount_fen + 100 WHERE category = 'fiscal';
             {upd}"
        ),
    );
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert!(
        first_problem(&err).ends_with("分类合计与结账时不符"),
        "{err}"
    );
}

#[test]
fn a_balance_below_zero_on_a_day_is_reported() {
    let w = demo();
    behind_the_guards(
        &w,
        "UPDATE fund_entries SET amount_fen = 1 WHERE direction = 'in';",
    );
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1);
    assert!(err.contains("日终余额为 -¥"), "{err}");
    assert!(err.contains("，低于零"), "{err}");
}

#[test]
fn verify_refuses_a_missing_database_and_creates_nothing() {
    let w = Workdir::new();
    let (code, _, err) = verify(&w);
    assert_eq!(code, 1, "{err}");
    assert!(!w.db.exists());
}

#[test]
fn verify_on_an_empty_fund_says_so() {
    let w = Workdir::new();
    db::open(&w.db).unwrap();
    let (code, out, _) = verify(&w);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "帮扶基金完整：账目 0 笔，余额 ¥0.00，审计 0 次，链头 000000000000\n"
    );
}

/// Every member's full ID number and phone, to check no file shows one.
fn secrets(w: &Workdir) -> Vec<String> {
    let c = Connection::open(&w.db).unwrap();
    let mut s = c
        .prepare("SELECT id_number FROM members WHERE id_number <> '' UNION SELECT phone FROM members WHERE phone <> ''")
        .unwrap();
    s.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|v| v.len() >= 7)
        .collect()
}

#[test]
fn the_fund_notice_defaults_to_this_month_and_masks() {
    let w = demo();
    let p = w.path("公示.txt");
    let out = ok(&w, &["notice", "fund", p.to_str().unwrap()]);
    assert!(
        out.starts_with("已写入救助公示 ")
            && out.contains("2026-11-01 至 2026-11-28，1 笔，共 ¥1,000.00"),
        "{out}"
    );
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains("帮扶基金救助公示"));
    assert!(t.contains("救助期间：2026-11-01 至 2026-11-28\n"), "{t}");
    assert!(t.contains("序号  姓名"), "{t}");
    assert!(t.contains("救助金  1,000.00"), "{t}");
    assert!(t.contains("合计  1 人 1 笔"), "{t}");
    assert!(
        t.trim_end()
            .ends_with("经办人：          审核人：          日期：")
    );

    // a whole year: subsidies, condolence money, the loan; never a full ID
    let y = w.path("year.txt");
    let out = ok(
        &w,
        &[
            "notice",
            "fund",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-28",
            y.to_str().unwrap(),
        ],
    );
    assert!(out.contains("2026-01-01 至 2026-11-28"), "{out}");
    let t = std::fs::read_to_string(&y).unwrap();
    for what in [
        "生活补贴 2026-09",
        "生活补贴 2026-10",
        "慰问金",
        "无息借款",
        "救助金",
    ] {
        assert!(t.contains(what), "{what}: {t}");
    }
    // the goods entered twice and reversed are not payments to people
    assert!(!t.contains("慰问品"), "{t}");
    for s in secrets(&w) {
        assert!(!t.contains(&s), "{s} shown in full");
    }
    assert!(t.contains("**********"), "{t}");

    // XLSX: one sheet, title, the masked rows
    use calamine::Reader;
    let x = w.path("year.xlsx");
    ok(
        &w,
        &[
            "notice",
            "fund",
            "--from",
            "2026-01-01",
            x.to_str().unwrap(),
        ],
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&x).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["帮扶基金救助公示"]);
    let range = book.worksheet_range(&names[0]).unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    assert_eq!(cells[0], "帮扶基金救助公示");
    assert!(cells.iter().any(|c| c == "合计"));
    for s in secrets(&w) {
        assert!(!cells.contains(&s));
    }
}

#[test]
fn the_fund_notice_refuses_bad_files_and_periods() {
    let w = demo();
    let before = dump(&Connection::open(&w.db).unwrap());
    let out = run(&w, &["notice", "fund", w.path("n.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(".xlsx 或 .txt"), "{}", stderr(&out));
    let out = run(
        &w,
        &[
            "notice",
            "fund",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-01",
            "n.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(&w, &["notice", "fund", "--from", "2026-12-20", "n.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("晚于"), "{}", stderr(&out));
    let out = run(&w, &["notice", "fund", "--from", "2026-02-30", "n.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dump(&Connection::open(&w.db).unwrap()), before);
    assert!(!w.path("n.txt").exists());
}

#[test]
fn the_audit_report_is_written_as_text_and_xlsx() {
    let w = demo();
    let p = w.path("report.txt");
    let out = ok(&w, &["fund", "report", "--last", p.to_str().unwrap()]);
    assert!(
        out.contains("第 1 次审计，2025-12-01 至 2026-05-31"),
        "{out}"
    );
    let t = std::fs::read_to_string(&p).unwrap();
    let c = Connection::open(&w.db).unwrap();
    let a = db::fund::audits(&c).unwrap().remove(0);
    assert!(t.contains("帮扶基金审计报告"));
    assert!(
        t.contains("审计期间：2025-12-01 至 2026-05-31（第 1 次审计）"),
        "{t}"
    );
    let amount = guanhuai::interchange::fund_report::amount;
    assert!(
        t.contains(&format!("期初余额        {}", amount(a.opening_fen))),
        "{t}"
    );
    assert!(t.contains(&format!("期末余额        {}", amount(a.closing_fen))));
    assert!(t.contains("收入：财政补贴"), "{t}");
    assert!(t.contains("支出：无息借款"), "{t}");
    assert!(t.contains("与期末余额相符"), "{t}");
    assert!(t.contains("账目链完整"), "{t}");
    assert!(t.contains("赵会计（街道财政所）"));
    let joined: String = t.split_whitespace().collect();
    assert!(joined.contains(&a.chain_head), "{t}");
    assert!(
        t.trim_end()
            .ends_with("审计人：          经办人：          日期：")
    );
    // the default is the last; --audit 1 is the same
    let q = w.path("r1.txt");
    ok(&w, &["fund", "report", "--audit", "1", q.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&q).unwrap(), t);
    let x = w.path("report.xlsx");
    ok(&w, &["fund", "report", x.to_str().unwrap()]);
    assert!(x.exists());

    // after tampering, the report says the fund does not verify
    behind_the_guards(&w, "UPDATE fund_entries SET note = 'x' WHERE id = 2;");
    ok(&w, &["fund", "report", p.to_str().unwrap()]);
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains("未通过（见 guanhuai fund verify）"), "{t}");
}

#[test]
fn the_audit_report_refuses_what_is_not_there() {
    let w = demo();
    let out = run(&w, &["fund", "report", "--audit", "9", "r.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("没有第 9 次审计；已有：1（2025-12-01 至 2026-05-31）"),
        "{}",
        stderr(&out)
    );
    let out = run(&w, &["fund", "report", "--audit", "1", "--last", "r.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&w, &["fund", "report", "r.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    let e = Workdir::new();
    db::open(&e.db).unwrap();
    let out = run(&e, &["fund", "report", "r.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("还没有审计结账"), "{}", stderr(&out));
}

#[test]
fn export_fund_gives_every_field_and_import_fund_is_no_command() {
    let w = demo();
    let p = w.path("fund.csv");
    let out = ok(&w, &["export", "fund", p.to_str().unwrap()]);
    let c = Connection::open(&w.db).unwrap();
    let n = db::fund::entries(&c).unwrap().len();
    assert_eq!(out, format!("已导出 {n} 行到 {}\n", p.display()));
    let t = std::fs::read_to_string(&p).unwrap();
    let mut lines = t.lines();
    assert_eq!(
        lines.next().unwrap(),
        "日期,收支,类别,金额,编号,姓名,凭证号,经手人,审批人,备注,冲销凭证号,被冲销凭证号,生活补贴月份,借款编号,困难台账编号,帮扶措施编号,序号,前一哈希,哈希"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), n);
    // the reversal: income of the original's category, naming the voucher it reverses
    let rev = rows.iter().find(|r| !r[10].is_empty()).unwrap();
    assert_eq!(rev[1], "收入");
    assert_eq!(rev[2], "慰问品");
    let original = rows
        .iter()
        .find(|r| format!("{} {}", &r[0][..4], r[6]) == rev[10])
        .unwrap();
    assert_eq!(original[11], format!("{} {}", &rev[0][..4], rev[6]));
    assert!(rows.iter().any(|r| r[12] == "2026-10"));
    assert!(rows.iter().any(|r| r[2] == "无息借款" && !r[13].is_empty()));
    assert!(rows.iter().any(|r| r[2] == "借款归还" && !r[13].is_empty()));
    assert!(rows.iter().any(|r| !r[14].is_empty()));
    // the chain can be followed in the file
    assert_eq!(rows[0][16], "1");
    assert_eq!(rows[0][17], guanhuai::domain::fund::GENESIS);
    for pair in rows.windows(2) {
        assert_eq!(pair[1][17], pair[0][18]);
    }
    ok(
        &w,
        &["export", "fund", w.path("fund.xlsx").to_str().unwrap()],
    );

    let before = dump(&c);
    let out = run(&w, &["import", "fund", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'fund'"), "{}", stderr(&out));
    assert_eq!(dump(&c), before);
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn an_unpaid_instalment_is_overdue_until_repaid() {
    let w = Workdir::new();
    let members = w.write(
        "m.csv",
        "编号,姓名,性别,出生日期,入党日期\n001,张三,男,1950-03-15,1975-07-01\n".as_bytes(),
    );
    ok(&w, &["import", "members", members.to_str().unwrap()]);
    let mut c = db::open(&w.db).unwrap();
    let member: i64 = c
        .query_row("SELECT id FROM members WHERE code = '001'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let today = d("2026-11-28");
    db::fund::record(
        &mut c,
        &NewEntry {
            date: d("2026-01-05"),
            direction: Direction::In,
            category: "fiscal".into(),
            amount_fen: 1_000_000,
            ..NewEntry::default()
        },
        today,
        "test",
    )
    .unwrap();
    let (loan, _) = db::fund::open_loan(
        &mut c,
        &NewLoan {
            member_id: member,
            case_id: None,
            principal_fen: 300_000,
            date: d("2026-06-01"),
            first_due: d("2026-07-01"),
            instalments: 3,
            every_months: 1,
            voucher_no: String::new(),
            handled_by: "王委员".into(),
            approved_by: "李书记".into(),
            note: String::new(),
        },
        today,
    )
    .unwrap();
    let overdue = |w: &Workdir, on: &str| -> Vec<String> {
        ok(w, &["overdue", "--as-of", on, "--format", "csv"])
            .lines()
            .filter(|l| l.contains("loan_instalment"))
            .map(String::from)
            .collect()
    };
    assert_eq!(overdue(&w, "2026-07-01"), Vec::<String>::new());
    assert_eq!(
        overdue(&w, "2026-07-02"),
        ["001,张三,loan_instalment,2026-07-01,1"]
    );
    assert_eq!(
        overdue(&w, "2026-08-10"),
        [
            "001,张三,loan_instalment,2026-07-01,40",
            "001,张三,loan_instalment,2026-08-01,9"
        ]
    );
    // the first instalment repaid on 2026-08-05
    db::fund::repay(
        &mut c,
        loan,
        &NewEntry {
            date: d("2026-08-05"),
            amount_fen: 100_000,
            ..NewEntry::default()
        },
        today,
    )
    .unwrap();
    assert_eq!(
        overdue(&w, "2026-08-10"),
        ["001,张三,loan_instalment,2026-08-01,9"]
    );
    // judged before the repayment, it was still overdue
    assert_eq!(
        overdue(&w, "2026-08-04"),
        [
            "001,张三,loan_instalment,2026-07-01,34",
            "001,张三,loan_instalment,2026-08-01,3"
        ]
    );
    // the rest repaid at once: nothing is overdue after that day
    db::fund::repay(
        &mut c,
        loan,
        &NewEntry {
            date: d("2026-11-20"),
            amount_fen: 200_000,
            ..NewEntry::default()
        },
        today,
    )
    .unwrap();
    assert_eq!(overdue(&w, "2026-11-28"), Vec::<String>::new());
    assert_eq!(overdue(&w, "2026-11-19").len(), 2);
    assert_eq!(verify(&w).0, 0);
}

#[test]
fn the_demo_loan_is_overdue_on_the_overview_and_in_overdue() {
    let w = demo();
    let out = ok(&w, &["overdue", "--format", "csv"]);
    let loans: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(",loan_instalment,"))
        .collect();
    assert!(!loans.is_empty(), "{out}");
    let c = Connection::open(&w.db).unwrap();
    let settings = db::settings::load(&c).unwrap();
    let report = db::obligations::compute(
        &c,
        d("2026-11-28"),
        &settings,
        db::obligations::Which::Overdue,
    )
    .unwrap();
    assert_eq!(
        report
            .iter()
            .filter(|r| r.code == "loan_instalment")
            .count(),
        loans.len()
    );
}
