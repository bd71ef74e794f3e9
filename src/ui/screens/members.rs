//! 党员 — the members screen: a paged list in pinyin order, narrowed as the
//! clerk types a search (characters, full pinyin, initials, code, phone
//! digits) and by status and category filters; a detail view of every field;
//! entry points to the new/edit form and to status changes (转出, 去世).
//!
//! Performance: the first page comes from a keyset query on the pinyin index
//! (`db::roster::page_with_status`), so it costs the same for 100 or 100,000
//! members. Search, filters and paging work on [`RosterIndex`] (ids, flag bits
//! and the pinyin search index, no full rows), built at once for a small
//! roster and on a worker thread for a large one; only the rows of the page
//! on screen are read in full (`db::members::by_ids`). A keystroke over a
//! large roster shows the rows known to come first and a worker finishes
//! the search (`search.rs`).

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod care;
mod draw;
mod history;
mod keys;
mod refresh;
mod screen;
mod search;

pub use care::{CARE_BINDINGS, Care, CareAction, Section};
pub use keys::*;
pub use screen::open;
pub use search::SearchTuning;

use super::Outcome;
use super::roster_index::{Hits, Loader, RosterIndex, StatusFilter};
use crate::db;
use crate::domain::Lang;
use crate::domain::member::{Mark, Member};
use crate::domain::vocab::MemberStatus;
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::Request;
use crate::ui::widgets::paged_list::{Move, Paging, Total};
use crate::ui::widgets::search::{SearchBox, SearchEvent};

/// Rosters up to this size are indexed at once; larger ones on a worker thread.
pub const SYNC_INDEX_LIMIT: usize = 5_000;

/// List or detail.
#[derive(Debug, Clone)]
pub enum View {
    List,
    Detail(Box<Member>),
}

/// A change of status asked for from the menu, waiting for confirmation.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub member: Member,
    pub to: MemberStatus,
}

#[derive(Debug)]
pub struct MembersScreen {
    loader: Loader,
    status_filter: StatusFilter,
    mark_filter: Option<Mark>,
    search: SearchBox,
    /// Search results as a stack: each query (prepared text) with the places
    /// (in the index) of the members it shows, each query a prefix of the
    /// next. The top is what the list shows. A typed character narrows the
    /// top; Backspace pops back to a result already computed.
    results: Vec<(String, Arc<Hits>)>,
    /// A search the worker finishes (the list shows its first rows).
    pending: Option<search::Pending>,
    tuning: SearchTuning,
    total: usize,
    cursor: usize,
    page_size: usize,
    page_offset: usize,
    page: Vec<Member>,
    view: View,
    /// True once `visible` comes from the index (before: the keyset first page).
    using_index: bool,
    /// The detail's obligations and history pages.
    care: Care,
}

/// Rows of the list at a body height (filter bar, borders, header).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height as usize).saturating_sub(4).max(1)
}

