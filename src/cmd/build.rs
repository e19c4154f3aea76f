//! `gongkai build`: the site built into a folder, all or nothing ([`crate::pipeline::build`]).
//! SIGINT and SIGTERM stop the build at its next file and leave the old output (README,
//! "Deploying `public/`").

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::options::BuildOptions;
use crate::output::Publish;
use crate::pipeline::{BuildSummary, Error};

/// What `gongkai build` did.
#[derive(Debug, Clone)]
pub struct Built {
    pub out: PathBuf,
    pub summary: BuildSummary,
    /// The whole run, from loading to the published folder.
    pub elapsed: Duration,
}

/// Where `gongkai build` writes without `--out`: `public/` in the site root.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

/// Builds into `out` (default: [`default_out`]); `force` replaces a folder gongkai did not
/// write. `on_start` gets the number of pages to come, `on_page` is called after each (the
/// binary's progress bar).
///
/// From here until the process ends, SIGINT and SIGTERM only ask the build to stop (a second
/// one ends the process at once): the binary runs one command and exits, so the handlers are
/// never removed (removing them would leave the signals ignored).
pub fn run(
    opts: &BuildOptions,
    out: Option<&Path>,
    force: bool,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<Built, Error> {
    let out = out.map_or_else(|| default_out(&opts.root), Path::to_path_buf);
    let cancel = Arc::new(AtomicBool::new(false));
    stop_on_signals(&cancel).map_err(|source| crate::output::OutputError::Io {
        path: out.clone(),
        source,
    })?;
    let how = Publish {
        force,
        cancel: Some(cancel),
    };
    let start = Instant::now();
    let summary = crate::pipeline::build_into(opts, &out, &how, on_start, on_page)?;
    Ok(Built {
        out,
        summary,
        elapsed: start.elapsed(),
    })
}

/// SIGINT and SIGTERM set `cancel`; once it is set, another ends the process (exit status 1),
/// so a stuck build can still be stopped. The order matters: the shutdown action must come
/// first, so the first signal finds `cancel` unset.
#[cfg(unix)]
fn stop_on_signals(cancel: &Arc<AtomicBool>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::flag;
    for signal in [SIGINT, SIGTERM] {
        flag::register_conditional_shutdown(signal, 1, Arc::clone(cancel))?;
        flag::register(signal, Arc::clone(cancel))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn stop_on_signals(_cancel: &Arc<AtomicBool>) -> std::io::Result<()> {
    Ok(())
}
