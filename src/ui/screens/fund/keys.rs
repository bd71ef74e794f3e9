//! The keys of the help fund, listed once per view: `handle_key` looks them
//! up, the hint line and the help draw them. Every action has a key without
//! a letter (an input method in Chinese mode swallows letters).

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key, SearchAction, search_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    New,
    Edit,
    Search,
    Income,
    Payment,
    Reverse,
    Period,
    Direction,
    Category,
    Loans,
    Audits,
    Subsidy,
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
        action: ListAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新增账目",
        en: "New entry",
        hint: true,
    },
    Binding {
        action: ListAction::Income,
        keys: &[Key::ch('i')],
        zh: "收入",
        en: "Income",
        hint: false,
    },
    Binding {
        action: ListAction::Payment,
        keys: &[Key::ch('o'), Key::f(5)],
        zh: "支出",
        en: "Payment",
        hint: true,
    },
    Binding {
        action: ListAction::Reverse,
        keys: &[Key::ch('r'), Key::code(KeyCode::Delete)],
        zh: "冲销",
        en: "Reverse",
        hint: true,
    },
    Binding {
        action: ListAction::Period,
        keys: &[Key::ch('t'), Key::f(6)],
        zh: "期间",
        en: "Period",
        hint: true,
    },
    Binding {
        action: ListAction::Loans,
        keys: &[Key::ch('l'), Key::f(11)],
        zh: "借款",
        en: "Loans",
        hint: true,
    },
    Binding {
        action: ListAction::Audits,
        keys: &[Key::ch('a'), Key::ctrl('r')],
        zh: "审计",
        en: "Audits",
        hint: true,
    },
    Binding {
        action: ListAction::Subsidy,
        keys: &[Key::ch('s'), Key::ctrl('p')],
        zh: "生活补贴",
        en: "Subsidies",
        hint: true,
    },
    Binding {
        action: ListAction::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "按党员",
        en: "By member",
        hint: false,
    },
    Binding {
        action: ListAction::Direction,
        keys: &[Key::ch('d'), Key::f(8)],
        zh: "收支方向",
        en: "Direction",
        hint: false,
    },
    Binding {
        action: ListAction::Category,
        keys: &[Key::ch('c'), Key::f(9)],
        zh: "类别",
        en: "Category",
        hint: false,
    },
    Binding {
        action: ListAction::Notice,
        keys: &[Key::ch('g'), Key::ctrl('g')],
        zh: "救助公示（写入文件）",
        en: "Public notice (to a file)",
        hint: false,
    },
    Binding {
        action: ListAction::Log,
        keys: &[Key::code(KeyCode::Enter), Key::f(7)],
        zh: "查看此笔（日志）",
        en: "Open it (its log)",
        hint: false,
    },
    Binding {
        action: ListAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改（账目不改，冲销后重记）",
        en: "Edit (entries are reversed, not edited)",
        hint: false,
    },
    Binding {
        action: ListAction::Clear,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "清除筛选",
        en: "Clear filters",
        hint: false,
    },
    Binding::up(ListAction::Up),
    Binding::down(ListAction::Down),
    Binding::page_up(ListAction::PageUp),
    Binding::page_down(ListAction::PageDown),
    Binding {
        action: ListAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一笔",
        en: "First",
        hint: false,
    },
    Binding {
        action: ListAction::End,
        keys: &[Key::code(KeyCode::End)],
        zh: "最后一笔",
        en: "Last",
        hint: false,
    },
];

/// The keys while typing a member in the filter (everything else is typed).
pub const SEARCH_BINDINGS: &[Binding<SearchAction>] =
    &search_bindings("清除党员筛选", "Clear the member filter");

/// The keys of the loans (无息借款) and the audits (定时审计) views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubAction {
    Back,
    Edit,
    Open,
    New,
    Repay,
    Write,
    Up,
    Down,
    PageUp,
    PageDown,
}

pub const LOAN_BINDINGS: &[Binding<SubAction>] = &[
    Binding {
        action: SubAction::Back,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
    Binding {
        action: SubAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "还款计划",
        en: "Schedule",
        hint: true,
    },
    Binding {
        action: SubAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新借款",
        en: "New loan",
        hint: true,
    },
    Binding {
        action: SubAction::Repay,
        keys: &[Key::ch('r'), Key::f(5)],
        zh: "登记还款",
        en: "Repayment",
        hint: true,
    },
    Binding {
        action: SubAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改（账目不改）",
        en: "Edit (entries are not edited)",
        hint: false,
    },
    Binding::up(SubAction::Up),
    Binding::down(SubAction::Down),
    Binding::page_up(SubAction::PageUp),
    Binding::page_down(SubAction::PageDown),
];

pub const AUDIT_BINDINGS: &[Binding<SubAction>] = &[
    Binding {
        action: SubAction::Back,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        zh: "返回",
        en: "Back",
        hint: true,
    },
    Binding {
        action: SubAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "审计报告",
        en: "Report",
        hint: true,
    },
    Binding {
        action: SubAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "审计结账",
        en: "Close a period",
        hint: true,
    },
    Binding {
        action: SubAction::Write,
        keys: &[Key::ch('w'), Key::f(6)],
        zh: "报告写入文件",
        en: "Report to a file",
        hint: true,
    },
    Binding {
        action: SubAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改（结账后不改）",
        en: "Edit (closed audits are not)",
        hint: false,
    },
    Binding::up(SubAction::Up),
    Binding::down(SubAction::Down),
    Binding::page_up(SubAction::PageUp),
    Binding::page_down(SubAction::PageDown),
];
