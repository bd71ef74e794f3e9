//! Scanning the roster on several threads, and a search finishing on a
//! worker thread while the clerk types on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::{Hits, RANKS, RosterIndex, StatusFilter};
use crate::domain::member::Mark;
use crate::domain::pinyin::{PreparedQuery, Scratch};

/// Runs `test` over `0..n` into rank buckets, in order, on `threads`
/// threads (each a slice, the slices' buckets joined in order); stops early
/// once `cancel` is set.
pub(super) fn scan<F>(n: usize, threads: usize, cancel: &AtomicBool, test: F) -> [Vec<u32>; RANKS]
where
    F: Fn(&mut [Vec<u32>; RANKS], &mut Scratch, usize) + Sync,
{
    const STEP: usize = 4096;
    let threads = threads.clamp(1, 8);
    let run = |from: usize, to: usize| {
        let mut b: [Vec<u32>; RANKS] = Default::default();
        let mut buf = Scratch::default();
        let mut i = from;
        while i < to && !cancel.load(Ordering::Relaxed) {
            let end = (i + STEP).min(to);
            for j in i..end {
                test(&mut b, &mut buf, j);
            }
            i = end;
        }
        b
    };
    if threads == 1 {
        return run(0, n);
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|sc| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let run = &run;
                sc.spawn(move || run(t * chunk, ((t + 1) * chunk).min(n)))
            })
            .collect();
        let mut out: [Vec<u32>; RANKS] = Default::default();
        for h in handles {
            let got = h.join().expect("filter thread");
            for (o, g) in out.iter_mut().zip(got) {
                if o.is_empty() {
                    *o = g;
                } else {
                    o.extend_from_slice(&g);
                }
            }
        }
        out
    })
}

/// What [`RosterIndex::first_page`] found.
#[derive(Debug, Clone, Default)]
pub struct FirstPage {
    /// The result's first places (at most the page asked for).
    pub shown: Vec<u32>,
    /// Matches seen: the result has at least this many.
    pub found: usize,
    /// The whole result, when the scan got through.
    pub done: Option<Hits>,
}

/// A search finishing on a worker thread.
#[derive(Debug)]
pub struct Search {
    rx: Receiver<Option<Hits>>,
    cancel: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Search {
    /// Starts the full search on one worker thread (the other core stays
    /// with the keyboard).
    pub fn spawn(
        ix: Arc<RosterIndex>,
        status: StatusFilter,
        mark: Option<Mark>,
        q: PreparedQuery,
        within: Option<Arc<Hits>>,
    ) -> Search {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let handle = std::thread::spawn(move || {
            yield_to_the_keyboard();
            let hits = ix.filter_with(status, mark, &q, within.as_deref(), 1, &stop);
            let _ = tx.send(hits);
        });
        Search {
            rx,
            cancel,
            handle: Some(handle),
        }
    }

    /// The result if it is back (`wait`: waits for it).
    pub fn poll(&mut self, wait: bool) -> Option<Hits> {
        let got = if wait {
            self.rx.recv().ok().flatten()
        } else {
            self.rx.try_recv().ok().flatten()
        };
        if got.is_some()
            && let Some(h) = self.handle.take()
        {
            let _ = h.join();
        }
        got
    }
}

/// Lowers the calling thread's priority, so the thread reading keys runs
/// first when the cores are busy.
fn yield_to_the_keyboard() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no preconditions; setpriority on our own thread id
    // only changes this thread's nice value (an error leaves it as it was).
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

impl Search {
    /// Stops the worker without waiting for it (a keystroke replaces the
    /// search): it lets go of the index within a few thousand members.
    pub fn abandon(mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.handle.take();
    }
}

impl Drop for Search {
    /// Stops the worker and waits for it (so the index is not shared after).
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
