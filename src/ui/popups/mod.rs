//! Popups: forms, menus, confirmations and the help, on a stack above the
//! screen (gitui's `popup_stack`). The top one takes the keys.
//!
//! A screen asks for one with plain data, a [`Request`] ("the talk form for
//! member M with reason R"), and never builds another module's form; every
//! popup answers a key with one [`PopupOutcome`]; what a save changed is a
//! [`Change`], which the app hands to every screen.

mod answer;
pub mod confirm;
pub mod file_form;
pub mod fund_forms;
pub mod hardship_forms;
pub mod honours_forms;
pub mod log;
pub mod member_form;
pub mod menu;
pub mod record_forms;
pub mod settings;
pub mod status_form;
pub mod void;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use rusqlite::Connection;

use self::confirm::{CONFIRM_BINDINGS, Confirm, ConfirmAction};
use self::fund_forms::FundForm;
pub use self::fund_forms::FundRequest;
use self::hardship_forms::HardshipForm;
pub use self::hardship_forms::HardshipRequest;
use self::honours_forms::HonoursForm;
pub use self::honours_forms::HonoursRequest;
use self::member_form::MemberForm;
use self::menu::{MENU_BINDINGS, Menu};
use self::record_forms::RecordForm;
use self::settings::SettingsForm;
use self::status_form::StatusForm;
use crate::db;
use crate::db::audit::LogFilter;
use crate::db::hardship::CaseRow;
use crate::db::visits_list::{MemberHit, RecordType};
use crate::domain::Lang;
use crate::domain::hardship::Step;
use crate::domain::member::Member;
use crate::domain::records::Campaign;
use crate::domain::rules::ObligationKind;
use crate::domain::settings::Settings;
use crate::domain::vocab::{CaseState, Coded, MemberStatus, VisitKind};
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Binding, Hint, Key, hints, lookup};
use crate::ui::widgets::form::{self, Form};

/// A popup a screen asks for, in plain data.
#[derive(Debug, Clone)]
pub enum Request {
    NewMember,
    EditMember(Box<Member>),
    /// The menu of status changes (转出, 去世, 恢复在册), then a confirmation.
    ChangeStatus(Box<Member>),
    /// Talk, visit, event or campaign; `member` fills the form.
    NewRecord(Option<MemberHit>),
    Talk {
        member: Option<MemberHit>,
        reason: String,
    },
    Visit {
        member: Option<MemberHit>,
        kind: VisitKind,
        reason: String,
        /// The campaign the visit is for: its window is checked.
        campaign: Option<Box<Campaign>>,
    },
    /// A saved talk, visit or event in its form, to correct it.
    EditRecord {
        kind: RecordType,
        id: i64,
    },
    /// 作废: the reason asked for, then a confirmation.
    VoidRecord {
        kind: RecordType,
        id: i64,
    },
    /// 操作日志: the whole log with filters, or one record's (`filter.record_id`).
    Log(Box<LogFilter>),
    Campaign,
    /// The form that discharges an obligation of `member`, filled in.
    Discharge {
        member: MemberHit,
        kind: ObligationKind,
    },
    /// A form of the hardship ledger (困难台账).
    Hardship(HardshipRequest),
    /// A form of the help fund (帮扶基金).
    Fund(FundRequest),
    /// A form of the incentives tab (激励).
    Honours(HonoursRequest),
    /// The statistics report (统计报表) of this day, to a file.
    StatsReport(chrono::NaiveDate),
    Settings,
    Help,
    /// A screen's own form holds unsaved input and the clerk pressed a key
    /// that leaves it: the shared question, whose yes calls the screen's
    /// `Screen::leave`.
    ConfirmLeave,
}

/// What a saved popup changed; every screen hears of it and recomputes
/// what it shows.
#[derive(Debug, Clone)]
pub enum Change {
    /// A member was added or edited (as stored: new id and version).
    Member(Box<Member>),
    MemberStatus {
        id: i64,
        to: MemberStatus,
    },
    /// A talk, visit, event or campaign was written, or a hardship case,
    /// one of its steps, reviews, measures or helpers.
    Record,
    /// The settings now in force.
    Settings(Box<Settings>),
}

