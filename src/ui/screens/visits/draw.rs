//! Drawing the talks & visits screen: the filter bar and the records, the
//! campaigns, and a campaign's not-visited list. Columns are measured in
//! display cells.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Mode, VisitsScreen};
use crate::db::visits_list::{ListRow, RecordType};
use crate::domain::Lang;
use crate::domain::vocab::{Coded, EventKind, TalkForm, VisitKind};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Paging, Total};
use crate::ui::widgets::table::{self, columns};

/// Lines under the records list for the selected record in full.
const DETAIL: u16 = 2;

/// The label of a stored talk form, visit kind or event kind.
fn what_label(r: &ListRow, lang: Lang) -> &'static str {
    match r.kind {
        RecordType::Talk => TalkForm::from_code(&r.what).map_or("", |v| v.label(lang)),
        RecordType::Visit => VisitKind::from_code(&r.what).map_or("", |v| v.label(lang)),
        RecordType::Event => EventKind::from_code(&r.what).map_or("", |v| v.label(lang)),
    }
}

impl VisitsScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = super::MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        match self.mode {
            Mode::Records => self.render_records(frame, area, env, focused),
            Mode::Campaigns => self.render_campaigns(frame, area, env),
            Mode::Standing => self.render_standing(frame, area, env),
        }
    }

    /// The records are read a page at a time by key: the page number and
    /// whether another follows.
    pub fn paging(&self) -> Paging {
        let total = Total::Open {
            page: self.starts.len(),
            more: self.has_more,
        };
        Paging::new(self.cursor, self.page_size, total)
    }

    fn render_records(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let lang = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        // The filter bar.
        let (mut spans, cx) = self.search.spans(
            lang.pick("党员 ", "Member "),
            16,
            lang.pick("姓名/拼音/编号", "name/pinyin/code"),
            th,
        );
        let campaign = self.campaign_filter.and_then(|i| self.campaigns.get(i));
        let type_label = match (campaign, self.only) {
            (Some(_), _) => RecordType::Visit.label(lang),
            (None, Some(t)) => t.label(lang),
            (None, None) => lang.pick("全部", "all"),
        };
        let period = match campaign {
            Some(c) => format!("{}~{}", c.from.format("%y-%m-%d"), c.to.format("%m-%d")),
            None => self.period.label(lang).to_string(),
        };
        spans.extend([
            Span::styled(lang.pick("  类型 ", "  Type "), th.label()),
            Span::raw(type_label),
            Span::styled(lang.pick("  期间 ", "  Period "), th.label()),
            Span::raw(period),
        ]);
        if let Some(c) = campaign {
            spans.push(Span::styled(
                lang.pick("  活动 ", "  Campaign "),
                th.label(),
            ));
            spans.push(Span::raw(c.name.clone()));
        }
        let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        if used > w
            && let Some(last) = spans.last_mut()
        {
            let keep = text::width(&last.content).saturating_sub(used - w);
            *last = Span::styled(text::truncate(&last.content, keep), last.style);
        }
        let bar = Rect { height: 1, ..area };
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        self.search.place_cursor(frame, bar, cx, focused);

        // The list.
        let list_area = Rect {
            y: area.y + 1,
            height: area.height - 1 - DETAIL,
            ..area
        };
        let paging = self.paging();
        let iw = paged_list::inner_width(list_area);
        let widths = [10, 5, 14, 10, 10];
        let header = columns(
            &[
                lang.pick("日期", "Date"),
                lang.pick("类型", "Type"),
                lang.pick("党员", "Member"),
                lang.pick("方式/情况", "Kind"),
                lang.pick("经办人", "By"),
                lang.pick("内容", "Summary"),
            ],
            &widths,
            iw,
        );
        let mut lines = Vec::new();
        for (i, r) in self.page.iter().enumerate() {
            let date = crate::domain::dates::fmt(r.date);
            let content = match r.voided_on {
                Some(_) => format!("{}{}", table::void_mark(lang), r.text),
                None => r.text.clone(),
            };
            let s = columns(
                &[
                    &date,
                    r.kind.label(lang),
                    &r.member_name,
                    what_label(r, lang),
                    &r.who,
                    &content,
                ],
                &widths,
                iw,
            );
            let style = match (i == self.cursor, r.voided_on) {
                (false, Some(_)) => th.dim().add_modifier(Modifier::CROSSED_OUT),
                (selected, _) => table::row_style(selected, th),
            };
            lines.push(Line::from(Span::styled(s, style)));
        }
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 谈心走访记录 ", " Talks, visits and events "),
                th.title(),
            )),
            header,
            rows: lines,
            empty: lang
                .pick(
                    " 没有符合条件的记录。按 n 或 F2 新增。",
                    " No records here. Press n or F2 to add one.",
                )
                .into(),
            footer: paging.footer(lang, None),
        };
        paged_list::render(frame, list_area, view, th);

        // The selected record in full.
        let detail = match self.selected() {
            Some(r) => {
                let mut parts = vec![
                    format!("{}（{}）", r.member_name, r.member_code),
                    r.kind.label(lang).to_string(),
                    what_label(r, lang).to_string(),
                ];
                if !r.who.is_empty() {
                    parts.push(r.who.clone());
                }
                let head = parts.join(" · ");
                let head = match r.voided_on {
                    Some(on) => match lang {
                        Lang::Zh => format!(
                            "〔已作废 {}：{}〕{head}",
                            crate::domain::dates::fmt(on),
                            r.void_reason
                        ),
                        Lang::En => format!(
                            "[VOIDED {}: {}] {head}",
                            crate::domain::dates::fmt(on),
                            r.void_reason
                        ),
                    },
                    None => head,
                };
                if r.text.is_empty() {
                    head
                } else {
                    format!("{head}：{}", r.text)
                }
            }
            None => String::new(),
        };
        render_detail(frame, area, &detail);
    }

    fn render_campaigns(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let list_area = Rect {
            height: area.height - DETAIL,
            ..area
        };
        let iw = paged_list::inner_width(list_area);
        let widths = [20, 24, 14];
        let header = columns(
            &[
                lang.pick("名称", "Name"),
                lang.pick("活动期", "Window"),
                lang.pick("已访/对象", "Visited"),
                lang.pick("走访对象", "Targets"),
            ],
            &widths,
            iw,
        );
        let rows = paged_list::rows_fitting(list_area).max(1);
        let paging = Paging::new(self.camp_cursor, rows, Total::Known(self.campaigns.len()));
        let mut lines = Vec::new();
        for (i, c) in self
            .campaigns
            .iter()
            .enumerate()
            .skip(paging.page_start())
            .take(rows)
        {
            let window = format!(
                "{} {} {}",
                crate::domain::dates::fmt(c.from),
                lang.pick("至", "to"),
                crate::domain::dates::fmt(c.to)
            );
            let progress = match self.progress.iter().find(|p| p.0 == c.id) {
                _ if !c.started(env.today) => lang.pick("未开始", "not started").to_string(),
                Some(&(_, v, t)) => {
                    let pct = (v * 100).checked_div(t).unwrap_or(0);
                    format!("{v}/{t}（{pct}%）")
                }
                None => String::new(),
            };
            let s = columns(
                &[&c.name, &window, &progress, &c.targets_label(lang)],
                &widths,
                iw,
            );
            lines.push(Line::from(Span::styled(
                s,
                table::row_style(i == self.camp_cursor, th),
            )));
        }
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 集中走访慰问活动 ", " Visiting campaigns "),
                th.title(),
            )),
            header,
            rows: lines,
            empty: lang
                .pick(
                    " 还没有活动。按 n 或 F2 新建。",
                    " No campaigns yet. Press n or F2 to add one.",
                )
                .into(),
            footer: paging.footer(lang, None),
        };
        paged_list::render(frame, list_area, view, th);
        let detail = self.campaigns.get(self.camp_cursor).map(|c| match lang {
            Lang::Zh => format!(
                "走访对象：{}。Enter 查看未走访的党员。",
                c.targets_label(lang)
            ),
            Lang::En => format!(
                "Targets: {}. Enter lists who is not yet visited.",
                c.targets_label(lang)
            ),
        });
        render_detail(frame, area, &detail.unwrap_or_default());
    }

    fn render_standing(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let (Some(s), Some(c)) = (&self.standing, self.campaigns.get(self.camp_cursor)) else {
            return;
        };
        let title = match lang {
            Lang::Zh => format!(
                " {}：未走访 {} 人（已访 {}/{}） ",
                c.name,
                s.not_visited.len(),
                s.visited,
                s.targeted
            ),
            Lang::En => format!(
                " {}: {} not yet visited ({}/{} visited) ",
                c.name,
                s.not_visited.len(),
                s.visited,
                s.targeted
            ),
        };
        let list_area = Rect {
            height: area.height - 1,
            ..area
        };
        let iw = paged_list::inner_width(list_area);
        let widths = [10, 20];
        let header = columns(
            &[
                lang.pick("编号", "Code"),
                lang.pick("姓名", "Name"),
                lang.pick("手机", "Phone"),
            ],
            &widths,
            iw,
        );
        let rows = paged_list::rows_fitting(list_area).max(1);
        let paging = Paging::new(
            self.standing_cursor,
            rows,
            Total::Known(s.not_visited.len()),
        );
        let lines = (paging.page_start()..s.not_visited.len())
            .take(rows)
            .filter_map(|i| s.not_visited.at(i).map(|m| (i, m)))
            .map(|(i, m)| {
                Line::from(Span::styled(
                    columns(&[m.code, m.name, m.phone], &widths, iw),
                    table::row_style(i == self.standing_cursor, th),
                ))
            })
            .collect();
        let view = ListView {
            title: Line::from(Span::styled(
                text::truncate(&title, area.width.saturating_sub(4) as usize),
                th.title(),
            )),
            header,
            rows: lines,
            empty: lang
                .pick(" 对象都已走访。", " Everyone targeted has been visited.")
                .into(),
            footer: paging.footer(lang, None),
        };
        paged_list::render(frame, list_area, view, th);
        let note = match lang {
            Lang::Zh => format!(" 活动期 {} 至 {}；期内上门走访才算完成", c.from, c.to),
            Lang::En => format!(
                " Window {} to {}; only an in-person visit inside it counts",
                c.from, c.to
            ),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::truncate(&note, area.width as usize),
                th.dim(),
            )),
            Rect {
                y: area.bottom() - 1,
                height: 1,
                ..area
            },
        );
    }
}

/// The selected row in full, wrapped on the lines under the list.
fn render_detail(frame: &mut Frame, area: Rect, detail: &str) {
    frame.render_widget(
        Paragraph::new(table::wrapped(
            detail,
            area.width as usize,
            DETAIL as usize,
            Style::default(),
        )),
        Rect {
            y: area.bottom() - DETAIL,
            height: DETAIL,
            ..area
        },
    );
}
