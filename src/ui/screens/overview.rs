//! 总览 — the first screen: who is overdue for a talk or a visit and who is
//! due soon, counts per rule, the running campaigns with their progress, and
//! under the list why the selected row is due. `Enter` opens the form that
//! discharges the selected obligation, filled in; after a save the list is
//! read again and the row is gone.
//!
//! The lists come from `db::obligations::listing`: a page at a time from the
//! kept obligations table (an index on the due date), so opening the screen
//! costs the same at 100 or 1,000,000 members; the screen holds only the rows
//! around the cursor (`fill_window`). When the table must first be rebuilt
//! (a campaign was added, a bulk import) or does not answer for the day (an
//! earlier `GUANHUAI_TODAY`), the rules run over the roster instead — on a
//! worker thread for a large roster in a file, so the first frame is drawn at
//! once and the lists fill in when the worker is back
//! ([`OverviewScreen::poll`]).

use std::cell::Cell;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use rusqlite::Connection;

use super::Outcome;
use crate::db;
use crate::db::obligations::kept;
use crate::db::obligations::listing::{Item, Listing, Part};
use crate::db::visits_list;
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Binding, Key, SearchAction, lookup, search_bindings};
use crate::ui::popups::Request;
use crate::ui::widgets::paged_list::{Move, Paging, Total};
use crate::ui::widgets::search::{SearchBox, SearchEvent};
use crate::ui::worker::Worker;

mod draw;
mod screen;

pub use draw::flow;
pub use screen::open;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewAction {
    Open,
    New,
    Edit,
    Search,
    Clear,
    Switch,
    Settings,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

/// The keys of the Overview (handling, hint line and help).
pub const BINDINGS: &[Binding<OverviewAction>] = &[
    Binding {
        action: OverviewAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "办理",
        en: "Record it",
        hint: true,
    },
    Binding {
        action: OverviewAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "为此人新增记录",
        en: "New record for them",
        hint: false,
    },
    Binding {
        action: OverviewAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改此人信息",
        en: "Edit the member",
        hint: false,
    },
    Binding {
        action: OverviewAction::Clear,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "清除查找",
        en: "Clear the search",
        hint: false,
    },
    Binding {
        action: OverviewAction::Switch,
        keys: &[
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::BackTab),
            Key::code(KeyCode::Left),
            Key::code(KeyCode::Right),
            Key::f(5),
        ],
        zh: "逾期/即将到期",
        en: "Overdue/due soon",
        hint: true,
    },
    Binding {
        action: OverviewAction::Settings,
        keys: &[Key::ch('s'), Key::f(7)],
        zh: "设置",
        en: "Settings",
        hint: true,
    },
    Binding {
        action: OverviewAction::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "按党员查找",
        en: "Find a member",
        hint: true,
    },
    Binding {
        action: OverviewAction::Refresh,
        keys: &[Key::ch('r'), Key::ctrl('r')],
        zh: "重新计算",
        en: "Recompute",
        hint: false,
    },
    Binding::up(OverviewAction::Up),
    Binding::down(OverviewAction::Down),
    Binding::page_up(OverviewAction::PageUp),
    Binding::page_down(OverviewAction::PageDown),
    Binding {
        action: OverviewAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一行",
        en: "First",
        hint: false,
    },
    Binding {
        action: OverviewAction::End,
        keys: &[Key::code(KeyCode::End)],
        zh: "最后一行",
        en: "Last",
        hint: false,
    },
];

/// The keys of the search box above the list.
pub const SEARCH_BINDINGS: &[Binding<SearchAction>] =
    &search_bindings("清除查找", "Clear the search");

/// Which list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Overdue,
    Soon,
}

/// Rows of the summary above the list and of the explanation under it.
const STRIP: u16 = 3;
const EXPLAIN: u16 = 2;

/// The smallest body the layout needs: the summary, a list of one row, the explanation.
const MIN_BODY: (u16, u16) = (30, STRIP + EXPLAIN + 4);

/// List rows at a body height (summary, borders, header, explanation).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height.saturating_sub(STRIP + EXPLAIN + 3) as usize).max(1)
}

/// Rosters up to this size are computed at once; larger ones on a worker thread.
pub const SYNC_LIMIT: usize = super::members::SYNC_INDEX_LIMIT;

