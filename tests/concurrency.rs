//! Two clerks on one database file: no "database is locked", and no edit silently
//! overwrites another clerk's edit.

use chrono::NaiveDate;
use guanhuai::db::{self, DbError};
use guanhuai::domain::Lang;
use guanhuai::domain::member::Member;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn second_save_of_the_same_member_is_refused_and_first_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.sqlite");
    let mut a = db::open(&path).unwrap();
    let mut b = db::open(&path).unwrap();
    let (id, _) = db::members::save(&mut a, &Member::new("001", "张三", d("1990-07-01"))).unwrap();

    // both clerks open the same record
    let mut mine = db::members::get(&a, id).unwrap().unwrap();
    let mut theirs = db::members::get(&b, id).unwrap().unwrap();
    mine.phone = Some("13800138000".into());
    theirs.notes = "另一位工作人员的备注".into();

    db::members::save(&mut b, &theirs).unwrap();
    let err = db::members::save(&mut a, &mine).unwrap_err();
    assert!(matches!(err, DbError::Conflict { .. }), "{err:?}");
    assert!(err.message(Lang::Zh).contains("另一位工作人员已修改"));

    let stored = db::members::get(&a, id).unwrap().unwrap();
    assert_eq!(stored.notes, "另一位工作人员的备注");
    assert_eq!(stored.phone, None, "the refused edit wrote nothing");

    // a status change over a stale version is refused the same way
    let err = db::members::set_status(
        &mut a,
        id,
        mine.version,
        guanhuai::domain::vocab::MemberStatus::Deceased,
    )
    .unwrap_err();
    assert!(matches!(err, DbError::Conflict { .. }));
}

#[test]
fn two_writers_at_once_never_see_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.sqlite");
    drop(db::open(&path).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut conn = db::open(&path).unwrap();
                for i in 0..150 {
                    let m = Member::new(&format!("{w}-{i:03}"), "李四", d("1990-07-01"));
                    db::members::save(&mut conn, &m).unwrap_or_else(|e| panic!("writer {w}: {e}"));
                    // a reader in between, as the other clerk's screen would be
                    db::members::count(&conn).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let conn = db::open(&path).unwrap();
    assert_eq!(db::members::count(&conn).unwrap(), 300);
}

#[test]
fn fund_verify_while_another_clerk_writes_never_sees_a_broken_chain() {
    use guanhuai::db::fund::NewEntry;
    use guanhuai::domain::vocab::Direction;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.sqlite");
    drop(db::open(&path).unwrap());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (path, done) = (path.clone(), done.clone());
        std::thread::spawn(move || {
            let mut conn = db::open(&path).unwrap();
            for i in 0..300 {
                let e = NewEntry {
                    date: d("2026-11-01"),
                    direction: Direction::In,
                    category: "fiscal".into(),
                    amount_fen: 100 + i,
                    handled_by: "李会计".into(),
                    ..NewEntry::default()
                };
                let tx = db::write_tx(&mut conn).unwrap();
                db::fund::insert(&tx, &e, d("2026-11-28")).unwrap();
                tx.commit().unwrap();
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        })
    };
    // The other clerk's fund tab, verifying the whole time.
    let conn = db::open(&path).unwrap();
    let mut checks = 0;
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        let v = db::fund::verify(&conn).unwrap();
        assert!(v.ok(), "after {checks} checks: {v:?}");
        checks += 1;
    }
    writer.join().unwrap();
    assert!(checks > 0);
    assert_eq!(db::fund::verify(&conn).unwrap().entries, 300);
}
