//! Drawing the app into an 80x24 `TestBackend`, reading the screen back as
//! text, and the key events the terminal delivers.

use chrono::NaiveDate;
use guanhuai::ui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn draw(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t
}

/// The buffer as text, a wide character once (its covered cell skipped);
/// fails on half of a wide character (one followed by anything but its blank).
pub fn screen(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            let w = sym.width().max(1) as u16;
            if w == 2 && x + 1 < buf.area.width {
                assert_eq!(
                    buf[(x + 1, y)].symbol(),
                    " ",
                    "half a wide character at ({x},{y}): {sym}"
                );
            }
            out.push_str(sym);
            x += w;
        }
        out.push('\n');
    }
    out
}

pub fn text_of(app: &App) -> String {
    screen(draw(app).backend().buffer())
}
