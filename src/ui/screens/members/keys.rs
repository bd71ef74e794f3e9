//! The keys of the members screen, listed once: `handle_key` looks them up,
//! the hint line and the help draw them.

use ratatui::crossterm::event::KeyCode;

pub use crate::ui::keys::SearchAction;
use crate::ui::keys::{Binding, Key, search_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    Search,
    ClearFilters,
    New,
    Open,
    Edit,
    ChangeStatus,
    FilterStatus,
    FilterMark,
    Reload,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

/// The keys of the list (one list: handling, hints and help).
pub const LIST_BINDINGS: &[Binding<ListAction>] = &[
    Binding {
        action: ListAction::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "搜索",
        en: "Search",
        hint: true,
    },
    Binding {
        action: ListAction::ClearFilters,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "清除搜索和筛选",
        en: "Clear search and filters",
        hint: false,
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
        zh: "新增",
        en: "New",
        hint: true,
    },
    Binding {
        action: ListAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "编辑",
        en: "Edit",
        hint: true,
    },
    Binding {
        action: ListAction::FilterStatus,
        keys: &[Key::ch('f'), Key::f(5)],
        zh: "状态",
        en: "Status filter",
        hint: true,
    },
    Binding {
        action: ListAction::FilterMark,
        keys: &[Key::ch('c'), Key::f(6)],
        zh: "类别",
        en: "Category filter",
        hint: true,
    },
    Binding {
        action: ListAction::ChangeStatus,
        keys: &[Key::ch('x'), Key::f(8)],
        zh: "转出/去世",
        en: "Transfer/decease",
        hint: false,
    },
    Binding {
        action: ListAction::Reload,
        keys: &[Key::ch('r'), Key::ctrl('r')],
        zh: "刷新（读入其他人的修改）",
        en: "Reload (see others' changes)",
        hint: false,
    },
    Binding::up(ListAction::Up),
    Binding::down(ListAction::Down),
    Binding::page_up(ListAction::PageUp),
    Binding::page_down(ListAction::PageDown),
    Binding {
        action: ListAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一位",
        en: "First",
        hint: false,
    },
    Binding {
        action: ListAction::End,
        keys: &[Key::code(KeyCode::End)],
        zh: "最后一位",
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
    NextSection,
    PrevSection,
    Edit,
    ChangeStatus,
    Log,
    Prev,
    Next,
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
        action: DetailAction::NextSection,
        keys: &[Key::code(KeyCode::Tab), Key::code(KeyCode::Right)],
        zh: "应办事项/记录",
        en: "Obligations/history",
        hint: true,
    },
    Binding {
        action: DetailAction::PrevSection,
        keys: &[Key::code(KeyCode::BackTab), Key::code(KeyCode::Left)],
        zh: "上一页签",
        en: "Previous page",
        hint: false,
    },
    Binding {
        action: DetailAction::Edit,
        keys: &[Key::ch('e'), Key::f(4), Key::code(KeyCode::Enter)],
        zh: "编辑",
        en: "Edit",
        hint: true,
    },
    Binding {
        action: DetailAction::ChangeStatus,
        keys: &[Key::ch('x'), Key::f(8)],
        zh: "转出/去世",
        en: "Transfer/decease",
        hint: true,
    },
    Binding {
        action: DetailAction::Log,
        keys: &[Key::f(7)],
        zh: "操作日志",
        en: "Audit log",
        hint: false,
    },
    Binding {
        action: DetailAction::Prev,
        keys: &[Key::code(KeyCode::Up), Key::code(KeyCode::PageUp)],
        zh: "上一位",
        en: "Previous",
        hint: true,
    },
    Binding {
        action: DetailAction::Next,
        keys: &[Key::code(KeyCode::Down), Key::code(KeyCode::PageDown)],
        zh: "下一位",
        en: "Next",
        hint: true,
    },
];
