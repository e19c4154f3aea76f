//! Preview: the search index, kept up to date after the pages.
//!
//! [`crate::search`] builds a language's index from the whole site at once (documents are
//! numbered in site order), which takes seconds on a large site. So the preview never waits for
//! it: pages are rendered and browsers told to reload first, then [`SearchMirror`] rebuilds the
//! index of only the languages an edit touched, on its own copy of the reports (their text
//! without the rendered HTML, brought up to date with each edit's reports only), and the
//! index files are swapped in when ready. The served search index may lag an edit by that
//! long; the pages never do.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::config::{Config, Lang};
use crate::model::{Report, Site};

/// The reports an edit changed, as the search index needs them.
#[derive(Debug, Default)]
pub struct SearchUpdate {
    /// Replace the whole mirror (first build, configuration changed).
    pub full: bool,
    pub config: Option<Config>,
    /// Source path → the report now (`None`: gone, or a draft left out).
    pub reports: BTreeMap<PathBuf, Option<Report>>,
}

impl SearchUpdate {
    /// Folds a later update into this one.
    pub fn merge(&mut self, later: SearchUpdate) {
        if later.full {
            *self = later;
            return;
        }
        if later.config.is_some() {
            self.config = later.config;
        }
        self.reports.extend(later.reports);
    }

    pub fn is_empty(&self) -> bool {
        !self.full && self.config.is_none() && self.reports.is_empty()
    }
}

/// What search needs of a report: everything but its rendered HTML.
pub fn for_search(r: &Report) -> Report {
    Report {
        key: r.key.clone(),
        lang: r.lang.clone(),
        source_path: r.source_path.clone(),
        title: r.title.clone(),
        department: r.department.clone(),
        themes: r.themes.clone(),
        date: r.date,
        summary: r.summary.clone(),
        draft: r.draft,
        figures: r.figures.clone(),
        revisions: r.revisions.clone(),
        body_html: String::new(),
        sections: r.sections.clone(),
    }
}

/// One language's index files: path → bytes.
pub type LangFiles = Vec<(String, Vec<u8>)>;

/// The search side's own copy of the site.
#[derive(Default)]
pub struct SearchMirror {
    site: Option<Site>,
}

impl SearchMirror {
    /// Applies `update` and returns the new index files of every language whose index changed.
    pub fn apply(&mut self, update: SearchUpdate) -> Vec<(Lang, LangFiles)> {
        let old = self.site.take();
        let full = update.full;
        if old.is_none() && !full {
            // Only a whole site can be indexed; the next full update starts again.
            return Vec::new();
        }
        let Some(config) = update
            .config
            .or_else(|| old.as_ref().map(|s| s.config.clone()))
        else {
            return Vec::new();
        };
        let mut reports: BTreeMap<PathBuf, Report> = match old {
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
                }
                (None, None) => {}
                _ => all_langs = true,
            }
            if let Some(n) = new {
                reports.insert(path, n);
            }
        }
        if all_langs {
            langs.extend(config.languages.iter().cloned());
        }
        let Ok(site) = Site::new(config, reports.into_values().collect()) else {
            // The preview checks a site before it is published; nothing to index otherwise.
            return Vec::new();
        };
        let out = langs
            .into_iter()
            .filter(|l| site.config.languages.contains(l))
            .map(|lang| {
                let index = crate::search::build(&site, &lang);
                let files = crate::search::files(&site, &lang, &index);
                (lang, files)
            })
            .collect();
        self.site = Some(site);
        out
    }
}

fn same_place(a: &Report, b: &Report) -> bool {
    a.key == b.key
        && a.lang == b.lang
        && a.date == b.date
        && a.department == b.department
        && a.themes == b.themes
}
