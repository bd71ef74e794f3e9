//! A yes/no question above everything.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::Lang;
use crate::ui::keys::{Binding, Key, lookup};
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::popup::{block, centered, clear};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAction {
    Yes,
    No,
}

pub const CONFIRM_BINDINGS: &[Binding<ConfirmAction>] = &[
    Binding {
        action: ConfirmAction::Yes,
        keys: &[Key::code(KeyCode::Enter), Key::ch('y'), Key::f(9)],
        zh: "确定",
        en: "Yes",
        hint: true,
    },
    Binding {
        action: ConfirmAction::No,
        keys: &[Key::code(KeyCode::Esc), Key::ch('n')],
        zh: "取消",
        en: "No",
        hint: true,
    },
];

/// A yes/no question. Enter (or `y`) says yes, Esc (or `n`) no.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub message: String,
}

impl Confirm {
    pub fn new(title: impl Into<String>, message: impl Into<String>) -> Self {
        Confirm {
            title: title.into(),
            message: message.into(),
        }
    }

    pub fn handle_key(&self, ev: &KeyEvent) -> Option<ConfirmAction> {
        lookup(CONFIRM_BINDINGS, ev)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, lang: Lang) {
        let w = 50.min(area.width);
        let inner_w = w.saturating_sub(4) as usize;
        let mut lines: Vec<Line> = text::wrap(&self.message, inner_w)
            .into_iter()
            .map(Line::from)
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(format!(" {}    ", lang.pick("确定", "yes"))),
            Span::styled("Esc", theme.key()),
            Span::raw(format!(" {}", lang.pick("取消", "cancel"))),
        ]));
        let r = centered(area, w, lines.len() as u16 + 2);
        clear(frame, r);
        let b = block(&self.title, theme);
        let inner = b.inner(r);
        frame.render_widget(b, r);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(1),
            ..inner
        };
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
