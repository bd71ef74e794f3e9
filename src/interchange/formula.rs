//! Formula injection (公式注入) in CSV cells, as OWASP advises: a cell that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a
//! plain number, is written with a leading `'`, so Excel and WPS show it as
//! text instead of running it. An import removes that `'` again: for every
//! text `s`, `unguard(guard(s)) == s`.

use std::borrow::Cow;

fn starts_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `-5`, `+3.25`, `-0.5`: a sign, digits, at most one point with digits.
fn plain_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s` is written with a leading `'`: it could run as a formula, or
/// it is itself a `'` before such a text (so that the round trip holds).
fn needs_guard(s: &str) -> bool {
    (starts_like_formula(s) && !plain_number(s)) || s.strip_prefix('\'').is_some_and(needs_guard)
}

/// The cell as written to a CSV file.
pub fn guard(s: &str) -> Cow<'_, str> {
    if needs_guard(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The cell as read from a CSV file: the `'` that [`guard`] adds is removed.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_numbers_are_not() {
        assert_eq!(
            guard("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(guard("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(guard("@SUM(1)"), "'@SUM(1)");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("-"), "'-");
        assert_eq!(guard("-5"), "-5");
        assert_eq!(guard("+3.25"), "+3.25");
        assert_eq!(guard("张三"), "张三");
        assert_eq!(guard("'=x"), "''=x");
        assert_eq!(guard("'abc"), "'abc");
    }

    #[test]
    fn unguard_reverses_guard() {
        for s in [
            "=1+1", "'=1+1", "''=x", "'abc", "-5", "-", "@", "", "'", "+86 138",
        ] {
            assert_eq!(unguard(&guard(s)), s, "{s:?}");
        }
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'abc"), "'abc");
    }
}
