//! Talks (谈心谈话), visits (走访慰问) and events (情况) files.
//!
//! A row names its member by 编号; an unknown code is a problem of that row.
//! Dates must not be after today. A row exactly like a record already stored
//! (same member, date, kind or form and texts) is skipped, so importing the
//! same file twice, or an export back into its database, adds nothing.
//!
//! Beyond DOMAIN.md's columns, exports add the member's 姓名 (and talks their
//! 发现问题/需要跟进/跟进说明, visits their 慰问金) after DOMAIN's list. On
//! import 姓名, when given, must be the name of the member with that code (a
//! guard against a mistyped code); 慰问金 is not imported (money is entered in
//! the help fund, with its voucher).

use std::marker::PhantomData;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::columns::{Column, RowCtx, flag_text};
use super::export::ExportQuery;
use super::import::{RowImporter, RowResult};
use super::write::Cell;
use crate::db;
use crate::db::records::{OfMember, PaidVisit};
use crate::domain::records::{Event, Talk, Visit};
use crate::domain::safe_text::quote;
use crate::domain::vocab::{Coded, EventKind, Lang, TalkForm, VisitKind};

/// The roster as imported records refer to it: a member by 编号, looked up
/// in the database row by row (a roster of a million members is not copied
/// into memory).
#[derive(Debug, Default)]
pub struct Roster {
    /// The member of the row before (files often list one member's records
    /// together): code, id, and the name once a row has needed it.
    last: Option<(String, i64, Option<String>)>,
}

impl Roster {
    pub fn new() -> Roster {
        Roster::default()
    }

    /// The member a row names by 编号 (checked against 姓名 when the file has it).
    /// The code is found in its index alone; the member's row is read only
    /// for a name to check.
    pub fn member(
        &mut self,
        conn: &Connection,
        r: &mut RowCtx,
        code_col: usize,
        name_col: usize,
    ) -> db::Result<Option<i64>> {
        let Some(code) = r.required_text(code_col) else {
            return Ok(None);
        };
        if self.last.as_ref().is_none_or(|(c, ..)| c != code) {
            self.last = db::members::id_by_code(conn, code)?.map(|id| (code.to_string(), id, None));
        }
        let Some((_, id, known)) = &mut self.last else {
            r.problem(
                code_col,
                format!("编号 {} 不在党员名册中", quote(code)),
                format!("no member has the code {}", quote(code)),
            );
            return Ok(None);
        };
        if let Some(given) = r.text(name_col)
            && !given.is_empty()
        {
            let name = match known {
                Some(name) => name,
                None => known.insert(db::members::name_of(conn, *id)?),
            };
            if !same_name(given, name) {
                r.problem(
                    name_col,
                    format!("编号 {} 是 {name}，不是 {}", quote(code), quote(given)),
                    format!("code {} is {name}, not {}", quote(code), quote(given)),
                );
                return Ok(None);
            }
        }
        Ok(Some(*id))
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let strip = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    strip(a) == strip(b)
}

pub mod talk {
    use super::Column;
    pub const CODE: usize = 0;
    pub const DATE: usize = 1;
    pub const FORM: usize = 2;
    pub const CONDUCTOR: usize = 3;
    pub const SUMMARY: usize = 4;
    pub const PROBLEMS: usize = 5;
    pub const FOLLOW_UP: usize = 6;
    pub const FOLLOW_UP_NOTE: usize = 7;
    pub const NAME: usize = 8;
    pub const COLUMNS: &[Column] = &[
        Column::new("code", "编号").required().max(32),
        Column::new("date", "日期")
            .required()
            .aliases(&["谈话日期"]),
        Column::new("form", "形式").aliases(&["谈话形式"]),
        Column::new("conductor", "谈话人"),
        Column::new("summary", "内容摘要")
            .aliases(&["谈话内容"])
            .long(),
        Column::new("problems", "发现问题").long(),
        Column::new("follow_up", "需要跟进"),
        Column::new("follow_up_note", "跟进说明").long(),
        Column::new("name", "姓名").max(50),
    ];
}

pub mod visit {
    use super::Column;
    pub const CODE: usize = 0;
    pub const DATE: usize = 1;
    pub const KIND: usize = 2;
    pub const VISITOR: usize = 3;
    pub const GOODS: usize = 4;
    pub const NOTES: usize = 5;
    pub const MONEY: usize = 6;
    pub const NAME: usize = 7;
    pub const COLUMNS: &[Column] = &[
        Column::new("code", "编号").required().max(32),
        Column::new("date", "日期")
            .required()
            .aliases(&["走访日期"]),
        Column::new("kind", "方式")
            .required()
            .aliases(&["走访方式"]),
        Column::new("visitor", "走访人"),
        Column::new("goods", "慰问品").max(500),
        Column::new("notes", "情况").aliases(&["备注"]).long(),
        Column::new("money", "慰问金"),
        Column::new("name", "姓名").max(50),
    ];
}

pub mod event {
    use super::Column;
    pub const CODE: usize = 0;
    pub const DATE: usize = 1;
    pub const KIND: usize = 2;
    pub const NOTE: usize = 3;
    pub const NAME: usize = 4;
    pub const COLUMNS: &[Column] = &[
        Column::new("code", "编号").required().max(32),
        Column::new("date", "日期").required(),
        Column::new("kind", "事件")
            .required()
            .aliases(&["事件类型"]),
        Column::new("note", "说明").aliases(&["备注"]).long(),
        Column::new("name", "姓名").max(50),
    ];
}

fn text(r: &RowCtx, col: usize) -> String {
    r.text(col).unwrap_or("").to_string()
}

/// Every record file starts with 编号 and 日期.
const CODE: usize = 0;
const DATE: usize = 1;

/// A kind of record file (talks, visits or events): its columns and how a row
/// becomes a record of the member it names.
pub trait RecordFile: Sized {
    const COLUMNS: &'static [Column];
    /// The 姓名 column.
    const NAME: usize;
    /// Adds the record unless the member already has this very record (then false).
    const ADD_IF_NEW: fn(&Connection, &Self) -> db::Result<bool>;
    /// The audit log's action (`import talks` …).
    const ACTION: &'static str;
    /// The table the records go to.
    const TABLE: &'static str;

