//! The data-entry form (逐份登记): one member's paper form typed in at the
//! speed of paper. Focus starts on 思想状况; a digit there chooses and moves
//! on to 健康状况, a digit there moves on to 需求, where digits toggle the
//! needs (1–9, 0 the tenth); Enter moves on, Enter on the last field or F9
//! saves. A blank form is therefore digit, digit, F9. As in every form, the
//! choices also take ←/→ and the first letters of a label, and the needs
//! list is a check list: ←/→ (or letters) move its cursor, Space toggles.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::EntryAction;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::survey::{Answers, Response, choice_of_digit, need_of_digit, toggle};
use crate::domain::vocab::{Coded, Health, Ideology, Need};
use crate::ui::widgets::field::{Input, InputEvent};
use crate::ui::widgets::form::{ChoiceOption, type_ahead};

/// The fields in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Ideology,
    Health,
    Needs,
    FollowUp,
    Date,
    Surveyor,
    Work,
    Opinions,
    FollowUpNote,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Ideology,
        Field::Health,
        Field::Needs,
        Field::FollowUp,
        Field::Date,
        Field::Surveyor,
        Field::Work,
        Field::Opinions,
        Field::FollowUpNote,
    ];

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Field::Ideology => l.pick("思想状况", "Ideology"),
            Field::Health => l.pick("健康状况", "Health"),
            Field::Needs => l.pick("需求", "Needs"),
            Field::FollowUp => l.pick("需跟进", "Follow-up"),
            Field::Date => l.pick("调查日期", "Date"),
            Field::Surveyor => l.pick("调查人", "Surveyor"),
            Field::Work => l.pick("工作期望", "Expectations"),
            Field::Opinions => l.pick("意见建议", "Opinions"),
            Field::FollowUpNote => l.pick("跟进说明", "Follow-up note"),
        }
    }

    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::Date | Field::Surveyor | Field::Work | Field::Opinions | Field::FollowUpNote
        )
    }
}

/// One member's form.
#[derive(Debug, Clone)]
pub struct Entry {
    pub member: MemberHit,
    /// The stored response when this is a correction, with its version.
    pub editing: Option<(i64, i64)>,
    pub ideology: Option<Ideology>,
    pub health: Option<Health>,
    pub needs: Vec<Need>,
    pub follow_up: bool,
    pub date: Input,
    pub surveyor: Input,
    pub work: Input,
    pub opinions: Input,
    pub follow_up_note: Input,
    pub focus: Field,
    /// Last round's answers of the same member, shown beside the fields.
    pub previous: Option<Answers>,
    /// Errors beside the fields.
    pub errors: Vec<(Field, String)>,
    /// What the fields held when the form opened, to tell unsaved input.
    initial: Content,
    /// The key that asked to leave the form with unsaved input (the
    /// question is open; yes leaves as that key would).
    pub leave_by: Option<EntryAction>,
    /// The need under the cursor of the needs list (an index of `Need::ALL`):
    /// ←/→ move it, Space toggles it, letters find one.
    pub need_at: usize,
    /// The letters typed so far on a choice or the needs list (type-ahead).
    typed: String,
    /// Whether F6 has recorded this member's ideology event from this form.
    pub ideology_event: bool,
}

/// Everything a clerk can type or choose in the form.
type Content = (
    Option<Ideology>,
    Option<Health>,
    Vec<Need>,
    bool,
    [String; 5],
);

impl Entry {
    /// A blank form for `member`; the date and surveyor carried over.
    pub fn new(
        member: MemberHit,
        date: &str,
        surveyor: &str,
        previous: Option<Answers>,
        stored: Option<Response>,
    ) -> Self {
        let mut e = Entry {
            member,
            editing: None,
            ideology: None,
            health: None,
            needs: Vec::new(),
            follow_up: false,
            date: Input::new(date),
            surveyor: Input::new(surveyor),
            work: Input::default(),
            opinions: Input::default(),
            follow_up_note: Input::default(),
            focus: Field::Ideology,
            previous,
            errors: Vec::new(),
            initial: Default::default(),
            leave_by: None,
            need_at: 0,
            typed: String::new(),
            ideology_event: false,
        };
        if let Some(r) = stored {
            e.editing = Some((r.id, r.version));
            e.fill(&r.answers, true);
        }
        e.initial = e.content();
        e
    }

