//! Drawing a record form: the form, and the member candidates under its field.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::RecordForm;
use crate::ui::theme::Theme;
use crate::ui::widgets::candidates;

impl RecordForm {
    /// Draws the form in `area`, and the candidates under the member field
    /// while it has focus and no member is picked (the cursor stays in the field).
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        if !self.dropdown_open() {
            return;
        }
        let labels: Vec<String> = self.candidates.iter().map(|h| h.label()).collect();
        candidates::render(frame, area, &self.form, &labels, self.pick, theme);
    }
}
