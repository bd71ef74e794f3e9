//! The member detail's other two pages: 应办事项 (every obligation of the
//! member with its state, due date and why) and 谈心走访记录 (events, talks
//! and visits, newest first). `Tab`/`→` and `Shift-Tab`/`←` move between
//! 基本信息, 应办事项 and 记录; both are read when the member is opened.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use super::draw::member_panel;
use super::history::{history_style, void_note};
use super::{MembersScreen, View};
use crate::db;
use crate::db::corrections::Void;
use crate::db::records::Record;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::rules::{Obligation, State};
use crate::domain::vocab::Coded;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Key};
use crate::ui::popups::Request;
use crate::ui::screens::Outcome;
use crate::ui::text;
use crate::ui::widgets::table;

/// The pages of the member detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Info,
    Obligations,
    History,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Info, Section::Obligations, Section::History];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Section::Info => lang.pick("基本信息", "Details"),
            Section::Obligations => lang.pick("应办事项", "Obligations"),
            Section::History => lang.pick("谈心走访记录", "History"),
        }
    }

    pub fn next(self) -> Section {
        match self {
            Section::Info => Section::Obligations,
            Section::Obligations => Section::History,
            Section::History => Section::Info,
        }
    }

    pub fn prev(self) -> Section {
        self.next().next()
    }
}

/// The obligations and history of the member shown in the detail.
#[derive(Debug, Clone, Default)]
pub struct Care {
    pub section: Section,
    pub member_id: i64,
    pub obligations: Vec<Obligation>,
    pub history: Vec<Record>,
    /// The void mark of each record of `history` (作废: kept, marked).
    pub voids: Vec<Option<Void>>,
    pub cursor: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareAction {
    Back,
    NextSection,
    PrevSection,
    Open,
    Edit,
    Void,
    Log,
    Up,
    Down,
    Prev,
    Next,
}

/// The keys of a page of the detail: Enter records an obligation, so the
/// history page (nothing to record there) has no Enter; a record of the
/// history is edited, voided or its log shown.
pub fn bindings(section: Section) -> Vec<Binding<CareAction>> {
    CARE_BINDINGS
        .iter()
        .copied()
        .filter(|b| match b.action {
            CareAction::Open => section == Section::Obligations,
            CareAction::Edit | CareAction::Void | CareAction::Log => section == Section::History,
            _ => true,
        })
        .collect()
}

pub const CARE_BINDINGS: &[Binding<CareAction>] = &[
    Binding {
        action: CareAction::Back,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
    Binding {
        action: CareAction::NextSection,
        keys: &[Key::code(KeyCode::Tab), Key::code(KeyCode::Right)],
        zh: "下一页签",
        en: "Next page",
        hint: true,
    },
    Binding {
        action: CareAction::PrevSection,
        keys: &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Left)],
        zh: "上一页签",
        en: "Previous page",
        hint: false,
    },
    Binding {
        action: CareAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "办理所选事项",
        en: "Record the selected item",
        hint: true,
    },
    Binding {
        action: CareAction::Edit,
        keys: &[Key::ch('e'), Key::f(4)],
        zh: "修改",
        en: "Edit",
        hint: true,
    },
    Binding {
        action: CareAction::Void,
        keys: &[Key::code(KeyCode::Delete)],
        zh: "作废",
        en: "Void",
        hint: true,
    },
    Binding {
        action: CareAction::Log,
        keys: &[Key::f(7)],
        zh: "本条日志",
        en: "Its log",
        hint: false,
    },
    Binding::up(CareAction::Up),
    Binding::down(CareAction::Down),
    Binding {
        action: CareAction::Prev,
        keys: &[Key::code(KeyCode::PageUp)],
        zh: "上一位",
        en: "Previous member",
        hint: true,
    },
    Binding {
        action: CareAction::Next,
        keys: &[Key::code(KeyCode::PageDown)],
        zh: "下一位",
        en: "Next member",
        hint: true,
    },
];

/// Lines under a list for the selected row in full.
const FOOT: u16 = 2;

impl MembersScreen {
    /// Reads the obligations and history of the member in the detail when
    /// it is not the one read last.
    pub(super) fn sync_care(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let id = match &self.view {
            View::Detail(m) => m.id,
            View::List => return Ok(()),
        };
        if id != self.care.member_id {
            self.care.member_id = id;
            self.care.cursor = 0;
            self.load_care(conn, env)?;
        }
        Ok(())
    }

