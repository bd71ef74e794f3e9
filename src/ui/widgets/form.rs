//! `Form`: the one form widget every screen uses (member, talk, visit,
//! survey …). A form is a list of fields — text, date, choice, flag, check
//! list — with a focus, an error per field, and a scroll position when it is
//! taller than the screen.
//!
//! How a screen uses it:
//!
//! ```text
//! let mut form = Form::new("新增党员", lang)
//!     .text("code", "编号", "", true)
//!     .date("joined_on", "入党日期", None, true)
//!     .choice("gender", "性别", options, 0)
//!     .flag("mobile", "流动党员", false);
//! match form.handle_key(&key) {
//!     FormEvent::Changed(_) => { form.check_builtin(); form.add_error("code", "…"); }
//!     FormEvent::Save => if form.submit() { /* read form.text("code") … and save */ },
//!     FormEvent::Cancel => { /* ask when form.is_changed() */ }
//!     _ => {}
//! }
//! form.render(frame, area, &theme);
//! ```
//!
//! Keys (listed once in [`BINDINGS`]): Tab/↓/Enter next field, Shift-Tab/↑
//! previous, Ctrl-S/F9 save, Esc cancel; in a choice ←/→/Space cycle and a
//! typed letter picks the next option whose code, English label or pinyin
//! initial starts with it; Space toggles a flag or the current item of a
//! check list (←/→ move between its items).

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

mod choice;
mod draw;

pub use choice::{ChoiceOption, type_ahead};

use super::field::{Input, InputEvent};
use crate::domain::Lang;
use crate::domain::dates;
use crate::ui::keys::{Binding, Key, lookup, typed_char};

/// A date field holds text that is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

/// What a field holds.
#[derive(Debug, Clone)]
pub enum FieldKind {
    Text(Input),
    /// A date typed as text; read with [`dates::parse_date`].
    Date(Input),
    Choice {
        options: Vec<ChoiceOption>,
        selected: usize,
    },
    Flag(bool),
    Checks {
        items: Vec<ChoiceOption>,
        on: Vec<bool>,
        at: usize,
    },
}

impl FieldKind {
    /// The value as text, to tell whether the form was changed.
    fn snapshot(&self) -> String {
        match self {
            FieldKind::Text(i) | FieldKind::Date(i) => i.value().to_string(),
            FieldKind::Choice { selected, .. } => selected.to_string(),
            FieldKind::Flag(b) => b.to_string(),
            FieldKind::Checks { on, .. } => on.iter().map(|&b| if b { '1' } else { '0' }).collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The field's code; errors are mapped by it (`code`, `joined_on` …).
    pub key: &'static str,
    pub label: String,
    pub required: bool,
    pub kind: FieldKind,
    /// Shown under the form when the field has focus and no error.
    pub hint: String,
    error: Option<String>,
    touched: bool,
    initial: String,
}

/// The form-wide keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Next,
    Prev,
    Save,
    Cancel,
    /// Keys handled by the focused field (listed for the help).
    Choose,
    Toggle,
}

/// Every key of a form, for `handle_key`, the hint line and the help.
pub const BINDINGS: &[Binding<FormAction>] = &[
    Binding {
        action: FormAction::Save,
        keys: &[Key::ctrl('s'), Key::f(9)],
        zh: "保存",
        en: "Save",
        hint: true,
    },
    Binding {
        action: FormAction::Cancel,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "取消",
        en: "Cancel",
        hint: true,
    },
    Binding {
        action: FormAction::Next,
        keys: &[
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::Down),
            Key::code(KeyCode::Enter),
        ],
        zh: "下一项",
        en: "Next field",
        hint: true,
    },
    Binding {
        action: FormAction::Prev,
        keys: &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Up)],
        zh: "上一项",
        en: "Previous field",
        hint: true,
    },
    Binding {
        action: FormAction::Choose,
        keys: &[Key::code(KeyCode::Left), Key::code(KeyCode::Right)],
        zh: "选择",
        en: "Choose",
        hint: true,
    },
    Binding {
        action: FormAction::Toggle,
        keys: &[Key::ch(' ')],
        zh: "勾选/取消",
        en: "Tick/untick",
        hint: true,
    },
];

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    /// Nothing changed (the key is not for the form).
    Ignored,
    /// Focus or cursor moved; redraw.
    Moved,
    /// The value of field `n` changed: validate again.
    Changed(usize),
    Save,
    Cancel,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    fields: Vec<Field>,
    focus: usize,
    scroll: Cell<usize>,
    submitted: bool,
    /// A message for the whole form (a refused save), shown at its foot.
    pub message: Option<String>,
    /// The message is the refusal [`Form::accept`] wrote: it goes when focus
    /// moves on (the foot then shows the focused field's own error).
    refusal: bool,
    lang: Lang,
    /// The letters typed so far on a choice or check list (its index), for
    /// [`choice::type_ahead`]: forgotten when focus moves or another key is pressed.
    typed: (usize, String),
}

