//! The fuzzing harness: property tests (proptest) over the CSV and XLSX
//! readers of every record kind and over the date, money, ID-number and phone
//! parsers, run with a bounded number of cases in the test command.
//!
//! Properties: nothing panics; an import either succeeds or fails with
//! messages and leaves the database exactly as it was; what our CSV writer
//! writes (quotes, line breaks, formula guards, any Unicode) reads back
//! identically; what a workbook holds reads back at the same rows and columns;
//! a parsed value formats and parses back to itself.
//!
//! `GUANHUAI_FUZZ_CASES=20000 cargo test --release --test fuzz` runs a longer
//! campaign. Inputs that once broke something are kept in
//! `tests/fuzz_inputs/` and replayed by `kept_inputs_are_handled` below.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use guanhuai::db;
use guanhuai::domain::{dates, money, validate};
use guanhuai::interchange::formula;
use guanhuai::interchange::hardship::HardshipImport;
use guanhuai::interchange::import::{self, RowImporter};
use guanhuai::interchange::members::MemberImport;
use guanhuai::interchange::records::{EventImport, Roster, TalkImport, VisitImport};
use guanhuai::interchange::table::Table;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn cases(default: u32) -> u32 {
    std::env::var("GUANHUAI_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const KINDS: [&str; 5] = ["members", "talks", "visits", "events", "hardship"];

/// A database with three members, a talk and a hardship case.
fn base_db() -> rusqlite::Connection {
    let mut conn = db::open_in_memory().unwrap();
    let members = "编号,姓名,性别,出生日期,身份证号,入党日期\n001,张三,男,1950-03-15,110105195003150123,1975-07-01\n002,阿依古丽·买买提,女,1985-06-01,,2010-07-01\n003,𠮷田,男,1960-01-01,,1990-07-01\n";
    let table = Table::from_csv_bytes(members.as_bytes().to_vec()).unwrap();
    import::run(
        &mut conn,
        table,
        &mut MemberImport::new(today()),
        0,
        &mut |_| {},
    )
    .unwrap();
    let talks = "编号,日期,形式\n001,2026-01-05,面对面\n";
    let table = Table::from_csv_bytes(talks.as_bytes().to_vec()).unwrap();
    let mut imp = importer(&conn, "talks");
    import::run(&mut conn, table, imp.as_mut(), 0, &mut |_| {}).unwrap();
    conn
}

fn importer(_conn: &rusqlite::Connection, kind: &str) -> Box<dyn RowImporter> {
    let roster = Roster::new;
    match kind {
        "members" => Box::new(MemberImport::new(today())),
        "talks" => Box::new(TalkImport::new(roster(), today())),
        "visits" => Box::new(VisitImport::new(roster(), today())),
        "events" => Box::new(EventImport::new(roster(), today())),
        _ => Box::new(HardshipImport::new(roster(), today())),
    }
}

/// Imports `table` as `kind`: never panics; a failure leaves the database as it was.
fn import_is_all_or_nothing(kind: &str, open: impl FnOnce() -> Result<Table, String>) {
    let mut conn = base_db();
    let before = common::dump(&conn);
    let table = match open() {
        Ok(t) => t,
        Err(_) => return, // refused as a file: nothing was opened for writing
    };
    let mut imp = importer(&conn, kind);
    let result = import::run(&mut conn, table, imp.as_mut(), 0, &mut |_| {});
    if result.is_err() {
        assert_eq!(
            common::dump(&conn),
            before,
            "a failed {kind} import changed the database"
        );
    }
}

/// Headers (Chinese, English and wrong ones) and cell values that matter.
const TOKENS: &[&str] = &[
    "编号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机",
    "入党日期",
    "日期",
    "形式",
    "方式",
    "事件",
    "年度",
    "困难类型",
    "备注",
    "code",
    "name",
    "joined_on",
    "date",
    "kind",
    "籍贯",
    "",
    "001",
    "002",
    "003",
    "404",
    "张三",
    "阿依古丽·买买提",
    "𠮷田",
    "男",
    "女",
    "2024-01-25",
    "2024/1/25",
    "2024年1月25日",
    "45316",
    "1899-12-31",
    "2026-11-29",
    "0000-01-01",
    "是",
    "否",
    "Y",
    "家访",
    "面对面",
    "生病住院",
    "生活困难、因病",
    "、;,",
    "2026",
    "110105195003150123",
    "11010519500315012X",
    "13812345678",
    "010-12345678",
    "=HYPERLINK(\"x\")",
    "'=1",
    "+cmd",
    "@SUM(1)",
    "\"",
    "\"\"",
    ",",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{1b}]0;x\u{7}",
    "\u{200b}",
    "\u{feff}",
    "\u{9b}",
    "审核通过",
    "帮扶中",
    "2025-06-01",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

/// A CSV made of tokens joined by commas and line breaks, then mutated.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop::sample::select(TOKENS.to_vec());
    let sep = prop::sample::select(vec![",", ",", ",", "\n", "\r\n", "\"", ""]);
    let body = prop::collection::vec((token, sep), 0..60).prop_map(|parts| {
        let mut s = String::new();
        for (t, sep) in parts {
            s.push_str(t);
            s.push_str(sep);
        }
        s.into_bytes()
    });
    let gbk = any::<bool>();
    let mutations =
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..4);
    (body, gbk, mutations).prop_map(|(mut b, gbk, muts)| {
        if gbk {
            let text = String::from_utf8_lossy(&b).into_owned();
            b = encoding_rs::GBK.encode(&text).0.into_owned();
        }
        for (at, byte, op) in muts {
            if b.is_empty() {
                b.push(byte);
                continue;
            }
            let i = at.index(b.len());
            match op {
                0 => b[i] = byte,
                1 => b.insert(i, byte),
                _ => {
                    b.remove(i);
                }
            }
        }
        b
    })
}

