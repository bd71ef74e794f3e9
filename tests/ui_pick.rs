//! The members a search or a picker finds (`ui::screens::pick`): through the
//! in-memory index on a large roster, the same members as the SQL walk of a
//! small one, the exact code first; and never a stale answer after a
//! member is written, by this connection or another.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;

use guanhuai::db;
use guanhuai::db::visits_list::{MemberHit, member_candidates};
use guanhuai::ui::screens::pick::{candidates_from, ready_for};
use rusqlite::Connection;

/// The index is one for the whole process: one test at a time.
static ONE: Mutex<()> = Mutex::new(());

/// Through the index (every roster counts as large), waiting for it.
fn indexed(conn: &Connection, q: &str, limit: usize) -> Vec<MemberHit> {
    let hits = candidates_from(conn, q, limit, 0, true).unwrap();
    assert!(ready_for(conn.path().unwrap()), "through the index");
    hits
}

fn ids(hits: &[MemberHit]) -> BTreeSet<i64> {
    hits.iter().map(|h| h.id).collect()
}

/// Active members' (code, name, readings), a few of them.
fn some_members(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT code, name, readings FROM members WHERE status = 'active'
             ORDER BY id % 7, id LIMIT 12",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_index_finds_the_members_the_walk_finds_with_the_exact_code_first() {
    let _one = ONE.lock().unwrap_or_else(|p| p.into_inner());
    let demo = common::demo_db();
    let conn = db::open(&demo.path).unwrap();
    let members = some_members(&conn);
    assert!(members.len() >= 10);
    let mut queries: Vec<String> = vec!["zzzzqx".into(), "王".into(), "李".into()];
    for (code, name, readings) in &members {
        // the first reading of each character: full pinyin and initials
        let syllables: Vec<&str> = readings
            .split(' ')
            .filter_map(|r| r.split('/').next())
            .collect();
        let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
        queries.extend([
            code.clone(),
            name.clone(),
            name.chars().take(1).collect(),
            syllables.concat(),
            initials,
        ]);
        let hits = indexed(&conn, code, 5);
        assert_eq!(hits.first().map(|h| &h.code), Some(code), "code {code}");
    }
    for q in &queries {
        let walk = member_candidates(&conn, q, 1000).unwrap();
        let index = indexed(&conn, q, 1000);
        assert_eq!(ids(&index), ids(&walk), "query {q:?}");
        // each hit once, with the member's own code and name
        assert_eq!(index.len(), ids(&index).len(), "query {q:?}");
        for h in &index {
            let m = db::members::get(&conn, h.id).unwrap().unwrap();
            assert_eq!((&m.code, &m.name), (&h.code, &h.name));
        }
    }
    // Typed a key at a time: each longer query is matched among the last
    // one's hits, and still finds what the walk finds.
    for (_, name, readings) in members.iter().take(4) {
        let full: String = readings
            .split(' ')
            .filter_map(|r| r.split('/').next())
            .collect();
        for typed in [full.as_str(), name.as_str()] {
            let chars: Vec<char> = typed.chars().collect();
            for n in 1..=chars.len() {
                let q: String = chars[..n].iter().collect();
                let walk = member_candidates(&conn, &q, 1000).unwrap();
                assert_eq!(ids(&indexed(&conn, &q, 1000)), ids(&walk), "typed {q:?}");
            }
        }
    }
    assert!(indexed(&conn, "zzzzqx", 10).is_empty());
    assert_eq!(indexed(&conn, &members[0].1, 1).len(), 1, "the limit holds");
}

#[test]
fn a_member_written_after_the_index_was_read_is_found_as_written() {
    let _one = ONE.lock().unwrap_or_else(|p| p.into_inner());
    let demo = common::demo_db();
    let mut conn = db::open(&demo.path).unwrap();
    let (code, _, _) = some_members(&conn).remove(3);
    let id: i64 = conn
        .query_row("SELECT id FROM members WHERE code = ?1", [&code], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(ids(&indexed(&conn, &code, 5)), BTreeSet::from([id]));
    let rename = |conn: &mut Connection, name: &str| {
        let mut m = db::members::get(conn, id).unwrap().unwrap();
        m.name = name.to_string();
        db::members::save(conn, &m).unwrap();
    };
    // Renamed on this connection: the next search finds the new name at
    // once (the walk answers while the index is read again), then through
    // the index built anew.
    rename(&mut conn, "欧阳娜娜");
    let first = candidates_from(&conn, "欧阳娜娜", 5, 0, false).unwrap();
    assert!(first.iter().any(|h| h.id == id), "{first:?}");
    let again = indexed(&conn, "oynn", 50);
    assert!(again.iter().any(|h| h.id == id && h.name == "欧阳娜娜"));
    // Renamed by another clerk (another connection), and moved out of the
    // roster's active members: found, then no longer found.
    let mut other = db::open(&demo.path).unwrap();
    rename(&mut other, "司马懿懿");
    assert!(
        candidates_from(&conn, "司马懿懿", 5, 0, false)
            .unwrap()
            .iter()
            .any(|h| h.id == id)
    );
    assert!(indexed(&conn, "smyy", 50).iter().any(|h| h.id == id));
    let mut m = db::members::get(&other, id).unwrap().unwrap();
    m.status = guanhuai::domain::vocab::MemberStatus::Deceased;
    m.left_on = Some(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    db::members::save(&mut other, &m).unwrap();
    assert!(!indexed(&conn, "司马懿懿", 50).iter().any(|h| h.id == id));
    assert!(!indexed(&conn, &code, 50).iter().any(|h| h.id == id));
}
