//! `gongkai build`: the site built into a folder, all or nothing ([`crate::pipeline::build`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::options::BuildOptions;
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

/// Builds into `out` (default: [`default_out`]). `on_start` gets the number of pages to come,
/// `on_page` is called after each (the binary's progress bar).
pub fn run(
    opts: &BuildOptions,
    out: Option<&Path>,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<Built, Error> {
    let out = out.map_or_else(|| default_out(&opts.root), Path::to_path_buf);
    let start = Instant::now();
    let summary = crate::pipeline::build(opts, &out, on_start, on_page)?;
    Ok(Built {
        out,
        summary,
        elapsed: start.elapsed(),
    })
}
