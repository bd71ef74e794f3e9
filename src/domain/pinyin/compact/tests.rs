//! The compact index against the arena index it replaces for the roster
//! (`SearchIndex`, kept as the reference): the same rank for every entry
//! and query.

use proptest::prelude::*;

use super::*;
use crate::domain::pinyin::{SearchIndex, readings};

/// Name characters: several readings (重 单 曾 长 乐), ü (吕 绿), no reading
/// (𠀀), Latin and full-width letters, digits, separators, `/`, and İ
/// (lowercases to two characters).
const NAME_CHARS: &[char] = &[
    '张', '三', '李', '四', '王', '小', '云', '重', '庆', '单', '曾', '长', '乐', '吕', '绿', '朱',
    '珠', '陈', '沈', '石', '𠀀', 'a', 'B', 'Ｚ', '1', '·', ' ', '/', '／', 'İ', '\u{3000}',
];

const QUERY_PIECES: &[&str] = &[
    "z", "zh", "zhang", "s", "san", "zs", "l", "li", "lv", "lu", "cq", "zq", "chong", "qing", "x",
    "xiao", "y", "yun", "1", "13", "0", "5678", "00", "张", "李四", "·", "a", "b", "z1", "i", "/",
    "shan", "dan", "ceng", "zeng", "e", "ü", "v", "h", "ang",
];

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NAME_CHARS), 0..6)
        .prop_map(|cs| cs.into_iter().collect())
}

/// Stored readings: none, the computed ones, ones of the clerk's own, or a
/// wrong count of groups.
fn stored(name: String) -> impl Strategy<Value = (String, String)> {
    let own = prop::collection::vec("[a-zA-Zv]{1,6}(/[a-z]{1,4})?", 0..6).prop_map(|g| g.join(" "));
    (Just(name), 0..4u8, own).prop_map(|(n, k, own)| {
        let r = match k {
            0 => String::new(),
            1 => readings(&n),
            _ => {
                let kept = n.chars().filter(|&c| !is_skipped(c)).count();
                let mut g: Vec<String> = own.split(' ').map(str::to_string).collect();
                if k == 2 {
                    g.resize(kept, "zhang".into());
                }
                g.join(" ")
            }
        };
        (n, r)
    })
}

fn code() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{0,8}", "[0-9A-Za-z ]{0,6}", Just(String::new())]
}

fn others() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[0-9]{1,5}", 0..3)
}

type Row = (String, String, String, Vec<String>);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (name().prop_flat_map(stored), code(), others()).prop_map(|((n, r), c, o)| (n, r, c, o)),
        0..40,
    )
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(QUERY_PIECES), 0..3).prop_map(|p| p.concat()),
        "[a-z0-9]{0,4}",
        name(),
    ]
}

fn both(rows: &[Row]) -> (SearchIndex, CompactIndex, Vec<(u32, u32)>) {
    let mut old = SearchIndex::new();
    let mut new = CompactIndex::new();
    let ids = rows
        .iter()
        .map(|(n, r, c, o)| {
            let o: Vec<&str> = o.iter().map(String::as_str).collect();
            (old.push(n, r, c, &o), new.push(n, r, c, &o))
        })
        .collect();
    (old, new, ids)
}

proptest! {
    #[test]
    fn same_rank_as_the_arena_index(rows in rows(), qs in prop::collection::vec(query(), 1..6)) {
        let (old, new, ids) = both(&rows);
        let mut buf = Scratch::default();
        for q in &qs {
            let q = PreparedQuery::new(q);
            let m = new.matcher(&q);
            let possible = m.possible();
            for (i, &(a, b)) in ids.iter().enumerate() {
                let r = m.rank(b as usize, &mut buf);
                prop_assert_eq!(old.rank(a, &q), r, "row {:?} query {:?}", rows[i], q.as_str());
                if let Some(r) = r {
                    prop_assert!(possible[r as usize], "{:?} said impossible for {:?}", r, q.as_str());
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn entries_put_in_and_taken_out_rank_as_a_fresh_index(
        rows in rows(),
        edits in prop::collection::vec((any::<bool>(), any::<prop::sample::Index>(), rows()), 0..6),
        q in query(),
    ) {
        let mut rows = rows;
        let (_, mut new, _) = both(&rows);
        for (put, at, more) in edits {
            if put && let Some(r) = more.into_iter().next() {
                let i = at.index(rows.len() + 1);
                let o: Vec<&str> = r.3.iter().map(String::as_str).collect();
                new.insert(i, &r.0, &r.1, &r.2, &o);
                rows.insert(i, r);
            } else if !rows.is_empty() {
                let i = at.index(rows.len());
                new.remove(i);
                rows.remove(i);
            }
        }
        let (_, fresh, _) = both(&rows);
        prop_assert_eq!(new.len(), rows.len());
        let q = PreparedQuery::new(&q);
        let (a, b) = (new.matcher(&q), fresh.matcher(&q));
        let (mut sa, mut sb) = (Scratch::default(), Scratch::default());
        for p in (0..rows.len()).rev() {
            prop_assert_eq!(a.rank(p, &mut sa), b.rank(p, &mut sb), "place {}", p);
        }
    }
}

#[test]
fn ranks_as_the_arena_index_on_known_cases() {
    let rows: Vec<Row> = vec![
        (
            "张三".into(),
            String::new(),
            "0080".into(),
            vec!["138".into(), "5678".into()],
        ),
        (
            "重庆".into(),
            "chong/zhong qing".into(),
            "10080".into(),
            vec![],
        ),
        (
            "吕绿".into(),
            String::new(),
            "A01".into(),
            vec!["0080".into()],
        ),
        ("İlham·李".into(), String::new(), "0801".into(), vec![]),
        ("单田芳".into(), "dan tian fang".into(), "".into(), vec![]),
    ];
    let (old, new, ids) = both(&rows);
    let mut buf = Scratch::default();
    for q in [
        "0080", "008", "zs", "zhangs", "cq", "zq", "lv", "lu", "lvl", "i̇l", "ilham", "li", "·李",
        "dtf", "stf", "shan", "a0", "", "5678", "1390", "z", "𠀀",
    ] {
        let q = PreparedQuery::new(q);
        let m = new.matcher(&q);
        for &(a, b) in &ids {
            assert_eq!(
                old.rank(a, &q),
                m.rank(b as usize, &mut buf),
                "query {:?}",
                q.as_str()
            );
        }
    }
    // Some of these match at all (the test is not vacuous).
    let q = PreparedQuery::new("dtf");
    assert_eq!(
        new.matcher(&q).rank(ids[4].1 as usize, &mut buf),
        Some(Rank::Name)
    );
    let q = PreparedQuery::new("0080");
    assert_eq!(
        new.matcher(&q).rank(ids[0].1 as usize, &mut buf),
        Some(Rank::Code)
    );
    assert_eq!(
        new.matcher(&q).rank(ids[1].1 as usize, &mut buf),
        Some(Rank::CodeInside)
    );
    assert_eq!(
        new.matcher(&q).rank(ids[2].1 as usize, &mut buf),
        Some(Rank::Other)
    );
}

#[test]
fn a_roster_entry_takes_about_twenty_bytes() {
    let mut ix = CompactIndex::new();
    for i in 0..10_000u32 {
        let code = format!("{i:07}");
        ix.push("张建华", "zhang jian hua", &code, &["138", "5678"]);
    }
    // 1 length + 4 mask + 1 header + 3 characters + 1 + 4 code + 1 + 2 + 3 phone digits.
    assert!(ix.arena.len() <= 10_000 * 21, "{} bytes", ix.arena.len());
    assert!(ix.own.is_empty());
}
