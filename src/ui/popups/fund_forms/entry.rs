//! 收入 / 支出: one entry of the fund — the member (picked by code, name,
//! pinyin or initials; required for 救助金, 慰问金, 生活补贴, 无息借款), the
//! date (default today), the category of the direction, the amount in yuan,
//! for a payment the member's hardship case or one of its measures, the
//! voucher (proposed, editable), who handled and who approved it, a note. A
//! loan's repayment (借款归还) is the same form with its member, category and
//! loan fixed.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

mod layout;

use super::{amount_of, check_text, show, typed_voucher};
use crate::db;
use crate::db::fund::{LoanRow, NewEntry};
use crate::domain::Lang;
use crate::domain::fund::{Entry, category_label, needs_member};
use crate::domain::money::{format_money, format_yuan};
use crate::domain::vocab::{Coded, Direction};
use crate::ui::env::Env;
use crate::ui::popups::hardship_forms::MemberPicker;
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{Form, FormEvent};

/// A case or measure a payment may name: (label, case, measure).
type Link = (String, Option<i64>, Option<i64>);

#[derive(Debug, Clone)]
pub struct EntryForm {
    pub form: Form,
    direction: Direction,
    categories: Vec<&'static str>,
    picker: MemberPicker,
    /// The hardship cases and measures of the member picked (payments).
    links: Vec<Link>,
    /// The member the links were read for.
    links_of: Option<i64>,
    /// The loan a repayment is for.
    loan: Option<LoanRow>,
    /// Every entry now (the balance on every day is checked against them).
    entries: Vec<Entry>,
    /// The voucher proposed (replaced when the date's year changes, unless edited).
    proposed: String,
    /// Something was typed (the form is rebuilt when the member changes).
    typed: bool,
}

impl EntryForm {
    pub fn new(conn: &Connection, env: &Env, direction: Direction) -> db::Result<Self> {
        let mut f = Self::blank(conn, env, direction)?;
        let v = f.first_values(env, String::new(), String::new());
        f.form = f.build(env, &v);
        f.validate(conn, env);
        Ok(f)
    }

    /// The repayment of `loan`: its member and category fixed, the next
    /// instalment's amount proposed.
    pub fn repayment(conn: &Connection, env: &Env, loan: LoanRow) -> db::Result<Self> {
        let mut f = Self::blank(conn, env, Direction::In)?;
        let hit = db::visits_list::MemberHit {
            id: loan.member_id,
            code: loan.member_code.clone(),
            name: loan.member_name.clone(),
        };
        let amount = loan
            .next_due()
            .map(|i| format_yuan(i.amount_fen.min(loan.outstanding_fen())))
            .unwrap_or_default();
        f.loan = Some(loan);
        let v = f.first_values(env, hit.label(), amount);
        f.form = f.build(env, &v);
        f.picker.changed(conn, &f.form)?;
        f.picker.member = Some(hit);
        f.form.set_focus("amount");
        f.validate(conn, env);
        Ok(f)
    }

    pub fn is_changed(&self) -> bool {
        self.typed || self.form.is_changed()
    }

    pub fn picker(&self) -> &MemberPicker {
        &self.picker
    }

    fn category(&self) -> String {
        if self.loan.is_some() {
            return "loan_repayment".into();
        }
        self.categories
            .get(self.form.choice_of("category"))
            .unwrap_or(&"other")
            .to_string()
    }

    /// The entry as typed, when the date and amount are readable.
    fn new_entry(&mut self, env: &Env) -> Option<NewEntry> {
        let l = env.lang;
        let amount = amount_of(&mut self.form, "amount", l);
        let date: NaiveDate = self.form.date_of("date").ok().flatten()?;
        let (case_id, measure_id) = match self.direction {
            Direction::Out => self
                .links
                .get(self.form.choice_of("link"))
                .map(|(_, c, m)| (*c, *m))
                .unwrap_or((None, None)),
            Direction::In => (None, None),
        };
        let text = |k: &str| self.form.text_of(k).trim().to_string();
        Some(NewEntry {
            date,
            direction: self.direction,
            category: self.category(),
            amount_fen: amount?,
            member_id: self.picker.member.as_ref().map(|m| m.id),
            case_id,
            measure_id,
            voucher_no: typed_voucher(&text("voucher"), &self.proposed),
            handled_by: text("handled"),
            approved_by: text("approved"),
            note: text("note"),
            loan_id: self.loan.as_ref().map(|l| l.id),
            subsidy_month: None,
        })
    }

