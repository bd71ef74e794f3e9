//! Drawing the ledger's list: the filter bar, the count per state, the cases
//! and the selected one in full. Columns are measured in display cells.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::HardshipScreen;
use crate::db::hardship::{CaseRow, pairing_label};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::hardship::{NextThing, next_thing};
use crate::domain::vocab::{CaseState, Coded, HardshipCategory, Priority};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView};
use crate::ui::widgets::table::{self, columns};

/// Lines under the list for the selected case in full.
const DETAIL: u16 = 2;

/// Column widths: code, name, year, categories, priority, state, helpers;
/// the next thing takes the rest.
const WIDTHS: [usize; 7] = [6, 10, 4, 11, 4, 9, 9];

/// The short name of a state for the counts line (`申请`, `Appl`).
pub fn state_short(s: CaseState, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        CaseState::Applied => ("申请", "Appl"),
        CaseState::Reviewed => ("评议", "Rev"),
        CaseState::Publicized => ("公示", "Ntc"),
        CaseState::Submitted => ("申报", "Subm"),
        CaseState::Approved => ("通过", "Appr"),
        CaseState::Rejected => ("驳回", "Rej"),
        CaseState::Active => ("帮扶", "Help"),
        CaseState::Resolved => ("脱困", "Res"),
        CaseState::Closed => ("终止", "Clsd"),
    };
    lang.pick(zh, en)
}

/// The categories joined (`因病、低保`).
pub fn categories_text(c: &[HardshipCategory], lang: Lang) -> String {
    c.iter()
        .map(|c| c.label(lang))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// What the list shows as the case's next thing, and whether it is late
/// (an annual review past its day).
pub fn next_text(r: &CaseRow, env: &Env) -> (String, bool) {
    let lang = env.lang;
    let due = r.review_due(env.settings.hardship_review_days);
    match next_thing(r.state, r.notice, due, env.today) {
        NextThing::Step(s) => (
            match lang {
                Lang::Zh => format!("待{}", s.zh()),
                Lang::En => format!("next: {}", s.en()),
            },
            false,
        ),
        NextThing::NoticeUntil(d) => (
            match lang {
                Lang::Zh => format!("公示至{}", dates::fmt(d)),
                Lang::En => format!("until {}", dates::fmt(d)),
            },
            false,
        ),
        NextThing::ReviewDue(d) => {
            let late = d < env.today;
            let mark = if late { "!" } else { "" };
            (
                match lang {
                    Lang::Zh => format!("{mark}年审 {}", dates::fmt(d)),
                    Lang::En => format!("{mark}rev. {}", dates::fmt(d)),
                },
                late,
            )
        }
        NextThing::Done => (String::new(), false),
    }
}

/// The helpers' column: the one helper's name, or 多帮一 and how many.
fn helpers_cell(r: &CaseRow, lang: Lang) -> String {
    match (r.helpers.as_slice(), lang) {
        ([], _) => String::new(),
        ([one], _) => one.clone(),
        (many, Lang::Zh) => format!("{}{}", pairing_label(many.len(), lang), many.len()),
        (many, Lang::En) => format!("{} helpers", many.len()),
    }
}

/// A state as the list's column names it (the English labels shortened to fit).
fn state_cell(s: CaseState, lang: Lang) -> &'static str {
    match (s, lang) {
        (CaseState::Publicized, Lang::En) => "Notice",
        (CaseState::Active, Lang::En) => "Helped",
        (s, l) => s.label(l),
    }
}

/// A priority as the list's column names it.
fn priority_cell(p: Priority, lang: Lang) -> &'static str {
    match (p, lang) {
        (Priority::Urgent, Lang::En) => "Urg.",
        (Priority::Normal, Lang::En) => "Norm",
        (p, l) => p.label(l),
    }
}

