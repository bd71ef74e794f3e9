//! Searching names (characters, full pinyin, initials), roster codes and
//! phone digits: [`SearchIndex`] holds every entry in one flat arena and
//! [`SearchIndex::rank`] says how well an entry matches, so a list can show
//! the best matches first (an exact code before a code prefix, before a name,
//! before phone digits).

use super::{fold, is_skipped, readings};
fn fold_str(s: &str) -> String {
    s.chars().flat_map(fold).collect()
}

/// The ways a character of a name may be typed, from its stored group of
/// readings (`zhong/chong`): each folded, a `v` also as `u`, then the
/// character itself; no repeats, none over 127 bytes, at most 255. Each with
/// the length of its initial (`zh` 2, a letter 1, the character 0).
pub(super) fn alternatives(group: &str, c: char) -> Vec<(String, u8)> {
    let mut texts: Vec<String> = Vec::new();
    for alt in group.split('/').filter(|a| !a.is_empty()) {
        let alt = fold_str(alt);
        if alt.contains('v') {
            texts.push(alt.replace('v', "u"));
        }
        texts.push(alt);
    }
    texts.push(fold(c).collect());
    let mut out: Vec<(String, u8)> = Vec::new();
    for t in texts {
        if out.len() == u8::MAX as usize || t.len() > 127 || out.iter().any(|(a, _)| *a == t) {
            continue;
        }
        let b = t.as_bytes();
        let init = if !t.is_ascii() {
            0
        } else if b.len() > 2 && matches!(&b[..2], b"zh" | b"ch" | b"sh") {
            2
        } else {
            1
        };
        out.push((t, init));
    }
    out
}

/// One bit per letter and digit, and 28 hashed bits for everything else: a
/// query can only match an entry whose mask has all of the query's bits.
fn mask_of(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | char_bit(c))
}

fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 1 << (36 + c as u32 % 28),
    }
}

/// A search query made ready once per keystroke: lower case, half-width, no
/// blanks or control characters, ü typed as `v`.
#[derive(Debug, Clone, Default)]
pub struct PreparedQuery {
    text: String,
    mask: u64,
}

impl PreparedQuery {
    pub fn new(q: &str) -> Self {
        let text: String = q
            .chars()
            .flat_map(fold)
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .map(|c| if c == 'ü' { 'v' } else { c })
            .collect();
        let mask = mask_of(&text);
        PreparedQuery { text, mask }
    }

    /// True when the query is empty (it matches every entry).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    mask: u64,
    start: u32,
    name_len: u16,
    code_len: u16,
    extra_len: u16,
    py_len: u16,
}

/// How an entry matches a query, best first: the order of a result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// The query is the code (`0080` finds 0080 first).
    Code,
    /// The code starts with the query.
    CodePrefix,
    /// The name's characters, full pinyin or initials (an empty query too).
    Name,
    /// The query is inside the code.
    CodeInside,
    /// Inside one of the other strings (the phone digits a list shows).
    Other,
}

/// Every searchable name in one flat arena: per entry the folded name, the
/// code, the other strings (phone digits) each after a NUL, then per
/// character its alternatives `[count] ([len][initial len][bytes])*`.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    arena: Vec<u8>,
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry (keeps the memory).
    pub fn clear(&mut self) {
        self.arena.clear();
        self.entries.clear();
    }

    /// Adds a name with its stored [`readings`] (recomputed when empty or not
    /// matching the name), its code, and other strings matched by plain
    /// substring (never across two of them). Returns the entry id (0, 1, 2 …
    /// in order of pushing).
    pub fn push(&mut self, name: &str, readings_: &str, code: &str, others: &[&str]) -> u32 {
        let start = self.arena.len();
        let folded = fold_str(name);
        let mut mask = mask_of(&folded);
        self.arena.extend_from_slice(folded.as_bytes());
        let name_len = self.arena.len() - start;

        let mut code_len = 0;
        for (i, e) in std::iter::once(&code).chain(others).enumerate() {
            if i > 0 {
                self.arena.push(0);
            }
            let e: String = fold_str(e).chars().filter(|c| !c.is_whitespace()).collect();
            mask |= mask_of(&e);
            self.arena.extend_from_slice(e.as_bytes());
            if i == 0 {
                code_len = e.len();
            }
        }
        let extra_len = self.arena.len() - start - name_len;

        let chars: Vec<char> = name.chars().filter(|&c| !is_skipped(c)).collect();
        let computed;
        let mut groups: Vec<&str> = readings_.split(' ').filter(|g| !g.is_empty()).collect();
        if groups.len() != chars.len() {
            computed = readings(name);
            groups = computed.split(' ').filter(|g| !g.is_empty()).collect();
        }
        let py_start = self.arena.len();
        for (&c, group) in chars.iter().zip(&groups) {
            let count_at = self.arena.len();
            self.arena.push(0);
            let mut count = 0u8;
            for (alt, init) in alternatives(group, c) {
                mask |= mask_of(&alt);
                self.arena.extend_from_slice(&[alt.len() as u8, init]);
                self.arena.extend_from_slice(alt.as_bytes());
                count += 1;
            }
            self.arena[count_at] = count;
        }
        let py_len = self.arena.len() - py_start;
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        // A pathological name longer than 64 KiB is cut; it stays findable by its start.
        let entry = Entry {
            mask,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            name_len: clamp(name_len),
            code_len: clamp(code_len),
            extra_len: clamp(extra_len),
            py_len: clamp(py_len),
        };
        self.entries.push(entry);
        (self.entries.len() - 1) as u32
    }

    /// True when entry `entry` matches the query (an empty query matches all).
    pub fn matches(&self, entry: u32, q: &PreparedQuery) -> bool {
        self.rank(entry, q).is_some()
    }

    /// How entry `entry` matches the query, or `None` when it does not.
    pub fn rank(&self, entry: u32, q: &PreparedQuery) -> Option<Rank> {
        let e = self.entries.get(entry as usize)?;
        if q.mask & !e.mask != 0 {
            return None;
        }
        let qb = q.text.as_bytes();
        if qb.is_empty() {
            return Some(Rank::Name);
        }
        let s = e.start as usize;
        let name_end = s + e.name_len as usize;
        let extra_end = name_end + e.extra_len as usize;
        let code_end = name_end + (e.code_len as usize).min(e.extra_len as usize);
        let py_end = (extra_end + e.py_len as usize).min(self.arena.len());
        let code = &self.arena[name_end..code_end];
        if code == qb {
            Some(Rank::Code)
        } else if code.starts_with(qb) {
            Some(Rank::CodePrefix)
        } else if contains(&self.arena[s..name_end], qb)
            || pinyin_match(&self.arena[extra_end..py_end], qb)
        {
            Some(Rank::Name)
        } else if contains(code, qb) {
            Some(Rank::CodeInside)
        } else if contains(&self.arena[code_end..extra_end], qb) {
            Some(Rank::Other)
        } else {
            None
        }
    }

    /// The ids of every entry that matches, in order.
    pub fn filter(&self, q: &PreparedQuery) -> Vec<u32> {
        (0..self.entries.len() as u32)
            .filter(|&i| self.matches(i, q))
            .collect()
    }
}

