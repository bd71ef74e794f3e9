//! Drawing the members screen: the filter bar, the list and the detail view.
//! Everything is measured in display cells so columns stay aligned with
//! Chinese names at any width.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{MembersScreen, Section, View};
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::validate;
use crate::domain::vocab::{CaseState, Coded, Gender, MemberStatus};
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView};

impl MembersScreen {
    /// Draws the screen; `focused` when no popup is above it (the search
    /// box then holds the terminal cursor).
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        match &self.view {
            View::List => self.render_list(frame, area, env, focused),
            View::Detail(m) if self.care.section != Section::Info => {
                self.render_care(frame, area, m, env)
            }
            View::Detail(m) => {
                render_detail(frame, area, m, &self.care.cases, env);
                self.render_sections(frame, area, env);
            }
        }
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        if area.height < 5 {
            return;
        }
        let lang = env.lang;
        let th = &env.theme;
        // The filter bar: search box, status and category filters.
        let bar = Rect { height: 1, ..area };
        let (mut spans, cx) = self.search.spans(
            lang.pick("搜索 ", "Search "),
            22,
            lang.pick("拼音/首字母/编号/手机", "name/pinyin/code/phone"),
            th,
        );
        let status_label = match self.status_filter.status() {
            Some(s) => s.label(lang),
            None => lang.pick("全部", "all"),
        };
        let mark_label = self
            .mark_filter
            .map_or(lang.pick("全部", "all"), |m| m.label(lang));
        spans.extend([
            Span::styled(lang.pick("  状态 ", "  Status "), th.label()),
            Span::raw(status_label),
            Span::styled(lang.pick("  类别 ", "  Category "), th.label()),
            Span::raw(mark_label),
        ]);
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        self.search.place_cursor(frame, bar, cx, focused);

        let table = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        let iw = paged_list::inner_width(table);
        let empty = if self.searching() {
            lang.pick("搜索中…", "Searching…")
        } else if self.search.value().is_empty() {
            lang.pick(
                "没有符合条件的党员。按 n 或 F2 新增。",
                "No members here. Press n or F2 to add one.",
            )
        } else {
            lang.pick(
                "没有找到。按 Esc 清除搜索。",
                "Nothing found. Esc clears the search.",
            )
        };
        let offset = self.page_offset_now();
        let rows = self
            .page
            .iter()
            .enumerate()
            .map(|(i, m)| row_line(m, offset + i == self.cursor, iw, env))
            .collect();
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 党员名册 ", " Members "),
                th.title(),
            )),
            header: header_text(lang),
            rows,
            empty: format!(" {empty}"),
            footer: if self.searching() {
                // The rows shown are the result's first; the count is a floor.
                lang.pick(
                    &format!(" 已找到 {} 人以上 · 搜索中… ", self.total()),
                    &format!(" {}+ members so far · searching… ", self.total()),
                )
                .to_string()
            } else {
                self.paging().footer(lang, Some(("人", "members")))
            },
        };
        paged_list::render(frame, table, view, th);
    }
}

/// Column widths in cells: code, name, gender, age, standing, marks, phone.
const WIDTHS: [usize; 7] = [10, 18, 4, 4, 4, 16, 13];

fn cells(values: [String; 7]) -> String {
    let mut s = String::from(" ");
    for (i, (v, w)) in values.iter().zip(WIDTHS).enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if (3..=4).contains(&i) {
            s.push_str(&text::pad_left(v, w));
        } else {
            s.push_str(&text::pad_right(v, w));
        }
    }
    s
}

fn header_text(lang: Lang) -> String {
    let h = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    cells([
        h("编号", "Code"),
        h("姓名", "Name"),
        h("性别", "Sex"),
        h("年龄", "Age"),
        h("党龄", "Yrs"),
        h("类别", "Marks"),
        h("手机", "Phone"),
    ])
}

