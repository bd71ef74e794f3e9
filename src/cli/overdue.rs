//! `guanhuai overdue` (being written).

use std::io::Write;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{CliError, OverdueFormat};
use crate::domain::Lang;

pub fn run(
    _conn: &Connection,
    _as_of: Option<NaiveDate>,
    _format: OverdueFormat,
    _soon: bool,
    _lang: Lang,
    _out: &mut dyn Write,
) -> Result<(), CliError> {
    Err(CliError("overdue: not yet built".into()))
}
