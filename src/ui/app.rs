//! The application state: the tabs, the current screen, the popup stack, the
//! status line. `handle` takes one terminal event and says whether anything
//! changed; `render` draws from the state alone (no I/O), so every frame is
//! cheap and every screen can be drawn into a `TestBackend`.
//!
//! Adding a screen: add its struct in `screens/`, a field here, mark its
//! `Tab` as available in [`Tab::available`], and add an arm to the `match`es
//! in `screen_*` below.

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use rusqlite::Connection;

mod draw;
mod layers;
mod records;

use super::keys::{Binding, Hint, Key, hints, lookup, typed_char};
use super::screens::Outcome;
use super::screens::member_form::{FormOutcome, MemberForm};
use super::screens::members::{MembersScreen, page_size_for};
use super::screens::overview::{self, OverviewScreen};
use super::screens::record_forms::RecordForm;
use super::screens::settings::SettingsForm;
use super::screens::visits::{self, VisitsScreen};
use super::text;
use super::theme::Theme;
use super::widgets::form;
use super::widgets::keyhints::{self, HelpSection};
use super::widgets::popup::{CONFIRM_BINDINGS, Confirm, ConfirmAction, MENU_BINDINGS, Menu};
use crate::db;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::settings::Settings;
use crate::domain::vocab::{Coded, MemberStatus};

/// What every screen reads while handling keys and drawing.
#[derive(Debug, Clone)]
pub struct Env {
    pub lang: Lang,
    /// The day ages, standing and "not in the future" are judged on.
    pub today: NaiveDate,
    pub settings: Settings,
    pub theme: Theme,
}

/// How the app starts (tests build one directly; `ui::run` from the options).
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub lang: Lang,
    pub ascii: bool,
    /// No colour at all (`NO_COLOR`).
    pub mono: bool,
    pub today: NaiveDate,
    /// Terminal size at start.
    pub width: u16,
    pub height: u16,
}

impl Config {
    /// Chinese, colour, box borders, 80x24, on `today`.
    pub fn new(today: NaiveDate) -> Self {
        Config {
            lang: Lang::Zh,
            ascii: false,
            mono: false,
            today,
            width: 80,
            height: 24,
        }
    }
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

    /// Whether the screen exists yet (the others' keys do nothing).
    pub fn available(self) -> bool {
        matches!(self, Tab::Overview | Tab::Members | Tab::Visits)
    }
}

/// The database file the app has open, as the help shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFile {
    pub path: String,
    /// Filled by `guanhuai demo` (or opened with `--demo`): marked in the title bar.
    pub demo: bool,
}

/// What the status line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Ok,
    Error,
}

impl Status {
    pub fn info(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Info,
        }
    }
    pub fn ok(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Ok,
        }
    }
    pub fn error(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Error,
        }
    }
}

/// What a confirmation does when the clerk says yes.
#[derive(Debug, Clone)]
pub enum Pending {
    Quit,
    /// Close the form under the confirmation, dropping its input.
    CloseForm,
    SetStatus {
        member: Box<Member>,
        to: MemberStatus,
    },
}

