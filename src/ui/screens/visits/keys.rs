//! The keys of the talks & visits screen, listed once per mode:
//! `handle_key` looks them up, the hint line and the help draw them.

use ratatui::crossterm::event::KeyCode;

use crate::ui::keys::{Binding, Key, SearchAction, search_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsAction {
    Open,
    Search,
    New,
    Edit,
    Void,
    Log,
    Type,
    Period,
    Campaign,
    Campaigns,
    Clear,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
}

pub const RECORD_BINDINGS: &[Binding<RecordsAction>] = &[
    Binding {
        action: RecordsAction::Search,
        keys: crate::ui::keys::SEARCH_KEYS,
        zh: "按党员",
        en: "By member",
        hint: true,
    },
    Binding {
        action: RecordsAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新增",
        en: "New",
        hint: true,
    },
    Binding {
        action: RecordsAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "打开（作废的看日志）",
        en: "Open (voided: its log)",
        hint: false,
    },
    Binding {
        action: RecordsAction::Edit,
        keys: crate::ui::keys::EDIT_KEYS,
        zh: "修改",
        en: "Edit",
        hint: true,
    },
    Binding {
        action: RecordsAction::Void,
        keys: &[Key::code(KeyCode::Delete)],
        zh: "作废",
        en: "Void",
        hint: true,
    },
    Binding {
        action: RecordsAction::Log,
        keys: &[Key::f(7)],
        zh: "本条日志",
        en: "Its log",
        hint: false,
    },
    Binding {
        action: RecordsAction::Type,
        keys: &[Key::ch('t'), Key::f(5)],
        zh: "类型",
        en: "Type",
        hint: true,
    },
    Binding {
        action: RecordsAction::Period,
        keys: &[Key::ch('p'), Key::f(6)],
        zh: "期间",
        en: "Period",
        hint: true,
    },
    Binding {
        action: RecordsAction::Campaign,
        keys: &[Key::ch('c'), Key::f(8)],
        zh: "按活动",
        en: "By campaign",
        hint: false,
    },
    Binding {
        action: RecordsAction::Campaigns,
        keys: &[Key::code(KeyCode::Tab), Key::ch('a')],
        zh: "活动",
        en: "Campaigns",
        hint: true,
    },
    Binding {
        action: RecordsAction::Clear,
        keys: &[Key::code(KeyCode::Esc)],
        zh: "清除筛选",
        en: "Clear filters",
        hint: false,
    },
    Binding::up(RecordsAction::Up),
    Binding::down(RecordsAction::Down),
    Binding::page_up(RecordsAction::PageUp),
    Binding::page_down(RecordsAction::PageDown),
    Binding {
        action: RecordsAction::Home,
        keys: &[Key::code(KeyCode::Home)],
        zh: "第一页",
        en: "First page",
        hint: false,
    },
];

pub const SEARCH_BINDINGS: &[Binding<SearchAction>] = &search_bindings("清除", "Clear");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignsAction {
    Open,
    New,
    Back,
    Up,
    Down,
}

pub const CAMPAIGN_BINDINGS: &[Binding<CampaignsAction>] = &[
    Binding {
        action: CampaignsAction::Open,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "未走访名单",
        en: "Not yet visited",
        hint: true,
    },
    Binding {
        action: CampaignsAction::New,
        keys: crate::ui::keys::NEW_KEYS,
        zh: "新建活动",
        en: "New campaign",
        hint: true,
    },
    Binding {
        action: CampaignsAction::Back,
        keys: &[
            Key::code(KeyCode::Tab),
            Key::code(KeyCode::Esc),
            Key::ch('a'),
        ],
        zh: "记录列表",
        en: "Records",
        hint: true,
    },
    Binding {
        action: CampaignsAction::Up,
        keys: &[Key::code(KeyCode::Up), Key::ch('k')],
        zh: "上一个",
        en: "Up",
        hint: false,
    },
    Binding {
        action: CampaignsAction::Down,
        keys: &[Key::code(KeyCode::Down), Key::ch('j')],
        zh: "下一个",
        en: "Down",
        hint: false,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandingAction {
    Visit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
}

pub const STANDING_BINDINGS: &[Binding<StandingAction>] = &[
    Binding {
        action: StandingAction::Visit,
        keys: &[Key::code(KeyCode::Enter)],
        zh: "登记走访",
        en: "Record a visit",
        hint: true,
    },
    Binding {
        action: StandingAction::Back,
        keys: &[Key::code(KeyCode::Esc), Key::code(KeyCode::Backspace)],
        zh: "返回活动列表",
        en: "Back",
        hint: true,
    },
    Binding::up(StandingAction::Up),
    Binding::down(StandingAction::Down),
    Binding::page_up(StandingAction::PageUp),
    Binding::page_down(StandingAction::PageDown),
];