impl MembersScreen {
    /// Opens the list: the first page at once, the index now (small roster)
    /// or on a worker thread (large roster in a file).
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = MembersScreen {
            loader: Loader::Failed(String::new()),
            status_filter: StatusFilter::Active,
            mark_filter: None,
            search: SearchBox::default(),
            results: Vec::new(),
            pending: None,
            tuning: SearchTuning::default(),
            total: 0,
            cursor: 0,
            page_size: page_size.max(1),
            page_offset: 0,
            page: Vec::new(),
            view: View::List,
            using_index: false,
            care: Care::default(),
        };
        let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
        let large = path.is_some() && db::roster::more_than(conn, SYNC_INDEX_LIMIT)?;
        match path {
            Some(path) if large => {
                s.loader = Loader::Deferred {
                    path,
                    today: env.today,
                    settings: env.settings.clone(),
                };
                s.page = db::roster::page_with_status(
                    conn,
                    s.status_filter.status(),
                    None,
                    s.page_size,
                )?;
                s.total = db::roster::count_with_status(conn, s.status_filter.status())?;
            }
            _ => {
                s.loader = Loader::Ready(Arc::new(RosterIndex::build(
                    conn,
                    env.today,
                    &env.settings,
                )?));
                s.refilter(conn, false)?;
            }
        }
        Ok(s)
    }

    /// Starts building the search index on its worker thread, if it waits.
    pub fn start_index(&mut self) {
        self.loader.start();
    }

    /// Waits for the worker building the index (benchmarks, tests).
    pub fn wait_index(&mut self, conn: &Connection) -> db::Result<()> {
        self.ensure_index(conn)
    }

    fn ensure_index(&mut self, conn: &Connection) -> db::Result<()> {
        self.loader.poll(true);
        self.adopt_index(conn)?;
        if let Loader::Failed(e) = &self.loader
            && !e.is_empty()
        {
            return Err(db::DbError::invalid(
                format!("读取名册失败：{e}"),
                format!("could not read the roster: {e}"),
            ));
        }
        Ok(())
    }

    /// Reads the full rows of the page holding the cursor (when it changed).
    fn fetch_page(&mut self, conn: &Connection) -> db::Result<()> {
        let Some(ix) = self.loader.ready() else {
            return Ok(());
        };
        let off = self.cursor / self.page_size * self.page_size;
        let ids: Vec<i64> = self
            .visible_places(off, off + self.page_size)
            .iter()
            .map(|&p| ix.id(p))
            .collect();
        self.page = db::members::by_ids(conn, &ids)?;
        self.page_offset = off;
        Ok(())
    }

    /// Rows per page (from the body height); refetches the page.
    pub fn set_page_size(&mut self, conn: &Connection, rows: usize) -> db::Result<()> {
        let rows = rows.max(1);
        if rows == self.page_size {
            return Ok(());
        }
        self.page_size = rows;
        if self.using_index {
            self.fetch_page(conn)
        } else {
            self.page =
                db::roster::page_with_status(conn, self.status_filter.status(), None, rows)?;
            self.cursor = self.cursor.min(self.page.len().saturating_sub(1));
            Ok(())
        }
    }

    /// True while the clerk types in the search box.
    pub fn text_focus(&self) -> bool {
        self.search.focused() && matches!(self.view, View::List)
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// The rows on screen.
    pub fn page(&self) -> &[Member] {
        &self.page
    }

    pub fn selected(&self) -> Option<&Member> {
        self.page
            .get(self.cursor.checked_sub(self.page_offset_now())?)
    }

    fn page_offset_now(&self) -> usize {
        if self.using_index {
            self.page_offset
        } else {
            0
        }
    }

    pub fn search_text(&self) -> &str {
        self.search.value()
    }

    /// The hints and help of what has focus now.
    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        match (&self.view, self.search.focused()) {
            (View::Detail(_), _) if self.care.section != Section::Info => (
                self.care.section.label(lang).into(),
                hints(&care::bindings(self.care.section), lang),
            ),
            (View::Detail(_), _) => (
                lang.pick("党员详情", "Member detail").into(),
                hints(DETAIL_BINDINGS, lang),
            ),
            (View::List, true) => (
                lang.pick("搜索", "Search").into(),
                hints(SEARCH_BINDINGS, lang),
            ),
            (View::List, false) => (
                lang.pick("党员名册", "Members").into(),
                hints(LIST_BINDINGS, lang),
            ),
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        // The worker may have finished since the last key.
        self.loader.poll(false);
        if let Err(e) = self
            .adopt_index(conn)
            .and_then(|_| self.poll_search(conn, false))
        {
            return error(e, env.lang);
        }
        let res = match &self.view {
            View::Detail(_) if self.care.section != Section::Info => {
                match lookup(&care::bindings(self.care.section), ev) {
                    Some(a) => self.handle_care(a, conn, env),
                    None => Ok(Outcome::Nothing),
                }
            }
            View::Detail(_) => self.handle_detail(ev, conn, env),
            View::List if self.search.focused() => self.handle_search(ev, conn, env),
            View::List => self.handle_list(ev, conn, env),
        };
        // A member just opened (or stepped to) gets its obligations and history.
        let res = res.and_then(|o| self.sync_care(conn, env).map(|_| o));
        res.unwrap_or_else(|e| error(e, env.lang))
    }

    /// Switches from the keyset first page to an index that has arrived,
    /// keeping the cursor (the order is the same).
    fn adopt_index(&mut self, conn: &Connection) -> db::Result<()> {
        if self.using_index || self.loader.ready().is_none() {
            return Ok(());
        }
        let cursor = self.cursor;
        self.refilter(conn, false)?;
        self.cursor = cursor.min(self.total.saturating_sub(1));
        self.fetch_page(conn)
    }

    fn handle_search(
        &mut self,
        ev: &KeyEvent,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        Ok(match self.search.handle_key(ev, SEARCH_BINDINGS) {
            SearchEvent::Done => {
                // The list needs the whole result.
                self.finish_search(conn)?;
                // Enter on a search that leaves one member opens it.
                if ev.code == KeyCode::Enter && self.total == 1 {
                    return self.handle_list(ev, conn, env);
                }
                Outcome::Redraw
            }
            SearchEvent::Cleared { had_text } => {
                if had_text {
                    self.ensure_index(conn)?;
                    self.refilter(conn, true)?;
                }
                Outcome::Redraw
            }
            SearchEvent::ToList => return self.handle_list(ev, conn, env),
            SearchEvent::Changed => {
                self.ensure_index(conn)?;
                self.refilter(conn, true)?;
                Outcome::Redraw
            }
            SearchEvent::Redraw => Outcome::Redraw,
            SearchEvent::Nothing => Outcome::Nothing,
        })
    }

    /// The detail of the next (or previous) member in the list.
    fn step_detail(&mut self, conn: &Connection, forward: bool) -> db::Result<()> {
        let to = if forward {
            self.cursor + 1
        } else {
            self.cursor.saturating_sub(1)
        };
        self.move_cursor(conn, to)?;
        if let Some(m) = self.selected() {
            self.view = View::Detail(Box::new(m.clone()));
        }
        Ok(())
    }

    /// Where the cursor is in the list (the paged list's moves and footer).
    pub fn paging(&self) -> Paging {
        Paging::new(self.cursor, self.page_size, Total::Known(self.total))
    }

    fn move_cursor(&mut self, conn: &Connection, to: usize) -> db::Result<Outcome> {
        self.finish_search(conn)?;
        if !self.using_index {
            // Before the index arrives: within the first page, else wait for it.
            if to < self.page.len() {
                self.cursor = to;
                return Ok(Outcome::Redraw);
            }
            self.ensure_index(conn)?;
        }
        let to = to.min(self.total.saturating_sub(1));
        let old_page = self.page_offset;
        self.cursor = to;
        if to / self.page_size * self.page_size != old_page {
            self.fetch_page(conn)?;
        }
        Ok(Outcome::Redraw)
    }

    fn handle_list(&mut self, ev: &KeyEvent, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        let Some(action) = lookup(LIST_BINDINGS, ev) else {
            return Ok(Outcome::Nothing);
        };
        let lang = env.lang;
        match action {
            ListAction::Search => {
                self.search.focus();
                Ok(Outcome::Redraw)
            }
            ListAction::ClearFilters => {
                let filtered = !self.search.value().is_empty()
                    || self.status_filter != StatusFilter::Active
                    || self.mark_filter.is_some();
                if !filtered {
                    return Ok(Outcome::Nothing);
                }
                self.ensure_index(conn)?;
                self.search.clear();
                self.status_filter = StatusFilter::Active;
                self.mark_filter = None;
                self.refilter(conn, false)?;
                Ok(Outcome::Redraw)
            }
            ListAction::Up => self.move_cursor(conn, self.paging().moved(Move::Up)),
            ListAction::Down => self.move_cursor(conn, self.paging().moved(Move::Down)),
            ListAction::PageUp => self.move_cursor(conn, self.paging().moved(Move::PageUp)),
            ListAction::PageDown => self.move_cursor(conn, self.paging().moved(Move::PageDown)),
            ListAction::Home => self.move_cursor(conn, 0),
            ListAction::End => {
                self.ensure_index(conn)?;
                self.move_cursor(conn, self.paging().moved(Move::End))
            }
            ListAction::Open => Ok(match self.selected() {
                Some(m) => {
                    self.view = View::Detail(Box::new(m.clone()));
                    Outcome::Redraw
                }
                None => Outcome::Nothing,
            }),
            ListAction::New => Ok(Outcome::Open(Request::NewMember)),
            ListAction::Edit => self.edit_selected(conn, env),
            ListAction::ChangeStatus => Ok(self.status_menu(self.selected().cloned())),
            ListAction::FilterStatus => {
                self.ensure_index(conn)?;
                self.status_filter = self.status_filter.next();
                self.refilter(conn, false)?;
                Ok(Outcome::Redraw)
            }
            ListAction::FilterMark => {
                self.ensure_index(conn)?;
                self.mark_filter = match self.mark_filter {
                    None => Some(Mark::ALL[0]),
                    Some(m) => {
                        let i = Mark::ALL.iter().position(|&x| x == m).unwrap_or(0);
                        Mark::ALL.get(i + 1).copied()
                    }
                };
                self.refilter(conn, false)?;
                Ok(Outcome::Redraw)
            }
            ListAction::Reload => {
                self.reload(conn, env)?;
                Ok(Outcome::Status(Status::info(
                    lang.pick("已刷新", "Reloaded"),
                )))
            }
        }
    }

    fn handle_detail(
        &mut self,
        ev: &KeyEvent,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let Some(action) = lookup(DETAIL_BINDINGS, ev) else {
            return Ok(Outcome::Nothing);
        };
        match action {
            DetailAction::Back => {
                self.view = View::List;
                Ok(Outcome::Redraw)
            }
            DetailAction::NextSection => {
                self.set_section(self.care.section.next());
                Ok(Outcome::Redraw)
            }
            DetailAction::PrevSection => {
                self.set_section(self.care.section.prev());
                Ok(Outcome::Redraw)
            }
            DetailAction::Edit => self.edit_selected(conn, env),
            DetailAction::ChangeStatus => {
                let m = match &self.view {
                    View::Detail(m) => Some((**m).clone()),
                    View::List => None,
                };
                Ok(self.status_menu(m))
            }
            DetailAction::Log => Ok(match &self.view {
                View::Detail(m) => Outcome::Open(Request::Log(Box::new(
                    crate::db::audit::LogFilter::record("members", m.id),
                ))),
                View::List => Outcome::Nothing,
            }),
            DetailAction::Prev | DetailAction::Next => {
                self.step_detail(conn, action == DetailAction::Next)?;
                Ok(Outcome::Redraw)
            }
        }
    }

    /// Opens the edit form on the member as stored now (its current version).
    fn edit_selected(&mut self, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        let id = match &self.view {
            View::Detail(m) => m.id,
            View::List => match self.selected() {
                Some(m) => m.id,
                None => return Ok(Outcome::Nothing),
            },
        };
        Ok(match db::members::get(conn, id)? {
            Some(m) => Outcome::Open(Request::EditMember(Box::new(m))),
            None => Outcome::Status(Status::error(
                env.lang
                    .pick("这条记录已不存在", "this record no longer exists"),
            )),
        })
    }

    /// The menu of status changes for a member.
    fn status_menu(&self, m: Option<Member>) -> Outcome {
        match m {
            Some(m) => Outcome::Open(Request::ChangeStatus(Box::new(m))),
            None => Outcome::Nothing,
        }
    }
}

fn error(e: db::DbError, lang: Lang) -> Outcome {
    Outcome::Status(Status::error(e.message(lang)))
}
