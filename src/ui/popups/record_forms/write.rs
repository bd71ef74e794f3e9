//! Saving a record form: the record built from the fields, written by
//! `db::records::add_from_form` in its own transaction.

use rusqlite::Connection;

use super::{RecordForm, RecordKind};
use crate::db;
use crate::db::records::NewRecord;
use crate::domain::Lang;
use crate::domain::money::format_money;
use crate::domain::records::{Campaign, Event, Talk, Visit};
use crate::domain::vocab::{CampaignTarget, Coded, EventKind, TalkForm, VisitKind};
use crate::ui::env::Env;

impl RecordForm {
    /// Writes the record; the message for the status line.
    pub(super) fn write(&self, conn: &mut Connection, env: &Env) -> db::Result<String> {
        let l = env.lang;
        let f = &self.form;
        let text = |k: &str| f.text_of(k).trim().to_string();
        if self.kind == RecordKind::Campaign {
            let c = Campaign {
                id: 0,
                name: text("name"),
                from: f.date_of("from").ok().flatten().unwrap_or(env.today),
                to: f.date_of("to").ok().flatten().unwrap_or(env.today),
                targets: CampaignTarget::ALL
                    .iter()
                    .zip(f.checks_of("targets"))
                    .filter(|(_, on)| *on)
                    .map(|(t, _)| *t)
                    .collect(),
            };
            db::records::add_from_form(conn, NewRecord::Campaign(&c))?;
            return Ok(match l {
                Lang::Zh => format!("已新建活动：{}（{} 至 {}）", c.name, c.from, c.to),
                Lang::En => format!("Campaign added: {} ({} to {})", c.name, c.from, c.to),
            });
        }
        let date = f.date_of("date").ok().flatten().unwrap_or(env.today);
        let m = self
            .member
            .clone()
            .ok_or_else(|| db::DbError::invalid("请选择党员", "pick a member"))?;
        let mut paid_note = String::new();
        let what = match self.kind {
            RecordKind::Talk => {
                let t = Talk {
                    id: 0,
                    member_id: m.id,
                    date,
                    conductor: text("conductor"),
                    form: TalkForm::ALL[f.choice_of("form")],
                    summary: text("summary"),
                    problems: text("problems"),
                    follow_up: f.flag_of("follow_up"),
                    follow_up_note: text("follow_up_note"),
                };
                match self.editing {
                    Some((id, version)) => {
                        let t = Talk { id, ..t };
                        db::corrections::update_talk(conn, &t, version, env.today)?;
                    }
                    None => {
                        db::records::add_from_form(conn, NewRecord::Talk(&t))?;
                    }
                }
                l.pick("谈话", "talk")
            }
            RecordKind::Visit => {
                let v = Visit {
                    id: 0,
                    member_id: m.id,
                    date,
                    visitor: text("visitor"),
                    kind: VisitKind::ALL[f.choice_of("kind")],
                    goods: text("goods"),
                    fund_entry_id: None,
                    notes: text("notes"),
                };
                match self.editing {
                    Some((id, version)) => {
                        let v = Visit { id, ..v };
                        db::corrections::update_visit(conn, &v, version, env.today)?;
                    }
                    None => match self.clone().money_entry(env) {
                        Some(money) => {
                            let (_, paid) =
                                db::records::add_visit_with_money(conn, &v, &money, env.today)?;
                            paid_note = match l {
                                Lang::Zh => format!(
                                    "；慰问金 {}（凭证 {}）",
                                    format_money(paid.amount_fen),
                                    paid.voucher_no
                                ),
                                Lang::En => format!(
                                    "; condolence money {} (voucher {})",
                                    format_money(paid.amount_fen),
                                    paid.voucher_no
                                ),
                            };
                        }
                        None => {
                            db::records::add_from_form(conn, NewRecord::Visit(&v))?;
                        }
                    },
                }
                l.pick("走访", "visit")
            }
            RecordKind::Event | RecordKind::Campaign => {
                let e = Event {
                    id: 0,
                    member_id: m.id,
                    date,
                    kind: EventKind::ALL[f.choice_of("kind")],
                    note: text("note"),
                };
                match self.editing {
                    Some((id, version)) => {
                        let e = Event { id, ..e };
                        db::corrections::update_event(conn, &e, version, env.today)?;
                    }
                    None => {
                        db::records::add_from_form(conn, NewRecord::Event(&e))?;
                    }
                }
                l.pick("情况", "event")
            }
        };
        let done = match (self.editing.is_some(), l) {
            (true, Lang::Zh) => "已修改",
            (false, Lang::Zh) => "已登记",
            (true, Lang::En) => "Corrected",
            (false, Lang::En) => "Saved",
        };
        Ok(match l {
            Lang::Zh => format!("{done}{what}：{}（{}）{}{paid_note}", m.name, m.code, date),
            Lang::En => format!(
                "{done} the {what}: {} ({}) {}{paid_note}",
                m.name, m.code, date
            ),
        })
    }
}
