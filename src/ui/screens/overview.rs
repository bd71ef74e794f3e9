//! 总览 — the first screen: who is overdue for a talk or a visit and who is
//! due soon, counts per rule, the running campaigns with their progress, and
//! under the list why the selected row is due. `Enter` opens the form that
//! discharges the selected obligation, filled in; after a save the list is
//! recomputed and the row is gone.
//!
//! The report comes from `db::obligations::compute`, run when the screen
//! opens and after every save or settings change — never while drawing. On
//! a large roster the first run goes to a worker thread (it takes about
//! 0.3 s at 100,000 members), so the first frame is drawn at once and the
//! lists fill in when the worker is back ([`OverviewScreen::poll`]).

use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use super::{Outcome, Screen};
use crate::db;
use crate::db::obligations::{self, Report, Row, Which};
use crate::db::visits_list;
use crate::domain::Lang;
use crate::domain::rules::Rule;
use crate::ui::env::{Env, Status};
use crate::ui::keys::{Binding, Hint, Key, hints, lookup};
use crate::ui::popups::{Change, Request};
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Move, Paging, Total};
use crate::ui::widgets::table;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewAction {
    Open,
    Switch,
    Settings,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

/// The keys of the Overview (handling, hint line and help).
pub const BINDINGS: &[Binding<OverviewAction>] = &[
    Binding {
        action: OverviewAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "办理",
        en: "Record it",
        hint: true,
    },
    Binding {
        action: OverviewAction::Switch,
        keys: &[
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::BackTab),
            Key::code(KeyCode::Left),
            Key::code(KeyCode::Right),
            Key::f(5),
        ],
        zh: "逾期/即将到期",
        en: "Overdue/due soon",
        hint: true,
    },
    Binding {
        action: OverviewAction::Settings,
        keys: &[Key::ch('s'), Key::f(7)],
        zh: "设置",
        en: "Settings",
        hint: true,
    },
    Binding {
        action: OverviewAction::Refresh,
        keys: &[Key::ch('r'), Key::ctrl('r')],
        zh: "重新计算",
        en: "Recompute",
        hint: false,
    },
    Binding::up(OverviewAction::Up),
    Binding::down(OverviewAction::Down),
    Binding::page_up(OverviewAction::PageUp),
    Binding::page_down(OverviewAction::PageDown),
    Binding {
        action: OverviewAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一行",
        en: "First",
        hint: false,
    },
    Binding {
        action: OverviewAction::End,
        keys: &[Key::code(KeyCode::End)],
        zh: "最后一行",
        en: "Last",
        hint: false,
    },
];

/// Which list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Overdue,
    Soon,
}

/// Rows of the summary above the list and of the explanation under it.
const STRIP: u16 = 3;
const EXPLAIN: u16 = 2;

/// The smallest body the layout needs: the summary, a list of one row, the explanation.
const MIN_BODY: (u16, u16) = (30, STRIP + EXPLAIN + 4);

/// List rows at a body height (summary, borders, header, explanation).
pub fn page_size_for(body_height: u16) -> usize {
    (body_height.saturating_sub(STRIP + EXPLAIN + 3) as usize).max(1)
}

/// Rosters up to this size are computed at once; larger ones on a worker thread.
pub const SYNC_LIMIT: usize = super::members::SYNC_INDEX_LIMIT;

#[derive(Debug)]
pub struct OverviewScreen {
    report: Option<Report>,
    /// The worker computing the first report, while it runs.
    pending: Option<Receiver<db::Result<Report>>>,
    /// Why the worker failed.
    error: Option<String>,
    list: List,
    cursor: usize,
    page_size: usize,
    /// Why the selected row is due (read when the selection changes).
    explanation: String,
}

