//! 操作日志: the audit log in a popup, newest first, a page at a time
//! (`db::audit::page` with its keyset), filtered by period, user and table;
//! or the log of one record (from its detail). Under the list the selected
//! entry: time, user, action, table and record, and what changed (old → new),
//! wrapped by display width.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

mod detail;

pub use detail::detail_lines;

use super::PopupOutcome;
use crate::db;
use crate::db::audit::{self, LogEntry, LogFilter};
use crate::domain::Lang;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Key, lookup};
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Paging, Total};
use crate::ui::widgets::popup;
use crate::ui::widgets::table::{self, columns};

/// Entries on a page.
pub const PAGE: usize = 8;

/// The tables a filter may pick, with their names.
const TABLES: &[(&str, &str, &str)] = &[
    ("members", "党员", "members"),
    ("talks", "谈话", "talks"),
    ("visits", "走访", "visits"),
    ("events", "情况", "events"),
    ("campaigns", "活动", "campaigns"),
    ("campaign_targets", "活动对象", "campaign targets"),
    ("hardship_cases", "困难台账", "hardship"),
    ("hardship_steps", "困难流程", "hardship steps"),
    ("hardship_reviews", "困难年审", "reviews"),
    ("hardship_case_categories", "困难类型", "categories"),
    ("hardship_family", "家庭成员", "family"),
    ("hardship_measures", "帮扶措施", "measures"),
    ("hardship_measure_actions", "措施记录", "measure log"),
    ("hardship_helpers", "结对帮扶", "helpers"),
    ("fund_entries", "帮扶基金", "fund"),
    ("loans", "无息借款", "loans"),
    ("loan_instalments", "还款计划", "instalments"),
    ("audits", "基金审计", "fund audits"),
    ("audit_totals", "审计合计", "audit totals"),
    ("survey_rounds", "调查轮次", "survey rounds"),
    ("survey_responses", "调查答卷", "responses"),
    ("survey_response_needs", "调查需求", "needs"),
    ("honours", "表彰", "honours"),
    ("disciplines", "处分", "disciplines"),
    ("assessments", "业绩考核", "assessments"),
    ("settings", "设置", "settings"),
];

/// A table's name as the log shows it.
pub fn table_label(t: &str, lang: Lang) -> String {
    TABLES.iter().find(|(code, ..)| *code == t).map_or_else(
        || t.to_string(),
        |(_, zh, en)| lang.pick(zh, en).to_string(),
    )
}

/// The period filter, cycled with F7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogPeriod {
    All,
    Today,
    Days7,
    Month,
    Year,
}

impl LogPeriod {
    fn next(self) -> Self {
        match self {
            LogPeriod::All => LogPeriod::Today,
            LogPeriod::Today => LogPeriod::Days7,
            LogPeriod::Days7 => LogPeriod::Month,
            LogPeriod::Month => LogPeriod::Year,
            LogPeriod::Year => LogPeriod::All,
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            LogPeriod::All => lang.pick("全部", "all"),
            LogPeriod::Today => lang.pick("今天", "today"),
            LogPeriod::Days7 => lang.pick("近7天", "last 7 days"),
            LogPeriod::Month => lang.pick("本月", "this month"),
            LogPeriod::Year => lang.pick("本年", "this year"),
        }
    }

