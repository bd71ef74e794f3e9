//! Printable documents written to a file from a tab, the same as the command
//! line writes them: the hardship ledger's public notice (公示, `guanhuai
//! notice hardship`: without dates the cases in 公示 now, with dates every
//! notice overlapping them), the fund's public notice (救助公示, `guanhuai
//! notice fund`: the payments to people in a period, this month by default),
//! the report of a closed audit (`guanhuai fund report`), and the statistics
//! of a day (`guanhuai stats --xlsx`). The clerk names
//! the file (`.xlsx` ready to print, or `.txt`); a relative name is saved in
//! the directory guanhuai was started in; the file gets the database's mode
//! and appears whole or not at all.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use crate::db;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::safe_text;
use crate::fsutil;
use crate::interchange::fund_notice::{fund_notice, period};
use crate::interchange::fund_report::audit_report;
use crate::interchange::hardship_notice::hardship_notice;
use crate::interchange::notice::{Notice, NoticeFormat, write_notice};
use crate::interchange::stats::stats_report;
use crate::ui::env::Env;
use crate::ui::popups::PopupOutcome;
use crate::ui::widgets::form::{Form, FormEvent};

/// What the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// 公示 of hardship cases.
    HardshipNotice,
    /// 救助公示 of the fund's payments to people.
    Notice,
    /// The report of audit `id`.
    Report(i64),
    /// The statistics (党员关怀帮扶工作统计) as of a day.
    Stats(NaiveDate),
}

/// Beside a text field: control characters, invisible-only text, too long.
fn check_text(form: &mut Form, key: &str, max: usize, lang: Lang) {
    if let Err(p) = safe_text::check_text(form.text_of(key), false, max) {
        form.add_error(
            key,
            match lang {
                Lang::Zh => p.zh(),
                Lang::En => p.en(),
            },
        );
    }
}

#[derive(Debug, Clone)]
pub struct FileForm {
    pub form: Form,
    kind: FileKind,
}

/// Where a typed name is written: as typed when absolute, else in the
/// directory guanhuai was started in.
fn resolve(name: &str) -> PathBuf {
    let p = Path::new(name);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(p),
        Err(_) => p.to_path_buf(),
    }
}

impl FileForm {
    pub fn new(env: &Env, kind: FileKind, audit: Option<&db::fund::Audit>) -> Self {
        let l = env.lang;
        let here = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let today = dates::fmt(env.today);
        let (title, name) = match (kind, audit) {
            (FileKind::HardshipNotice, _) => (
                l.pick("公示：困难党员帮扶", "Public notice: hardship"),
                match l {
                    Lang::Zh => format!("困难党员公示-{today}.xlsx"),
                    Lang::En => format!("hardship-notice-{today}.xlsx"),
                },
            ),
            (FileKind::Stats(day), _) => {
                let day = dates::fmt(day);
                match l {
                    Lang::Zh => ("统计报表：写入文件", format!("统计报表-{day}.xlsx")),
                    Lang::En => (
                        "Statistics: to a file",
                        format!("care-statistics-{day}.xlsx"),
                    ),
                }
            }
            (FileKind::Notice, _) => (
                l.pick("救助公示：写入文件", "Public notice: to a file"),
                match l {
                    Lang::Zh => format!("帮扶基金救助公示-{today}.xlsx"),
                    Lang::En => format!("fund-notice-{today}.xlsx"),
                },
            ),
            (FileKind::Report(_), a) => (
                l.pick("审计报告：写入文件", "Audit report: to a file"),
                match (l, a) {
                    (Lang::Zh, Some(a)) => format!("帮扶基金审计报告-{}-{}.xlsx", a.from, a.to),
                    (Lang::En, Some(a)) => format!("fund-audit-{}-{}.xlsx", a.from, a.to),
                    (Lang::Zh, None) => format!("帮扶基金审计报告-{today}.xlsx"),
                    (Lang::En, None) => format!("fund-audit-{today}.xlsx"),
                },
            ),
        };
        // the statistics' title names their day
        let title = match (kind, l) {
            (FileKind::Stats(day), Lang::Zh) => {
                format!("统计报表（截至 {}）：写入文件", dates::fmt(day))
            }
            (FileKind::Stats(day), Lang::En) => {
                format!("Statistics as of {}: to a file", dates::fmt(day))
            }
            _ => title.to_string(),
        };
        let mut form = Form::new(title, l)
            .text("file", l.pick("文件", "File"), &name, true)
            .with_hint(match l {
                Lang::Zh => format!(".xlsx 可直接打印，.txt 为文本；保存在 {here}"),
                Lang::En => format!(".xlsx prints as it is, .txt is text; saved in {here}"),
            });
        if kind == FileKind::HardshipNotice {
            form = form
                .date("from", l.pick("起始日期", "From"), None, false)
                .with_hint(l.pick(
                    "不填起止日期：列出正在公示的台账；填写：列出公示期与之重叠的台账",
                    "no dates: the cases in publicity now; with dates: every notice overlapping them",
                ))
                .date("to", l.pick("截止日期", "To"), None, false);
        }
        if kind == FileKind::Notice {
            let (from, to) = period(None, None, env.today);
            form = form
                .date("from", l.pick("起始日期", "From"), Some(from), false)
                .with_hint(l.pick(
                    "公示这段期间付给个人且未冲销的款项；默认本月",
                    "the payments to people in the period, not reversed; this month by default",
                ))
                .date("to", l.pick("截止日期", "To"), Some(to), false);
        }
        let mut f = FileForm { form, kind };
        f.validate(env);
        f
    }

