//! 转出 and 去世 with their day (and destination), shown on the member detail;
//! the phone whole on the detail (the clerk calls from there), masked on the list.

mod common;
#[path = "ui_overview/fixture.rs"]
#[allow(unused_imports)]
mod fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::vocab::MemberStatus;
use guanhuai::ui::app::{App, StatusKind};
use guanhuai::ui::screens::members::{MembersScreen, View};
use ratatui::crossterm::event::KeyCode;

/// Members tab, the detail of 张三 (001) open.
fn detail_of_zhangsan(f: &Fixture) -> App {
    let mut conn = db::open(&f.path).unwrap();
    let mut m = db::members::get_by_code(&conn, "001").unwrap().unwrap();
    m.phone = Some("13812345678".into());
    db::members::save(&mut conn, &m).unwrap();
    drop(conn);
    let mut app = app_on(f, Lang::Zh);
    app.handle(key(KeyCode::Char('2')));
    app.handle(key(KeyCode::F(3)));
    type_str(&mut app, "001");
    app.handle(key(KeyCode::Enter));
    if matches!(app.screen::<MembersScreen>().view(), View::List) {
        // Enter leaves the search; a second opens the member.
        app.handle(key(KeyCode::Enter));
    }
    assert!(matches!(
        app.screen::<MembersScreen>().view(),
        View::Detail(m) if m.code == "001"
    ));
    app
}

#[test]
fn the_phone_is_whole_on_the_detail_and_masked_on_the_list() {
    let f = fixture();
    let mut app = detail_of_zhangsan(&f);
    let text = text_of(&app);
    assert!(text.contains("13812345678"), "{text}");
    app.handle(key(KeyCode::Esc));
    let text = text_of(&app);
    assert!(text.contains("138****5678"), "{text}");
    assert!(!text.contains("13812345678"), "{text}");
}

#[test]
fn a_transfer_asks_for_the_day_and_destination_and_the_detail_shows_them() {
    let f = fixture();
    let mut app = detail_of_zhangsan(&f);
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Char('1'))); // 转出
    let text = text_of(&app);
    insta::assert_snapshot!("status_transfer_form", text);
    assert!(text.contains("转出日期"), "{text}");
    assert!(text.contains("2026-01-15"), "{text}");
    // Not after today, not before joining (1975-07-01).
    type_ctrl_u(&mut app);
    type_str(&mut app, "2026-02-01");
    assert!(text_of(&app).contains("不能晚于今天") || text_of(&app).contains("晚于"));
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().len() == 1, "refused, the form stays");
    type_ctrl_u(&mut app);
    type_str(&mut app, "1970-01-01");
    assert!(text_of(&app).contains("早于入党日期 1975-07-01"));
    type_ctrl_u(&mut app);
    type_str(&mut app, "2026-01-10");
    app.handle(key(KeyCode::Enter));
    type_str(&mut app, "区委组织部");
    app.handle(key(KeyCode::Enter));
    assert_eq!(
        app.status().unwrap().kind,
        StatusKind::Ok,
        "{:?}",
        app.status()
    );
    let m = db::members::get_by_code(app.conn(), "001")
        .unwrap()
        .unwrap();
    assert_eq!(m.status, MemberStatus::TransferredOut);
    assert_eq!(m.left_on, Some(d("2026-01-10")));
    assert_eq!(m.left_to, "区委组织部");
    let text = text_of(&app);
    insta::assert_snapshot!("status_transferred_detail", text);
    assert!(text.contains("转出日期"), "{text}");
    assert!(text.contains("2026-01-10"), "{text}");
    assert!(text.contains("区委组织部"), "{text}");
}

#[test]
fn a_death_asks_for_the_day_only() {
    let f = fixture();
    let mut app = detail_of_zhangsan(&f);
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Char('2'))); // 去世
    let text = text_of(&app);
    assert!(text.contains("去世日期"), "{text}");
    assert!(!text.contains("去向"), "{text}");
    type_ctrl_u(&mut app);
    type_str(&mut app, "2026-01-12");
    app.handle(key(KeyCode::Enter)); // the only field: confirms
    assert_eq!(app.status().unwrap().kind, StatusKind::Ok);
    let m = db::members::get_by_code(app.conn(), "001")
        .unwrap()
        .unwrap();
    assert_eq!(m.status, MemberStatus::Deceased);
    assert_eq!(m.left_on, Some(d("2026-01-12")));
    let text = text_of(&app);
    assert!(text.contains("去世日期"), "{text}");
    assert!(text.contains("2026-01-12"), "{text}");
}

/// Ctrl-E Ctrl-U: the field emptied, as a clerk clears it.
fn type_ctrl_u(app: &mut App) {
    app.handle(ctrl('e'));
    app.handle(ctrl('u'));
}

#[test]
fn esc_closes_the_status_form_and_asks_first_when_something_was_typed() {
    let f = fixture();
    let mut app = detail_of_zhangsan(&f);
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Esc));
    assert!(app.popups().is_empty(), "nothing typed: closed at once");
    app.handle(key(KeyCode::F(8)));
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Enter));
    type_str(&mut app, "区委");
    app.handle(key(KeyCode::Esc));
    assert!(text_of(&app).contains("放弃输入"));
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.popups().is_empty());
    let m = db::members::get_by_code(app.conn(), "001")
        .unwrap()
        .unwrap();
    assert_eq!(m.status, MemberStatus::Active, "nothing saved");
}
