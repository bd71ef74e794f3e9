//! 困难台账 — the hardship ledger: the cases by priority (特困, 重点, 一般)
//! then pinyin, narrowed by year, state, category and priority and by a
//! search (code, name, full pinyin, initials), with the count of cases in
//! each state; the detail of one case (its workflow history, the steps
//! allowed next, measures with their logs, helpers, annual reviews and the
//! member's visits), from which every form of the ledger opens.

use std::cell::Cell;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod detail;
mod draw;
mod keys;
mod screen;

pub use keys::*;
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::db::audit::LogFilter;
use crate::db::hardship::{CaseDetail, CaseFilter, CaseMembers, CaseRow, HardshipPages};
use crate::db::pages::Pager;
use crate::domain::Lang;
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, Priority};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::{HardshipRequest, Request};
use crate::ui::widgets::paged_list::{Move, Paging, Total};
use crate::ui::widgets::search::{SearchBox, SearchEvent};
use crate::ui::widgets::window::Window;

/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (40, 9);

/// Rows of the list at a body height (filter bar, counts, borders, header,
/// two lines for the selected case in full).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height as usize).saturating_sub(7).max(1)
}

#[derive(Debug)]
pub struct HardshipScreen {
    filter: CaseFilter,
    search: SearchBox,
    years: Vec<i32>,
    /// The cases around the cursor, read by key.
    rows: Window<CaseRow>,
    /// What the window reads: the list under the filter, with its counts.
    pages: HardshipPages,
    /// The members with a case, as the search matches them.
    case_members: CaseMembers,
    cursor: usize,
    /// The newest case's id when the list was last read.
    last_id: i64,
    page_size: usize,
    /// The case open in the detail.
    detail: Option<Box<CaseDetail>>,
    /// The detail's first line shown.
    scroll: usize,
    /// The width of the detail's lines, as last drawn (80 columns before).
    detail_width: Cell<usize>,
}

/// The next of a cycle through `all` (`None` = every value), back to `None` after the last.
fn cycle<T: Copy + PartialEq>(now: Option<T>, all: &[T]) -> Option<T> {
    match now {
        None => all.first().copied(),
        Some(v) => {
            let i = all.iter().position(|&x| x == v).unwrap_or(all.len());
            all.get(i + 1).copied()
        }
    }
}

