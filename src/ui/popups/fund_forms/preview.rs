//! A batch shown before it is written — the subsidy batch's members, total
//! and balance, or the audit's report — and written in one transaction when
//! the clerk confirms (F9 or Enter); refused as a whole, with the reason in
//! red, when it cannot be (the balance is short, nobody left to pay).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use crate::db;
use crate::domain::Lang;
use crate::domain::money::format_money;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Key, lookup};
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::screens::fund::report_lines;
use crate::ui::text;
use crate::ui::theme::Theme;
use crate::ui::widgets::popup;

/// What confirming a preview writes.
#[derive(Debug, Clone)]
pub enum Batch {
    Subsidy {
        month: String,
        date: NaiveDate,
        handled: String,
        approved: String,
    },
    Audit {
        from: NaiveDate,
        to: NaiveDate,
        auditor: String,
        note: String,
    },
}

/// A batch shown before it is written: its lines, whether it may be
/// confirmed, and why not.
#[derive(Debug, Clone)]
pub struct Preview {
    pub title: String,
    pub lines: Vec<String>,
    /// Why it cannot be confirmed (the balance is short, nobody to pay).
    pub refusal: Option<String>,
    pub batch: Batch,
    scroll: usize,
    lang: Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewAction {
    Confirm,
    Back,
    Up,
    Down,
}

pub const PREVIEW_BINDINGS: &[Binding<PreviewAction>] = &[
    Binding {
        action: PreviewAction::Confirm,
        keys: &[Key::f(9), Key::ctrl('s'), Key::code(KeyCode::Enter)],
        zh: "确认",
        en: "Confirm",
        hint: true,
    },
    Binding {
        action: PreviewAction::Back,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "取消",
        en: "Cancel",
        hint: true,
    },
    Binding {
        action: PreviewAction::Up,
        keys: &[Key::code(KeyCode::Up), Key::code(KeyCode::PageUp)],
        zh: "向上滚动",
        en: "Scroll up",
        hint: false,
    },
    Binding {
        action: PreviewAction::Down,
        keys: &[Key::code(KeyCode::Down), Key::code(KeyCode::PageDown)],
        zh: "向下滚动",
        en: "Scroll down",
        hint: false,
    },
];

impl Preview {
    pub fn subsidy(
        conn: &Connection,
        env: &Env,
        month: &str,
        date: NaiveDate,
        handled: String,
        approved: String,
    ) -> db::Result<Self> {
        let l = env.lang;
        let p = db::fund::subsidy_preview(conn, month, date, &env.settings)?;
        let mut lines = vec![
            match l {
                Lang::Zh => format!(
                    "{month} 生活补贴，{date} 发放，每人 {}",
                    format_money(p.per_member_fen)
                ),
                Lang::En => format!(
                    "{month} living subsidy, paid on {date}, {} each",
                    format_money(p.per_member_fen)
                ),
            },
            match l {
                Lang::Zh => format!(
                    "本次发放 {} 人，合计 {}；本月已发 {} 人",
                    p.to_pay.len(),
                    format_money(p.total_fen),
                    p.already_paid
                ),
                Lang::En => format!(
                    "To pay: {} members, {} in all; already paid this month: {}",
                    p.to_pay.len(),
                    format_money(p.total_fen),
                    p.already_paid
                ),
            },
            match l {
                Lang::Zh => format!(
                    "{date} 余额 {}，可用 {}",
                    format_money(p.balance_fen),
                    format_money(p.available_fen)
                ),
                Lang::En => format!(
                    "Balance on {date}: {}, available {}",
                    format_money(p.balance_fen),
                    format_money(p.available_fen)
                ),
            },
            String::new(),
        ];
        for (_, code, name) in &p.to_pay {
            lines.push(format!(
                "  {} {}{}",
                text::pad_right(code, 8),
                text::pad_right(name, 16),
                text::pad_left(&format_money(p.per_member_fen), 12)
            ));
        }
        let refusal = if env.settings.subsidy_monthly_fen <= 0 {
            Some(
                l.pick(
                    "生活补贴每月金额为 0：请先在设置中填写",
                    "the monthly subsidy is zero: set it first",
                )
                .to_string(),
            )
        } else if p.to_pay.is_empty() {
            Some(match l {
                Lang::Zh => format!("{month} 的生活补贴已全部发放，没有需要补发的党员"),
                Lang::En => format!("every eligible member is paid for {month}"),
            })
        } else if !p.affordable() {
            Some(match l {
                Lang::Zh => format!(
                    "余额不足：需 {}，可用 {}，整批不能发放",
                    format_money(p.total_fen),
                    format_money(p.available_fen)
                ),
                Lang::En => format!(
                    "not enough money: {} needed, {} available; nothing can be paid",
                    format_money(p.total_fen),
                    format_money(p.available_fen)
                ),
            })
        } else {
            None
        };
        Ok(Preview {
            title: match l {
                Lang::Zh => format!("生活补贴预览：{month}"),
                Lang::En => format!("Subsidy preview: {month}"),
            },
            lines,
            refusal,
            batch: Batch::Subsidy {
                month: month.to_string(),
                date,
                handled,
                approved,
            },
            scroll: 0,
            lang: l,
        })
    }

