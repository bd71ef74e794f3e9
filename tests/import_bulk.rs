//! A large import logs its new rows in one statement at its end
//! (`db::audit::Bulk`, migration 8): what it leaves — audit rows, records,
//! the members' cached latest dates — equals what the row-by-row triggers
//! leave for the same file, and no bulk mark outlives the import, whether it
//! was written or refused. Neither does the insert prepared without
//! triggers: what the connection writes next is logged.

use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::domain::validate::make_id_number;
use guanhuai::interchange::import::{self, RowImporter};
use guanhuai::interchange::members::MemberImport;
use guanhuai::interchange::records::{EventImport, Roster, TalkImport, VisitImport};
use guanhuai::interchange::table::Table;
use rusqlite::Connection;

const ROWS: usize = 5_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn members_csv() -> String {
    let mut s =
        String::from("编号,姓名,性别,出生日期,身份证号,手机,入党日期,状态,享受低保,独居,备注\n");
    let names = ["王一", "李秀英", "欧阳晓东", "阿依古丽·买买提", "张伟"];
    for i in 0..ROWS {
        let birth =
            NaiveDate::from_ymd_opt(1930 + (i % 40) as i32, 1 + (i % 12) as u32, 9).unwrap();
        let id = if i % 3 == 0 {
            String::new()
        } else {
            make_id_number(&format!("{}", 110_101 + i / 1000), birth, (i % 1000) as u32)
        };
        let phone = if i % 2 == 0 {
            format!("1380000{i:04}")
        } else {
            String::new()
        };
        s.push_str(&format!(
            "M{i:05},{},{},{birth},{id},{phone},1995-07-01,在册,{},{},{}\n",
            names[i % names.len()],
            ["男", "女", ""][i % 3],
            ["是", "否"][i % 2],
            ["否", "是", "否"][i % 3],
            if i % 4 == 0 {
                "行动不便，需上门"
            } else {
                ""
            },
        ));
    }
    s
}

fn records_csv(kind: &str) -> String {
    let (head, row): (&str, fn(usize) -> String) = match kind {
        "talks" => (
            "编号,日期,形式,谈话人,内容摘要,需要跟进\n",
            |i| {
                format!(
                    "M{:05},2026-{:02}-1{},{},支部书记 周明,了解近况 {i},{}\n",
                    i % ROWS,
                    1 + i % 10,
                    i % 9,
                    ["面对面", "电话", "集体谈话"][i % 3],
                    ["否", "是"][i % 2]
                )
            },
        ),
        "visits" => ("编号,日期,方式,走访人,慰问品\n", |i| {
            format!(
                "M{:05},2026-{:02}-2{},{},组织委员 吴芳,{}\n",
                (i * 7) % ROWS,
                1 + i % 10,
                i % 8,
                ["家访", "医院探望", "体检", "电话联系", "节日慰问"][i % 5],
                ["米、油", ""][i % 2]
            )
        }),
        _ => ("编号,日期,事件,说明\n", |i| {
            format!(
                "M{:05},2026-{:02}-0{},{},说明 {i}\n",
                (i * 3) % ROWS,
                1 + i % 10,
                1 + i % 8,
                ["生病住院", "岗位变动", "遇到困难或挫折"][i % 3]
            )
        }),
    };
    let mut s = head.to_string();
    for i in 0..ROWS * 2 {
        s.push_str(&row(i));
    }
    s
}

fn importer(kind: &str) -> Box<dyn RowImporter> {
    match kind {
        "members" => Box::new(MemberImport::new(today())),
        "talks" => Box::new(TalkImport::new(Roster::new(), today())),
        "visits" => Box::new(VisitImport::new(Roster::new(), today())),
        _ => Box::new(EventImport::new(Roster::new(), today())),
    }
}

/// Imports `csv`; `bulk`: as the large file it is, else as if it were small
/// (row-by-row triggers).
fn import(conn: &mut Connection, kind: &str, csv: &str, bulk: bool) {
    let mut table = Table::from_csv_bytes(csv.as_bytes().to_vec()).unwrap();
    assert!(
        table.file_size > 256 * 1024,
        "the file must be large: {}",
        table.file_size
    );
    if !bulk {
        table.file_size = 1;
    }
    import::run(conn, table, importer(kind).as_mut(), 0, &mut |_| {}).unwrap();
}

fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Every row of a table, without its moments of writing (`*_at`).
fn table(conn: &Connection, t: &str) -> Vec<String> {
    let cols: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|c: &String| !c.ends_with("_at"))
        .collect();
    rows(
        conn,
        &format!("SELECT {} FROM {t} ORDER BY id", cols.join(", ")),
    )
}