/// Width of the input column.
const INPUT_W: usize = 30;

impl Form {
    pub fn new(title: impl Into<String>, lang: Lang) -> Self {
        Form {
            title: title.into(),
            fields: Vec::new(),
            focus: 0,
            scroll: Cell::new(0),
            submitted: false,
            message: None,
            refusal: false,
            lang,
            typed: (0, String::new()),
        }
    }

    fn push(mut self, key: &'static str, label: &str, required: bool, kind: FieldKind) -> Self {
        let initial = kind.snapshot();
        self.fields.push(Field {
            key,
            label: label.to_string(),
            required,
            kind,
            hint: String::new(),
            error: None,
            touched: false,
            initial,
        });
        self
    }

    pub fn text(self, key: &'static str, label: &str, value: &str, required: bool) -> Self {
        self.push(key, label, required, FieldKind::Text(Input::new(value)))
    }

    pub fn date(
        self,
        key: &'static str,
        label: &str,
        value: Option<NaiveDate>,
        required: bool,
    ) -> Self {
        let s = value.map(dates::fmt).unwrap_or_default();
        self.push(key, label, required, FieldKind::Date(Input::new(s)))
    }

    pub fn choice(
        self,
        key: &'static str,
        label: &str,
        options: Vec<ChoiceOption>,
        selected: usize,
    ) -> Self {
        let selected = selected.min(options.len().saturating_sub(1));
        self.push(key, label, false, FieldKind::Choice { options, selected })
    }

    pub fn flag(self, key: &'static str, label: &str, value: bool) -> Self {
        self.push(key, label, false, FieldKind::Flag(value))
    }

    pub fn checks(
        self,
        key: &'static str,
        label: &str,
        items: Vec<ChoiceOption>,
        on: Vec<bool>,
    ) -> Self {
        let mut on = on;
        on.resize(items.len(), false);
        self.push(key, label, false, FieldKind::Checks { items, on, at: 0 })
    }

