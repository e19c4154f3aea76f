//! Preview: the site kept in memory between edits and brought up to date one burst at a time.
//!
//! [`LiveSite`] holds every report file's last load, the [`Site`] the served output was
//! rendered from, and (through `Published`) that output. An edit reloads only the files it
//! names (and the reports whose links to them changed meaning), rebuilds the model (cheap),
//! and renders only the pages `deps::affected` names. An edit that breaks the build leaves
//! the last good output served and is remembered, so the fix brings the output to exactly
//! what a full build of the same files gives.

mod files;
mod model;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use axum::body::Bytes;

use super::classify::Plan;
use super::deps::PageId;
use super::derived::{DerivedUpdate, Mirror};
use super::published::{self, Shared};
use crate::BuildOptions;
use crate::archive::{LOCK_FILE, Lock};
use crate::config::{self, CONFIG_FILE, Config};
use crate::content::markdown::{self, ReportLink};
use crate::content::{self, CONTENT_DIR, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Report, ReportKey, Site};
use crate::render::Theme;
use files::{Stamp, Target, stamp};
use model::render;

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

enum Slot {
    /// A Markdown file under `content/` that is not in a report's place.
    Misplaced(Diagnostic),
    Placed {
        file: SourceFile,
        state: State,
        /// Its body's links to other reports.
        links: Vec<ReportLink>,
    },
}

enum State {
    /// Loaded, and its report is in the current [`Site`].
    InSite,
    /// Loaded since the current [`Site`] was built.
    Loaded(Box<Report>),
    /// A draft, left out (no `--drafts`).
    Hidden,
    Failed(Vec<Diagnostic>),
}

pub struct LiveSite {
    opts: BuildOptions,
    config: Option<Config>,
    config_error: Option<Diagnostics>,
    md: comrak::Options<'static>,
    theme: Theme,
    theme_problems: Diagnostics,
    /// Every Markdown file under `content/`, by path relative to the root.
    slots: BTreeMap<PathBuf, Slot>,
    stamps: HashMap<PathBuf, Stamp>,
    config_stamp: Option<Stamp>,
    targets: markdown::LinkTargets,
    /// How many files are each target (two files can be the same report: an error).
    target_count: HashMap<Target, usize>,
    duplicates: Vec<Diagnostic>,
    no_content: Option<Diagnostics>,
    /// `archive.lock` as last read.
    lock: Result<Lock, Diagnostics>,
    lock_stamp: Option<Stamp>,
    /// The model the served output was rendered from (`None` before the first good build).
    site: Option<Site>,
    /// Reports changed since `site` was built.
    dirty: BTreeSet<ReportKey>,
    /// Files whose report in `site` is out of date.
    stale: BTreeSet<PathBuf>,
    /// Pages to render at the next good build.
    pending: BTreeSet<PageId>,
    render_all: bool,
    statics_dirty: bool,
    /// The model's reports were lost to an error: the next edit reloads everything.
    lost: bool,
    derived: DerivedMode,
    derived_update: DerivedUpdate,
    published: Shared,
}

