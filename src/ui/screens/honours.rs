//! 激励 — incentives, in four views switched with `v`/F5: the honours
//! (表彰, by year and level), the disciplines (处分), a year's performance
//! assessment (业绩考核: grades by number key, bonuses, totals per grade,
//! paying the bonuses through the help fund) and the birthdays and political
//! birthdays of this month and the next, for greetings.

use chrono::Datelike;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod draw;
mod keys;
mod screen;

pub use keys::*;
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::db::assessment_list::{self, AssessmentPages, Totals};
use crate::db::audit::LogFilter;
use crate::db::incentives::{AssessmentRow, DisciplineRow, HonourRow};
use crate::domain::Lang;
use crate::domain::incentives::{self, GradeTotal, Greeting};
use crate::domain::pinyin::{PreparedQuery, SearchIndex};
use crate::domain::vocab::{Coded, Grade, HonourLevel};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::popups::{HonoursRequest, Request};
use crate::ui::widgets::paged_list::{Move, Paging, Total};
use crate::ui::widgets::search::{SearchBox, SearchEvent};
use crate::ui::widgets::window::{Pager, Window};
use crate::ui::worker::Background;

/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (40, 9);

/// Rows of a list at a body height (the bar, borders, header, and for the
/// assessments the totals under the list).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height as usize).saturating_sub(4).max(1)
}

/// The four views of the tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Honours,
    Discipline,
    Assessments,
    Birthdays,
}

impl View {
    fn next(self) -> View {
        match self {
            View::Honours => View::Discipline,
            View::Discipline => View::Assessments,
            View::Assessments => View::Birthdays,
            View::Birthdays => View::Honours,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            View::Honours => lang.pick("表彰", "Honours"),
            View::Discipline => lang.pick("处分", "Discipline"),
            View::Assessments => lang.pick("业绩考核", "Assessment"),
            View::Birthdays => lang.pick("生日", "Birthdays"),
        }
    }
}

#[derive(Debug)]
pub struct HonoursScreen {
    view: View,
    page_size: usize,
    cursor: usize,
    // honours
    year: Option<i32>,
    level: Option<HonourLevel>,
    years: Vec<i32>,
    /// The honours the search finds (all without a search), of `all_honours`.
    honours: Vec<HonourRow>,
    all_honours: Vec<HonourRow>,
    // discipline
    disciplines: Vec<DisciplineRow>,
    all_disciplines: Vec<DisciplineRow>,
    /// The member search of the honours and the disciplines (`/`).
    search: SearchBox,
    // assessments
    assess_year: i32,
    assess_years: Vec<i32>,
    /// The year's list around the cursor, read by key.
    assessments: Window<AssessmentRow>,
    /// What the window reads: the year under the settings' bonuses.
    pages: AssessmentPages,
    /// The totals per grade, once read (on a worker for a long year).
    totals: Background<Totals>,
    grading: bool,
    // birthdays: this month's and the next's
    greetings: [Vec<Greeting>; 2],
    /// Whether `greetings` is read since the last reload (it is read when
    /// the birthdays show: a third of the roster at a time).
    greetings_read: bool,
}

/// The rows of `all` whose place `found` accepts.
fn keep<T: Clone>(all: &[T], found: impl Fn(usize) -> bool) -> Vec<T> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| found(*i))
        .map(|(_, r)| r.clone())
        .collect()
}

/// The next of a cycle through `all` (`None` = every value), back to `None` after the last.
/// Years with more assessments than this have their totals read on a worker thread.
const TOTALS_SYNC_LIMIT: usize = 20_000;

fn cycle<T: Copy + PartialEq>(now: Option<T>, all: &[T]) -> Option<T> {
    match now {
        None => all.first().copied(),
        Some(v) => {
            let i = all.iter().position(|&x| x == v).unwrap_or(all.len());
            all.get(i + 1).copied()
        }
    }
}

