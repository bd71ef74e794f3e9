//! How the entry form is laid out: its fields for the direction (a
//! payment names its case or measure and who approved it), the categories,
//! its title, and building it again with the member's cases and measures
//! once the member changes (the form has no setter for a choice's options).

use chrono::Datelike;
use rusqlite::Connection;

use super::EntryForm;
use crate::db;
use crate::domain::Lang;
use crate::domain::money::format_money;
use crate::domain::vocab::{Coded, Direction, ExpenseCategory, IncomeCategory};
use crate::ui::env::Env;
use crate::ui::popups::hardship_forms::MemberPicker;
use crate::ui::widgets::form::{ChoiceOption, Form};

/// What the fields hold, to build the form again with new links.
pub(super) struct Values {
    pub(super) member: String,
    pub(super) date: String,
    pub(super) category: usize,
    pub(super) amount: String,
    pub(super) link: usize,
    pub(super) voucher: String,
    pub(super) handled: String,
    pub(super) approved: String,
    pub(super) note: String,
}

pub(super) fn categories(d: Direction) -> Vec<&'static str> {
    match d {
        Direction::In => IncomeCategory::ALL.iter().map(|c| c.code()).collect(),
        Direction::Out => ExpenseCategory::ALL.iter().map(|c| c.code()).collect(),
    }
}

fn options(d: Direction, lang: Lang) -> Vec<ChoiceOption> {
    match d {
        Direction::In => IncomeCategory::ALL
            .iter()
            .map(|&c| ChoiceOption::coded(c, lang))
            .collect(),
        Direction::Out => ExpenseCategory::ALL
            .iter()
            .map(|&c| ChoiceOption::coded(c, lang))
            .collect(),
    }
}

impl EntryForm {
    pub(super) fn title(&self, env: &Env) -> String {
        let l = env.lang;
        match (&self.loan, self.direction) {
            (Some(loan), _) => match l {
                Lang::Zh => format!(
                    "借款还款：{}（{}）未还 {}",
                    loan.member_name,
                    loan.member_code,
                    format_money(loan.outstanding_fen())
                ),
                Lang::En => format!(
                    "Loan repayment: {} ({}) owes {}",
                    loan.member_name,
                    loan.member_code,
                    format_money(loan.outstanding_fen())
                ),
            },
            (None, Direction::In) => l.pick("登记收入", "Record income").into(),
            (None, Direction::Out) => l.pick("登记支出", "Record a payment").into(),
        }
    }

    pub(super) fn build(&self, env: &Env, v: &Values) -> Form {
        let l = env.lang;
        let balance = crate::domain::fund::balance(&self.entries);
        let parsed = crate::domain::dates::parse_date(v.date.trim());
        let mut form = Form::new(self.title(env), l)
            .text("member", l.pick("党员", "Member"), &v.member, false)
            .with_hint(if self.direction == Direction::Out {
                l.pick(
                    "编号、姓名、拼音或首字母；救助金、慰问金、生活补贴、借款必填",
                    "code, name, pinyin or initials; required for payments to a person",
                )
            } else {
                l.pick(
                    "编号、姓名、拼音或首字母（党员捐助等可填）",
                    "code, name, pinyin or initials (a member's donation)",
                )
            })
            .date("date", l.pick("日期", "Date"), parsed, true)
            .with_hint(l.pick(
                "不晚于今天，不在已审计结账的期间内",
                "not after today, not in an audited period",
            ))
            .choice(
                "category",
                l.pick("类别", "Category"),
                if self.loan.is_some() {
                    vec![ChoiceOption::coded(IncomeCategory::LoanRepayment, l)]
                } else {
                    options(self.direction, l)
                },
                v.category,
            )
            .text(
                "amount",
                l.pick("金额（元）", "Amount (yuan)"),
                &v.amount,
                true,
            )
            .with_hint(match l {
                Lang::Zh => format!("如 200 或 1,234.50；现有余额 {}", format_money(balance)),
                Lang::En => format!(
                    "e.g. 200 or 1,234.50; the balance is {}",
                    format_money(balance)
                ),
            });
        if self.direction == Direction::Out {
            let opts = self
                .links
                .iter()
                .map(|(label, _, _)| ChoiceOption::new(label.clone(), ""))
                .collect();
            form = form
                .choice(
                    "link",
                    l.pick("困难台账/措施", "Case/measure"),
                    opts,
                    v.link,
                )
                .with_hint(l.pick(
                    "可选：这笔支出属于该党员的哪份台账或哪项帮扶措施",
                    "optional: the member's hardship case or measure it is for",
                ));
        }
        form = form
            .text("voucher", l.pick("凭证号", "Voucher"), &v.voucher, false)
            .with_hint(l.pick(
                "已按年度顺序建议，可改；同年不能重复；留空自动编号",
                "proposed in sequence, editable; unique per year; empty numbers it",
            ))
            .text("handled", l.pick("经手人", "Handled by"), &v.handled, true)
            .with_hint(l.pick("经手人姓名", "who handled the money"));
        if self.direction == Direction::Out {
            form = form
                .text(
                    "approved",
                    l.pick("审批人", "Approved by"),
                    &v.approved,
                    true,
                )
                .with_hint(l.pick("支出须有审批人", "a payment names who approved it"));
        } else {
            form = form.text(
                "approved",
                l.pick("审批人", "Approved by"),
                &v.approved,
                false,
            );
        }
        form = form.text("note", l.pick("备注", "Note"), &v.note, false);
        // A date that does not parse is kept as typed.
        if parsed.is_none() && !v.date.trim().is_empty() {
            crate::ui::popups::fund_forms::set_text(&mut form, "date", &v.date);
        }
        form
    }

    pub(super) fn values(&self) -> Values {
        let f = &self.form;
        Values {
            member: f.text_of("member").to_string(),
            date: f.text_of("date").to_string(),
            category: f.choice_of("category"),
            amount: f.text_of("amount").to_string(),
            link: if self.direction == Direction::Out {
                f.choice_of("link")
            } else {
                0
            },
            voucher: f.text_of("voucher").to_string(),
            handled: f.text_of("handled").to_string(),
            approved: f.text_of("approved").to_string(),
            note: f.text_of("note").to_string(),
        }
    }

    pub(super) fn blank(conn: &Connection, env: &Env, direction: Direction) -> db::Result<Self> {
        let proposed = db::fund::propose_voucher(conn, env.today.year())?;
        Ok(EntryForm {
            form: Form::new("", env.lang),
            direction,
            categories: categories(direction),
            picker: MemberPicker::new("member"),
            links: vec![(env.lang.pick("不关联", "none").into(), None, None)],
            links_of: None,
            loan: None,
            entries: db::fund::day_totals(conn)?,
            proposed,
            typed: false,
        })
    }

    pub(super) fn first_values(&self, env: &Env, member: String, amount: String) -> Values {
        Values {
            member,
            date: crate::domain::dates::fmt(env.today),
            category: 0,
            amount,
            link: 0,
            voucher: self.proposed.clone(),
            handled: String::new(),
            approved: String::new(),
            note: String::new(),
        }
    }
}
