//! Drawing the app: tab bar, the screen, the popups, the status line and the
//! key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::*;
use crate::ui::keys::{Hint, hints};
use crate::ui::text;
use crate::ui::widgets::keyhints::{self, HelpSection};

impl App {
    /// The hints of what has the keys now: the top popup, else the screen.
    /// `below_help`: of what is under the help overlay.
    pub(super) fn current_hints(&self, below_help: bool) -> (String, Vec<Hint>) {
        let lang = self.env.lang;
        let popups: &[Popup] = match self.popups.split_last() {
            Some((Popup::Help { .. }, rest)) if below_help => rest,
            _ => &self.popups,
        };
        match (popups.last(), self.current()) {
            (Some(p), _) => p.hints(lang),
            (None, Some(s)) => s.hints(lang),
            (None, None) => (String::new(), Vec::new()),
        }
    }

    /// The keys that hold everywhere, as far as they work where the help
    /// was opened: above a popup or while the clerk types into a field only
    /// F1 and F10 (letters and digits are typed); number keys only for tabs
    /// that exist.
    fn global_hints(&self, over_popup: bool) -> Vec<Hint> {
        let lang = self.env.lang;
        if over_popup || self.typing() {
            return hints(stack::POPUP_GLOBAL_BINDINGS, lang);
        }
        let mut h = hints(GLOBAL_BINDINGS, lang);
        let tabs: Vec<String> = Tab::ALL
            .iter()
            .filter(|t| t.available())
            .map(|t| t.number().to_string())
            .collect();
        if let Some(switch) = h.last_mut() {
            switch.keys = tabs.join(" ");
        }
        h
    }

    /// True while the clerk types into a field of the screen.
    fn typing(&self) -> bool {
        self.current().is_some_and(|s| s.text_focus())
    }

    /// The sections of the help overlay: the keys of what is under it, then
    /// the keys that hold everywhere.
    pub fn help_sections(&self) -> Vec<HelpSection> {
        let lang = self.env.lang;
        let (title, h) = self.current_hints(true);
        let over_popup = self.popups.len() > 1;
        vec![
            HelpSection { title, hints: h },
            HelpSection {
                title: lang.pick("全局", "Everywhere").into(),
                hints: self.global_hints(over_popup),
            },
        ]
    }

    /// `数据库：PATH`, and that it is the demo's, for the help overlay.
    pub fn database_line(&self) -> Option<String> {
        let d = self.database.as_ref()?;
        let lang = self.env.lang;
        let demo = if d.demo {
            lang.pick("（演示数据）", " (demo data)")
        } else {
            ""
        };
        Some(format!(
            "{}{}{demo}",
            lang.pick("数据库：", "database: "),
            crate::domain::safe_text::for_terminal(&d.path)
        ))
    }

    /// The smallest terminal the current screen can be drawn in (its body,
    /// the tab bar, the status and hint lines).
    pub fn min_size(&self) -> (u16, u16) {
        let (w, h) = self.current().map_or((20, 1), |s| s.min_body());
        (w.max(20), h + 3)
    }