impl HardshipScreen {
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = HardshipScreen {
            filter: CaseFilter::default(),
            search: SearchBox::default(),
            years: Vec::new(),
            rows: Window::default(),
            pages: HardshipPages::default(),
            case_members: CaseMembers::default(),
            cursor: 0,
            last_id: 0,
            page_size: page_size.max(1),
            detail: None,
            scroll: 0,
            detail_width: Cell::new(78),
        };
        s.reload(conn, env)?;
        Ok(s)
    }

    /// The cases held around the cursor, in list order, from row
    /// [`Self::rows_start`] of the list on.
    pub fn rows(&self) -> &[CaseRow] {
        self.rows.rows()
    }

    /// The index in the list of the first row of [`Self::rows`].
    pub fn rows_start(&self) -> usize {
        self.rows.start()
    }

    /// How many cases the list has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i` of the list, when it is held (the rows around the cursor are).
    pub fn row(&self, i: usize) -> Option<&CaseRow> {
        self.rows.get(i)
    }

    pub fn selected(&self) -> Option<&CaseRow> {
        self.rows.get(self.cursor)
    }

    /// The newest case's id when the list was last read.
    pub fn last_id(&self) -> i64 {
        self.last_id
    }

    /// Reads the cases around the cursor unless they are held.
    pub(super) fn fill(&mut self, conn: &Connection) -> db::Result<()> {
        self.rows
            .fill(&self.pages, conn, self.cursor, self.page_size)
    }

    /// The case open in the detail, if one is.
    pub fn detail(&self) -> Option<&CaseDetail> {
        self.detail.as_deref()
    }

    /// How many cases are in each state (under the filters but the state's).
    pub fn counts(&self) -> &[(CaseState, usize)] {
        self.pages.state_counts()
    }

    pub fn text_focus(&self) -> bool {
        self.search.focused() && self.detail.is_none()
    }

    pub fn set_page_size(&mut self, rows: usize) {
        self.page_size = rows.max(1);
    }

    pub fn paging(&self) -> Paging {
        Paging::new(self.cursor, self.page_size, Total::Known(self.rows.len()))
    }

    /// Reads the ledger again (its years, the list keeping the selected case
    /// when it is still listed, the open case): something may have been saved.
    pub fn reload(&mut self, conn: &Connection, _env: &Env) -> db::Result<()> {
        self.years = db::hardship::years(conn)?;
        self.last_id = db::hardship::last_case_id(conn)?;
        self.relist(conn)
    }

    /// Reads the list again under the filter and search (a key changed
    /// them), keeping the selected case when it is still listed.
    fn relist(&mut self, conn: &Connection) -> db::Result<()> {
        // the selected case, read again (its priority or member may have
        // changed): it stays selected when it is still listed
        let was = match self.selected().map(|r| r.id) {
            Some(id) => db::hardship::case(conn, id)?,
            None => None,
        };
        self.filter.query = self.search.value().trim().to_string();
        self.pages = HardshipPages::searching_in(conn, &self.filter, &mut self.case_members)?;
        let id = was.as_ref().map(|r| r.id);
        let key = match was {
            Some(r) if self.pages.lists(conn, &r)? => Some(self.pages.key(&r)),
            _ => None,
        };
        // the cursor where it was when the case is not listed
        self.cursor = self.rows.reopen_on(
            &self.pages,
            conn,
            key.as_ref(),
            |r| Some(r.id) == id,
            self.cursor,
            self.page_size,
        )?;
        if let Some(d) = &self.detail {
            self.detail = db::hardship::detail(conn, d.row.id)?.map(Box::new);
        }
        Ok(())
    }

    /// Puts the cursor on case `id` when it is listed.
    pub fn select(&mut self, conn: &Connection, id: i64) -> db::Result<()> {
        if self.selected().is_some_and(|r| r.id == id) {
            return Ok(());
        }
        let Some(row) = db::hardship::case(conn, id)? else {
            return Ok(());
        };
        if !self.pages.lists(conn, &row)? {
            return Ok(());
        }
        let key = self.pages.key(&row);
        self.cursor =
            self.rows
                .reopen_at(&self.pages, conn, Some(&key), self.cursor, self.page_size)?;
        Ok(())
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        if self.detail.is_some() {
            (
                lang.pick("台账详情", "Case detail").into(),
                hints(DETAIL_BINDINGS, lang),
            )
        } else if self.search.focused() {
            (
                lang.pick("搜索", "Search").into(),
                hints(SEARCH_BINDINGS, lang),
            )
        } else {
            (
                lang.pick("困难台账", "Hardship ledger").into(),
                hints(LIST_BINDINGS, lang),
            )
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let res = if self.detail.is_some() {
            match lookup(DETAIL_BINDINGS, ev) {
                Some(a) => self.detail_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            }
        } else if self.search.focused() {
            self.handle_search(ev, conn, env)
        } else {
            match lookup(LIST_BINDINGS, ev) {
                Some(a) => self.list_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            }
        };
        res.unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
    }

    fn handle_search(
        &mut self,
        ev: &KeyEvent,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        Ok(match self.search.handle_key(ev, SEARCH_BINDINGS) {
            // Enter on a search that leaves one case opens it.
            SearchEvent::Done
                if ev.code == ratatui::crossterm::event::KeyCode::Enter && self.len() == 1 =>
            {
                return self.list_key(ListAction::Open, conn, env);
            }
            SearchEvent::Done | SearchEvent::Redraw => Outcome::Redraw,
            SearchEvent::Nothing => Outcome::Nothing,
            SearchEvent::ToList => match lookup(LIST_BINDINGS, ev) {
                Some(a) => return self.list_key(a, conn, env),
                None => Outcome::Nothing,
            },
            SearchEvent::Cleared { .. } | SearchEvent::Changed => {
                self.cursor = 0;
                self.relist(conn)?;
                Outcome::Redraw
            }
        })
    }

    fn open_case(&mut self, conn: &Connection, id: i64) -> db::Result<Outcome> {
        self.detail = db::hardship::detail(conn, id)?.map(Box::new);
        self.scroll = 0;
        Ok(Outcome::Redraw)
    }

    fn list_key(&mut self, a: ListAction, conn: &Connection, _env: &Env) -> db::Result<Outcome> {
        let refilter = |s: &mut Self| -> db::Result<Outcome> {
            s.cursor = 0;
            s.relist(conn)?;
            Ok(Outcome::Redraw)
        };
        let paging = self.paging();
        let to = |m| paging.moved(m);
        match a {
            ListAction::Search => {
                self.search.focus();
                // read what the search matches now, not on the first keystroke
                self.case_members.refresh(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::Open => match self.selected() {
                Some(r) => {
                    let id = r.id;
                    self.open_case(conn, id)
                }
                None => Ok(Outcome::Nothing),
            },
            ListAction::New => Ok(Outcome::Open(Request::Hardship(HardshipRequest::NewCase))),
            ListAction::Notice => Ok(Outcome::Open(Request::Hardship(HardshipRequest::Notice))),
            ListAction::Edit => Ok(match self.selected() {
                Some(r) => Outcome::Open(Request::Hardship(HardshipRequest::EditCase(r.id))),
                None => Outcome::Nothing,
            }),
            ListAction::Log => Ok(match self.selected() {
                Some(r) => Outcome::Open(Request::Log(Box::new(LogFilter::hardship_case(r.id)))),
                None => Outcome::Nothing,
            }),
            ListAction::Year => {
                self.filter.year = cycle(self.filter.year, &self.years);
                refilter(self)
            }
            ListAction::State => {
                self.filter.state = cycle(self.filter.state, CaseState::ALL);
                refilter(self)
            }
            ListAction::Category => {
                self.filter.category = cycle(self.filter.category, HardshipCategory::ALL);
                refilter(self)
            }
            ListAction::Priority => {
                self.filter.priority = cycle(self.filter.priority, Priority::ALL);
                refilter(self)
            }
            ListAction::Clear => {
                let f = &self.filter;
                let filtered = f.year.is_some()
                    || f.state.is_some()
                    || f.category.is_some()
                    || f.priority.is_some()
                    || !self.search.value().is_empty();
                if !filtered {
                    return Ok(Outcome::Nothing);
                }
                self.filter = CaseFilter::default();
                self.search.clear();
                refilter(self)
            }
            ListAction::Up => {
                self.cursor = to(Move::Up);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::Down => {
                self.cursor = to(Move::Down);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::PageUp => {
                self.cursor = to(Move::PageUp);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::PageDown => {
                self.cursor = to(Move::PageDown);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::Home => {
                self.cursor = to(Move::Home);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
            ListAction::End => {
                self.cursor = to(Move::End);
                self.fill(conn)?;
                Ok(Outcome::Redraw)
            }
        }
    }
}