    /// Sets the hint of the field added last.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        if let Some(f) = self.fields.last_mut() {
            f.hint = hint.into();
        }
        self
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    fn field(&self, key: &str) -> &Field {
        let i = self
            .index(key)
            .unwrap_or_else(|| panic!("form has no field {key}"));
        &self.fields[i]
    }

    /// The text of a text or date field as typed.
    pub fn text_of(&self, key: &str) -> &str {
        match &self.field(key).kind {
            FieldKind::Text(i) | FieldKind::Date(i) => i.value(),
            _ => "",
        }
    }

    /// A date field: `Ok(None)` when empty, `Err` when it is not a date.
    pub fn date_of(&self, key: &str) -> Result<Option<NaiveDate>, NotADate> {
        let s = self.text_of(key).trim();
        if s.is_empty() {
            return Ok(None);
        }
        dates::parse_date(s).map(Some).ok_or(NotADate)
    }

    pub fn choice_of(&self, key: &str) -> usize {
        match &self.field(key).kind {
            FieldKind::Choice { selected, .. } => *selected,
            _ => 0,
        }
    }

    pub fn flag_of(&self, key: &str) -> bool {
        matches!(self.field(key).kind, FieldKind::Flag(true))
    }

    pub fn checks_of(&self, key: &str) -> Vec<bool> {
        match &self.field(key).kind {
            FieldKind::Checks { on, .. } => on.clone(),
            _ => Vec::new(),
        }
    }

    /// The focused field's index.
    pub fn focus(&self) -> usize {
        self.focus
    }

    pub fn focused_key(&self) -> &'static str {
        self.fields[self.focus].key
    }

    pub fn set_focus(&mut self, key: &str) {
        if let Some(i) = self.index(key) {
            self.focus = i;
        }
    }

    pub fn error_of(&self, key: &str) -> Option<&str> {
        self.field(key).error.as_deref()
    }

    /// True when some value differs from what the form opened with.
    pub fn is_changed(&self) -> bool {
        self.fields.iter().any(|f| f.kind.snapshot() != f.initial)
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Clears every error, then sets the errors the form finds itself: a
    /// date that is not a date, and an empty required field once it was
    /// touched (left or edited) or a save was tried.
    pub fn check_builtin(&mut self) {
        let lang = self.lang;
        let submitted = self.submitted;
        for f in &mut self.fields {
            f.error = None;
            let (FieldKind::Text(i) | FieldKind::Date(i)) = &f.kind else {
                continue;
            };
            let v = i.value().trim();
            if v.is_empty() {
                if f.required && (f.touched || submitted) {
                    f.error = Some(lang.pick("必填", "required").to_string());
                }
            } else if matches!(f.kind, FieldKind::Date(_)) && dates::parse_date(v).is_none() {
                f.error = Some(
                    lang.pick(
                        "不是日期，请写成 2024-01-25",
                        "not a date; write 2024-01-25",
                    )
                    .to_string(),
                );
            }
        }
    }

    /// Whether an empty field `key` is to be called out yet: once it was
    /// left or edited, or a save was tried (as for a required field).
    pub fn calls_out_empty(&self, key: &str) -> bool {
        self.submitted || self.index(key).is_some_and(|i| self.fields[i].touched)
    }

    /// Adds an error to a field that has none yet (the first problem shows).
    pub fn add_error(&mut self, key: &str, msg: impl Into<String>) {
        if let Some(i) = self.index(key)
            && self.fields[i].error.is_none()
        {
            self.fields[i].error = Some(msg.into());
        }
    }

    /// Marks a save attempt: required fields now report when empty. The owner
    /// validates again, then calls [`Form::accept`].
    pub fn begin_submit(&mut self) {
        self.submitted = true;
    }

    /// True when the form may be saved; otherwise focus jumps to the first
    /// field with an error and the form's message says why in that field's
    /// own words (`不能保存：手机：手机号应为11位数字…`), and how many more wait.
    pub fn accept(&mut self) -> bool {
        let Some(i) = self.fields.iter().position(|f| f.error.is_some()) else {
            return true;
        };
        self.focus = i;
        let f = &self.fields[i];
        let err = f.error.as_deref().unwrap_or_default();
        let more = self.fields.iter().filter(|f| f.error.is_some()).count() - 1;
        self.refusal = true;
        self.message = Some(match (self.lang, more) {
            (Lang::Zh, 0) => format!("不能保存：{}：{err}", f.label),
            (Lang::Zh, n) => format!("不能保存：{}：{err}（另有 {n} 处错误）", f.label),
            (Lang::En, 0) => format!("cannot save: {}: {err}", f.label),
            (Lang::En, n) => format!("cannot save: {}: {err} ({n} more to fix)", f.label),
        });
        false
    }

    fn move_focus(&mut self, forward: bool) -> FormEvent {
        let n = self.fields.len();
        if n == 0 {
            return FormEvent::Ignored;
        }
        self.fields[self.focus].touched = true;
        if std::mem::take(&mut self.refusal) {
            self.message = None;
        }
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        // Leaving a field may reveal its "required" error.
        FormEvent::Changed(self.focus)
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, ev: &KeyEvent) -> FormEvent {
        if ev.kind == KeyEventKind::Release || self.fields.is_empty() {
            return FormEvent::Ignored;
        }
        match lookup(BINDINGS, ev) {
            Some(FormAction::Next) => return self.move_focus(true),
            Some(FormAction::Prev) => return self.move_focus(false),
            Some(FormAction::Save) => return FormEvent::Save,
            Some(FormAction::Cancel) => return FormEvent::Cancel,
            Some(FormAction::Choose | FormAction::Toggle) | None => {}
        }
        let idx = self.focus;
        let mut typed = std::mem::take(&mut self.typed.1);
        if self.typed.0 != idx || typed_char(ev).is_none() {
            typed.clear();
        }
        let changed = {
            let f = &mut self.fields[idx];
            match &mut f.kind {
                FieldKind::Text(i) | FieldKind::Date(i) => match i.handle(ev) {
                    InputEvent::Changed => Some(true),
                    InputEvent::Moved => Some(false),
                    InputEvent::Ignored => None,
                },
                FieldKind::Choice { options, selected } => {
                    choose(options, selected, ev, &mut typed)
                }
                FieldKind::Flag(b) => {
                    let set = match (ev.code, typed_char(ev)) {
                        (KeyCode::Left | KeyCode::Right, _) | (_, Some(' ')) => Some(!*b),
                        (_, Some('y' | 'Y' | '1' | '是')) => Some(true),
                        (_, Some('n' | 'N' | '0' | '否')) => Some(false),
                        _ => None,
                    };
                    set.map(|v| {
                        let changed = v != *b;
                        *b = v;
                        changed
                    })
                }
                FieldKind::Checks { items, on, at } => match (ev.code, typed_char(ev)) {
                    (KeyCode::Left, _) => {
                        *at = at.saturating_sub(1);
                        Some(false)
                    }
                    (KeyCode::Right, _) => {
                        *at = (*at + 1).min(items.len().saturating_sub(1));
                        Some(false)
                    }
                    (_, Some(' ')) if !items.is_empty() => {
                        on[*at] = !on[*at];
                        Some(true)
                    }
                    (_, Some(c)) => choice::type_ahead(items, *at, &mut typed, c).map(|j| {
                        *at = j;
                        false
                    }),
                    _ => None,
                },
            }
        };
        self.typed = (idx, typed);
        match changed {
            Some(true) => {
                self.fields[idx].touched = true;
                self.message = None;
                self.refusal = false;
                FormEvent::Changed(idx)
            }
            Some(false) => FormEvent::Moved,
            None => FormEvent::Ignored,
        }
    }
}

/// Cycles a choice with ←/→/Space, or picks by the first letters of a
/// label typed one after another ([`choice::type_ahead`]).
fn choose(
    options: &[ChoiceOption],
    selected: &mut usize,
    ev: &KeyEvent,
    typed: &mut String,
) -> Option<bool> {
    let n = options.len();
    if n == 0 {
        return None;
    }
    let new = match (ev.code, typed_char(ev)) {
        (KeyCode::Left, _) => (*selected + n - 1) % n,
        (KeyCode::Right, _) | (_, Some(' ')) => {
            typed.clear();
            (*selected + 1) % n
        }
        (_, Some(c)) => choice::type_ahead(options, *selected, typed, c)?,
        _ => return None,
    };
    let changed = new != *selected;
    *selected = new;
    Some(changed)
}

#[cfg(test)]
mod tests;