impl HonoursScreen {
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = HonoursScreen {
            view: View::Honours,
            page_size: page_size.max(1),
            cursor: 0,
            year: None,
            level: None,
            years: Vec::new(),
            honours: Vec::new(),
            all_honours: Vec::new(),
            disciplines: Vec::new(),
            all_disciplines: Vec::new(),
            search: SearchBox::default(),
            assess_year: env.today.year(),
            assess_years: Vec::new(),
            assessments: Window::default(),
            pages: AssessmentPages {
                year: env.today.year(),
                settings: env.settings.clone(),
            },
            totals: Background::default(),
            grading: false,
            greetings: [Vec::new(), Vec::new()],
            greetings_read: false,
        };
        s.reload(conn, env)?;
        Ok(s)
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// Shows a view (the screenshots and tests go straight to one).
    /// Shows view `v` from its first row.
    pub fn set_view(&mut self, v: View, conn: &Connection, env: &Env) -> db::Result<()> {
        self.view = v;
        self.cursor = 0;
        self.grading = false;
        if v == View::Birthdays && !self.greetings_read {
            self.read_greetings(conn, env)?;
        }
        self.fill(conn)
    }

    /// The greetings of this month and the next.
    fn read_greetings(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        // Only this month's and next month's people: through the month indexes.
        let months = incentives::this_and_next_month(env.today).map(|(_, m)| m);
        let people = db::incentives::greeting_people_in(conn, &months)?;
        self.greetings = incentives::greetings(&people, env.today);
        self.greetings_read = true;
        Ok(())
    }

    pub fn honours(&self) -> &[HonourRow] {
        &self.honours
    }

    pub fn disciplines(&self) -> &[DisciplineRow] {
        &self.disciplines
    }

    /// The assessment rows held around the cursor, from row
    /// [`Self::assessments_start`] of the list on.
    pub fn assessments(&self) -> &[AssessmentRow] {
        self.assessments.rows()
    }

    /// The index in the list of the first row of [`Self::assessments`].
    pub fn assessments_start(&self) -> usize {
        self.assessments.start()
    }

    /// How many members the year's list has.
    pub fn assessments_len(&self) -> usize {
        self.assessments.len()
    }

    /// Row `i` of the year's list, when it is held (the rows around the cursor are).
    pub fn assessment(&self, i: usize) -> Option<&AssessmentRow> {
        self.assessments.get(i)
    }

    /// The selected assessment row.
    pub fn selected_assessment(&self) -> Option<&AssessmentRow> {
        self.assessments.get(self.cursor)
    }

    /// The totals per grade (none while a worker reads them).
    pub fn totals(&self) -> &[GradeTotal] {
        self.totals.value().map_or(&[], |t| &t.grades)
    }

    /// The bonuses of graded rows not paid, once the totals are read.
    pub fn unpaid_fen(&self) -> Option<i64> {
        self.totals.value().map(|t| t.unpaid_fen)
    }

    /// Why the totals could not be read, if they could not.
    pub fn totals_error(&self) -> Option<&str> {
        self.totals.error()
    }

    /// True while a worker reads the year's totals.
    pub fn is_counting(&self) -> bool {
        self.totals.is_running()
    }

    /// Takes the worker's totals when they are back (`wait`: blocks).
    pub fn poll_totals(&mut self, env: &Env, wait: bool) -> bool {
        self.totals.poll(env.lang, wait)
    }

    pub fn assess_year(&self) -> i32 {
        self.assess_year
    }

    pub fn greetings(&self) -> &[Vec<Greeting>; 2] {
        &self.greetings
    }

    pub fn grading(&self) -> bool {
        self.grading
    }

    /// While grading or searching, digits are the screen's (not tab switches).
    pub fn text_focus(&self) -> bool {
        self.grading || self.search.focused()
    }

    pub fn search(&self) -> &SearchBox {
        &self.search
    }