/// A popup or form on the stack above the screen.
#[derive(Debug)]
pub enum Layer {
    MemberForm(MemberForm),
    /// A talk, visit, event or campaign form.
    RecordForm(Box<RecordForm>),
    SettingsForm(Box<SettingsForm>),
    /// What `n` on the talks & visits screen offers; `member` fills the form.
    NewRecordMenu {
        menu: Menu,
        member: Option<MemberHit>,
    },
    StatusMenu {
        menu: Menu,
        member: Member,
        targets: Vec<MemberStatus>,
    },
    Confirm {
        confirm: Confirm,
        on_yes: Pending,
    },
    Help {
        scroll: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalAction {
    Help,
    Quit,
    SwitchTab,
}

/// Keys that hold on every screen outside a text field (Ctrl-C, F1 and F10
/// also inside one).
pub const GLOBAL_BINDINGS: &[Binding<GlobalAction>] = &[
    Binding {
        action: GlobalAction::Help,
        keys: &[Key::ch('?'), Key::f(1)],
        zh: "帮助",
        en: "Help",
        hint: true,
    },
    Binding {
        action: GlobalAction::Quit,
        keys: &[Key::ch('q'), Key::f(10), Key::ctrl('c')],
        zh: "退出",
        en: "Quit",
        hint: true,
    },
    Binding {
        action: GlobalAction::SwitchTab,
        keys: &[
            Key::ch('1'),
            Key::ch('2'),
            Key::ch('3'),
            Key::ch('4'),
            Key::ch('5'),
            Key::ch('6'),
            Key::ch('7'),
            Key::ch('8'),
        ],
        zh: "切换页面",
        en: "Switch tab",
        hint: false,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HelpAction {
    Close,
    Up,
    Down,
}

const HELP_BINDINGS: &[Binding<HelpAction>] = &[
    Binding {
        action: HelpAction::Close,
        keys: &[
            Key::code(KeyCode::Esc),
            Key::ch('?'),
            Key::f(1),
            Key::ch('q'),
        ],
        zh: "关闭帮助",
        en: "Close help",
        hint: true,
    },
    Binding {
        action: HelpAction::Up,
        keys: &[Key::code(KeyCode::Up), Key::code(KeyCode::PageUp)],
        zh: "向上滚动",
        en: "Scroll up",
        hint: true,
    },
    Binding {
        action: HelpAction::Down,
        keys: &[Key::code(KeyCode::Down), Key::code(KeyCode::PageDown)],
        zh: "向下滚动",
        en: "Scroll down",
        hint: true,
    },
];

pub struct App {
    conn: Connection,
    env: Env,
    tab: Tab,
    overview: OverviewScreen,
    members: MembersScreen,
    visits: VisitsScreen,
    layers: Vec<Layer>,
    status: Option<Status>,
    quit: bool,
    size: (u16, u16),
    database: Option<OpenFile>,
}

/// Rows of the screen body: all but the tab bar, status line and hint line.
fn body_height(h: u16) -> u16 {
    h.saturating_sub(3)
}

impl App {
    /// Opens the app on the Overview (the lists are computed once here).
    pub fn new(conn: Connection, config: Config) -> db::Result<App> {
        let settings = db::settings::load(&conn)?;
        let env = Env {
            lang: config.lang,
            today: config.today,
            settings,
            theme: Theme::new(config.mono, config.ascii),
        };
        let body = body_height(config.height);
        // The Overview opens first; its worker (on a large roster) gets the
        // cores before the members' search index is built.
        let overview = OverviewScreen::new(&conn, &env, overview::page_size_for(body))?;
        let mut members = MembersScreen::new(&conn, &env, page_size_for(body))?;
        if !overview.is_pending() {
            members.start_index();
        }
        let visits = VisitsScreen::new(&conn, visits::page_size_for(body))?;
        Ok(App {
            conn,
            env,
            tab: Tab::Overview,
            overview,
            members,
            visits,
            layers: Vec::new(),
            status: None,
            quit: false,
            size: (config.width, config.height),
            database: None,
        })
    }

    /// Shows which database file is open (help) and whether it is the demo's (title bar).
    pub fn show_database(&mut self, file: OpenFile) {
        self.database = Some(file);
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn members(&self) -> &MembersScreen {
        &self.members
    }

    pub fn members_mut(&mut self) -> &mut MembersScreen {
        &mut self.members
    }

    pub fn overview(&self) -> &OverviewScreen {
        &self.overview
    }

    /// True while slow work runs on a worker thread and the event loop
    /// should wake now and then to take its result ([`App::tick`]).
    pub fn busy(&self) -> bool {
        self.overview.is_pending()
    }

    /// Takes the results of worker threads that are back; true to redraw.
    pub fn tick(&mut self) -> bool {
        let dirty = self.overview.poll(&self.conn, &self.env, false);
        if !self.overview.is_pending() {
            self.members.start_index();
        }
        dirty
    }

    /// Waits for the worker threads (screenshots, benchmarks, tests).
    pub fn wait_ready(&mut self) {
        self.overview.poll(&self.conn, &self.env, true);
    }

    pub fn visits(&self) -> &VisitsScreen {
        &self.visits
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The member form on top of the stack, if one is open.
    pub fn member_form(&self) -> Option<&MemberForm> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::MemberForm(f) => Some(f),
            _ => None,
        })
    }

    /// The terminal was resized.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        let rows = page_size_for(body_height(h));
        self.overview
            .set_page_size(overview::page_size_for(body_height(h)));
        let res = self.members.set_page_size(&self.conn, rows).and_then(|_| {
            let rows = visits::page_size_for(body_height(h));
            self.visits.set_page_size(&self.conn, &self.env, rows)
        });
        if let Err(e) = res {
            self.status = Some(Status::error(e.message(self.env.lang)));
        }
    }

    /// Handles one terminal event; true when the screen must be redrawn.
    pub fn handle(&mut self, ev: Event) -> bool {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(&k),
            Event::Resize(w, h) => {
                self.resize(w, h);
                true
            }
            _ => false,
        }
    }

    /// Handles one key press; true when the screen must be redrawn.
    pub fn handle_key(&mut self, ev: &KeyEvent) -> bool {
        // A message stays until the next key.
        let had_status = self.status.take().is_some();
        let ctrl_c = ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.request_quit();
            return true;
        }
        if !self.layers.is_empty() {
            return self.handle_layer(ev) || had_status;
        }
        // Global keys, except plain characters while the clerk types.
        let typing = self.screen_text_focus();
        if !(typing && typed_char(ev).is_some())
            && let Some(action) = lookup(GLOBAL_BINDINGS, ev)
        {
            match action {
                GlobalAction::Help => self.layers.push(Layer::Help { scroll: 0 }),
                GlobalAction::Quit => self.request_quit(),
                GlobalAction::SwitchTab => {
                    if let KeyCode::Char(c) = ev.code
                        && let Some(n) = c.to_digit(10)
                        && let Some(&t) = Tab::ALL.get(n as usize - 1)
                        && t.available()
                    {
                        let was = self.tab;
                        self.tab = t;
                        if t == Tab::Members {
                            self.members.start_index();
                        }
                        // Work other clerks recorded since shows up.
                        if t == Tab::Overview
                            && was != Tab::Overview
                            && let Err(e) = self.overview.reload(&self.conn, &self.env)
                        {
                            self.status = Some(Status::error(e.message(self.env.lang)));
                        }
                        // Records another clerk wrote since show up.
                        if t == Tab::Visits
                            && let Err(e) = self.visits.reload(&self.conn, &self.env)
                        {
                            self.status = Some(Status::error(e.message(self.env.lang)));
                        }
                    }
                }
            }
            return true;
        }
        let outcome = match self.tab {
            Tab::Overview => self.overview.handle_key(ev, &mut self.conn, &self.env),
            Tab::Members => self.members.handle_key(ev, &mut self.conn, &self.env),
            Tab::Visits => self.visits.handle_key(ev, &mut self.conn, &self.env),
            _ => Outcome::Nothing,
        };
        self.apply(outcome) || had_status
    }

    fn screen_text_focus(&self) -> bool {
        match self.tab {
            Tab::Members => self.members.text_focus(),
            Tab::Visits => self.visits.text_focus(),
            _ => false,
        }
    }

    fn apply(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Nothing => false,
            Outcome::Redraw => true,
            Outcome::Push(layer) => {
                self.layers.push(*layer);
                true
            }
            Outcome::Status(s) => {
                self.status = Some(s);
                true
            }
        }
    }
}
