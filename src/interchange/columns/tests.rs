use super::*;
use crate::domain::vocab::Gender;

const COLS: &[Column] = &[
    Column::new("code", "编号").required(),
    Column::new("name", "姓名").required(),
    Column::new("phone", "手机").aliases(&["手机号码"]),
    Column::new("mobile", "流动党员"),
    Column::new("gender", "性别"),
];

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

fn map(h: &[&str]) -> Result<HeaderMap, HeaderError> {
    HeaderMap::new(COLS, &headers(h), 1)
}

fn message(e: Result<HeaderMap, HeaderError>) -> String {
    match e {
        Err(HeaderError::Missing(m) | HeaderError::Bad(m)) => m.zh,
        Ok(_) => "ok".into(),
    }
}

fn row(cells: &[&str]) -> TableRow {
    TableRow {
        number: 2,
        cells: headers(cells),
        numbers: Vec::new(),
    }
}

const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 28) {
    Some(d) => d,
    None => panic!(),
};

#[test]
fn headers_in_chinese_english_and_aliases() {
    let m = map(&["\u{feff}编 号", "NAME", "手机号码*", "序号"])
        .ok()
        .unwrap();
    assert!(m.has(0) && m.has(1) && m.has(2) && !m.has(3));
    assert!(message(map(&["编号", "手机"])).contains("「姓名」"));
    assert_eq!(
        message(map(&["编号", "姓名", "name"])),
        "第 1 行（表头）第 C 列：「姓名」列出现了两次"
    );
    assert!(
        message(map(&["编号", "姓名", "籍贯"]))
            .starts_with("第 1 行（表头）有无法识别的列：第 C 列「籍贯」")
    );
    // every problem of the header in one message, not only the first
    assert_eq!(
        message(map(&["编号", "姓名", "name", "籍贯", "编号"])),
        "第 1 行（表头）第 C 列：「姓名」列出现了两次；第 E 列：「编号」列出现了两次；\
         有无法识别的列：第 D 列「籍贯」。可用的列：编号、姓名、手机、流动党员、性别；请删除或改正这些列"
    );
    // a header that lacks a column says what else is wrong with it
    assert_eq!(
        message(map(&["编号", "姓 名1"])),
        "表头缺少必需的列「姓名」（第一行应为列名，如 编号、姓名）；\
         第 1 行（表头）有无法识别的列：第 B 列「姓 名1」。可用的列：编号、姓名、手机、流动党员、性别；请删除或改正这些列"
    );
    assert_eq!(normalize_header(" Birth Date "), "birth_date");
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(16383), "XFD");
}

#[test]
fn cells_outside_the_header_and_bad_characters_are_problems() {
    let m = map(&["编号", "姓名", ""]).ok().unwrap();
    let r = row(&["1", "张三", "x", "y"]);
    let ctx = RowCtx::new(&r, &m, TODAY);
    let msgs: Vec<String> = ctx.problems.iter().map(|p| p.message(Lang::Zh)).collect();
    assert!(
        msgs[0].starts_with("第 2 行：有 4 个单元格，比表头（第 1 行，3 列）多"),
        "{msgs:?}"
    );
    assert!(msgs[1].starts_with("第 2 行：第 C 列有数据“x”"), "{msgs:?}");
    let r = row(&["1\u{1b}]0;x\u{7}", "\u{200b}"]);
    let ctx = RowCtx::new(&r, &m, TODAY);
    assert_eq!(ctx.problems.len(), 2);
    assert!(ctx.problems[0].message(Lang::Zh).contains("控制字符 \\x1B"));
    let r = row(&[&"9".repeat(1000), "张三"]);
    assert!(
        RowCtx::new(&r, &m, TODAY).problems[0]
            .message(Lang::Zh)
            .contains("过长")
    );
}

#[test]
fn dates_run_from_1900_to_today() {
    const C: &[Column] = &[
        Column::new("code", "编号").required(),
        Column::new("d", "日期"),
    ];
    let m = HeaderMap::new(C, &headers(&["编号", "日期"]), 1)
        .ok()
        .unwrap();
    for (s, ok) in [
        ("1900-01-01", true),
        ("1899-12-31", false),
        ("2026-11-28", true),
        ("2026-11-29", false),
        ("0000-01-01", false),
    ] {
        let r = row(&["1", s]);
        let mut ctx = RowCtx::new(&r, &m, TODAY);
        assert_eq!(ctx.date(1).flatten().is_some(), ok, "{s}");
    }
}

#[test]
fn flags_and_coded_values() {
    for (s, v) in [
        ("是", true),
        ("Y", true),
        ("true", true),
        ("1", true),
        ("", false),
    ] {
        assert_eq!(parse_flag(s), Some(v), "{s}");
    }
    for (s, v) in [("否", false), ("n", false), ("FALSE", false), ("0", false)] {
        assert_eq!(parse_flag(s), Some(v), "{s}");
    }
    assert_eq!(parse_flag("maybe"), None);
    let m = map(&["编号", "姓名", "流动党员", "性别"]).ok().unwrap();
    let r = row(&["1", "张三", "也许", "男性"]);
    let mut r = RowCtx::new(&r, &m, TODAY);
    assert_eq!(r.flag(3), None);
    assert_eq!(r.coded::<Gender>(4), None);
    assert_eq!(r.problems.len(), 2);
    assert_eq!(
        r.problems[1].message(Lang::Zh),
        "第 2 行，列「性别」：“男性”无效，可填：男、女"
    );
    assert!(
        r.problems[0]
            .message(Lang::En)
            .starts_with("row 2, column mobile: ")
    );
}