    fn content(&self) -> Content {
        (
            self.ideology,
            self.health,
            self.needs.clone(),
            self.follow_up,
            [
                &self.date,
                &self.surveyor,
                &self.work,
                &self.opinions,
                &self.follow_up_note,
            ]
            .map(|i| i.value().to_string()),
        )
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn is_changed(&self) -> bool {
        self.content() != self.initial
    }

    fn fill(&mut self, a: &Answers, all: bool) {
        self.ideology = Some(a.ideology);
        self.health = Some(a.health);
        self.needs = a.needs.clone();
        self.follow_up = a.follow_up;
        self.work.set(a.work_expectations.clone());
        self.opinions.set(a.opinions.clone());
        self.follow_up_note.set(a.follow_up_note.clone());
        if all {
            self.date.set(a.date.to_string());
            self.surveyor.set(a.surveyor.clone());
        }
    }

    /// F5: last round's answers copied (not its date and surveyor).
    pub fn carry_over(&mut self) -> bool {
        let Some(p) = self.previous.clone() else {
            return false;
        };
        self.fill(&p, false);
        self.errors.clear();
        true
    }

    pub fn input_mut(&mut self, f: Field) -> Option<&mut Input> {
        match f {
            Field::Date => Some(&mut self.date),
            Field::Surveyor => Some(&mut self.surveyor),
            Field::Work => Some(&mut self.work),
            Field::Opinions => Some(&mut self.opinions),
            Field::FollowUpNote => Some(&mut self.follow_up_note),
            _ => None,
        }
    }

    pub fn input(&self, f: Field) -> Option<&Input> {
        match f {
            Field::Date => Some(&self.date),
            Field::Surveyor => Some(&self.surveyor),
            Field::Work => Some(&self.work),
            Field::Opinions => Some(&self.opinions),
            Field::FollowUpNote => Some(&self.follow_up_note),
            _ => None,
        }
    }

    /// Moves focus; false when it is already at the end (`forward`).
    pub fn move_focus(&mut self, forward: bool) -> bool {
        let i = Field::ALL
            .iter()
            .position(|&f| f == self.focus)
            .unwrap_or(0);
        let j = if forward { i + 1 } else { i.wrapping_sub(1) };
        match Field::ALL.get(j) {
            Some(&f) => {
                self.focus = f;
                self.typed.clear();
                true
            }
            None => false,
        }
    }

    /// ←/→ on a choice.
    pub fn cycle(&mut self, forward: bool) -> bool {
        fn step<T: Coded + PartialEq>(now: Option<T>, forward: bool) -> Option<T> {
            let n = T::ALL.len();
            let i = now.and_then(|v| T::ALL.iter().position(|&x| x == v));
            let j = match (i, forward) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
            };
            T::ALL.get(j).copied()
        }
        self.typed.clear();
        match self.focus {
            Field::Ideology => self.ideology = step(self.ideology, forward),
            Field::Health => self.health = step(self.health, forward),
            Field::FollowUp => self.follow_up = !self.follow_up,
            Field::Needs => {
                let n = Need::ALL.len();
                self.need_at = if forward {
                    (self.need_at + 1).min(n - 1)
                } else {
                    self.need_at.saturating_sub(1)
                };
                return true;
            }
            _ => return false,
        }
        self.clear_error(self.focus);
        true
    }

    /// A letter (or a Chinese character) on a choice or the needs list: the
    /// first letters of a label, typed one after another, pick it (`w` 稳定
    /// or 波动 `bd`; on the needs list the cursor goes to 经济困难 by `jj`).
    /// True when taken.
    pub fn letter(&mut self, c: char, l: Lang) -> bool {
        fn pick<T: Coded + PartialEq>(
            now: Option<T>,
            typed: &mut String,
            c: char,
            l: Lang,
        ) -> Option<T> {
            let options: Vec<ChoiceOption> =
                T::ALL.iter().map(|&v| ChoiceOption::coded(v, l)).collect();
            let current = now
                .and_then(|v| T::ALL.iter().position(|&x| x == v))
                .unwrap_or(T::ALL.len() - 1);
            type_ahead(&options, current, typed, c).map(|j| T::ALL[j])
        }
        let mut typed = std::mem::take(&mut self.typed);
        let taken = match self.focus {
            Field::Ideology => pick(self.ideology, &mut typed, c, l).map(|v| {
                self.ideology = Some(v);
            }),
            Field::Health => pick(self.health, &mut typed, c, l).map(|v| {
                self.health = Some(v);
            }),
            Field::Needs => pick(Need::ALL.get(self.need_at).copied(), &mut typed, c, l).map(|n| {
                self.need_at = Need::ALL.iter().position(|&x| x == n).unwrap_or(0);
            }),
            _ => None,
        }
        .is_some();
        self.typed = typed;
        if taken {
            self.clear_error(self.focus);
        }
        taken
    }

