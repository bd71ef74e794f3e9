//! `guanhuai export` (being written).

use std::path::Path;

use rusqlite::Connection;

use super::{CliError, ExportKind};
use crate::domain::Lang;

pub fn run(
    _conn: &Connection,
    _what: ExportKind,
    _file: &Path,
    _full: bool,
    _lang: Lang,
) -> Result<(), CliError> {
    Err(CliError("export: not yet built".into()))
}
