//! A short numbered menu to pick one option from.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::keys::{Binding, Key, lookup};
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::popup::{block, centered, clear};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    Up,
    Down,
    Pick,
    Close,
}

pub const MENU_BINDINGS: &[Binding<MenuAction>] = &[
    Binding {
        action: MenuAction::Pick,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "选定（或按序号）",
        en: "Pick (or press its number)",
        hint: true,
    },
    Binding {
        action: MenuAction::Up,
        keys: &[Key::code(KeyCode::Up), Key::code(KeyCode::BackTab)],
        zh: "上移",
        en: "Up",
        hint: true,
    },
    Binding {
        action: MenuAction::Down,
        keys: &[Key::code(KeyCode::Down), Key::code(KeyCode::Tab)],
        zh: "下移",
        en: "Down",
        hint: true,
    },
    Binding {
        action: MenuAction::Close,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "取消",
        en: "Cancel",
        hint: true,
    },
];

/// A short numbered list to pick one from (↑/↓ and Enter, or the number).
#[derive(Debug, Clone)]
pub struct Menu {
    pub title: String,
    pub options: Vec<String>,
    pub selected: usize,
}

impl Menu {
    pub fn new(title: impl Into<String>, options: Vec<String>) -> Self {
        Menu {
            title: title.into(),
            options,
            selected: 0,
        }
    }

    /// `Some(Some(i))` when option `i` was picked, `Some(None)` when closed,
    /// `None` when the menu stays.
    pub fn handle_key(&mut self, ev: &KeyEvent) -> Option<Option<usize>> {
        let n = self.options.len();
        if let KeyCode::Char(c) = ev.code
            && let Some(d) = c.to_digit(10)
            && (1..=n).contains(&(d as usize))
        {
            return Some(Some(d as usize - 1));
        }
        match lookup(MENU_BINDINGS, ev)? {
            MenuAction::Up => self.selected = (self.selected + n - 1) % n.max(1),
            MenuAction::Down => self.selected = (self.selected + 1) % n.max(1),
            MenuAction::Pick => return Some(Some(self.selected)),
            MenuAction::Close => return Some(None),
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let items: Vec<String> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| format!(" {}. {o} ", i + 1))
            .collect();
        let w = items
            .iter()
            .map(|s| text::width(s))
            .chain([text::width(&self.title) + 4])
            .max()
            .unwrap_or(10) as u16
            + 4;
        let r = centered(area, w, items.len() as u16 + 2);
        clear(frame, r);
        let b = block(&self.title, theme);
        let inner = b.inner(r);
        frame.render_widget(b, r);
        let lines: Vec<Line> = items
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let s = text::pad_right(&s, inner.width as usize);
                if i == self.selected {
                    Line::from(Span::styled(s, theme.selected()))
                } else {
                    Line::from(s)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
