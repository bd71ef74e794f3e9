//! Text that is safe to store and to show: which characters a text field may
//! hold, and how a value is made harmless before it reaches a terminal or a
//! message (control characters escaped, ID-shaped numbers masked, long values cut).
//!
//! A name holding `ESC ] 0 ; …` would retitle the clerk's terminal when printed
//! raw; a shifted import row could put a whole 身份证号 into an error message.
//! Every message and every terminal output goes through [`for_terminal`] or
//! [`quote`].

use std::borrow::Cow;

/// A control character: C0 (tab and line breaks included), DEL, C1, the
/// Unicode line and paragraph separators, and the bidirectional embedding,
/// override and isolate controls (they reorder what the terminal shows).
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that occupies no cell and shows nothing: zero-width spaces and
/// joiners, direction marks, word joiners, the BOM, the soft hyphen, fillers.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// What is wrong with the characters of a text value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character (the first one found).
    Control(char),
    /// Not empty, but nothing visible once zero-width characters are removed.
    Invisible,
    /// More characters than the field allows.
    TooLong { len: usize, max: usize },
}

impl TextProblem {
    pub fn zh(&self) -> String {
        match self {
            TextProblem::Control(c) => {
                format!(
                    "含有控制字符 {}（不可见的换行、制表或终端控制符），请删除",
                    escape_char(*c)
                )
            }
            TextProblem::Invisible => "只含不可见字符（零宽空格等），请填写内容或清空".into(),
            TextProblem::TooLong { len, max } => format!("过长：{len} 字，最多 {max} 字"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            TextProblem::Control(c) => format!(
                "contains the control character {} (an invisible line break, tab or terminal code); remove it",
                escape_char(*c)
            ),
            TextProblem::Invisible => {
                "holds only invisible characters (zero-width spaces and the like)".into()
            }
            TextProblem::TooLong { len, max } => {
                format!("too long: {len} characters, at most {max}")
            }
        }
    }
}

/// Checks the characters of a text value: no control characters (line breaks
/// only where `multiline`), not invisible-only, at most `max` characters.
pub fn check_text(s: &str, multiline: bool, max: usize) -> Result<(), TextProblem> {
    let len = s.chars().count();
    if len > max {
        return Err(TextProblem::TooLong { len, max });
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_control(c) && !(multiline && line_break) {
            return Err(TextProblem::Control(c));
        }
    }
    if !s.is_empty()
        && s.chars().all(|c| is_invisible(c) || c.is_whitespace())
        && !s.trim().is_empty()
    {
        return Err(TextProblem::Invisible);
    }
    Ok(())
}

/// A control character as visible text: `\x1B`, `\u{202E}`.
pub fn escape_char(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        c if (c as u32) < 0x100 => format!("\\x{:02X}", c as u32),
        c => format!("\\u{{{:X}}}", c as u32),
    }
}

/// `s` with every control character written out (`\x1B`); line breaks are
/// kept when `keep_newlines`.
pub fn escape_controls(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) && !(keep_newlines && c == '\n') {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `s` with every run of 15 or more digits (an optional final `X`), which could
/// be a 身份证号, masked as lists show ID numbers: the first 4 and the last 4
/// characters kept, `*` between (`1101**********1234`).
pub fn mask_id_numbers(s: &str) -> Cow<'_, str> {
    let chars: Vec<char> = s.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_digit(chars[i]) {
            i += 1;
        }
        if i < chars.len() && matches!(chars[i], 'X' | 'x' | 'Ｘ' | 'ｘ') {
            i += 1;
        }
        if i - start >= 15 {
            runs.push((start, i));
        }
    }
    if runs.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (start, end) in runs {
        out.extend(&chars[at..start]);
        out.extend(&chars[start..start + 4]);
        out.extend(std::iter::repeat_n('*', end - start - 8));
        out.extend(&chars[end - 4..end]);
        at = end;
    }
    out.extend(&chars[at..]);
    Cow::Owned(out)
}

/// A message or a line of output as it may reach a terminal: ID-shaped numbers
/// masked, control characters escaped (line breaks kept).
pub fn for_terminal(s: &str) -> String {
    escape_controls(&mask_id_numbers(s), true).into_owned()
}

/// How long a quoted value may be in a message before it is cut.
const QUOTE_MAX: usize = 40;

/// A value quoted in a message: masked, escaped (line breaks too) and cut to
/// 40 characters with `…`, so a megabyte cell makes a one-line message.
pub fn quote(s: &str) -> String {
    let masked = mask_id_numbers(s);
    let n = masked.chars().count();
    let cut: String = if n > QUOTE_MAX {
        masked.chars().take(QUOTE_MAX).chain(['…']).collect()
    } else {
        masked.into_owned()
    };
    escape_controls(&cut, false).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_text_are_refused() {
        assert_eq!(check_text("张三", false, 10), Ok(()));
        assert_eq!(
            check_text("张\u{1b}]0;x\u{7}", false, 10),
            Err(TextProblem::Control('\u{1b}'))
        );
        assert_eq!(
            check_text("a\nb", false, 10),
            Err(TextProblem::Control('\n'))
        );
        assert_eq!(check_text("a\r\nb\nc", true, 10), Ok(()));
        assert_eq!(
            check_text("a\rb", true, 10),
            Err(TextProblem::Control('\r'))
        );
        assert_eq!(
            check_text("\u{9b}31m", false, 10),
            Err(TextProblem::Control('\u{9b}'))
        );
        assert_eq!(
            check_text("ab\u{202E}c", false, 10),
            Err(TextProblem::Control('\u{202E}'))
        );
        assert_eq!(
            check_text("\u{200B}\u{200D}", false, 10),
            Err(TextProblem::Invisible)
        );
        assert_eq!(
            check_text(" \u{FEFF} ", false, 10),
            Err(TextProblem::Invisible)
        );
        assert_eq!(check_text("", false, 10), Ok(()));
        assert_eq!(
            check_text("一二三", false, 2),
            Err(TextProblem::TooLong { len: 3, max: 2 })
        );
    }

    #[test]
    fn id_shaped_runs_are_masked() {
        assert_eq!(
            mask_id_numbers("“11010519491231002X”不是有效日期"),
            "“1101**********002X”不是有效日期"
        );
        assert_eq!(mask_id_numbers("13812345678 与 001"), "13812345678 与 001");
        assert_eq!(mask_id_numbers("110105194912310"), "1101*******2310");
    }

    #[test]
    fn quoted_values_are_short_and_harmless() {
        assert_eq!(quote("a\u{1b}[31mb\nc"), "a\\x1B[31mb\\nc");
        let long = "x".repeat(1_000_000);
        assert_eq!(quote(&long).chars().count(), 41);
        assert_eq!(for_terminal("第 2 行\n\u{1b}]0;x"), "第 2 行\n\\x1B]0;x");
    }
}
