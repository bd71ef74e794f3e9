//! 设置 — every rule constant of `domain::settings::SETTINGS` as one field of a
//! form; each value is checked against its range as the clerk types, and a
//! save stores them all in one transaction (the app then recomputes).

use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{Change, PopupOutcome};
use crate::db;
use crate::domain::Lang;
use crate::domain::settings::{SETTINGS, Settings};
use crate::ui::env::Env;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct SettingsForm {
    pub form: Form,
}

impl SettingsForm {
    pub fn new(env: &Env) -> Self {
        let l = env.lang;
        let mut form = Form::new(l.pick("设置（规则常数）", "Settings (rule constants)"), l);
        for def in SETTINGS {
            let (lo, hi) = def.range;
            form = form
                .text(
                    def.key,
                    short_label(def.key, l).unwrap_or(def.label(l)),
                    &(def.get)(&env.settings).to_string(),
                    true,
                )
                .with_hint(match l {
                    Lang::Zh => format!("{}：{lo}–{hi} 的整数", def.zh),
                    Lang::En => format!("{}: a whole number {lo}–{hi}", def.en),
                });
        }
        SettingsForm { form }
    }

    /// The settings as typed (values that are not valid keep what is in force).
    fn settings(&self, base: &Settings) -> Settings {
        let mut s = base.clone();
        for def in SETTINGS {
            s.apply(def.key, self.form.text_of(def.key));
        }
        s
    }

    pub fn validate(&mut self, lang: Lang) {
        self.form.check_builtin();
        for def in SETTINGS {
            let v = self.form.text_of(def.key).trim();
            if v.is_empty() {
                continue;
            }
            let (lo, hi) = def.range;
            match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => {}
                Ok(_) => self.form.add_error(
                    def.key,
                    match lang {
                        Lang::Zh => format!("应在 {lo}–{hi} 之间"),
                        Lang::En => format!("must be {lo}–{hi}"),
                    },
                ),
                Err(_) => self
                    .form
                    .add_error(def.key, lang.pick("应为整数", "a whole number")),
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env.lang);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => {
                self.form.begin_submit();
                self.validate(env.lang);
                if !self.form.accept() {
                    return super::refused(&self.form);
                }
                let s = self.settings(&env.settings);
                let message = env.lang.pick(
                    "设置已保存，已按新设置重新计算",
                    "Settings saved; everything recomputed",
                );
                let written = db::settings::save(conn, &s)
                    .map(|()| (Change::Settings(Box::new(s)), message.to_string()));
                super::settle(&mut self.form, written, env.lang)
            }
        }
    }
}

/// Labels that fit the form's label column (14 cells); the full label with
/// its unit is the field's hint.
fn short_label(key: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match key {
        "old_age" => ("老党员年龄", "Old: age"),
        "old_standing" => ("老党员党龄", "Old: standing"),
        "due_soon_days" => ("提前提醒天数", "Due-soon days"),
        "annual_talk_days" => ("年度谈心间隔", "Annual talk"),
        "hardship_visit_days" => ("困难走访间隔", "Hardship visit"),
        "honorary_visit_days" => ("荣誉走访间隔", "Honorary visit"),
        "honorary_health_check_days" => ("荣誉体检间隔", "Health check"),
        "mobile_contact_days" => ("流动联系间隔", "Mobile contact"),
        "event_talk_days" => ("必谈期限", "Must-talk days"),
        "event_visit_days" => ("必访期限", "Must-visit"),
        "hardship_review_days" => ("台账年审间隔", "Case review"),
        "publicity_min_days" => ("公示最少天数", "Publicity days"),
        "subsidy_monthly_fen" => ("月补贴(分)", "Subsidy fen/mo"),
        "subsidy_no_income_standing" => ("无收入补贴党龄", "No-income yrs"),
        "subsidy_low_income_age" => ("低保补贴年龄", "Low-inc. age"),
        "subsidy_low_income_standing" => ("低保补贴党龄", "Low-inc. yrs"),
        "bonus_base_fen" => ("奖励基数(分)", "Bonus base fen"),
        "bonus_excellent_pct" => ("优秀比例(%)", "Excellent %"),
        "bonus_good_pct" => ("良好比例(%)", "Good %"),
        "bonus_pass_pct" => ("合格比例(%)", "Pass %"),
        "bonus_fail_pct" => ("不合格比例(%)", "Fail %"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}
