//! The build cache (README "Rebuilding"; ARCHITECTURE.md "The build cache"): what a build
//! learned, kept in `.gongkai/` for the next one, so a build after an edit loads, renders and
//! indexes again only what the edit touched, the way the preview does between edits.
//!
//! It holds each report file's load (by the file's stamp), the output files it wrote with
//! their hashes and stamps, and what each language's search index was built from. Every part
//! is used only when what it depends on is unchanged ([`Keys`]); any doubt means doing the
//! work again, so a build with the cache writes exactly what one without it writes
//! (`tests/build_cache.rs` checks that byte for byte, after edits and with the cache damaged).

mod file;
mod keys;
mod loads;
mod plan;
mod records;
mod search;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::CachedFile;

pub use file::{CACHE_DIR, Writer, path, read};
pub use keys::{Keys, search_key};
pub use loads::{Loads, PartRef};
pub use plan::{Plan, Prior, load_store, save, usable};
pub use records::{OutputFile, OutputFolder, Records, stamp_folders, stamp_output};
pub use search::{IndexWrite, SearchCache, Written};

/// Frees `held` on a thread of its own: at 10,000 pairs freeing a build's reports, pages and
/// records takes tens of milliseconds that the caller (often a process about to exit) need
/// not wait for.
pub fn free_aside<T: Send + 'static>(held: T) {
    std::thread::spawn(move || drop(held));
}

impl Cache {
    /// Whether every path and name it holds is one a build could have written: the output
    /// paths stay inside the output and the search tags are tags, so even a cache written by
    /// hand makes no file outside the output be read or kept.
    fn is_sane(&self) -> bool {
        (self.output.iter()).all(|f| crate::output::check_path(&f.path).is_ok())
            && (self.folders.iter()).all(|f| crate::output::check_path(&f.path).is_ok())
            && self.search.values().all(|s| s.state.is_sane())
    }
}

impl Cache {
    /// What the last build recorded of its output, for listing it (`output/survey.rs`).
    pub fn known_output(&self) -> crate::output::Known {
        crate::output::Known {
            folders: (self.folders.iter())
                .map(|f| (f.path.clone(), f.stamp))
                .collect(),
            files: self.output.iter().map(|f| f.path.clone()).collect(),
        }
    }
}

/// What one build leaves for the next.
#[derive(Debug, Serialize, Deserialize)]
pub struct Cache {
    pub keys: Keys,
    /// Every report file's load, in path order.
    pub files: Vec<CachedFile>,
    /// The parts they were read from (`loads.rs`), for the next cache to name again.
    #[serde(skip)]
    pub parts: Vec<PartRef>,
    /// The output files this build wrote (pages and search files), as published.
    pub output: Vec<OutputFile>,
    /// The folders that hold them, as published.
    pub folders: Vec<OutputFolder>,
    /// Language → what its search index was built from ([`search_key`]) and what is kept of
    /// it.
    pub search: BTreeMap<String, SearchCache>,
}
