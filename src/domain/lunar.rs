//! The proposed windows of the two big visiting campaigns: 春节 (the Spring
//! Festival, from a shipped table of lunar new year dates) and 七一 (1 July).

use chrono::{Duration, NaiveDate};

const FIRST_YEAR: i32 = 2000;

/// (month, day) of the lunar new year (正月初一) for 2000..=2050, checked
/// against the `lunardate` tables.
const NEW_YEAR: [(u32, u32); 51] = [
    (2, 5),  // 2000
    (1, 24), // 2001
    (2, 12), // 2002
    (2, 1),  // 2003
    (1, 22), // 2004
    (2, 9),  // 2005
    (1, 29), // 2006
    (2, 18), // 2007
    (2, 7),  // 2008
    (1, 26), // 2009
    (2, 14), // 2010
    (2, 3),  // 2011
    (1, 23), // 2012
    (2, 10), // 2013
    (1, 31), // 2014
    (2, 19), // 2015
    (2, 8),  // 2016
    (1, 28), // 2017
    (2, 16), // 2018
    (2, 5),  // 2019
    (1, 25), // 2020
    (2, 12), // 2021
    (2, 1),  // 2022
    (1, 22), // 2023
    (2, 10), // 2024
    (1, 29), // 2025
    (2, 17), // 2026
    (2, 6),  // 2027
    (1, 26), // 2028
    (2, 13), // 2029
    (2, 3),  // 2030
    (1, 23), // 2031
    (2, 11), // 2032
    (1, 31), // 2033
    (2, 19), // 2034
    (2, 8),  // 2035
    (1, 28), // 2036
    (2, 15), // 2037
    (2, 4),  // 2038
    (1, 24), // 2039
    (2, 12), // 2040
    (2, 1),  // 2041
    (1, 22), // 2042
    (2, 10), // 2043
    (1, 30), // 2044
    (2, 17), // 2045
    (2, 6),  // 2046
    (1, 26), // 2047
    (2, 14), // 2048
    (2, 2),  // 2049
    (1, 23), // 2050
];

/// The lunar new year's day (春节) of `year`, for 2000..=2050.
pub fn lunar_new_year(year: i32) -> Option<NaiveDate> {
    let idx = usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?;
    let &(m, d) = NEW_YEAR.get(idx)?;
    NaiveDate::from_ymd_opt(year, m, d)
}

/// The 春节 visiting window: 14 days before the lunar new year to its eve (除夕).
pub fn spring_festival_window(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let ny = lunar_new_year(year)?;
    Some((ny - Duration::days(14), ny - Duration::days(1)))
}

/// The 七一 visiting window: 15 June to 1 July.
pub fn july_first_window(year: i32) -> (NaiveDate, NaiveDate) {
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).unwrap_or(NaiveDate::MIN);
    (d(6, 15), d(7, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn known_new_years() {
        for (y, m, day) in [
            (2000, 2, 5),
            (2001, 1, 24),
            (2020, 1, 25),
            (2021, 2, 12),
            (2022, 2, 1),
            (2023, 1, 22),
            (2024, 2, 10),
            (2025, 1, 29),
            (2026, 2, 17),
            (2027, 2, 6),
            (2028, 1, 26),
            (2030, 2, 3),
            (2050, 1, 23),
        ] {
            assert_eq!(lunar_new_year(y), Some(d(y, m, day)), "{y}");
        }
        assert_eq!(lunar_new_year(1999), None);
        assert_eq!(lunar_new_year(2051), None);
        assert_eq!(lunar_new_year(i32::MIN), None);
    }

    #[test]
    fn every_new_year_is_plausible() {
        let mut prev: Option<NaiveDate> = None;
        for y in 2000..=2050 {
            let ny = lunar_new_year(y).unwrap();
            assert!(ny >= d(y, 1, 21) && ny <= d(y, 2, 20), "{y}: {ny}");
            // A lunar year has 353–355 or 383–385 days.
            if let Some(p) = prev {
                let len = (ny - p).num_days();
                assert!(
                    (353..=355).contains(&len) || (383..=385).contains(&len),
                    "{y}: {len}"
                );
            }
            prev = Some(ny);
            assert_eq!(ny.year(), y);
        }
    }

    #[test]
    fn windows() {
        assert_eq!(
            spring_festival_window(2026),
            Some((d(2026, 2, 3), d(2026, 2, 16)))
        );
        assert_eq!(
            spring_festival_window(2025),
            Some((d(2025, 1, 15), d(2025, 1, 28)))
        );
        assert_eq!(spring_festival_window(2060), None);
        assert_eq!(july_first_window(2026), (d(2026, 6, 15), d(2026, 7, 1)));
    }
}
