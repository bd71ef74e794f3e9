//! The demo's member-needs survey (党员需求调查): last year's round, closed
//! and answered by every active member, and this year's round half answered
//! (the first half of the roster), with needs that follow the members'
//! circumstances, some changes from one year to the next and a few
//! follow-ups. Dated around the demo's today, as the rest of the demo.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::day;
use super::people::{CONDUCTORS, Rng};
use crate::db;
use crate::domain::survey::Answers;
use crate::domain::vocab::{Coded, Health, Ideology, Need};

const OPINIONS: [&str; 4] = [
    "希望多组织学习活动",
    "建议支部活动安排在周末",
    "希望加强对老党员的走访",
    "",
];

fn answers(rng: &mut Rng, date: NaiveDate, year_shift: u64) -> Answers {
    let ideology = match rng.below(20) {
        0 => Ideology::Fluctuating,
        1 => Ideology::Attention,
        _ => Ideology::Stable,
    };
    let health = *rng.pick(&[Health::Good, Health::Good, Health::Fair, Health::Poor]);
    let mut needs: Vec<Need> = Need::ALL
        .iter()
        .copied()
        .filter(|_| rng.below(100) < 8 + year_shift)
        .collect();
    if health == Health::Poor && !needs.contains(&Need::Medical) {
        needs.push(Need::Medical);
        needs.sort();
    }
    let follow_up = ideology != Ideology::Stable || needs.contains(&Need::Financial);
    Answers {
        date,
        surveyor: rng.pick(CONDUCTORS).to_string(),
        ideology,
        health,
        needs,
        work_expectations: String::new(),
        opinions: rng.pick(&OPINIONS).to_string(),
        follow_up,
        follow_up_note: if follow_up {
            "支部委员上门了解情况".into()
        } else {
            String::new()
        },
    }
}

/// Writes both rounds into the demo's transaction.
pub fn survey(tx: &Connection, today: NaiveDate, seed: u64) -> Result<(), db::DbError> {
    let mut rng = Rng::new(seed ^ 0x5eed_5eed);
    let y = today.year();
    let last_start = NaiveDate::from_ymd_opt(y - 1, 11, 1).unwrap_or(today);
    let last = db::survey::insert_round(
        tx,
        &format!("{}年度党员需求调查", y - 1),
        y - 1,
        last_start,
        Some(day(last_start, 45)),
    )?;
    let start = day(today, -20);
    let now = db::survey::insert_round(tx, &format!("{y}年度党员需求调查"), y, start, None)?;
    // Active members in roster order (a round has none answered yet).
    let roster = db::survey::unanswered(tx, now, None, usize::MAX >> 1)?;
    let half = roster.len() / 2;
    for (i, m) in roster.iter().enumerate() {
        let d = day(last_start, 3 + (i as i64 % 30));
        let a = answers(&mut rng, d, 0);
        db::survey::insert_response(tx, last, m.id, &a)?;
        if i < half {
            let d = day(start, 1 + (i as i64 % 18)).min(today);
            let a = answers(&mut rng, d, 3);
            db::survey::insert_response(tx, now, m.id, &a)?;
        }
    }
    Ok(())
}
