//! The keys of the loans (无息借款) and audits (定时审计) views: a loan's
//! schedule and its repayment, an audit's report, closing a period and
//! writing the report to a file.

use rusqlite::Connection;

use super::{FundScreen, SubAction, View, audit_report};
use crate::db;
use crate::ui::env::{Env, Status};
use crate::ui::popups::{FundRequest, Request};
use crate::ui::screens::Outcome;

impl FundScreen {
    pub(super) fn loan_key(&mut self, a: SubAction, env: &Env) -> db::Result<Outcome> {
        let n = self.loans.len();
        Ok(match a {
            SubAction::Edit => Outcome::Status(Status::info(env.lang.pick(
                "借款和还款是账目，不再修改：记错的一笔在账目列表冲销后重记",
                "Loans and repayments are never edited: reverse a wrong one in the entries",
            ))),
            SubAction::Back if self.loan_open => {
                self.loan_open = false;
                Outcome::Redraw
            }
            SubAction::Back => {
                self.view = View::List;
                Outcome::Redraw
            }
            SubAction::Open if n > 0 => {
                self.loan_open = !self.loan_open;
                Outcome::Redraw
            }
            SubAction::New => Outcome::Open(Request::Fund(FundRequest::NewLoan)),
            SubAction::Repay => match self.selected_loan() {
                Some(l) => Outcome::Open(Request::Fund(FundRequest::Repay(l.id))),
                None => Outcome::Nothing,
            },
            SubAction::Up | SubAction::PageUp if !self.loan_open => {
                self.loan_cursor = self.loan_cursor.saturating_sub(1);
                Outcome::Redraw
            }
            SubAction::Down | SubAction::PageDown if !self.loan_open => {
                self.loan_cursor = (self.loan_cursor + 1).min(n.saturating_sub(1));
                Outcome::Redraw
            }
            _ => Outcome::Nothing,
        })
    }

    pub(super) fn open_report(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.report = match self.audits.get(self.audit_cursor) {
            Some(a) => Some(audit_report(conn, a, env.lang)?),
            None => None,
        };
        Ok(())
    }

    pub(super) fn audit_key(
        &mut self,
        a: SubAction,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let n = self.audits.len();
        Ok(match a {
            SubAction::Edit => Outcome::Status(Status::info(env.lang.pick(
                "审计结账后不可更改：有误请在下一期审计的说明中更正",
                "A closed audit is never changed: correct it in the next audit's note",
            ))),
            SubAction::Back if self.report.is_some() => {
                self.report = None;
                Outcome::Redraw
            }
            SubAction::Back => {
                self.view = View::List;
                Outcome::Redraw
            }
            SubAction::Open if n > 0 => {
                self.open_report(conn, env)?;
                self.scroll = 0;
                Outcome::Redraw
            }
            SubAction::New => Outcome::Open(Request::Fund(FundRequest::Audit)),
            SubAction::Write => match self.audits.get(self.audit_cursor) {
                Some(a) => Outcome::Open(Request::Fund(FundRequest::Report(a.id))),
                None => Outcome::Nothing,
            },
            SubAction::Up if self.report.is_some() => {
                self.scroll = self.scroll.saturating_sub(1);
                Outcome::Redraw
            }
            SubAction::Down if self.report.is_some() => {
                self.scroll += 1;
                Outcome::Redraw
            }
            SubAction::PageUp if self.report.is_some() => {
                self.scroll = self.scroll.saturating_sub(10);
                Outcome::Redraw
            }
            SubAction::PageDown if self.report.is_some() => {
                self.scroll += 10;
                Outcome::Redraw
            }
            SubAction::Up | SubAction::PageUp => {
                self.audit_cursor = self.audit_cursor.saturating_sub(1);
                Outcome::Redraw
            }
            SubAction::Down | SubAction::PageDown => {
                self.audit_cursor = (self.audit_cursor + 1).min(n.saturating_sub(1));
                Outcome::Redraw
            }
            _ => Outcome::Nothing,
        })
    }
}
