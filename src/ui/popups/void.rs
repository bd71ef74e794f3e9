//! 作废: a small form asking why a talk, visit or event is voided (required),
//! then a confirmation; the record stays, marked, and counts for no rule
//! (`db::corrections::void`, over the version it was read at).

use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{Change, Pending, Popup, PopupOutcome};
use crate::db;
use crate::db::corrections;
use crate::db::visits_list::{self, RecordType};
use crate::domain::Lang;
use crate::domain::dates;
use crate::ui::env::Env;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct VoidForm {
    pub form: Form,
    kind: RecordType,
    id: i64,
    version: i64,
    /// The record in words: `谈话 2026-01-05 张三（001）`.
    what: String,
}

/// The record as the confirmation names it.
fn describe(kind: RecordType, date: chrono::NaiveDate, member: &str, lang: Lang) -> String {
    format!("{} {} {member}", kind.label(lang), dates::fmt(date))
}

impl VoidForm {
    /// The form for record `id`, or the reason it cannot be voided (gone, voided already).
    pub fn open(
        conn: &Connection,
        env: &Env,
        kind: RecordType,
        id: i64,
    ) -> db::Result<Result<Self, String>> {
        let l = env.lang;
        let found = match kind {
            RecordType::Talk => corrections::get_talk(conn, id)?
                .map(|s| (s.record.member_id, s.record.date, s.version, s.void)),
            RecordType::Visit => corrections::get_visit(conn, id)?
                .map(|s| (s.record.member_id, s.record.date, s.version, s.void)),
            RecordType::Event => corrections::get_event(conn, id)?
                .map(|s| (s.record.member_id, s.record.date, s.version, s.void)),
        };
        let Some((member_id, date, version, void)) = found else {
            return Ok(Err(l
                .pick("这条记录已不存在", "this record no longer exists")
                .into()));
        };
        if void.is_some() {
            return Ok(Err(l
                .pick("这条记录已作废", "this record is voided already")
                .into()));
        }
        let member = visits_list::member_hit(conn, member_id)?
            .map(|h| h.label())
            .unwrap_or_default();
        let what = describe(kind, date, &member, l);
        let title = match l {
            Lang::Zh => format!("作废：{what}"),
            Lang::En => format!("Void: {what}"),
        };
        let form = Form::new(title, l)
            .text("reason", l.pick("作废原因", "Reason"), "", true)
            .with_hint(l.pick(
                "必填：为什么作废（如 录错了、重复录入）；记录保留并标记，不再计入任何规则",
                "required: why (entered by mistake, a duplicate); the record stays, marked, and counts no more",
            ));
        Ok(Ok(VoidForm {
            form,
            kind,
            id,
            version,
            what,
        }))
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, env: &Env) -> PopupOutcome {
        // One field: Enter confirms it.
        let ev = match ev.code {
            ratatui::crossterm::event::KeyCode::Enter => {
                &KeyEvent::from(ratatui::crossterm::event::KeyCode::F(9))
            }
            _ => ev,
        };
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.ask(env),
        }
    }

    fn validate(&mut self, env: &Env) {
        self.form.check_builtin();
        let r = self.form.text_of("reason").trim();
        if let Err(p) = crate::domain::safe_text::check_text(r, false, 200) {
            let msg = match env.lang {
                Lang::Zh => p.zh(),
                Lang::En => p.en(),
            };
            self.form.add_error("reason", msg);
        }
    }

    /// A reason is given: confirm before voiding.
    fn ask(&mut self, env: &Env) -> PopupOutcome {
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let l = env.lang;
        let reason = self.form.text_of("reason").trim().to_string();
        let question = match l {
            Lang::Zh => format!(
                "确认作废“{}”吗？原因：{reason}。记录保留并标记〔已作废〕，不再计入任何规则，操作记入日志。",
                self.what
            ),
            Lang::En => format!(
                "Void \"{}\"? Reason: {reason}. The record stays, marked as voided, counts for no rule, and the log keeps it.",
                self.what
            ),
        };
        PopupOutcome::Replace(super::confirm(
            l.pick("确认作废", "Confirm void"),
            question,
            Pending::Void {
                kind: self.kind,
                id: self.id,
                version: self.version,
                reason,
                what: self.what.clone(),
            },
        ))
    }
}

/// Yes to the confirmation: voids the record today.
pub(super) fn void_now(
    conn: &mut Connection,
    env: &Env,
    kind: RecordType,
    id: i64,
    version: i64,
    reason: &str,
    what: &str,
) -> PopupOutcome {
    let l = env.lang;
    match corrections::void(conn, kind, id, version, env.today, reason) {
        Ok(_) => PopupOutcome::Saved {
            change: Change::Record,
            message: match l {
                Lang::Zh => format!("已作废：{what}（{reason}）"),
                Lang::En => format!("Voided: {what} ({reason})"),
            },
        },
        Err(e) => PopupOutcome::Failed(e.message(l)),
    }
}

impl From<VoidForm> for Popup {
    fn from(f: VoidForm) -> Self {
        Popup::VoidForm(Box::new(f))
    }
}
