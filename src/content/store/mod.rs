//! Load stage: the [`ContentStore`], the one loader of a site's files. `build` loads everything
//! once ([`ContentStore::load`]); `serve` keeps the store between edits and reloads the files
//! an edit names ([`ContentStore::reload_paths`]), with the reports whose links to them changed
//! meaning. Either way the same rules run on the same state, so both report the same problems
//! and give the same reports (ARCHITECTURE.md, "The content store").
//!
//! It owns each report file's last load (stamp, report, body, links, or its problems), the link
//! targets between reports, duplicate files, links from published reports to drafts, the
//! configuration and `archive.lock` with the frozen-report check.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

mod cached;
pub use cached::CachedFile;
mod links;
pub use links::LinkProblem;
mod reload;

use super::markdown::{self, BodyLink, LinkTargets, ReportLink};
use super::source;
use super::{SourceFile, discover, duplicates, load_file};
use crate::archive::lock::Lock;
use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::layout::{CONFIG_FILE, CONTENT_DIR, LOCK_FILE};
use crate::model::{Bodies, Report, ReportId, ReportKey};
use crate::options::BuildOptions;
pub use crate::stamp::{Stamp, stamp};

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

/// A loaded report's body: its HTML, or, restored from the build cache (`cached.rs`), only
/// the ids its page gives (all the link checker needs) until [`ContentStore::load_bodies`]
/// loads the file again for a page that shows it.
enum Body {
    Html(String),
    Ids(Vec<String>),
}

enum Load {
    Loaded {
        report: Arc<Report>,
        body: Body,
        /// Its body's links to other reports.
        links: Vec<ReportLink>,
        /// Its body's links within the site, for the link checker.
        body_links: Vec<BodyLink>,
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
        let Some(config) = self.start_loading() else {
            return;
        };
        let (files, problems) = discover(&root, &config);
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

    /// Reads the configuration and `archive.lock` again and forgets every report file; with
    /// the configuration, the Markdown options and link targets follow from it.
    fn start_loading(&mut self) -> Option<Config> {
        let root = &self.opts.root;
        self.config_stamp = stamp(&root.join(CONFIG_FILE));
        self.config = config::load(root, self.opts.base_url.as_deref());
        self.reload_lock();
        self.slots.clear();
        let config = self.config.as_ref().ok()?.clone();
        self.md = markdown::options(config.unsafe_html);
        self.targets = LinkTargets {
            default_lang: config.default_lang().to_string(),
            style: self.opts.link_style,
            base_url: config.base_url.clone(),
            ..Default::default()
        };
        Some(config)
    }

    /// Reads `archive.lock` again.
    pub fn reload_lock(&mut self) {
        self.lock_stamp = stamp(&self.opts.root.join(LOCK_FILE));
        self.lock = Lock::read(&self.opts.root);
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

    /// The drafts a build leaves out (none with `--drafts`), by source path in path order: the
    /// summary line names them, so a new report does not go missing silently.
    pub fn drafts_left_out(&self) -> Vec<std::path::PathBuf> {
        self.placed()
            .filter_map(|(_, load)| match load {
                Load::Loaded { report, .. } if !self.shown(report) => {
                    Some(report.source_path.clone())
                }
                _ => None,
            })
            .collect()
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
        let Ok(config) = &self.config else {
            return Vec::new();
        };
        if drafts.is_empty() {
            return Vec::new();
        }
        let mut problems = Vec::new();
        for (file, load) in self.placed() {
            let Load::Loaded { report, links, .. } = load else {
                continue;
            };
            let to_drafts: Vec<&ReportLink> = links
                .iter()
                .filter(|l| !report.draft && drafts.contains(&l.target))
                .collect();
            if to_drafts.is_empty() {
                continue;
            }
            // The text is read again for the excerpt: loaded reports keep no copy of it.
            match source::read_text(&file.path, &file.shown, &config.limits) {
                Ok(text) => {
                    problems.extend(to_drafts.iter().map(|l| l.to_draft(&file.shown, &text)))
                }
                Err(d) => problems.push(d),
            }
        }
        problems
    }

    /// Loads `files` in parallel into their slots.
    pub(super) fn load_files(&mut self, files: Vec<SourceFile>) {
        let Ok(config) = &self.config else { return };
        let (md, targets) = (&self.md, &self.targets);
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let slots: Vec<(PathBuf, Slot)> = super::read_ahead::while_reading(&paths, || {
            files
                .into_par_iter()
                // Short runs of files, so both threads finish together (`render_pages`).
                .with_max_len(32)
                .map(|file| {
                    let stamp = stamp(&file.path);
                    let load = match load_file(&file, config, md, targets) {
                        Ok(loaded) => Load::Loaded {
                            report: Arc::new(loaded.report),
                            body: Body::Html(loaded.html),
                            links: loaded.links,
                            body_links: loaded.body_links,
                        },
                        Err(ds) => Load::Failed(ds),
                    };
                    let state = State::Placed { file, load };
                    (state_path(&state), Slot { stamp, state })
                })
                .collect()
        });
        if self.slots.is_empty() {
            // Built in one go from the sorted files: inserting 20,000 paths one by one compared
            // them component by component, on one thread, for 70 ms.
            self.slots = slots.into_iter().collect();
        } else {
            self.slots.extend(slots);
        }
    }
}

impl Bodies for ContentStore {
    fn html(&self, source_path: &Path) -> Option<&str> {
        match &self.slots.get(source_path)?.state {
            State::Placed {
                load:
                    Load::Loaded {
                        body: Body::Html(html),
                        ..
                    },
                ..
            } => Some(html),
            _ => None,
        }
    }
}

/// The bodies of a store that is done loading: source path → HTML, and nothing else, so a
/// build rendering a large site does not keep the store's bookkeeping (stamps, paths, link
/// targets) alive beside its pages.
pub struct LoadedBodies(BTreeMap<PathBuf, String>);

impl ContentStore {
    pub fn into_bodies(self) -> LoadedBodies {
        let bodies = self
            .slots
            .into_iter()
            .filter_map(|(path, slot)| match slot.state {
                State::Placed {
                    load:
                        Load::Loaded {
                            body: Body::Html(html),
                            ..
                        },
                    ..
                } => Some((path, html)),
                _ => None,
            });
        LoadedBodies(bodies.collect())
    }
}

impl Bodies for LoadedBodies {
    fn html(&self, source_path: &Path) -> Option<&str> {
        self.0.get(source_path).map(String::as_str)
    }
}

fn state_path(state: &State) -> PathBuf {
    match state {
        State::Misplaced(d) => d.path.clone(),
        State::Placed { file, .. } => file.shown.clone(),
    }
}
