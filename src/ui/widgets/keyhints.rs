//! The key-hint line at the foot of the screen and the `?`/F1 help overlay,
//! both drawn from the bindings the current screen handles keys with.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::domain::Lang;
use crate::ui::keys::Hint;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Keys as drawn: with `--ascii` the arrows are words, since their one-letter
/// stand-ins (`v` for `↓`, `<` for `←`) would read as other keys.
fn key_text(keys: &str, theme: &Theme) -> String {
    if !theme.ascii {
        return keys.to_string();
    }
    keys.replace("←→", "Left/Right")
        .replace("↑↓", "Up/Down")
        .replace('←', "Left")
        .replace('→', "Right")
        .replace('↑', "Up")
        .replace('↓', "Down")
}

/// One titled group of keys in the help.
#[derive(Debug, Clone)]
pub struct HelpSection {
    pub title: String,
    pub hints: Vec<Hint>,
}

/// `key label  key label …` as far as it fits, then the `fixed` hints
/// (help, quit), which are always shown; no pair is cut in half.
pub fn render_line(frame: &mut Frame, area: Rect, hints: &[Hint], fixed: &[Hint], theme: &Theme) {
    let pair_w = |h: &Hint| text::width(&key_text(&h.hint_keys, theme)) + 1 + text::width(h.label);
    let fixed: Vec<&Hint> = fixed.iter().filter(|h| h.hint).collect();
    let fixed_w: usize = fixed.iter().map(|h| pair_w(h) + 2).sum();
    let max = (area.width as usize).saturating_sub(fixed_w);
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0usize;
    let push = |spans: &mut Vec<Span<'static>>, h: &Hint, gap: usize| {
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(key_text(&h.hint_keys, theme), theme.key()));
        spans.push(Span::styled(format!(" {}", h.label), theme.dim()));
    };
    for h in hints.iter().filter(|h| h.hint) {
        let gap = if spans.is_empty() { 1 } else { 2 };
        if used + gap + pair_w(h) > max {
            break;
        }
        push(&mut spans, h, gap);
        used += gap + pair_w(h);
    }
    for h in fixed {
        let gap = if spans.is_empty() { 1 } else { 2 };
        push(&mut spans, h, gap);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The lines of the help: each section's title, then every key with its label.
pub fn help_lines(sections: &[HelpSection], theme: &Theme) -> Vec<Line<'static>> {
    let key_w = sections
        .iter()
        .flat_map(|s| s.hints.iter())
        .map(|h| text::width(&key_text(&h.keys, theme)))
        .max()
        .unwrap_or(0)
        .min(24);
    let mut lines = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(s.title.clone(), theme.header())));
        for h in &s.hints {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(
                    text::pad_right(&key_text(&h.keys, theme), key_w),
                    theme.key(),
                ),
                Span::raw("  "),
                Span::raw(h.label),
            ]));
        }
    }
    lines
}

/// `s` cut from the left to at most `max` cells, the cut marked with `~`
/// (the end of a path, its file name, is what matters).
pub fn keep_end(s: &str, max: usize) -> String {
    if text::width(s) <= max {
        return s.to_string();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = text::char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('~').chain(tail.into_iter().rev()).collect()
}

/// The help overlay, scrolled by `scroll` lines; `footer` (the open database
/// file) is written on its bottom border, the popup widened for it.
pub fn render_help(
    frame: &mut Frame,
    area: Rect,
    sections: &[HelpSection],
    scroll: usize,
    footer: Option<&str>,
    theme: &Theme,
    lang: Lang,
) {
    let lines = help_lines(sections, theme);
    let footer_w = footer.map_or(0, |f| text::width(f) + 4);
    let w = (lines.iter().map(Line::width).max().unwrap_or(20).max(36) + 4)
        .max(footer_w)
        .min(area.width as usize) as u16;
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = popup::centered(area, w, h);
    popup::clear(frame, r);
    let mut b = popup::block(
        lang.pick("帮助（Esc 关闭，↑↓ 滚动）", "Help (Esc closes, ↑↓ scroll)"),
        theme,
    );
    if let Some(f) = footer {
        let room = (w as usize).saturating_sub(4);
        b = b.title_bottom(Span::styled(
            format!(" {} ", keep_end(f, room)),
            theme.dim(),
        ));
    }
    let inner = b.inner(r);
    frame.render_widget(b, r);
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    let shown: Vec<Line> = lines.into_iter().skip(scroll.min(max_scroll)).collect();
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(shown), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_path_keeps_its_end() {
        assert_eq!(keep_end("/a/b.sqlite", 20), "/a/b.sqlite");
        assert_eq!(keep_end("/home/支部/b.sqlite", 12), "~部/b.sqlite");
        assert_eq!(keep_end("/home/支部/b.sqlite", 14), "~支部/b.sqlite");
        assert_eq!(keep_end("/home/支部/b.sqlite", 11), "~/b.sqlite");
    }

    #[test]
    fn with_ascii_the_arrows_are_words_not_letters_of_other_keys() {
        let ascii = Theme::new(true, true);
        assert_eq!(key_text("↓ j", &ascii), "Down j");
        assert_eq!(key_text("←→", &ascii), "Left/Right");
        assert_eq!(key_text("↑↓", &ascii), "Up/Down");
        assert_eq!(key_text("v F5", &ascii), "v F5");
        assert_eq!(key_text("↓ j", &Theme::new(true, false)), "↓ j");
    }
}
