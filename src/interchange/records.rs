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

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::columns::{Column, RowCtx, flag_text};
use super::export::ExportQuery;
use super::import::{RowImporter, RowResult};
use super::write::Cell;
use crate::db::{self, date_text};
use crate::domain::records::{Event, Talk, Visit};
use crate::domain::vocab::{Coded, EventKind, Lang, TalkForm, VisitKind};

/// The roster as imported records refer to it: code → (id, name).
pub struct Roster {
    by_code: HashMap<String, (i64, String)>,
}

impl Roster {
    pub fn load(conn: &Connection) -> db::Result<Roster> {
        let mut by_code = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, code, name FROM members")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            by_code.insert(r.get(1)?, (r.get(0)?, r.get(2)?));
        }
        Ok(Roster { by_code })
    }

    /// The member a row names by 编号 (checked against 姓名 when the file has it).
    pub fn member(&self, r: &mut RowCtx, code_col: usize, name_col: usize) -> Option<i64> {
        let code = r.required_text(code_col)?;
        let Some((id, name)) = self.by_code.get(code) else {
            r.problem(
                code_col,
                format!("编号 {code} 不在党员名册中"),
                format!("no member has the code {code}"),
            );
            return None;
        };
        if let Some(given) = r.text(name_col)
            && !given.is_empty()
            && !same_name(given, name)
        {
            r.problem(
                name_col,
                format!("编号 {code} 是 {name}，不是 {given}"),
                format!("code {code} is {name}, not {given}"),
            );
            return None;
        }
        Some(*id)
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
        Column::new("code", "编号").required(),
        Column::new("date", "日期")
            .required()
            .aliases(&["谈话日期"]),
        Column::new("form", "形式").aliases(&["谈话形式"]),
        Column::new("conductor", "谈话人"),
        Column::new("summary", "内容摘要").aliases(&["谈话内容"]),
        Column::new("problems", "发现问题"),
        Column::new("follow_up", "需要跟进"),
        Column::new("follow_up_note", "跟进说明"),
        Column::new("name", "姓名"),
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
        Column::new("code", "编号").required(),
        Column::new("date", "日期")
            .required()
            .aliases(&["走访日期"]),
        Column::new("kind", "方式")
            .required()
            .aliases(&["走访方式"]),
        Column::new("visitor", "走访人"),
        Column::new("goods", "慰问品"),
        Column::new("notes", "情况").aliases(&["备注"]),
        Column::new("money", "慰问金"),
        Column::new("name", "姓名"),
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
        Column::new("code", "编号").required(),
        Column::new("date", "日期").required(),
        Column::new("kind", "事件")
            .required()
            .aliases(&["事件类型"]),
        Column::new("note", "说明").aliases(&["备注"]),
        Column::new("name", "姓名"),
    ];
}

fn text(r: &RowCtx, col: usize) -> String {
    r.text(col).unwrap_or("").to_string()
}

/// Imports talks.
pub struct TalkImport {
    pub roster: Roster,
    pub today: NaiveDate,
}

impl RowImporter for TalkImport {
    fn columns(&self) -> &'static [Column] {
        talk::COLUMNS
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        use talk::*;
        let member = self.roster.member(r, CODE, NAME);
        let date = r.past_date(DATE, self.today);
        let form = r.coded::<TalkForm>(FORM).flatten();
        let follow_up = r.flag(FOLLOW_UP).unwrap_or(false);
        let (Some(member_id), Some(date)) = (member, date) else {
            return Ok(RowResult::NotWritten);
        };
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let t = Talk {
            id: 0,
            member_id,
            date,
            conductor: text(r, CONDUCTOR),
            form: form.unwrap_or(TalkForm::FaceToFace),
            summary: text(r, SUMMARY),
            problems: text(r, PROBLEMS),
            follow_up,
            follow_up_note: text(r, FOLLOW_UP_NOTE),
        };
        let dup: Option<i64> = tx
            .prepare_cached(
                "SELECT 1 FROM talks WHERE member_id = ?1 AND date = ?2 AND form = ?3
                 AND conductor = ?4 AND summary = ?5 LIMIT 1",
            )?
            .query_row(
                params![
                    t.member_id,
                    date_text(t.date),
                    t.form.code(),
                    t.conductor,
                    t.summary
                ],
                |r| r.get(0),
            )
            .optional()?;
        if dup.is_some() {
            return Ok(RowResult::Unchanged);
        }
        db::records::insert_talk(tx, &t)?;
        Ok(RowResult::Added)
    }
}

/// Imports visits.
pub struct VisitImport {
    pub roster: Roster,
    pub today: NaiveDate,
}

