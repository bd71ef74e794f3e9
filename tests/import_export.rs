//! `guanhuai import` and `guanhuai export`, run as the real binary on temporary
//! databases and files (GUANHUAI_TODAY fixes "today" at 2026-11-28).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use guanhuai::domain::member::Member;
use guanhuai::domain::validate::make_id_number;
use guanhuai::domain::vocab::{Coded, Employment, Gender, MemberStatus, Membership};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const TODAY: &str = "2026-11-28";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A temporary directory with a database file in it.
struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("g.sqlite");
        Env { dir, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_guanhuai"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("GUANHUAI_TODAY", TODAY)
            .output()
            .unwrap()
    }

    fn import(&self, what: &str, file: &Path) -> Output {
        self.run(&["import", what, file.to_str().unwrap()])
    }

    /// Imports and insists on success; returns stdout.
    fn import_ok(&self, what: &str, file: &Path) -> String {
        let out = self.import(what, file);
        assert!(
            out.status.success(),
            "import {what} {} failed:\n{}",
            file.display(),
            stderr(&out)
        );
        stdout(&out)
    }

    fn export_ok(&self, what: &str, file: &Path, extra: &[&str]) -> String {
        let mut args = vec!["export", what, file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(out.status.success(), "export failed:\n{}", stderr(&out));
        stdout(&out)
    }

    fn conn(&self) -> rusqlite::Connection {
        guanhuai::db::open(&self.db).unwrap()
    }

    fn members(&self) -> Vec<Member> {
        guanhuai::db::members::all(&self.conn()).unwrap()
    }

    fn member(&self, code: &str) -> Member {
        guanhuai::db::members::get_by_code(&self.conn(), code)
            .unwrap()
            .unwrap_or_else(|| panic!("no member {code}"))
    }

    fn count(&self, table: &str) -> i64 {
        self.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The roster without database ids and versions, by code.
fn roster(members: &[Member]) -> Vec<Member> {
    let mut v: Vec<Member> = members
        .iter()
        .map(|m| Member {
            id: 0,
            version: 0,
            ..m.clone()
        })
        .collect();
    v.sort_by(|a, b| a.code.cmp(&b.code));
    v
}

fn assert_good_roster(env: &Env) {
    let m = env.member("001");
    assert_eq!(m.name, "张三");
    assert_eq!(m.gender, Some(Gender::Male));
    assert_eq!(m.birth_date, Some(d("1950-03-15")));
    assert_eq!(m.id_number.as_deref(), Some("110105195003150123"));
    assert_eq!(m.phone.as_deref(), Some("13812345678"));
    assert_eq!(m.joined_on, d("1975-07-01"));
    assert_eq!(m.membership, Membership::Full);
    assert_eq!(m.status, MemberStatus::Active);
    assert_eq!(m.employment, Some(Employment::Retired));
    assert_eq!(m.registered_on, Some(d("2020-01-01")));
    assert!(!m.mobile && m.honorary);
    assert_eq!(m.honorary_since, Some(d("2021-07-01")));
    assert!(m.low_income && !m.no_fixed_income && m.living_alone && !m.disabled && m.chronic_ill);
    assert_eq!(m.notes, "老党员");

    let m = env.member("002");
    assert_eq!(m.name, "阿依古丽·买买提");
    assert_eq!(m.gender, Some(Gender::Female));
    assert_eq!(m.birth_date, Some(d("1985-06-01")));
    assert_eq!(m.phone.as_deref(), Some("010-12345678"));
    assert_eq!(m.joined_on, d("2010-07-01"));
    assert_eq!(m.membership, Membership::Probationary);
    assert_eq!(m.employment, Some(Employment::Employed));
    assert_eq!(m.registered_on, None, "no 入册日期 stays empty");
    assert!(m.mobile);
    assert_eq!(m.mobile_since, Some(d("2024-03-05")));
    assert_eq!(m.whereabouts, "广东深圳");
    assert!(!m.honorary && !m.low_income && !m.chronic_ill);
    assert_eq!(m.notes, "备注,含逗号");

    let m = env.member("003");
    assert_eq!(m.name, "吉𠮷祥");
    assert_eq!(m.birth_date, Some(d("1990-01-02")));
    assert_eq!(m.joined_on, d("2024-01-25"), "Excel serial 45316");
    assert_eq!(m.phone, None);
    assert_eq!(m.employment, Some(Employment::Student));
    assert!(m.low_income && m.no_fixed_income && !m.living_alone && m.disabled && !m.chronic_ill);
    assert_eq!(m.notes, "多行\n备注");

    let m = env.member("004");
    assert_eq!(m.status, MemberStatus::Deceased);
    assert_eq!(m.phone.as_deref(), Some("0755-1234567"));
    assert_eq!(m.employment, Some(Employment::Retired));

    let m = env.member("005");
    assert_eq!(m.id_number.as_deref(), Some("11010519600101005X"));
    assert_eq!(m.phone.as_deref(), Some("13912345678"));
    assert_eq!(m.membership, Membership::Full);
    assert_eq!(m.status, MemberStatus::Active);
    assert!(m.honorary && !m.mobile);
}

#[test]
fn csv_utf8_with_bom_every_date_and_flag_spelling() {
    let env = Env::new();
    let out = env.import_ok("members", &fixture("members_good.csv"));
    assert_eq!(out.trim(), "导入 5 名党员（新增 5，更新 0）");
    assert_good_roster(&env);
    // pinyin order: 单 (shàn) < 吉 < 曾 (zēng) < 张 … and 阿 first
    let names: Vec<String> = env.members().into_iter().map(|m| m.name).collect();
    assert_eq!(names[0], "阿依古丽·买买提");
}

#[test]
fn csv_utf8_without_bom_and_gbk() {
    let text = std::fs::read_to_string(fixture("members_good.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let env = Env::new();
    env.import_ok("members", &env.write("plain.csv", text.as_bytes()));
    assert_good_roster(&env);

    // GBK cannot hold 𠮷: the GBK file names member 003 otherwise.
    let gbk_text = text.replace("吉𠮷祥", "吉祥");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&gbk_text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK bytes");
    let env = Env::new();
    let out = env.import_ok("members", &env.write("gbk.csv", &bytes));
    assert!(out.contains("新增 5"));
    assert_eq!(env.member("002").name, "阿依古丽·买买提");
    assert_eq!(env.member("003").name, "吉祥");
    assert_eq!(env.member("002").whereabouts, "广东深圳");
}

fn write_members_xlsx(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    // a title row above the header, as clerks' rosters often have
    sheet.write_string(0, 0, "某某支部党员名册").unwrap();
    let headers = [
        "编号",
        "姓名",
        "性别",
        "出生日期",
        "身份证号",
        "手机",
        "入党日期",
        "流动党员",
        "荣誉党员",
        "独居",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let birth = make_id_number("110105", d("1950-03-15"), 77);
    // row 3: real date cells, a phone stored as a number, boolean cells
    sheet.write_number(2, 0, 7.0).unwrap();
    sheet.write_string(2, 1, "阿依古丽·买买提").unwrap();
    sheet.write_string(2, 2, "女").unwrap();
    sheet
        .write_date_with_format(2, 3, ExcelDateTime::from_ymd(1950, 3, 15).unwrap(), &date)
        .unwrap();
    sheet.write_string(2, 4, &birth).unwrap();
    sheet.write_number(2, 5, 13812345678.0).unwrap();
    sheet
        .write_date_with_format(2, 6, ExcelDateTime::from_ymd(1975, 7, 1).unwrap(), &date)
        .unwrap();
    sheet.write_boolean(2, 7, true).unwrap();
    sheet.write_boolean(2, 8, false).unwrap();
    sheet.write_number(2, 9, 1.0).unwrap();
    sheet.write_string(2, 10, "表格导入").unwrap();
    // row 4: dates as text in other spellings, a date serial as a plain number
    sheet.write_string(3, 0, "008").unwrap();
    sheet.write_string(3, 1, "吉𠮷祥").unwrap();
    sheet.write_string(3, 3, "1990年1月2日").unwrap();
    sheet.write_number(3, 6, 45316.0).unwrap();
    sheet.write_string(3, 7, "否").unwrap();
    sheet.write_string(3, 8, "N").unwrap();
    book.save(path).unwrap();
}

#[test]
fn xlsx_with_date_cells_numbers_and_a_title_row() {
    let env = Env::new();
    let p = env.path("roster.xlsx");
    write_members_xlsx(&p);
    let out = env.import_ok("members", &p);
    assert!(out.contains("新增 2"), "{out}");
    let m = env.member("7");
    assert_eq!(m.name, "阿依古丽·买买提");
    assert_eq!(m.birth_date, Some(d("1950-03-15")));
    assert_eq!(m.joined_on, d("1975-07-01"));
    assert_eq!(m.phone.as_deref(), Some("13812345678"));
    assert!(m.mobile && !m.honorary && m.living_alone);
    let m = env.member("008");
    assert_eq!(m.name, "吉𠮷祥");
    assert_eq!(m.birth_date, Some(d("1990-01-02")));
    assert_eq!(m.joined_on, d("2024-01-25"));
}

#[test]
fn several_bad_rows_are_all_named_and_nothing_changes() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let before = roster(&env.members());
    let out = env.import("members", &fixture("members_bad.csv"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "第 3 行，列「身份证号」：身份证号校验位不符",
        "第 4 行，列「入党日期」：日期2027-01-01晚于今天",
        "第 5 行，列「性别」：“男性”无效",
        "第 6 行，列「编号」：编号 101 与第 2 行重复",
        "第 7 行，列「入党日期」：入党日期早于年满18周岁之日（2018-01-01）",
        "第 8 行，列「流动党员」：“也许”无效",
        "第 9 行，列「姓名」：姓名不能为空",
        "第 11 行，列「手机」：",
        "第 12 行，列「出生日期」：“2024-13-01”不是有效日期",
        "第 13 行，列「身份证号」：身份证号中的出生日期1950-03-15与出生日期1960-01-01不一致",
        "第 14 行，列「身份证号」：身份证号已被 张三（编号 001）使用",
        "导入失败：11 行有错误",
    ] {
        assert!(err.contains(line), "missing «{line}» in:\n{err}");
    }
    for ok_row in ["第 2 行，", "第 10 行，", "第 15 行，"] {
        assert!(
            !err.lines().any(|l| l.starts_with(ok_row)),
            "{ok_row} is fine:\n{err}"
        );
    }
    assert_eq!(roster(&env.members()), before, "database unchanged");
    assert!(stdout(&out).is_empty());

    let out = env.run(&[
        "--lang",
        "en",
        "import",
        "members",
        fixture("members_bad.csv").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("row 3, column id_number: ID number check digit"),
        "{err}"
    );
    assert!(
        err.contains("row 6, column code: code 101 is also on row 2"),
        "{err}"
    );
    assert!(
        err.contains("error: import failed: 11 rows have errors"),
        "{err}"
    );
    assert_eq!(env.members().len(), 5);
}

#[test]
fn missing_required_column_and_bad_file_type() {
    let env = Env::new();
    let p = env.write("m.csv", "编号,姓名\n001,张三\n".as_bytes());
    let out = env.import("members", &p);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("「入党日期」"), "{}", stderr(&out));
    let p = env.write("m.doc", b"x");
    let out = env.import("members", &p);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无法识别文件类型"));
    // neither refused import left a new database behind
    assert!(!env.db.exists());
    let ok = env.write(
        "ok.csv",
        "编号,姓名,入党日期\n001,张三,1990-07-01\n".as_bytes(),
    );
    env.import_ok("members", &ok);
    let out = env.run(&["export", "members", env.path("m.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(".csv 或 .xlsx"), "{}", stderr(&out));
    assert!(!env.path("m.pdf").exists());
}

#[test]
fn reimport_updates_members_and_keeps_their_ids() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let id_before = env.member("002").id;
    // English headers, only some columns: the others stay as they are
    let p = env.write(
        "upd.csv",
        "Code,Name,Phone,Joined On,Status,Registered On\n\
         002,阿依古丽·买买提,13900001111,2010-07-01,转出,2025-01-01\n\
         006,新党员,,2020-07-01,,\n"
            .as_bytes(),
    );
    let out = env.import_ok("members", &p);
    assert_eq!(out.trim(), "导入 2 名党员（新增 1，更新 1）");
    let m = env.member("002");
    assert_eq!(m.id, id_before);
    assert_eq!(m.phone.as_deref(), Some("13900001111"));
    assert_eq!(m.status, MemberStatus::TransferredOut);
    assert_eq!(m.registered_on, Some(d("2025-01-01")));
    assert_eq!(m.whereabouts, "广东深圳", "absent column unchanged");
    assert_eq!(m.id_number.as_deref(), Some("110105198506010214"));
    assert_eq!(env.member("006").registered_on, None);
    assert_eq!(env.members().len(), 6);
}

/// Exports members, imports the file into a fresh database and into the same one.
fn round_trip(ext: &str, extra: &[&str]) {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let mut p = env.path("roster.xlsx");
    write_members_xlsx(&p);
    env.import_ok("members", &p);
    let original = roster(&env.members());
    p = env.path(&format!("out.{ext}"));
    env.export_ok("members", &p, extra);

    // back into the same database: nothing changes (masked IDs mean "unchanged")
    let out = env.import_ok("members", &p);
    assert!(out.contains("新增 0，更新 0，未变 7"), "{out}");
    assert_eq!(roster(&env.members()), original);

    // into a fresh database: the same roster (without ID numbers when masked)
    let fresh = Env::new();
    let said = fresh.import_ok("members", &p);
    let mut expected = original.clone();
    let full = extra.contains(&"--full");
    // the summary says what the masks kept out
    assert_eq!(
        said.contains("身份证号或手机是遮蔽的，未导入"),
        !full,
        "{said}"
    );
    if !full {
        for m in &mut expected {
            m.id_number = None;
            m.phone = None;
        }
    }
    assert_eq!(roster(&fresh.members()), expected);
}

#[test]
fn round_trip_csv_masked() {
    round_trip("csv", &[]);
}

#[test]
fn round_trip_csv_full() {
    round_trip("csv", &["--full"]);
}

#[test]
fn round_trip_xlsx_masked() {
    round_trip("xlsx", &[]);
}

#[test]
fn round_trip_xlsx_full_in_english() {
    round_trip("xlsx", &["--full", "--lang", "en"]);
}

#[test]
fn exported_csv_is_standard_without_bom_and_masked_ids() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let p = env.path("m.csv");
    let out = env.export_ok("members", &p, &[]);
    assert_eq!(out.trim(), format!("已导出 5 行到 {}", p.display()));
    let bytes = std::fs::read(&p).unwrap();
    assert!(
        bytes.starts_with("编号,".as_bytes()),
        "no BOM: RFC 4180 as DOMAIN.md asks"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains('\r'));
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(
        "编号,姓名,性别,出生日期,身份证号,手机,入党日期,党员类型,状态,职业状况,入册日期,\
         流动党员,流出日期,外出地点,荣誉党员,荣誉党员日期,享受低保,无固定收入,独居,残疾,\
         长期患病,备注"
    ));
    assert!(text.contains("001,张三,男,1950-03-15,1101**********0123,138****5678,1975-07-01,正式党员,在册,退休,2020-01-01,否,,,是,2021-07-01,是,否,是,否,是,老党员"), "{text}");
    assert!(text.contains("\"备注,含逗号\""));
    assert!(text.contains("\"多行\n备注\""));
    assert!(!text.contains("110105195003150123"));
    env.export_ok("members", &p, &["--full"]);
    assert!(
        std::fs::read_to_string(&p)
            .unwrap()
            .contains("110105195003150123")
    );
}

#[test]
fn talks_visits_events_import_and_export() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let out = env.import_ok("talks", &fixture("talks.csv"));
    assert_eq!(out.trim(), "导入 3 条谈话记录（新增 3）");
    env.import_ok("visits", &fixture("visits.csv"));
    env.import_ok("events", &fixture("events.csv"));
    assert_eq!(
        (env.count("talks"), env.count("visits"), env.count("events")),
        (3, 3, 2)
    );
    let history = guanhuai::db::records::member_history(&env.conn(), env.member("001").id).unwrap();
    assert_eq!(history.len(), 3);

    // importing again adds nothing
    let out = env.import_ok("talks", &fixture("talks.csv"));
    assert!(out.contains("新增 0，已有相同记录 3 条"), "{out}");

    // export → import into the same database adds nothing; into a fresh one, the same records
    let fresh = Env::new();
    fresh.import_ok("members", &fixture("members_good.csv"));
    for (what, ext) in [("talks", "csv"), ("visits", "xlsx"), ("events", "csv")] {
        let p = env.path(&format!("{what}.{ext}"));
        env.export_ok(what, &p, &[]);
        let out = env.import_ok(what, &p);
        assert!(out.contains("新增 0"), "{what}: {out}");
        fresh.import_ok(what, &p);
    }
    assert_eq!(
        (
            fresh.count("talks"),
            fresh.count("visits"),
            fresh.count("events")
        ),
        (3, 3, 2)
    );
    let t = env.path("t.csv");
    env.export_ok("talks", &t, &[]);
    let text = std::fs::read_to_string(&t).unwrap();
    assert!(text.starts_with("编号,日期,形式,谈话人,内容摘要"), "{text}");
    assert!(
        text.contains("002,2026-04-01,电话,李委员,电话谈心"),
        "{text}"
    );
    let e = env.path("e.csv");
    env.export_ok("events", &e, &[]);
    let text = std::fs::read_to_string(&e).unwrap();
    assert!(
        text.contains("001,2026-01-10,生病住院,住院治疗,张三"),
        "{text}"
    );
}

#[test]
fn records_with_unknown_codes_change_nothing() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let out = env.import("talks", &fixture("talks_bad.csv"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "第 3 行，列「编号」：编号 999 不在党员名册中",
        "第 4 行，列「日期」：日期2026-12-01晚于今天",
        "第 5 行，列「形式」：“喝茶”无效",
        "第 6 行，列「编号」：编号不能为空",
    ] {
        assert!(err.contains(line), "missing «{line}» in:\n{err}");
    }
    assert_eq!(env.count("talks"), 0);

    for (what, body) in [
        (
            "visits",
            "编号,日期,方式\n001,2026-01-01,家访\n404,2026-01-02,家访\n",
        ),
        (
            "events",
            "编号,日期,事件\n001,2026-01-01,生病住院\n404,2026-01-02,生病住院\n",
        ),
    ] {
        let p = env.write(&format!("{what}.csv"), body.as_bytes());
        let out = env.import(what, &p);
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(stderr(&out).contains("第 3 行，列「编号」：编号 404 不在党员名册中"));
    }
    assert_eq!((env.count("visits"), env.count("events")), (0, 0));

    // a name that does not belong to the code is caught too
    let p = env.write(
        "ev.csv",
        "编号,日期,事件,姓名\n001,2026-01-01,生病住院,李四\n".as_bytes(),
    );
    let out = env.import("events", &p);
    assert!(
        stderr(&out).contains("编号 001 是 张三，不是 李四"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.count("events"), 0);
}

#[test]
fn hardship_ledger_import_export() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let out = env.import_ok("hardship", &fixture("hardship.csv"));
    assert_eq!(out.trim(), "导入 2 个困难台账（新增 2，更新 0）");
    // The same file again changes nothing: the cases already say so.
    let out = env.import_ok("hardship", &fixture("hardship.csv"));
    assert!(out.contains("更新 0，已有相同记录 2 条"), "{out}");
    let cases = guanhuai::db::records::hardship_cases(&env.conn()).unwrap();
    assert_eq!(cases.len(), 2);
    let c = cases
        .iter()
        .find(|c| c.member_id == env.member("001").id)
        .unwrap();
    assert_eq!(c.categories.len(), 2);
    assert_eq!(c.approved_on, Some(d("2026-02-01")));
    assert_eq!(c.state.code(), "active");

    let out = env.import("hardship", &fixture("hardship_bad.csv"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "第 2 行，列「批准日期」：状态为「审核通过」的台账须填批准日期",
        "第 3 行，列「困难类型」：“缺钱”不是困难类型",
        "第 4 行，列「年度」：“26”不是有效年度",
        "第 5 行，列「批准日期」：状态为「个人申请」的台账尚未批准",
    ] {
        assert!(err.contains(line), "missing «{line}» in:\n{err}");
    }

    let p = env.path("h.csv");
    env.export_ok("hardship", &p, &[]);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(
        text.contains("001,2026,生活困难、因病,长期患病,特困,帮扶中,2026-02-01,张三"),
        "{text}"
    );
    let fresh = Env::new();
    fresh.import_ok("members", &fixture("members_good.csv"));
    fresh.import_ok("hardship", &p);
    assert_eq!(fresh.count("hardship_case_categories"), 4);
}

#[test]
fn fund_ledger_export() {
    let env = Env::new();
    env.import_ok("members", &fixture("members_good.csv"));
    let conn = env.conn();
    let mut conn = conn;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let member: i64 = conn
        .query_row("SELECT id FROM members WHERE code = '001'", [], |r| {
            r.get(0)
        })
        .unwrap();
    for e in [
        guanhuai::db::fund::NewEntry {
            date: day("2026-01-05"),
            direction: guanhuai::domain::vocab::Direction::In,
            category: "fiscal".into(),
            amount_fen: 500000,
            voucher_no: "S-001".into(),
            ..Default::default()
        },
        guanhuai::db::fund::NewEntry {
            date: day("2026-02-01"),
            direction: guanhuai::domain::vocab::Direction::Out,
            category: "condolence".into(),
            amount_fen: 123456,
            member_id: Some(member),
            voucher_no: "Z-001".into(),
            handled_by: "王书记".into(),
            ..Default::default()
        },
    ] {
        guanhuai::db::fund::record(&mut conn, &e, today, "test").unwrap();
    }
    drop(conn);
    let p = env.path("fund.csv");
    env.export_ok("fund", &p, &[]);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("2026-01-05,收入,财政补贴,5000.00"), "{text}");
    assert!(
        text.contains("2026-02-01,支出,慰问金,1234.56,001,张三,Z-001,王书记"),
        "{text}"
    );
    env.export_ok("fund", &env.path("fund.xlsx"), &[]);
}

#[test]
fn a_large_roster_imports_in_one_go() {
    let env = Env::new();
    let mut csv = String::from("编号,姓名,性别,出生日期,身份证号,入党日期,享受低保\n");
    for i in 0..6000u32 {
        let birth = d("1950-01-01") + chrono::Duration::days(i64::from(i % 9000));
        csv.push_str(&format!(
            "{i:05},张{i},男,{},{},{},{}\n",
            birth,
            make_id_number("110105", birth, i % 1000),
            d("1990-07-01") + chrono::Duration::days(i64::from(i % 5000)),
            if i % 3 == 0 { "是" } else { "否" }
        ));
    }
    let p = env.write("big.csv", csv.as_bytes());
    let started = std::time::Instant::now();
    let out = env.import_ok("members", &p);
    assert!(out.contains("导入 6000 名党员"), "{out}");
    assert!(started.elapsed().as_secs() < 60);
    assert_eq!(env.members().len(), 6000);
}
