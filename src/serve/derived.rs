//! Preview: the outputs made from the whole site at once, kept up to date after the pages.
//!
//! - The search index ([`crate::search`]) numbers documents in site order. While an edit keeps
//!   every report in its place, a [`LiveIndex`] per language replaces the edited report's
//!   postings and text file in place; otherwise the language is indexed from scratch.
//! - `manifest.json` ([`crate::archive::manifest`]) lists every report with the SHA-256 of
//!   its page as served; the figures' data files ([`crate::data`]) come from the same site.
//!
//! So the preview never waits for them: pages are rendered and browsers told to reload first,
//! then a [`Mirror`] (its own copy of the reports, without their HTML, brought up to date with
//! each edit's reports only) updates the manifest and the search index of only the languages
//! an edit touched, and the files are swapped in when ready.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;

use crate::archive::manifest;
use crate::config::{Config, Lang};
use crate::data;
use crate::hash::sha256_hex;
use crate::model::{Report, Site};
use crate::search::LiveIndex;

/// What an edit changed, as the derived outputs need it.
#[derive(Debug, Default)]
pub struct DerivedUpdate {
    /// Replace the whole mirror (first build, configuration changed).
    pub full: bool,
    pub config: Option<Config>,
    /// Source path → the report now (`None`: gone, or a draft left out).
    pub reports: BTreeMap<PathBuf, Option<Arc<Report>>>,
    /// Report page files as now served (`None`: removed), for their SHA-256.
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

/// True for the file of a report page (`zh/2022/justice-bureau/index.html`).
pub fn is_report_page(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts[..], [_, year, _, "index.html"] if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
}

/// One language's search index files: path → bytes.
pub enum LangFiles {
    /// Every file of the language's index (it was built from scratch).
    All(Vec<(String, Vec<u8>)>),
    /// Only the files an edit changed; the others stay as they are.
    Changed(Vec<(String, Vec<u8>)>),
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
    /// Report page file → SHA-256 of its bytes as served.
    page_sha256: HashMap<String, String>,
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
        if full {
            self.page_sha256.clear();
        }
        for (path, bytes) in update.pages {
            match bytes {
                Some(b) => self.page_sha256.insert(path, sha256_hex(&b)),
                None => self.page_sha256.remove(&path),
            };
        }
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

    /// `manifest.json` as a full build writes it.
    pub fn manifest(&self) -> Option<Vec<u8>> {
        let site = self.site.as_ref()?;
        let m = manifest::manifest(site, |page| self.page_sha256.get(page).cloned());
        Some(manifest::to_json(&m))
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
            let mut changed = Vec::new();
            let applied = pending
                .iter()
                .all(|(old, new)| match live.replace(site, old, new) {
                    Some(files) => {
                        changed.extend(files);
                        true
                    }
                    None => false,
                });
            if applied {
                return LangFiles::Changed(changed);
            }
        }
        let (live, files) = LiveIndex::new(site, lang);
        self.live.insert(lang.to_string(), live);
        LangFiles::All(files)
    }
}

fn same_place(a: &Report, b: &Report) -> bool {
    a.key == b.key
        && a.lang == b.lang
        && a.date == b.date
        && a.department == b.department
        && a.themes == b.themes
}