/// Whether `needle` (not empty) stands in `hay` (both indexes use it).
#[inline]
pub(super) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    if n > hay.len() {
        return false;
    }
    let first = needle[0];
    (0..=hay.len() - n).any(|i| hay[i] == first && &hay[i..i + n] == needle)
}

/// One step of the pinyin match from query position `p` over one reading
/// `syl` whose initial is `init` bytes long: the positions it can lead to,
/// and whether it ends the query (the last character may give any prefix).
pub(super) fn step(syl: &[u8], init: u8, q: &[u8], p: usize) -> (u64, bool) {
    let len = syl.len();
    let rem = &q[p..];
    let mut next = 0;
    if rem.len() <= len {
        if syl.starts_with(rem) && (rem.len() == len || init > 0) {
            return (0, true);
        }
    } else if rem.starts_with(syl) {
        next |= 1 << (p + len);
    }
    if init > 0 && len > 1 && rem.len() > 1 && rem[0] == syl[0] {
        next |= 1 << (p + 1);
    }
    if init == 2 && rem.len() > 2 && rem[..2] == syl[..2] {
        next |= 1 << (p + 2);
    }
    (next, false)
}

/// Whether the query can be consumed by consecutive characters from some
/// position, each giving a whole syllable or its initial (`z` or `zh`), the
/// last one any prefix of a syllable. `reach` holds the query positions that
/// can stand before the current character.
fn pinyin_match(py: &[u8], q: &[u8]) -> bool {
    let qlen = q.len();
    if qlen >= 64 {
        return false;
    }
    let mut reach: u64 = 0;
    let mut i = 0;
    while i < py.len() {
        let count = py[i];
        i += 1;
        reach |= 1;
        let mut next: u64 = 0;
        for _ in 0..count {
            let len = py[i] as usize;
            let init = py[i + 1];
            let syl = &py[i + 2..i + 2 + len];
            i += 2 + len;
            let mut bits = reach;
            while bits != 0 {
                let p = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (n, done) = step(syl, init, q, p);
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

/// One-off match of a query against a name and its stored readings (extra
/// strings not included); for many names build a [`SearchIndex`].
pub fn matches(query: &str, name: &str, readings_: &str) -> bool {
    let mut idx = SearchIndex::new();
    let id = idx.push(name, readings_, "", &[]);
    idx.matches(id, &PreparedQuery::new(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_rank_before_names_before_phone_digits() {
        let mut idx = SearchIndex::new();
        // 0085's shown phone digits hold 0080; 0080 itself; a name with 0080 in no field.
        let a = idx.push("白雪", "", "0085", &["139", "0080"]);
        let b = idx.push("张三", "", "0080", &["138", "5678"]);
        let c = idx.push("李四", "", "10080", &[]);
        let d = idx.push("王五", "", "0801", &[]);
        let q = |s: &str| PreparedQuery::new(s);
        assert_eq!(idx.rank(b, &q("0080")), Some(Rank::Code));
        assert_eq!(idx.rank(a, &q("0080")), Some(Rank::Other));
        assert_eq!(idx.rank(c, &q("0080")), Some(Rank::CodeInside));
        assert_eq!(idx.rank(d, &q("0080")), None);
        assert_eq!(idx.rank(a, &q("008")), Some(Rank::CodePrefix));
        assert_eq!(idx.rank(b, &q("zs")), Some(Rank::Name));
        assert_eq!(idx.rank(b, &q("")), Some(Rank::Name));
        // Never across two strings: 139 and 0080 are apart on the list (139****0080).
        assert_eq!(idx.rank(a, &q("1390")), None);
        assert!(Rank::Code < Rank::CodePrefix && Rank::CodePrefix < Rank::Name);
        assert!(Rank::Name < Rank::CodeInside && Rank::CodeInside < Rank::Other);
    }
}
