//! 更正 from the records list: the selected talk, visit or event edited in
//! its form (e/F4), voided with a reason (Delete), or its log shown (F7).

use super::{RecordsAction, VisitsScreen};
use crate::db::audit::LogFilter;
use crate::db::visits_list::RecordType;
use crate::ui::popups::Request;
use crate::ui::screens::Outcome;

impl VisitsScreen {
    /// Puts the cursor on record `which` when the page holds it.
    pub(super) fn select(&mut self, which: Option<(RecordType, i64)>) {
        if let Some(i) = which.and_then(|w| self.page.iter().position(|r| (r.kind, r.id) == w)) {
            self.cursor = i;
        }
    }

    pub(super) fn correct(&self, a: RecordsAction) -> Outcome {
        let Some(r) = self.selected() else {
            return Outcome::Nothing;
        };
        let (kind, id) = (r.kind, r.id);
        Outcome::Open(match a {
            // Open: a record in its form; a voided one (no longer edited) in
            // its log, which shows what it held and why it was voided.
            RecordsAction::Open if r.voided_on.is_none() => Request::EditRecord { kind, id },
            RecordsAction::Edit => Request::EditRecord { kind, id },
            RecordsAction::Void => Request::VoidRecord { kind, id },
            _ => Request::Log(Box::new(LogFilter::record(kind.table_name(), id))),
        })
    }
}
