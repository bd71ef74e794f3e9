//! The one search box of every list: a labelled text field at the start of
//! a screen's filter bar. It keeps the text and whether the clerk types in
//! it, reads the keys of [`crate::ui::keys::search_bindings`] while focused,
//! and says what the screen has to do.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;

use crate::ui::keys::{Binding, SearchAction, lookup};
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::field::{Input, InputEvent};

/// What a key did in the search box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchEvent {
    Nothing,
    Redraw,
    /// The text changed: search again.
    Changed,
    /// The clerk left the box for the list (the text stays).
    Done,
    /// Esc: the box left and emptied; `had_text` when there was something to clear.
    Cleared {
        had_text: bool,
    },
    /// A key for the list (PgUp, PgDn, ↑): the box is left and the list takes it.
    ToList,
}

#[derive(Debug, Clone, Default)]
pub struct SearchBox {
    input: Input,
    focus: bool,
}

impl SearchBox {
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// True while the clerk types in it.
    pub fn focused(&self) -> bool {
        self.focus
    }

    pub fn focus(&mut self) {
        self.focus = true;
    }

    pub fn clear(&mut self) {
        self.input.clear();
    }

    /// One key while focused; `bindings` name what Esc does on this screen.
    pub fn handle_key(&mut self, ev: &KeyEvent, bindings: &[Binding<SearchAction>]) -> SearchEvent {
        match lookup(bindings, ev) {
            Some(SearchAction::Done) => {
                self.focus = false;
                return SearchEvent::Done;
            }
            Some(SearchAction::Clear) => {
                self.focus = false;
                let had_text = !self.input.value().is_empty();
                self.input.clear();
                return SearchEvent::Cleared { had_text };
            }
            None => {}
        }
        if matches!(ev.code, KeyCode::PageDown | KeyCode::PageUp | KeyCode::Up) {
            self.focus = false;
            return SearchEvent::ToList;
        }
        match self.input.handle(ev) {
            InputEvent::Changed => SearchEvent::Changed,
            InputEvent::Moved => SearchEvent::Redraw,
            InputEvent::Ignored => SearchEvent::Nothing,
        }
    }

    /// `label` and the box, `width` cells, for the start of a filter bar;
    /// and the cursor's cell offset from the bar's start.
    pub fn spans(
        &self,
        label: &'static str,
        width: usize,
        placeholder: &str,
        th: &Theme,
    ) -> (Vec<Span<'static>>, usize) {
        let (input, cx) = self.input.search_box(width, placeholder, self.focus, th);
        (
            vec![Span::styled(label, th.label()), input],
            text::width(label) + cx,
        )
    }

    /// Puts the terminal cursor in the box (the input method's window
    /// follows it) while the clerk types and no popup is above.
    pub fn place_cursor(&self, frame: &mut Frame, bar: Rect, cx: usize, focused: bool) {
        if self.focus && focused {
            frame.set_cursor_position(Position::new(bar.x + cx as u16, bar.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::search_bindings;
    use ratatui::crossterm::event::KeyModifiers;

    #[test]
    fn typing_leaving_and_clearing() {
        const KEYS: [Binding<SearchAction>; 2] = search_bindings("清除", "Clear");
        let k = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let mut s = SearchBox::default();
        s.focus();
        assert_eq!(
            s.handle_key(&k(KeyCode::Char('张')), &KEYS),
            SearchEvent::Changed
        );
        assert_eq!(s.value(), "张");
        assert_eq!(
            s.handle_key(&k(KeyCode::PageDown), &KEYS),
            SearchEvent::ToList
        );
        assert!(!s.focused());
        s.focus();
        assert_eq!(s.handle_key(&k(KeyCode::Enter), &KEYS), SearchEvent::Done);
        assert_eq!(s.value(), "张", "the text stays for the list");
        s.focus();
        let cleared = s.handle_key(&k(KeyCode::Esc), &KEYS);
        assert_eq!(cleared, SearchEvent::Cleared { had_text: true });
        assert_eq!(s.value(), "");
    }
}
