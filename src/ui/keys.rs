//! Key bindings, listed once per screen: `handle` looks the pressed key up in
//! the list and the key-hint line and the help overlay draw the same list, so
//! what the screen says and what the keys do cannot drift apart (gitui's
//! `commands()`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::domain::Lang;

/// One key as the clerk presses it: a key code, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub const fn ch(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
        }
    }

    pub const fn f(n: u8) -> Key {
        Key {
            code: KeyCode::F(n),
            ctrl: false,
        }
    }

    pub const fn code(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// Whether `ev` is this key. Shift is ignored for characters (`?` arrives
    /// as Shift+`?`), Alt never matches, and what an input method in Chinese
    /// mode sends for a key is that key ([`as_key`]: `？` is `?`, `、` is `/`).
    /// Only bindings are matched here: typed into a text field, `？` stays text.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev.modifiers.contains(KeyModifiers::ALT) || ctrl != self.ctrl {
            return false;
        }
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a == as_key(b) || (self.ctrl && a.eq_ignore_ascii_case(&b))
            }
            (a, b) => a == b,
        }
    }

    /// How the key is written in hints and help: `/`, `F3`, `Ctrl-S`, `Enter`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// The key a character stands for: the full-width `？` and `／` and the `、`
/// that an input method in Chinese mode sends for `?` and `/` are those keys.
pub fn as_key(c: char) -> char {
    match c {
        '？' => '?',
        '、' | '／' => '/',
        c => c,
    }
}

/// One action of a screen with every key that does it and what it is called.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A: Copy + 'static> {
    pub action: A,
    pub keys: &'static [Key],
    pub zh: &'static str,
    pub en: &'static str,
    /// Shown in the one-line key hints (everything is shown in the help).
    pub hint: bool,
}

impl<A: Copy> Binding<A> {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// Every key, `/ F3`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The keys shown in the hint line: the first key, and the first key
    /// without a letter when the first has one (an input method in Chinese
    /// mode swallows letters): `n/F2`, `Ctrl-S/F9`; `←→` for a pair of arrows.
    pub fn hint_keys(&self) -> String {
        let first = self.keys[0];
        if let Some(second) = self.keys.get(1) {
            let pair = matches!(
                (first.code, second.code),
                (KeyCode::Left, KeyCode::Right) | (KeyCode::Up, KeyCode::Down)
            );
            if pair {
                return format!("{}{}", first.label(), second.label());
            }
        }
        let lettered = |k: &Key| matches!(k.code, KeyCode::Char(c) if c.is_ascii_alphabetic());
        if lettered(&first)
            && let Some(other) = self.keys.iter().find(|k| !lettered(k))
        {
            return format!("{}/{}", first.label(), other.label());
        }
        first.label()
    }
}

const UP: &[Key] = &[Key::code(KeyCode::Up), Key::ch('k')];
const DOWN: &[Key] = &[Key::code(KeyCode::Down), Key::ch('j')];
const PAGE_UP: &[Key] = &[Key::code(KeyCode::PageUp)];
const PAGE_DOWN: &[Key] = &[Key::code(KeyCode::PageDown)];
const TO_LIST: &[Key] = &[
    Key::code(KeyCode::Enter),
    Key::code(KeyCode::Down),
    Key::code(KeyCode::Tab),
];
const ESC: &[Key] = &[Key::code(KeyCode::Esc)];

/// The keys DOMAIN.md makes hold on every screen outside a text field, one
/// list each: every screen's binding of them and the app's answer where a
/// view has nothing of the kind (`app::COMMON_KEYS`) name these.
pub const SEARCH_KEYS: &[Key] = &[Key::ch('/'), Key::f(3)];
pub const NEW_KEYS: &[Key] = &[Key::ch('n'), Key::f(2), Key::code(KeyCode::Insert)];
pub const OPEN_KEYS: &[Key] = &[Key::code(KeyCode::Enter)];
pub const EDIT_KEYS: &[Key] = &[Key::ch('e'), Key::f(4)];

