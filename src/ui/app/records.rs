//! The popups of the care work — talk, visit, event and campaign forms, the
//! settings form and the new-record menu. After a save every list that the
//! record or setting affects is recomputed, so a discharged row disappears.

use ratatui::crossterm::event::KeyEvent;

use super::*;
use crate::ui::screens::record_forms::RecordOutcome;
use crate::ui::screens::settings::SettingsOutcome;

impl App {
    pub(super) fn handle_record_layer(&mut self, ev: &KeyEvent) -> bool {
        let lang = self.env.lang;
        let in_form = matches!(
            self.layers.last(),
            Some(Layer::RecordForm(_) | Layer::SettingsForm(_))
        );
        if in_form && self.form_global_key(ev) {
            return true;
        }
        match self.layers.last_mut() {
            Some(Layer::RecordForm(f)) => match f.handle_key(ev, &mut self.conn, &self.env) {
                RecordOutcome::Nothing => false,
                RecordOutcome::Redraw => true,
                RecordOutcome::Cancel { changed } => {
                    self.close_form(changed);
                    true
                }
                RecordOutcome::Saved(msg) => {
                    self.layers.pop();
                    self.status = Some(match self.refresh_after_save() {
                        Ok(()) => Status::ok(msg),
                        Err(e) => Status::error(e.message(lang)),
                    });
                    true
                }
                RecordOutcome::Refused(msg) => {
                    self.status = Some(Status::error(msg));
                    true
                }
            },
            Some(Layer::SettingsForm(f)) => match f.handle_key(ev, &mut self.conn, &self.env) {
                SettingsOutcome::Nothing => false,
                SettingsOutcome::Redraw => true,
                SettingsOutcome::Cancel { changed } => {
                    self.close_form(changed);
                    true
                }
                SettingsOutcome::Saved(s) => {
                    self.layers.pop();
                    self.env.settings = s;
                    let res = self
                        .refresh_after_save()
                        .and_then(|_| self.members.reload(&self.conn, &self.env));
                    self.status = Some(match res {
                        Ok(()) => Status::ok(lang.pick(
                            "设置已保存，已按新设置重新计算",
                            "Settings saved; everything recomputed",
                        )),
                        Err(e) => Status::error(e.message(lang)),
                    });
                    true
                }
                SettingsOutcome::Refused(msg) => {
                    self.status = Some(Status::error(msg));
                    true
                }
            },
            Some(Layer::NewRecordMenu { menu, member }) => match menu.handle_key(ev) {
                None => true,
                Some(None) => {
                    self.layers.pop();
                    true
                }
                Some(Some(i)) => {
                    let member = member.clone();
                    self.layers.pop();
                    let env = &self.env;
                    let form = match i {
                        0 => RecordForm::talk(env, member, ""),
                        1 => RecordForm::visit(
                            env,
                            member,
                            crate::domain::vocab::VisitKind::Home,
                            "",
                        ),
                        2 => RecordForm::event(env, member),
                        _ => RecordForm::campaign(env),
                    };
                    self.layers.push(Layer::RecordForm(Box::new(form)));
                    true
                }
            },
            _ => false,
        }
    }

    /// Recomputes the Overview, the talks & visits lists and an open member
    /// detail after a record or a setting was saved.
    pub(super) fn refresh_after_save(&mut self) -> db::Result<()> {
        self.overview.refresh(&self.conn, &self.env)?;
        self.visits.refresh(&self.conn, &self.env)?;
        self.members.refresh_care(&self.conn, &self.env)
    }

    /// The record form on top of the stack, if one is open.
    pub fn record_form(&self) -> Option<&RecordForm> {
        match self.layers.last() {
            Some(Layer::RecordForm(f)) => Some(f),
            _ => None,
        }
    }

    /// The settings form on top of the stack, if one is open.
    pub fn settings_form(&self) -> Option<&SettingsForm> {
        match self.layers.last() {
            Some(Layer::SettingsForm(f)) => Some(f),
            _ => None,
        }
    }
}
