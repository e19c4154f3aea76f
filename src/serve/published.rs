//! Preview: the output being served, shared between the rebuild thread (which replaces files
//! in it) and the HTTP handlers (which read it). Files are [`Bytes`], so a handler holds the
//! lock only long enough to clone a reference.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use super::search::LangFiles;
use crate::config::Lang;

/// What the HTTP side serves.
#[derive(Debug, Default)]
pub struct Published {
    /// Pages and static files: output path → bytes.
    pub files: HashMap<String, Bytes>,
    /// Search index files by language, each language replaced as a whole.
    pub search: BTreeMap<Lang, HashMap<String, Bytes>>,
    /// Goes up with every change to the pages or static files (and when an error clears).
    pub version: u64,
    /// Why the latest edit could not be built (`Diagnostics::render(false)`); the files are
    /// then the last good build.
    pub error: Option<String>,
}

pub type Shared = Arc<RwLock<Published>>;

impl Published {
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.files
            .get(path)
            .or_else(|| self.search.values().find_map(|files| files.get(path)))
    }

    /// True once a build succeeded.
    pub fn is_ready(&self) -> bool {
        !self.files.is_empty()
    }

    /// Every served file (search index included), sorted: what a full build would write.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .iter()
            .chain(self.search.values().flatten())
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }

    /// Ends a good build: the error is gone, and the version moves when anything changed.
    pub(super) fn finish(&mut self, changed: bool) {
        if changed || self.error.is_some() {
            self.version += 1;
        }
        self.error = None;
    }
}

/// Swaps in new search index files: each language given replaces that language's files; with
/// `full`, languages not given are dropped.
pub fn publish_search(shared: &Shared, full: bool, langs: Vec<(Lang, LangFiles)>) {
    let langs: Vec<(Lang, HashMap<String, Bytes>)> = langs
        .into_iter()
        .map(|(lang, files)| {
            (
                lang,
                files
                    .into_iter()
                    .map(|(k, v)| (k, Bytes::from(v)))
                    .collect(),
            )
        })
        .collect();
    if let Ok(mut p) = shared.write() {
        if full {
            p.search.clear();
        }
        p.search.extend(langs);
    }
}
