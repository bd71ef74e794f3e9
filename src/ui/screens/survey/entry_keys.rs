//! The data-entry form's keys: digits choose and toggle, Enter moves on,
//! F9 saves and opens the next unanswered member at once (the date and
//! surveyor carried over); F5, F6 and F7 act on the member's form.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use rusqlite::Connection;

use super::{ENTRY_BINDINGS, EntryAction, SurveyScreen, View};
use crate::db;
use crate::domain::dates;
use crate::domain::records::Event;
use crate::domain::vocab::{Coded, EventKind, Ideology};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{lookup, typed_char};
use crate::ui::popups::{HardshipRequest, Request};
use crate::ui::screens::Outcome;
use crate::ui::widgets::field::Input;

impl SurveyScreen {
    pub(super) fn entry_key(
        &mut self,
        ev: &KeyEvent,
        conn: &mut Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let l = env.lang;
        let View::Entry(e) = &mut self.view else {
            return Ok(Outcome::Nothing);
        };
        let text = e.focus.is_text();
        let action = lookup(ENTRY_BINDINGS, ev).filter(|a| {
            !(text
                && matches!(
                    a,
                    EntryAction::Left | EntryAction::Right | EntryAction::Toggle
                ))
        });
        // Leaving with unsaved input asks first, with the question every form asks.
        if let Some(a) = action
            && matches!(a, EntryAction::Back | EntryAction::Skip | EntryAction::Find)
            && e.is_changed()
        {
            e.leave_by = Some(a);
            return Ok(Outcome::Open(Request::ConfirmLeave));
        }
        let Some(a) = action else {
            if !text && let Some(c) = typed_char(ev) {
                return Ok(if e.digit(c) || e.letter(c, l) {
                    Outcome::Redraw
                } else {
                    Outcome::Nothing
                });
            }
            return Ok(if e.type_key(ev) {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            });
        };
        match a {
            EntryAction::Back | EntryAction::Skip | EntryAction::Find => {
                self.leave_entry(a, conn, l)
            }
            EntryAction::Next => {
                if e.move_focus(true) {
                    Ok(Outcome::Redraw)
                } else if ev.code == KeyCode::Enter {
                    self.save(conn, env)
                } else {
                    Ok(Outcome::Nothing)
                }
            }
            EntryAction::Prev => Ok(if e.move_focus(false) {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            }),
            EntryAction::Left | EntryAction::Right => Ok(if e.cycle(a == EntryAction::Right) {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            }),
            EntryAction::Toggle => Ok(if e.toggle() {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            }),
            EntryAction::CarryOver => Ok(if e.carry_over() {
                Outcome::Redraw
            } else {
                Outcome::Status(Status::info(
                    l.pick("上次调查没有这位党员的答卷", "no answers of last round"),
                ))
            }),
            EntryAction::Save => self.save(conn, env),
            EntryAction::IdeologyEvent => {
                // Only for a member whose answer is (or is now made) 波动,
                // and once: a second press would record a second event.
                if e.ideology_event {
                    return Ok(Outcome::Status(Status::info(format!(
                        "{}{} {}",
                        l.pick(
                            "这份答卷已记录过思想波动事件：",
                            "The ideology event is recorded already: "
                        ),
                        e.member.code,
                        e.member.name
                    ))));
                }
                if let Some(v) = e.ideology.filter(|v| *v != Ideology::Fluctuating) {
                    return Ok(Outcome::Status(Status::error(format!(
                        "{}{}{}",
                        l.pick("思想状况是“", "The ideology answer is \""),
                        v.label(l),
                        l.pick(
                            "”：思想波动事件只为“波动”记录（先改为波动）",
                            "\": the event is recorded only for \"fluctuating\" (change it first)"
                        ),
                    ))));
                }
                let date = dates::parse_date_any(e.date.value().trim())
                    .filter(|d| *d <= env.today)
                    .unwrap_or(env.today);
                let ev = Event {
                    id: 0,
                    member_id: e.member.id,
                    date,
                    kind: EventKind::Ideology,
                    note: l
                        .pick("需求调查：思想波动", "survey: ideology fluctuating")
                        .into(),
                };
                db::records::add_from_form(conn, db::records::NewRecord::Event(&ev))?;
                e.ideology = Some(Ideology::Fluctuating);
                e.ideology_event = true;
                Ok(Outcome::Status(Status::ok(format!(
                    "{}{} {}",
                    l.pick("已记录思想波动事件：", "Ideology event recorded: "),
                    e.member.code,
                    e.member.name
                ))))
            }
            EntryAction::Hardship => {
                if !e.needs.contains(&crate::domain::vocab::Need::Financial) {
                    crate::domain::survey::toggle(
                        &mut e.needs,
                        crate::domain::vocab::Need::Financial,
                    );
                }
                Ok(Outcome::Open(Request::Hardship(
                    HardshipRequest::NewCaseFor(e.member.id),
                )))
            }
        }
    }

