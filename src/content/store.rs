//! Load stage: the [`ContentStore`], the one loader of a site's files. `build` loads everything
//! once ([`ContentStore::load`]); `serve` keeps the store between edits and reloads the files
//! an edit names ([`ContentStore::reload_paths`]), with the reports whose links to them changed
//! meaning. Either way the same rules run on the same state, so both report the same problems
//! and give the same reports (ARCHITECTURE.md, "The content store").
//!
//! It owns each report file's last load (stamp, report, body, links, or its problems), the link
//! targets between reports, duplicate files, links from published reports to drafts, the
//! configuration and `archive.lock` with the frozen-report check.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use super::markdown::{self, LinkTargets, ReportLink};
use super::{SourceFile, discover, load_file, place};
use crate::BuildOptions;
use crate::archive::lock::Lock;
use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::layout::{CONFIG_FILE, CONTENT_DIR, LOCK_FILE, is_ignored};
use crate::model::{Bodies, Report, ReportId, ReportKey};

/// A file's modification time and length when it was last read: lost watcher events are made
/// up for by comparing these ([`ContentStore::reconcile`]), which reads no file.
pub type Stamp = (Option<SystemTime>, u64);

pub fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok(), m.len()))
}

/// The files whose stamps differ from their last load: what to reload.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stale {
    /// `site.yaml` changed (or never loaded): load everything.
    pub config: bool,
    pub lock: bool,
    /// Report files (relative to the root), present or gone.
    pub content: BTreeSet<PathBuf>,
}

/// What [`ContentStore::reload_paths`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Report files loaded again or gone, relative to the root.
    pub paths: BTreeSet<PathBuf>,
    /// The reports they were or are now (before and after a rename, both).
    pub keys: BTreeSet<ReportKey>,
}

/// One Markdown file under `content/`.
struct Slot {
    /// Taken before reading, so a write in between makes the next reconcile reload it.
    stamp: Option<Stamp>,
    state: State,
}

enum State {
    /// Not in a report's place (`content/<year>/<name>.<lang>.md`).
    Misplaced(Diagnostic),
    Placed {
        file: SourceFile,
        load: Load,
    },
}

enum Load {
    Loaded {
        report: Arc<Report>,
        html: String,
        /// Its body's links to other reports.
        links: Vec<ReportLink>,
    },
    Failed(Vec<Diagnostic>),
}

pub struct ContentStore {
    opts: BuildOptions,
    config: Result<Config, Diagnostics>,
    config_stamp: Option<Stamp>,
    md: comrak::Options<'static>,
    /// Every Markdown file under `content/`, by path relative to the root.
    slots: BTreeMap<PathBuf, Slot>,
    targets: LinkTargets,
    /// How many files are each target (two files can be the same report: an error).
    target_count: HashMap<ReportId, usize>,
    duplicates: Vec<Diagnostic>,
    /// `content/` itself is missing.
    no_content: Option<Diagnostic>,
    lock: Result<Lock, Diagnostics>,
    lock_stamp: Option<Stamp>,
}

impl ContentStore {
    /// A store with nothing loaded: [`load_all`](Self::load_all) fills it.
    pub fn new(opts: BuildOptions) -> ContentStore {
        ContentStore {
            opts,
            config: Err(Diagnostics::default()),
            config_stamp: None,
            md: markdown::options(false),
            slots: BTreeMap::new(),
            targets: LinkTargets::default(),
            target_count: HashMap::new(),
            duplicates: Vec::new(),
            no_content: None,
            lock: Ok(Lock::default()),
            lock_stamp: None,
        }
    }

    /// Every file of the site at `opts.root`, loaded.
    pub fn load(opts: BuildOptions) -> ContentStore {
        let mut store = ContentStore::new(opts);
        store.load_all();
        store
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The configuration, once `site.yaml` loads.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref().ok()
    }

