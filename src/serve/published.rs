//! Preview: the output being served, shared between the rebuild thread (which replaces files
//! in it) and the HTTP handlers (which read it). Files are [`Bytes`], so a handler holds the
//! lock only long enough to clone a reference.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;

use super::derived::{DerivedUpdate, LangFiles, Mirror};
use super::overlay::BrokenText;
use crate::config::Lang;

/// What the HTTP side serves.
#[derive(Debug, Default)]
pub struct Published {
    /// Pages and static files: output path → bytes.
    pub files: HashMap<String, Bytes>,
    /// Search index files by language, each language replaced as a whole.
    pub search: BTreeMap<Lang, HashMap<String, Bytes>>,
    /// `manifest.json` and the public key, made from every other file.
    pub trust: BTreeMap<String, Bytes>,
    /// The figures' data files (`data/`), replaced as a whole before the manifest is made.
    pub data: HashMap<String, Bytes>,
    /// Goes up with every change to the pages or static files (and when an error clears).
    pub version: u64,
    /// Why the latest edit could not be built, in each message language; the files are then
    /// the last good build.
    pub error: Option<BrokenText>,
    /// The style warnings of the site's files as they are now (README "Style rules"), shown
    /// in a panel beside each page; they never stop the preview.
    pub warnings: Option<String>,
    /// How many style warnings there are (the text lists at most a few hundred).
    pub warning_count: usize,
}

pub type Shared = Arc<RwLock<Published>>;

/// Reads the output. A panic elsewhere while it was being written leaves it readable: every
/// update leaves it whole (files are replaced one by one, never half-written).
pub fn read(shared: &Shared) -> RwLockReadGuard<'_, Published> {
    shared.read().unwrap_or_else(|e| e.into_inner())
}

pub fn write(shared: &Shared) -> RwLockWriteGuard<'_, Published> {
    shared.write().unwrap_or_else(|e| e.into_inner())
}

impl Published {
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.trust
            .get(path)
            .or_else(|| self.files.get(path))
            .or_else(|| self.data.get(path))
            .or_else(|| self.search.values().find_map(|files| files.get(path)))
    }

    /// True once a build succeeded.
    pub fn is_ready(&self) -> bool {
        !self.files.is_empty()
    }

    /// Every served file (search index included), sorted: what a full build would write.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let all: BTreeMap<String, Vec<u8>> = self
            .files
            .iter()
            .chain(&self.data)
            .chain(self.search.values().flatten())
            .chain(&self.trust)
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect();
        all
    }

    /// Ends a good build: the error is gone, and the version moves when anything changed.
    pub(super) fn finish(&mut self, changed: bool) {
        if changed || self.error.is_some() {
            self.version += 1;
        }
        self.error = None;
    }
}

/// Applies `update` to `mirror` and publishes the derived outputs: the data files, the search
/// index of each language that changed, then the manifest, which lists every file. Returns how
/// many languages were indexed.
pub fn derive(shared: &Shared, mirror: &mut Mirror, update: DerivedUpdate) -> usize {
    let full = update.full;
    let Some(langs) = mirror.update(update) else {
        return 0;
    };
    let data: HashMap<String, Bytes> = mirror
        .data()
        .into_iter()
        .map(|(k, v)| (k, Bytes::from(v)))
        .collect();
    write(shared).data = data;
    if full {
        write(shared).search.retain(|lang, _| langs.contains(lang));
    }
    for lang in &langs {
        publish_search(shared, lang, mirror.search(lang));
    }
    let served: BTreeMap<String, Bytes> = {
        let p = read(shared);
        p.files
            .iter()
            .chain(&p.data)
            .chain(p.search.values().flatten())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let trust = mirror.trust_files(&served).unwrap_or_default();
    write(shared).trust = trust
        .into_iter()
        .map(|(k, v)| (k, Bytes::from(v)))
        .collect();
    langs.len()
}

/// Swaps in one language's new search index files.
fn publish_search(shared: &Shared, lang: &str, files: LangFiles) {
    match files {
        LangFiles::All(files) => {
            let files: HashMap<String, Bytes> = files
                .into_iter()
                .map(|(k, v)| (k, Bytes::from(v)))
                .collect();
            write(shared).search.insert(lang.to_string(), files);
        }
        LangFiles::Changed(changes) => {
            let mut p = write(shared);
            let map = p.search.entry(lang.to_string()).or_default();
            for (from, to) in changes.moved {
                if let Some(bytes) = map.remove(&from) {
                    map.insert(to, bytes);
                }
            }
            for path in changes.removed {
                map.remove(&path);
            }
            for (k, v) in changes.put {
                map.insert(k, Bytes::from(v));
            }
        }
    }
}
