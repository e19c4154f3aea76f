//! `gongkai build`: the site built into a folder, all or nothing ([`crate::pipeline::build`]).
//! SIGINT and SIGTERM stop the build at its next file and leave the old output (README,
//! "Deploying `public/`").

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::options::BuildOptions;
use crate::output::{Changes, OnWait, OutputError, Publish};
use crate::pipeline::{BuildSummary, Error};

/// What `gongkai build` did.
#[derive(Debug, Clone)]
pub struct Built {
    pub out: PathBuf,
    pub summary: BuildSummary,
    /// The files added, changed and removed against the previous output.
    pub changes: Changes,
    /// The whole run, from loading to the published folder.
    pub elapsed: Duration,
}

/// Where `gongkai build` writes without `--out`: `public/` in the site root.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

/// How `gongkai build` was asked to write.
#[derive(Debug, Clone, Default)]
pub struct Target<'a> {
    /// `--out` (default: [`default_out`]).
    pub out: Option<&'a Path>,
    /// `--force`: replace a folder gongkai did not write.
    pub force: bool,
    /// `--changes FILE`: where to write the files added, changed and removed
    /// ([`Changes::to_text`]).
    pub changes: Option<&'a Path>,
    /// Told when another build holds the output folder, before this one waits for it.
    pub on_wait: Option<OnWait>,
}

/// Builds as `target` says. `on_start` gets the number of pages to come, `on_page` is called
/// after each (the binary's progress bar).
///
/// From here until the process ends, SIGINT and SIGTERM only ask the build to stop (a second
/// one ends the process at once): the binary runs one command and exits, so the handlers are
/// never removed (removing them would leave the signals ignored).
pub fn run(
    opts: &BuildOptions,
    target: &Target<'_>,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<Built, Error> {
    let out = target
        .out
        .map_or_else(|| default_out(&opts.root), Path::to_path_buf);
    if let Some(list) = target.changes {
        check_changes_file(list, &out)?;
    }
    let cancel = Arc::new(AtomicBool::new(false));
    stop_on_signals(&cancel).map_err(|source| OutputError::Io {
        path: out.clone(),
        source,
    })?;
    let how = Publish {
        force: target.force,
        cancel: Some(cancel),
        on_wait: target.on_wait.clone(),
    };
    let start = Instant::now();
    let (summary, changes) = crate::pipeline::build_into(opts, &out, &how, on_start, on_page)?;
    if let Some(list) = target.changes {
        std::fs::write(list, changes.to_text()).map_err(|source| OutputError::Io {
            path: list.to_path_buf(),
            source,
        })?;
    }
    Ok(Built {
        out,
        summary,
        changes,
        elapsed: start.elapsed(),
    })
}

/// The list of changes must not go inside the output folder: the build replaces that folder,
/// and the list would be published, then reported removed by the next build.
fn check_changes_file(list: &Path, out: &Path) -> Result<(), OutputError> {
    let (list_abs, out_abs) = (crate::output::resolve(list), crate::output::resolve(out));
    if list_abs.starts_with(&out_abs) {
        return Err(OutputError::ChangesInOutput(list.to_path_buf()));
    }
    Ok(())
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
