//! 谈心走访 — talks, visits and events by date (newest first), filtered by
//! type, member, period or campaign and paged by keyset (one page is read at
//! a time); the campaigns with their windows, targets and progress, and for
//! one campaign the targeted members not yet visited, where Enter opens a
//! visit form filled in for that member.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod correct;
mod draw;
mod keys;
mod screen;

pub use keys::*;
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::db::obligations::listing::Listing;
use crate::db::visits_list::{self, CampaignStanding, Cursor, ListFilter, ListRow, RecordType};
use crate::domain::Lang;
use crate::domain::records::Campaign;
use crate::domain::vocab::VisitKind;
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::Request;
use crate::ui::widgets::search::{SearchBox, SearchEvent};

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Records,
    Campaigns,
    /// The not-visited list of the selected campaign.
    Standing,
}

/// The period filter, cycled with `p`/F6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    All,
    Month,
    Days90,
    Year,
    LastYear,
}

impl Period {
    fn next(self) -> Period {
        match self {
            Period::All => Period::Month,
            Period::Month => Period::Days90,
            Period::Days90 => Period::Year,
            Period::Year => Period::LastYear,
            Period::LastYear => Period::All,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Period::All => lang.pick("全部", "all"),
            Period::Month => lang.pick("本月", "this month"),
            Period::Days90 => lang.pick("近90天", "last 90 days"),
            Period::Year => lang.pick("本年", "this year"),
            Period::LastYear => lang.pick("上年", "last year"),
        }
    }

    fn range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let y = today.year();
        match self {
            Period::All => (None, None),
            Period::Month => (ymd(y, today.month(), 1), Some(today)),
            Period::Days90 => (Some(today - Duration::days(89)), Some(today)),
            Period::Year => (ymd(y, 1, 1), Some(today)),
            Period::LastYear => (ymd(y - 1, 1, 1), ymd(y - 1, 12, 31)),
        }
    }
}

#[derive(Debug)]
pub struct VisitsScreen {
    mode: Mode,
    only: Option<RecordType>,
    period: Period,
    /// Index into `campaigns`.
    campaign_filter: Option<usize>,
    search: SearchBox,
    /// Members the search resolved to (`None`: no member filter).
    member_ids: Option<Vec<i64>>,
    page: Vec<ListRow>,
    /// Where each page so far starts (the first page at `None`).
    starts: Vec<Option<Cursor>>,
    has_more: bool,
    cursor: usize,
    page_size: usize,
    campaigns: Vec<Campaign>,
    /// (visited, targeted) of started campaigns, by campaign id.
    progress: Vec<(i64, u64, u64)>,
    camp_cursor: usize,
    standing: Option<CampaignStanding>,
    standing_cursor: usize,
}

/// Rows of the records list at a body height (filter bar, borders, header,
/// the detail lines).
/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (30, 8);

pub fn page_size_for(body_height: u16) -> usize {
    (body_height as usize).saturating_sub(6).max(1)
}

impl VisitsScreen {
    /// The screen with its campaigns; the records come with `reload`.
    pub fn new(conn: &Connection, page_size: usize) -> db::Result<Self> {
        let mut s = VisitsScreen {
            mode: Mode::Records,
            only: None,
            period: Period::All,
            campaign_filter: None,
            search: SearchBox::default(),
            member_ids: None,
            page: Vec::new(),
            starts: vec![None],
            has_more: false,
            cursor: 0,
            page_size: page_size.max(1),
            campaigns: Vec::new(),
            progress: Vec::new(),
            camp_cursor: 0,
            standing: None,
            standing_cursor: 0,
        };
        // The first page is read by `open` (and again every time the tab is
        // shown, to show what other clerks recorded).
        s.campaigns = db::records::campaigns(conn)?;
        Ok(s)
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn page(&self) -> &[ListRow] {
        &self.page
    }

    pub fn selected(&self) -> Option<&ListRow> {
        self.page.get(self.cursor)
    }

    pub fn campaigns(&self) -> &[Campaign] {
        &self.campaigns
    }

    pub fn standing(&self) -> Option<&CampaignStanding> {
        self.standing.as_ref()
    }

    pub fn text_focus(&self) -> bool {
        self.search.focused() && self.mode == Mode::Records
    }

    pub fn set_page_size(&mut self, conn: &Connection, env: &Env, rows: usize) -> db::Result<()> {
        let rows = rows.max(1);
        if rows != self.page_size {
            self.page_size = rows;
            self.reload(conn, env)?;
        }
        Ok(())
    }

    fn filter(&self, today: NaiveDate) -> ListFilter {
        let (from, to, only) = match self.campaign_filter.and_then(|i| self.campaigns.get(i)) {
            Some(c) => (Some(c.from), Some(c.to), Some(RecordType::Visit)),
            None => {
                let (f, t) = self.period.range(today);
                (f, t, self.only)
            }
        };
        ListFilter {
            only,
            from,
            to,
            members: self.member_ids.clone(),
        }
    }

    /// Reads the page starting at the top of `starts`.
    fn fetch(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let start = self.starts.last().copied().flatten();
        let mut rows = visits_list::page(conn, &self.filter(env.today), start, self.page_size + 1)?;
        self.has_more = rows.len() > self.page_size;
        rows.truncate(self.page_size);
        self.page = rows;
        self.cursor = self.cursor.min(self.page.len().saturating_sub(1));
        Ok(())
    }

    /// Back to the first page with the filters as they are; rereads the
    /// campaigns (a new one may have been added).
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.starts = vec![None];
        self.cursor = 0;
        self.fetch(conn, env)
    }