    /// Yes to "discard the input and leave": the key that asked leaves.
    pub(super) fn leave_confirmed(
        &mut self,
        conn: &mut Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let View::Entry(e) = &mut self.view else {
            return Ok(Outcome::Nothing);
        };
        match e.leave_by.take() {
            Some(a) => self.leave_entry(a, conn, env.lang),
            None => Ok(Outcome::Nothing),
        }
    }

    /// Esc back to the rounds, F4 on to the next unanswered member, F3 to
    /// find one: the form's input is dropped.
    fn leave_entry(
        &mut self,
        a: EntryAction,
        conn: &mut Connection,
        l: crate::domain::Lang,
    ) -> db::Result<Outcome> {
        match a {
            EntryAction::Skip => {
                let Some(r) = self.round().cloned() else {
                    return Ok(Outcome::Nothing);
                };
                let View::Entry(e) = &self.view else {
                    return Ok(Outcome::Nothing);
                };
                let after = e.member.id;
                match db::survey::unanswered(conn, r.id, Some(after), 1)?.pop() {
                    Some(m) => self.open_entry(conn, &r, m),
                    None => Ok(Outcome::Status(Status::info(
                        l.pick("后面没有未登记的党员了", "no one unanswered after"),
                    ))),
                }
            }
            EntryAction::Find => {
                self.view = View::Find(Input::default(), Vec::new());
                Ok(Outcome::Redraw)
            }
            _ => {
                self.view = View::Rounds;
                self.reload(conn)?;
                Ok(Outcome::Redraw)
            }
        }
    }

    /// Saves the form and opens the next unanswered member at once.
    fn save(&mut self, conn: &mut Connection, env: &Env) -> db::Result<Outcome> {
        let l = env.lang;
        let Some(r) = self.round().cloned() else {
            return Ok(Outcome::Nothing);
        };
        let View::Entry(e) = &mut self.view else {
            return Ok(Outcome::Nothing);
        };
        let Some(a) = e.answers(l, env.today) else {
            return Ok(Outcome::Redraw);
        };
        let version = e.editing.map(|(_, v)| v);
        if let Err(err) = db::survey::save_response(conn, r.id, e.member.id, &a, version, env.today)
        {
            return Ok(Outcome::Status(Status::error(err.message(l))));
        }
        let done = format!("{} {}", e.member.code, e.member.name);
        let after = e.member.id;
        self.last_date = a.date.to_string();
        self.last_surveyor = a.surveyor.clone();
        self.reload(conn)?;
        let saved = if version.is_some() {
            l.pick("已更正：", "Corrected: ")
        } else {
            l.pick("已保存：", "Saved: ")
        };
        match db::survey::next_unanswered(conn, r.id, Some(after))? {
            Some(m) => {
                let next = format!("{} {}", m.code, m.name);
                self.open_entry(conn, &r, m)?;
                Ok(Outcome::Status(Status::ok(format!(
                    "{saved}{done}{}{next}",
                    l.pick("；下一位 ", "; next "),
                ))))
            }
            None => {
                self.view = View::Rounds;
                Ok(Outcome::Status(Status::ok(format!(
                    "{saved}{done}{}",
                    l.pick("；本次调查已全部登记", "; every active member has answered")
                ))))
            }
        }
    }
}