/// A header row every kind accepts for its own required columns, then rows.
fn valid_header(kind: &str) -> &'static str {
    match kind {
        "members" => "编号,姓名,性别,出生日期,身份证号,手机,入党日期,备注",
        "talks" => "编号,日期,形式,谈话人,内容摘要",
        "visits" => "编号,日期,方式,走访人,情况",
        "events" => "编号,日期,事件,说明",
        _ => "编号,年度,困难类型,致困原因,状态,批准日期",
    }
}

fn with_header(kind: &str, body: Vec<u8>) -> Vec<u8> {
    let mut b = valid_header(kind).as_bytes().to_vec();
    b.push(b'\n');
    b.extend(body);
    b
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn csv_imports_of_every_kind_are_all_or_nothing(
        kind in prop::sample::select(KINDS.to_vec()),
        bytes in csv_bytes(),
        header in any::<bool>(),
    ) {
        let bytes = if header { with_header(kind, bytes) } else { bytes };
        import_is_all_or_nothing(kind, || Table::from_csv_bytes(bytes).map_err(|m| m.zh));
    }

    #[test]
    fn arbitrary_bytes_never_break_the_csv_reader(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(t) = Table::from_csv_bytes(bytes) {
            for row in t {
                let _ = row;
            }
        }
    }
}

/// Cell text our exports may hold: any character, including quotes, commas,
/// line breaks and formula starts.
fn cell_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "\"", ",", "\n", "\r\n", "=", "+", "-", "@", "'", "\t", " ", "张", "𠮷", "·", "1"
        ])
        .prop_map(str::to_string),
        any::<char>()
            .prop_filter("no BOM, no lone CR", |c| *c != '\u{feff}' && *c != '\r')
            .prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

/// RFC 4180 as our exports write it: formula guard, quotes only where needed.
fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                let c = formula::guard(c).into_owned();
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn what_we_write_as_csv_reads_back_identically(
        rows in prop::collection::vec(prop::collection::vec(cell_text(), 2..5), 1..8)
    ) {
        let width = rows[0].len();
        let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.resize(width, String::new()); r }).collect();
        let bytes = write_csv(&rows);
        let read: Vec<(usize, Vec<String>)> = Table::from_csv_bytes(bytes)
            .unwrap()
            .map(|r| r.map(|r| (r.number, r.cells)).unwrap())
            .collect();
        let want: Vec<(usize, Vec<String>)> = rows
            .into_iter()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .map(|(i, r)| (i + 1, r))
            .collect();
        prop_assert_eq!(read, want);
    }

    #[test]
    fn dates_parse_within_1900_to_9999_and_round_trip(s in "\\PC{0,16}", y in 1800i32..2200, m in 1u32..13, d in 1u32..32) {
        if let Some(date) = dates::parse_date(&s) {
            prop_assert!(date >= dates::EARLIEST);
            prop_assert_eq!(dates::parse_date(&dates::fmt(date)), Some(date));
        }
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            let want = (date >= dates::EARLIEST).then_some(date);
            prop_assert_eq!(dates::parse_date(&format!("{y}年{m}月{d}日")), want);
            prop_assert_eq!(dates::parse_date(&format!("{y}/{m}/{d}")), want);
        }
    }

    #[test]
    fn money_is_integer_fen_and_round_trips(s in "[-¥￥ ,.0-9元a-z]{0,16}", fen in -money::MAX_FEN..=money::MAX_FEN) {
        if let Ok(f) = money::parse_yuan(&s) {
            prop_assert!(f.abs() <= money::MAX_FEN);
            prop_assert_eq!(money::parse_yuan(&money::format_yuan(f)), Ok(f));
        }
        prop_assert_eq!(money::parse_yuan(&money::format_yuan(fen)), Ok(fen));
    }

    #[test]
    fn id_numbers_and_phones_normalise_to_themselves(s in "[0-9Xx ０-９\\-+()转ext]{0,22}") {
        if let Ok(id) = validate::id_number(&s, today()) {
            prop_assert_eq!(id.len(), 18);
            prop_assert_eq!(validate::id_number(&id, today()), Ok(id.clone()));
        }
        if let Ok(p) = validate::phone(&s) {
            prop_assert_eq!(validate::phone(&p), Ok(p.clone()));
        }
    }
}

