use super::*;
use crate::db::open_in_memory;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-28")
}

fn income(conn: &mut Connection, date: &str, fen: i64) -> Entry {
    record(
        conn,
        &NewEntry {
            date: d(date),
            direction: Direction::In,
            category: "fiscal".into(),
            amount_fen: fen,
            ..NewEntry::default()
        },
        today(),
        "test",
    )
    .unwrap()
}

fn payment(conn: &mut Connection, date: &str, fen: i64) -> Result<Entry> {
    record(
        conn,
        &NewEntry {
            date: d(date),
            direction: Direction::Out,
            category: "goods".into(),
            amount_fen: fen,
            ..NewEntry::default()
        },
        today(),
        "test",
    )
}

#[test]
fn the_database_refuses_to_edit_or_delete_an_entry() {
    let mut conn = open_in_memory().unwrap();
    let e = income(&mut conn, "2026-01-05", 10_000);
    let err = conn
        .execute(
            "UPDATE fund_entries SET amount_fen = 1 WHERE id = ?1",
            [e.id],
        )
        .unwrap_err();
    assert!(err.to_string().contains("never edited"), "{err}");
    let err = conn
        .execute("DELETE FROM fund_entries WHERE id = ?1", [e.id])
        .unwrap_err();
    assert!(err.to_string().contains("never deleted"), "{err}");
    assert_eq!(entry(&conn, e.id).unwrap(), Some(e));
}

#[test]
fn the_triggers_refuse_what_the_checks_refuse_even_without_them() {
    let mut conn = open_in_memory().unwrap();
    let e = income(&mut conn, "2026-01-05", 10_000);
    let raw = |sql: &str| conn.execute_batch(sql).unwrap_err().to_string();
    // a payment above the balance on a day
    let err = raw(
        "INSERT INTO fund_entries (id, date, direction, category, amount_fen, voucher_no, prev_hash, hash)
         VALUES (9, '2026-01-06', 'out', 'goods', 10001, 'X-1', '', '')",
    );
    assert!(err.contains("larger than the fund balance"), "{err}");
    // a reversal that does not mirror its entry
    let err = raw(&format!(
        "INSERT INTO fund_entries (id, date, direction, category, amount_fen, voucher_no, reverses_id, prev_hash, hash)
         VALUES (9, '2026-01-06', 'out', 'fiscal', 5, 'X-2', {}, '', '')",
        e.id
    ));
    assert!(err.contains("a reversal mirrors"), "{err}");
    assert_eq!(entries(&conn).unwrap().len(), 1);
}

#[test]
fn a_payment_is_checked_against_every_later_day() {
    let mut conn = open_in_memory().unwrap();
    income(&mut conn, "2026-01-05", 10_000);
    payment(&mut conn, "2026-03-01", 8_000).unwrap();
    // 5,000 on 02-01 fits that day (10,000) but leaves 03-01 at -3,000
    let err = payment(&mut conn, "2026-02-01", 5_000).unwrap_err();
    assert!(
        err.message(crate::domain::Lang::Zh)
            .contains("支出后 2026-03-01 的余额将为 -¥30.00"),
        "{err}"
    );
    payment(&mut conn, "2026-02-01", 2_000).unwrap();
    assert_eq!(balance(&conn).unwrap(), 0);
    assert!(verify(&conn).unwrap().ok());
}

#[test]
fn vouchers_are_proposed_per_year_and_unique() {
    let mut conn = open_in_memory().unwrap();
    assert_eq!(income(&mut conn, "2025-12-30", 100).voucher_no, "2025-0001");
    assert_eq!(income(&mut conn, "2026-01-02", 100).voucher_no, "2026-0001");
    assert_eq!(income(&mut conn, "2026-01-03", 100).voucher_no, "2026-0002");
    let err = record(
        &mut conn,
        &NewEntry {
            date: d("2026-05-01"),
            direction: Direction::In,
            category: "dues".into(),
            amount_fen: 5,
            voucher_no: "2026-0002".into(),
            ..NewEntry::default()
        },
        today(),
        "test",
    )
    .unwrap_err();
    assert!(
        err.message(crate::domain::Lang::Zh)
            .contains("已有凭证号 2026-0002")
    );
}

