//! The members file (党员名册): its columns, a member as an exported row, and
//! the import of one row with every check of DOMAIN.md.
//!
//! Import rules beyond DOMAIN.md:
//! - A code already in the database updates that member (same checks; its id
//!   is kept). A column the file does not have leaves that field as it is; an
//!   empty cell clears it — except 党员类型 and 状态, which keep their value
//!   (a new member is then 正式党员 and 在册).
//! - A masked ID number or phone (anything with `*`, as `export` writes
//!   unless `--full`) means "unchanged": an existing member keeps the stored
//!   number, a new one gets none (the import's summary counts them). So
//!   export → import never loses or corrupts ID numbers and phones.
//! - 入册日期 left empty stays empty (the rules then count from 入党日期).
//! - 联系人 (contact) is an extra column after DOMAIN's list, so that export →
//!   import keeps every field of the roster.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::columns::{Column, RowCtx, flag_text};
use super::export::ExportQuery;
use super::import::{RowImporter, RowResult};
use super::seen::{SeenCodes, SeenIds};
use super::write::Cell;
use crate::db;
use crate::domain::member::Member;
use crate::domain::safe_text::quote;
use crate::domain::validate;
use crate::domain::vocab::{Coded, Employment, Gender, Lang, MemberStatus, Membership};

pub const CODE: usize = 0;
pub const NAME: usize = 1;
pub const GENDER: usize = 2;
pub const BIRTH_DATE: usize = 3;
pub const ID_NUMBER: usize = 4;
pub const PHONE: usize = 5;
pub const JOINED_ON: usize = 6;
pub const MEMBERSHIP: usize = 7;
pub const STATUS: usize = 8;
pub const EMPLOYMENT: usize = 9;
pub const REGISTERED_ON: usize = 10;
pub const MOBILE: usize = 11;
pub const MOBILE_SINCE: usize = 12;
pub const WHEREABOUTS: usize = 13;
pub const HONORARY: usize = 14;
pub const HONORARY_SINCE: usize = 15;
pub const LOW_INCOME: usize = 16;
pub const NO_FIXED_INCOME: usize = 17;
pub const LIVING_ALONE: usize = 18;
pub const DISABLED: usize = 19;
pub const CHRONIC_ILL: usize = 20;
pub const NOTES: usize = 21;
pub const CONTACT: usize = 22;

/// The columns of the members file, in DOMAIN.md's order (then 联系人).
pub const COLUMNS: &[Column] = &[
    Column::new("code", "编号").required().max(32),
    Column::new("name", "姓名").required().max(50),
    Column::new("gender", "性别"),
    Column::new("birth_date", "出生日期").aliases(&["出生年月日"]),
    Column::new("id_number", "身份证号").aliases(&["身份证号码", "公民身份号码", "身份证"]),
    Column::new("phone", "手机").aliases(&["手机号", "手机号码", "联系电话", "电话"]),
    Column::new("joined_on", "入党日期")
        .required()
        .aliases(&["入党时间"]),
    Column::new("membership", "党员类型").aliases(&["党员类别"]),
    Column::new("status", "状态"),
    Column::new("employment", "职业状况").aliases(&["职业"]),
    Column::new("registered_on", "入册日期"),
    Column::new("mobile", "流动党员"),
    Column::new("mobile_since", "流出日期"),
    Column::new("whereabouts", "外出地点"),
    Column::new("honorary", "荣誉党员"),
    Column::new("honorary_since", "荣誉党员日期"),
    Column::new("low_income", "享受低保").aliases(&["低保"]),
    Column::new("no_fixed_income", "无固定收入"),
    Column::new("living_alone", "独居"),
    Column::new("disabled", "残疾"),
    Column::new("chronic_ill", "长期患病"),
    Column::new("notes", "备注").long(),
    Column::new("contact", "联系人"),
];

/// The members export: every member in pinyin order (as `db::members::all`).
pub fn export_query(full: bool, lang: Lang) -> ExportQuery {
    ExportQuery::new(
        ("党员", "Members"),
        COLUMNS,
        db::members::stream_all,
        move |m| export_row(&m, full, lang),
    )
}

