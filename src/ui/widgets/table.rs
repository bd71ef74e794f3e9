//! Lists drawn as lines of text: a framed panel, columns measured in display
//! cells, a header line with a note when there are no rows, the selected row
//! highlighted, and a few wrapped lines of detail under the list.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::ui::text;
use crate::ui::theme::Theme;

/// A bordered panel titled `title`.
pub fn panel(title: impl Into<String>, th: &Theme) -> Block<'static> {
    Block::bordered()
        .border_set(th.border())
        .title(Span::styled(title.into(), th.title()))
}

/// A bordered panel whose title is cut to fit a panel `width` cells wide
/// (a name can be long).
pub fn panel_fit(title: &str, width: u16, th: &Theme) -> Block<'static> {
    panel(text::truncate(title, width.saturating_sub(4) as usize), th)
}

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

/// The header line, and under it `empty` dimmed when the list has no rows.
pub fn head(header: String, empty: Option<&'static str>, th: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(header, th.header()))];
    if let Some(msg) = empty {
        lines.push(Line::from(Span::styled(msg, th.dim())));
    }
    lines
}

/// A row's style: highlighted when selected, plain otherwise.
pub fn row_style(selected: bool, th: &Theme) -> Style {
    if selected {
        th.selected()
    } else {
        Style::default()
    }
}

/// The first row of the page that holds `cursor`, `rows` rows a page.
pub fn page_start(cursor: usize, rows: usize) -> usize {
    cursor / rows * rows
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
