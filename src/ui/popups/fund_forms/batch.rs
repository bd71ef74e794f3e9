//! The forms of the two batches that are previewed before they are written: 生活补贴
//! (the month and the date, then the members to pay, the total and the
//! balance; a second run for a month pays only those missing; refused as a
//! whole when the balance is short) and 定时审计 (the period, proposed from
//! the day after the last audit to the end of last month, and the auditor,
//! then the report; confirming locks the period).

use chrono::{Datelike, NaiveDate};
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{FundForm, Preview, check_text, show};
use crate::db;
use crate::domain::Lang;
use crate::domain::fund::{month_of, parse_month};
use crate::domain::money::format_money;
use crate::ui::env::Env;
use crate::ui::popups::{Popup, PopupOutcome};
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct SubsidyForm {
    pub form: Form,
}

impl SubsidyForm {
    pub fn new(env: &Env) -> Self {
        let l = env.lang;
        let per = format_money(env.settings.subsidy_monthly_fen);
        let form = Form::new(
            l.pick("生活补贴：按月发放", "Living subsidies: a month's batch"),
            l,
        )
        .text(
            "month",
            l.pick("补贴月份", "Month"),
            &month_of(env.today),
            true,
        )
        .with_hint(match l {
            Lang::Zh => format!("写作 2026-11；每人每月 {per}；同一月份不会重复发放"),
            Lang::En => format!("write 2026-11; {per} a member a month; never twice a month"),
        })
        .date("date", l.pick("发放日期", "Paid on"), Some(env.today), true)
        .text("handled", l.pick("经手人", "Handled by"), "", true)
        .text("approved", l.pick("审批人", "Approved by"), "", true)
        .with_hint(l.pick(
            "保存后先显示名单、合计和余额，确认后才发放",
            "saving shows the list, the total and the balance first",
        ));
        let mut f = SubsidyForm { form };
        f.validate(env);
        f
    }

    fn validate(&mut self, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        check_text(&mut self.form, "handled", 40, l);
        check_text(&mut self.form, "approved", 40, l);
        let m = self.form.text_of("month").trim().to_string();
        if !m.is_empty() && parse_month(&m).is_none() {
            self.form.add_error(
                "month",
                l.pick("不是月份，请写作 2026-11", "not a month: write 2026-11"),
            );
        }
        if let Ok(Some(d)) = self.form.date_of("date")
            && d > env.today
        {
            self.form
                .add_error("date", l.pick("不能晚于今天", "cannot be after today"));
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
            FormEvent::Save => {
                self.form.begin_submit();
                self.validate(env);
                if !self.form.accept() {
                    return super::super::refused(&self.form);
                }
                let month = self.form.text_of("month").trim().to_string();
                let month = parse_month(&month).map(month_of).unwrap_or(month);
                let date = self
                    .form
                    .date_of("date")
                    .ok()
                    .flatten()
                    .unwrap_or(env.today);
                let text = |k: &str| self.form.text_of(k).trim().to_string();
                match Preview::subsidy(conn, env, &month, date, text("handled"), text("approved")) {
                    Ok(p) => PopupOutcome::Replace(Popup::Fund(Box::new(FundForm::Preview(p)))),
                    Err(e) => super::super::settle(&mut self.form, Err(e), env.lang),
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuditForm {
    pub form: Form,
}

impl AuditForm {
    pub fn new(conn: &Connection, env: &Env) -> db::Result<Self> {
        let l = env.lang;
        let month1 = env.today.with_day(1).unwrap_or(env.today);
        let to = month1.pred_opt().unwrap_or(env.today);
        let from = db::fund::next_audit_from(conn)?
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
        let form = Form::new(l.pick("定时审计：结账一个期间", "Audit: close a period"), l)
            .date("from", l.pick("起始日期", "From"), Some(from), true)
            .with_hint(l.pick(
                "接上一次审计的次日；结账后该期间锁定，不能再记账",
                "the day after the last audit; the period is then locked",
            ))
            .date("to", l.pick("截止日期", "To"), Some(to), true)
            .text("auditor", l.pick("审计人", "Auditor"), "", true)
            .text("note", l.pick("说明", "Note"), "", false)
            .with_hint(l.pick(
                "保存后先显示审计报告，确认后才结账",
                "saving shows the report first; confirming closes the period",
            ));
        let mut f = AuditForm { form };
        f.validate(conn, env);
        Ok(f)
    }

    fn validate(&mut self, conn: &Connection, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        check_text(&mut self.form, "auditor", 40, l);
        check_text(&mut self.form, "note", 200, l);
        if let (Ok(Some(from)), Ok(Some(to))) = (self.form.date_of("from"), self.form.date_of("to"))
        {
            match db::fund::audit_preview(conn, from, to, env.today) {
                Ok(Err(e)) => show(&mut self.form, &e, l),
                Ok(Ok(_)) => {}
                Err(e) => self.form.message = Some(e.message(l)),
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(conn, env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::super::cancel(&self.form),
            FormEvent::Save => {
                self.form.begin_submit();
                self.validate(conn, env);
                if self.form.message.is_some() && !self.form.has_errors() {
                    return super::super::refused(&self.form);
                }
                if !self.form.accept() {
                    return super::super::refused(&self.form);
                }
                let from = self
                    .form
                    .date_of("from")
                    .ok()
                    .flatten()
                    .unwrap_or(env.today);
                let to = self.form.date_of("to").ok().flatten().unwrap_or(env.today);
                let auditor = self.form.text_of("auditor").trim().to_string();
                let note = self.form.text_of("note").trim().to_string();
                match Preview::audit(conn, env, from, to, auditor, note) {
                    Ok(Ok(p)) => PopupOutcome::Replace(Popup::Fund(Box::new(FundForm::Preview(p)))),
                    Ok(Err(e)) => {
                        show(&mut self.form, &e, env.lang);
                        PopupOutcome::Refused(e.message(env.lang).to_string())
                    }
                    Err(e) => super::super::settle(&mut self.form, Err(e), env.lang),
                }
            }
        }
    }
}
