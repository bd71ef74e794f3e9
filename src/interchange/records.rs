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
use super::import::{RowImporter, RowResult};
use super::write::Cell;
use crate::db::{self, date_text};
use crate::domain::records::{Event, Talk, Visit};
use crate::domain::vocab::{Coded, EventKind, Lang, TalkForm, VisitKind};

/// The roster as records refer to it: code → (id, name), and id → (code, name).
pub struct Roster {
    by_code: HashMap<String, (i64, String)>,
    by_id: HashMap<i64, (String, String)>,
}

impl Roster {
    pub fn load(conn: &Connection) -> db::Result<Roster> {
        let mut by_code = HashMap::new();
        let mut by_id = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, code, name FROM members")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, code, name): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            by_code.insert(code.clone(), (id, name.clone()));
            by_id.insert(id, (code, name));
        }
        Ok(Roster { by_code, by_id })
    }

    /// (code, name) of a member id, for exports.
    pub fn code_name(&self, id: i64) -> (&str, &str) {
        self.by_id
            .get(&id)
            .map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()))
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
        Column::new("date", "日期").required().aliases(&["谈话日期"]),
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
        Column::new("date", "日期").required().aliases(&["走访日期"]),
        Column::new("kind", "方式").required().aliases(&["走访方式"]),
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
        Column::new("kind", "事件").required().aliases(&["事件类型"]),
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
                params![t.member_id, date_text(t.date), t.form.code(), t.conductor, t.summary],
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

/// Every talk as an exported row, in date order.
pub fn talk_rows(conn: &Connection, lang: Lang) -> db::Result<Vec<Vec<Cell>>> {
    let roster = Roster::load(conn)?;
    Ok(db::records::all_talks(conn)?
        .iter()
        .map(|t| {
            let (code, name) = roster.code_name(t.member_id);
            vec![
                Cell::text(code),
                Cell::Date(Some(t.date)),
                Cell::text(t.form.label(lang)),
                Cell::text(&t.conductor),
                Cell::text(&t.summary),
                Cell::text(&t.problems),
                Cell::text(flag_text(t.follow_up, lang)),
                Cell::text(&t.follow_up_note),
                Cell::text(name),
            ]
        })
        .collect())
}

/// Every visit as an exported row, in date order (慰问金 from its fund entry).
pub fn visit_rows(conn: &Connection, lang: Lang) -> db::Result<Vec<Vec<Cell>>> {
    let roster = Roster::load(conn)?;
    let mut money: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT f.id, f.amount_fen FROM fund_entries f
             WHERE f.id IN (SELECT fund_entry_id FROM visits WHERE fund_entry_id IS NOT NULL)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            money.insert(r.get(0)?, r.get(1)?);
        }
    }
    Ok(db::records::all_visits(conn)?
        .iter()
        .map(|v| {
            let (code, name) = roster.code_name(v.member_id);
            let fen = v.fund_entry_id.and_then(|id| money.get(&id).copied());
            vec![
                Cell::text(code),
                Cell::Date(Some(v.date)),
                Cell::text(v.kind.label(lang)),
                Cell::text(&v.visitor),
                Cell::text(&v.goods),
                Cell::text(&v.notes),
                fen.map_or(Cell::text(""), Cell::Money),
                Cell::text(name),
            ]
        })
        .collect())
}

/// Every event as an exported row, in date order.
pub fn event_rows(conn: &Connection, lang: Lang) -> db::Result<Vec<Vec<Cell>>> {
    let roster = Roster::load(conn)?;
    Ok(db::records::all_events(conn)?
        .iter()
        .map(|e| {
            let (code, name) = roster.code_name(e.member_id);
            vec![
                Cell::text(code),
                Cell::Date(Some(e.date)),
                Cell::text(e.kind.label(lang)),
                Cell::text(&e.note),
                Cell::text(name),
            ]
        })
        .collect())
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
        let rows = event_rows(&conn, Lang::Zh).unwrap();
        assert_eq!(rows[0].len(), event::COLUMNS.len());
        assert_eq!(rows[0][2], Cell::text("生病住院"));
        assert_eq!(rows[0][event::NAME], Cell::text("阿依古丽·买买提"));
        assert!(talk_rows(&conn, Lang::Zh).unwrap().is_empty());
        assert!(visit_rows(&conn, Lang::En).unwrap().is_empty());
    }
}
