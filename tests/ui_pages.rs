//! Tabs 3, 5 and 7 read a window of rows around the cursor by key: walking
//! a generated roster's lists with the line and page keys (and Home, End)
//! shows exactly the rows of the whole-list reads they replaced, in the same
//! order, with the same totals; an edit made while the tab is open shows up
//! where it belongs and the cursor stays on its row.

mod common;

use common::screen::{d, key, text_of};
use guanhuai::db;
use guanhuai::db::incentives::AssessmentRow;
use guanhuai::domain::vocab::Grade;
use guanhuai::ui::app::{App, Config, Tab};
use guanhuai::ui::screens::honours::{HonoursScreen, View};
use ratatui::crossterm::event::KeyCode;

const TODAY: &str = "2026-11-28";

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// A demo roster of `members` with three years of history (cases, fund
/// entries, assessments), some members gone.
fn fixture(members: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.sqlite");
    let mut conn = db::open(&path).unwrap();
    guanhuai::cli::demo::generate(
        &mut conn,
        guanhuai::cli::demo::GenOptions {
            members,
            years: 3,
            today: d(TODAY),
            seed: 11,
            progress_every: 0,
        },
    )
    .unwrap();
    Fixture { _dir: dir, path }
}

fn app_on(f: &Fixture) -> App {
    let mut app = App::new(db::open(&f.path).unwrap(), Config::new(d(TODAY))).unwrap();
    app.wait_ready();
    app
}

fn honours(app: &App) -> &HonoursScreen {
    app.screen::<HonoursScreen>()
}

fn to_assessments(app: &mut App) {
    app.handle(key(KeyCode::Char('7')));
    assert_eq!(app.tab(), Tab::Honours);
    for _ in 0..4 {
        if honours(app).view() == View::Assessments {
            break;
        }
        app.handle(key(KeyCode::F(5)));
    }
    assert_eq!(honours(app).view(), View::Assessments);
    app.wait_ready();
}

/// The row selected after each of `keys`, walking from where the cursor is.
fn walk_assessments(app: &mut App, code: KeyCode, steps: usize) -> Vec<AssessmentRow> {
    let mut seen = Vec::new();
    for _ in 0..steps {
        app.handle(key(code));
        let s = honours(app);
        seen.push(s.selected_assessment().cloned().expect("a row is selected"));
        assert!(
            s.assessments().len() <= 9 * 20,
            "the window holds {} rows",
            s.assessments().len()
        );
    }
    seen
}

