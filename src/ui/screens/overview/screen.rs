//! 总览 in the registry: how the app reaches the Overview.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{BINDINGS, MIN_BODY, OverviewScreen, SEARCH_BINDINGS, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::{Hint, hints};
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the Overview at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(OverviewScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for OverviewScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        self.key(ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        self.draw(frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        if self.search().focused() {
            return (
                lang.pick("按党员查找", "Find a member").into(),
                hints(SEARCH_BINDINGS, lang),
            );
        }
        (lang.pick("总览", "Overview").into(), hints(BINDINGS, lang))
    }

    fn text_focus(&self) -> bool {
        self.search().focused()
    }

    fn min_body(&self) -> (u16, u16) {
        MIN_BODY
    }

    fn resize(&mut self, _conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(page_size_for(body_height));
        Ok(())
    }

    /// Work other clerks recorded since shows up.
    fn shown(&mut self, conn: &Connection, env: &Env, again: bool) -> db::Result<()> {
        if again {
            Ok(())
        } else {
            self.reload(conn, env)
        }
    }

    fn changed(&mut self, conn: &Connection, env: &Env, what: &Change) -> db::Result<()> {
        match what {
            Change::Record | Change::Settings(_) => self.reload(conn, env),
            Change::Member(_) => self.note_roster(conn),
            Change::MemberStatus { .. } => Ok(()),
        }
    }

    fn busy(&self) -> bool {
        self.is_pending()
    }

    fn poll(&mut self, conn: &Connection, env: &Env, wait: bool) -> bool {
        OverviewScreen::poll(self, conn, env, wait)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
