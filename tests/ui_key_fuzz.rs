//! Random key sequences on the whole app, started on the hardship ledger: no
//! key sequence panics, every frame draws at 80x24 without half a wide
//! character, and whatever was saved on the way leaves every case's history a
//! valid path of the workflow, its state the last step's, and the fund verifies.
//! `GUANHUAI_FUZZ_CASES` runs more sequences. The keys may well write a notice
//! or a report to a file: the test works in a directory of its own.

mod common;
#[path = "ui_hardship/fixture.rs"]
mod fixture;
#[allow(unused_imports)]
#[path = "ui_fund/fixture.rs"]
mod fund_fixture;

use fixture::*;
use guanhuai::db;
use guanhuai::domain::Lang;
use guanhuai::domain::hardship;
use proptest::prelude::*;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The keys a clerk (or a cat) may press: tabs, actions, moves, form keys,
/// digits, letters, a Chinese character, dates' punctuation. Not q or F10
/// (they quit).
fn a_key() -> impl Strategy<Value = Event> {
    let codes = vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::F(1),
        KeyCode::F(2),
        KeyCode::F(3),
        KeyCode::F(4),
        KeyCode::F(5),
        KeyCode::F(6),
        KeyCode::F(7),
        KeyCode::F(8),
        KeyCode::F(9),
        KeyCode::F(11),
        KeyCode::F(12),
    ];
    let chars: Vec<char> = "12345678 0-./:?srmahvnegyfcpzswdlbiotu张李9"
        .chars()
        .collect();
    prop_oneof![
        3 => prop::sample::select(codes).prop_map(|c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE))),
        4 => prop::sample::select(chars).prop_map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))),
        1 => prop::sample::select(vec!['s', 'u', 'e', 'a', 'g'])
            .prop_map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))),
    ]
}

/// The directory the test runs in (the one test of this binary), so a file a
/// random key sequence writes lands there and not in the source tree.
static WORKDIR: std::sync::LazyLock<tempfile::TempDir> = std::sync::LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    dir
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("GUANHUAI_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(40)
    ))]

    #[test]
    fn no_key_sequence_breaks_the_screens_or_the_ledger(
        keys in prop::collection::vec(a_key(), 1..80),
        english in any::<bool>(),
    ) {
        let _ = &*WORKDIR;
        let f = fixture();
        let mut app = tab3(&f, if english { Lang::En } else { Lang::Zh });
        for (i, k) in keys.into_iter().enumerate() {
            app.handle(k);
            if i % 3 == 0 {
                text_of(&app);
            }
        }
        text_of(&app);
        let conn = db::open(&f.path).unwrap();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM hardship_cases")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for id in ids {
            let d = db::hardship::detail(&conn, id).unwrap().unwrap();
            prop_assert!(hardship::is_valid_path(&d.steps), "case {id}: {:?}", d.steps);
            prop_assert_eq!(d.steps.last().unwrap().state, d.row.state);
        }
        // whatever the keys recorded in the fund, it verifies
        let v = db::fund::verify(&conn).unwrap();
        prop_assert!(v.ok(), "{v:?}");
    }

    /// The same on the fund tab, over a fund with entries, a reversal, a loan
    /// and an audit: whatever the keys record, the fund still verifies.
    #[test]
    fn no_key_sequence_breaks_the_fund(
        keys in prop::collection::vec(a_key(), 1..80),
        english in any::<bool>(),
    ) {
        let _ = &*WORKDIR;
        let f = fund_fixture::fixture();
        let mut app = fund_fixture::tab5(&f, if english { Lang::En } else { Lang::Zh });
        for (i, k) in keys.into_iter().enumerate() {
            app.handle(k);
            if i % 3 == 0 {
                text_of(&app);
            }
        }
        text_of(&app);
        let conn = db::open(&f.path).unwrap();
        let v = db::fund::verify(&conn).unwrap();
        prop_assert!(v.ok(), "{v:?}");
    }
}
