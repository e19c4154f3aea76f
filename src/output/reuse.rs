//! Write stage: a rebuild keeps every file whose bytes did not change (README, "Deploying
//! `public/`"). A staged file equal to the one at its path in the previous output is a hard link
//! to it, so it keeps its inode and modification time and `rsync -a` (or any tool comparing size
//! and time) uploads only what changed; a folder whose entries are the same names as before gets
//! its old modification time back. What was added, changed and removed is recorded for
//! `build --changes`.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::foreign;
use super::{OutputError, io};

/// What happened to one output file, against the previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

impl Change {
    /// The letter `build --changes` writes before the path.
    pub fn letter(self) -> char {
        match self {
            Change::Added => 'A',
            Change::Modified => 'M',
            Change::Deleted => 'D',
        }
    }
}

/// The output files that differ from the previous output, by `/`-separated path; files kept as
/// they were are not listed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes(pub BTreeMap<String, Change>);

impl Changes {
    /// One line per file, `A path`, `M path` or `D path`, sorted by path (README, "Deploying
    /// `public/`"). Paths are UTF-8 and `/`-separated as in the output.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|(path, c)| format!("{} {path}\n", c.letter()))
            .collect()
    }
}

/// The previous output a staging folder is compared with, and what the comparison found.
#[derive(Debug)]
pub struct Reuse {
    /// The output being replaced, when there is one.
    previous: Option<PathBuf>,
    /// The previous output is updated in place (`in_place.rs`): a file whose bytes are the same
    /// is not staged at all, only the changed ones are.
    in_place: bool,
    changed: Mutex<BTreeMap<String, Change>>,
    /// Every path written, to find what was removed.
    written: Mutex<BTreeSet<String>>,
    /// The staged folders made so far: a site's 46,000 files live in 20,000 folders, and
    /// asking the file system to make an existing one costs two system calls per file.
    made: Mutex<HashSet<PathBuf>>,
}

impl Reuse {
    pub fn new(previous: Option<PathBuf>, in_place: bool) -> Reuse {
        Reuse {
            previous,
            in_place,
            changed: Mutex::default(),
            written: Mutex::default(),
            made: Mutex::default(),
        }
    }

    /// Writes `bytes` at `full` (the staged file for output path `path`), as a hard link to the
    /// previous output's file when its bytes are the same; falls back to writing when linking
    /// fails (another file system). In place, a file whose bytes are the same is not written.
    pub fn put(&self, path: &str, full: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let old = self.previous.as_ref().map(|p| join(p, path));
        let change = match old.as_deref().map(|old| same_file(old, bytes)) {
            Some(Same::Yes) if self.in_place => None,
            Some(Same::Yes) => {
                self.make_parent(full)?;
                let old = old.as_deref().unwrap_or(full);
                if std::fs::hard_link(old, full).is_err() {
                    std::fs::write(full, bytes).map_err(io(full))?;
                }
                None
            }
            Some(Same::Differs) => Some(Change::Modified),
            Some(Same::Absent) | None => Some(Change::Added),
        };
        if let Some(change) = change {
            self.make_parent(full)?;
            std::fs::write(full, bytes).map_err(io(full))?;
            lock(&self.changed).insert(path.to_string(), change);
        }
        lock(&self.written).insert(path.to_string());
        Ok(())
    }

