//! The case detail: who, what and why at the top, then the workflow history
//! (each step with its date, the clerk and what it carries; imported steps
//! marked), the steps allowed next — only those —, the help measures with
//! their dated logs, the helpers, the annual reviews with the next due day
//! and the member's visits since the application. Taller than a screen: it
//! scrolls by line (↑/↓) and page (PgUp/PgDn). Every form of the ledger
//! opens from here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use rusqlite::Connection;

use super::draw::categories_text;
use super::{DetailAction, HardshipScreen};
use crate::db;
use crate::db::audit::LogFilter;
use crate::db::hardship::{CaseDetail, HelperKind, pairing_label};
use crate::db::visits_list::MemberHit;
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::hardship::{self, Step};
use crate::domain::money::format_yuan;
use crate::domain::rules::ObligationKind;
use crate::domain::vocab::{CaseState, Coded, VisitKind};
use crate::ui::env::Env;
use crate::ui::popups::{HardshipRequest, Request};
use crate::ui::screens::Outcome;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Label column of the header lines.
const LABEL_W: usize = 10;

/// `label  value` wrapped under itself in `w` cells.
fn field(out: &mut Vec<Line<'static>>, label: &str, value: &str, w: usize, th: &Theme) {
    let vw = w.saturating_sub(LABEL_W + 2).max(1);
    let rows = text::wrap(value, vw);
    let rows = if rows.is_empty() {
        vec![String::new()]
    } else {
        rows
    };
    for (i, r) in rows.into_iter().enumerate() {
        let lab = if i == 0 { label } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!(" {}", text::pad_right(lab, LABEL_W)), th.label()),
            Span::raw(format!(" {r}")),
        ]));
    }
}

/// A section's title line: `── 办理经过 ──`.
fn section(out: &mut Vec<Line<'static>>, title: &str, th: &Theme) {
    out.push(Line::from(Span::styled(
        format!(" ── {title} ──"),
        th.header(),
    )));
}

/// `s` wrapped in `w` cells after `lead`, its further lines indented as far
/// as `lead` is wide; `style` for all.
fn wrapped(out: &mut Vec<Line<'static>>, lead: &str, s: &str, w: usize, style: Style) {
    let indent = text::width(lead);
    let rows = text::wrap(s, w.saturating_sub(indent).max(1));
    if rows.is_empty() {
        out.push(Line::from(Span::styled(lead.to_string(), style)));
    }
    for (i, r) in rows.into_iter().enumerate() {
        let head = if i == 0 {
            lead.to_string()
        } else {
            " ".repeat(indent)
        };
        out.push(Line::from(Span::styled(format!("{head}{r}"), style)));
    }
}

/// What a step carries, in words: the votes, the notice window, to whom,
/// why; then its note.
fn step_text(s: &Step, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = s.votes {
        parts.push(match lang {
            Lang::Zh => format!("赞成 {} 反对 {} 弃权 {}", v.for_, v.against, v.abstain),
            Lang::En => format!(
                "for {} against {} abstaining {}",
                v.for_, v.against, v.abstain
            ),
        });
    }
    if let Some((from, to)) = s.public {
        parts.push(match lang {
            Lang::Zh => format!("公示 {} 至 {}", dates::fmt(from), dates::fmt(to)),
            Lang::En => format!("notice {} to {}", dates::fmt(from), dates::fmt(to)),
        });
    }
    if !s.submitted_to.is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("报 {}", s.submitted_to),
            Lang::En => format!("to {}", s.submitted_to),
        });
    }
    if !s.reason.is_empty() {
        parts.push(format!("{}{}", lang.pick("原因：", "reason: "), s.reason));
    }
    if !s.note.is_empty() {
        parts.push(s.note.clone());
    }
    parts.join(lang.pick("；", "; "))
}

