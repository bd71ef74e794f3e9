//! The layers of STYLE.md, checked on the source: the command line knows no
//! screens, the UI opens no transaction, and every tab goes through the registry.

use std::fs;
use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("a source directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&p).expect("a source file");
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn the_command_line_does_not_import_the_ui() {
    for (path, text) in sources("src/cli") {
        assert!(!text.contains("crate::ui"), "{path} imports the UI");
        assert!(!text.contains("ui::"), "{path} names the UI");
    }
}

#[test]
fn the_ui_opens_no_transaction_and_writes_no_sql() {
    for (path, text) in sources("src/ui") {
        for bad in [
            "write_tx(",
            ".transaction(",
            "transaction_with_behavior",
            ".execute(",
            ".prepare(",
            ".query_row(",
        ] {
            assert!(
                !text.contains(bad),
                "{path} has {bad}: writes are db/ functions"
            );
        }
    }
}

#[test]
fn every_tab_goes_through_the_one_registry() {
    let (_, registry) = sources("src/ui/screens")
        .into_iter()
        .find(|(p, _)| p.ends_with("screens/mod.rs"))
        .expect("the registry");
    let start = registry
        .find("pub fn open(tab: Tab)")
        .expect("screens::open");
    let body = &registry[start..start + registry[start..].find("\n}\n").unwrap()];
    assert!(!body.contains("_ =>"), "the registry's match is exhaustive");
    for tab in [
        "Overview", "Members", "Hardship", "Visits", "Fund", "Survey", "Honours", "Stats",
    ] {
        assert!(
            body.contains(&format!("Tab::{tab} =>")),
            "{tab} in the registry"
        );
    }
    // The app names no screen: it reaches them through the registry and the trait.
    for (path, text) in sources("src/ui/app").into_iter().chain(
        sources("src/ui")
            .into_iter()
            .filter(|(p, _)| p.ends_with("ui/app.rs")),
    ) {
        for screen in [
            "OverviewScreen",
            "MembersScreen",
            "VisitsScreen",
            "Tab::Members",
        ] {
            assert!(!text.contains(screen), "{path} names {screen}");
        }
    }
    // Screens do not import the app.
    for (path, text) in sources("src/ui/screens")
        .into_iter()
        .chain(sources("src/ui/popups"))
    {
        assert!(!text.contains("ui::app"), "{path} imports the app");
    }
}
