//! 激励 in the registry: how the app reaches the incentives tab.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{HonoursScreen, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the incentives at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(HonoursScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for HonoursScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        HonoursScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        HonoursScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        HonoursScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        HonoursScreen::text_focus(self)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(page_size_for(body_height));
        self.fill(conn)
    }

    /// Honours, grades and members other clerks saved since show up.
    fn shown(&mut self, conn: &Connection, env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn, env)
    }

    /// A saved honour or discipline, a member, a payment, the settings (the
    /// bonus base and shares): read again, the newest honour first.
    fn changed(&mut self, conn: &Connection, env: &Env, _what: &Change) -> db::Result<()> {
        self.reload(conn, env)
    }

    fn busy(&self) -> bool {
        self.is_counting()
    }

    fn poll(&mut self, _conn: &Connection, env: &Env, wait: bool) -> bool {
        self.poll_totals(env, wait)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
