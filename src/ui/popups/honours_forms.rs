//! The forms of the incentives tab (激励): an honour (表彰) for a member,
//! picked by code, name or pinyin, or for the branch (member left empty),
//! and a discipline (处分). Saving either records its event (受到表彰 /
//! 受到处分) in the same transaction, so the must-talk obligation follows.
//! Paying a year's bonuses asks the day, 经手人 and 审批人 (as every fund
//! payment has them), then a confirmation shows what will be paid.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::hardship_forms::MemberPicker;
use super::{Change, Pending, Popup, PopupOutcome};
use crate::db;
use crate::db::incentives::{NewDiscipline, NewHonour};
use crate::domain::Lang;
use crate::domain::money::format_money;
use crate::domain::safe_text;
use crate::domain::vocab::{Coded, HonourLevel, HonourTitle};
use crate::ui::env::{Env, Status};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{ChoiceOption, Form, FormEvent};

/// A form of the incentives tab a screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HonoursRequest {
    NewHonour,
    NewDiscipline,
    /// Paying year N's unpaid bonuses: a form (date, handled, approved), the
    /// preview, then a confirmation.
    PayBonuses(i32),
}

/// Whether a honour, a discipline, or the payment of a year's bonuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Honour,
    Discipline,
    Bonus(i32),
}

/// An honour or a discipline form on the popup stack.
#[derive(Debug, Clone)]
pub struct HonoursForm {
    pub form: Form,
    kind: Kind,
    /// The member field's picker (none in the bonus form, which has no member).
    picker: Option<MemberPicker>,
}

const TITLE_INITIALS: [&str; 4] = ["yxgcdy", "yxdwgzz", "xjjcdzz", "qt"];
const LEVEL_INITIALS: [&str; 4] = ["zb", "jd", "q", "sjys"];

fn check_text(form: &mut Form, key: &str, max: usize, lang: Lang) {
    if let Err(p) = safe_text::check_text(form.text_of(key), false, max) {
        form.add_error(
            key,
            match lang {
                Lang::Zh => p.zh(),
                Lang::En => p.en(),
            },
        );
    }
}

impl HonoursForm {
    pub fn honour(env: &Env) -> Self {
        let l = env.lang;
        let titles = HonourTitle::ALL
            .iter()
            .zip(TITLE_INITIALS)
            .map(|(t, i)| ChoiceOption::new(t.label(l), i))
            .collect();
        let levels = HonourLevel::ALL
            .iter()
            .zip(LEVEL_INITIALS)
            .map(|(t, i)| ChoiceOption::new(t.label(l), i))
            .collect();
        let form = Form::new(l.pick("新表彰", "New honour"), l)
            .text("member", l.pick("党员", "Member"), "", false)
            .with_hint(l.pick(
                "编号、姓名或拼音；空着 = 支部获得的表彰",
                "code, name or pinyin; empty = the branch itself",
            ))
            .choice("title", l.pick("称号", "Title"), titles, 0)
            .text("title_other", l.pick("其他称号", "Other title"), "", false)
            .with_hint(l.pick("称号选“其他”时填写", "when the title is Other"))
            .choice("level", l.pick("级别", "Level"), levels, 0)
            .text(
                "year",
                l.pick("年度", "Year"),
                &env.today.year().to_string(),
                true,
            )
            .date("date", l.pick("表彰日期", "Date"), Some(env.today), true)
            .with_hint(l.pick("不晚于今天", "not after today"))
            .text("note", l.pick("备注", "Note"), "", false);
        let mut f = HonoursForm {
            form,
            kind: Kind::Honour,
            picker: Some(MemberPicker::new("member")),
        };
        f.validate(env);
        f
    }

