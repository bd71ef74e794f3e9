use super::*;
use crate::domain::vocab::MemberStatus;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Entries chained in the order given: (date, direction, category, fen).
fn chain(list: &[(&str, Direction, &str, i64)]) -> Vec<Entry> {
    let mut prev = GENESIS.to_string();
    let mut out = Vec::new();
    for (i, (date, dir, cat, fen)) in list.iter().enumerate() {
        let mut e = Entry {
            id: i as i64 + 1,
            date: d(date),
            direction: *dir,
            category: cat.to_string(),
            amount_fen: *fen,
            voucher_no: format!("2026-{:04}", i + 1),
            ..Entry::default()
        };
        e.prev_hash = prev.clone();
        e.hash = entry_hash(&prev, &e);
        prev = e.hash.clone();
        out.push(e);
    }
    out
}

use Direction::{In, Out};

fn sample() -> Vec<Entry> {
    chain(&[
        ("2026-01-05", In, "fiscal", 100_000),
        ("2026-02-01", Out, "relief", 30_000),
        ("2026-03-01", Out, "goods", 50_000),
        ("2026-03-10", In, "dues", 10_000),
    ])
}

#[test]
fn an_intact_chain_verifies_to_its_last_hash() {
    let all = sample();
    assert_eq!(verify_chain(&all), Ok(all[3].hash.clone()));
    assert_eq!(verify_chain(&[]), Ok(GENESIS.to_string()));
    assert_eq!(all[0].prev_hash, GENESIS);
    assert_eq!(all[0].hash.len(), 64);
    assert!(all[0].hash.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn every_field_is_in_the_hash() {
    let base = sample()[1].clone();
    let h = entry_hash(GENESIS, &base);
    type Change = Box<dyn Fn(&mut Entry)>;
    let changes: Vec<Change> = vec![
        Box::new(|e| e.id += 1),
        Box::new(|e| e.date = d("2026-02-02")),
        Box::new(|e| e.direction = In),
        Box::new(|e| e.category = "goods".into()),
        Box::new(|e| e.amount_fen += 1),
        Box::new(|e| e.member_id = Some(1)),
        Box::new(|e| e.case_id = Some(1)),
        Box::new(|e| e.measure_id = Some(1)),
        Box::new(|e| e.voucher_no.push('x')),
        Box::new(|e| e.handled_by = "x".into()),
        Box::new(|e| e.approved_by = "x".into()),
        Box::new(|e| e.note = "x".into()),
        Box::new(|e| e.reverses_id = Some(1)),
        Box::new(|e| e.loan_id = Some(1)),
        Box::new(|e| e.subsidy_month = Some("2026-02".into())),
    ];
    for (i, f) in changes.iter().enumerate() {
        let mut e = base.clone();
        f(&mut e);
        assert_ne!(entry_hash(GENESIS, &e), h, "change {i}");
    }
    // fields cannot run into each other: "ab" + "" differs from "a" + "b"
    let mut a = base.clone();
    a.handled_by = "ab".into();
    a.approved_by = String::new();
    let mut b = base.clone();
    b.handled_by = "a".into();
    b.approved_by = "b".into();
    assert_ne!(entry_hash(GENESIS, &a), entry_hash(GENESIS, &b));
    assert_ne!(
        entry_hash(GENESIS, &base),
        entry_hash(&"1".repeat(64), &base)
    );
}

#[test]
fn an_edit_a_deletion_and_a_reordering_break_the_chain_where_they_are() {
    let all = sample();
    let mut edited = all.clone();
    edited[2].amount_fen = 1;
    assert_eq!(verify_chain(&edited), Err(ChainBreak::Altered { id: 3 }));
    let mut deleted = all.clone();
    deleted.remove(1);
    assert_eq!(verify_chain(&deleted), Err(ChainBreak::Broken { id: 3 }));
    let mut swapped = all.clone();
    swapped.swap(1, 2);
    assert_eq!(verify_chain(&swapped), Err(ChainBreak::Broken { id: 3 }));
    // ids swapped as well: the row now at id 2 does not follow entry 1
    let mut renumbered = swapped.clone();
    renumbered[1].id = 2;
    renumbered[2].id = 3;
    assert_eq!(verify_chain(&renumbered), Err(ChainBreak::Broken { id: 2 }));
    assert_eq!(ChainBreak::Altered { id: 7 }.id(), 7);
}

#[test]
fn balances_by_day_and_the_lowest_from_a_day() {
    let all = sample();
    assert_eq!(balance(&all), 30_000);
    assert_eq!(balance_on(&all, d("2026-01-04")), 0);
    assert_eq!(balance_on(&all, d("2026-02-01")), 70_000);
    assert_eq!(balance_on(&all, d("2026-03-01")), 20_000);
    // from 2026-02-15 the lowest is 2026-03-01's 20,000
    assert_eq!(
        lowest_from(&all, d("2026-02-15")),
        (20_000, d("2026-03-01"))
    );
    // from after the last entry: the balance then
    assert_eq!(
        lowest_from(&all, d("2026-04-01")),
        (30_000, d("2026-04-01"))
    );
    // before any entry
    assert_eq!(lowest_from(&all, d("2025-12-01")), (0, d("2025-12-01")));
    assert!(negative_days(&all).is_empty());
    let mut bad = all.clone();
    bad[0].amount_fen = 40_000;
    assert_eq!(
        negative_days(&bad),
        [(d("2026-03-01"), -40_000), (d("2026-03-10"), -30_000)]
    );
}

#[test]
fn a_payment_dated_back_may_not_make_a_later_day_negative() {
    let all = sample();
    // 70,000 on 02-15 would be fine that day but leave 03-01 at -50,000
    let e = check_payment(&all, d("2026-02-15"), 70_000).unwrap_err();
    assert_eq!(e.field, "amount");
    assert_eq!(
        e.zh,
        "余额不足：支出后 2026-03-01 的余额将为 -¥500.00（当日余额 ¥200.00），不够支出 ¥700.00"
    );
    assert!(check_payment(&all, d("2026-02-15"), 20_000).is_ok());
    assert!(check_payment(&all, d("2026-02-15"), 20_001).is_err());
    // today's balance is the limit when no later day is lower
    let e = check_payment(&all, d("2026-03-20"), 30_001).unwrap_err();
    assert_eq!(
        e.zh,
        "余额不足：2026-03-20 的余额为 ¥300.00，不够支出 ¥300.01"
    );
    assert!(check_payment(&all, d("2026-03-20"), 30_000).is_ok());
    assert!(check_payment(&[], d("2026-03-20"), 1).is_err());
}

#[test]
fn vouchers_are_proposed_one_past_the_highest_of_the_year() {
    assert_eq!(next_voucher(2026, []), "2026-0001");
    assert_eq!(
        next_voucher(2026, ["2026-0001", "2026-0009", "2025-0100", "手写-3"]),
        "2026-0010"
    );
    assert_eq!(next_voucher(2026, ["2026-9999"]), "2026-10000");
    assert_eq!(next_voucher(2027, ["2026-0004"]), "2027-0001");
}

#[test]
fn schedules_split_evenly_with_the_remainder_last_and_clamp_month_ends() {
    let s = schedule(100_000, d("2026-01-31"), 3, 1);
    assert_eq!(
        s,
        [
            Instalment {
                seq: 1,
                due: d("2026-01-31"),
                amount_fen: 33_333
            },
            Instalment {
                seq: 2,
                due: d("2026-02-28"),
                amount_fen: 33_333
            },
            Instalment {
                seq: 3,
                due: d("2026-03-31"),
                amount_fen: 33_334
            },
        ]
    );
    assert_eq!(s.iter().map(|i| i.amount_fen).sum::<i64>(), 100_000);
    let q = schedule(600_000, d("2026-07-20"), 2, 3);
    assert_eq!(q[1].due, d("2026-10-20"));
    assert_eq!(schedule(5, d("2026-01-01"), 0, 1).len(), 1);
}

#[test]
fn repayments_complete_instalments_in_due_order() {
    let plan = schedule(300_000, d("2026-02-01"), 3, 1);
    assert_eq!(allocate(&plan, &[]), [None, None, None]);
    // one repayment of two instalments completes both
    assert_eq!(
        allocate(&plan, &[(d("2026-02-01"), 10, 200_000)]),
        [Some(10), Some(10), None]
    );
    // in date order: 500 then 1,500 reach two instalments' 2,000 at once
    assert_eq!(
        allocate(
            &plan,
            &[
                (d("2026-03-05"), 12, 150_000),
                (d("2026-01-20"), 11, 50_000),
                (d("2026-04-01"), 13, 100_000)
            ]
        ),
        [Some(12), Some(12), Some(13)]
    );
}

fn member(born: &str, joined: &str) -> Member {
    let mut m = Member::new("001", "张三", d(joined));
    m.birth_date = Some(d(born));
    m
}

#[test]
fn the_subsidy_goes_to_the_members_domain_md_names() {
    let s = Settings::default();
    let on = d("2026-11-01");
    // no fixed income, standing 55 years
    let mut a = member("1950-01-01", "1971-11-01");
    a.no_fixed_income = true;
    assert!(subsidy_eligible(&a, on, &s));
    a.joined_on = d("1971-11-02");
    assert!(!subsidy_eligible(&a, on, &s));
    // low income, aged 50, standing 20
    let mut b = member("1976-11-01", "2006-11-01");
    b.low_income = true;
    assert!(subsidy_eligible(&b, on, &s));
    b.birth_date = Some(d("1976-11-02"));
    assert!(!subsidy_eligible(&b, on, &s));
    b.birth_date = Some(d("1950-01-01"));
    b.joined_on = d("2006-11-02");
    assert!(!subsidy_eligible(&b, on, &s));
    // neither flag, or not active
    let c = member("1940-01-01", "1960-01-01");
    assert!(!subsidy_eligible(&c, on, &s));
    let mut dead = a.clone();
    dead.joined_on = d("1960-01-01");
    assert!(subsidy_eligible(&dead, on, &s));
    dead.status = MemberStatus::Deceased;
    assert!(!subsidy_eligible(&dead, on, &s));
}

#[test]
fn months_are_written_and_read_as_yyyy_mm() {
    assert_eq!(month_of(d("2026-03-31")), "2026-03");
    assert_eq!(parse_month("2026-03"), Some(d("2026-03-01")));
    for bad in ["2026-3", "2026-13", "26-03", "2026/03", ""] {
        assert_eq!(parse_month(bad), None, "{bad}");
    }
}

#[test]
fn reversals_mirror_the_entry_and_count_in_its_column() {
    let mut all = chain(&[
        ("2026-01-05", In, "fiscal", 100_000),
        ("2026-02-01", Out, "relief", 30_000),
        ("2026-02-03", In, "dues", 5_000),
    ]);
    let r = reversal_of(&all[1], d("2026-02-10"), "2026-0004".into(), "重复".into());
    assert_eq!(r.direction, In);
    assert_eq!(r.category, "relief");
    assert_eq!(r.amount_fen, 30_000);
    assert_eq!(r.reverses_id, Some(2));
    let mut r = r;
    r.id = 4;
    r.prev_hash = all[2].hash.clone();
    r.hash = entry_hash(&r.prev_hash, &r);
    all.push(r);
    let r2 = reversal_of(&all[2], d("2026-03-01"), "2026-0005".into(), "错账".into());
    assert_eq!(r2.direction, Out);
    let mut r2 = r2;
    r2.id = 5;
    r2.prev_hash = all[3].hash.clone();
    r2.hash = entry_hash(&r2.prev_hash, &r2);
    all.push(r2);
    assert!(verify_chain(&all).is_ok());
    let ids: Vec<i64> = standing(&all).iter().map(|e| e.id).collect();
    assert_eq!(ids, [1]);

    // February: relief paid and reversed, dues received and (in March) reversed
    let feb = audit_figures(&all, d("2026-02-01"), d("2026-02-28"));
    assert_eq!(feb.opening_fen, 100_000);
    assert_eq!(feb.income, [("dues".to_string(), 5_000)]);
    assert_eq!(feb.payments, [("relief".to_string(), 0)]);
    assert_eq!(feb.income_fen, 5_000);
    assert_eq!(feb.payments_fen, 0);
    assert_eq!(feb.closing_fen, 105_000);
    assert_eq!(feb.entries, 3);
    assert!(feb.adds_up());
    // March: the reversal of income lowers income (below zero)
    let mar = audit_figures(&all, d("2026-03-01"), d("2026-03-31"));
    assert_eq!(mar.income, [("dues".to_string(), -5_000)]);
    assert_eq!(mar.closing_fen, 100_000);
    assert!(mar.adds_up());
    // the whole year, categories in vocabulary order
    let year = audit_figures(&all, d("2026-01-01"), d("2026-12-31"));
    assert_eq!(
        year.income,
        [("fiscal".to_string(), 100_000), ("dues".to_string(), 0)]
    );
    assert!(year.adds_up());
}

#[test]
fn categories_fit_their_direction_and_payments_to_people_name_them() {
    assert!(category_fits(In, "loan_repayment"));
    assert!(!category_fits(In, "relief"));
    assert!(category_fits(Out, "other") && category_fits(In, "other"));
    assert!(needs_member(Out, "subsidy"));
    assert!(!needs_member(Out, "goods"));
    assert!(!needs_member(In, "relief"));
    assert_eq!(category_label("health_check", Lang::Zh), "体检");
    assert_eq!(category_label("nonsense", Lang::Zh), "nonsense");
}
