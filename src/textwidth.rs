//! Display-width helpers: the screens and the command line measure, cut and
//! wrap text in terminal cells (a CJK character takes two), never in bytes or chars.

use unicode_width::UnicodeWidthChar;

/// The mark left where text was cut: ASCII, so one cell on every console.
const CUT: char = '~';

/// Display width of one character in cells (control characters take none).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Width of the first `char_idx` characters (where the cursor goes).
pub fn prefix_width(s: &str, char_idx: usize) -> usize {
    s.chars().take(char_idx).map(char_width).sum()
}

/// At most `max` cells of `s`; when it had to be cut, the last cell is `~`
/// and no wide character is split (`truncate("张三丰", 4) == "张~"`).
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - 1;
    let mut out = String::with_capacity(s.len());
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(CUT);
    out
}

/// Exactly `w` cells: cut as [`truncate`] does, then padded with spaces on the right.
pub fn pad_right(s: &str, w: usize) -> String {
    let mut out = truncate(s, w);
    let fill = w - width(&out);
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

/// Exactly `w` cells: cut as [`truncate`] does, then padded with spaces on
/// the left (for numbers and money).
pub fn pad_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w - width(&t);
    let mut out = String::with_capacity(fill + t.len());
    out.extend(std::iter::repeat_n(' ', fill));
    out.push_str(&t);
    out
}

/// A plain-text table's lines: each column as wide as its widest cell (in
/// display cells), two spaces apart, the columns `right` marks aligned to the
/// right (numbers), trailing blanks trimmed. The first row is the header.
pub fn align_columns<S: AsRef<str>>(rows: &[Vec<S>], right: &[bool]) -> Vec<String> {
    let mut widths: Vec<usize> = Vec::new();
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            let w = width(cell.as_ref());
            match widths.get_mut(i) {
                Some(c) => *c = (*c).max(w),
                None => widths.push(w),
            }
        }
    }
    rows.iter()
        .map(|r| {
            let mut s = String::new();
            for (i, cell) in r.iter().enumerate() {
                if i > 0 {
                    s.push_str("  ");
                }
                let w = widths[i];
                if right.get(i).copied().unwrap_or(false) {
                    s.push_str(&pad_left(cell.as_ref(), w));
                } else {
                    s.push_str(&pad_right(cell.as_ref(), w));
                }
            }
            s.trim_end().to_string()
        })
        .collect()
}

/// Lines of at most `w` cells: Chinese text breaks between any two
/// characters, Latin words at spaces (a word wider than `w` is split), and
/// every `\n` starts a new line. Tabs count as spaces; other control
/// characters are dropped. Punctuation keeps to its word, as in print (避头尾):
/// a closing mark such as `，` `。` `；` `）` never starts a line, and an
/// opening one such as `（` `“` never ends one.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    if w == 0 {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for para in s.split('\n') {
        wrap_paragraph(para.strip_suffix('\r').unwrap_or(para), w, &mut lines);
    }
    lines
}

/// Marks that may not start a line (they close or follow what precedes them).
const NO_LINE_START: &str = "，。、；：！？）」』”’》〉】〕…—·,.;:!?)]}%";
/// Marks that may not end a line (they open what follows them).
const NO_LINE_END: &str = "（「『“‘《〈【〔([{";

/// Break units of a paragraph: a run of narrow non-blank characters (a Latin
/// word), a single wide character, or a blank; a closing mark joins the unit
/// before it and an opening mark the unit after it.
fn units(para: &str) -> Vec<(String, usize, bool)> {
    let mut out: Vec<(String, usize, bool)> = Vec::new();
    let mut in_word = false;
    let mut glue = false; // the last unit ends with an opening mark
    for c in para.chars() {
        if c == ' ' || c == '\t' || c == '\u{3000}' {
            let w = if c == '\u{3000}' { 2 } else { 1 };
            out.push((String::new(), w, true));
            in_word = false;
            glue = false;
            continue;
        }
        if c.is_control() {
            continue;
        }
        let cw = char_width(c);
        let closing = NO_LINE_START.contains(c);
        match out.last_mut() {
            // Zero-width marks stay with what they modify.
            Some((t, _, false)) if cw == 0 => t.push(c),
            Some((t, tw, false)) if (in_word && cw == 1) || closing || glue => {
                t.push(c);
                *tw += cw;
                in_word = cw == 1 && (in_word || glue);
            }
            _ => {
                out.push((c.to_string(), cw, false));
                in_word = cw == 1;
            }
        }
        glue = NO_LINE_END.contains(c);
    }
    out
}

