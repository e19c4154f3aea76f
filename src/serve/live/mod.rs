//! Preview: the site kept in memory between edits and brought up to date one burst at a time.
//!
//! [`LiveSite`] holds the [`ContentStore`] (the same loader `build` uses), the theme, the
//! [`Site`] the served output was rendered from, and (through `Published`) that output. An
//! edit reloads only the files it names in the store, rebuilds the model from the store's
//! reports (cheap: they are shared, not copied), and renders only the pages `deps::affected`
//! names. An edit that breaks the build leaves the last good output served and is remembered,
//! so the fix brings the output to exactly what a full build of the same files gives.

mod model;
mod style;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::classify::Plan;
use super::derived::{DerivedUpdate, Mirror};
use super::overlay::BrokenText;
use super::published::{self, Shared};
use crate::content::ContentStore;
use crate::diagnostics::Diagnostics;
use crate::messages::UiLang;
use crate::model::{ReportKey, Site};
use crate::options::BuildOptions;
use crate::render::{LOADED, Page, Theme};

/// Where updates of the derived outputs (search index, manifest) go.
pub enum DerivedMode {
    /// Made right after the pages, before [`LiveSite::apply`] returns (tests).
    Inline(Box<Mirror>),
    /// Sent to a worker that makes them in the background (the server).
    Background(Sender<DerivedUpdate>),
}

/// What one [`LiveSite::apply`] did to the output.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing served changed.
    Unchanged,
    /// These output files were added, replaced or removed (sorted).
    Changed(Vec<String>),
    /// The site has errors; the last good output is still served.
    Broken(Diagnostics),
}

#[derive(Debug)]
pub struct Applied {
    pub outcome: Outcome,
    /// The site had errors before and has none now.
    pub recovered: bool,
    /// Pages rendered.
    pub rendered: usize,
}

/// What changed since the served output was rendered, kept until a build succeeds.
#[derive(Default)]
struct Pending {
    /// Load everything again at the next edit (a rebuild panicked).
    reload: bool,
    /// Reports whose files changed.
    keys: BTreeSet<ReportKey>,
    /// Their files (relative to the root), for the derived outputs.
    paths: BTreeSet<PathBuf>,
    /// Pages to render.
    pages: BTreeSet<Page>,
    render_all: bool,
    statics: bool,
    /// For the search index and the manifest, sent after the pages.
    derived: DerivedUpdate,
}

pub struct LiveSite {
    store: ContentStore,
    theme: Theme,
    theme_problems: Diagnostics,
    /// The model the served output was rendered from (`None` before the first good build).
    site: Option<Site>,
    pending: Pending,
    derived: DerivedMode,
    published: Shared,
    style: style::StyleWarnings,
}

impl LiveSite {
    /// An empty site for `opts`; the first [`apply`](Self::apply) of [`Plan::full`] loads it.
    pub fn new(opts: BuildOptions, derived: DerivedMode, published: Shared) -> LiveSite {
        LiveSite {
            store: ContentStore::new(opts),
            theme: Theme::default(),
            theme_problems: Diagnostics::default(),
            site: None,
            pending: Pending {
                reload: true,
                ..Pending::default()
            },
            derived,
            published,
            style: style::StyleWarnings::new(),
        }
    }

    /// The style warnings in `lang` (the preview's language; `new` starts in English). Call it
    /// before the first [`apply`](Self::apply): it forgets the warnings found so far.
    pub fn speak(&mut self, lang: UiLang) {
        self.style = style::StyleWarnings::in_lang(lang);
    }

    pub fn root(&self) -> &Path {
        self.store.root()
    }

    /// The site's theme name, once `site.yaml` could be read.
    pub fn theme_name(&self) -> Option<&str> {
        self.store.config().map(|c| c.theme.as_str())
    }

    pub fn published(&self) -> &Shared {
        &self.published
    }

    /// Forgets everything loaded: the next [`apply`](Self::apply) loads the whole site again.
    pub fn reset(&mut self) {
        self.pending.reload = true;
    }

