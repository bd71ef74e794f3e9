//! The forms of the hardship ledger (困难台账): a case (new and edit), a
//! step of its workflow, the annual review (年审), a help measure, an entry
//! of a measure's log and a helper (结对帮扶). Each validates beside its
//! fields as the clerk types — the workflow's rules come from
//! `domain::hardship`, so a refused step says why beside the field it is
//! about — and saves in one transaction through `db::hardship`, which checks
//! again. Nothing here edits or deletes a step.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

mod case;
mod help;
mod picker;
mod review;
mod step;

pub use case::CaseForm;
pub use help::{ActionForm, HelperForm, MeasureForm};
pub use picker::MemberPicker;
pub use review::ReviewForm;
pub use step::StepForm;

use super::{MenuKind, Popup, PopupOutcome};
use crate::db;
use crate::db::hardship::CaseRow;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::hardship::{self, Step};
use crate::domain::safe_text;
use crate::domain::vocab::{CaseState, Coded};
use crate::ui::env::{Env, Status};
use crate::ui::popups::file_form::{FileForm, FileKind};
use crate::ui::popups::menu::Menu;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::Form;

/// A hardship form a screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HardshipRequest {
    NewCase,
    /// A new case for member `id`, category 生活困难 ticked (from a survey
    /// response with need 经济困难).
    NewCaseFor(i64),
    /// Case `id` in its form, to correct what it says.
    EditCase(i64),
    /// The menu of the steps allowed next for case `id`, then that step's form.
    Step(i64),
    /// 年审 of case `id`.
    Review(i64),
    /// A help measure, an entry of a measure's log, a helper of case `id`.
    Measure(i64),
    Action(i64),
    Helper(i64),
    /// 公示: the notice of the cases in publicity, written to a file.
    Notice,
}

/// One hardship form on the popup stack.
#[derive(Debug, Clone)]
pub enum HardshipForm {
    Case(CaseForm),
    Step(StepForm),
    Review(ReviewForm),
    Measure(MeasureForm),
    Action(ActionForm),
    Helper(HelperForm),
    Notice(FileForm),
}

impl HardshipForm {
    pub fn form(&self) -> &Form {
        match self {
            HardshipForm::Case(f) => &f.form,
            HardshipForm::Step(f) => &f.form,
            HardshipForm::Review(f) => &f.form,
            HardshipForm::Measure(f) => &f.form,
            HardshipForm::Action(f) => &f.form,
            HardshipForm::Helper(f) => &f.form,
            HardshipForm::Notice(f) => &f.form,
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self {
            HardshipForm::Case(f) => f.handle_key(ev, conn, env),
            HardshipForm::Step(f) => f.handle_key(ev, conn, env),
            HardshipForm::Review(f) => f.handle_key(ev, conn, env),
            HardshipForm::Measure(f) => f.handle_key(ev, conn, env),
            HardshipForm::Action(f) => f.handle_key(ev, conn, env),
            HardshipForm::Helper(f) => f.handle_key(ev, conn, env),
            HardshipForm::Notice(f) => f.handle_key(ev, conn, env),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self {
            HardshipForm::Case(f) => f.render(frame, area, theme),
            HardshipForm::Helper(f) => f.render(frame, area, theme),
            other => other.form().render(frame, area, theme),
        }
    }
}

fn popup(f: HardshipForm) -> Popup {
    Popup::Hardship(Box::new(f))
}

/// `张三（001）2026 年度`: the case a form is about.
pub(crate) fn case_label(c: &CaseRow, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}（{}）{} 年度", c.name, c.code, c.year),
        Lang::En => format!("{} ({}) {}", c.name, c.code, c.year),
    }
}

/// Beside a text field: control characters, invisible-only text, too long.
fn check_text(form: &mut Form, key: &str, max: usize, lang: Lang) {
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

/// Beside a date field: not after today.
fn check_not_future(form: &mut Form, key: &str, env: &Env) {
    if let Ok(Some(d)) = form.date_of(key)
        && d > env.today
    {
        form.add_error(key, env.lang.pick("不能晚于今天", "cannot be after today"));
    }
}

fn read_case(conn: &Connection, id: i64, lang: Lang) -> Result<CaseRow, Status> {
    match db::hardship::case(conn, id) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(Status::error(
            lang.pick("这份台账已不存在", "this case no longer exists"),
        )),
        Err(e) => Err(Status::error(e.message(lang))),
    }
}

/// Help is planned and given for a case not yet closed, resolved or rejected.
fn live_for_help(c: &CaseRow, lang: Lang) -> Result<(), Status> {
    if hardship::is_final(c.state) {
        return Err(Status::info(match lang {
            Lang::Zh => format!("台账已是「{}」，不再登记帮扶", c.state.zh()),
            Lang::En => format!("the case is {}: no more help is recorded", c.state.en()),
        }));
    }
    Ok(())
}

