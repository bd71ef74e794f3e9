//! Dates as clerks type them and as Excel stores them, and whole-year arithmetic
//! (age 年龄, party standing 党龄) with the 29 February rule.

use chrono::{Datelike, Duration, NaiveDate};

/// Parses a date written `2024-01-25`, `2024/1/25`, `2024.1.25`, `2024年1月25日`,
/// `20240125`, or an Excel serial number (`45316`, `45316.0`; 5 to 7 digits,
/// so a bare year such as `1975` is refused rather than read as a serial).
///
/// Full-width digits and separators (typed with a Chinese input method) are
/// accepted, and so is a trailing time of day (`2024-01-25 00:00:00`), which
/// spreadsheets add to date cells exported as text.
///
/// Dates before 1900-01-01 are refused: nothing older is plausible for a
/// living roster, and Excel cannot store them (see [`EARLIEST`]).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_any(s).filter(|d| *d >= EARLIEST)
}

/// The first date a record may hold: Excel's first day.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// [`parse_date`] without the lower bound (to say why a date is refused).
pub fn parse_date_any(s: &str) -> Option<NaiveDate> {
    let s: String = s.trim().chars().map(halfwidth).collect();
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = parse_number(s) {
        return d;
    }
    let s = strip_time(s);
    let (y, m, d) = if s.contains('年') {
        let (y, rest) = s.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))?;
        (y.trim(), m.trim(), d.trim())
    } else {
        let mut parts = s.split(['-', '/', '.']);
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    ymd(y, m, d)
}

/// Converts an Excel date serial (1900 date system) to a date: serial 1 is
/// 1900-01-01, 60 is Excel's nonexistent 1900-02-29 (refused), and the time of
/// day (fraction) is dropped.
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    if days == 60 {
        return None;
    }
    let base = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(Duration::days(days))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Age in whole years on `on` (a 29 February birthday falls on 1 March in
/// other years). Negative when `on` is before the birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    whole_years(birth, on)
}

/// Whole years from `from` to `on`, counted like an age (used for party
/// standing 党龄 from the date of joining).
pub fn whole_years(from: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - from.year();
    if on < add_years(from, years) {
        years -= 1;
    }
    years
}

/// The same month and day `years` later (or earlier); 29 February becomes
/// 1 March in a year that is not a leap year. Saturates at chrono's range.
pub fn add_years(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year().saturating_add(years);
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap_or(if years < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Maps full-width ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII
/// (what a Chinese input method types for digits and signs).
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A bare number: `YYYYMMDD` (8 digits) or an Excel serial. `None` when `s`
/// is not a bare number at all; `Some(None)` when it is one but not a date.
fn parse_number(s: &str) -> Option<Option<NaiveDate>> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    // `2024.1.25` has two dots and is not a number; a single dot with a short
    // fraction could be `2024.1` (no day): that is no date either way.
    if s.matches('.').count() > 1 {
        return None;
    }
    if int.len() == 8 && frac.is_empty() {
        return Some(ymd(&int[..4], &int[4..6], &int[6..]));
    }
    // A serial in text has 5 to 7 digits (1927-05-18 onwards): a bare `1975`
    // or `2024.1` is a clerk's year, not a serial, and must not become 1905.
    if !(5..=7).contains(&int.len()) {
        return Some(None);
    }
    Some(s.parse::<f64>().ok().and_then(excel_serial_to_date))
}

fn strip_time(s: &str) -> &str {
    let cut = s.find([' ', 'T']);
    match cut {
        Some(i) if is_time(s[i + 1..].trim()) => s[..i].trim_end(),
        _ => s,
    }
}

fn is_time(t: &str) -> bool {
    let t = t.split('.').next().unwrap_or(t);
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let num = |t: &str, max_len: usize| -> Option<u32> {
        if t.is_empty() || t.len() > max_len || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    if y.len() != 4 {
        return None;
    }
    let y = num(y, 4)? as i32;
    NaiveDate::from_ymd_opt(y, num(m, 2)?, num(d, 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_written_form() {
        let want = Some(d(2024, 1, 25));
        for s in [
            "2024-01-25",
            "2024/1/25",
            "2024.1.25",
            "2024年1月25日",
            "2024年01月25日",
            "2024年1月25号",
            " 2024-01-25 ",
            "\t2024/01/25\n",
            "２０２４－０１－２５",
            "2024-01-25 00:00:00",
            "2024-01-25T00:00",
            "20240125",
            "45316",
            "45316.0",
            "45316.75",
        ] {
            assert_eq!(parse_date(s), want, "{s:?}");
        }
        assert_eq!(parse_date("2024-1-5"), Some(d(2024, 1, 5)));
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "",
            "   ",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-32",
            "24-1-5",
            "2024-1",
            "2024-1-5-6",
            "2024年1月",
            "abc",
            "60",
            "0",
            "-5",
            "2024.1",
            "1975",
            "20231301",
            "1e5",
            "2024-01-25 noon",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn excel_serials_follow_the_1900_system() {
        assert_eq!(excel_serial_to_date(1.0), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial_to_date(59.0), Some(d(1900, 2, 28)));
        assert_eq!(excel_serial_to_date(60.0), None);
        assert_eq!(excel_serial_to_date(61.0), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial_to_date(36526.0), Some(d(2000, 1, 1)));
        assert_eq!(excel_serial_to_date(45316.0), Some(d(2024, 1, 25)));
        assert_eq!(excel_serial_to_date(0.0), None);
        assert_eq!(excel_serial_to_date(f64::NAN), None);
    }

    #[test]
    fn formats_iso() {
        assert_eq!(fmt(d(2024, 1, 5)), "2024-01-05");
    }

    #[test]
    fn age_counts_whole_years_and_29_february() {
        let b = d(2000, 2, 29);
        assert_eq!(age_on(b, d(2018, 2, 28)), 17);
        assert_eq!(age_on(b, d(2018, 3, 1)), 18);
        assert_eq!(age_on(b, d(2020, 2, 28)), 19);
        assert_eq!(age_on(b, d(2020, 2, 29)), 20);
        let b = d(1950, 6, 15);
        assert_eq!(age_on(b, d(2020, 6, 14)), 69);
        assert_eq!(age_on(b, d(2020, 6, 15)), 70);
        assert_eq!(age_on(b, b), 0);
        assert_eq!(whole_years(d(1974, 7, 1), d(2024, 7, 1)), 50);
        assert_eq!(whole_years(d(1974, 7, 1), d(2024, 6, 30)), 49);
    }

    #[test]
    fn add_years_moves_29_february_to_1_march() {
        assert_eq!(add_years(d(2000, 2, 29), 1), d(2001, 3, 1));
        assert_eq!(add_years(d(2000, 2, 29), 4), d(2004, 2, 29));
        assert_eq!(add_years(d(2000, 2, 29), 18), d(2018, 3, 1));
        assert_eq!(add_years(d(2000, 1, 31), -1), d(1999, 1, 31));
    }
}
