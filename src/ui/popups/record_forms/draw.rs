//! Drawing a record form: the form, and the member candidates under its field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::RecordForm;
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::popup;

impl RecordForm {
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