    fn validate(&mut self, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        check_text(&mut self.form, "file", 1000, l);
        let name = self.form.text_of("file").trim().to_string();
        if !name.is_empty()
            && self.form.error_of("file").is_none()
            && let Err(m) = NoticeFormat::for_path(Path::new(&name))
        {
            self.form.add_error("file", m.pick(l).to_string());
        }
        if matches!(self.kind, FileKind::Notice | FileKind::HardshipNotice)
            && let (Ok(Some(from)), Ok(Some(to))) =
                (self.form.date_of("from"), self.form.date_of("to"))
            && to < from
        {
            self.form.add_error(
                "to",
                match l {
                    Lang::Zh => format!("截止日期早于起始日期 {}", dates::fmt(from)),
                    Lang::En => format!("before the start, {}", dates::fmt(from)),
                },
            );
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    /// The notice or report to write, and what the status line says of it.
    fn content(
        &self,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Result<(Notice, String), String>> {
        let l = env.lang;
        match self.kind {
            FileKind::HardshipNotice => {
                let period = (
                    self.form.date_of("from").ok().flatten(),
                    self.form.date_of("to").ok().flatten(),
                );
                let rows = db::hardship::notice_rows(conn, period.0, period.1)?;
                let what = match l {
                    Lang::Zh => format!("公示：{} 个困难台账", rows.len()),
                    Lang::En => format!("the notice of {} hardship case(s)", rows.len()),
                };
                Ok(Ok((hardship_notice(&rows, period, env.today, l), what)))
            }
            FileKind::Notice => {
                let from = self.form.date_of("from").ok().flatten();
                let to = self.form.date_of("to").ok().flatten();
                let rows = db::fund::notice_payments(conn, from, to)?;
                let what = match l {
                    Lang::Zh => format!("救助公示：{} 笔付给个人的款项", rows.len()),
                    Lang::En => format!("the notice of {} payment(s) to people", rows.len()),
                };
                Ok(Ok((fund_notice(&rows, (from, to), env.today, l), what)))
            }
            FileKind::Stats(day) => {
                let stats = db::stats::compute(conn, day, &env.settings)?;
                let what = match l {
                    Lang::Zh => format!("统计报表（截至 {}）", dates::fmt(day)),
                    Lang::En => format!("the statistics as of {}", dates::fmt(day)),
                };
                Ok(Ok((stats_report(&stats, env.today, l), what)))
            }
            FileKind::Report(id) => {
                let Some(a) = db::fund::audits(conn)?.into_iter().find(|a| a.id == id) else {
                    return Ok(Err(l.pick("这次审计已不存在", "no such audit").into()));
                };
                let totals = db::fund::audit_totals(conn, id)?;
                let ok = db::fund::verify(conn)?.ok();
                let what = match l {
                    Lang::Zh => format!("审计报告 {} 至 {}", a.from, a.to),
                    Lang::En => format!("the audit report of {} to {}", a.from, a.to),
                };
                Ok(Ok((audit_report(&a, &totals, ok, l), what)))
            }
        }
    }

    fn save(&mut self, conn: &Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let path = resolve(self.form.text_of("file").trim());
        let (notice, what) = match self.content(conn, env) {
            Ok(Ok(x)) => x,
            Ok(Err(msg)) => return PopupOutcome::Failed(msg),
            Err(e) => return PopupOutcome::Failed(e.message(l)),
        };
        let mode = conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| fsutil::mode_of(Path::new(p)).ok())
            .map(fsutil::mode_like)
            .unwrap_or(0o600);
        if let Err(m) = write_notice(&path, mode, &notice) {
            let msg = m.pick(l).to_string();
            self.form.add_error("file", msg.clone());
            self.form.message = Some(msg.clone());
            return PopupOutcome::Refused(msg);
        }
        let shown = path.display();
        PopupOutcome::Done(match l {
            Lang::Zh => format!("已写入{what}：{shown}"),
            Lang::En => format!("wrote {what} to {shown}"),
        })
    }
}
