//! Tabs 3, 5 and 7 read a window of rows around the cursor by key: walking
//! a generated roster's lists with the line and page keys (and Home, End)
//! shows exactly the rows of the whole-list reads they replaced, in the same
//! order, with the same totals; an edit made while the tab is open shows up
//! where it belongs and the cursor stays on its row.

mod common;

use common::screen::{d, key, text_of};
use guanhuai::db;
use guanhuai::db::fund::{FundPages, ListFilter};
use guanhuai::db::hardship::{CaseFilter, CaseMembers, HardshipPages};
use guanhuai::db::incentives::AssessmentRow;
use guanhuai::domain::vocab::{CaseState, Coded, Direction, Grade, HardshipCategory, Priority};
use guanhuai::ui::app::{App, Config, Tab};
use guanhuai::ui::screens::fund::FundScreen;
use guanhuai::ui::screens::hardship::HardshipScreen;
use guanhuai::ui::screens::honours::{HonoursScreen, View};
use guanhuai::ui::widgets::window::{Pager, Window};
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
        let start = s.paging().page_start();
        for (i, want) in all.iter().enumerate().skip(start).take(per) {
            assert_eq!(s.assessment(i), Some(want), "row {i}");
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
        let from = before.saturating_sub(5);
        for (i, want) in after.iter().enumerate().skip(from).take(before + 5 - from) {
            assert_eq!(s.assessment(i), Some(want), "row {i}");
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

/// Walks a list through a window as the screens do — Down over every row,
/// End, PageUp back to the top, Home — checking each row held against
/// `all`, and that a window opened at any row's key puts the cursor on it.
fn walk_window<P>(pager: &P, conn: &rusqlite::Connection, all: &[P::Row], per: usize)
where
    P: Pager,
    P::Row: PartialEq + std::fmt::Debug,
{
    let mut w: Window<P::Row> = Window::default();
    let mut cursor = w.open(pager, conn, 0, per).unwrap();
    assert_eq!(w.len(), all.len());
    if all.is_empty() {
        assert!(w.rows().is_empty());
        return;
    }
    loop {
        assert_eq!(w.get(cursor), Some(&all[cursor]), "row {cursor}");
        let lo = cursor.saturating_sub(per);
        let hi = (cursor + per + 1).min(all.len());
        assert_eq!(
            &all[lo..hi],
            (lo..hi)
                .map(|i| w.get(i).unwrap().clone())
                .collect::<Vec<_>>()
                .as_slice()
        );
        assert!(w.rows().len() <= 9 * per);
        if cursor + 1 == all.len() {
            break;
        }
        cursor += 1;
        w.fill(pager, conn, cursor, per).unwrap();
    }
    // Home, End, and back up a page at a time
    w.fill(pager, conn, 0, per).unwrap();
    assert_eq!(w.get(0), Some(&all[0]));
    let last = all.len() - 1;
    w.fill(pager, conn, last, per).unwrap();
    assert_eq!(w.get(last), Some(&all[last]));
    let mut c = last;
    while c > 0 {
        c = c.saturating_sub(per);
        w.fill(pager, conn, c, per).unwrap();
        assert_eq!(w.get(c), Some(&all[c]), "page up to {c}");
    }
    // every row's key finds it
    for i in (0..all.len())
        .step_by((all.len() / 37).max(1))
        .chain([last])
    {
        let key = pager.key(&all[i]);
        let c = w.reopen_at(pager, conn, Some(&key), 0, per).unwrap();
        assert_eq!(c, i);
        assert_eq!(w.get(i), Some(&all[i]));
        assert_eq!(pager.rank(conn, &key).unwrap(), i);
    }
}

/// Reverses a few payments spread over the ledger, some on their own day,
/// some later; returns the ids reversed.
fn reverse_some(path: &std::path::Path) -> Vec<i64> {
    let mut conn = db::open(path).unwrap();
    let outs: Vec<(i64, String)> = conn
        // after the audited (locked) periods
        .prepare(
            "SELECT id, date FROM fund_entries WHERE direction = 'out' AND date >= '2026-06-01'
             AND date > (SELECT coalesce(max(date_to), '') FROM audits) ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(outs.len() > 100, "{}", outs.len());
    let mut done = Vec::new();
    for (k, (id, date)) in outs.iter().step_by(outs.len() / 12).enumerate() {
        let on = if k % 2 == 0 { d(date) } else { d(TODAY) };
        db::fund::reverse(&mut conn, *id, on, "", "录错", d(TODAY)).unwrap();
        done.push(*id);
    }
    done
}

#[test]
fn fund_entries_read_by_key_are_the_whole_list_under_every_filter() {
    let f = fixture(900);
    let reversed = reverse_some(&f.path);
    let conn = db::open(&f.path).unwrap();
    let member: i64 = conn
        .query_row(
            "SELECT member_id FROM fund_entries WHERE member_id IS NOT NULL
             GROUP BY member_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let reversed_member: i64 = conn
        .query_row(
            "SELECT member_id FROM fund_entries WHERE id = ?1",
            [reversed[3]],
            |r| r.get(0),
        )
        .unwrap();
    let mut filters = vec![ListFilter::default()];
    for direction in [Some(Direction::In), Some(Direction::Out), None] {
        for category in [None, Some("subsidy"), Some("other"), Some("fiscal")] {
            for (from, to) in [
                (None, None),
                (Some(d("2026-01-01")), None),
                (Some(d("2025-03-01")), Some(d("2026-02-28"))),
            ] {
                filters.push(ListFilter {
                    from,
                    to,
                    direction,
                    category: category.map(str::to_string),
                    member_id: None,
                });
            }
        }
    }
    for m in [member, reversed_member] {
        filters.push(ListFilter {
            member_id: Some(m),
            ..ListFilter::default()
        });
    }
    let mut beside = 0;
    for f in &filters {
        let all = db::fund::list(&conn, f).unwrap();
        beside += all.iter().filter(|r| r.beside.is_some()).count();
        let pages = FundPages { filter: f.clone() };
        walk_window(&pages, &conn, &all, 7);
        let t = pages.totals(&conn).unwrap();
        let (inc, out) = db::fund::totals(&all);
        assert_eq!(
            (t.count, t.income_fen, t.payments_fen),
            (all.len(), inc, out),
            "{f:?}"
        );
    }
    assert!(
        beside >= 12,
        "{beside} reversals listed beside their entries"
    );
}

fn fund_screen(app: &App) -> &FundScreen {
    app.screen::<FundScreen>()
}

#[test]
fn the_fund_tab_opens_on_the_newest_entry_and_keeps_its_row_through_edits() {
    let f = fixture(900);
    reverse_some(&f.path);
    let conn = db::open(&f.path).unwrap();
    let all = db::fund::list(&conn, &ListFilter::default()).unwrap();
    let mut app = app_on(&f);
    app.handle(key(KeyCode::Char('5')));
    assert_eq!(app.tab(), Tab::Fund);
    app.wait_ready();
    let s = fund_screen(&app);
    assert_eq!(s.len(), all.len());
    assert_eq!(s.paging().cursor, all.len() - 1);
    assert_eq!(s.selected(), all.last());
    let (inc, out) = db::fund::totals(&all);
    let t = s.totals().unwrap();
    assert_eq!((t.income_fen, t.payments_fen), (inc, out));
    assert!(text_of(&app).contains(&all.last().unwrap().entry.voucher_no));
    // Home, End, Up from the end over every row
    app.handle(key(KeyCode::Home));
    assert_eq!(fund_screen(&app).selected(), all.first());
    assert!(text_of(&app).contains(&all[0].entry.voucher_no));
    app.handle(key(KeyCode::End));
    assert_eq!(fund_screen(&app).selected(), all.last());
    for i in (0..all.len() - 1).rev() {
        app.handle(key(KeyCode::Up));
        assert_eq!(fund_screen(&app).selected(), Some(&all[i]), "row {i}");
    }
    let per = fund_screen(&app).paging().page_size;
    for i in 1..all.len() / per {
        app.handle(key(KeyCode::PageDown));
        assert_eq!(fund_screen(&app).selected(), Some(&all[i * per]));
    }

    // while the tab is open another clerk records an income dated in the
    // past and reverses the selected payment: shown again, both are where
    // the whole list has them and the cursor stays on its row
    let here = fund_screen(&app).selected().cloned().unwrap();
    let mut other = db::open(&f.path).unwrap();
    let tx = db::audit::write_tx(&mut other, &db::audit::Actor::new("test")).unwrap();
    let income = db::fund::insert(
        &tx,
        &db::fund::NewEntry {
            date: d("2026-08-20"),
            direction: Direction::In,
            category: "fiscal".into(),
            amount_fen: 123_456,
            handled_by: "李会计".into(),
            approved_by: "王书记".into(),
            ..db::fund::NewEntry::default()
        },
        d(TODAY),
    )
    .unwrap();
    tx.commit().unwrap();
    let reversal = if here.entry.reverses_id.is_none() && here.reversed_by.is_none() {
        Some(db::fund::reverse(&mut other, here.entry.id, d(TODAY), "", "录错", d(TODAY)).unwrap())
    } else {
        None
    };
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Char('5')));
    app.wait_ready();
    let now = db::fund::list(&conn, &ListFilter::default()).unwrap();
    assert_eq!(now.len(), all.len() + 1 + usize::from(reversal.is_some()));
    let s = fund_screen(&app);
    let c = s.paging().cursor;
    assert_eq!(s.selected().map(|r| r.entry.id), Some(here.entry.id));
    assert_eq!(now[c].entry.id, here.entry.id);
    if let Some(rev) = &reversal {
        assert_eq!(s.row(c + 1).map(|r| r.entry.id), Some(rev.id));
        assert_eq!(now[c + 1].entry.id, rev.id);
    }
    let at = now.iter().position(|r| r.entry.id == income.id).unwrap();
    let t = s.totals().unwrap();
    let (inc, out) = db::fund::totals(&now);
    assert_eq!(
        (t.count, t.income_fen, t.payments_fen),
        (now.len(), inc, out)
    );
    // Home and down to the new income
    app.handle(key(KeyCode::Home));
    for _ in 0..at {
        app.handle(key(KeyCode::Down));
    }
    assert_eq!(
        fund_screen(&app).selected().map(|r| r.entry.id),
        Some(income.id)
    );
}

#[test]
fn hardship_cases_read_by_key_are_the_whole_list_under_every_filter_and_search() {
    let f = fixture(900);
    let conn = db::open(&f.path).unwrap();
    let years = db::hardship::years(&conn).unwrap();
    let mut filters = vec![CaseFilter::default()];
    for year in [None, years.first().copied(), years.last().copied()] {
        for state in [None, Some(CaseState::Applied), Some(CaseState::Active)] {
            for priority in [None, Some(Priority::Urgent), Some(Priority::Normal)] {
                filters.push(CaseFilter {
                    year,
                    state,
                    category: None,
                    priority,
                    query: String::new(),
                });
            }
        }
    }
    for category in HardshipCategory::ALL.iter().take(3) {
        filters.push(CaseFilter {
            category: Some(*category),
            ..CaseFilter::default()
        });
    }
    let a_case = db::hardship::list(&conn, &CaseFilter::default()).unwrap()[7].clone();
    let first_char: String = a_case.name.chars().take(1).collect();
    for q in ["z", "zh", "w", &a_case.code[..2], &first_char, "没有这个人"] {
        filters.push(CaseFilter {
            query: q.to_string(),
            ..CaseFilter::default()
        });
        filters.push(CaseFilter {
            query: q.to_string(),
            priority: Some(Priority::Key),
            year: years.first().copied(),
            ..CaseFilter::default()
        });
    }
    let mut listed = 0;
    // one set of members matched by every search, as the tab keeps it
    let mut members = CaseMembers::default();
    for f in &filters {
        let all = db::hardship::list(&conn, f).unwrap();
        listed += all.len();
        for through in [None, Some(true), Some(false)] {
            let mut pages = HardshipPages::searching_in(&conn, f, &mut members).unwrap();
            if let Some(t) = through {
                pages.read_through_members(t);
            }
            walk_window(&pages, &conn, &all, 6);
        }
        let pages = HardshipPages::new(&conn, f).unwrap();
        assert_eq!(
            pages.state_counts(),
            db::hardship::state_counts(&conn, f).unwrap().as_slice(),
            "{f:?}"
        );
    }
    assert!(listed > 500, "{listed}");
}

#[test]
fn a_ledger_search_sees_what_was_written_since_it_read_the_members() {
    // the tab keeps the members it matches a search against: a rename on
    // its own connection, or by another clerk, shows up at the next key
    let f = fixture(300);
    let conn = db::open(&f.path).unwrap();
    let other = db::open(&f.path).unwrap();
    let filter = CaseFilter {
        query: "测试".into(),
        ..CaseFilter::default()
    };
    let mut members = CaseMembers::default();
    let mut listed = |conn: &rusqlite::Connection| {
        let pages = HardshipPages::searching_in(conn, &filter, &mut members).unwrap();
        let all = db::hardship::list(conn, &filter).unwrap();
        assert_eq!(pages.len(conn).unwrap(), all.len());
        all.len()
    };
    assert_eq!(listed(&conn), 0);
    let rename = |c: &rusqlite::Connection, name: &str, nth: i64| {
        c.execute(
            "UPDATE members SET name = ?1, readings = '' WHERE id =
             (SELECT member_id FROM hardship_cases ORDER BY id LIMIT 1 OFFSET ?2)",
            rusqlite::params![name, nth],
        )
        .unwrap();
    };
    rename(&conn, "测试甲", 0);
    assert_eq!(listed(&conn), 1, "renamed on this connection");
    rename(&other, "测试乙", 1);
    assert_eq!(listed(&conn), 2, "renamed by another clerk");
}

fn hardship(app: &App) -> &HardshipScreen {
    app.screen::<HardshipScreen>()
}

#[test]
fn the_ledger_tab_walks_its_cases_and_keeps_its_row_through_edits() {
    let f = fixture(900);
    let conn = db::open(&f.path).unwrap();
    let all = db::hardship::list(&conn, &CaseFilter::default()).unwrap();
    let mut app = app_on(&f);
    app.handle(key(KeyCode::Char('3')));
    assert_eq!(app.tab(), Tab::Hardship);
    let s = hardship(&app);
    assert_eq!(s.len(), all.len());
    assert_eq!(s.selected(), all.first());
    assert_eq!(
        s.counts(),
        db::hardship::state_counts(&conn, &CaseFilter::default())
            .unwrap()
            .as_slice()
    );
    for (i, r) in all.iter().enumerate().skip(1) {
        app.handle(key(KeyCode::Down));
        assert_eq!(hardship(&app).selected(), Some(r), "row {i}");
    }
    app.handle(key(KeyCode::Home));
    assert_eq!(hardship(&app).selected(), all.first());
    app.handle(key(KeyCode::End));
    assert_eq!(hardship(&app).selected(), all.last());
    assert!(text_of(&app).contains(&all.last().unwrap().name));
    let per = hardship(&app).paging().page_size;
    let mut c = all.len() - 1;
    while c > 0 {
        app.handle(key(KeyCode::PageUp));
        c = c.saturating_sub(per);
        assert_eq!(hardship(&app).selected(), Some(&all[c]));
    }
    // the year filter, then a search narrowing it
    app.handle(key(KeyCode::Char('y')));
    let y = CaseFilter {
        year: db::hardship::years(&conn).unwrap().first().copied(),
        ..CaseFilter::default()
    };
    let of_year = db::hardship::list(&conn, &y).unwrap();
    assert_eq!(hardship(&app).len(), of_year.len());
    app.handle(key(KeyCode::End));
    assert_eq!(hardship(&app).selected(), of_year.last());
    app.handle(key(KeyCode::Esc));
    assert_eq!(hardship(&app).len(), all.len());

    // in the middle of the list: another clerk moves the selected case to
    // 特困 and a new step is recorded; shown again, it is where the whole
    // list has it and still selected
    for _ in 0..all.len() / 2 {
        app.handle(key(KeyCode::Down));
    }
    let here = hardship(&app).selected().cloned().unwrap();
    let mut other = db::open(&f.path).unwrap();
    let tx = db::audit::write_tx(&mut other, &db::audit::Actor::new("test")).unwrap();
    tx.execute(
        "UPDATE hardship_cases SET priority = 'urgent', version = version + 1 WHERE id = ?1",
        [here.id],
    )
    .unwrap();
    tx.commit().unwrap();
    app.handle(key(KeyCode::Char('1')));
    app.handle(key(KeyCode::Char('3')));
    let now = db::hardship::list(&conn, &CaseFilter::default()).unwrap();
    let s = hardship(&app);
    let c = s.paging().cursor;
    assert_eq!(s.selected().map(|r| r.id), Some(here.id));
    assert_eq!(now[c].id, here.id);
    assert_eq!(s.selected(), Some(&now[c]));
    let from = c.saturating_sub(per);
    for (i, want) in now.iter().enumerate().skip(from).take(c + per - from) {
        assert_eq!(s.row(i), Some(want), "row {i}");
    }
}
