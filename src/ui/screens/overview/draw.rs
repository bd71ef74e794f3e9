//! Drawing the Overview: the summary, the list, why the selected row is due.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{EXPLAIN, List, MIN_BODY, OverviewScreen, STRIP};
use crate::domain::Lang;
use crate::domain::rules::Rule;
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Paging, Total};
use crate::ui::widgets::table;

impl OverviewScreen {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let (min_w, min_h) = MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        let lang = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let Some(rep) = &self.report else {
            let msg = match &self.error {
                Some(e) => Span::styled(format!(" {e}"), th.error()),
                None => Span::styled(
                    lang.pick(
                        " 正在计算逾期和即将到期的事项……",
                        " Computing the overdue and due-soon lists…",
                    ),
                    th.dim(),
                ),
            };
            frame.render_widget(Paragraph::new(msg), Rect { height: 1, ..area });
            return;
        };

        // The summary: totals and counts per rule, then the campaigns.
        let (n_over, n_soon) = (rep.overdue().len(), rep.soon().len());
        let mut chips: Vec<Vec<Span>> = vec![vec![
            Span::styled(lang.pick("逾期 ", "Overdue "), th.label()),
            Span::styled(n_over.to_string(), th.error()),
            Span::styled(lang.pick("  即将到期 ", "  Due soon "), th.label()),
            Span::styled(n_soon.to_string(), th.title()),
            Span::styled(
                match lang {
                    Lang::Zh => {
                        format!("（{}天内）  按规则 逾期/即将：", env.settings.due_soon_days)
                    }
                    Lang::En => format!(" (≤{}d)  by rule late/soon:", env.settings.due_soon_days),
                },
                th.dim(),
            ),
        ]];
        for rule in Rule::ALL {
            let c = rep.count(rule);
            if c.overdue + c.due_soon == 0 {
                continue;
            }
            chips.push(vec![
                Span::raw(rule.label(lang)),
                Span::raw(format!(" {}/{}", c.overdue, c.due_soon)),
            ]);
        }
        let mut lines = flow(chips, w, 2);
        // The running campaigns, else the one that ended last.
        let mut running: Vec<_> = rep
            .campaigns
            .iter()
            .filter(|p| p.campaign.to >= env.today)
            .collect();
        if running.is_empty() {
            running.extend(rep.campaigns.iter().max_by_key(|p| p.campaign.to));
        }
        let label = Span::styled(lang.pick("走访活动：", "Campaigns: "), th.label());
        let mut camp: Vec<Vec<Span>> = Vec::new();
        if running.is_empty() {
            camp.push(vec![
                label.clone(),
                Span::styled(lang.pick("无", "none"), th.dim()),
            ]);
        }
        for p in running {
            let c = &p.campaign;
            let pct = (p.visited * 100).checked_div(p.targeted).unwrap_or(0);
            let ended = if c.to < env.today {
                lang.pick("已结束 ", "ended ")
            } else {
                ""
            };
            let mut chip = if camp.is_empty() {
                vec![label.clone()]
            } else {
                Vec::new()
            };
            chip.extend([
                Span::raw(format!(
                    "{} {}~{} ",
                    c.name,
                    c.from.format("%m-%d"),
                    c.to.format("%m-%d")
                )),
                Span::styled(
                    match lang {
                        Lang::Zh => format!("{ended}已访 {}/{}（{pct}%）", p.visited, p.targeted),
                        Lang::En => format!("{ended}visited {}/{} ({pct}%)", p.visited, p.targeted),
                    },
                    th.ok(),
                ),
            ]);
            camp.push(chip);
        }
        lines.extend(flow(camp, w, 1));
        lines.resize(STRIP as usize, Line::from(""));
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: STRIP,
                ..area
            },
        );

        // The list.
        let list_area = Rect {
            y: area.y + STRIP,
            height: area.height - STRIP - EXPLAIN,
            ..area
        };
        let tab = |label: &str, n: usize, on: bool| {
            Span::styled(
                format!(" {label} {n} "),
                if on { th.tab_active() } else { th.tab() },
            )
        };
        let rows = self.rows();
        let per = self
            .page_size
            .min(paged_list::rows_fitting(list_area))
            .max(1);
        let paging = Paging::new(self.cursor, per, Total::Known(rows.len()));
        let days_head = match self.list {
            List::Overdue => lang.pick("逾期天数", "Late"),
            List::Soon => lang.pick("剩余天数", "Left"),
        };
        let iw = paged_list::inner_width(list_area);
        let header = text::pad_right(
            &cells(
                [
                    lang.pick("编号", "Code"),
                    lang.pick("姓名", "Name"),
                    lang.pick("事项", "Obligation"),
                    lang.pick("应办日期", "Due"),
                    days_head,
                ],
                iw,
            ),
            iw,
        );
        let mut lines = Vec::new();
        for (i, row) in rows.iter().enumerate().skip(paging.page_start()).take(per) {
            let v = rep.view(row);
            let days = match self.list {
                List::Overdue => v.days_overdue,
                List::Soon => -v.days_overdue,
            };
            let s = cells(
                [
                    v.member_code,
                    v.name,
                    &v.kind.label(lang),
                    &crate::domain::dates::fmt(v.due),
                    &days.to_string(),
                ],
                iw,
            );
            lines.push(Line::from(Span::styled(
                text::pad_right(&s, iw),
                table::row_style(i == self.cursor, th),
            )));
        }
        let view = ListView {
            title: Line::from(vec![
                tab(
                    lang.pick("逾期", "Overdue"),
                    n_over,
                    self.list == List::Overdue,
                ),
                Span::raw(" "),
                tab(
                    lang.pick("即将到期", "Due soon"),
                    n_soon,
                    self.list == List::Soon,
                ),
            ]),
            header,
            rows: lines,
            empty: match self.list {
                List::Overdue => lang.pick(" 没有逾期的事项。", " Nothing is overdue."),
                List::Soon => lang.pick(" 近期没有到期的事项。", " Nothing is due soon."),
            }
            .into(),
            footer: paging.footer(lang, None),
        };
        paged_list::render(frame, list_area, view, th);

        // Why the selected row is due.
        let ex_area = Rect {
            y: area.bottom() - EXPLAIN,
            height: EXPLAIN,
            ..area
        };
        let prefix = lang.pick(" 说明：", " Why: ");
        let body_w = w.saturating_sub(text::width(prefix));
        let wrapped = if self.explanation.is_empty() {
            Vec::new()
        } else {
            text::wrap(&self.explanation, body_w)
        };
        let ex: Vec<Line> = wrapped
            .into_iter()
            .take(EXPLAIN as usize)
            .enumerate()
            .map(|(i, l)| {
                let p = if i == 0 {
                    Span::styled(prefix, th.label())
                } else {
                    Span::raw(" ".repeat(text::width(prefix)))
                };
                Line::from(vec![p, Span::raw(l)])
            })
            .collect();
        frame.render_widget(Paragraph::new(ex), ex_area);
    }
}