impl OverviewScreen {
    /// Computes the lists: at once for a small roster, on a worker thread
    /// (with its own connection) for a large one in a file.
    pub fn new(conn: &Connection, env: &Env, page_size: usize) -> db::Result<Self> {
        let mut s = OverviewScreen {
            report: None,
            pending: None,
            error: None,
            list: List::Overdue,
            cursor: 0,
            page_size: page_size.max(1),
            explanation: String::new(),
        };
        s.reload(conn, env)?;
        Ok(s)
    }

    /// Computes the lists again, like `new`: on a worker thread for a large
    /// roster in a file (the old lists stay on screen until the new arrive).
    pub fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) if db::roster::more_than(conn, SYNC_LIMIT)? => {
                let (tx, rx) = mpsc::channel();
                let (path, today, settings) = (path.to_string(), env.today, env.settings.clone());
                std::thread::spawn(move || {
                    let res = db::open_scan(Path::new(&path))
                        .and_then(|c| obligations::compute(&c, today, &settings, Which::Both));
                    let _ = tx.send(res);
                });
                self.pending = Some(rx);
                Ok(())
            }
            _ => self.refresh(conn, env),
        }
    }

    /// True while the worker computes a report.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the worker's report when it is back (`wait`: blocks until it
    /// is). True when something arrived (redraw).
    pub fn poll(&mut self, conn: &Connection, env: &Env, wait: bool) -> bool {
        let Some(rx) = &self.pending else {
            return false;
        };
        let res = if wait {
            rx.recv().map_err(|_| TryRecvError::Disconnected)
        } else {
            rx.try_recv()
        };
        let res = match res {
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err(db::DbError::invalid(
                "计算逾期名单失败",
                "computing the lists failed",
            )),
            Ok(r) => r,
        };
        self.pending = None;
        match res {
            Ok(rep) => {
                self.report = Some(rep);
                self.error = None;
                self.cursor = self.cursor.min(self.rows().len().saturating_sub(1));
                if let Err(e) = self.explain(conn, env) {
                    self.error = Some(e.message(env.lang));
                }
            }
            Err(e) => self.error = Some(e.message(env.lang)),
        }
        true
    }

    /// Recomputes the lists (after a save or a settings change), keeping the
    /// list shown and the cursor's place.
    pub fn refresh(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        // A worker still running computes what is now stale.
        self.pending = None;
        self.error = None;
        self.report = Some(obligations::compute(
            conn,
            env.today,
            &env.settings,
            Which::Both,
        )?);
        self.cursor = self.cursor.min(self.rows().len().saturating_sub(1));
        self.explain(conn, env)
    }

    pub fn set_page_size(&mut self, rows: usize) {
        self.page_size = rows.max(1);
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    pub fn list(&self) -> List {
        self.list
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn explanation(&self) -> &str {
        &self.explanation
    }

    /// The rows of the list shown.
    pub fn rows(&self) -> &[Row] {
        match (&self.report, self.list) {
            (None, _) => &[],
            (Some(r), List::Overdue) => r.overdue(),
            (Some(r), List::Soon) => r.soon(),
        }
    }

    pub fn selected(&self) -> Option<&Row> {
        self.rows().get(self.cursor)
    }

    fn explain(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.explanation = match (&self.report, self.selected()) {
            (Some(rep), Some(row)) => rep
                .explain(conn, row, &env.settings)?
                .map(|o| o.explanation.text(env.lang))
                .unwrap_or_default(),
            _ => String::new(),
        };
        Ok(())
    }

    fn move_to(&mut self, conn: &Connection, env: &Env, to: usize) -> db::Result<Outcome> {
        let to = to.min(self.rows().len().saturating_sub(1));
        if to == self.cursor {
            return Ok(Outcome::Nothing);
        }
        self.cursor = to;
        self.explain(conn, env)?;
        Ok(Outcome::Redraw)
    }

    fn key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        if ev.kind == KeyEventKind::Release {
            return Outcome::Nothing;
        }
        let arrived = self.poll(conn, env, false);
        let Some(action) = lookup(BINDINGS, ev) else {
            return if arrived {
                Outcome::Redraw
            } else {
                Outcome::Nothing
            };
        };
        if self.is_pending() && action != OverviewAction::Settings {
            return Outcome::Nothing;
        }
        self.act(action, conn, env)
            .unwrap_or_else(|e| Outcome::Status(Status::error(e.message(env.lang))))
    }

    fn act(&mut self, a: OverviewAction, conn: &Connection, env: &Env) -> db::Result<Outcome> {
        let paging = Paging::new(self.cursor, self.page_size, Total::Known(self.rows().len()));
        let to = |m| paging.moved(m);
        match a {
            OverviewAction::Up => self.move_to(conn, env, to(Move::Up)),
            OverviewAction::Down => self.move_to(conn, env, to(Move::Down)),
            OverviewAction::PageUp => self.move_to(conn, env, to(Move::PageUp)),
            OverviewAction::PageDown => self.move_to(conn, env, to(Move::PageDown)),
            OverviewAction::Home => self.move_to(conn, env, to(Move::Home)),
            OverviewAction::End => self.move_to(conn, env, to(Move::End)),
            OverviewAction::Switch => {
                self.list = match self.list {
                    List::Overdue => List::Soon,
                    List::Soon => List::Overdue,
                };
                self.cursor = 0;
                self.explain(conn, env)?;
                Ok(Outcome::Redraw)
            }
            OverviewAction::Settings => Ok(Outcome::Open(Request::Settings)),
            OverviewAction::Refresh => {
                self.refresh(conn, env)?;
                Ok(Outcome::Status(Status::info(
                    env.lang.pick("已重新计算", "Recomputed"),
                )))
            }
            OverviewAction::Open => {
                let (Some(rep), Some(row)) = (&self.report, self.selected()) else {
                    return Ok(Outcome::Nothing);
                };
                let Some(member) = visits_list::member_hit(conn, rep.member_id(row))? else {
                    return Ok(Outcome::Nothing);
                };
                Ok(Outcome::Open(Request::Discharge {
                    member,
                    kind: rep.kind(row).clone(),
                }))
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, env: &Env) {
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

/// The registry's entry: the Overview at a body height.
pub fn open(conn: &Connection, env: &Env, body_height: u16) -> db::Result<Box<dyn Screen>> {
    Ok(Box::new(OverviewScreen::new(
        conn,
        env,
        page_size_for(body_height),
    )?))
}

impl Screen for OverviewScreen {
    fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> Outcome {
        self.key(ev, conn, env)
    }

    fn render(&self, frame: &mut Frame, area: Rect, env: &Env, _focused: bool) {
        self.draw(frame, area, env)
    }

    fn hints(&self, lang: Lang) -> (String, Vec<Hint>) {
        (lang.pick("总览", "Overview").into(), hints(BINDINGS, lang))
    }

    fn min_body(&self) -> (u16, u16) {
        MIN_BODY
    }

    fn resize(&mut self, _conn: &Connection, _env: &Env, body_height: u16) -> db::Result<()> {
        self.set_page_size(page_size_for(body_height));
        Ok(())
    }

    /// Work other clerks recorded since shows up.
    fn shown(&mut self, conn: &Connection, env: &Env, again: bool) -> db::Result<()> {
        if again {
            Ok(())
        } else {
            self.reload(conn, env)
        }
    }

    fn changed(&mut self, conn: &Connection, env: &Env, what: &Change) -> db::Result<()> {
        match what {
            Change::Record | Change::Settings(_) => self.refresh(conn, env),
            Change::Member(_) | Change::MemberStatus { .. } => Ok(()),
        }
    }

    fn busy(&self) -> bool {
        self.is_pending()
    }

    fn poll(&mut self, conn: &Connection, env: &Env, wait: bool) -> bool {
        OverviewScreen::poll(self, conn, env, wait)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
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
