//! How a build uses its cache: the store restored and brought up to date the way the
//! preview's is ([`load_store`]), then which pages to render and which language's search files
//! to keep ([`Plan`]). A page is kept only when the cache's pages key is this build's, the
//! output holds every recorded file as published, and `render::deps` finds that the edit
//! cannot change it; a language's index only when its reports are those it was built from.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::file::Writer;
use super::search::SearchPlan;
use super::{Cache, Keys, Loads, OutputFolder, PartRef, Records, SearchCache, Written, search_key};
use crate::archive::manifest::Recorder;
use crate::config::Lang;
use crate::content::ContentStore;
use crate::model::{Report, ReportKey, Site};
use crate::options::BuildOptions;
use crate::output::OutputError;
use crate::render::{Page, all_pages, deps};

/// What the last build left and what changed since.
pub struct Prior {
    cache: Cache,
    /// The reports the last build published.
    before: Vec<Arc<Report>>,
    /// The reports whose files changed since (as the preview's store reports them).
    touched: BTreeSet<ReportKey>,
    /// The output's records, checked against the output on a thread of their own.
    records: std::thread::JoinHandle<Option<Records>>,
}

/// The cache a build of `opts` can use: one that reads back whole, made with the same loads key.
pub fn usable(opts: &BuildOptions) -> Option<Cache> {
    (!opts.no_cache)
        .then(|| super::read(&opts.root))
        .flatten()
        .filter(|c| c.keys.loads == Keys::loads(opts))
}

/// The site's store: restored from `cache` ([`usable`]) and reloaded where files changed,
/// else loaded whole.
pub fn load_store(
    opts: &BuildOptions,
    out: &Path,
    cache: Option<Cache>,
) -> (ContentStore, Option<Prior>) {
    let Some(mut cache) = cache else {
        return (ContentStore::load(opts.clone()), None);
    };
    // Checked while the store is restored: stamping 46,000 output files at 10,000 pairs needs
    // nothing of it.
    let (output, out) = (std::mem::take(&mut cache.output), out.to_path_buf());
    let records = std::thread::spawn(move || Records::check(&out, output));
    let mut store = ContentStore::restore(opts.clone(), std::mem::take(&mut cache.files));
    let before = store.reports();
    let stale = store.reconcile();
    if stale.config || stale.lock {
        // `site.yaml` changed since its key was taken, or `archive.lock` was read again.
        if stale.config {
            return (ContentStore::load(opts.clone()), None);
        }
        store.reload_lock();
    }
    let touched = store.reload_paths(&stale.content).keys;
    let prior = Prior {
        cache,
        before,
        touched,
        records,
    };
    (store, Some(prior))
}

/// What this build renders and indexes again, and what it keeps.
#[derive(Default)]
pub struct Plan {
    records: Records,
    /// The output's folders as the last build recorded them.
    folders: Vec<OutputFolder>,
    /// The parts of the loads the store was restored from, to name again where unchanged.
    parts: Vec<PartRef>,
    /// The pages to render, when the others are kept; `None`: render every page.
    pages: Option<Vec<Page>>,
    /// How each language's search index is written.
    search: SearchPlan,
    /// The store was restored from the cache (some reports came without their texts).
    prior_used: bool,
    /// This build's keys, for the next cache.
    keys: Option<Keys>,
}

impl Plan {
    /// The plan for building `site` after `prior` (into the output `load_store` was given).
    pub fn new(prior: Option<Prior>, keys: Keys, site: &Site) -> Plan {
        let search_keys = (site.config.languages.iter())
            .map(|l| (l.clone(), search_key(&keys.loads, &site.reports, l)))
            .collect();
        let mut plan = Plan {
            search: SearchPlan::new(search_keys),
            ..Plan::default()
        };
        if let Some(prior) = prior {
            plan.prior_used = true;
            plan.reuse(prior, &keys, site);
        }
        plan.keys = Some(keys);
        plan
    }

    fn reuse(&mut self, mut prior: Prior, keys: &Keys, site: &Site) {
        self.folders = std::mem::take(&mut prior.cache.folders);
        self.parts = std::mem::take(&mut prior.cache.parts);
        let Some(records) = prior.records.join().ok().flatten() else {
            return;
        };
        self.search.reuse(prior.cache.search);
        if prior.cache.keys.pages == keys.pages
            && let Some(affected) = affected(prior.before, site, &prior.touched)
        {
            let pages = all_pages(site)
                .into_iter()
                .filter(|p| affected.contains(p) || records.get(&p.file()).is_none());
            self.pages = Some(pages.collect());
        }
        self.records = records;
    }

