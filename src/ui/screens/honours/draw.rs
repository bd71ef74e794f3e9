//! Drawing the incentives tab: the view bar, then the view's list — the
//! assessments with their totals per grade under it, the birthdays with a
//! heading per month. Columns are measured in display cells.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{HonoursScreen, View};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::incentives::{Greeting, GreetingKind};
use crate::domain::money::format_money;
use crate::domain::vocab::{Coded, Grade};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView};
use crate::ui::widgets::table::{columns, row_style};

const VIEWS: [View; 4] = [
    View::Honours,
    View::Discipline,
    View::Assessments,
    View::Birthdays,
];

/// `001 张三`, or 支部 for the branch's own honour.
fn who(code: &str, name: &str, lang: Lang) -> String {
    if code.is_empty() {
        lang.pick("（支部）", "(branch)").to_string()
    } else {
        format!("{code} {name}")
    }
}

/// What a greeting says: `生日 66 岁`, `政治生日 入党 30 年 ★逢十`.
pub fn greeting_text(g: &Greeting, lang: Lang) -> String {
    let mark = if g.golden() {
        lang.pick(" ★光荣在党50年", " * 50 years in the party")
    } else if g.round() {
        lang.pick(" ★逢十", " * round")
    } else {
        ""
    };
    match (g.kind, lang) {
        (GreetingKind::Birthday, Lang::Zh) => format!("生日  {} 岁{mark}", g.years),
        (GreetingKind::Birthday, Lang::En) => format!("birthday, {}{mark}", g.years),
        (GreetingKind::Political, Lang::Zh) => format!("政治生日  入党 {} 年{mark}", g.years),
        (GreetingKind::Political, Lang::En) => {
            format!("joined {} years ago{mark}", g.years)
        }
    }
}

