//! `gongkai serve`: the preview ([`crate::serve`]) started from the command's arguments. It runs
//! until the binary stops it; what happens is told through [`Notice`]s.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::messages::UiLang;
use crate::serve::{OnNotice, Preview, ServeError, ServeOptions};

pub use crate::serve::Notice;

/// The arguments of `gongkai serve`.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
}

/// Whether the preview is reachable from other machines (drafts included): worth a warning.
pub fn exposed(args: &ServeArgs) -> bool {
    !args.bind.is_loopback()
}

/// Starts the preview; a port in use is an error that names it. `lang` is the language of the
/// server's own texts where neither the page nor the browser names one.
pub fn start(args: &ServeArgs, lang: UiLang, on_notice: OnNotice) -> Result<Preview, ServeError> {
    let mut opts = ServeOptions::new(&args.root);
    opts.lang = lang;
    opts.build.drafts = args.drafts;
    opts.bind = args.bind;
    opts.port = args.port;
    opts.on_notice = Some(on_notice);
    crate::serve::start(opts)
}