/// The popup for a hardship request, or why there is none.
pub fn open(req: HardshipRequest, conn: &Connection, env: &Env) -> Result<Popup, Status> {
    let lang = env.lang;
    let failed = |e: db::DbError| Status::error(e.message(lang));
    match req {
        HardshipRequest::NewCase => Ok(popup(HardshipForm::Case(CaseForm::new_case(env)))),
        HardshipRequest::NewCaseFor(id) => match db::survey::member_hit(conn, id) {
            Ok(Some(m)) => Ok(popup(HardshipForm::Case(CaseForm::new_case_for(env, m)))),
            Ok(None) => Err(Status::error(
                lang.pick("这位党员已不存在", "this member no longer exists"),
            )),
            Err(e) => Err(failed(e)),
        },
        HardshipRequest::Notice => Ok(popup(HardshipForm::Notice(FileForm::new(
            env,
            FileKind::HardshipNotice,
            None,
        )))),
        HardshipRequest::EditCase(id) => match db::hardship::detail(conn, id) {
            Ok(Some(d)) => CaseForm::edit(&d, env).map(|f| popup(HardshipForm::Case(f))),
            Ok(None) => Err(Status::error(
                lang.pick("这份台账已不存在", "this case no longer exists"),
            )),
            Err(e) => Err(failed(e)),
        },
        HardshipRequest::Step(id) => step_menu(conn, id, lang),
        HardshipRequest::Review(id) => read_case(conn, id, lang).and_then(|c| review_form(c, env)),
        HardshipRequest::Measure(id) => read_case(conn, id, lang).and_then(|c| {
            live_for_help(&c, lang)?;
            Ok(popup(HardshipForm::Measure(MeasureForm::new(c, env))))
        }),
        HardshipRequest::Action(id) => read_case(conn, id, lang).and_then(|c| {
            live_for_help(&c, lang)?;
            let measures = match db::hardship::detail(conn, id) {
                Ok(Some(d)) => d.measures,
                Ok(None) => Vec::new(),
                Err(e) => return Err(failed(e)),
            };
            if measures.is_empty() {
                return Err(Status::info(lang.pick(
                    "这份台账还没有帮扶措施：先按 m 或 F8 登记措施",
                    "the case has no help measure yet: add one with m or F8 first",
                )));
            }
            Ok(popup(HardshipForm::Action(ActionForm::new(
                c, measures, env,
            ))))
        }),
        HardshipRequest::Helper(id) => read_case(conn, id, lang).and_then(|c| {
            live_for_help(&c, lang)?;
            Ok(popup(HardshipForm::Helper(HelperForm::new(c, env))))
        }),
    }
}

fn review_form(c: CaseRow, env: &Env) -> Result<Popup, Status> {
    if !c.state.is_live() {
        return Err(Status::info(match env.lang {
            Lang::Zh => format!("台账为「{}」：只有审核通过或帮扶中的台账年审", c.state.zh()),
            Lang::En => format!(
                "the case is {}: only approved or active cases are reviewed",
                c.state.en()
            ),
        }));
    }
    Ok(popup(HardshipForm::Review(ReviewForm::new(c, env))))
}

/// The review form of `member`'s live case: what Enter on a
/// `hardship_review` row of the Overview opens.
pub fn review_for_member(
    conn: &Connection,
    env: &Env,
    member: &MemberHit,
) -> Result<Popup, Status> {
    let lang = env.lang;
    let id = db::hardship::live_case_of(conn, member.id)
        .map_err(|e| Status::error(e.message(lang)))?
        .ok_or_else(|| {
            Status::info(match lang {
                Lang::Zh => format!("{} 没有审核通过或帮扶中的困难台账", member.name),
                Lang::En => format!("{} has no approved or active case", member.name),
            })
        })?;
    review_form(read_case(conn, id, lang)?, env)
}

/// The menu of the steps allowed after the case's state — only those.
fn step_menu(conn: &Connection, id: i64, lang: Lang) -> Result<Popup, Status> {
    let c = read_case(conn, id, lang)?;
    let steps = hardship::next_steps(c.state).to_vec();
    if steps.is_empty() {
        return Err(Status::info(match lang {
            Lang::Zh => format!("台账已是「{}」，没有可办理的步骤", c.state.zh()),
            Lang::En => format!("the case is {}: no step follows", c.state.en()),
        }));
    }
    let history = db::hardship::steps(conn, id).map_err(|e| Status::error(e.message(lang)))?;
    let title = match lang {
        Lang::Zh => format!("办理：{}", case_label(&c, lang)),
        Lang::En => format!("Next step: {}", case_label(&c, lang)),
    };
    let options = steps.iter().map(|s| s.label(lang).to_string()).collect();
    Ok(Popup::Menu {
        menu: Menu::new(title, options),
        kind: MenuKind::CaseStep {
            case: Box::new(c),
            history,
            steps,
        },
    })
}

/// The form of the step picked from the menu.
pub fn step_picked(case: &CaseRow, history: &[Step], to: CaseState, env: &Env) -> PopupOutcome {
    PopupOutcome::Replace(popup(HardshipForm::Step(StepForm::new(
        case.clone(),
        history.to_vec(),
        to,
        env,
    ))))
}
