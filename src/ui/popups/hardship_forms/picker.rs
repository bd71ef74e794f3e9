//! A member typed into a hardship form (the case's member, a helper): a
//! code, name, full pinyin or initials, with a short candidate list under
//! the field (↑/↓ choose, Enter or Tab take one), as the record forms pick
//! theirs (`ui::screens::pick::candidates`).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::Connection;

use crate::db;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::ui::theme::Theme;
use crate::ui::widgets::candidates;
use crate::ui::widgets::form::Form;

/// Candidates shown under the field.
const CANDIDATES: usize = 6;

#[derive(Debug, Clone)]
pub struct MemberPicker {
    /// The form field it reads (the first field of its form).
    key: &'static str,
    pub member: Option<MemberHit>,
    candidates: Vec<MemberHit>,
    pick: usize,
    /// The text the candidates were found for.
    seen: String,
}

/// Replaces the text of a field the way the clerk would: to the end, delete
/// to the start, type the new text (the form has no setter).
pub(super) fn set_text(form: &mut Form, key: &str, value: &str) {
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

impl MemberPicker {
    pub fn new(key: &'static str) -> Self {
        MemberPicker {
            key,
            member: None,
            candidates: Vec::new(),
            pick: 0,
            seen: String::new(),
        }
    }

    /// Starts with `m` picked (the field holds its label).
    pub fn picked(&mut self, m: MemberHit) {
        self.seen = m.label();
        self.member = Some(m);
    }

    pub fn candidates(&self) -> &[MemberHit] {
        &self.candidates
    }

    /// The candidate list shows (and takes ↑/↓/Enter/Tab).
    pub fn open(&self, form: &Form) -> bool {
        form.focused_key() == self.key && self.member.is_none() && !self.candidates.is_empty()
    }

    /// A key while the list shows: true when it took it (a move, or a pick
    /// that fills the field and moves on).
    pub fn handle_key(&mut self, ev: &KeyEvent, form: &mut Form) -> bool {
        if !self.open(form) {
            return false;
        }
        let n = self.candidates.len();
        match ev.code {
            KeyCode::Down => self.pick = (self.pick + 1) % n,
            KeyCode::Up => self.pick = (self.pick + n - 1) % n,
            KeyCode::Enter | KeyCode::Tab => {
                if let Some(h) = self.candidates.get(self.pick).cloned() {
                    let label = h.label();
                    self.member = Some(h);
                    self.candidates.clear();
                    self.seen = label.clone();
                    set_text(form, self.key, &label);
                }
                form.handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
            }
            _ => return false,
        }
        true
    }

    /// The text changed: find candidates; an exact code or label picks.
    pub fn changed(&mut self, conn: &Connection, form: &Form) -> db::Result<()> {
        let text = form.text_of(self.key).trim().to_string();
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

    /// Beside the field: typed but not picked.
    pub fn check(&self, form: &mut Form, lang: Lang) {
        if self.member.is_none() && !form.text_of(self.key).trim().is_empty() {
            form.add_error(
                self.key,
                if self.candidates.is_empty() {
                    lang.pick("没有这位在册党员", "no active member matches")
                } else {
                    lang.pick(
                        "请从候选中选择（↑↓，Enter）",
                        "pick a candidate (↑↓, Enter)",
                    )
                },
            );
        }
    }

    /// The candidates under the field (the form's first) while it has focus.
    pub fn render(&self, frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
        if !self.open(form) {
            return;
        }
        let labels: Vec<String> = self.candidates.iter().map(|h| h.label()).collect();
        candidates::render(frame, area, form, &labels, self.pick, theme);
    }
}