#[test]
fn assessments_walked_row_by_row_and_page_by_page_are_the_whole_list() {
    let f = fixture(1500);
    let conn = db::open(&f.path).unwrap();
    let settings = db::settings::load(&conn).unwrap();
    let all = db::incentives::assessments(&conn, 2026, &settings).unwrap();
    assert!(all.len() > 1000, "{}", all.len());
    // some members not active are listed for their grade, some are not
    let gone: i64 = conn
        .query_row(
            "SELECT count(*) FROM members WHERE status <> 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(gone > 0);

    let mut app = app_on(&f);
    to_assessments(&mut app);
    let s = honours(&app);
    assert_eq!(s.assessments_len(), all.len());
    assert_eq!(s.selected_assessment(), Some(&all[0]));
    let old_totals = db::incentives::grade_totals(&all);
    assert_eq!(s.totals(), old_totals.as_slice());
    let unpaid: i64 = all
        .iter()
        .filter(|r| r.paid_entry_id.is_none() && r.grade.is_some())
        .map(|r| r.bonus_fen)
        .sum();
    assert_eq!(s.unpaid_fen(), Some(unpaid));

    // Down to the last row, then one more (stays)
    let mut seen = vec![all[0].clone()];
    seen.extend(walk_assessments(&mut app, KeyCode::Down, all.len()));
    assert_eq!(seen.last(), seen.get(seen.len() - 2));
    seen.pop();
    assert_eq!(seen, all);
    // Up back to the first
    let mut up = walk_assessments(&mut app, KeyCode::Up, all.len() - 1);
    up.reverse();
    assert_eq!(up, all[..all.len() - 1]);

    // page by page: each page shows the rows of the whole list there
    let per = honours(&app).paging().page_size;
    let mut at = 0;
    loop {
        let s = honours(&app);
        assert_eq!(s.paging().cursor, at);
        for i in s.paging().page_start()..(s.paging().page_start() + per).min(all.len()) {
            assert_eq!(s.assessment(i), Some(&all[i]), "row {i}");
        }
        if at == all.len() - 1 {
            break;
        }
        app.handle(key(KeyCode::PageDown));
        at = (at + per).min(all.len() - 1);
    }
    let text = text_of(&app);
    assert!(text.contains(&all[all.len() - 1].name), "{text}");
    for _ in 0..all.len() / per + 1 {
        app.handle(key(KeyCode::PageUp));
    }
    assert_eq!(honours(&app).selected_assessment(), Some(&all[0]));
}

#[test]
fn grading_in_the_middle_of_a_long_list_keeps_the_rows_and_moves_the_totals() {
    let f = fixture(1200);
    let mut app = app_on(&f);
    to_assessments(&mut app);
    let conn = db::open(&f.path).unwrap();
    let settings = db::settings::load(&conn).unwrap();
    // an ungraded row deep in the list
    let all = db::incentives::assessments(&conn, 2026, &settings).unwrap();
    let target = all
        .iter()
        .enumerate()
        .skip(all.len() / 2)
        .find(|(_, r)| r.grade.is_none() || r.paid_entry_id.is_none())
        .map(|(i, _)| i)
        .expect("a row to grade");
    let per = honours(&app).paging().page_size;
    while honours(&app).paging().cursor + per <= target {
        app.handle(key(KeyCode::PageDown));
    }
    while honours(&app).paging().cursor < target {
        app.handle(key(KeyCode::Down));
    }
    assert_eq!(honours(&app).selected_assessment(), Some(&all[target]));
    app.handle(key(KeyCode::Enter));
    assert!(honours(&app).grading());
    for grade in ['1', '4', '2'] {
        let before = honours(&app).paging().cursor;
        app.handle(key(KeyCode::Char(grade)));
        let after = db::incentives::assessments(&conn, 2026, &settings).unwrap();
        assert_eq!(after.len(), all.len());
        let s = honours(&app);
        assert_eq!(s.paging().cursor, (before + 1).min(all.len() - 1));
        for i in before.saturating_sub(5)..(before + 5).min(after.len()) {
            assert_eq!(s.assessment(i), Some(&after[i]), "row {i}");
        }
        assert_eq!(
            s.totals(),
            db::incentives::grade_totals(&after).as_slice(),
            "after {grade}"
        );
        app.handle(key(KeyCode::Up));
    }
    let graded = db::incentives::assessments(&conn, 2026, &settings).unwrap();
    assert_eq!(graded[target].grade, Some(Grade::Good));
    // shown again after another clerk graded someone else: the cursor stays on its row
    let other = graded
        .iter()
        .position(|r| r.grade.is_none())
        .expect("an ungraded member");
    db::incentives::set_grade(
        &mut db::open(&f.path).unwrap(),
        2026,
        graded[other].member_id,
        Grade::Pass,
    )
    .unwrap();
    app.handle(key(KeyCode::Esc));
    let here = honours(&app).selected_assessment().cloned().unwrap();
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Char('7')));
    app.wait_ready();
    let now = db::incentives::assessments(&conn, 2026, &settings).unwrap();
    let s = honours(&app);
    assert_eq!(
        s.selected_assessment().map(|r| r.member_id),
        Some(here.member_id)
    );
    assert_eq!(s.totals(), db::incentives::grade_totals(&now).as_slice());
    let c = s.paging().cursor;
    assert_eq!(now[c].member_id, here.member_id);
}
