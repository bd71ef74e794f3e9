//! The keys of the survey tab, listed once per view: `handle_key` looks them
//! up, the hint line and the help draw them. Every action has a key without
//! a letter (an input method in Chinese mode swallows letters); in the
//! data-entry form digits choose and toggle, so its keys are F-keys.

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundAction {
    Enter,
    Find,
    New,
    Edit,
    Close,
    Results,
    Up,
    Down,
}

pub const ROUND_BINDINGS: &[Binding<RoundAction>] = &[
    Binding {
        action: RoundAction::Enter,
        keys: &[Key::code(KeyCode::Enter), Key::f(5)],
        zh: "逐份登记",
        en: "Data entry",
        hint: true,
    },
    Binding {
        action: RoundAction::Find,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "找人",
        en: "Find",
        hint: true,
    },
    Binding {
        action: RoundAction::Results,
        keys: &[Key::ch('r'), Key::f(6)],
        zh: "结果",
        en: "Results",
        hint: true,
    },
    Binding {
        action: RoundAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新建调查",
        en: "New round",
        hint: true,
    },
    Binding {
        action: RoundAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改调查",
        en: "Edit round",
        hint: false,
    },
    Binding {
        action: RoundAction::Close,
        keys: &[Key::ch('c'), Key::f(8)],
        zh: "结束调查",
        en: "Close round",
        hint: false,
    },
    Binding::up(RoundAction::Up),
    Binding::down(RoundAction::Down),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryAction {
    Save,
    Next,
    Prev,
    CarryOver,
    IdeologyEvent,
    Hardship,
    Find,
    Skip,
    Left,
    Right,
    Toggle,
    Back,
}

pub const ENTRY_BINDINGS: &[Binding<EntryAction>] = &[
    Binding {
        action: EntryAction::Save,
        keys: &[Key::f(9), Key::ctrl('s')],
        zh: "保存并下一位",
        en: "Save, next",
        hint: true,
    },
    Binding {
        action: EntryAction::CarryOver,
        keys: &[Key::f(5)],
        zh: "沿用上次",
        en: "As last round",
        hint: true,
    },
    Binding {
        action: EntryAction::IdeologyEvent,
        keys: &[Key::f(6)],
        zh: "记思想波动",
        en: "Ideology event",
        hint: true,
    },
    Binding {
        action: EntryAction::Hardship,
        keys: &[Key::f(7)],
        zh: "困难申请",
        en: "Hardship case",
        hint: true,
    },
    Binding {
        action: EntryAction::Find,
        keys: &[Key::f(3)],
        zh: "找人",
        en: "Find",
        hint: false,
    },
    Binding {
        action: EntryAction::Skip,
        keys: &[Key::f(4), Key::code(KeyCode::PageDown)],
        zh: "跳过此人",
        en: "Skip",
        hint: false,
    },
    Binding {
        action: EntryAction::Next,
        keys: &[
            Key::code(KeyCode::Enter),
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::Down),
        ],
        zh: "下一项",
        en: "Next field",
        hint: false,
    },
    Binding {
        action: EntryAction::Prev,
        keys: &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Up)],
        zh: "上一项",
        en: "Previous field",
        hint: false,
    },
    Binding {
        action: EntryAction::Left,
        keys: &[Key::code(KeyCode::Left)],
        zh: "上一选项",
        en: "Previous choice",
        hint: false,
    },
    Binding {
        action: EntryAction::Right,
        keys: &[Key::code(KeyCode::Right)],
        zh: "下一选项",
        en: "Next choice",
        hint: false,
    },
    Binding {
        action: EntryAction::Toggle,
        keys: &[Key::code(KeyCode::Char(' '))],
        zh: "勾选（需求、需跟进）",
        en: "Tick (needs, follow-up)",
        hint: false,
    },
    Binding {
        action: EntryAction::Back,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainAction {
    Save,
    Next,
    Back,
}

/// The keys of the small forms (new round, find a member) and the results.
pub const PLAIN_BINDINGS: &[Binding<PlainAction>] = &[
    Binding {
        action: PlainAction::Save,
        keys: &[Key::f(9), Key::ctrl('s')],
        zh: "确定",
        en: "OK",
        hint: true,
    },
    Binding {
        action: PlainAction::Next,
        keys: &[Key::code(KeyCode::Enter), Key::code(KeyCode::Tab)],
        zh: "下一项/确定",
        en: "Next / OK",
        hint: true,
    },
    Binding {
        action: PlainAction::Back,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
];
