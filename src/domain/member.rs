//! 党员: a member of the roster, and the checks a member record must pass.

use chrono::NaiveDate;

use super::dates;
use super::safe_text;
use super::settings::Settings;
use super::validate;
use super::vocab::{Employment, Gender, Lang, MemberStatus, Membership};

/// 党员 — one row of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Database id; 0 for a member not yet saved.
    pub id: i64,
    /// 编号: the clerk's roster number, unique; the key of every import.
    pub code: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    /// 身份证号, normalised (upper-case X).
    pub id_number: Option<String>,
    /// 手机, normalised.
    pub phone: Option<String>,
    pub joined_on: NaiveDate,
    pub membership: Membership,
    pub status: MemberStatus,
    pub employment: Option<Employment>,
    /// 入册日期; `None` for an imported member without one (counts from joined_on).
    pub registered_on: Option<NaiveDate>,
    pub mobile: bool,
    pub mobile_since: Option<NaiveDate>,
    pub whereabouts: String,
    pub contact: String,
    pub honorary: bool,
    pub honorary_since: Option<NaiveDate>,
    pub low_income: bool,
    pub no_fixed_income: bool,
    pub living_alone: bool,
    pub disabled: bool,
    pub chronic_ill: bool,
    pub notes: String,
    /// Optimistic-locking version: a save must name the version it was read at.
    pub version: i64,
    /// The day of the transfer out (转出) or death (去世); set only by a status change.
    pub left_on: Option<NaiveDate>,
    /// Where a transfer went (转往); empty otherwise.
    pub left_to: String,
}

impl Member {
    /// A blank member with the given code, name and joining date.
    pub fn new(code: &str, name: &str, joined_on: NaiveDate) -> Self {
        Member {
            id: 0,
            code: code.to_string(),
            name: name.to_string(),
            gender: None,
            birth_date: None,
            id_number: None,
            phone: None,
            joined_on,
            membership: Membership::Full,
            status: MemberStatus::Active,
            employment: None,
            registered_on: None,
            mobile: false,
            mobile_since: None,
            whereabouts: String::new(),
            contact: String::new(),
            honorary: false,
            honorary_since: None,
            low_income: false,
            no_fixed_income: false,
            living_alone: false,
            disabled: false,
            chronic_ill: false,
            notes: String::new(),
            version: 0,
            left_on: None,
            left_to: String::new(),
        }
    }

    /// The day counting starts for the roster rules: 入册日期, else 入党日期.
    pub fn registered_or_joined(&self) -> NaiveDate {
        self.registered_on.unwrap_or(self.joined_on)
    }

    pub fn age_on(&self, on: NaiveDate) -> Option<i32> {
        self.birth_date.map(|b| dates::age_on(b, on))
    }

    /// 党龄 in whole years.
    pub fn standing_on(&self, on: NaiveDate) -> i32 {
        dates::whole_years(self.joined_on, on).max(0)
    }

    /// 老党员: age ≥ 70 or party standing ≥ 50 years (both settings).
    pub fn is_old_on(&self, on: NaiveDate, s: &Settings) -> bool {
        self.age_on(on).is_some_and(|a| a >= s.old_age) || self.standing_on(on) >= s.old_standing
    }

    pub fn is_active(&self) -> bool {
        self.status == MemberStatus::Active
    }

    /// The category marks shown in lists, in a fixed order.
    pub fn marks(&self, on: NaiveDate, s: &Settings) -> Vec<Mark> {
        let mut m = Vec::new();
        if self.is_old_on(on, s) {
            m.push(Mark::Old);
        }
        if self.mobile {
            m.push(Mark::Mobile);
        }
        if self.honorary {
            m.push(Mark::Honorary);
        }
        if self.low_income {
            m.push(Mark::LowIncome);
        }
        if self.no_fixed_income {
            m.push(Mark::NoFixedIncome);
        }
        if self.living_alone {
            m.push(Mark::LivingAlone);
        }
        if self.disabled {
            m.push(Mark::Disabled);
        }
        if self.chronic_ill {
            m.push(Mark::ChronicIll);
        }
        m
    }