/// A member as an exported row (labels and flags in `lang`; the ID number
/// and the phone masked unless `full`).
pub fn export_row(m: &Member, full: bool, lang: Lang) -> Vec<Cell> {
    let label = |s: Option<&'static str>| Cell::text(s.unwrap_or(""));
    let flag = |b: bool| Cell::text(flag_text(b, lang));
    let id = m.id_number.as_deref().map(|id| {
        if full {
            id.to_string()
        } else {
            validate::mask_id(id)
        }
    });
    vec![
        Cell::text(&m.code),
        Cell::text(&m.name),
        label(m.gender.map(|g| g.label(lang))),
        Cell::Date(m.birth_date),
        Cell::text(id.unwrap_or_default()),
        Cell::text(m.phone.as_deref().map_or_else(String::new, |p| {
            if full {
                p.to_string()
            } else {
                validate::mask_phone(p)
            }
        })),
        Cell::Date(Some(m.joined_on)),
        Cell::text(m.membership.label(lang)),
        Cell::text(m.status.label(lang)),
        label(m.employment.map(|e| e.label(lang))),
        Cell::Date(m.registered_on),
        flag(m.mobile),
        Cell::Date(m.mobile_since),
        Cell::text(&m.whereabouts),
        flag(m.honorary),
        Cell::Date(m.honorary_since),
        flag(m.low_income),
        flag(m.no_fixed_income),
        flag(m.living_alone),
        flag(m.disabled),
        flag(m.chronic_ill),
        Cell::text(&m.notes),
        Cell::text(&m.contact),
    ]
}

/// Imports member rows: new codes are added, known codes updated.
pub struct MemberImport {
    today: NaiveDate,
    /// Every code with the row it first appeared on.
    codes: SeenCodes,
    /// Every ID number with the row and code that first gave it.
    ids: SeenIds,
    /// Whether the roster had no member when the import began.
    roster_was_empty: Option<bool>,
    /// New members: written a few at a time during a bulk load into an
    /// empty roster, else at once.
    new: db::members::NewMembers,
    /// Rows whose masked ID number or phone left the member without one.
    masked: usize,
}

impl MemberImport {
    pub fn new(today: NaiveDate) -> Self {
        MemberImport {
            today,
            codes: SeenCodes::default(),
            ids: SeenIds::default(),
            roster_was_empty: None,
            new: db::members::NewMembers::default(),
            masked: 0,
        }
    }

    /// [`MemberImport::new`] with at most `n` codes and `n` ID numbers held in
    /// memory for the duplicate checks (the rest on disk): for tests of the
    /// spill, which a real import reaches only past hundreds of thousands of rows.
    pub fn with_memory_keys(today: NaiveDate, n: usize) -> Self {
        MemberImport {
            codes: SeenCodes::with_limit(n),
            ids: SeenIds::with_limit(n),
            ..MemberImport::new(today)
        }
    }
}

/// Sets `field` from a parsed column: absent or bad → unchanged.
fn set<T>(field: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *field = v;
    }
}