    /// The honours and disciplines of the members the search finds: the
    /// code, the name's characters, full pinyin or initials (as everywhere).
    fn refilter(&mut self) {
        let q = PreparedQuery::new(self.search.value().trim());
        if q.is_empty() {
            self.honours = self.all_honours.clone();
            self.disciplines = self.all_disciplines.clone();
        } else {
            let mut ix = SearchIndex::new();
            for h in &self.all_honours {
                ix.push(&h.name, "", &h.code, &[]);
            }
            let found = |i: usize| ix.matches(i as u32, &q);
            self.honours = keep(&self.all_honours, found);
            ix.clear();
            for d in &self.all_disciplines {
                ix.push(&d.name, "", &d.code, &[]);
            }
            let found = |i: usize| ix.matches(i as u32, &q);
            self.disciplines = keep(&self.all_disciplines, found);
        }
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
    }

    fn search_key(&mut self, ev: &KeyEvent, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        match self.search.handle_key(ev, SEARCH_BINDINGS) {
            SearchEvent::Done | SearchEvent::Redraw => Ok(Outcome::Redraw),
            SearchEvent::Nothing => Ok(Outcome::Nothing),
            SearchEvent::ToList => match lookup(self.bindings(), ev) {
                Some(a) => self.key(a, conn, env),
                None => Ok(Outcome::Redraw),
            },
            SearchEvent::Cleared { .. } | SearchEvent::Changed => {
                self.cursor = 0;
                self.refilter();
                Ok(Outcome::Redraw)
            }
        }
    }

    pub fn set_page_size(&mut self, rows: usize) {
        self.page_size = rows.max(1);
    }

    /// The rows of the list the view shows (the birthdays: both months
    /// with their headings).
    fn len(&self) -> usize {
        match self.view {
            View::Honours => self.honours.len(),
            View::Discipline => self.disciplines.len(),
            View::Assessments => self.assessments.len(),
            View::Birthdays => self.greetings[0].len() + self.greetings[1].len() + 2,
        }
    }

    /// The rows of a page: the assessments keep lines for the totals.
    fn rows_per_page(&self) -> usize {
        match self.view {
            View::Assessments => self.page_size.saturating_sub(2).max(1),
            _ => self.page_size,
        }
    }