    /// Every problem with this record, field by field (empty when it may be saved).
    /// Uniqueness of code and ID number is checked by the database layer.
    pub fn problems(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut push =
            |field: &'static str, zh: String, en: String| errs.push(FieldError { field, zh, en });
        if self.code.trim().is_empty() {
            push("code", "编号不能为空".into(), "code is required".into());
        } else if self.code.trim() != self.code {
            push(
                "code",
                "编号前后不能有空白".into(),
                "code has blanks around it".into(),
            );
        }
        if self.name.trim().is_empty() {
            push("name", "姓名不能为空".into(), "name is required".into());
        }
        // What a field may hold (the same limits as the import's columns).
        for (field, text, multiline, max) in [
            ("code", &self.code, false, 32),
            ("name", &self.name, false, 50),
            ("whereabouts", &self.whereabouts, false, 100),
            ("contact", &self.contact, false, 100),
            ("notes", &self.notes, true, 4000),
        ] {
            if let Err(p) = safe_text::check_text(text.trim(), multiline, max) {
                push(field, p.zh(), p.en());
            }
        }
        let mut future = |field: &'static str, d: Option<NaiveDate>| {
            if let Some(d) = d
                && let Err(p) = validate::not_future(d, today)
            {
                push(field, p.zh(), p.en());
            }
        };
        future("birth_date", self.birth_date);
        future("joined_on", Some(self.joined_on));
        future("registered_on", self.registered_on);
        future("mobile_since", self.mobile_since);
        future("honorary_since", self.honorary_since);
        let mut push =
            |field: &'static str, zh: String, en: String| errs.push(FieldError { field, zh, en });
        if let Some(id) = &self.id_number {
            match validate::id_number(id, today) {
                Err(p) => push("id_number", p.zh(), p.en()),
                Ok(id) => {
                    if let Some(b) = self.birth_date
                        && let Err(p) = validate::id_matches_birth(&id, b)
                    {
                        push("id_number", p.zh(), p.en());
                    }
                }
            }
        }
        if let Some(p) = &self.phone
            && let Err(e) = validate::phone(p)
        {
            push("phone", e.zh(), e.en());
        }
        if let Some(b) = self.birth_date
            && let Err(p) = validate::joined_after_18(b, self.joined_on)
        {
            push("joined_on", p.zh(), p.en());
        }
        if let (Some(b), Some(r)) = (self.birth_date, self.registered_on)
            && let Err(p) = validate::registered_after_18(b, r)
        {
            push("registered_on", p.zh(), p.en());
        }
        errs
    }
}

/// A problem with one field of a record, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's English code (as in the interchange headers).
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// A category mark shown beside a member in lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Old,
    Mobile,
    Honorary,
    LowIncome,
    NoFixedIncome,
    LivingAlone,
    Disabled,
    ChronicIll,
}

impl Mark {
    pub const ALL: [Mark; 8] = [
        Mark::Old,
        Mark::Mobile,
        Mark::Honorary,
        Mark::LowIncome,
        Mark::NoFixedIncome,
        Mark::LivingAlone,
        Mark::Disabled,
        Mark::ChronicIll,
    ];

    /// One wide character in Chinese, one letter in English.
    pub fn short(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Mark::Old => ("老", "O"),
            Mark::Mobile => ("流", "M"),
            Mark::Honorary => ("荣", "H"),
            Mark::LowIncome => ("保", "L"),
            Mark::NoFixedIncome => ("无", "N"),
            Mark::LivingAlone => ("独", "A"),
            Mark::Disabled => ("残", "D"),
            Mark::ChronicIll => ("病", "C"),
        };
        lang.pick(zh, en)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Mark::Old => ("老党员", "Old member"),
            Mark::Mobile => ("流动党员", "Mobile"),
            Mark::Honorary => ("荣誉党员", "Honorary"),
            Mark::LowIncome => ("享受低保", "Low income"),
            Mark::NoFixedIncome => ("无固定收入", "No fixed income"),
            Mark::LivingAlone => ("独居", "Living alone"),
            Mark::Disabled => ("残疾", "Disabled"),
            Mark::ChronicIll => ("长期患病", "Chronically ill"),
        };
        lang.pick(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn registered_before_the_18th_birthday_is_refused() {
        let today = d("2026-11-28");
        let mut m = Member::new("001", "张三", d("2020-07-01"));
        m.birth_date = Some(d("2000-02-29"));
        m.registered_on = Some(d("1980-01-01"));
        let errs = m.problems(today);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "registered_on");
        assert!(errs[0].zh.contains("2018-03-01"), "{}", errs[0].zh);
        m.registered_on = Some(d("2018-03-01"));
        assert!(m.problems(today).is_empty());
        // without a birth date there is nothing to compare
        m.birth_date = None;
        m.registered_on = Some(d("1980-01-01"));
        assert!(m.problems(today).is_empty());
    }
}
