//! Drawing the survey tab: the rounds with the selected one's progress and
//! the members not answered; the data-entry form with last round's answers
//! beside its fields; the results.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Entry, Field, SurveyScreen, View};
use crate::domain::Lang;
use crate::domain::survey::{Answers, digit_of_need, progress_percent};
use crate::domain::vocab::{Coded, Health, Ideology, Need};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::field::Input;

/// The width of a field's label in the entry form.
fn label_w(l: Lang) -> usize {
    match l {
        Lang::Zh => 10,
        Lang::En => 15,
    }
}
const LABEL: usize = 10;
/// The width of last round's column.
const PREV: usize = 22;

pub(super) fn needs_text(needs: &[Need], l: Lang) -> String {
    if needs.is_empty() {
        return l.pick("无", "none").into();
    }
    needs
        .iter()
        .map(|n| n.label(l))
        .collect::<Vec<_>>()
        .join(l.pick("、", ", "))
}

pub(super) fn cut(s: &str, w: usize) -> String {
    text::truncate(s, w)
}

/// Numbered options on lines of `w` cells, the chosen ones marked; `at`,
/// the check list's cursor, drawn as the focused label. With the line and
/// column of the item at `at` (of the first chosen one, else the first,
/// when `at` is None): where the terminal cursor goes.
#[allow(clippy::too_many_arguments)]
fn options<T: Coded + PartialEq>(
    all: &[T],
    key: impl Fn(usize, T) -> char,
    on: impl Fn(T) -> bool,
    at: Option<usize>,
    l: Lang,
    w: usize,
    env: &Env,
) -> (Vec<Vec<Span<'static>>>, (usize, usize)) {
    let th = &env.theme;
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    let mut cursor = (0, 0);
    let target = at.or_else(|| all.iter().position(|&v| on(v))).unwrap_or(0);
    for (i, &v) in all.iter().enumerate() {
        let mark = if on(v) { "*" } else { " " };
        let item = format!("{}{}{}", key(i, v), mark, v.label(l));
        let iw = text::width(&item) + 1;
        if used + iw > w && used > 0 {
            lines.push(Vec::new());
            used = 0;
        }
        if i == target {
            // on the mark, after the item's number
            cursor = (lines.len() - 1, used + 1);
        }
        let style = if at == Some(i) {
            th.focus_label()
        } else if on(v) {
            th.selected()
        } else {
            th.text()
        };
        let last = lines.last_mut().expect("a line");
        last.push(Span::styled(item, style));
        last.push(Span::raw(" "));
        used += iw;
    }
    (lines, cursor)
}