    /// A digit: chooses (and moves on) or toggles a need. True when taken.
    pub fn digit(&mut self, c: char) -> bool {
        // a digit taken ends the letters typed so far (it may move focus on)
        if c.is_ascii_digit() {
            self.typed.clear();
        }
        match self.focus {
            Field::Ideology => match choice_of_digit::<Ideology>(c) {
                Some(v) => {
                    self.ideology = Some(v);
                    self.clear_error(Field::Ideology);
                    self.focus = Field::Health;
                    true
                }
                None => false,
            },
            Field::Health => match choice_of_digit::<Health>(c) {
                Some(v) => {
                    self.health = Some(v);
                    self.clear_error(Field::Health);
                    self.focus = Field::Needs;
                    true
                }
                None => false,
            },
            Field::Needs => match need_of_digit(c) {
                Some(n) => {
                    toggle(&mut self.needs, n);
                    self.need_at = Need::ALL.iter().position(|&x| x == n).unwrap_or(0);
                    true
                }
                None => false,
            },
            Field::FollowUp => match c {
                '1' => {
                    self.follow_up = true;
                    true
                }
                '0' | '2' => {
                    self.follow_up = false;
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Space: a follow-up ticks; typed in a text field.
    pub fn toggle(&mut self) -> bool {
        self.typed.clear();
        match self.focus {
            Field::FollowUp => self.follow_up = !self.follow_up,
            Field::Needs => match Need::ALL.get(self.need_at) {
                Some(&n) => {
                    toggle(&mut self.needs, n);
                    self.clear_error(Field::Needs);
                }
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// A key typed into the focused text field.
    pub fn type_key(&mut self, ev: &KeyEvent) -> bool {
        let f = self.focus;
        match self.input_mut(f).map(|i| i.handle(ev)) {
            Some(InputEvent::Changed) => {
                self.clear_error(f);
                true
            }
            Some(InputEvent::Moved) => true,
            _ => false,
        }
    }

    fn clear_error(&mut self, f: Field) {
        self.errors.retain(|(g, _)| *g != f);
    }

    pub fn error(&self, f: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, m)| m.as_str())
    }

    /// The answers, or the errors beside the fields (focus on the first).
    pub fn answers(&mut self, l: Lang, today: NaiveDate) -> Option<Answers> {
        self.errors.clear();
        if self.ideology.is_none() {
            self.errors
                .push((Field::Ideology, l.pick("请选择 1–3", "choose 1–3").into()));
        }
        if self.health.is_none() {
            self.errors
                .push((Field::Health, l.pick("请选择 1–3", "choose 1–3").into()));
        }
        let date = dates::parse_date_any(self.date.value().trim());
        match date {
            None => self.errors.push((
                Field::Date,
                l.pick("日期如 2026-11-28", "a date like 2026-11-28").into(),
            )),
            Some(d) if d > today => self.errors.push((
                Field::Date,
                l.pick("不能晚于今天", "not after today").into(),
            )),
            _ => {}
        }
        if self.surveyor.value().trim().is_empty() {
            self.errors
                .push((Field::Surveyor, l.pick("请填写", "required").into()));
        }
        if let Some(&(f, _)) = self
            .errors
            .iter()
            .min_by_key(|(f, _)| Field::ALL.iter().position(|g| g == f))
        {
            self.focus = f;
            return None;
        }
        Some(Answers {
            date: date?,
            surveyor: self.surveyor.value().trim().to_string(),
            ideology: self.ideology?,
            health: self.health?,
            needs: self.needs.clone(),
            work_expectations: self.work.value().trim().to_string(),
            opinions: self.opinions.value().trim().to_string(),
            follow_up: self.follow_up,
            follow_up_note: self.follow_up_note.value().trim().to_string(),
        })
    }
}
