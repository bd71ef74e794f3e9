//! Property test of the help fund through its checked writes (`db::fund`):
//! any sequence of income, payments (many dated back), reversals, loans,
//! repayments, subsidy batches and audits keeps the balance Σin − Σout at
//! zero or above at the end of every day, the chain valid and every audit's
//! figures those of the entries (`verify(conn).ok()`), and every refused
//! operation leaves every table byte-identical.

mod common;

use chrono::{Days, NaiveDate};
use common::dump;
use proptest::prelude::*;
use rusqlite::Connection;

use guanhuai::db;
use guanhuai::db::fund::{NewEntry, NewLoan};
use guanhuai::domain::fund::month_of;
use guanhuai::domain::member::Member;
use guanhuai::domain::settings::Settings;
use guanhuai::domain::vocab::Direction;

const INCOME: &[&str] = &[
    "fiscal",
    "dues",
    "member_donation",
    "social_donation",
    "interest",
    "other",
    "loan_repayment",
];
const PAYMENTS: &[&str] = &[
    "relief",
    "condolence",
    "goods",
    "subsidy",
    "health_check",
    "training",
    "other",
    "loan",
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-28")
}

/// A day of the year before today (and a few after, which are refused).
fn day(n: u16) -> NaiveDate {
    d("2025-12-01")
        .checked_add_days(Days::new(u64::from(n)))
        .unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    Income {
        day: u16,
        cat: usize,
        fen: i64,
    },
    Payment {
        day: u16,
        cat: usize,
        fen: i64,
        member: Option<usize>,
    },
    Reverse {
        pick: usize,
        day: u16,
    },
    Loan {
        day: u16,
        fen: i64,
        member: usize,
        n: u32,
    },
    Repay {
        pick: usize,
        day: u16,
        fen: i64,
    },
    Subsidy {
        day: u16,
    },
    Audit {
        days: u16,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let day = 0u16..375;
    let fen = prop_oneof![1i64..50_000, 50_000i64..2_000_000, Just(0i64), Just(-5i64)];
    prop_oneof![
        4 => (day.clone(), 0..INCOME.len(), fen.clone())
            .prop_map(|(day, cat, fen)| Op::Income { day, cat, fen }),
        4 => (day.clone(), 0..PAYMENTS.len(), fen.clone(), proptest::option::weighted(0.8, 0usize..4))
            .prop_map(|(day, cat, fen, member)| Op::Payment { day, cat, fen, member }),
        2 => (any::<usize>(), day.clone()).prop_map(|(pick, day)| Op::Reverse { pick, day }),
        1 => (day.clone(), 1i64..1_000_000, 0usize..4, 0u32..8)
            .prop_map(|(day, fen, member, n)| Op::Loan { day, fen, member, n }),
        2 => (any::<usize>(), day.clone(), 1i64..400_000)
            .prop_map(|(pick, day, fen)| Op::Repay { pick, day, fen }),
        1 => day.clone().prop_map(|day| Op::Subsidy { day }),
        1 => (0u16..120).prop_map(|days| Op::Audit { days }),
    ]
}

/// A branch of four members, two of them due the living subsidy.
fn branch() -> (Connection, Vec<i64>) {
    let mut conn = db::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for (i, (born, joined, no_income, low)) in [
        ("1940-01-01", "1960-07-01", true, false),
        ("1970-05-01", "2000-07-01", false, true),
        ("1980-01-01", "2005-07-01", false, false),
        ("1990-01-01", "2015-07-01", false, true),
    ]
    .into_iter()
    .enumerate()
    {
        let mut m = Member::new(
            &format!("00{i}"),
            ["张三", "李四", "王五", "赵六"][i],
            d(joined),
        );
        m.birth_date = Some(d(born));
        m.no_fixed_income = no_income;
        m.low_income = low;
        ids.push(db::members::save(&mut conn, &m).unwrap().0);
    }
    (conn, ids)
}

/// Runs one operation through the checked writes; whether it was accepted.
fn apply(conn: &mut Connection, members: &[i64], op: &Op) -> bool {
    let t = today();
    let entry = |date, direction, cat: &str, fen, member_id| NewEntry {
        date,
        direction,
        category: cat.into(),
        amount_fen: fen,
        member_id,
        handled_by: "王委员".into(),
        approved_by: "李书记".into(),
        ..NewEntry::default()
    };
    let r: Result<(), db::DbError> = match op {
        Op::Income { day: n, cat, fen } => db::fund::record(
            conn,
            &entry(day(*n), Direction::In, INCOME[*cat], *fen, None),
            t,
            "test",
        )
        .map(|_| ()),
        Op::Payment {
            day: n,
            cat,
            fen,
            member,
        } => db::fund::record(
            conn,
            &entry(
                day(*n),
                Direction::Out,
                PAYMENTS[*cat],
                *fen,
                member.map(|m| members[m]),
            ),
            t,
            "test",
        )
        .map(|_| ()),
        Op::Reverse { pick, day: n } => {
            let count = db::fund::entries(conn).unwrap().len();
            if count == 0 {
                return false;
            }
            let id = 1 + (*pick % count) as i64;
            db::fund::reverse(conn, id, day(*n), "", "更正", t).map(|_| ())
        }
        Op::Loan {
            day: n,
            fen,
            member,
            n: count,
        } => db::fund::open_loan(
            conn,
            &NewLoan {
                member_id: members[*member],
                case_id: None,
                principal_fen: *fen,
                date: day(*n),
                first_due: day(*n + 30),
                instalments: *count,
                every_months: 1,
                voucher_no: String::new(),
                handled_by: "王委员".into(),
                approved_by: "李书记".into(),
                note: String::new(),
            },
            t,
        )
        .map(|_| ()),
        Op::Repay { pick, day: n, fen } => {
            let loans = db::fund::loans(conn).unwrap();
            if loans.is_empty() {
                return false;
            }
            let l = &loans[*pick % loans.len()];
            db::fund::repay(
                conn,
                l.id,
                &entry(day(*n), Direction::In, "loan_repayment", *fen, None),
                t,
            )
            .map(|_| ())
        }
        Op::Subsidy { day: n } => {
            let date = day(*n);
            db::fund::pay_subsidies(
                conn,
                &month_of(date),
                date,
                "王委员",
                "李书记",
                &Settings::default(),
                t,
            )
            .map(|_| ())
        }
        Op::Audit { days } => {
            let Some(from) = db::fund::next_audit_from(conn).unwrap() else {
                return false;
            };
            let to = from.checked_add_days(Days::new(u64::from(*days))).unwrap();
            db::fund::close_audit(conn, from, to, "赵会计", "", t).map(|_| ())
        }
    };
    r.is_ok()
}

/// The invariants, computed here from the raw rows rather than by the code under test.
fn check(conn: &Connection) -> Result<(), TestCaseError> {
    let v = db::fund::verify(conn).unwrap();
    prop_assert!(v.ok(), "{v:?}");
    let rows: Vec<(String, String, i64)> = conn
        .prepare("SELECT date, direction, amount_fen FROM fund_entries ORDER BY date")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut running = 0i64;
    for (i, (date, dir, fen)) in rows.iter().enumerate() {
        running += if dir == "in" { *fen } else { -*fen };
        let day_ends = rows.get(i + 1).is_none_or(|n| &n.0 != date);
        if day_ends {
            prop_assert!(running >= 0, "balance {running} at the end of {date}");
        }
    }
    prop_assert_eq!(running, v.balance_fen);
    let sum_in: i64 = rows.iter().filter(|r| r.1 == "in").map(|r| r.2).sum();
    let sum_out: i64 = rows.iter().filter(|r| r.1 == "out").map(|r| r.2).sum();
    prop_assert_eq!(v.balance_fen, sum_in - sum_out);
    prop_assert_eq!(v.balance_fen, db::fund::balance(conn).unwrap());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_keeps_the_fund_whole(ops in proptest::collection::vec(op(), 1..40)) {
        let (mut conn, members) = branch();
        let mut accepted = 0;
        for o in &ops {
            let before = dump(&conn);
            if apply(&mut conn, &members, o) {
                accepted += 1;
            } else {
                let after = dump(&conn);
                prop_assert!(before == after, "{o:?} was refused but changed the database");
            }
            check(&conn)?;
        }
        // the instalments marked paid are those the repayments cover
        for l in db::fund::loans(&conn).unwrap() {
            let paid: i64 = l
                .instalments
                .iter()
                .filter(|i| i.paid_entry_id.is_some())
                .map(|i| i.amount_fen)
                .sum();
            prop_assert!(paid <= l.repaid_fen || l.cancelled, "{l:?}");
            prop_assert!(l.repaid_fen <= l.principal_fen, "{l:?}");
        }
        prop_assert!(accepted <= ops.len());
    }
}

/// A fixed sequence where each kind of refusal happens at least once.
#[test]
fn each_kind_of_refusal_changes_nothing() {
    let (mut conn, m) = branch();
    let ok = |conn: &mut Connection, o: Op| assert!(apply(conn, &m, &o), "{o:?} refused");
    ok(
        &mut conn,
        Op::Income {
            day: 10,
            cat: 0,
            fen: 100_000,
        },
    );
    ok(
        &mut conn,
        Op::Payment {
            day: 40,
            cat: 0,
            fen: 60_000,
            member: Some(0),
        },
    );
    let refused = [
        // larger than the balance
        Op::Payment {
            day: 50,
            cat: 2,
            fen: 50_000,
            member: None,
        },
        // dated back: 70,000 on day 20 leaves day 40 below zero
        Op::Payment {
            day: 20,
            cat: 2,
            fen: 70_000,
            member: None,
        },
        // zero, negative, after today
        Op::Income {
            day: 10,
            cat: 0,
            fen: 0,
        },
        Op::Income {
            day: 10,
            cat: 0,
            fen: -5,
        },
        Op::Income {
            day: 370,
            cat: 0,
            fen: 100,
        },
        // a payment to a person without the person
        Op::Payment {
            day: 50,
            cat: 0,
            fen: 100,
            member: None,
        },
        // a reversal dated before its entry
        Op::Reverse { pick: 1, day: 30 },
        // a loan with no instalments
        Op::Loan {
            day: 60,
            fen: 1_000,
            member: 1,
            n: 0,
        },
    ];
    for o in refused {
        let before = dump(&conn);
        assert!(!apply(&mut conn, &m, &o), "{o:?} accepted");
        assert_eq!(dump(&conn), before, "{o:?}");
    }
    // reversed once, then refused the second time
    ok(&mut conn, Op::Reverse { pick: 1, day: 45 });
    let before = dump(&conn);
    assert!(!apply(&mut conn, &m, &Op::Reverse { pick: 1, day: 46 }));
    assert!(!apply(&mut conn, &m, &Op::Reverse { pick: 2, day: 46 }));
    assert_eq!(dump(&conn), before);
    // an audit locks its period
    ok(&mut conn, Op::Audit { days: 60 });
    let before = dump(&conn);
    // before the audited period too: it would change the audit's opening balance
    assert!(!apply(
        &mut conn,
        &m,
        &Op::Income {
            day: 5,
            cat: 1,
            fen: 100
        }
    ));
    assert!(!apply(
        &mut conn,
        &m,
        &Op::Income {
            day: 30,
            cat: 1,
            fen: 100
        }
    ));
    assert!(!apply(&mut conn, &m, &Op::Audit { days: 400 }));
    assert_eq!(dump(&conn), before);
    // a subsidy batch the balance cannot pay is refused whole; paid once a month
    ok(
        &mut conn,
        Op::Payment {
            day: 199,
            cat: 2,
            fen: 99_900,
            member: None,
        },
    );
    let before = dump(&conn);
    assert!(!apply(&mut conn, &m, &Op::Subsidy { day: 200 }));
    assert_eq!(dump(&conn), before);
    ok(
        &mut conn,
        Op::Income {
            day: 190,
            cat: 0,
            fen: 100_000,
        },
    );
    ok(&mut conn, Op::Subsidy { day: 200 });
    let paid = db::fund::entries(&conn).unwrap().len();
    ok(&mut conn, Op::Subsidy { day: 205 });
    assert_eq!(db::fund::entries(&conn).unwrap().len(), paid);
    check(&conn).unwrap();
}
