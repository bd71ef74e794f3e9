//! The keys of the statistics tab, listed once: `handle_key` looks them up,
//! the hint line and the help draw them. Every action has a key without a
//! letter (an input method in Chinese mode swallows letters).

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsAction {
    NextPage,
    PreviousPage,
    PreviousMonth,
    NextMonth,
    Today,
    Report,
    Edit,
    Up,
    Down,
}

pub const STATS_BINDINGS: &[Binding<StatsAction>] = &[
    Binding {
        action: StatsAction::NextPage,
        keys: &[
            Key::code(KeyCode::Right),
            Key::ch('l'),
            Key::code(KeyCode::Tab),
        ],
        zh: "下一部分",
        en: "Next",
        hint: true,
    },
    Binding {
        action: StatsAction::PreviousPage,
        keys: &[
            Key::code(KeyCode::Left),
            Key::ch('h'),
            Key::code(KeyCode::BackTab),
        ],
        zh: "上一部分",
        en: "Previous part",
        hint: false,
    },
    Binding {
        action: StatsAction::PreviousMonth,
        keys: &[Key::ch('['), Key::code(KeyCode::PageUp)],
        zh: "上月末",
        en: "Prev month",
        hint: true,
    },
    Binding {
        action: StatsAction::NextMonth,
        keys: &[Key::ch(']'), Key::code(KeyCode::PageDown)],
        zh: "下月末",
        en: "Next month",
        hint: true,
    },
    Binding {
        action: StatsAction::Today,
        keys: &[Key::ch('t'), Key::code(KeyCode::Home)],
        zh: "今天",
        en: "Today",
        hint: true,
    },
    Binding {
        action: StatsAction::Report,
        keys: &[Key::code(KeyCode::Enter), Key::ch('x'), Key::f(6)],
        zh: "报表",
        en: "Report",
        hint: true,
    },
    Binding {
        action: StatsAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改（数字由各页算出）",
        en: "Edit (figures come from the other tabs)",
        hint: false,
    },
    Binding::up(StatsAction::Up),
    Binding::down(StatsAction::Down),
];
