//! Field checks shared by the forms, the imports and the command line:
//! 身份证号 (GB 11643), phone numbers, dates, and the masked forms shown in lists.

use chrono::{Datelike, NaiveDate};

use super::dates::halfwidth;
use crate::domain::Lang;
use crate::domain::dates;

/// What is wrong with a value, in words a clerk understands (both languages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// 身份证号 is not 18 characters long.
    IdLength {
        len: usize,
    },
    /// A character that is not a digit (or a final X) at a 1-based position.
    IdBadChar {
        pos: usize,
        ch: char,
    },
    /// The 18th character does not match the GB 11643 check digit.
    IdCheckDigit {
        expected: char,
        found: char,
    },
    /// Characters 7–14 are not a real date of birth.
    IdBirthDate,
    /// Characters 7–14 are a date after today.
    IdBirthInFuture {
        date: NaiveDate,
    },
    /// The ID number's birth date differs from the birth date field.
    IdBirthMismatch {
        id_birth: NaiveDate,
        birth: NaiveDate,
    },
    /// Something other than digits, spaces, hyphens and brackets in a phone number.
    PhoneBadChar {
        ch: char,
    },
    /// Starts like a mobile number but is not 11 digits `1[3-9]…`.
    PhoneMobile,
    /// A landline that is not `0` + area code + a 7–8 digit number.
    PhoneLandline,
    /// A landline without its area code.
    PhoneNoAreaCode,
    /// A date after today.
    FutureDate {
        date: NaiveDate,
    },
    /// Joined the party before the 18th birthday.
    JoinedBefore18 {
        eighteenth: NaiveDate,
    },
    RegisteredBefore18 {
        eighteenth: NaiveDate,
    },
}

impl Problem {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Problem::IdLength { len } => format!("身份证号应为18位，现为{len}位"),
            Problem::IdBadChar { pos, ch } => {
                format!("身份证号第{pos}位“{ch}”无效：前17位应为数字，末位为数字或X")
            }
            Problem::IdCheckDigit { expected, found } => {
                format!("身份证号校验位不符：末位应为{expected}，现为{found}，请核对")
            }
            Problem::IdBirthDate => "身份证号中的出生日期（第7–14位）不是有效日期".into(),
            Problem::IdBirthInFuture { date } => {
                format!("身份证号中的出生日期{}晚于今天", dates::fmt(*date))
            }
            Problem::IdBirthMismatch { id_birth, birth } => format!(
                "身份证号中的出生日期{}与出生日期{}不一致",
                dates::fmt(*id_birth),
                dates::fmt(*birth)
            ),
            Problem::PhoneBadChar { ch } => format!("电话号码含有无效字符“{ch}”"),
            Problem::PhoneMobile => "手机号应为11位数字，以13–19开头".into(),
            Problem::PhoneLandline => {
                "固定电话应为区号加7–8位号码，如010-12345678、0755-1234567".into()
            }
            Problem::PhoneNoAreaCode => "固定电话请加区号，如010-12345678".into(),
            Problem::FutureDate { date } => format!("日期{}晚于今天", dates::fmt(*date)),
            Problem::JoinedBefore18 { eighteenth } => {
                format!("入党日期早于年满18周岁之日（{}）", dates::fmt(*eighteenth))
            }
            Problem::RegisteredBefore18 { eighteenth } => {
                format!("入册日期早于年满18周岁之日（{}）", dates::fmt(*eighteenth))
            }
        }
    }

    /// The message in English.
    pub fn en(&self) -> String {
        match self {
            Problem::IdLength { len } => {
                format!("an ID number has 18 characters, this one has {len}")
            }
            Problem::IdBadChar { pos, ch } => {
                format!("ID number character {pos} '{ch}' is invalid: 17 digits, then a digit or X")
            }
            Problem::IdCheckDigit { expected, found } => format!(
                "ID number check digit does not match: the last character should be {expected}, not {found}"
            ),
            Problem::IdBirthDate => {
                "the birth date in the ID number (characters 7-14) is not a real date".into()
            }
            Problem::IdBirthInFuture { date } => format!(
                "the birth date in the ID number, {}, is after today",
                dates::fmt(*date)
            ),
            Problem::IdBirthMismatch { id_birth, birth } => format!(
                "the ID number says born {}, the birth date says {}",
                dates::fmt(*id_birth),
                dates::fmt(*birth)
            ),
            Problem::PhoneBadChar { ch } => format!("the phone number contains '{ch}'"),
            Problem::PhoneMobile => "a mobile number has 11 digits starting 13-19".into(),
            Problem::PhoneLandline => {
                "a landline is an area code and a 7-8 digit number, e.g. 010-12345678".into()
            }
            Problem::PhoneNoAreaCode => "a landline needs its area code, e.g. 010-12345678".into(),
            Problem::FutureDate { date } => {
                format!("the date {} is after today", dates::fmt(*date))
            }
            Problem::JoinedBefore18 { eighteenth } => format!(
                "joined before the 18th birthday ({})",
                dates::fmt(*eighteenth)
            ),
            Problem::RegisteredBefore18 { eighteenth } => format!(
                "entered the roster (入册日期) before the 18th birthday ({})",
                dates::fmt(*eighteenth)
            ),
        }
    }

    /// The message in the chosen language.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh())
    }
}