impl HardshipScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = super::MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        match &self.detail {
            Some(d) => self.render_detail(frame, area, d, env),
            None => self.render_list(frame, area, env, focused),
        }
    }

    fn filter_spans(&self, w: usize, env: &Env) -> (Vec<Span<'static>>, usize) {
        let lang = env.lang;
        let th = &env.theme;
        let all = lang.pick("全部", "all");
        let (mut spans, cx) = self.search.spans(
            lang.pick("搜索 ", "Search "),
            14,
            lang.pick("姓名/拼音/编号", "name/pinyin"),
            th,
        );
        let f = &self.filter;
        let year = f.year.map_or(all.to_string(), |y| y.to_string());
        let state = f.state.map_or(all, |s| s.label(lang));
        let cat = f.category.map_or(all, |c| c.label(lang));
        let pri = f.priority.map_or(all, |p| p.label(lang));
        for (label, value) in [
            (lang.pick("  年度 ", "  Year "), year),
            (lang.pick("  状态 ", "  State "), state.to_string()),
            (lang.pick("  类型 ", "  Cat. "), cat.to_string()),
            (lang.pick("  缓急 ", "  Pri. "), pri.to_string()),
        ] {
            spans.push(Span::styled(label, th.label()));
            spans.push(Span::raw(value));
        }
        // Cut from the end so the bar never wraps.
        let mut used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        while used > w {
            let Some(last) = spans.last_mut() else { break };
            let lw = text::width(&last.content);
            if lw <= used - w {
                used -= lw;
                spans.pop();
            } else {
                let keep = lw - (used - w);
                *last = Span::styled(text::truncate(&last.content, keep), last.style);
                used = w;
            }
        }
        (spans, cx)
    }

    fn counts_line(&self, env: &Env) -> Line<'static> {
        let lang = env.lang;
        let th = &env.theme;
        let mut spans = vec![Span::styled(
            lang.pick(" 各状态 ", " By state "),
            th.label(),
        )];
        for (i, (s, n)) in self.counts().iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" "));
            }
            let style = if *n == 0 { th.dim() } else { th.text() };
            spans.push(Span::styled(
                format!("{}{}{n}", state_short(*s, lang), lang.pick("", " ")),
                style,
            ));
        }
        let total: usize = self.counts().iter().map(|(_, n)| n).sum();
        spans.push(Span::styled(
            match lang {
                Lang::Zh => format!("  共 {total} 份"),
                Lang::En => format!("  {total} in all"),
            },
            th.label(),
        ));
        Line::from(spans)
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let lang = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let bar = Rect { height: 1, ..area };
        let (spans, cx) = self.filter_spans(w, env);
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        self.search.place_cursor(frame, bar, cx, focused);
        frame.render_widget(
            Paragraph::new(self.counts_line(env)),
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
        );

        let list_area = Rect {
            y: area.y + 2,
            height: area.height - 2 - DETAIL,
            ..area
        };
        let paging = self.paging();
        let iw = paged_list::inner_width(list_area);
        let header = columns(
            &[
                lang.pick("编号", "Code"),
                lang.pick("姓名", "Name"),
                lang.pick("年度", "Year"),
                lang.pick("困难类型", "Category"),
                lang.pick("缓急", "Pri."),
                lang.pick("状态", "State"),
                lang.pick("帮扶人", "Helpers"),
                lang.pick("下一步/年审", "Next"),
            ],
            &WIDTHS,
            iw,
        );
        let mut lines = Vec::new();
        // only the page shown, from the rows held around the cursor
        let shown = paging.page_start()..(paging.page_start() + paging.page_size).min(self.len());
        for (i, r) in shown.filter_map(|i| self.row(i).map(|r| (i, r))) {
            let (next, late) = next_text(r, env);
            let s = columns(
                &[
                    &r.code,
                    &r.name,
                    &r.year.to_string(),
                    &categories_text(&r.categories, lang),
                    priority_cell(r.priority, lang),
                    state_cell(r.state, lang),
                    &helpers_cell(r, lang),
                    &next,
                ],
                &WIDTHS,
                iw,
            );
            let style = match (i == self.cursor, late) {
                (true, _) => th.selected(),
                (false, true) => th.error(),
                (false, false) if crate::domain::hardship::is_final(r.state) => th.dim(),
                _ => Style::default(),
            };
            lines.push(Line::from(Span::styled(s, style)));
        }
        let empty = if self.search.value().is_empty() {
            lang.pick(
                "没有符合条件的台账。按 n 或 F2 新建。",
                "No cases here. Press n or F2 to open one.",
            )
        } else {
            lang.pick(
                "没有找到。按 Esc 清除搜索。",
                "Nothing found. Esc clears the search.",
            )
        };
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 困难党员台账 ", " Hardship ledger "),
                th.title(),
            )),
            header,
            rows: lines,
            empty: empty.into(),
            footer: paging.footer(lang, Some(("份", "cases"))),
        };
        paged_list::render(frame, list_area, view, th);

        let detail = self.selected().map(|r| {
            let helpers = match r.helpers.len() {
                0 => pairing_label(0, lang).to_string(),
                n => format!(
                    "{}{}{}",
                    pairing_label(n, lang),
                    lang.pick("：", ": "),
                    r.helpers.join(lang.pick("、", ", "))
                ),
            };
            let (next, _) = next_text(r, env);
            let mut parts = vec![
                match lang {
                    Lang::Zh => format!("{}（{}）{} 年度", r.name, r.code, r.year),
                    Lang::En => format!("{} ({}) {}", r.name, r.code, r.year),
                },
                categories_text(&r.categories, lang),
                r.priority.label(lang).to_string(),
                r.state.label(lang).to_string(),
                helpers,
            ];
            if !next.is_empty() {
                parts.push(next);
            }
            parts.join(" · ")
        });
        frame.render_widget(
            Paragraph::new(table::wrapped(
                &detail.unwrap_or_default(),
                w,
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
}
