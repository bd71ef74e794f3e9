//! The keys of the incentives tab, listed once per view: `handle_key` looks
//! them up, the hint line and the help draw them. Every action has a key
//! without a letter (an input method in Chinese mode swallows letters).

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key, SearchAction, search_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The next view: honours → discipline → assessments → birthdays.
    View,
    New,
    /// `/`: find a member in the honours or the disciplines.
    Search,
    /// Esc: the search emptied.
    Clear,
    /// Enter: the selected record with its history (its log).
    Open,
    /// `e`: says how a wrong record is put right (they are not edited).
    Edit,
    Year,
    Level,
    /// Start grading (number keys give the grade).
    Grade,
    Pay,
    Up,
    Down,
    PageUp,
    PageDown,
}

const VIEW: Binding<Action> = Binding {
    action: Action::View,
    keys: &[Key::ch('v'), Key::f(5)],
    zh: "切换视图",
    en: "View",
    hint: true,
};

/// The keys while typing in the search (everything else is typed).
pub const SEARCH_BINDINGS: &[Binding<SearchAction>] =
    &search_bindings("清除查找", "Clear the search");

const SEARCH: Binding<Action> = Binding {
    action: Action::Search,
    keys: crate::ui::keys::SEARCH_KEYS,
    zh: "查找党员",
    en: "Find a member",
    hint: false,
};

const CLEAR: Binding<Action> = Binding {
    action: Action::Clear,
    keys: &[Key::code(KeyCode::Esc)],
    zh: "清除查找",
    en: "Clear the search",
    hint: false,
};

const OPEN: Binding<Action> = Binding {
    action: Action::Open,
    keys: &[Key::code(KeyCode::Enter), Key::f(7)],
    zh: "查看此条（日志）",
    en: "Open it (its log)",
    hint: false,
};

const EDIT: Binding<Action> = Binding {
    action: Action::Edit,
    keys: crate::ui::keys::EDIT_KEYS,
    zh: "修改（如何更正）",
    en: "Edit (how to correct)",
    hint: false,
};

const MOVES: [Binding<Action>; 4] = [
    Binding::up(Action::Up),
    Binding::down(Action::Down),
    Binding::page_up(Action::PageUp),
    Binding::page_down(Action::PageDown),
];

pub const HONOUR_BINDINGS: &[Binding<Action>] = &[
    VIEW,
    Binding {
        action: Action::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新表彰",
        en: "New honour",
        hint: true,
    },
    Binding {
        action: Action::Year,
        keys: &[Key::ch('y'), Key::f(6)],
        zh: "年度",
        en: "Year",
        hint: true,
    },
    Binding {
        action: Action::Level,
        keys: &[Key::ch('l'), Key::f(8)],
        zh: "级别",
        en: "Level",
        hint: true,
    },
    SEARCH,
    OPEN,
    EDIT,
    CLEAR,
    MOVES[0],
    MOVES[1],
    MOVES[2],
    MOVES[3],
];

pub const DISCIPLINE_BINDINGS: &[Binding<Action>] = &[
    VIEW,
    Binding {
        action: Action::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新处分",
        en: "New discipline",
        hint: true,
    },
    SEARCH,
    OPEN,
    EDIT,
    CLEAR,
    MOVES[0],
    MOVES[1],
    MOVES[2],
    MOVES[3],
];

pub const ASSESS_BINDINGS: &[Binding<Action>] = &[
    VIEW,
    Binding {
        action: Action::Grade,
        keys: &[Key::code(KeyCode::Enter), Key::ch('g')],
        zh: "评定等次",
        en: "Grade",
        hint: true,
    },
    Binding {
        action: Action::Year,
        keys: &[Key::ch('y'), Key::f(6)],
        zh: "年度",
        en: "Year",
        hint: true,
    },
    Binding {
        action: Action::Pay,
        keys: &[Key::ch('p'), Key::f(9)],
        zh: "发放奖励",
        en: "Pay bonuses",
        hint: true,
    },
    MOVES[0],
    MOVES[1],
    MOVES[2],
    MOVES[3],
];

pub const BIRTHDAY_BINDINGS: &[Binding<Action>] = &[VIEW, MOVES[0], MOVES[1], MOVES[2], MOVES[3]];

/// While grading: a number gives the selected member's grade and moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeAction {
    Excellent,
    Good,
    Pass,
    Fail,
    Done,
    Up,
    Down,
}

pub const GRADING_BINDINGS: &[Binding<GradeAction>] = &[
    Binding {
        action: GradeAction::Excellent,
        keys: &[Key::ch('1')],
        zh: "优秀",
        en: "Excellent",
        hint: true,
    },
    Binding {
        action: GradeAction::Good,
        keys: &[Key::ch('2')],
        zh: "良好",
        en: "Good",
        hint: true,
    },
    Binding {
        action: GradeAction::Pass,
        keys: &[Key::ch('3')],
        zh: "合格",
        en: "Pass",
        hint: true,
    },
    Binding {
        action: GradeAction::Fail,
        keys: &[Key::ch('4')],
        zh: "不合格",
        en: "Fail",
        hint: true,
    },
    Binding {
        action: GradeAction::Done,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Enter)],
        zh: "结束评定",
        en: "Done",
        hint: true,
    },
    Binding::up(GradeAction::Up),
    Binding::down(GradeAction::Down),
];
