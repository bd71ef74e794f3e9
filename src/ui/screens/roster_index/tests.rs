//! The roster filter against the one it replaced (the arena index, every
//! hit sorted by rank and place): the same places in the same order, fresh
//! and narrowed keystroke by keystroke, in one slice and on every core.

use proptest::prelude::*;

use super::*;
use crate::domain::pinyin::{Rank, SearchIndex};

/// The filter as it was: `SearchIndex` ranks, then one sort of every hit.
struct Reference {
    search: SearchIndex,
    entry: Vec<u32>,
    flags: Vec<u16>,
}

impl Reference {
    fn passes(&self, pos: usize, status: StatusFilter, mark: Option<Mark>) -> bool {
        let f = self.flags[pos];
        status
            .status()
            .is_none_or(|s| f & STATUS_BITS == status_bits(s))
            && mark.is_none_or(|m| f & mark_bit(m) != 0)
    }

    fn filter(
        &self,
        status: StatusFilter,
        mark: Option<Mark>,
        q: &PreparedQuery,
        within: Option<&[u32]>,
    ) -> Vec<u32> {
        let test = |p: u32| -> Option<(Rank, u32)> {
            if !self.passes(p as usize, status, mark) {
                return None;
            }
            self.search.rank(self.entry[p as usize], q).map(|r| (r, p))
        };
        let mut hits: Vec<(Rank, u32)> = match within {
            Some(w) => w.iter().filter_map(|&p| test(p)).collect(),
            None => (0..self.entry.len() as u32).filter_map(test).collect(),
        };
        if !q.is_empty() {
            hits.sort_unstable();
        }
        hits.into_iter().map(|(_, p)| p).collect()
    }
}

type Row = (String, String, String, u16);

const NAME_CHARS: &[char] = &[
    '张', '三', '李', '四', '王', '小', '云', '重', '庆', '吕', '绿', '陈', '晨', 'a', '·', '1',
];

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let name = prop::collection::vec(prop::sample::select(NAME_CHARS), 1..4)
        .prop_map(|c| c.into_iter().collect::<String>());
    let code = prop_oneof!["[0-9]{1,5}", "[0-9A-C]{1,4}"];
    let phone = prop_oneof![
        Just(String::new()),
        "1[3-9][0-9]{9}",
        "0[1-9]{2}-[0-9]{7,8}"
    ];
    prop::collection::vec((name, code, phone, any::<u16>()), 0..60)
}

fn query() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "z", "zh", "zhang", "s", "l", "li", "lv", "c", "cq", "ch", "w", "x", "1", "13", "0",
            "5", "00", "张", "李", "a", "·", "y",
        ][..],
    );
    prop::collection::vec(piece, 1..4).prop_map(|p| p.concat())
}

fn both(rows: &[Row], parallel_from: usize) -> (RosterIndex, Reference) {
    let mut ix = RosterIndex {
        ids: Ids::default(),
        flags: Vec::new(),
        search: CompactIndex::new(),
        parallel_from,
    };
    let mut old = Reference {
        search: SearchIndex::new(),
        entry: Vec::new(),
        flags: Vec::new(),
    };
    for (i, (name, code, phone, flags)) in rows.iter().enumerate() {
        push_entry(&mut ix.search, name, "", code, phone);
        ix.ids.push(i as i64 + 1);
        ix.flags.push(*flags);
        let shown = shown_digits(phone);
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        old.entry.push(old.search.push(name, "", code, &shown));
        old.flags.push(*flags);
    }
    (ix, old)
}

proptest! {
    #[test]
    fn same_places_in_the_same_order_typed_key_by_key(
        rows in rows(),
        q in query(),
        status in prop::sample::select(&StatusFilter::ALL[..]),
        mark in prop::option::of(prop::sample::select(&Mark::ALL[..])),
        parallel_from in prop::sample::select(&[2usize, 3, 7, PARALLEL_FROM][..]),
    ) {
        let (ix, old) = both(&rows, parallel_from);
        let mut typed = String::new();
        let mut narrowed: Option<Hits> = Some(ix.filter(status, mark, &PreparedQuery::new(""), None));
        let mut old_narrowed = old.filter(status, mark, &PreparedQuery::new(""), None);
        prop_assert_eq!(narrowed.as_ref().unwrap().places(), &old_narrowed[..]);
        for c in q.chars() {
            typed.push(c);
            let pq = PreparedQuery::new(&typed);
            let fresh = ix.filter(status, mark, &pq, None);
            let want = old.filter(status, mark, &pq, None);
            prop_assert_eq!(fresh.places(), &want[..], "fresh {:?}", typed);
            let n = ix.filter(status, mark, &pq, narrowed.as_ref());
            let old_n = old.filter(status, mark, &pq, Some(&old_narrowed));
            prop_assert_eq!(n.places(), &old_n[..], "narrowed {:?}", typed);
            prop_assert_eq!(&old_n, &want);
            for (i, &p) in n.places().iter().enumerate() {
                prop_assert_eq!(n.index_of(p), Some(i));
            }
            narrowed = Some(n);
            old_narrowed = old_n;
        }
    }
}