impl LiveSite {
    /// An empty site for `opts`; the first [`apply`](Self::apply) of [`Plan::full`] loads it.
    pub fn new(opts: BuildOptions, derived: DerivedMode, published: Shared) -> LiveSite {
        LiveSite {
            opts,
            config: None,
            config_error: None,
            md: markdown::options(false),
            theme: Theme::default(),
            theme_problems: Diagnostics::default(),
            slots: BTreeMap::new(),
            stamps: HashMap::new(),
            config_stamp: None,
            targets: markdown::LinkTargets::default(),
            target_count: HashMap::new(),
            duplicates: Vec::new(),
            no_content: None,
            lock: Ok(Lock::default()),
            lock_stamp: None,
            site: None,
            dirty: BTreeSet::new(),
            stale: BTreeSet::new(),
            pending: BTreeSet::new(),
            render_all: true,
            statics_dirty: true,
            lost: true,
            derived,
            derived_update: DerivedUpdate::default(),
            published,
        }
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The site's theme name, once `site.yaml` could be read.
    pub fn theme_name(&self) -> Option<&str> {
        self.config.as_ref().map(|c| c.theme.as_str())
    }

    pub fn published(&self) -> &Shared {
        &self.published
    }

    /// Forgets everything loaded: the next [`apply`](Self::apply) loads the whole site again.
    pub fn reset(&mut self) {
        self.lost = true;
    }

    /// Loads what `plan` names and publishes the result (or the error).
    pub fn apply(&mut self, plan: &Plan) -> Applied {
        let was_broken = published::read(&self.published).error.is_some();
        if plan.full || self.config.is_none() || self.lost {
            self.reload_all();
        } else {
            if plan.theme {
                self.reload_theme();
            }
            if plan.lock {
                self.reload_lock();
            }
            if !plan.content.is_empty() {
                self.reload_content(&plan.content);
            }
        }
        let (outcome, rendered) = match self.commit() {
            Ok((changed, rendered)) if changed.is_empty() => (Outcome::Unchanged, rendered),
            Ok((changed, rendered)) => (Outcome::Changed(changed), rendered),
            Err(d) => {
                published::write(&self.published).error = Some(d.render(false));
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

    fn reload_all(&mut self) {
        let root = self.opts.root.clone();
        self.lost = false;
        self.config_stamp = stamp(&root.join(CONFIG_FILE));
        let config = match config::load(&root, self.opts.base_url.as_deref()) {
            Ok(c) => c,
            Err(d) => {
                self.config = None;
                self.config_error = Some(d);
                return;
            }
        };
        self.config_error = None;
        self.md = markdown::options(config.unsafe_html);
        self.targets = markdown::LinkTargets {
            default_lang: config.default_lang().to_string(),
            style: self.opts.link_style,
            ..Default::default()
        };
        self.derived_update = DerivedUpdate {
            full: true,
            config: Some(config.clone()),
            ..DerivedUpdate::default()
        };
        self.config = Some(config);
        self.reload_theme();
        self.reload_lock();
        self.render_all = true;
        self.statics_dirty = true;
        self.site = None;
        self.dirty.clear();
        self.stale.clear();
        self.slots.clear();
        self.stamps.clear();
        self.target_count.clear();
        self.pending.clear();
        let config = self.config.as_ref().expect("set above");
        let (files, problems) = content::discover(&root, config);
        self.no_content = None;
        for d in problems.0 {
            if d.path == Path::new(CONTENT_DIR) {
                self.no_content = Some(d.into());
            } else {
                if let Some(s) = stamp(&root.join(&d.path)) {
                    self.stamps.insert(d.path.clone(), s);
                }
                self.slots.insert(d.path.clone(), Slot::Misplaced(d));
            }
        }
        for f in &files {
            self.add_target(f);
        }
        self.duplicates = content::duplicates(&files);
        self.load(files);
    }

    fn reload_lock(&mut self) {
        self.lock_stamp = stamp(&self.opts.root.join(LOCK_FILE));
        self.lock = Lock::read(&self.opts.root);
    }

    fn reload_theme(&mut self) {
        let Some(config) = &self.config else { return };
        match Theme::load(&self.opts.root, config) {
            Ok(theme) => {
                if theme.templates != self.theme.templates || theme.strings != self.theme.strings {
                    self.render_all = true;
                }
                if theme.statics != self.theme.statics {
                    self.statics_dirty = true;
                }
                self.theme = theme;
                self.theme_problems = Diagnostics::default();
            }
            Err(d) => self.theme_problems = d,
        }
    }

    /// Builds the model and renders what changed; returns the changed files and the number of
    /// pages rendered.
    fn commit(&mut self) -> Result<(Vec<String>, usize), Diagnostics> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        if self.site.is_none() || !self.dirty.is_empty() || !self.stale.is_empty() {
            self.check_translations()?;
            self.rebuild_model()?;
        }
        let site = self.site.as_ref().expect("built above");
        let full = self.render_all;
        if !full && self.pending.is_empty() && !self.statics_dirty {
            self.publish(false, Vec::new());
            self.flush_derived();
            return Ok((Vec::new(), 0));
        }
        let mut updates = render(
            site,
            &self.theme,
            self.opts.link_style,
            (!full).then_some(&self.pending),
        )?;
        let rendered = updates.len();
        if full || self.statics_dirty {
            updates.extend(
                self.theme.statics.iter().map(|(name, bytes)| {
                    (format!("static/{name}"), Some(Bytes::from(bytes.clone())))
                }),
            );
        }
        let changed = self.publish(full, updates);
        self.pending.clear();
        self.render_all = false;
        self.statics_dirty = false;
        self.flush_derived();
        Ok((changed, rendered))
    }

    fn flush_derived(&mut self) {
        let update = std::mem::take(&mut self.derived_update);
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