    /// Loads the configuration, `archive.lock` and every report file again.
    pub fn load_all(&mut self) {
        let root = self.opts.root.clone();
        self.config_stamp = stamp(&root.join(CONFIG_FILE));
        self.config = config::load(&root, self.opts.base_url.as_deref());
        self.reload_lock();
        self.slots.clear();
        self.target_count.clear();
        let Ok(config) = &self.config else { return };
        self.md = markdown::options(config.unsafe_html);
        self.targets = LinkTargets {
            default_lang: config.default_lang().to_string(),
            style: self.opts.link_style,
            ..Default::default()
        };
        let (files, problems) = discover(&root, config);
        self.no_content = None;
        for d in problems.0 {
            if d.path == Path::new(CONTENT_DIR) {
                self.no_content = Some(d);
            } else {
                let stamp = stamp(&root.join(&d.path));
                let state = State::Misplaced(d);
                self.slots.insert(state_path(&state), Slot { stamp, state });
            }
        }
        for f in &files {
            self.add_target(f);
        }
        self.duplicates = duplicates(&files);
        self.load_files(files);
    }

    /// Reads `archive.lock` again.
    pub fn reload_lock(&mut self) {
        self.lock_stamp = stamp(&self.opts.root.join(LOCK_FILE));
        self.lock = Lock::read(&self.opts.root);
    }

    /// What changed on disk since each file was last read, by stamps alone (no file is read,
    /// so this makes no watcher events).
    pub fn reconcile(&self) -> Stale {
        let root = &self.opts.root;
        let mut stale = Stale {
            config: self.config.is_err() || stamp(&root.join(CONFIG_FILE)) != self.config_stamp,
            lock: stamp(&root.join(LOCK_FILE)) != self.lock_stamp,
            content: BTreeSet::new(),
        };
        if stale.config {
            return stale;
        }
        let now: BTreeSet<PathBuf> = report_files_under(root, &root.join(CONTENT_DIR))
            .into_iter()
            .collect();
        for path in &now {
            if self.slots.get(path).and_then(|s| s.stamp) != stamp(&root.join(path)) {
                stale.content.insert(path.clone());
            }
        }
        let gone = self.slots.keys().filter(|p| !now.contains(*p));
        stale.content.extend(gone.cloned());
        if !root.join(CONTENT_DIR).is_dir() {
            stale.content.insert(PathBuf::from(CONTENT_DIR));
        }
        stale
    }