/// What a clerk's data and its log say, without the moments of writing.
fn state(conn: &Connection) -> Vec<Vec<String>> {
    vec![
        rows(
            conn,
            "SELECT tbl, record_id, op, old, new FROM audit_log ORDER BY tbl, record_id, id",
        ),
        table(conn, "members"),
        table(conn, "talks"),
        table(conn, "visits"),
        table(conn, "events"),
        rows(conn, "SELECT * FROM bulk_writes"),
        // the indexes a bulk load drops are all built again, as they were
        rows(
            conn,
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
        ),
    ]
}

/// Asserts two states are equal, naming the first row that differs.
fn same(a: &[Vec<String>], b: &[Vec<String>], what: &str) {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if let Some(k) = (0..x.len().max(y.len())).find(|&k| x.get(k) != y.get(k)) {
            panic!(
                "{what}: part {i} row {k} differs:\n row by row: {:?}\n bulk:       {:?}",
                x.get(k),
                y.get(k)
            );
        }
    }
}

#[test]
fn a_bulk_import_leaves_what_row_by_row_triggers_leave() {
    let mut by_row = db::open_in_memory().unwrap();
    let mut bulk = db::open_in_memory().unwrap();
    let members = members_csv();
    import(&mut by_row, "members", &members, false);
    import(&mut bulk, "members", &members, true);
    let a = state(&by_row);
    same(&a, &state(&bulk), "members");
    assert_eq!(a[0].len(), ROWS, "one audit row a member");
    assert!(
        a[0][1].contains("1101**********"),
        "ID numbers masked: {}",
        a[0][1]
    );
    for kind in ["talks", "visits", "events"] {
        let csv = records_csv(kind);
        import(&mut by_row, kind, &csv, false);
        import(&mut bulk, kind, &csv, true);
        same(&state(&by_row), &state(&bulk), kind);
    }
    let s = state(&bulk);
    for c in [
        "last_talk",
        "last_visit",
        "last_health_check",
        "last_contact",
    ] {
        let n = rows(
            &bulk,
            &format!("SELECT count(*) > 500 FROM members WHERE {c} IS NOT NULL"),
        );
        assert_eq!(n, ["Integer(1)"], "{c} is set");
    }
    assert!(s[5].is_empty());
    // the same members file again: updates are logged row by row, as always
    let changed = members.replace("行动不便，需上门", "已搬家");
    import(&mut by_row, "members", &changed, false);
    import(&mut bulk, "members", &changed, true);
    same(&state(&by_row), &state(&bulk), "members again");
}

#[test]
fn members_loaded_into_a_small_roster_with_some_of_them_in_it_as_row_by_row() {
    // the roster has a few of the file's members (changed since): the load
    // drops the plain indexes and keeps the triggers (it updates members)
    let mut by_row = db::open_in_memory().unwrap();
    let mut bulk = db::open_in_memory().unwrap();
    let members = members_csv();
    let mut few: String = members.lines().take(101).collect::<Vec<_>>().join("\n");
    few = few.replace(",1995-07-01,", ",1996-07-01,") + "\n";
    for conn in [&mut by_row, &mut bulk] {
        let table = Table::from_csv_bytes(few.clone().into_bytes()).unwrap();
        import::run(conn, table, importer("members").as_mut(), 0, &mut |_| {}).unwrap();
    }
    import(&mut by_row, "members", &members, false);
    import(&mut bulk, "members", &members, true);
    let s = state(&bulk);
    same(&state(&by_row), &s, "members into a small roster");
    assert_eq!(
        rows(
            &bulk,
            "SELECT op, count(*) FROM audit_log GROUP BY op ORDER BY op"
        ),
        [
            "Text(\"insert\")|Integer(5000)".to_string(),
            "Text(\"update\")|Integer(100)".to_string()
        ]
    );
}

#[test]
fn a_refused_bulk_import_leaves_no_mark_and_later_writes_are_logged() {
    let mut conn = db::open_in_memory().unwrap();
    let mut csv = members_csv();
    csv.push_str("M99999,坏行,男,1960-01-01,,,不是日期,在册,否,否,\n");
    let table = Table::from_csv_bytes(csv.into_bytes()).unwrap();
    assert!(
        import::run(
            &mut conn,
            table,
            importer("members").as_mut(),
            0,
            &mut |_| {}
        )
        .is_err()
    );
    assert_eq!(
        rows(&conn, "SELECT * FROM bulk_writes"),
        Vec::<String>::new()
    );
    assert_eq!(rows(&conn, "SELECT count(*) FROM members"), ["Integer(0)"]);
    assert_eq!(
        state(&conn).last(),
        state(&db::open_in_memory().unwrap()).last(),
        "the indexes it dropped are back"
    );
    // a small import afterwards is logged by its triggers
    let small = "编号,姓名,入党日期\nA1,王五,1990-07-01\n";
    let table = Table::from_csv_bytes(small.as_bytes().to_vec()).unwrap();
    import::run(
        &mut conn,
        table,
        importer("members").as_mut(),
        0,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        rows(&conn, "SELECT tbl, op FROM audit_log"),
        ["Text(\"members\")|Text(\"insert\")"]
    );
}