    pub fn discipline(env: &Env) -> Self {
        let l = env.lang;
        let form = Form::new(l.pick("新处分", "New discipline"), l)
            .text("member", l.pick("党员", "Member"), "", true)
            .with_hint(l.pick("编号、姓名或拼音", "code, name or pinyin"))
            .date("date", l.pick("处分日期", "Date"), Some(env.today), true)
            .with_hint(l.pick("不晚于今天", "not after today"))
            .text("kind", l.pick("处分种类", "Kind"), "", true)
            .with_hint(l.pick("如：警告、严重警告", "e.g. warning, serious warning"))
            .text("note", l.pick("备注", "Note"), "", false);
        let mut f = HonoursForm {
            form,
            kind: Kind::Discipline,
            picker: Some(MemberPicker::new("member")),
        };
        f.validate(env);
        f
    }

    /// Paying `year`'s bonuses: the day and who handles and approves them.
    pub fn bonus(env: &Env, year: i32) -> Self {
        let l = env.lang;
        let title = match l {
            Lang::Zh => format!("发放 {year} 年度考核奖励"),
            Lang::En => format!("Pay the bonuses of {year}"),
        };
        let form = Form::new(title, l)
            .date("date", l.pick("发放日期", "Paid on"), Some(env.today), true)
            .with_hint(l.pick("不晚于今天", "not after today"))
            .text("handled", l.pick("经手人", "Handled by"), "", true)
            .text("approved", l.pick("审批人", "Approved by"), "", true)
            .with_hint(l.pick(
                "保存后先显示名单、合计和余额，确认后才发放",
                "saving shows the list, the total and the balance first",
            ));
        let mut f = HonoursForm {
            form,
            kind: Kind::Bonus(year),
            picker: None,
        };
        f.validate(env);
        f
    }

    pub fn validate(&mut self, env: &Env) {
        let l = env.lang;
        let f = &mut self.form;
        f.check_builtin();
        if let Some(p) = &self.picker {
            p.check(f, l);
        }
        if let Ok(Some(d)) = f.date_of("date")
            && d > env.today
        {
            f.add_error("date", l.pick("不能晚于今天", "cannot be after today"));
        }
        if !matches!(self.kind, Kind::Bonus(_)) {
            check_text(f, "note", 200, l);
        }
        match self.kind {
            Kind::Honour => {
                let year = f.text_of("year").trim();
                if !year.is_empty()
                    && !matches!(year.parse::<i32>(), Ok(y) if (1949..=2200).contains(&y))
                {
                    f.add_error("year", l.pick("请写四位年份", "write a four-digit year"));
                }
                let title = HonourTitle::ALL[f.choice_of("title")];
                let to_member = !f.text_of("member").trim().is_empty();
                if let Some((zh, en)) = crate::domain::incentives::title_misfit(title, to_member) {
                    // beside the field to change: the member for a member's
                    // title, the title when a member was named for the branch's
                    let field = if to_member { "title" } else { "member" };
                    if to_member || f.calls_out_empty("member") {
                        f.add_error(field, l.pick(zh, en));
                    }
                }
                let other = title == HonourTitle::Other;
                if other && f.text_of("title_other").trim().is_empty() {
                    f.add_error("title_other", l.pick("请填写称号", "write the title"));
                }
                check_text(f, "title_other", 60, l);
            }
            Kind::Discipline => check_text(f, "kind", 40, l),
            Kind::Bonus(_) => {
                check_text(f, "handled", 40, l);
                check_text(f, "approved", 40, l);
            }
        }
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, conn: &mut Connection, env: &Env) -> PopupOutcome {
        if let Some(p) = &mut self.picker
            && p.handle_key(ev, &mut self.form)
        {
            self.validate(env);
            return PopupOutcome::Redraw;
        }
        match self.form.handle_key(ev) {
            FormEvent::Ignored => PopupOutcome::Nothing,
            FormEvent::Moved => PopupOutcome::Redraw,
            FormEvent::Changed(_) => {
                if let Some(p) = &mut self.picker
                    && let Err(e) = p.changed(conn, &self.form)
                {
                    return PopupOutcome::Refused(e.message(env.lang));
                }
                self.validate(env);
                PopupOutcome::Redraw
            }
            FormEvent::Cancel => super::cancel(&self.form),
            FormEvent::Save => self.save(conn, env),
        }
    }

