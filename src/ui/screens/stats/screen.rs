//! 统计 in the registry: how the app reaches the statistics.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::StatsScreen;
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the figures for today.
pub fn open(conn: &Connection, env: &Env, _body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(StatsScreen::new(conn, env)?))
}

impl Screen for StatsScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        StatsScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        StatsScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        StatsScreen::hints(self, lang)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, _conn: &Connection, _env: &Env, _body_height: u16) -> db::Result<()> {
        Ok(())
    }

    /// What other clerks wrote since counts.
    fn shown(&mut self, conn: &Connection, env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn, env)
    }

    /// Anything saved may change a figure: count again.
    fn changed(&mut self, conn: &Connection, env: &Env, _what: &Change) -> db::Result<()> {
        self.reload(conn, env)
    }

    fn busy(&self) -> bool {
        self.is_pending()
    }

    fn poll(&mut self, _conn: &Connection, env: &Env, wait: bool) -> bool {
        StatsScreen::poll(self, env, wait)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
