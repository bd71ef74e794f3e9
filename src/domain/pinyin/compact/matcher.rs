//! A query made ready for one [`CompactIndex`] and the test of an entry.

use super::*;

impl CompactIndex {
    /// The query made ready for this index (once per keystroke).
    pub fn matcher<'a>(&'a self, q: &'a PreparedQuery) -> Matcher<'a> {
        let qb = q.as_str().as_bytes();
        let qchars: Vec<char> = q.as_str().chars().collect();
        let n = self.chars.len();
        let shift_and = !qchars.is_empty() && qchars.len() < 64;
        let bits = if shift_and {
            self.chars
                .iter()
                .map(|ci| {
                    ci.single.map_or(0, |f| {
                        qchars
                            .iter()
                            .enumerate()
                            .filter(|&(_, &qc)| qc == f)
                            .fold(0u64, |b, (j, _)| b | 1 << j)
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let ql = qb.len();
        let pinyin = !qb.is_empty() && ql < 64;
        let mut accept = Vec::new();
        let mut trans = Vec::new();
        if pinyin {
            accept = vec![0u64; n * 2];
            trans = vec![0u64; n * 2 * ql];
            for (i, ci) in self.chars.iter().enumerate() {
                for v in 0..2 {
                    let row = i * 2 + v;
                    for alt in &ci.alts[v] {
                        for p in 0..ql {
                            let (next, done) = step(alt, qb, p);
                            if done {
                                accept[row] |= 1 << p;
                            }
                            trans[row * ql + p] |= next;
                        }
                    }
                }
            }
        }
        let name_possible = bits.iter().any(|&b| b != 0)
            || accept.iter().any(|&b| b != 0)
            || trans.iter().any(|&b| b != 0);
        Matcher {
            ix: self,
            q: qb,
            mask: mask_of(q.as_str()),
            name_possible,
            digits: qb.iter().all(u8::is_ascii_digit),
            last: if shift_and {
                1 << (qchars.len() - 1)
            } else {
                0
            },
            bits,
            pinyin,
            accept,
            trans,
        }
    }
}

/// A query made ready for one [`CompactIndex`].
#[derive(Debug)]
pub struct Matcher<'a> {
    ix: &'a CompactIndex,
    q: &'a [u8],
    /// Bits every matching entry's mask has.
    mask: u32,
    /// Some character of the table can take part in a name match.
    name_possible: bool,
    /// The query is ASCII digits only (else a digit string cannot hold it).
    digits: bool,
    /// The shift-and bit of the query's last character (0: no shift-and).
    last: u64,
    /// Per character of the table: the query characters it is.
    bits: Vec<u64>,
    pinyin: bool,
    /// Per character and place (first, later): from which query positions
    /// its readings end the query, and where they lead (`trans`, per position).
    accept: Vec<u64>,
    trans: Vec<u64>,
}

/// Scratch space of one thread ranking entries: the place looked up last
/// (a scan walks on from it) and room to unpack digits.
#[derive(Debug, Default)]
pub struct Scratch {
    at: Option<(usize, usize)>,
    buf: Vec<u8>,
}

/// What a string decodes to for comparing with the query.
enum Text<'b> {
    /// Cannot hold the query (digits, and the query is not).
    Skip,
    Bytes(&'b [u8]),
}

impl Matcher<'_> {
    /// Per [`Rank`] (best first), whether any entry of the index can have it
    /// for this query: `false` is certain, `true` only possible.
    pub fn possible(&self) -> [bool; 5] {
        let code = self.digits || self.ix.raw_codes > 0;
        let name = self.name_possible
            || self.last == 0
            || !self.ix.own.is_empty()
            || !self.ix.multi.is_empty();
        let other = self.digits || self.ix.raw_others > 0;
        [code, code, name || self.q.is_empty(), code, other]
    }

    /// Reads a string at `pos`, unpacking digits into `buf`.
    #[inline]
    fn text<'b>(&self, a: &'b [u8], pos: &mut usize, buf: &'b mut Vec<u8>) -> Text<'b> {
        let h = get_varint(a, pos) as usize;
        let len = h >> 1;
        if h & 1 == 0 {
            let s = &a[*pos..*pos + len];
            *pos += len;
            return Text::Bytes(s);
        }
        let packed = len.div_ceil(2);
        let bytes = &a[*pos..*pos + packed];
        *pos += packed;
        if !self.digits || self.q.len() > len {
            return Text::Skip;
        }
        buf.clear();
        for &b in bytes {
            buf.push(b'0' + (b >> 4));
            buf.push(b'0' + (b & 0x0F));
        }
        buf.truncate(len);
        Text::Bytes(buf)
    }

    /// How the entry at place `place` matches, exactly as
    /// [`SearchIndex::rank`](crate::domain::pinyin::SearchIndex::rank) would.
    #[inline]
    pub fn rank(&self, place: usize, sc: &mut Scratch) -> Option<Rank> {
        if self.q.is_empty() {
            return Some(Rank::Name);
        }
        let off = self.ix.seek(place, &mut sc.at);
        self.rank_at(off, &mut sc.buf)
    }

    fn rank_at(&self, off: usize, buf: &mut Vec<u8>) -> Option<Rank> {
        let a = &self.ix.arena[..];
        let mut pos = off;
        get_varint(a, &mut pos);
        let mask = u32::from_le_bytes([a[pos], a[pos + 1], a[pos + 2], a[pos + 3]]);
        if self.mask & !mask != 0 {
            return None;
        }
        pos += 4;
        let header = get_varint(a, &mut pos);
        let name_at = pos;
        let name_end = pos + (header >> 2) as usize;
        let plain = header & (OWN_READINGS | MULTI_FOLD) == 0 && self.last != 0;
        let mut name = false;
        let mut tail = name_end;
        let own = (header & OWN_READINGS != 0).then(|| get_varint(a, &mut tail) as usize);
        let multi = (header & MULTI_FOLD != 0).then(|| get_varint(a, &mut tail) as usize);
        if !plain {
            name = self.slow_name(&a[name_at..name_end], own, multi);
        } else if self.name_possible {
            let mut d: u64 = 0;
            let mut reach: u64 = 0;
            let mut first = true;
            let ql = self.q.len();
            while pos < name_end {
                let id = get_varint(a, &mut pos) as usize;
                d = ((d << 1) | 1) & self.bits[id];
                if d & self.last != 0 {
                    name = true;
                    break;
                }
                if self.pinyin && !self.ix.chars[id].skipped {
                    let row = id * 2 + usize::from(!first);
                    first = false;
                    reach |= 1;
                    if self.accept[row] & reach != 0 {
                        name = true;
                        break;
                    }
                    let t = &self.trans[row * ql..row * ql + ql];
                    let mut next = 0;
                    let mut bits = reach;
                    while bits != 0 {
                        next |= t[bits.trailing_zeros() as usize];
                        bits &= bits - 1;
                    }
                    reach = next;
                }
            }
        }
        pos = tail;
        let q = self.q;
        let mut code_inside = false;
        match self.text(a, &mut pos, buf) {
            Text::Bytes(code) if code == q => return Some(Rank::Code),
            Text::Bytes(code) if code.starts_with(q) => return Some(Rank::CodePrefix),
            Text::Bytes(code) => code_inside = !name && contains(code, q),
            Text::Skip => {}
        }
        if name {
            return Some(Rank::Name);
        }
        if code_inside {
            return Some(Rank::CodeInside);
        }
        let others = get_varint(a, &mut pos);
        for _ in 0..others {
            if let Text::Bytes(s) = self.text(a, &mut pos, buf)
                && contains(s, q)
            {
                return Some(Rank::Other);
            }
        }
        None
    }

    /// The name test for an entry with its own readings or a character that
    /// folds to several (or a query too long for shift-and).
    fn slow_name(&self, name: &[u8], own: Option<usize>, multi: Option<usize>) -> bool {
        let ix = self.ix;
        let mut pos = 0;
        let mut ids = Vec::new();
        while pos < name.len() {
            ids.push(get_varint(name, &mut pos) as usize);
        }
        let folded: String = match multi.and_then(|i| ix.multi.get(i)) {
            Some(f) => f.to_string(),
            None => ids.iter().map(|&id| &*ix.chars[id].folded).collect(),
        };
        if contains(folded.as_bytes(), self.q) {
            return true;
        }
        match own.and_then(|i| ix.own.get(i)) {
            Some(own) => pinyin_match(own, self.q),
            None => {
                let chars: Vec<Vec<Alt>> = ids
                    .iter()
                    .filter(|&&id| !ix.chars[id].skipped)
                    .enumerate()
                    .map(|(i, &id)| ix.chars[id].alts[usize::from(i > 0)].clone())
                    .collect();
                pinyin_match(&chars, self.q)
            }
        }
    }
}
