use super::*;

fn rows(text: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Msg> {
    let mut file = CsvFile::new(text.to_vec())?;
    let mut out = Vec::new();
    let mut row = TableRow::default();
    while let Some(r) = file.next_into(&mut row) {
        r?;
        out.push((row.number, row.cells.clone()));
    }
    Ok(out)
}

#[test]
fn rows_are_numbered_like_excel() {
    let r = rows(b"\na,b\r\n1,\"x\ny\"\r\n\r\n2,3\n\n\n4,5\n").unwrap();
    let numbers: Vec<usize> = r.iter().map(|r| r.0).collect();
    assert_eq!(numbers, [2, 3, 5, 8]);
    assert_eq!(r[1].1, ["1", "x\ny"]);
    assert_eq!(r[3].1, ["4", "5"]);
}

#[test]
fn quotes_are_strict() {
    let e = rows(b"a,b\n1,\"open\n2,3\n4,5\n").err().unwrap();
    assert!(e.zh.starts_with("第 2 行：引号没有闭合"), "{}", e.zh);
    let e = rows(b"a,b\n1,\"x\"y\n").err().unwrap();
    assert!(e.zh.contains("第 2 行第 2 个单元格"), "{}", e.zh);
    let r = rows(b"a,b\n\"say \"\"hi\"\"\",5\"3\n").unwrap();
    assert_eq!(r[1].1, ["say \"hi\"", "5\"3"]);
    assert_eq!(rows(b"a,\"\"\n").unwrap()[0].1, ["a", ""]);
}

#[test]
fn encodings() {
    let (gbk, _, _) = encoding_rs::GBK.encode("编号,姓名\n001,张三\n");
    assert_eq!(rows(&gbk).unwrap()[1].1, ["001", "张三"]);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("编号,姓名\n".as_bytes());
    assert_eq!(rows(&bom).unwrap()[0].1, ["编号", "姓名"]);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "编号\t姓名\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(rows(&utf16).unwrap()[0].1, ["编号", "姓名"]);
    // a UTF-8 file with one row saved in GBK
    let mut mixed = "编号,姓名\n001,张三丰\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GBK.encode("002,李四光\n").0);
    mixed.extend_from_slice("003,王五一\n".as_bytes());
    let e = rows(&mixed).err().unwrap();
    assert!(e.zh.starts_with("第 3 行不是 UTF-8 编码"), "{}", e.zh);
    // more rows in GBK than rows long enough to show UTF-8, under a UTF-8
    // header: the header's known words decide, so the first GBK row is named
    let mut mixed = "编号,姓名,备注\n001,甲,\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GBK.encode("002,乙,中文\n").0);
    mixed.extend_from_slice("003,丁,\n".as_bytes());
    mixed.extend_from_slice(&encoding_rs::GBK.encode("004,戊,中文\n").0);
    let e = rows(&mixed).err().unwrap();
    assert!(e.zh.starts_with("第 3 行不是 UTF-8 编码"), "{}", e.zh);
    assert!(e.zh.contains("共 2 行"), "{}", e.zh);
    // a GBK header with a UTF-8 row after it: that row is the odd one out
    let mut mixed = encoding_rs::GBK
        .encode("编号,姓名,备注\n001,甲,\n")
        .0
        .to_vec();
    mixed.extend_from_slice("002,乙,中文\n".as_bytes());
    let e = rows(&mixed).err().unwrap();
    assert!(e.zh.starts_with("第 3 行是 UTF-8 编码"), "{}", e.zh);
}

#[test]
fn a_quoted_tab_does_not_make_a_comma_file_tab_separated() {
    // found by tests/fuzz.rs: the delimiter is judged outside quotes
    let r = rows(b"\"'\t\n\",b\n1,2\n").unwrap();
    assert_eq!(r[0].1, ["\t\n", "b"]);
    assert_eq!(rows(b"a\tb\n1\t2\n").unwrap()[1].1, ["1", "2"]);
}

#[test]
fn formula_guard_is_removed() {
    assert_eq!(rows(b"'=1+1,'abc\n").unwrap()[0].1, ["=1+1", "'abc"]);
}

#[test]
fn records_and_utf16_text_cross_the_read_buffer() {
    // a quoted cell with a line break and an escaped quote, longer than one read
    let long = "长".repeat(READ_BUF / 2);
    let text = format!("a,b\r1,\"{long}\n\"\"x\"\"\"\r\n2,{long}\r");
    let r = rows(text.as_bytes()).unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[1].1[1], format!("{long}\n\"x\""));
    assert_eq!((r[2].0, r[2].1[1].len()), (3, long.len()));
    // UTF-16 (Excel's "Unicode text"), longer than one read
    let mut utf16 = vec![0xFF, 0xFE];
    let body = format!("编号\t姓名\n{}", "001\t张三\n".repeat(READ_BUF / 8));
    for u in body.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let r = rows(&utf16).unwrap();
    assert_eq!(r.len(), 1 + READ_BUF / 8);
    assert_eq!(r.last().unwrap().1, ["001", "张三"]);
    // an unpaired surrogate is refused before any row
    let mut bad = utf16.clone();
    bad.extend_from_slice(&0xD800u16.to_le_bytes());
    bad.extend_from_slice(&u16::from(b'a').to_le_bytes());
    let e = CsvFile::new(bad).err().unwrap();
    assert!(e.zh.contains("UTF-16"), "{}", e.zh);
}

#[test]
fn a_file_on_disk_is_read_twice_and_must_not_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.csv");
    std::fs::write(&p, "a,b\n1,2\n3,4\n").unwrap();
    let mut file = CsvFile::open(&p).unwrap();
    let mut row = TableRow::default();
    assert!(matches!(file.next_into(&mut row), Some(Ok(()))));
    assert_eq!(row.cells, ["a", "b"]);
    std::fs::write(&p, "a,b\n1,2\n3,5\n").unwrap();
    let mut last = None;
    while let Some(r) = file.next_into(&mut row) {
        last = Some(r);
    }
    let e = last.unwrap().unwrap_err();
    assert!(e.en.starts_with("the file changed while"), "{}", e.en);
    assert!(file.next_into(&mut row).is_none());
}
