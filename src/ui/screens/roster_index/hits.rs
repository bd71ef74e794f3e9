//! A search result: places bucketed by rank as the scan finds them.

use super::{RosterIndex, StatusFilter};
use crate::domain::member::Mark;
use crate::domain::pinyin::Rank;

/// Places per block of [`Every`].
const BLOCK: usize = 1024;

/// Every member that passes the filters, in pinyin order (the result of
/// an empty search), kept as counts instead of a list of places (4 bytes a
/// member): how many pass before each block of places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Every {
    status: StatusFilter,
    mark: Option<Mark>,
    before: Vec<u32>,
    count: usize,
}

/// The ranks in list order.
pub(super) const RANKS: usize = 5;

pub(super) fn rank_no(r: Rank) -> usize {
    match r {
        Rank::Code => 0,
        Rank::CodePrefix => 1,
        Rank::Name => 2,
        Rank::CodeInside => 3,
        Rank::Other => 4,
    }
}

/// A search result: places in the order shown, best rank first, each rank
/// in pinyin order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    places: Vec<u32>,
    /// Where each rank's places end.
    ends: [usize; RANKS],
    /// Set for every member passing the filters (then `places` is empty).
    every: Option<Every>,
}

impl Hits {
    pub(super) fn from_buckets(buckets: [Vec<u32>; RANKS]) -> Self {
        let total = buckets.iter().map(Vec::len).sum();
        let mut places = Vec::with_capacity(total);
        let mut ends = [0; RANKS];
        for (r, b) in buckets.into_iter().enumerate() {
            if places.is_empty() {
                places = b;
                places.reserve_exact(total - places.len());
            } else {
                places.extend_from_slice(&b);
            }
            ends[r] = places.len();
        }
        Hits {
            places,
            ends,
            every: None,
        }
    }

    /// Every member passing the filters (see [`Every`]).
    pub(super) fn every(ix: &RosterIndex, status: StatusFilter, mark: Option<Mark>) -> Self {
        let n = ix.len();
        let mut before = Vec::with_capacity(n.div_ceil(BLOCK));
        let mut count = 0;
        for p in 0..n {
            if p % BLOCK == 0 {
                before.push(count as u32);
            }
            count += usize::from(ix.passes(p, status, mark));
        }
        Hits {
            places: Vec::new(),
            ends: [0, 0, count, count, count],
            every: Some(Every {
                status,
                mark,
                before,
                count,
            }),
        }
    }

    /// True when this is every member passing the filters, with no list.
    pub(super) fn is_every(&self) -> bool {
        self.every.is_some()
    }

    /// The places from `from` to `to` (cut to the result) in the order shown.
    pub fn slice(&self, ix: &RosterIndex, from: usize, to: usize) -> Vec<u32> {
        let to = to.min(self.len());
        if from >= to {
            return Vec::new();
        }
        let Some(e) = &self.every else {
            return self.places[from..to].to_vec();
        };
        let block = e
            .before
            .partition_point(|&c| c as usize <= from)
            .saturating_sub(1);
        let mut seen = e.before.get(block).map_or(0, |&c| c as usize);
        let mut out = Vec::with_capacity(to - from);
        for p in block * BLOCK..ix.len() {
            if !ix.passes(p, e.status, e.mark) {
                continue;
            }
            if seen >= from {
                out.push(p as u32);
                if out.len() == to - from {
                    break;
                }
            }
            seen += 1;
        }
        out
    }

    /// Where a place stands in the result, if it is in it.
    pub fn position(&self, ix: &RosterIndex, place: u32) -> Option<usize> {
        let Some(e) = &self.every else {
            return self.index_of(place);
        };
        let p = place as usize;
        if p >= ix.len() || !ix.passes(p, e.status, e.mark) {
            return None;
        }
        let block = p / BLOCK;
        let start = e.before.get(block).map_or(0, |&c| c as usize);
        Some(
            start
                + (block * BLOCK..p)
                    .filter(|&x| ix.passes(x, e.status, e.mark))
                    .count(),
        )
    }

    /// The places, in the order shown (none for every member passing the
    /// filters: see [`slice`](Self::slice)).
    pub fn places(&self) -> &[u32] {
        &self.places
    }

    pub fn len(&self) -> usize {
        self.every.as_ref().map_or(self.places.len(), |e| e.count)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn bucket(&self, r: usize) -> &[u32] {
        let start = if r == 0 { 0 } else { self.ends[r - 1] };
        &self.places[start..self.ends[r]]
    }

    /// Where a place stands in the result, if it is in it.
    pub fn index_of(&self, place: u32) -> Option<usize> {
        (0..RANKS).find_map(|r| {
            let start = if r == 0 { 0 } else { self.ends[r - 1] };
            self.bucket(r).binary_search(&place).ok().map(|i| start + i)
        })
    }
}

/// Merges runs that are each in ascending order into one.
pub(super) fn merge_runs(mut runs: Vec<Vec<u32>>) -> Vec<u32> {
    runs.retain(|r| !r.is_empty());
    while runs.len() > 1 {
        let b = runs.pop().unwrap_or_default();
        let a = runs.pop().unwrap_or_default();
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i] <= b[j] {
                out.push(a[i]);
                i += 1;
            } else {
                out.push(b[j]);
                j += 1;
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        runs.push(out);
    }
    runs.pop().unwrap_or_default()
}
