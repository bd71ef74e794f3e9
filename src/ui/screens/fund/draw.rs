//! Drawing the fund's list: the header (balance and the chain's state), the
//! filter bar, the entries, their totals and the selected entry in full.
//! Columns are measured in display cells.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{FundScreen, View};
use crate::db::fund::{ListRow, Verification};
use crate::domain::Lang;
use crate::domain::fund::{ChainBreak, category_label};
use crate::domain::money::format_money;
use crate::domain::vocab::Direction;
use crate::ui::env::Env;
use crate::ui::text;
use crate::ui::widgets::paged_list::{self, ListView};
use crate::ui::widgets::table::{self, columns};

/// Column widths: date, voucher, direction, category, member, amount,
/// handled by, approved by; the mark (冲销 / 已冲销) takes the rest.
const WIDTHS: [usize; 8] = [10, 9, 3, 8, 8, 11, 6, 6];

/// The chain's state as the header says it, and whether it is bad.
pub fn chain_text(v: Option<&Verification>, lang: Lang) -> (String, bool) {
    let Some(v) = v else {
        return (String::new(), false);
    };
    match &v.chain {
        Err((b, at)) => {
            let id = b.id();
            let how = match (b, lang) {
                (ChainBreak::Altered { .. }, Lang::Zh) => "被改动",
                (ChainBreak::Broken { .. }, Lang::Zh) => "断开（删除或调换）",
                (ChainBreak::Altered { .. }, Lang::En) => "altered",
                (ChainBreak::Broken { .. }, Lang::En) => "broken (deleted or reordered)",
            };
            let at = at.as_ref().map(|(voucher, date)| match lang {
                Lang::Zh => format!("（凭证 {voucher}，{date}）"),
                Lang::En => format!(" (voucher {voucher}, {date})"),
            });
            let at = at.unwrap_or_default();
            (
                match lang {
                    Lang::Zh => format!("账目链{how}：第 {id} 条{at}"),
                    Lang::En => format!("chain {how} at entry {id}{at}"),
                },
                true,
            )
        }
        Ok(_) if !v.missing_guards.is_empty() => (
            match lang {
                Lang::Zh => format!("保护触发器缺失：{}", v.missing_guards.join("、")),
                Lang::En => format!("guard triggers missing: {}", v.missing_guards.join(", ")),
            },
            true,
        ),
        Ok(_) if !v.negative_days.is_empty() => {
            let (d, b) = v.negative_days[0];
            (
                match lang {
                    Lang::Zh => format!("{d} 余额为负：{}", format_money(b)),
                    Lang::En => format!("negative balance on {d}: {}", format_money(b)),
                },
                true,
            )
        }
        Ok(_) if !v.audit_problems.is_empty() => {
            let (_, a, b, _) = &v.audit_problems[0];
            (
                match lang {
                    Lang::Zh => format!("审计 {a}~{b} 的数字与账目不符"),
                    Lang::En => format!("audit {a}~{b} no longer matches the entries"),
                },
                true,
            )
        }
        Ok(_) => (lang.pick("账目链完整", "chain intact").into(), false),
    }
}

/// The direction's short name in a column (`收`, `Out`).
fn direction_cell(d: Direction, lang: Lang) -> &'static str {
    match (d, lang) {
        (Direction::In, Lang::Zh) => "收",
        (Direction::Out, Lang::Zh) => "支",
        (Direction::In, Lang::En) => "In",
        (Direction::Out, Lang::En) => "Out",
    }
}

/// 冲销 on a reversal, 已冲销 on an entry reversed.
pub fn mark(r: &ListRow, lang: Lang) -> &'static str {
    if r.entry.reverses_id.is_some() {
        lang.pick("冲销", "reversal")
    } else if r.reversed_by.is_some() {
        lang.pick("已冲销", "reversed")
    } else {
        ""
    }
}

/// A category as the list's column names it (English shortened to fit).
fn category_cell(code: &str, lang: Lang) -> String {
    let short = match code {
        "member_donation" => "Donation",
        "social_donation" => "Social",
        "loan_repayment" => "Repaid",
        "condolence" => "Condol.",
        "subsidy" => "Subsidy",
        "loan" => "Loan",
        "health_check" => "Health",
        "fiscal" => "Fiscal",
        "dues" => "Dues",
        _ => "",
    };
    if lang == Lang::En && !short.is_empty() {
        short.to_string()
    } else {
        category_label(code, lang)
    }
}

fn member_cell(r: &ListRow) -> String {
    r.member_name.clone().unwrap_or_default()
}