    /// Loads what the plan needs that the cache kept only in part: the bodies of the reports
    /// whose pages are rendered, and the texts of the languages indexed from scratch (those
    /// not updated in place). Returns the site to index from (`site` itself when no text was
    /// missing).
    pub fn prepare(&mut self, store: &mut ContentStore, site: &Site, out: &Path) -> Option<Site> {
        let sources: Vec<PathBuf> = match &self.pages {
            Some(pages) => report_sources(site, pages),
            None => site.reports.iter().map(|r| r.source_path.clone()).collect(),
        };
        store.load_bodies(sources.iter().map(PathBuf::as_path));
        let full = self.search.prepare(site, out);
        for lang in &full {
            if !store.has_texts(lang) {
                store.load_texts(lang);
            }
        }
        // A language indexed from scratch reads every report's texts: from the store, where
        // each restored report loaded again (above, or for its page) has them, not from
        // `site`, made before. The reports are those `site` was made from, so the model
        // cannot be refused now.
        let restored = self.prior_used && !full.is_empty();
        restored
            .then(|| Site::new(site.config.clone(), store.reports()).ok())
            .flatten()
    }

    /// The pages to render: the plan's, or every page.
    pub fn pages(&self, site: &Site) -> Vec<Page> {
        self.pages.clone().unwrap_or_else(|| all_pages(site))
    }

    /// Keeps every page of `site` that is not rendered again.
    pub fn keep_pages(&self, site: &Site, recorder: &Recorder<'_>) -> Result<usize, OutputError> {
        let Some(rendered) = &self.pages else {
            return Ok(0);
        };
        let rendered: HashSet<&Page> = rendered.iter().collect();
        let mut kept = 0;
        for page in all_pages(site).iter().filter(|p| !rendered.contains(p)) {
            let file = page.file();
            let hash =
                (self.records.get(&file)).ok_or_else(|| OutputError::NotKept(file.clone()))?;
            recorder.keep(&file, hash)?;
            kept += 1;
        }
        Ok(kept)
    }

    /// Writes the search index of each language (`search.rs`); returns the stats and what
    /// the next cache keeps.
    pub fn search(
        &mut self,
        site: &Site,
        recorder: &Recorder<'_>,
        out: &Path,
    ) -> Result<Written, OutputError> {
        self.search.write(site, recorder, &self.records, out)
    }
}

/// The pages of `site` that the reports `before` (the last build's) would have shown
/// differently, given the reports whose files changed (`render::deps`); `None` when the last
/// build's model cannot be made. When no file was reloaded, every report is the very one the
/// last build published: that model would be this one, no page can differ, and it is not
/// made.
fn affected(
    before: Vec<Arc<Report>>,
    site: &Site,
    touched: &BTreeSet<ReportKey>,
) -> Option<BTreeSet<Page>> {
    let identities = |reports: &[Arc<Report>]| {
        let mut ids: Vec<*const Report> = reports.iter().map(Arc::as_ptr).collect();
        ids.sort_unstable();
        ids
    };
    if touched.is_empty() && identities(&before) == identities(&site.reports) {
        return Some(BTreeSet::new());
    }
    let before = Site::new(site.config.clone(), before).ok()?;
    Some(deps::affected(&before, site, touched))
}

/// The report files whose bodies `pages` show: every translation of each report page's entry.
fn report_sources(site: &Site, pages: &[Page]) -> Vec<PathBuf> {
    let mut sources = Vec::new();
    for page in pages {
        if let Page::Report(_, key) = page
            && let Some(entry) = site.entry(key)
        {
            let reports = entry.translations.values().map(|&i| &site.reports[i]);
            sources.extend(reports.map(|r| r.source_path.clone()));
        }
    }
    sources
}

impl Plan {
    /// Starts writing the next cache, with the loads of `store`, while the site is
    /// published; `None` without the cache or without the loads.
    pub fn start_saving(&self, opts: &BuildOptions, store: &ContentStore) -> Option<Writer> {
        let (false, Some(keys)) = (opts.no_cache, self.keys.clone()) else {
            return None;
        };
        let loads = Loads::of(store, &self.parts)?;
        Some(Writer::start(&opts.root, keys, loads))
    }
}

/// Finishes the cache `writer` began, with the output just published (`hashes`, the files the
/// publishing `changes`) and the search states.
pub fn save(
    opts: &BuildOptions,
    out: &Path,
    plan: Plan,
    writer: Option<Writer>,
    hashes: BTreeMap<String, crate::archive::manifest::FileHash>,
    changes: &crate::output::Changes,
    search: BTreeMap<Lang, SearchCache>,
) {
    if opts.no_cache {
        return;
    }
    let output = super::stamp_output(out, hashes, &plan.records, changes);
    match (writer, output) {
        (Some(writer), Some(output)) => {
            let folders = super::stamp_folders(out, &output, &plan.folders, changes);
            writer.finish((&output, &folders), &search);
            super::free_aside((plan, output, folders, search));
        }
        // An old cache would describe an older output: gone, so no doubt is left.
        _ => {
            let _ = std::fs::remove_file(super::path(&opts.root));
        }
    }
}
