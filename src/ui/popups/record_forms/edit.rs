//! 更正 and the campaign window: a saved talk, visit or event opened again in
//! its form (prefilled, saved over the version it was read at), and a visit
//! recorded for a campaign warned about before it is saved with a date that
//! does not count for it (the window's last day offered when it is over).

use rusqlite::Connection;

use super::{RecordForm, RecordKind, set_text};
use crate::db;
use crate::db::corrections::{self, Stored};
use crate::db::visits_list::{self, RecordType};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::records::{Campaign, CampaignPhase};
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Key};
use crate::ui::popups::PopupOutcome;

/// Keys a record form adds to the form's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// The date becomes the last day of the campaign's window (it is over).
    WindowEnd,
}

pub const FORM_BINDINGS: &[Binding<FormKey>] = &[Binding {
    action: FormKey::WindowEnd,
    keys: &[Key::f(7)],
    zh: "日期改为活动最后一天",
    en: "Date: the campaign's last day",
    hint: true,
}];

impl RecordForm {
    /// The form of a stored talk, visit or event, to correct it; the message
    /// for the status line when it cannot be edited (gone, voided).
    pub fn edit(
        conn: &Connection,
        env: &Env,
        t: RecordType,
        id: i64,
    ) -> db::Result<Result<Self, String>> {
        let l = env.lang;
        let gone = l
            .pick("这条记录已不存在", "this record no longer exists")
            .to_string();
        let voided = l
            .pick(
                "这条记录已作废，不能再修改",
                "this record is voided: it cannot be changed",
            )
            .to_string();
        fn check<R>(s: Option<Stored<R>>, gone: &str, voided: &str) -> Result<Stored<R>, String> {
            match s {
                None => Err(gone.to_string()),
                Some(s) if s.void.is_some() => Err(voided.to_string()),
                Some(s) => Ok(s),
            }
        }
        let title = |what: &str, member: &str| match l {
            Lang::Zh => format!("修改{what}：{member}"),
            Lang::En => format!("Edit the {what}: {member}"),
        };
        let form = match t {
            RecordType::Talk => match check(corrections::get_talk(conn, id)?, &gone, &voided) {
                Err(e) => return Ok(Err(e)),
                Ok(s) => {
                    let hit = visits_list::member_hit(conn, s.record.member_id)?;
                    let who = hit.as_ref().map(|h| h.label()).unwrap_or_default();
                    let mut f = Self::talk_form(env, hit, &s.record, title(t.label(l), &who));
                    f.editing = Some((id, s.version));
                    f
                }
            },
            RecordType::Visit => match check(corrections::get_visit(conn, id)?, &gone, &voided) {
                Err(e) => return Ok(Err(e)),
                Ok(s) => {
                    let hit = visits_list::member_hit(conn, s.record.member_id)?;
                    let who = hit.as_ref().map(|h| h.label()).unwrap_or_default();
                    let mut f = Self::visit_form(env, hit, &s.record, title(t.label(l), &who));
                    f.editing = Some((id, s.version));
                    f
                }
            },
            RecordType::Event => match check(corrections::get_event(conn, id)?, &gone, &voided) {
                Err(e) => return Ok(Err(e)),
                Ok(s) => {
                    let hit = visits_list::member_hit(conn, s.record.member_id)?;
                    let who = hit.as_ref().map(|h| h.label()).unwrap_or_default();
                    let mut f = Self::event_form(env, hit, &s.record, title(t.label(l), &who));
                    f.editing = Some((id, s.version));
                    f
                }
            },
        };
        Ok(Ok(form))
    }

    /// The stored record's id and version when this form corrects one.
    pub fn editing(&self) -> Option<(i64, i64)> {
        self.editing
    }

    /// Records the visit for `c`: its window is checked before saving.
    pub fn for_campaign(mut self, c: Campaign, env: &Env) -> Self {
        self.window_over = c.phase(env.today) == CampaignPhase::Ended;
        self.campaign = Some(c);
        self.form.check_builtin();
        if let Ok(Some(d)) = self.form.date_of("date")
            && let Some(w) = self.window_warning(d, env)
        {
            // At the date: the form's foot shows the whole warning.
            self.form.add_error("date", w);
            self.form.set_focus("date");
        }
        self
    }

    /// The campaign the visit is recorded for.
    pub fn for_campaign_of(&self) -> Option<&Campaign> {
        self.campaign.as_ref()
    }

    /// True when the campaign is over: F7 sets the window's last day.
    pub fn offers_window_end(&self) -> bool {
        self.kind == RecordKind::Visit && self.window_over
    }

    /// Why a visit dated `d` does not count for the campaign, if it does not.
    pub(super) fn window_warning(&self, d: chrono::NaiveDate, env: &Env) -> Option<String> {
        let c = self
            .campaign
            .as_ref()
            .filter(|_| self.kind == RecordKind::Visit)?;
        if c.counts_on(d) {
            return None;
        }
        let (from, to) = (dates::fmt(c.from), dates::fmt(c.to));
        let l = env.lang;
        Some(match (c.phase(env.today), l) {
            (CampaignPhase::Ended, Lang::Zh) => format!(
                "活动已于 {to} 结束，此日期不计入活动；F7 改为 {}",
                dates::fmt(c.window_end(env.today))
            ),
            (CampaignPhase::Ended, Lang::En) => format!(
                "the campaign ended on {to}: this date does not count; F7 sets {}",
                dates::fmt(c.window_end(env.today))
            ),
            (CampaignPhase::NotStarted, Lang::Zh) => {
                format!("活动 {from} 才开始，此日期不计入活动")
            }
            (CampaignPhase::NotStarted, Lang::En) => {
                format!("the campaign starts on {from}: this date does not count")
            }
            (CampaignPhase::Running, Lang::Zh) => {
                format!("不在活动期 {from} 至 {to} 内，不计入活动")
            }
            (CampaignPhase::Running, Lang::En) => {
                format!("outside the window {from} to {to}: does not count")
            }
        })
    }

    /// F7: the date becomes the last day of the window that is over.
    pub(super) fn apply_window_end(&mut self, conn: &Connection, env: &Env) -> PopupOutcome {
        if !self.offers_window_end() {
            return PopupOutcome::Nothing;
        }
        let Some(end) = self.campaign.as_ref().map(|c| c.window_end(env.today)) else {
            return PopupOutcome::Nothing;
        };
        set_text(&mut self.form, "date", &dates::fmt(end));
        self.warned = false;
        self.validate(conn, env);
        PopupOutcome::Redraw
    }

    /// Validates for a save. A visit whose date does not count for its
    /// campaign is refused once with the reason (beside the date); saved
    /// again unchanged, it is kept with that date.
    pub(super) fn warn_once(&mut self, conn: &Connection, env: &Env) -> Option<PopupOutcome> {
        let warned = self.warned;
        self.warned = true;
        self.validate(conn, env);
        let clean = !self.form.has_errors();
        self.warned = warned;
        self.validate(conn, env);
        if warned || !clean || !self.form.has_errors() {
            return None;
        }
        // Only the window's warning stands: say it once.
        self.form.accept();
        self.warned = true;
        let w = self.form.error_of("date").unwrap_or_default().to_string();
        let msg = match env.lang {
            Lang::Zh => format!("{w}。再按 Ctrl-S/F9 仍按此日期保存"),
            Lang::En => format!("{w}. Ctrl-S/F9 again saves it with this date"),
        };
        self.form.message = Some(msg.clone());
        Some(PopupOutcome::Refused(msg))
    }
}
