//! The member's history (谈心走访记录): its rows, newest first, and 更正 from
//! it: the selected talk, visit or event edited in its form (e/F4), voided
//! with a reason (Delete), or its log shown (F7); voided records stay in the
//! list, marked.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{CareAction, MembersScreen, Section, View};
use crate::db::audit::LogFilter;
use crate::db::corrections::Void;
use crate::db::records::Record;
use crate::db::visits_list::RecordType;
use crate::domain::Lang;
use crate::domain::vocab::Coded;
use crate::ui::env::Env;
use crate::ui::popups::Request;
use crate::ui::screens::Outcome;
use crate::ui::theme::Theme;
use crate::ui::widgets::paged_list::Paging;
use crate::ui::widgets::table;

/// The type and id of a record of the history.
fn key_of(r: &Record) -> (RecordType, i64) {
    match r {
        Record::Talk(t) => (RecordType::Talk, t.id),
        Record::Visit(v) => (RecordType::Visit, v.id),
        Record::Event(e) => (RecordType::Event, e.id),
    }
}

impl MembersScreen {
    pub(super) fn correct(&self, a: CareAction) -> Outcome {
        let (View::Detail(_), Section::History) = (&self.view, self.care.section) else {
            return Outcome::Nothing;
        };
        let Some(r) = self.care.history.get(self.care.cursor) else {
            return Outcome::Nothing;
        };
        let (kind, id) = key_of(r);
        Outcome::Open(match a {
            CareAction::Edit => Request::EditRecord { kind, id },
            CareAction::Void => Request::VoidRecord { kind, id },
            _ => Request::Log(Box::new(LogFilter::record(kind.table_name(), id))),
        })
    }

    /// The records of the page (voided ones marked), the message when there
    /// are none and the selected record in full.
    pub(super) fn history_rows(
        &self,
        paging: Paging,
        iw: usize,
        env: &Env,
    ) -> (Vec<Line<'static>>, &'static str, String) {
        let (lang, th) = (env.lang, &env.theme);
        let history = self.care.history.iter().enumerate();
        let mut lines = Vec::new();
        for (i, r) in history.skip(paging.page_start()).take(paging.page_size) {
            let (t, k, who, txt) = record_parts(r, lang);
            let void = self.care.voids.get(i).and_then(Option::as_ref);
            let txt = match void {
                Some(_) => format!("{}{txt}", table::void_mark(lang)),
                None => txt.to_string(),
            };
            let s = history_cells(&[&crate::domain::dates::fmt(r.date()), t, k, who, &txt], iw);
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
        (lines, lang.pick("还没有记录。", "No records yet."), foot)
    }
}

/// A history row: selected, voided (dim, struck through) or plain.
pub(super) fn history_style(selected: bool, voided: bool, th: &Theme) -> Style {
    match (selected, voided) {
        (false, true) => th.dim().add_modifier(Modifier::CROSSED_OUT),
        _ => table::row_style(selected, th),
    }
}

/// `〔已作废 2026-01-15：录错了〕` before the selected record in full.
pub(super) fn void_note(v: &Void, lang: Lang) -> String {
    let on = crate::domain::dates::fmt(v.on);
    match lang {
        Lang::Zh => format!("〔已作废 {on}：{}〕", v.reason),
        Lang::En => format!("[VOIDED {on}: {}] ", v.reason),
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

/// Date 10, type 4, kind 14, who 10, text (the rest).
pub(super) fn history_cells(v: &[&str], w: usize) -> String {
    table::columns(v, &[10, 5, 14, 10], w)
}
