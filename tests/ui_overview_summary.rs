//! Issue 7, papercuts 4 and 14 and the styled Overview: the counts per rule
//! are all shown at 80 columns (wrapped or abbreviated, never dropped), so
//! are the title and date in English; an empty database points the newcomer
//! to `n` on Members and to `guanhuai import`; the colours that carry meaning
//! (overdue red, the selection) are snapshotted cell by cell.

mod common;
#[allow(unused_imports)]
#[path = "ui_overview/fixture.rs"]
mod fixture;

use common::pty::TODAY as DEMO_TODAY;
use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::rules::Rule;
use guanhuai::ui::app::{App, Config};
use guanhuai::ui::screens::overview::OverviewScreen;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthStr;

fn demo_app(path: &std::path::Path, lang: Lang) -> App {
    let cfg = Config {
        lang,
        ..Config::new(d(DEMO_TODAY))
    };
    let mut app = App::new(db::open(path).unwrap(), cfg).unwrap();
    app.wait_ready();
    app
}

#[test]
fn every_rule_with_work_is_counted_at_80_columns_in_both_languages() {
    let demo = common::demo_db();
    for lang in [Lang::Zh, Lang::En] {
        let app = demo_app(&demo.path, lang);
        let rep = app.screen::<OverviewScreen>().listing().unwrap();
        let text = text_of(&app);
        let summary: String = text.lines().skip(1).take(6).collect::<Vec<_>>().join("\n");
        let with_work: Vec<Rule> = Rule::ALL
            .into_iter()
            .filter(|&r| rep.count(r).overdue + rep.count(r).due_soon > 0)
            .collect();
        assert!(with_work.len() >= 6, "the demo has work under most rules");
        for rule in with_work {
            let c = rep.count(rule);
            let chip = format!(" {}/{}", c.overdue, c.due_soon);
            assert!(
                summary.contains(&chip),
                "{lang:?} {rule:?} {chip} missing:\n{text}"
            );
        }
        assert!(
            !summary.lines().any(|l| l.trim_end().ends_with('~')),
            "a chip was cut:\n{text}"
        );
        // The tab bar keeps the date in English too; the short title while
        // there is room for it (in Chinese with five tabs, not in English).
        let bar = text.lines().next().unwrap();
        assert!(bar.contains(DEMO_TODAY), "{bar}");
        if lang == Lang::Zh {
            assert!(bar.contains("关怀"), "{bar}");
        }
    }
}

#[test]
fn a_narrow_window_abbreviates_rather_than_drops() {
    let f = fixture();
    let mut app = app_on(&f, Lang::En);
    app.resize(60, 16);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 16)).unwrap();
    t.draw(|fr| app.render(fr)).unwrap();
    let text = screen(t.backend().buffer());
    let rep = app.screen::<OverviewScreen>().listing().unwrap();
    for rule in Rule::ALL {
        let c = rep.count(rule);
        if c.overdue + c.due_soon > 0 {
            let chip = format!(" {}/{}", c.overdue, c.due_soon);
            assert!(text.contains(&chip), "{rule:?}:\n{text}");
        }
    }
    assert!(text.contains("visited 1/2 (50%)"), "{text}");
    insta::assert_snapshot!("overview_narrow_en", text);
}

