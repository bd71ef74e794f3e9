//! The terminal user interface.

pub mod text;

use rusqlite::Connection;

use crate::domain::Lang;

/// How the UI draws.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub lang: Lang,
    pub ascii: bool,
}

/// Runs the terminal UI until the clerk quits (being written).
pub fn run(_conn: Connection, _opts: Options) -> std::io::Result<()> {
    Ok(())
}
