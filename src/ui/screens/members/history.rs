//! 更正 from the member's history (谈心走访记录): the selected talk, visit or
//! event edited in its form (e/F4), voided with a reason (Delete), or its log
//! shown (F7); voided records stay in the list, marked.

use ratatui::style::{Modifier, Style};

use super::{CareAction, MembersScreen, Section, View};
use crate::db::audit::LogFilter;
use crate::db::corrections::Void;
use crate::db::records::Record;
use crate::db::visits_list::RecordType;
use crate::domain::Lang;
use crate::ui::popups::Request;
use crate::ui::screens::Outcome;
use crate::ui::theme::Theme;
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
