//! 困难台账 in the registry: how the app reaches the hardship ledger.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{HardshipScreen, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the ledger at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(HardshipScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for HardshipScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        HardshipScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        HardshipScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        HardshipScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        HardshipScreen::text_focus(self)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(page_size_for(body_height));
        self.fill(conn)
    }

    /// Cases and steps other clerks recorded since show up.
    fn shown(&mut self, conn: &Connection, env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn, env)
    }

    /// A saved case, step, review, measure, helper or visit (the detail's
    /// 走访记录), a member renamed, the settings (review interval): read
    /// again. A case that was not listed before (just opened) is selected.
    fn changed(&mut self, conn: &Connection, env: &Env, _what: &Change) -> db::Result<()> {
        let before = self.last_id();
        self.reload(conn, env)?;
        // case ids only grow: the newest opened since, when it is listed
        let now = self.last_id();
        if now > before {
            self.select(conn, now)?;
        }
        Ok(())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
