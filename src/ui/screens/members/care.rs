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

use super::draw::{member_panel, member_title};
use super::history::history_cells;
use super::{MembersScreen, View};
use crate::db;
use crate::db::corrections::Void;
use crate::db::records::Record;
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::rules::{Obligation, State};
use crate::domain::vocab::CaseState;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Key};
use crate::ui::popups::Request;
use crate::ui::screens::Outcome;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Move, Paging, Total};
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
    /// The member's hardship cases (困难台账): id, year, state, newest first.
    pub cases: Vec<(i64, i32, CaseState)>,
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
        keys: crate::ui::keys::EDIT_KEYS,
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
        self.care.cases = db::hardship::cases_of_member(conn, id)?;
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
        // Line moves only: the page size plays no part in them.
        let paging = self.care_paging(self.page_size);
        match a {
            CareAction::Back => {
                self.care.section = Section::Info;
                self.view = View::List;
            }
            CareAction::NextSection => self.set_section(self.care.section.next()),
            CareAction::PrevSection => self.set_section(self.care.section.prev()),
            CareAction::Up => self.care.cursor = paging.moved(Move::Up),
            CareAction::Down => self.care.cursor = paging.moved(Move::Down),
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

    /// The page names, the current one marked, for the bottom border of the
    /// detail `area` (none when they do not fit).
    fn sections_line(&self, area: Rect, env: &Env) -> Option<Line<'static>> {
        let th = &env.theme;
        let mut spans = vec![Span::raw(" ")];
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
        spans.push(Span::raw(" "));
        let w: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        (area.width as usize > w + 2 && area.height >= 2).then(|| Line::from(spans))
    }

    /// The page names along the bottom border of the details page.
    pub(super) fn render_sections(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let Some(line) = self.sections_line(area, env) else {
            return;
        };
        let w = line
            .spans
            .iter()
            .map(|s| text::width(&s.content))
            .sum::<usize>() as u16;
        let r = Rect {
            x: area.right() - 1 - w,
            y: area.bottom() - 1,
            width: w,
            height: 1,
        };
        frame.render_widget(Paragraph::new(line), r);
    }

    /// Where the cursor is on the obligations or history page, `rows` a page.
    fn care_paging(&self, rows: usize) -> Paging {
        Paging::new(self.care.cursor, rows, Total::Known(self.care_len()))
    }

    /// The obligations or history page of member `m`: a paged list with the
    /// page names beside its footer, the selected row in full on the lines
    /// under its rows.
    pub(super) fn render_care(&self, frame: &mut Frame, area: Rect, m: &Member, env: &Env) {
        let th = &env.theme;
        let rows = paged_list::rows_fitting(area).saturating_sub(FOOT as usize);
        if rows == 0 {
            frame.render_widget(member_panel(m, area, env), area);
            self.render_sections(frame, area, env);
            return;
        }
        let paging = self.care_paging(rows);
        let iw = paged_list::inner_width(area);
        let (rows, empty, foot) = match self.care.section {
            Section::Obligations | Section::Info => self.obligation_rows(paging, iw, env),
            Section::History => self.history_rows(paging, iw, env),
        };
        let view = ListView {
            title: member_title(m, area, env),
            header: self.care_header(iw, env.lang),
            rows,
            empty: empty.into(),
            footer: paging.footer(env.lang, None),
        };
        let beside = self.sections_line(area, env);
        let inner = paged_list::render_beside(frame, area, view, beside, th);
        frame.render_widget(
            Paragraph::new(table::wrapped(&foot, iw, FOOT as usize, th.label())),
            Rect {
                y: inner.bottom() - FOOT,
                height: FOOT,
                ..inner
            },
        );
    }

    fn care_header(&self, iw: usize, lang: Lang) -> String {
        match self.care.section {
            Section::Obligations | Section::Info => obligation_cells(
                [
                    lang.pick("状态", "State"),
                    lang.pick("事项", "Obligation"),
                    lang.pick("应办日期", "Due"),
                    lang.pick("天数", "Days"),
                ],
                iw,
            ),
            Section::History => history_cells(
                &[
                    lang.pick("日期", "Date"),
                    lang.pick("类型", "Type"),
                    lang.pick("方式/情况", "Kind"),
                    lang.pick("经办人", "By"),
                    lang.pick("内容", "Summary"),
                ],
                iw,
            ),
        }
    }

    /// The obligations of the page, the message when there are none and why
    /// the selected one is due.
    fn obligation_rows(
        &self,
        paging: Paging,
        iw: usize,
        env: &Env,
    ) -> (Vec<Line<'static>>, &'static str, String) {
        let (lang, th) = (env.lang, &env.theme);
        let obligations = self.care.obligations.iter().enumerate();
        let mut lines = Vec::new();
        for (i, o) in obligations.skip(paging.page_start()).take(paging.page_size) {
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
        let empty = lang.pick(
            "没有应办事项（只有在册党员有）。",
            "No obligations (active members only).",
        );
        (lines, empty, foot)
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
