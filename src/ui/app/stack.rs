//! The popup stack: the top popup takes the keys, and what it answers
//! ([`PopupOutcome`]) is done here the same way for every popup.

use ratatui::crossterm::event::KeyEvent;

use super::*;
use crate::ui::popups::member_form::MemberForm;
use crate::ui::popups::record_forms::RecordForm;
use crate::ui::popups::settings::SettingsForm;
use crate::ui::popups::{Change, Pending, PopupOutcome};

/// Keys that hold inside a form too, where letters and digits are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupGlobal {
    Help,
    Quit,
}

/// F1 and F10 (and Ctrl-C) above every popup but the help, and while the
/// clerk types into a screen's field.
pub const POPUP_GLOBAL_BINDINGS: &[Binding<PopupGlobal>] = &[
    Binding {
        action: PopupGlobal::Help,
        keys: &[Key::f(1)],
        zh: "帮助",
        en: "Help",
        hint: true,
    },
    Binding {
        action: PopupGlobal::Quit,
        keys: &[Key::f(10), Key::ctrl('c')],
        zh: "退出",
        en: "Quit",
        hint: true,
    },
];

impl App {
    /// Quits, or asks first when a form holds unsaved input.
    pub(super) fn request_quit(&mut self) {
        if !self.popups.iter().any(Popup::is_changed)
            && !self.screens.iter().any(|(_, s)| s.unsaved())
        {
            self.quit = true;
            return;
        }
        if matches!(
            self.popups.last(),
            Some(Popup::Confirm {
                on_yes: Pending::Quit,
                ..
            })
        ) {
            // Asked already: a second Ctrl-C or F10 means it.
            self.quit = true;
            return;
        }
        let l = self.env.lang;
        self.popups.push(popups::confirm(
            l.pick("退出", "Quit"),
            l.pick(
                "表单中有未保存的输入。确定退出吗？输入将丢失。",
                "A form has unsaved input. Quit anyway? The input will be lost.",
            ),
            Pending::Quit,
        ));
    }

    pub(super) fn handle_popup(&mut self, ev: &KeyEvent) -> bool {
        let lang = self.env.lang;
        let Some(top) = self.popups.last_mut() else {
            return false;
        };
        if !matches!(top, Popup::Help { .. })
            && typed_char(ev).is_none()
            && let Some(a) = lookup(POPUP_GLOBAL_BINDINGS, ev)
        {
            match a {
                PopupGlobal::Help => self.open(Request::Help),
                PopupGlobal::Quit => self.request_quit(),
            }
            return true;
        }
        match top.handle_key(ev, &mut self.conn, &self.env) {
            PopupOutcome::Nothing => false,
            PopupOutcome::Redraw => true,
            PopupOutcome::Close => {
                self.popups.pop();
                true
            }
            PopupOutcome::Cancel { changed } => {
                self.close_form(changed);
                true
            }
            PopupOutcome::Replace(p) => {
                self.popups.pop();
                self.popups.push(p);
                true
            }
            PopupOutcome::Saved { change, message } => {
                self.popups.pop();
                if let Change::Settings(s) = &change {
                    self.env.settings = (**s).clone();
                }
                self.status = Some(match self.tell_screens(&change) {
                    Ok(()) => Status::ok(message),
                    Err(e) => Status::error(e.message(lang)),
                });
                true
            }
            PopupOutcome::Refused(msg) => {
                self.status = Some(Status::error(msg));
                true
            }
            PopupOutcome::Failed(msg) => {
                self.popups.pop();
                self.status = Some(Status::error(msg));
                true
            }
            PopupOutcome::Done(msg) => {
                self.popups.pop();
                self.status = Some(Status::ok(msg));
                true
            }
            PopupOutcome::Quit => {
                self.quit = true;
                true
            }
            PopupOutcome::Discard => {
                self.popups.pop();
                self.popups.pop();
                true
            }
            PopupOutcome::LeaveScreen => {
                self.popups.pop();
                let tab = self.tab;
                let outcome = match self.screens.iter_mut().find(|(t, _)| *t == tab) {
                    Some((_, s)) => s.leave(&mut self.conn, &self.env),
                    None => Outcome::Nothing,
                };
                self.apply(outcome);
                true
            }
        }
    }

    /// Every screen recomputes what `change` affects (a discharged row disappears).
    fn tell_screens(&mut self, change: &Change) -> db::Result<()> {
        for (_, s) in &mut self.screens {
            s.changed(&self.conn, &self.env, change)?;
        }
        Ok(())
    }

    /// Esc in a form: close it, or ask first when it holds input.
    fn close_form(&mut self, changed: bool) {
        if !changed {
            self.popups.pop();
            return;
        }
        let lang = self.env.lang;
        self.popups.push(popups::confirm(
            lang.pick("放弃输入", "Discard input"),
            lang.pick(
                "表单中有未保存的输入。放弃这些输入并关闭表单吗？",
                "The form has unsaved input. Discard it and close the form?",
            ),
            Pending::CloseForm,
        ));
    }

    /// The member form on the stack, if one is open.
    pub fn member_form(&self) -> Option<&MemberForm> {
        self.popups.iter().rev().find_map(|p| match p {
            Popup::MemberForm(f) => Some(f.as_ref()),
            _ => None,
        })
    }

    /// The record form on top of the stack, if one is open.
    pub fn record_form(&self) -> Option<&RecordForm> {
        match self.popups.last() {
            Some(Popup::RecordForm(f)) => Some(f),
            _ => None,
        }
    }

    /// The settings form on top of the stack, if one is open.
    pub fn settings_form(&self) -> Option<&SettingsForm> {
        match self.popups.last() {
            Some(Popup::SettingsForm(f)) => Some(f),
            _ => None,
        }
    }
}
