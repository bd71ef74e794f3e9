//! 冲销: a saved entry is never edited; a mistake is answered by a reversal
//! entry that points at it, once. The form asks the date (default today),
//! the voucher (proposed) and the reason, then a confirmation names what is
//! reversed before anything is written.

use chrono::Datelike;
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::{check_text, show};
use crate::db;
use crate::domain::Lang;
use crate::domain::fund::{Entry, FundError, category_label, check_payment};
use crate::domain::money::format_money;
use crate::domain::vocab::{Coded, Direction};
use crate::ui::env::Env;
use crate::ui::popups::{Pending, PopupOutcome, confirm};
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct ReverseForm {
    pub form: Form,
    entry: Entry,
    entries: Vec<Entry>,
    /// The voucher proposed when the form opened.
    proposed: String,
}

/// `凭证 2026-0003 支出 救助金 ¥500.00`: the entry a reversal is about.
pub fn entry_label(e: &Entry, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "凭证 {} {} {} {}",
            e.voucher_no,
            e.direction.zh(),
            category_label(&e.category, lang),
            format_money(e.amount_fen)
        ),
        Lang::En => format!(
            "voucher {} {} {} {}",
            e.voucher_no,
            e.direction.en(),
            category_label(&e.category, lang),
            format_money(e.amount_fen)
        ),
    }
}

impl ReverseForm {
    pub fn new(conn: &Connection, env: &Env, entry: Entry) -> db::Result<Self> {
        let l = env.lang;
        let voucher = db::fund::propose_voucher(conn, env.today.year())?;
        let title = match l {
            Lang::Zh => format!("冲销：{}", entry_label(&entry, l)),
            Lang::En => format!("Reverse: {}", entry_label(&entry, l)),
        };
        let form = Form::new(title, l)
            .text("note", l.pick("冲销原因", "Reason"), "", true)
            .with_hint(l.pick(
                "原账目不改不删：记一笔方向相反的冲销账目，每笔只能冲销一次",
                "the entry stays as it is: an opposite entry points at it, once only",
            ))
            .date("date", l.pick("冲销日期", "Date"), Some(env.today), true)
            .with_hint(l.pick(
                "不晚于今天，不在已审计结账的期间内",
                "not after today, not in an audited period",
            ))
            .text("voucher", l.pick("凭证号", "Voucher"), &voucher, false);
        let mut f = ReverseForm {
            form,
            entry,
            entries: db::fund::day_totals(conn)?,
            proposed: voucher,
        };
        f.validate(conn, env);
        Ok(f)
    }

    fn validate(&mut self, conn: &Connection, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        check_text(&mut self.form, "note", 200, l);
        check_text(&mut self.form, "voucher", 20, l);
        let Ok(Some(date)) = self.form.date_of("date") else {
            return;
        };
        if date > env.today {
            self.form
                .add_error("date", l.pick("不能晚于今天", "cannot be after today"));
        }
        if date < self.entry.date {
            self.form.add_error(
                "date",
                match l {
                    Lang::Zh => format!("早于原账目的日期 {}", self.entry.date),
                    Lang::En => format!("before the entry's own date, {}", self.entry.date),
                },
            );
        }
        match db::fund::locked_period(conn, date) {
            Ok(Some((a, b))) => self.form.add_error(
                "date",
                match l {
                    Lang::Zh => format!("{a} 至 {b} 已审计结账，不能再记入该期间"),
                    Lang::En => format!("{a} to {b} is audited and locked"),
                },
            ),
            Ok(None) => {}
            Err(e) => self.form.message = Some(e.message(l)),
        }
        // The reversal of an income takes money out: the balance must hold.
        if self.entry.direction == Direction::In
            && let Err(e) = check_payment(&self.entries, date, self.entry.amount_fen)
        {
            let e = FundError { field: "date", ..e };
            show(&mut self.form, &e, l);
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
                if !self.form.accept() {
                    return super::super::refused(&self.form);
                }
                let l = env.lang;
                let date = self
                    .form
                    .date_of("date")
                    .ok()
                    .flatten()
                    .unwrap_or(env.today);
                let what = entry_label(&self.entry, l);
                let note = self.form.text_of("note").trim().to_string();
                let question = match l {
                    Lang::Zh => format!(
                        "确认冲销{what}？将记一笔 {date} 的冲销账目（原因：{note}），每笔只能冲销一次。"
                    ),
                    Lang::En => format!(
                        "Reverse {what}? An opposite entry dated {date} is recorded (reason: {note}); once only."
                    ),
                };
                PopupOutcome::Replace(confirm(
                    l.pick("确认冲销", "Confirm the reversal"),
                    question,
                    Pending::FundReverse {
                        id: self.entry.id,
                        date,
                        voucher: super::typed_voucher(self.form.text_of("voucher"), &self.proposed),
                        note,
                        what,
                    },
                ))
            }
        }
    }
}

/// The reversal confirmed: written in one transaction.
pub fn reverse_now(
    conn: &mut Connection,
    env: &Env,
    id: i64,
    date: chrono::NaiveDate,
    voucher: &str,
    note: &str,
    what: &str,
) -> PopupOutcome {
    let l = env.lang;
    match db::fund::reverse(conn, id, date, voucher, note, env.today) {
        Ok(w) => {
            let balance = db::fund::balance(conn).unwrap_or_default();
            PopupOutcome::Saved {
                change: crate::ui::popups::Change::Record,
                message: match l {
                    Lang::Zh => format!(
                        "已冲销{what}：冲销凭证 {}；余额 {}",
                        w.voucher_no,
                        format_money(balance)
                    ),
                    Lang::En => format!(
                        "Reversed {what}: voucher {}; balance {}",
                        w.voucher_no,
                        format_money(balance)
                    ),
                },
            }
        }
        Err(e) => PopupOutcome::Failed(e.message(l)),
    }
}