    fn load_care(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let id = self.care.member_id;
        self.care.obligations =
            db::obligations::member_obligations(conn, id, env.today, &env.settings)?;
        let (history, voids) = db::corrections::member_history_marked(conn, id)?
            .into_iter()
            .unzip();
        self.care.history = history;
        self.care.voids = voids;
        let n = self.care_len();
        self.care.cursor = self.care.cursor.min(n.saturating_sub(1));
        Ok(())
    }

    /// After a save elsewhere (a talk, a visit, the settings): reads again.
    pub fn refresh_care(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        if matches!(self.view, View::Detail(_)) {
            self.load_care(conn, env)?;
        }
        Ok(())
    }

    /// The page of the detail shown and what it holds.
    pub fn care(&self) -> &Care {
        &self.care
    }

    fn care_len(&self) -> usize {
        match self.care.section {
            Section::Obligations => self.care.obligations.len(),
            Section::History => self.care.history.len(),
            Section::Info => 0,
        }
    }

    pub(super) fn set_section(&mut self, s: Section) {
        self.care.section = s;
        self.care.cursor = 0;
    }

    pub(super) fn handle_care(
        &mut self,
        a: CareAction,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let last = self.care_len().saturating_sub(1);
        match a {
            CareAction::Back => {
                self.care.section = Section::Info;
                self.view = View::List;
            }
            CareAction::NextSection => self.set_section(self.care.section.next()),
            CareAction::PrevSection => self.set_section(self.care.section.prev()),
            CareAction::Up => self.care.cursor = self.care.cursor.saturating_sub(1),
            CareAction::Down => self.care.cursor = (self.care.cursor + 1).min(last),
            CareAction::Prev | CareAction::Next => {
                self.step_detail(conn, a == CareAction::Next)?;
                self.sync_care(conn, env)?;
            }
            CareAction::Edit | CareAction::Void | CareAction::Log => return Ok(self.correct(a)),
            CareAction::Open => {
                let (View::Detail(m), Section::Obligations) = (&self.view, self.care.section)
                else {
                    return Ok(Outcome::Nothing);
                };
                let Some(o) = self.care.obligations.get(self.care.cursor) else {
                    return Ok(Outcome::Nothing);
                };
                let hit = MemberHit {
                    id: m.id,
                    code: m.code.clone(),
                    name: m.name.clone(),
                };
                return Ok(Outcome::Open(Request::Discharge {
                    member: hit,
                    kind: o.kind.clone(),
                }));
            }
        }
        Ok(Outcome::Redraw)
    }

    /// The page names along the bottom border of the detail, the current one marked.
    pub(super) fn render_sections(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let th = &env.theme;
        let mut spans = Vec::new();
        for s in Section::ALL {
            spans.push(Span::styled(
                format!(" {} ", s.label(env.lang)),
                if s == self.care.section {
                    th.tab_active()
                } else {
                    th.dim()
                },
            ));
        }
        let w: usize = spans.iter().map(|s| text::width(&s.content)).sum::<usize>() + 2;
        if area.width as usize <= w + 2 || area.height < 2 {
            return;
        }
        let r = Rect {
            x: area.right() - 1 - w as u16,
            y: area.bottom() - 1,
            width: w as u16,
            height: 1,
        };
        spans.insert(0, Span::raw(" "));
        spans.push(Span::raw(" "));
        frame.render_widget(Paragraph::new(Line::from(spans)), r);
    }

