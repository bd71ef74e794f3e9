//! The hardship ledger on the command line, through the built binary:
//! `notice hardship` (text and XLSX, masked, filtered by period, exit codes),
//! `export hardship` → `import hardship` changing nothing, and an import that
//! creates the imported steps up to a row's state and refuses a state that
//! would move a case back.

mod common;

use std::io::Read;
use std::process::Output;

use chrono::NaiveDate;
use common::{Workdir, dump};
use guanhuai::db;
use guanhuai::db::hardship::NewCase;
use guanhuai::domain::hardship::{StepData, StepRequest, Votes};
use guanhuai::domain::vocab::{HardshipCategory, Priority};

const MEMBERS: &str = "编号,姓名,性别,出生日期,身份证号,手机,入党日期
001,张三,男,1950-03-15,110105195003150123,13812345678,1975-07-01
002,Li Lei,男,1960-01-01,,,1985-07-01
003,阿依古丽·买买提,女,1985-06-01,110105198506010214,010-12345678,2010-07-01
";

/// The database's tables and rows, less the row naming who wrote last
/// (`audit_actor`, rewritten by any command that opens a write): what a
/// command that changes nothing leaves as it was.
fn data(w: &Workdir) -> String {
    let all = dump(&db::open(&w.db).unwrap());
    let mut out = String::new();
    let mut skip = false;
    for line in all.lines() {
        if line.starts_with("== ") {
            skip = line.starts_with("== CREATE TABLE audit_actor");
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Equal dumps, or the first lines where they differ.
fn same(a: &str, b: &str, what: &str) {
    if a == b {
        return;
    }
    let diff: Vec<String> = a
        .lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .take(5)
        .map(|(x, y)| format!("- {x}\n+ {y}"))
        .collect();
    panic!(
        "{what}: the database changed ({} lines before, {} after):\n{}",
        a.lines().count(),
        b.lines().count(),
        diff.join("\n")
    );
}

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

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn path_str(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// A case of member `code` taken through review to a notice from `from` to `to`.
fn on_notice(conn: &mut rusqlite::Connection, code: &str, from: &str, to: &str) -> i64 {
    let member: i64 = conn
        .query_row("SELECT id FROM members WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .unwrap();
    let from = d(from);
    let case = NewCase {
        member_id: member,
        year: 2026,
        categories: vec![HardshipCategory::Living, HardshipCategory::Illness],
        cause: "长期患病".into(),
        family_situation: String::new(),
        family: Vec::new(),
        priority: Priority::Urgent,
        applied_on: from - chrono::Duration::days(10),
        note: String::new(),
    };
    let id = db::hardship::create_case(conn, &case, "test").unwrap();
    let today = d("2026-11-28");
    let steps = [
        (
            from - chrono::Duration::days(5),
            StepData::Review(Votes {
                for_: 10,
                against: 1,
                abstain: 0,
            }),
        ),
        (from, StepData::Publicize { from, to: d(to) }),
    ];
    for (date, data) in steps {
        let version = db::hardship::case(conn, id).unwrap().unwrap().version;
        let req = StepRequest {
            date,
            note: String::new(),
            data,
        };
        db::hardship::record_step(conn, id, version, &req, 5, today).unwrap();
    }
    id
}

/// Members 001 张三 and 002 Li Lei on notice now; 003 阿依古丽·买买提 on
/// notice in October, submitted since.
fn branch() -> Workdir {
    let w = Workdir::new();
    let m = w.write("m.csv", MEMBERS.as_bytes());
    ok(&w, &["import", "members", path_str(&m)]);
    let mut conn = db::open(&w.db).unwrap();
    on_notice(&mut conn, "001", "2026-11-26", "2026-12-02");
    on_notice(&mut conn, "002", "2026-11-25", "2026-11-30");
    let id = on_notice(&mut conn, "003", "2026-10-01", "2026-10-07");
    let version = db::hardship::case(&conn, id).unwrap().unwrap().version;
    let req = StepRequest {
        date: d("2026-10-10"),
        note: String::new(),
        data: StepData::Submit {
            to: "街道党工委".into(),
        },
    };
    db::hardship::record_step(&mut conn, id, version, &req, 5, d("2026-11-28")).unwrap();
    w
}

/// The display cell where `needle` starts in `line` (a CJK character is two).
fn cell_of(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {line}"));
    guanhuai::textwidth::width(&line[..at])
}

#[test]
fn the_text_notice_lists_the_cases_on_notice_aligned_by_display_width_and_masked() {
    let w = branch();
    let p = w.path("n.txt");
    let out = ok(&w, &["notice", "hardship", path_str(&p)]);
    assert!(out.contains("2 个困难台账"), "{out}");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(!text.contains('\r'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0].trim(), "困难党员帮扶公示");
    assert_eq!(lines[1], "公示期：2026-11-25 至 2026-12-02");
    let header = lines[3];
    assert!(header.starts_with("序号  姓名"), "{header}");
    let zhang = lines.iter().find(|l| l.contains("张三")).unwrap();
    let li = lines.iter().find(|l| l.contains("Li Lei")).unwrap();
    // the columns after a Chinese name and after an ASCII one start in the same cell
    for (col, z, l) in [
        ("编号", "001", "002"),
        ("公示期", "2026-11-26 至", "2026-11-25 至"),
        ("年度", "2026", "2026"),
    ] {
        assert_eq!(cell_of(zhang, z), cell_of(header, col), "{col}\n{text}");
        assert_eq!(cell_of(li, l), cell_of(header, col), "{col}\n{text}");
    }
    assert!(zhang.contains("生活困难、因病") && zhang.contains("特困"));
    assert!(zhang.contains("1101**********0123"), "{zhang}");
    assert!(zhang.contains("138****5678"), "{zhang}");
    assert!(!text.contains("110105195003150123"));
    assert!(!text.contains("13812345678"));
    // not on notice now
    assert!(!text.contains("阿依古丽"));
    assert!(text.contains("\n如有异议，请于公示期内向党支部反映。\n"));
    assert!(text.ends_with("\n经办人：          审核人：          日期：\n"));
}

#[test]
fn the_xlsx_notice_reads_back_and_is_set_up_to_print() {
    let w = branch();
    let p = w.path("n.xlsx");
    let out = ok(
        &w,
        &[
            "notice",
            "hardship",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            path_str(&p),
        ],
    );
    assert!(out.contains("1 个困难台账"), "{out}");
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&p).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "困难党员帮扶公示");
    assert_eq!(rows[1][0], "公示期：2026-10-01 至 2026-10-31");
    assert_eq!(
        rows[2],
        [
            "序号",
            "姓名",
            "编号",
            "性别",
            "年度",
            "困难类型",
            "致困原因",
            "轻重缓急",
            "公示期",
            "身份证号",
            "手机"
        ]
    );
    assert_eq!(
        rows[3],
        [
            "1",
            "阿依古丽·买买提",
            "003",
            "女",
            "2026",
            "生活困难、因病",
            "长期患病",
            "特困",
            "2026-10-01 至 2026-10-07",
            "1101**********0214",
            "010-****5678"
        ]
    );
    let texts: Vec<&String> = rows.iter().flatten().filter(|c| !c.is_empty()).collect();
    assert_eq!(
        texts.last().unwrap().as_str(),
        "经办人：          审核人：          日期："
    );
    assert!(texts.iter().any(|c| c.contains("如有异议")));
    assert!(!texts.iter().any(|c| c.contains("110105198506010214")));

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
    let mut xml = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = xml("xl/worksheets/sheet1.xml");
    assert!(sheet.contains("paperSize=\"9\""), "{sheet}");
    assert!(sheet.contains("fitToPage=\"1\""), "{sheet}");
    assert!(sheet.contains("fitToHeight=\"0\""), "{sheet}");
    assert!(!sheet.contains("<f>"), "no formulas");
    let workbook = xml("xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    assert!(
        workbook.contains("$3:$3"),
        "the header row repeats: {workbook}"
    );
}

#[test]
fn a_period_picks_the_notices_that_overlap_it() {
    let w = branch();
    let p = w.path("n.txt");
    let names = |args: &[&str]| -> Vec<&'static str> {
        let mut all = vec!["notice", "hardship"];
        all.extend_from_slice(args);
        all.push(path_str(&p));
        ok(&w, &all);
        let text = std::fs::read_to_string(&p).unwrap();
        ["张三", "Li Lei", "阿依古丽"]
            .into_iter()
            .filter(|n| text.contains(n))
            .collect()
    };
    assert_eq!(names(&["--from", "2026-12-01"]), ["张三"]);
    assert_eq!(names(&["--to", "2026-11-25"]), ["Li Lei", "阿依古丽"]);
    assert_eq!(
        names(&["--from", "2026-10-07", "--to", "2026-11-26"]),
        ["张三", "Li Lei", "阿依古丽"]
    );
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("公示期：2026-10-07 至 2026-11-26"), "{text}");
}

#[test]
fn an_empty_notice_is_still_written_and_says_so() {
    let w = Workdir::new();
    let m = w.write("m.csv", MEMBERS.as_bytes());
    ok(&w, &["import", "members", path_str(&m)]);
    let p = w.path("n.txt");
    let out = ok(&w, &["notice", "hardship", path_str(&p)]);
    assert!(out.contains("没有需要公示的困难台账"), "{out}");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(
        text.contains("\n本期没有公示的困难党员帮扶对象。\n"),
        "{text}"
    );
    assert!(text.contains("公示期：2026-11-28 无公示中的台账"), "{text}");

    let p = w.path("n.xlsx");
    let out = ok(&w, &["--lang", "en", "notice", "hardship", path_str(&p)]);
    assert!(out.contains("no hardship case is on notice"), "{out}");
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&p).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "Public notice: hardship assistance")
    );
    assert!(cells.iter().any(|c| c == "Name"));
    assert!(
        cells
            .iter()
            .any(|c| c.contains("No hardship cases are on notice"))
    );
}

