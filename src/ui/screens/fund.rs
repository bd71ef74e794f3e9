//! 帮扶基金 — the help fund: the balance and whether the hash chain is
//! intact always in the header; the entries by date (a reversal right after
//! the entry it reverses), narrowed by period, direction, category and
//! member, with the totals of what is listed; the loans (无息借款) with their
//! schedules, and the audits (定时审计) with their reports. Entries are never
//! edited: a mistake is reversed (冲销), once.

use chrono::{Datelike, NaiveDate};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod draw;
mod keys;
mod report;
mod screen;
mod subkeys;
mod views;

pub use keys::*;
pub use report::{audit_report, report_lines};
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::db::audit::LogFilter;
use crate::db::fund::{Audit, FundPages, ListFilter, ListRow, ListTotals, LoanRow, Verification};
use crate::db::pages::Pager;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::{FundRequest, Request};
use crate::ui::widgets::paged_list::{Move, Paging, Total};
use crate::ui::widgets::search::{SearchBox, SearchEvent};
use crate::ui::widgets::window::Window;

/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (40, 11);

/// Rows of the list at a body height (header, filter bar, borders, column
/// heads, totals, two lines for the selected entry in full).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height as usize).saturating_sub(8).max(1)
}

/// The period the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    All,
    ThisMonth,
    ThisYear,
    /// The period of the audit at this index of the audits.
    Audited(usize),
}

/// What the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    List,
    Loans,
    Audits,
}

#[derive(Debug)]
pub struct FundScreen {
    view: View,
    period: Period,
    filter: ListFilter,
    /// The member filter typed (code, name, pinyin, initials).
    search: SearchBox,
    member: Option<MemberHit>,
    /// The entries around the cursor, read by key.
    rows: Window<ListRow>,
    /// What the window reads: the list under the filter.
    pages: FundPages,
    cursor: usize,
    /// The count and sums of what is listed, once read (on a worker for a long list).
    totals: crate::ui::worker::Background<ListTotals>,
    /// The newest entry's id when the list was last read.
    last_id: i64,
    page_size: usize,
    balance: i64,
    verification: Option<Verification>,
    /// The worker verifying a long ledger (the hash of every entry), while it runs.
    verifying: Option<crate::ui::worker::Worker<Verification>>,
    /// Why the worker could not verify.
    verify_error: Option<String>,
    loans: Vec<LoanRow>,
    loan_cursor: usize,
    /// The loan whose schedule shows.
    loan_open: bool,
    audits: Vec<Audit>,
    audit_cursor: usize,
    /// The report of the selected audit, as lines, while it shows.
    report: Option<Vec<String>>,
    scroll: usize,
}

/// The first day of `d`'s month.
fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Ledgers longer than this are verified on a worker thread.
const VERIFY_SYNC_LIMIT: i64 = 20_000;

impl FundScreen {
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = FundScreen {
            view: View::List,
            period: Period::All,
            filter: ListFilter::default(),
            search: SearchBox::default(),
            member: None,
            rows: Window::default(),
            pages: FundPages::default(),
            cursor: usize::MAX,
            totals: Default::default(),
            last_id: 0,
            page_size: page_size.max(1),
            balance: 0,
            verification: None,
            verifying: None,
            verify_error: None,
            loans: Vec::new(),
            loan_cursor: 0,
            loan_open: false,
            audits: Vec::new(),
            audit_cursor: 0,
            report: None,
            scroll: 0,
        };
        // opens on the newest entry (the last row)
        s.reload(conn, env)?;
        Ok(s)
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// The entries held around the cursor, in list order, from row
    /// [`Self::rows_start`] of the list on.
    pub fn rows(&self) -> &[ListRow] {
        self.rows.rows()
    }