fn gender_short(g: Option<Gender>, lang: Lang) -> &'static str {
    match (g, lang) {
        (None, _) => "",
        (Some(g), Lang::Zh) => g.zh(),
        (Some(Gender::Male), Lang::En) => "M",
        (Some(Gender::Female), Lang::En) => "F",
    }
}

fn row_line(m: &Member, selected: bool, width: usize, env: &Env) -> Line<'static> {
    let lang = env.lang;
    let th = &env.theme;
    let mut marks = String::new();
    if m.status != MemberStatus::Active {
        marks.push_str(m.status.label(lang));
        marks.push(' ');
    }
    for mk in m.marks(env.today, &env.settings) {
        marks.push_str(mk.short(lang));
    }
    let s = cells([
        m.code.clone(),
        m.name.clone(),
        gender_short(m.gender, lang).to_string(),
        m.age_on(env.today)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        m.standing_on(env.today).to_string(),
        marks,
        m.phone
            .as_deref()
            .map(validate::mask_phone)
            .unwrap_or_default(),
    ]);
    let s = text::pad_right(&s, width);
    let style = if selected {
        th.selected()
    } else if m.status != MemberStatus::Active {
        th.dim()
    } else {
        th.text()
    };
    Line::from(Span::styled(s, style))
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    if b {
        lang.pick("是", "yes")
    } else {
        lang.pick("否", "no")
    }
}

fn date_or_blank(d: Option<NaiveDate>) -> String {
    d.map(crate::domain::dates::fmt).unwrap_or_default()
}

/// The title of a member's detail pages: the name and code, cut to fit a
/// panel `area` wide (a name can be long).
pub(super) fn member_title(m: &Member, area: Rect, env: &Env) -> Line<'static> {
    let title = match env.lang {
        Lang::Zh => format!(" 党员详情：{}（{}） ", m.name, m.code),
        Lang::En => format!(" Member: {} ({}) ", m.name, m.code),
    };
    let fit = text::truncate(&title, area.width.saturating_sub(4) as usize);
    Line::from(Span::styled(fit, env.theme.title()))
}

/// The frame of the member's details page.
pub(super) fn member_panel(m: &Member, area: Rect, env: &Env) -> Block<'static> {
    Block::bordered()
        .border_set(env.theme.border())
        .title(member_title(m, area, env))
}

