//! 激励: the assessment bonus (业绩考核奖励) and the greetings of the month —
//! birthdays (生日) and political birthdays (政治生日, 入党纪念日).
//!
//! Money is integer fen: a bonus is the base times the grade's share in
//! percent, divided by 100 and rounded down to the fen.
//!
//! A round anniversary (逢十) is a number of party years that is a multiple
//! of 10 (10, 20, 30 …); 50 years (光荣在党50年) is marked apart, since the
//! branch hands out its commemorative medal then. A 29 February birthday
//! or joining day is greeted on 28 February in a year that has no 29
//! February, so it stays in its own month.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::settings::Settings;
use super::vocab::{Grade, HonourTitle};

/// Why a title cannot go where it is given, `(zh, en)`, or `None` when it
/// fits: 优秀共产党员 and 优秀党务工作者 are a member's titles, 先进基层党组织 is
/// the branch's own (an honour with no member); an other title fits either.
pub fn title_misfit(title: HonourTitle, to_member: bool) -> Option<(&'static str, &'static str)> {
    match (title, to_member) {
        (HonourTitle::AdvancedOrg, true) => Some((
            "先进基层党组织是支部获得的称号：请清空党员一栏",
            "Advanced branch is the branch's own title: leave the member empty",
        )),
        (HonourTitle::ExcellentMember | HonourTitle::ExcellentWorker, false) => Some((
            "这个称号授予党员：请填写党员",
            "this title goes to a member: name the member",
        )),
        _ => None,
    }
}

/// The bonus of one grade: `base × pct / 100`, rounded down to the fen;
/// never negative.
pub fn bonus_fen(base_fen: i64, pct: i64) -> i64 {
    if base_fen <= 0 || pct <= 0 {
        return 0;
    }
    base_fen.saturating_mul(pct) / 100
}

/// The share of a grade in percent (settings).
pub fn grade_pct(s: &Settings, g: Grade) -> i64 {
    match g {
        Grade::Excellent => s.bonus_excellent_pct,
        Grade::Good => s.bonus_good_pct,
        Grade::Pass => s.bonus_pass_pct,
        Grade::Fail => s.bonus_fail_pct,
    }
}

/// The bonus of a grade under the settings.
pub fn bonus_for(s: &Settings, g: Grade) -> i64 {
    bonus_fen(s.bonus_base_fen, grade_pct(s, g))
}

/// How many members have a grade and their bonuses together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradeTotal {
    pub grade: Grade,
    pub count: usize,
    pub bonus_fen: i64,
}

/// The totals of every grade (in the order 优秀, 良好, 合格, 不合格) of
/// graded members given as (grade, bonus).
pub fn totals(graded: &[(Grade, i64)]) -> Vec<GradeTotal> {
    [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail]
        .iter()
        .map(|&grade| {
            let of: Vec<i64> = graded
                .iter()
                .filter(|(g, _)| *g == grade)
                .map(|(_, b)| *b)
                .collect();
            GradeTotal {
                grade,
                count: of.len(),
                bonus_fen: of.iter().sum(),
            }
        })
        .collect()
}

/// The grade of a number key: 1 优秀, 2 良好, 3 合格, 4 不合格.
pub fn grade_of_key(c: char) -> Option<Grade> {
    match c {
        '1' => Some(Grade::Excellent),
        '2' => Some(Grade::Good),
        '3' => Some(Grade::Pass),
        '4' => Some(Grade::Fail),
        _ => None,
    }
}

/// What a greeting is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GreetingKind {
    /// 生日: `years` is the age reached.
    Birthday,
    /// 政治生日: `years` in the party.
    Political,
}

/// A member as the greetings need them. The code and name are shared with
/// the member's greetings, not copied into each (a city's two months hold
/// some 300,000 of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub birth_date: Option<NaiveDate>,
    pub joined_on: NaiveDate,
}

/// One greeting: whose, what for, on which day, for how many years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting {
    pub member_id: i64,
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub kind: GreetingKind,
    pub date: NaiveDate,
    pub years: i32,
}

impl Greeting {
    /// 10, 20, 30 … years (a political birthday or an age).
    pub fn round(&self) -> bool {
        is_round(self.years)
    }

    /// 光荣在党50年.
    pub fn golden(&self) -> bool {
        self.kind == GreetingKind::Political && self.years == 50
    }
}

/// A round anniversary: a positive multiple of 10 years.
pub fn is_round(years: i32) -> bool {
    years > 0 && years % 10 == 0
}

/// The day of `d`'s month and day in `year`; 29 February is 28 February
/// in a year without it.
pub fn day_in_year(d: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28).filter(|_| d.month() == 2))
}

/// The (year, month) of `on`'s month and of the next (December → January).
pub fn this_and_next_month(on: NaiveDate) -> [(i32, u32); 2] {
    let next = if on.month() == 12 {
        (on.year() + 1, 1)
    } else {
        (on.year(), on.month() + 1)
    };
    [(on.year(), on.month()), next]
}

/// The greetings falling in month (`year`, `month`), by day then kind.
pub fn greetings_in(people: &[Person], year: i32, month: u32) -> Vec<Greeting> {
    let mut out = Vec::new();
    for p in people {
        let mut push = |from: NaiveDate, kind: GreetingKind| {
            if from.month() != month {
                return;
            }
            let Some(date) = day_in_year(from, year) else {
                return;
            };
            let years = year - from.year();
            if years <= 0 {
                return;
            }
            out.push(Greeting {
                member_id: p.id,
                code: p.code.clone(),
                name: p.name.clone(),
                kind,
                date,
                years,
            });
        };
        if let Some(b) = p.birth_date {
            push(b, GreetingKind::Birthday);
        }
        push(p.joined_on, GreetingKind::Political);
    }
    out.sort_by(|a, b| (a.date, a.kind, &a.code).cmp(&(b.date, b.kind, &b.code)));
    out
}

