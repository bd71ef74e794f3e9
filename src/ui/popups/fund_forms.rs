//! The forms of the help fund (帮扶基金): an income or a payment, a
//! reversal (冲销), a loan and its repayment, the monthly subsidy batch and
//! the audit (each with a preview before it is confirmed). Each validates
//! beside its fields as the clerk types with the checks `db::fund` runs again
//! when it writes (a payment larger than the balance on its date or any later
//! day, a date in an audited period, a voucher used twice), and writes in one
//! transaction. Nothing here edits or deletes an entry.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::Connection;

mod batch;
mod entry;
mod loan;
mod preview;
mod reverse;

pub use crate::ui::popups::file_form::{FileForm, FileKind};
pub use batch::{AuditForm, SubsidyForm};
pub use entry::EntryForm;
pub use loan::LoanForm;
pub use preview::{Batch, PREVIEW_BINDINGS, Preview};
pub use reverse::{ReverseForm, reverse_now};

use super::Popup;
use crate::db;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::fund::FundError;
use crate::domain::money::parse_yuan;
use crate::domain::safe_text;
use crate::domain::vocab::Direction;
use crate::ui::env::{Env, Status};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::Form;

/// The voucher to write: empty (the next free number, taken inside the
/// writing transaction) while the field still holds the number proposed when
/// the form opened, so two clerks who opened the form at once do not both
/// write the number proposed to both; what the clerk typed otherwise.
fn typed_voucher(typed: &str, proposed: &str) -> String {
    let typed = typed.trim();
    if typed == proposed.trim() {
        String::new()
    } else {
        typed.to_string()
    }
}

/// A fund form a screen asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FundRequest {
    /// `n`: which kind of entry (收入, 支出, 生活补贴), then its form.
    New,
    /// 收入 or 支出.
    Entry(Direction),
    /// 冲销 of entry `id`: the reason and date, then a confirmation.
    Reverse(i64),
    NewLoan,
    /// A repayment of loan `id`.
    Repay(i64),
    /// 生活补贴: the month and date, then the preview.
    Subsidy,
    /// 定时审计: the period and auditor, then the report's preview.
    Audit,
    /// 救助公示 to a file.
    Notice,
    /// The report of audit `id` to a file.
    Report(i64),
}

/// One fund popup on the stack.
#[derive(Debug, Clone)]
pub enum FundForm {
    Entry(EntryForm),
    Reverse(ReverseForm),
    Loan(LoanForm),
    Subsidy(SubsidyForm),
    Audit(AuditForm),
    File(FileForm),
    Preview(Preview),
}

impl FundForm {
    /// The form, when this popup is one (the preview is not).
    pub fn form(&self) -> Option<&Form> {
        match self {
            FundForm::Entry(f) => Some(&f.form),
            FundForm::Reverse(f) => Some(&f.form),
            FundForm::Loan(f) => Some(&f.form),
            FundForm::Subsidy(f) => Some(&f.form),
            FundForm::Audit(f) => Some(&f.form),
            FundForm::File(f) => Some(&f.form),
            FundForm::Preview(_) => None,
        }
    }

    pub fn is_changed(&self) -> bool {
        match self {
            FundForm::Entry(f) => f.is_changed(),
            FundForm::Loan(f) => f.is_changed(),
            other => other.form().is_some_and(|f| f.is_changed()),
        }
    }

