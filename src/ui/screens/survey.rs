//! 需求调查 — the member-needs survey (tab 6): the rounds, the selected
//! round's progress (answered / active members) and who has not answered;
//! the data-entry form that goes member after member in roster order; the
//! results (counts per need and ideological state, the change from the
//! previous round, the follow-up list).

use chrono::Datelike;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use rusqlite::Connection;

mod draw;
mod entry;
mod entry_keys;
mod keys;
mod results;
mod screen;

pub use entry::{Entry, Field};
pub use keys::*;
pub use screen::open;

use super::Outcome;
use crate::db;
use crate::db::survey::FollowUp;
use crate::db::visits_list::MemberHit;
use crate::domain::survey::{Results, Round};
use crate::domain::{Lang, dates};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Hint, hints, lookup};
use crate::ui::widgets::field::Input;
use crate::ui::worker::Background;

/// The smallest body the layout needs.
pub const MIN_BODY: (u16, u16) = (60, 18);

/// Rosters larger than this (in a file) read the progress and who has not
/// answered on workers.
const LARGE_ROSTER: usize = 50_000;

/// The members not answered listed under the progress.
const UNANSWERED_ROWS: usize = 33;

/// A round's fields: name, year, start date; of a new round, or of the
/// round `editing` being corrected.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub inputs: [Input; 3],
    pub focus: usize,
    pub error: Option<(usize, String)>,
    pub editing: Option<i64>,
}

/// What the tab shows.
#[derive(Debug, Clone)]
pub enum View {
    Rounds,
    NewRound(NewRound),
    /// Typing a code, name or pinyin; the candidates under it.
    Find(Input, Vec<MemberHit>),
    Entry(Box<Entry>),
    Results,
}

/// A round's results and what they are compared with.
#[derive(Debug, Clone, Default)]
pub struct RoundResults {
    pub now: Results,
    pub previous: Option<(String, Results)>,
    pub follow_ups: Vec<FollowUp>,
}

#[derive(Debug)]
pub struct SurveyScreen {
    rounds: Vec<Round>,
    cursor: usize,
    /// (answered, active members) of the selected round, and the first of
    /// those not answered in roster order: read at once, or for a large
    /// roster on workers (the members answered first in roster order are
    /// walked past: seconds at a million), the last figures shown meanwhile.
    progress: Background<(usize, usize)>,
    unanswered: Background<Vec<MemberHit>>,
    /// A roster large enough for the workers.
    large: bool,
    /// The round `progress` and `unanswered` are of.
    unanswered_round: Option<i64>,
    view: View,
    results: RoundResults,
    /// The date and surveyor of the last form saved (carried over).
    last_date: String,
    last_surveyor: String,
}

impl SurveyScreen {
    pub fn new(conn: &Connection, env: &Env) -> db::Result<Self> {
        let mut s = SurveyScreen {
            rounds: Vec::new(),
            cursor: 0,
            progress: Background::default(),
            unanswered: Background::default(),
            unanswered_round: None,
            large: db::roster::more_than(conn, LARGE_ROSTER)?,
            view: View::Rounds,
            results: RoundResults::default(),
            last_date: env.today.to_string(),
            last_surveyor: String::new(),
        };
        s.reload(conn)?;
        Ok(s)
    }

    pub fn rounds(&self) -> &[Round] {
        &self.rounds
    }

