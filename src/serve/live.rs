//! Preview: the site kept in memory between edits and brought up to date one burst at a time.
//!
//! [`LiveSite`] holds every report file's last load, the [`Site`] the served output was
//! rendered from, and (through [`Published`]) that output. An edit reloads only the files it
//! names (and the reports whose links to them changed meaning), rebuilds the model (cheap),
//! and renders only the pages [`deps::affected`] names. An edit that breaks the build leaves
//! the last good output served and is remembered, so the fix brings the output to exactly
//! what a full build of the same files gives.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::SystemTime;

use axum::body::Bytes;
use rayon::prelude::*;

use super::classify::Plan;
use super::deps::{self, PageId, Snapshot};
use super::derived::{DerivedUpdate, Mirror, is_report_page, without_html};
use super::published::{self, Shared};
use crate::BuildOptions;
use crate::archive::{LOCK_FILE, Lock};
use crate::config::{self, CONFIG_FILE, Config};
use crate::content::markdown::{self, ReportLink};
use crate::content::{self, CONTENT_DIR, SourceFile, is_ignored};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Report, ReportKey, Site};
use crate::render::{Page, RenderError, Renderer, Theme, all_pages};

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

/// A link from one report to another: (year, stem, language) of the target.
type Target = (u16, String, String);

