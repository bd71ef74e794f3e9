//! The options of choice fields and check lists, and the letters that pick them.

use crate::domain::Lang;
use crate::domain::pinyin;
use crate::domain::vocab::Coded;

/// One option of a choice field or one item of a check list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub label: String,
    /// Letters that pick it when typed (lower case).
    pub keys: Vec<char>,
}

impl ChoiceOption {
    pub fn new(label: impl Into<String>, keys: &str) -> Self {
        ChoiceOption {
            label: label.into(),
            keys: keys.to_lowercase().chars().collect(),
        }
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
        ChoiceOption {
            label: v.label(lang).to_string(),
            keys,
        }
    }

    /// The empty choice ("not given").
    pub fn none(lang: Lang) -> Self {
        ChoiceOption::new(lang.pick("（未填）", "(none)"), "-")
    }
}
