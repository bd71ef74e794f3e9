//! `guanhuai import` (being written).

use std::path::Path;

use rusqlite::Connection;

use super::{CliError, ImportKind};
use crate::domain::Lang;

pub fn run(
    _conn: &mut Connection,
    _what: ImportKind,
    _file: &Path,
    _lang: Lang,
) -> Result<(), CliError> {
    Err(CliError("import: not yet built".into()))
}