    /// Reloads the report files at or under `paths` (relative to the root), present or gone,
    /// and the reports whose links to them changed meaning.
    pub fn reload_paths(&mut self, paths: &BTreeSet<PathBuf>) -> Reloaded {
        let Ok(config) = self.config.clone() else {
            return Reloaded::default();
        };
        let root = self.opts.root.clone();
        let touched = self.files_at(paths);
        self.no_content = None;
        if !root.join(CONTENT_DIR).is_dir() {
            self.no_content = discover(&root, &config).1.0.into_iter().next();
        }
        let mut reloaded = Reloaded::default();
        let mut to_load = Vec::new();
        let mut placement_changed = false;
        let (mut lost, mut gained) = (BTreeSet::new(), BTreeSet::new());
        for rel in &touched {
            reloaded.paths.insert(rel.clone());
            let old = self.slots.remove(rel).map(|s| s.state);
            if let Some(State::Placed { file, .. }) = &old {
                reloaded.keys.insert(file.key());
                if self.remove_target(file) {
                    lost.insert(file.id());
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
            match place(&root, &full, &config) {
                Err(d) => {
                    placement_changed = true;
                    let stamp = stamp(&full);
                    let state = State::Misplaced(d);
                    self.slots.insert(rel.clone(), Slot { stamp, state });
                }
                Ok(file) => {
                    placement_changed |=
                        !matches!(&old, Some(State::Placed { file: f, .. }) if *f == file);
                    if self.add_target(&file) {
                        gained.insert(file.id());
                    }
                    reloaded.keys.insert(file.key());
                    to_load.push(file);
                }
            }
        }
        // A target removed and added back in the same burst changed nothing.
        let gained_any = gained.iter().any(|t| !lost.contains(t));
        lost.retain(|t| !self.target_count.contains_key(t));
        for file in self.linked_to(&touched, &lost, gained_any) {
            reloaded.paths.insert(file.shown.clone());
            reloaded.keys.insert(file.key());
            to_load.push(file);
        }
        if placement_changed {
            let mut files: Vec<SourceFile> = self
                .placed()
                .map(|(file, _)| file.clone())
                .chain(to_load.iter().cloned())
                .collect();
            files.sort();
            files.dedup();
            self.duplicates = duplicates(&files);
        }
        self.load_files(to_load);
        reloaded
    }

    /// Every problem a build of the current files reports before rendering, sorted: the
    /// configuration, each file, duplicates, links to drafts left out, `archive.lock` and the
    /// frozen reports (checked once every file loads).
    pub fn problems(&self) -> Diagnostics {
        if let Err(d) = &self.config {
            return d.clone();
        }
        let mut content = Diagnostics::default();
        content.extend(self.no_content.iter().cloned());
        for slot in self.slots.values() {
            match &slot.state {
                State::Misplaced(d) => content.push(d.clone()),
                State::Placed {
                    load: Load::Failed(ds),
                    ..
                } => content.extend(ds.iter().cloned()),
                State::Placed { .. } => {}
            }
        }
        content.extend(self.duplicates.iter().cloned());
        content.extend(self.links_to_drafts());
        let mut all = Diagnostics::default();
        match &self.lock {
            Ok(lock) if content.is_empty() => {
                let reports = self.reports();
                all.extend(lock.verify(&self.opts.root, &reports, self.opts.drafts).0);
            }
            Ok(_) => {}
            Err(d) => all.extend(d.iter().cloned()),
        }
        all.extend(content.0);
        all.sorted()
    }

    /// The reports a build publishes (drafts only with `--drafts`), in path order.
    pub fn reports(&self) -> Vec<Arc<Report>> {
        self.published().map(|(_, r)| Arc::clone(r)).collect()
    }

    /// The published report loaded from `path` (relative to the root), if any.
    pub fn report_at(&self, path: &Path) -> Option<&Arc<Report>> {
        match &self.slots.get(path)?.state {
            State::Placed {
                load: Load::Loaded { report, .. },
                ..
            } if self.shown(report) => Some(report),
            _ => None,
        }
    }

    fn shown(&self, report: &Report) -> bool {
        self.opts.drafts || !report.draft
    }

    fn published(&self) -> impl Iterator<Item = (&SourceFile, &Arc<Report>)> {
        self.placed().filter_map(|(file, load)| match load {
            Load::Loaded { report, .. } if self.shown(report) => Some((file, report)),
            _ => None,
        })
    }

    fn placed(&self) -> impl Iterator<Item = (&SourceFile, &Load)> {
        self.slots.values().filter_map(|s| match &s.state {
            State::Placed { file, load } => Some((file, load)),
            State::Misplaced(_) => None,
        })
    }

    /// A published report must not link to a draft the build leaves out.
    fn links_to_drafts(&self) -> Vec<Diagnostic> {
        if self.opts.drafts {
            return Vec::new();
        }
        let drafts: HashSet<ReportId> = self
            .placed()
            .filter_map(|(file, load)| match load {
                Load::Loaded { report, .. } if report.draft => Some(file.id()),
                _ => None,
            })
            .collect();
        if drafts.is_empty() {
            return Vec::new();
        }
        self.placed()
            .filter_map(|(_, load)| match load {
                Load::Loaded { report, links, .. } if !report.draft => Some(links),
                _ => None,
            })
            .flatten()
            .filter(|l| drafts.contains(&l.target))
            .map(|l| l.if_draft.clone())
            .collect()
    }

    /// The report files at or under `paths`: those known, and those on disk now.
    fn files_at(&self, paths: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let root = &self.opts.root;
        let mut files = BTreeSet::new();
        for rel in paths {
            let known = self
                .slots
                .range(rel.clone()..)
                .take_while(|(k, _)| k.starts_with(rel));
            files.extend(known.map(|(k, _)| k.clone()));
            let full = root.join(rel);
            if std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir()) {
                files.extend(report_files_under(root, &full));
            } else {
                files.insert(rel.clone());
            }
        }
        files
    }

    /// Files outside `touched` to load again: those linking to a report that is gone now
    /// (they fail), and, when a report was added, those that failed (perhaps for want of it).
    fn linked_to(
        &self,
        touched: &BTreeSet<PathBuf>,
        lost: &BTreeSet<ReportId>,
        gained_any: bool,
    ) -> Vec<SourceFile> {
        if lost.is_empty() && !gained_any {
            return Vec::new();
        }
        self.slots
            .iter()
            .filter(|(rel, _)| !touched.contains(*rel))
            .filter_map(|(_, slot)| match &slot.state {
                State::Placed { file, load } => {
                    let hit = match load {
                        Load::Loaded { links, .. } => {
                            links.iter().any(|l| lost.contains(&l.target))
                        }
                        Load::Failed(_) => gained_any,
                    };
                    hit.then(|| file.clone())
                }
                State::Misplaced(_) => None,
            })
            .collect()
    }

    /// Loads `files` in parallel into their slots.
    fn load_files(&mut self, files: Vec<SourceFile>) {
        let Ok(config) = &self.config else { return };
        let (md, targets) = (&self.md, &self.targets);
        let slots: Vec<(PathBuf, Slot)> = files
            .into_par_iter()
            .map(|file| {
                let stamp = stamp(&file.path);
                let load = match load_file(&file, config, md, targets) {
                    Ok(loaded) => Load::Loaded {
                        report: Arc::new(loaded.report),
                        html: loaded.html,
                        links: loaded.links,
                    },
                    Err(ds) => Load::Failed(ds),
                };
                let state = State::Placed { file, load };
                (state_path(&state), Slot { stamp, state })
            })
            .collect();
        self.slots.extend(slots);
    }

    /// Counts a file as its target; true when the target is new.
    fn add_target(&mut self, file: &SourceFile) -> bool {
        let id = file.id();
        let n = self.target_count.entry(id.clone()).or_insert(0);
        *n += 1;
        self.targets.reports.insert(id);
        *n == 1
    }

    /// Uncounts a file; true when no file is that target any more.
    fn remove_target(&mut self, file: &SourceFile) -> bool {
        let id = file.id();
        match self.target_count.get_mut(&id) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.target_count.remove(&id);
                self.targets.reports.remove(&id);
                true
            }
            None => false,
        }
    }
}

impl Bodies for ContentStore {
    fn html(&self, source_path: &Path) -> Option<&str> {
        match &self.slots.get(source_path)?.state {
            State::Placed {
                load: Load::Loaded { html, .. },
                ..
            } => Some(html),
            _ => None,
        }
    }
}

fn state_path(state: &State) -> PathBuf {
    match state {
        State::Misplaced(d) => d.path.clone(),
        State::Placed { file, .. } => file.shown.clone(),
    }
}

/// Two files that are the same (year, stem, language), e.g. `a.md` and `a.zh.md`.
fn duplicates(files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut seen: HashMap<(u16, &str, &str), &SourceFile> = HashMap::new();
    let mut problems = Vec::new();
    for f in files {
        if let Some(first) = seen.insert((f.year, &f.stem, &f.lang), f) {
            let (a, b) = if first.shown < f.shown {
                (first, f)
            } else {
                (f, first)
            };
            problems.push(
                Diagnostic::at_file(
                    &b.shown,
                    format!(
                        "duplicate report: `{}` is the same report ({} {} in `{}`)",
                        a.shown.display(),
                        f.year,
                        f.stem,
                        f.lang
                    ),
                )
                .with_hint("remove one of the two files, or give one another name"),
            );
        }
    }
    problems
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
