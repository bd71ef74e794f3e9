//! Drawing a [`Form`]: a label column, an input column and the errors beside
//! them; the focused field's full error or hint at the foot; scrolling that
//! keeps the focused field in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{ChoiceOption, FieldKind, Form, INPUT_W};
use crate::ui::text;
use crate::ui::theme::Theme;

impl Form {
    /// Rows each field takes at this input width (a check list wraps) and
    /// with its error wrapped beside it in `error_w` cells.
    fn heights(&self, input_w: usize, error_w: usize) -> Vec<usize> {
        self.fields
            .iter()
            .map(|f| {
                let input = match &f.kind {
                    FieldKind::Checks { items, .. } => {
                        check_lines(items, &[], usize::MAX, input_w).len().max(1)
                    }
                    _ => 1,
                };
                input.max(error_lines(f.error.as_deref(), error_w).len())
            })
            .collect()
    }

    /// Draws the form in `area` (cleared first) and puts the terminal cursor
    /// in the focused field (DOMAIN.md: it always sits there, so the input
    /// method's window follows): at the text cursor, on a choice's label,
    /// inside a flag's or the current check item's box.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        let lang = self.lang;
        let block = Block::bordered()
            .border_set(theme.border())
            .title(Span::styled(format!(" {} ", self.title), theme.title()))
            .title_bottom(Line::from(format!(
                " {} {}/{}{} ",
                lang.pick("第", "field"),
                self.focus + 1,
                self.fields.len(),
                lang.pick(" 项", "")
            )));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width < 10 || inner.height < 3 {
            return;
        }
        let label_w = self
            .fields
            .iter()
            .map(|f| text::width(&f.label) + 2)
            .max()
            .unwrap_or(0)
            .min(16);
        let input_w = INPUT_W.min((inner.width as usize).saturating_sub(label_w + 3));
        let error_x = 1 + label_w + 1 + input_w + 1;
        let error_w = (inner.width as usize).saturating_sub(error_x);
        let body_h = (inner.height as usize).saturating_sub(2);
        let heights = self.heights(input_w, error_w);
        let start_of = |i: usize| heights[..i].iter().sum::<usize>();

        // Keep the focused field in view, moving the window as little as possible.
        let (f_top, f_bot) = (
            start_of(self.focus),
            start_of(self.focus) + heights[self.focus],
        );
        let mut scroll = self.scroll.get();
        if f_top < scroll {
            scroll = f_top;
        } else if f_bot > scroll + body_h {
            scroll = f_bot.saturating_sub(body_h);
        }
        self.scroll.set(scroll);

