//! Preview: the report files of a [`LiveSite`] — reloading the ones an edit names (and those
//! whose links to them changed meaning), the link targets, the stamps that make up for lost
//! watcher events, and every problem a full build of the same files would report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use super::{LiveSite, Slot, State};
use crate::archive::{LOCK_FILE, Lock};
use crate::config::CONFIG_FILE;
use crate::content::{self, CONTENT_DIR, SourceFile, is_ignored};
use crate::diagnostics::Diagnostics;
use crate::model::{Report, ReportKey};
use crate::serve::classify::Plan;

/// A link from one report to another: (year, stem, language) of the target.
pub(super) type Target = (u16, String, String);

/// A file's modification time and length when it was last read: lost events are made up for
/// by comparing these ([`LiveSite::reconcile`]), which reads no file.
pub(super) type Stamp = (Option<SystemTime>, u64);

pub(super) fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok(), m.len()))
}

impl LiveSite {
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

    /// Reloads the report files at or under `paths` (relative to the root), present or gone.
    pub(super) fn reload_content(&mut self, paths: &BTreeSet<PathBuf>) {
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
    pub(super) fn load(&mut self, files: Vec<SourceFile>) {
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
    pub(super) fn add_target(&mut self, file: &SourceFile) -> bool {
        let t = target_of(file);
        let n = self.target_count.entry(t.clone()).or_insert(0);
        *n += 1;
        self.targets.reports.insert(t);
        *n == 1
    }

    /// Uncounts a file; true when no file is that target any more.
    pub(super) fn remove_target(&mut self, file: &SourceFile) -> bool {
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
    pub(super) fn problems(&self) -> Diagnostics {
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
    pub(super) fn frozen(&self, lock: &Lock) -> Vec<Report> {
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
}

pub(super) fn key_of(file: &SourceFile) -> ReportKey {
    ReportKey {
        year: file.year,
        stem: file.stem.clone(),
    }
}

pub(super) fn target_of(file: &SourceFile) -> Target {
    (file.year, file.stem.clone(), file.lang.clone())
}

/// What [`Site::new`] and [`Lock::verify`] check of a report, without its text.
pub(super) fn outline(r: &Report) -> Report {
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
pub(super) fn report_files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or(".")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".md"))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}
