//! How a build with its cache writes each language's search index: kept whole when its
//! reports are those it was built from; updated in place when one report changed in its
//! place (`search::IndexState::update`, only that report's buckets and texts); otherwise
//! indexed from scratch, after its reports' texts are loaded again.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Records;
use super::records::output_path;
use crate::archive::manifest::Recorder;
use crate::config::Lang;
use crate::model::Site;
use crate::output::{OutputError, Sink};
use crate::search::{self, Changes, IndexState, SearchStats};

/// What the cache keeps of one language's index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchCache {
    /// What it was built from (`keys::search_key`).
    pub key: [u8; 32],
    pub state: IndexState,
}

/// How a build wrote a language's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexWrite {
    /// Every file kept as the last build wrote it.
    Kept,
    /// One report's buckets and texts updated.
    Updated,
    /// Indexed from scratch.
    Rebuilt,
}

/// What [`SearchPlan::write`] did: the files written, how each language was, and what the next
/// cache keeps of each.
#[derive(Default)]
pub struct Written {
    pub stats: SearchStats,
    pub how: BTreeMap<Lang, IndexWrite>,
    pub states: BTreeMap<Lang, SearchCache>,
}

#[derive(Default)]
pub struct SearchPlan {
    /// This build's key per language.
    pub keys: BTreeMap<Lang, [u8; 32]>,
    /// The last build's indexes, when its output is intact.
    prior: BTreeMap<Lang, SearchCache>,
    /// The files of the languages updated in place, and their new states.
    updates: BTreeMap<Lang, (Changes, IndexState)>,
}

impl SearchPlan {
    pub fn new(keys: BTreeMap<Lang, [u8; 32]>) -> SearchPlan {
        SearchPlan {
            keys,
            ..SearchPlan::default()
        }
    }

    /// The last build's indexes may be kept or updated (its output is intact).
    pub fn reuse(&mut self, prior: BTreeMap<Lang, SearchCache>) {
        self.prior = prior;
    }

    fn kept(&self, lang: &str) -> bool {
        self.prior.get(lang).map(|p| &p.key) == self.keys.get(lang)
    }

    /// Updates in place what can be; returns the languages to index from scratch.
    pub fn prepare(&mut self, site: &Site, out: &Path) -> Vec<Lang> {
        let read = |path: &str| std::fs::read(output_path(out, path)).ok();
        let mut full = Vec::new();
        for lang in &site.config.languages {
            if self.kept(lang) {
                continue;
            }
            let update = (self.prior.get(lang)).and_then(|p| p.state.update(site, lang, &read));
            match update {
                Some(update) => {
                    self.updates.insert(lang.clone(), update);
                }
                None => full.push(lang.clone()),
            }
        }
        full
    }

    /// Writes every language's index into `recorder`. Languages are written side by side, as
    /// `search::write` does: one language's serial steps (merging its blocks, naming its
    /// buckets) overlap the other's parallel work (bench/README "Idle cores").
    pub fn write(
        &mut self,
        site: &Site,
        recorder: &Recorder<'_>,
        records: &Records,
        out: &Path,
    ) -> Result<Written, OutputError> {
        let tasks: Vec<(Lang, [u8; 32], Task)> = (site.config.languages.iter())
            .map(|lang| {
                let key = self.keys.get(lang).copied().unwrap_or_default();
                let task = if self.kept(lang) {
                    Task::Keep(self.prior.remove(lang).map(|p| p.state))
                } else if let Some((changes, state)) = self.updates.remove(lang) {
                    Task::Update(changes, state)
                } else {
                    Task::Rebuild
                };
                (lang.clone(), key, task)
            })
            .collect();
        let done: Vec<LangWritten> = tasks
            .into_par_iter()
            .map(|(lang, key, task)| {
                let (stats, state, how) = match task {
                    Task::Keep(state) => {
                        let stats = keep(&lang, recorder, records, &HashSet::new())?;
                        (stats, state, IndexWrite::Kept)
                    }
                    Task::Update(changes, state) => {
                        let stats = apply(&lang, changes, recorder, records, out)?;
                        (stats, Some(state), IndexWrite::Updated)
                    }
                    Task::Rebuild => {
                        let (stats, state) = search::write_lang_state(site, &lang, recorder)?;
                        (stats, Some(state), IndexWrite::Rebuilt)
                    }
                };
                let cache = state.map(|state| SearchCache { key, state });
                Ok(LangWritten {
                    lang,
                    stats,
                    cache,
                    how,
                })
            })
            .collect::<Result<_, OutputError>>()?;
        let mut all = Written::default();
        for one in done {
            all.stats.files += one.stats.files;
            all.stats.bytes += one.stats.bytes;
            all.how.insert(one.lang.clone(), one.how);
            if let Some(cache) = one.cache {
                all.states.insert(one.lang, cache);
            }
        }
        Ok(all)
    }
}

/// What [`SearchPlan::write`] did with one language's index.
struct LangWritten {
    lang: Lang,
    stats: SearchStats,
    cache: Option<SearchCache>,
    how: IndexWrite,
}

/// What [`SearchPlan::write`] does with one language's index.
enum Task {
    /// Keep every file; the state the last build recorded.
    Keep(Option<IndexState>),
    /// Update in place: the files to write, and the state after.
    Update(Changes, IndexState),
    /// Index from scratch.
    Rebuild,
}

/// Keeps `lang`'s recorded index files, except those in `skip`.
fn keep(
    lang: &str,
    recorder: &Recorder<'_>,
    records: &Records,
    skip: &HashSet<String>,
) -> Result<SearchStats, OutputError> {
    let mut stats = SearchStats::default();
    for (path, hash) in records.under(&format!("{lang}/search")) {
        if search::is_index_file(lang, path) && !skip.contains(path) {
            recorder.keep(path, hash)?;
            stats.files += 1;
            stats.bytes += hash.size as usize;
        }
    }
    Ok(stats)
}

/// Writes an update of `lang`'s index: the files it puts, the files it moves (read from the
/// output), and every other recorded file kept but those it removes.
fn apply(
    lang: &str,
    changes: Changes,
    recorder: &Recorder<'_>,
    records: &Records,
    out: &Path,
) -> Result<SearchStats, OutputError> {
    let mut skip: HashSet<String> = changes.removed.into_iter().collect();
    let mut stats = SearchStats::default();
    let mut put = |path: &str, bytes: Vec<u8>| {
        stats.files += 1;
        stats.bytes += bytes.len();
        recorder.put(path, bytes)
    };
    for (from, to) in changes.moved {
        let full = output_path(out, &from);
        let bytes =
            std::fs::read(&full).map_err(|source| OutputError::Io { path: full, source })?;
        put(&to, bytes)?;
        skip.insert(from);
        skip.insert(to);
    }
    for (path, bytes) in changes.put {
        put(&path, bytes)?;
        skip.insert(path);
    }
    let kept = keep(lang, recorder, records, &skip)?;
    Ok(SearchStats {
        files: stats.files + kept.files,
        bytes: stats.bytes + kept.bytes,
    })
}
