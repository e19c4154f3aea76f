//! Preview: the outputs made from the whole site at once, kept up to date after the pages.
//!
//! - The search index ([`crate::search`]) numbers documents in site order. While an edit keeps
//!   every report in its place, a [`LiveIndex`] per language replaces the edited report's
//!   postings and text file in place; otherwise the language is indexed from scratch.
//! - `manifest.json` ([`crate::archive::manifest`]) lists every report and every served file
//!   with its SHA-256 (never signed: the preview is not published); files served as the same
//!   bytes as at the last update are not hashed again.
//!   The figures' data files ([`crate::data`]) come from the same site.
//!
//! So the preview never waits for them: pages are rendered and browsers told to reload first,
//! then a [`Mirror`] (its own copy of the reports, without their HTML, brought up to date with
//! each edit's reports only) updates the manifest and the search index of only the languages
//! an edit touched, and the files are swapped in when ready.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;

use rayon::prelude::*;

use crate::archive::manifest::{self, FileHash};
use crate::config::{Config, Lang};
use crate::data;
use crate::model::{Report, Site};
use crate::search::{Changes, LiveIndex};

/// What an edit changed, as the derived outputs need it.
#[derive(Debug, Default)]
pub struct DerivedUpdate {
    /// Replace the whole mirror (first build, configuration changed).
    pub full: bool,
    pub config: Option<Config>,
    /// Source path → the report now (`None`: gone, or a draft left out).
    pub reports: BTreeMap<PathBuf, Option<Arc<Report>>>,
    /// Files as now served (`None`: removed): any change renews the manifest, which lists them
    /// all (their hashes are taken from what is served when the manifest is made).
    pub pages: BTreeMap<String, Option<Bytes>>,
}

impl DerivedUpdate {
    /// Folds a later update into this one.
    pub fn merge(&mut self, later: DerivedUpdate) {
        if later.full {
            // Pages served before the full update are still served unless it replaced them.
            let pages = std::mem::take(&mut self.pages);
            *self = later;
            for (k, v) in pages {
                self.pages.entry(k).or_insert(v);
            }
            return;
        }
        if later.config.is_some() {
            self.config = later.config;
        }
        self.reports.extend(later.reports);
        self.pages.extend(later.pages);
    }

    pub fn is_empty(&self) -> bool {
        !self.full && self.config.is_none() && self.reports.is_empty() && self.pages.is_empty()
    }
}

/// One language's search index files: path → bytes.
pub enum LangFiles {
    /// Every file of the language's index (it was built from scratch).
    All(Vec<(String, Vec<u8>)>),
    /// Only the files an edit changed (files are named by their content, so some change
    /// name); the others stay as they are.
    Changed(Changes),
}

/// A report edited in place: (before, after).
type Replaced = (Arc<Report>, Arc<Report>);

/// The derived side's own copy of the site.
#[derive(Default)]
pub struct Mirror {
    site: Option<Site>,
    /// Each language's index, updated report by report while reports keep their place.
    live: HashMap<Lang, LiveIndex>,
    /// Replaced reports (before, after) not yet applied to `live`, by language.
    pending: HashMap<Lang, Vec<Replaced>>,
    /// Served file → its bytes as last hashed, and their hash.
    hashes: HashMap<String, (Bytes, FileHash)>,
}

impl Mirror {
    /// Applies `update`; returns the languages whose search index must be rebuilt, or `None`
    /// when there is no site to derive anything from.
    pub fn update(&mut self, update: DerivedUpdate) -> Option<BTreeSet<Lang>> {
        let old = self.site.take();
        let full = update.full;
        if old.is_none() && !full {
            // Only a whole site can be indexed; the next full update starts again.
            return None;
        }
        let config_changed = update.config.is_some();
        let config = update
            .config
            .or_else(|| old.as_ref().map(|s| s.config.clone()))?;
        let mut reports: BTreeMap<PathBuf, Arc<Report>> = match old {
            Some(site) if !full => site
                .reports
                .into_iter()
                .map(|r| (r.source_path.clone(), r))
                .collect(),
            _ => BTreeMap::new(),
        };
        let mut langs: BTreeSet<Lang> = BTreeSet::new();
        let mut all_langs = full;
        for (path, new) in update.reports {
            let old = reports.remove(&path);
            match (&old, &new) {
                // Documents are numbered in site order, which follows years and dates: a report
                // that keeps its place changes only its own language's index.
                (Some(o), Some(n)) if same_place(o, n) => {
                    langs.insert(n.lang.clone());
                    self.pending
                        .entry(n.lang.clone())
                        .or_default()
                        .push((o.clone(), n.clone()));
                }
                (None, None) => {}
                _ => all_langs = true,
            }
            if let Some(n) = new {
                reports.insert(path, n);
            }
        }
        if all_langs || config_changed {
            langs.extend(config.languages.iter().cloned());
            // Documents are renumbered: every language is indexed from scratch.
            self.live.clear();
            self.pending.clear();
        }
        // The preview checks a site before it is published, so this does not fail.
        let site = Site::new(config, reports.into_values().collect()).ok()?;
        langs.retain(|l| site.config.languages.contains(l));
        self.site = Some(site);
        Some(langs)
    }

