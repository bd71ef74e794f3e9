//! Money (金额) as integer fen (分), never floating point: parsing what a
//! clerk types (`1234.56`, `1,234.5`, `¥200`, `200元`, full-width digits) and
//! writing it back in yuan with two decimals.

use super::dates::halfwidth;

/// The largest amount accepted: 1,000,000,000.00 yuan (十亿元), far above any
/// branch fund, small enough that sums of millions of entries fit in i64.
pub const MAX_FEN: i64 = 100_000_000_000;

/// What is wrong with a typed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyProblem {
    /// Not a number of yuan.
    NotAnAmount,
    /// More than two decimals (fen are the smallest unit).
    TooManyDecimals,
    /// Over [`MAX_FEN`].
    TooLarge,
}

impl MoneyProblem {
    pub fn zh(&self) -> &'static str {
        match self {
            MoneyProblem::NotAnAmount => "不是有效金额：请写作 200 或 1234.56（单位：元）",
            MoneyProblem::TooManyDecimals => "金额最多两位小数（到分）",
            MoneyProblem::TooLarge => "金额过大（最多十亿元）",
        }
    }

    pub fn en(&self) -> &'static str {
        match self {
            MoneyProblem::NotAnAmount => "not an amount: write 200 or 1234.56 (yuan)",
            MoneyProblem::TooManyDecimals => "an amount has at most two decimals (fen)",
            MoneyProblem::TooLarge => "the amount is too large (at most 1,000,000,000 yuan)",
        }
    }
}

/// Parses an amount in yuan into fen. A leading `-` gives a negative amount
/// (a reversal); thousands separators `,` are allowed between digit groups
/// of the whole part; `¥`/`￥` before or `元` after are allowed.
pub fn parse_yuan(s: &str) -> Result<i64, MoneyProblem> {
    let s: String = s.chars().map(halfwidth).collect();
    let mut t = s.trim();
    let negative = t.starts_with('-');
    if negative {
        t = t[1..].trim_start();
    }
    t = t.trim_start_matches(['¥', '￥']).trim();
    t = t.strip_suffix('元').unwrap_or(t).trim_end();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.contains('.') {
        return Err(MoneyProblem::NotAnAmount);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    if !grouped_ok
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && frac.is_empty())
    {
        return Err(MoneyProblem::NotAnAmount);
    }
    if frac.len() > 2 {
        return Err(MoneyProblem::TooManyDecimals);
    }
    let digits = digits.trim_start_matches('0');
    if digits.len() > 12 {
        return Err(MoneyProblem::TooLarge);
    }
    let yuan: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| MoneyProblem::TooLarge)?
    };
    let fen_part: i64 = match frac.len() {
        0 => 0,
        1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
        _ => frac.parse().map_err(|_| MoneyProblem::NotAnAmount)?,
    };
    let fen = yuan
        .checked_mul(100)
        .and_then(|f| f.checked_add(fen_part))
        .ok_or(MoneyProblem::TooLarge)?;
    if fen > MAX_FEN {
        return Err(MoneyProblem::TooLarge);
    }
    Ok(if negative { -fen } else { fen })
}

/// Fen as yuan with two decimals, no grouping: `123456` → `1234.56`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Fen as money the way the fund shows it: `¥1,234.56`, `-¥50.00`.
pub fn format_money(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_clerks_type_them() {
        for (s, fen) in [
            ("200", 20000),
            ("1234.56", 123456),
            ("1,234.5", 123450),
            ("¥200", 20000),
            ("200元", 20000),
            ("１２３．４", 12340),
            ("-50.05", -5005),
            ("0.01", 1),
            ("1000000000", MAX_FEN),
        ] {
            assert_eq!(parse_yuan(s), Ok(fen), "{s}");
        }
        for (s, p) in [
            ("", MoneyProblem::NotAnAmount),
            ("1.", MoneyProblem::NotAnAmount),
            ("1,23", MoneyProblem::NotAnAmount),
            ("1e5", MoneyProblem::NotAnAmount),
            ("NaN", MoneyProblem::NotAnAmount),
            ("1.234", MoneyProblem::TooManyDecimals),
            ("1000000000.01", MoneyProblem::TooLarge),
            ("99999999999999999999999", MoneyProblem::TooLarge),
        ] {
            assert_eq!(parse_yuan(s), Err(p), "{s}");
        }
        assert_eq!(format_yuan(123456), "1234.56");
        assert_eq!(format_yuan(-5), "-0.05");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(format_yuan(-100), "-1.00");
    }

    #[test]
    fn the_issue_s_edge_cases() {
        for (s, fen) in [
            ("¥1,234.56", 123456),
            ("￥1,234.56", 123456),
            ("1,234.5", 123450),
            ("1,234.50", 123450),
            ("¥12", 1200),
            ("  ¥ 12 ", 1200),
            ("１２３４．５", 123450),
            ("￥１２", 1200),
            ("12元", 1200),
            ("0", 0),
            ("0.00", 0),
            ("-¥50.00", -5000),
            ("- 1", -100),
            ("007.5", 750),
            ("1,000,000,000.00", MAX_FEN),
        ] {
            assert_eq!(parse_yuan(s), Ok(fen), "{s}");
        }
        for (s, p) in [
            ("1.235", MoneyProblem::TooManyDecimals),
            ("0.001", MoneyProblem::TooManyDecimals),
            ("1,000,000,000.01", MoneyProblem::TooLarge),
            ("10000000000000", MoneyProblem::TooLarge),
            ("12,34.5", MoneyProblem::NotAnAmount),
            (",123", MoneyProblem::NotAnAmount),
            ("1234,567", MoneyProblem::NotAnAmount),
            ("1..2", MoneyProblem::NotAnAmount),
            (".5", MoneyProblem::NotAnAmount),
            ("¥", MoneyProblem::NotAnAmount),
            ("--1", MoneyProblem::NotAnAmount),
            ("+1", MoneyProblem::NotAnAmount),
            ("1 000", MoneyProblem::NotAnAmount),
            ("五十", MoneyProblem::NotAnAmount),
            ("12元5角", MoneyProblem::NotAnAmount),
        ] {
            assert_eq!(parse_yuan(s), Err(p), "{s}");
        }
    }

    #[test]
    fn money_is_shown_grouped_with_two_decimals() {
        assert_eq!(format_money(123456), "¥1,234.56");
        assert_eq!(format_money(0), "¥0.00");
        assert_eq!(format_money(5), "¥0.05");
        assert_eq!(format_money(99999), "¥999.99");
        assert_eq!(format_money(100000), "¥1,000.00");
        assert_eq!(format_money(-5000), "-¥50.00");
        assert_eq!(format_money(MAX_FEN), "¥1,000,000,000.00");
        assert_eq!(
            format_money(i64::MIN).len(),
            "-¥92,233,720,368,547,758.08".len()
        );
        assert_eq!(format_yuan(0), "0.00");
        assert_eq!(format_yuan(MAX_FEN), "1000000000.00");
    }

    proptest::proptest! {
        #[test]
        fn what_is_shown_reads_back(fen in -MAX_FEN..=MAX_FEN) {
            proptest::prop_assert_eq!(parse_yuan(&format_money(fen)), Ok(fen));
            proptest::prop_assert_eq!(parse_yuan(&format_yuan(fen)), Ok(fen));
        }
    }
}
