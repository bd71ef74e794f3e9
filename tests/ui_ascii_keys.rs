//! Issue 7, papercuts 8 and 9: with `--ascii` no character the classic
//! Chinese console draws two cells wide (while we count one) reaches the
//! screen, names with `·` included; the full-width `？`, `、` and `／` an input
//! method sends are the `?` and `/` keys outside text fields, and text inside.

mod common;
#[allow(unused_imports)]
#[path = "ui_overview/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config, Popup};
use guanhuai::ui::screens::members::MembersScreen;
use ratatui::crossterm::event::KeyCode;
use unicode_width::UnicodeWidthChar;

fn ascii_app(f: &Fixture, lang: Lang) -> App {
    let cfg = Config {
        ascii: true,
        ..config(lang)
    };
    App::new(db::open(&f.path).unwrap(), cfg).unwrap()
}

/// Every character on screen that a CJK console draws wider than we count.
fn ambiguous(text: &str) -> Vec<char> {
    let mut v: Vec<char> = text
        .chars()
        .filter(|c| c.width() == Some(1) && c.width_cjk() == Some(2))
        .collect();
    v.dedup();
    v
}

#[test]
fn ascii_mode_draws_no_ambiguous_width_character_anywhere() {
    let f = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = ascii_app(&f, lang);
        let mut seen = String::new();
        let mut look = |app: &App, what: &str| {
            let text = text_of(app);
            assert_eq!(ambiguous(&text), Vec::<char>::new(), "{what}:\n{text}");
            seen.push_str(&text);
        };
        look(&app, "overview");
        app.handle(key(KeyCode::Tab)); // due soon: 阿依古丽·买买提
        look(&app, "due soon");
        app.handle(key(KeyCode::F(1)));
        look(&app, "help (↑↓)");
        app.handle(key(KeyCode::Esc));
        app.handle(key(KeyCode::Char('s')));
        look(&app, "settings (1–365)");
        app.handle(key(KeyCode::Esc));
        press(&mut app, &[KeyCode::Char('2')]);
        look(&app, "members (共 N 人 · 第 1/1 页)");
        app.handle(key(KeyCode::F(2)));
        press(&mut app, &[KeyCode::Down, KeyCode::Down]);
        look(&app, "member form (←→)");
        app.handle(key(KeyCode::Esc));
        press(&mut app, &[KeyCode::Char('4')]);
        look(&app, "talks and visits");
        // The name keeps its place, with an ASCII dot.
        assert!(seen.contains("阿依古丽.买买提"), "{seen}");
    }
    // Without --ascii the characters stay as they are (the name's dot in
    // the member list; the title bar no longer has room for its own).
    let mut app = app_on(&f, Lang::Zh);
    press(&mut app, &[KeyCode::Char('2')]);
    assert!(text_of(&app).contains('·'));
}

#[test]
fn full_width_question_mark_and_slash_are_the_keys() {
    let f = fixture();
    let mut app = app_on(&f, Lang::Zh);
    // ？ opens and closes the help.
    app.handle(key(KeyCode::Char('？')));
    assert!(matches!(app.popups().last(), Some(Popup::Help { .. })));
    app.handle(key(KeyCode::Char('？')));
    assert!(app.popups().is_empty());
    // 、 and ／ start the members search.
    app.handle(key(KeyCode::Char('2')));
    for slash in ['、', '／'] {
        app.handle(key(KeyCode::Char(slash)));
        assert!(app.screen::<MembersScreen>().text_focus(), "{slash}");
        // Inside the search they are text, as is ？.
        type_str(&mut app, "张？、");
        assert_eq!(app.screen::<MembersScreen>().search_text(), "张？、");
        assert!(app.popups().is_empty(), "？ typed, not help");
        app.handle(key(KeyCode::Esc));
    }
    // In a form, typed into the field.
    app.handle(key(KeyCode::F(2)));
    type_str(&mut app, "？、");
    let form = app.member_form().unwrap();
    assert_eq!(form.form.text_of("code"), "？、");
    assert_eq!(app.popups().len(), 1, "no help over the form");
}
