//! DOMAIN.md "Screens and keys": `/` or `F3` search, `n`, `F2` or `Insert`
//! new record, `Enter` open, `e` or `F4` edit hold everywhere outside a text
//! field. On the first view of every tab of the demo, each of these keys
//! changes what the clerk sees: a form, a search box, a record's log, or a
//! line saying why there is nothing of the kind there. Only the views with
//! nothing to search, add or edit answer with that line.

mod common;

use common::pty::TODAY;
use common::screen::{d, key, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config, Tab};
use guanhuai::ui::screens::overview::OverviewScreen;
use ratatui::crossterm::event::KeyCode;

const KEYS: [(KeyCode, &str); 8] = [
    (KeyCode::Char('/'), "/"),
    (KeyCode::F(3), "F3"),
    (KeyCode::Char('n'), "n"),
    (KeyCode::F(2), "F2"),
    (KeyCode::Insert, "Ins"),
    (KeyCode::Enter, "Enter"),
    (KeyCode::Char('e'), "e"),
    (KeyCode::F(4), "F4"),
];

/// The (tab, key) pairs whose view has nothing of the kind: statistics
/// are counted, never searched or added to.
const NOTHING_THERE: &[(usize, &str)] = &[(8, "/"), (8, "F3"), (8, "n"), (8, "F2"), (8, "Ins")];

fn app_on(path: &std::path::Path, tab: usize) -> App {
    let cfg = Config {
        lang: Lang::Zh,
        ..Config::new(d(TODAY))
    };
    let mut app = App::new(db::open(path).unwrap(), cfg).unwrap();
    app.wait_ready();
    app.handle(key(KeyCode::Char(char::from(b'0' + tab as u8))));
    app.wait_ready();
    assert_eq!(app.tab(), Tab::ALL[tab - 1]);
    app
}

#[test]
fn the_shared_keys_answer_on_every_tab() {
    let demo = common::demo_db();
    let mut failures = Vec::new();
    for tab in 1..=8 {
        for (code, name) in KEYS {
            let mut app = app_on(&demo.path, tab);
            let before = text_of(&app);
            app.handle(key(code));
            app.wait_ready();
            let after = text_of(&app);
            let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
            let fallback = status.starts_with("这里没有可");
            let allowed = NOTHING_THERE.contains(&(tab, name));
            if after == before {
                failures.push(format!("tab {tab}, {name}: nothing changed"));
            } else if fallback != allowed {
                failures.push(format!(
                    "tab {tab}, {name}: {}\n{after}",
                    if fallback {
                        "only the line saying there is nothing here"
                    } else {
                        "expected the line saying there is nothing here"
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_overview_search_narrows_both_lists_to_the_members_found() {
    let demo = common::demo_db();
    let mut app = app_on(&demo.path, 1);
    let first = app.screen::<OverviewScreen>().items()[0].clone();
    app.handle(key(KeyCode::Char('/')));
    for c in first.member_code.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    let shown = text_of(&app);
    assert!(
        shown.contains(&format!("查找 {}", first.member_code)),
        "{shown}"
    );
    let s = app.screen::<OverviewScreen>();
    assert!(!s.items().is_empty());
    assert!(
        s.items().iter().all(|i| i.member_id == first.member_id),
        "only the member found: {:?}",
        s.items()
    );
    // Enter leaves the box for the list; Esc on the list clears the search.
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::Esc));
    let s = app.screen::<OverviewScreen>();
    assert!(s.found_counts().is_none());
    assert!(s.items().iter().any(|i| i.member_id != first.member_id));
    let shown = text_of(&app);
    assert!(
        !shown.contains(&format!("查找 {}", first.member_code)),
        "{shown}"
    );
}
