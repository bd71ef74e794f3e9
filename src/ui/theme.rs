//! Semantic styles. The default theme uses the 16 named colours only (old
//! consoles and SSH sessions); with `NO_COLOR` set the mono theme uses no
//! colour at all (selection by reverse video, emphasis by bold/underline).
//! `--ascii` draws borders with `+-|` for consoles that draw box lines two
//! cells wide, and every other character such a console draws two cells
//! wide while we count one (`·`, `…`, arrows, dashes) as ASCII
//! ([`ascii_stand_in`], applied to the whole frame by [`to_ascii`]).

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use unicode_width::UnicodeWidthChar;

/// Borders drawn with ASCII only.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// No colour at all.
    pub mono: bool,
    /// `+-|` borders.
    pub ascii: bool,
}

impl Theme {
    pub fn new(mono: bool, ascii: bool) -> Self {
        Theme { mono, ascii }
    }

    /// `NO_COLOR` present and not empty (no-color.org).
    pub fn no_color_from_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    fn pick(&self, colour: Style, mono: Style) -> Style {
        if self.mono { mono } else { colour }
    }

    /// Plain text.
    pub fn text(&self) -> Style {
        Style::new()
    }

    /// The selected row of a list.
    pub fn selected(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// The active tab.
    pub fn tab_active(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    pub fn tab(&self) -> Style {
        Style::new()
    }

    /// Column headers and labels of the detail view.
    pub fn header(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn label(&self) -> Style {
        self.pick(Style::new().fg(Color::Cyan), Style::new())
    }

    /// A block's title.
    pub fn title(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// A key in the hint line and the help.
    pub fn key(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Error text (beside a field, in the status line).
    pub fn error(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// A good outcome in the status line (saved).
    pub fn ok(&self) -> Style {
        self.pick(Style::new().fg(Color::LightGreen), Style::new())
    }

    /// Secondary text: members no longer active, placeholders.
    pub fn dim(&self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Category marks in lists.
    pub fn mark(&self) -> Style {
        self.pick(Style::new().fg(Color::LightMagenta), Style::new())
    }

    /// The label of the focused form field.
    pub fn focus_label(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// The input area of a form field (shows its extent).
    pub fn input(&self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// The input area of the focused field.
    pub fn input_focus(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        )
    }

    /// Borders of popups.
    pub fn popup_border(&self) -> Style {
        self.pick(Style::new().fg(Color::Yellow), Style::new())
    }
}

/// The ASCII character drawn in place of `c` in ASCII mode, when the classic
/// Chinese console (code page 936) draws `c` two cells wide although it
/// takes one (an "ambiguous width" character: `·` `…` `←` `–` `≤` `×` `—`).
/// Full-width characters (`～` `，` `／`) take two cells everywhere and stay.
pub fn ascii_stand_in(c: char) -> Option<char> {
    let to = match c {
        // The middle dots of minority names and their look-alikes.
        '·' | '\u{0387}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22C5}' => '.',
        '…' | '⋯' | '〜' => '~',
        '←' => '<',
        '→' => '>',
        '↑' => '^',
        '↓' => 'v',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '─' | '━' | '−' => '-',
        '│' | '┃' | '‖' => '|',
        '≤' | '«' | '‹' => '<',
        '≥' | '»' | '›' => '>',
        '×' => 'x',
        '÷' => '/',
        '‘' | '’' | '′' => '\'',
        '“' | '”' | '″' => '"',
        '※' | '★' | '☆' | '●' | '○' | '◆' | '◇' | '■' | '□' => '*',
        '√' => 'v',
        '°' => 'o',
        '§' => 'S',
        '±' => '+',
        '¤' => '$',
        _ => {
            // Any other symbol or punctuation of ambiguous width.
            let ambiguous = c.width() == Some(1) && c.width_cjk() == Some(2);
            if ambiguous && ('\u{2000}'..='\u{2BFF}').contains(&c) {
                '?'
            } else {
                return None;
            }
        }
    };
    Some(to)
}

/// Replaces, in a drawn frame, every character [`ascii_stand_in`] knows
/// with its ASCII stand-in: every screen, popup and hint at once, names
/// (阿依古丽.买买提) as well as labels. Each takes one cell, so nothing moves.
pub fn to_ascii(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(a) = ascii_stand_in(c)
        {
            cell.set_char(a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_stand_ins_are_ascii_and_one_cell() {
        for c in "·…←→↑↓–—≤≥×‘’“”─│※•".chars() {
            let a = ascii_stand_in(c).unwrap_or_else(|| panic!("{c} has a stand-in"));
            assert!(a.is_ascii() && !a.is_ascii_control(), "{c} -> {a}");
        }
        // Wide everywhere: drawn as they are measured.
        for c in "～，／、张𠮷".chars() {
            assert_eq!(ascii_stand_in(c), None, "{c}");
        }
        // Letters are left alone.
        for c in "aZ9é".chars() {
            assert_eq!(ascii_stand_in(c), None, "{c}");
        }
        // No symbol or punctuation of ambiguous width is left.
        for c in '\u{2000}'..='\u{2BFF}' {
            if c.width() == Some(1) && c.width_cjk() == Some(2) {
                assert!(ascii_stand_in(c).is_some(), "{c}");
            }
        }
        let mut buf = Buffer::with_lines(["阿依古丽·买买提 ←→ 1–8 …"]);
        to_ascii(&mut buf);
        assert_eq!(buf, Buffer::with_lines(["阿依古丽.买买提 <> 1-8 ~"]));
    }
}
