//! The keys of the hardship ledger, listed once per view: `handle_key` looks
//! them up, the hint line and the help draw them. Every action has a key
//! without a letter (an input method in Chinese mode swallows letters).

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key, SearchAction, search_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    Search,
    Open,
    New,
    Edit,
    Year,
    State,
    Category,
    Priority,
    Notice,
    Log,
    Clear,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

pub const LIST_BINDINGS: &[Binding<ListAction>] = &[
    Binding {
        action: ListAction::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "搜索",
        en: "Search",
        hint: true,
    },
    Binding {
        action: ListAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "查看",
        en: "Open",
        hint: true,
    },
    Binding {
        action: ListAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新建",
        en: "New",
        hint: true,
    },
    Binding {
        action: ListAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改",
        en: "Edit",
        hint: false,
    },
    Binding {
        action: ListAction::Year,
        keys: &[Key::ch('y'), Key::f(5)],
        zh: "年度",
        en: "Year",
        hint: true,
    },
    Binding {
        action: ListAction::State,
        keys: &[Key::ch('f'), Key::f(6)],
        zh: "状态",
        en: "State",
        hint: true,
    },
    Binding {
        action: ListAction::Category,
        keys: &[Key::ch('c'), Key::f(8)],
        zh: "类型",
        en: "Category",
        hint: true,
    },
    Binding {
        action: ListAction::Priority,
        keys: &[Key::ch('p'), Key::f(9)],
        zh: "缓急",
        en: "Priority",
        hint: false,
    },
    Binding {
        action: ListAction::Notice,
        keys: &[Key::ch('g'), Key::f(11)],
        zh: "公示（写入文件）",
        en: "Public notice (to a file)",
        hint: false,
    },
    Binding {
        action: ListAction::Log,
        keys: &[Key::f(7)],
        zh: "本台账日志",
        en: "Its log",
        hint: false,
    },
    Binding {
        action: ListAction::Clear,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "清除搜索和筛选",
        en: "Clear search and filters",
        hint: false,
    },
    Binding::up(ListAction::Up),
    Binding::down(ListAction::Down),
    Binding::page_up(ListAction::PageUp),
    Binding::page_down(ListAction::PageDown),
    Binding {
        action: ListAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一份",
        en: "First",
        hint: false,
    },
    Binding {
        action: ListAction::End,
        keys: &[Key::code(KeyCode::End)],
        zh: "最后一份",
        en: "Last",
        hint: false,
    },
];

/// The keys while typing in the search box (everything else is typed).
pub const SEARCH_BINDINGS: &[Binding<SearchAction>] =
    &search_bindings("清除搜索", "Clear the search");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailAction {
    Back,
    Step,
    Review,
    Measure,
    Action,
    Helper,
    Visit,
    Edit,
    Log,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
}

pub const DETAIL_BINDINGS: &[Binding<DetailAction>] = &[
    Binding {
        action: DetailAction::Back,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
    Binding {
        action: DetailAction::Step,
        // Enter: the case is already open, so Enter goes on with it
        keys: &[Key::ch('s'), Key::f(5), Key::code(KeyCode::Enter)],
        zh: "办理步骤",
        en: "Next step",
        hint: true,
    },
    Binding {
        action: DetailAction::Review,
        keys: &[Key::ch('r'), Key::f(6)],
        zh: "年审",
        en: "Review",
        hint: true,
    },
    Binding {
        action: DetailAction::Visit,
        // the new record of a case's page is a visit (`n` as everywhere)
        keys: &[
            Key::ch('v'),
            Key::ch('n'),
            Key::f(2),
            Key::code(KeyCode::Insert),
        ],
        zh: "登记走访",
        en: "Visit",
        hint: true,
    },
    Binding {
        action: DetailAction::Measure,
        keys: &[Key::ch('m'), Key::f(8)],
        zh: "措施",
        en: "Measure",
        hint: true,
    },
    Binding {
        action: DetailAction::Action,
        keys: &[Key::ch('a'), Key::f(9)],
        zh: "帮扶记录",
        en: "Help given",
        hint: true,
    },
    Binding {
        action: DetailAction::Helper,
        keys: &[Key::ch('h'), Key::f(11)],
        zh: "结对",
        en: "Pair",
        hint: false,
    },
    Binding {
        action: DetailAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改",
        en: "Edit",
        hint: false,
    },
    Binding {
        action: DetailAction::Log,
        keys: &[Key::f(7)],
        zh: "本台账日志",
        en: "Its log",
        hint: false,
    },
    Binding::up(DetailAction::Up),
    Binding::down(DetailAction::Down),
    Binding::page_up(DetailAction::PageUp),
    Binding::page_down(DetailAction::PageDown),
    Binding {
        action: DetailAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "回到顶部",
        en: "Top",
        hint: false,
    },
];
