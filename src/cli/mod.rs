//! The command line (clap): one file per subcommand. With no subcommand the
//! terminal UI opens. Exit status 0 on success, 1 on a user error (message on
//! stderr, nothing changed), 2 on bad usage.

pub mod backup;
pub mod campaign;
pub mod demo;
pub mod export;
pub mod fund;
pub mod import;
pub mod notice;
pub mod overdue;
pub mod stats;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::db::Access;
use crate::domain::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "guanhuai",
    version,
    about = "关怀 — 党支部党员关怀帮扶台账 (party branch care ledger)"
)]
pub struct Cli {
    /// Database file (default: guanhuai.sqlite in the platform data directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language of labels and messages
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Draw borders with +-| (for consoles that draw box lines two cells wide)
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Open the terminal UI on a demo database (created and filled on first use)
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fill an empty database with a realistic sample branch
    Demo,
    /// Import a CSV or XLSX file (all or nothing)
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        file: PathBuf,
    },
    /// Export to a CSV or XLSX file (Chinese headers)
    Export {
        #[arg(value_enum)]
        what: ExportKind,
        file: PathBuf,
        /// Write ID numbers in full instead of masked
        #[arg(long)]
        full: bool,
        /// The log: entries on or after this day
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        from: Option<NaiveDate>,
        /// The log: entries on or before this day
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        to: Option<NaiveDate>,
        /// The survey round to export (its name)
        #[arg(long, value_name = "NAME")]
        round: Option<String>,
    },
    /// Write a public notice (公示) to print: FILE.xlsx or FILE.txt
    Notice {
        #[arg(value_enum)]
        what: NoticeKind,
        file: PathBuf,
        /// From this day (hardship default: the cases in 公示 now; fund default:
        /// the first day of --to's month)
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        from: Option<NaiveDate>,
        /// Up to this day (fund default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        to: Option<NaiveDate>,
    },
    /// Campaigns (集中走访慰问)
    Campaign {
        #[command(subcommand)]
        action: CampaignAction,
    },
    /// List overdue (or due-soon) obligations
    Overdue {
        /// The day to judge on (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: OverdueFormat,
        /// List the due-soon obligations instead
        #[arg(long)]
        soon: bool,
    },
    /// The figures of the upward report (统计) on a day
    Stats {
        /// The day to count on (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
        /// Write the printable report (党员关怀帮扶工作统计) to FILE.xlsx (or .txt) instead
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// Copy the database to a new file (a consistent copy, safe while others work; never overwrites)
    Backup { file: PathBuf },
    /// The help fund (帮扶基金): verify the ledger, write an audit report
    Fund {
        #[command(subcommand)]
        action: FundAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum FundAction {
    /// Recompute the hash chain, the balance on every day and every audit's
    /// totals: exit 0 when intact, 1 naming the first bad entry
    Verify,
    /// Write the report of a closed audit (审计报告): FILE.xlsx or FILE.txt
    Report {
        file: PathBuf,
        /// The audit's number (default: the last one)
        #[arg(long, value_name = "N", conflicts_with = "last")]
        audit: Option<i64>,
        /// The last audit (the default)
        #[arg(long)]
        last: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Members,
    Talks,
    Visits,
    Events,
    Hardship,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Members,
    Talks,
    Visits,
    Events,
    Hardship,
    Fund,
    /// The audit log (操作日志)
    Log,
    /// A survey round's responses (党员需求调查; `--round NAME`)
    Survey,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// 困难党员帮扶公示
    Hardship,
    /// 帮扶基金救助公示: payments to people (default: this month up to today)
    Fund,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverdueFormat {
    Table,
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFormat {
    Table,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum CampaignAction {
    /// Add a campaign window with its target groups
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_date_arg)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date_arg)]
        to: NaiveDate,
        /// Comma-separated: all, old, hardship, honorary, chronic_ill, low_income, living_alone, disabled
        #[arg(long)]
        targets: String,
    },
    /// The campaigns, with how many members each targets and has visited so far
    List,
    /// The members a campaign targets who are not yet visited in person in its window
    Unvisited {
        /// The campaign's name
        name: String,
        /// Write the list to this file (.csv or .xlsx) instead of the terminal
        file: Option<PathBuf>,
    },
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    use crate::domain::dates;
    let shown = crate::domain::safe_text::quote(s);
    match dates::parse_date_any(s) {
        Some(d) if d < dates::EARLIEST => Err(format!(
            "{shown} is before 1900-01-01 (日期不能早于 1900-01-01)"
        )),
        Some(d) => Ok(d),
        None => Err(format!("not a date: {shown} (use YYYY-MM-DD)")),
    }
}

/// A user error: printed on stderr, exit status 1, nothing changed.
#[derive(Debug)]
pub struct CliError(pub String);

impl From<crate::db::DbError> for CliError {
    fn from(e: crate::db::DbError) -> Self {
        CliError(e.to_string())
    }
}

impl CliError {
    pub fn from_db(e: crate::db::DbError, lang: Lang) -> Self {
        CliError(e.message(lang))
    }
}

/// What the terminal UI is opened with when no subcommand is given (the
/// command line knows no screens: `main.rs` passes the function that opens them).
pub struct OpenUi {
    pub conn: rusqlite::Connection,
    pub lang: Lang,
    pub ascii: bool,
    /// The database file, absolute.
    pub path: String,
    /// Filled by `guanhuai demo` or opened with `--demo`.
    pub demo: bool,
}

/// Parses the arguments, runs (the UI through `open_ui`), and returns the exit status.
pub fn main(open_ui: impl FnOnce(OpenUi) -> std::io::Result<()>) -> i32 {
    let cli = match Cli::try_parse().and_then(check_usage) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let lang: Lang = cli.lang.into();
    match run(cli, open_ui) {
        Ok(()) => 0,
        Err(CliError(msg)) => {
            let msg = crate::domain::safe_text::for_terminal(&msg);
            eprintln!("{}{msg}", lang.pick("错误：", "error: "));
            1
        }
    }
}

/// What clap cannot check alone, bad usage all the same (exit status 2, as for
/// a date that is no date): a period that ends before it starts, and an
/// option given to an export it does not apply to.
fn check_usage(cli: Cli) -> Result<Cli, clap::Error> {
    let zh = cli.lang == LangArg::Zh;
    let conflict = |zh_msg: String, en_msg: String| {
        let msg = if zh { zh_msg } else { en_msg };
        Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, msg))
    };
    let (from, to) = match &cli.command {
        Some(Command::Notice { from, to, .. }) => (*from, *to),
        Some(Command::Export {
            what,
            from,
            to,
            round,
            ..
        }) => {
            if *what != ExportKind::Log && (from.is_some() || to.is_some()) {
                return conflict(
                    "--from 和 --to 只用于 export log".into(),
                    "--from and --to apply only to export log".into(),
                );
            }
            if *what != ExportKind::Survey && round.is_some() {
                return conflict(
                    "--round 只用于 export survey".into(),
                    "--round applies only to export survey".into(),
                );
            }
            (*from, *to)
        }
        _ => (None, None),
    };
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return conflict(
            format!("--to {t} 早于 --from {f}"),
            format!("--to {t} is before --from {f}"),
        );
    }
    Ok(cli)
}

fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    if cli.demo {
        let dir = crate::db::default_path()
            .and_then(|p| p.parent().map(|d| d.to_path_buf()))
            .unwrap_or_else(std::env::temp_dir);
        return Ok(dir.join(DEMO_FILE));
    }
    crate::db::default_path().ok_or_else(|| CliError("no data directory; pass --db PATH".into()))
}

/// The file name `--demo` opens in the platform data directory.
const DEMO_FILE: &str = "guanhuai-demo.sqlite";

/// Whether a command only reads the database (DOMAIN.md "Database files"):
/// such a command refuses a missing file and works on a read-only one.
fn access(command: &Option<Command>) -> Access {
    match command {
        None
        | Some(Command::Demo)
        | Some(Command::Import { .. })
        | Some(Command::Campaign {
            action: CampaignAction::Add { .. },
        }) => Access::Create,
        Some(
            Command::Campaign { .. }
            | Command::Export { .. }
            | Command::Notice { .. }
            | Command::Overdue { .. }
            | Command::Stats { .. }
            | Command::Backup { .. }
            | Command::Fund { .. },
        ) => Access::Read,
    }
}

/// Creates the default data directory (readable by its owner only) for a
/// command that creates the database; an explicit `--db` directory never is.
fn create_default_dir(path: &std::path::Path, lang: Lang) -> Result<(), CliError> {
    let dir = crate::fsutil::dir_of(path);
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        CliError(format!(
            "{}{}：{e}",
            lang.pick("无法创建数据目录 ", "cannot create the data directory "),
            dir.display()
        ))
    })
}