#[test]
fn ranks_are_buckets_in_pinyin_order() {
    let rows: Vec<Row> = vec![
        ("白雪".into(), "0085".into(), "13912340080".into(), 0),
        ("陈晨".into(), "0090".into(), "13800801234".into(), 0),
        ("李四".into(), "1008".into(), String::new(), 0),
        ("王五".into(), "0081".into(), String::new(), 0),
        ("张三".into(), "0080".into(), "13612345678".into(), 0),
    ];
    for par in [2, PARALLEL_FROM] {
        let (ix, _) = both(&rows, par);
        let f = |q: &str| {
            ix.filter(StatusFilter::Active, None, &PreparedQuery::new(q), None)
                .places()
                .to_vec()
        };
        assert_eq!(f(""), [0, 1, 2, 3, 4]);
        assert_eq!(f("0080"), [4, 0]);
        assert_eq!(f("008"), [0, 3, 4, 2]);
        assert_eq!(f("1234"), [1]);
        assert_eq!(f("zs"), [4]);
    }
}

#[test]
fn merging_runs_keeps_ascending_order() {
    assert_eq!(
        merge_runs(vec![vec![1, 5, 9], vec![], vec![2, 3, 10], vec![0]]),
        [0, 1, 2, 3, 5, 9, 10]
    );
    assert_eq!(merge_runs(vec![]), Vec::<u32>::new());
}

#[test]
fn ids_beyond_four_bytes_widen() {
    let mut ids = Ids::default();
    ids.push(7);
    ids.push(i64::from(u32::MAX) + 5);
    ids.insert(0, -3);
    assert_eq!(
        (0..3).map(|i| ids.get(i)).collect::<Vec<_>>(),
        [-3, 7, i64::from(u32::MAX) + 5]
    );
    assert_eq!(ids.position(i64::from(u32::MAX) + 5), Some(2));
    ids.remove(0);
    assert_eq!(ids.len(), 2);
}

proptest! {
    #[test]
    fn the_first_page_is_the_start_of_the_result(
        rows in rows(),
        q in query(),
        want in 1usize..8,
        chunk in 1usize..20,
    ) {
        let (ix, _) = both(&rows, PARALLEL_FROM);
        let pq = PreparedQuery::new(&q);
        let full = ix.filter(StatusFilter::All, None, &pq, None);
        let first = ix.first_page(StatusFilter::All, None, &pq, want, Duration::ZERO, chunk);
        match &first.done {
            Some(done) => prop_assert_eq!(done, &full),
            None => {
                prop_assert!(first.shown.len() <= want);
                prop_assert_eq!(&first.shown[..], &full.places()[..first.shown.len()]);
                prop_assert!(first.found <= full.len());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_member_counted_reads_as_the_listed_result(
        rows in prop::collection::vec(("[a-c]{1,2}", "[0-9]{1,3}", Just(String::new()), any::<u16>()), 0..3000),
        status in prop::sample::select(&StatusFilter::ALL[..]),
        mark in prop::option::of(prop::sample::select(&Mark::ALL[..])),
        from in 0usize..3000,
        len in 0usize..40,
    ) {
        let (ix, _) = both(&rows, PARALLEL_FROM);
        let listed = ix.filter(status, mark, &PreparedQuery::new(""), None);
        let every = ix.every(status, mark);
        prop_assert_eq!(every.len(), listed.len());
        let want = &listed.places()[from.min(listed.len())..(from + len).min(listed.len())];
        prop_assert_eq!(&every.slice(&ix, from, from + len)[..], want);
        for p in (0..rows.len() as u32).step_by(7) {
            prop_assert_eq!(every.position(&ix, p), listed.index_of(p));
        }
        // A search after it reads the whole roster (no list to narrow).
        let q = PreparedQuery::new("a");
        prop_assert_eq!(
            ix.filter(status, mark, &q, Some(&every)),
            ix.filter(status, mark, &q, None)
        );
    }
}
