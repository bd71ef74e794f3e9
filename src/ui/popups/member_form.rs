//! The new/edit form of a member (党员信息): every field of the roster except
//! the status (changed with a confirmation, never by editing). Errors from
//! `Member::problems` and the uniqueness of code and ID number are shown
//! beside each field as the clerk types; saving goes through
//! `db::members::save` with the version the form was opened at.

use rusqlite::Connection;

use super::{Change, PopupOutcome};
use crate::db::{self, DbError};
use crate::domain::Lang;
use crate::domain::member::Member;
use crate::domain::validate;
use crate::domain::vocab::{Coded, Employment, Gender, Membership};
use crate::ui::env::Env;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};
use ratatui::crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub struct MemberForm {
    pub form: Form,
    /// The member as opened (id and version for the optimistic save).
    base: Member,
}

fn choices<T: Coded>(lang: Lang, with_none: bool) -> Vec<ChoiceOption> {
    let mut v = Vec::new();
    if with_none {
        v.push(ChoiceOption::none(lang));
    }
    v.extend(T::ALL.iter().map(|&x| ChoiceOption::coded(x, lang)));
    v
}

fn index_of<T: Coded + PartialEq>(v: Option<T>) -> usize {
    v.and_then(|v| T::ALL.iter().position(|&x| x == v))
        .map_or(0, |i| i + 1)
}

fn pick<T: Coded>(i: usize) -> Option<T> {
    i.checked_sub(1).and_then(|i| T::ALL.get(i).copied())
}

impl MemberForm {
    /// A blank form for a new member (入册日期 defaults to today).
    pub fn new_member(env: &Env) -> Self {
        let mut m = Member::new("", "", env.today);
        m.registered_on = Some(env.today);
        let title = env.lang.pick("新增党员", "New member").to_string();
        Self::build(m, title, env, true)
    }

    /// The form for editing a member as read from the database.
    pub fn edit(m: Member, env: &Env) -> Self {
        let title = match env.lang {
            Lang::Zh => format!("编辑党员：{}（{}）", m.name, m.code),
            Lang::En => format!("Edit member: {} ({})", m.name, m.code),
        };
        Self::build(m, title, env, false)
    }

    fn build(m: Member, title: String, env: &Env, new: bool) -> Self {
        let l = env.lang;
        let date_hint = l.pick(
            "日期如 2024-01-25、2024/1/25、2024年1月25日",
            "a date: 2024-01-25, 2024/1/25, 2024年1月25日",
        );
        let choice_hint = l.pick("←→ 选择，或键入首字母", "←→ choose, or type a first letter");
        let flag_hint = l.pick("空格 勾选/取消", "Space ticks/unticks");
        let joined = if new { None } else { Some(m.joined_on) };
        let form = Form::new(title, l)
            .text("code", l.pick("编号", "Code"), &m.code, true)
            .with_hint(l.pick("花名册编号，不能重复", "roster number, unique"))
            .text("name", l.pick("姓名", "Name"), &m.name, true)
            .choice(
                "gender",
                l.pick("性别", "Gender"),
                choices::<Gender>(l, true),
                index_of(m.gender),
            )
            .with_hint(choice_hint)
            .date(
                "birth_date",
                l.pick("出生日期", "Birth date"),
                m.birth_date,
                false,
            )
            .with_hint(date_hint)
            .text(
                "id_number",
                l.pick("身份证号", "ID number"),
                m.id_number.as_deref().unwrap_or(""),
                false,
            )
            .with_hint(l.pick("18位，末位可为X", "18 characters, the last may be X"))
            .text(
                "phone",
                l.pick("手机", "Phone"),
                m.phone.as_deref().unwrap_or(""),
                false,
            )
            .with_hint(l.pick(
                "手机11位，或区号-号码",
                "11-digit mobile, or area code-number",
            ))
            .date(
                "joined_on",
                l.pick("入党日期", "Joined party"),
                joined,
                true,
            )
            .with_hint(date_hint)
            .choice(
                "membership",
                l.pick("党员类型", "Membership"),
                choices::<Membership>(l, false),
                index_of(Some(m.membership)) - 1,
            )
            .with_hint(choice_hint)
            .choice(
                "employment",
                l.pick("职业状况", "Employment"),
                choices::<Employment>(l, true),
                index_of(m.employment),
            )
            .with_hint(choice_hint)
            .date(
                "registered_on",
                l.pick("入册日期", "Registered"),
                m.registered_on,
                false,
            )
            .with_hint(date_hint)
            .flag("mobile", l.pick("流动党员", "Mobile member"), m.mobile)
            .with_hint(flag_hint)
            .date(
                "mobile_since",
                l.pick("流出日期", "Mobile since"),
                m.mobile_since,
                false,
            )
            .with_hint(date_hint)
            .text(
                "whereabouts",
                l.pick("外出地点", "Whereabouts"),
                &m.whereabouts,
                false,
            )
            .text("contact", l.pick("联系人", "Contact"), &m.contact, false)
            .flag("honorary", l.pick("荣誉党员", "Honorary"), m.honorary)
            .with_hint(flag_hint)
            .date(
                "honorary_since",
                l.pick("荣誉批准日期", "Honorary since"),
                m.honorary_since,
                false,
            )
            .with_hint(date_hint)
            .flag("low_income", l.pick("享受低保", "Low income"), m.low_income)
            .with_hint(flag_hint)
            .flag(
                "no_fixed_income",
                l.pick("无固定收入", "No fixed income"),
                m.no_fixed_income,
            )
            .with_hint(flag_hint)
            .flag(
                "living_alone",
                l.pick("独居", "Living alone"),
                m.living_alone,
            )
            .with_hint(flag_hint)
            .flag("disabled", l.pick("残疾", "Disabled"), m.disabled)
            .with_hint(flag_hint)
            .flag(
                "chronic_ill",
                l.pick("长期患病", "Chronically ill"),
                m.chronic_ill,
            )
            .with_hint(flag_hint)
            .text("notes", l.pick("备注", "Notes"), &m.notes, false);
        MemberForm { form, base: m }
    }