// ---- XLSX ----------------------------------------------------------------

#[derive(Debug, Clone)]
enum XCell {
    Text(String),
    Number(f64),
    Date(f64),
    Bool(bool),
}

fn xcell() -> impl Strategy<Value = XCell> {
    prop_oneof![
        prop::sample::select(TOKENS.to_vec()).prop_map(|t| XCell::Text(t.to_string())),
        cell_text().prop_map(XCell::Text),
        prop_oneof![
            Just(1.1010519500315e17),
            Just(-5.0),
            Just(0.0),
            Just(45316.0),
            any::<f64>()
        ]
        .prop_map(XCell::Number),
        prop_oneof![
            Just(-1.0),
            Just(0.0),
            Just(1.0),
            Just(45316.0),
            Just(3e6),
            0.0f64..100000.0
        ]
        .prop_map(XCell::Date),
        any::<bool>().prop_map(XCell::Bool),
    ]
}

/// (row, column, cell): mostly near the top left, sometimes far away.
fn placed_cells() -> impl Strategy<Value = Vec<(u32, u16, XCell)>> {
    let row = prop_oneof![4 => 0u32..8, 1 => Just(1_048_575u32), 1 => 0u32..1_048_576];
    let col = prop_oneof![4 => 0u16..8, 1 => Just(16_383u16), 1 => 0u16..16_384];
    prop::collection::vec((row, col, xcell()), 0..24)
}

fn write_book(path: &Path, header: Option<&str>, cells: &[(u32, u16, XCell)], second_sheet: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    let first = if let Some(h) = header {
        for (c, name) in h.split(',').enumerate() {
            sheet.write_string(0, c as u16, name).unwrap();
        }
        1
    } else {
        0
    };
    for (r, c, v) in cells {
        let r = (*r).max(first);
        let _ = match v {
            XCell::Text(s) => sheet.write_string(r, *c, s).map(|_| ()),
            XCell::Number(n) if n.is_finite() => sheet.write_number(r, *c, *n).map(|_| ()),
            XCell::Number(_) => Ok(()),
            XCell::Date(n) => sheet.write_number_with_format(r, *c, *n, &date).map(|_| ()),
            XCell::Bool(b) => sheet.write_boolean(r, *c, *b).map(|_| ()),
        };
    }
    if second_sheet {
        book.add_worksheet().write_string(0, 0, "x").unwrap();
    }
    book.save(path).unwrap();
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn xlsx_imports_of_every_kind_are_all_or_nothing(
        kind in prop::sample::select(KINDS.to_vec()),
        cells in placed_cells(),
        header in any::<bool>(),
        second in prop::bool::weighted(0.1),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.xlsx");
        write_book(&p, header.then(|| valid_header(kind)), &cells, second);
        import_is_all_or_nothing(kind, || Table::open(&p).map_err(|m| m.zh));
    }

    #[test]
    fn text_cells_of_a_workbook_read_back_where_they_were(
        cells in prop::collection::vec((0u32..2000, 0u16..40, "[a-z张三0-9]{1,6}"), 1..20)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.xlsx");
        let placed: Vec<(u32, u16, XCell)> = cells.iter().map(|(r, c, s)| (*r, *c, XCell::Text(s.clone()))).collect();
        write_book(&p, None, &placed, false);
        let mut want = std::collections::BTreeMap::new();
        for (r, c, s) in &cells {
            want.insert((*r as usize + 1, *c as usize), s.clone());
        }
        let mut got = std::collections::BTreeMap::new();
        for row in Table::open(&p).unwrap() {
            let row = row.unwrap();
            for (c, s) in row.cells.iter().enumerate() {
                if !s.is_empty() {
                    got.insert((row.number, c), s.clone());
                }
            }
        }
        prop_assert_eq!(got, want);
    }

    #[test]
    fn damaged_workbooks_are_refused_not_crashed(
        cells in placed_cells(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.xlsx");
        write_book(&p, Some(valid_header("members")), &cells, false);
        let mut bytes = std::fs::read(&p).unwrap();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        std::fs::write(&p, &bytes).unwrap();
        import_is_all_or_nothing("members", || Table::open(&p).map_err(|m| m.zh));
    }
}

/// Every input kept in tests/fuzz_inputs/ (once a crash or a silent loss) is
/// read and imported as every kind without a panic, all or nothing.
#[test]
fn kept_inputs_are_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if !matches!(p.extension().and_then(|e| e.to_str()), Some("csv" | "xlsx")) {
            continue;
        }
        for kind in KINDS {
            import_is_all_or_nothing(kind, || Table::open(&p).map_err(|m| m.zh));
        }
        n += 1;
    }
    assert!(n > 0, "no kept inputs in {}", dir.display());
}