    pub fn save(&mut self, conn: &mut Connection, env: &Env) -> PopupOutcome {
        let l = env.lang;
        self.form.begin_submit();
        self.validate(env);
        if !self.form.accept() {
            return super::refused(&self.form);
        }
        let date = self
            .form
            .date_of("date")
            .ok()
            .flatten()
            .unwrap_or(env.today);
        let text = |k: &str| self.form.text_of(k).trim().to_string();
        let member = self.picker.as_ref().and_then(|p| p.member.clone());
        let written = match self.kind {
            Kind::Bonus(year) => {
                return match bonus_confirm(conn, env, year, date, text("handled"), text("approved"))
                {
                    Ok(popup) => PopupOutcome::Replace(popup),
                    Err(status) => PopupOutcome::Refused(status.text),
                };
            }
            Kind::Honour => {
                let title = HonourTitle::ALL[self.form.choice_of("title")];
                let level = HonourLevel::ALL[self.form.choice_of("level")];
                let h = NewHonour {
                    member_id: member.as_ref().map(|m| m.id),
                    title,
                    title_other: text("title_other"),
                    level,
                    year: text("year").parse().unwrap_or(0),
                    date,
                    note: text("note"),
                };
                let shown = if title == HonourTitle::Other {
                    h.title_other.clone()
                } else {
                    title.label(l).to_string()
                };
                db::incentives::add_honour(conn, &h, env.today).map(|_| {
                    let msg = match (&member, l) {
                        (Some(m), Lang::Zh) => format!(
                            "已登记表彰：{}（{}）{}级“{shown}”；已记“受到表彰”情况（必谈）",
                            m.name,
                            m.code,
                            level.zh()
                        ),
                        (Some(m), Lang::En) => format!(
                            "Honour saved: {} ({}) {shown}, {}; commendation event recorded (talk due)",
                            m.name,
                            m.code,
                            level.en()
                        ),
                        (None, Lang::Zh) => {
                            format!("已登记支部获得的表彰：{}级“{shown}”", level.zh())
                        }
                        (None, Lang::En) => {
                            format!("Branch honour saved: {shown}, {}", level.en())
                        }
                    };
                    (Change::Record, msg)
                })
            }
            Kind::Discipline => {
                let Some(m) = member else {
                    self.form
                        .add_error("member", l.pick("请选择党员", "pick a member"));
                    return super::refused(&self.form);
                };
                let d = NewDiscipline {
                    member_id: m.id,
                    date,
                    kind: text("kind"),
                    note: text("note"),
                };
                db::incentives::add_discipline(conn, &d, env.today).map(|_| {
                    let msg = match l {
                        Lang::Zh => format!(
                            "已登记处分：{}（{}）{}；已记“受到处分”情况（必谈）",
                            m.name, m.code, d.kind
                        ),
                        Lang::En => format!(
                            "Discipline saved: {} ({}) {}; punishment event recorded (talk due)",
                            m.name, m.code, d.kind
                        ),
                    };
                    (Change::Record, msg)
                })
            }
        };
        super::settle(&mut self.form, written, l)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.form.render(frame, area, theme);
        if let Some(p) = &self.picker {
            p.render(frame, area, &self.form, theme);
        }
    }
}

