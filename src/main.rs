//! The program: the command line runs a subcommand, or opens the terminal UI.

use guanhuai::cli::{self, OpenUi};
use guanhuai::ui::{self, OpenFile, Options};

fn main() {
    guanhuai::fsutil::install_quiet_hook();
    std::process::exit(cli::main(open_ui));
}

/// No subcommand: the screens, on the database the command line opened.
fn open_ui(o: OpenUi) -> std::io::Result<()> {
    let database = Some(OpenFile {
        path: o.path,
        demo: o.demo,
    });
    let opts = Options {
        lang: o.lang,
        ascii: o.ascii,
        database,
    };
    ui::run(o.conn, opts)
}