/// `2026 帮扶中 · 2025 已脱困`: a member's hardship cases and their states.
fn cases_text(cases: &[(i64, i32, CaseState)], lang: Lang) -> String {
    cases
        .iter()
        .map(|(_, year, state)| format!("{year} {}", state.label(lang)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Every field of one member; the ID number masked, the phone whole; the
/// member's hardship cases when there are any.
fn render_detail(
    frame: &mut Frame,
    area: Rect,
    m: &Member,
    cases: &[(i64, i32, CaseState)],
    env: &Env,
) {
    let lang = env.lang;
    let th = &env.theme;
    let today = env.today;
    let block = member_panel(m, area, env);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let age = match (m.birth_date, m.age_on(today)) {
        (Some(b), Some(a)) => match lang {
            Lang::Zh => format!("{}（{a}岁）", crate::domain::dates::fmt(b)),
            Lang::En => format!("{} (age {a})", crate::domain::dates::fmt(b)),
        },
        _ => String::new(),
    };
    let standing = match lang {
        Lang::Zh => format!(
            "{}（党龄{}年）",
            crate::domain::dates::fmt(m.joined_on),
            m.standing_on(today)
        ),
        Lang::En => format!(
            "{} ({} yrs)",
            crate::domain::dates::fmt(m.joined_on),
            m.standing_on(today)
        ),
    };
    let marks: Vec<&str> = m
        .marks(today, &env.settings)
        .iter()
        .map(|k| k.label(lang))
        .collect();
    let left: Vec<(&str, String)> = vec![
        (l("编号", "Code"), m.code.clone()),
        (l("姓名", "Name"), m.name.clone()),
        (
            l("性别", "Gender"),
            m.gender
                .map(|g| g.label(lang).to_string())
                .unwrap_or_default(),
        ),
        (l("出生日期", "Born"), age),
        (
            l("身份证号", "ID number"),
            m.id_number
                .as_deref()
                .map(validate::mask_id)
                .unwrap_or_default(),
        ),
        // Whole here: the clerk calls from the detail (masked on lists and exports).
        (l("手机", "Phone"), m.phone.clone().unwrap_or_default()),
        (l("入党日期", "Joined"), standing),
        (
            l("党员类型", "Membership"),
            m.membership.label(lang).to_string(),
        ),
        (l("状态", "Status"), m.status.label(lang).to_string()),
        (
            l("职业状况", "Employment"),
            m.employment
                .map(|e| e.label(lang).to_string())
                .unwrap_or_default(),
        ),
        (l("入册日期", "Registered"), date_or_blank(m.registered_on)),
        (l("类别", "Marks"), marks.join(lang.pick("、", ", "))),
    ];
    let mut right: Vec<(&str, String)> = match m.status {
        MemberStatus::TransferredOut => vec![
            (l("转出日期", "Left on"), date_or_blank(m.left_on)),
            (l("去向", "Went to"), m.left_to.clone()),
        ],
        MemberStatus::Deceased => vec![(l("去世日期", "Died on"), date_or_blank(m.left_on))],
        MemberStatus::Active => Vec::new(),
    };
    right.extend([
        (l("流动党员", "Mobile"), yes_no(m.mobile, lang).into()),
        (l("流出日期", "Mobile since"), date_or_blank(m.mobile_since)),
        (l("外出地点", "Whereabouts"), m.whereabouts.clone()),
        (l("联系人", "Contact"), m.contact.clone()),
        (l("荣誉党员", "Honorary"), yes_no(m.honorary, lang).into()),
        (
            l("荣誉批准日期", "Honorary since"),
            date_or_blank(m.honorary_since),
        ),
        (
            l("享受低保", "Low income"),
            yes_no(m.low_income, lang).into(),
        ),
        (
            l("无固定收入", "No fixed income"),
            yes_no(m.no_fixed_income, lang).into(),
        ),
        (
            l("独居", "Living alone"),
            yes_no(m.living_alone, lang).into(),
        ),
        (l("残疾", "Disabled"), yes_no(m.disabled, lang).into()),
        (
            l("长期患病", "Chronically ill"),
            yes_no(m.chronic_ill, lang).into(),
        ),
    ]);
    let half = inner.width as usize / 2;
    let label_w = 13usize.min(half / 2);
    let value_w = half.saturating_sub(label_w + 2);
    let cell = |pair: Option<&(&str, String)>| -> Vec<Span<'static>> {
        match pair {
            Some((lab, val)) => vec![
                Span::styled(format!(" {}", text::pad_right(lab, label_w)), th.label()),
                Span::raw(format!(" {}", text::pad_right(val, value_w))),
            ],
            None => vec![Span::raw(" ".repeat(half))],
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..left.len().max(right.len()) {
        let mut spans = cell(left.get(i));
        spans.extend(cell(right.get(i)));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    if !cases.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {}", text::pad_right(l("困难台账", "Hardship"), label_w)),
                th.label(),
            ),
            Span::raw(format!(" {}", cases_text(cases, lang))),
        ]));
    }
    let notes_label = l("备注", "Notes");
    let notes_w = (inner.width as usize).saturating_sub(label_w + 3);
    let notes = if m.notes.trim().is_empty() {
        Vec::new()
    } else {
        text::wrap(&m.notes, notes_w)
    };
    for (i, row) in notes.into_iter().enumerate() {
        let lab = if i == 0 { notes_label } else { "" };
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", text::pad_right(lab, label_w)), th.label()),
            Span::raw(format!(" {row}")),
        ]));
    }
    if m.notes.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {notes_label}"),
            th.label(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