impl HonoursScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = super::MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        let lang = env.lang;
        let th = &env.theme;
        let mut spans = vec![Span::raw(" ")];
        for v in VIEWS {
            // Brackets too, so the view shows without colour.
            spans.push(if v == self.view {
                Span::styled(format!("[{}]", v.label(lang)), th.tab_active())
            } else {
                Span::styled(format!(" {} ", v.label(lang)), th.tab())
            });
        }
        let all = lang.pick("全部", "all");
        let filters: Vec<(&str, String)> = match self.view {
            View::Honours => vec![
                (
                    lang.pick("  年度 ", "  Year "),
                    self.year.map_or(all.to_string(), |y| y.to_string()),
                ),
                (
                    lang.pick("  级别 ", "  Level "),
                    self.level.map_or(all, |l| l.label(lang)).to_string(),
                ),
            ],
            View::Assessments => vec![(
                lang.pick("  年度 ", "  Year "),
                self.assess_year.to_string(),
            )],
            _ => Vec::new(),
        };
        for (l, v) in filters {
            spans.push(Span::styled(l, th.label()));
            spans.push(Span::raw(v));
        }
        let bar = Rect { height: 1, ..area };
        let search = self.search();
        let searchable = matches!(self.view, View::Honours | View::Discipline);
        if searchable && (search.focused() || !search.value().is_empty()) {
            let before: usize = spans.iter().map(|s| text::width(&s.content)).sum();
            let (found, cx) = search.spans(
                lang.pick("  查找 ", "  Find "),
                12,
                lang.pick("姓名/拼音/编号", "name/pinyin/code"),
                th,
            );
            spans.extend(found);
            search.place_cursor(frame, bar, before + cx, focused);
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        let list = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        match self.view {
            View::Honours => self.render_honours(frame, list, env),
            View::Discipline => self.render_disciplines(frame, list, env),
            View::Assessments => self.render_assessments(frame, list, env),
            View::Birthdays => self.render_birthdays(frame, list, env),
        }
    }

    fn page<'a>(&self, lines: Vec<String>, env: &Env) -> Vec<Line<'a>> {
        let p = self.paging();
        let page = lines.into_iter().skip(p.page_start()).take(p.page_size);
        self.lines_from(p.page_start(), page.collect(), env)
    }

    /// `lines`, the first being line `start` of the list, styled (the
    /// cursor's highlighted).
    fn lines_from<'a>(&self, start: usize, lines: Vec<String>, env: &Env) -> Vec<Line<'a>> {
        lines
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                Line::from(Span::styled(
                    s,
                    row_style(start + i == self.cursor, &env.theme),
                ))
            })
            .collect()
    }

    fn render_honours(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let iw = paged_list::inner_width(area);
        const W: [usize; 4] = [10, 14, 18, 8];
        let header = columns(
            &[
                lang.pick("日期", "Date"),
                lang.pick("对象", "Whom"),
                lang.pick("称号", "Title"),
                lang.pick("级别", "Level"),
                lang.pick("年度", "Year"),
            ],
            &W,
            iw,
        );
        let lines = self
            .honours
            .iter()
            .map(|h| {
                columns(
                    &[
                        &dates::fmt(h.date),
                        &who(&h.code, &h.name, lang),
                        &h.title_text(lang),
                        h.level.label(lang),
                        &h.year.to_string(),
                    ],
                    &W,
                    iw,
                )
            })
            .collect();
        let view = ListView {
            title: Line::from(format!(" {} ", lang.pick("表彰", "Honours"))),
            header,
            rows: self.page(lines, env),
            empty: lang
                .pick(
                    "还没有表彰。按 n 或 F2 登记一项（党员或支部）。",
                    "No honours yet. Press n or F2 to add one (a member or the branch).",
                )
                .into(),
            footer: self.paging().footer(lang, Some(("项", "honours"))),
        };
        paged_list::render(frame, area, view, &env.theme);
    }

    fn render_disciplines(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let iw = paged_list::inner_width(area);
        const W: [usize; 3] = [10, 18, 14];
        let header = columns(
            &[
                lang.pick("日期", "Date"),
                lang.pick("党员", "Member"),
                lang.pick("处分种类", "Kind"),
                lang.pick("备注", "Note"),
            ],
            &W,
            iw,
        );
        let lines = self
            .disciplines
            .iter()
            .map(|d| {
                columns(
                    &[
                        &dates::fmt(d.date),
                        &who(&d.code, &d.name, lang),
                        &d.kind,
                        &d.note,
                    ],
                    &W,
                    iw,
                )
            })
            .collect();
        let view = ListView {
            title: Line::from(format!(" {} ", lang.pick("处分", "Discipline"))),
            header,
            rows: self.page(lines, env),
            empty: lang
                .pick(
                    "没有处分记录。按 n 或 F2 登记（同时登记“受到处分”情况）。",
                    "No discipline recorded. Press n or F2 to add one (records a punishment event).",
                )
                .into(),
            footer: self.paging().footer(lang, Some(("项", "records"))),
        };
        paged_list::render(frame, area, view, &env.theme);
    }

    fn render_assessments(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let list = Rect {
            height: area.height.saturating_sub(2),
            ..area
        };
        let iw = paged_list::inner_width(list);
        const W: [usize; 4] = [6, 14, 9, 14];
        let header = columns(
            &[
                lang.pick("编号", "Code"),
                lang.pick("姓名", "Name"),
                lang.pick("等次", "Grade"),
                lang.pick("奖励", "Bonus"),
                lang.pick("发放", "Paid"),
            ],
            &W,
            iw,
        );
        // only the page shown, from the rows held around the cursor
        let p = self.paging();
        let shown = p.page_start()..(p.page_start() + p.page_size).min(self.assessments.len());
        let lines = shown
            .filter_map(|i| self.assessments.get(i).map(|r| (i, r)))
            .map(|(i, r)| {
                let grade = r.grade.map_or("-", |g| g.label(lang));
                let bonus = match r.grade {
                    Some(_) => text::pad_left(&format_money(r.bonus_fen), 13),
                    None => String::new(),
                };
                let paid = match (r.grade, r.paid_entry_id) {
                    (_, Some(_)) => lang.pick("已发放", "paid"),
                    (Some(_), None) if r.bonus_fen > 0 => lang.pick("未发放", "unpaid"),
                    _ => "",
                };
                let line = columns(&[&r.code, &r.name, grade, &bonus, paid], &W, iw);
                Line::from(Span::styled(line, row_style(i == self.cursor, th)))
            })
            .collect();
        let title = match (lang, self.grading) {
            (Lang::Zh, false) => format!(" {} 年度业绩考核 ", self.assess_year),
            (Lang::Zh, true) => format!(
                " {} 年度业绩考核 · 评定中 1优秀 2良好 3合格 4不合格 ",
                self.assess_year
            ),
            (Lang::En, false) => format!(" Assessment {} ", self.assess_year),
            (Lang::En, true) => format!(
                " Assessment {} · grading: 1 exc. 2 good 3 pass 4 fail ",
                self.assess_year
            ),
        };
        let view = ListView {
            title: Line::from(title),
            header,
            rows: lines,
            empty: lang.pick("没有在册党员。", "No active members.").into(),
            footer: self.paging().footer(lang, Some(("人", "members"))),
        };
        paged_list::render(frame, list, view, th);

        let mut spans = vec![Span::raw(" ")];
        if let Some(e) = self.totals.error() {
            spans.push(Span::raw(match lang {
                Lang::Zh => format!("合计未能统计：{e}"),
                Lang::En => format!("totals unavailable: {e}"),
            }));
        } else if self.totals.value().is_none() {
            spans.push(Span::raw(
                lang.pick("各等次合计统计中…", "counting the totals…"),
            ));
        }
        for t in self.totals() {
            let short = match t.grade {
                Grade::Excellent => "Exc.",
                Grade::Good => "Good",
                Grade::Pass => "Pass",
                Grade::Fail => "Fail",
            };
            spans.push(Span::raw(match lang {
                Lang::Zh => format!(
                    "{}{}人 {}  ",
                    t.grade.zh(),
                    t.count,
                    format_money(t.bonus_fen)
                ),
                Lang::En => format!("{short} {} {}  ", t.count, format_money(t.bonus_fen)),
            }));
        }
        // "…" while a worker counts
        let (graded, total, unpaid) = match self.totals.value() {
            Some(t) => (
                t.grades.iter().map(|t| t.count).sum::<usize>().to_string(),
                format_money(t.grades.iter().map(|t| t.bonus_fen).sum()),
                format_money(t.unpaid_fen),
            ),
            None => ("…".into(), "…".into(), "…".into()),
        };
        let second = match lang {
            Lang::Zh => format!(
                " 已评 {graded}/{} 人  奖励合计 {total}  未发放 {unpaid}  基数 {}",
                self.assessments.len(),
                format_money(env.settings.bonus_base_fen)
            ),
            Lang::En => format!(
                " Graded {graded}/{}  total {total}  unpaid {unpaid}  base {}",
                self.assessments.len(),
                format_money(env.settings.bonus_base_fen)
            ),
        };
        let w = area.width as usize;
        let first: String = spans.iter().map(|s| s.content.to_string()).collect();
        let lines = vec![
            Line::from(Span::styled(text::truncate(&first, w), th.text())),
            Line::from(Span::styled(text::truncate(&second, w), th.text())),
        ];
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                y: area.y + list.height,
                height: 2,
                ..area
            },
        );
    }

    /// Lines `from..to` of the birthdays view: a heading per month, then its
    /// greetings. Only these are formatted: a city's two months hold some
    /// 300,000 greetings, and a frame shows a page of them.
    pub fn birthday_lines(&self, env: &Env, w: usize, from: usize, to: usize) -> Vec<String> {
        let lang = env.lang;
        let [(y1, m1), (y2, m2)] = crate::domain::incentives::this_and_next_month(env.today);
        let mut out = Vec::new();
        // the line of the month's heading
        let mut at = 0;
        for (i, (y, m)) in [(y1, m1), (y2, m2)].into_iter().enumerate() {
            let g = &self.greetings[i];
            let (lo, hi) = (from.max(at), to.min(at + 1 + g.len()));
            if lo == at && lo < hi {
                let births = g
                    .iter()
                    .filter(|g| g.kind == GreetingKind::Birthday)
                    .count();
                let others = g.len() - births;
                let (zh, en) = if i == 0 {
                    ("本月", "This month")
                } else {
                    ("下月", "Next month")
                };
                let head = match lang {
                    Lang::Zh => format!(" {zh} {y}年{m}月：生日 {births} 人，政治生日 {others} 人"),
                    Lang::En => format!(
                        " {en} {y}-{m:02}: {births} birthdays, {others} party anniversaries"
                    ),
                };
                out.push(text::pad_right(&head, w));
            }
            let first = lo.max(at + 1) - (at + 1);
            let last = hi.saturating_sub(at + 1).max(first);
            for g in g.get(first..last).unwrap_or_default() {
                let day = format!("{:02}-{:02}", g.date.month(), g.date.day());
                out.push(columns(
                    &[
                        &day,
                        &format!("{} {}", g.code, g.name),
                        &greeting_text(g, lang),
                    ],
                    &[5, 20],
                    w,
                ));
            }
            at += 1 + g.len();
        }
        out
    }

    fn render_birthdays(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let iw = paged_list::inner_width(area);
        let header = columns(
            &[
                lang.pick("日期", "Day"),
                lang.pick("党员", "Member"),
                lang.pick("祝贺", "Greeting"),
            ],
            &[5, 20],
            iw,
        );
        let p = self.paging();
        let start = p.page_start();
        let lines = self.birthday_lines(env, iw, start, start + p.page_size);
        let view = ListView {
            title: Line::from(format!(
                " {} ",
                lang.pick(
                    "生日与政治生日（本月、下月）",
                    "Birthdays and party anniversaries"
                )
            )),
            header,
            rows: self.lines_from(start, lines, env),
            empty: String::new(),
            footer: self.paging().footer(lang, None),
        };
        paged_list::render(frame, area, view, &env.theme);
    }
}
