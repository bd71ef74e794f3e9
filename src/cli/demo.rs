//! `guanhuai demo` (being written).

use rusqlite::Connection;

use super::CliError;
use crate::domain::Lang;

pub fn run(_conn: &mut Connection, _lang: Lang) -> Result<(), CliError> {
    Err(CliError("demo: not yet built".into()))
}
