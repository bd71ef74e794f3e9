//! Issue 11: the members search as the clerk sees it while a worker finishes
//! it. After every key typed and erased the rows shown are the first rows of
//! the result in their final order, the footer says the count is a floor
//! while the search runs, and once it is back the rows and the count are
//! exactly those of the search as it was (every member ranked, then sorted
//! by rank and pinyin order).

mod common;

use std::time::Duration;

use common::screen::{d, key, text_of};
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;
use guanhuai::domain::pinyin::{PreparedQuery, SearchIndex};
use guanhuai::domain::validate::mask_phone;
use guanhuai::domain::vocab::MemberStatus;
use guanhuai::ui::app::{App, Config};
use guanhuai::ui::screens::members::{MembersScreen, SearchTuning};
use ratatui::crossterm::event::KeyCode;

const SURNAMES: &[&str] = &["张", "李", "王", "陈", "吕", "重", "曾", "单", "赵", "周"];
const GIVEN: &[&str] = &[
    "三", "四", "小云", "庆", "绿", "晨", "建华", "子涵", "国强", "丽",
];

fn fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("r.sqlite");
    let mut conn = db::open(&path).unwrap();
    let mut seed: u64 = 11;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for i in 0..240u64 {
        let name = format!(
            "{}{}",
            SURNAMES[next(SURNAMES.len() as u64) as usize],
            GIVEN[next(GIVEN.len() as u64) as usize]
        );
        let code = format!("{:04}", 1 + i * 7 % 1000);
        let mut m = Member::new(&code, &name, d("2000-07-01"));
        m.registered_on = Some(d("2020-01-01"));
        m.phone = match next(3) {
            0 => None,
            1 => Some(format!("13{:09}", next(1_000_000_000))),
            _ => Some(format!("010-{:08}", next(100_000_000))),
        };
        db::members::save(&mut conn, &m).unwrap();
    }
    path
}

/// The codes of every active member the old search found for `q`, in order.
fn expected(path: &std::path::Path, q: &str) -> Vec<String> {
    let conn = db::open(path).unwrap();
    let mut ix = SearchIndex::new();
    let mut rows = Vec::new();
    db::members::for_each_roster_entry(&conn, |e| {
        let shown = mask_phone(&e.phone);
        let runs: Vec<&str> = if e.phone.trim().is_empty() {
            Vec::new()
        } else {
            shown
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let id = ix.push(&e.name, &e.readings, &e.code, &runs);
        if e.status == MemberStatus::Active {
            rows.push((id, e.code.clone()));
        }
    })
    .unwrap();
    let pq = PreparedQuery::new(q);
    let mut hits: Vec<_> = rows
        .iter()
        .enumerate()
        .filter_map(|(place, (id, code))| ix.rank(*id, &pq).map(|r| (r, place, code.clone())))
        .collect();
    hits.sort();
    hits.into_iter().map(|(_, _, c)| c).collect()
}

fn shown(app: &App) -> Vec<String> {
    let s = app.screen::<MembersScreen>();
    s.page().iter().map(|m| m.code.clone()).collect()
}

/// While the worker runs: the rows are the result's first, the count a
/// floor, the footer says so. Then: exactly the old result's first page.
fn check(app: &mut App, path: &std::path::Path, q: &str, saw_pending: &mut bool) {
    let want = expected(path, q);
    let s = app.screen::<MembersScreen>();
    assert_eq!(s.search_text(), q);
    if s.searching() {
        *saw_pending = true;
        let rows = shown(app);
        assert_eq!(
            rows[..],
            want[..rows.len()],
            "rows shown while searching {q:?}"
        );
        assert!(
            s.total() <= want.len(),
            "floor {} over {} for {q:?}",
            s.total(),
            want.len()
        );
        let text = text_of(app);
        assert!(
            text.contains("搜索中"),
            "footer of a running search:\n{text}"
        );
        assert!(!text.contains(&format!("共 {} 人", want.len())) || want.is_empty());
        assert!(
            !text.contains("没有找到"),
            "nothing found before the search is done:\n{text}"
        );
        app.wait_ready();
    }
    let s = app.screen::<MembersScreen>();
    assert!(!s.searching());
    let page = s.paging().page_size;
    assert_eq!(s.total(), want.len(), "count for {q:?}");
    assert_eq!(
        shown(app),
        want[..want.len().min(page)],
        "first page for {q:?}"
    );
    assert!(text_of(app).contains(&format!("共 {} 人", want.len())));
}

fn app_with_worker_searches(path: &std::path::Path) -> App {
    app_tuned(path, 250_000)
}

fn app_tuned(path: &std::path::Path, kept_places: usize) -> App {
    let cfg = Config {
        lang: Lang::Zh,
        ..Config::new(d("2026-01-15"))
    };
    let mut app = App::new(db::open(path).unwrap(), cfg).unwrap();
    app.handle(key(KeyCode::Char('2')));
    app.wait_ready();
    // Every search goes to the worker, each keystroke reading only a few members.
    app.screen_mut::<MembersScreen>()
        .set_search_tuning(SearchTuning {
            sync_limit: 0,
            budget: Duration::ZERO,
            chunk: 16,
            kept_places,
        });
    app.handle(key(KeyCode::Char('/')));
    app
}

#[test]
fn rows_and_count_are_right_after_every_key_typed_and_erased() {
    type_and_erase(250_000);
}

#[test]
fn with_no_earlier_result_kept_backspace_searches_again() {
    type_and_erase(0);
}

fn type_and_erase(kept_places: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(dir.path());
    let mut app = app_tuned(&path, kept_places);
    let mut saw_pending = false;
    for q in [
        "zhang", "zs", "lv", "cq", "13", "00", "010", "李", "wxy", "0071",
    ] {
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            app.handle(key(KeyCode::Char(c)));
            check(&mut app, &path, &typed, &mut saw_pending);
        }
        for _ in q.chars() {
            typed.pop();
            app.handle(key(KeyCode::Backspace));
            check(&mut app, &path, &typed, &mut saw_pending);
        }
    }
    assert!(saw_pending, "some search ran on the worker");
}

#[test]
fn typing_on_while_the_worker_runs_and_paging_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(dir.path());
    let mut app = app_with_worker_searches(&path);
    // Three keys before any result is taken: each replaces the search before it.
    for c in "zha".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    let want = expected(&path, "zha");
    let rows = shown(&app);
    assert_eq!(rows[..], want[..rows.len()]);
    // Going to the list and paging needs the whole result: it waits for it.
    app.handle(key(KeyCode::Enter));
    let s = app.screen::<MembersScreen>();
    assert!(!s.searching());
    assert_eq!(s.total(), want.len());
    app.handle(key(KeyCode::PageDown));
    let s = app.screen::<MembersScreen>();
    let page = s.paging().page_size;
    let second: Vec<String> = want.iter().skip(page).take(page).cloned().collect();
    assert_eq!(shown(&app), second);
}