/// Column widths of the list: code, name, obligation, due, days.
const WIDTHS: [usize; 5] = [8, 14, 33, 10, 8];

/// One row of the list, measured in display cells; the obligation takes
/// whatever the other columns leave.
fn cells(v: [&str; 5], width: usize) -> String {
    let fixed: usize = WIDTHS[0] + WIDTHS[1] + WIDTHS[3] + WIDTHS[4] + 5;
    let item_w = width.saturating_sub(fixed).max(8);
    let mut s = String::from(" ");
    s.push_str(&text::pad_right(v[0], WIDTHS[0]));
    s.push(' ');
    s.push_str(&text::pad_right(v[1], WIDTHS[1]));
    s.push(' ');
    s.push_str(&text::pad_right(v[2], item_w));
    s.push(' ');
    s.push_str(&text::pad_right(v[3], WIDTHS[3]));
    s.push_str(&text::pad_left(v[4], WIDTHS[4]));
    s
}

/// Lays groups of spans out in at most `max` lines of `w` cells, two spaces
/// apart; a group that does not fit goes to the next line (and is cut when
/// wider than a line). What does not fit in `max` lines is left out.
pub fn flow(groups: Vec<Vec<Span<'static>>>, w: usize, max: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(" ")]];
    let mut used = 1;
    for g in groups {
        let gw: usize = g.iter().map(|s| text::width(&s.content)).sum();
        let gap = if used > 1 { 2 } else { 0 };
        if used + gap + gw > w && used > 1 {
            if lines.len() == max {
                break;
            }
            lines.push(vec![Span::raw(" ")]);
            used = 1;
        }
        let gap = if used > 1 { 2 } else { 0 };
        let line = lines.last_mut().expect("a line");
        if gap > 0 {
            line.push(Span::raw("  "));
            used += 2;
        }
        for s in g {
            let room = w.saturating_sub(used);
            let sw = text::width(&s.content);
            if sw <= room {
                used += sw;
                line.push(s);
            } else {
                let cut = text::truncate(&s.content, room);
                used += text::width(&cut);
                line.push(Span::styled(cut, s.style));
                break;
            }
        }
    }
    lines.into_iter().map(Line::from).collect()
}