    pub fn validate(&mut self, conn: &Connection, env: &Env) {
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
        let cat = self.category();
        if needs_member(self.direction, &cat)
            && self.picker.member.is_none()
            && self.form.error_of("member").is_none()
        {
            self.form.add_error(
                "member",
                match l {
                    Lang::Zh => format!("「{}」付给个人：请选择党员", category_label(&cat, l)),
                    Lang::En => format!(
                        "{} is paid to a person: pick the member",
                        category_label(&cat, l)
                    ),
                },
            );
        }
        if cat == "subsidy" && self.loan.is_none() {
            self.form.add_error(
                "category",
                l.pick(
                    "生活补贴按月批量发放：在列表按 s 或 Ctrl-P",
                    "subsidies are paid as a monthly batch: s or Ctrl-P on the list",
                ),
            );
        }
        if cat == "loan" {
            self.form.add_error(
                "category",
                l.pick(
                    "无息借款在借款页登记（按 l 或 F11，再按 n）",
                    "a loan is recorded on the loans view (l or F11, then n)",
                ),
            );
        }
        if let Ok(Some(date)) = self.form.date_of("date") {
            match db::fund::locked_period(conn, date) {
                Ok(Some((a, b))) => self.form.add_error(
                    "date",
                    match l {
                        Lang::Zh => format!("{a} 至 {b} 已审计结账，不能再记入该期间"),
                        Lang::En => format!("{a} to {b} is audited and locked"),
                    },
                ),
                Ok(None) if date > env.today => self
                    .form
                    .add_error("date", l.pick("不能晚于今天", "cannot be after today")),
                Ok(None) => {}
                Err(e) => self.form.message = Some(e.message(l)),
            }
        }
        let Some(e) = self.new_entry(env) else {
            return;
        };
        match db::fund::check_new(conn, &e, &self.entries, env.today) {
            Ok(Err(err)) => show(&mut self.form, &err, l),
            Ok(Ok(())) => {}
            Err(err) => self.form.message = Some(err.message(l)),
        }
        if let Some(loan) = &self.loan
            && e.amount_fen > loan.outstanding_fen()
        {
            self.form.add_error(
                "amount",
                match l {
                    Lang::Zh => format!("超过未还金额 {}", format_money(loan.outstanding_fen())),
                    Lang::En => format!(
                        "more than the {} owed",
                        format_money(loan.outstanding_fen())
                    ),
                },
            );
        }
    }

    /// The member changed: read the cases and measures a payment may name.
    fn member_changed(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.picker.changed(conn, &self.form)?;
        let now = self.picker.member.as_ref().map(|m| m.id);
        if self.direction != Direction::Out || now == self.links_of {
            return Ok(());
        }
        let l = env.lang;
        let mut links: Vec<Link> = vec![(l.pick("不关联", "none").into(), None, None)];
        if let Some(m) = now {
            for (case, year, state) in db::hardship::cases_of_member(conn, m)? {
                links.push((
                    match l {
                        Lang::Zh => format!("{year} 年度台账（{}）", state.zh()),
                        Lang::En => format!("{year} case ({})", state.en()),
                    },
                    Some(case),
                    None,
                ));
                if let Some(d) = db::hardship::detail(conn, case)? {
                    for ms in d.measures {
                        links.push((
                            format!("{year} · {}：{}", ms.kind.label(l), ms.plan),
                            Some(case),
                            Some(ms.id),
                        ));
                    }
                }
            }
        }
        self.links = links;
        self.links_of = now;
        let focus = self.form.focused_key();
        let mut v = self.values();
        v.link = 0;
        let picked = self.picker.member.clone();
        self.form = self.build(env, &v);
        self.form.set_focus(focus);
        self.picker.changed(conn, &self.form)?;
        if picked.is_some() && self.picker.member.is_none() {
            self.picker.member = picked;
        }
        Ok(())
    }

    /// The date's year changed: the voucher proposed follows, unless edited.
    fn date_changed(&mut self, conn: &Connection) -> db::Result<()> {
        let Ok(Some(d)) = self.form.date_of("date") else {
            return Ok(());
        };
        if self.form.text_of("voucher").trim() != self.proposed {
            return Ok(());
        }
        let p = db::fund::propose_voucher(conn, d.year())?;
        if p != self.proposed {
            super::set_text(&mut self.form, "voucher", &p);
            self.proposed = p;
        }
        Ok(())
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        if self.loan.is_none() && self.picker.handle_key(ev, &mut self.form) {
            if let Err(e) = self.member_changed(conn, env) {
                return PopupOutcome::Refused(e.message(env.lang));
            }
            self.validate(conn, env);
            return PopupOutcome::Redraw;
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                if self.form.is_changed() {
                    self.typed = true;
                }
                let r = match self.form.focused_key() {
                    "member" if self.loan.is_none() => self.member_changed(conn, env),
                    "date" => self.date_changed(conn),
                    _ => Ok(()),
                };
                if let Err(e) = r {
                    return PopupOutcome::Refused(e.message(env.lang));
                }
                self.validate(conn, env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        match db::fund::day_totals(conn) {
            Ok(all) => self.entries = all,
            Err(e) => return PopupOutcome::Failed(e.message(l)),
        }
        self.form.begin_submit();
        self.validate(conn, env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let Some(e) = self.new_entry(env) else {
            return super::super::refused(&self.form);
        };
        let written = match &self.loan {
            Some(loan) => db::fund::repay(conn, loan.id, &e, env.today),
            None => db::fund::record(
                conn,
                &e,
                env.today,
                match self.direction {
                    Direction::In => "form: fund income",
                    Direction::Out => "form: fund payment",
                },
            ),
        };
        let written = written.and_then(|w| {
            let balance = db::fund::balance(conn)?;
            let who = self
                .picker
                .member
                .as_ref()
                .map(|m| format!(" {}", m.name))
                .unwrap_or_default();
            let msg = match l {
                Lang::Zh => format!(
                    "已登记{}：凭证 {} {} {}{who}；余额 {}",
                    w.direction.zh(),
                    w.voucher_no,
                    category_label(&w.category, l),
                    format_money(w.amount_fen),
                    format_money(balance)
                ),
                Lang::En => format!(
                    "Recorded: voucher {} {} {}{who}; balance {}",
                    w.voucher_no,
                    category_label(&w.category, l),
                    format_money(w.amount_fen),
                    format_money(balance)
                ),
            };
            Ok((Change::Record, msg))
        });
        super::super::settle(&mut self.form, written, l)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        self.picker.render(frame, area, &self.form, theme);
    }
}
