//! Issue 7, items 5, 7 and 10: the help and the hints list only keys that
//! work where they are shown, F5 means one thing, a window too small for the
//! layout says so (the terminal itself: `ui_terminal.rs`).

mod common;
#[allow(unused_imports)]
#[path = "ui_overview/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config, Tab};
use guanhuai::ui::screens::members::{MembersScreen, Section};
use guanhuai::ui::screens::overview::{List, OverviewScreen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

/// The help's "everywhere" section: the lines after its title.
fn global_section(help: &str) -> String {
    let at = help.find("全局").expect("the help's global section");
    help[at..].to_string()
}

#[test]
fn help_lists_only_the_tabs_that_exist() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    press(&mut app, &[KeyCode::F(1)]);
    let g = global_section(&text_of(&app));
    let line = g
        .lines()
        .find(|l| l.contains("切换页面"))
        .expect("tab keys");
    // The keys of the tabs the registry opens, and no other (today 1 2 4).
    let keys = line.split("切换页面").next().unwrap();
    let keys = keys.rsplit('│').next().unwrap().trim();
    let built: Vec<String> = Tab::ALL
        .into_iter()
        .filter(|t| t.available())
        .map(|t| t.number().to_string())
        .collect();
    assert_eq!(keys, built.join(" "), "{line}");
}

#[test]
fn help_in_a_form_lists_no_letter_or_tab_keys() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    press(
        &mut app,
        &[KeyCode::Char('2'), KeyCode::F(2), KeyCode::F(1)],
    );
    assert!(app.member_form().is_some());
    let g = global_section(&text_of(&app));
    assert!(
        !g.contains("切换页面"),
        "number keys type digits in a form:\n{g}"
    );
    assert!(!g.contains("q F10"), "q types a letter in a form:\n{g}");
    assert!(!g.contains("? F1"), "? types a character in a form:\n{g}");
    assert!(g.contains("F10 Ctrl-C"), "{g}");
    assert!(g.contains("F1 "), "{g}");
    // What the help says holds: q is typed, F10 asks (the form has input).
    press(&mut app, &[KeyCode::Esc, KeyCode::Char('q')]);
    assert!(!app.should_quit());
    press(&mut app, &[KeyCode::F(10)]);
    assert!(!app.should_quit(), "asks first: the form holds input");
}

#[test]
fn the_history_page_lists_no_enter() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    press(
        &mut app,
        &[KeyCode::Char('2'), KeyCode::Enter, KeyCode::Tab],
    );
    assert_eq!(
        app.screen::<MembersScreen>().care().section,
        Section::Obligations
    );
    assert!(text_of(&app).contains("Enter 办理所选事项"));
    press(&mut app, &[KeyCode::Tab]);
    assert_eq!(
        app.screen::<MembersScreen>().care().section,
        Section::History
    );
    let hints = text_of(&app);
    assert!(!hints.contains("办理所选事项"), "{hints}");
    press(&mut app, &[KeyCode::F(1)]);
    let help = text_of(&app);
    assert!(!help.contains("办理所选事项"), "{help}");
}

#[test]
fn f5_switches_what_the_list_shows_on_every_screen() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    assert_eq!(app.screen::<OverviewScreen>().list(), List::Overdue);
    press(&mut app, &[KeyCode::F(5)]);
    assert_eq!(app.screen::<OverviewScreen>().list(), List::Soon);
    press(&mut app, &[KeyCode::F(1)]);
    let help = text_of(&app);
    let line = help
        .lines()
        .find(|l| l.contains("F5"))
        .expect("F5 in the help");
    assert!(line.contains("逾期/即将到期"), "{line}");
    assert!(!line.contains("重新计算"), "{line}");
}

fn drawn(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|fr| app.render(fr)).unwrap();
    screen(t.backend().buffer())
}

#[test]
fn a_window_too_small_for_the_layout_says_so() {
    let f = fixture();
    for tab in ['1', '2', '4'] {
        for (w, h) in [(40, 10), (20, 4), (79, 11), (29, 23), (60, 5)] {
            let mut app = App::new(
                db::open(&f.path).unwrap(),
                Config {
                    width: w,
                    height: h,
                    ..config(Lang::Zh)
                },
            )
            .unwrap();
            press(&mut app, &[KeyCode::Char(tab)]);
            let (min_w, min_h) = app.min_size();
            let text = drawn(&app, w, h);
            let first = text.lines().next().unwrap();
            if w < min_w || h < min_h {
                assert!(
                    first.starts_with("窗口太小"),
                    "tab {tab} at {w}x{h}:\n{text}"
                );
                assert!(text.lines().skip(1).all(|l| l.trim().is_empty()));
            } else {
                assert!(!text.contains("窗口太小"), "tab {tab} at {w}x{h}:\n{text}");
            }
        }
    }
    // The Overview at 40x10 (the clerk's case) asks, at 80x24 it draws.
    let app = app_on(&f, Lang::Zh);
    assert_eq!(app.tab(), Tab::Overview);
    assert!(drawn(&app, 40, 10).starts_with("窗口太小，请放大到至少 30x12"));
    assert!(drawn(&app, 30, 12).contains("逾期"));
    assert!(!text_of(&app).contains("窗口太小"));
}

#[test]
fn while_typing_in_a_search_only_f1_and_f10_are_offered() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    press(&mut app, &[KeyCode::Char('2'), KeyCode::Char('/')]);
    assert!(app.screen::<MembersScreen>().text_focus());
    let hints = text_of(&app);
    let last = hints.lines().last().unwrap();
    assert!(
        last.contains("F1 帮助") && last.contains("F10 退出"),
        "{last}"
    );
    assert!(!last.contains("q/F10"), "q is typed here: {last}");
    press(&mut app, &[KeyCode::F(1)]);
    let g = global_section(&text_of(&app));
    assert!(!g.contains("切换页面") && !g.contains("q F10"), "{g}");
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('q'), KeyCode::Char('4')],
    );
    assert!(!app.should_quit());
    assert_eq!(app.tab(), Tab::Members, "4 is typed, not a tab key");
    assert_eq!(app.screen::<MembersScreen>().search_text(), "q4");
}