impl RowImporter for VisitImport {
    fn columns(&self) -> &'static [Column] {
        visit::COLUMNS
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        use visit::*;
        let member = self.roster.member(r, CODE, NAME);
        let date = r.past_date(DATE, self.today);
        let kind = r.required_coded::<VisitKind>(KIND);
        let (Some(member_id), Some(date), Some(kind)) = (member, date, kind) else {
            return Ok(RowResult::NotWritten);
        };
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let v = Visit {
            id: 0,
            member_id,
            date,
            visitor: text(r, VISITOR),
            kind,
            goods: text(r, GOODS),
            fund_entry_id: None,
            notes: text(r, NOTES),
        };
        let dup: Option<i64> = tx
            .prepare_cached(
                "SELECT 1 FROM visits WHERE member_id = ?1 AND date = ?2 AND kind = ?3
                 AND visitor = ?4 AND goods = ?5 AND notes = ?6 LIMIT 1",
            )?
            .query_row(
                params![
                    v.member_id,
                    date_text(v.date),
                    v.kind.code(),
                    v.visitor,
                    v.goods,
                    v.notes
                ],
                |r| r.get(0),
            )
            .optional()?;
        if dup.is_some() {
            return Ok(RowResult::Unchanged);
        }
        db::records::insert_visit(tx, &v)?;
        Ok(RowResult::Added)
    }
}

/// Imports events.
pub struct EventImport {
    pub roster: Roster,
    pub today: NaiveDate,
}

impl RowImporter for EventImport {
    fn columns(&self) -> &'static [Column] {
        event::COLUMNS
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        use event::*;
        let member = self.roster.member(r, CODE, NAME);
        let date = r.past_date(DATE, self.today);
        let kind = r.required_coded::<EventKind>(KIND);
        let (Some(member_id), Some(date), Some(kind)) = (member, date, kind) else {
            return Ok(RowResult::NotWritten);
        };
        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let e = Event {
            id: 0,
            member_id,
            date,
            kind,
            note: text(r, NOTE),
        };
        let dup: Option<i64> = tx
            .prepare_cached(
                "SELECT 1 FROM events WHERE member_id = ?1 AND date = ?2 AND kind = ?3
                 AND note = ?4 LIMIT 1",
            )?
            .query_row(
                params![e.member_id, date_text(e.date), e.kind.code(), e.note],
                |r| r.get(0),
            )
            .optional()?;
        if dup.is_some() {
            return Ok(RowResult::Unchanged);
        }
        db::records::insert_event(tx, &e)?;
        Ok(RowResult::Added)
    }
}

fn coded_label<T: Coded>(code: &str, lang: Lang) -> String {
    T::from_code(code).map_or_else(|| code.to_string(), |v| v.label(lang).to_string())
}

fn date_cell(s: Option<String>) -> Cell {
    Cell::Date(db::parse_date(s))
}

/// Every talk in date order.
pub fn talk_export(lang: Lang) -> ExportQuery {
    ExportQuery {
        sheet_zh: "谈心谈话",
        sheet_en: "Talks",
        columns: talk::COLUMNS,
        sql: "SELECT m.code, t.date, t.form, t.conductor, t.summary, t.problems, t.follow_up,
                     t.follow_up_note, m.name
              FROM talks t JOIN members m ON m.id = t.member_id ORDER BY t.date, t.id"
            .into(),
        row: Box::new(move |r| {
            Ok(vec![
                Cell::Text(r.get(0)?),
                date_cell(r.get(1)?),
                Cell::Text(coded_label::<TalkForm>(&r.get::<_, String>(2)?, lang)),
                Cell::Text(r.get(3)?),
                Cell::Text(r.get(4)?),
                Cell::Text(r.get(5)?),
                Cell::text(flag_text(r.get::<_, i64>(6)? != 0, lang)),
                Cell::Text(r.get(7)?),
                Cell::Text(r.get(8)?),
            ])
        }),
    }
}

/// Every visit in date order (慰问金 from its fund entry).
pub fn visit_export(lang: Lang) -> ExportQuery {
    ExportQuery {
        sheet_zh: "走访慰问",
        sheet_en: "Visits",
        columns: visit::COLUMNS,
        sql: "SELECT m.code, v.date, v.kind, v.visitor, v.goods, v.notes, f.amount_fen, m.name
              FROM visits v JOIN members m ON m.id = v.member_id
              LEFT JOIN fund_entries f ON f.id = v.fund_entry_id
              ORDER BY v.date, v.id"
            .into(),
        row: Box::new(move |r| {
            Ok(vec![
                Cell::Text(r.get(0)?),
                date_cell(r.get(1)?),
                Cell::Text(coded_label::<VisitKind>(&r.get::<_, String>(2)?, lang)),
                Cell::Text(r.get(3)?),
                Cell::Text(r.get(4)?),
                Cell::Text(r.get(5)?),
                r.get::<_, Option<i64>>(6)?
                    .map_or(Cell::text(""), Cell::Money),
                Cell::Text(r.get(7)?),
            ])
        }),
    }
}

/// Every event in date order.
pub fn event_export(lang: Lang) -> ExportQuery {
    ExportQuery {
        sheet_zh: "情况",
        sheet_en: "Events",
        columns: event::COLUMNS,
        sql: "SELECT m.code, e.date, e.kind, e.note, m.name
              FROM events e JOIN members m ON m.id = e.member_id ORDER BY e.date, e.id"
            .into(),
        row: Box::new(move |r| {
            Ok(vec![
                Cell::Text(r.get(0)?),
                date_cell(r.get(1)?),
                Cell::Text(coded_label::<EventKind>(&r.get::<_, String>(2)?, lang)),
                Cell::Text(r.get(3)?),
                Cell::Text(r.get(4)?),
            ])
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
