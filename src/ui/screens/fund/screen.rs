//! 帮扶基金 in the registry: how the app reaches the help fund.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{FundScreen, page_size_for};
use crate::db;
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::Hint;
use crate::ui::popups::Change;
use crate::ui::screens::{Outcome, Screen};

/// The registry's entry: the fund at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(FundScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for FundScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        FundScreen::handle_key(self, ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        FundScreen::render(self, frame, area, env, focused)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        FundScreen::hints(self, lang)
    }

    fn text_focus(&self) -> bool {
        FundScreen::text_focus(self)
    }

    fn min_body(&self) -> (u16, u16) {
        super::MIN_BODY
    }

    fn resize(&mut self, conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(page_size_for(body_height));
        self.fill(conn)
    }

    /// Entries other clerks recorded since show up, and the chain is checked again.
    fn shown(&mut self, conn: &Connection, env: &Env, _again: bool) -> db::Result<()> {
        self.reload(conn, env)
    }

    /// An entry, a reversal, a loan, a repayment, a subsidy batch, an audit
    /// or a visit with 慰问金 was saved: read again; a new entry is selected.
    fn changed(&mut self, conn: &Connection, env: &Env, _what: &Change) -> db::Result<()> {
        let before = self.last_id();
        self.reload(conn, env)?;
        // entry ids run 1, 2, 3 …: the newest written since, when it is listed
        let now = self.last_id();
        if now > before {
            self.select(conn, now)?;
        }
        Ok(())
    }

    fn busy(&self) -> bool {
        self.is_verifying() || self.is_summing()
    }

    fn poll(&mut self, _conn: &Connection, env: &Env, wait: bool) -> bool {
        let verified = self.poll_verify(env, wait);
        self.poll_totals(env, wait) || verified
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