fn wrap_paragraph(para: &str, w: usize, lines: &mut Vec<String>) {
    let mut line = String::new();
    let mut used = 0;
    let mut space = 0; // blank cells waiting between the line and the next unit
    let mut pushed_any = false;
    for (text, tw, blank) in units(para) {
        if blank {
            if used > 0 {
                space += tw;
            }
            continue;
        }
        if used > 0 && used + space + tw <= w {
            line.extend(std::iter::repeat_n(' ', space));
            line.push_str(&text);
            used += space + tw;
            space = 0;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            pushed_any = true;
            used = 0;
        }
        space = 0;
        if tw <= w {
            line.push_str(&text);
            used = tw;
        } else {
            // A word wider than the whole line: split it by characters.
            for c in text.chars() {
                let cw = char_width(c);
                if used + cw > w && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    pushed_any = true;
                    used = 0;
                }
                if cw <= w {
                    line.push(c);
                    used += cw;
                }
            }
        }
    }
    if used > 0 || !pushed_any {
        lines.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("张三"), 4);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("𠮷野家"), 6);
        assert_eq!(width("阿依古丽·买买提"), 15);
        assert_eq!(width("a\u{7}b"), 2);
        assert_eq!(width(""), 0);
        assert_eq!(prefix_width("张a三", 2), 3);
        assert_eq!(prefix_width("张a三", 10), 5);
        assert_eq!(prefix_width("𠮷x", 1), 2);
    }

    #[test]
    fn truncation_never_splits_a_wide_char() {
        assert_eq!(truncate("张三丰", 6), "张三丰");
        assert_eq!(truncate("张三丰", 5), "张三~");
        assert_eq!(truncate("张三丰", 4), "张~");
        assert_eq!(truncate("张三丰", 1), "~");
        assert_eq!(truncate("张三丰", 0), "");
        assert_eq!(truncate("𠮷𠮷𠮷", 4), "𠮷~");
        assert_eq!(truncate("abcdef", 4), "abc~");
        assert_eq!(truncate("", 3), "");
        for max in 0..12 {
            let t = truncate("a张b𠮷c·丰", max);
            assert!(width(&t) <= max, "{max}: {t}");
        }
    }

    #[test]
    fn padding_is_exact() {
        assert_eq!(pad_right("张三", 6), "张三  ");
        assert_eq!(pad_right("张三丰", 4), "张~ ");
        assert_eq!(pad_right("张三丰", 5), "张三~");
        assert_eq!(pad_left("12", 5), "   12");
        assert_eq!(pad_left("¥1,234.56", 12), "   ¥1,234.56");
        assert_eq!(pad_left("张三丰", 4), " 张~");
        for w in 0..10 {
            assert_eq!(width(&pad_right("𠮷a张", w)), w);
            assert_eq!(width(&pad_left("𠮷a张", w)), w);
        }
    }

    #[test]
    fn punctuation_keeps_to_its_word() {
        // 10 cells: the comma would start the second line; it stays with 丙
        assert_eq!(wrap("甲乙丙丁戊，己庚", 10), ["甲乙丙丁", "戊，己庚"]);
        assert_eq!(wrap("甲乙丙丁（戊己）", 10), ["甲乙丙丁", "（戊己）"]);
        assert_eq!(wrap("甲乙丙丁“戊己”", 10), ["甲乙丙丁", "“戊己”"]);
        // a Latin word keeps its comma, and an opening mark its word
        assert_eq!(
            wrap("see (this one), then", 9),
            ["see (this", "one),", "then"]
        );
        assert_eq!(
            wrap("see (this one), then", 7),
            ["see", "(this", "one),", "then"]
        );
        // every line fits, whatever the marks
        for w in 1..12 {
            for l in wrap("，，，，，，（（（（（甲））））））。。。", w) {
                assert!(width(&l) <= w, "{w}: {l}");
            }
        }
        // no line but the first starts with a closing mark (where each word
        // with its marks fits a line)
        for w in 10..40 {
            let lines = wrap(
                "名单：张三 合格 ¥100.00；李四 良好 ¥160.00；王五（退休）合格。",
                w,
            );
            for l in &lines[1..] {
                let c = l.chars().next().unwrap();
                assert!(!NO_LINE_START.contains(c), "{w}: {lines:?}");
            }
        }
    }

    #[test]
    fn wraps_cjk_anywhere_and_latin_at_spaces() {
        assert_eq!(wrap("张三李四王五", 4), ["张三", "李四", "王五"]);
        assert_eq!(wrap("张三李四王五", 5), ["张三", "李四", "王五"]);
        assert_eq!(wrap("hello world foo", 11), ["hello world", "foo"]);
        assert_eq!(wrap("hello world", 5), ["hello", "world"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(
            wrap("走访 home visit 张三", 8),
            ["走访", "home", "visit 张", "三"]
        );
        assert_eq!(wrap("第一行\n第二行", 20), ["第一行", "第二行"]);
        assert_eq!(wrap("a\n\nb", 5), ["a", "", "b"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("  ", 5), [""]);
        assert_eq!(wrap("𠮷𠮷𠮷", 3), ["𠮷", "𠮷", "𠮷"]);
        assert!(wrap("张三", 0).is_empty());
        // A wide character cannot fit into one cell: dropped, never overflowing.
        assert_eq!(wrap("张", 1), [""]);
        let long = "党员需求调查 survey of 2026年度 needs, opinions and suggestions 意见建议";
        for w in 1..30 {
            for l in wrap(long, w) {
                assert!(width(&l) <= w, "{w}: {l:?}");
            }
        }
    }
}
