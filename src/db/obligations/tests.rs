use super::*;

#[test]
fn every_event_kind_is_matched() {
    for &k in EventKind::ALL {
        assert_eq!(event_kind(ValueRef::Text(k.code().as_bytes())), Some(k));
    }
    assert_eq!(event_kind(ValueRef::Text(b"party")), None);
    assert_eq!(event_kind(ValueRef::Null), None);
}

#[test]
fn rows_pack_and_unpack() {
    let due = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    let r = Row::new(due, 77, 5, 9);
    assert_eq!((r.due(), r.kind(), r.at), (due, 5, 9));
    let earlier = Row::new(due.pred_opt().unwrap(), 1_000_000, 4000, 0);
    let later_name = Row::new(due, 78, 0, 0);
    let later_kind = Row::new(due, 77, 6, 0);
    assert!(earlier < r && r < later_kind && later_kind < later_name);
    let oldest = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
    assert_eq!(Row::new(oldest, 0, 0, 0).due(), oldest);
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap() + chrono::Duration::days(3650);
    assert_eq!(Row::new(last, 0, 0, 0).due(), last);
}

#[test]
fn records_round_trip() {
    let mut r = Records::default();
    let a = r.push(7, "001", "张三");
    let b = r.push(-1, "", "阿依古丽·买买提");
    assert_eq!(r.get(a), (7, "001", "张三"));
    assert_eq!(r.get(b), (-1, "", "阿依古丽·买买提"));
    let mut m = ByMember::new();
    m.push(1, 'a');
    m.push(3, 'b');
    m.push(3, 'c');
    assert_eq!(
        (m.of(0), m.of(1), m.of(2), m.of(3)),
        (&[][..], &['a'][..], &[][..], &['b', 'c'][..])
    );
}

#[test]
fn clip_keeps_whole_characters() {
    let long = "张".repeat(30_000);
    let c = clip(&long);
    assert!(c.len() <= 65535 && c.len().is_multiple_of(3));
    assert_eq!(clip("张三"), "张三");
}

#[test]
fn stored_dates_parse() {
    let d = |s: &str| day(ValueRef::Text(s.as_bytes()));
    assert_eq!(d("2026-02-28"), NaiveDate::from_ymd_opt(2026, 2, 28));
    assert_eq!(d("2026-02-30"), None);
    assert_eq!(day(ValueRef::Null), None);
}
