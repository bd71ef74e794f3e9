//! `guanhuai overdue [--as-of DATE] [--format table|csv|json] [--soon]`: the
//! overdue (or due-soon) obligations, for cron jobs, scripts and meetings.
//!
//! csv: exactly `member_code,name,obligation,due,days_overdue`, LF line ends,
//! fields quoted only where needed (RFC 4180); json: an array of objects with
//! the same fields; table: labels in the chosen language, aligned by display
//! width, with a count line. Names and codes never reach the terminal raw:
//! control characters are written out (`\x1B`), in every format.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::{CliError, OverdueFormat};
use crate::db::obligations::RowView;
use crate::db::obligations::listing::{Listing, Part};
use crate::domain::Lang;
use crate::domain::dates;
use crate::domain::safe_text::escape_controls;
use crate::interchange::formula;
use crate::textwidth as text;

pub const CSV_HEADER: &str = "member_code,name,obligation,due,days_overdue";

pub fn run(
    conn: &Connection,
    as_of: Option<NaiveDate>,
    format: OverdueFormat,
    soon: bool,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let as_of = as_of.unwrap_or_else(crate::clock::today);
    let settings = crate::db::settings::load(conn).map_err(|e| CliError::from_db(e, lang))?;
    let part = if soon { Part::Soon } else { Part::Overdue };
    // The kept table when it answers for the day, else the rules over the roster.
    let listing = Listing::load(conn, as_of, &settings).map_err(|e| CliError::from_db(e, lang))?;
    let mut failed = None;
    let mut each = |f: &mut dyn FnMut(RowView<'_>) -> std::io::Result<()>| {
        listing.each(conn, part, f).unwrap_or_else(|e| {
            failed = Some(e);
            Ok(())
        })
    };
    let written = match format {
        OverdueFormat::Csv => write_csv(&mut each, out),
        OverdueFormat::Json => write_json(&mut each, out),
        OverdueFormat::Table => {
            write_table(&mut each, as_of, soon, settings.due_soon_days, lang, out)
        }
    };
    if let Some(e) = failed {
        return Err(CliError::from_db(e, lang));
    }
    written
        .and_then(|()| out.flush())
        .or_else(ignore_broken_pipe)
        .map_err(|e| CliError(format!("{}{e}", lang.pick("无法输出：", "cannot write: "))))
}