impl SurveyScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = super::MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        match &self.view {
            View::Rounds => self.render_rounds(frame, area, env, None),
            View::NewRound(nr) => {
                self.render_rounds(frame, area, env, None);
                self.render_new_round(frame, area, env, nr, focused)
            }
            View::Find(input, cands) => {
                self.render_rounds(frame, area, env, Some((input, cands)));
            }
            View::Entry(e) => self.render_entry(frame, area, env, e, focused),
            View::Results => self.render_results(frame, area, env),
        }
    }

    fn render_rounds(
        &self,
        frame: &mut Frame,
        area: Rect,
        env: &Env,
        find: Option<(&Input, &Vec<crate::db::visits_list::MemberHit>)>,
    ) {
        let l = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let mut lines: Vec<Line> = vec![Line::styled(
            l.pick(" 调查轮次（↑↓ 选择）", " Rounds (↑↓ to pick)"),
            th.header(),
        )];
        if self.rounds.is_empty() {
            lines.push(Line::styled(
                l.pick(
                    "  还没有调查：按 n 或 F2 新建一次",
                    "  No round yet: n or F2 creates one",
                ),
                th.dim(),
            ));
        }
        for (i, r) in self.rounds.iter().enumerate().take(4) {
            let state = match r.closed_on {
                None => l.pick("进行中", "open").to_string(),
                Some(d) => format!("{}{d}", l.pick("已结束 ", "closed ")),
            };
            let row = format!(
                "{}{}  {}{}  {state}",
                if i == self.cursor { "> " } else { "  " },
                text::pad_right(&cut(&r.name, 30), 30),
                l.pick("开始 ", "from "),
                r.started_on,
            );
            let style = if i == self.cursor {
                th.selected()
            } else {
                th.text()
            };
            lines.push(Line::styled(cut(&row, w), style));
        }
        lines.push(Line::raw(""));
        let (done, active) = self.progress();
        if let Some(r) = self.round() {
            let pct = progress_percent(done, active);
            let bar_w = 20;
            let filled = (pct * bar_w).div_ceil(100).min(bar_w);
            let bar = format!("[{}{}]", "#".repeat(filled), ".".repeat(bar_w - filled));
            if self.is_counting() && active == 0 {
                lines.push(Line::from(vec![
                    Span::styled(l.pick(" 进度 ", " Progress "), th.label()),
                    Span::styled(l.pick("统计中…", "counting…"), th.dim()),
                ]));
            } else {
                lines.push(Line::from(vec![
                    Span::styled(l.pick(" 进度 ", " Progress "), th.label()),
                    Span::raw(match l {
                        Lang::Zh => format!("已登记 {done} / 在册党员 {active}（{pct}%） "),
                        Lang::En => format!("{done} answered / {active} active ({pct}%) "),
                    }),
                    Span::styled(bar, th.ok()),
                ]));
            }
            lines.push(Line::styled(cut(&format!(" {}", r.name), w), th.dim()));
        }
        if let Some((input, cands)) = find {
            let (shown, cx) = input.view(20);
            let label = l.pick(" 找人登记：编号/姓名/拼音 ", " Find: code/name/pinyin ");
            let y = area.y + lines.len() as u16;
            lines.push(Line::from(vec![
                Span::styled(label, th.focus_label()),
                Span::styled(text::pad_right(&shown, 20), th.input_focus()),
            ]));
            frame.set_cursor_position(Position::new(area.x + (text::width(label) + cx) as u16, y));
            for (i, c) in cands.iter().enumerate() {
                let s = format!(
                    "   {}{}",
                    if i == 0 { "Enter → " } else { "        " },
                    c.label()
                );
                lines.push(Line::raw(s));
            }
            if cands.is_empty() && !input.value().is_empty() {
                lines.push(Line::styled(
                    l.pick("   没有这位在册党员", "   no active member matches"),
                    th.error(),
                ));
            }
        } else if self.round().is_some() {
            let missing = active - done.min(active);
            lines.push(Line::styled(
                match (l, self.is_counting() && active == 0) {
                    (Lang::Zh, true) => " 未登记（按名册顺序）".to_string(),
                    (Lang::En, true) => " Not answered (roster order)".to_string(),
                    (Lang::Zh, false) => format!(" 未登记（按名册顺序，{missing} 人）"),
                    (Lang::En, false) => format!(" Not answered (roster order, {missing})"),
                },
                th.header(),
            ));
            if let Some(e) = self.read_error() {
                lines.push(Line::styled(
                    match l {
                        Lang::Zh => format!("  名单未能读取：{e}"),
                        Lang::En => format!("  the list could not be read: {e}"),
                    },
                    th.error(),
                ));
            } else if self.is_reading() && self.unanswered().is_empty() {
                lines.push(Line::styled(l.pick("  读取中…", "  reading…"), th.dim()));
            }
            let col = 26;
            let per_line = (w / col).max(1);
            for chunk in self.unanswered().chunks(per_line) {
                let s: String = chunk
                    .iter()
                    .map(|m| text::pad_right(&cut(&format!("  {}", m.label()), col), col))
                    .collect();
                lines.push(Line::raw(s));
            }
            let shown = self.unanswered().len();
            if active - done.min(active) > shown && shown > 0 {
                lines.push(Line::styled(l.pick("  ……", "  ..."), th.dim()));
            }
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn render_new_round(
        &self,
        frame: &mut Frame,
        area: Rect,
        env: &Env,
        nr: &super::NewRound,
        focused: bool,
    ) {
        let l = env.lang;
        let th = &env.theme;
        let top = area.y + area.height.saturating_sub(6);
        let rect = Rect::new(area.x, top, area.width, 6);
        frame.render_widget(ratatui::widgets::Clear, rect);
        let labels = [
            l.pick("调查名称", "Name"),
            l.pick("年度", "Year"),
            l.pick("开始日期", "Starts on"),
        ];
        let mut lines = vec![Line::styled(
            match nr.editing {
                Some(_) => l.pick(
                    " 修改调查（F9 保存，Esc 取消）",
                    " Edit round (F9 saves, Esc cancels)",
                ),
                None => l.pick(
                    " 新建调查（F9 保存，Esc 取消）",
                    " New round (F9 saves, Esc cancels)",
                ),
            },
            th.title(),
        )];
        for (i, label) in labels.iter().enumerate() {
            let (shown, cx) = nr.inputs[i].view(34);
            let f = nr.focus == i;
            let mut spans = vec![
                Span::styled(
                    text::pad_right(&format!(" {label}"), LABEL + 1),
                    if f { th.focus_label() } else { th.label() },
                ),
                Span::styled(
                    text::pad_right(&shown, 34),
                    if f { th.input_focus() } else { th.input() },
                ),
            ];
            if let Some((ei, m)) = &nr.error
                && *ei == i
            {
                spans.push(Span::styled(
                    format!(" {}", cut(m, area.width as usize - 47)),
                    th.error(),
                ));
            }
            if f && focused {
                frame.set_cursor_position(Position::new(
                    rect.x + (LABEL + 1 + cx) as u16,
                    rect.y + 1 + i as u16,
                ));
            }
            lines.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(lines), rect);
    }

    fn render_entry(&self, frame: &mut Frame, area: Rect, env: &Env, e: &Entry, focused: bool) {
        let l = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let label = label_w(l);
        let value_w = w.saturating_sub(label + PREV + 2);
        let (done, active) = self.progress();
        let round = self.round().map(|r| r.name.as_str()).unwrap_or("");
        let head = match l {
            Lang::Zh => format!(" {round} · 已登记 {done}/{active}"),
            Lang::En => format!(" {round} · {done}/{active} answered"),
        };
        let mut lines: Vec<Line> = vec![Line::styled(cut(&head, w), th.title())];
        let who = format!(
            "{} {}{}",
            e.member.code,
            e.member.name,
            if e.editing.is_some() {
                l.pick(
                    "（已登记：修改将记入日志）",
                    " (answered: a correction, logged)",
                )
            } else {
                ""
            }
        );
        lines.push(Line::from(vec![
            Span::styled(
                text::pad_right(l.pick(" 党员", " Member"), label),
                th.label(),
            ),
            Span::styled(
                text::pad_right(&cut(&who, value_w), value_w + 1),
                th.header(),
            ),
            Span::styled(
                cut(
                    l.pick("上次调查（F5 沿用）", "Last round (F5 copies)"),
                    PREV,
                ),
                th.label(),
            ),
        ]));
        let prev: Option<&Answers> = e.previous.as_ref();
        let none = l.pick("（无）", "(none)");
        let mut cursor: Option<(u16, u16)> = None;
        for f in Field::ALL {
            let focus = e.focus == f;
            let label_style = if focus { th.focus_label() } else { th.label() };
            let mut at = |(lines_, (r, x)): (Vec<Vec<Span<'static>>>, (usize, usize))| {
                if focus {
                    cursor = Some(((label + x) as u16, (lines.len() + r) as u16));
                }
                lines_
            };
            let mut value_lines: Vec<Vec<Span<'static>>> = match f {
                Field::Ideology => at(options(
                    Ideology::ALL,
                    |i, _| char::from(b'1' + i as u8),
                    |v| e.ideology == Some(v),
                    None,
                    l,
                    value_w,
                    env,
                )),
                Field::Health => at(options(
                    Health::ALL,
                    |i, _| char::from(b'1' + i as u8),
                    |v| e.health == Some(v),
                    None,
                    l,
                    value_w,
                    env,
                )),
                Field::Needs => at(options(
                    Need::ALL,
                    |_, n| digit_of_need(n),
                    |n| e.needs.contains(&n),
                    focus.then_some(e.need_at),
                    l,
                    value_w,
                    env,
                )),
                Field::FollowUp => vec![vec![Span::styled(
                    if e.follow_up {
                        l.pick(
                            "[X] 是（1 是 0 否，空格切换）",
                            "[X] yes (1 yes, 0 no, Space)",
                        )
                    } else {
                        l.pick(
                            "[ ] 否（1 是 0 否，空格切换）",
                            "[ ] no (1 yes, 0 no, Space)",
                        )
                    }
                    .to_string(),
                    th.text(),
                )]],
                _ => {
                    let input = e.input(f).expect("a text field");
                    let (shown, cx) = input.view(value_w);
                    if focus {
                        cursor = Some(((label + cx) as u16, lines.len() as u16));
                    }
                    vec![vec![Span::styled(
                        text::pad_right(&shown, value_w),
                        if focus { th.input_focus() } else { th.input() },
                    )]]
                }
            };
            let prev_text = prev.map(|p| match f {
                Field::Ideology => p.ideology.label(l).to_string(),
                Field::Health => p.health.label(l).to_string(),
                Field::Needs => needs_text(&p.needs, l),
                Field::FollowUp => l
                    .pick(
                        if p.follow_up { "是" } else { "否" },
                        if p.follow_up { "yes" } else { "no" },
                    )
                    .to_string(),
                Field::Date => p.date.to_string(),
                Field::Surveyor => p.surveyor.clone(),
                Field::Work => p.work_expectations.clone(),
                Field::Opinions => p.opinions.clone(),
                Field::FollowUpNote => p.follow_up_note.clone(),
            });
            let prev_text = match (&prev_text, f) {
                (None, Field::Ideology) => none.to_string(),
                (None, _) => String::new(),
                (Some(t), _) => t.clone(),
            };
            if focus && cursor.is_none() {
                cursor = Some((label as u16, lines.len() as u16));
            }
            let err = e.error(f).map(|m| m.to_string());
            let first = value_lines.remove(0);
            let used: usize = first.iter().map(|s| text::width(&s.content)).sum();
            let mut spans = vec![Span::styled(
                text::pad_right(&format!(" {}", f.label(l)), label),
                label_style,
            )];
            spans.extend(first);
            spans.push(Span::raw(" ".repeat((value_w + 1).saturating_sub(used))));
            match &err {
                Some(m) => spans.push(Span::styled(cut(&format!("! {m}"), PREV), th.error())),
                None => spans.push(Span::styled(cut(&prev_text, PREV), th.dim())),
            }
            lines.push(Line::from(spans));
            for more in value_lines {
                let mut spans = vec![Span::raw(" ".repeat(label))];
                spans.extend(more);
                lines.push(Line::from(spans));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            cut(
                l.pick(
                    " 数字键或首字母选择，←→ 和空格勾选需求，Enter 下一项，F9 保存并打开下一位",
                    " Digits or letters choose, ←→ Space tick needs, Enter next, F9 saves, opens next",
                ),
                w,
            ),
            th.dim(),
        ));
        frame.render_widget(Paragraph::new(lines), area);
        if focused && let Some((x, y)) = cursor {
            frame.set_cursor_position(Position::new(area.x + x, area.y + y));
        }
    }
}
