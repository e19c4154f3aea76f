//! Preview: from the loaded reports to the served output — the model rebuilt with the changed
//! reports moved in, the pages that may differ rendered, and the output updated in place.

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use rayon::prelude::*;

use super::files::outline;
use super::{LiveSite, Slot, State};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Report, Site};
use crate::render::{Page, RenderError, Renderer, Theme, all_pages};
use crate::serve::deps::{self, PageId, Snapshot};
use crate::serve::derived::{is_report_page, without_html};
use crate::serve::published;

impl LiveSite {
    /// Translations must agree before the model is rebuilt: [`Site::new`] consumes the
    /// reports, so it is first run on outlines of the changed reports, where a refusal loses
    /// nothing.
    pub(super) fn check_translations(&self) -> Result<(), Diagnostics> {
        let config = self.config.clone().expect("checked by problems()");
        // Every loaded report is stale (changed since the site was built).
        let mut outlines: Vec<Report> = self
            .stale
            .iter()
            .filter_map(|path| match self.slots.get(path)? {
                Slot::Placed {
                    state: State::Loaded(r),
                    ..
                } => Some(outline(r)),
                _ => None,
            })
            .collect();
        if let Some(site) = &self.site {
            // The other languages of the changed reports, from the site (its reports are sorted
            // by key, so each key's translations are found by binary search).
            for key in &self.dirty {
                let from = site.reports.partition_point(|r| r.key < *key);
                let same = site.reports[from..].iter().take_while(|r| r.key == *key);
                outlines.extend(
                    same.filter(|r| !self.stale.contains(&r.source_path))
                        .map(outline),
                );
            }
        }
        Site::new(config, outlines).map(|_| ())
    }

    /// Moves the changed reports into a new [`Site`] and queues the pages that may differ.
    pub(super) fn rebuild_model(&mut self) -> Result<(), Diagnostics> {
        let config = self.config.clone().expect("checked by problems()");
        let old = self.site.take();
        let before = old
            .as_ref()
            .filter(|_| !self.render_all)
            .map(|s| Snapshot::capture(s, &self.dirty));
        let mut reports = old.map(|s| s.reports).unwrap_or_default();
        // (The key is compared first: it is cheaper than a path.)
        let (dirty, stale) = (&self.dirty, &self.stale);
        reports.retain(|r| !(dirty.contains(&r.key) && stale.contains(&r.source_path)));
        let mut fresh = Vec::new();
        for path in std::mem::take(&mut self.stale) {
            let mut now = None;
            if let Some(Slot::Placed { state, .. }) = self.slots.get_mut(&path)
                && let State::Loaded(_) = state
                && let State::Loaded(r) = std::mem::replace(state, State::InSite)
            {
                now = Some(without_html(&r));
                // Section texts are for the search index (the derived copy keeps them); pages
                // use only the sections' ids and headings (tests/serve.rs would see otherwise).
                let mut r = *r;
                r.sections.iter_mut().for_each(|s| s.text = String::new());
                fresh.push(r);
            }
            self.derived_update.reports.insert(path, now);
        }
        // Site::new sorts the reports by (key, language). The previous site left them sorted;
        // putting the few new ones in place makes that sort a linear check instead of moving
        // every report (tens of milliseconds on a large site).
        if fresh.len() <= 64 {
            for r in fresh {
                let at = reports.partition_point(|x| (&x.key, &x.lang) < (&r.key, &r.lang));
                reports.insert(at, r);
            }
        } else {
            reports.extend(fresh);
        }
        let site = Site::new(config, reports).inspect_err(|_| {
            // The reports went into the refused model: reload everything at the next edit.
            self.lost = true;
        })?;
        match before {
            Some(before) => {
                let after = Snapshot::capture(&site, &self.dirty);
                self.pending
                    .extend(deps::affected(&before, &after, &site, &self.dirty));
            }
            None => self.render_all = true,
        }
        self.dirty.clear();
        self.site = Some(site);
        Ok(())
    }

    /// Puts `updates` into the served output; returns the paths whose bytes changed.
    pub(super) fn publish(
        &mut self,
        full: bool,
        updates: Vec<(String, Option<Bytes>)>,
    ) -> Vec<String> {
        let pages = &mut self.derived_update.pages;
        let report_pages = updates.iter().filter(|(p, _)| is_report_page(p));
        pages.extend(report_pages.map(|(p, b)| (p.clone(), b.clone())));
        let mut changed = Vec::new();
        if full {
            let new: HashMap<String, Bytes> = updates
                .into_iter()
                .filter_map(|(p, b)| Some((p, b?)))
                .collect();
            {
                // Compared under the read lock: pages stay served meanwhile.
                let p = published::read(&self.published);
                changed.extend(
                    new.iter()
                        .filter(|(k, v)| p.files.get(*k) != Some(v))
                        .map(|(k, _)| k.clone()),
                );
                changed.extend(p.files.keys().filter(|k| !new.contains_key(*k)).cloned());
            }
            let mut p = published::write(&self.published);
            p.files = new;
            p.finish(!changed.is_empty());
        } else {
            let mut p = published::write(&self.published);
            let statics: Vec<String> = if self.statics_dirty {
                let keep = |k: &str| {
                    k.strip_prefix("static/")
                        .is_none_or(|n| self.theme.statics.contains_key(n))
                };
                p.files.keys().filter(|k| !keep(k)).cloned().collect()
            } else {
                Vec::new()
            };
            let removals = statics.into_iter().map(|k| (k, None));
            for (path, bytes) in updates.into_iter().chain(removals) {
                let differs = match &bytes {
                    Some(b) => p.files.get(&path) != Some(b),
                    None => p.files.contains_key(&path),
                };
                if differs {
                    match bytes {
                        Some(b) => p.files.insert(path.clone(), b),
                        None => p.files.remove(&path),
                    };
                    changed.push(path);
                }
            }
            p.finish(!changed.is_empty());
        }
        changed.sort();
        changed
    }
}

/// Renders `pages` (every page when `None`); a page no longer in `site` maps to `None`.
pub(super) fn render(
    site: &Site,
    theme: &Theme,
    style: crate::urls::LinkStyle,
    pages: Option<&BTreeSet<PageId>>,
) -> Result<Vec<(String, Option<Bytes>)>, Diagnostics> {
    let renderer = Renderer::new(site, theme, style).map_err(diagnostics_of)?;
    let one = |page: &Page| {
        renderer
            .render(page)
            .map(Bytes::from)
            .map_err(diagnostics_of)
    };
    let list: Vec<(String, Option<Page>)> = match pages {
        None => all_pages(site)
            .into_iter()
            .map(|p| (p.file(site), Some(p)))
            .collect(),
        Some(ids) => {
            let index = deps::entry_index(site);
            ids.iter()
                .map(|id| (id.file(site), id.page(site, &index)))
                .collect()
        }
    };
    list.into_par_iter()
        .map(|(file, page)| Ok((file, page.as_ref().map(one).transpose()?)))
        .collect()
}

pub(super) fn diagnostics_of(e: RenderError) -> Diagnostics {
    match e {
        RenderError::Template(d) => d,
        RenderError::Output(o) => Diagnostic::at_file("", o.to_string()).into(),
    }
}