#[test]
fn an_audit_locks_its_period_and_the_days_before_it() {
    let mut conn = open_in_memory().unwrap();
    income(&mut conn, "2026-03-05", 10_000);
    close_audit(
        &mut conn,
        d("2026-03-01"),
        d("2026-03-31"),
        "赵会计",
        "",
        today(),
    )
    .unwrap();
    for day in ["2026-03-10", "2026-02-01"] {
        let before = crate::db::fund::entries(&conn).unwrap();
        let err = payment(&mut conn, day, 1).unwrap_err();
        assert!(
            err.message(crate::domain::Lang::Zh).contains("已审计结账"),
            "{day}: {err}"
        );
        assert_eq!(entries(&conn).unwrap(), before);
    }
    payment(&mut conn, "2026-04-01", 1).unwrap();
    let v = verify(&conn).unwrap();
    assert!(v.ok(), "{v:?}");
    assert_eq!(v.audits, 1);
    // a second audit may not overlap the first
    let e = audit_preview(&conn, d("2026-03-15"), d("2026-04-30"), today())
        .unwrap()
        .unwrap_err();
    assert!(e.zh.contains("重叠"), "{e:?}");
}

#[test]
fn a_reversal_once_and_the_log_finds_a_deleted_last_entry() {
    let mut conn = open_in_memory().unwrap();
    income(&mut conn, "2026-01-05", 10_000);
    let p = payment(&mut conn, "2026-01-06", 4_000).unwrap();
    let r = reverse(&mut conn, p.id, d("2026-01-07"), "", "重复", today()).unwrap();
    assert_eq!(r.reverses_id, Some(p.id));
    assert_eq!(r.direction, Direction::In);
    assert!(reverse(&mut conn, p.id, d("2026-01-08"), "", "再次", today()).is_err());
    assert!(reverse(&mut conn, r.id, d("2026-01-08"), "", "冲销的冲销", today()).is_err());
    assert_eq!(balance(&conn).unwrap(), 10_000);
    assert!(verify(&conn).unwrap().ok());
    conn.execute_batch(&format!(
        "DROP TRIGGER fund_entries_no_delete; DELETE FROM fund_entries WHERE id = {};",
        r.id
    ))
    .unwrap();
    let v = verify(&conn).unwrap();
    assert_eq!(v.chain, Err((ChainBreak::Broken { id: r.id }, None)));
    assert_eq!(v.missing_guards, ["fund_entries_no_delete"]);
}

#[test]
fn a_subsidy_batch_pays_each_eligible_member_once_a_month() {
    let mut conn = open_in_memory().unwrap();
    let mut m = Member::new("001", "张三", d("1960-07-01"));
    m.no_fixed_income = true;
    crate::db::members::save(&mut conn, &m).unwrap();
    member_two(&mut conn);
    let s = Settings::default();
    // nothing to pay with: refused whole
    let before = entries(&conn).unwrap();
    assert!(
        pay_subsidies(
            &mut conn,
            "2026-10",
            d("2026-10-05"),
            "王",
            "李",
            &s,
            today()
        )
        .is_err()
    );
    assert_eq!(entries(&conn).unwrap(), before);
    income(&mut conn, "2026-10-01", 100_000);
    let p = subsidy_preview(&conn, "2026-10", d("2026-10-05"), &s).unwrap();
    assert_eq!(p.to_pay.len(), 1);
    assert_eq!(p.total_fen, 8_000);
    assert!(p.affordable());
    assert_eq!(
        pay_subsidies(
            &mut conn,
            "2026-10",
            d("2026-10-05"),
            "王",
            "李",
            &s,
            today()
        )
        .unwrap(),
        1
    );
    assert_eq!(
        pay_subsidies(
            &mut conn,
            "2026-10",
            d("2026-10-20"),
            "王",
            "李",
            &s,
            today()
        )
        .unwrap(),
        0
    );
    assert!(
        pay_subsidies(
            &mut conn,
            "2026-1",
            d("2026-10-20"),
            "王",
            "李",
            &s,
            today()
        )
        .is_err()
    );
    assert!(verify(&conn).unwrap().ok());
}

