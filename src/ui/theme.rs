//! Semantic styles. The default theme uses the 16 named colours only (old
//! consoles and SSH sessions); with `NO_COLOR` set the mono theme uses no
//! colour at all (selection by reverse video, emphasis by bold/underline).
//! `--ascii` draws borders with `+-|` for consoles that draw box lines two
//! cells wide.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

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
