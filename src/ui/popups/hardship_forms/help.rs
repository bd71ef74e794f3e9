//! The help given in a case: a measure (帮扶措施) with its plan, who is
//! responsible and when it starts; an entry of a measure's log (what was
//! done, the amount in yuan or the goods); a helper paired with the case
//! (结对帮扶: a roster member found by typing, or a named unit).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::picker::MemberPicker;
use super::{case_label, check_not_future, check_text};
use crate::db;
use crate::db::hardship::{CaseRow, HelperKind, Measure, NewAction, NewMeasure};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::money::parse_yuan;
use crate::domain::vocab::{Coded, MeasureKind};
use crate::ui::env::Env;
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};

/// The keys every small form of this file shares: validate on change, save.
fn form_key(
    form: &mut Form,
    ev: &KeyEvent,
    validate: &mut dyn FnMut(&mut Form),
) -> Option<PopupOutcome> {
    match form.handle_key(ev) {
        FormEvent::Ignored => Some(PopupOutcome::Nothing),
        FormEvent::Moved => Some(PopupOutcome::Redraw),
        FormEvent::Changed(_) => {
            validate(form);
            Some(PopupOutcome::Redraw)
        }
        FormEvent::Cancel => Some(super::super::cancel(form)),
        FormEvent::Save => None,
    }
}

#[derive(Debug, Clone)]
pub struct MeasureForm {
    pub form: Form,
    case: CaseRow,
}

impl MeasureForm {
    pub fn new(case: CaseRow, env: &Env) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("帮扶措施：{}", case_label(&case, l)),
            Lang::En => format!("Help measure: {}", case_label(&case, l)),
        };
        let kinds = MeasureKind::ALL
            .iter()
            .map(|&k| ChoiceOption::coded(k, l))
            .collect();
        let form = Form::new(title, l)
            .choice("kind", l.pick("措施类型", "Kind"), kinds, 0)
            .with_hint(l.pick("←→ 选择，或键入首字母", "←→ choose, or type a first letter"))
            .text("plan", l.pick("帮扶计划", "Plan"), "", true)
            .text("responsible", l.pick("责任人", "Responsible"), "", false)
            .with_hint(l.pick("姓名和职务", "name and role"))
            .date(
                "start",
                l.pick("开始日期", "Starts on"),
                Some(env.today),
                false,
            );
        MeasureForm { form, case }
    }

    fn validate(form: &mut Form, lang: Lang) {
        form.check_builtin();
        check_text(form, "plan", 200, lang);
        check_text(form, "responsible", 60, lang);
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        if let Some(o) = form_key(&mut self.form, ev, &mut |f| Self::validate(f, l)) {
            return o;
        }
        self.form.begin_submit();
        Self::validate(&mut self.form, l);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let f = &self.form;
        let m = NewMeasure {
            kind: MeasureKind::ALL[f.choice_of("kind")],
            plan: f.text_of("plan").trim().to_string(),
            responsible: f.text_of("responsible").trim().to_string(),
            start_date: f.date_of("start").ok().flatten(),
        };
        let written = db::hardship::add_measure(conn, self.case.id, &m).map(|_| {
            let msg = match l {
                Lang::Zh => format!(
                    "已登记帮扶措施「{}」：{}",
                    m.kind.zh(),
                    case_label(&self.case, l)
                ),
                Lang::En => format!(
                    "Measure added ({}): {}",
                    m.kind.en(),
                    case_label(&self.case, l)
                ),
            };
            (Change::Record, msg)
        });
        super::super::settle(&mut self.form, written, l)
    }
}

#[derive(Debug, Clone)]
pub struct ActionForm {
    pub form: Form,
    case: CaseRow,
    measures: Vec<Measure>,
}

