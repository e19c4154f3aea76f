//! Load stage: what an edit changed — the store's files compared with the disk by stamps, and
//! the files an edit names loaded again with the reports whose links to them changed meaning.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ContentStore, Load, Reloaded, Slot, Stale, Stamp, State, stamp};
use crate::content::{SourceFile, discover, duplicates, is_report_path, place, report_files_under};
use crate::layout::{CONFIG_FILE, CONTENT_DIR, LOCK_FILE};
use crate::model::ReportId;
use crate::stamp::Under;

impl ContentStore {
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
        let now = report_files_under(root, &root.join(CONTENT_DIR));
        // Looked up by hash: a search of the ordered slots compares paths component by
        // component, and a build restored from its cache does it for every file.
        let stamps: HashMap<&Path, Option<Stamp>> = (self.slots.iter())
            .map(|(p, s)| (p.as_path(), s.stamp))
            .collect();
        // Stamped in parallel: a build restored from its cache stats every file here.
        let under = Under::open(root);
        let changed: Vec<&PathBuf> = (now.par_iter())
            .filter(|path| {
                stamps.get(path.as_path()).copied().flatten() != stamp_below(&under, root, path)
            })
            .collect();
        stale.content.extend(changed.into_iter().cloned());
        let now: HashSet<&Path> = now.iter().map(PathBuf::as_path).collect();
        let gone = self.slots.keys().filter(|p| !now.contains(p.as_path()));
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
            // The same test as `discover`: a symbolic link is placed (and refused) there too.
            if !is_report_path(&full) {
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
        lost.retain(|t| !self.targets.reports.contains_key(t));
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

    /// Counts a file as its target; true when the target is new.
    pub(super) fn add_target(&mut self, file: &SourceFile) -> bool {
        let id = file.id();
        let n = self.targets.reports.entry(id).or_insert(0);
        *n += 1;
        *n == 1
    }

    /// Uncounts a file; true when no file is that target any more.
    fn remove_target(&mut self, file: &SourceFile) -> bool {
        let id = file.id();
        match self.targets.reports.get_mut(&id) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.targets.reports.remove(&id);
                true
            }
            None => false,
        }
    }
}

/// The stamp of `path` (relative to `root`), looked up from `root` ([`Under`]) when it is UTF-8.
fn stamp_below(under: &Under, root: &Path, path: &Path) -> Option<Stamp> {
    match path.to_str() {
        Some(rel) if path.is_relative() => under.stamp(rel),
        _ => stamp(&root.join(path)),
    }
}