/// What a key did to the popup on top.
#[derive(Debug)]
pub enum PopupOutcome {
    Nothing,
    Redraw,
    /// Take this popup off.
    Close,
    /// Esc in a form: close it, asking first when it holds input.
    Cancel {
        changed: bool,
    },
    /// This popup gives way to another (a menu pick opens its form).
    Replace(Popup),
    /// Written; the popup closes and the screens hear of `change`.
    Saved {
        change: Change,
        message: String,
    },
    /// Not saved; the popup stays, the message goes to the status line.
    Refused(String),
    /// The popup closes and the message goes to the status line as an error.
    Failed(String),
    /// Done without changing the database (a file written): the popup
    /// closes and the message goes to the status line.
    Done(String),
    Quit,
    /// Yes to "discard the input": this confirmation and the form under it close.
    Discard,
    /// Yes to "leave the screen's form": this confirmation closes and the
    /// screen leaves its form (`Screen::leave`).
    LeaveScreen,
}

/// Esc in a form: close it (asking first when it holds input).
pub(crate) fn cancel(form: &Form) -> PopupOutcome {
    PopupOutcome::Cancel {
        changed: form.is_changed(),
    }
}

/// A save refused before writing: the form's own message.
pub(crate) fn refused(form: &Form) -> PopupOutcome {
    PopupOutcome::Refused(form.message.clone().unwrap_or_default())
}

/// A form's write: what it changed, or the refusal shown in the form and
/// the status line (the form stays open with the clerk's input).
pub(crate) fn settle(
    form: &mut Form,
    written: db::Result<(Change, String)>,
    lang: Lang,
) -> PopupOutcome {
    match written {
        Ok((change, message)) => PopupOutcome::Saved { change, message },
        Err(e) => {
            let msg = e.message(lang);
            form.message = Some(msg.clone());
            PopupOutcome::Refused(msg)
        }
    }
}

/// What a confirmation does when the clerk says yes.
#[derive(Debug, Clone)]
pub enum Pending {
    Quit,
    /// Close the form under the confirmation, dropping its input.
    CloseForm,
    /// Leave the screen's own form (the survey entry), dropping its input.
    LeaveScreen,
    SetStatus {
        member: Box<Member>,
        to: MemberStatus,
    },
    /// 作废 record `id` (read at `version`) for `reason`.
    Void {
        kind: RecordType,
        id: i64,
        version: i64,
        reason: String,
        what: String,
    },
    /// 冲销 fund entry `id` on `date` for `note`.
    FundReverse {
        id: i64,
        date: chrono::NaiveDate,
        voucher: String,
        note: String,
        what: String,
    },
    /// 发放考核奖励: every unpaid bonus of `year`, paid on `date`.
    PayBonuses {
        year: i32,
        date: chrono::NaiveDate,
        handled: String,
        approved: String,
    },
}

/// What a picked menu option leads to.
#[derive(Debug, Clone)]
pub enum MenuKind {
    NewRecord(Option<MemberHit>),
    /// A new fund entry: these forms, in the menu's order.
    NewFund(Vec<FundRequest>),
    Status {
        member: Box<Member>,
        targets: Vec<MemberStatus>,
    },
    /// The steps allowed next for a case (whose steps are `history`).
    CaseStep {
        case: Box<CaseRow>,
        history: Vec<Step>,
        steps: Vec<CaseState>,
    },
}

/// A popup on the stack.
#[derive(Debug)]
pub enum Popup {
    MemberForm(Box<MemberForm>),
    /// A talk, visit, event or campaign form.
    RecordForm(Box<RecordForm>),
    SettingsForm(Box<SettingsForm>),
    /// 转出 / 去世 with its date (and destination).
    StatusForm(Box<StatusForm>),
    /// The reason a record is voided.
    VoidForm(Box<void::VoidForm>),
    /// 操作日志.
    Log(Box<log::LogView>),
    /// A hardship form: case, step, review, measure, action, helper.
    Hardship(Box<HardshipForm>),
    /// A fund form or a batch's preview.
    Fund(Box<FundForm>),
    /// An honour or a discipline form.
    Honours(Box<HonoursForm>),
    Stats(Box<file_form::FileForm>),
    Menu {
        menu: Menu,
        kind: MenuKind,
    },
    Confirm {
        confirm: Confirm,
        on_yes: Pending,
    },
    Help {
        scroll: usize,
    },
}