    pub fn paging(&self) -> Paging {
        Paging::new(self.cursor, self.rows_per_page(), Total::Known(self.len()))
    }

    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.years = db::incentives::honour_years(conn)?;
        self.all_honours = db::incentives::honours(conn, self.year, self.level)?;
        self.all_disciplines = db::incentives::disciplines(conn)?;
        self.refilter();
        self.assess_years = assessment_list::years(conn, env.today.year())?;
        let same_year = self.pages.year == self.assess_year;
        self.pages = AssessmentPages {
            year: self.assess_year,
            settings: env.settings.clone(),
        };
        // the selected member stays selected
        let assessing = self.view == View::Assessments;
        let was = match assessing && same_year {
            true => self.selected_assessment().map(|r| r.member_id),
            false => None,
        };
        let key = match was {
            Some(_) => self.selected_assessment().map(|r| self.pages.key(r)),
            None => None,
        };
        let at = if assessing { self.cursor } else { 0 };
        let per = self.rows_per_page();
        let c = self.assessments.reopen_on(
            &self.pages,
            conn,
            key.as_ref(),
            |r| Some(r.member_id) == was,
            at,
            per,
        )?;
        if assessing {
            self.cursor = c;
        }
        self.read_totals(conn)?;
        self.greetings_read = false;
        if self.view == View::Birthdays {
            self.read_greetings(conn, env)?;
        }
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
        Ok(())
    }

    /// Reads the year's totals per grade: at once for a short year, on a
    /// worker thread with its own connection for a long one (the lines
    /// under the list say so until they are back).
    fn read_totals(&mut self, conn: &Connection) -> db::Result<()> {
        let (year, settings) = (self.pages.year, self.pages.settings.clone());
        // the year's assessments are listed: no more than the list's rows
        let long = self.assessments.len() > TOTALS_SYNC_LIMIT;
        self.totals.read(conn, long, move |c| {
            assessment_list::grade_totals(c, year, &settings)
        })
    }

    /// The row `was` was graded: its row read again and the totals moved
    /// from its old grade to its new one (no other row changed; another
    /// clerk's grades show when the tab is shown again).
    fn graded(&mut self, conn: &Connection, was: &AssessmentRow) -> db::Result<()> {
        self.assessments.reread(&self.pages, conn)?;
        let Some(now) = self.selected_assessment().cloned() else {
            return Ok(());
        };
        match self.totals.value_mut() {
            Some(t) if now.member_id == was.member_id => {
                let unpaid = |r: &AssessmentRow| match (r.grade, r.paid_entry_id) {
                    (Some(_), None) => r.bonus_fen,
                    _ => 0,
                };
                for (row, sign) in [(was, -1), (&now, 1)] {
                    if let Some(g) = t.grades.iter_mut().find(|g| Some(g.grade) == row.grade) {
                        g.count = (g.count as i64 + sign) as usize;
                        g.bonus_fen += sign * row.bonus_fen;
                    }
                }
                t.unpaid_fen += unpaid(&now) - unpaid(was);
                Ok(())
            }
            // a worker still counting counted before the grade
            _ => self.read_totals(conn),
        }
    }

    /// Reads the assessment rows around the cursor unless they are held.
    pub(super) fn fill(&mut self, conn: &Connection) -> db::Result<()> {
        if self.view == View::Assessments {
            let per = self.rows_per_page();
            self.assessments.fill(&self.pages, conn, self.cursor, per)?;
        }
        Ok(())
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        let title = format!(
            "{} · {}",
            lang.pick("激励", "Honours"),
            self.view.label(lang)
        );
        let h = match self.view {
            _ if self.search.focused() => hints(SEARCH_BINDINGS, lang),
            View::Assessments if self.grading => hints(GRADING_BINDINGS, lang),
            View::Honours => hints(HONOUR_BINDINGS, lang),
            View::Discipline => hints(DISCIPLINE_BINDINGS, lang),
            View::Assessments => hints(ASSESS_BINDINGS, lang),
            View::Birthdays => hints(BIRTHDAY_BINDINGS, lang),
        };
        (title, h)
    }

    fn bindings(&self) -> &'static [crate::ui::keys::Binding<Action>] {
        match self.view {
            View::Honours => HONOUR_BINDINGS,
            View::Discipline => DISCIPLINE_BINDINGS,
            View::Assessments => ASSESS_BINDINGS,
            View::Birthdays => BIRTHDAY_BINDINGS,
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let res = if self.search.focused() {
            self.search_key(ev, conn, env)
        } else if self.grading {
            match lookup(GRADING_BINDINGS, ev) {
                Some(a) => self.grade_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            }
        } else {
            match lookup(self.bindings(), ev) {
                Some(a) => self.key(a, conn, env),
                None => Ok(Outcome::Nothing),
            }
        };
        res.unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
    }

    fn moved(&mut self, m: Move, conn: &Connection) -> db::Result<Outcome> {
        self.cursor = self.paging().moved(m);
        self.fill(conn)?;
        Ok(Outcome::Redraw)
    }

    fn key(&mut self, a: Action, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        Ok(match a {
            Action::View => {
                let next = self.view.next();
                self.set_view(next, conn, env)?;
                Outcome::Redraw
            }
            Action::Search => {
                self.search.focus();
                Outcome::Redraw
            }
            Action::Clear => {
                if self.search.value().is_empty() {
                    return Ok(Outcome::Nothing);
                }
                self.search.clear();
                self.cursor = 0;
                self.refilter();
                Outcome::Redraw
            }
            Action::Open => {
                let record = match self.view {
                    View::Honours => self.honours.get(self.cursor).map(|h| ("honours", h.id)),
                    View::Discipline => self
                        .disciplines
                        .get(self.cursor)
                        .map(|d| ("disciplines", d.id)),
                    _ => None,
                };
                match record {
                    Some((table, id)) => {
                        Outcome::Open(Request::Log(Box::new(LogFilter::record(table, id))))
                    }
                    None => Outcome::Nothing,
                }
            }
            Action::Edit => Outcome::Status(Status::info(env.lang.pick(
                "表彰和处分登记后不修改；其“情况”记录可在谈心走访页更正或作废",
                "Honours are not edited; their event is corrected or voided on Talks & visits",
            ))),
            Action::New => Outcome::Open(Request::Honours(match self.view {
                View::Discipline => HonoursRequest::NewDiscipline,
                _ => HonoursRequest::NewHonour,
            })),
            Action::Year if self.view == View::Assessments => {
                let ys = &self.assess_years;
                let i = ys.iter().position(|&y| y == self.assess_year).unwrap_or(0);
                self.assess_year = ys
                    .get((i + 1) % ys.len().max(1))
                    .copied()
                    .unwrap_or(self.assess_year);
                self.cursor = 0;
                self.reload(conn, env)?;
                Outcome::Redraw
            }
            Action::Year => {
                self.year = cycle(self.year, &self.years);
                self.cursor = 0;
                self.reload(conn, env)?;
                Outcome::Redraw
            }
            Action::Level => {
                self.level = cycle(self.level, HonourLevel::ALL);
                self.cursor = 0;
                self.reload(conn, env)?;
                Outcome::Redraw
            }
            Action::Grade => {
                if self.assessments.is_empty() {
                    return Ok(Outcome::Nothing);
                }
                self.grading = true;
                Outcome::Status(Status::info(env.lang.pick(
                    "评定：1 优秀 2 良好 3 合格 4 不合格，Esc 结束",
                    "grading: 1 excellent 2 good 3 pass 4 fail, Esc when done",
                )))
            }
            Action::Pay => Outcome::Open(Request::Honours(HonoursRequest::PayBonuses(
                self.assess_year,
            ))),
            Action::Up => self.moved(Move::Up, conn)?,
            Action::Down => self.moved(Move::Down, conn)?,
            Action::PageUp => self.moved(Move::PageUp, conn)?,
            Action::PageDown => self.moved(Move::PageDown, conn)?,
        })
    }

    fn grade_key(
        &mut self,
        a: GradeAction,
        conn: &mut Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let grade = match a {
            GradeAction::Excellent => Grade::Excellent,
            GradeAction::Good => Grade::Good,
            GradeAction::Pass => Grade::Pass,
            GradeAction::Fail => Grade::Fail,
            GradeAction::Done => {
                self.grading = false;
                return Ok(Outcome::Redraw);
            }
            GradeAction::Up => return self.moved(Move::Up, conn),
            GradeAction::Down => return self.moved(Move::Down, conn),
        };
        let Some(r) = self.selected_assessment().cloned() else {
            return Ok(Outcome::Nothing);
        };
        db::incentives::set_grade(conn, self.assess_year, r.member_id, grade)?;
        self.graded(conn, &r)?;
        self.cursor = (self.cursor + 1).min(self.assessments.len().saturating_sub(1));
        self.fill(conn)?;
        let bonus = incentives::bonus_for(&env.settings, grade);
        let money = crate::domain::money::format_money(bonus);
        Ok(Outcome::Status(Status::ok(match env.lang {
            Lang::Zh => format!(
                "{}（{}）{} 年度：{}，奖励 {money}",
                r.name,
                r.code,
                self.assess_year,
                grade.zh()
            ),
            Lang::En => format!(
                "{} ({}) {}: {}, bonus {money}",
                r.name,
                r.code,
                self.assess_year,
                grade.en()
            ),
        })))
    }
}