impl std::error::Error for Problem {}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 (ISO 7064 MOD 11-2) check character for 17 leading digits.
fn id_check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// Checks a 身份证号 (its birth date no later than `today`) and returns it
/// normalised (trimmed, inner spaces removed, full-width digits made ASCII,
/// `x` made `X`).
pub fn id_number(s: &str, today: NaiveDate) -> Result<String, Problem> {
    let id: String = s
        .chars()
        .map(halfwidth)
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect();
    let len = id.chars().count();
    if len != 18 {
        return Err(Problem::IdLength { len });
    }
    for (i, ch) in id.chars().enumerate() {
        let ok = ch.is_ascii_digit() || (i == 17 && ch == 'X');
        if !ok {
            return Err(Problem::IdBadChar { pos: i + 1, ch });
        }
    }
    let birth = id_birth_date(&id).ok_or(Problem::IdBirthDate)?;
    if birth > today {
        return Err(Problem::IdBirthInFuture { date: birth });
    }
    let expected = id_check_char(&id.as_bytes()[..17]);
    let found = id.as_bytes()[17] as char;
    if expected != found {
        return Err(Problem::IdCheckDigit { expected, found });
    }
    Ok(id)
}

/// The date of birth in characters 7–14 of an 18-character ID number, if it
/// is a real date from 1900 on.
pub fn id_birth_date(id: &str) -> Option<NaiveDate> {
    let id = id.trim();
    if id.len() != 18 || !id.is_ascii() {
        return None;
    }
    let part = &id[6..14];
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = part[..4].parse().ok()?;
    let m: u32 = part[4..6].parse().ok()?;
    let d: u32 = part[6..].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| d.year() >= 1900)
}

/// Checks that the ID number's birth date is `birth`.
pub fn id_matches_birth(id: &str, birth: NaiveDate) -> Result<(), Problem> {
    match id_birth_date(id) {
        None => Err(Problem::IdBirthDate),
        Some(id_birth) if id_birth != birth => Err(Problem::IdBirthMismatch { id_birth, birth }),
        Some(_) => Ok(()),
    }
}

/// Builds a valid ID number (check digit computed) for tests and demo data.
/// `prefix6` is the region code (non-digits dropped, padded or cut to 6).
pub fn make_id_number(prefix6: &str, birth: NaiveDate, seq3: u32) -> String {
    let mut region: String = prefix6
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    while region.len() < 6 {
        region.push('0');
    }
    let mut id = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq3 % 1000);
    let check = id_check_char(id.as_bytes());
    id.push(check);
    id
}

/// Checks a phone number and returns its normal form: a mobile as 11 digits
/// (`13812345678`), a landline as `area-number` (`010-12345678`, with `-ext`
/// when given). An empty input gives `Ok("")` (no phone).
pub fn phone(s: &str) -> Result<String, Problem> {
    let s: String = s.chars().map(halfwidth).collect();
    let mut s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let mut intl = false;
    for p in ["+86", "0086"] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.trim_start_matches([' ', '-']);
            intl = true;
            break;
        }
    }
    // An extension may be written 010-12345678转123 or ... ext 123.
    let (main, ext) = match s
        .find('转')
        .map(|i| (i, '转'.len_utf8()))
        .or_else(|| s.to_ascii_lowercase().find("ext").map(|i| (i, 3)))
    {
        Some((i, n)) => (
            &s[..i],
            Some(s[i + n..].trim_start_matches(['.', ' ', ':'])),
        ),
        None => (s, None),
    };
    for ch in main.chars().chain(ext.unwrap_or("").chars()) {
        if !(ch.is_ascii_digit() || matches!(ch, ' ' | '-' | '(' | ')')) {
            return Err(Problem::PhoneBadChar { ch });
        }
    }
    let mut tokens: Vec<&str> = main
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(ext) = ext {
        if ext.is_empty() || !ext.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::PhoneLandline);
        }
        tokens.push(ext);
    }
    let digits: String = tokens.concat();
    if digits.is_empty() {
        return Err(Problem::PhoneLandline);
    }
    if digits.starts_with('1') {
        let b = digits.as_bytes();
        if ext.is_none() && b.len() == 11 && (b'3'..=b'9').contains(&b[1]) {
            return Ok(digits);
        }
        if !intl {
            return Err(Problem::PhoneMobile);
        }
    }
    // +86 10 12345678: the trunk 0 is left out after the country code.
    let first = if intl {
        format!("0{}", tokens[0])
    } else {
        tokens[0].to_string()
    };
    tokens[0] = &first;
    if !tokens[0].starts_with('0') {
        return Err(Problem::PhoneNoAreaCode);
    }
    landline(&tokens)
}

