//! Slow reads on a worker thread with its own connection (a large roster in
//! a file): the screen keeps drawing and takes the result when it is back.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use rusqlite::Connection;

use crate::db;

/// One read running on its own thread.
#[derive(Debug)]
pub struct Worker<T>(Receiver<db::Result<T>>);

impl<T: Send + 'static> Worker<T> {
    /// Runs `read` on a new thread over a connection of its own to `path`
    /// (a small page cache: a scan reads each page once).
    pub fn spawn(
        path: &str,
        read: impl FnOnce(&Connection) -> db::Result<T> + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let path = path.to_string();
        std::thread::spawn(move || {
            let res = db::open_scan(Path::new(&path)).and_then(|c| read(&c));
            let _ = tx.send(res);
        });
        Worker(rx)
    }

    /// The result once it is back (`wait`: blocks until it is); None while
    /// the worker runs. A worker that died answers with an error.
    pub fn take(&self, wait: bool) -> Option<db::Result<T>> {
        let got = if wait {
            self.0.recv().map_err(|_| TryRecvError::Disconnected)
        } else {
            self.0.try_recv()
        };
        match got {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(db::DbError::invalid(
                "后台读取失败",
                "the background read failed",
            ))),
        }
    }
}

/// A figure a screen shows that is read at once for a short list, or on a
/// [`Worker`] for a long one (the screen says so until it is back): the
/// value, the worker while it runs, or why it could not be read.
#[derive(Debug)]
pub struct Background<T> {
    value: Option<T>,
    worker: Option<Worker<T>>,
    error: Option<String>,
}

impl<T> Default for Background<T> {
    fn default() -> Self {
        Background {
            value: None,
            worker: None,
            error: None,
        }
    }
}

impl<T: Send + 'static> Background<T> {
    /// Reads anew with `read`: on a worker over its own connection when `long`
    /// and the database is a file, else now (an error of a read now is the
    /// caller's). Any earlier value or worker is dropped.
    pub fn read(
        &mut self,
        conn: &Connection,
        long: bool,
        read: impl Fn(&Connection) -> db::Result<T> + Send + 'static,
    ) -> db::Result<()> {
        self.error = None;
        self.value = None;
        self.worker = None;
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) if long => self.worker = Some(Worker::spawn(path, read)),
            _ => self.value = Some(read(conn)?),
        }
        Ok(())
    }

    /// [`Background::read`], but the value read before stays shown until
    /// the worker's is back (a figure refreshed after a save).
    pub fn read_keeping(
        &mut self,
        conn: &Connection,
        long: bool,
        read: impl Fn(&Connection) -> db::Result<T> + Send + 'static,
    ) -> db::Result<()> {
        let kept = self.value.take();
        self.read(conn, long, read)?;
        if self.value.is_none() {
            self.value = kept;
        }
        Ok(())
    }

    /// Forgets the value, any worker and any error.
    pub fn clear(&mut self) {
        *self = Background::default();
    }

    /// Takes the worker's result when it is back (`wait`: blocks); true when
    /// something changed.
    pub fn poll(&mut self, lang: crate::domain::Lang, wait: bool) -> bool {
        let Some(res) = self.worker.as_ref().and_then(|w| w.take(wait)) else {
            return false;
        };
        self.worker = None;
        match res {
            Ok(v) => self.value = Some(v),
            Err(e) => self.error = Some(e.message(lang)),
        }
        true
    }

    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        self.value.as_mut()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// True while the worker reads.
    pub fn is_running(&self) -> bool {
        self.worker.is_some()
    }
}
