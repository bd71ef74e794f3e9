//! 慰问金 on a new visit: an optional amount in yuan and who approved it.
//! When filled, saving the visit also records a `condolence` payment to the
//! visited member, handled by the visitor and linked to the visit, in the
//! visit's own transaction; a balance too short for it (on the visit's day
//! or any later one) refuses the whole save, beside the amount.

use rusqlite::Connection;

use super::{RecordForm, RecordKind};
use crate::db;
use crate::db::fund::NewEntry;
use crate::domain::Lang;
use crate::domain::fund::check_payment;
use crate::domain::vocab::Direction;
use crate::ui::env::Env;
use crate::ui::popups::fund_forms::{amount_of, check_text, show};
use crate::ui::widgets::form::Form;

/// The fields of 慰问金, after the goods of a new visit.
pub(super) fn money_fields(form: Form, l: Lang) -> Form {
    // Labels as short as the form's others: the input column stays where it was.
    form.text("money", l.pick("慰问金", "Money"), "", false)
        .with_hint(l.pick(
            "慰问金（元），可不填；填写则同时从帮扶基金支出，经手人为走访人",
            "condolence money in yuan, optional: paid from the fund, handled by the visitor",
        ))
        .text("money_approved", l.pick("审批人", "Approver"), "", false)
        .with_hint(l.pick("慰问金的审批人", "who approved the money"))
}

impl RecordForm {
    fn has_money(&self) -> bool {
        self.kind == RecordKind::Visit && self.form.fields().iter().any(|f| f.key == "money")
    }

    /// The payment the visit's 慰问金 makes, when one is typed and readable.
    pub(super) fn money_entry(&mut self, env: &Env) -> Option<NewEntry> {
        if !self.has_money() {
            return None;
        }
        let fen = amount_of(&mut self.form, "money", env.lang)?;
        let date = self.form.date_of("date").ok().flatten()?;
        Some(NewEntry {
            date,
            direction: Direction::Out,
            category: "condolence".into(),
            amount_fen: fen,
            member_id: self.member.as_ref().map(|m| m.id),
            handled_by: self.form.text_of("visitor").trim().to_string(),
            approved_by: self.form.text_of("money_approved").trim().to_string(),
            note: self.form.text_of("notes").trim().to_string(),
            ..NewEntry::default()
        })
    }

    /// Beside the money fields: the amount, who approved it, the visitor as
    /// the one who handled it, and the balance on the visit's day.
    pub(super) fn check_money(&mut self, conn: &Connection, env: &Env) {
        if !self.has_money() || self.form.text_of("money").trim().is_empty() {
            return;
        }
        let l = env.lang;
        check_text(&mut self.form, "money_approved", 40, l);
        if self.form.text_of("money_approved").trim().is_empty() {
            self.form.add_error(
                "money_approved",
                l.pick("发放慰问金须填审批人", "name who approved the money"),
            );
        }
        if self.form.text_of("visitor").trim().is_empty() {
            self.form.add_error(
                "visitor",
                l.pick(
                    "发放慰问金须填走访人（经手人）",
                    "the visitor hands over the money: name them",
                ),
            );
        }
        let Some(e) = self.money_entry(env) else {
            return;
        };
        let entries = match db::fund::day_totals(conn) {
            Ok(v) => v,
            Err(err) => {
                self.form.message = Some(err.message(l));
                return;
            }
        };
        if let Err(err) = check_payment(&entries, e.date, e.amount_fen) {
            let err = crate::domain::fund::FundError {
                field: "money",
                ..err
            };
            show(&mut self.form, &err, l);
        }
        match db::fund::locked_period(conn, e.date) {
            Ok(Some((a, b))) => self.form.add_error(
                "money",
                match l {
                    Lang::Zh => format!("{a} 至 {b} 已审计结账，慰问金不能记入该期间"),
                    Lang::En => format!("{a} to {b} is audited: no payment may be dated in it"),
                },
            ),
            Ok(None) => {}
            Err(err) => self.form.message = Some(err.message(l)),
        }
    }
}