/// The line and page moves every list shares, named alike on every screen.
impl<A: Copy> Binding<A> {
    pub const fn up(action: A) -> Self {
        Binding {
            action,
            keys: UP,
            zh: "上一行",
            en: "Up",
            hint: false,
        }
    }

    pub const fn down(action: A) -> Self {
        Binding {
            action,
            keys: DOWN,
            zh: "下一行",
            en: "Down",
            hint: false,
        }
    }

    pub const fn page_up(action: A) -> Self {
        Binding {
            action,
            keys: PAGE_UP,
            zh: "上一页",
            en: "Page up",
            hint: false,
        }
    }

    pub const fn page_down(action: A) -> Self {
        Binding {
            action,
            keys: PAGE_DOWN,
            zh: "下一页",
            en: "Page down",
            hint: false,
        }
    }
}

/// What a key does while the clerk types in a search box (everything not
/// bound is typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAction {
    Done,
    Clear,
}

/// The keys of a search box; `clear_zh`/`clear_en` name what Esc does there.
pub const fn search_bindings(
    clear_zh: &'static str,
    clear_en: &'static str,
) -> [Binding<SearchAction>; 2] {
    [
        Binding {
            action: SearchAction::Done,
            keys: TO_LIST,
            zh: "到列表",
            en: "To the list",
            hint: true,
        },
        Binding {
            action: SearchAction::Clear,
            keys: ESC,
            zh: clear_zh,
            en: clear_en,
            hint: true,
        },
    ]
}

/// The action bound to a key press, if any. Key releases (Windows reports
/// them) are ignored.
pub fn lookup<A: Copy>(bindings: &[Binding<A>], ev: &KeyEvent) -> Option<A> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    bindings
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// A binding as the hint line and the help overlay show it, without its action type.
#[derive(Debug, Clone)]
pub struct Hint {
    pub keys: String,
    pub hint_keys: String,
    pub label: &'static str,
    pub hint: bool,
}

/// The bindings of one screen as hints.
pub fn hints<A: Copy>(bindings: &[Binding<A>], lang: Lang) -> Vec<Hint> {
    bindings
        .iter()
        .map(|b| Hint {
            keys: b.keys_label(),
            hint_keys: b.hint_keys(),
            label: b.label(lang),
            hint: b.hint,
        })
        .collect()
}

/// True for a plain character typed into a text field (no Ctrl or Alt).
pub fn typed_char(ev: &KeyEvent) -> Option<char> {
    match ev.code {
        KeyCode::Char(c)
            if !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_and_labels() {
        let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(Key::ch('?').matches(&q));
        let cs = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(Key::ctrl('s').matches(&cs));
        assert!(!Key::ch('s').matches(&cs));
        assert_eq!(Key::ctrl('s').label(), "Ctrl-S");
        const B: Binding<i32> = Binding {
            action: 1,
            keys: &[Key::ch('n'), Key::f(2), Key::code(KeyCode::Insert)],
            zh: "新增",
            en: "New",
            hint: true,
        };
        let b = B;
        assert_eq!(b.hint_keys(), "n/F2");
        const S: Binding<i32> = Binding {
            action: 1,
            keys: &[Key::ctrl('s'), Key::f(9)],
            zh: "保存",
            en: "Save",
            hint: true,
        };
        assert_eq!(S.hint_keys(), "Ctrl-S/F9");
        assert_eq!(b.keys_label(), "n F2 Ins");
    }

    #[test]
    fn what_an_input_method_sends_is_the_key() {
        let ev = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert!(Key::ch('?').matches(&ev('？')));
        assert!(Key::ch('/').matches(&ev('、')));
        assert!(Key::ch('/').matches(&ev('／')));
        assert!(!Key::ch('?').matches(&ev('、')));
        assert!(
            !Key::ch('、').matches(&ev('/')),
            "only towards the ASCII key"
        );
        assert_eq!(as_key('张'), '张');
    }
}