#[test]
fn a_large_file_already_in_writes_nothing_and_leaves_the_kept_obligations_current() {
    use guanhuai::db::obligations::kept;
    let mut conn = db::open_in_memory().unwrap();
    let members = members_csv();
    import(&mut conn, "members", &members, true);
    let s = db::settings::load(&conn).unwrap();
    assert!(
        !kept::is_current(&conn, &s).unwrap(),
        "a large import leaves them to a rebuild"
    );
    assert!(kept::ensure(&conn, &s).unwrap());
    let log = rows(&conn, "SELECT count(*) FROM audit_log");
    import(&mut conn, "members", &members, true);
    assert!(
        kept::is_current(&conn, &s).unwrap(),
        "nothing changed: still current"
    );
    assert_eq!(rows(&conn, "SELECT count(*) FROM audit_log"), log);
}

#[test]
fn ids_near_the_largest_leave_the_log_to_the_triggers() {
    // after a member with a huge id, new rows may take any free id: each
    // is logged by its trigger, none is missed
    let mut conn = db::open_in_memory().unwrap();
    conn.execute(
        "INSERT INTO members (id, code, name, joined_on, sort_key) VALUES (?1, 'BIG', '王大', '1990-07-01', x'00')",
        [i64::MAX],
    )
    .unwrap();
    import(&mut conn, "members", &members_csv(), true);
    assert_eq!(
        rows(
            &conn,
            "SELECT count(*) FROM members m WHERE NOT EXISTS
             (SELECT 1 FROM audit_log a WHERE a.tbl = 'members' AND a.record_id = m.id AND a.op = 'insert')"
        ),
        ["Integer(0)"]
    );
    assert_eq!(
        rows(&conn, "SELECT count(*) FROM members"),
        [format!("Integer({})", ROWS + 1)]
    );
}

#[test]
fn every_insert_trigger_of_a_bulk_table_stands_aside_or_notes_the_kept_obligations() {
    // A bulk import's inserts run without triggers (`Bulk::without_triggers`):
    // sound only while each insert trigger is one that stands aside during a
    // bulk import, or the kept obligations' note, which a large import
    // replaces with a rebuild. A new kind of insert trigger must be taught
    // to `Bulk` first.
    let conn = db::open_in_memory().unwrap();
    let triggers: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT tbl_name, name, sql FROM sqlite_schema WHERE type = 'trigger'
             AND tbl_name IN ('members', 'talks', 'visits', 'events') ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut inserts = 0;
    for (tbl, name, sql) in &triggers {
        if !sql.contains(&format!("INSERT ON {tbl}")) {
            continue;
        }
        inserts += 1;
        let stands_aside = sql.contains(&format!(
            "NOT EXISTS (SELECT 1 FROM bulk_writes WHERE tbl = '{tbl}')"
        ));
        let kept = *name == format!("kept_{tbl}_insert")
            && sql.contains("WHEN EXISTS (SELECT 1 FROM kept_state)");
        assert!(stands_aside || kept, "{name} on {tbl}: {sql}");
    }
    assert_eq!(inserts, 10, "{triggers:#?}");
}

/// A talk as a clerk enters it in the form, on 2026-03-01.
fn form_talk(member_id: i64) -> guanhuai::domain::records::Talk {
    guanhuai::domain::records::Talk {
        id: 0,
        member_id,
        date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        conductor: "支部书记 周明".into(),
        form: guanhuai::domain::vocab::TalkForm::FaceToFace,
        summary: String::new(),
        problems: String::new(),
        follow_up: false,
        follow_up_note: String::new(),
    }
}