fn text_opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl RowImporter for MemberImport {
    fn action(&self) -> &'static str {
        "import members"
    }

    fn masked(&self) -> usize {
        self.masked
    }

    fn bulk_table(&self) -> Option<&'static str> {
        Some("members")
    }

    /// Into an empty roster every row is a new member.
    fn inserts_only(&self, tx: &Connection) -> db::Result<bool> {
        Ok(!db::roster::more_than(tx, 0)?)
    }

    /// The new members still queued, once every row is read.
    fn flush(&mut self, tx: &Connection) -> db::Result<()> {
        self.new.flush(tx)
    }

    /// Every row is in: the duplicate checks are done with, and their memory
    /// is freed before the audit rows of a large file are written.
    fn finish(&mut self, _tx: &Connection) -> db::Result<()> {
        self.codes = SeenCodes::default();
        self.ids = SeenIds::default();
        crate::fsutil::return_freed_memory();
        Ok(())
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn today(&self) -> NaiveDate {
        self.today
    }

    fn row(&mut self, tx: &Connection, r: &mut RowCtx, write: bool) -> db::Result<RowResult> {
        let roster_was_empty = self.roster_was_empty(tx)?;
        let code = r.required_text(CODE);
        let mut new_code = code.is_some();
        if let Some(code) = code
            && let Err(first) = self.codes.insert(code, seen_row(r.row))?
        {
            new_code = false;
            r.problem(
                CODE,
                format!("编号 {} 与第 {first} 行重复", quote(code)),
                format!("code {} is also on row {first}", quote(code)),
            );
        }
        let existing = match code {
            // Into an empty roster, only this file's rows wrote members: a
            // code new in the file is no member yet.
            Some(_) if new_code && roster_was_empty => None,
            Some(c) => db::members::get_by_code(tx, c)?,
            None => None,
        };
        let joined = r.required_date(JOINED_ON);
        let mut m = existing.clone().unwrap_or_else(|| {
            Member::new(code.unwrap_or(""), "", joined.unwrap_or(NaiveDate::MIN))
        });
        set(&mut m.joined_on, joined);
        set(&mut m.name, r.text(NAME).map(str::to_string));
        set(&mut m.gender, r.coded::<Gender>(GENDER));
        set(&mut m.birth_date, r.date(BIRTH_DATE));
        if r.is_number(ID_NUMBER) && r.text(ID_NUMBER).is_some_and(|s| !s.is_empty()) {
            // Excel keeps 15 significant digits: the last ones are gone.
            r.problem(
                ID_NUMBER,
                "身份证号在表格中保存成了数字（Excel 显示为 1.10105E+17 之类），后几位已经丢失：请把该列设为“文本”格式，重新输入身份证号后再导入",
                "the ID number is stored as a number in the workbook (Excel shows 1.10105E+17), so its last digits are lost: format the column as text, type the numbers again and import",
            );
        } else if let Some(s) = r.text(ID_NUMBER) {
            if s.is_empty() {
                m.id_number = None;
            } else if s.contains(['*', '＊']) {
                // masked on export: keep what is stored (nothing for a new member)
            } else {
                // An invalid number stays as typed; `problems` below says why.
                m.id_number =
                    Some(validate::id_number(s, self.today).unwrap_or_else(|_| s.to_string()));
            }
        }
        if let Some(s) = r.text(PHONE)
            && !s.contains(['*', '＊'])
        {
            // (a masked one, as `export` writes, keeps what is stored)
            m.phone = match validate::phone(s) {
                Ok(p) => text_opt(&p),
                Err(_) => Some(s.to_string()),
            };
        }
        if let Some(v) = r.coded::<Membership>(MEMBERSHIP) {
            set(&mut m.membership, v);
        }
        if let Some(v) = r.coded::<MemberStatus>(STATUS) {
            set(&mut m.status, v);
        }
        set(&mut m.employment, r.coded::<Employment>(EMPLOYMENT));
        set(&mut m.registered_on, r.date(REGISTERED_ON));
        set(&mut m.mobile, r.flag(MOBILE));
        set(&mut m.mobile_since, r.date(MOBILE_SINCE));
        set(&mut m.whereabouts, r.text(WHEREABOUTS).map(str::to_string));
        set(&mut m.contact, r.text(CONTACT).map(str::to_string));
        set(&mut m.honorary, r.flag(HONORARY));
        set(&mut m.honorary_since, r.date(HONORARY_SINCE));
        set(&mut m.low_income, r.flag(LOW_INCOME));
        set(&mut m.no_fixed_income, r.flag(NO_FIXED_INCOME));
        set(&mut m.living_alone, r.flag(LIVING_ALONE));
        set(&mut m.disabled, r.flag(DISABLED));
        set(&mut m.chronic_ill, r.flag(CHRONIC_ILL));
        set(&mut m.notes, r.text(NOTES).map(str::to_string));

        // A bad or missing 入党日期 is reported already; `field_problem` skips
        // further problems of a column that has one.
        for e in m.problems(self.today) {
            r.field_problem(e.field, e.zh, e.en);
        }
        if let (Some(code), Some(id)) = (code, m.id_number.clone())
            && !r.has_problem(ID_NUMBER)
        {
            self.check_id_unique(tx, r, code, id)?;
        }

        if !write || !r.ok() {
            return Ok(RowResult::NotWritten);
        }
        let masked = |col: usize| r.text(col).is_some_and(|s| s.contains(['*', '＊']));
        if (masked(ID_NUMBER) && m.id_number.is_none()) || (masked(PHONE) && m.phone.is_none()) {
            self.masked += 1;
        }
        // The code is this member's alone (looked up above, once in the
        // file) and so is the ID number (`check_id_unique`).
        match existing {
            None => {
                self.new.push(tx, m)?;
                Ok(RowResult::Added)
            }
            Some(old) if old == m => Ok(RowResult::Unchanged),
            Some(_) => {
                db::members::update_checked(tx, &m)?;
                Ok(RowResult::Updated)
            }
        }
    }
}

