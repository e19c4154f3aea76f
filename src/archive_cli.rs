//! The `gongkai` command line, archiving (README, Archiving): `freeze` and `archive`. Prints
//! what the commands in `gongkai::cmd` did, in the reader's language; kept apart from
//! `main.rs` so each file stays small.

use std::path::PathBuf;

use gongkai::diagnostics::for_terminal;
use gongkai::messages::{Messages, Msg};
use gongkai::{BuildOptions, Error, cmd};

use crate::trust_cli::signing_key_env;

/// `gongkai freeze`: what was recorded in `archive.lock`.
pub(crate) fn freeze(year: u16, root: PathBuf, ui: &Messages) -> Result<(), Error> {
    let s = cmd::freeze::run(&BuildOptions::new(root), year)?;
    let froze = Msg::new("archive.froze")
        .arg("frozen", s.frozen)
        .arg("year", s.year)
        .arg("lock", gongkai::archive::LOCK_FILE)
        .arg("changed", s.changed);
    eprintln!("{}", for_terminal(&ui.render(&froze)));
    Ok(())
}

/// `gongkai archive`: the offline bundle, or the WARC file with `--warc`.
pub(crate) fn archive(
    year: u16,
    out: Option<PathBuf>,
    force: bool,
    warc: bool,
    root: PathBuf,
    ui: &Messages,
) -> Result<(), Error> {
    let opts = BuildOptions {
        signing_key: signing_key_env(),
        ..BuildOptions::new(root)
    };
    let run = if warc {
        cmd::archive::run_warc
    } else {
        cmd::archive::run
    };
    let s = run(&opts, year, out.as_deref(), force)?;
    for m in s.messages() {
        eprintln!("{}", for_terminal(&ui.render(&m)));
    }
    Ok(())
}
