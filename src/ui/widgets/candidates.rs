//! The candidate list under a form's first field (a member typed by code,
//! name, pinyin or initials): a small bordered list at the input column, the
//! picked candidate highlighted. Shared by every form that picks a member.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::form::Form;
use super::popup;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Draws `labels` under the first field of `form` drawn in `area`, with
/// candidate `pick` highlighted; nothing when the area is too small.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    labels: &[String],
    pick: usize,
    theme: &Theme,
) {
    if area.width < 20 || area.height < 6 {
        return;
    }
    // Where the form puts the input column (see `Form::render`).
    let label_w = form
        .fields()
        .iter()
        .map(|f| text::width(&f.label) + 2)
        .max()
        .unwrap_or(0)
        .min(16) as u16;
    let x = area.x + 1 + 1 + label_w + 1;
    let y = area.y + 2;
    let items: Vec<String> = labels.iter().map(|l| format!(" {l} ")).collect();
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
    let b = Block::bordered()
        .border_set(theme.border())
        .border_style(theme.popup_border());
    let inner = b.inner(r);
    frame.render_widget(b, r);
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = text::pad_right(s, inner.width as usize);
            if i == pick {
                Line::from(Span::styled(s, theme.selected()))
            } else {
                Line::from(s)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
