//! The popup stack: forms, menus, confirmations and the help, each taking
//! the keys while it is on top.

use ratatui::crossterm::event::KeyEvent;

use super::*;

impl App {
    /// Quits, or asks first when a form holds unsaved input.
    pub(super) fn request_quit(&mut self) {
        let unsaved = self.layers.iter().any(|l| match l {
            Layer::MemberForm(f) => f.form.is_changed(),
            Layer::RecordForm(f) => f.form.is_changed(),
            Layer::SettingsForm(f) => f.form.is_changed(),
            _ => false,
        });
        if unsaved {
            if matches!(
                self.layers.last(),
                Some(Layer::Confirm {
                    on_yes: Pending::Quit,
                    ..
                })
            ) {
                // Asked already: a second Ctrl-C or q means it.
                self.quit = true;
                return;
            }
            let l = self.env.lang;
            self.confirm(
                l.pick("退出", "Quit"),
                l.pick(
                    "表单中有未保存的输入。确定退出吗？输入将丢失。",
                    "A form has unsaved input. Quit anyway? The input will be lost.",
                ),
                Pending::Quit,
            );
        } else {
            self.quit = true;
        }
    }

    pub(super) fn handle_layer(&mut self, ev: &KeyEvent) -> bool {
        let lang = self.env.lang;
        if matches!(self.layers.last(), Some(Layer::MemberForm(_))) && self.form_global_key(ev) {
            return true;
        }
        let Some(top) = self.layers.last_mut() else {
            return false;
        };
        match top {
            Layer::RecordForm(_) | Layer::SettingsForm(_) | Layer::NewRecordMenu { .. } => {
                self.handle_record_layer(ev)
            }
            Layer::Help { scroll } => match lookup(HELP_BINDINGS, ev) {
                Some(HelpAction::Close) => {
                    self.layers.pop();
                    true
                }
                Some(HelpAction::Up) => {
                    *scroll = scroll.saturating_sub(1);
                    true
                }
                Some(HelpAction::Down) => {
                    *scroll += 1;
                    true
                }
                None => false,
            },
            Layer::MemberForm(f) => match f.handle_key(ev, &mut self.conn, &self.env) {
                FormOutcome::Nothing => false,
                FormOutcome::Redraw => true,
                FormOutcome::Cancel { changed } => {
                    self.close_form(changed);
                    true
                }
                FormOutcome::Saved(m) => {
                    self.layers.pop();
                    let msg = match lang {
                        Lang::Zh => format!("已保存：{}（{}）", m.name, m.code),
                        Lang::En => format!("Saved: {} ({})", m.name, m.code),
                    };
                    self.status = Some(match self.members.after_save(&self.conn, &self.env, &m) {
                        Ok(()) => Status::ok(msg),
                        Err(e) => Status::error(e.message(lang)),
                    });
                    true
                }
                FormOutcome::Refused(msg) => {
                    self.status = Some(Status::error(msg));
                    true
                }
            },
            Layer::StatusMenu {
                menu,
                member,
                targets,
            } => match menu.handle_key(ev) {
                None => true,
                Some(None) => {
                    self.layers.pop();
                    true
                }
                Some(Some(i)) => {
                    let to = targets[i];
                    let member = member.clone();
                    let what = match to {
                        MemberStatus::Active => lang.pick("恢复在册", "back to active").to_string(),
                        s => s.label(lang).to_string(),
                    };
                    let msg = match lang {
                        Lang::Zh => format!(
                            "确认将 {}（{}）的状态改为“{what}”吗？记录不会删除，以后可以恢复。",
                            member.name, member.code
                        ),
                        Lang::En => format!(
                            "Change the status of {} ({}) to \"{what}\"? Nothing is deleted; it can be undone.",
                            member.name, member.code
                        ),
                    };
                    self.layers.pop();
                    self.confirm(
                        lang.pick("确认更改状态", "Confirm status change"),
                        msg,
                        Pending::SetStatus {
                            member: Box::new(member),
                            to,
                        },
                    );
                    true
                }
            },
            Layer::Confirm { confirm, .. } => match confirm.handle_key(ev) {
                Some(ConfirmAction::No) => {
                    self.layers.pop();
                    true
                }
                Some(ConfirmAction::Yes) => {
                    if let Some(Layer::Confirm { on_yes, .. }) = self.layers.pop() {
                        self.confirmed(on_yes);
                    }
                    true
                }
                None => false,
            },
        }
    }

    /// F1 and F10 hold in a form too (letters are typed): true when `ev` was one.
    pub(super) fn form_global_key(&mut self, ev: &KeyEvent) -> bool {
        if typed_char(ev).is_some() {
            return false;
        }
        match lookup(GLOBAL_BINDINGS, ev) {
            Some(GlobalAction::Help) => self.layers.push(Layer::Help { scroll: 0 }),
            Some(GlobalAction::Quit) => self.request_quit(),
            Some(GlobalAction::SwitchTab) => {}
            None => return false,
        }
        true
    }

    /// Esc in a form: close it, or ask first when it holds input.
    pub(super) fn close_form(&mut self, changed: bool) {
        if !changed {
            self.layers.pop();
            return;
        }
        let lang = self.env.lang;
        self.confirm(
            lang.pick("放弃输入", "Discard input"),
            lang.pick(
                "表单中有未保存的输入。放弃这些输入并关闭表单吗？",
                "The form has unsaved input. Discard it and close the form?",
            ),
            Pending::CloseForm,
        );
    }

    /// Asks `question` above everything; `on_yes` is done when the clerk agrees.
    fn confirm(&mut self, title: &str, question: impl Into<String>, on_yes: Pending) {
        self.layers.push(Layer::Confirm {
            confirm: Confirm::new(title, question),
            on_yes,
        });
    }

    fn confirmed(&mut self, pending: Pending) {
        let lang = self.env.lang;
        match pending {
            Pending::Quit => self.quit = true,
            Pending::CloseForm => {
                self.layers.pop();
            }
            Pending::SetStatus { member, to } => {
                let res = db::members::set_status(&mut self.conn, member.id, member.version, to)
                    .and_then(|_| self.members.after_status(&self.conn, member.id, to));
                self.status = Some(match res {
                    Ok(()) => Status::ok(match lang {
                        Lang::Zh => format!(
                            "{}（{}）的状态已改为“{}”",
                            member.name,
                            member.code,
                            to.label(lang)
                        ),
                        Lang::En => format!(
                            "{} ({}) is now \"{}\"",
                            member.name,
                            member.code,
                            to.label(lang)
                        ),
                    }),
                    Err(e) => Status::error(e.message(lang)),
                });
            }
        }
    }
}
