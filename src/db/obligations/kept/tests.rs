//! The kept table always equals the full pass: after the demo, and after
//! every kind of write, on several days.

use chrono::NaiveDate;
use proptest::prelude::*;
use rusqlite::Connection;

use super::*;
use crate::db::obligations::listing::{Item, Listing, Part};
use crate::db::obligations::{Which, compute};
use crate::domain::records::{Campaign, Event, Talk, Visit};
use crate::domain::vocab::{
    CampaignTarget, Coded as _, EventKind, MemberStatus, TalkForm, VisitKind,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn demo(members: usize, seed: u64) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = crate::db::open(&dir.path().join("k.sqlite")).unwrap();
    crate::cli::demo::generate(
        &mut conn,
        crate::cli::demo::GenOptions {
            members,
            years: 2,
            today: today(),
            seed,
            progress_every: 0,
        },
    )
    .unwrap();
    (dir, conn)
}

fn all(l: &Listing, conn: &Connection, part: Part) -> Vec<Item> {
    l.page(conn, part, 0, usize::MAX / 2).unwrap()
}

/// The table's lists on `d` are the full pass's, row for row, with the same
/// counts and campaign progress; a page from the middle is that slice.
fn assert_same(conn: &Connection, d: NaiveDate) {
    let settings = crate::db::settings::load(conn).unwrap();
    let kept = Listing::kept(conn, d, &settings)
        .unwrap()
        .expect("the kept table answers for a day after every record");
    let full = Listing::from_report(compute(conn, d, &settings, Which::Both).unwrap());
    for part in [Part::Overdue, Part::Soon] {
        let (k, f) = (all(&kept, conn, part), all(&full, conn, part));
        assert_eq!(kept.len(part), f.len(), "{part:?} on {d}");
        assert_eq!(k, f, "{part:?} rows on {d}");
        if f.len() > 6 {
            let mid = f.len() / 2 + 1;
            assert_eq!(
                kept.page(conn, part, mid, 3).unwrap(),
                f[mid..mid + 3].to_vec()
            );
            assert_eq!(kept.page(conn, part, 2, 3).unwrap(), f[2..5].to_vec());
        }
    }
    for (a, b) in kept.counts.iter().zip(&full.counts) {
        assert_eq!(
            (a.overdue, a.due_soon),
            (b.overdue, b.due_soon),
            "{:?} on {d}",
            a.rule
        );
    }
    let progress = |l: &Listing| -> Vec<(String, u64, u64)> {
        l.campaigns
            .iter()
            .map(|p| (p.campaign.name.clone(), p.targeted, p.visited))
            .collect()
    };
    assert_eq!(progress(&kept), progress(&full), "campaigns on {d}");
}

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    crate::domain::rules::add_days(d, n)
}

fn check_days(conn: &Connection) {
    for n in [0, 1, 9, 40, 200, 500] {
        assert_same(conn, days(today(), n));
    }
}

#[test]
fn the_demo_builds_the_table_and_it_equals_the_full_pass() {
    let (_dir, conn) = demo(150, 7);
    let settings = crate::db::settings::load(&conn).unwrap();
    assert!(is_current(&conn, &settings).unwrap());
    check_days(&conn);
    // Before a record's date the table does not answer; the rules run.
    let h = horizon(&conn).unwrap().unwrap();
    assert!(
        Listing::kept(&conn, days(h, -1), &settings)
            .unwrap()
            .is_none()
    );
    let l = Listing::load(&conn, days(h, -30), &settings).unwrap();
    assert!(!l.is_kept());
}

#[derive(Debug, Clone)]
enum Op {
    Talk(usize, i64),
    Visit(usize, i64, usize),
    Event(usize, i64, usize),
    VoidTalk(usize),
    Status(usize, bool),
    Campaign(i64, i64, usize),
    AnnualDays(i64),
    Rename(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..200usize, 0..400i64).prop_map(|(m, d)| Op::Talk(m, d)),
        4 => (0..200usize, 0..400i64, 0..7usize).prop_map(|(m, d, k)| Op::Visit(m, d, k)),
        3 => (0..200usize, 0..60i64, 0..16usize).prop_map(|(m, d, k)| Op::Event(m, d, k)),
        2 => (0..200usize).prop_map(Op::VoidTalk),
        2 => (0..200usize, any::<bool>()).prop_map(|(m, a)| Op::Status(m, a)),
        1 => (-30..30i64, 0..20i64, 0..8usize).prop_map(|(f, l, t)| Op::Campaign(f, l, t)),
        1 => (200..400i64).prop_map(Op::AnnualDays),
        1 => (0..200usize).prop_map(Op::Rename),
    ]
}