/// Every line of the detail of `d` at width `w`.
pub fn detail_lines(d: &CaseDetail, env: &Env, w: usize) -> Vec<Line<'static>> {
    let lang = env.lang;
    let th = &env.theme;
    let r = &d.row;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = Vec::new();
    let head = match lang {
        Lang::Zh => format!(
            "{}（{}）· {} 年度 · {} · {}",
            r.name,
            r.code,
            r.year,
            r.priority.label(lang),
            r.state.label(lang)
        ),
        Lang::En => format!(
            "{} ({}) · {} · {} · {}",
            r.name,
            r.code,
            r.year,
            r.priority.label(lang),
            r.state.label(lang)
        ),
    };
    field(&mut out, l("党员", "Member"), &head, w, th);
    field(
        &mut out,
        l("困难类型", "Categories"),
        &categories_text(&r.categories, lang),
        w,
        th,
    );
    let names: Vec<&str> = d.helpers.iter().map(|h| h.name()).collect();
    let pairing = if names.is_empty() {
        pairing_label(0, lang).to_string()
    } else {
        format!(
            "{}{}{}",
            pairing_label(names.len(), lang),
            l("：", ": "),
            names.join(l("、", ", "))
        )
    };
    field(&mut out, l("结对帮扶", "Pairing"), &pairing, w, th);
    let family = if d.family.is_empty() {
        String::new()
    } else {
        let each: Vec<String> = d
            .family
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}{}",
                    f.relation,
                    f.name,
                    format_yuan(f.income_fen),
                    l("元", " yuan")
                )
                .replace("  ", " ")
            })
            .collect();
        match lang {
            Lang::Zh => format!(
                "{}；月收入合计 {} 元",
                each.join("、"),
                format_yuan(d.family_income_fen())
            ),
            Lang::En => format!(
                "{}; {} yuan a month in all",
                each.join(", "),
                format_yuan(d.family_income_fen())
            ),
        }
    };
    field(&mut out, l("家庭成员", "Family"), &family, w, th);
    if !d.family_situation.is_empty() {
        field(
            &mut out,
            l("家庭情况", "Situation"),
            &d.family_situation,
            w,
            th,
        );
    }
    field(&mut out, l("致困原因", "Cause"), &d.cause, w, th);

    // The workflow.
    section(&mut out, l("办理经过", "Workflow"), th);
    let state_w = CaseState::ALL
        .iter()
        .map(|s| text::width(s.label(lang)))
        .max()
        .unwrap_or(8);
    for s in &d.steps {
        let clerk = if s.imported {
            l("导入", "imported").to_string()
        } else {
            s.clerk.clone()
        };
        let lead = format!(
            " {} {} {} ",
            dates::fmt(s.date),
            text::pad_right(s.state.label(lang), state_w),
            text::pad_right(&clerk, 12)
        );
        let style = if s.imported {
            th.dim()
        } else {
            Style::default()
        };
        wrapped(&mut out, &lead, &step_text(s, lang), w, style);
    }
    let next = hardship::next_steps(r.state);
    if next.is_empty() {
        out.push(Line::from(Span::styled(
            format!(
                " {}",
                l("已办结，没有后续步骤", "Finished: no step follows")
            ),
            th.dim(),
        )));
    } else {
        let names: Vec<&str> = next.iter().map(|s| s.label(lang)).collect();
        let s = match lang {
            Lang::Zh => format!(" 可办理：{}（s 或 F5）", names.join(" · ")),
            Lang::En => format!(" Allowed next: {} (s or F5)", names.join(" · ")),
        };
        out.push(Line::from(Span::styled(s, th.title())));
    }

    // The help.
    section(&mut out, l("帮扶措施", "Help measures"), th);
    if d.measures.is_empty() {
        out.push(Line::from(Span::styled(
            format!(" {}", l("还没有措施（m 或 F8）", "None yet (m or F8)")),
            th.dim(),
        )));
    }
    for (i, m) in d.measures.iter().enumerate() {
        let mut s = format!("{}{}{}", m.kind.label(lang), l("：", ": "), m.plan);
        if !m.responsible.is_empty() {
            s.push_str(&format!("{}{}", l("；责任人 ", "; by "), m.responsible));
        }
        if let Some(start) = m.start_date {
            s.push_str(&format!("{}{}", l("；自 ", "; from "), dates::fmt(start)));
        }
        wrapped(&mut out, &format!(" {}. ", i + 1), &s, w, Style::default());
        for a in &m.actions {
            let mut what = a.action.clone();
            if let Some(f) = a.amount_fen {
                what.push_str(&format!(" {}{}", format_yuan(f), l("元", " yuan")));
            }
            if !a.goods.is_empty() {
                what.push_str(&format!(" {}", a.goods));
            }
            let lead = format!("    {} ", dates::fmt(a.date));
            wrapped(&mut out, &lead, &what, w, th.text());
        }
    }
    section(&mut out, l("结对帮扶", "Helpers"), th);
    if d.helpers.is_empty() {
        out.push(Line::from(Span::styled(
            format!(" {}", l("还没有结对（h 或 F11）", "None yet (h or F11)")),
            th.dim(),
        )));
    }
    for h in &d.helpers {
        let who = match &h.kind {
            HelperKind::Member { code, name, .. } => match lang {
                Lang::Zh => format!("{name}（{code}）"),
                Lang::En => format!("{name} ({code})"),
            },
            HelperKind::Unit(u) => format!("{u}{}", l("（单位）", " (unit)")),
        };
        let since = h
            .since
            .map(|d| format!("{}{}", l("  自 ", "  since "), dates::fmt(d)))
            .unwrap_or_default();
        out.push(Line::from(format!(" {who}{since}")));
    }

    // The reviews.
    section(&mut out, l("年审", "Annual reviews"), th);
    for v in &d.reviews {
        let lead = format!(
            " {} {} {} ",
            dates::fmt(v.date),
            text::pad_right(v.outcome.label(lang), 8),
            text::pad_right(&v.clerk, 12)
        );
        wrapped(&mut out, &lead, &v.note, w, Style::default());
    }
    match r.review_due(env.settings.hardship_review_days) {
        Some(due) => {
            let late = (env.today - due).num_days();
            let s = match (lang, late > 0) {
                (Lang::Zh, true) => format!(" 下次年审 {}（已逾期 {late} 天）", dates::fmt(due)),
                (Lang::Zh, false) => format!(" 下次年审 {}", dates::fmt(due)),
                (Lang::En, true) => format!(" Next review {} ({late} days late)", dates::fmt(due)),
                (Lang::En, false) => format!(" Next review {}", dates::fmt(due)),
            };
            out.push(Line::from(Span::styled(
                s,
                if late > 0 { th.error() } else { th.title() },
            )));
        }
        None => out.push(Line::from(Span::styled(
            format!(
                " {}",
                l(
                    "审核通过后每年年审一次",
                    "Reviewed every year once approved"
                )
            ),
            th.dim(),
        ))),
    }

    // The visits.
    section(&mut out, l("走访记录", "Visits"), th);
    if d.visits.is_empty() {
        out.push(Line::from(Span::styled(
            format!(
                " {}",
                l(
                    "申请以来没有走访（v 或 F2）",
                    "No visit since the application (v or F2)"
                )
            ),
            th.dim(),
        )));
    }
    for v in &d.visits {
        let lead = format!(
            " {} {} {} ",
            dates::fmt(v.date),
            text::pad_right(v.kind.label(lang), 8),
            text::pad_right(&v.visitor, 12)
        );
        let mut what = v.notes.clone();
        if !v.goods.is_empty() {
            what = format!("{what} {}", v.goods).trim().to_string();
        }
        wrapped(&mut out, &lead, &what, w, Style::default());
    }
    out
}

