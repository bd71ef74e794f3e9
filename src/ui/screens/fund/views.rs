//! Drawing the loans (无息借款: outstanding, next due, overdue instalments;
//! one loan's schedule) and the audits (定时审计: the periods closed; one
//! audit's report).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::FundScreen;
use crate::domain::Lang;
use crate::domain::money::format_money;
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView, Paging, Total};
use crate::ui::widgets::popup;
use crate::ui::widgets::table::columns;

/// Loans: member, date, principal, outstanding, next due, overdue.
const LOAN_W: [usize; 5] = [12, 10, 11, 11, 10];
/// Audits: period, auditor, closed on, closing balance.
const AUDIT_W: [usize; 4] = [23, 16, 10, 14];

impl FundScreen {
    pub(super) fn render_loans(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        let iw = paged_list::inner_width(area);
        let rows_fit = paged_list::rows_fitting(area).max(1);
        if self.loan_open
            && let Some(l) = self.selected_loan()
        {
            let header = columns(
                &[
                    lang.pick("期次", "No."),
                    lang.pick("应还日期", "Due"),
                    &text::pad_left(lang.pick("金额", "Amount"), 11),
                    lang.pick("状态", "State"),
                ],
                &[6, 10, 11],
                iw,
            );
            let rows = l
                .instalments
                .iter()
                .zip(l.owed_per_instalment())
                .map(|(i, owed)| {
                    let (state, late) = match (i.paid_entry_id, i.due < env.today) {
                        (Some(_), _) => (lang.pick("已还", "paid").to_string(), false),
                        (None, late) => {
                            let state = match late {
                                true => lang.pick("逾期未还", "OVERDUE"),
                                false => lang.pick("未到期", "not due"),
                            };
                            // a part repaid: say what is still owed on it
                            let state = if owed < i.amount_fen {
                                match lang {
                                    Lang::Zh => format!("{state}（尚欠 {}）", format_money(owed)),
                                    Lang::En => format!("{state} ({} owed)", format_money(owed)),
                                }
                            } else {
                                state.to_string()
                            };
                            (state, late)
                        }
                    };
                    let s = columns(
                        &[
                            &i.seq.to_string(),
                            &i.due.to_string(),
                            &text::pad_left(&format_money(i.amount_fen), 11),
                            &state,
                        ],
                        &[6, 10, 11],
                        iw,
                    );
                    Line::from(Span::styled(
                        s,
                        if late { th.error() } else { Style::default() },
                    ))
                })
                .collect();
            let title = match lang {
                Lang::Zh => format!(
                    " 还款计划：{}（{}）借 {} 未还 {} ",
                    l.member_name,
                    l.member_code,
                    format_money(l.principal_fen),
                    format_money(l.outstanding_fen())
                ),
                Lang::En => format!(
                    " Schedule: {} ({}) lent {} owed {} ",
                    l.member_name,
                    l.member_code,
                    format_money(l.principal_fen),
                    format_money(l.outstanding_fen())
                ),
            };
            let view = ListView {
                title: Line::from(Span::styled(title, th.title())),
                header,
                rows,
                empty: String::new(),
                footer: String::new(),
            };
            paged_list::render(frame, area, view, th);
            return;
        }
        let header = columns(
            &[
                lang.pick("党员", "Member"),
                lang.pick("借款日期", "Lent on"),
                &text::pad_left(lang.pick("本金", "Principal"), 11),
                &text::pad_left(lang.pick("未还", "Owed"), 11),
                lang.pick("下次应还", "Next due"),
                lang.pick("逾期", "Overdue"),
            ],
            &LOAN_W,
            iw,
        );
        let paging = Paging::new(self.loan_cursor, rows_fit, Total::Known(self.loans.len()));
        let rows = self
            .loans
            .iter()
            .enumerate()
            .skip(paging.page_start())
            .take(rows_fit)
            .map(|(i, l)| {
                let overdue = l.overdue(env.today);
                let late = l.overdue_fen(env.today);
                let next = l.next_due().map(|n| n.due.to_string()).unwrap_or_else(|| {
                    if l.cancelled {
                        lang.pick("已冲销", "reversed").into()
                    } else {
                        lang.pick("已还清", "repaid").into()
                    }
                });
                let over = match (overdue.len(), lang) {
                    (0, _) => String::new(),
                    (n, Lang::Zh) => format!("{n} 期 {}", format_money(late)),
                    (n, Lang::En) => format!("{n}: {}", format_money(late)),
                };
                let s = columns(
                    &[
                        &format!("{} {}", l.member_code, l.member_name),
                        &l.date.to_string(),
                        &text::pad_left(&format_money(l.principal_fen), 11),
                        &text::pad_left(&format_money(l.outstanding_fen()), 11),
                        &next,
                        &over,
                    ],
                    &LOAN_W,
                    iw,
                );
                let style = match (i == self.loan_cursor, overdue.is_empty()) {
                    (true, _) => th.selected(),
                    (false, false) => th.error(),
                    (false, true) if l.outstanding_fen() == 0 => th.dim(),
                    _ => Style::default(),
                };
                Line::from(Span::styled(s, style))
            })
            .collect();
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 无息借款 ", " Interest-free loans "),
                th.title(),
            )),
            header,
            rows,
            empty: lang
                .pick(
                    "还没有借款。按 n 或 F2 登记借款。",
                    "No loans yet. Press n or F2 to lend.",
                )
                .into(),
            footer: paging.footer(lang, Some(("笔", "loans"))),
        };
        paged_list::render(frame, area, view, th);
    }

    pub(super) fn render_audits(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let lang = env.lang;
        let th = &env.theme;
        if let Some(lines) = &self.report {
            let title = lang.pick("审计报告", "Audit report");
            let b = popup::block(title, th);
            let inner = b.inner(area);
            frame.render_widget(b, area);
            let h = inner.height as usize;
            let scroll = self.scroll.min(lines.len().saturating_sub(h));
            let w = inner.width as usize;
            let shown: Vec<Line> = lines
                .iter()
                .skip(scroll)
                .take(h)
                .map(|l| {
                    let bad = l.contains('≠') || l.contains('！') || l.contains("DIFFERENT");
                    let s = format!(" {}", text::truncate(l, w.saturating_sub(1)));
                    if bad {
                        Line::from(Span::styled(s, th.error()))
                    } else {
                        Line::from(s)
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(shown), inner);
            return;
        }
        let iw = paged_list::inner_width(area);
        let rows_fit = paged_list::rows_fitting(area).max(1);
        let header = columns(
            &[
                lang.pick("审计期间", "Period"),
                lang.pick("审计人", "Auditor"),
                lang.pick("结账日期", "Closed on"),
                &text::pad_left(lang.pick("期末余额", "Closing"), 14),
                lang.pick("笔数", "Entries"),
            ],
            &AUDIT_W,
            iw,
        );
        let paging = Paging::new(self.audit_cursor, rows_fit, Total::Known(self.audits.len()));
        let rows = self
            .audits
            .iter()
            .enumerate()
            .skip(paging.page_start())
            .take(rows_fit)
            .map(|(i, a)| {
                let s = columns(
                    &[
                        &format!("{} ~ {}", a.from, a.to),
                        &a.auditor,
                        &a.closed_on.to_string(),
                        &text::pad_left(&format_money(a.closing_fen), 14),
                        &a.entries.to_string(),
                    ],
                    &AUDIT_W,
                    iw,
                );
                Line::from(Span::styled(
                    s,
                    if i == self.audit_cursor {
                        th.selected()
                    } else {
                        Style::default()
                    },
                ))
            })
            .collect();
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 定时审计 ", " Audits "),
                th.title(),
            )),
            header,
            rows,
            empty: lang
                .pick(
                    "还没有审计结账。按 n 或 F2 结账一个期间。",
                    "No audit yet. Press n or F2 to close a period.",
                )
                .into(),
            footer: paging.footer(lang, Some(("次", "audits"))),
        };
        paged_list::render(frame, area, view, th);
    }
}