#[test]
fn bad_usage_exits_2_and_user_errors_exit_1_leaving_nothing() {
    let w = branch();
    let before = data(&w);
    let txt = w.path("n.txt");
    for (args, code, says) in [
        (
            vec!["notice", "hardship", "--from", "2026-13-01", path_str(&txt)],
            2,
            "not a date",
        ),
        (
            vec![
                "notice",
                "hardship",
                "--from",
                "2026-12-01",
                "--to",
                "2026-11-01",
                path_str(&txt),
            ],
            2,
            "早于 --from",
        ),
        (
            vec!["notice", "members", path_str(&txt)],
            2,
            "invalid value",
        ),
        (vec!["notice", "hardship"], 2, "FILE"),
        (
            vec!["notice", "hardship", path_str(&w.path("n.csv"))],
            1,
            ".xlsx 或 .txt",
        ),
        (
            vec!["notice", "hardship", path_str(&w.path("no/n.txt"))],
            1,
            "目录不存在",
        ),
    ] {
        let out = run(&w, &args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    assert!(!txt.exists());
    same(&before, &data(&w), "refused notices");

    // a database that does not exist is refused, not created
    let other = Workdir::new();
    let out = run(
        &other,
        &["notice", "hardship", path_str(&other.path("n.txt"))],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!other.db.exists());
    assert!(!other.path("n.txt").exists());
}

#[test]
fn the_exported_ledger_imports_back_into_the_same_database_changing_nothing() {
    let w = Workdir::new();
    common::fill_demo(&w.db);
    let before = data(&w);
    for name in ["h.csv", "h.xlsx"] {
        let p = w.path(name);
        let out = ok(&w, &["export", "hardship", path_str(&p)]);
        assert!(out.contains("已导出"), "{out}");
        let out = ok(&w, &["import", "hardship", path_str(&p)]);
        assert!(out.contains("新增 0，更新 0"), "{name}: {out}");
        same(&before, &data(&w), name);
    }
    let text = std::fs::read_to_string(w.path("h.csv")).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "编号,年度,困难类型,致困原因,轻重缓急,状态,批准日期,姓名,申请日期,家庭成员,家庭月收入(元),帮扶人,帮扶措施,最近年审,下次年审"
    );
    assert!(text.contains("元；"), "family members in words:\n{text}");
    assert!(
        text.contains("一帮一：") && text.contains("多帮一："),
        "{text}"
    );
    for state in [
        "个人申请",
        "民主评议",
        "公示",
        "逐级申报",
        "审核通过",
        "驳回",
        "帮扶中",
        "已脱困",
        "终止",
    ] {
        assert!(text.contains(&format!(",{state},")), "{state}:\n{text}");
    }

    // the XLSX ledger keeps its header in row 1 and prints with title and signature line
    let mut zip = zip::ZipArchive::new(std::fs::File::open(w.path("h.xlsx")).unwrap()).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""));
    assert!(sheet.contains("fitToPage=\"1\"") && sheet.contains("fitToHeight=\"0\""));
    assert!(sheet.contains("困难党员台账</oddHeader>"), "{sheet}");
    assert!(sheet.contains("经办人："), "{sheet}");
}