    /// Reads the row's own columns, recording their problems: the record when
    /// the member and date are known and every required column could be read.
    fn read(r: &mut RowCtx, member_id: Option<i64>, date: Option<NaiveDate>) -> Option<Self>;
}

/// Imports a record file; a row exactly like a stored record is skipped.
pub struct RecordImport<R> {
    pub roster: Roster,
    pub today: NaiveDate,
    record: PhantomData<R>,
}

impl<R> RecordImport<R> {
    pub fn new(roster: Roster, today: NaiveDate) -> Self {
        RecordImport {
            roster,
            today,
            record: PhantomData,
        }
    }
}

/// Imports talks.
pub type TalkImport = RecordImport<Talk>;
/// Imports visits.
pub type VisitImport = RecordImport<Visit>;
/// Imports events.
pub type EventImport = RecordImport<Event>;

impl<R: RecordFile> RowImporter for RecordImport<R> {
    fn columns(&self) -> &'static [Column] {
        R::COLUMNS
    }

    fn action(&self) -> &'static str {
        R::ACTION
    }

    fn bulk_table(&self) -> Option<&'static str> {
        Some(R::TABLE)
    }

    /// A record that is new is added; one already there is left alone.
    fn inserts_only(&self, _tx: &Connection) -> db::Result<bool> {
        Ok(true)
    }

    fn today(&self) -> NaiveDate {
        self.today
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        let member = self.roster.member(tx, r, CODE, R::NAME)?;
        let date = r.required_date(DATE);
        let Some(record) = R::read(r, member, date) else {
            return Ok(RowResult::NotWritten);
        };
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        Ok(if R::ADD_IF_NEW(tx, &record)? {
            RowResult::Added
        } else {
            RowResult::Unchanged
        })
    }
}

impl RecordFile for Talk {
    const COLUMNS: &'static [Column] = talk::COLUMNS;
    const NAME: usize = talk::NAME;
    const ADD_IF_NEW: fn(&Connection, &Talk) -> db::Result<bool> = db::records::add_talk_if_new;
    const ACTION: &'static str = "import talks";
    const TABLE: &'static str = "talks";

    fn read(r: &mut RowCtx, member_id: Option<i64>, date: Option<NaiveDate>) -> Option<Talk> {
        use talk::*;
        let form = r.coded::<TalkForm>(FORM).flatten();
        let follow_up = r.flag(FOLLOW_UP).unwrap_or(false);
        Some(Talk {
            id: 0,
            member_id: member_id?,
            date: date?,
            conductor: text(r, CONDUCTOR),
            form: form.unwrap_or(TalkForm::FaceToFace),
            summary: text(r, SUMMARY),
            problems: text(r, PROBLEMS),
            follow_up,
            follow_up_note: text(r, FOLLOW_UP_NOTE),
        })
    }
}

impl RecordFile for Visit {
    const COLUMNS: &'static [Column] = visit::COLUMNS;
    const NAME: usize = visit::NAME;
    const ADD_IF_NEW: fn(&Connection, &Visit) -> db::Result<bool> = db::records::add_visit_if_new;
    const ACTION: &'static str = "import visits";
    const TABLE: &'static str = "visits";