#[test]
fn what_the_connection_writes_after_a_bulk_import_is_logged() {
    use guanhuai::db::records::NewRecord;
    use guanhuai::domain::member::Member;
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, "members", &members_csv(), true);
    import(&mut conn, "talks", &records_csv("talks"), true);
    // the forms' own writes, on the same connection (the same statements
    // the import prepared without triggers)
    let joined = NaiveDate::from_ymd_opt(1990, 7, 1).unwrap();
    let (id, _) = db::members::save(&mut conn, &Member::new("A1", "王五", joined)).unwrap();
    let talk = form_talk(id);
    let talk_id = db::records::add_from_form(&mut conn, NewRecord::Talk(&talk)).unwrap();
    assert_eq!(
        rows(
            &conn,
            &format!(
                "SELECT tbl, op FROM audit_log
                 WHERE (tbl = 'members' AND record_id = {id}) OR (tbl = 'talks' AND record_id = {talk_id})
                 ORDER BY id"
            )
        ),
        [
            "Text(\"members\")|Text(\"insert\")",
            "Text(\"talks\")|Text(\"insert\")"
        ]
    );
    assert_eq!(
        rows(&conn, "SELECT last_talk FROM members WHERE code = 'A1'"),
        ["Text(\"2026-03-01\")"],
        "the talk's trigger raised the cached date"
    );
}

#[test]
fn records_of_members_with_sparse_ids_raise_the_cached_dates_as_row_by_row() {
    // member ids far apart: the cached dates are brought up to date in a
    // bounded number of statements, and the same as the triggers leave them
    let mut by_row = db::open_in_memory().unwrap();
    let mut bulk = db::open_in_memory().unwrap();
    let members = members_csv();
    for conn in [&mut by_row, &mut bulk] {
        import(conn, "members", &members, true);
        conn.execute(
            "UPDATE members SET id = id * 1000000000000 WHERE id % 7 = 0",
            [],
        )
        .unwrap();
    }
    for kind in ["talks", "visits"] {
        let csv = records_csv(kind);
        import(&mut by_row, kind, &csv, false);
        import(&mut bulk, kind, &csv, true);
        same(&state(&by_row), &state(&bulk), kind);
    }
}

#[test]
fn the_triggers_and_checks_are_back_once_the_rows_are_in() {
    use guanhuai::db::audit::{Actor, Bulk, BulkPlan};
    use guanhuai::db::records::NewRecord;
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, "members", &members_csv(), true);
    let talk = form_talk(1);
    let logged =
        |conn: &Connection| rows(conn, "SELECT count(*) FROM audit_log WHERE tbl = 'talks'");
    let bad_form = "INSERT INTO talks (member_id, date, form) VALUES (1, '2026-03-01', 'shouting')";
    {
        let plan = BulkPlan::new(&conn, "talks", 1 << 20).unwrap();
        let tx = db::audit::write_tx(&mut conn, &Actor::new("import talks")).unwrap();
        db::records::insert_talk(&tx, &talk).unwrap();
        assert_eq!(logged(&tx), ["Integer(1)"], "logged by its trigger");
        let mut bulk = Bulk::begin(&tx, plan).unwrap().unwrap();
        let bare = bulk.bare_inserts(&tx).unwrap();
        db::records::insert_talk(&tx, &talk).unwrap();
        assert_eq!(
            logged(&tx),
            ["Integer(1)"],
            "the same statement, no trigger"
        );
        drop(bare);
        let e = tx.execute(bad_form, []).unwrap_err();
        assert!(e.to_string().contains("CHECK constraint failed"), "{e}");
        db::records::insert_talk(&tx, &talk).unwrap();
        bulk.finish(&tx).unwrap();
        assert_eq!(
            logged(&tx),
            ["Integer(3)"],
            "the bare insert logged at the end, the last by its trigger"
        );
        tx.commit().unwrap();
    }
    db::records::add_from_form(&mut conn, NewRecord::Talk(&talk)).unwrap();
    assert_eq!(logged(&conn), ["Integer(4)"]);
}