    /// The public key and `manifest.json` as a full build without a signing key writes them,
    /// for the `served` files (every file but these). A file whose bytes are the very `Bytes`
    /// hashed last time keeps its hash: the mirror holds that `Bytes`, so its memory cannot
    /// have been reused for other bytes meanwhile.
    pub fn trust_files(
        &mut self,
        served: &BTreeMap<String, Bytes>,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        let site = self.site.as_ref()?;
        let old = std::mem::take(&mut self.hashes);
        self.hashes = served
            .par_iter()
            .map(|(path, bytes)| {
                let hash = match old.get(path) {
                    Some((b, h)) if b.as_ptr() == bytes.as_ptr() && b.len() == bytes.len() => {
                        h.clone()
                    }
                    _ => FileHash::of(bytes),
                };
                (path.clone(), (bytes.clone(), hash))
            })
            .collect();
        let mut hashes = self
            .hashes
            .iter()
            .map(|(p, (_, h))| (p.clone(), h.clone()))
            .collect();
        Some(manifest::trust_files(site, &mut hashes, None))
    }

    /// The figures' data files as a full build writes them (`crate::data`).
    pub fn data(&self) -> Vec<(String, Vec<u8>)> {
        self.site.as_ref().map(data::files).unwrap_or_default()
    }

    /// One language's search index files: only those the pending edits changed when its
    /// index can be updated in place, otherwise all of them, indexed from scratch.
    pub fn search(&mut self, lang: &str) -> LangFiles {
        let Some(site) = &self.site else {
            return LangFiles::All(Vec::new());
        };
        let pending = self.pending.remove(lang).unwrap_or_default();
        if let Some(live) = self.live.get_mut(lang) {
            let mut all = Vec::new();
            let applied = pending
                .iter()
                .all(|(old, new)| match live.replace(site, old, new) {
                    Some(changes) => {
                        all.push(changes);
                        true
                    }
                    None => false,
                });
            if applied {
                return LangFiles::Changed(merge(all));
            }
        }
        let (live, files) = LiveIndex::new(site, lang);
        self.live.insert(lang.to_string(), live);
        LangFiles::All(files)
    }
}

/// Several edits' changes as one, applied in order: a file moved or removed by a later edit
/// may be one an earlier edit put, so each edit's changes are applied to the earlier ones.
fn merge(all: Vec<Changes>) -> Changes {
    let mut files: BTreeMap<String, Option<Vec<u8>>> = BTreeMap::new();
    let mut moved: Vec<(String, String)> = Vec::new();
    let mut removed: BTreeSet<String> = BTreeSet::new();
    for c in all {
        for (from, to) in c.moved {
            match files.remove(&from) {
                // Put by an earlier edit: it is put under the new name instead.
                Some(bytes) => {
                    files.insert(to, bytes);
                }
                None => moved.push((from, to)),
            }
        }
        for path in c.removed {
            if files.remove(&path).is_none() {
                removed.insert(path);
            }
        }
        for (path, bytes) in c.put {
            removed.remove(&path);
            files.insert(path, Some(bytes));
        }
    }
    Changes {
        put: files
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect(),
        moved,
        removed: removed.into_iter().collect(),
    }
}

fn same_place(a: &Report, b: &Report) -> bool {
    a.key == b.key
        && a.lang == b.lang
        && a.date == b.date
        && a.department == b.department
        && a.themes == b.themes
}
