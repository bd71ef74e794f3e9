//! A case (困难台账): the member picked by typing, the year and the day of
//! the application, the categories as a check list, the cause, the family
//! with each one's monthly income typed in yuan (stored as fen), the
//! priority. Editing keeps the member, the year and the application (a step):
//! the rest is corrected with `db::hardship::update_case`.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::picker::MemberPicker;
use super::{case_label, check_not_future, check_text};
use crate::db;
use crate::db::hardship::{CaseDetail, CaseRow, FamilyMember, NewCase};
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::money::{format_yuan, parse_yuan};
use crate::domain::vocab::{Coded, HardshipCategory, Priority};
use crate::ui::env::{Env, Status};
use crate::ui::popups::{Change, PopupOutcome};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};

/// The family rows a form can hold (4 for a new case, as many as stored up to this).
const FAM_KEYS: [&str; 8] = [
    "fam1", "fam2", "fam3", "fam4", "fam5", "fam6", "fam7", "fam8",
];
const INC_KEYS: [&str; 8] = [
    "inc1", "inc2", "inc3", "inc4", "inc5", "inc6", "inc7", "inc8",
];

#[derive(Debug, Clone)]
pub struct CaseForm {
    pub form: Form,
    picker: MemberPicker,
    /// An edit: the case as read (its id, member, year and version).
    editing: Option<CaseRow>,
    rows: usize,
    /// A save was tried: an empty check list is reported.
    tried: bool,
}

fn options<T: Coded>(lang: Lang) -> Vec<ChoiceOption> {
    T::ALL
        .iter()
        .map(|&v| ChoiceOption::coded(v, lang))
        .collect()
}

impl CaseForm {
    /// A new case: this year, applied today, 一般.
    pub fn new_case(env: &Env) -> Self {
        Self::new_case_with(env, None, &[])
    }

    /// A new case for `member` (picked already), 生活困难 ticked: asked for
    /// from a survey response with need 经济困难.
    pub fn new_case_for(env: &Env, member: MemberHit) -> Self {
        Self::new_case_with(env, Some(member), &[HardshipCategory::Living])
    }

    fn new_case_with(env: &Env, member: Option<MemberHit>, cats: &[HardshipCategory]) -> Self {
        use chrono::Datelike;
        let label = member.as_ref().map(|m| m.label()).unwrap_or_default();
        let l = env.lang;
        let form = Form::new(l.pick("新建困难台账", "New hardship case"), l)
            .text("member", l.pick("党员", "Member"), &label, true)
            .with_hint(l.pick(
                "键入编号、姓名、全拼或首字母；↑↓ 选候选，Enter 确定",
                "type a code, name, pinyin or initials; ↑↓ pick, Enter takes it",
            ))
            .text(
                "year",
                l.pick("年度", "Year"),
                &env.today.year().to_string(),
                true,
            )
            .with_hint(l.pick(
                "每人每年一份台账（年度复核、动态管理）",
                "one case per member and year",
            ))
            .date(
                "applied_on",
                l.pick("申请日期", "Applied on"),
                Some(env.today),
                true,
            )
            .with_hint(l.pick(
                "个人申请的日期，不晚于今天",
                "the day of the application, not after today",
            ));
        let form = Self::body(form, env, cats, &[], Priority::Normal, "", "", 4).text(
            "note",
            l.pick("申请说明", "Note"),
            "",
            false,
        );
        let mut picker = MemberPicker::new("member");
        if let Some(m) = member {
            picker.picked(m);
        }
        CaseForm {
            form,
            picker,
            editing: None,
            rows: 4,
            tried: false,
        }
    }

