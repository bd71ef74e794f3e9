//! 谈心走访 in the registry: how the app reaches the Talks & visits screen.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{VisitsScreen, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the screen with its campaigns; the records are
/// read when the tab is shown.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    let mut s = VisitsScreen::new(conn, page_size_for(body_height))?;
    s.reload(conn, env)?;
    Ok(Box::new(s))
}

impl Screen for VisitsScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        VisitsScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        VisitsScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        VisitsScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        VisitsScreen::text_focus(self)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, conn: &Connection, env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(conn, env, page_size_for(body_height))
    }

    /// Records another clerk wrote since show up.
    fn shown(&mut self, conn: &Connection, env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn, env)
    }

    fn changed(&mut self, conn: &Connection, env: &Env, what: &Change) -> db::Result<()> {
        match what {
            Change::Record => {
                // An edited or voided record stays selected when it is on the first page.
                let was = self.selected().map(|r| (r.kind, r.id));
                self.refresh(conn, env)?;
                self.select(was);
                Ok(())
            }
            Change::Settings(_) => self.refresh(conn, env),
            Change::Member(_) | Change::MemberStatus { .. } => Ok(()),
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
