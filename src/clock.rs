//! The one place that reads the clock: the domain gets "today" as a value.

use chrono::NaiveDate;

use crate::domain::dates::parse_date;

/// Today's local date, or the date in `GUANHUAI_TODAY` (`YYYY-MM-DD`) when set,
/// so tests and demonstrations see a fixed day.
pub fn today() -> NaiveDate {
    std::env::var("GUANHUAI_TODAY")
        .ok()
        .and_then(|s| parse_date(&s))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    #[test]
    fn today_is_a_date() {
        // The env var is process-wide, so only check that the call works.
        assert!(super::today().year() >= 2000);
    }
}
