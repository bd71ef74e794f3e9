//! The bytes a pass over a CSV file reads: the file afresh for each pass (or
//! bytes in memory), a digest of every byte read, and UTF-16 text decoded to
//! UTF-8 as it is read.

use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Cursor, Read};
use std::sync::Arc;
use std::time::SystemTime;

use encoding_rs::CoderResult;

/// Where the bytes come from: a file, read afresh for each pass, or bytes in memory.
pub(super) enum Source {
    File {
        file: File,
        len: u64,
        modified: Option<SystemTime>,
    },
    Bytes(Arc<[u8]>),
}

/// The raw bytes of one pass.
pub(super) enum Raw {
    File(File),
    Bytes(Cursor<Arc<[u8]>>),
}

impl Read for Raw {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Raw::File(f) => f.read(buf),
            Raw::Bytes(c) => c.read(buf),
        }
    }
}

/// The raw bytes of a pass, with a digest of every byte read.
pub(super) struct Digesting {
    raw: Raw,
    digest: std::hash::DefaultHasher,
    len: u64,
}

impl Read for Digesting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.raw.read(buf)?;
        self.digest.write(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
}

impl Digesting {
    pub(super) fn new(raw: Raw) -> Self {
        Digesting {
            raw,
            digest: std::hash::DefaultHasher::new(),
            len: 0,
        }
    }

    pub(super) fn sum(&self) -> (u64, u64) {
        (self.digest.finish(), self.len)
    }
}

/// UTF-16 text (after its BOM) as UTF-8 bytes, decoded as it is read; text
/// that is not valid UTF-16 is an `InvalidData` error.
pub(super) struct Utf16 {
    inner: Digesting,
    decoder: encoding_rs::Decoder,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    finished: bool,
}

impl Utf16 {
    pub(super) fn new(inner: Digesting, encoding: &'static encoding_rs::Encoding) -> Self {
        Utf16 {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            buf: vec![0; super::READ_BUF],
            pos: 0,
            end: 0,
            eof: false,
            finished: false,
        }
    }
}

impl Read for Utf16 {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.finished || out.len() < 4 {
                return Ok(0);
            }
            if self.pos == self.end && !self.eof {
                let n = self.inner.read(&mut self.buf)?;
                self.eof = n == 0;
                (self.pos, self.end) = (0, n);
            }
            let (res, read, written, bad) =
                self.decoder
                    .decode_to_utf8(&self.buf[self.pos..self.end], out, self.eof);
            self.pos += read;
            if bad {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "not UTF-16"));
            }
            if self.eof && res == CoderResult::InputEmpty {
                self.finished = true;
            }
            if written > 0 || self.finished {
                return Ok(written);
            }
        }
    }
}

/// The text of a pass: the bytes after the BOM, UTF-16 decoded to UTF-8.
pub(super) enum Text {
    Plain(Digesting),
    Utf16(Box<Utf16>),
}

impl Read for Text {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Text::Plain(d) => d.read(buf),
            Text::Utf16(u) => u.read(buf),
        }
    }
}

impl Text {
    pub(super) fn digesting(&self) -> &Digesting {
        match self {
            Text::Plain(d) => d,
            Text::Utf16(u) => &u.inner,
        }
    }
}
