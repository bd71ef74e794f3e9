//! The results of a round: members per need with the change from the
//! previous round, per ideological state and health, and the follow-up list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::SurveyScreen;
use super::draw::{cut, needs_text};
use crate::domain::Lang;
use crate::domain::survey::{change, signed};
use crate::domain::vocab::{Coded, Health, Ideology, Need};
use crate::ui::env::Env;
use crate::ui::text;

impl SurveyScreen {
    pub(super) fn render_results(&self, frame: &mut Frame, area: Rect, env: &Env) {
        let l = env.lang;
        let th = &env.theme;
        let w = area.width as usize;
        let r = &self.results;
        let round = self.round().map(|r| r.name.as_str()).unwrap_or("");
        let head = match (&r.previous, l) {
            (Some((p, _)), Lang::Zh) => format!(" {round}：{} 人答卷；比较 {p}", r.now.answered),
            (None, Lang::Zh) => format!(" {round}：{} 人答卷", r.now.answered),
            (Some((p, _)), Lang::En) => {
                format!(" {round}: {} answered; against {p}", r.now.answered)
            }
            (None, Lang::En) => format!(" {round}: {} answered", r.now.answered),
        };
        let mut lines = vec![Line::styled(cut(&head, w), th.title())];
        let delta = change(&r.now, r.previous.as_ref().map(|(_, p)| p));
        let nw = 14;
        lines.push(Line::styled(
            format!(
                " {}{}{}    {}",
                text::pad_right(l.pick("需求", "Need"), nw),
                text::pad_left(l.pick("人数", "Members"), 7),
                text::pad_left(l.pick("比上次", "Change"), 8),
                l.pick("思想状况", "Ideology"),
            ),
            th.header(),
        ));
        let mut right: Vec<String> = Vec::new();
        for (i, v) in Ideology::ALL.iter().enumerate() {
            right.push(format!(
                "{} {}",
                text::pad_right(v.label(l), 16),
                r.now.ideology[i]
            ));
        }
        right.push(String::new());
        right.push(l.pick("健康状况", "Health").to_string());
        for (i, v) in Health::ALL.iter().enumerate() {
            right.push(format!(
                "{} {}",
                text::pad_right(v.label(l), 16),
                r.now.health[i]
            ));
        }
        for (i, n) in Need::ALL.iter().enumerate() {
            let d = delta
                .as_ref()
                .map(|d| signed(d[i]))
                .unwrap_or_else(|| "—".into());
            lines.push(Line::from(vec![
                Span::raw(format!(
                    " {}{}{}    ",
                    text::pad_right(&cut(n.label(l), nw), nw),
                    text::pad_left(&r.now.needs[i].to_string(), 7),
                    text::pad_left(&d, 8),
                )),
                Span::styled(
                    right.get(i).cloned().unwrap_or_default(),
                    if i == 4 { th.header() } else { th.text() },
                ),
            ]));
        }
        lines.push(Line::styled(
            match l {
                Lang::Zh => format!(" 需跟进（{} 人）", r.follow_ups.len()),
                Lang::En => format!(" Follow-up ({})", r.follow_ups.len()),
            },
            th.header(),
        ));
        let room = (area.height as usize).saturating_sub(lines.len());
        if r.follow_ups.is_empty() {
            lines.push(Line::styled(l.pick("  无", "  none"), th.dim()));
        }
        for (i, f) in r.follow_ups.iter().enumerate() {
            if i + 1 == room && r.follow_ups.len() > room {
                lines.push(Line::styled(
                    match l {
                        Lang::Zh => format!("  …… 另 {} 人", r.follow_ups.len() - i),
                        Lang::En => format!("  ... {} more", r.follow_ups.len() - i),
                    },
                    th.dim(),
                ));
                break;
            }
            let s = format!(
                "  {}  {}  {}  {}",
                text::pad_right(&cut(&f.member.label(), 18), 18),
                f.ideology.label(l),
                needs_text(&f.needs, l),
                f.note
            );
            lines.push(Line::styled(
                cut(&s, w),
                if f.ideology == Ideology::Stable {
                    th.text()
                } else {
                    th.mark()
                },
            ));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
