//! Strict reading, through the built binary: every damaged or hostile file of
//! a class is refused with exit status 1 and a message naming the row, and
//! the database is exactly as it was (a dump of every table, before and after).
//! Also: what the program prints never carries control characters or whole
//! ID numbers, and CSV cells that would run as formulas are guarded.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use guanhuai::domain::validate::make_id_number;
use rust_xlsxwriter::{Format, Workbook};

const TODAY: &str = "2026-11-28";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// A working directory whose database holds the fixtures.
struct Env(common::Workdir);

impl std::ops::Deref for Env {
    type Target = common::Workdir;
    fn deref(&self) -> &common::Workdir {
        &self.0
    }
}

impl Env {
    /// A database holding the good members fixture and a few records.
    fn new() -> Env {
        let env = Env(common::Workdir::new());
        for (what, file) in [
            ("members", "members_good.csv"),
            ("talks", "talks.csv"),
            ("hardship", "hardship.csv"),
        ] {
            let out = env.import(what, &fixture(file));
            assert!(out.status.success(), "{}", stderr(&out));
        }
        env
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn import(&self, what: &str, file: &Path) -> Output {
        self.run(&["import", what, file.to_str().unwrap()])
    }

    /// Every table's rows in rowid order, the schema and the user version.
    fn dump(&self) -> String {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        common::dump(&conn)
    }

    /// Imports `file` as `what`, insists on exit 1 with every line of `want`
    /// on stderr and the database unchanged; returns stderr.
    fn refused(&self, what: &str, file: &Path, want: &[&str]) -> String {
        let before = self.dump();
        let out = self.import(what, file);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", file.display());
        for w in want {
            assert!(err.contains(w), "missing «{w}» in:\n{err}");
        }
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(self.dump(), before, "the database changed");
        err
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const MEMBERS_HEAD: &str = "编号,姓名,性别,出生日期,入党日期\n";

// ---- 1. silent loss on import ----------------------------------------------

#[test]
fn a_quote_never_closed_is_refused_naming_its_row() {
    let env = Env::new();
    let body = format!(
        "{MEMBERS_HEAD}101,王一,男,1960-01-01,1990-07-01\n102,\"李二,女,1961-01-01,1991-07-01\n103,赵三,男,1962-01-01,1992-07-01\n"
    );
    let p = env.write("q.csv", body.as_bytes());
    env.refused("members", &p, &["第 3 行：引号没有闭合"]);
    // text after a closing quote: a broken quote too
    let body = format!("{MEMBERS_HEAD}101,\"王一\"x,男,1960-01-01,1990-07-01\n");
    let p = env.write("q2.csv", body.as_bytes());
    env.refused(
        "members",
        &p,
        &["第 2 行第 2 个单元格：右引号后还有其他字符"],
    );
    // the same for every record kind
    for (what, head) in [
        ("talks", "编号,日期,形式\n"),
        ("visits", "编号,日期,方式\n"),
        ("events", "编号,日期,事件\n"),
        ("hardship", "编号,年度,困难类型\n"),
    ] {
        let p = env.write("r.csv", format!("{head}001,\"2026-01-01,x\n").as_bytes());
        env.refused(what, &p, &["第 2 行：引号没有闭合"]);
    }
}

#[test]
fn a_utf8_file_with_one_row_in_gbk_is_refused_naming_the_row() {
    let env = Env::new();
    let mut bytes = MEMBERS_HEAD.as_bytes().to_vec();
    bytes.extend_from_slice("101,王一,男,1960-01-01,1990-07-01\n".as_bytes());
    bytes.extend_from_slice(
        &encoding_rs::GBK
            .encode("102,李二,女,1961-01-01,1991-07-01\n")
            .0,
    );
    bytes.extend_from_slice("103,赵三,男,1962-01-01,1992-07-01\n".as_bytes());
    let p = env.write("mixed.csv", &bytes);
    env.refused("members", &p, &["第 3 行不是 UTF-8 编码"]);
    // with a BOM too
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&bytes);
    let p = env.write("mixed_bom.csv", &bom);
    env.refused("members", &p, &["第 3 行不是有效的 UTF-8 文本"]);
    // a whole file in GBK is fine
    let gbk = encoding_rs::GBK
        .encode(&format!(
            "{MEMBERS_HEAD}101,王一,男,1960-01-01,1990-07-01\n"
        ))
        .0
        .into_owned();
    let p = env.write("gbk.csv", &gbk);
    let out = env.import("members", &p);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_row_with_more_cells_than_the_header_is_refused() {
    let env = Env::new();
    let body = format!(
        "{MEMBERS_HEAD}101,王一,男,1960-01-01,1990-07-01,多出来的\n102,李二,女,1961-01-01,1991-07-01\n"
    );
    let p = env.write("wide.csv", body.as_bytes());
    env.refused(
        "members",
        &p,
        &["第 2 行：有 6 个单元格，比表头（第 1 行，5 列）多"],
    );
    // data under a header cell left empty
    let body = "编号,姓名,,入党日期\n101,王一,秘密,1990-07-01\n";
    let p = env.write("unnamed.csv", body.as_bytes());
    env.refused(
        "members",
        &p,
        &["第 2 行：第 C 列有数据“秘密”，但该列没有列名"],
    );
    // an unknown or repeated header names the column
    let p = env.write(
        "unknown.csv",
        "编号,姓名,入党日期,籍贯\n101,王一,1990-07-01,北京\n".as_bytes(),
    );
    env.refused(
        "members",
        &p,
        &["第 1 行（表头）有无法识别的列：第 D 列「籍贯」"],
    );
    let p = env.write(
        "twice.csv",
        "编号,姓名,入党日期,姓名\n101,王一,1990-07-01,王一\n".as_bytes(),
    );
    env.refused(
        "members",
        &p,
        &["第 1 行（表头）第 D 列：「姓名」列出现了两次"],
    );
    // missing trailing cells are empty cells
    let p = env.write(
        "short.csv",
        format!("{MEMBERS_HEAD}101,王一,男\n").as_bytes(),
    );
    env.refused(
        "members",
        &p,
        &["第 2 行，列「入党日期」：入党日期不能为空"],
    );
}

// ---- 2. XLSX that would make the reader allocate the grid ------------------

/// Runs the binary and returns (status, stderr, peak RSS in KiB) from wait4.
// The child is reaped by wait4, which also gives its own peak memory.
#[allow(clippy::zombie_processes)]
fn run_measured(env: &Env, args: &[&str]) -> (Option<i32>, String, i64) {
    let child = Command::new(env!("CARGO_BIN_EXE_guanhuai"))
        .arg("--db")
        .arg(&env.db)
        .args(args)
        .env("GUANHUAI_TODAY", TODAY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut err = child.stderr.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut err, &mut text).unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, text, usage.ru_maxrss)
}

fn members_book(path: &Path, stray: Option<(u32, u16)>) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "姓名", "入党日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "101").unwrap();
    sheet.write_string(1, 1, "王一").unwrap();
    sheet.write_string(1, 2, "1990-07-01").unwrap();
    if let Some((r, c)) = stray {
        sheet.write_string(r, c, "x").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_stray_cell_at_the_far_corner_costs_nothing() {
    let env = Env::new();
    for (name, cell, want) in [
        (
            "corner.xlsx",
            (1_048_575, 16_383),
            "第 1048576 行：有 16384 个单元格",
        ),
        (
            "last_row_a.xlsx",
            (1_048_575, 0),
            "第 1048576 行，列「入党日期」：入党日期不能为空",
        ),
    ] {
        let p = env.path(name);
        members_book(&p, Some(cell));
        assert!(std::fs::metadata(&p).unwrap().len() < 20_000);
        let before = env.dump();
        let (code, err, rss_kib) = run_measured(&env, &["import", "members", p.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains(want), "missing «{want}» in {err}");
        assert!(rss_kib < 100 * 1024, "{name}: peak memory {rss_kib} KiB");
        assert_eq!(env.dump(), before);
    }
}

#[test]
fn data_on_a_second_sheet_is_refused_with_the_sheet_names() {
    let env = Env::new();
    let p = env.path("two.xlsx");
    let mut book = Workbook::new();
    let a = book.add_worksheet();
    a.set_name("党员").unwrap();
    a.write_string(0, 0, "编号").unwrap();
    a.write_string(0, 1, "姓名").unwrap();
    a.write_string(0, 2, "入党日期").unwrap();
    a.write_string(1, 0, "101").unwrap();
    a.write_string(1, 1, "王一").unwrap();
    a.write_string(1, 2, "1990-07-01").unwrap();
    let b = book.add_worksheet();
    b.set_name("第二批").unwrap();
    b.write_string(0, 0, "编号").unwrap();
    book.add_worksheet().set_name("空表").unwrap();
    book.save(&p).unwrap();
    let err = env.refused("members", &p, &["2 个工作表有数据：「党员」「第二批」"]);
    assert!(!err.contains("空表"));
}

#[test]
fn old_xls_and_files_that_are_not_workbooks_are_refused() {
    let env = Env::new();
    let p = env.write("old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really");
    env.refused(
        "members",
        &p,
        &["不支持旧版 Excel 文件", "另存为 .xlsx 或 .csv"],
    );
    let p = env.write("fake.xlsx", b"just text, not a zip");
    env.refused("members", &p, &["不是有效的 .xlsx 文件"]);
}

// ---- 3. values that must be refused -----------------------------------------

#[test]
fn dates_before_1900_and_after_today_are_refused() {
    let env = Env::new();
    let body = format!(
        "{MEMBERS_HEAD}101,王一,男,1899-12-31,1990-07-01\n102,李二,女,1960-01-01,0000-01-01\n103,赵三,男,1960-01-01,2026-11-29\n"
    );
    let p = env.write("d.csv", body.as_bytes());
    env.refused(
        "members",
        &p,
        &[
            "第 2 行，列「出生日期」：日期1899-12-31早于1900-01-01",
            "第 3 行，列「入党日期」：日期0000-01-01早于1900-01-01",
            "第 4 行，列「入党日期」：日期2026-11-29晚于今天",
        ],
    );
    // date cells: a negative serial and serial 0 are no dates
    let p = env.path("serials.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["编号", "姓名", "入党日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, serial) in [(1u32, -5.0), (2, 0.0)] {
        sheet.write_string(r, 0, format!("10{r}")).unwrap();
        sheet.write_string(r, 1, "王一").unwrap();
        sheet.write_number_with_format(r, 2, serial, &date).unwrap();
    }
    book.save(&p).unwrap();
    env.refused(
        "members",
        &p,
        &[
            "第 2 行，列「入党日期」：“-5”不是有效日期",
            "第 3 行，列「入党日期」：“0”不是有效日期",
        ],
    );
    // a talk dated in the 1800s
    let p = env.write("t.csv", "编号,日期\n001,1800-01-01\n".as_bytes());
    env.refused(
        "talks",
        &p,
        &["第 2 行，列「日期」：日期1800-01-01早于1900-01-01"],
    );
}

#[test]
fn as_of_before_1900_is_bad_usage() {
    let env = Env::new();
    for d in ["0000-01-01", "1899-12-31"] {
        let out = env.run(&["overdue", "--as-of", d]);
        assert_eq!(out.status.code(), Some(2), "{d}");
        assert!(stderr(&out).contains(d));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn control_characters_zero_width_names_and_huge_codes_are_refused() {
    let env = Env::new();
    let body = format!(
        "{MEMBERS_HEAD}101,王\x1b]0;pwned\x07一,男,1960-01-01,1990-07-01\n1\x1b[31m02,李二,女,1961-01-01,1991-07-01\n103,\u{200B}\u{200D},男,1962-01-01,1992-07-01\n{},赵四,男,1962-01-01,1992-07-01\n105,\u{9b}31m,男,1962-01-01,1992-07-01\n",
        "7".repeat(1_000_000)
    );
    let p = env.write("ctl.csv", body.as_bytes());
    let err = env.refused(
        "members",
        &p,
        &[
            "第 2 行，列「姓名」：含有控制字符 \\x1B",
            "第 3 行，列「编号」：含有控制字符 \\x1B",
            "第 4 行，列「姓名」：只含不可见字符",
            "第 5 行，列「编号」：过长：1000000 字，最多 32 字",
            "第 6 行，列「姓名」：含有控制字符 \\x9B",
        ],
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{9b}') && !err.contains('\u{7}'));
    assert!(err.len() < 4_000, "stderr is {} bytes", err.len());
    // a line break is allowed in notes only
    let p = env.write(
        "nl.csv",
        "编号,姓名,入党日期,备注\n101,\"王\n一\",1990-07-01,\"两行\n备注\"\n".as_bytes(),
    );
    env.refused("members", &p, &["第 2 行，列「姓名」：含有控制字符 \\n"]);
    let p = env.write(
        "nl_ok.csv",
        "编号,姓名,入党日期,备注\n101,王一,1990-07-01,\"两行\n备注\"\n".as_bytes(),
    );
    let out = env.import("members", &p);
    assert!(out.status.success(), "{}", stderr(&out));
    // record files too
    let p = env.write(
        "talk.csv",
        "编号,日期,谈话人\n001,2026-01-01,书记\x1b[2J\n".as_bytes(),
    );
    env.refused("talks", &p, &["第 2 行，列「谈话人」：含有控制字符 \\x1B"]);
}

#[test]
fn hardship_categories_that_are_only_separators_are_refused() {
    let env = Env::new();
    let p = env.write(
        "h.csv",
        "编号,年度,困难类型\n001,2026,\"、;,，\"\n".as_bytes(),
    );
    env.refused(
        "hardship",
        &p,
        &["第 2 行，列「困难类型」：“、;,，”中没有困难类型"],
    );
}

#[test]
fn an_id_number_kept_as_a_number_says_so() {
    let env = Env::new();
    let p = env.path("idnum.xlsx");
    let id = make_id_number("110105", NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(), 12);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "姓名", "身份证号", "入党日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "101").unwrap();
    sheet.write_string(1, 1, "王一").unwrap();
    sheet
        .write_number(1, 2, id[..17].parse::<f64>().unwrap() * 10.0)
        .unwrap();
    sheet.write_string(1, 3, "1990-07-01").unwrap();
    book.save(&p).unwrap();
    let err = env.refused(
        "members",
        &p,
        &["第 2 行，列「身份证号」：身份证号在表格中保存成了数字"],
    );
    assert!(!err.contains("校验位"), "{err}");
}

// ---- 6. privacy in messages ------------------------------------------------

#[test]
fn messages_never_echo_a_whole_id_number() {
    let env = Env::new();
    let id = make_id_number("110105", NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(), 12);
    // a shifted row puts the ID number under 出生日期, 编号 and 姓名
    let body = format!(
        "编号,姓名,出生日期,身份证号,入党日期\n101,王一,{id},,1990-07-01\n{id},王二,1960-01-01,,1990-07-01\n"
    );
    let p = env.write("shift.csv", body.as_bytes());
    let masked = format!("{}**********{}", &id[..4], &id[14..]);
    let err = env.refused("members", &p, &[&format!("“{masked}”不是有效日期")]);
    assert!(!err.contains(&id), "{err}");
    let p = env.write(
        "shift_talk.csv",
        format!("编号,日期\n{id},2026-01-01\n").as_bytes(),
    );
    let err = env.refused("talks", &p, &[&format!("编号 {masked} 不在党员名册中")]);
    assert!(!err.contains(&id), "{err}");
}

// ---- 7. formula injection --------------------------------------------------

#[test]
fn formulas_are_guarded_on_csv_export_and_unguarded_on_import() {
    let env = Env::new();
    let names = [
        "=HYPERLINK(\"http://x.cn\",\"点我\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3",
        "'=已有引号",
    ];
    let mut body = String::from(MEMBERS_HEAD);
    for (i, n) in names.iter().enumerate() {
        // written as our export writes it: an import gives back `n`
        let n = guanhuai::interchange::formula::guard(n).replace('"', "\"\"");
        body.push_str(&format!("2{i:02},\"{n}\",男,1960-01-01,1990-07-01\n"));
    }
    // the import removes a guard `'` (as our export writes it)
    body.push_str("299,'=已防护,男,1960-01-01,1990-07-01\n");
    let p = env.write("f.xlsx.csv", body.as_bytes());
    let out = env.import("members", &p);
    assert!(out.status.success(), "{}", stderr(&out));
    let out_csv = env.path("out.csv");
    let out = env.run(&["export", "members", out_csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&out_csv).unwrap();
    for want in [
        "200,\"'=HYPERLINK(\"\"http://x.cn\"\",\"\"点我\"\")\"",
        "201,'+cmd|' /C calc'!A0,",
        "202,'@SUM(1),",
        "203,'-2+3,",
        "204,''=已有引号,",
        "299,'=已防护,",
    ] {
        assert!(text.contains(want), "missing «{want}» in export");
    }
    assert!(!text.contains("\n200,=") && !text.contains(",+cmd"));
    // the overdue list's CSV is guarded too
    let out = env.run(&["overdue", "--format", "csv"]);
    assert!(out.status.success());
    for line in stdout(&out).lines().skip(1) {
        let name = line.split(',').nth(1).unwrap_or("");
        assert!(!name.starts_with(['=', '+', '@']), "{line}");
    }
    // round trip: importing the export gives back the same names
    let before = env.dump();
    let out = env.import("members", &out_csv);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.dump(), before, "export → import changed the roster");
}

// ---- terminal safety of every output ---------------------------------------

#[test]
fn stored_control_characters_never_reach_the_terminal_raw() {
    let env = Env::new();
    // a record written by an older version, or by hand
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let n = conn
            .execute(
                "UPDATE members SET name = '张\u{1b}]0;pwned\u{7}三\u{9b}' WHERE code = '001'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    for format in ["table", "csv", "json"] {
        for soon in [false, true] {
            let mut args = vec!["overdue", "--format", format];
            if soon {
                args.push("--soon");
            }
            let out = env.run(&args);
            assert!(out.status.success(), "{}", stderr(&out));
            let text = stdout(&out);
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
                "{format}: raw control characters in {text}"
            );
        }
    }
    let out = env.run(&["overdue", "--format", "table"]);
    assert!(
        stdout(&out).contains("张\\x1B]0;pwned\\x07三\\x9B"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_zip_bomb_of_text_is_refused_before_it_is_read() {
    use std::io::Write;
    let env = Env::new();
    let p = env.path("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.start_file("xl/sharedStrings.xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#)
        .unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..80 {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</t></si></sst>").unwrap();
    zip.finish().unwrap();
    assert!(std::fs::metadata(&p).unwrap().len() < 1_000_000);
    let before = env.dump();
    let (code, err, rss_kib) = run_measured(&env, &["import", "members", p.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("中的文字总量过大"), "{err}");
    assert!(err.contains("另存为 CSV"), "{err}");
    assert!(rss_kib < 100 * 1024, "peak memory {rss_kib} KiB");
    assert_eq!(env.dump(), before);
}
