//! What every screen and popup reads (`Env`) and what they may say in the
//! status line (`Status`), apart from the app so that screens do not import it.

use chrono::NaiveDate;

use super::theme::Theme;
use crate::domain::Lang;
use crate::domain::settings::Settings;

/// What every screen reads while handling keys and drawing.
#[derive(Debug, Clone)]
pub struct Env {
    pub lang: Lang,
    /// The day ages, standing and "not in the future" are judged on.
    pub today: NaiveDate,
    pub settings: Settings,
    pub theme: Theme,
}

/// What the status line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Ok,
    Error,
}

impl Status {
    pub fn info(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Info,
        }
    }
    pub fn ok(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Ok,
        }
    }
    pub fn error(s: impl Into<String>) -> Self {
        Status {
            text: s.into(),
            kind: StatusKind::Error,
        }
    }
}
