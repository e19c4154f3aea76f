//! Preview: from the store's reports to the served output — the model rebuilt, the pages that
//! may differ rendered, and the output updated in place.

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use rayon::prelude::*;

use super::{LiveSite, Updates, changed_files};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Bodies, Site};
use crate::render::deps;
use crate::render::{Page, RenderError, Renderer, Theme, all_pages};
use crate::serve::published;
use crate::urls::LinkStyle;

impl LiveSite {
    /// Builds the model and renders what changed; returns the changed files and the number of
    /// pages rendered.
    pub(super) fn commit(&mut self) -> Result<(Vec<String>, usize), Diagnostics> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let p = &self.pending;
        if self.site.is_none() || !p.keys.is_empty() || !p.paths.is_empty() {
            self.rebuild_model()?;
        }
        let site = self.site.as_ref().expect("built above");
        let full = self.pending.render_all;
        if !full && self.pending.pages.is_empty() && !self.pending.statics {
            // Publishing nothing still clears an error the edit fixed.
            self.publish(false, Vec::new());
            self.flush_derived();
            return Ok((Vec::new(), 0));
        }
        let style = self.store.options().link_style;
        let pages = (!full).then_some(&self.pending.pages);
        let mut updates = render(site, &self.store, &self.theme, style, pages)?;
        let rendered = updates.len();
        if full || self.pending.statics {
            updates.extend(
                self.theme
                    .static_files()
                    .map(|(path, bytes)| (path, Some(Bytes::from(bytes.clone())))),
            );
        }
        let changed = self.publish(full, updates);
        self.pending.pages.clear();
        self.pending.render_all = false;
        self.pending.statics = false;
        self.flush_derived();
        Ok((changed, rendered))
    }

    /// A new [`Site`] from the store's reports, and the pages that may differ from the last
    /// one queued. A refused model (translations disagree) loses nothing: the store keeps the
    /// reports, and the pending changes wait for the fix.
    fn rebuild_model(&mut self) -> Result<(), Diagnostics> {
        let mut config = self.store.config().expect("checked by problems()").clone();
        config.kinds = config.kinds.as_of(self.store.options().today);
        let site = Site::new(config.clone(), self.store.reports())?;
        let pending = &mut self.pending;
        let derived = &mut pending.derived;
        match &self.site {
            Some(old) if !pending.render_all => {
                pending
                    .pages
                    .extend(deps::affected(old, &site, &pending.keys));
            }
            _ => pending.render_all = true,
        }
        if self.site.is_none() {
            derived.full = true;
            derived.config = Some(config);
            derived.reports = site
                .reports
                .iter()
                .map(|r| (r.source_path.clone(), Some(r.clone())))
                .collect();
        } else {
            for path in &pending.paths {
                let now = self.store.report_at(path).cloned();
                derived.reports.insert(path.clone(), now);
            }
        }
        pending.keys.clear();
        pending.paths.clear();
        self.site = Some(site);
        Ok(())
    }

    /// Puts `updates` into the served output; returns the paths whose bytes changed.
    fn publish(&mut self, full: bool, updates: Updates) -> Vec<String> {
        self.pending.derived.pages.extend(changed_files(&updates));
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
            let statics: Vec<String> = if self.pending.statics {
                let kept: std::collections::HashSet<String> =
                    self.theme.static_files().map(|(path, _)| path).collect();
                let keep = |k: &str| !k.starts_with("static/") || kept.contains(k);
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
fn render(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &Theme,
    style: LinkStyle,
    pages: Option<&BTreeSet<Page>>,
) -> Result<Updates, Diagnostics> {
    let renderer = Renderer::new(site, bodies, theme, style).map_err(diagnostics_of)?;
    let one = |page: &Page| {
        renderer
            .render(page)
            .map(Bytes::from)
            .map_err(diagnostics_of)
    };
    let list: Vec<(String, Option<Page>)> = match pages {
        None => all_pages(site)
            .into_iter()
            .map(|p| (p.file(), Some(p)))
            .collect(),
        Some(pages) => pages
            .iter()
            .map(|p| (p.file(), p.exists(site).then(|| p.clone())))
            .collect(),
    };
    list.into_par_iter()
        .map(|(file, page)| Ok((file, page.as_ref().map(one).transpose()?)))
        .collect()
}

fn diagnostics_of(e: RenderError) -> Diagnostics {
    match e {
        RenderError::Template(d) => d,
        RenderError::Output(o) => Diagnostic::at_file("", o.msg()).into(),
    }
}
