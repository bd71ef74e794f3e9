//! Issue 7, item 5: what the terminal shows is what was drawn. The frames go
//! through the real backend (crossterm escape sequences, only the cells that
//! changed) into a terminal emulator (vt100), and after every step the
//! emulated screen must equal the frame drawn afresh: no gaps left in a
//! border (`── ─ ─ ─ ───`) where wide characters stood, after a popup or a
//! page with wide text over a border gives way.

mod common;
#[allow(unused_imports)]
#[path = "ui_overview/fixture.rs"]
mod fixture;

use std::io::Write;
use std::num::NonZero;
use std::sync::{Arc, Mutex};

use fixture::*;
use guanhuai::domain::Lang;
use guanhuai::ui::app::App;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// The bytes the backend writes, shared with the test.
#[derive(Clone, Default)]
struct Wire(Arc<Mutex<Vec<u8>>>);

impl Write for Wire {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Screen {
    wire: Wire,
    term: Terminal<CrosstermBackend<Wire>>,
    vt: vt100::Parser,
}

impl Screen {
    fn new() -> Self {
        let wire = Wire::default();
        let viewport = Viewport::Fixed(Rect::new(0, 0, 80, 24));
        let term = Terminal::with_options(
            CrosstermBackend::new(wire.clone()),
            TerminalOptions { viewport },
        )
        .unwrap();
        let vt = vt100::Parser::new(NonZero::new(24).unwrap(), NonZero::new(80).unwrap(), 0);
        Screen { wire, term, vt }
    }

    /// Draws a frame as the event loop does and checks the emulated screen.
    fn draw(&mut self, app: &App, step: &str) {
        self.term.draw(|f| app.render(f)).unwrap();
        let bytes = std::mem::take(&mut *self.wire.0.lock().unwrap());
        self.vt.process(&bytes);
        let shown: Vec<String> = self.vt.screen().rows(0, 80).collect();
        let want: Vec<String> = text_of(app)
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect();
        for (y, (s, w)) in shown.iter().zip(&want).enumerate() {
            assert_eq!(s.trim_end(), w, "row {y} after {step}");
        }
    }
}

#[test]
fn the_terminal_shows_every_frame_whole() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    let mut s = Screen::new();
    s.draw(&app, "start");
    let steps: &[(&str, &[KeyCode])] = &[
        ("help over the Overview", &[KeyCode::F(1)]),
        ("help closed", &[KeyCode::Esc]),
        ("settings", &[KeyCode::Char('s')]),
        ("settings closed", &[KeyCode::Esc]),
        ("members", &[KeyCode::Char('2')]),
        ("detail", &[KeyCode::Enter]),
        ("obligations page", &[KeyCode::Tab]),
        ("record form", &[KeyCode::Enter]),
        ("record form closed", &[KeyCode::Esc]),
        // The page names stood on the border: the list's border is whole.
        ("back to the list", &[KeyCode::Esc]),
        ("status menu", &[KeyCode::Char('x')]),
        ("menu closed", &[KeyCode::Esc]),
        ("member form", &[KeyCode::F(2)]),
        ("form help", &[KeyCode::F(1)]),
        ("form help closed", &[KeyCode::Esc]),
        ("form closed", &[KeyCode::Esc]),
        ("talks & visits", &[KeyCode::Char('4')]),
        ("new menu", &[KeyCode::Char('n')]),
        ("talk form", &[KeyCode::Char('1')]),
        ("talk form closed", &[KeyCode::Esc]),
        ("campaigns", &[KeyCode::F(8)]),
        ("back", &[KeyCode::Esc]),
    ];
    for (step, keys) in steps {
        press(&mut app, keys);
        s.draw(&app, step);
    }
}