    /// After a save or a settings change: the first page, the campaigns and,
    /// when one is open, its not-visited list again.
    pub fn refresh(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let selected = self.campaigns.get(self.camp_cursor).map(|c| c.id);
        self.campaigns = db::records::campaigns(conn)?;
        self.camp_cursor = selected
            .and_then(|id| self.campaigns.iter().position(|c| c.id == id))
            .unwrap_or(0);
        if self
            .campaign_filter
            .is_some_and(|i| i >= self.campaigns.len())
        {
            self.campaign_filter = None;
        }
        if self.mode != Mode::Records {
            self.load_progress(conn, env)?;
        }
        if self.mode == Mode::Standing {
            self.load_standing(conn, env)?;
        }
        self.reload(conn, env)
    }

    fn load_progress(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        // From the kept obligations when they answer for today (no pass over the roster).
        let lists = Listing::load(conn, env.today, &env.settings)?;
        self.progress = lists
            .campaigns
            .iter()
            .map(|p| (p.campaign.id, p.visited, p.targeted))
            .collect();
        Ok(())
    }

    fn load_standing(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.standing = match self.campaigns.get(self.camp_cursor) {
            Some(c) => Some(visits_list::campaign_standing(
                conn,
                c,
                env.today,
                &env.settings,
            )?),
            None => None,
        };
        let n = self.standing.as_ref().map_or(0, |s| s.not_visited.len());
        self.standing_cursor = self.standing_cursor.min(n.saturating_sub(1));
        Ok(())
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        match self.mode {
            Mode::Records if self.search.focused() => (
                lang.pick("按党员筛选", "Member filter").into(),
                hints(SEARCH_BINDINGS, lang),
            ),
            Mode::Records => (
                lang.pick("谈心走访记录", "Talks & visits").into(),
                hints(RECORD_BINDINGS, lang),
            ),
            Mode::Campaigns => (
                lang.pick("集中走访活动", "Campaigns").into(),
                hints(CAMPAIGN_BINDINGS, lang),
            ),
            Mode::Standing => (
                lang.pick("未走访名单", "Not yet visited").into(),
                hints(STANDING_BINDINGS, lang),
            ),
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let res = match self.mode {
            Mode::Records if self.search.focused() => self.handle_search(ev, conn, env),
            Mode::Records => match lookup(RECORD_BINDINGS, ev) {
                Some(a) => self.records(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
            Mode::Campaigns => match lookup(CAMPAIGN_BINDINGS, ev) {
                Some(a) => self.campaigns_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
            Mode::Standing => match lookup(STANDING_BINDINGS, ev) {
                Some(a) => self.standing_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
        };
        res.unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
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
            SearchEvent::ToList => match lookup(RECORD_BINDINGS, ev) {
                Some(a) => self.records(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
            SearchEvent::Cleared { .. } => {
                self.member_ids = None;
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
            SearchEvent::Changed => {
                let q = self.search.value().trim();
                self.member_ids = if q.is_empty() {
                    None
                } else {
                    Some(
                        crate::ui::screens::pick::candidates(conn, q, 200)?
                            .into_iter()
                            .map(|h| h.id)
                            .collect(),
                    )
                };
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
        }
    }

    fn records(&mut self, a: RecordsAction, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        match a {
            RecordsAction::Search => {
                self.search.focus();
                Ok(Outcome::Redraw)
            }
            RecordsAction::New => {
                // A member filter that names one member fills the forms.
                let member = match self.member_ids.as_deref() {
                    Some(&[id]) => visits_list::member_hit(conn, id)?,
                    _ => None,
                };
                Ok(Outcome::Open(Request::NewRecord(member)))
            }
            RecordsAction::Open
            | RecordsAction::Edit
            | RecordsAction::Void
            | RecordsAction::Log => Ok(self.correct(a)),
            RecordsAction::Type => {
                self.only = match self.only {
                    None => Some(RecordType::Talk),
                    Some(RecordType::Talk) => Some(RecordType::Visit),
                    Some(RecordType::Visit) => Some(RecordType::Event),
                    Some(RecordType::Event) => None,
                };
                self.campaign_filter = None;
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
            RecordsAction::Period => {
                self.period = self.period.next();
                self.campaign_filter = None;
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
            RecordsAction::Campaign => {
                self.campaign_filter = match self.campaign_filter {
                    None if !self.campaigns.is_empty() => Some(0),
                    Some(i) if i + 1 < self.campaigns.len() => Some(i + 1),
                    _ => None,
                };
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
            RecordsAction::Campaigns => {
                self.mode = Mode::Campaigns;
                self.load_progress(conn, env)?;
                Ok(Outcome::Redraw)
            }
            RecordsAction::Clear => {
                let filtered = self.only.is_some()
                    || self.period != Period::All
                    || self.campaign_filter.is_some()
                    || self.member_ids.is_some();
                if !filtered {
                    return Ok(Outcome::Nothing);
                }
                self.only = None;
                self.period = Period::All;
                self.campaign_filter = None;
                self.member_ids = None;
                self.search.clear();
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
            RecordsAction::Up => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                } else if self.starts.len() > 1 {
                    self.starts.pop();
                    self.fetch(conn, env)?;
                    self.cursor = self.page.len().saturating_sub(1);
                }
                Ok(Outcome::Redraw)
            }
            RecordsAction::Down => {
                if self.cursor + 1 < self.page.len() {
                    self.cursor += 1;
                } else if self.has_more {
                    self.next_page(conn, env)?;
                    self.cursor = 0;
                }
                Ok(Outcome::Redraw)
            }
            RecordsAction::PageDown => {
                if self.has_more {
                    self.next_page(conn, env)?;
                } else {
                    self.cursor = self.page.len().saturating_sub(1);
                }
                Ok(Outcome::Redraw)
            }
            RecordsAction::PageUp => {
                if self.starts.len() > 1 {
                    self.starts.pop();
                    self.fetch(conn, env)?;
                } else {
                    self.cursor = 0;
                }
                Ok(Outcome::Redraw)
            }
            RecordsAction::Home => {
                self.reload(conn, env)?;
                Ok(Outcome::Redraw)
            }
        }
    }

    fn next_page(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        if let Some(last) = self.page.last() {
            self.starts.push(Some(last.cursor()));
            self.fetch(conn, env)?;
        }
        Ok(())
    }

    fn campaigns_key(
        &mut self,
        a: CampaignsAction,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        match a {
            CampaignsAction::Up => self.camp_cursor = self.camp_cursor.saturating_sub(1),
            CampaignsAction::Down => {
                self.camp_cursor =
                    (self.camp_cursor + 1).min(self.campaigns.len().saturating_sub(1))
            }
            CampaignsAction::Back => self.mode = Mode::Records,
            CampaignsAction::New => {
                return Ok(Outcome::Open(Request::Campaign));
            }
            CampaignsAction::Open => {
                if self.campaigns.is_empty() {
                    return Ok(Outcome::Nothing);
                }
                self.standing_cursor = 0;
                self.load_standing(conn, env)?;
                self.mode = Mode::Standing;
            }
        }
        Ok(Outcome::Redraw)
    }

    fn standing_key(
        &mut self,
        a: StandingAction,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let n = self.standing.as_ref().map_or(0, |s| s.not_visited.len());
        let last = n.saturating_sub(1);
        let page = self.page_size;
        match a {
            StandingAction::Back => self.mode = Mode::Campaigns,
            StandingAction::Up => self.standing_cursor = self.standing_cursor.saturating_sub(1),
            StandingAction::Down => self.standing_cursor = (self.standing_cursor + 1).min(last),
            StandingAction::PageUp => {
                self.standing_cursor = self.standing_cursor.saturating_sub(page)
            }
            StandingAction::PageDown => {
                self.standing_cursor = (self.standing_cursor + page).min(last)
            }
            StandingAction::Visit => {
                let (Some(s), Some(c)) = (&self.standing, self.campaigns.get(self.camp_cursor))
                else {
                    return Ok(Outcome::Nothing);
                };
                let Some(m) = s.not_visited.get(self.standing_cursor) else {
                    return Ok(Outcome::Nothing);
                };
                let _ = conn;
                let reason =
                    crate::domain::rules::ObligationKind::Campaign(c.name.clone()).label(env.lang);
                return Ok(Outcome::Open(Request::Visit {
                    member: Some(m.member),
                    kind: VisitKind::Holiday,
                    reason,
                    campaign: Some(Box::new(c.clone())),
                }));
            }
        }
        Ok(Outcome::Redraw)
    }
}
