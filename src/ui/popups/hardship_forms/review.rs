//! 年审: the annual review of a live case — its date (default today), the
//! outcome (继续帮扶 moves the next review a year on; 已脱困 also records the
//! 已脱困 step) and a note. The form says when the review was due.

use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{case_label, check_text};
use crate::db;
use crate::db::hardship::CaseRow;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::hardship::{self, ReviewOutcome};
use crate::ui::env::Env;
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};

const OUTCOMES: [ReviewOutcome; 2] = [ReviewOutcome::Continue, ReviewOutcome::Resolved];

#[derive(Debug, Clone)]
pub struct ReviewForm {
    pub form: Form,
    case: CaseRow,
}

/// `应于 2026-03-01 年审（已逾期 12 天）`, or when it is not yet due.
pub fn due_text(due: chrono::NaiveDate, today: chrono::NaiveDate, lang: Lang) -> String {
    let late = (today - due).num_days();
    match (lang, late > 0) {
        (Lang::Zh, true) => format!("应于 {} 年审（已逾期 {late} 天）", dates::fmt(due)),
        (Lang::Zh, false) => format!("应于 {} 年审", dates::fmt(due)),
        (Lang::En, true) => format!("due on {} ({late} days late)", dates::fmt(due)),
        (Lang::En, false) => format!("due on {}", dates::fmt(due)),
    }
}

impl ReviewForm {
    pub fn new(case: CaseRow, env: &Env) -> Self {
        let l = env.lang;
        let due = case.review_due(env.settings.hardship_review_days);
        let when = due.map(|d| format!(" · {}", due_text(d, env.today, l)));
        let title = match l {
            Lang::Zh => format!("年审：{}", case_label(&case, l)),
            Lang::En => format!("Annual review: {}", case_label(&case, l)),
        } + &when.unwrap_or_default();
        let date_hint = match due {
            Some(d) => format!(
                "{}{}",
                due_text(d, env.today, l),
                l.pick("；不晚于今天", "; not after today")
            ),
            None => l.pick("不晚于今天", "not after today").into(),
        };
        let options = OUTCOMES
            .iter()
            .map(|o| {
                ChoiceOption::new(
                    o.label(l),
                    if *o == ReviewOutcome::Continue {
                        "jc"
                    } else {
                        "ytr"
                    },
                )
            })
            .collect();
        let form = Form::new(title, l)
            .date(
                "date",
                l.pick("年审日期", "Reviewed on"),
                Some(env.today),
                true,
            )
            .with_hint(date_hint)
            .choice("outcome", l.pick("年审结果", "Outcome"), options, 0)
            .with_hint(l.pick(
                "继续帮扶：一年后再审；已脱困：同时登记已脱困",
                "continue: reviewed again in a year; resolved: also records that step",
            ))
            .text("note", l.pick("情况说明", "Note"), "", false);
        let mut f = ReviewForm { form, case };
        f.validate(env);
        f
    }

    /// When the review is due (the form's hint says it too).
    pub fn due(&self, env: &Env) -> Option<chrono::NaiveDate> {
        self.case.review_due(env.settings.hardship_review_days)
    }

    pub fn validate(&mut self, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        check_text(&mut self.form, "note", 200, l);
        let Ok(Some(date)) = self.form.date_of("date") else {
            return;
        };
        let outcome = OUTCOMES[self.form.choice_of("outcome")];
        let c = &self.case;
        if let Err(e) = hardship::check_review(
            c.state,
            c.approved_on,
            c.last_review,
            date,
            outcome,
            env.today,
        ) {
            let msg = e.message(l).to_string();
            if e.field.is_empty() {
                self.form.message = Some(msg);
            } else {
                self.form.add_error(e.field, msg);
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let date = self
            .form
            .date_of("date")
            .ok()
            .flatten()
            .unwrap_or(env.today);
        let outcome = OUTCOMES[self.form.choice_of("outcome")];
        let note = self.form.text_of("note").trim().to_string();
        let written =
            db::hardship::record_review(conn, self.case.id, date, outcome, &note, env.today).map(
                |_| {
                    let next = date + chrono::Duration::days(env.settings.hardship_review_days);
                    let msg = match (l, outcome) {
                        (Lang::Zh, ReviewOutcome::Continue) => format!(
                            "已登记年审：{}；下次年审 {}",
                            case_label(&self.case, l),
                            dates::fmt(next)
                        ),
                        (Lang::En, ReviewOutcome::Continue) => format!(
                            "Reviewed: {}; next review {}",
                            case_label(&self.case, l),
                            dates::fmt(next)
                        ),
                        (Lang::Zh, ReviewOutcome::Resolved) => {
                            format!("已登记年审：{}，已脱困", case_label(&self.case, l))
                        }
                        (Lang::En, ReviewOutcome::Resolved) => {
                            format!("Reviewed: {}, resolved", case_label(&self.case, l))
                        }
                    };
                    (Change::Record, msg)
                },
            );
        super::super::settle(&mut self.form, written, l)
    }
}