    pub fn handle_key(
        &mut self,
        ev: &KeyEvent,
        conn: &mut Connection,
        env: &Env,
    ) -> super::PopupOutcome {
        match self {
            FundForm::Entry(f) => f.handle_key(ev, conn, env),
            FundForm::Reverse(f) => f.handle_key(ev, conn, env),
            FundForm::Loan(f) => f.handle_key(ev, conn, env),
            FundForm::Subsidy(f) => f.handle_key(ev, conn, env),
            FundForm::Audit(f) => f.handle_key(ev, conn, env),
            FundForm::File(f) => f.handle_key(ev, conn, env),
            FundForm::Preview(p) => p.handle_key(ev, conn, env),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self {
            FundForm::Entry(f) => f.render(frame, area, theme),
            FundForm::Loan(f) => f.render(frame, area, theme),
            FundForm::Preview(p) => p.render(frame, area, theme),
            other => {
                if let Some(f) = other.form() {
                    f.render(frame, area, theme)
                }
            }
        }
    }
}

fn popup(f: FundForm) -> Popup {
    Popup::Fund(Box::new(f))
}

/// Replaces the text of a field the way the clerk would (the form has no setter).
pub(crate) fn set_text(form: &mut Form, key: &str, value: &str) {
    let back = form.focused_key();
    form.set_focus(key);
    let k = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    form.handle_key(&k('e'));
    form.handle_key(&k('u'));
    for c in value.chars() {
        form.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    form.set_focus(back);
}

/// Beside a text field: control characters, invisible-only text, too long.
pub(crate) fn check_text(form: &mut Form, key: &str, max: usize, lang: Lang) {
    if let Err(p) = safe_text::check_text(form.text_of(key), false, max) {
        form.add_error(
            key,
            match lang {
                Lang::Zh => p.zh(),
                Lang::En => p.en(),
            },
        );
    }
}

/// The amount typed in yuan, in fen, or the error beside the field: not a
/// number, more than two decimals, zero or negative. None when empty.
pub(crate) fn amount_of(form: &mut Form, key: &str, lang: Lang) -> Option<i64> {
    let t = form.text_of(key).trim().to_string();
    if t.is_empty() {
        return None;
    }
    match parse_yuan(&t) {
        Ok(fen) if fen > 0 => Some(fen),
        Ok(_) => {
            form.add_error(
                key,
                lang.pick("金额须大于 0", "the amount must be above zero"),
            );
            None
        }
        Err(p) => {
            form.add_error(
                key,
                match lang {
                    Lang::Zh => p.zh(),
                    Lang::En => p.en(),
                },
            );
            None
        }
    }
}

/// A refusal of `db::fund` shown beside its field (or for the whole form).
pub(crate) fn show(form: &mut Form, e: &FundError, lang: Lang) {
    let msg = e.message(lang).to_string();
    if e.field.is_empty() || !form.fields().iter().any(|f| f.key == e.field) {
        form.message = Some(msg);
    } else {
        form.add_error(e.field, msg);
    }
}

/// The popup for a fund request, or why there is none.
pub fn open(req: FundRequest, conn: &Connection, env: &Env) -> Result<Popup, Status> {
    let lang = env.lang;
    let failed = |e: db::DbError| Status::error(e.message(lang));
    match req {
        FundRequest::New => {
            let forms = vec![
                FundRequest::Entry(Direction::In),
                FundRequest::Entry(Direction::Out),
                FundRequest::Subsidy,
            ];
            let options = vec![
                lang.pick("收入（捐款、拨款）", "Income (donation, grant)")
                    .to_string(),
                lang.pick("支出（救助、慰问）", "Payment (relief, visit)")
                    .to_string(),
                lang.pick("生活补贴（按月批量）", "Living subsidy (monthly batch)")
                    .to_string(),
            ];
            Ok(Popup::Menu {
                menu: super::menu::Menu::new(lang.pick("新增账目", "New entry"), options),
                kind: super::MenuKind::NewFund(forms),
            })
        }
        FundRequest::Entry(d) => EntryForm::new(conn, env, d)
            .map(|f| popup(FundForm::Entry(f)))
            .map_err(failed),
        FundRequest::Reverse(id) => {
            if let Some(p) = db::fund::reversal_problem(conn, id).map_err(failed)? {
                return Err(Status::error(p.message(lang)));
            }
            let Some(e) = db::fund::entry(conn, id).map_err(failed)? else {
                return Err(Status::error(lang.pick("没有这笔账目", "no such entry")));
            };
            ReverseForm::new(conn, env, e)
                .map(|f| popup(FundForm::Reverse(f)))
                .map_err(failed)
        }
        FundRequest::NewLoan => LoanForm::new(conn, env)
            .map(|f| popup(FundForm::Loan(f)))
            .map_err(failed),
        FundRequest::Repay(id) => repay_form(conn, env, id),
        FundRequest::Subsidy => Ok(popup(FundForm::Subsidy(SubsidyForm::new(env)))),
        FundRequest::Audit => AuditForm::new(conn, env)
            .map(|f| popup(FundForm::Audit(f)))
            .map_err(failed),
        FundRequest::Notice => Ok(popup(FundForm::File(FileForm::new(
            env,
            FileKind::Notice,
            None,
        )))),
        FundRequest::Report(id) => {
            let audits = db::fund::audits(conn).map_err(failed)?;
            let a = audits.iter().find(|a| a.id == id);
            Ok(popup(FundForm::File(FileForm::new(
                env,
                FileKind::Report(id),
                a,
            ))))
        }
    }
}

fn repay_form(conn: &Connection, env: &Env, id: i64) -> Result<Popup, Status> {
    let lang = env.lang;
    let failed = |e: db::DbError| Status::error(e.message(lang));
    let Some(l) = db::fund::loan(conn, id).map_err(failed)? else {
        return Err(Status::error(lang.pick("没有这笔借款", "no such loan")));
    };
    if l.outstanding_fen() == 0 {
        return Err(Status::info(match lang {
            Lang::Zh => format!("{} 的这笔借款已还清", l.member_name),
            Lang::En => format!("{}'s loan is repaid", l.member_name),
        }));
    }
    EntryForm::repayment(conn, env, l)
        .map(|f| popup(FundForm::Entry(f)))
        .map_err(failed)
}

/// The repayment form of `member`'s loan (the oldest with an instalment
/// overdue, else the oldest open): what Enter on a `loan_instalment` row of
/// the Overview opens.
pub fn repay_for_member(conn: &Connection, env: &Env, member: &MemberHit) -> Result<Popup, Status> {
    let lang = env.lang;
    let loans =
        db::fund::open_loans_of(conn, member.id).map_err(|e| Status::error(e.message(lang)))?;
    let pick = loans
        .iter()
        .find(|l| !l.overdue(env.today).is_empty())
        .or_else(|| loans.first())
        .ok_or_else(|| {
            Status::info(match lang {
                Lang::Zh => format!("{} 没有未还清的借款", member.name),
                Lang::En => format!("{} has no loan open", member.name),
            })
        })?;
    repay_form(conn, env, pick.id)
}
