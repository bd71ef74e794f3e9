//! Files written from the fund tab: the public notice (救助公示) of the
//! payments to people in a period (the same notice as `guanhuai notice
//! fund`; without dates the current month up to today), and the report of a
//! closed audit (the same as `guanhuai fund report`). The clerk names the
//! file (`.xlsx` ready to print, or `.txt`); a relative name is saved in the
//! directory guanhuai was started in; the file gets the database's mode and
//! appears whole or not at all.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::check_text;
use crate::db;
use crate::domain::Lang;
use crate::domain::dates;
use crate::fsutil;
use crate::interchange::fund_notice::{fund_notice, period};
use crate::interchange::fund_report::audit_report;
use crate::interchange::notice::{Notice, NoticeFormat, write_notice};
use crate::ui::env::Env;
use crate::ui::popups::PopupOutcome;
use crate::ui::widgets::form::{Form, FormEvent};

/// What the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Notice,
    /// The report of audit `id`.
    Report(i64),
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
        let mut form = Form::new(title, l)
            .text("file", l.pick("文件", "File"), &name, true)
            .with_hint(match l {
                Lang::Zh => format!(".xlsx 可直接打印，.txt 为文本；保存在 {here}"),
                Lang::En => format!(".xlsx prints as it is, .txt is text; saved in {here}"),
            });
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
        if self.kind == FileKind::Notice
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
            FormEvent::Cancel => super::super::cancel(&self.form),
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
            return super::super::refused(&self.form);
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
