//! The terminal user interface: an event loop with no tick (0% CPU while
//! waiting for a key), the `App` state, screens and widgets.

pub mod app;
pub mod env;
pub mod keys;
pub mod popups;
pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;
pub mod worker;

use std::time::Duration;

use ratatui::crossterm::event;
use rusqlite::Connection;

use crate::domain::Lang;
use app::{App, Config};
use theme::Theme;

/// How the UI draws.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    pub ascii: bool,
    /// The database file, shown in the help and marked when it is the demo's.
    pub database: Option<OpenFile>,
}

pub use app::OpenFile;

impl Config {
    /// From the command line, `NO_COLOR`, `GUANHUAI_TODAY` and the terminal size.
    pub fn from_options(opts: &Options, size: (u16, u16)) -> Config {
        Config {
            lang: opts.lang,
            ascii: opts.ascii,
            mono: Theme::no_color_from_env(),
            today: crate::clock::today(),
            width: size.0,
            height: size.1,
        }
    }
}

/// Runs the terminal UI until the clerk quits. The terminal is restored on
/// quitting, on an error and on a panic (`ratatui::init` installs the hook).
pub fn run(conn: Connection, opts: Options) -> std::io::Result<()> {
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(conn, Config::from_options(&opts, size))
        .map_err(|e| std::io::Error::other(e.message(opts.lang)))?;
    if let Some(file) = opts.database {
        app.show_database(file);
    }
    let mut terminal = ratatui::init();
    // Bracketed paste: a paste arrives as one event (a pasted line break is
    // not Enter). Turned off again on quitting and, before ratatui's own
    // restore, on a panic.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let restore_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A panic a library raised and we catch (fsutil::catching) is ours
        // to report on the screen: the terminal stays as it is.
        if crate::fsutil::panic_is_caught() {
            return;
        }
        let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
        restore_hook(info);
    }));
    let result = (|| -> std::io::Result<()> {
        terminal.draw(|f| app.render(f))?;
        loop {
            // Block until the next event: no tick, no timer — except while
            // a worker thread computes, when we look for its result now and then.
            let mut dirty = if app.busy() && !event::poll(Duration::from_millis(50))? {
                app.tick()
            } else {
                app.handle(event::read()?)
            };
            // Drain what is already queued (a paste, an input method, a slow
            // SSH link deliver bursts) before drawing once.
            while !app.should_quit() && event::poll(Duration::ZERO)? {
                dirty |= app.handle(event::read()?);
            }
            if app.should_quit() {
                return Ok(());
            }
            if dirty {
                terminal.draw(|f| app.render(f))?;
            }
        }
    })();
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    result
}