#[derive(Debug)]
pub struct OverviewScreen {
    listing: Option<Listing>,
    /// The worker reading the lists, while it runs.
    pending: Option<Worker<Listing>>,
    /// The rows read around the cursor: (first row's place, rows).
    window: (usize, Vec<Item>),
    /// Why the worker failed.
    error: Option<String>,
    list: List,
    cursor: usize,
    page_size: usize,
    /// Rows of a page as last drawn (fewer than `page_size` when the summary
    /// above the list takes more lines): what PgUp and PgDn move by.
    rows_shown: Cell<usize>,
    /// No member at all: the list points the newcomer to adding or importing.
    roster_empty: bool,
    /// Why the selected row is due (read when the selection changes).
    explanation: String,
    /// This month's birthdays and political birthdays (生日, 政治生日), for greetings.
    greetings: (usize, usize),
    /// The member search above the list (`/`).
    search: SearchBox,
    /// While the search holds text: the members it found and their rows.
    found: Option<Found>,
}

/// The members a search found (the first [`FOUND_LIMIT`]) and the rows of
/// both lists that are theirs, in the lists' order.
#[derive(Debug, Default)]
pub struct Found {
    ids: Vec<i64>,
    overdue: Vec<Item>,
    soon: Vec<Item>,
}

/// The most members a search narrows the lists to (as on Talks & visits).
pub const FOUND_LIMIT: usize = 200;

