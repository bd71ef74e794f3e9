//! The pieces of a list's lines (the list itself is [`super::paged_list`]):
//! columns measured in display cells, the selected row highlighted, the void
//! mark, and a few wrapped lines of detail under the list.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::ui::text;
use crate::ui::theme::Theme;

/// `widths` columns of `values`, one space apart after a leading space, the
/// last value taking the rest of `w`.
pub fn columns(values: &[&str], widths: &[usize], w: usize) -> String {
    let mut s = String::from(" ");
    let fixed: usize = widths.iter().sum::<usize>() + widths.len() + 1;
    for (i, v) in values.iter().enumerate() {
        match widths.get(i) {
            Some(&cw) => {
                s.push_str(&text::pad_right(v, cw));
                s.push(' ');
            }
            None => s.push_str(&text::pad_right(v, w.saturating_sub(fixed))),
        }
    }
    text::pad_right(&s, w)
}

/// A row's style: highlighted when selected, plain otherwise.
pub fn row_style(selected: bool, th: &Theme) -> Style {
    if selected {
        th.selected()
    } else {
        Style::default()
    }
}

/// `s` wrapped to `w - 1` cells after a leading space, at most `rows` lines.
pub fn wrapped(s: &str, w: usize, rows: usize, style: Style) -> Vec<Line<'static>> {
    text::wrap(s, w.saturating_sub(1))
        .into_iter()
        .take(rows)
        .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
        .collect()
}

/// 〔已作废〕 before the text of a voided talk, visit or event (作废: kept, marked).
pub fn void_mark(lang: crate::domain::Lang) -> &'static str {
    lang.pick("〔已作废〕", "[VOIDED] ")
}