    fn range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let first = |m| NaiveDate::from_ymd_opt(today.year(), m, 1);
        match self {
            LogPeriod::All => (None, None),
            LogPeriod::Today => (Some(today), Some(today)),
            LogPeriod::Days7 => (Some(today - Duration::days(6)), Some(today)),
            LogPeriod::Month => (first(today.month()), Some(today)),
            LogPeriod::Year => (first(1), Some(today)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogAction {
    Close,
    Period,
    User,
    Table,
    Up,
    Down,
    PageUp,
    PageDown,
}

pub const LOG_BINDINGS: &[Binding<LogAction>] = &[
    Binding {
        action: LogAction::Close,
        keys: &[Key::code(KeyCode::Esc), Key::f(12)],
        zh: "关闭",
        en: "Close",
        hint: true,
    },
    Binding {
        action: LogAction::Period,
        keys: &[Key::f(7)],
        zh: "期间",
        en: "Period",
        hint: true,
    },
    Binding {
        action: LogAction::User,
        keys: &[Key::f(6)],
        zh: "用户",
        en: "User",
        hint: true,
    },
    Binding {
        action: LogAction::Table,
        keys: &[Key::f(5)],
        zh: "表",
        en: "Table",
        hint: true,
    },
    Binding::up(LogAction::Up),
    Binding::down(LogAction::Down),
    Binding::page_up(LogAction::PageUp),
    Binding::page_down(LogAction::PageDown),
];

#[derive(Debug, Clone)]
pub struct LogView {
    /// The record's filter (table and id) or the whole log's.
    base: LogFilter,
    period: LogPeriod,
    users: Vec<String>,
    user: Option<usize>,
    table: Option<usize>,
    entries: Vec<LogEntry>,
    /// Where each page so far starts (`before` of the keyset; `None` first).
    starts: Vec<Option<i64>>,
    has_more: bool,
    cursor: usize,
    total: i64,
}

impl LogView {
    /// The log of `filter` (one record when it names one), first page read.
    pub fn open(conn: &Connection, env: &Env, filter: LogFilter) -> db::Result<Self> {
        let mut v = LogView {
            base: filter,
            period: LogPeriod::All,
            users: audit::users(conn)?,
            user: None,
            table: None,
            entries: Vec::new(),
            starts: vec![None],
            has_more: false,
            cursor: 0,
            total: 0,
        };
        v.reload(conn, env)?;
        Ok(v)
    }

    /// One record's log (its table is fixed).
    fn for_record(&self) -> bool {
        self.base.record_id.is_some() || self.base.case_id.is_some()
    }

    pub fn filter(&self, today: NaiveDate) -> LogFilter {
        let (from, to) = self.period.range(today);
        let mut f = self.base.clone();
        f.from = from;
        f.to = to;
        if let Some(u) = self.user.and_then(|i| self.users.get(i)) {
            f.user = Some(u.clone());
        }
        if let Some(&(t, ..)) = self.table.and_then(|i| TABLES.get(i)) {
            f.table = Some(t.to_string());
        }
        f
    }

    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    pub fn total(&self) -> i64 {
        self.total
    }

    pub fn selected(&self) -> Option<&LogEntry> {
        self.entries.get(self.cursor)
    }

    fn reload(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        self.starts = vec![None];
        self.cursor = 0;
        self.total = audit::count(conn, &self.filter(env.today))?;
        self.fetch(conn, env)
    }

    fn fetch(&mut self, conn: &Connection, env: &Env) -> db::Result<()> {
        let before = self.starts.last().copied().flatten();
        let mut rows = audit::page(conn, &self.filter(env.today), before, PAGE + 1)?;
        self.has_more = rows.len() > PAGE;
        rows.truncate(PAGE);
        self.entries = rows;
        self.cursor = self.cursor.min(self.entries.len().saturating_sub(1));
        Ok(())
    }

    fn next_page(&mut self, conn: &Connection, env: &Env) -> db::Result<bool> {
        if !self.has_more {
            return Ok(false);
        }
        let last = self.entries.last().map(|e| e.id);
        self.starts.push(last);
        self.fetch(conn, env)?;
        Ok(true)
    }

    fn prev_page(&mut self, conn: &Connection, env: &Env) -> db::Result<bool> {
        if self.starts.len() < 2 {
            return Ok(false);
        }
        self.starts.pop();
        self.fetch(conn, env)?;
        Ok(true)
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &Connection, env: &Env) -> PopupOutcome {
        let Some(a) = lookup(LOG_BINDINGS, ev) else {
            return PopupOutcome::Nothing;
        };
        match self.act(a, conn, env) {
            Ok(o) => o,
            Err(e) => PopupOutcome::Refused(e.message(env.lang)),
        }
    }

    fn act(&mut self, a: LogAction, conn: &Connection, env: &Env) -> db::Result<PopupOutcome> {
        let cycle = |at: Option<usize>, n: usize| match at {
            None if n > 0 => Some(0),
            Some(i) if i + 1 < n => Some(i + 1),
            _ => None,
        };
        match a {
            LogAction::Close => return Ok(PopupOutcome::Close),
            LogAction::Period => {
                self.period = self.period.next();
                self.reload(conn, env)?;
            }
            LogAction::User => {
                self.user = cycle(self.user, self.users.len());
                self.reload(conn, env)?;
            }
            LogAction::Table => {
                if self.for_record() {
                    return Ok(PopupOutcome::Nothing);
                }
                self.table = cycle(self.table, TABLES.len());
                self.reload(conn, env)?;
            }
            LogAction::Up => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                } else if self.prev_page(conn, env)? {
                    self.cursor = self.entries.len().saturating_sub(1);
                }
            }
            LogAction::Down => {
                if self.cursor + 1 < self.entries.len() {
                    self.cursor += 1;
                } else if self.next_page(conn, env)? {
                    self.cursor = 0;
                }
            }
            LogAction::PageDown => {
                if self.next_page(conn, env)? {
                    self.cursor = 0;
                } else {
                    self.cursor = self.entries.len().saturating_sub(1);
                }
            }
            LogAction::PageUp => {
                if !self.prev_page(conn, env)? {
                    self.cursor = 0;
                }
            }
        }
        Ok(PopupOutcome::Redraw)
    }

    /// The title: what is shown and its filters.
    fn title(&self, lang: Lang) -> String {
        let all = lang.pick("全部", "all");
        let user = self
            .user
            .and_then(|i| self.users.get(i))
            .map_or(all, String::as_str);
        let l = |zh, en| lang.pick(zh, en);
        let what = match (&self.base.table, self.base.record_id) {
            (Some(t), Some(id)) => format!("{} #{id}", table_label(t, lang)),
            _ if self.base.case_id.is_some() => format!(
                "{} #{}",
                table_label("hardship_cases", lang),
                self.base.case_id.unwrap_or_default()
            ),
            _ => self
                .table
                .and_then(|i| TABLES.get(i))
                .map_or(all.to_string(), |(_, zh, en)| lang.pick(zh, en).to_string()),
        };
        format!(
            " {}  {} {}  {} {}  {} {} ",
            l("操作日志", "Audit log"),
            l("期间", "period"),
            self.period.label(lang),
            l("用户", "user"),
            user,
            l("表", "table"),
            what
        )
    }

    /// Drawn over the whole terminal below the tab bar and above the hint
    /// line, from edge to edge: a margin at the sides would show the edges of
    /// the boxes behind it beside its own, as a second border.
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let r = Rect {
            x: area.x,
            y: area.y + 1,
            width: area.width,
            height: area.height.saturating_sub(2),
        };
        if r.width < 30 || r.height < 8 {
            return;
        }
        popup::clear(frame, r);
        let list_h = (PAGE as u16 + 3).min(r.height - 3);
        let list = Rect {
            height: list_h,
            ..r
        };
        let iw = paged_list::inner_width(list);
        let widths = [16, 10, 6, 8, 6];
        let header = columns(
            &[
                lang.pick("时间", "Time"),
                lang.pick("用户", "User"),
                lang.pick("操作", "Op"),
                lang.pick("表", "Table"),
                lang.pick("记录", "Record"),
                lang.pick("程序动作", "Action"),
            ],
            &widths,
            iw,
        );
        let rows = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let at: String = e.at.chars().take(16).collect();
                let s = columns(
                    &[
                        &at,
                        &e.user,
                        e.op.label(lang),
                        &table_label(&e.table, lang),
                        &e.record_id.to_string(),
                        &e.action,
                    ],
                    &widths,
                    iw,
                );
                Line::from(Span::styled(s, table::row_style(i == self.cursor, th)))
            })
            .collect();
        let at = (self.starts.len() - 1) * PAGE + self.cursor;
        let paging = Paging::new(at, PAGE, Total::Known(self.total.max(0) as usize));
        let view = ListView {
            title: Line::from(Span::styled(
                text::truncate(&self.title(lang), iw.saturating_sub(2)),
                th.title(),
            )),
            header,
            rows,
            empty: lang
                .pick(" 没有符合条件的日志。", " No log entries here.")
                .into(),
            footer: paging.footer(lang, Some(("条", "entries"))),
        };
        paged_list::render(frame, list, view, th);

        let detail = Rect {
            y: r.y + list_h,
            height: r.height - list_h,
            ..r
        };
        let b = popup::block(
            match (lang, th.ascii) {
                (Lang::Zh, false) => "变更内容（旧 → 新）",
                (Lang::Zh, true) => "变更内容（旧 -> 新）",
                (Lang::En, false) => "Changes (old → new)",
                (Lang::En, true) => "Changes (old -> new)",
            },
            th,
        );
        let inner = b.inner(detail);
        frame.render_widget(b, detail);
        let w = inner.width.saturating_sub(1) as usize;
        let lines = self
            .selected()
            .map(|e| detail_lines(e, w, lang, th.ascii))
            .unwrap_or_default();
        let lines: Vec<Line> = lines
            .into_iter()
            .take(inner.height as usize)
            .map(|s| Line::from(format!(" {s}")))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table the schema logs has a name in the log window and a place
    /// in its table filter (the demo's assessments once showed as `assessm~`).
    #[test]
    fn every_logged_table_has_a_name() {
        let logged: std::collections::BTreeSet<&str> = crate::db::SCHEMA
            .split("CREATE TRIGGER ")
            .skip(1)
            .filter_map(|t| t.split_whitespace().next()?.strip_suffix("_audit_insert"))
            .collect();
        assert!(logged.len() > 20, "{logged:?}");
        for t in logged {
            assert!(
                TABLES.iter().any(|(code, ..)| *code == t),
                "the log window has no name for table {t}"
            );
            assert_ne!(table_label(t, Lang::Zh), t);
        }
    }
}
