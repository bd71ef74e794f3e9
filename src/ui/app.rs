//! The application state: the screens of the tabs, the popup stack, the
//! status line. `handle` takes one terminal event and says whether anything
//! changed; `render` draws from the state alone (no I/O), so every frame is
//! cheap and every screen can be drawn into a `TestBackend`.
//!
//! The app knows no screen by name: it opens every tab the registry
//! (`screens::open`) offers and talks to them through the `Screen` trait.
//! A screen asks for a popup with a `popups::Request`; the popup's outcome
//! (`popups::PopupOutcome`) is handled in `app/stack.rs`, and what a save
//! changed goes to every screen (`Screen::changed`). Adding a tab touches
//! no file here (see "Adding a screen" in the README).

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use rusqlite::Connection;

mod draw;
mod stack;

pub use super::env::{Env, Status, StatusKind};
use super::keys::{Binding, Key, lookup, typed_char};
pub use super::popups::Popup;
use super::popups::{self, Request};
pub use super::screens::Tab;
use super::screens::{self, Outcome, Screen};
use super::theme::Theme;
use crate::db;
use crate::domain::Lang;

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

/// The database file the app has open, as the help shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFile {
    pub path: String,
    /// Filled by `guanhuai demo` (or opened with `--demo`): marked in the title bar.
    pub demo: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalAction {
    Help,
    Quit,
    Log,
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
        action: GlobalAction::Log,
        keys: &[Key::f(12)],
        zh: "操作日志",
        en: "Audit log",
        hint: false,
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

/// What the keys every screen shares (DOMAIN.md "Screens and keys") ask
/// for, when the view shown has nothing for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Common {
    Search,
    New,
    Open,
    Edit,
}

const COMMON_KEYS: &[Binding<Common>] = &[
    Binding {
        action: Common::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "查找",
        en: "Search",
        hint: false,
    },
    Binding {
        action: Common::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新增",
        en: "New",
        hint: false,
    },
    Binding {
        action: Common::Open,
        keys: crate::ui::keys::OPEN_KEYS,
        zh: "打开",
        en: "Open",
        hint: false,
    },
    Binding {
        action: Common::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改",
        en: "Edit",
        hint: false,
    },
];

/// The status line's answer to a shared key the view has nothing for.
fn nothing_to(what: Common, lang: Lang) -> String {
    let (zh, en) = match what {
        Common::Search => ("查找", "search"),
        Common::New => ("新增", "add"),
        Common::Open => ("打开", "open"),
        Common::Edit => ("修改", "edit"),
    };
    match lang {
        Lang::Zh => format!("这里没有可{zh}的内容（按 ? 看本页的键）"),
        Lang::En => format!("Nothing to {en} here (? lists this screen's keys)"),
    }
}

pub struct App {
    conn: Connection,
    env: Env,
    tab: Tab,
    /// Every tab the registry opens, in the order of the tab bar.
    /// The screens opened so far: a tab's screen opens when it is first
    /// shown, so starting costs the Overview only, whatever the roster.
    screens: Vec<(Tab, Box<dyn Screen>)>,
    /// The body height screens open at.
    body: u16,
    popups: Vec<Popup>,
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
        // Only the Overview opens now; the other tabs when first shown.
        let mut screens = Vec::new();
        if let Some(open) = screens::open(Tab::Overview) {
            screens.push((Tab::Overview, open(&conn, &env, body)?));
        }
        let mut app = App {
            conn,
            env,
            tab: Tab::Overview,
            screens,
            body,
            popups: Vec::new(),
            status: None,
            quit: false,
            size: (config.width, config.height),
            database: None,
        };
        app.idle_if_done();
        Ok(app)
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

    /// The screen of type `S` (tests, benchmarks). Panics when no tab has one.
    pub fn screen<S: Screen>(&self) -> &S {
        self.screens
            .iter()
            .find_map(|(_, s)| s.as_any().downcast_ref::<S>())
            .expect("a screen of this type, opened (show its tab first, or App::open_all)")
    }

    /// The screen of type `S`, to change (tests, benchmarks).
    pub fn screen_mut<S: Screen>(&mut self) -> &mut S {
        self.screens
            .iter_mut()
            .find_map(|(_, s)| s.as_any_mut().downcast_mut::<S>())
            .expect("a screen of this type, opened (show its tab first, or App::open_all)")
    }

    fn current(&self) -> Option<&dyn Screen> {
        self.screens
            .iter()
            .find(|(t, _)| *t == self.tab)
            .map(|(_, s)| s.as_ref())
    }

    /// True while slow work runs on a worker thread and the event loop
    /// should wake now and then to take its result ([`App::tick`]).
    pub fn busy(&self) -> bool {
        self.screens.iter().any(|(_, s)| s.busy())
    }

    /// Takes the results of worker threads that are back; true to redraw.
    pub fn tick(&mut self) -> bool {
        let mut dirty = false;
        for (_, s) in &mut self.screens {
            dirty |= s.poll(&self.conn, &self.env, false);
        }
        self.idle_if_done();
        dirty
    }

