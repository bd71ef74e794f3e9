//! Screens: one module per tab, and this registry. Every tab is reached
//! through [`open`], one exhaustive `match`; the app talks to a screen only
//! through the [`Screen`] trait (keys, drawing, hints, text focus, resize,
//! being shown, hearing of a save, background work).
//!
//! Adding a tab: write `screens/<tab>.rs` with a struct that implements
//! [`Screen`] and an `open` function, add `pub mod <tab>;` and its arm in
//! [`open`] below. The tab list ([`Tab`]) already names all eight tabs.

pub mod fund;
pub mod hardship;
pub mod honours;
pub mod members;
pub mod overview;
pub mod pick;
pub mod roster_index;
pub mod stats;
pub mod survey;
pub mod visits;

use std::any::Any;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use crate::db;
use crate::domain::Lang;
use crate::ui::env::{Env, Status};
use crate::ui::keys::Hint;
use crate::ui::popups::{Change, Request};

/// Opens a tab's screen at a body height (rows between the tab bar and the
/// status line).
pub type Open = fn(&Connection, &Env, u16) -> db::Result<Box<dyn Screen>>;

/// The registry: how each tab's screen is opened, `None` while it is not built.
pub fn open(tab: Tab) -> Option<Open> {
    match tab {
        Tab::Overview => Some(overview::open),
        Tab::Members => Some(members::open),
        Tab::Hardship => Some(hardship::open),
        Tab::Visits => Some(visits::open),
        Tab::Fund => Some(fund::open),
        Tab::Survey => Some(survey::open),
        Tab::Honours => Some(honours::open),
        Tab::Stats => Some(stats::open),
    }
}

/// What handling a key asks of the app.
#[derive(Debug)]
pub enum Outcome {
    /// The key did nothing.
    Nothing,
    /// Something changed: redraw.
    Redraw,
    /// Open a popup above the screen.
    Open(Request),
    /// Show a message in the status line.
    Status(Status),
}

/// One tab. `render` draws from the state alone; everything that reads the
/// database happens in the other methods.
pub trait Screen: Any {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome;

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool);

    /// The title and keys of what has focus now (hint line and help).
    fn hints(&self, lang: Lang) -> (String, Vec<Hint>);

    /// True while the clerk types into a field of the screen (letters and
    /// digits are typed, not global keys).
    fn text_focus(&self) -> bool {
        false
    }

    /// The smallest body (width, rows) the screen's layout needs; below it
    /// the app asks for a larger window instead of drawing the screen.
    fn min_body(&self) -> (u16, u16) {
        (20, 5)
    }

    /// The body is now `body_height` rows high.
    fn resize(&mut self, conn: &Connection, env: &Env, body_height: u16) -> db::Result<()>;

    /// The tab was switched to again after it opened (`again`: it was the tab
    /// shown already): what other clerks wrote since shows up. Not called
    /// when the tab first opens: `open` reads what the screen shows.
    fn shown(&mut self, _conn: &Connection, _env: &Env, _again: bool) -> db::Result<()> {
        Ok(())
    }

    /// A popup saved something: recompute what depends on it.
    fn changed(&mut self, _conn: &Connection, _env: &Env, _what: &Change) -> db::Result<()> {
        Ok(())
    }

    /// True while the screen holds input a clerk typed and has not saved
    /// (quitting asks first).
    fn unsaved(&self) -> bool {
        false
    }

    /// Yes to the question a screen asked with `Request::ConfirmLeave`:
    /// leave its form as the key that asked would have, the input dropped.
    fn leave(&mut self, _conn: &mut Connection, _env: &Env) -> Outcome {
        Outcome::Nothing
    }

    /// True while a worker thread computes for this screen.
    fn busy(&self) -> bool {
        false
    }

    /// Takes a worker's result when it is back (`wait`: blocks until it is);
    /// true when something arrived.
    fn poll(&mut self, _conn: &Connection, _env: &Env, _wait: bool) -> bool {
        false
    }

    /// No worker runs any more: background work that waited may start.
    fn idle(&mut self) {}

    fn as_any(&self) -> &dyn Any;

    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// The tabs, in the order of DOMAIN.md; number keys 1–8 pick them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Members,
    Hardship,
    Visits,
    Fund,
    Survey,
    Honours,
    Stats,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Overview,
        Tab::Members,
        Tab::Hardship,
        Tab::Visits,
        Tab::Fund,
        Tab::Survey,
        Tab::Honours,
        Tab::Stats,
    ];

    /// 1–8.
    pub fn number(self) -> usize {
        Tab::ALL.iter().position(|&t| t == self).unwrap_or(0) + 1
    }

    /// The tab of a number key, when that tab exists.
    pub fn of_key(c: char) -> Option<Tab> {
        let n = c.to_digit(10)? as usize;
        Tab::ALL
            .get(n.checked_sub(1)?)
            .copied()
            .filter(|t| t.available())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Tab::Overview => ("总览", "Overview"),
            Tab::Members => ("党员", "Members"),
            Tab::Hardship => ("困难台账", "Hardship"),
            Tab::Visits => ("谈心走访", "Talks & visits"),
            Tab::Fund => ("帮扶基金", "Fund"),
            Tab::Survey => ("需求调查", "Survey"),
            Tab::Honours => ("激励", "Honours"),
            Tab::Stats => ("统计", "Statistics"),
        };
        lang.pick(zh, en)
    }

    /// The label in a tab bar too narrow for [`Tab::label`] (English at 80
    /// columns with eight tabs).
    pub fn short_label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Tab::Overview => ("总览", "Home"),
            Tab::Members => ("党员", "Members"),
            Tab::Hardship => ("困难", "Cases"),
            Tab::Visits => ("走访", "Talks"),
            Tab::Fund => ("基金", "Fund"),
            Tab::Survey => ("调查", "Survey"),
            Tab::Honours => ("激励", "Honours"),
            Tab::Stats => ("统计", "Stats"),
        };
        lang.pick(zh, en)
    }

    /// Whether the screen exists yet (the registry opens it).
    pub fn available(self) -> bool {
        open(self).is_some()
    }
}
