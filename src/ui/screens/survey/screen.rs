//! 需求调查 in the registry: how the app reaches the survey tab.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::SurveyScreen;
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry.
pub fn open(conn: &Connection, env: &Env, _body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(SurveyScreen::new(conn, env)?))
}

impl Screen for SurveyScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        SurveyScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        SurveyScreen::render(self, frame, area, env, focused)
    }

    fn unsaved(&self) -> bool {
        matches!(&self.view, super::View::Entry(e) if e.is_changed())
    }

    fn leave(&mut self, conn: &mut Connection, env: &Env) -> Outcome {
        self.leave_confirmed(conn, env)
            .unwrap_or_else(|e| Outcome::Status(crate::ui::env::Status::error(e.message(env.lang))))
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        SurveyScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        SurveyScreen::text_focus(self)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, _conn: &Connection, _env: &Env, _body_height: u16) -> db::Result<()> {
        Ok(())
    }

    /// Responses other clerks saved since show up in the progress.
    fn shown(&mut self, conn: &Connection, _env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn)
    }

    fn changed(&mut self, conn: &Connection, _env: &Env, _what: &Change) -> db::Result<()> {
        self.reload(conn)
    }

    fn busy(&self) -> bool {
        self.is_reading() || self.is_counting()
    }

    fn poll(&mut self, _conn: &Connection, env: &Env, wait: bool) -> bool {
        self.poll_unanswered(env, wait)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
