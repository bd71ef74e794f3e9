//! The options of choice fields and check lists, and the letters that pick them.

use crate::domain::Lang;
use crate::domain::pinyin;
use crate::domain::vocab::Coded;

/// One option of a choice field or one item of a check list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub label: String,
    /// Letters that pick it when typed alone (lower case).
    pub keys: Vec<char>,
    /// Words whose beginning, typed letter by letter, picks it (lower case):
    /// the label itself, its pinyin initials and full pinyin (体检: `tj`,
    /// `tijian`), its English words' initials, its code.
    pub names: Vec<String>,
}

impl ChoiceOption {
    pub fn new(label: impl Into<String>, keys: &str) -> Self {
        let label = label.into();
        let mut names = Vec::new();
        add_names(&mut names, &label);
        ChoiceOption {
            label,
            keys: keys.to_lowercase().chars().collect(),
            names,
        }
    }

    /// Whether the letters typed so far (lower case) pick this option: the
    /// beginning of one of its names, or one of its keys typed alone.
    pub fn picked_by(&self, typed: &str) -> bool {
        let mut chars = typed.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && self.keys.contains(&c)
        {
            return true;
        }
        self.names.iter().any(|n| n.starts_with(typed))
    }

    /// A vocabulary value: picked by the first letter of its code, of its
    /// English label, or the pinyin initial of its Chinese label (男 by `m`
    /// or `n`), or by the first character of the Chinese label itself.
    pub fn coded<T: Coded>(v: T, lang: Lang) -> Self {
        let mut keys = Vec::new();
        let mut add = |c: Option<char>| {
            if let Some(c) = c.map(|c| c.to_ascii_lowercase())
                && !keys.contains(&c)
            {
                keys.push(c);
            }
        };
        add(v.code().chars().next());
        add(v.en().chars().next());
        add(pinyin::readings(v.zh()).chars().next());
        add(v.zh().chars().next());
        let mut names = Vec::new();
        for s in [v.zh(), v.en(), v.code()] {
            add_names(&mut names, s);
        }
        ChoiceOption {
            label: v.label(lang).to_string(),
            keys,
            names,
        }
    }

    /// The empty choice ("not given").
    pub fn none(lang: Lang) -> Self {
        ChoiceOption::new(lang.pick("（未填）", "(none)"), "-")
    }
}

/// The names [`ChoiceOption::picked_by`] matches for `label`: itself (lower
/// case), and for Chinese its pinyin initials and full pinyin (first reading
/// of each character: 体检 `tj`, `tijian`), for other text its words run
/// together and their initials (`health check`: `healthcheck`, `hc`;
/// `health_check` likewise).
fn add_names(names: &mut Vec<String>, label: &str) {
    let mut push = |n: String| {
        if !n.is_empty() && !names.contains(&n) {
            names.push(n);
        }
    };
    let lower = label.trim().to_lowercase();
    push(lower.clone());
    let words: Vec<String> = if lower.is_ascii() {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        pinyin::readings(label)
            .split(' ')
            .filter_map(|g| g.split('/').next())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    push(words.concat());
    push(words.iter().filter_map(|w| w.chars().next()).collect());
}

/// Type-ahead: the option to select when `c` is typed after the letters
/// `typed` (lower case, kept by the caller for the focused field) with
/// `current` selected. The letters typed so far plus `c` pick the first
/// option they begin, staying on the current one when it is among them
/// (`t` then `j` reaches 体检 and stays there; `wwp` goes on to 慰问品);
/// when nothing begins so, `c` starts again alone and moves to the next
/// option it picks (so `n`, `n` goes from 男 to 女). `typed` is updated;
/// None (and `typed` emptied) when `c` picks nothing.
pub fn type_ahead(
    options: &[ChoiceOption],
    current: usize,
    typed: &mut String,
    c: char,
) -> Option<usize> {
    let n = options.len();
    let lower: String = c.to_lowercase().collect();
    let longer = format!("{typed}{lower}");
    let after = |from: usize, t: &str| {
        (1..=n)
            .map(|k| (from + k) % n)
            .find(|&j| options[j].picked_by(t))
    };
    if !typed.is_empty() && options.iter().any(|o| o.picked_by(&longer)) {
        *typed = longer;
        if options.get(current).is_some_and(|o| o.picked_by(typed)) {
            return Some(current);
        }
        return after(current, typed);
    }
    let found = after(current, &lower);
    *typed = if found.is_some() {
        lower
    } else {
        String::new()
    };
    found
}
