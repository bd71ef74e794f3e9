//! Issue 7, papercut 3: a roster code typed into the members search finds that
//! member first (then code prefixes, names, and the phone digits a list shows,
//! never the masked ones); Enter on a search that leaves one member opens it.

mod common;

use common::screen::{d, key};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::ui::app::{App, Config};
use guanhuai::ui::screens::members::{MembersScreen, View};
use ratatui::crossterm::event::KeyCode;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// 0085 白雪 sorts before 0080 张三 and shows the digits 0080 in its phone
/// (139****0080); 0090 陈晨 has 0080 only among the hidden digits
/// (138****1234); 1008 李四's code holds 008 inside it.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    let mut conn = db::open(&path).unwrap();
    for (code, name, phone) in [
        ("0080", "张三", "13612345678"),
        ("0085", "白雪", "13912340080"),
        ("0090", "陈晨", "13800801234"),
        ("1008", "李四", ""),
        ("0081", "王五", ""),
    ] {
        let mut m = Member::new(code, name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.phone = (!phone.is_empty()).then(|| phone.to_string());
        db::members::save(&mut conn, &m).unwrap();
    }
    Fixture { _dir: dir, path }
}

fn members_app(f: &Fixture) -> App {
    let cfg = Config {
        lang: Lang::Zh,
        ..Config::new(d("2026-01-15"))
    };
    let mut app = App::new(db::open(&f.path).unwrap(), cfg).unwrap();
    app.handle(key(KeyCode::Char('2')));
    app
}

fn search(app: &mut App, q: &str) -> Vec<String> {
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Char('/')));
    for c in q.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.screen::<MembersScreen>()
        .page()
        .iter()
        .map(|m| m.code.clone())
        .collect()
}

#[test]
fn a_code_comes_first_then_prefixes_names_and_shown_phone_digits() {
    let f = fixture();
    let mut app = members_app(&f);
    // Without a search: pinyin order (白 < 陈 < 李 < 王 < 张).
    assert_eq!(
        search(&mut app, ""),
        ["0085", "0090", "1008", "0081", "0080"]
    );
    // The code itself, then the phone that shows 0080; 陈晨's hidden 0080 never matches.
    assert_eq!(search(&mut app, "0080"), ["0080", "0085"]);
    // Code prefixes (in pinyin order), then a code with 008 inside.
    assert_eq!(search(&mut app, "008"), ["0085", "0081", "0080", "1008"]);
    // 1234 is shown in 陈晨's phone (138****1234), hidden in 张三's (136****5678).
    assert_eq!(search(&mut app, "1234"), ["0090"]);
    assert_eq!(search(&mut app, "5678"), ["0080"]);
    // Enter goes to the list with the best match selected; Enter again opens it.
    search(&mut app, "0080");
    app.handle(key(KeyCode::Enter));
    assert!(!app.screen::<MembersScreen>().text_focus());
    app.handle(key(KeyCode::Enter));
    match app.screen::<MembersScreen>().view() {
        View::Detail(m) => assert_eq!(m.code, "0080"),
        View::List => panic!("Enter on the list opens the selected member"),
    }
}

#[test]
fn enter_on_a_search_that_leaves_one_member_opens_it() {
    let f = fixture();
    let mut app = members_app(&f);
    assert_eq!(search(&mut app, "bx"), ["0085"]);
    app.handle(key(KeyCode::Enter));
    match app.screen::<MembersScreen>().view() {
        View::Detail(m) => assert_eq!(m.name, "白雪"),
        View::List => panic!("one member left: Enter opens it"),
    }
    // Esc back: the list still holds the search.
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.screen::<MembersScreen>().search_text(), "bx");
    // Two left: Enter only goes to the list.
    assert_eq!(search(&mut app, "008").len(), 4);
    app.handle(key(KeyCode::Enter));
    assert!(matches!(app.screen::<MembersScreen>().view(), View::List));
}
