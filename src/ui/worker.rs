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