/// The status line's answer when an obligation has no form here.
fn elsewhere(lang: Lang) -> Status {
    Status::info(lang.pick(
        "借款还款在帮扶基金页办理",
        "Loan instalments are done on the Fund tab",
    ))
}

/// The popup for a request, or a message when there is none for it.
pub fn open(req: Request, conn: &Connection, env: &Env) -> Result<Popup, Status> {
    let failed = |e: db::DbError| Status::error(e.message(env.lang));
    let lang = env.lang;
    let record = |f: RecordForm| Ok(Popup::RecordForm(Box::new(f)));
    match req {
        Request::NewMember => Ok(Popup::MemberForm(Box::new(MemberForm::new_member(env)))),
        Request::EditMember(m) => Ok(Popup::MemberForm(Box::new(MemberForm::edit(*m, env)))),
        Request::ChangeStatus(m) => Ok(status_menu(*m, lang)),
        Request::NewRecord(member) => {
            let options = vec![
                lang.pick("谈心谈话", "Talk").to_string(),
                lang.pick("走访慰问", "Visit").to_string(),
                lang.pick("情况（必谈必访）", "Event (must talk/visit)")
                    .to_string(),
                lang.pick("集中走访活动", "Campaign").to_string(),
            ];
            Ok(Popup::Menu {
                menu: Menu::new(lang.pick("新增", "New"), options),
                kind: MenuKind::NewRecord(member),
            })
        }
        Request::Talk { member, reason } => record(RecordForm::talk(env, member, &reason)),
        Request::Visit {
            member,
            kind,
            reason,
            campaign,
        } => {
            let f = RecordForm::visit(env, member, kind, &reason);
            record(match campaign {
                Some(c) => f.for_campaign(*c, env),
                None => f,
            })
        }
        Request::Campaign => record(RecordForm::campaign(env)),
        Request::Discharge {
            member,
            kind: ObligationKind::HardshipReview,
        } => hardship_forms::review_for_member(conn, env, &member),
        Request::Discharge {
            member,
            kind: ObligationKind::LoanInstalment,
        } => fund_forms::repay_for_member(conn, env, &member),
        Request::Discharge { member, kind } => {
            let f =
                RecordForm::for_obligation(env, member, &kind).ok_or_else(|| elsewhere(lang))?;
            let f = match &kind {
                ObligationKind::Campaign(name) => {
                    let all = db::records::campaigns(conn).map_err(failed)?;
                    match all.into_iter().find(|c| &c.name == name) {
                        Some(c) => f.for_campaign(c, env),
                        None => f,
                    }
                }
                _ => f,
            };
            record(f)
        }
        Request::EditRecord { kind, id } => match RecordForm::edit(conn, env, kind, id) {
            Ok(Ok(f)) => record(f),
            Ok(Err(msg)) => Err(Status::error(msg)),
            Err(e) => Err(failed(e)),
        },
        Request::VoidRecord { kind, id } => void::VoidForm::open(conn, env, kind, id)
            .map_err(failed)?
            .map(|f| Popup::VoidForm(Box::new(f)))
            .map_err(Status::error),
        Request::Log(filter) => log::LogView::open(conn, env, *filter)
            .map(|v| Popup::Log(Box::new(v)))
            .map_err(failed),
        Request::Settings => Ok(Popup::SettingsForm(Box::new(SettingsForm::new(env)))),
        Request::Help => Ok(Popup::Help { scroll: 0 }),
        Request::ConfirmLeave => Ok(confirm(
            lang.pick("放弃输入", "Discard input"),
            lang.pick(
                "这份表单有未保存的输入。放弃这些输入并离开吗？",
                "The form has unsaved input. Discard it and leave?",
            ),
            Pending::LeaveScreen,
        )),
        Request::Hardship(h) => hardship_forms::open(h, conn, env),
        Request::Fund(r) => fund_forms::open(r, conn, env),
        Request::Honours(r) => honours_forms::open(r, conn, env),
        Request::StatsReport(day) => Ok(Popup::Stats(Box::new(file_form::FileForm::new(
            env,
            file_form::FileKind::Stats(day),
            None,
        )))),
    }
}

