//! 转出 / 去世: the confirmation of a status change asks for the day (default
//! today, not after today, not before the member joined) and, for a transfer,
//! where the member went; saved with `db::members::set_status_on` over the
//! version the member was read at. Enter on the last field confirms.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use rusqlite::Connection;

use super::{Change, PopupOutcome};
use crate::db;
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::validate;
use crate::domain::vocab::{Coded, MemberStatus};
use crate::ui::env::Env;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct StatusForm {
    pub form: Form,
    member: Member,
    to: MemberStatus,
}

impl StatusForm {
    /// The form for changing `m` to `to` (转出 or 去世).
    pub fn new(m: Member, to: MemberStatus, env: &Env) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("确认{}：{}（{}）", to.label(l), m.name, m.code),
            Lang::En => format!("Confirm {}: {} ({})", to.label(l), m.name, m.code),
        };
        let (date_label, date_hint) = match to {
            MemberStatus::Deceased => (
                l.pick("去世日期", "Died on"),
                l.pick(
                    "不晚于今天，不早于入党日期；记录不会删除。Ctrl-S/F9 确认",
                    "not after today nor before joining; nothing is deleted. Ctrl-S/F9 confirms",
                ),
            ),
            _ => (
                l.pick("转出日期", "Left on"),
                l.pick(
                    "不晚于今天，不早于入党日期；以后可以恢复在册",
                    "not after today nor before joining; it can be undone",
                ),
            ),
        };
        let mut form = Form::new(title, l)
            .date("date", date_label, Some(env.today), true)
            .with_hint(date_hint);
        if to == MemberStatus::TransferredOut {
            form = form
                .text("to", l.pick("去向", "Went to"), "", false)
                .with_hint(l.pick(
                    "转入的党组织或地点；Enter 或 Ctrl-S/F9 确认",
                    "the branch or place; Enter or Ctrl-S/F9 confirms",
                ));
        }
        StatusForm {
            form,
            member: m,
            to,
        }
    }

    pub fn validate(&mut self, env: &Env) {
        self.form.check_builtin();
        if let Ok(Some(d)) = self.form.date_of("date") {
            if let Err(p) = validate::not_future(d, env.today) {
                self.form.add_error("date", p.message(env.lang));
            }
            if d < self.member.joined_on {
                self.form.add_error(
                    "date",
                    match env.lang {
                        Lang::Zh => format!(
                            "早于入党日期 {}",
                            crate::domain::dates::fmt(self.member.joined_on)
                        ),
                        Lang::En => format!(
                            "before joining ({})",
                            crate::domain::dates::fmt(self.member.joined_on)
                        ),
                    },
                );
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let last = self.form.focus() + 1 == self.form.fields().len();
        if ev.code == KeyCode::Enter && last {
            return self.save(conn, env);
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let l = env.lang;
        let m = &self.member;
        let on = self.form.date_of("date").ok().flatten();
        let went = if self.to == MemberStatus::TransferredOut {
            self.form.text_of("to").trim().to_string()
        } else {
            String::new()
        };
        let written =
            db::members::set_status_on(conn, m.id, m.version, self.to, on, &went).map(|_| {
                let when = on.map(crate::domain::dates::fmt).unwrap_or_default();
                let message = match l {
                    Lang::Zh => format!(
                        "{}（{}）的状态已改为“{}”（{when}）",
                        m.name,
                        m.code,
                        self.to.label(l)
                    ),
                    Lang::En => format!(
                        "{} ({}) is now \"{}\" ({when})",
                        m.name,
                        m.code,
                        self.to.label(l)
                    ),
                };
                (
                    Change::MemberStatus {
                        id: m.id,
                        to: self.to,
                    },
                    message,
                )
            });
        super::settle(&mut self.form, written, l)
    }
}
