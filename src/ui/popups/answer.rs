//! What a menu pick and a confirmation's yes lead to.

use rusqlite::Connection;

use super::status_form::StatusForm;
use super::{Change, MenuKind, Pending, Popup, PopupOutcome, confirm, status_label, void};
use crate::db;
use crate::domain::Lang;
use crate::domain::vocab::{Coded, MemberStatus, VisitKind};
use crate::ui::env::Env;
use crate::ui::popups::record_forms::RecordForm;

pub(super) fn picked(kind: &MenuKind, i: usize, conn: &Connection, env: &Env) -> PopupOutcome {
    let lang = env.lang;
    match kind {
        MenuKind::NewFund(forms) => match forms.get(i) {
            Some(req) => match super::fund_forms::open(req.clone(), conn, env) {
                Ok(p) => PopupOutcome::Replace(p),
                Err(s) => PopupOutcome::Failed(s.text),
            },
            None => PopupOutcome::Close,
        },
        MenuKind::NewRecord(member) => {
            let member = member.clone();
            let form = match i {
                0 => RecordForm::talk(env, member, ""),
                1 => RecordForm::visit(env, member, VisitKind::Home, ""),
                2 => RecordForm::event(env, member),
                _ => RecordForm::campaign(env),
            };
            PopupOutcome::Replace(Popup::RecordForm(Box::new(form)))
        }
        MenuKind::CaseStep {
            case,
            history,
            steps,
        } => super::hardship_forms::step_picked(case, history, steps[i], env),
        MenuKind::Status { member, targets } => {
            let to = targets[i];
            if to != MemberStatus::Active {
                let f = StatusForm::new((**member).clone(), to, env);
                return PopupOutcome::Replace(Popup::StatusForm(Box::new(f)));
            }
            let what = status_label(to, lang);
            let msg = match lang {
                Lang::Zh => format!(
                    "确认将 {}（{}）的状态改为“{what}”吗？记录不会删除，以后可以恢复。",
                    member.name, member.code
                ),
                Lang::En => format!(
                    "Change the status of {} ({}) to \"{what}\"? Nothing is deleted; it can be undone.",
                    member.name, member.code
                ),
            };
            let on_yes = Pending::SetStatus {
                member: member.clone(),
                to,
            };
            PopupOutcome::Replace(confirm(
                lang.pick("确认更改状态", "Confirm status change"),
                msg,
                on_yes,
            ))
        }
    }
}

pub(super) fn confirmed(pending: &Pending, conn: &mut Connection, env: &Env) -> PopupOutcome {
    let lang = env.lang;
    match pending {
        Pending::Void {
            kind,
            id,
            version,
            reason,
            what,
        } => void::void_now(conn, env, *kind, *id, *version, reason, what),
        Pending::FundReverse {
            id,
            date,
            voucher,
            note,
            what,
        } => super::fund_forms::reverse_now(conn, env, *id, *date, voucher, note, what),
        Pending::PayBonuses {
            year,
            date,
            handled,
            approved,
        } => super::honours_forms::pay_now(conn, env, *year, *date, (handled, approved)),
        Pending::Quit => PopupOutcome::Quit,
        Pending::CloseForm => PopupOutcome::Discard,
        Pending::LeaveScreen => PopupOutcome::LeaveScreen,
        Pending::SetStatus { member, to } => {
            let to = *to;
            match db::members::set_status(conn, member.id, member.version, to) {
                Ok(_) => PopupOutcome::Saved {
                    change: Change::MemberStatus { id: member.id, to },
                    message: match lang {
                        Lang::Zh => format!(
                            "{}（{}）的状态已改为“{}”",
                            member.name,
                            member.code,
                            to.label(lang)
                        ),
                        Lang::En => format!(
                            "{} ({}) is now \"{}\"",
                            member.name,
                            member.code,
                            to.label(lang)
                        ),
                    },
                },
                Err(e) => PopupOutcome::Failed(e.message(lang)),
            }
        }
    }
}