fn member_ids(conn: &Connection) -> Vec<(i64, i64)> {
    let mut stmt = conn
        .prepare("SELECT id, version FROM members ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Applies one write the way the program does; true when it leaves the
/// table stale by design (campaigns, settings) rather than kept current.
fn apply(conn: &mut Connection, op: &Op, n: &mut usize) -> bool {
    let ids = member_ids(conn);
    let pick = |i: usize| ids[i % ids.len()];
    *n += 1;
    match *op {
        Op::Talk(m, d) => {
            let tx = crate::db::write_tx(conn).unwrap();
            crate::db::records::insert_talk(
                &tx,
                &Talk {
                    id: 0,
                    member_id: pick(m).0,
                    date: days(today(), -d),
                    conductor: "书记".into(),
                    form: TalkForm::FaceToFace,
                    summary: format!("谈话 {n}"),
                    problems: String::new(),
                    follow_up: false,
                    follow_up_note: String::new(),
                },
            )
            .unwrap();
            tx.commit().unwrap();
        }
        Op::Visit(m, d, k) => {
            let tx = crate::db::write_tx(conn).unwrap();
            crate::db::records::insert_visit(
                &tx,
                &Visit {
                    id: 0,
                    member_id: pick(m).0,
                    date: days(today(), -d),
                    visitor: "委员".into(),
                    kind: VisitKind::ALL[k % VisitKind::ALL.len()],
                    goods: String::new(),
                    fund_entry_id: None,
                    notes: format!("走访 {n}"),
                },
            )
            .unwrap();
            tx.commit().unwrap();
        }
        Op::Event(m, d, k) => {
            let tx = crate::db::write_tx(conn).unwrap();
            crate::db::records::insert_event(
                &tx,
                &Event {
                    id: 0,
                    member_id: pick(m).0,
                    date: days(today(), -d),
                    kind: EventKind::ALL[k % EventKind::ALL.len()],
                    note: String::new(),
                },
            )
            .unwrap();
            tx.commit().unwrap();
        }
        Op::VoidTalk(i) => {
            let talks: Vec<(i64, i64)> = {
                let mut s = conn
                    .prepare("SELECT id, version FROM talks WHERE voided_on IS NULL ORDER BY id")
                    .unwrap();
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap()
            };
            if let Some(&(id, v)) = talks.get(i % talks.len().max(1)) {
                crate::db::corrections::void(
                    conn,
                    crate::db::visits_list::RecordType::Talk,
                    id,
                    v,
                    today(),
                    "录错了",
                )
                .unwrap();
            }
        }
        Op::Status(m, active) => {
            let (id, v) = pick(m);
            let status = if active {
                MemberStatus::Active
            } else {
                MemberStatus::TransferredOut
            };
            let _ = crate::db::members::set_status(conn, id, v, status);
        }
        Op::Rename(m) => {
            let (id, _) = pick(m);
            let mut member = crate::db::members::get(conn, id).unwrap().unwrap();
            member.name = format!("{}{}", ["詹", "张", "单", "曾"][m % 4], member.name);
            crate::db::members::save(conn, &member).unwrap();
        }
        Op::Campaign(from, len, t) => {
            let tx = crate::db::write_tx(conn).unwrap();
            let from = days(today(), from);
            crate::db::records::insert_campaign(
                &tx,
                &Campaign {
                    id: 0,
                    name: format!("活动{n}"),
                    from,
                    to: days(from, len),
                    targets: vec![CampaignTarget::ALL[t % CampaignTarget::ALL.len()]],
                },
            )
            .unwrap();
            tx.commit().unwrap();
            return true;
        }
        Op::AnnualDays(d) => {
            let mut s = crate::db::settings::load(conn).unwrap();
            s.annual_talk_days = d;
            crate::db::settings::save(conn, &s).unwrap();
            return true;
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn after_any_writes_the_table_equals_the_full_pass(
        seed in 1..1000u64,
        ops in proptest::collection::vec(op(), 1..12),
    ) {
        let (_dir, mut conn) = demo(40, seed);
        let mut n = 0;
        for op in &ops {
            let stale = apply(&mut conn, op, &mut n);
            let settings = crate::db::settings::load(&conn).unwrap();
            if stale {
                prop_assert!(!is_current(&conn, &settings).unwrap());
                prop_assert!(ensure(&conn, &settings).unwrap());
            }
            // Written through the program's own transactions: kept current
            // by the writer, no rebuild.
            prop_assert!(is_current(&conn, &settings).unwrap(), "after {op:?}");
            assert_same(&conn, today());
        }
        check_days(&conn);
    }
}

#[test]
fn a_bulk_write_leaves_the_table_stale_and_readers_run_the_rules() {
    let (_dir, mut conn) = demo(40, 3);
    let settings = crate::db::settings::load(&conn).unwrap();
    // One writer notes more members than it recomputes one by one.
    let tx = crate::db::write_tx(&mut conn).unwrap();
    for i in 0..=SYNC_LIMIT as i64 {
        tx.execute(
            "INSERT OR IGNORE INTO kept_dirty VALUES (?1)",
            [100_000 + i],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    assert!(!is_current(&conn, &settings).unwrap());
    assert!(Listing::kept(&conn, today(), &settings).unwrap().is_none());
    assert!(ensure(&conn, &settings).unwrap());
    assert_same(&conn, today());
}

#[test]
fn a_member_owing_the_same_twice_on_one_day_keeps_both_rows() {
    let (_dir, mut conn) = demo(40, 5);
    let member = member_ids(&conn)[3].0;
    let tx = crate::db::write_tx(&mut conn).unwrap();
    for _ in 0..2 {
        crate::db::records::insert_event(
            &tx,
            &Event {
                id: 0,
                member_id: member,
                date: days(today(), -3),
                kind: EventKind::Illness,
                note: String::new(),
            },
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let settings = crate::db::settings::load(&conn).unwrap();
    assert!(is_current(&conn, &settings).unwrap());
    assert_same(&conn, today());
    // and when the whole table is built anew
    invalidate(&conn).unwrap();
    assert!(ensure(&conn, &settings).unwrap());
    assert_same(&conn, today());
    let twice: i64 = conn
        .query_row(
            "SELECT count(*) FROM kept_obligations WHERE member_id = ?1 AND code = 'event_visit:illness' AND done = 0",
            [member],
            |r| r.get(0),
        )
        .unwrap();
    assert!(twice >= 2, "{twice}");
}

/// A count row of kept_counts: done, rule, campaign, due, first day, n.
type CountRow = (i64, i64, i64, String, String, i64);

/// The table's rows (all but their numbering) and counts.
fn table(conn: &Connection) -> (Vec<Vec<rusqlite::types::Value>>, Vec<CountRow>) {
    let mut stmt = conn
        .prepare(
            "SELECT done, due, sort_key, code, member_code, member_id, name, rule, campaign_id, starts_on
             FROM kept_obligations ORDER BY done, due, sort_key, code, member_code, member_id, rule",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| (0..10).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT done, rule, campaign_id, due, starts_on, n FROM kept_counts ORDER BY 1, 2, 3, 4, 5")
        .unwrap();
    let counts = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (rows, counts)
}

#[test]
fn the_table_built_part_by_part_is_the_table_built_whole() {
    let (_dir, mut conn) = demo(150, 11);
    // A campaign (rows done and not), and a member whose id is far above
    // the others' (sparse ids: a part of one member).
    let tx = crate::db::write_tx(&mut conn).unwrap();
    crate::db::records::insert_campaign(
        &tx,
        &Campaign {
            id: 0,
            name: "冬季走访".into(),
            from: days(today(), -20),
            to: days(today(), 30),
            targets: vec![CampaignTarget::Old, CampaignTarget::Hardship],
        },
    )
    .unwrap();
    let far_id = 5_000_000_000i64;
    crate::db::members::insert(
        &tx,
        &crate::domain::member::Member::new("Z9", "远号", days(today(), -3000)),
    )
    .unwrap();
    tx.execute("UPDATE members SET id = ?1 WHERE code = 'Z9'", [far_id])
        .unwrap();
    tx.commit().unwrap();
    let settings = crate::db::settings::load(&conn).unwrap();
    let whole = {
        let tx = crate::db::write_tx(&mut conn).unwrap();
        rebuild_in_parts(&tx, &settings, usize::MAX).unwrap();
        let t = table(&tx);
        tx.commit().unwrap();
        t
    };
    assert!(whole.0.len() > 150, "{}", whole.0.len());
    assert!(
        whole
            .0
            .iter()
            .any(|r| r[5] == rusqlite::types::Value::Integer(far_id))
    );
    assert!(
        whole
            .0
            .iter()
            .any(|r| r[0] == rusqlite::types::Value::Integer(1))
    );
    for part in [1, 2, 7, 64, 150, 151] {
        let tx = crate::db::write_tx(&mut conn).unwrap();
        rebuild_in_parts(&tx, &settings, part).unwrap();
        assert_eq!(table(&tx), whole, "parts of {part}");
        tx.commit().unwrap();
        assert!(is_current(&conn, &settings).unwrap());
        assert_same(&conn, today());
    }
    assert_eq!(part_bounds(&conn, 64).unwrap().len(), 2 + 151 / 64);
}