/// The greetings of `on`'s month and of the next.
pub fn greetings(people: &[Person], on: NaiveDate) -> [Vec<Greeting>; 2] {
    let [a, b] = this_and_next_month(on);
    [
        greetings_in(people, a.0, a.1),
        greetings_in(people, b.0, b.1),
    ]
}

/// How many birthdays and political birthdays fall in `on`'s month.
pub fn month_counts(people: &[Person], on: NaiveDate) -> (usize, usize) {
    let g = greetings_in(people, on.year(), on.month());
    let births = g
        .iter()
        .filter(|g| g.kind == GreetingKind::Birthday)
        .count();
    (births, g.len() - births)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(id: i64, birth: Option<NaiveDate>, joined: NaiveDate) -> Person {
        Person {
            id,
            code: format!("{id:03}").into(),
            name: format!("党员{id}").into(),
            birth_date: birth,
            joined_on: joined,
        }
    }

    #[test]
    fn bonus_rounds_down_to_the_fen() {
        assert_eq!(bonus_fen(100_000, 80), 80_000);
        // 333.33 yuan × 50 % = 166.665 yuan → 166.66
        assert_eq!(bonus_fen(33_333, 50), 16_666);
        assert_eq!(bonus_fen(99, 33), 32);
        assert_eq!(bonus_fen(1, 99), 0);
        assert_eq!(bonus_fen(0, 100), 0);
        assert_eq!(bonus_fen(1000, 0), 0);
        assert_eq!(bonus_fen(-5, 100), 0);
    }

    #[test]
    fn the_bonus_follows_the_settings() {
        let mut s = Settings {
            bonus_base_fen: 200_000,
            ..Settings::default()
        };
        assert_eq!(bonus_for(&s, Grade::Excellent), 200_000);
        assert_eq!(bonus_for(&s, Grade::Good), 160_000);
        assert_eq!(bonus_for(&s, Grade::Pass), 100_000);
        assert_eq!(bonus_for(&s, Grade::Fail), 0);
        s.bonus_good_pct = 75;
        assert_eq!(bonus_for(&s, Grade::Good), 150_000);
    }

    #[test]
    fn totals_cover_every_grade() {
        let t = totals(&[
            (Grade::Good, 800),
            (Grade::Excellent, 1000),
            (Grade::Good, 800),
        ]);
        assert_eq!(t.len(), 4);
        assert_eq!((t[0].count, t[0].bonus_fen), (1, 1000));
        assert_eq!((t[1].count, t[1].bonus_fen), (2, 1600));
        assert_eq!((t[2].count, t[3].count), (0, 0));
    }

    #[test]
    fn december_looks_into_january_of_next_year() {
        let people = vec![
            person(1, Some(d(1960, 1, 5)), d(1996, 12, 20)),
            person(2, Some(d(1970, 12, 31)), d(2000, 6, 1)),
        ];
        let [this, next] = greetings(&people, d(2026, 12, 1));
        assert_eq!(this.len(), 2);
        assert_eq!(this[0].kind, GreetingKind::Political);
        assert_eq!((this[0].date, this[0].years), (d(2026, 12, 20), 30));
        assert!(this[0].round());
        assert_eq!((this[1].date, this[1].years), (d(2026, 12, 31), 56));
        assert_eq!(next.len(), 1);
        assert_eq!((next[0].date, next[0].years), (d(2027, 1, 5), 67));
        assert_eq!(month_counts(&people, d(2026, 12, 1)), (1, 1));
    }

    #[test]
    fn the_29th_of_february_falls_on_the_28th_in_other_years() {
        let people = vec![person(1, Some(d(1964, 2, 29)), d(1988, 2, 29))];
        let feb = greetings_in(&people, 2027, 2);
        assert_eq!(feb.len(), 2);
        assert!(feb.iter().all(|g| g.date == d(2027, 2, 28)));
        assert!(greetings_in(&people, 2027, 3).is_empty());
        let leap = greetings_in(&people, 2028, 2);
        assert!(leap.iter().all(|g| g.date == d(2028, 2, 29)));
        assert_eq!(leap[0].years, 64);
        assert_eq!(leap[1].years, 40);
    }

    #[test]
    fn round_anniversaries_are_every_ten_years_and_fifty_is_golden() {
        assert!(!is_round(0));
        assert!(!is_round(5));
        assert!(!is_round(15));
        assert!(is_round(10) && is_round(20) && is_round(50));
        let people = vec![
            person(1, None, d(1976, 7, 1)),
            person(2, None, d(1986, 7, 1)),
            person(3, None, d(1991, 7, 1)),
        ];
        let g = greetings_in(&people, 2026, 7);
        assert_eq!(g.iter().map(|g| g.years).collect::<Vec<_>>(), [50, 40, 35]);
        assert!(g[0].golden() && g[0].round());
        assert!(!g[1].golden() && g[1].round());
        assert!(!g[2].round());
    }

    #[test]
    fn a_member_who_joined_this_year_has_no_political_birthday_yet() {
        let people = vec![person(1, None, d(2026, 12, 10))];
        assert!(greetings_in(&people, 2026, 12).is_empty());
    }

    #[test]
    fn number_keys_pick_grades() {
        assert_eq!(grade_of_key('1'), Some(Grade::Excellent));
        assert_eq!(grade_of_key('4'), Some(Grade::Fail));
        assert_eq!(grade_of_key('5'), None);
    }
}