    pub fn audit(
        conn: &Connection,
        env: &Env,
        from: NaiveDate,
        to: NaiveDate,
        auditor: String,
        note: String,
    ) -> db::Result<Result<Self, crate::domain::fund::FundError>> {
        let l = env.lang;
        let (figures, head) = match db::fund::audit_preview(conn, from, to, env.today)? {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let mut lines = report_lines(&figures, &head, None, None, l);
        lines.insert(
            1,
            match l {
                Lang::Zh => format!("审计人：{auditor}（确认后结账，该期间锁定）"),
                Lang::En => format!("Auditor: {auditor} (confirming locks the period)"),
            },
        );
        let refusal = (!figures.adds_up()).then(|| {
            l.pick(
                "账目不平，不能结账",
                "the figures do not add up: cannot close",
            )
            .to_string()
        });
        Ok(Ok(Preview {
            title: match l {
                Lang::Zh => format!("审计报告预览：{from} 至 {to}"),
                Lang::En => format!("Audit report preview: {from} to {to}"),
            },
            lines,
            refusal,
            batch: Batch::Audit {
                from,
                to,
                auditor,
                note,
            },
            scroll: 0,
            lang: l,
        }))
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match lookup(PREVIEW_BINDINGS, ev) {
            Some(PreviewAction::Back) => PopupOutcome::Close,
            Some(PreviewAction::Up) => {
                self.scroll = self.scroll.saturating_sub(1);
                PopupOutcome::Redraw
            }
            Some(PreviewAction::Down) => {
                self.scroll = (self.scroll + 1).min(self.lines.len().saturating_sub(1));
                PopupOutcome::Redraw
            }
            Some(PreviewAction::Confirm) => match &self.refusal {
                Some(r) => PopupOutcome::Refused(r.clone()),
                None => self.confirm(conn, env),
            },
            None => PopupOutcome::Nothing,
        }
    }

    fn confirm(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        let written = match &self.batch {
            Batch::Subsidy {
                month,
                date,
                handled,
                approved,
            } => db::fund::pay_subsidies(
                conn,
                month,
                *date,
                handled,
                approved,
                &env.settings,
                env.today,
            )
            .map(|n| match l {
                Lang::Zh => format!("已发放 {month} 生活补贴：{n} 人"),
                Lang::En => format!("Paid the {month} subsidy to {n} members"),
            }),
            Batch::Audit {
                from,
                to,
                auditor,
                note,
            } => {
                db::fund::close_audit(conn, *from, *to, auditor, note, env.today).map(|_| match l {
                    Lang::Zh => {
                        format!("已审计结账：{from} 至 {to}，审计人 {auditor}；该期间已锁定")
                    }
                    Lang::En => {
                        format!("Audited {from} to {to} by {auditor}; the period is locked")
                    }
                })
            }
        };
        match written {
            Ok(message) => PopupOutcome::Saved {
                change: Change::Record,
                message,
            },
            Err(e) => {
                let msg = e.message(l);
                self.refusal = Some(msg.clone());
                PopupOutcome::Refused(msg)
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        popup::clear(frame, area);
        let b = popup::block(&self.title, theme);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let w = inner.width as usize;
        let foot = 1 + usize::from(self.refusal.is_some());
        let h = (inner.height as usize).saturating_sub(foot);
        let scroll = self.scroll.min(self.lines.len().saturating_sub(h));
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .skip(scroll)
            .take(h)
            .map(|l| Line::from(format!(" {}", text::truncate(l, w.saturating_sub(1)))))
            .collect();
        while lines.len() < h {
            lines.push(Line::from(""));
        }
        if let Some(r) = &self.refusal {
            lines.push(Line::from(Span::styled(
                format!(" {}", text::truncate(r, w.saturating_sub(1))),
                theme.error(),
            )));
        }
        let more = self.lines.len() > h;
        let l = self.lang;
        let foot = match (self.refusal.is_some(), more) {
            (true, _) => l.pick(" Esc 返回", " Esc back"),
            (false, true) => l.pick(
                " F9/Enter 确认 · Esc 取消 · ↑↓ 滚动",
                " F9/Enter confirm · Esc cancel · ↑↓ scroll",
            ),
            (false, false) => l.pick(
                " F9/Enter 确认 · Esc 取消",
                " F9/Enter confirm · Esc cancel",
            ),
        };
        lines.push(Line::from(Span::styled(
            text::truncate(foot, w),
            theme.key(),
        )));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