    /// The case as stored, to correct what it says.
    pub fn edit(d: &CaseDetail, env: &Env) -> Result<Self, Status> {
        let l = env.lang;
        if d.family.len() > FAM_KEYS.len() {
            return Err(Status::error(match l {
                Lang::Zh => format!(
                    "这份台账有 {} 位家庭成员，表单最多 {} 位：请用导入修改",
                    d.family.len(),
                    FAM_KEYS.len()
                ),
                Lang::En => format!(
                    "the case lists {} family members, the form holds {}: correct it by import",
                    d.family.len(),
                    FAM_KEYS.len()
                ),
            }));
        }
        let title = match l {
            Lang::Zh => format!("修改困难台账：{}", case_label(&d.row, l)),
            Lang::En => format!("Edit case: {}", case_label(&d.row, l)),
        };
        let rows = d.family.len().max(4);
        let form = Self::body(
            Form::new(title, l),
            env,
            &d.row.categories,
            &d.family,
            d.row.priority,
            &d.cause,
            &d.family_situation,
            rows,
        );
        Ok(CaseForm {
            form,
            picker: MemberPicker::new("member"),
            editing: Some(d.row.clone()),
            rows,
            tried: false,
        })
    }

    /// The fields a new case and an edit share.
    #[allow(clippy::too_many_arguments)]
    fn body(
        mut form: Form,
        env: &Env,
        cats: &[HardshipCategory],
        family: &[FamilyMember],
        priority: Priority,
        cause: &str,
        situation: &str,
        rows: usize,
    ) -> Form {
        let l = env.lang;
        let on = HardshipCategory::ALL
            .iter()
            .map(|c| cats.contains(c))
            .collect();
        form = form
            .checks(
                "categories",
                l.pick("困难类型", "Categories"),
                options::<HardshipCategory>(l),
                on,
            )
            .with_hint(l.pick(
                "空格 勾选/取消，←→ 移动；至少一种",
                "Space ticks/unticks, ←→ move; one at least",
            ))
            .text("cause", l.pick("致困原因", "Cause"), cause, false)
            .text(
                "situation",
                l.pick("家庭情况", "Family situation"),
                situation,
                false,
            );
        for i in 0..rows {
            let f = family.get(i);
            let who = f
                .map(|f| format!("{} {}", f.relation, f.name).trim().to_string())
                .unwrap_or_default();
            let income = f.map(|f| format_yuan(f.income_fen)).unwrap_or_default();
            let n = i + 1;
            form = form
                .text(
                    FAM_KEYS[i],
                    &match l {
                        Lang::Zh => format!("家庭成员{n}"),
                        Lang::En => format!("Family {n}"),
                    },
                    &who,
                    false,
                )
                .with_hint(l.pick(
                    "称谓 姓名，如：妻 王芳（空格隔开）",
                    "relation and name, e.g. wife Wang Fang",
                ))
                .text(
                    INC_KEYS[i],
                    &match l {
                        Lang::Zh => format!("月收入{n}（元）"),
                        Lang::En => format!("Income {n} yuan"),
                    },
                    &income,
                    false,
                )
                .with_hint(l.pick(
                    "每月收入，单位元：如 1200 或 1,234.50；没有收入写 0",
                    "monthly income in yuan: 1200 or 1,234.50; 0 for none",
                ));
        }
        form.choice(
            "priority",
            l.pick("轻重缓急", "Priority"),
            options::<Priority>(l),
            Priority::ALL
                .iter()
                .position(|&p| p == priority)
                .unwrap_or(2),
        )
        .with_hint(l.pick("←→ 选择：特困、重点、一般", "←→ choose"))
    }

    pub fn candidates(&self) -> &[crate::db::visits_list::MemberHit] {
        self.picker.candidates()
    }

    /// The family as typed: (relation, name, income in fen) of every filled row.
    fn family(&self) -> Vec<FamilyMember> {
        (0..self.rows)
            .filter_map(|i| {
                let who = self.form.text_of(FAM_KEYS[i]).trim();
                if who.is_empty() {
                    return None;
                }
                let (relation, name) = who.split_once(char::is_whitespace).unwrap_or((who, ""));
                let income = self.form.text_of(INC_KEYS[i]).trim();
                Some(FamilyMember {
                    relation: relation.to_string(),
                    name: name.trim().to_string(),
                    income_fen: if income.is_empty() {
                        0
                    } else {
                        parse_yuan(income).unwrap_or(0)
                    },
                })
            })
            .collect()
    }