    /// Keeps the previous output's file at `path` (to be staged under `staging`): in place it
    /// is simply not touched; a folder swapped in whole gets a hard link to it (a copy where
    /// linking fails).
    pub fn keep(&self, path: &str, staging: &Path) -> Result<(), OutputError> {
        let previous =
            (self.previous.as_ref()).ok_or_else(|| OutputError::NotKept(path.to_string()))?;
        // In place the caller found the file as it published it when this build began
        // (`cache/records.rs`); one removed since is found by the next build's check. Its
        // paths are not even made: a build without edits keeps every file.
        if !self.in_place {
            let (old, full) = (join(previous, path), join(staging, path));
            if !std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file()) {
                return Err(OutputError::NotKept(path.to_string()));
            }
            self.make_parent(&full)?;
            if std::fs::hard_link(&old, &full).is_err() {
                std::fs::copy(&old, &full).map_err(io(&full))?;
            }
        }
        lock(&self.written).insert(path.to_string());
        Ok(())
    }

    /// The staged file's folders: made only for a file that is staged, so an update in place
    /// stages no folder for the files it keeps.
    fn make_parent(&self, full: &Path) -> Result<(), OutputError> {
        let Some(parent) = full.parent() else {
            return Ok(());
        };
        if lock(&self.made).contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        lock(&self.made).insert(parent.to_path_buf());
        Ok(())
    }

    /// What was staged for an update in place: the files added or changed, and every path
    /// written (the files not listed there are removed, `in_place.rs`).
    pub fn into_parts(self) -> (BTreeMap<String, Change>, BTreeSet<String>) {
        let changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        (changed, written)
    }

    /// Once everything is staged: records the previous output's files that the build did not
    /// write as removed (except `skip`, the deploy metadata carried over), and gives each staged
    /// folder whose entries have the same names as before its old modification time.
    pub fn finish(self, staging: &Path, skip: &[&str]) -> Result<Changes, OutputError> {
        let mut changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(previous) = &self.previous {
            for path in files_under(previous, skip) {
                if !written.contains(&path) {
                    changed.insert(path, Change::Deleted);
                }
            }
            keep_folder_times(previous, staging, skip)?;
        }
        Ok(Changes(changed))
    }
}

enum Same {
    Yes,
    Differs,
    Absent,
}

/// Whether the regular file at `old` holds exactly `bytes`: its length first, so a changed
/// file is rarely read.
fn same_file(old: &Path, bytes: &[u8]) -> Same {
    match std::fs::symlink_metadata(old) {
        Ok(m) if m.is_file() => {
            if m.len() == bytes.len() as u64 && std::fs::read(old).is_ok_and(|b| b == bytes) {
                Same::Yes
            } else {
                Same::Differs
            }
        }
        Ok(_) => Same::Differs,
        Err(_) => Same::Absent,
    }
}

pub fn join(dir: &Path, path: &str) -> PathBuf {
    path.split('/')
        .fold(dir.to_path_buf(), |d, part| d.join(part))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every file under `dir`, as `/`-separated paths, leaving out the top-level names in `skip`.
/// Symbolic links count as files (the build never writes one, so one found is removed); a
/// name that is not UTF-8 is written with U+FFFD (`foreign.rs`).
fn files_under(dir: &Path, skip: &[&str]) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            e.depth() != 1
                || !skip
                    .iter()
                    .any(|s| e.file_name() == std::ffi::OsStr::new(s))
        })
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
            // A name that is not UTF-8 goes with the old folder too: listed as best it can be.
            Some(parts.map_or_else(|| foreign::lossy(rel), |p| p.join("/")))
        })
        .collect()
}

/// Gives every folder of `new` whose entries have the same names as the same folder of `old`
/// the old folder's modification time: on disk, rewriting files in place would not have
/// changed it, so `rsync -a` should not see it as changed either. At the top, the names in
/// `skip` (deploy metadata, moved from the old folder to the new one) are left out of the
/// comparison. Setting a folder's time does not change its parent's, so the order is free.
fn keep_folder_times(old: &Path, new: &Path, skip: &[&str]) -> Result<(), OutputError> {
    for entry in walkdir::WalkDir::new(new)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(new) else {
            continue;
        };
        let before = old.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&before) else {
            continue;
        };
        let skip = if entry.depth() == 0 { skip } else { &[] };
        if !meta.is_dir() || names(&before, skip) != names(entry.path(), skip) {
            continue;
        }
        if let Ok(time) = meta.modified() {
            let dir = std::fs::File::open(entry.path()).map_err(io(entry.path()))?;
            dir.set_modified(time).map_err(io(entry.path()))?;
        }
    }
    Ok(())
}

fn names(dir: &Path, skip: &[&str]) -> BTreeSet<std::ffi::OsString> {
    let kept = |n: &std::ffi::OsString| !skip.iter().any(|s| n == std::ffi::OsStr::new(s));
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name())
                .filter(kept)
                .collect()
        })
        .unwrap_or_default()
}
