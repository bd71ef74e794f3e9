//! What an import has seen so far, for duplicate checks, kept compact so that
//! a file of a million rows costs tens of megabytes, not hundreds: keys are
//! stored once in one buffer (codes) or packed into a number (ID numbers),
//! and found through an open-addressing table of 32-bit slots.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// A row number as stored (a file of more than 4 billion rows is refused).
pub type Row = u32;

/// A fast hash for keys the file gives (not a defence against crafted
/// collisions: a file that collides only runs slower).
#[derive(Clone, Copy, Default)]
struct Fx;

impl BuildHasher for Fx {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        // the high bits are the well mixed ones
        self.0 ^ (self.0 >> 29)
    }
}

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = Fx.build_hasher();
    h.write(b);
    h.write_u64(b.len() as u64);
    h.finish()
}

/// An open-addressing table of entry numbers (`0` empty, else entry + 1).
#[derive(Default)]
struct Slots {
    slots: Vec<u32>,
}

impl Slots {
    /// The slot of the entry for which `is` holds, or the empty slot where it goes.
    fn find(&self, hash: u64, mut is: impl FnMut(usize) -> bool) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (hash as usize) & mask;
        loop {
            match self.slots[i] {
                0 => return Err(i),
                e if is(e as usize - 1) => return Ok(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Makes room for one more entry, given `n` entries and the hash of each.
    fn reserve(&mut self, n: usize, hash_of: impl Fn(usize) -> u64) {
        if self.slots.len() >= 16 && (n + 1) * 10 < self.slots.len() * 7 {
            return;
        }
        let size = (self.slots.len() * 2).max(16);
        let mut slots = vec![0u32; size];
        let mask = size - 1;
        for e in 0..n {
            let mut i = (hash_of(e) as usize) & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = e as u32 + 1;
        }
        self.slots = slots;
    }
}

/// Text keys (member codes), each with the row it was first on.
#[derive(Default)]
pub struct SeenCodes {
    bytes: Vec<u8>,
    /// Where each key ends in `bytes` (it starts where the one before ends).
    ends: Vec<u32>,
    rows: Vec<Row>,
    hashes: Slots,
}

/// A key's number in a [`SeenCodes`].
pub type CodeId = u32;

impl SeenCodes {
    fn key(&self, e: usize) -> &[u8] {
        let start = if e == 0 { 0 } else { self.ends[e - 1] as usize };
        &self.bytes[start..self.ends[e] as usize]
    }

    /// The key's number, if seen.
    pub fn get(&self, key: &str) -> Option<CodeId> {
        if self.ends.is_empty() {
            return None;
        }
        let k = key.as_bytes();
        self.hashes
            .find(hash_bytes(k), |e| self.key(e) == k)
            .ok()
            .map(|slot| self.hashes.slots[slot] - 1)
    }

    /// Adds the key as seen on `row`; when it was seen before, returns the
    /// row it was first on and changes nothing.
    pub fn insert(&mut self, key: &str, row: Row) -> Result<CodeId, Row> {
        let n = self.ends.len();
        {
            let (bytes, ends) = (&self.bytes, &self.ends);
            let key_of = |e: usize| {
                let start = if e == 0 { 0 } else { ends[e - 1] as usize };
                &bytes[start..ends[e] as usize]
            };
            self.hashes.reserve(n, |e| hash_bytes(key_of(e)));
        }
        let k = key.as_bytes();
        let slot = match self.hashes.find(hash_bytes(k), |e| self.key(e) == k) {
            Ok(slot) => return Err(self.rows[self.hashes.slots[slot] as usize - 1]),
            Err(slot) => slot,
        };
        let end = u32::try_from(self.bytes.len() + k.len()).expect("codes of 4 GB");
        self.bytes.extend_from_slice(k);
        self.ends.push(end);
        self.rows.push(row);
        self.hashes.slots[slot] = n as u32 + 1;
        Ok(n as CodeId)
    }

    /// The key with this number.
    pub fn code(&self, id: CodeId) -> &str {
        std::str::from_utf8(self.key(id as usize)).unwrap_or_default()
    }
}

/// ID numbers, each with the row and the code (a [`CodeId`]) that first gave
/// it. An 18-character number of digits (and a final X) is packed into a
/// u64; anything else is kept as text.
#[derive(Default)]
pub struct SeenIds {
    packed: Vec<(u64, Row, CodeId)>,
    hashes: Slots,
    other: HashMap<String, (Row, CodeId)>,
}

/// `110105195003150123` as a number: 17 digits, times 11, plus the check
/// character (X is 10).
fn pack(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digits = b[..17]
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    let check = match b[17] {
        d @ b'0'..=b'9' => u64::from(d - b'0'),
        b'X' => 10,
        _ => return None,
    };
    Some(digits * 11 + check)
}

fn hash_u64(k: u64) -> u64 {
    let mut h = Fx.build_hasher();
    h.write_u64(k);
    h.finish()
}

impl SeenIds {
    /// The row and code that first gave this ID number.
    pub fn get(&self, id: &str) -> Option<(Row, CodeId)> {
        match pack(id) {
            Some(k) if !self.packed.is_empty() => self
                .hashes
                .find(hash_u64(k), |e| self.packed[e].0 == k)
                .ok()
                .map(|slot| {
                    let (_, row, code) = self.packed[self.hashes.slots[slot] as usize - 1];
                    (row, code)
                }),
            Some(_) => None,
            None => self.other.get(id).copied(),
        }
    }

    /// Records the ID number as given on `row` for `code` (unless seen before).
    pub fn insert(&mut self, id: &str, row: Row, code: CodeId) {
        let Some(k) = pack(id) else {
            self.other.entry(id.to_string()).or_insert((row, code));
            return;
        };
        let n = self.packed.len();
        let packed = &self.packed;
        self.hashes.reserve(n, |e| hash_u64(packed[e].0));
        if let Err(slot) = self.hashes.find(hash_u64(k), |e| self.packed[e].0 == k) {
            self.packed.push((k, row, code));
            self.hashes.slots[slot] = n as u32 + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_first_row() {
        let mut s = SeenCodes::default();
        assert_eq!(s.get("001"), None);
        for i in 0..10_000u32 {
            assert_eq!(s.insert(&format!("C{i}"), i + 2), Ok(i));
        }
        assert_eq!(s.insert("C17", 99_999), Err(19));
        assert_eq!(s.get("C17"), Some(17));
        assert_eq!(s.code(17), "C17");
        assert_eq!(s.get("C10000"), None);
        assert_eq!(s.insert("", 5), Ok(10_000));
        assert_eq!(s.insert("", 6), Err(5));
    }

    #[test]
    fn id_numbers_packed_and_not() {
        assert_eq!(
            pack("11010519500315012X"),
            Some(11010519500315012 * 11 + 10)
        );
        assert_eq!(pack("1101051950031501"), None);
        let mut s = SeenIds::default();
        for i in 0..5_000u32 {
            s.insert(&format!("1101051950{i:07}X"), i + 2, i);
        }
        s.insert("110105195000000010", 9, 9);
        assert_eq!(s.get("11010519500000017X"), Some((19, 17)));
        assert_eq!(s.get("110105195000000179"), None);
        s.insert("11010519500000017X", 50_000, 1);
        assert_eq!(s.get("11010519500000017X"), Some((19, 17)));
        s.insert("odd", 3, 1);
        assert_eq!(s.get("odd"), Some((3, 1)));
        assert_eq!(s.get("110105195000000010"), Some((9, 9)));
    }
}