impl MemberImport {
    /// Whether the roster had no member when the import began (asked on the first row).
    fn roster_was_empty(&mut self, tx: &Connection) -> db::Result<bool> {
        if self.roster_was_empty.is_none() {
            self.roster_was_empty = Some(!db::roster::more_than(tx, 0)?);
        }
        Ok(self.roster_was_empty == Some(true))
    }

    /// An ID number belongs to one member: refuses it when another row of the
    /// file or another member in the database has it.
    fn check_id_unique(
        &mut self,
        tx: &Connection,
        r: &mut RowCtx,
        code: &str,
        id: String,
    ) -> db::Result<()> {
        if let Some((row, other)) = self.ids.get(&id)? {
            let other = self.codes.code(other)?;
            if other != code {
                r.problem(
                    ID_NUMBER,
                    format!("身份证号与第 {row} 行（编号 {other}）重复"),
                    format!("the same ID number is on row {row} (code {other})"),
                );
            }
            return Ok(());
        }
        // Into an empty roster, a member holding the number was written by this
        // file, and its number is among those seen.
        if !self.roster_was_empty(tx)?
            && let Some((other, name)) = db::members::holder_of_id_number(tx, &id)?
            && other != code
        {
            r.problem(
                ID_NUMBER,
                format!("身份证号已被 {name}（编号 {other}）使用"),
                format!("this ID number is already used by {name} (code {other})"),
            );
            return Ok(());
        }
        if let Some(c) = self.codes.get(code)? {
            self.ids.insert(&id, seen_row(r.row), c)?;
        }
        Ok(())
    }
}

/// A row number as the duplicate checks keep it.
fn seen_row(row: usize) -> super::seen::Row {
    row.try_into().unwrap_or(super::seen::Row::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_constants_match_the_list() {
        let keys: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
        assert_eq!(keys[CODE], "code");
        assert_eq!(keys[ID_NUMBER], "id_number");
        assert_eq!(keys[JOINED_ON], "joined_on");
        assert_eq!(keys[REGISTERED_ON], "registered_on");
        assert_eq!(keys[HONORARY_SINCE], "honorary_since");
        assert_eq!(keys[CHRONIC_ILL], "chronic_ill");
        assert_eq!(keys[NOTES], "notes");
        assert_eq!(keys[CONTACT], "contact");
        assert_eq!(COLUMNS.len(), 23);
    }

    #[test]
    fn every_member_field_problem_names_a_column() {
        for f in [
            "code",
            "name",
            "birth_date",
            "id_number",
            "phone",
            "joined_on",
            "registered_on",
            "mobile_since",
            "honorary_since",
        ] {
            assert!(COLUMNS.iter().any(|c| c.key == f), "{f}");
        }
    }
}