        let mut lines: Vec<Line> = Vec::new();
        let mut cursor: Option<(usize, usize)> = None;
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let mark = if f.required { "*" } else { "" };
            let label = format!(
                " {}",
                text::pad_right(&format!("{}{}", f.label, mark), label_w)
            );
            let label_style = if focused {
                theme.focus_label()
            } else {
                theme.label()
            };
            let in_style = if focused {
                theme.input_focus()
            } else {
                theme.input()
            };
            let mut rows: Vec<Vec<Span>> = Vec::new();
            match &f.kind {
                FieldKind::Text(inp) | FieldKind::Date(inp) => {
                    let (shown, cx) = inp.view(input_w);
                    if focused {
                        cursor = Some((lines.len(), 1 + label_w + 1 + cx));
                    }
                    rows.push(vec![Span::styled(
                        text::pad_right(&shown, input_w),
                        in_style,
                    )]);
                }
                FieldKind::Choice { options, selected } => {
                    let lab = options.get(*selected).map_or("", |o| o.label.as_str());
                    let inner_w = input_w.saturating_sub(4);
                    let s = format!("< {} >", text::pad_right(lab, inner_w));
                    if focused {
                        // on the choice's label, where typing its first letters goes
                        cursor = Some((lines.len(), 1 + label_w + 1 + 2));
                    }
                    rows.push(vec![Span::styled(s, in_style)]);
                }
                FieldKind::Flag(b) => {
                    let s = if *b {
                        lang.pick("[x] 是", "[x] yes")
                    } else {
                        lang.pick("[ ] 否", "[ ] no")
                    };
                    if focused {
                        // inside the box Space ticks
                        cursor = Some((lines.len(), 1 + label_w + 1 + 1));
                    }
                    rows.push(vec![Span::styled(text::pad_right(s, input_w), in_style)]);
                }
                FieldKind::Checks { items, on, at } => {
                    let at = if focused { *at } else { usize::MAX };
                    for (r, l) in check_lines(items, on, at, input_w).into_iter().enumerate() {
                        let used: usize = l.iter().map(|(s, _)| text::width(s)).sum();
                        if let Some(k) = l.iter().position(|(_, cur)| *cur) {
                            // inside the box of the item Space toggles
                            let before: usize = l[..k].iter().map(|(s, _)| text::width(s)).sum();
                            let lead = l[k].0.find('[').map_or(0, |b| text::width(&l[k].0[..b]));
                            cursor = Some((lines.len() + r, 1 + label_w + 1 + before + lead + 1));
                        }
                        let mut spans: Vec<Span> = l
                            .into_iter()
                            .map(|(s, cur)| {
                                Span::styled(s, if cur { theme.focus_label() } else { in_style })
                            })
                            .collect();
                        spans.push(Span::styled(
                            " ".repeat(input_w.saturating_sub(used)),
                            in_style,
                        ));
                        rows.push(spans);
                    }
                }
            }
            let errors = error_lines(f.error.as_deref(), error_w);
            while rows.len() < errors.len() {
                // The rest of a long error, beside blank input rows.
                rows.push(vec![Span::raw(" ".repeat(input_w))]);
            }
            for (r, row) in rows.into_iter().enumerate() {
                let mut spans = Vec::new();
                if r == 0 {
                    spans.push(Span::styled(label.clone(), label_style));
                } else {
                    spans.push(Span::raw(" ".repeat(label_w + 1)));
                }
                spans.push(Span::raw(" "));
                spans.extend(row);
                if let Some(e) = errors.get(r) {
                    spans.push(Span::raw(" "));
                    spans.push(Span::styled(e.clone(), theme.error()));
                }
                lines.push(Line::from(spans));
            }
        }
        let shown: Vec<Line> = lines.into_iter().skip(scroll).take(body_h).collect();
        let body = Rect {
            height: body_h as u16,
            ..inner
        };
        frame.render_widget(Paragraph::new(shown), body);

        // The foot: the form's message, else the focused field's error in
        // full, else its hint.
        let f = &self.fields[self.focus];
        let (msg, style) = match (&self.message, &f.error) {
            (Some(m), _) => (m.clone(), theme.error()),
            (None, Some(e)) => (format!("{}：{e}", f.label), theme.error()),
            (None, None) => (f.hint.clone(), theme.dim()),
        };
        let foot: Vec<Line> = text::wrap(&msg, inner.width as usize)
            .into_iter()
            .take(2)
            .map(|l| Line::from(Span::styled(l, style)))
            .collect();
        let foot_area = Rect {
            y: inner.y + body_h as u16,
            height: 2,
            ..inner
        };
        frame.render_widget(Paragraph::new(foot), foot_area);

        if let Some((row, x)) = cursor
            && row >= scroll
            && row < scroll + body_h
        {
            frame.set_cursor_position(Position::new(
                inner.x + x as u16,
                inner.y + (row - scroll) as u16,
            ));
        }
    }
}

/// A field's error in lines of at most `w` cells: `! ` then the message
/// wrapped by display width under itself; none when there is no room.
fn error_lines(error: Option<&str>, w: usize) -> Vec<String> {
    match error {
        Some(e) if w > 4 => text::wrap(e, w - 2)
            .into_iter()
            .enumerate()
            .map(|(i, l)| format!("{}{l}", if i == 0 { "! " } else { "  " }))
            .collect(),
        _ => Vec::new(),
    }
}

/// A check list laid out in lines of at most `w` cells: each item `[x]label`,
/// with a flag for the item under the cursor.
fn check_lines(
    items: &[ChoiceOption],
    on: &[bool],
    at: usize,
    w: usize,
) -> Vec<Vec<(String, bool)>> {
    let mut lines: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    let mut used = 0;
    for (j, it) in items.iter().enumerate() {
        let b = if on.get(j).copied().unwrap_or(false) {
            "[x]"
        } else {
            "[ ]"
        };
        let s = text::truncate(&format!("{b}{}", it.label), w);
        let iw = text::width(&s);
        let gap = usize::from(used > 0);
        if used > 0 && used + gap + iw > w {
            lines.push(Vec::new());
            used = 0;
        }
        let line = lines.last_mut().expect("one line at least");
        if used > 0 {
            line.push((" ".into(), false));
            used += 1;
        }
        line.push((s, j == at));
        used += iw;
    }
    lines
}