    /// The obligations or history page of member `m`.
    pub(super) fn render_care(&self, frame: &mut Frame, area: Rect, m: &Member, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let block = member_panel(m, area, env);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        self.render_sections(frame, area, env);
        if inner.height < FOOT + 2 {
            return;
        }
        let iw = inner.width as usize;
        let rows = (inner.height - FOOT - 1) as usize;
        let start = table::page_start(self.care.cursor, rows);
        let (lines, foot) = match self.care.section {
            Section::Obligations | Section::Info => {
                let mut lines = table::head(
                    obligation_cells(
                        [
                            lang.pick("状态", "State"),
                            lang.pick("事项", "Obligation"),
                            lang.pick("应办日期", "Due"),
                            lang.pick("天数", "Days"),
                        ],
                        iw,
                    ),
                    self.care.obligations.is_empty().then(|| {
                        lang.pick(
                            " 没有应办事项（只有在册党员有）。",
                            " No obligations (active members only).",
                        )
                    }),
                    th,
                );
                for (i, o) in self
                    .care
                    .obligations
                    .iter()
                    .enumerate()
                    .skip(start)
                    .take(rows)
                {
                    let days = match o.state {
                        State::Overdue => match lang {
                            Lang::Zh => format!("逾期 {}", o.days_overdue),
                            Lang::En => format!("{} late", o.days_overdue),
                        },
                        State::Satisfied => String::new(),
                        _ => match lang {
                            Lang::Zh => format!("还有 {}", -o.days_overdue),
                            Lang::En => format!("{} left", -o.days_overdue),
                        },
                    };
                    let s = obligation_cells(
                        [
                            o.state.label(lang),
                            &o.kind.label(lang),
                            &crate::domain::dates::fmt(o.due),
                            &days,
                        ],
                        iw,
                    );
                    let style = if i == self.care.cursor {
                        th.selected()
                    } else {
                        match o.state {
                            State::Overdue => th.error(),
                            State::DueSoon => th.title(),
                            State::Satisfied => th.dim(),
                            State::NotDue => Style::default(),
                        }
                    };
                    lines.push(Line::from(Span::styled(s, style)));
                }
                let foot = self
                    .care
                    .obligations
                    .get(self.care.cursor)
                    .map(|o| o.explanation.text(lang))
                    .unwrap_or_default();
                (lines, foot)
            }
            Section::History => {
                let mut lines = table::head(
                    history_cells(
                        &[
                            lang.pick("日期", "Date"),
                            lang.pick("类型", "Type"),
                            lang.pick("方式/情况", "Kind"),
                            lang.pick("经办人", "By"),
                            lang.pick("内容", "Summary"),
                        ],
                        iw,
                    ),
                    self.care
                        .history
                        .is_empty()
                        .then(|| lang.pick(" 还没有记录。", " No records yet.")),
                    th,
                );
                for (i, r) in self.care.history.iter().enumerate().skip(start).take(rows) {
                    let (t, k, who, txt) = record_parts(r, lang);
                    let void = self.care.voids.get(i).and_then(Option::as_ref);
                    let txt = match void {
                        Some(_) => format!("{}{txt}", table::void_mark(lang)),
                        None => txt.to_string(),
                    };
                    let s =
                        history_cells(&[&crate::domain::dates::fmt(r.date()), t, k, who, &txt], iw);
                    lines.push(Line::from(Span::styled(
                        s,
                        history_style(i == self.care.cursor, void.is_some(), th),
                    )));
                }
                let foot = self
                    .care
                    .history
                    .get(self.care.cursor)
                    .map(|r| {
                        let (t, k, who, txt) = record_parts(r, lang);
                        let head = [t, k, who]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" · ");
                        let head = match self.care.voids.get(self.care.cursor) {
                            Some(Some(v)) => format!("{}{head}", void_note(v, lang)),
                            _ => head,
                        };
                        format!("{head}：{txt}")
                    })
                    .unwrap_or_default();
                (lines, foot)
            }
        };
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: inner.height - FOOT,
                ..inner
            },
        );
        frame.render_widget(
            Paragraph::new(table::wrapped(&foot, iw, FOOT as usize, th.label())),
            Rect {
                y: inner.bottom() - FOOT,
                height: FOOT,
                ..inner
            },
        );
    }
}

/// Type, kind, who and text of a record.
fn record_parts(r: &Record, lang: Lang) -> (&'static str, &'static str, &str, &str) {
    match r {
        Record::Talk(t) => (
            lang.pick("谈话", "Talk"),
            t.form.label(lang),
            &t.conductor,
            &t.summary,
        ),
        Record::Visit(v) => (
            lang.pick("走访", "Visit"),
            v.kind.label(lang),
            &v.visitor,
            &v.notes,
        ),
        Record::Event(e) => (lang.pick("情况", "Event"), e.kind.label(lang), "", &e.note),
    }
}

/// State 8, obligation (the rest), due 10, days 10.
fn obligation_cells(v: [&str; 4], w: usize) -> String {
    let item_w = w.saturating_sub(1 + 8 + 1 + 1 + 10 + 1 + 10 + 1);
    let s = format!(
        " {} {} {} {}",
        text::pad_right(v[0], 8),
        text::pad_right(v[1], item_w),
        text::pad_right(v[2], 10),
        text::pad_left(v[3], 10)
    );
    text::pad_right(&s, w)
}

/// Date 10, type 4, kind 14, who 10, text (the rest).
fn history_cells(v: &[&str], w: usize) -> String {
    table::columns(v, &[10, 5, 14, 10], w)
}
