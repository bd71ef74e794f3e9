//! What an import has seen so far, for duplicate checks, kept compact: keys
//! are stored once in one buffer (codes) or packed into a number (ID
//! numbers), and found through an open-addressing table of 32-bit slots —
//! about 45 bytes a member. Past [`MEMORY_KEYS`] keys, the rest go to a
//! scratch database on disk (SQLite's private temporary file, removed when
//! closed) with a small page cache, so that memory stays bounded whatever
//! the size of the file.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use rusqlite::{Connection, OptionalExtension};

use crate::db;

/// Keys of one kind held in memory before the rest spill to disk (about
/// 20 MB for codes and ID numbers together).
pub const MEMORY_KEYS: usize = 400_000;

/// The scratch file's page cache (KiB).
const SPILL_CACHE_KIB: i64 = 4 * 1024;

/// A scratch database on disk for the keys past the memory budget: one
/// transaction from open to drop (never committed, no journal), with a
/// filter in memory that answers most lookups of a key never seen (the
/// usual case) without reading the disk.
struct Spill {
    conn: Connection,
    filter: Filter,
}

/// Bits of a [`Spill`]'s filter (4 MB): false positives (a needless lookup
/// on disk) stay under 1% up to 3 million keys, and only grow beyond.
const FILTER_BITS: usize = 1 << 25;

/// A Bloom filter of fixed size over key hashes: "not seen" is certain,
/// "maybe seen" is then asked of the disk.
struct Filter {
    words: Vec<u64>,
}

impl Filter {
    fn new() -> Filter {
        Filter {
            words: vec![0; FILTER_BITS / 64],
        }
    }

    /// The three bits of a hash.
    fn bits(hash: u64) -> [usize; 3] {
        let (a, b) = (hash, hash.rotate_left(21) | 1);
        std::array::from_fn(|i| (a.wrapping_add(b.wrapping_mul(i as u64)) as usize) % FILTER_BITS)
    }

    fn add(&mut self, hash: u64) {
        for bit in Self::bits(hash) {
            self.words[bit / 64] |= 1 << (bit % 64);
        }
    }