/// A file's modification time and length when it was last read: lost events are made up for
/// by comparing these ([`LiveSite::reconcile`]), which reads no file.
type Stamp = (Option<SystemTime>, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok(), m.len()))
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

    /// The work that brings the site up to date when watcher events were lost: compares every
    /// file's stamp with the one it had when read (no file is read, so this makes no events).
    pub fn reconcile(&self) -> Plan {
        let root = &self.opts.root;
        let mut plan = Plan {
            theme: true,
            ..Plan::default()
        };
        if self.lost || self.config.is_none() || stamp(&root.join(CONFIG_FILE)) != self.config_stamp
        {
            plan.full = true;
            return plan;
        }
        plan.lock = stamp(&root.join(LOCK_FILE)) != self.lock_stamp;
        let now: BTreeSet<PathBuf> = report_files_under(root, &root.join(CONTENT_DIR))
            .into_iter()
            .collect();
        for path in &now {
            if self.stamps.get(path) != stamp(&root.join(path)).as_ref() {
                plan.content.insert(path.clone());
            }
        }
        plan.content
            .extend(self.slots.keys().filter(|p| !now.contains(*p)).cloned());
        if !root.join(CONTENT_DIR).is_dir() {
            plan.content.insert(PathBuf::from(CONTENT_DIR));
        }
        plan
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

    /// Reloads the report files at or under `paths` (relative to the root), present or gone.
    fn reload_content(&mut self, paths: &BTreeSet<PathBuf>) {
        let root = self.opts.root.clone();
        let Some(config) = self.config.clone() else {
            return;
        };
        let mut touched = BTreeSet::new();
        for rel in paths {
            let known = self
                .slots
                .range(rel.clone()..)
                .take_while(|(k, _)| k.starts_with(rel));
            touched.extend(known.map(|(k, _)| k.clone()));
            let full = root.join(rel);
            if std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir()) {
                touched.extend(report_files_under(&root, &full));
            } else {
                touched.insert(rel.clone());
            }
        }
        self.no_content = None;
        if !root.join(CONTENT_DIR).is_dir() {
            self.no_content = Some(content::discover(&root, &config).1);
        }

        let mut to_load = Vec::new();
        let mut placement_changed = false;
        let (mut lost, mut gained) = (BTreeSet::new(), BTreeSet::new());
        for rel in &touched {
            let old = self.slots.remove(rel);
            self.stamps.remove(rel);
            if let Some(Slot::Placed { file, .. }) = &old {
                self.dirty.insert(key_of(file));
                self.stale.insert(rel.clone());
                if self.remove_target(file) {
                    lost.insert(target_of(file));
                }
            }
            let full = root.join(rel);
            let is_report = rel
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".md"))
                && std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
            if !is_report {
                placement_changed |= old.is_some();
                continue;
            }
            match content::place(&root, &full, &config) {
                Err(d) => {
                    placement_changed = true;
                    if let Some(s) = stamp(&full) {
                        self.stamps.insert(rel.clone(), s);
                    }
                    self.slots.insert(rel.clone(), Slot::Misplaced(d));
                }
                Ok(file) => {
                    placement_changed |=
                        !matches!(&old, Some(Slot::Placed { file: f, .. }) if *f == file);
                    if self.add_target(&file) {
                        gained.insert(target_of(&file));
                    }
                    self.dirty.insert(key_of(&file));
                    self.stale.insert(rel.clone());
                    to_load.push(file);
                }
            }
        }
        // A target removed and added back in the same burst changed nothing.
        let gained_any = gained.iter().any(|t| !lost.contains(t));
        let lost: BTreeSet<Target> = lost
            .into_iter()
            .filter(|t| !self.target_count.contains_key(t))
            .collect();
        if !lost.is_empty() || gained_any {
            // Reports linking to a report that is gone now fail; failed reports may have
            // failed for want of the report just added.
            let extra: Vec<SourceFile> = self
                .slots
                .iter()
                .filter_map(|(rel, slot)| match slot {
                    Slot::Placed { file, state, links } if !touched.contains(rel) => {
                        let hit = links.iter().any(|l| lost.contains(&l.target))
                            || (gained_any && matches!(state, State::Failed(_)));
                        hit.then(|| file.clone())
                    }
                    _ => None,
                })
                .collect();
            for file in extra {
                self.dirty.insert(key_of(&file));
                self.stale.insert(file.shown.clone());
                to_load.push(file);
            }
        }
        if placement_changed {
            let mut files: Vec<SourceFile> = self
                .slots
                .values()
                .filter_map(|s| match s {
                    Slot::Placed { file, .. } => Some(file.clone()),
                    Slot::Misplaced(_) => None,
                })
                .chain(to_load.iter().cloned())
                .collect();
            files.sort();
            files.dedup();
            self.duplicates = content::duplicates(&files);
        }
        self.load(to_load);
    }

    /// Loads `files` in parallel into their slots (marking them changed).
    fn load(&mut self, files: Vec<SourceFile>) {
        let Some(config) = &self.config else { return };
        let (md, targets) = (&self.md, &self.targets);
        let drafts = self.opts.drafts;
        let slots: Vec<(PathBuf, Option<Stamp>, Slot)> = files
            .into_par_iter()
            .map(|file| {
                // Stamped before reading: a write in between makes the next reconcile reload.
                let stamp = stamp(&file.path);
                let slot = match content::load_file(&file, config, md, targets) {
                    Ok((report, links)) => Slot::Placed {
                        links,
                        state: if report.draft && !drafts {
                            State::Hidden
                        } else {
                            State::Loaded(Box::new(report))
                        },
                        file,
                    },
                    Err(ds) => Slot::Placed {
                        file,
                        state: State::Failed(ds),
                        links: Vec::new(),
                    },
                };
                let Slot::Placed { file, .. } = &slot else {
                    unreachable!()
                };
                (file.shown.clone(), stamp, slot)
            })
            .collect();
        for (path, stamp, slot) in slots {
            match stamp {
                Some(s) => self.stamps.insert(path.clone(), s),
                None => self.stamps.remove(&path),
            };
            if let Slot::Placed { file, .. } = &slot {
                self.dirty.insert(key_of(file));
            }
            self.stale.insert(path.clone());
            self.slots.insert(path, slot);
        }
    }

    /// Counts a file as its target; true when the target is new.
    fn add_target(&mut self, file: &SourceFile) -> bool {
        let t = target_of(file);
        let n = self.target_count.entry(t.clone()).or_insert(0);
        *n += 1;
        self.targets.reports.insert(t);
        *n == 1
    }

    /// Uncounts a file; true when no file is that target any more.
    fn remove_target(&mut self, file: &SourceFile) -> bool {
        let t = target_of(file);
        match self.target_count.get_mut(&t) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.target_count.remove(&t);
                self.targets.reports.remove(&t);
                true
            }
            None => false,
        }
    }

    /// Every problem a full build of the current files would report before rendering.
    fn problems(&self) -> Diagnostics {
        if let Some(d) = &self.config_error {
            return d.clone();
        }
        let mut content = Diagnostics::default();
        // A published report must not link to a draft the build leaves out.
        let hidden: BTreeSet<Target> = self
            .slots
            .values()
            .filter_map(|s| match s {
                Slot::Placed {
                    file,
                    state: State::Hidden,
                    ..
                } => Some(target_of(file)),
                _ => None,
            })
            .collect();
        for slot in self.slots.values() {
            match slot {
                Slot::Misplaced(d) => content.push(d.clone()),
                Slot::Placed {
                    state: State::Failed(ds),
                    ..
                } => content.extend(ds.iter().cloned()),
                Slot::Placed {
                    state: State::Hidden,
                    ..
                } => {}
                Slot::Placed { links, .. } => {
                    let to_drafts = links.iter().filter(|l| hidden.contains(&l.target));
                    content.extend(to_drafts.map(|l| l.if_draft.clone()));
                }
            }
        }
        content.extend(self.duplicates.iter().cloned());
        content.extend(self.no_content.iter().flat_map(|d| d.0.iter().cloned()));
        let mut all = self.theme_problems.clone();
        match &self.lock {
            // Frozen reports are checked once every file loads (as `crate::load` does).
            Ok(lock) if content.is_empty() => {
                let frozen = self.frozen(lock);
                all.extend(lock.verify(&self.opts.root, &frozen, self.opts.drafts).0);
            }
            Ok(_) => {}
            Err(d) => all.extend(d.0.iter().cloned()),
        }
        all.extend(content.0);
        all.sorted()
    }

    /// Outlines of the published reports `lock` names.
    fn frozen(&self, lock: &Lock) -> Vec<Report> {
        if lock.entries.is_empty() {
            return Vec::new();
        }
        let in_site: HashMap<&Path, &Report> = self
            .site
            .iter()
            .flat_map(|s| &s.reports)
            .map(|r| (r.source_path.as_path(), r))
            .collect();
        lock.entries
            .keys()
            .filter_map(|path| match self.slots.get(Path::new(path))? {
                Slot::Placed {
                    state: State::Loaded(r),
                    ..
                } => Some(outline(r)),
                Slot::Placed {
                    state: State::InSite,
                    ..
                } => in_site.get(Path::new(path)).map(|r| outline(r)),
                _ => None,
            })
            .collect()
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

    /// Translations must agree before the model is rebuilt: [`Site::new`] consumes the
    /// reports, so it is first run on outlines of the changed reports, where a refusal loses
    /// nothing.
    fn check_translations(&self) -> Result<(), Diagnostics> {
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
    fn rebuild_model(&mut self) -> Result<(), Diagnostics> {
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
    fn publish(&mut self, full: bool, updates: Vec<(String, Option<Bytes>)>) -> Vec<String> {
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

/// Renders `pages` (every page when `None`); a page no longer in `site` maps to `None`.
fn render(
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

fn diagnostics_of(e: RenderError) -> Diagnostics {
    match e {
        RenderError::Template(d) => d,
        RenderError::Output(o) => Diagnostic::at_file("", o.to_string()).into(),
    }
}

fn key_of(file: &SourceFile) -> ReportKey {
    ReportKey {
        year: file.year,
        stem: file.stem.clone(),
    }
}

fn target_of(file: &SourceFile) -> Target {
    (file.year, file.stem.clone(), file.lang.clone())
}

/// What [`Site::new`] and [`Lock::verify`] check of a report, without its text.
fn outline(r: &Report) -> Report {
    Report {
        key: r.key.clone(),
        lang: r.lang.clone(),
        source_path: r.source_path.clone(),
        source_sha256: r.source_sha256.clone(),
        title: String::new(),
        department: r.department.clone(),
        themes: r.themes.clone(),
        date: r.date,
        summary: String::new(),
        draft: r.draft,
        figures: BTreeMap::new(),
        revisions: r.revisions.clone(),
        body_html: String::new(),
        sections: Vec::new(),
    }
}

/// Report files (`*.md`, editors' files skipped) under `dir`, relative to `root`.
fn report_files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or(".")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".md"))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}
