//! Issue 7, papercut 11: an error beside a form field is wrapped by display
//! width, never cut at 80 columns, and a refused save says the first bad
//! field's own message rather than only "有错误未改正".

mod common;
#[allow(unused_imports)]
#[path = "ui_overview/fixture.rs"]
mod fixture;

use fixture::*;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, StatusKind};
use ratatui::crossterm::event::KeyCode;

/// The new-member form with code, name and 入党日期 filled and a bad phone.
fn form_with_bad_phone(lang: Lang) -> App {
    let f = fixture();
    let mut app = app_on(&f, lang);
    press(&mut app, &[KeyCode::Char('2'), KeyCode::F(2)]);
    type_str(&mut app, "010");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "王小明");
    // gender, birth date, id number, phone
    press(&mut app, &[KeyCode::Down; 4]);
    type_str(&mut app, "1381234");
    press(&mut app, &[KeyCode::Down]);
    type_str(&mut app, "2005-07-01");
    app
}

/// The text right of column `x` on each line of the screen.
fn right_of(text: &str, x: usize) -> Vec<String> {
    text.lines()
        .map(|l| {
            let mut used = 0;
            l.chars()
                .skip_while(|c| {
                    used += guanhuai::ui::text::char_width(*c);
                    used <= x
                })
                .collect::<String>()
        })
        .collect()
}

#[test]
fn a_long_error_beside_its_field_wraps_and_is_whole() {
    let app = form_with_bad_phone(Lang::Zh);
    let form = app.member_form().unwrap();
    let msg = form.form.error_of("phone").unwrap().to_string();
    assert_eq!(msg, "手机号应为11位数字，以13–19开头");
    let text = text_of(&app);
    // Border, space, 14 cells of labels, space, 30 of input, space.
    let beside: String = right_of(&text, 1 + 1 + 14 + 1 + 30 + 1)
        .iter()
        .map(|l| l.trim_end_matches([' ', '│']).trim_start())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("");
    assert!(
        beside.contains(&format!("!{msg}")) || beside.contains(&format!("! {msg}")),
        "the whole message beside the field:\n{text}"
    );
    assert!(!text.contains('~'), "nothing cut:\n{text}");
    insta::assert_snapshot!("form_error_wrapped", text);
}

#[test]
fn a_refused_save_says_the_fields_own_message() {
    for (lang, want) in [
        (Lang::Zh, "不能保存：手机：手机号应为11位数字，以13–19开头"),
        (
            Lang::En,
            "cannot save: Phone: a mobile number has 11 digits",
        ),
    ] {
        let mut app = form_with_bad_phone(lang);
        app.handle(ctrl('s'));
        let form = app.member_form().expect("the form stays open");
        assert_eq!(form.form.focused_key(), "phone");
        let st = app.status().unwrap();
        assert_eq!(st.kind, StatusKind::Error);
        assert!(st.text.starts_with(want), "{}", st.text);
        let text = text_of(&app);
        assert!(!text.contains("有错误未改正"), "{text}");
        let foot: String = text.lines().skip(5).collect::<Vec<_>>().join("\n");
        assert!(foot.contains(want.split('：').next().unwrap()), "{text}");
    }
}
