//! The forms of the care work: 谈心谈话 (talk), 走访慰问 (visit), 情况 (event)
//! and 集中走访活动 (campaign). A record form picks its member by a typed
//! code, name, pinyin or initials with a short candidate list under the
//! field (↑/↓ choose, Enter or Tab take one); it validates beside each field
//! as the clerk types and saves in one transaction.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use super::{Change, PopupOutcome};
use crate::db;
use crate::db::visits_list::{self, MemberHit};
use crate::domain::Lang;
use crate::domain::lunar;
use crate::domain::rules::ObligationKind;
use crate::domain::vocab::{CampaignTarget, Coded, EventKind, TalkForm, VisitKind};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};
use crate::ui::widgets::popup;

mod write;

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
        }
    }

    /// The member field and the date, shared by talks, visits and events.
    fn head(title: String, env: &Env, member: &Option<MemberHit>) -> Form {
        let l = env.lang;
        let label = member.as_ref().map(MemberHit::label).unwrap_or_default();
        let mut form = Form::new(title, l)
            .text("member", l.pick("党员", "Member"), &label, true)
            .with_hint(l.pick(
                "键入编号、姓名、全拼或首字母；↑↓ 选候选，Enter 确定",
                "type a code, name, pinyin or initials; ↑↓ pick, Enter takes it",
            ))
            .date("date", l.pick("日期", "Date"), Some(env.today), true)
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
        let l = env.lang;
        let choice = l.pick("←→ 选择，或键入首字母", "←→ choose, or type a first letter");
        let form = Self::head(l.pick("登记谈心谈话", "Record a talk").into(), env, &member)
            .choice(
                "form",
                l.pick("谈话形式", "Form"),
                options::<TalkForm>(l),
                0,
            )
            .with_hint(choice)
            .text("conductor", l.pick("谈话人", "Conducted by"), "", false)
            .with_hint(l.pick("姓名和职务", "name and role"))
            .text("summary", l.pick("内容摘要", "Summary"), summary, false)
            .text("problems", l.pick("发现问题", "Problems found"), "", false)
            .flag("follow_up", l.pick("需要跟进", "Follow-up needed"), false)
            .with_hint(l.pick("空格 勾选/取消", "Space ticks/unticks"))
            .text("follow_up_note", l.pick("跟进事项", "Follow-up"), "", false);
        let mut f = Self::with(RecordKind::Talk, form, member);
        if f.member.is_some() {
            f.form.set_focus("conductor");
        }
        f
    }

    /// 走访慰问 of `kind`; `notes` is prefilled (the reason it is due).
    pub fn visit(env: &Env, member: Option<MemberHit>, kind: VisitKind, notes: &str) -> Self {
        let l = env.lang;
        let form = Self::head(
            l.pick("登记走访慰问", "Record a visit").into(),
            env,
            &member,
        )
        .choice(
            "kind",
            l.pick("走访方式", "Kind"),
            options::<VisitKind>(l),
            position(kind),
        )
        .with_hint(l.pick(
            "家访、医院探望、节日慰问为上门走访；←→ 选择",
            "home, hospital and holiday visits are in person; ←→ choose",
        ))
        .text("visitor", l.pick("走访人", "Visited by"), "", false)
        .with_hint(l.pick("姓名和职务", "name and role"))
        .text("goods", l.pick("慰问品", "Goods"), "", false)
        .text("notes", l.pick("情况", "Notes"), notes, false);
        let mut f = Self::with(RecordKind::Visit, form, member);
        if f.member.is_some() {
            f.form.set_focus("visitor");
        }
        f
    }

    /// 情况: an event that obliges a talk or a visit.
    pub fn event(env: &Env, member: Option<MemberHit>) -> Self {
        let l = env.lang;
        let form = Self::head(
            l.pick("登记情况（必谈必访）", "Record an event").into(),
            env,
            &member,
        )
        .choice("kind", l.pick("情况", "Event"), options::<EventKind>(l), 0)
        .with_hint(l.pick(
            "←→ 选择；保存后按规则生成必谈/必访事项",
            "←→ choose; saving creates the must-talk/visit work",
        ))
        .text("note", l.pick("说明", "Note"), "", false);
        Self::with(RecordKind::Event, form, member)
    }

    /// 集中走访活动, proposing the next 七一 or 春节 window.
    pub fn campaign(env: &Env) -> Self {
        let l = env.lang;
        let templates = templates(env.today, l);
        // The window that ends first from today on.
        let first = if templates[0].to <= templates[1].to {
            0
        } else {
            1
        };
        let t = &templates[first];
        let names = [l.pick("七一", "July 1st"), l.pick("春节", "Spring Fest.")];
        let mut opts: Vec<ChoiceOption> = templates
            .iter()
            .zip(names)
            .map(|(t, n)| {
                ChoiceOption::new(
                    format!("{n} {}~{}", t.from.format("%m-%d"), t.to.format("%m-%d")),
                    "",
                )
            })
            .collect();
        opts[0].keys = vec!['q', '7'];
        opts[1].keys = vec!['c', 's'];
        opts.push(ChoiceOption::new(l.pick("自定义", "Custom"), "z"));
        let on: Vec<bool> = CampaignTarget::ALL
            .iter()
            .map(|t| matches!(t, CampaignTarget::Old | CampaignTarget::Hardship))
            .collect();
        let form = Form::new(l.pick("新建集中走访活动", "New campaign"), l)
            .choice("template", l.pick("建议窗口", "Proposed"), opts, first)
            .with_hint(l.pick(
                "七一 06-15 至 07-01；春节 为除夕前 14 天至除夕；←→ 选择",
                "七一 15 June to 1 July; 春节 the 14 days up to New Year's Eve",
            ))
            .text("name", l.pick("活动名称", "Name"), &t.name, true)
            .date("from", l.pick("开始日期", "From"), Some(t.from), true)
            .date("to", l.pick("结束日期", "To"), Some(t.to), true)
            .checks(
                "targets",
                l.pick("走访对象", "Targets"),
                options::<CampaignTarget>(l),
                on,
            )
            .with_hint(l.pick(
                "←→ 移动，空格 勾选；至少选一个",
                "←→ move, Space ticks; at least one",
            ));
        let mut f = Self::with(RecordKind::Campaign, form, None);
        f.templates = templates;
        f.applied_template = first;
        f.form.set_focus("name");
        f
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
        self.candidates = visits_list::member_candidates(conn, &text, CANDIDATES)?;
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
            if let Ok(Some(d)) = self.form.date_of("date")
                && d > env.today
            {
                self.form
                    .add_error("date", l.pick("不能晚于今天", "cannot be after today"));
            }
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
            && to < from
        {
            self.form.add_error(
                "to",
                l.pick("结束日期早于开始日期", "ends before it starts"),
            );
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
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
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
        self.validate(conn, env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let written = self.write(conn, env).map(|m| (Change::Record, m));
        super::settle(&mut self.form, written, env.lang)
    }

    /// Draws the form in `area`, and the candidates under the member field
    /// while it has focus and no member is picked (the cursor stays in the field).
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        if !self.dropdown_open() || area.width < 20 || area.height < 6 {
            return;
        }
        // Where the form puts the input column (see `Form::render`).
        let label_w = self
            .form
            .fields()
            .iter()
            .map(|f| text::width(&f.label) + 2)
            .max()
            .unwrap_or(0)
            .min(16) as u16;
        let x = area.x + 1 + 1 + label_w + 1;
        let y = area.y + 2;
        let items: Vec<String> = self
            .candidates
            .iter()
            .map(|h| format!(" {} ", h.label()))
            .collect();
        let w = items
            .iter()
            .map(|s| text::width(s))
            .max()
            .unwrap_or(10)
            .clamp(16, 34) as u16
            + 2;
        let w = w.min(area.right().saturating_sub(x));
        let h = (items.len() as u16 + 2).min(area.bottom().saturating_sub(y));
        if w < 6 || h < 3 {
            return;
        }
        let r = Rect {
            x,
            y,
            width: w,
            height: h,
        };
        popup::clear(frame, r);
        let b = ratatui::widgets::Block::bordered()
            .border_set(theme.border())
            .border_style(theme.popup_border());
        let inner = b.inner(r);
        frame.render_widget(b, r);
        let lines: Vec<Line> = items
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let s = text::pad_right(s, inner.width as usize);
                if i == self.pick {
                    Line::from(Span::styled(s, theme.selected()))
                } else {
                    Line::from(s)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The proposed 七一 and 春节 windows that end on or after `today`.
fn templates(today: NaiveDate, lang: Lang) -> Vec<Template> {
    let y = today.year();
    let (from, to) = match lunar::july_first_window(y) {
        (_, t) if t < today => lunar::july_first_window(y + 1),
        w => w,
    };
    let july = Template {
        name: match lang {
            Lang::Zh => format!("{}年七一走访慰问", from.year()),
            Lang::En => format!("{} July 1st visits", from.year()),
        },
        from,
        to,
    };
    let spring = [y, y + 1]
        .into_iter()
        .filter_map(lunar::spring_festival_window)
        .find(|(_, t)| *t >= today)
        .map(|(from, to)| Template {
            name: match lang {
                Lang::Zh => format!("{}年春节走访慰问", (to + chrono::Duration::days(1)).year()),
                Lang::En => format!(
                    "{} Spring Festival visits",
                    (to + chrono::Duration::days(1)).year()
                ),
            },
            from,
            to,
        })
        .unwrap_or_else(|| july.clone());
    vec![july, spring]
}
