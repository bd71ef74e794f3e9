//! The statistics report (党员关怀帮扶工作统计) written to a file from tab 8,
//! the same as `guanhuai stats --xlsx FILE` writes it: the clerk names the
//! file (`.xlsx` ready to print, or `.txt`); a relative name is saved in the
//! directory guanhuai was started in; the file gets the database's mode and
//! appears whole or not at all.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use rusqlite::Connection;

use crate::db;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::safe_text;
use crate::fsutil;
use crate::interchange::notice::{NoticeFormat, write_notice};
use crate::interchange::stats::stats_report;
use crate::ui::env::Env;
use crate::ui::popups::PopupOutcome;
use crate::ui::widgets::form::{Form, FormEvent};

#[derive(Debug, Clone)]
pub struct StatsReportForm {
    pub form: Form,
    as_of: NaiveDate,
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

impl StatsReportForm {
    /// The form for the figures on `as_of`.
    pub fn new(env: &Env, as_of: NaiveDate) -> Self {
        let l = env.lang;
        let here = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let day = dates::fmt(as_of);
        let name = match l {
            Lang::Zh => format!("统计报表-{day}.xlsx"),
            Lang::En => format!("care-statistics-{day}.xlsx"),
        };
        let title = match l {
            Lang::Zh => format!("统计报表（截至 {day}）：写入文件"),
            Lang::En => format!("Statistics as of {day}: to a file"),
        };
        let form = Form::new(title, l)
            .text("file", l.pick("文件", "File"), &name, true)
            .with_hint(match l {
                Lang::Zh => format!(".xlsx 可直接打印，.txt 为文本；保存在 {here}"),
                Lang::En => format!(".xlsx prints as it is, .txt is text; saved in {here}"),
            });
        let mut f = StatsReportForm { form, as_of };
        f.validate(env);
        f
    }

    fn validate(&mut self, env: &Env) {
        let l = env.lang;
        self.form.check_builtin();
        if let Err(p) = safe_text::check_text(self.form.text_of("file"), false, 1000) {
            self.form.add_error(
                "file",
                match l {
                    Lang::Zh => p.zh(),
                    Lang::En => p.en(),
                },
            );
        }
        let name = self.form.text_of("file").trim().to_string();
        if !name.is_empty()
            && self.form.error_of("file").is_none()
            && let Err(m) = NoticeFormat::for_path(Path::new(&name))
        {
            self.form.add_error("file", m.pick(l).to_string());
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

    fn save(&mut self, conn: &Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let path = resolve(self.form.text_of("file").trim());
        let stats = match db::stats::compute(conn, self.as_of, &env.settings) {
            Ok(s) => s,
            Err(e) => return PopupOutcome::Failed(e.message(l)),
        };
        let report = stats_report(&stats, env.today, l);
        let mode = conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| fsutil::mode_of(Path::new(p)).ok())
            .map(fsutil::mode_like)
            .unwrap_or(0o600);
        if let Err(m) = write_notice(&path, mode, &report) {
            let msg = m.pick(l).to_string();
            self.form.add_error("file", msg.clone());
            self.form.message = Some(msg.clone());
            return PopupOutcome::Refused(msg);
        }
        let shown = path.display();
        let day = dates::fmt(self.as_of);
        PopupOutcome::Done(match l {
            Lang::Zh => format!("已写入统计报表（截至 {day}）：{shown}"),
            Lang::En => format!("wrote the statistics as of {day} to {shown}"),
        })
    }
}
