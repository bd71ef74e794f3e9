//! Corrections and the audit trail, through the built binary: the log has rows
//! for an import, a demo and a campaign add, none for a refused import; the
//! database refuses UPDATE and DELETE on it; `export log` picks days; voiding
//! or re-dating a talk changes what `overdue` lists; 入册日期 before the 18th
//! birthday is refused.

mod common;

use std::path::PathBuf;
use std::process::Output;

use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::domain::validate::{make_id_number, mask_id};

const TODAY: &str = "2026-11-28";

/// A working directory; writes are made as the OS user `clerk1`.
struct Env(common::Workdir);

impl std::ops::Deref for Env {
    type Target = common::Workdir;
    fn deref(&self) -> &common::Workdir {
        &self.0
    }
}

impl Env {
    fn new() -> Env {
        Env(common::Workdir::new())
    }

    fn run_on(&self, today: &str, args: &[&str]) -> Output {
        self.command(args)
            .env("GUANHUAI_TODAY", today)
            .env("USER", "clerk1")
            .output()
            .unwrap()
    }

    fn ok(&self, today: &str, args: &[&str]) -> String {
        let out = self.run_on(today, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        self.write(name, text.as_bytes())
    }

    fn import(&self, today: &str, what: &str, name: &str, text: &str) -> Output {
        let p = self.file(name, text);
        self.run_on(today, &["import", what, p.to_str().unwrap()])
    }

    fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// (action, table, op) of every log row, oldest first.
    fn log(&self) -> Vec<(String, String, String)> {
        self.conn()
            .prepare(
                "SELECT s.action, l.tbl, l.op FROM audit_log l
                 JOIN audit_sessions s ON s.id = l.session_id ORDER BY l.id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn overdue(&self) -> String {
        self.ok(TODAY, &["overdue", "--format", "csv"])
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap()
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One member, 001 张三, with an ID number.
fn members_csv() -> String {
    format!(
        "编号,姓名,性别,出生日期,身份证号,入党日期,入册日期\n\
         001,张三,男,1960-05-01,{},1990-07-01,2020-01-01\n",
        id_number()
    )
}

fn id_number() -> String {
    make_id_number("110105", d("1960-05-01"), 1)
}

fn talk_id(env: &Env, date: &str) -> (i64, i64) {
    env.conn()
        .query_row(
            "SELECT id, version FROM talks WHERE date = ?1",
            [date],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn imports_and_campaigns_are_logged_and_a_refused_import_is_not() {
    let env = Env::new();
    let out = env.import(TODAY, "members", "m.csv", &members_csv());
    assert!(out.status.success());
    env.ok(
        TODAY,
        &[
            "campaign",
            "add",
            "--name",
            "七一",
            "--from",
            "2026-06-15",
            "--to",
            "2026-07-01",
            "--targets",
            "old",
        ],
    );
    let log = env.log();
    assert!(log.contains(&("import members".into(), "members".into(), "insert".into())));
    assert!(log.contains(&("campaign add".into(), "campaigns".into(), "insert".into())));
    assert!(log.contains(&(
        "campaign add".into(),
        "campaign_targets".into(),
        "insert".into()
    )));
    let (user, new): (String, String) = env
        .conn()
        .query_row(
            "SELECT s.user, l.new FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id
             WHERE l.tbl = 'members'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(user, "clerk1");
    assert!(new.contains(&mask_id(&id_number())), "{new}");
    assert!(!new.contains(&id_number()));

    // a file with a bad row changes nothing, the log included
    let before = common::dump(&env.conn());
    let bad = "编号,姓名,入党日期\n002,李四,1991-07-01\n003,王五,不是日期\n";
    let out = env.import(TODAY, "members", "bad.csv", bad);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::dump(&env.conn()), before);

    // the database refuses to edit or delete the log
    let conn = env.conn();
    let e = conn
        .execute("UPDATE audit_log SET tbl = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("never edited"), "{e}");
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    assert!(
        conn.execute("DELETE FROM audit_log WHERE id = 1", [])
            .is_err()
    );

    // export log picks the days by --from and --to
    let all = env.log().len();
    env.ok(
        TODAY,
        &[
            "export",
            "log",
            env.dir.path().join("all.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(env.read("all.csv").lines().count(), all + 1);
    // the log's time is the clock's (GUANHUAI_TODAY does not move it)
    let today = chrono::Local::now().date_naive();
    let (today, yesterday) = (
        today.format("%Y-%m-%d").to_string(),
        (today - chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string(),
    );
    let early = env.dir.path().join("early.csv");
    env.ok(
        TODAY,
        &["export", "log", early.to_str().unwrap(), "--to", &yesterday],
    );
    assert_eq!(
        env.read("early.csv"),
        "时间,用户,操作,数据表,记录号,类型,更改内容,原值,新值\n"
    );
    let day = env.dir.path().join("day.xlsx");
    env.ok(
        TODAY,
        &[
            "export",
            "log",
            day.to_str().unwrap(),
            "--from",
            &today,
            "--to",
            &today,
        ],
    );
    assert!(day.exists());
    let day_csv = env.dir.path().join("day.csv");
    let out = env.ok(
        TODAY,
        &[
            "--lang",
            "en",
            "export",
            "log",
            day_csv.to_str().unwrap(),
            "--from",
            &today,
        ],
    );
    assert!(out.contains("exported"), "{out}");
    let day = env.read("day.csv");
    assert_eq!(day.lines().count(), all + 1, "{day}");
    assert!(
        day.starts_with("at,user,action,table,record_id,op,changes,old,new\n"),
        "{day}"
    );
    assert!(
        day.contains(",clerk1,campaign add,campaigns,")
            && day.contains(",clerk1,import members,members,1,insert,"),
        "{day}"
    );
    let out = env.run_on(
        TODAY,
        &[
            "export",
            "log",
            day_csv.to_str().unwrap(),
            "--from",
            &today,
            "--to",
            &yesterday,
        ],
    );
    // a period that ends before it starts is bad usage (2), as for `notice`
    assert_eq!(out.status.code(), Some(2), "--to before --from");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("--to {yesterday} 早于 --from {today}")),
        "{err}"
    );
    // a range for another export is bad usage of the command, refused
    let out = env.run_on(
        TODAY,
        &[
            "export",
            "members",
            env.dir.path().join("m2.csv").to_str().unwrap(),
            "--from",
            TODAY,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from 和 --to 只用于 export log"), "{err}");
    assert!(!env.dir.path().join("m2.csv").exists());
}

#[test]
fn the_demo_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    common::fill_demo(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let members = count("SELECT count(*) FROM members");
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id WHERE action = 'demo' AND tbl = 'members'"
        ),
        members
    );
    assert!(
        count(
            "SELECT count(*) FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id WHERE action = 'demo' AND tbl = 'talks'"
        ) > 0
    );
    // besides the demo only the file's own bookkeeping when it was created
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id WHERE action NOT IN ('demo', 'open: name keys')"
        ),
        0
    );
}

#[test]
fn voiding_or_redating_a_talk_changes_the_overdue_list() {
    let env = Env::new();
    assert!(
        env.import(TODAY, "members", "m.csv", &members_csv())
            .status
            .success()
    );
    let talks = "编号,日期,形式,谈话人,内容摘要\n001,2026-06-01,面对面,李书记,谈心\n";
    assert!(env.import(TODAY, "talks", "t.csv", talks).status.success());
    assert!(!env.overdue().contains("001,"), "{}", env.overdue());

    // voided: the talk no longer counts, the member is overdue since 2020-12-31
    let (id, version) = talk_id(&env, "2026-06-01");
    let mut conn = db::open(&env.db).unwrap();
    db::corrections::void(
        &mut conn,
        db::visits_list::RecordType::Talk,
        id,
        version,
        d(TODAY),
        "谈话对象录错",
    )
    .unwrap();
    let list = env.overdue();
    assert!(list.contains("001,张三,annual_talk,2020-12-31,"), "{list}");

    // importing the same talk again adds it anew (the voided one is not "the same")
    assert!(env.import(TODAY, "talks", "t.csv", talks).status.success());
    assert!(!env.overdue().contains("001,"));

    // re-dated to a year and a half ago: overdue again, from the new date
    let (id, version) = env
        .conn()
        .query_row(
            "SELECT id, version FROM talks WHERE voided_on IS NULL",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .unwrap();
    let mut t = db::corrections::get_talk(&conn, id).unwrap().unwrap();
    assert_eq!(t.version, version);
    t.record.date = d("2025-05-01");
    db::corrections::update_talk(&mut conn, &t.record, t.version, d(TODAY)).unwrap();
    let list = env.overdue();
    assert!(
        list.contains("001,张三,annual_talk,2026-05-01,211"),
        "{list}"
    );

    // the log names both corrections
    let log = env.log();
    assert!(log.contains(&("form: talk void".into(), "talks".into(), "update".into())));
    assert!(log.contains(&("form: talk edit".into(), "talks".into(), "update".into())));
    assert!(log.contains(&("import talks".into(), "talks".into(), "insert".into())));
}

#[test]
fn registered_before_the_18th_birthday_is_refused_by_the_import() {
    let env = Env::new();
    let file = "编号,姓名,出生日期,入党日期,入册日期\n001,张三,2000-03-01,2020-07-01,1980-01-01\n";
    let out = env.import(TODAY, "members", "m.csv", file);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("入册日期早于年满18周岁之日（2018-03-01）"),
        "{err}"
    );
}

#[test]
fn a_status_change_records_its_day_and_destination() {
    let env = Env::new();
    assert!(
        env.import(TODAY, "members", "m.csv", &members_csv())
            .status
            .success()
    );
    let mut conn = db::open(&env.db).unwrap();
    let m = db::members::get_by_code(&conn, "001").unwrap().unwrap();
    use guanhuai::domain::vocab::MemberStatus;
    db::members::set_status_on(
        &mut conn,
        m.id,
        m.version,
        MemberStatus::TransferredOut,
        Some(d("2026-11-01")),
        "街道第二党支部",
    )
    .unwrap();
    let m = db::members::get(&conn, m.id).unwrap().unwrap();
    assert_eq!(m.left_on, Some(d("2026-11-01")));
    assert_eq!(m.left_to, "街道第二党支部");
    assert!(!env.overdue().contains("001,"));
    let log = db::audit::for_record(&conn, "members", m.id).unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, "form: member status");
    assert!(
        last.changes_text().contains("left_to:  → 街道第二党支部"),
        "{}",
        last.changes_text()
    );
}

#[test]
fn a_write_from_another_tool_is_logged_as_nobody_not_as_the_last_guanhuai_action() {
    let env = Env::new();
    let out = env.import(TODAY, "members", "m.csv", &members_csv());
    assert!(out.status.success());
    // what the sqlite3 shell does: a plain connection, no guanhuai in it
    env.conn()
        .execute(
            "UPDATE members SET notes = 'outside' WHERE code = '001'",
            [],
        )
        .unwrap();
    let (user, action): (String, String) = env
        .conn()
        .query_row(
            "SELECT s.user, s.action FROM audit_log l JOIN audit_sessions s ON s.id = l.session_id
             WHERE l.tbl = 'members' AND l.op = 'update'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((user.as_str(), action.as_str()), ("", ""));
    // and guanhuai's own writes are still named
    assert!(
        env.log()
            .contains(&("import members".into(), "members".into(), "insert".into()))
    );
}

/// Every table of a demo database that refuses UPDATE and DELETE (its
/// `_no_delete` trigger) must also refuse the third way to change a row:
/// REPLACE (and INSERT OR REPLACE), which deletes a conflicting row without
/// firing delete triggers. Tried on each table's first and last rows, with the
/// row's own key and with a new one (which conflicts on any other unique key):
/// the rows that were there are all still there, unchanged.
#[test]
fn no_append_only_table_can_have_a_row_replaced() {
    let demo = common::demo_db();
    let conn = rusqlite::Connection::open(&demo.path).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\'
             ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in [
        "audit_log",
        "audit_sessions",
        "hardship_steps",
        "hardship_reviews",
        "hardship_measure_actions",
        "fund_entries",
        "audits",
        "audit_totals",
    ] {
        assert!(tables.iter().any(|x| x == t), "{t} is append-only");
    }
    let rows = |t: &str| -> Vec<String> {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut out: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.sort();
        out
    };
    for t in &tables {
        // the columns an INSERT may name (not generated ones), and the key
        let cols: Vec<(String, bool)> = conn
            .prepare(&format!(
                "SELECT name, pk, hidden FROM pragma_table_xinfo('{t}')"
            ))
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? > 0,
                    r.get::<_, i64>(2)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .filter(|c| c.2 == 0)
            .map(|c| (c.0, c.1))
            .collect();
        let before = rows(t);
        assert!(!before.is_empty(), "the demo fills {t}");
        let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
        let same: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
        // a new key, where the key is a rowid; a changed text elsewhere
        let fresh: Vec<String> = cols
            .iter()
            .map(|(c, pk)| {
                if *pk && cols.iter().filter(|x| x.1).count() == 1 && c == "id" {
                    "NULL".into()
                } else {
                    c.clone()
                }
            })
            .collect();
        let changed: Vec<String> = cols
            .iter()
            .map(|(c, pk)| {
                if !*pk
                    && ["note", "new", "user", "clerk", "auditor", "action"].contains(&c.as_str())
                {
                    format!("{c} || 'x'")
                } else {
                    c.clone()
                }
            })
            .collect();
        for pick in ["min", "max"] {
            for values in [&same, &fresh, &changed] {
                for verb in ["REPLACE", "INSERT OR REPLACE"] {
                    let sql = format!(
                        "{verb} INTO {t} ({}) SELECT {} FROM {t} ORDER BY rowid {} LIMIT 1",
                        names.join(", "),
                        values.join(", "),
                        if pick == "min" { "ASC" } else { "DESC" }
                    );
                    // WITHOUT ROWID tables: by their key instead
                    let r = conn.execute(&sql, []).or_else(|_| {
                        conn.execute(&sql.replace("ORDER BY rowid", "ORDER BY 1"), [])
                    });
                    let after = rows(t);
                    let kept = before.iter().all(|row| after.binary_search(row).is_ok());
                    assert!(kept, "{sql} changed a row of {t} (result {r:?})");
                    if values == &same || values == &changed {
                        assert!(r.is_err(), "{sql} was not refused");
                    }
                }
            }
        }
    }
}