    fn categories(&self) -> Vec<HardshipCategory> {
        HardshipCategory::ALL
            .iter()
            .zip(self.form.checks_of("categories"))
            .filter(|(_, on)| *on)
            .map(|(c, _)| *c)
            .collect()
    }

    /// Sets every field's error from what is typed now.
    pub fn validate(&mut self, env: &Env) {
        let l = env.lang;
        let f = &mut self.form;
        f.check_builtin();
        if self.editing.is_none() {
            self.picker.check(f, l);
            let year = f.text_of("year").trim();
            if !year.is_empty()
                && !matches!(year.parse::<i32>(), Ok(y) if (1949..=2200).contains(&y))
            {
                f.add_error("year", l.pick("年度应为四位数，如 2026", "a year: 2026"));
            }
            check_not_future(f, "applied_on", env);
            check_text(f, "note", 200, l);
        }
        if self.tried && !f.checks_of("categories").contains(&true) {
            f.add_error(
                "categories",
                l.pick("至少选一种困难类型", "tick one category at least"),
            );
        }
        check_text(f, "cause", 200, l);
        check_text(f, "situation", 200, l);
        for i in 0..self.rows {
            check_text(f, FAM_KEYS[i], 60, l);
            let who = f.text_of(FAM_KEYS[i]).trim().to_string();
            let income = f.text_of(INC_KEYS[i]).trim().to_string();
            if income.is_empty() {
                continue;
            }
            match parse_yuan(&income) {
                Err(p) => f.add_error(INC_KEYS[i], l.pick(p.zh(), p.en())),
                Ok(fen) if fen < 0 => f.add_error(
                    INC_KEYS[i],
                    l.pick("月收入不能为负", "an income cannot be negative"),
                ),
                Ok(_) if who.is_empty() => f.add_error(
                    FAM_KEYS[i],
                    l.pick("请填写称谓和姓名", "enter the relation and name"),
                ),
                Ok(_) => {}
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        if self.picker.handle_key(ev, &mut self.form) {
            self.validate(env);
            return PopupOutcome::Redraw;
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                if self.editing.is_none()
                    && let Err(e) = self.picker.changed(conn, &self.form)
                {
                    return PopupOutcome::Refused(e.message(env.lang));
                }
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        self.tried = true;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::super::refused(&self.form);
        }
        let written = self.write(conn, env).map(|m| (Change::Record, m));
        super::super::settle(&mut self.form, written, env.lang)
    }

    fn write(&self, conn: &mut Connection, env: &Env) -> db::Result<String> {
        let l = env.lang;
        let f = &self.form;
        let text = |k: &str| f.text_of(k).trim().to_string();
        let priority = Priority::ALL[f.choice_of("priority")];
        if let Some(c) = &self.editing {
            let nc = NewCase {
                member_id: c.member_id,
                year: c.year,
                categories: self.categories(),
                cause: text("cause"),
                family_situation: text("situation"),
                family: self.family(),
                priority,
                applied_on: env.today,
                note: String::new(),
            };
            db::hardship::update_case(conn, c.id, c.version, &nc, "form: hardship case edit")?;
            return Ok(match l {
                Lang::Zh => format!("已修改困难台账：{}", case_label(c, l)),
                Lang::En => format!("Case corrected: {}", case_label(c, l)),
            });
        }
        let m = self
            .picker
            .member
            .clone()
            .ok_or_else(|| db::DbError::invalid("请选择党员", "pick a member"))?;
        let year: i32 = text("year").parse().unwrap_or(0);
        let nc = NewCase {
            member_id: m.id,
            year,
            categories: self.categories(),
            cause: text("cause"),
            family_situation: text("situation"),
            family: self.family(),
            priority,
            applied_on: f.date_of("applied_on").ok().flatten().unwrap_or(env.today),
            note: text("note"),
        };
        db::hardship::create_case(conn, &nc, "form: hardship case")?;
        Ok(match l {
            Lang::Zh => format!("已建立困难台账：{}（{}）{year} 年度", m.name, m.code),
            Lang::En => format!("Case opened: {} ({}) {year}", m.name, m.code),
        })
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        self.picker.render(frame, area, &self.form, theme);
    }
}