fn run(cli: Cli, open_ui: impl FnOnce(OpenUi) -> std::io::Result<()>) -> Result<(), CliError> {
    let lang: Lang = cli.lang.into();
    let path = db_path(&cli)?;
    let access = access(&cli.command);
    if cli.db.is_none() && access == Access::Create {
        create_default_dir(&path, lang)?;
    }
    crate::db::name_in_messages(&path);
    // The file to import is opened before the database: a file that is not
    // there, or of no known type, leaves no new database behind.
    let mut import_table = match &cli.command {
        Some(Command::Import { file, .. }) => Some(
            crate::interchange::table::Table::open(file)
                .map_err(|m| CliError(m.pick(lang).to_string()))?,
        ),
        _ => None,
    };
    let db_err = |e| CliError::from_db(e, lang);
    // A command-line write that creates the file and then fails (an import
    // refused as a whole) leaves no new database behind. Declared before the
    // connection, so dropped after it.
    let mut created =
        (cli.command.is_some() && access == Access::Create && crate::db::file::is_missing(&path))
            .then(|| Created {
                path: path.clone(),
                keep: false,
            });
    let mut conn = crate::db::open_as(&path, access).map_err(db_err)?;
    // Exports and backups get the database's mode (0600, or 0660 when shared).
    let file_mode = || crate::fsutil::mode_of(&path).map_or(0o600, crate::fsutil::mode_like);
    let result = match cli.command {
        None => {
            if cli.demo && crate::db::members::count(&conn).map_err(db_err)? == 0 {
                demo::run(&mut conn, lang)?;
                crate::db::mark_demo(&conn).map_err(db_err)?;
            }
            let demo = cli.demo
                || path.file_name().is_some_and(|n| n == DEMO_FILE)
                || crate::db::is_demo(&conn).map_err(db_err)?;
            let path = std::path::absolute(&path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string();
            let ui = OpenUi {
                conn,
                lang,
                ascii: cli.ascii,
                path,
                demo,
            };
            open_ui(ui).map_err(|e| CliError(e.to_string()))
        }
        Some(Command::Demo) => {
            demo::run(&mut conn, lang)?;
            crate::db::mark_demo(&conn).map_err(db_err)
        }
        Some(Command::Import { what, .. }) => match import_table.take() {
            Some(table) => import::run(&mut conn, what, table, lang),
            None => Err(CliError(
                lang.pick("没有要导入的文件", "no file to import").into(),
            )),
        },
        Some(Command::Export {
            what,
            file,
            full,
            from,
            to,
            round,
        }) => export::run(
            &conn,
            what,
            &file,
            full,
            (from, to, round.as_deref()),
            file_mode(),
            lang,
        ),
        Some(Command::Notice {
            what: NoticeKind::Hardship,
            file,
            from,
            to,
        }) => notice::hardship(&conn, (from, to), &file, file_mode(), lang),
        Some(Command::Notice {
            what: NoticeKind::Fund,
            file,
            from,
            to,
        }) => notice::fund(&conn, (from, to), &file, file_mode(), lang),
        Some(Command::Campaign { action }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            campaign::run(&mut conn, action, file_mode(), lang, &mut out)
        }
        Some(Command::Overdue {
            as_of,
            format,
            soon,
        }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            overdue::run(&conn, as_of, format, soon, lang, &mut out)
        }
        Some(Command::Stats {
            as_of,
            format,
            xlsx,
        }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mode = file_mode();
            let xlsx = xlsx.as_deref().map(|f| (f, mode));
            stats::run(&conn, as_of, format, xlsx, lang, &mut out)
        }
        Some(Command::Backup { file }) => backup::run(&conn, &file, file_mode(), lang),
        Some(Command::Fund {
            action: FundAction::Verify,
        }) => fund::verify(&conn, lang),
        Some(Command::Fund {
            action: FundAction::Report { file, audit, .. },
        }) => {
            let which = audit.map_or(fund::WhichAudit::Last, fund::WhichAudit::Id);
            fund::report(&conn, which, &file, file_mode(), lang)
        }
    };
    if result.is_ok()
        && let Some(c) = created.as_mut()
    {
        c.keep = true;
    }
    result
}

/// The database file a command-line write created: removed when it is
/// dropped (after the connection) unless the command succeeded, and then
/// only while it holds no clerk's data (`db::file::remove_unused`).
struct Created {
    path: PathBuf,
    keep: bool,
}

impl Drop for Created {
    fn drop(&mut self) {
        if !self.keep {
            crate::db::file::remove_unused(&self.path);
        }
    }
}
