//! 党员需求调查 — the member-needs survey: a response's answers, and what the
//! results view computes from the responses of a round (counts per need and
//! per ideological state, the change from the previous round, progress).

use chrono::NaiveDate;

use crate::domain::vocab::{Coded, Health, Ideology, Need};

/// 调查轮次: one round (e.g. 2026年度党员需求调查).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub note: String,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
}

/// The answers of one member's form (调查表).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub date: NaiveDate,
    pub surveyor: String,
    pub ideology: Ideology,
    pub health: Health,
    pub needs: Vec<Need>,
    pub work_expectations: String,
    pub opinions: String,
    pub follow_up: bool,
    pub follow_up_note: String,
}

/// A stored response: the answers, whose they are, and the version a
/// correction must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub id: i64,
    pub round_id: i64,
    pub member_id: i64,
    pub answers: Answers,
    pub version: i64,
}

/// The results of a round: how many members named each need (in the order
/// of [`Need::ALL`]) and were in each ideological state (order of
/// [`Ideology::ALL`]), and how many answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Results {
    pub answered: usize,
    pub needs: Vec<usize>,
    pub ideology: Vec<usize>,
    pub health: Vec<usize>,
    pub follow_up: usize,
}

/// Counts the answers of a round.
pub fn results<'a>(answers: impl IntoIterator<Item = &'a Answers>) -> Results {
    let mut r = Results {
        needs: vec![0; Need::ALL.len()],
        ideology: vec![0; Ideology::ALL.len()],
        health: vec![0; Health::ALL.len()],
        ..Results::default()
    };
    for a in answers {
        r.answered += 1;
        for (i, n) in Need::ALL.iter().enumerate() {
            if a.needs.contains(n) {
                r.needs[i] += 1;
            }
        }
        if let Some(i) = Ideology::ALL.iter().position(|&x| x == a.ideology) {
            r.ideology[i] += 1;
        }
        if let Some(i) = Health::ALL.iter().position(|&x| x == a.health) {
            r.health[i] += 1;
        }
        if a.follow_up {
            r.follow_up += 1;
        }
    }
    r
}

/// Per need, members this round minus members the previous round (+n more,
/// −n fewer); `None` without a previous round.
pub fn change(now: &Results, before: Option<&Results>) -> Option<Vec<i64>> {
    let before = before?;
    Some(
        now.needs
            .iter()
            .zip(&before.needs)
            .map(|(&a, &b)| a as i64 - b as i64)
            .collect(),
    )
}

/// `+2`, `-1`, `0`: a change as the results view shows it.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Answered of active members, in whole percent (0 when nobody is active).
pub fn progress_percent(answered: usize, active: usize) -> usize {
    (answered * 100).checked_div(active).unwrap_or(0).min(100)
}

/// The need a number key toggles: 1–9 the first nine, 0 the tenth.
pub fn need_of_digit(c: char) -> Option<Need> {
    let d = c.to_digit(10)? as usize;
    let i = if d == 0 { 9 } else { d - 1 };
    Need::ALL.get(i).copied()
}

/// The number key of a need (`1`–`9`, `0`).
pub fn digit_of_need(n: Need) -> char {
    let i = Need::ALL.iter().position(|&x| x == n).unwrap_or(0);
    if i == 9 {
        '0'
    } else {
        char::from(b'1' + i as u8)
    }
}

/// The choice a number key picks among `T::ALL` (1-based).
pub fn choice_of_digit<T: Coded>(c: char) -> Option<T> {
    let d = c.to_digit(10)? as usize;
    T::ALL.get(d.checked_sub(1)?).copied()
}

/// Toggles `n` in `needs`, keeping the order of [`Need::ALL`].
pub fn toggle(needs: &mut Vec<Need>, n: Need) {
    if let Some(i) = needs.iter().position(|&x| x == n) {
        needs.remove(i);
    } else {
        needs.push(n);
        needs.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(ideology: Ideology, needs: &[Need], follow_up: bool) -> Answers {
        Answers {
            date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            surveyor: "王委员".into(),
            ideology,
            health: Health::Good,
            needs: needs.to_vec(),
            work_expectations: String::new(),
            opinions: String::new(),
            follow_up,
            follow_up_note: String::new(),
        }
    }

    #[test]
    fn results_count_members_per_need_and_state() {
        use Need::*;
        let rs = [
            a(Ideology::Stable, &[Medical, Financial], false),
            a(Ideology::Fluctuating, &[Financial], true),
            a(Ideology::Stable, &[], false),
        ];
        let r = results(&rs);
        assert_eq!(r.answered, 3);
        assert_eq!(r.needs, [1, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
        assert_eq!(r.ideology, [2, 1, 0]);
        assert_eq!(r.health, [3, 0, 0]);
        assert_eq!(r.follow_up, 1);
    }

    #[test]
    fn change_from_the_previous_round_per_need() {
        use Need::*;
        let before = results(&[a(Ideology::Stable, &[Medical, Housing], false)]);
        let now = results(&[
            a(Ideology::Stable, &[Medical], false),
            a(Ideology::Stable, &[Medical, Financial], false),
        ]);
        let c = change(&now, Some(&before)).unwrap();
        assert_eq!(c, [1, 0, 0, -1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(signed(c[0]), "+1");
        assert_eq!(signed(c[3]), "-1");
        assert_eq!(signed(c[1]), "0");
        assert_eq!(change(&now, None), None);
    }

    #[test]
    fn digits_pick_needs_and_choices() {
        assert_eq!(need_of_digit('1'), Some(Need::Medical));
        assert_eq!(need_of_digit('9'), Some(Need::Financial));
        assert_eq!(need_of_digit('0'), Some(Need::Other));
        assert_eq!(need_of_digit('x'), None);
        for n in Need::ALL {
            assert_eq!(need_of_digit(digit_of_need(*n)), Some(*n));
        }
        assert_eq!(
            choice_of_digit::<Ideology>('2'),
            Some(Ideology::Fluctuating)
        );
        assert_eq!(choice_of_digit::<Health>('3'), Some(Health::Poor));
        assert_eq!(choice_of_digit::<Health>('4'), None);
        assert_eq!(choice_of_digit::<Health>('0'), None);
        let mut v = vec![Need::Financial];
        toggle(&mut v, Need::Medical);
        assert_eq!(v, [Need::Medical, Need::Financial]);
        toggle(&mut v, Need::Financial);
        assert_eq!(v, [Need::Medical]);
    }

    #[test]
    fn progress_is_a_share_of_active_members() {
        assert_eq!(progress_percent(3, 6), 50);
        assert_eq!(progress_percent(0, 0), 0);
    }
}
