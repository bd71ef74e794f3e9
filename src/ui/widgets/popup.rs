//! Popups drawn over a screen: a confirmation and a small menu. A popup
//! clears its area fully and never leaves half of a wide character at its
//! left border (the character is blanked instead).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::Lang;
use crate::ui::keys::{Binding, Key, lookup};
use crate::ui::text;
use crate::ui::theme::Theme;

/// A `w` x `h` rectangle centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `r` for a popup. A wide character that starts just left of it would
/// spill into its border: it is replaced by a blank.
pub fn clear(frame: &mut Frame, r: Rect) {
    frame.render_widget(Clear, r);
    if r.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in r.y..r.bottom() {
        if let Some(cell) = buf.cell_mut((r.x - 1, y))
            && text::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A bordered block with a title, in the popup style.
pub fn block<'a>(title: &str, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_set(theme.border())
        .border_style(theme.popup_border())
        .title(Span::styled(format!(" {title} "), theme.title()))
}

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