impl OverviewScreen {
    /// Computes the lists: at once for a small roster, on a worker thread
    /// (with its own connection) for a large one in a file.
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = OverviewScreen {
            listing: None,
            pending: None,
            window: (0, Vec::new()),
            error: None,
            list: List::Overdue,
            cursor: 0,
            page_size: page_size.max(1),
            rows_shown: Cell::new(0),
            roster_empty: false,
            explanation: String::new(),
            greetings: (0, 0),
            search: SearchBox::default(),
            found: None,
        };
        s.reload(conn, env)?;
        Ok(s)
    }

    /// Reads the lists again, like `new`: from the kept table when it is
    /// current, else (it must be rebuilt, or the rules must run) on a worker
    /// thread for a large roster in a file — the old lists stay on screen
    /// until the new arrive.
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.note_roster(conn)?;
        self.note_greetings(conn, env)?;
        let quick = kept::is_current(conn, &env.settings)?;
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) if !quick && db::roster::more_than(conn, SYNC_LIMIT)? => {
                let (today, settings) = (env.today, env.settings.clone());
                self.pending = Some(Worker::spawn(path, move |c| {
                    // Rebuilt once for every later start (a read-only file: the rules run).
                    kept::ensure(c, &settings)?;
                    Listing::load(c, today, &settings)
                }));
                Ok(())
            }
            _ => self.refresh(conn, env),
        }
    }

    /// True while the worker computes a report.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the worker's report when it is back (`wait`: blocks until it
    /// is). True when something arrived (redraw).
    pub fn poll(&mut self, conn: &Connection, env: &Env, wait: bool) -> bool {
        let Some(worker) = &self.pending else {
            return false;
        };
        let Some(res) = worker.take(wait) else {
            return false;
        };
        self.pending = None;
        match res {
            Ok(rep) => {
                self.listing = Some(rep);
                self.error = None;
                if let Err(e) = self.refilter(conn) {
                    self.error = Some(e.message(env.lang));
                }
                self.cursor = self.cursor.min(self.len().saturating_sub(1));
                self.window = (0, Vec::new());
                if let Err(e) = self
                    .fill_window(conn)
                    .and_then(|()| self.explain(conn, env))
                {
                    self.error = Some(e.message(env.lang));
                }
            }
            Err(e) => self.error = Some(e.message(env.lang)),
        }
        true
    }

    /// Recomputes the lists (after a save or a settings change), keeping the
    /// list shown and the cursor's place.
    pub fn refresh(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        // A worker still running computes what is now stale.
        self.pending = None;
        self.error = None;
        self.note_roster(conn)?;
        self.note_greetings(conn, env)?;
        // A small roster's table is rebuilt at once when stale (a campaign added).
        if !kept::is_current(conn, &env.settings)? && !db::roster::more_than(conn, SYNC_LIMIT)? {
            kept::ensure(conn, &env.settings)?;
        }
        self.listing = Some(Listing::load(conn, env.today, &env.settings)?);
        self.refilter(conn)?;
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
        self.window = (0, Vec::new());
        self.fill_window(conn)?;
        self.explain(conn, env)
    }

    /// Whether the roster is empty (a member was added or imported since).
    pub fn note_roster(&mut self, conn: &Connection) -> db::Result<()> {
        self.roster_empty = !db::roster::more_than(conn, 0)?;
        Ok(())
    }

    /// Counts this month's birthdays and political birthdays of active members.
    fn note_greetings(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.greetings = db::incentives::month_counts(conn, env.today)?;
        Ok(())
    }

    /// This month's (birthdays, political birthdays), as the summary shows them.
    pub fn greetings(&self) -> (usize, usize) {
        self.greetings
    }

    pub fn set_page_size(&mut self, rows: usize) {
        self.page_size = rows.max(1);
    }

    pub fn listing(&self) -> Option<&Listing> {
        self.listing.as_ref()
    }

    pub fn list(&self) -> List {
        self.list
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn explanation(&self) -> &str {
        &self.explanation
    }

    fn part(&self) -> Part {
        match self.list {
            List::Overdue => Part::Overdue,
            List::Soon => Part::Soon,
        }
    }

    /// Rows in the list shown.
    pub fn len(&self) -> usize {
        match &self.found {
            Some(f) => self.found_rows(f).len(),
            None => self.listing.as_ref().map_or(0, |l| l.len(self.part())),
        }
    }

    fn found_rows<'a>(&self, f: &'a Found) -> &'a [Item] {
        match self.list {
            List::Overdue => &f.overdue,
            List::Soon => &f.soon,
        }
    }

    /// The rows of both lists while a search narrows them: (overdue, due soon).
    pub fn found_counts(&self) -> Option<(usize, usize)> {
        self.found.as_ref().map(|f| (f.overdue.len(), f.soon.len()))
    }

    pub fn search(&self) -> &SearchBox {
        &self.search
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` of the list shown, when it was read (the rows around the cursor are).
    pub fn item(&self, i: usize) -> Option<&Item> {
        if let Some(f) = &self.found {
            return self.found_rows(f).get(i);
        }
        let (start, items) = &self.window;
        i.checked_sub(*start).and_then(|k| items.get(k))
    }

    /// Every row of the list shown, read afresh (tests and screenshots).
    pub fn all_items(&self, conn: &Connection) -> db::Result<Vec<Item>> {
        match &self.listing {
            Some(l) => l.page(conn, self.part(), 0, l.len(self.part())),
            None => Ok(Vec::new()),
        }
    }

    /// Both lists, overdue first, read afresh (tests).
    pub fn both_lists(&self, conn: &Connection) -> db::Result<Vec<Item>> {
        let Some(l) = &self.listing else {
            return Ok(Vec::new());
        };
        let mut all = l.page(conn, Part::Overdue, 0, l.len(Part::Overdue))?;
        all.extend(l.page(conn, Part::Soon, 0, l.len(Part::Soon))?);
        Ok(all)
    }

    /// The rows read around the cursor (tests: what the screen can show).
    pub fn items(&self) -> &[Item] {
        match &self.found {
            Some(f) => self.found_rows(f),
            None => &self.window.1,
        }
    }

    pub fn selected(&self) -> Option<&Item> {
        self.item(self.cursor)
    }

    /// Reads the rows around the cursor unless they are at hand: the page
    /// the cursor is on and one page either side.
    fn fill_window(&mut self, conn: &Connection) -> db::Result<()> {
        if self.found.is_some() {
            // The found rows are all at hand.
            return Ok(());
        }
        let Some(listing) = &self.listing else {
            self.window = (0, Vec::new());
            return Ok(());
        };
        let len = listing.len(self.part());
        let per = self.page_size.max(1);
        let lo = self.cursor.saturating_sub(per);
        let hi = (self.cursor + per + 1).min(len);
        let (start, items) = &self.window;
        if *start <= lo && start + items.len() >= hi && !(items.is_empty() && len > 0) {
            return Ok(());
        }
        let from = self.cursor.saturating_sub(2 * per);
        let items = listing.page(conn, self.part(), from, 5 * per)?;
        self.window = (from, items);
        Ok(())
    }

    /// Reads the found members' rows again from the lists (after they changed).
    fn refilter(&mut self, conn: &Connection) -> db::Result<()> {
        let (Some(f), Some(l)) = (&mut self.found, &self.listing) else {
            return Ok(());
        };
        f.overdue = l.rows_of(conn, Part::Overdue, &f.ids)?;
        f.soon = l.rows_of(conn, Part::Soon, &f.ids)?;
        Ok(())
    }

    /// The search's text changed: the members it finds now, and their rows.
    fn search_again(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let q = self.search.value().trim();
        self.found = if q.is_empty() {
            None
        } else {
            let ids = crate::ui::screens::pick::candidates(conn, q, FOUND_LIMIT)?
                .into_iter()
                .map(|h| h.id)
                .collect();
            Some(Found {
                ids,
                ..Found::default()
            })
        };
        self.refilter(conn)?;
        self.cursor = 0;
        self.window = (0, Vec::new());
        self.fill_window(conn)?;
        self.explain(conn, env)
    }

    fn handle_search(
        &mut self,
        ev: &KeyEvent,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        match self.search.handle_key(ev, SEARCH_BINDINGS) {
            SearchEvent::Done | SearchEvent::Redraw => Ok(Outcome::Redraw),
            SearchEvent::Nothing => Ok(Outcome::Nothing),
            SearchEvent::ToList => match lookup(BINDINGS, ev) {
                Some(a) => self.act(a, conn, env),
                None => Ok(Outcome::Redraw),
            },
            SearchEvent::Cleared { .. } | SearchEvent::Changed => {
                self.search_again(conn, env)?;
                Ok(Outcome::Redraw)
            }
        }
    }

    /// The member of the selected row, as the forms take it.
    fn selected_member(
        &self,
        conn: &Connection,
    ) -> db::Result<Option<crate::db::visits_list::MemberHit>> {
        match self.selected() {
            Some(item) => visits_list::member_hit(conn, item.member_id),
            None => Ok(None),
        }
    }

    fn explain(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.explanation = match (&self.listing, self.selected()) {
            (Some(rep), Some(item)) => rep
                .explain(conn, item, &env.settings)?
                .map(|o| o.explanation.text(env.lang))
                .unwrap_or_default(),
            _ => String::new(),
        };
        Ok(())
    }

    fn move_to(&mut self, conn: &Connection, env: &Env, to: usize) -> db::Result<Outcome> {
        let to = to.min(self.len().saturating_sub(1));
        if to == self.cursor {
            return Ok(Outcome::Nothing);
        }
        self.cursor = to;
        self.fill_window(conn)?;
        self.explain(conn, env)?;
        Ok(Outcome::Redraw)
    }

    fn key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let arrived = self.poll(conn, env, false);
        if self.search.focused() {
            return self
                .handle_search(ev, conn, env)
                .unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))));
        }
        let Some(action) = lookup(BINDINGS, ev) else {
            return if arrived {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            };
        };
        if self.is_pending() && !matches!(action, OverviewAction::Settings | OverviewAction::Search)
        {
            return Outcome::Nothing;
        }
        self.act(action, conn, env)
            .unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
    }

    fn act(&mut self, a: OverviewAction, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        let per = match self.rows_shown.get() {
            0 => self.page_size,
            n => n,
        };
        let paging = Paging::new(self.cursor, per, Total::Known(self.len()));
        let to = |m| paging.moved(m);
        match a {
            OverviewAction::Up => self.move_to(conn, env, to(Move::Up)),
            OverviewAction::Down => self.move_to(conn, env, to(Move::Down)),
            OverviewAction::PageUp => self.move_to(conn, env, to(Move::PageUp)),
            OverviewAction::PageDown => self.move_to(conn, env, to(Move::PageDown)),
            OverviewAction::Home => self.move_to(conn, env, to(Move::Home)),
            OverviewAction::End => self.move_to(conn, env, to(Move::End)),
            OverviewAction::Switch => {
                self.list = match self.list {
                    List::Overdue => List::Soon,
                    List::Soon => List::Overdue,
                };
                self.cursor = 0;
                self.window = (0, Vec::new());
                self.fill_window(conn)?;
                self.explain(conn, env)?;
                Ok(Outcome::Redraw)
            }
            OverviewAction::Settings => Ok(Outcome::Open(Request::Settings)),
            OverviewAction::Refresh => {
                self.reload(conn, env)?;
                Ok(Outcome::Status(Status::info(
                    env.lang.pick("已重新计算", "Recomputed"),
                )))
            }
            OverviewAction::Search => {
                self.search.focus();
                Ok(Outcome::Redraw)
            }
            OverviewAction::Clear => {
                if self.found.is_none() {
                    return Ok(Outcome::Nothing);
                }
                self.search.clear();
                self.search_again(conn, env)?;
                Ok(Outcome::Redraw)
            }
            OverviewAction::New => Ok(Outcome::Open(Request::NewRecord(
                self.selected_member(conn)?,
            ))),
            OverviewAction::Edit => {
                let member = match self.selected() {
                    Some(item) => db::members::get(conn, item.member_id)?,
                    None => None,
                };
                Ok(match member {
                    Some(m) => Outcome::Open(Request::EditMember(Box::new(m))),
                    None => Outcome::Status(Status::info(env.lang.pick(
                        "没有选中的党员：先用 ↑↓ 选一行",
                        "No member selected: pick a row with ↑↓ first",
                    ))),
                })
            }
            OverviewAction::Open => {
                let Some(item) = self.selected() else {
                    return Ok(Outcome::Nothing);
                };
                let Some(member) = visits_list::member_hit(conn, item.member_id)? else {
                    return Ok(Outcome::Nothing);
                };
                Ok(Outcome::Open(Request::Discharge {
                    member,
                    kind: item.kind.clone(),
                }))
            }
        }
    }
}