/// Every step of member `code`'s 2026 case: (state, date, clerk, note, imported).
fn steps_of(w: &Workdir, code: &str) -> Vec<(String, String, String, String, bool)> {
    let conn = db::open(&w.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT s.step, s.date, s.clerk, s.note, s.imported FROM hardship_steps s
             JOIN hardship_cases c ON c.id = s.case_id JOIN members m ON m.id = c.member_id
             WHERE m.code = ?1 AND c.year = 2026 ORDER BY s.id",
        )
        .unwrap();
    stmt.query_map([code], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn an_import_creates_the_steps_up_to_the_state_and_refuses_a_state_behind() {
    let w = Workdir::new();
    let m = w.write("m.csv", MEMBERS.as_bytes());
    ok(&w, &["import", "members", path_str(&m)]);
    let h = w.write(
        "h.csv",
        "编号,年度,困难类型,致困原因,轻重缓急,状态,批准日期
001,2026,生活困难,长期患病,特困,帮扶中,2026-02-01
002,2026,因病,,一般,公示,
003,2026,因病,,一般,驳回,
"
        .as_bytes(),
    );
    // imported on 2026-11-01
    let out = w
        .command(&["import", "hardship", path_str(&h)])
        .env("USER", "clerk1")
        .env("GUANHUAI_TODAY", "2026-11-01")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("新增 3"), "{}", stdout(&out));
    let step = |s: &str, date: &str| {
        (
            s.to_string(),
            date.to_string(),
            "clerk1".to_string(),
            "导入".to_string(),
            true,
        )
    };
    assert_eq!(
        steps_of(&w, "001"),
        [
            step("applied", "2026-02-01"),
            step("reviewed", "2026-02-01"),
            step("publicized", "2026-02-01"),
            step("submitted", "2026-02-01"),
            step("approved", "2026-02-01"),
            step("active", "2026-11-01"),
        ]
    );
    assert_eq!(
        steps_of(&w, "002"),
        [
            step("applied", "2026-11-01"),
            step("reviewed", "2026-11-01"),
            step("publicized", "2026-11-01"),
        ]
    );
    assert_eq!(
        steps_of(&w, "003"),
        [
            step("applied", "2026-11-01"),
            step("rejected", "2026-11-01")
        ]
    );

    // later, 002 is approved: the missing steps are added; 001 is as it was
    let h2 = w.write(
        "h2.csv",
        "编号,年度,困难类型,致困原因,轻重缓急,状态,批准日期
001,2026,生活困难,长期患病,特困,帮扶中,2026-02-01
002,2026,因病,,一般,审核通过,2026-11-20
"
        .as_bytes(),
    );
    let out = ok(&w, &["import", "hardship", path_str(&h2)]);
    assert!(out.contains("更新 1，已有相同记录 1 条"), "{out}");
    assert_eq!(
        steps_of(&w, "002")[3..],
        [
            step("submitted", "2026-11-20"),
            step("approved", "2026-11-20")
        ]
    );
    let conn = db::open(&w.db).unwrap();
    let (state, approved): (String, String) = conn
        .query_row(
            "SELECT state, approved_on FROM hardship_cases c JOIN members m ON m.id = c.member_id WHERE m.code = '002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), approved.as_str()),
        ("approved", "2026-11-20")
    );
    drop(conn);

    // a state behind the case's, or off its path, is refused and nothing changes
    let before = data(&w);
    let back = w.write(
        "back.csv",
        "编号,年度,困难类型,致困原因,轻重缓急,状态,批准日期
002,2026,因病,新的原因,一般,审核通过,2026-11-20
001,2026,生活困难,,,个人申请,
003,2026,因病,,一般,帮扶中,2026-11-02
"
        .as_bytes(),
    );
    let out = run(&w, &["import", "hardship", path_str(&back)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "第 3 行，列「状态」：台账现为「帮扶中」，不能改为「个人申请」",
        "第 4 行，列「状态」：台账现为「驳回」，不能改为「帮扶中」",
        "未写入任何数据",
    ] {
        assert!(err.contains(line), "missing «{line}» in:\n{err}");
    }
    same(&before, &data(&w), "refused import");

    // a case whose notice still runs cannot be submitted by an import
    let running = branch();
    let early = running.write(
        "early.csv",
        "编号,年度,困难类型,状态\n001,2026,生活困难、因病,逐级申报\n".as_bytes(),
    );
    let before = data(&running);
    let out = run(&running, &["import", "hardship", path_str(&early)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("第 2 行，列「状态」：公示期至 2026-12-02 结束，逐级申报须在其后"),
        "{}",
        stderr(&out)
    );
    same(&before, &data(&running), "a submission during the notice");
}

#[test]
fn a_case_imported_in_publicity_is_on_the_notice_with_its_window_not_recorded() {
    let w = Workdir::new();
    let m = w.write("m.csv", MEMBERS.as_bytes());
    ok(&w, &["import", "members", path_str(&m)]);
    let h = w.write(
        "h.csv",
        "编号,年度,困难类型,致困原因,轻重缓急,状态\n002,2026,因病,长期患病,一般,公示\n".as_bytes(),
    );
    ok(&w, &["import", "hardship", path_str(&h)]);
    let txt = w.path("n.txt");
    ok(&w, &["notice", "hardship", path_str(&txt)]);
    let text = std::fs::read_to_string(&txt).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("Li Lei"))
        .unwrap_or_else(|| panic!("not on the notice:\n{text}"));
    assert!(line.contains("（未登记）"), "{line}");
    // a period asks for windows: an unrecorded one overlaps none
    ok(
        &w,
        &[
            "notice",
            "hardship",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            path_str(&txt),
        ],
    );
    assert!(!std::fs::read_to_string(&txt).unwrap().contains("Li Lei"));
}
