//! 党员 in the registry: how the app reaches the Members screen.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{MembersScreen, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the Members screen at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(MembersScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for MembersScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        MembersScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        MembersScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        MembersScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        MembersScreen::text_focus(self)
    }

    fn resize(&mut self, conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(conn, page_size_for(body_height))
    }

    fn shown(&mut self, _conn: &Connection, _env: &Env, _again: bool) -> db::Result<()> {
        self.start_index();
        Ok(())
    }

    fn changed(&mut self, conn: &Connection, env: &Env, what: &Change) -> db::Result<()> {
        match what {
            Change::Member(m) => self.after_save(conn, env, m),
            Change::MemberStatus { id, to } => self.after_status(conn, *id, *to),
            Change::Record => self.refresh_care(conn, env),
            Change::Settings(_) => {
                self.refresh_care(conn, env)?;
                self.reload(conn, env)
            }
        }
    }

    /// True while a worker finishes a search.
    fn busy(&self) -> bool {
        self.searching()
    }

    /// Shows a search the worker has finished.
    fn poll(&mut self, conn: &Connection, _env: &Env, wait: bool) -> bool {
        // A page that cannot be read now is read again on the next key.
        self.poll_search(conn, wait).unwrap_or(true)
    }

    /// The search index is built once the Overview's worker is back.
    fn idle(&mut self) {
        self.start_index();
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