    /// Waits for the worker threads (screenshots, benchmarks, tests).
    pub fn wait_ready(&mut self) {
        for (_, s) in &mut self.screens {
            s.poll(&self.conn, &self.env, true);
        }
    }

    /// When no worker runs, the screens may start their background work.
    fn idle_if_done(&mut self) {
        if !self.busy() {
            for (_, s) in &mut self.screens {
                s.idle();
            }
        }
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    pub fn popups(&self) -> &[Popup] {
        &self.popups
    }

    /// The terminal was resized.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.body = body_height(h);
        for (_, s) in &mut self.screens {
            if let Err(e) = s.resize(&self.conn, &self.env, body_height(h)) {
                self.status = Some(Status::error(e.message(self.env.lang)));
                break;
            }
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
            Event::Paste(text) => self.paste(&text),
            _ => false,
        }
    }

    /// A paste (the terminal's bracketed paste): typed into the focused text
    /// field as its characters, a line break or tab as a space, so a pasted
    /// newline never acts as Enter and the rest is not lost. Only where
    /// letters are typed, not taken as keys: into a form, or a screen's
    /// field while the clerk types there (pasting on a list, a menu or a
    /// question does nothing, so a pasted `q` or `y` never quits or answers).
    fn paste(&mut self, text: &str) -> bool {
        let into = match self.popups.last() {
            Some(p) => p.takes_paste(),
            None => self.current().is_some_and(|s| s.text_focus()),
        };
        if !into {
            return false;
        }
        let mut dirty = false;
        for c in pasted_chars(text) {
            dirty |= self.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        dirty
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
        if !self.popups.is_empty() {
            return self.handle_popup(ev) || had_status;
        }
        // Global keys, except plain characters while the clerk types.
        let typing = self.current().is_some_and(|s| s.text_focus());
        if !(typing && typed_char(ev).is_some())
            && let Some(action) = lookup(GLOBAL_BINDINGS, ev)
        {
            match action {
                GlobalAction::Help => self.open(Request::Help),
                GlobalAction::Quit => self.request_quit(),
                GlobalAction::Log => self.open(Request::Log(Box::default())),
                GlobalAction::SwitchTab => {
                    if let KeyCode::Char(c) = ev.code
                        && let Some(t) = Tab::of_key(c)
                    {
                        self.switch_to(t);
                    }
                }
            }
            return true;
        }
        let tab = self.tab;
        let outcome = match self.screens.iter_mut().find(|(t, _)| *t == tab) {
            Some((_, s)) => s.handle_key(ev, &mut self.conn, &self.env),
            None => Outcome::Nothing,
        };
        // The keys that hold everywhere (DOMAIN.md) say so where a view has
        // nothing for them, rather than doing nothing.
        let outcome = match outcome {
            Outcome::Nothing if !typing => match lookup(COMMON_KEYS, ev) {
                Some(what) => Outcome::Status(Status::info(nothing_to(what, self.env.lang))),
                None => Outcome::Nothing,
            },
            other => other,
        };
        self.apply(outcome) || had_status
    }

    /// Shows tab `t`, opening its screen the first time; what other clerks
    /// wrote since shows up.
    fn switch_to(&mut self, t: Tab) {
        let again = self.tab == t;
        if !self.screens.iter().any(|(tab, _)| *tab == t) {
            let Some(open) = screens::open(t) else {
                return;
            };
            // A screen reads what it shows when it opens: no `shown` now.
            match open(&self.conn, &self.env, self.body) {
                Ok(s) => self.screens.push((t, s)),
                Err(e) => self.status = Some(Status::error(e.message(self.env.lang))),
            }
            self.tab = t;
            self.idle_if_done();
            return;
        }
        self.tab = t;
        if let Some((_, s)) = self.screens.iter_mut().find(|(tab, _)| *tab == t)
            && let Err(e) = s.shown(&self.conn, &self.env, again)
        {
            self.status = Some(Status::error(e.message(self.env.lang)));
        }
        self.idle_if_done();
    }

    /// Opens every tab's screen now (tests and screenshots that look at a
    /// screen before showing it).
    pub fn open_all(&mut self) -> db::Result<()> {
        for t in Tab::ALL {
            if !self.screens.iter().any(|(tab, _)| *tab == t)
                && let Some(open) = screens::open(t)
            {
                let s = open(&self.conn, &self.env, self.body)?;
                self.screens.push((t, s));
            }
        }
        Ok(())
    }

    fn apply(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Nothing => false,
            Outcome::Redraw => true,
            Outcome::Open(req) => {
                self.open(req);
                true
            }
            Outcome::Status(s) => {
                self.status = Some(s);
                true
            }
        }
    }

    /// Opens the popup a screen asked for (or says why there is none).
    fn open(&mut self, req: Request) {
        match popups::open(req, &self.conn, &self.env) {
            Ok(p) => self.popups.push(p),
            Err(s) => self.status = Some(s),
        }
    }
}

/// The characters of a paste as they are typed: `\r\n`, `\n`, `\r` and tab
/// as one space each, other control characters left out.
fn pasted_chars(text: &str) -> impl Iterator<Item = char> {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<Vec<_>>()
        .into_iter()
}