/// The popup for a request, or why there is none.
pub fn open(req: HonoursRequest, conn: &Connection, env: &Env) -> Result<Popup, Status> {
    let l = env.lang;
    match req {
        HonoursRequest::NewHonour => Ok(Popup::Honours(Box::new(HonoursForm::honour(env)))),
        HonoursRequest::NewDiscipline => Ok(Popup::Honours(Box::new(HonoursForm::discipline(env)))),
        HonoursRequest::PayBonuses(year) => {
            let p = db::incentives::bonus_preview(conn, year, env.today, &env.settings)
                .map_err(|e| Status::error(e.message(l)))?;
            if p.to_pay.is_empty() {
                return Err(nothing_to_pay(year, l));
            }
            Ok(Popup::Honours(Box::new(HonoursForm::bonus(env, year))))
        }
    }
}

fn nothing_to_pay(year: i32, l: Lang) -> Status {
    Status::info(match l {
        Lang::Zh => format!("{year} 年度没有待发放的考核奖励"),
        Lang::En => format!("no unpaid bonus for {year}"),
    })
}

/// What paying `year`'s bonuses on `date` will pay, to confirm.
fn bonus_confirm(
    conn: &Connection,
    env: &Env,
    year: i32,
    date: chrono::NaiveDate,
    handled: String,
    approved: String,
) -> Result<Popup, Status> {
    let l = env.lang;
    let p = db::incentives::bonus_preview(conn, year, date, &env.settings)
        .map_err(|e| Status::error(e.message(l)))?;
    if p.to_pay.is_empty() {
        return Err(nothing_to_pay(year, l));
    }
    let names: Vec<String> = p
        .to_pay
        .iter()
        .take(6)
        .map(|b| {
            format!(
                "{} {} {}",
                b.name,
                b.grade.label(l),
                format_money(b.amount_fen)
            )
        })
        .collect();
    let more = p.to_pay.len().saturating_sub(6);
    let list = names.join(l.pick("；", "; "))
        + &if more > 0 {
            match l {
                Lang::Zh => format!(" 等（另 {more} 人）"),
                Lang::En => format!(" and {more} more"),
            }
        } else {
            String::new()
        };
    let short = !p.affordable();
    let msg = match l {
        Lang::Zh => format!(
            "{year} 年度考核奖励：{} 人，共 {}。{list}。帮扶基金余额 {}（可用 {}）。{}",
            p.to_pay.len(),
            format_money(p.total_fen),
            format_money(p.balance_fen),
            format_money(p.available_fen),
            if short {
                "余额不足，确认也不会发放。"
            } else {
                "确认后逐人登记基金支出（类别“其他”，备注考核奖励）。"
            }
        ),
        Lang::En => format!(
            "Bonuses {year}: {} members, {} in all. {list}. Fund balance {} ({} available). {}",
            p.to_pay.len(),
            format_money(p.total_fen),
            format_money(p.balance_fen),
            format_money(p.available_fen),
            if short {
                "Not enough money: nothing will be paid."
            } else {
                "Yes records one fund payment per member (category other, note 考核奖励)."
            }
        ),
    };
    Ok(super::confirm(
        l.pick("发放考核奖励", "Pay the bonuses"),
        msg,
        Pending::PayBonuses {
            year,
            date,
            handled,
            approved,
        },
    ))
}

/// Yes to paying: all the bonuses, or none.
pub(super) fn pay_now(
    conn: &mut Connection,
    env: &Env,
    year: i32,
    date: chrono::NaiveDate,
    (handled, approved): (&str, &str),
) -> PopupOutcome {
    let l = env.lang;
    match db::incentives::pay_bonuses(
        conn,
        year,
        date,
        handled,
        approved,
        &env.settings,
        env.today,
    ) {
        Ok((n, total)) => PopupOutcome::Saved {
            change: Change::Record,
            message: match l {
                Lang::Zh => format!(
                    "已发放 {year} 年度考核奖励：{n} 人，共 {}，已登记基金支出",
                    format_money(total)
                ),
                Lang::En => format!(
                    "Bonuses {year} paid: {n} members, {} in all, recorded in the fund",
                    format_money(total)
                ),
            },
        },
        Err(e) => PopupOutcome::Failed(e.message(l)),
    }
}