/// The selected entry in full, for the lines under the list.
fn entry_text(r: &ListRow, lang: Lang) -> String {
    let e = &r.entry;
    let mut parts = vec![
        match lang {
            Lang::Zh => format!("凭证 {} {}", e.voucher_no, e.date),
            Lang::En => format!("Voucher {} {}", e.voucher_no, e.date),
        },
        format!(
            "{} {} {}",
            crate::domain::vocab::Coded::label(e.direction, lang),
            category_label(&e.category, lang),
            format_money(e.amount_fen)
        ),
    ];
    if let (Some(code), Some(name)) = (&r.member_code, &r.member_name) {
        parts.push(match lang {
            Lang::Zh => format!("{name}（{code}）"),
            Lang::En => format!("{name} ({code})"),
        });
    }
    parts.push(match (lang, e.approved_by.is_empty()) {
        (Lang::Zh, true) => format!("经手 {}", e.handled_by),
        (Lang::En, true) => format!("by {}", e.handled_by),
        (Lang::Zh, false) => format!("经手 {} 审批 {}", e.handled_by, e.approved_by),
        (Lang::En, false) => format!("by {} approved {}", e.handled_by, e.approved_by),
    });
    if let Some(v) = &r.reverses {
        parts.push(match lang {
            Lang::Zh => format!("冲销凭证 {v}"),
            Lang::En => format!("reverses {v}"),
        });
    }
    if let Some(v) = &r.reversed_by {
        parts.push(match lang {
            Lang::Zh => format!("已由凭证 {v} 冲销"),
            Lang::En => format!("reversed by {v}"),
        });
    }
    if !e.note.is_empty() {
        parts.push(e.note.clone());
    }
    parts.join(" · ")
}