impl HardshipScreen {
    pub(super) fn render_detail(&self, frame: &mut Frame, area: Rect, d: &CaseDetail, env: &Env) {
        let th = &env.theme;
        let lang = env.lang;
        let title = match lang {
            Lang::Zh => format!(
                " 困难台账：{}（{}）{} 年度 ",
                d.row.name, d.row.code, d.row.year
            ),
            Lang::En => format!(" Case: {} ({}) {} ", d.row.name, d.row.code, d.row.year),
        };
        let fit = text::truncate(&title, area.width.saturating_sub(4) as usize);
        let block = Block::bordered()
            .border_set(th.border())
            .title(Span::styled(fit, th.title()));
        let inner = block.inner(area);
        self.detail_width.set(inner.width as usize);
        let lines = detail_lines(d, env, inner.width as usize);
        let rows = inner.height as usize;
        let max = lines.len().saturating_sub(rows);
        let scroll = self.scroll.min(max);
        let footer = match lang {
            Lang::Zh => format!(
                " 第 {}-{} 行/共 {} 行 ",
                scroll + 1,
                (scroll + rows).min(lines.len()),
                lines.len()
            ),
            Lang::En => format!(
                " lines {}-{} of {} ",
                scroll + 1,
                (scroll + rows).min(lines.len()),
                lines.len()
            ),
        };
        let block = block.title_bottom(Line::from(footer).right_aligned());
        frame.render_widget(block, area);
        let shown: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }

    pub(super) fn detail_key(
        &mut self,
        a: DetailAction,
        conn: &Connection,
        env: &Env,
    ) -> db::Result<Outcome> {
        let Some(d) = &self.detail else {
            return Ok(Outcome::Nothing);
        };
        let id = d.row.id;
        // The rows and width of the detail panel: the body less its borders.
        let rows = self.page_size + 5;
        let max = detail_lines(d, env, self.detail_width.get())
            .len()
            .saturating_sub(rows);
        let page = rows.saturating_sub(1).max(1);
        let hardship = |h| Ok(Outcome::Open(Request::Hardship(h)));
        match a {
            DetailAction::Back => {
                self.detail = None;
                self.select(conn, id)?;
            }
            DetailAction::Up => self.scroll = self.scroll.min(max).saturating_sub(1),
            DetailAction::Down => self.scroll = (self.scroll + 1).min(max),
            DetailAction::PageUp => self.scroll = self.scroll.min(max).saturating_sub(page),
            DetailAction::PageDown => self.scroll = (self.scroll + page).min(max),
            DetailAction::Home => self.scroll = 0,
            DetailAction::Step => return hardship(HardshipRequest::Step(id)),
            DetailAction::Review => return hardship(HardshipRequest::Review(id)),
            DetailAction::Measure => return hardship(HardshipRequest::Measure(id)),
            DetailAction::Action => return hardship(HardshipRequest::Action(id)),
            DetailAction::Helper => return hardship(HardshipRequest::Helper(id)),
            DetailAction::Edit => return hardship(HardshipRequest::EditCase(id)),
            DetailAction::Log => {
                return Ok(Outcome::Open(Request::Log(Box::new(
                    LogFilter::hardship_case(id),
                ))));
            }
            DetailAction::Visit => {
                let member = MemberHit {
                    id: d.row.member_id,
                    code: d.row.code.clone(),
                    name: d.row.name.clone(),
                };
                return Ok(Outcome::Open(Request::Visit {
                    member: Some(member),
                    kind: VisitKind::Home,
                    reason: ObligationKind::HardshipVisit.label(env.lang),
                    campaign: None,
                }));
            }
        }
        Ok(Outcome::Redraw)
    }
}