    /// 慰问金 is not read: money is entered in the help fund, with its voucher.
    fn read(r: &mut RowCtx, member_id: Option<i64>, date: Option<NaiveDate>) -> Option<Visit> {
        use visit::*;
        let kind = r.required_coded::<VisitKind>(KIND);
        Some(Visit {
            id: 0,
            member_id: member_id?,
            date: date?,
            visitor: text(r, VISITOR),
            kind: kind?,
            goods: text(r, GOODS),
            fund_entry_id: None,
            notes: text(r, NOTES),
        })
    }
}

impl RecordFile for Event {
    const COLUMNS: &'static [Column] = event::COLUMNS;
    const NAME: usize = event::NAME;
    const ADD_IF_NEW: fn(&Connection, &Event) -> db::Result<bool> = db::records::add_event_if_new;
    const ACTION: &'static str = "import events";
    const TABLE: &'static str = "events";

    fn read(r: &mut RowCtx, member_id: Option<i64>, date: Option<NaiveDate>) -> Option<Event> {
        use event::*;
        let kind = r.required_coded::<EventKind>(KIND);
        Some(Event {
            id: 0,
            member_id: member_id?,
            date: date?,
            kind: kind?,
            note: text(r, NOTE),
        })
    }
}

/// Every talk in date order.
pub fn talk_export(lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("谈心谈话", "Talks"),
        talk::COLUMNS,
        db::records::stream_talks,
        move |t| talk_row(t, lang),
    )
}

fn talk_row(OfMember { code, name, record }: OfMember<Talk>, lang: Lang) -> Vec<Cell> {
    vec![
        Cell::Text(code),
        Cell::Date(Some(record.date)),
        Cell::text(record.form.label(lang)),
        Cell::Text(record.conductor),
        Cell::Text(record.summary),
        Cell::Text(record.problems),
        Cell::text(flag_text(record.follow_up, lang)),
        Cell::Text(record.follow_up_note),
        Cell::Text(name),
    ]
}

/// Every visit in date order (慰问金 from its fund entry).
pub fn visit_export(lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("走访慰问", "Visits"),
        visit::COLUMNS,
        db::records::stream_visits,
        move |v| visit_row(v, lang),
    )
}

fn visit_row(OfMember { code, name, record }: OfMember<PaidVisit>, lang: Lang) -> Vec<Cell> {
    let PaidVisit { visit, amount_fen } = record;
    vec![
        Cell::Text(code),
        Cell::Date(Some(visit.date)),
        Cell::text(visit.kind.label(lang)),
        Cell::Text(visit.visitor),
        Cell::Text(visit.goods),
        Cell::Text(visit.notes),
        amount_fen.map_or(Cell::text(""), Cell::Money),
        Cell::Text(name),
    ]
}

/// Every event in date order.
pub fn event_export(lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("情况", "Events"),
        event::COLUMNS,
        db::records::stream_events,
        move |e| event_row(e, lang),
    )
}

fn event_row(OfMember { code, name, record }: OfMember<Event>, lang: Lang) -> Vec<Cell> {
    vec![
        Cell::Text(code),
        Cell::Date(Some(record.date)),
        Cell::text(record.kind.label(lang)),
        Cell::Text(record.note),
        Cell::Text(name),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_file_starts_with_code_and_date() {
        for cols in [talk::COLUMNS, visit::COLUMNS, event::COLUMNS] {
            assert_eq!((cols[CODE].key, cols[DATE].key), ("code", "date"));
        }
        assert_eq!((talk::CODE, talk::DATE), (CODE, DATE));
        assert_eq!((visit::CODE, visit::DATE), (CODE, DATE));
        assert_eq!((event::CODE, event::DATE), (CODE, DATE));
    }

    #[test]
    fn export_rows_have_one_cell_per_column() {
        let conn = db::open_in_memory().unwrap();
        let mut m = crate::domain::member::Member::new(
            "001",
            "阿依古丽·买买提",
            NaiveDate::from_ymd_opt(2000, 7, 1).unwrap(),
        );
        m.id = db::members::insert(&conn, &m).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        db::records::insert_event(
            &conn,
            &Event {
                id: 0,
                member_id: m.id,
                date: d,
                kind: EventKind::Illness,
                note: String::new(),
            },
        )
        .unwrap();
        let rows = event_export(Lang::Zh).collect(&conn).unwrap();
        assert_eq!(rows[0].len(), event::COLUMNS.len());
        assert_eq!(rows[0][1], Cell::Date(Some(d)));
        assert_eq!(rows[0][2], Cell::text("生病住院"));
        assert_eq!(rows[0][event::NAME], Cell::text("阿依古丽·买买提"));
        assert!(talk_export(Lang::Zh).collect(&conn).unwrap().is_empty());
        assert!(visit_export(Lang::En).collect(&conn).unwrap().is_empty());
    }
}
