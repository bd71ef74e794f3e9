//! 无息借款: a loan to a member — the member (picked by pinyin), the date,
//! the principal in yuan (a payment: the balance on its date and every later
//! day must hold it), the schedule (first instalment, how many, every how
//! many months), voucher, who handled and approved it, a note. Writing it
//! records the `loan` payment and the schedule in one transaction.

use chrono::{Datelike, Months};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{amount_of, check_text, show};
use crate::db;
use crate::db::fund::{NewEntry, NewLoan};
use crate::domain::Lang;
use crate::domain::fund::{Entry, schedule};
use crate::domain::money::format_money;
use crate::domain::vocab::Direction;
use crate::ui::env::Env;
use crate::ui::popups::hardship_forms::MemberPicker;
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct LoanForm {
    pub form: Form,
    picker: MemberPicker,
    entries: Vec<Entry>,
    /// The voucher proposed when the form opened.
    proposed: String,
}

fn count_of(form: &mut Form, key: &str, max: u32, lang: Lang) -> Option<u32> {
    match form.text_of(key).trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            form.add_error(
                key,
                match lang {
                    Lang::Zh => format!("请填 1 至 {max} 的整数"),
                    Lang::En => format!("a whole number from 1 to {max}"),
                },
            );
            None
        }
    }
}

impl LoanForm {
    pub fn new(conn: &Connection, env: &Env) -> db::Result<Self> {
        let l = env.lang;
        let voucher = db::fund::propose_voucher(conn, env.today.year())?;
        let entries = db::fund::day_totals(conn)?;
        let balance = crate::domain::fund::balance(&entries);
        let first = env.today.checked_add_months(Months::new(1));
        let form = Form::new(l.pick("登记无息借款", "New interest-free loan"), l)
            .text("member", l.pick("借款党员", "Member"), "", true)
            .with_hint(l.pick("编号、姓名、拼音或首字母", "code, name, pinyin or initials"))
            .date("date", l.pick("借款日期", "Lent on"), Some(env.today), true)
            .text("amount", l.pick("本金（元）", "Principal (yuan)"), "", true)
            .with_hint(match l {
                Lang::Zh => format!("现有余额 {}", format_money(balance)),
                Lang::En => format!("the balance is {}", format_money(balance)),
            })
            .date("first_due", l.pick("首期还款日", "First due"), first, true)
            .text("instalments", l.pick("分期数", "Instalments"), "10", true)
            .text("every", l.pick("每隔几个月", "Every n months"), "1", true)
            .text("voucher", l.pick("凭证号", "Voucher"), &voucher, false)
            .text("handled", l.pick("经手人", "Handled by"), "", true)
            .text("approved", l.pick("审批人", "Approved by"), "", true)
            .text("note", l.pick("备注", "Note"), "", false);
        let mut f = LoanForm {
            form,
            picker: MemberPicker::new("member"),
            entries,
            proposed: voucher,
        };
        f.validate(conn, env);
        Ok(f)
    }

    pub fn is_changed(&self) -> bool {
        self.form.is_changed()
    }

    fn loan(&mut self, env: &Env) -> Option<NewLoan> {
        let l = env.lang;
        let amount = amount_of(&mut self.form, "amount", l);
        let n = count_of(&mut self.form, "instalments", 120, l);
        let every = count_of(&mut self.form, "every", 24, l);
        let date = self.form.date_of("date").ok().flatten()?;
        let first_due = self.form.date_of("first_due").ok().flatten()?;
        if first_due <= date {
            self.form.add_error(
                "first_due",
                l.pick("须晚于借款日期", "after the day it is lent"),
            );
            return None;
        }
        let text = |k: &str| self.form.text_of(k).trim().to_string();
        Some(NewLoan {
            member_id: self.picker.member.as_ref()?.id,
            case_id: None,
            principal_fen: amount?,
            date,
            first_due,
            instalments: n?,
            every_months: every?,
            voucher_no: super::typed_voucher(&text("voucher"), &self.proposed),
            handled_by: text("handled"),
            approved_by: text("approved"),
            note: text("note"),
        })
    }

    fn validate(&mut self, conn: &Connection, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        self.picker.check(&mut self.form, l);
        for (k, max) in [
            ("voucher", 20),
            ("handled", 40),
            ("approved", 40),
            ("note", 200),
        ] {
            check_text(&mut self.form, k, max, l);
        }
        let Some(loan) = self.loan(env) else {
            return;
        };
        let e = NewEntry {
            date: loan.date,
            direction: Direction::Out,
            category: "loan".into(),
            amount_fen: loan.principal_fen,
            member_id: Some(loan.member_id),
            voucher_no: loan.voucher_no.clone(),
            handled_by: loan.handled_by.clone(),
            approved_by: loan.approved_by.clone(),
            ..NewEntry::default()
        };
        match db::fund::check_new(conn, &e, &self.entries, env.today) {
            Ok(Err(err)) => show(&mut self.form, &err, l),
            Ok(Ok(())) => {
                let s = schedule(
                    loan.principal_fen,
                    loan.first_due,
                    loan.instalments,
                    loan.every_months,
                );
                if let (Some(a), Some(b)) = (s.first(), s.last()) {
                    let hint = match l {
                        Lang::Zh => format!(
                            "共 {} 期，每期 {}，末期 {}",
                            s.len(),
                            format_money(a.amount_fen),
                            b.due
                        ),
                        Lang::En => format!(
                            "{} instalments of {}, the last on {}",
                            s.len(),
                            format_money(a.amount_fen),
                            b.due
                        ),
                    };
                    self.form.message = Some(hint);
                }
            }
            Err(err) => self.form.message = Some(err.message(l)),
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        if self.picker.handle_key(ev, &mut self.form) {
            self.validate(conn, env);
            return PopupOutcome::Redraw;
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                if self.form.focused_key() == "member"
                    && let Err(e) = self.picker.changed(conn, &self.form)
                {
                    return PopupOutcome::Refused(e.message(env.lang));
                }
                self.validate(conn, env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        match db::fund::day_totals(conn) {
            Ok(all) => self.entries = all,
            Err(e) => return PopupOutcome::Failed(e.message(l)),
        }
        self.form.begin_submit();
        self.form.message = None;
        self.validate(conn, env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let Some(loan) = self.loan(env) else {
            return super::super::refused(&self.form);
        };
        let name = self
            .picker
            .member
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let written = db::fund::open_loan(conn, &loan, env.today).map(|(_, e)| {
            let msg = match l {
                Lang::Zh => format!(
                    "已登记借款：{name} {}，凭证 {}，分 {} 期归还",
                    format_money(e.amount_fen),
                    e.voucher_no,
                    loan.instalments
                ),
                Lang::En => format!(
                    "Lent {} to {name}, voucher {}, {} instalments",
                    format_money(e.amount_fen),
                    e.voucher_no,
                    loan.instalments
                ),
            };
            (Change::Record, msg)
        });
        super::super::settle(&mut self.form, written, l)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        self.picker.render(frame, area, &self.form, theme);
    }
}
