//! The forms of the care work: 谈心谈话 (talk), 走访慰问 (visit), 情况 (event)
//! and 集中走访活动 (campaign). A record form picks its member by a typed
//! code, name, pinyin or initials with a short candidate list under the
//! field (↑/↓ choose, Enter or Tab take one); it validates beside each field
//! as the clerk types and saves in one transaction.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::Connection;

use super::{Change, PopupOutcome};
use crate::db;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::records::{Campaign, Event, Talk, Visit};
use crate::domain::rules::ObligationKind;
use crate::domain::validate;
use crate::domain::vocab::{Coded, EventKind, TalkForm, VisitKind};
use crate::ui::env::Env;
use crate::ui::keys::lookup;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};

mod campaign;
mod draw;
mod edit;
mod money;
mod write;

pub use edit::{FORM_BINDINGS, FormKey};

/// Candidates shown under the member field.
const CANDIDATES: usize = 6;

/// Which record a form writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Talk,
    Visit,
    Event,
    Campaign,
}

/// A proposed campaign window: label, name, from, to.
#[derive(Debug, Clone)]
struct Template {
    name: String,
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct RecordForm {
    pub kind: RecordKind,
    pub form: Form,
    member: Option<MemberHit>,
    candidates: Vec<MemberHit>,
    pick: usize,
    /// The member text the candidates were found for.
    seen: String,
    templates: Vec<Template>,
    applied_template: usize,
    /// An edit: the record's id and the version it was read at.
    editing: Option<(i64, i64)>,
    /// The campaign a visit is recorded for (its window is checked).
    campaign: Option<Campaign>,
    /// The clerk was told the date does not count for `campaign`; a second
    /// save keeps it.
    warned: bool,
    /// The campaign's window is over (F7 sets its last day).
    window_over: bool,
}

/// The vocabulary as choice options.
fn options<T: Coded>(lang: Lang) -> Vec<ChoiceOption> {
    T::ALL
        .iter()
        .map(|&v| ChoiceOption::coded(v, lang))
        .collect()
}

fn position<T: Coded + PartialEq>(v: T) -> usize {
    T::ALL.iter().position(|&x| x == v).unwrap_or(0)
}

/// Replaces the text of a text or date field. The form has no setter, so the
/// field is edited the way the clerk would: to the end, delete to the start,
/// type the new text.
fn set_text(form: &mut Form, key: &str, value: &str) {
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

impl RecordForm {
    fn with(kind: RecordKind, form: Form, member: Option<MemberHit>) -> Self {
        let seen = member.as_ref().map(MemberHit::label).unwrap_or_default();
        RecordForm {
            kind,
            form,
            member,
            candidates: Vec::new(),
            pick: 0,
            seen,
            templates: Vec::new(),
            applied_template: 0,
            editing: None,
            campaign: None,
            warned: false,
            window_over: false,
        }
    }

    /// The member field and the date, shared by talks, visits and events.
    fn head(title: String, env: &Env, member: &Option<MemberHit>, date: NaiveDate) -> Form {
        let l = env.lang;
        let label = member.as_ref().map(MemberHit::label).unwrap_or_default();
        let mut form = Form::new(title, l)
            .text("member", l.pick("党员", "Member"), &label, true)
            .with_hint(l.pick(
                "键入编号、姓名、全拼或首字母；↑↓ 选候选，Enter 确定",
                "type a code, name, pinyin or initials; ↑↓ pick, Enter takes it",
            ))
            .date("date", l.pick("日期", "Date"), Some(date), true)
            .with_hint(l.pick(
                "不晚于今天；如 2024-01-25、2024/1/25",
                "not after today; 2024-01-25, 2024/1/25",
            ));
        if member.is_some() {
            // Filled in: start where the clerk has something to write.
            form.set_focus("date");
        }
        form
    }

    /// 谈心谈话; `summary` is prefilled (the reason it is due).
    pub fn talk(env: &Env, member: Option<MemberHit>, summary: &str) -> Self {
        let t = Talk {
            id: 0,
            member_id: 0,
            date: env.today,
            conductor: String::new(),
            form: TalkForm::ALL[0],
            summary: summary.to_string(),
            problems: String::new(),
            follow_up: false,
            follow_up_note: String::new(),
        };
        let title = env.lang.pick("登记谈心谈话", "Record a talk").into();
        Self::talk_form(env, member, &t, title)
    }

    /// The talk form holding `t`.
    pub(super) fn talk_form(env: &Env, member: Option<MemberHit>, t: &Talk, title: String) -> Self {
        let l = env.lang;
        let choice = l.pick("←→ 选择，或键入首字母", "←→ choose, or type a first letter");
        let form = Self::head(title, env, &member, t.date)
            .choice(
                "form",
                l.pick("谈话形式", "Form"),
                options::<TalkForm>(l),
                position(t.form),
            )
            .with_hint(choice)
            .text(
                "conductor",
                l.pick("谈话人", "Conducted by"),
                &t.conductor,
                false,
            )
            .with_hint(l.pick("姓名和职务", "name and role"))
            .text("summary", l.pick("内容摘要", "Summary"), &t.summary, false)
            .text(
                "problems",
                l.pick("发现问题", "Problems found"),
                &t.problems,
                false,
            )
            .flag(
                "follow_up",
                l.pick("需要跟进", "Follow-up needed"),
                t.follow_up,
            )
            .with_hint(l.pick("空格 勾选/取消", "Space ticks/unticks"))
            .text(
                "follow_up_note",
                l.pick("跟进事项", "Follow-up"),
                &t.follow_up_note,
                false,
            );
        let mut f = Self::with(RecordKind::Talk, form, member);
        if f.member.is_some() {
            f.form.set_focus("conductor");
        }
        f
    }

    /// 走访慰问 of `kind`; `notes` is prefilled (the reason it is due).
    pub fn visit(env: &Env, member: Option<MemberHit>, kind: VisitKind, notes: &str) -> Self {
        let v = Visit {
            id: 0,
            member_id: 0,
            date: env.today,
            visitor: String::new(),
            kind,
            goods: String::new(),
            fund_entry_id: None,
            notes: notes.to_string(),
        };
        let title = env.lang.pick("登记走访慰问", "Record a visit").into();
        Self::visit_form(env, member, &v, title)
    }

    /// The visit form holding `v`.
    pub(super) fn visit_form(
        env: &Env,
        member: Option<MemberHit>,
        v: &Visit,
        title: String,
    ) -> Self {
        let l = env.lang;
        let form = Self::head(title, env, &member, v.date)
            .choice(
                "kind",
                l.pick("走访方式", "Kind"),
                options::<VisitKind>(l),
                position(v.kind),
            )
            .with_hint(l.pick(
                "家访、医院探望、节日慰问为上门走访；←→ 选择",
                "home, hospital and holiday visits are in person; ←→ choose",
            ))
            .text("visitor", l.pick("走访人", "Visited by"), &v.visitor, false)
            .with_hint(l.pick("姓名和职务", "name and role"))
            .text("goods", l.pick("慰问品", "Goods"), &v.goods, false);
        // 慰问金 is paid when a visit is recorded, never changed by an edit.
        let form = if v.id == 0 {
            money::money_fields(form, l)
        } else {
            form
        };
        let form = form.text("notes", l.pick("情况", "Notes"), &v.notes, false);
        let mut f = Self::with(RecordKind::Visit, form, member);
        if f.member.is_some() {
            f.form.set_focus("visitor");
        }
        f
    }

    /// 情况: an event that obliges a talk or a visit.
    pub fn event(env: &Env, member: Option<MemberHit>) -> Self {
        let e = Event {
            id: 0,
            member_id: 0,
            date: env.today,
            kind: EventKind::ALL[0],
            note: String::new(),
        };
        let title = env
            .lang
            .pick("登记情况（必谈必访）", "Record an event")
            .into();
        Self::event_form(env, member, &e, title)
    }

    /// The event form holding `e`.
    pub(super) fn event_form(
        env: &Env,
        member: Option<MemberHit>,
        e: &Event,
        title: String,
    ) -> Self {
        let l = env.lang;
        let form = Self::head(title, env, &member, e.date)
            .choice(
                "kind",
                l.pick("情况", "Event"),
                options::<EventKind>(l),
                position(e.kind),
            )
            .with_hint(l.pick(
                "←→ 选择；保存后按规则生成必谈/必访事项",
                "←→ choose; saving creates the must-talk/visit work",
            ))
            .text("note", l.pick("说明", "Note"), &e.note, false);
        Self::with(RecordKind::Event, form, member)
    }

    /// The form that discharges an obligation, filled with the member, today
    /// and the reason; `None` for work done elsewhere (reviews, loans).
    pub fn for_obligation(env: &Env, member: MemberHit, kind: &ObligationKind) -> Option<Self> {
        let reason = kind.label(env.lang);
        let visit = |k| Some(Self::visit(env, Some(member.clone()), k, &reason));
        match kind {
            ObligationKind::AnnualTalk | ObligationKind::EventTalk(_) => {
                Some(Self::talk(env, Some(member.clone()), &reason))
            }
            ObligationKind::HonoraryHealthCheck => visit(VisitKind::HealthCheck),
            ObligationKind::MobileContact => visit(VisitKind::Phone),
            ObligationKind::EventVisit(EventKind::Illness) => visit(VisitKind::Hospital),
            ObligationKind::Campaign(_) => visit(VisitKind::Holiday),
            ObligationKind::HardshipVisit
            | ObligationKind::HonoraryVisit
            | ObligationKind::EventVisit(_) => visit(VisitKind::Home),
            ObligationKind::HardshipReview | ObligationKind::LoanInstalment => None,
        }
    }

    /// The member picked (for talks, visits and events).
    pub fn member(&self) -> Option<&MemberHit> {
        self.member.as_ref()
    }

    /// The candidates under the member field.
    pub fn candidates(&self) -> &[MemberHit] {
        &self.candidates
    }

    fn has_member_field(&self) -> bool {
        self.kind != RecordKind::Campaign
    }

    fn dropdown_open(&self) -> bool {
        self.has_member_field()
            && self.form.focused_key() == "member"
            && self.member.is_none()
            && !self.candidates.is_empty()
    }

    fn choose(&mut self, i: usize) {
        if let Some(h) = self.candidates.get(i).cloned() {
            let label = h.label();
            self.member = Some(h);
            self.candidates.clear();
            self.seen = label.clone();
            set_text(&mut self.form, "member", &label);
        }
    }

    /// The member text changed: find candidates; an exact code or label picks.
    fn member_changed(&mut self, conn: &Connection) -> db::Result<()> {
        let text = self.form.text_of("member").trim().to_string();
        if text == self.seen {
            return Ok(());
        }
        self.seen = text.clone();
        self.member = None;
        self.pick = 0;
        self.candidates = crate::ui::screens::pick::candidates(conn, &text, CANDIDATES)?;
        if let Some(h) = self
            .candidates
            .iter()
            .find(|h| h.code == text || h.label() == text)
        {
            self.member = Some(h.clone());
            self.candidates.clear();
        }
        Ok(())
    }

    fn apply_template(&mut self) {
        let i = self.form.choice_of("template");
        if i == self.applied_template {
            return;
        }
        self.applied_template = i;
        if let Some(t) = self.templates.get(i).cloned() {
            set_text(&mut self.form, "name", &t.name);
            set_text(&mut self.form, "from", &crate::domain::dates::fmt(t.from));
            set_text(&mut self.form, "to", &crate::domain::dates::fmt(t.to));
        }
    }

    /// Sets every field's error from what is typed now.
    pub fn validate(&mut self, conn: &Connection, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        if self.has_member_field() {
            if self.member.is_none() && !self.form.text_of("member").trim().is_empty() {
                self.form.add_error(
                    "member",
                    if self.candidates.is_empty() {
                        l.pick("没有这位在册党员", "no active member matches")
                    } else {
                        l.pick(
                            "请从候选中选择（↑↓，Enter）",
                            "pick a candidate (↑↓, Enter)",
                        )
                    },
                );
            }
            if let Ok(Some(d)) = self.form.date_of("date") {
                if validate::not_future(d, env.today).is_err() {
                    self.form
                        .add_error("date", l.pick("不能晚于今天", "cannot be after today"));
                }
                if !self.warned
                    && let Some(w) = self.window_warning(d, env)
                {
                    self.form.add_error("date", w);
                }
            }
            self.check_money(conn, env);
            return;
        }
        let name = self.form.text_of("name").trim().to_string();
        if !name.is_empty()
            && let Ok(all) = db::records::campaigns(conn)
            && all.iter().any(|c| c.name == name)
        {
            self.form
                .add_error("name", l.pick("已有同名活动", "a campaign has this name"));
        }
        if let (Ok(Some(from)), Ok(Some(to))) = (self.form.date_of("from"), self.form.date_of("to"))
        {
            let window = Campaign {
                id: 0,
                name,
                from,
                to,
                targets: Vec::new(),
            };
            if window.window_problem().is_some() {
                self.form.add_error(
                    "to",
                    l.pick("结束日期早于开始日期", "ends before it starts"),
                );
            }
        }
        if !self.form.checks_of("targets").contains(&true) {
            self.form.add_error(
                "targets",
                l.pick("至少选一个走访对象", "tick at least one group"),
            );
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        if self.dropdown_open() {
            let n = self.candidates.len();
            match ev.code {
                KeyCode::Down => {
                    self.pick = (self.pick + 1) % n;
                    return PopupOutcome::Redraw;
                }
                KeyCode::Up => {
                    self.pick = (self.pick + n - 1) % n;
                    return PopupOutcome::Redraw;
                }
                KeyCode::Enter | KeyCode::Tab => {
                    self.choose(self.pick);
                    self.form
                        .handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
                    self.validate(conn, env);
                    return PopupOutcome::Redraw;
                }
                _ => {}
            }
        }
        if let Some(FormKey::WindowEnd) = lookup(FORM_BINDINGS, ev) {
            return self.apply_window_end(conn, env);
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                // Something changed since the warning: warn again.
                self.warned = false;
                if self.has_member_field() {
                    if let Err(e) = self.member_changed(conn) {
                        return PopupOutcome::Refused(e.message(env.lang));
                    }
                } else {
                    self.apply_template();
                }
                self.validate(conn, env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    /// Validates and writes the record in one transaction.
    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        self.form.begin_submit();
        if let Some(refusal) = self.warn_once(conn, env) {
            return refusal;
        }
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let written = self.write(conn, env).map(|m| (Change::Record, m));
        super::settle(&mut self.form, written, env.lang)
    }
}