impl FundScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let (min_w, min_h) = super::MIN_BODY;
        if area.height < min_h || area.width < min_w {
            return;
        }
        let head = Rect { height: 1, ..area };
        frame.render_widget(Paragraph::new(self.header_line(env)), head);
        let body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        match self.view {
            View::List => self.render_list(frame, body, env, focused),
            View::Loans => self.render_loans(frame, body, env),
            View::Audits => self.render_audits(frame, body, env),
        }
    }

    fn header_line(&self, env: &Env) -> Line<'static> {
        let lang = env.lang;
        let th = &env.theme;
        let (chain, bad) = if let Some(e) = self.verify_error() {
            (e.to_string(), true)
        } else if self.is_verifying() {
            (
                lang.pick("账目核验中……", "verifying the ledger…")
                    .to_string(),
                false,
            )
        } else {
            chain_text(self.verification.as_ref(), lang)
        };
        let mut spans = vec![
            Span::styled(lang.pick(" 余额 ", " Balance "), th.label()),
            Span::styled(format_money(self.balance), th.title()),
            Span::raw("  "),
        ];
        spans.push(Span::styled(
            if bad { format!("! {chain}") } else { chain },
            if bad { th.error() } else { th.ok() },
        ));
        let w: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        let open: i64 = self.loans.iter().map(|l| l.outstanding_fen()).sum();
        if open > 0 && !bad {
            let more = match lang {
                Lang::Zh => format!("  借款未还 {}", format_money(open)),
                Lang::En => format!("  loans out {}", format_money(open)),
            };
            if w + text::width(&more) <= 80 {
                spans.push(Span::styled(more, th.dim()));
            }
        }
        Line::from(spans)
    }

    fn filter_spans(&self, w: usize, env: &Env) -> (Vec<Span<'static>>, usize) {
        let lang = env.lang;
        let th = &env.theme;
        let all = lang.pick("全部", "all");
        let (mut spans, cx) = self.search.spans(
            lang.pick("党员 ", "Member "),
            12,
            lang.pick("拼音/编号", "pinyin/code"),
            th,
        );
        if let Some(m) = &self.member {
            spans.push(Span::styled(format!("={}", m.name), th.dim()));
        }
        let f = &self.filter;
        let dir = f
            .direction
            .map_or(all, |d| crate::domain::vocab::Coded::label(d, lang));
        let cat = f
            .category
            .as_deref()
            .map_or(all.to_string(), |c| category_label(c, lang));
        for (label, value) in [
            (lang.pick("  期间 ", "  Period "), self.period_label(lang)),
            (lang.pick("  方向 ", "  Dir. "), dir.to_string()),
            (lang.pick("  类别 ", "  Cat. "), cat),
        ] {
            spans.push(Span::styled(label, th.label()));
            spans.push(Span::raw(value));
        }
        let mut used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        while used > w {
            let Some(last) = spans.last_mut() else { break };
            let lw = text::width(&last.content);
            if lw <= used - w {
                used -= lw;
                spans.pop();
            } else {
                let keep = lw - (used - w);
                *last = Span::styled(text::truncate(&last.content, keep), last.style);
                used = w;
            }
        }
        (spans, cx)
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, env: &Env, focused: bool) {
        let lang = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let bar = Rect { height: 1, ..area };
        let (spans, cx) = self.filter_spans(w, env);
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        self.search.place_cursor(frame, bar, cx, focused);

        let list_area = Rect {
            y: area.y + 1,
            height: area.height - 4,
            ..area
        };
        let paging = self.paging();
        let iw = paged_list::inner_width(list_area);
        let header = columns(
            &[
                lang.pick("日期", "Date"),
                lang.pick("凭证号", "Voucher"),
                lang.pick("向", "Dir"),
                lang.pick("类别", "Category"),
                lang.pick("党员", "Member"),
                &text::pad_left(lang.pick("金额", "Amount"), WIDTHS[5]),
                lang.pick("经手人", "By"),
                lang.pick("审批人", "Appr."),
                "",
            ],
            &WIDTHS,
            iw,
        );
        let mut lines = Vec::new();
        // only the page shown, from the rows held around the cursor
        let shown = paging.page_start()..(paging.page_start() + paging.page_size).min(self.len());
        for (i, r) in shown.filter_map(|i| self.row(i).map(|r| (i, r))) {
            let e = &r.entry;
            let s = columns(
                &[
                    &e.date.to_string(),
                    &e.voucher_no,
                    direction_cell(e.direction, lang),
                    &category_cell(&e.category, lang),
                    &member_cell(r),
                    &text::pad_left(&format_money(e.amount_fen), WIDTHS[5]),
                    &e.handled_by,
                    &e.approved_by,
                    mark(r, lang),
                ],
                &WIDTHS,
                iw,
            );
            let undone = e.reverses_id.is_some() || r.reversed_by.is_some();
            let style = match (i == self.cursor, undone) {
                (true, _) => th.selected(),
                (false, true) => th.dim(),
                _ => Style::default(),
            };
            lines.push(Line::from(Span::styled(s, style)));
        }
        let filtered = self.filter.direction.is_some()
            || self.filter.category.is_some()
            || self.member.is_some()
            || self.period != super::Period::All;
        let empty = if filtered {
            lang.pick(
                "没有符合条件的账目。按 Esc 清除筛选。",
                "No entries here. Esc clears the filters.",
            )
        } else {
            lang.pick(
                "还没有账目。按 i 或 F2 登记收入。",
                "No entries yet. Press i or F2 to record income.",
            )
        };
        let view = ListView {
            title: Line::from(Span::styled(
                lang.pick(" 帮扶基金收支 ", " Fund entries "),
                th.title(),
            )),
            header,
            rows: lines,
            empty: empty.into(),
            footer: paging.footer(lang, Some(("笔", "entries"))),
        };
        paged_list::render(frame, list_area, view, th);

        let totals = match (self.totals(), self.totals_error()) {
            (_, Some(e)) => match lang {
                Lang::Zh => format!(" 所列合计未能统计：{e}"),
                Lang::En => format!(" Listed: totals unavailable: {e}"),
            },
            (None, None) => lang
                .pick(" 所列合计：统计中…", " Listed: summing…")
                .to_string(),
            (Some(t), None) => self.totals_line(t.income_fen, t.payments_fen, lang),
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                text::truncate(&totals, w),
                th.label(),
            ))),
            Rect {
                y: area.bottom() - 3,
                height: 1,
                ..area
            },
        );
        let detail = self
            .selected()
            .map(|r| entry_text(r, lang))
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(table::wrapped(&detail, w, 2, th.dim())),
            Rect {
                y: area.bottom() - 2,
                height: 2,
                ..area
            },
        );
    }

    /// ` 所列合计：收入 …  支出 …  净额 …`
    fn totals_line(&self, inc: i64, out: i64, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                " 所列合计：收入 {}  支出 {}  净额 {}",
                format_money(inc),
                format_money(out),
                format_money(inc - out)
            ),
            Lang::En => format!(
                " Listed: income {}  payments {}  net {}",
                format_money(inc),
                format_money(out),
                format_money(inc - out)
            ),
        }
    }
}
