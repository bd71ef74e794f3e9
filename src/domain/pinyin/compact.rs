//! The roster's search index in about 20 bytes a member: [`CompactIndex`]
//! matches exactly as [`SearchIndex`](super::SearchIndex) (same [`Rank`] for
//! every entry and query) but keeps each character's readings once, in a
//! table keyed by character, instead of in every entry.
//!
//! An entry is a record in one byte arena: the name as character numbers
//! (LEB128), the code and the other strings (phone digits) with digit strings
//! packed two digits a byte. A member whose stored readings differ from the
//! characters' own keeps its readings beside the arena. A query is turned
//! once per keystroke into a [`Matcher`]: per character of the table, which
//! query characters it is (a shift-and mask) and how its readings advance
//! the pinyin match, so testing an entry is a few table look-ups.

use std::collections::HashMap;

use super::search::{PreparedQuery, Rank, contains};
use super::{fold, is_skipped, reading_group};

/// One reading of a character: its bytes and how much of it is the initial
/// (0: none, not ASCII; 1: one letter; 2: zh, ch or sh).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Alt {
    text: Box<[u8]>,
    init: u8,
}

/// A character's readings as search takes them from a group of its stored
/// readings (`zhong/chong`): each folded, a `v` also as `u`, then the
/// character itself; no repeats, none over 127 bytes, at most 255.
fn alts_of(group: &str, c: char) -> Vec<Alt> {
    super::search::alternatives(group, c)
        .into_iter()
        .map(|(t, init)| Alt {
            text: t.into_bytes().into(),
            init,
        })
        .collect()
}

fn alt_mask(a: &Alt) -> u32 {
    std::str::from_utf8(&a.text).map_or(u32::MAX, mask_of)
}

/// One step of the pinyin match from query position `p` over one reading
/// (`search::step`).
fn step(alt: &Alt, q: &[u8], p: usize) -> (u64, bool) {
    super::search::step(&alt.text, alt.init, q, p)
}

/// The pinyin match over explicit readings (a member's own).
fn pinyin_match(chars: &[Vec<Alt>], q: &[u8]) -> bool {
    if q.len() >= 64 {
        return false;
    }
    let mut reach: u64 = 0;
    for alts in chars {
        reach |= 1;
        let mut next = 0;
        for alt in alts {
            let mut bits = reach;
            while bits != 0 {
                let p = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (n, done) = step(alt, q, p);
                if done {
                    return true;
                }
                next |= n;
            }
        }
        reach = next;
    }
    false
}

#[derive(Debug, Clone)]
struct CharInfo {
    /// `fold(c)`, as it stands in the folded name.
    folded: Box<str>,
    /// The folded character when folding gives exactly one.
    single: Option<char>,
    /// Left out of the readings (separators, blanks, control characters).
    skipped: bool,
    /// The readings group as a name's first character, and as any later one.
    group: [Box<str>; 2],
    alts: [Vec<Alt>; 2],
    /// The mask of the folded character and of all its readings.
    mask: u32,
}

/// One bit per letter and six hashed bits for the characters that are not
/// ASCII letters or digits: an entry can only match a query whose mask bits
/// it all has (digits are in nearly every entry, so they have none).
fn char_mask(c: char) -> u32 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 0,
        _ => 1 << (26 + c as u32 % 6),
    }
}

fn mask_of(s: &str) -> u32 {
    s.chars().fold(0, |m, c| m | char_mask(c))
}

/// Header bits of a record.
const OWN_READINGS: u32 = 1;
const MULTI_FOLD: u32 = 2;
const MAX_NAME_BYTES: usize = (u32::MAX >> 2) as usize;
/// Records between two anchors.
const ANCHOR: usize = 32;

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn get_varint(a: &[u8], pos: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = a[*pos];
        *pos += 1;
        v |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// A string: `len << 1 | digits`, then its bytes, or for a string of ASCII
/// digits the digits two a byte.
fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    let len = u32::try_from(s.len())
        .unwrap_or(u32::MAX >> 1)
        .min(u32::MAX >> 1);
    let s = &s[..len as usize];
    let digits = !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    put_varint(out, len << 1 | u32::from(digits));
    if digits {
        for pair in s.chunks(2) {
            let hi = pair[0] - b'0';
            let lo = pair.get(1).map_or(0, |d| d - b'0');
            out.push(hi << 4 | lo);
        }
    } else {
        out.extend_from_slice(s);
    }
}

