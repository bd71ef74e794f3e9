//! Drawing the statistics: a header line (the day, the part shown), the
//! part's lines on the left (label and figure, right-aligned by display
//! width, scrolled with ↑↓), its distributions on the right as horizontal
//! bar charts, one bar a row: its label, its number (right-aligned in one
//! column) and the bar, proportional to the largest value.
//! When the charts do not fit the height, bars with nothing in them are
//! left out (the title says so).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::StatsScreen;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::stats::{Bars, Unit};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::theme::Theme;

/// A bar of `v` out of `max` in `w` cells: whole blocks, then the eighth
/// blocks of the rest (`▏` … `▉`); with `ascii`, `#` for each cell at least
/// half filled (the console's box characters are not trusted). A value above
/// zero always shows at least the thinnest mark.
fn bar_cells(v: u64, max: u64, w: usize, ascii: bool) -> String {
    if max == 0 || w == 0 || v == 0 {
        return String::new();
    }
    let eighths =
        ((v.min(max) as u128 * w as u128 * 8 + max as u128 / 2) / max as u128).max(1) as usize;
    if ascii {
        return "#".repeat(((eighths + 4) / 8).max(1));
    }
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let mut out = "█".repeat(eighths / 8);
    out.push_str(PARTS[eighths % 8]);
    out
}

/// The widest a bar's label runs (cells); longer ones are cut with `~`.
const LABEL_MAX: usize = 16;

impl StatsScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, _focused: bool) {
        let th = &env.theme;
        let l = env.lang;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let Some(section) = self.sections.get(self.page) else {
            let msg = match (&self.error, self.is_pending()) {
                (Some(e), _) => Span::styled(format!(" {e}"), th.error()),
                (None, true) => {
                    Span::styled(l.pick(" 正在统计……", " Counting the figures…"), th.dim())
                }
                (None, false) => Span::raw(""),
            };
            frame.render_widget(Paragraph::new(msg), head);
            return;
        };
        // The day of the figures shown (a worker may be counting another).
        let day = dates::fmt(self.stats().map_or(self.as_of, |s| s.as_of));
        let n = self.sections.len();
        let mut header = Line::from(vec![
            Span::styled(
                match l {
                    Lang::Zh => format!("截至 {day}"),
                    Lang::En => format!("As of {day}"),
                },
                th.title(),
            ),
            Span::raw("  "),
            Span::styled(
                match l {
                    Lang::Zh => format!("第 {}/{n} 部分 ", self.page + 1),
                    Lang::En => format!("part {}/{n} ", self.page + 1),
                },
                th.label(),
            ),
            Span::styled(section.title.clone(), th.header()),
        ]);
        if self.is_pending() {
            let d = dates::fmt(self.as_of);
            header.push_span(Span::styled(
                match l {
                    Lang::Zh => format!("  正在统计 {d}……"),
                    Lang::En => format!("  counting {d}…"),
                },
                th.dim(),
            ));
        }
        frame.render_widget(Paragraph::new(header), head);