    /// The member being edited (id 0 for a new one).
    pub fn base(&self) -> &Member {
        &self.base
    }

    /// The member as typed, and whether 入党日期 could be read (when not, a
    /// placeholder stands in and its rules are not checked).
    pub fn to_member(&self, env: &Env) -> (Member, bool) {
        let f = &self.form;
        let mut m = self.base.clone();
        m.code = f.text_of("code").trim().to_string();
        m.name = f.text_of("name").trim().to_string();
        m.gender = pick::<Gender>(f.choice_of("gender"));
        m.birth_date = f.date_of("birth_date").ok().flatten();
        let idn = f.text_of("id_number").trim();
        m.id_number = (!idn.is_empty())
            .then(|| validate::id_number(idn, env.today).unwrap_or_else(|_| idn.to_string()));
        let ph = f.text_of("phone").trim();
        m.phone = (!ph.is_empty()).then(|| validate::phone(ph).unwrap_or_else(|_| ph.to_string()));
        let joined = f.date_of("joined_on").ok().flatten();
        m.joined_on = joined.unwrap_or(env.today);
        m.membership = Membership::ALL[f.choice_of("membership").min(Membership::ALL.len() - 1)];
        m.employment = pick::<Employment>(f.choice_of("employment"));
        m.registered_on = f.date_of("registered_on").ok().flatten();
        m.mobile = f.flag_of("mobile");
        m.mobile_since = f.date_of("mobile_since").ok().flatten();
        m.whereabouts = f.text_of("whereabouts").trim().to_string();
        m.contact = f.text_of("contact").trim().to_string();
        m.honorary = f.flag_of("honorary");
        m.honorary_since = f.date_of("honorary_since").ok().flatten();
        m.low_income = f.flag_of("low_income");
        m.no_fixed_income = f.flag_of("no_fixed_income");
        m.living_alone = f.flag_of("living_alone");
        m.disabled = f.flag_of("disabled");
        m.chronic_ill = f.flag_of("chronic_ill");
        m.notes = f.text_of("notes").trim().to_string();
        (m, joined.is_some())
    }

    /// Sets every field's error from the form's own checks, the domain rules
    /// and the database's uniqueness rules.
    pub fn validate(&mut self, conn: &Connection, env: &Env) {
        self.form.check_builtin();
        let (m, joined_ok) = self.to_member(env);
        for p in m.problems(env.today) {
            let empty_required =
                matches!(p.field, "code" | "name") && self.form.text_of(p.field).trim().is_empty();
            if empty_required || (p.field == "joined_on" && !joined_ok) {
                continue; // the form reports empty required fields itself
            }
            self.form.add_error(p.field, p.message(env.lang));
        }
        let l = env.lang;
        if !m.code.is_empty()
            && let Ok(Some(name)) = db::roster::code_owner(conn, &m.code, m.id)
        {
            self.form.add_error(
                "code",
                match l {
                    Lang::Zh => format!("编号 {} 已被 {name} 使用", m.code),
                    Lang::En => format!("code {} is already used by {name}", m.code),
                },
            );
        }
        if let Some(idn) = &m.id_number
            && validate::id_number(idn, env.today).is_ok()
            && let Ok(Some(name)) = db::roster::id_number_owner(conn, idn, m.id)
        {
            self.form.add_error(
                "id_number",
                match l {
                    Lang::Zh => format!("身份证号已被 {name} 使用"),
                    Lang::En => format!("this ID number is already used by {name}"),
                },
            );
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                self.validate(conn, env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    /// Validates and saves. A refused save keeps the form and its input.
    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        self.form.begin_submit();
        self.validate(conn, env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let (mut m, _) = self.to_member(env);
        match db::members::save(conn, &m) {
            Ok((id, version)) => {
                m.id = id;
                m.version = version;
                self.base = m.clone();
                let message = match env.lang {
                    Lang::Zh => format!("已保存：{}（{}）", m.name, m.code),
                    Lang::En => format!("Saved: {} ({})", m.name, m.code),
                };
                PopupOutcome::Saved {
                    change: Change::Member(Box::new(m)),
                    message,
                }
            }
            Err(e) => {
                let msg = e.message(env.lang);
                if let DbError::Invalid { zh, .. } = &e {
                    // A uniqueness clash found only at save time (another clerk).
                    let field = if zh.starts_with("编号") {
                        Some("code")
                    } else if zh.starts_with("身份证号") {
                        Some("id_number")
                    } else {
                        None
                    };
                    if let Some(f) = field {
                        self.form.add_error(f, msg.clone());
                        self.form.set_focus(f);
                    }
                }
                super::settle(&mut self.form, Err(e), env.lang)
            }
        }
    }
}