    fn may_have(&self, hash: u64) -> bool {
        Self::bits(hash)
            .iter()
            .all(|&bit| self.words[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

impl Spill {
    /// Whether `key` may be on disk (never false for a key noted).
    fn may_have(&self, key: &[u8]) -> bool {
        self.filter.may_have(hash_bytes(key))
    }

    /// Notes that `key` goes to disk.
    fn note(&mut self, key: &[u8]) {
        self.filter.add(hash_bytes(key));
    }

    fn open(schema: &str) -> db::Result<Spill> {
        // "": a private temporary database on disk, deleted when closed.
        let conn = Connection::open("")?;
        conn.pragma_update(None, "temp_store", "FILE")?;
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "cache_size", -SPILL_CACHE_KIB)?;
        conn.execute_batch(schema)?;
        conn.execute_batch("BEGIN")?;
        Ok(Spill {
            conn,
            filter: Filter::new(),
        })
    }
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spill")
    }
}

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
pub struct SeenCodes {
    bytes: Vec<u8>,
    /// Where each key ends in `bytes` (it starts where the one before ends).
    ends: Vec<u32>,
    rows: Vec<Row>,
    hashes: Slots,
    /// Keys held in memory at most; the later ones are in `spill`.
    limit: usize,
    spill: Option<Spill>,
    spilled: u32,
}

impl Default for SeenCodes {
    fn default() -> Self {
        SeenCodes::with_limit(MEMORY_KEYS)
    }
}

/// A key's number in a [`SeenCodes`].
pub type CodeId = u32;

impl SeenCodes {
    /// At most `limit` keys in memory, the rest on disk.
    pub fn with_limit(limit: usize) -> Self {
        SeenCodes {
            bytes: Vec::new(),
            ends: Vec::new(),
            rows: Vec::new(),
            hashes: Slots::default(),
            limit,
            spill: None,
            spilled: 0,
        }
    }

    fn key(&self, e: usize) -> &[u8] {
        let start = if e == 0 { 0 } else { self.ends[e - 1] as usize };
        &self.bytes[start..self.ends[e] as usize]
    }

    fn in_memory(&self, k: &[u8]) -> Option<usize> {
        if self.ends.is_empty() {
            return None;
        }
        self.hashes
            .find(hash_bytes(k), |e| self.key(e) == k)
            .ok()
            .map(|slot| self.hashes.slots[slot] as usize - 1)
    }

    /// The number and first row of a key on disk.
    fn on_disk(&self, key: &str) -> db::Result<Option<(CodeId, Row)>> {
        let Some(sp) = &self.spill else {
            return Ok(None);
        };
        if !sp.may_have(key.as_bytes()) {
            return Ok(None);
        }
        Ok(sp
            .conn
            .prepare_cached("SELECT id, row FROM codes WHERE code = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The key's number, if seen.
    pub fn get(&self, key: &str) -> db::Result<Option<CodeId>> {
        if let Some(e) = self.in_memory(key.as_bytes()) {
            return Ok(Some(e as CodeId));
        }
        Ok(self.on_disk(key)?.map(|(id, _)| id))
    }

    /// Adds the key as seen on `row`; when it was seen before, returns the
    /// row it was first on and changes nothing.
    pub fn insert(&mut self, key: &str, row: Row) -> db::Result<Result<CodeId, Row>> {
        let k = key.as_bytes();
        if let Some(e) = self.in_memory(k) {
            return Ok(Err(self.rows[e]));
        }
        if let Some((_, first)) = self.on_disk(key)? {
            return Ok(Err(first));
        }
        let n = self.ends.len();
        if n >= self.limit {
            if self.spill.is_none() {
                self.spill = Some(Spill::open(
                    "CREATE TABLE codes (code TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, row INTEGER NOT NULL) WITHOUT ROWID",
                )?);
            }
            let id = n as CodeId + self.spilled;
            if let Some(sp) = &mut self.spill {
                sp.note(k);
                sp.conn
                    .prepare_cached("INSERT INTO codes (code, id, row) VALUES (?1, ?2, ?3)")?
                    .execute(rusqlite::params![key, id, row])?;
            }
            self.spilled += 1;
            return Ok(Ok(id));
        }
        {
            let (bytes, ends) = (&self.bytes, &self.ends);
            let key_of = |e: usize| {
                let start = if e == 0 { 0 } else { ends[e - 1] as usize };
                &bytes[start..ends[e] as usize]
            };
            self.hashes.reserve(n, |e| hash_bytes(key_of(e)));
        }
        let slot = match self.hashes.find(hash_bytes(k), |e| self.key(e) == k) {
            Ok(slot) => return Ok(Err(self.rows[self.hashes.slots[slot] as usize - 1])),
            Err(slot) => slot,
        };
        let end = u32::try_from(self.bytes.len() + k.len()).expect("codes of 4 GB");
        self.bytes.extend_from_slice(k);
        self.ends.push(end);
        self.rows.push(row);
        self.hashes.slots[slot] = n as u32 + 1;
        Ok(Ok(n as CodeId))
    }

    /// The key with this number.
    pub fn code(&self, id: CodeId) -> db::Result<String> {
        if (id as usize) < self.ends.len() {
            return Ok(std::str::from_utf8(self.key(id as usize))
                .unwrap_or_default()
                .to_string());
        }
        let Some(sp) = &self.spill else {
            return Ok(String::new());
        };
        Ok(sp
            .conn
            .prepare_cached("SELECT code FROM codes WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }
}

/// ID numbers, each with the row and the code (a [`CodeId`]) that first gave
/// it. An 18-character number of digits (and a final X) is packed into a
/// u64; anything else is kept as text.
pub struct SeenIds {
    packed: Vec<(u64, Row, CodeId)>,
    hashes: Slots,
    other: HashMap<String, (Row, CodeId)>,
    /// Numbers held in memory at most; the later ones are in `spill`.
    limit: usize,
    spill: Option<Spill>,
}

impl Default for SeenIds {
    fn default() -> Self {
        SeenIds::with_limit(MEMORY_KEYS)
    }
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
    /// At most `limit` numbers in memory, the rest on disk.
    pub fn with_limit(limit: usize) -> Self {
        SeenIds {
            packed: Vec::new(),
            hashes: Slots::default(),
            other: HashMap::new(),
            limit,
            spill: None,
        }
    }

    fn in_memory(&self, id: &str) -> Option<(Row, CodeId)> {
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

    /// The row and code that first gave this ID number.
    pub fn get(&self, id: &str) -> db::Result<Option<(Row, CodeId)>> {
        if let Some(hit) = self.in_memory(id) {
            return Ok(Some(hit));
        }
        let Some(sp) = &self.spill else {
            return Ok(None);
        };
        if !sp.may_have(id.as_bytes()) {
            return Ok(None);
        }
        Ok(sp
            .conn
            .prepare_cached("SELECT row, code FROM ids WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Records the ID number as given on `row` for `code` (unless seen before).
    pub fn insert(&mut self, id: &str, row: Row, code: CodeId) -> db::Result<()> {
        if self.get(id)?.is_some() {
            return Ok(());
        }
        if self.packed.len() + self.other.len() >= self.limit {
            if self.spill.is_none() {
                self.spill = Some(Spill::open(
                    "CREATE TABLE ids (id TEXT PRIMARY KEY, row INTEGER NOT NULL, code INTEGER NOT NULL) WITHOUT ROWID",
                )?);
            }
            if let Some(sp) = &mut self.spill {
                sp.note(id.as_bytes());
                sp.conn
                    .prepare_cached("INSERT INTO ids (id, row, code) VALUES (?1, ?2, ?3)")?
                    .execute(rusqlite::params![id, row, code])?;
            }
            return Ok(());
        }
        let Some(k) = pack(id) else {
            self.other.insert(id.to_string(), (row, code));
            return Ok(());
        };
        let n = self.packed.len();
        let packed = &self.packed;
        self.hashes.reserve(n, |e| hash_u64(packed[e].0));
        if let Err(slot) = self.hashes.find(hash_u64(k), |e| self.packed[e].0 == k) {
            self.packed.push((k, row, code));
            self.hashes.slots[slot] = n as u32 + 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_keep_their_first_row_with(mut s: SeenCodes) {
        assert_eq!(s.get("001").unwrap(), None);
        for i in 0..10_000u32 {
            assert_eq!(s.insert(&format!("C{i}"), i + 2).unwrap(), Ok(i));
        }
        assert_eq!(s.insert("C17", 99_999).unwrap(), Err(19));
        assert_eq!(s.insert("C9999", 99_999).unwrap(), Err(10_001));
        assert_eq!(s.get("C17").unwrap(), Some(17));
        assert_eq!(s.get("C9998").unwrap(), Some(9998));
        assert_eq!(s.code(17).unwrap(), "C17");
        assert_eq!(s.code(9998).unwrap(), "C9998");
        assert_eq!(s.get("C10000").unwrap(), None);
        assert_eq!(s.insert("", 5).unwrap(), Ok(10_000));
        assert_eq!(s.insert("", 6).unwrap(), Err(5));
    }

    #[test]
    fn codes_keep_their_first_row() {
        codes_keep_their_first_row_with(SeenCodes::default());
    }

    #[test]
    fn codes_past_the_memory_budget_go_to_disk_and_answer_alike() {
        let s = SeenCodes::with_limit(100);
        codes_keep_their_first_row_with(s);
        let mut s = SeenCodes::with_limit(3);
        for (i, k) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
            s.insert(k, i as Row + 10).unwrap().unwrap();
        }
        assert!(s.spill.is_some());
        assert_eq!(s.ends.len(), 3);
        assert_eq!(s.insert("a", 99).unwrap(), Err(10));
        assert_eq!(s.insert("e", 99).unwrap(), Err(14));
        assert_eq!(s.code(4).unwrap(), "e");
    }

    fn id_numbers_with(mut s: SeenIds) {
        for i in 0..5_000u32 {
            s.insert(&format!("1101051950{i:07}X"), i + 2, i).unwrap();
        }
        s.insert("110105195000000010", 9, 9).unwrap();
        assert_eq!(s.get("11010519500000017X").unwrap(), Some((19, 17)));
        assert_eq!(s.get("11010519500004997X").unwrap(), Some((4999, 4997)));
        assert_eq!(s.get("110105195000000179").unwrap(), None);
        s.insert("11010519500000017X", 50_000, 1).unwrap();
        s.insert("11010519500004997X", 50_000, 1).unwrap();
        assert_eq!(s.get("11010519500000017X").unwrap(), Some((19, 17)));
        assert_eq!(s.get("11010519500004997X").unwrap(), Some((4999, 4997)));
        s.insert("odd", 3, 1).unwrap();
        assert_eq!(s.get("odd").unwrap(), Some((3, 1)));
        assert_eq!(s.get("110105195000000010").unwrap(), Some((9, 9)));
    }

    #[test]
    fn id_numbers_packed_and_not() {
        assert_eq!(
            pack("11010519500315012X"),
            Some(11010519500315012 * 11 + 10)
        );
        assert_eq!(pack("1101051950031501"), None);
        id_numbers_with(SeenIds::default());
    }

    #[test]
    fn the_filter_never_forgets_a_key_and_rarely_imagines_one() {
        let mut f = Filter::new();
        let key = |i: u32| hash_bytes(format!("M{i:07}").as_bytes());
        for i in 0..200_000 {
            f.add(key(i));
        }
        assert!((0..200_000).all(|i| f.may_have(key(i))));
        let imagined = (200_000..400_000).filter(|&i| f.may_have(key(i))).count();
        assert!(imagined < 200, "{imagined} of 200,000 unseen keys");
    }

    #[test]
    fn id_numbers_past_the_memory_budget_go_to_disk_and_answer_alike() {
        let s = SeenIds::with_limit(50);
        id_numbers_with(s);
    }
}
