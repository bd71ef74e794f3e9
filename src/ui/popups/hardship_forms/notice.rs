//! 公示: the public notice of hardship cases, written to a file from the tab
//! (the same notice as `guanhuai notice hardship`). The clerk names the file
//! (`.xlsx` ready to print, or `.txt`) and may give a period: without one the
//! notice lists the cases in 公示 now, with one every case whose notice
//! overlaps it. A relative name is saved in the directory guanhuai was started
//! in; the file gets the database's mode and appears whole or not at all.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use super::check_text;
use crate::db;
use crate::domain::Lang;
use crate::domain::dates;
use crate::fsutil;
use crate::interchange::hardship_notice::hardship_notice;
use crate::interchange::notice::{NoticeFormat, write_notice};
use crate::ui::env::Env;
use crate::ui::popups::PopupOutcome;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct NoticeForm {
    pub form: Form,
}

/// The file proposed: `困难党员公示-2026-11-28.xlsx`.
pub fn default_name(env: &Env) -> String {
    match env.lang {
        Lang::Zh => format!("困难党员公示-{}.xlsx", dates::fmt(env.today)),
        Lang::En => format!("hardship-notice-{}.xlsx", dates::fmt(env.today)),
    }
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

impl NoticeForm {
    pub fn new(env: &Env) -> Self {
        let l = env.lang;
        let here = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let form = Form::new(l.pick("公示：困难党员帮扶", "Public notice: hardship"), l)
            .text("file", l.pick("文件", "File"), &default_name(env), true)
            .with_hint(match l {
                Lang::Zh => format!(".xlsx 可直接打印，.txt 为文本；保存在 {here}"),
                Lang::En => format!(".xlsx prints as it is, .txt is text; saved in {here}"),
            })
            .date("from", l.pick("起始日期", "From"), None, false)
            .with_hint(l.pick(
                "不填起止日期：列出正在公示的台账；填写：列出公示期与之重叠的台账",
                "no dates: the cases in publicity now; with dates: every notice overlapping them",
            ))
            .date("to", l.pick("截止日期", "To"), None, false);
        let mut f = NoticeForm { form };
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
        if let (Ok(Some(from)), Ok(Some(to))) = (self.form.date_of("from"), self.form.date_of("to"))
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

    fn save(&mut self, conn: &Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let period = (
            self.form.date_of("from").ok().flatten(),
            self.form.date_of("to").ok().flatten(),
        );
        let path = resolve(self.form.text_of("file").trim());
        let rows = match db::hardship::notice_rows(conn, period.0, period.1) {
            Ok(r) => r,
            Err(e) => return PopupOutcome::Failed(e.message(l)),
        };
        let mode = conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| fsutil::mode_of(Path::new(p)).ok())
            .map(fsutil::mode_like)
            .unwrap_or(0o600);
        let notice = hardship_notice(&rows, period, env.today, l);
        if let Err(m) = write_notice(&path, mode, &notice) {
            let msg = m.pick(l).to_string();
            self.form.add_error("file", msg.clone());
            self.form.message = Some(msg.clone());
            return PopupOutcome::Refused(msg);
        }
        let shown = path.display();
        let message = match (l, rows.len()) {
            (Lang::Zh, 0) => format!("没有需要公示的困难台账；已写入空公示 {shown}"),
            (Lang::En, 0) => format!("no case is on notice; wrote an empty notice to {shown}"),
            (Lang::Zh, n) => format!("已写入公示 {shown}：{n} 个困难台账"),
            (Lang::En, n) => format!("wrote the notice of {n} case(s) to {shown}"),
        };
        PopupOutcome::Done(message)
    }
}
