//! Plain types, vocabularies, validation and the rule engine: no I/O, no terminal.

pub mod dates;
pub mod fund;
pub mod hardship;
pub mod incentives;
pub mod lunar;
pub mod member;
pub mod money;
pub mod pinyin;
pub mod records;
pub mod rules;
pub mod safe_text;
pub mod settings;
pub mod stats;
pub mod survey;
pub mod validate;
pub mod vocab;

pub use vocab::Lang;