/// A member the subsidy does not reach: neither flag.
fn member_two(conn: &mut Connection) {
    let m = Member::new("002", "李四", d("1950-07-01"));
    crate::db::members::save(conn, &m).unwrap();
}

#[test]
fn the_ledger_names_both_sides_of_a_reversal() {
    let mut conn = open_in_memory().unwrap();
    income(&mut conn, "2026-01-05", 10_000);
    let p = payment(&mut conn, "2026-01-06", 4_000).unwrap();
    reverse(&mut conn, p.id, d("2026-01-07"), "", "重复", today()).unwrap();
    let mut rows: Vec<LedgerRow> = Vec::new();
    stream_ledger(&conn, &mut |it| rows.extend(it)).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].reversed_by, Some((2026, "2026-0003".into())));
    assert_eq!(rows[2].reverses, Some((2026, "2026-0002".into())));
    assert_eq!(rows[2].id, 3);
    assert_eq!(rows[2].prev_hash, rows[1].hash);
}

#[test]
fn the_kept_voucher_counter_and_day_totals_answer_as_every_entry_would() {
    let mut conn = open_in_memory().unwrap();
    let vouchers = [
        "2026-0007",
        "2026-+12",
        "2026-00099",
        "2026-abc",
        "2026-4294967296",
        "2026-",
        "2026-88x",
        "2025-9999",
        "X-2026-5000",
        "2026-0000000000000041",
        "2026--3",
        "2026-+",
    ];
    for (i, v) in vouchers.iter().enumerate() {
        record(
            &mut conn,
            &NewEntry {
                date: d(if v.starts_with("2025") {
                    "2025-06-01"
                } else {
                    "2026-03-01"
                }),
                direction: Direction::In,
                category: "fiscal".into(),
                amount_fen: 100 + i as i64,
                voucher_no: v.to_string(),
                ..NewEntry::default()
            },
            today(),
            "test",
        )
        .unwrap();
        let all = entries(&conn).unwrap();
        for year in [2025, 2026, 2027] {
            let used: Vec<&str> = all
                .iter()
                .filter(|e| chrono::Datelike::year(&e.date) == year)
                .map(|e| e.voucher_no.as_str())
                .collect();
            assert_eq!(
                propose_voucher(&conn, year).unwrap(),
                fund::next_voucher(year, used),
                "after {v}"
            );
        }
    }
    payment(&mut conn, "2026-03-02", 500).unwrap();
    payment(&mut conn, "2026-03-02", 20).unwrap();
    let all = entries(&conn).unwrap();
    let days = day_totals(&conn).unwrap();
    for day in [
        "2025-01-01",
        "2025-06-01",
        "2026-03-01",
        "2026-03-02",
        "2026-11-28",
    ] {
        assert_eq!(
            fund::balance_on(&days, d(day)),
            fund::balance_on(&all, d(day))
        );
        assert_eq!(
            fund::lowest_from(&days, d(day)).0,
            fund::lowest_from(&all, d(day)).0
        );
    }
    // A payment larger than the balance from its day on is refused by the trigger too.
    let big = fund::balance(&all) + 1;
    assert!(payment(&mut conn, "2026-03-05", big).is_err());
    let err = conn
        .execute(
            "INSERT INTO fund_entries (id, date, direction, category, amount_fen, voucher_no, prev_hash, hash)
             VALUES (999, '2026-03-05', 'out', 'goods', ?1, 'T-1', '', '')",
            [big],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("larger than the fund balance"),
        "{err}"
    );
}
