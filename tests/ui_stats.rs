//! The statistics (统计, tab 8) drawn into a `TestBackend` at 80x24 on the
//! hand-counted roster of `tests/stats/fixture.rs` (today 2026-06-30): every
//! part in Chinese, parts in English, without colour and with `--ascii`; the
//! day moved by month ends; and the report written to a file from its form.

mod common;
#[path = "stats/fixture.rs"]
mod fixture;

use common::screen::{ctrl, draw, key, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::ui::app::{App, Config, Popup, Tab};
use guanhuai::ui::screens::stats::StatsScreen;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn fixture_db() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stats.sqlite");
    fixture::build(&path);
    Fixture { _dir: dir, path }
}

fn tab8(f: &Fixture, config: Config) -> App {
    let mut app = App::new(db::open(&f.path).unwrap(), config).unwrap();
    app.handle(key(KeyCode::Char('8')));
    assert_eq!(app.tab(), Tab::Stats);
    app
}

fn config(lang: Lang) -> Config {
    Config {
        lang,
        ..Config::new(fixture::d("2026-06-30"))
    }
}

fn stats(app: &App) -> &StatsScreen {
    app.screen::<StatsScreen>()
}

#[test]
fn every_part_in_chinese() {
    let f = fixture_db();
    let mut app = tab8(&f, config(Lang::Zh));
    let first = text_of(&app);
    assert!(first.contains("截至 2026-06-30"), "{first}");
    // the figures of the hand count, as lines and as bars
    assert!(
        first.contains("在册党员") && first.contains("42.9%"),
        "{first}"
    );
    insta::assert_snapshot!("stats_members_zh", first);
    for (i, name) in [
        "stats_hardship_zh",
        "stats_completion_zh",
        "stats_survey_zh",
        "stats_fund_zh",
    ]
    .iter()
    .enumerate()
    {
        app.handle(key(KeyCode::Right));
        assert_eq!(stats(&app).page(), i + 1);
        insta::assert_snapshot!(*name, text_of(&app));
    }
    // → from the last part comes back to the first; ← goes back
    app.handle(key(KeyCode::Right));
    assert_eq!(stats(&app).page(), 0);
    app.handle(key(KeyCode::Left));
    assert_eq!(stats(&app).page(), 4);
    assert!(text_of(&app).contains("¥10,312.34"));
    for _ in 0..5 {
        app.handle(key(KeyCode::Down));
    }
    let fund = text_of(&app);
    assert!(fund.contains("1 笔 ¥2,000.00"), "{fund}");
    insta::assert_snapshot!("stats_fund_scrolled_zh", fund);
}

#[test]
fn parts_in_english() {
    let f = fixture_db();
    let mut app = tab8(&f, config(Lang::En));
    insta::assert_snapshot!("stats_members_en", text_of(&app));
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Right));
    let t = text_of(&app);
    assert!(t.contains("6/8 75.0%"), "{t}");
    insta::assert_snapshot!("stats_completion_en", t);
}

#[test]
fn without_colour_and_in_ascii_the_bars_still_read() {
    let f = fixture_db();
    let app = tab8(
        &f,
        Config {
            mono: true,
            ..config(Lang::Zh)
        },
    );
    let t = draw(&app);
    for c in t.backend().buffer().content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "no colour");
    }
    // every bar carries its number
    let text = text_of(&app);
    insta::assert_snapshot!("stats_members_no_color", text);
    let app = tab8(
        &f,
        Config {
            ascii: true,
            ..config(Lang::En)
        },
    );
    let text = text_of(&app);
    assert!(text.contains('#') && !text.contains('█'), "{text}");
    assert!(text.lines().all(|l| !l.contains('─') && !l.contains('│')));
    insta::assert_snapshot!("stats_members_ascii", text);
}

#[test]
fn the_day_moves_by_month_ends_never_past_today() {
    let f = fixture_db();
    let mut app = tab8(&f, config(Lang::Zh));
    app.handle(key(KeyCode::Char('[')));
    assert_eq!(stats(&app).as_of(), fixture::d("2026-05-31"));
    // on 05-31 the talk on D (008) and the honour of 06-01 are not yet there
    assert_eq!(stats(&app).stats().unwrap().talks_in_year, 4);
    app.handle(key(KeyCode::PageUp));
    assert_eq!(stats(&app).as_of(), fixture::d("2026-04-30"));
    for _ in 0..6 {
        app.handle(key(KeyCode::PageUp));
    }
    assert_eq!(stats(&app).as_of(), fixture::d("2025-10-31"));
    assert!(text_of(&app).contains("截至 2025-10-31"));
    app.handle(key(KeyCode::Char(']')));
    assert_eq!(stats(&app).as_of(), fixture::d("2025-11-30"));
    app.handle(key(KeyCode::Home));
    assert_eq!(stats(&app).as_of(), fixture::d("2026-06-30"));
    app.handle(key(KeyCode::PageDown));
    assert_eq!(
        stats(&app).as_of(),
        fixture::d("2026-06-30"),
        "not past today"
    );
}

#[test]
fn the_report_is_written_from_its_form() {
    let f = fixture_db();
    let dir = tempfile::tempdir().unwrap();
    let mut app = tab8(&f, config(Lang::Zh));
    app.handle(key(KeyCode::Char('[')));
    app.handle(key(KeyCode::F(6)));
    assert!(matches!(app.popups().last(), Some(Popup::Stats(_))));
    let shown = text_of(&app);
    assert!(shown.contains("统计报表（截至 2026-05-31）"), "{shown}");
    let here = std::env::current_dir().unwrap().display().to_string();
    insta::assert_snapshot!(
        "stats_report_form",
        shown.replace(&here, &format!("{:<w$}", "<cwd>", w = here.len()))
    );
    let file = dir.path().join("统计.txt");
    app.handle(ctrl('u'));
    for c in file.to_str().unwrap().chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::F(9)));
    assert!(app.popups().is_empty(), "{}", text_of(&app));
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(
        status.contains("已写入统计报表（截至 2026-05-31）"),
        "{status}"
    );
    let t = std::fs::read_to_string(&file).unwrap();
    assert!(
        t.contains("党员关怀帮扶工作统计") && t.contains("截至 2026-05-31"),
        "{t}"
    );
    // a name of no known kind is refused in the form, nothing written
    app.handle(key(KeyCode::Char('x')));
    app.handle(ctrl('u'));
    for c in dir.path().join("r.pdf").to_str().unwrap().chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::F(9)));
    assert!(matches!(app.popups().last(), Some(Popup::Stats(_))));
    assert!(!dir.path().join("r.pdf").exists());
}
