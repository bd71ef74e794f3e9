//! Drawing the Overview: the summary, the list, why the selected row is due.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{EXPLAIN, List, MIN_BODY, OverviewScreen, STRIP};
use crate::db::obligations::listing::{Listing, Part};
use crate::domain::Lang;
use crate::domain::records::CampaignPhase;
use crate::domain::rules::Rule;
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Paging, Total};
use crate::ui::widgets::table;

impl OverviewScreen {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        let lang = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let Some(rep) = &self.listing else {
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

        // The summary: totals and counts per rule, then the campaigns, in as
        // many lines as they take (short rule names when the full ones would
        // leave less than a row for the list); nothing is left out.
        let (n_over, n_soon) = (rep.len(Part::Overdue), rep.len(Part::Soon));
        // Lines for the summary and the list's rows together.
        let room = area.height.saturating_sub(EXPLAIN + 3) as usize;
        let mut lines = summary(rep, env, w, false, self.greetings());
        if lines.len() > (STRIP as usize).max(room.saturating_sub(LIST_ROWS)) {
            let short = summary(rep, env, w, true, self.greetings());
            if short.len() < lines.len() {
                lines = short;
            }
        }
        // At least one row of the list stays.
        let cap = room.saturating_sub(1).max(1);
        lines.truncate(cap);
        let strip = (lines.len() as u16).max(STRIP.min(cap as u16));
        lines.resize(strip as usize, Line::from(""));
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: strip,
                ..area
            },
        );

        // The list.
        let list_area = Rect {
            y: area.y + strip,
            height: area.height - strip - EXPLAIN,
            ..area
        };
        let tab = |label: &str, n: usize, on: bool| {
            Span::styled(
                format!(" {label} {n} "),
                if on { th.tab_active() } else { th.tab() },
            )
        };
        let total = self.len();
        let per = self
            .page_size
            .min(paged_list::rows_fitting(list_area))
            .max(1);
        let paging = Paging::new(self.cursor, per, Total::Known(total));
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
        for i in paging.page_start()..(paging.page_start() + per).min(total) {
            // The page was read when the cursor moved (`fill_window`).
            let Some(v) = self.item(i) else {
                break;
            };
            let days = match self.list {
                List::Overdue => v.days_overdue,
                List::Soon => -v.days_overdue,
            };
            let s = cells(
                [
                    &v.member_code,
                    &v.name,
                    &v.kind.label(lang),
                    &crate::domain::dates::fmt(v.due),
                    &days.to_string(),
                ],
                iw,
            );
            let selected = i == self.cursor;
            let days_w = text::width(&days.to_string()).min(WIDTHS[4]);
            let (left, right) = s.split_at(s.len() - days_w);
            let days_style = match (selected, self.list) {
                // Late: the days in the error colour (bold without colour).
                (false, List::Overdue) => th.error(),
                _ => table::row_style(selected, th),
            };
            lines.push(Line::from(vec![
                Span::styled(left.to_string(), table::row_style(selected, th)),
                Span::styled(right.to_string(), days_style),
                Span::styled(
                    " ".repeat(iw.saturating_sub(text::width(&s))),
                    table::row_style(selected, th),
                ),
            ]));
        }
        self.rows_shown.set(per);
        // While a search narrows the lists, the tabs count what it found.
        let (n_over, n_soon) = self.found_counts().unwrap_or((n_over, n_soon));
        let mut title = vec![
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
        ];
        let search = self.search();
        if search.focused() || !search.value().is_empty() {
            let before: usize = title.iter().map(|s| text::width(&s.content)).sum::<usize>() + 1;
            let (spans, cx) = search.spans(
                lang.pick("查找 ", "Find "),
                14,
                lang.pick("姓名/拼音/编号", "name/pinyin/code"),
                th,
            );
            title.push(Span::raw(" "));
            title.extend(spans);
            // The title starts one cell in, after the corner.
            let bar = Rect {
                x: list_area.x + 1,
                height: 1,
                width: list_area.width.saturating_sub(2),
                ..list_area
            };
            search.place_cursor(frame, bar, before + cx, focused);
        }
        let view = ListView {
            title: Line::from(title),
            header,
            rows: lines,
            empty: match self.list {
                _ if self.roster_empty => lang
                    .pick(
                        "名册中还没有党员，所以还没有要办的事项。\n\
                         新增党员：按 2 到“党员”页，再按 n（或 F2）。\n\
                         导入名册：在命令行运行 guanhuai import members 名册.xlsx（或 .csv）。",
                        "The roster is empty, so nothing is due yet.\n\
                         Add a member: press 2 for Members, then n (or F2).\n\
                         Import a roster: run guanhuai import members roster.xlsx (or a .csv file) in a shell.",
                    ),
                List::Overdue => lang.pick("没有逾期的事项。", "Nothing is overdue."),
                List::Soon => lang.pick("近期没有到期的事项。", "Nothing is due soon."),
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

/// The summary above the list, laid out in lines of `w` cells: the totals,
/// the counts per rule (`short` names: see [`short_label`]), the running
/// campaigns (else the one that ended last), this month's birthdays and
/// political birthdays when there are any.
fn summary(
    rep: &Listing,
    env: &Env,
    w: usize,
    short: bool,
    greetings: (usize, usize),
) -> Vec<Line<'static>> {
    let (lang, th) = (env.lang, &env.theme);
    let days = env.settings.due_soon_days;
    let mut chips: Vec<Vec<Span<'static>>> = vec![vec![
        Span::styled(lang.pick("逾期 ", "Overdue "), th.label()),
        Span::styled(rep.len(Part::Overdue).to_string(), th.error()),
        Span::styled(lang.pick("  即将到期 ", "  Due soon "), th.label()),
        Span::styled(rep.len(Part::Soon).to_string(), th.title()),
        Span::styled(
            match lang {
                Lang::Zh => format!("（{days}天内）"),
                Lang::En => format!(" (in {days} days)"),
            },
            th.dim(),
        ),
    ]];
    if Rule::ALL
        .iter()
        .any(|&r| rep.count(r).overdue + rep.count(r).due_soon > 0)
    {
        chips.push(vec![Span::styled(
            lang.pick("按规则 逾期/即将：", "by rule late/soon:"),
            th.dim(),
        )]);
    }
    for rule in Rule::ALL {
        let c = rep.count(rule);
        if c.overdue + c.due_soon == 0 {
            continue;
        }
        let label = if short {
            short_label(rule, lang)
        } else {
            rule.label(lang)
        };
        chips.push(vec![
            Span::raw(label),
            Span::raw(format!(" {}/{}", c.overdue, c.due_soon)),
        ]);
    }
    let mut lines = flow(chips, w, usize::MAX);

    let mut shown: Vec<_> = rep
        .campaigns
        .iter()
        .filter(|p| p.campaign.phase(env.today) != CampaignPhase::Ended)
        .collect();
    if shown.is_empty() {
        shown.extend(rep.campaigns.iter().max_by_key(|p| p.campaign.to));
    }
    let label = Span::styled(lang.pick("走访活动：", "Campaigns: "), th.label());
    let mut camp: Vec<Vec<Span<'static>>> = Vec::new();
    if shown.is_empty() {
        camp.push(vec![
            label.clone(),
            Span::styled(lang.pick("无", "none"), th.dim()),
        ]);
    }
    for p in shown {
        let c = &p.campaign;
        let pct = (p.visited * 100).checked_div(p.targeted).unwrap_or(0);
        let ended = if c.phase(env.today) == CampaignPhase::Ended {
            lang.pick("已结束 ", "ended ")
        } else {
            ""
        };
        let mut chip = if camp.is_empty() {
            vec![label.clone()]
        } else {
            Vec::new()
        };
        chip.push(Span::raw(format!(
            "{} {}~{} ",
            c.name,
            c.from.format("%m-%d"),
            c.to.format("%m-%d")
        )));
        let progress = Span::styled(
            match lang {
                Lang::Zh => format!("{ended}已访 {}/{}（{pct}%）", p.visited, p.targeted),
                Lang::En => format!("{ended}visited {}/{} ({pct}%)", p.visited, p.targeted),
            },
            th.ok(),
        );
        let chip_w: usize = chip.iter().map(|s| text::width(&s.content)).sum();
        if chip_w + text::width(&progress.content) < w {
            chip.push(progress);
            camp.push(chip);
        } else {
            // Too wide for one line: the progress goes to the next.
            camp.push(chip);
            camp.push(vec![progress]);
        }
    }
    if greetings != (0, 0) {
        camp.push(vec![
            Span::styled(lang.pick("本月生日 ", "Birthdays "), th.label()),
            Span::raw(greetings.0.to_string()),
            Span::styled(lang.pick(" 政治生日 ", " party anniv. "), th.label()),
            Span::raw(greetings.1.to_string()),
        ]);
    }
    lines.extend(flow(camp, w, usize::MAX));
    lines
}

/// A rule's name abbreviated for the summary of a narrow or short window.
fn short_label(rule: Rule, lang: Lang) -> &'static str {
    let (zh, en) = match rule {
        Rule::AnnualTalk => ("谈心", "Talk"),
        Rule::HardshipVisit => ("困难走访", "Hardship"),
        Rule::HonoraryVisit => ("荣誉走访", "Honorary"),
        Rule::HonoraryHealthCheck => ("体检", "Check-up"),
        Rule::MobileContact => ("流动联系", "Mobile"),
        Rule::EventTalk => ("必谈", "Must talk"),
        Rule::EventVisit => ("必访", "Must visit"),
        Rule::Campaign => ("集中走访", "Campaign"),
        Rule::HardshipReview => ("年审", "Review"),
        Rule::LoanInstalment => ("还款", "Loan"),
    };
    lang.pick(zh, en)
}

/// Rows of the list the full rule names may not take away (else they are
/// abbreviated).
const LIST_ROWS: usize = 5;

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