#[test]
fn an_empty_database_points_to_adding_and_importing_members() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.sqlite");
    for (lang, wants) in [
        (
            Lang::Zh,
            [
                "名册中还没有党员",
                "按 2 到“党员”页，再按 n（或 F2）",
                "guanhuai import members",
            ],
        ),
        (
            Lang::En,
            [
                "The roster is empty",
                "press 2 for Members, then n (or F2)",
                "guanhuai import members",
            ],
        ),
    ] {
        let app = App::new(db::open(&path).unwrap(), config(lang)).unwrap();
        let text = text_of(&app);
        for w in wants {
            assert!(text.contains(w), "{w}:\n{text}");
        }
        if lang == Lang::Zh {
            insta::assert_snapshot!("overview_empty_zh", text);
        }
    }
    // A member added in the form: back on the Overview the pointers are gone.
    let mut app = App::new(db::open(&path).unwrap(), config(Lang::Zh)).unwrap();
    press(&mut app, &[KeyCode::Char('2'), KeyCode::F(2)]);
    type_str(&mut app, "001");
    press(&mut app, &[KeyCode::Tab]);
    type_str(&mut app, "张三");
    press(&mut app, &[KeyCode::Down; 5]);
    type_str(&mut app, "2025-07-01");
    app.handle(ctrl('s'));
    assert!(app.member_form().is_none(), "{:?}", app.status());
    app.handle(key(KeyCode::Char('1')));
    let text = text_of(&app);
    assert!(text.contains("没有逾期的事项"), "{text}");
    assert!(!text.contains("guanhuai import"), "{text}");
}

/// A style as a short tag: `fg:bg:modifiers`, `-` for the default.
fn tag(s: Style) -> String {
    let c = |c: Option<Color>| match c {
        None | Some(Color::Reset) => "-".to_string(),
        Some(c) => format!("{c:?}"),
    };
    let m = s.add_modifier - s.sub_modifier;
    let mods: Vec<&str> = [
        (Modifier::BOLD, "b"),
        (Modifier::DIM, "d"),
        (Modifier::ITALIC, "i"),
        (Modifier::UNDERLINED, "u"),
        (Modifier::REVERSED, "r"),
        (Modifier::CROSSED_OUT, "x"),
    ]
    .into_iter()
    .filter(|(f, _)| m.contains(*f))
    .map(|(_, n)| n)
    .collect();
    format!("{}:{}:{}", c(s.fg), c(s.bg), mods.join(""))
}

/// Rows `rows` of the buffer: each its text, then its runs of one style
/// other than the default as `x..x tag` (columns, end excluded).
fn styled(buf: &Buffer, rows: std::ops::Range<u16>) -> String {
    let mut out = String::new();
    for y in rows {
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        let mut line = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            // A wide character's style covers its second cell too.
            let next = x + (cell.symbol().width() as u16).max(1);
            let t = tag(cell.style());
            match runs.last_mut() {
                Some((_, end, last)) if *last == t && *end == x => *end = next,
                _ => runs.push((x, next, t)),
            }
            x = next;
        }
        out.push_str(&format!("{y:2} {}\n", line.trim_end()));
        for (a, b, t) in runs.into_iter().filter(|(_, _, t)| t != "-:-:") {
            out.push_str(&format!("     {a}..{b} {t}\n"));
        }
    }
    out
}

#[test]
fn overdue_days_are_red_and_the_selection_is_coloured() {
    let f = fixture();
    let app = app_on(&f, Lang::Zh);
    let t = draw(&app);
    let buf = t.backend().buffer();
    // The first row (张三, 228 days) is selected; the others' days are red.
    let row = screen(buf)
        .lines()
        .position(|l| l.contains("李四"))
        .unwrap() as u16;
    let days_x = 76;
    assert_eq!(buf[(days_x, row)].fg, Color::LightRed);
    assert_eq!(buf[(2, row - 1)].bg, Color::Cyan, "the selected row");
    assert_eq!(buf[(days_x, row - 1)].bg, Color::Cyan);
    insta::assert_snapshot!("overview_styled", styled(buf, 1..12));
}

#[test]
fn without_colour_the_selection_is_reverse_and_overdue_days_bold() {
    let f = fixture();
    let cfg = Config {
        mono: true,
        ..config(Lang::Zh)
    };
    let app = App::new(db::open(&f.path).unwrap(), cfg).unwrap();
    let t = draw(&app);
    let buf = t.backend().buffer();
    for c in buf.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "no colour");
    }
    insta::assert_snapshot!("overview_styled_no_color", styled(buf, 1..12));
}
