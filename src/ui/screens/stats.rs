//! 统计 — tab 8: the figures of the upward report on a day (today when the
//! tab opens), one section per page: its lines on the left, its
//! distributions as horizontal bar charts on the right (ratatui's
//! `BarChart`; each bar carries its number, so nothing depends on colour).
//! The day moves by month ends; the report is written to a file (XLSX ready
//! to print, or text) from a small form. The figures are those of `guanhuai
//! stats` (`db::stats::compute`), computed when the day changes or the tab
//! is shown, never while drawing: on a worker thread with its own
//! connection for a large roster in a file (seconds at a city's size), the
//! figures shown until then marked as being counted.

use chrono::{Datelike, NaiveDate};
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

mod draw;
mod keys;
mod screen;

pub use keys::{STATS_BINDINGS, StatsAction};
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::domain::Lang;
use crate::domain::stats::{Section, Stats};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::Request;
use crate::ui::worker::Worker;

/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (60, 12);

#[derive(Debug)]
pub struct StatsScreen {
    as_of: NaiveDate,
    /// None until the first figures arrive.
    stats: Option<Stats>,
    sections: Vec<Section>,
    /// The worker counting the figures on `as_of`, while it runs.
    pending: Option<Worker<Stats>>,
    page: usize,
    /// The first line of the section's list shown.
    scroll: usize,
    /// Why the worker failed.
    error: Option<String>,
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|f| f.pred_opt())
        .unwrap_or(d)
}

/// The month end before `d` (the end of the previous month).
pub fn previous_month_end(d: NaiveDate) -> NaiveDate {
    d.with_day(1).and_then(|f| f.pred_opt()).unwrap_or(d)
}

/// The next month end after `d`, never after `today` (today itself then).
pub fn next_month_end(d: NaiveDate, today: NaiveDate) -> NaiveDate {
    let end = if month_end(d) == d {
        month_end(d.succ_opt().unwrap_or(d))
    } else {
        month_end(d)
    };
    end.min(today).max(d)
}

impl StatsScreen {
    pub fn new(conn: &Connection, env: &Env) -> db::Result<Self> {
        let mut s = StatsScreen {
            as_of: env.today,
            stats: None,
            sections: Vec::new(),
            pending: None,
            page: 0,
            scroll: 0,
            error: None,
        };
        s.reload(conn, env)?;
        Ok(s)
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The figures (None while the first are being counted).
    pub fn stats(&self) -> Option<&Stats> {
        self.stats.as_ref()
    }

    /// True while a worker counts the figures.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the worker's figures when they are back (`wait`: blocks until
    /// they are). True when something arrived (redraw).
    pub fn poll(&mut self, env: &Env, wait: bool) -> bool {
        let Some(worker) = &self.pending else {
            return false;
        };
        let Some(res) = worker.take(wait) else {
            return false;
        };
        self.pending = None;
        match res {
            Ok(stats) => self.set_stats(stats, env),
            Err(e) => self.error = Some(e.message(env.lang)),
        }
        true
    }

    fn set_stats(&mut self, stats: Stats, env: &Env) {
        self.sections = stats.sections(env.lang);
        self.stats = Some(stats);
        self.error = None;
        self.page = self.page.min(self.sections.len().saturating_sub(1));
    }

    pub fn page(&self) -> usize {
        self.page
    }

    /// Computes the figures on `as_of` again: at once for a small roster, on
    /// a worker for a large one in a file (the figures shown stay until the
    /// new arrive).
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) if db::roster::more_than(conn, super::members::SYNC_INDEX_LIMIT)? => {
                let (day, settings) = (self.as_of, env.settings.clone());
                self.pending = Some(Worker::spawn(path, move |c| {
                    db::stats::compute(c, day, &settings)
                }));
            }
            _ => {
                self.pending = None;
                let stats = db::stats::compute(conn, self.as_of, &env.settings)?;
                self.set_stats(stats, env);
            }
        }
        Ok(())
    }

    fn set_day(&mut self, day: NaiveDate, conn: &Connection, env: &Env) -> Outcome {
        if day == self.as_of {
            return Outcome::Nothing;
        }
        let before = self.as_of;
        self.as_of = day;
        match self.reload(conn, env) {
            Ok(()) => {
                self.scroll = 0;
                Outcome::Redraw
            }
            Err(e) => {
                self.as_of = before;
                Outcome::Status(Status::error(e.message(env.lang)))
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        let Some(action) = lookup(STATS_BINDINGS, ev) else {
            return Outcome::Nothing;
        };
        let pages = self.sections.len().max(1);
        match action {
            StatsAction::NextPage => {
                self.page = (self.page + 1) % pages;
                self.scroll = 0;
                Outcome::Redraw
            }
            StatsAction::PreviousPage => {
                self.page = (self.page + pages - 1) % pages;
                self.scroll = 0;
                Outcome::Redraw
            }
            StatsAction::Down => {
                let n = self.sections.get(self.page).map_or(0, |s| s.lines.len());
                if self.scroll + 1 < n {
                    self.scroll += 1;
                    Outcome::Redraw
                } else {
                    Outcome::Nothing
                }
            }
            StatsAction::Up => {
                if self.scroll > 0 {
                    self.scroll -= 1;
                    Outcome::Redraw
                } else {
                    Outcome::Nothing
                }
            }
            StatsAction::PreviousMonth => self.set_day(previous_month_end(self.as_of), conn, env),
            StatsAction::NextMonth => {
                self.set_day(next_month_end(self.as_of, env.today), conn, env)
            }
            StatsAction::Today => self.set_day(env.today, conn, env),
            StatsAction::Report => Outcome::Open(Request::StatsReport(self.as_of)),
            StatsAction::Edit => Outcome::Status(Status::info(env.lang.pick(
                "统计数字由各页的记录算出，不能直接修改：请到对应的页更正记录",
                "Figures are counted from the records: correct a record on its own tab",
            ))),
        }
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        (
            lang.pick("统计", "Statistics").to_string(),
            hints(STATS_BINDINGS, lang),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_ends() {
        assert_eq!(month_end(d("2026-02-10")), d("2026-02-28"));
        assert_eq!(month_end(d("2026-12-05")), d("2026-12-31"));
        assert_eq!(previous_month_end(d("2026-11-28")), d("2026-10-31"));
        assert_eq!(previous_month_end(d("2026-10-31")), d("2026-09-30"));
        assert_eq!(previous_month_end(d("2026-01-15")), d("2025-12-31"));
        let today = d("2026-11-28");
        assert_eq!(next_month_end(d("2026-10-31"), today), d("2026-11-28"));
        assert_eq!(next_month_end(d("2026-09-30"), today), d("2026-10-31"));
        assert_eq!(next_month_end(d("2026-09-10"), today), d("2026-09-30"));
        assert_eq!(next_month_end(today, today), today);
    }
}
