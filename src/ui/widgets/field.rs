//! A single-line text input: the text and a cursor as a char index. The
//! cursor is drawn at the display width of the text before it, so an input
//! method's candidate window follows it over Chinese text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use ratatui::text::Span;

use crate::ui::text;
use crate::ui::theme::Theme;

/// What a key did to an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEvent {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Not a key for the input.
    Ignored,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// Cursor position in chars (0 ..= char count).
    cursor: usize,
}

impl Input {
    /// An input holding `s` with the cursor at its end.
    pub fn new(s: impl Into<String>) -> Self {
        let text = s.into();
        let cursor = text.chars().count();
        Input { text, cursor }
    }

    pub fn value(&self) -> &str {
        &self.text
    }

    /// Replaces the text and puts the cursor at its end.
    pub fn set(&mut self, s: impl Into<String>) {
        *self = Input::new(s);
    }

    pub fn clear(&mut self) {
        self.set(String::new());
    }

    /// The cursor as a char index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The cursor in display cells from the start of the text.
    pub fn cursor_width(&self) -> usize {
        text::prefix_width(&self.text, self.cursor)
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts text at the cursor (typed characters, pasted text); control
    /// characters are dropped.
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Edits and moves: characters, Backspace, Delete, ←, →, Home, End,
    /// Ctrl-A / Ctrl-E (start / end), Ctrl-U (delete to start), Ctrl-K
    /// (delete to end), Ctrl-W (delete the word before the cursor).
    pub fn handle(&mut self, ev: &KeyEvent) -> InputEvent {
        if ev.kind == KeyEventKind::Release {
            return InputEvent::Ignored;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev.modifiers.contains(KeyModifiers::ALT) {
            return InputEvent::Ignored;
        }
        match ev.code {
            KeyCode::Char(c) if !ctrl => {
                let mut buf = [0u8; 4];
                self.insert_str(c.encode_utf8(&mut buf));
                InputEvent::Changed
            }
            KeyCode::Char('a') if ctrl => self.move_to(0),
            KeyCode::Char('e') if ctrl => self.move_to(self.len()),
            KeyCode::Char('u') if ctrl => self.delete_range(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.delete_range(self.cursor, self.len()),
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                self.delete_range(start, self.cursor)
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.delete_range(self.cursor - 1, self.cursor)
            }
            KeyCode::Delete if self.cursor < self.len() => {
                self.delete_range(self.cursor, self.cursor + 1)
            }
            KeyCode::Backspace | KeyCode::Delete => InputEvent::Moved,
            KeyCode::Left => self.move_to(self.cursor.saturating_sub(1)),
            KeyCode::Right => self.move_to((self.cursor + 1).min(self.len())),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.len()),
            _ => InputEvent::Ignored,
        }
    }

    fn move_to(&mut self, c: usize) -> InputEvent {
        self.cursor = c;
        InputEvent::Moved
    }

    fn delete_range(&mut self, from: usize, to: usize) -> InputEvent {
        if from >= to {
            return InputEvent::Moved;
        }
        let (a, b) = (self.byte_at(from), self.byte_at(to));
        self.text.replace_range(a..b, "");
        self.cursor = from;
        InputEvent::Changed
    }

    /// The search box of a filter bar, `width` cells: the text, or
    /// `placeholder` dimmed while it is empty and not being typed in; and
    /// the cursor's cell offset within it.
    pub fn search_box(
        &self,
        width: usize,
        placeholder: &str,
        focus: bool,
        th: &Theme,
    ) -> (Span<'static>, usize) {
        let (shown, cx) = self.view(width);
        let span = if shown.is_empty() && !focus {
            Span::styled(
                text::pad_right(placeholder, width),
                th.dim().patch(th.input()),
            )
        } else {
            Span::styled(
                text::pad_right(&shown, width),
                if focus { th.input_focus() } else { th.input() },
            )
        };
        (span, cx)
    }

    /// The part of the text shown in `width` cells and the cursor's cell
    /// offset within it. The text scrolls so the cursor stays visible; no
    /// wide character is split at either edge.
    pub fn view(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let chars: Vec<char> = self.text.chars().collect();
        let cursor_w = text::prefix_width(&self.text, self.cursor);
        // The first char shown: the earliest one that keeps the cursor inside.
        let mut start = 0;
        let mut before = cursor_w;
        while before > width - 1 && start < self.cursor {
            before -= text::char_width(chars[start]);
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for &c in &chars[start..] {
            let w = text::char_width(c);
            if used + w > width {
                break;
            }
            used += w;
            shown.push(c);
        }
        (shown, before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_chinese_moves_the_cursor_by_cells() {
        let mut i = Input::default();
        for c in "张三".chars() {
            assert_eq!(i.handle(&key(KeyCode::Char(c))), InputEvent::Changed);
        }
        assert_eq!(i.value(), "张三");
        assert_eq!(i.cursor_width(), 4);
        i.handle(&key(KeyCode::Left));
        assert_eq!(i.cursor_width(), 2);
        i.handle(&key(KeyCode::Char('𠮷')));
        assert_eq!(i.value(), "张𠮷三");
        i.handle(&key(KeyCode::Backspace));
        i.handle(&key(KeyCode::Backspace));
        assert_eq!(i.value(), "三");
        assert_eq!(i.cursor(), 0);
        i.handle(&key(KeyCode::Delete));
        assert_eq!(i.value(), "");
    }

    #[test]
    fn view_scrolls_without_splitting_wide_characters() {
        let i = Input::new("阿依古丽·买买提");
        let (shown, x) = i.view(8);
        // cursor at the end: the tail shows, the cursor in the last cell
        assert!(text::width(&shown) <= 8);
        assert!(shown.ends_with("买提"));
        assert_eq!(x, text::width(&shown));
        let mut j = i.clone();
        j.handle(&key(KeyCode::Home));
        let (shown, x) = j.view(5);
        assert_eq!((shown.as_str(), x), ("阿依", 0));
    }
}
