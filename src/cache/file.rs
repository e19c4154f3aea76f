//! The build cache's one file, `.gongkai/build.cache`: a header naming the format and the
//! gongkai version, the SHA-256 of the rest, then the cache in postcard's encoding. Anything
//! that does not read back whole and equal (a truncated or edited file, another version's, a
//! folder in its place) is ignored, never used: the build then loads everything, as with
//! `--no-cache`, and writes a new cache.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Cache;
use crate::hash::sha256;

pub use crate::layout::CACHE_DIR;
const FILE: &str = "build.cache";
/// Changed whenever what the cache holds changes meaning, with the crate version beside it.
const FORMAT: &str = "gongkai build cache 1";

pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(FILE)
}

fn header() -> String {
    format!("{FORMAT} {}\n", env!("CARGO_PKG_VERSION"))
}

/// The cache of the site at `root`, when there is one that reads back whole.
pub fn read(root: &Path) -> Option<Cache> {
    let bytes = std::fs::read(path(root)).ok()?;
    let rest = bytes.strip_prefix(header().as_bytes())?;
    let (digest, payload) = rest.split_at_checked(32)?;
    if sha256(payload) != digest {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// Writes `cache` for the site at `root`: into a temporary file renamed over the old one, so a
/// killed build leaves the old cache or the new one. A cache that cannot be written is no
/// error (the output is published already); the old one is removed then, so it is not read
/// against an output it no longer describes (its output stamps would refuse it anyway).
pub fn write(root: &Path, cache: &Cache) {
    if try_write(root, cache).is_err() {
        let _ = std::fs::remove_file(path(root));
    }
}

fn try_write(root: &Path, cache: &Cache) -> std::io::Result<()> {
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# gongkai's build cache: safe to delete, never committed\n*\n",
        )?;
    }
    let payload = postcard::to_allocvec(cache).map_err(std::io::Error::other)?;
    let temp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(header().as_bytes())?;
        f.write_all(&sha256(&payload))?;
        f.write_all(&payload)?;
        std::fs::rename(&temp, path(root))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