    /// The work that brings the site up to date when watcher events were lost: compares every
    /// file's stamp with the one it had when read.
    pub fn reconcile(&self) -> Plan {
        let stale = self.store.reconcile();
        Plan {
            full: stale.config || self.pending.reload,
            theme: true,
            lock: stale.lock,
            content: stale.content,
        }
    }

    /// Loads what `plan` names and publishes the result (or the error).
    pub fn apply(&mut self, plan: &Plan) -> Applied {
        let was_broken = published::read(&self.published).error.is_some();
        let mut restyle = None;
        if plan.full || self.pending.reload || self.store.config().is_none() {
            self.reload_all();
        } else {
            if plan.theme {
                self.reload_theme();
            }
            if plan.lock {
                self.store.reload_lock();
            }
            if !plan.content.is_empty() {
                let reloaded = self.store.reload_paths(&plan.content);
                self.pending.keys.extend(reloaded.keys);
                restyle = Some(reloaded.paths.clone());
                self.pending.paths.extend(reloaded.paths);
            }
        }
        self.restyle(restyle);
        let (outcome, rendered) = match self.commit() {
            Ok((changed, rendered)) if changed.is_empty() => (Outcome::Unchanged, rendered),
            Ok((changed, rendered)) => (Outcome::Changed(changed), rendered),
            Err(d) => {
                published::write(&self.published).error = Some(BrokenText::new(&d));
                (Outcome::Broken(d), 0)
            }
        };
        let recovered = was_broken && !matches!(outcome, Outcome::Broken(_));
        Applied {
            outcome,
            recovered,
            rendered,
        }
    }

    /// Style warnings of the files reloaded (`None`: of every file, after a full load), shown
    /// beside the page from the next response on.
    fn restyle(&mut self, files: Option<BTreeSet<PathBuf>>) {
        let Some(config) = self.store.config() else {
            return;
        };
        let root = self.store.root().to_path_buf();
        match (&files, self.site.is_none() || self.pending.render_all) {
            (_, true) => self.style.all(&root, config),
            (Some(files), false) => self.style.files(&root, config, files.iter()),
            (None, false) => {}
        }
        let mut p = published::write(&self.published);
        p.warnings = self.style.text();
        p.warning_count = self.style.count();
    }

    fn reload_all(&mut self) {
        self.store.load_all();
        // Pages already published stay queued for the manifest unless replaced.
        let derived = std::mem::take(&mut self.pending.derived);
        self.pending = Pending {
            render_all: true,
            statics: true,
            derived,
            ..Pending::default()
        };
        self.site = None;
        self.reload_theme();
    }

    fn reload_theme(&mut self) {
        let Some(config) = self.store.config() else {
            return;
        };
        match Theme::load(self.store.root(), config) {
            Ok(theme) => {
                // A file pages load by name renamed with its content: every page links it.
                let renamed = LOADED
                    .iter()
                    .any(|name| theme.asset(name) != self.theme.asset(name));
                if theme.templates != self.theme.templates
                    || theme.strings != self.theme.strings
                    || renamed
                {
                    self.pending.render_all = true;
                }
                if theme.statics != self.theme.statics {
                    self.pending.statics = true;
                }
                self.theme = theme;
                self.theme_problems = Diagnostics::default();
            }
            Err(d) => self.theme_problems = d,
        }
    }

    /// Every problem a full build of the current files would report before rendering.
    fn problems(&self) -> Diagnostics {
        let mut all = self.store.problems();
        if self.store.config().is_some() {
            all.extend(self.theme_problems.iter().cloned());
        }
        all.sorted()
    }

    fn flush_derived(&mut self) {
        let update = std::mem::take(&mut self.pending.derived);
        if update.is_empty() {
            return;
        }
        match &mut self.derived {
            DerivedMode::Inline(mirror) => {
                published::derive(&self.published, mirror, update);
            }
            DerivedMode::Background(tx) => {
                let _ = tx.send(update);
            }
        }
    }
}

/// Pages and static files as rendered: output path → bytes (`None`: the file goes).
type Updates = Vec<(String, Option<axum::body::Bytes>)>;

/// Every file among `updates`: the manifest lists them all, so any change renews it.
fn changed_files(updates: &Updates) -> HashMap<String, Option<axum::body::Bytes>> {
    updates
        .iter()
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}
