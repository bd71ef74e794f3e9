//! One step of a case's workflow, in its own small form: 民主评议 with the
//! votes, 公示 with its window, 逐级申报 with to whom, 驳回 and 终止 with the
//! reason, the others with their date; every one with a note. The rules are
//! `domain::hardship::check_step`'s, shown beside the field they name; the
//! database checks again when it records the step.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{case_label, check_text};
use crate::db;
use crate::db::hardship::CaseRow;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::hardship::{self, Step, StepData, StepRequest, Votes};
use crate::domain::vocab::{CaseState, Coded};
use crate::ui::env::Env;
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::widgets::form::{Form, FormEvent};

const VOTE_KEYS: [&str; 3] = ["votes_for", "votes_against", "votes_abstain"];

#[derive(Debug, Clone)]
pub struct StepForm {
    pub form: Form,
    case: CaseRow,
    history: Vec<Step>,
    pub to: CaseState,
}

/// A count of votes: a whole number, 0 or more (full-width digits too).
fn count(s: &str) -> Option<i64> {
    let s: String = s.trim().chars().map(dates::halfwidth).collect();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 6 {
        return None;
    }
    s.parse().ok()
}

impl StepForm {
    /// The form of step `to` for `case` (whose steps are `history`, oldest first).
    pub fn new(case: CaseRow, history: Vec<Step>, to: CaseState, env: &Env) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("登记「{}」：{}", to.zh(), case_label(&case, l)),
            Lang::En => format!("{}: {}", to.en(), case_label(&case, l)),
        };
        let last = history.last().map(|s| s.date);
        let date_hint = match (l, last) {
            (Lang::Zh, Some(d)) => format!("不晚于今天，不早于上一步（{}）", dates::fmt(d)),
            (Lang::En, Some(d)) => format!(
                "not after today nor before the last step ({})",
                dates::fmt(d)
            ),
            (Lang::Zh, None) => "不晚于今天".into(),
            (Lang::En, None) => "not after today".into(),
        };
        let date_label = match to {
            CaseState::Publicized => l.pick("公示开始", "Notice from"),
            _ => l.pick("日期", "Date"),
        };
        let mut form = Form::new(title, l)
            .date("date", date_label, Some(env.today), true)
            .with_hint(date_hint);
        let votes = |form: Form, required: bool| {
            let hint = l.pick(
                "赞成票须超过投票总数（含弃权）的半数，否则评议未通过；空为 0",
                "for must be more than half of all votes (abstentions count); empty is 0",
            );
            form.text(VOTE_KEYS[0], l.pick("赞成票", "For"), "", required)
                .with_hint(hint)
                .text(VOTE_KEYS[1], l.pick("反对票", "Against"), "", false)
                .with_hint(hint)
                .text(VOTE_KEYS[2], l.pick("弃权票", "Abstaining"), "", false)
                .with_hint(hint)
        };
        match to {
            CaseState::Reviewed => form = votes(form, true),
            CaseState::Publicized => {
                let min = env.settings.publicity_min_days;
                let end = hardship::notice_min_end(env.today, min);
                form = form
                    .date(
                        "public_to",
                        l.pick("公示结束", "Notice until"),
                        Some(end),
                        true,
                    )
                    .with_hint(match l {
                        Lang::Zh => format!("公示不少于 {min} 天（含首尾两天）"),
                        Lang::En => format!("a notice runs {min} days at least, both ends counted"),
                    });
            }
            CaseState::Submitted => {
                form = form
                    .text("to", l.pick("报送单位", "Submitted to"), "", true)
                    .with_hint(l.pick(
                        "如：街道党工委；公示期结束后才能申报",
                        "e.g. the sub-district Party committee; after the notice ends",
                    ));
            }
            CaseState::Rejected => {
                form = form
                    .text("reason", l.pick("驳回原因", "Reason"), "", true)
                    .with_hint(l.pick(
                        "如：民主评议未通过、公示期间有异议",
                        "e.g. the vote failed, an objection to the notice",
                    ));
                if case.state == CaseState::Applied {
                    form = votes(form, false);
                }
            }
            CaseState::Closed => {
                form = form
                    .text("reason", l.pick("终止原因", "Reason"), "", true)
                    .with_hint(l.pick(
                        "如：迁出本支部、本人申请退出",
                        "e.g. moved away, withdrawn by the member",
                    ));
            }
            _ => {}
        }
        form = form.text("note", l.pick("备注", "Note"), "", false);
        if to == CaseState::Reviewed {
            form.set_focus(VOTE_KEYS[0]);
        }
        let mut f = StepForm {
            form,
            case,
            history,
            to,
        };
        f.validate(env);
        f
    }

    fn has(&self, key: &str) -> bool {
        self.form.fields().iter().any(|f| f.key == key)
    }

    /// The votes typed: `Ok(None)` when none (optional on a 驳回), `Err` when
    /// one is not a count (its error is set).
    fn votes(&mut self, lang: Lang) -> Result<Option<Votes>, ()> {
        if !self.has(VOTE_KEYS[0]) {
            return Ok(None);
        }
        let typed: Vec<String> = VOTE_KEYS
            .iter()
            .map(|k| self.form.text_of(k).trim().to_string())
            .collect();
        if typed.iter().all(String::is_empty) {
            return Ok(None);
        }
        let mut n = [0i64; 3];
        let mut ok = true;
        for (i, t) in typed.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            match count(t) {
                Some(v) => n[i] = v,
                None => {
                    ok = false;
                    self.form.add_error(
                        VOTE_KEYS[i],
                        lang.pick("应为票数（整数）", "a number of votes"),
                    );
                }
            }
        }
        if !ok {
            return Err(());
        }
        Ok(Some(Votes {
            for_: n[0],
            against: n[1],
            abstain: n[2],
        }))
    }

    /// The step as typed, when every field it needs reads. `stand_in`: an
    /// empty text (to whom, the reason) reads as `-`, so that the rules of
    /// the other fields are checked while it waits to be filled.
    fn request(&mut self, lang: Lang, stand_in: bool) -> Option<StepRequest> {
        let date: NaiveDate = self.form.date_of("date").ok().flatten()?;
        let text = |f: &Form, k: &str| match f.text_of(k).trim() {
            "" if stand_in && k != "note" => "-".to_string(),
            t => t.to_string(),
        };
        let votes = self.votes(lang).ok()?;
        let data = match self.to {
            CaseState::Reviewed => {
                // The count for is needed before the rule is checked.
                if self.form.text_of(VOTE_KEYS[0]).trim().is_empty() {
                    return None;
                }
                StepData::Review(votes?)
            }
            CaseState::Publicized => StepData::Publicize {
                from: date,
                to: self.form.date_of("public_to").ok().flatten()?,
            },
            CaseState::Submitted => StepData::Submit {
                to: text(&self.form, "to"),
            },
            CaseState::Approved => StepData::Approve,
            CaseState::Rejected => StepData::Reject {
                reason: text(&self.form, "reason"),
                votes,
            },
            CaseState::Active => StepData::Activate,
            CaseState::Resolved => StepData::Resolve,
            CaseState::Closed => StepData::Close {
                reason: text(&self.form, "reason"),
            },
            CaseState::Applied => return None,
        };
        Some(StepRequest {
            date,
            note: text(&self.form, "note"),
            data,
        })
    }

    /// Sets every field's error from what is typed now: the workflow's rule
    /// beside the field it names (an empty required field says so itself).
    pub fn validate(&mut self, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        for k in ["to", "reason", "note"] {
            if self.has(k) {
                check_text(&mut self.form, k, 200, l);
            }
        }
        let Some(req) = self.request(l, true) else {
            return;
        };
        if let Err(e) = hardship::check_step(
            self.case.state,
            &self.history,
            &req,
            env.settings.publicity_min_days,
            env.today,
        ) {
            let msg = e.message(l).to_string();
            if e.field.is_empty() || !self.has(e.field) {
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
        if let Some(m) = self.form.message.clone()
            && !self.form.has_errors()
        {
            return PopupOutcome::Refused(m);
        }
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let Some(req) = self.request(l, false) else {
            return super::super::refused(&self.form);
        };
        let written = db::hardship::record_step(
            conn,
            self.case.id,
            self.case.version,
            &req,
            env.settings.publicity_min_days,
            env.today,
        )
        .map(|_| {
            let msg = match l {
                Lang::Zh => format!("已登记「{}」：{}", self.to.zh(), case_label(&self.case, l)),
                Lang::En => format!("{}: {}", self.to.en(), case_label(&self.case, l)),
            };
            (Change::Record, msg)
        });
        super::super::settle(&mut self.form, written, l)
    }
}