/// The menu of status changes for a member (转出, 去世; 恢复在册 when not active).
fn status_menu(m: Member, lang: Lang) -> Popup {
    let targets: Vec<MemberStatus> = MemberStatus::ALL
        .iter()
        .copied()
        .filter(|&s| s != m.status)
        .collect();
    let options = targets.iter().map(|&s| status_label(s, lang)).collect();
    let title = match lang {
        Lang::Zh => format!("更改状态：{}（{}）", m.name, m.code),
        Lang::En => format!("Change status: {} ({})", m.name, m.code),
    };
    Popup::Menu {
        menu: Menu::new(title, options),
        kind: MenuKind::Status {
            member: Box::new(m),
            targets,
        },
    }
}

fn status_label(s: MemberStatus, lang: Lang) -> String {
    match s {
        MemberStatus::Active => lang.pick("恢复在册", "Back to active").to_string(),
        other => other.label(lang).to_string(),
    }
}

/// A confirmation asking `question`; `on_yes` is done when the clerk agrees.
pub fn confirm(title: &str, question: impl Into<String>, on_yes: Pending) -> Popup {
    Popup::Confirm {
        confirm: Confirm::new(title, question),
        on_yes,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpAction {
    Close,
    Up,
    Down,
}

pub const HELP_BINDINGS: &[Binding<HelpAction>] = &[
    Binding {
        action: HelpAction::Close,
        keys: &[
            Key::code(KeyCode::Esc),
            Key::ch('?'),
            Key::f(1),
            Key::ch('q'),
        ],
        zh: "关闭帮助",
        en: "Close help",
        hint: true,
    },
    Binding {
        action: HelpAction::Up,
        keys: &[Key::code(KeyCode::Up), Key::code(KeyCode::PageUp)],
        zh: "向上滚动",
        en: "Scroll up",
        hint: true,
    },
    Binding {
        action: HelpAction::Down,
        keys: &[Key::code(KeyCode::Down), Key::code(KeyCode::PageDown)],
        zh: "向下滚动",
        en: "Scroll down",
        hint: true,
    },
];

impl Popup {
    /// A form (letters are typed into it).
    pub fn is_form(&self) -> bool {
        matches!(
            self,
            Popup::MemberForm(_)
                | Popup::RecordForm(_)
                | Popup::SettingsForm(_)
                | Popup::StatusForm(_)
                | Popup::VoidForm(_)
                | Popup::Hardship(_)
                | Popup::Stats(_)
                | Popup::Honours(_)
        ) || matches!(self, Popup::Fund(f) if f.form().is_some())
    }

    /// Whether a paste may be typed into it: a form (its focused field
    /// takes the characters), not a menu, a question, the help or the log.
    pub fn takes_paste(&self) -> bool {
        !matches!(
            self,
            Popup::Log(_) | Popup::Menu { .. } | Popup::Confirm { .. } | Popup::Help { .. }
        )
    }

    /// A form holding input not yet saved.
    pub fn is_changed(&self) -> bool {
        match self {
            Popup::MemberForm(f) => f.form.is_changed(),
            Popup::RecordForm(f) => f.form.is_changed(),
            Popup::SettingsForm(f) => f.form.is_changed(),
            Popup::StatusForm(f) => f.form.is_changed(),
            Popup::VoidForm(f) => f.form.is_changed(),
            Popup::Hardship(f) => f.form().is_changed(),
            Popup::Fund(f) => f.is_changed(),
            Popup::Honours(f) => f.form.is_changed(),
            Popup::Stats(f) => f.form.is_changed(),
            Popup::Log(_) | Popup::Menu { .. } | Popup::Confirm { .. } | Popup::Help { .. } => {
                false
            }
        }
    }

    /// The title and keys of this popup for the hint line and the help.
    pub fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        let (title, h) = match self {
            Popup::MemberForm(_)
            | Popup::RecordForm(_)
            | Popup::SettingsForm(_)
            | Popup::StatusForm(_)
            | Popup::VoidForm(_)
            | Popup::Hardship(_)
            | Popup::Stats(_)
            | Popup::Honours(_) => (lang.pick("表单", "Form"), hints(form::BINDINGS, lang)),
            Popup::Fund(f) if f.form().is_some() => {
                (lang.pick("表单", "Form"), hints(form::BINDINGS, lang))
            }
            Popup::Fund(_) => (
                lang.pick("预览", "Preview"),
                hints(fund_forms::PREVIEW_BINDINGS, lang),
            ),
            Popup::Log(_) => (
                lang.pick("操作日志", "Audit log"),
                hints(log::LOG_BINDINGS, lang),
            ),
            Popup::Menu { .. } => (lang.pick("选择", "Menu"), hints(MENU_BINDINGS, lang)),
            Popup::Confirm { .. } => (lang.pick("确认", "Confirm"), hints(CONFIRM_BINDINGS, lang)),
            Popup::Help { .. } => (lang.pick("帮助", "Help"), hints(HELP_BINDINGS, lang)),
        };
        let mut h = h;
        if let Popup::RecordForm(f) = self
            && f.offers_window_end()
        {
            h.splice(1..1, hints(record_forms::FORM_BINDINGS, lang));
        }
        (title.into(), h)
    }

    /// Handles one key while this popup is on top.
    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self {
            Popup::MemberForm(f) => f.handle_key(ev, conn, env),
            Popup::RecordForm(f) => f.handle_key(ev, conn, env),
            Popup::SettingsForm(f) => f.handle_key(ev, conn, env),
            Popup::StatusForm(f) => f.handle_key(ev, conn, env),
            Popup::VoidForm(f) => f.handle_key(ev, env),
            Popup::Hardship(f) => f.handle_key(ev, conn, env),
            Popup::Fund(f) => f.handle_key(ev, conn, env),
            Popup::Honours(f) => f.handle_key(ev, conn, env),
            Popup::Stats(f) => f.handle_key(ev, conn, env),
            Popup::Log(v) => v.handle_key(ev, conn, env),
            Popup::Help { scroll } => match lookup(HELP_BINDINGS, ev) {
                Some(HelpAction::Close) => PopupOutcome::Close,
                Some(HelpAction::Up) => {
                    *scroll = scroll.saturating_sub(1);
                    PopupOutcome::Redraw
                }
                Some(HelpAction::Down) => {
                    *scroll += 1;
                    PopupOutcome::Redraw
                }
                None => PopupOutcome::Nothing,
            },
            Popup::Menu { menu, kind } => match menu.handle_key(ev) {
                None => PopupOutcome::Redraw,
                Some(None) => PopupOutcome::Close,
                Some(Some(i)) => answer::picked(kind, i, conn, env),
            },
            Popup::Confirm { confirm, on_yes } => match confirm.handle_key(ev) {
                Some(ConfirmAction::No) => PopupOutcome::Close,
                Some(ConfirmAction::Yes) => answer::confirmed(on_yes, conn, env),
                None => PopupOutcome::Nothing,
            },
        }
    }

    /// Draws this popup: forms over the screen body, the others centred on
    /// the whole area. The help is drawn by the app (it lists what is under it).
    pub fn render(&self, frame: &mut Frame, body: Rect, area: Rect, env: &Env) {
        let th = &env.theme;
        match self {
            Popup::MemberForm(f) => f.form.render(frame, body, th),
            Popup::RecordForm(f) => f.render(frame, body, th),
            Popup::SettingsForm(f) => f.form.render(frame, body, th),
            Popup::StatusForm(f) => {
                let r = crate::ui::widgets::popup::centered(area, 64, 8);
                crate::ui::widgets::popup::clear(frame, r);
                f.form.render(frame, r, th)
            }
            Popup::VoidForm(f) => {
                let r = crate::ui::widgets::popup::centered(area, 64, 7);
                crate::ui::widgets::popup::clear(frame, r);
                f.form.render(frame, r, th)
            }
            Popup::Hardship(f) => f.render(frame, body, th),
            Popup::Fund(f) => f.render(frame, body, th),
            Popup::Honours(f) => f.render(frame, body, th),
            Popup::Stats(f) => {
                let r = crate::ui::widgets::popup::centered(area, 72, 7);
                crate::ui::widgets::popup::clear(frame, r);
                f.form.render(frame, r, th)
            }
            Popup::Log(v) => v.render(frame, area, env),
            Popup::Menu { menu, .. } => menu.render(frame, area, th),
            Popup::Confirm { confirm, .. } => confirm.render(frame, area, th, env.lang),
            Popup::Help { .. } => {}
        }
    }
}