/// Every searchable name of the roster (see the module doc). Entries are
/// named by their record's place in the arena (so at most 4 GiB of records,
/// about 200 million members).
#[derive(Debug, Clone, Default)]
pub struct CompactIndex {
    arena: Vec<u8>,
    chars: Vec<CharInfo>,
    char_ids: HashMap<char, u32>,
    /// Where every `ANCHOR`th record starts (records are in place order).
    anchors: Vec<u32>,
    /// Readings of the members whose stored readings are their own, per
    /// character left after the skipped ones (a record holds its number).
    own: Vec<Vec<Vec<Alt>>>,
    /// Folded names holding a character that folds to several.
    multi: Vec<Box<str>>,
    /// Codes, and other strings, that are not all digits (nor empty): while
    /// there are none, a query that is not all digits matches no code.
    raw_codes: usize,
    raw_others: usize,
    len: usize,
}

impl CompactIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `entries` entries without growing.
    pub fn with_capacity(entries: usize) -> Self {
        CompactIndex {
            arena: Vec::with_capacity(entries.saturating_mul(21)),
            anchors: Vec::with_capacity(entries / ANCHOR + 1),
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held (arena and about what its tables take), for figures.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.anchors.capacity() * 4
            + self.chars.len() * 160
            + (self.own.len() + self.multi.len()) * 96
    }

    /// Gives back memory reserved beyond what is used.
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.anchors.shrink_to_fit();
    }

    /// Where the record after the one at `off` starts.
    #[inline]
    fn next_offset(&self, off: usize) -> usize {
        let mut pos = off;
        let len = get_varint(&self.arena, &mut pos) as usize;
        pos + len
    }

    /// Where the record of place `p` starts (`p` < [`len`](Self::len)).
    pub fn offset_of(&self, p: usize) -> usize {
        let mut off = self.anchors[p / ANCHOR] as usize;
        for _ in 0..p % ANCHOR {
            off = self.next_offset(off);
        }
        off
    }

    /// [`offset_of`](Self::offset_of), walking on from the place looked up
    /// before when it is close behind (a scan in pinyin order).
    #[inline]
    fn seek(&self, p: usize, at: &mut Option<(usize, usize)>) -> usize {
        let off = match *at {
            Some((q, mut off)) if q <= p && p - q < ANCHOR => {
                for _ in q..p {
                    off = self.next_offset(off);
                }
                off
            }
            _ => self.offset_of(p),
        };
        *at = Some((p, off));
        off
    }

    fn reanchor(&mut self) {
        self.anchors.clear();
        let mut off = 0;
        for p in 0..self.len {
            if p % ANCHOR == 0 {
                self.anchors.push(off as u32);
            }
            off = self.next_offset(off);
        }
    }

    /// Puts an entry at place `at` (the later ones move up one).
    pub fn insert(&mut self, at: usize, name: &str, readings_: &str, code: &str, others: &[&str]) {
        let at = at.min(self.len);
        let rec = self.encode(name, readings_, code, others);
        let off = if at == self.len {
            self.arena.len()
        } else {
            self.offset_of(at)
        };
        self.arena.splice(off..off, rec);
        self.len += 1;
        self.reanchor();
    }

    /// Takes the entry at place `at` out (the later ones move down one).
    pub fn remove(&mut self, at: usize) {
        if at >= self.len {
            return;
        }
        let off = self.offset_of(at);
        let end = self.next_offset(off);
        self.arena.drain(off..end);
        self.len -= 1;
        self.reanchor();
    }

    fn char_id(&mut self, c: char) -> u32 {
        if let Some(&id) = self.char_ids.get(&c) {
            return id;
        }
        let folded: String = fold(c).collect();
        let mut it = folded.chars();
        let single = it.next().filter(|_| it.next().is_none());
        let groups = [reading_group(c, true), reading_group(c, false)];
        let alts = [alts_of(&groups[0], c), alts_of(&groups[1], c)];
        let mask = alts
            .iter()
            .flatten()
            .fold(mask_of(&folded), |m, a| m | alt_mask(a));
        let id = self.chars.len() as u32;
        self.chars.push(CharInfo {
            folded: folded.into(),
            single,
            skipped: is_skipped(c),
            group: groups.map(String::into_boxed_str),
            alts,
            mask,
        });
        self.char_ids.insert(c, id);
        id
    }

    /// Adds an entry as [`SearchIndex::push`](super::SearchIndex::push) does:
    /// a name with its stored readings (the characters' own when empty or
    /// not matching the name), its code, and other strings matched by plain
    /// substring. Returns its place (0, 1, 2 … in order of pushing).
    pub fn push(&mut self, name: &str, readings_: &str, code: &str, others: &[&str]) -> u32 {
        let rec = self.encode(name, readings_, code, others);
        if self.len.is_multiple_of(ANCHOR) {
            // Records past 4 GiB (some 200 million members) are not indexed.
            self.anchors
                .push(u32::try_from(self.arena.len()).unwrap_or(u32::MAX));
        }
        self.arena.extend_from_slice(&rec);
        self.len += 1;
        (self.len - 1) as u32
    }

    /// One record: its length, then mask, header, name, the numbers of its
    /// own readings and folded name when it has them, code, other strings.
    fn encode(&mut self, name: &str, readings_: &str, code: &str, others: &[&str]) -> Vec<u8> {
        let ids: Vec<u32> = name.chars().map(|c| self.char_id(c)).collect();
        let kept: Vec<u32> = ids
            .iter()
            .copied()
            .filter(|&id| !self.chars[id as usize].skipped)
            .collect();
        let groups: Vec<&str> = readings_.split(' ').filter(|g| !g.is_empty()).collect();
        let own = groups.len() == kept.len()
            && kept
                .iter()
                .zip(&groups)
                .enumerate()
                .any(|(i, (&id, g))| *self.chars[id as usize].group[usize::from(i > 0)] != **g);
        let multi = ids
            .iter()
            .any(|&id| self.chars[id as usize].single.is_none());
        let mut mask = ids
            .iter()
            .fold(0, |m, &id| m | self.chars[id as usize].mask);
        let mut flags = 0;
        let mut tail = Vec::new();
        if own {
            flags |= OWN_READINGS;
            let mine: Vec<Vec<Alt>> = name
                .chars()
                .filter(|&c| !is_skipped(c))
                .zip(&groups)
                .map(|(c, g)| alts_of(g, c))
                .collect();
            mask |= mine.iter().flatten().fold(0, |m, a| m | alt_mask(a));
            put_varint(&mut tail, self.own.len() as u32);
            self.own.push(mine);
        }
        if multi {
            flags |= MULTI_FOLD;
            let folded: String = name.chars().flat_map(fold).collect();
            put_varint(&mut tail, self.multi.len() as u32);
            self.multi.push(folded.into());
        }
        let clean = |s: &str| -> Vec<u8> {
            s.chars()
                .flat_map(fold)
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into_bytes()
        };
        let code = clean(code);
        let others: Vec<Vec<u8>> = others.iter().map(|o| clean(o)).collect();
        for s in std::iter::once(&code).chain(&others) {
            mask |= std::str::from_utf8(s).map_or(u32::MAX, mask_of);
        }
        let mut name_bytes = Vec::with_capacity(ids.len() * 2);
        for &id in &ids {
            put_varint(&mut name_bytes, id);
        }
        // A name of more than 256 MiB of characters is cut (it stays findable by its start).
        name_bytes.truncate(MAX_NAME_BYTES);
        while name_bytes.last().is_some_and(|&b| b >= 0x80) {
            name_bytes.pop();
        }
        let mut body = Vec::with_capacity(32);
        body.extend_from_slice(&mask.to_le_bytes());
        put_varint(&mut body, (name_bytes.len() as u32) << 2 | flags);
        body.extend_from_slice(&name_bytes);
        body.extend_from_slice(&tail);
        let raw = |s: &[u8]| !s.is_empty() && !s.iter().all(u8::is_ascii_digit);
        self.raw_codes += usize::from(raw(&code));
        self.raw_others += others.iter().filter(|o| raw(o)).count();
        put_str(&mut body, &code);
        put_varint(&mut body, others.len() as u32);
        for o in &others {
            put_str(&mut body, o);
        }
        let mut rec = Vec::with_capacity(body.len() + 2);
        put_varint(&mut rec, u32::try_from(body.len()).unwrap_or(u32::MAX));
        rec.extend_from_slice(&body);
        rec
    }
}

mod matcher;

pub use matcher::{Matcher, Scratch};

#[cfg(test)]
mod tests;
