//! Load stage: the store's loads kept in the build cache (`src/cache/`) and restored from it,
//! so a build after an edit loads only the files whose stamps changed, the way the preview's
//! store does between edits (ARCHITECTURE.md, "The build cache").
//!
//! A cached load keeps the report without its section texts (the search index reads them
//! only for a language it indexes again, and they are most of a report's size) and its body
//! as the ids its page gives; [`ContentStore::load_bodies`] loads a file again when a page
//! that shows its body is rendered.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::links::ids_in;
use super::{Body, ContentStore, Load, Slot, Stamp, State};
use crate::content::markdown::{BodyLink, ReportLink};
use crate::content::{SourceFile, duplicates};
use crate::layout::CONTENT_DIR;
use crate::model::Report;
use crate::options::BuildOptions;

/// One report file's load as the build cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedFile {
    /// The file's stamp taken before it was read.
    stamp: Stamp,
    report: Report,
    links: Vec<ReportLink>,
    body_links: Vec<BodyLink>,
    /// The ids its page body gives (headings, footnotes), for the link checker.
    ids: Vec<String>,
}

impl CachedFile {
    /// The report file's path from the site root, as the store knows it.
    pub fn path(&self) -> &Path {
        &self.report.source_path
    }
}

impl ContentStore {
    /// Every file's path, and whether its load is the one the build cache gave
    /// ([`restore`](Self::restore)) and not loaded again since, so the cache can name that
    /// load again without writing it; `None` when a file is misplaced or failed to load (a
    /// build with problems leaves no cache).
    pub fn cache_entries(&self) -> Option<Vec<(&Path, bool)>> {
        (self.slots.iter())
            .map(|(path, slot)| match (&slot.state, slot.stamp) {
                (State::Placed { load, .. }, Some(_)) => match load {
                    Load::Loaded { body, .. } => {
                        Some((path.as_path(), matches!(body, Body::Ids(_))))
                    }
                    Load::Failed(_) => None,
                },
                _ => None,
            })
            .collect()
    }

    /// The loads of the files among [`cache_entries`](Self::cache_entries) that `wanted`
    /// picks by their place in it, for the build cache, in path order.
    pub fn to_cached(&self, wanted: impl Fn(usize) -> bool) -> Vec<CachedFile> {
        let slots: Vec<&Slot> = (self.slots.values().enumerate())
            .filter(|(i, _)| wanted(*i))
            .map(|(_, slot)| slot)
            .collect();
        slots
            .into_par_iter()
            .filter_map(|slot| match (&slot.state, slot.stamp) {
                (
                    State::Placed {
                        load:
                            Load::Loaded {
                                report,
                                body,
                                links,
                                body_links,
                            },
                        ..
                    },
                    Some(stamp),
                ) => Some(CachedFile {
                    stamp,
                    report: report.without_texts(),
                    links: links.clone(),
                    body_links: body_links.clone(),
                    ids: match body {
                        // Sorted: the same body gives the same bytes, so a part of the cache
                        // whose loads did not change keeps its name.
                        Body::Html(html) => {
                            let mut ids: Vec<String> = ids_in(html).into_iter().collect();
                            ids.sort_unstable();
                            ids
                        }
                        Body::Ids(ids) => ids.clone(),
                    },
                }),
                _ => None,
            })
            .collect()
    }

    /// A store holding `cached` loads, with the configuration and `archive.lock` read afresh:
    /// what [`load`](Self::load) would give if no file had changed since. Each file keeps the
    /// stamp it was read with, so [`reconcile`](Self::reconcile) finds those whose stamp
    /// differs now stale, as it finds files added and removed since.
    pub fn restore(opts: BuildOptions, cached: Vec<CachedFile>) -> ContentStore {
        let mut store = ContentStore::new(opts);
        let root = store.opts.root.clone();
        let Some(config) = store.start_loading() else {
            return store;
        };
        let slots: Vec<(PathBuf, Slot)> = cached
            .into_par_iter()
            .map(|c| {
                let file = source_file(&root, &c.report);
                let load = Load::Loaded {
                    report: Arc::new(c.report),
                    body: Body::Ids(c.ids),
                    links: c.links,
                    body_links: c.body_links,
                };
                let slot = Slot {
                    stamp: Some(c.stamp),
                    state: State::Placed { file, load },
                };
                (super::state_path(&slot.state), slot)
            })
            .collect();
        let files: Vec<SourceFile> = (slots.iter())
            .filter_map(|(_, s)| match &s.state {
                State::Placed { file, .. } => Some(file.clone()),
                State::Misplaced(_) => None,
            })
            .collect();
        for file in &files {
            store.add_target(file);
        }
        store.duplicates = duplicates(&files);
        // The cache lists the files in the store's order: collected in one pass, where inserting
        // each compares paths component by component (a tenth of a second at 20,000 files).
        let mut restored: std::collections::BTreeMap<PathBuf, Slot> = slots.into_iter().collect();
        store.slots.append(&mut restored);
        if !root.join(CONTENT_DIR).is_dir() {
            store.no_content = crate::content::discover(&root, &config)
                .1
                .0
                .into_iter()
                .next();
        }
        store
    }

    /// Loads again the files at `paths` (relative to the root) whose bodies came from the
    /// build cache as ids only, so their pages can be rendered.
    pub fn load_bodies<'p>(&mut self, paths: impl IntoIterator<Item = &'p Path>) {
        let files: Vec<SourceFile> = paths
            .into_iter()
            .filter_map(|p| match &self.slots.get(p)?.state {
                State::Placed {
                    file,
                    load:
                        Load::Loaded {
                            body: Body::Ids(_), ..
                        },
                } => Some(file.clone()),
                _ => None,
            })
            .collect();
        self.load_files(files);
    }

    /// Whether every published report's section texts are loaded (none restored from the
    /// cache without them) in `lang`.
    pub fn has_texts(&self, lang: &str) -> bool {
        self.placed().all(|(file, load)| {
            file.lang != lang
                || !matches!(
                    load,
                    Load::Loaded {
                        body: Body::Ids(_),
                        ..
                    }
                )
        })
    }

    /// Loads again every file in `lang` restored from the cache, with its texts.
    pub fn load_texts(&mut self, lang: &str) {
        let paths: Vec<PathBuf> = (self.placed())
            .filter(|(file, _)| file.lang == lang)
            .map(|(file, _)| file.shown.clone())
            .collect();
        self.load_bodies(paths.iter().map(PathBuf::as_path));
    }
}

/// The file a cached report was loaded from, placed as `discover` placed it.
fn source_file(root: &Path, report: &Report) -> SourceFile {
    SourceFile {
        year: report.key.year,
        stem: report.key.stem.clone(),
        lang: report.lang.clone(),
        shown: report.source_path.clone(),
        path: root.join(&report.source_path),
    }
}