        let label_w = section
            .lines
            .iter()
            .map(|x| text::width(&x.label))
            .max()
            .unwrap_or(0);
        let value_w = section
            .lines
            .iter()
            .map(|x| text::width(&x.value))
            .max()
            .unwrap_or(0);
        let charts = !section.charts.is_empty();
        let left_w = if charts {
            ((label_w + value_w + 4) as u16).clamp(24, body.width / 2)
        } else {
            body.width
        };
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(0)]).areas(body);

        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(th.border())
            .border_style(th.dim());
        let inner = block.inner(left);
        frame.render_widget(block, left);
        // Each figure right-aligned at the border; its label takes what is left.
        // one blank before the right border
        let iw = (inner.width as usize).saturating_sub(1);
        let rows: Vec<Line> = section
            .lines
            .iter()
            .skip(self.scroll)
            .take(inner.height as usize)
            .map(|x| {
                let vw = text::width(&x.value).min(iw);
                let room = iw.saturating_sub(vw + 1);
                let label = text::pad_right(&text::truncate(&x.label, room), iw - vw);
                Line::from(vec![
                    Span::styled(label, th.label()),
                    Span::styled(text::truncate(&x.value, iw), th.text()),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(rows), inner);
        let hidden = section
            .lines
            .len()
            .saturating_sub(self.scroll + inner.height as usize);
        if (hidden > 0 || self.scroll > 0) && left.height > 0 {
            let more = match l {
                Lang::Zh => format!("↑↓ {}/{}", self.scroll + 1, section.lines.len()),
                Lang::En => format!("↑↓ {}/{}", self.scroll + 1, section.lines.len()),
            };
            let w = text::width(&more) as u16;
            if w + 2 < left.width {
                let r = Rect {
                    x: left.x + left.width - w - 2,
                    y: left.y + left.height - 1,
                    width: w,
                    height: 1,
                };
                frame.render_widget(Paragraph::new(Span::styled(more, th.dim())), r);
            }
        }

        if charts && right.width > 10 {
            draw_charts(frame, right, &section.charts, th, l);
        }
    }
}

/// The charts stacked in `area`, each a title line and one row per bar.
fn draw_charts(frame: &mut Frame, area: Rect, charts: &[Bars], th: &Theme, l: Lang) {
    let rows = |skip_zero: bool| -> usize {
        charts
            .iter()
            .map(|c| {
                1 + c
                    .bars
                    .iter()
                    .filter(|b| !skip_zero || b.1 > 0)
                    .count()
                    .max(1)
            })
            .sum()
    };
    let skip_zero = rows(false) > area.height as usize;
    let mut y = area.y;
    for c in charts {
        let bars: Vec<&(String, u64)> = c.bars.iter().filter(|b| !skip_zero || b.1 > 0).collect();
        if y >= area.bottom() {
            break;
        }
        let title = if skip_zero && bars.len() < c.bars.len() {
            match l {
                Lang::Zh => format!("{}（不含为 0 的项）", c.title),
                Lang::En => format!("{} (zeros left out)", c.title),
            }
        } else {
            c.title.clone()
        };
        let title_area = Rect {
            x: area.x + 1,
            y,
            width: area.width.saturating_sub(1),
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::truncate(&title, title_area.width as usize),
                th.header(),
            )),
            title_area,
        );
        y += 1;
        let h = (bars.len().max(1) as u16).min(area.bottom().saturating_sub(y));
        if h == 0 {
            break;
        }
        let chart_area = Rect {
            x: area.x + 1,
            y,
            width: area.width.saturating_sub(2),
            height: h,
        };
        y += h;
        if bars.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(l.pick("（无）", "(none)"), th.dim())),
                chart_area,
            );
            continue;
        }
        // One row a bar: the label, the number right-aligned in one column,
        // then the bar, its length proportional to the value (to the
        // largest, or to 100 for percentages) in eighths of a cell.
        let label_w = bars
            .iter()
            .map(|(label, _)| text::width(&text::truncate(label, LABEL_MAX)))
            .max()
            .unwrap_or(0);
        let shown: Vec<String> = bars.iter().map(|(_, v)| c.unit.show(*v)).collect();
        let value_w = shown.iter().map(|v| text::width(v)).max().unwrap_or(0);
        let bar_w = (chart_area.width as usize).saturating_sub(label_w + value_w + 2);
        let max = match c.unit {
            Unit::Percent => 100,
            _ => bars.iter().map(|b| b.1).max().unwrap_or(0),
        };
        let bar_style = if th.mono {
            Style::new()
        } else {
            Style::new().fg(Color::Cyan)
        };
        let lines: Vec<Line> = bars
            .iter()
            .zip(&shown)
            .map(|((label, v), shown)| {
                Line::from(vec![
                    Span::styled(
                        text::pad_right(&text::truncate(label, LABEL_MAX), label_w),
                        th.label(),
                    ),
                    Span::raw(" "),
                    Span::styled(text::pad_left(shown, value_w), th.text()),
                    Span::raw(" "),
                    Span::styled(bar_cells(*v, max, bar_w, th.ascii), bar_style),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), chart_area);
    }
}

#[cfg(test)]
mod tests {
    use super::bar_cells;
    use crate::ui::text;

    #[test]
    fn bars_are_proportional_in_eighths_of_a_cell() {
        let w = |v, max| text::width(&bar_cells(v, max, 20, false));
        // the largest fills the width; half of it half; 10,000 longer than 6,000
        assert_eq!(bar_cells(10_000, 10_000, 20, false), "█".repeat(20));
        assert_eq!(bar_cells(5_000, 10_000, 20, false), "█".repeat(10));
        assert!(w(10_000, 10_000) > w(6_000, 10_000));
        assert_eq!(bar_cells(6_000, 10_000, 20, false), "█".repeat(12));
        // 1/16 of 20 cells = 1¼ cells: a whole block and a quarter
        assert_eq!(bar_cells(1, 16, 20, false), "█▎");
        // nothing for zero, the thinnest mark for a tiny value
        assert_eq!(bar_cells(0, 10, 20, false), "");
        assert_eq!(bar_cells(1, 1_000_000, 20, false), "▏");
        assert_eq!(bar_cells(1, 1_000_000, 20, true), "#");
        assert_eq!(bar_cells(5, 10, 20, true), "#".repeat(10));
    }
}
