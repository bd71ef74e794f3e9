//! Keeping the Members screen true after a change: another clerk's, a
//! saved form, a status change.

use std::sync::Arc;

use rusqlite::Connection;

use super::{MembersScreen, View};
use crate::db;
use crate::domain::member::Member;
use crate::domain::vocab::MemberStatus;
use crate::ui::env::Env;
use crate::ui::screens::roster_index::{Loader, RosterIndex};

impl MembersScreen {
    /// Rebuilds the index from the database (another clerk's changes).
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.pending = None;
        self.loader = Loader::Ready(Arc::new(RosterIndex::build(
            conn,
            env.today,
            &env.settings,
        )?));
        self.refresh_detail(conn)?;
        let cursor = self.cursor;
        self.refilter(conn, false)?;
        self.cursor = cursor.min(self.total.saturating_sub(1));
        self.fetch_page(conn)
    }

    pub(super) fn refresh_detail(&mut self, conn: &Connection) -> db::Result<()> {
        if let View::Detail(m) = &self.view {
            self.view = match db::members::get(conn, m.id)? {
                Some(m) => View::Detail(Box::new(m)),
                None => View::List,
            };
        }
        Ok(())
    }

    /// After a save: puts the member at its place, selects it when shown.
    pub fn after_save(&mut self, conn: &Connection, env: &Env, m: &Member) -> db::Result<()> {
        self.ensure_index(conn)?;
        let rank = db::roster::rank(conn, m.id)?;
        // No worker may share the index while it changes.
        self.pending = None;
        if let Some(ix) = self.loader.ready_mut() {
            ix.upsert(m, rank, env.today, &env.settings);
        }
        self.refilter(conn, false)?;
        self.select_id(conn, m.id)?;
        self.refresh_detail(conn)
    }

    /// After a status change.
    pub fn after_status(
        &mut self,
        conn: &Connection,
        id: i64,
        status: MemberStatus,
    ) -> db::Result<()> {
        self.ensure_index(conn)?;
        self.pending = None;
        if let Some(ix) = self.loader.ready_mut() {
            ix.set_status(id, status);
        }
        let cursor = self.cursor;
        self.refilter(conn, false)?;
        self.cursor = cursor.min(self.total.saturating_sub(1));
        self.fetch_page(conn)?;
        self.select_id(conn, id)?;
        self.refresh_detail(conn)
    }

    pub(super) fn select_id(&mut self, conn: &Connection, id: i64) -> db::Result<()> {
        let Some(ix) = self.loader.ready() else {
            return Ok(());
        };
        if let Some(p) = ix.position_of(id)
            && self.pending.is_none()
            && let Some((_, hits)) = self.results.last()
            && let Some(i) = hits.position(ix, p as u32)
        {
            self.cursor = i;
            self.fetch_page(conn)?;
        }
        Ok(())
    }
}