    /// Draws the whole screen from the state.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let (min_w, min_h) = self.min_size();
        if area.width < min_w || area.height < min_h {
            // One line rather than a blank or a garbled screen.
            let msg = match self.env.lang {
                Lang::Zh => format!("窗口太小，请放大到至少 {min_w}x{min_h}"),
                Lang::En => format!("Window too small: make it at least {min_w}x{min_h}"),
            };
            let msg = text::truncate(&msg, area.width as usize);
            frame.render_widget(Paragraph::new(msg), Rect { height: 1, ..area });
            return;
        }
        let th = &self.env.theme;
        let lang = self.env.lang;
        let tab_bar = Rect { height: 1, ..area };
        let body = Rect {
            y: area.y + 1,
            height: body_height(area.height),
            ..area
        };
        let status_row = Rect {
            y: area.bottom() - 2,
            height: 1,
            ..area
        };
        let hint_row = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };

        // The tab bar: the screens that exist, then the title on the right.
        // Eight tabs do not fit in 80 columns spaced out: then closer
        // together, then with short names (English), and when even that is
        // too wide the tabs not shown by number only.
        let available: Vec<Tab> = Tab::ALL.into_iter().filter(|t| t.available()).collect();
        let layouts: [&dyn Fn(Tab) -> (String, &'static str); 4] = [
            &|t| (format!(" {} {} ", t.number(), t.label(lang)), " "),
            &|t| (format!(" {} {}", t.number(), t.label(lang)), " "),
            &|t| (format!(" {} {}", t.number(), t.short_label(lang)), ""),
            &|t| {
                if t == self.tab {
                    (format!(" {} {} ", t.number(), t.label(lang)), "")
                } else {
                    (format!(" {} ", t.number()), "")
                }
            },
        ];
        let width_of = |l: &dyn Fn(Tab) -> (String, &'static str)| -> usize {
            available
                .iter()
                .map(|&t| {
                    let (s, gap) = l(t);
                    text::width(&s) + gap.len()
                })
                .sum()
        };
        // Room is kept for the demo mark on sample data (it must show), and
        // for the date when a layout leaves it.
        let mark_w = if self.database.as_ref().is_some_and(|d| d.demo) {
            text::width(lang.pick("【演示数据】 ", "[DEMO DATA] ")) + 1
        } else {
            0
        };
        let layout = [mark_w + 12, mark_w]
            .iter()
            .find_map(|keep| {
                layouts[..3]
                    .iter()
                    .find(|l| width_of(**l) + keep <= area.width as usize)
            })
            .unwrap_or(&layouts[3]);
        let mut spans: Vec<Span> = Vec::new();
        for &t in &available {
            let (s, gap) = layout(t);
            spans.push(Span::styled(
                s,
                if t == self.tab {
                    th.tab_active()
                } else {
                    th.tab()
                },
            ));
            if !gap.is_empty() {
                spans.push(Span::raw(gap));
            }
        }
        // The title on the right: in full, else shorter, never dropped for want of room.
        let today = crate::domain::dates::fmt(self.env.today);
        let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        let room = (area.width as usize).saturating_sub(used);
        let mark = self
            .database
            .as_ref()
            .is_some_and(|d| d.demo)
            // Sample data must not be taken for the branch's own.
            .then(|| format!("{} ", lang.pick("【演示数据】", "[DEMO DATA]")));
        let titles = [
            lang.pick(
                "关怀·党员关怀帮扶台账",
                "guanhuai · party branch care ledger",
            ),
            lang.pick("关怀", "guanhuai"),
        ];
        let rest = titles
            .iter()
            .map(|name| format!("{name} {today} "))
            // The demo mark outlasts the date: it goes last.
            .chain([format!("{today} "), String::new()])
            .find(|t| room > text::width(t) + mark.as_deref().map_or(0, text::width));
        if let Some(rest) = rest {
            let w = text::width(&rest) + mark.as_deref().map_or(0, text::width);
            spans.push(Span::raw(" ".repeat(room - w)));
            if let Some(mark) = mark {
                spans.push(Span::styled(mark, th.error()));
            }
            spans.push(Span::styled(rest, th.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), tab_bar);

        let focused = self.popups.is_empty();
        if let Some(screen) = self.current() {
            screen.render(frame, body, &self.env, focused);
        }
        for p in &self.popups {
            match p {
                // Above the hint line, which lists the help's own keys.
                Popup::Help { scroll } => keyhints::render_help(
                    frame,
                    Rect {
                        height: area.height.saturating_sub(1),
                        ..area
                    },
                    &self.help_sections(),
                    *scroll,
                    self.database_line().as_deref(),
                    th,
                    lang,
                ),
                other => other.render(frame, body, area, &self.env),
            }
        }

        if let Some(s) = &self.status {
            let style = match s.kind {
                StatusKind::Info => th.text(),
                StatusKind::Ok => th.ok(),
                StatusKind::Error => th.error(),
            };
            let msg = text::truncate(&format!(" {}", s.text), area.width as usize);
            frame.render_widget(Paragraph::new(Span::styled(msg, style)), status_row);
        }
        let (_, h) = self.current_hints(false);
        let fixed = match (self.popups.is_empty(), self.typing()) {
            (true, false) => hints(&GLOBAL_BINDINGS[..2], lang),
            (true, true) => hints(stack::POPUP_GLOBAL_BINDINGS, lang),
            (false, _) => Vec::new(),
        };
        keyhints::render_line(frame, hint_row, &h, &fixed, th);
        blank_covered_cells(frame.buffer_mut());
        if th.ascii {
            crate::ui::theme::to_ascii(frame.buffer_mut());
        }
    }
}

/// Makes every cell covered by a wide character blank, as
/// `Buffer::set_stringn` leaves it. A `Paragraph` drawn over cells already
/// written in this frame (page names over a border, a popup's text over the
/// screen) only skips the cells under its wide characters, so they keep the
/// border's `─`. The frame diff then takes the cell for unchanged when the
/// next frame puts `─` there again, while the terminal blanked it together
/// with the wide character: gaps `── ─ ─ ─ ───` stay in the border.
fn blank_covered_cells(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let w = text::width(buf[(x, y)].symbol()).max(1) as u16;
            for cx in x + 1..(x + w).min(area.right()) {
                buf[(cx, y)].reset();
            }
            x += w;
        }
    }
}