    /// The index in the list of the first row of [`Self::rows`].
    pub fn rows_start(&self) -> usize {
        self.rows.start()
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i` of the list, when it is held (the rows around the cursor are).
    pub fn row(&self, i: usize) -> Option<&ListRow> {
        self.rows.get(i)
    }

    pub fn selected(&self) -> Option<&ListRow> {
        self.rows.get(self.cursor)
    }

    /// The count and totals of what is listed (None while a worker sums them).
    pub fn totals(&self) -> Option<&ListTotals> {
        self.totals.value()
    }

    /// Why the totals could not be read, if they could not.
    pub fn totals_error(&self) -> Option<&str> {
        self.totals.error()
    }

    pub fn balance(&self) -> i64 {
        self.balance
    }

    pub fn verification(&self) -> Option<&Verification> {
        self.verification.as_ref()
    }

    pub fn loans(&self) -> &[LoanRow] {
        &self.loans
    }

    pub fn selected_loan(&self) -> Option<&LoanRow> {
        self.loans.get(self.loan_cursor)
    }

    pub fn audits(&self) -> &[Audit] {
        &self.audits
    }

    /// The report lines while an audit's report shows.
    pub fn report(&self) -> Option<&[String]> {
        self.report.as_deref()
    }

    pub fn text_focus(&self) -> bool {
        self.search.focused() && self.view == View::List
    }

    pub fn set_page_size(&mut self, rows: usize) {
        self.page_size = rows.max(1);
    }

    pub fn paging(&self) -> Paging {
        Paging::new(self.cursor, self.page_size, Total::Known(self.rows.len()))
    }

    /// Reads the entries around the cursor unless they are held.
    pub(super) fn fill(&mut self, conn: &Connection) -> db::Result<()> {
        self.rows
            .fill(&self.pages, conn, self.cursor, self.page_size)
    }

    /// The dates of the period, at `today`.
    fn period_dates(&self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self.period {
            Period::All => (None, None),
            Period::ThisMonth => (Some(month_start(today)), None),
            Period::ThisYear => (NaiveDate::from_ymd_opt(today.year(), 1, 1), None),
            Period::Audited(i) => match self.audits.get(i) {
                Some(a) => (Some(a.from), Some(a.to)),
                None => (None, None),
            },
        }
    }

    /// The period as the filter bar names it.
    pub fn period_label(&self, lang: Lang) -> String {
        match self.period {
            Period::All => lang.pick("全部", "all").into(),
            Period::ThisMonth => lang.pick("本月", "this month").into(),
            Period::ThisYear => lang.pick("本年", "this year").into(),
            Period::Audited(i) => match self.audits.get(i) {
                Some(a) => format!("{}~{}", a.from, a.to),
                None => lang.pick("全部", "all").into(),
            },
        }
    }

    /// Reads everything again: the balance, the chain's state, the list
    /// (keeping the selected entry when it is still listed), the loans and
    /// the audits.
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.balance = db::fund::balance(conn)?;
        self.verify(conn)?;
        self.audits = db::fund::audits(conn)?;
        self.relist(conn, env)?;
        self.loans = db::fund::loans(conn)?;
        self.loan_cursor = self.loan_cursor.min(self.loans.len().saturating_sub(1));
        self.audit_cursor = self.audit_cursor.min(self.audits.len().saturating_sub(1));
        if self.report.is_some() {
            self.open_report(conn, env)?;
        }
        Ok(())
    }

    /// Reads the list again under the filter (keeping the selected entry
    /// when it is still listed) and its totals: what a filter changes.
    fn relist(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let was = self.selected().map(|r| r.entry.id);
        if let Period::Audited(i) = self.period
            && i >= self.audits.len()
        {
            self.period = Period::All;
        }
        let (from, to) = self.period_dates(env.today);
        self.filter.from = from;
        self.filter.to = to;
        self.filter.member_id = self.member.as_ref().map(|m| m.id);
        self.pages = FundPages {
            filter: self.filter.clone(),
        };
        // the selected entry stays selected (the cursor where it was when
        // it is not listed)
        let key = match was {
            Some(id) => self.pages.row_of(conn, id)?.map(|r| self.pages.key(&r)),
            None => None,
        };
        self.cursor = self.rows.reopen_on(
            &self.pages,
            conn,
            key.as_ref(),
            |r| Some(r.entry.id) == was,
            self.cursor,
            self.page_size,
        )?;
        self.read_totals(conn)
    }

    /// Reads the count and totals of what is listed: at once for a short
    /// list, on a worker thread with its own connection for a long one (the
    /// totals line says so until they are back).
    fn read_totals(&mut self, conn: &Connection) -> db::Result<()> {
        let pages = self.pages.clone();
        let long = self.rows.len() > VERIFY_SYNC_LIMIT as usize;
        self.totals.read(conn, long, move |c| pages.totals(c))
    }

    /// The newest entry's id when the list was last read.
    pub fn last_id(&self) -> i64 {
        self.last_id
    }

    /// True while a worker sums what is listed.
    pub fn is_summing(&self) -> bool {
        self.totals.is_running()
    }

    /// Takes the worker's totals when they are back (`wait`: blocks).
    pub fn poll_totals(&mut self, env: &Env, wait: bool) -> bool {
        self.totals.poll(env.lang, wait)
    }

    /// Verifies the ledger: at once when it is short, on a worker thread with
    /// its own connection when it is long (a city's bonuses and subsidies),
    /// the header saying so until it is back.
    fn verify(&mut self, conn: &Connection) -> db::Result<()> {
        let n = db::fund::len(conn)?;
        self.last_id = n;
        self.verify_error = None;
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) if n > VERIFY_SYNC_LIMIT => {
                self.verifying = Some(crate::ui::worker::Worker::spawn(path, |c| {
                    db::fund::verify(c)
                }));
            }
            _ => {
                self.verifying = None;
                self.verification = Some(db::fund::verify(conn)?);
            }
        }
        Ok(())
    }

    /// Why the worker could not verify the ledger, if it failed.
    pub fn verify_error(&self) -> Option<&str> {
        self.verify_error.as_deref()
    }

    /// True while a worker verifies the ledger.
    pub fn is_verifying(&self) -> bool {
        self.verifying.is_some()
    }

    /// Takes the worker's verification when it is back (`wait`: blocks).
    pub fn poll_verify(&mut self, env: &Env, wait: bool) -> bool {
        let Some(worker) = &self.verifying else {
            return false;
        };
        let Some(res) = worker.take(wait) else {
            return false;
        };
        self.verifying = None;
        match res {
            Ok(v) => self.verification = Some(v),
            Err(e) => self.verify_error = Some(e.message(env.lang)),
        }
        true
    }

    /// Puts the cursor on entry `id` when it is listed.
    pub fn select(&mut self, conn: &Connection, id: i64) -> db::Result<()> {
        let Some(row) = self.pages.row_of(conn, id)? else {
            return Ok(());
        };
        let key = self.pages.key(&row);
        self.cursor =
            self.rows
                .reopen_at(&self.pages, conn, Some(&key), self.cursor, self.page_size)?;
        Ok(())
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        match self.view {
            View::Loans => (
                lang.pick("无息借款", "Loans").into(),
                hints(LOAN_BINDINGS, lang),
            ),
            View::Audits => (
                lang.pick("定时审计", "Audits").into(),
                hints(AUDIT_BINDINGS, lang),
            ),
            View::List if self.search.focused() => (
                lang.pick("按党员筛选", "Member filter").into(),
                hints(SEARCH_BINDINGS, lang),
            ),
            View::List => (
                lang.pick("帮扶基金", "Help fund").into(),
                hints(LIST_BINDINGS, lang),
            ),
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let res = match self.view {
            View::Loans => match lookup(LOAN_BINDINGS, ev) {
                Some(a) => self.loan_key(a, env),
                None => Ok(Outcome::Nothing),
            },
            View::Audits => match lookup(AUDIT_BINDINGS, ev) {
                Some(a) => self.audit_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
            View::List if self.search.focused() => self.handle_search(ev, conn, env),
            View::List => match lookup(LIST_BINDINGS, ev) {
                Some(a) => self.list_key(a, conn, env),
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
        Ok(match self.search.handle_key(ev, SEARCH_BINDINGS) {
            SearchEvent::Done | SearchEvent::Redraw => Outcome::Redraw,
            SearchEvent::Nothing => Outcome::Nothing,
            SearchEvent::ToList => match lookup(LIST_BINDINGS, ev) {
                Some(a) => return self.list_key(a, conn, env),
                None => Outcome::Nothing,
            },
            SearchEvent::Cleared { .. } | SearchEvent::Changed => {
                let q = self.search.value().trim().to_string();
                self.member = crate::ui::screens::pick::candidates(conn, &q, 1)?
                    .into_iter()
                    .next();
                self.cursor = 0;
                self.relist(conn, env)?;
                Outcome::Redraw
            }
        })
    }

    /// The categories the category filter cycles through: those of the
    /// direction filtered, else every one (其他 once).
    fn categories(&self) -> Vec<&'static str> {
        let inc = IncomeCategory::ALL.iter().map(|c| c.code());
        let out = ExpenseCategory::ALL.iter().map(|c| c.code());
        let mut v: Vec<&'static str> = match self.filter.direction {
            Some(Direction::In) => inc.collect(),
            Some(Direction::Out) => out.collect(),
            None => inc.chain(out).collect(),
        };
        let mut seen = Vec::new();
        v.retain(|c| {
            let fresh = !seen.contains(c);
            seen.push(c);
            fresh
        });
        v
    }

    fn list_key(&mut self, a: ListAction, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        let refilter = |s: &mut Self| -> db::Result<Outcome> {
            s.cursor = 0;
            s.relist(conn, env)?;
            Ok(Outcome::Redraw)
        };
        let paging = self.paging();
        let to = |m| paging.moved(m);
        let fund = |r| Ok(Outcome::Open(Request::Fund(r)));
        match a {
            ListAction::Search => {
                self.search.focus();
                Ok(Outcome::Redraw)
            }
            ListAction::New => fund(FundRequest::New),
            ListAction::Edit => Ok(Outcome::Status(Status::info(env.lang.pick(
                "账目一经登记不再修改：记错的一笔按 r（或 Del）冲销，再重新登记",
                "Entries are never edited: reverse a wrong one (r or Del) and enter it again",
            )))),
            ListAction::Income => fund(FundRequest::Entry(Direction::In)),
            ListAction::Payment => fund(FundRequest::Entry(Direction::Out)),
            ListAction::Subsidy => fund(FundRequest::Subsidy),
            ListAction::Notice => fund(FundRequest::Notice),
            ListAction::Reverse => match self.selected() {
                Some(r) => fund(FundRequest::Reverse(r.entry.id)),
                None => Ok(Outcome::Nothing),
            },
            ListAction::Log => Ok(match self.selected() {
                Some(r) => Outcome::Open(Request::Log(Box::new(LogFilter::record(
                    "fund_entries",
                    r.entry.id,
                )))),
                None => Outcome::Nothing,
            }),
            ListAction::Loans => {
                self.view = View::Loans;
                self.loan_open = false;
                Ok(Outcome::Redraw)
            }
            ListAction::Audits => {
                self.view = View::Audits;
                self.report = None;
                Ok(Outcome::Redraw)
            }
            ListAction::Period => {
                self.period = match self.period {
                    Period::All => Period::ThisMonth,
                    Period::ThisMonth => Period::ThisYear,
                    Period::ThisYear if !self.audits.is_empty() => Period::Audited(0),
                    Period::Audited(i) if i + 1 < self.audits.len() => Period::Audited(i + 1),
                    _ => Period::All,
                };
                refilter(self)
            }
            ListAction::Direction => {
                self.filter.direction = match self.filter.direction {
                    None => Some(Direction::In),
                    Some(Direction::In) => Some(Direction::Out),
                    Some(Direction::Out) => None,
                };
                if let Some(c) = &self.filter.category
                    && !self.categories().contains(&c.as_str())
                {
                    self.filter.category = None;
                }
                refilter(self)
            }
            ListAction::Category => {
                let all = self.categories();
                self.filter.category = match &self.filter.category {
                    None => all.first().map(|c| c.to_string()),
                    Some(c) => {
                        let i = all.iter().position(|x| x == c).unwrap_or(all.len());
                        all.get(i + 1).map(|c| c.to_string())
                    }
                };
                refilter(self)
            }
            ListAction::Clear => {
                let f = &self.filter;
                let filtered = f.direction.is_some()
                    || f.category.is_some()
                    || self.period != Period::All
                    || !self.search.value().is_empty();
                if !filtered {
                    return Ok(Outcome::Nothing);
                }
                self.filter = ListFilter::default();
                self.period = Period::All;
                self.search.clear();
                self.member = None;
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