/// Bare inserts skip the CHECKs row by row: the end of the load refuses a
/// row that breaks any of them, as its insert would have, for every table a
/// bulk import writes.
#[test]
fn a_bare_insert_that_breaks_a_check_is_refused_at_the_end() {
    use guanhuai::db::audit::{Actor, Bulk, BulkPlan};
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, "members", &members_csv(), true);
    let cases = [
        (
            "members",
            "INSERT INTO members (code, name, joined_on, sort_key, status)
             VALUES ('X1', '某', '2000-01-01', x'00', 'gone')",
            "status IN",
        ),
        (
            "members",
            "INSERT INTO members (code, name, joined_on, sort_key)
             VALUES ('X1', '某', '2000-02-30', x'00')",
            "date(joined_on) = joined_on",
        ),
        (
            "talks",
            "INSERT INTO talks (member_id, date, follow_up) VALUES (1, '2026-03-01', 2)",
            "follow_up IN",
        ),
        (
            "visits",
            "INSERT INTO visits (member_id, date, kind) VALUES (1, '2026-02-31', 'home')",
            "date(date) = date",
        ),
        (
            "events",
            "INSERT INTO events (member_id, date, kind) VALUES (1, '2026-03-01', 'party')",
            "kind IN",
        ),
    ];
    for (table, sql, check) in cases {
        let before = rows(&conn, &format!("SELECT count(*) FROM {table}"));
        let plan = BulkPlan::new(&conn, table, 1 << 20).unwrap();
        let tx = db::audit::write_tx(&mut conn, &Actor::new("import")).unwrap();
        let mut bulk = Bulk::begin(&tx, plan).unwrap().unwrap();
        let bare = bulk.bare_inserts(&tx).unwrap();
        tx.execute(sql, []).unwrap();
        drop(bare);
        let e = match bulk.finish(&tx) {
            Err(e) => e.to_string(),
            Ok(()) => panic!("{table}: {sql} not refused"),
        };
        assert!(e.contains(check) && e.contains(table), "{table}: {e}");
        drop(tx);
        assert_eq!(
            rows(&conn, &format!("SELECT count(*) FROM {table}")),
            before,
            "{table}: nothing written"
        );
    }
}

#[test]
fn the_checks_of_a_table_are_read_from_its_sql() {
    use guanhuai::db::audit::checks_of;
    let sql = "CREATE TABLE t (
        a TEXT CHECK (a IN ('x)', 'check (y)')), -- a check (in a comment)
        \"check\" INTEGER, /* CHECK (z) */ checked INTEGER CHECK(checked > (1 + 1)),
        b TEXT, CONSTRAINT c CHECK (length(b) = 2 OR b = 'it''s')
    )";
    assert_eq!(
        checks_of(sql),
        [
            "a IN ('x)', 'check (y)')",
            "checked > (1 + 1)",
            "length(b) = 2 OR b = 'it''s'"
        ]
    );
    let conn = db::open_in_memory().unwrap();
    let members: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'members'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let found = checks_of(&members);
    assert_eq!(found.len(), 20, "{found:#?}");
    assert!(found.contains(&"id_number IS NULL OR length(id_number) = 18".to_string()));
}

/// Text of every kind JSON quotes apart: quotes, backslashes, control
/// characters, the line separators, non-BMP characters, digits.
fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        "[\\x00-\\x1f\"\\\\/a-z0-9 中文\u{7f}\u{2028}\u{2029}\u{fffd}😀]{0,10}",
        any::<String>(),
        Just(String::new()),
        Just("12".to_string()),
        Just("null".to_string()),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// The JSON a bulk import logs for a new row (`{table}_audit_new`,
    /// migration 11) is the text the insert trigger logs, for any text in
    /// any column and either value of a flag.
    #[test]
    fn the_json_a_bulk_import_logs_is_the_triggers_for_any_text(
        t in proptest::collection::vec(any_text(), 12),
        flag in 0..2i64,
        id_number in proptest::option::of("[0-9X]{18}"),
    ) {
        let mut conn = db::open_in_memory().unwrap();
        let tx = db::audit::write_tx(&mut conn, &db::audit::Actor::new("test")).unwrap();
        tx.execute(
            "INSERT INTO members (code, name, phone, joined_on, whereabouts, contact, notes,
                                  left_to, mobile, low_income, id_number, sort_key)
             VALUES ('x' || ?1, 'y' || ?2, ?3, '2000-01-01', ?4, ?5, ?6, ?7, ?8, ?8, ?9, x'00')",
            rusqlite::params![t[0], t[1], t[2], t[3], t[4], t[5], t[6], flag, id_number],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO talks (member_id, date, conductor, summary, problems, follow_up,
                                follow_up_note, void_reason)
             VALUES (1, '2026-01-02', ?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![t[7], t[8], t[9], flag, t[10], t[11]],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO visits (member_id, date, visitor, kind, goods, notes)
             VALUES (1, '2026-01-03', ?1, 'home', ?2, ?3)",
            rusqlite::params![t[0], t[5], t[9]],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO events (member_id, date, kind, note, void_reason)
             VALUES (1, '2026-01-04', 'illness', ?1, ?2)",
            rusqlite::params![t[3], t[11]],
        )
        .unwrap();
        for table in ["members", "talks", "visits", "events"] {
            let (logged, viewed): (String, String) = tx
                .query_row(
                    &format!(
                        "SELECT a.new, v.new FROM audit_log a JOIN {table}_audit_new v ON v.id = a.record_id
                         WHERE a.tbl = '{table}' AND a.op = 'insert'"
                    ),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            proptest::prop_assert_eq!(&logged, &viewed, "{}", table);
        }
    }
}