/// `guanhuai overdue | head` closes the pipe early: that is not an error.
/// A reader that stopped early (`| head`) is not an error.
pub(super) fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// Calls its argument with every row of a list, in order.
pub type Rows<'a> =
    dyn FnMut(&mut dyn FnMut(RowView<'_>) -> std::io::Result<()>) -> std::io::Result<()> + 'a;

/// The CSV of DOMAIN.md "Command line".
pub fn write_csv(rows: &mut Rows<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    buf.extend_from_slice(CSV_HEADER.as_bytes());
    buf.push(b'\n');
    // Rows come in runs with the same due date: format it once per run.
    let mut last_due: Option<NaiveDate> = None;
    let mut tail: Vec<u8> = Vec::with_capacity(32);
    rows(&mut |r| {
        if last_due != Some(r.due) {
            last_due = Some(r.due);
            tail.clear();
            tail.push(b',');
            push_date(&mut tail, r.due);
            tail.push(b',');
            push_int(&mut tail, r.days_overdue);
            tail.push(b'\n');
        }
        csv_field(&mut buf, r.member_code);
        buf.push(b',');
        csv_field(&mut buf, r.name);
        buf.push(b',');
        csv_field(&mut buf, r.code);
        buf.extend_from_slice(&tail);
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    out.write_all(&buf)
}

/// One field, quoted only when it holds a comma, a quote or a line break;
/// control characters written out (`\x1B`) and a would-be formula guarded
/// with `'` (see `interchange::formula`), as every output of ours.
pub fn csv_field(buf: &mut Vec<u8>, s: &str) {
    let s = escape_controls(s, false);
    let s = formula::guard(&s);
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

fn push_int(buf: &mut Vec<u8>, n: i64) {
    // Writing into a Vec cannot fail.
    let _ = write!(buf, "{n}");
}

/// `YYYY-MM-DD` without going through the formatter (a million rows print this).
fn push_date(buf: &mut Vec<u8>, d: NaiveDate) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        buf.extend_from_slice(dates::fmt(d).as_bytes());
        return;
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    buf.extend_from_slice(&[
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ]);
}

#[derive(serde::Serialize)]
struct JsonRow<'a> {
    member_code: &'a str,
    name: &'a str,
    obligation: &'a str,
    due: &'a str,
    days_overdue: i64,
}

/// An array of objects, one per line; Chinese stays as UTF-8.
pub fn write_json(rows: &mut Rows<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    buf.push(b'[');
    let mut due = Vec::with_capacity(10);
    let mut i = 0usize;
    rows(&mut |r| {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        i += 1;
        due.clear();
        push_date(&mut due, r.due);
        let row = JsonRow {
            member_code: &escape_controls(r.member_code, false),
            name: &escape_controls(r.name, false),
            obligation: r.code,
            due: std::str::from_utf8(&due).unwrap_or_default(),
            days_overdue: r.days_overdue,
        };
        serde_json::to_writer(&mut buf, &row).map_err(std::io::Error::other)?;
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    buf.extend_from_slice(if i == 0 { b"]\n" } else { b"\n]\n" });
    out.write_all(&buf)
}

/// For people: a title, a header, aligned columns and a count line.
pub fn write_table(
    each: &mut Rows<'_>,
    as_of: NaiveDate,
    soon: bool,
    soon_days: i64,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let day = dates::fmt(as_of);
    let title = match (soon, lang) {
        (false, Lang::Zh) => format!("逾期事项（截至 {day}）"),
        (false, Lang::En) => format!("Overdue as of {day}"),
        (true, Lang::Zh) => format!("即将到期事项（{day} 起 {soon_days} 天内）"),
        (true, Lang::En) => format!("Due within {soon_days} days of {day}"),
    };
    let days_head = match soon {
        false => lang.pick("逾期天数", "Days overdue"),
        true => lang.pick("剩余天数", "Days left"),
    };
    let mut rows: Vec<Vec<String>> = vec![vec![
        lang.pick("编号", "Code").to_string(),
        lang.pick("姓名", "Name").to_string(),
        lang.pick("事项", "Obligation").to_string(),
        lang.pick("应办日期", "Due").to_string(),
        days_head.to_string(),
    ]];
    each(&mut |r| {
        rows.push(vec![
            escape_controls(r.member_code, false).into_owned(),
            escape_controls(r.name, false).into_owned(),
            r.kind.label(lang),
            dates::fmt(r.due),
            (if soon {
                -r.days_overdue
            } else {
                r.days_overdue
            })
            .to_string(),
        ]);
        Ok(())
    })?;
    writeln!(out, "{title}")?;
    for line in text::align_columns(&rows, &[false, false, false, false, true]) {
        writeln!(out, "{line}")?;
    }
    let n = rows.len() - 1;
    let total = match (soon, lang) {
        (false, Lang::Zh) => format!("共 {n} 项逾期"),
        (false, Lang::En) => format!("{n} overdue"),
        (true, Lang::Zh) => format!("共 {n} 项即将到期"),
        (true, Lang::En) => format!("{n} due soon"),
    };
    writeln!(out, "{total}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_where_needed() {
        let mut b = Vec::new();
        csv_field(&mut b, "张三");
        b.push(b',');
        csv_field(&mut b, "a,b");
        b.push(b',');
        csv_field(&mut b, "say \"hi\"");
        b.push(b',');
        csv_field(&mut b, "two\nlines\u{1b}]0;x");
        b.push(b',');
        csv_field(&mut b, "=HYPERLINK(1)");
        // a name or code never reaches a terminal raw, nor runs as a formula
        assert_eq!(
            String::from_utf8(b).unwrap(),
            r#"张三,"a,b","say ""hi""",two\nlines\x1B]0;x,'=HYPERLINK(1)"#
        );
    }

    #[test]
    fn dates_print_as_iso() {
        let mut b = Vec::new();
        push_date(&mut b, NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        push_int(&mut b, -14);
        assert_eq!(String::from_utf8(b).unwrap(), "2026-03-09-14");
    }
}