    pub fn round(&self) -> Option<&Round> {
        self.rounds.get(self.cursor)
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    /// The form being typed in, if the data-entry mode is on.
    pub fn entry(&self) -> Option<&Entry> {
        match &self.view {
            View::Entry(e) => Some(e),
            _ => None,
        }
    }

    /// (answered, active members) of the selected round.
    pub fn progress(&self) -> (usize, usize) {
        self.progress.value().copied().unwrap_or((0, 0))
    }

    pub fn unanswered(&self) -> &[MemberHit] {
        self.unanswered.value().map_or(&[], Vec::as_slice)
    }

    /// True while a worker reads who has not answered.
    pub fn is_reading(&self) -> bool {
        self.unanswered.is_running()
    }

    /// True while a worker counts the progress (the last count is shown).
    pub fn is_counting(&self) -> bool {
        self.progress.is_running()
    }

    /// Why a worker could not read the progress or the list.
    pub fn read_error(&self) -> Option<&str> {
        self.unanswered.error().or(self.progress.error())
    }

    /// Takes the workers' count and list when they are back (`wait`: blocks).
    pub fn poll_unanswered(&mut self, env: &Env, wait: bool) -> bool {
        let counted = self.progress.poll(env.lang, wait);
        self.unanswered.poll(env.lang, wait) || counted
    }

    pub fn results(&self) -> &RoundResults {
        &self.results
    }

    pub fn text_focus(&self) -> bool {
        !matches!(self.view, View::Rounds | View::Results)
    }

    /// Reads the rounds, the selected one's progress and who is missing.
    pub fn reload(&mut self, conn: &Connection) -> db::Result<()> {
        let was = self.round().map(|r| r.id);
        self.rounds = db::survey::rounds(conn)?;
        self.cursor = was
            .and_then(|id| self.rounds.iter().position(|r| r.id == id))
            .unwrap_or(self.cursor)
            .min(self.rounds.len().saturating_sub(1));
        match self.round().map(|r| r.id) {
            Some(id) => {
                if self.unanswered_round != Some(id) {
                    self.progress.clear();
                    self.unanswered.clear();
                }
                let long = self.large;
                self.progress
                    .read_keeping(conn, long, move |c| db::survey::progress(c, id))?;
                self.unanswered.read_keeping(conn, long, move |c| {
                    db::survey::unanswered(c, id, None, UNANSWERED_ROWS)
                })?;
                self.unanswered_round = Some(id);
            }
            None => {
                self.progress.clear();
                self.unanswered.clear();
                self.unanswered_round = None;
            }
        }
        if matches!(self.view, View::Results) {
            self.load_results(conn)?;
        }
        Ok(())
    }

    fn load_results(&mut self, conn: &Connection) -> db::Result<()> {
        let Some(r) = self.round().cloned() else {
            return Ok(());
        };
        let previous = match db::survey::previous_round(conn, &r)? {
            Some(p) => Some((p.name.clone(), db::survey::round_results(conn, p.id)?)),
            None => None,
        };
        self.results = RoundResults {
            now: db::survey::round_results(conn, r.id)?,
            previous,
            follow_ups: db::survey::follow_ups(conn, r.id)?,
        };
        Ok(())
    }

    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        match &self.view {
            View::Rounds => (
                lang.pick("需求调查", "Survey").into(),
                hints(ROUND_BINDINGS, lang),
            ),
            View::Entry(_) => {
                let mut h = hints(ENTRY_BINDINGS, lang);
                // typed keys, not bindings: listed so that help shows every key
                for (keys, zh, en) in [
                    (
                        "1-9 0",
                        "选择并到下一项；需求：勾选（0 为第十项）",
                        "Choose and move on; needs: tick (0 the tenth)",
                    ),
                    (
                        "a-z",
                        "选项的首字母（如 bd 波动，jj 经济困难）",
                        "First letters of a choice (bd 波动, jj 经济困难)",
                    ),
                ] {
                    h.push(Hint {
                        keys: keys.into(),
                        hint_keys: keys.into(),
                        label: lang.pick(zh, en),
                        hint: false,
                    });
                }
                (lang.pick("逐份登记", "Data entry").into(), h)
            }
            View::NewRound(nr) => (
                match nr.editing {
                    Some(_) => lang.pick("修改调查", "Edit round").into(),
                    None => lang.pick("新建调查", "New round").into(),
                },
                hints(PLAIN_BINDINGS, lang),
            ),
            View::Find(..) => (
                lang.pick("找人登记", "Find a member").into(),
                hints(PLAIN_BINDINGS, lang),
            ),
            View::Results => (
                lang.pick("调查结果", "Results").into(),
                hints(&PLAIN_BINDINGS[2..], lang),
            ),
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let res = match &self.view {
            View::Rounds => match lookup(ROUND_BINDINGS, ev) {
                Some(a) => self.round_key(a, conn, env),
                None => Ok(Outcome::Nothing),
            },
            View::Results => match lookup(PLAIN_BINDINGS, ev) {
                Some(PlainAction::Back) => {
                    self.view = View::Rounds;
                    Ok(Outcome::Redraw)
                }
                _ => Ok(Outcome::Nothing),
            },
            View::NewRound(_) => self.new_round_key(ev, conn, env),
            View::Find(..) => self.find_key(ev, conn, env),
            View::Entry(_) => self.entry_key(ev, conn, env),
        };
        res.unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
    }

    fn round_key(
        &mut self,
        a: RoundAction,
        conn: &mut Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let l = env.lang;
        let open_round = |s: &Self| s.round().filter(|r| r.is_open()).cloned();
        match a {
            RoundAction::Up | RoundAction::Down => {
                let n = self.rounds.len();
                if n == 0 {
                    return Ok(Outcome::Nothing);
                }
                self.cursor = if a == RoundAction::Up {
                    self.cursor.saturating_sub(1)
                } else {
                    (self.cursor + 1).min(n - 1)
                };
                self.reload(conn)?;
                Ok(Outcome::Redraw)
            }
            RoundAction::New => {
                let y = env.today.year();
                self.view = View::NewRound(NewRound {
                    inputs: [
                        Input::new(format!("{y}年度党员需求调查")),
                        Input::new(y.to_string()),
                        Input::new(env.today.to_string()),
                    ],
                    focus: 0,
                    error: None,
                    editing: None,
                });
                Ok(Outcome::Redraw)
            }
            RoundAction::Edit => {
                let Some(r) = self.round().cloned() else {
                    return Ok(Outcome::Nothing);
                };
                self.view = View::NewRound(NewRound {
                    inputs: [
                        Input::new(r.name.clone()),
                        Input::new(r.year.to_string()),
                        Input::new(r.started_on.to_string()),
                    ],
                    focus: 0,
                    error: None,
                    editing: Some(r.id),
                });
                Ok(Outcome::Redraw)
            }
            RoundAction::Results => {
                if self.round().is_none() {
                    return Ok(Outcome::Nothing);
                }
                self.view = View::Results;
                self.load_results(conn)?;
                Ok(Outcome::Redraw)
            }
            RoundAction::Close => match open_round(self) {
                Some(r) => {
                    db::survey::close_round(conn, r.id, env.today)?;
                    self.reload(conn)?;
                    Ok(Outcome::Status(Status::ok(format!(
                        "{}{}",
                        l.pick("已结束：", "Closed: "),
                        r.name
                    ))))
                }
                None => Ok(Outcome::Nothing),
            },
            RoundAction::Enter | RoundAction::Find => {
                let Some(r) = open_round(self) else {
                    return Ok(Outcome::Status(Status::error(l.pick(
                        "请先选择或新建一次进行中的调查（n/F2）",
                        "pick or create an open round first (n/F2)",
                    ))));
                };
                if a == RoundAction::Find {
                    self.view = View::Find(Input::default(), Vec::new());
                    return Ok(Outcome::Redraw);
                }
                // the list's first when it is current and still unanswered
                // (a large roster's first unanswered takes seconds to find)
                let first = match self.unanswered().first() {
                    Some(m)
                        if !self.is_reading()
                            && self.unanswered_round == Some(r.id)
                            && db::survey::response(conn, r.id, m.id)?.is_none() =>
                    {
                        Some(m.clone())
                    }
                    _ => db::survey::next_unanswered(conn, r.id, None)?,
                };
                match first {
                    Some(m) => self.open_entry(conn, &r, m),
                    None => Ok(Outcome::Status(Status::info(
                        l.pick("本次调查已全部登记", "every active member has answered"),
                    ))),
                }
            }
        }
    }

    /// Opens the form of member `m` in round `r` (their stored response to
    /// correct, if any), with last round's answers beside it.
    fn open_entry(&mut self, conn: &Connection, r: &Round, m: MemberHit) -> db::Result<Outcome> {
        if self.last_surveyor.is_empty()
            && let Some(last) = db::survey::last_surveyor(conn, r.id)?
        {
            self.last_surveyor = last;
        }
        let previous = match db::survey::previous_round(conn, r)? {
            Some(p) => db::survey::response(conn, p.id, m.id)?.map(|x| x.answers),
            None => None,
        };
        let stored = db::survey::response(conn, r.id, m.id)?;
        self.view = View::Entry(Box::new(Entry::new(
            m,
            &self.last_date,
            &self.last_surveyor,
            previous,
            stored,
        )));
        Ok(Outcome::Redraw)
    }

    fn new_round_key(
        &mut self,
        ev: &KeyEvent,
        conn: &mut Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let l = env.lang;
        let View::NewRound(nr) = &mut self.view else {
            return Ok(Outcome::Nothing);
        };
        let save = match lookup(PLAIN_BINDINGS, ev) {
            Some(PlainAction::Back) => {
                self.view = View::Rounds;
                return Ok(Outcome::Redraw);
            }
            Some(PlainAction::Save) => true,
            Some(PlainAction::Next) if nr.focus < 2 => {
                nr.focus += 1;
                return Ok(Outcome::Redraw);
            }
            Some(PlainAction::Next) => true,
            None => {
                if ev.code == KeyCode::Up || ev.code == KeyCode::BackTab {
                    nr.focus = nr.focus.saturating_sub(1);
                } else if ev.code == KeyCode::Down {
                    nr.focus = (nr.focus + 1).min(2);
                } else {
                    nr.inputs[nr.focus].handle(ev);
                    nr.error = None;
                }
                return Ok(Outcome::Redraw);
            }
        };
        debug_assert!(save);
        let year: Option<i32> = nr.inputs[1]
            .value()
            .trim()
            .parse()
            .ok()
            .filter(|y| (1900..=9999).contains(y));
        let start = dates::parse_date_any(nr.inputs[2].value().trim());
        let err = if nr.inputs[0].value().trim().is_empty() {
            Some((0, l.pick("请填写", "required").to_string()))
        } else if year.is_none() {
            Some((1, l.pick("年份如 2026", "a year like 2026").into()))
        } else if start.is_none() {
            Some((
                2,
                l.pick("日期如 2026-11-28", "a date like 2026-11-28").into(),
            ))
        } else {
            None
        };
        if let Some((f, m)) = err {
            nr.focus = f;
            nr.error = Some((f, m));
            return Ok(Outcome::Redraw);
        }
        let name = nr.inputs[0].value().trim().to_string();
        let (year, start_on) = (year.unwrap_or(0), start.unwrap_or(env.today));
        let editing = nr.editing;
        let written = match editing {
            Some(id) => {
                db::survey::update_round(conn, id, &name, year, start_on, env.today).map(|()| id)
            }
            None => db::survey::create_round(conn, &name, year, start_on, env.today),
        };
        match written {
            Ok(id) => {
                self.view = View::Rounds;
                self.reload(conn)?;
                if let Some(i) = self.rounds.iter().position(|r| r.id == id) {
                    self.cursor = i;
                    self.reload(conn)?;
                }
                Ok(Outcome::Status(Status::ok(format!(
                    "{}{name}",
                    match editing {
                        Some(_) => l.pick("已修改：", "Saved: "),
                        None => l.pick("已新建：", "Created: "),
                    }
                ))))
            }
            Err(e) => {
                // the name is checked first: with a good name, what was
                // refused is the start date (in the future, after the first
                // response or the close)
                let name_taken =
                    db::survey::round_by_name(conn, &name)?.is_some_and(|r| Some(r.id) != editing);
                let f = if matches!(e, db::DbError::Invalid { .. }) && !name_taken {
                    2
                } else {
                    0
                };
                nr.focus = f;
                nr.error = Some((f, e.message(l)));
                Ok(Outcome::Redraw)
            }
        }
    }

    fn find_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> db::Result<Outcome> {
        let View::Find(input, cands) = &mut self.view else {
            return Ok(Outcome::Nothing);
        };
        match lookup(PLAIN_BINDINGS, ev) {
            Some(PlainAction::Back) => {
                self.view = View::Rounds;
                Ok(Outcome::Redraw)
            }
            Some(_) => {
                let Some(m) = cands.first().cloned() else {
                    return Ok(Outcome::Status(Status::error(
                        env.lang
                            .pick("没有这位在册党员", "no active member matches"),
                    )));
                };
                let Some(r) = self.round().cloned() else {
                    return Ok(Outcome::Nothing);
                };
                self.open_entry(conn, &r, m)
            }
            None => {
                if input.handle(ev) == crate::ui::widgets::field::InputEvent::Changed {
                    *cands = crate::ui::screens::pick::candidates(conn, input.value(), 5)?;
                }
                Ok(Outcome::Redraw)
            }
        }
    }
}