impl ActionForm {
    /// An entry of the log of one of `measures` (chosen in the form).
    pub fn new(case: CaseRow, measures: Vec<Measure>, env: &Env) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("帮扶记录：{}", case_label(&case, l)),
            Lang::En => format!("Help given: {}", case_label(&case, l)),
        };
        let options = measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let label = format!("{}. {} {}", i + 1, m.kind.label(l), m.plan);
                ChoiceOption::new(text::truncate(&label, 26), &(i + 1).to_string())
            })
            .collect();
        let form = Form::new(title, l)
            .choice(
                "measure",
                l.pick("帮扶措施", "Measure"),
                options,
                measures.len() - 1,
            )
            .with_hint(l.pick("←→ 选择哪项措施", "←→ choose the measure"))
            .date("date", l.pick("日期", "Date"), Some(env.today), true)
            .with_hint(l.pick(
                "不晚于今天，不早于措施开始日期",
                "not after today nor before the measure started",
            ))
            .text("action", l.pick("帮扶内容", "What was done"), "", true)
            .text("amount", l.pick("金额（元）", "Amount yuan"), "", false)
            .with_hint(l.pick(
                "可不填；单位元，如 500 或 1,234.50",
                "optional; in yuan: 500 or 1,234.50",
            ))
            .text("goods", l.pick("物品", "Goods"), "", false)
            .with_hint(l.pick("可不填；如 米面油", "optional; e.g. rice and oil"));
        let mut f = ActionForm {
            form,
            case,
            measures,
        };
        f.form.set_focus("action");
        f
    }

    fn measure(&self) -> &Measure {
        &self.measures[self.form.choice_of("measure").min(self.measures.len() - 1)]
    }

    fn validate(&mut self, env: &Env) {
        let l = env.lang;
        let start = self.measure().start_date;
        let f = &mut self.form;
        f.check_builtin();
        check_not_future(f, "date", env);
        if let (Ok(Some(d)), Some(s)) = (f.date_of("date"), start)
            && d < s
        {
            f.add_error(
                "date",
                match l {
                    Lang::Zh => format!("早于措施开始日期 {}", dates::fmt(s)),
                    Lang::En => format!("before the measure started ({})", dates::fmt(s)),
                },
            );
        }
        check_text(f, "action", 200, l);
        check_text(f, "goods", 100, l);
        let amount = f.text_of("amount").trim().to_string();
        if !amount.is_empty() {
            match parse_yuan(&amount) {
                Err(p) => f.add_error("amount", l.pick(p.zh(), p.en())),
                Ok(fen) if fen <= 0 => {
                    f.add_error("amount", l.pick("金额须大于 0", "above 0, please"))
                }
                Ok(_) => {}
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        match self.form.handle_key(ev) {
            FormEvent::Ignored => return PopupOutcome::Nothing,
            FormEvent::Moved => return PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env);
                return PopupOutcome::Redraw;
            }
            FormEvent::Cancel => return super::super::cancel(&self.form),
            FormEvent::Save => {}
        }
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let f = &self.form;
        let amount = f.text_of("amount").trim();
        let a = NewAction {
            date: f.date_of("date").ok().flatten().unwrap_or(env.today),
            action: f.text_of("action").trim().to_string(),
            amount_fen: (!amount.is_empty())
                .then(|| parse_yuan(amount).ok())
                .flatten(),
            goods: f.text_of("goods").trim().to_string(),
        };
        let measure = self.measure().id;
        let written = db::hardship::add_action(conn, measure, &a, env.today).map(|_| {
            let msg = match l {
                Lang::Zh => format!("已登记帮扶记录：{}", case_label(&self.case, l)),
                Lang::En => format!("Help recorded: {}", case_label(&self.case, l)),
            };
            (Change::Record, msg)
        });
        super::super::settle(&mut self.form, written, l)
    }
}

#[derive(Debug, Clone)]
pub struct HelperForm {
    pub form: Form,
    case: CaseRow,
    picker: MemberPicker,
}

impl HelperForm {
    pub fn new(case: CaseRow, env: &Env) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("结对帮扶：{}", case_label(&case, l)),
            Lang::En => format!("Pair a helper: {}", case_label(&case, l)),
        };
        let form = Form::new(title, l)
            .text("member", l.pick("帮扶党员", "Member"), "", false)
            .with_hint(l.pick(
                "在册党员：键入编号、姓名、全拼或首字母；或只填帮扶单位",
                "a roster member by code, name, pinyin or initials; or a unit below",
            ))
            .text("unit", l.pick("或帮扶单位", "Or a unit"), "", false)
            .with_hint(l.pick(
                "单位名称，如：区民政局；与帮扶党员二选一",
                "the unit's name; either a member or a unit",
            ))
            .date("since", l.pick("结对日期", "Since"), Some(env.today), false)
            .with_hint(l.pick("不晚于今天", "not after today"));
        HelperForm {
            form,
            case,
            picker: MemberPicker::new("member"),
        }
    }

    pub fn candidates(&self) -> &[crate::db::visits_list::MemberHit] {
        self.picker.candidates()
    }

    fn validate(&mut self, env: &Env) {
        let l = env.lang;
        let f = &mut self.form;
        f.check_builtin();
        self.picker.check(f, l);
        check_text(f, "unit", 60, l);
        check_not_future(f, "since", env);
        let member = !f.text_of("member").trim().is_empty();
        let unit = !f.text_of("unit").trim().is_empty();
        if member && unit {
            f.add_error(
                "unit",
                l.pick("帮扶党员和单位只填一项", "a member or a unit, not both"),
            );
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        if self.picker.handle_key(ev, &mut self.form) {
            self.validate(env);
            return PopupOutcome::Redraw;
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => return PopupOutcome::Nothing,
            FormEvent::Moved => return PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                if let Err(e) = self.picker.changed(conn, &self.form) {
                    return PopupOutcome::Refused(e.message(l));
                }
                self.validate(env);
                return PopupOutcome::Redraw;
            }
            FormEvent::Cancel => return super::super::cancel(&self.form),
            FormEvent::Save => {}
        }
        self.form.begin_submit();
        self.validate(env);
        let unit = self.form.text_of("unit").trim().to_string();
        if self.picker.member.is_none() && unit.is_empty() {
            self.form.add_error(
                "member",
                l.pick(
                    "请选择帮扶党员或填写帮扶单位",
                    "pick a member or enter a unit",
                ),
            );
        }
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let helper = match &self.picker.member {
            Some(m) => HelperKind::Member {
                id: m.id,
                code: m.code.clone(),
                name: m.name.clone(),
            },
            None => HelperKind::Unit(unit),
        };
        let since = self.form.date_of("since").ok().flatten();
        let written = db::hardship::add_helper(conn, self.case.id, &helper, since).map(|_| {
            let who = match &helper {
                HelperKind::Member { name, .. } => name.clone(),
                HelperKind::Unit(u) => u.clone(),
            };
            let msg = match l {
                Lang::Zh => format!("已结对：{who} 帮扶 {}", case_label(&self.case, l)),
                Lang::En => format!("Paired: {who} helps {}", case_label(&self.case, l)),
            };
            (Change::Record, msg)
        });
        super::super::settle(&mut self.form, written, l)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        self.picker.render(frame, area, &self.form, theme);
    }
}