/// Area codes: 010 and 02x have 3 digits, every other one 4 (0 + 1-9 + 2 digits).
fn area_len(d: &str) -> Option<usize> {
    let b = d.as_bytes();
    if b.len() < 3 || b[0] != b'0' || b[1] == b'0' {
        return None;
    }
    if d.starts_with("010") || b[1] == b'2' {
        Some(3)
    } else {
        Some(4)
    }
}

fn landline(tokens: &[&str]) -> Result<String, Problem> {
    let first = tokens[0];
    let alen = area_len(first).ok_or(Problem::PhoneLandline)?;
    if first.len() < alen {
        return Err(Problem::PhoneLandline);
    }
    let (area, number, rest) = if first.len() == alen {
        match tokens.get(1) {
            Some(n) => (first, *n, &tokens[2..]),
            None => return Err(Problem::PhoneLandline),
        }
    } else {
        (&first[..alen], &first[alen..], &tokens[1..])
    };
    let local_ok = (7..=8).contains(&number.len()) && !number.starts_with('0');
    if !local_ok || rest.len() > 1 {
        return Err(Problem::PhoneLandline);
    }
    let mut out = format!("{area}-{number}");
    if let Some(ext) = rest.first() {
        if ext.len() > 6 {
            return Err(Problem::PhoneLandline);
        }
        out.push('-');
        out.push_str(ext);
    }
    Ok(out)
}

/// Checks that a date is not after today.
pub fn not_future(d: NaiveDate, today: NaiveDate) -> Result<(), Problem> {
    if d > today {
        Err(Problem::FutureDate { date: d })
    } else {
        Ok(())
    }
}

/// Checks that the party was joined on or after the 18th birthday (a 29
/// February birthday falls on 1 March in other years).
pub fn joined_after_18(birth: NaiveDate, joined: NaiveDate) -> Result<(), Problem> {
    let eighteenth = dates::add_years(birth, 18);
    if joined < eighteenth {
        Err(Problem::JoinedBefore18 { eighteenth })
    } else {
        Ok(())
    }
}

/// Checks that a member entered the roster (入册日期) on or after the 18th
/// birthday: a party member is at least 18, so an earlier date is a typo.
pub fn registered_after_18(birth: NaiveDate, registered: NaiveDate) -> Result<(), Problem> {
    let eighteenth = dates::add_years(birth, 18);
    if registered < eighteenth {
        Err(Problem::RegisteredBefore18 { eighteenth })
    } else {
        Ok(())
    }
}

/// The ID number as lists show it: first 4, ten `*`, last 4
/// (`1101**********1234`).
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n <= 8 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(n - 8));
    out.extend(&chars[n - 4..]);
    out
}

/// The phone number as lists show it: a mobile `138****5678`, a landline
/// with its area code and the last 4 digits (`010-****5678`).
pub fn mask_phone(p: &str) -> String {
    let p = p.trim();
    let b = p.as_bytes();
    if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' {
        return format!("{}****{}", &p[..3], &p[7..]);
    }
    let mut parts = p.splitn(3, '-');
    if let (Some(area), Some(num)) = (parts.next(), parts.next())
        && area.starts_with('0')
        && num.len() > 4
        && (area.len() == 3 || area.len() == 4)
        && num.bytes().all(|b| b.is_ascii_digit())
    {
        let mut out = format!(
            "{area}-{}{}",
            "*".repeat(num.len() - 4),
            &num[num.len() - 4..]
        );
        if let Some(ext) = parts.next() {
            out.push('-');
            out.push_str(ext);
        }
        return out;
    }
    // Not a normal form: hide every digit but the last four.
    let total = p.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    p.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 4 <= total { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
