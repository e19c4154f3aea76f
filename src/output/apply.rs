//! Write stage: an update in place made in the output (README, "How a rebuild is published";
//! ARCHITECTURE "Decisions"): the renames of a [`Plan`], new files first, then the deletions,
//! the names that are not UTF-8, the emptied folders, the folder times, and a sync, so the journal may go. Every step may run
//! again after a cut at any point (a roll-forward), and nothing is written through a symbolic
//! link of the old output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use rustc_hash::FxHashSet;

use super::foreign;
use super::journal::{self, FolderTime, Plan};
use super::reuse::join;
use super::{OutputError, io};

/// Makes the update `plan` over `out`. Safe to run again after it was cut off at any point:
/// a staged file already moved is skipped, a file already removed too. A staged file whose
/// place is taken by a folder (or under a file) of the old output is moved after the deletions.
pub fn apply(out: &Path, staging: &Path, plan: &Plan) -> Result<(), OutputError> {
    let (mut deferred, mut real) = (Vec::new(), BTreeSet::new());
    for path in &plan.renames {
        let from = join(staging, path);
        if std::fs::symlink_metadata(&from).is_ok()
            && move_into(out, path, &from, &mut real).is_err()
        {
            deferred.push((from, path));
        }
    }
    for path in &plan.deletions {
        let file = join(out, path);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&file)(e)),
            _ => {}
        }
    }
    for raw in &plan.foreign {
        foreign::remove(out, raw)?;
    }
    for dir in &plan.folders {
        // Only once empty: a folder that gained a file since it was listed stays.
        let _ = std::fs::remove_dir(join(out, dir));
    }
    for (from, path) in deferred {
        let to = join(out, path);
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir(&to).map_err(io(&to))?;
        }
        move_into(out, path, &from, &mut real).map_err(io(&to))?;
    }
    for time in &plan.times {
        set_folder_time(out, time)?;
    }
    // The renames durable before the journal goes.
    let foreign_parents: Vec<String> = plan.foreign.iter().map(|r| foreign::parent(r)).collect();
    let touched: BTreeSet<&str> = (plan.renames.iter())
        .chain(&plan.deletions)
        .chain(&plan.folders)
        .map(|p| parent_of(p))
        .chain(foreign_parents.iter().map(String::as_str))
        .collect();
    // A folder emptied and removed is synced through its parent, which is in the list too.
    let dirs: Vec<PathBuf> = (touched.iter())
        .map(|d| join_dir(out, d))
        .filter(|d| d.is_dir())
        .collect();
    journal::sync(&dirs, out).map_err(io(out))
}

/// Moves the staged file `from` to `path` in `out`, making its folders, never through a
/// symbolic link: a folder on the way that is not a real folder (a link, a file of the old
/// output) is an error, and the move waits for the deletions to remove it. So nothing is ever
/// written outside the output. `real` remembers the folders already checked.
fn move_into(
    out: &Path,
    path: &str,
    from: &Path,
    real: &mut BTreeSet<String>,
) -> std::io::Result<()> {
    let mut dir = out.to_path_buf();
    for folder in ancestors(path) {
        dir.push(folder.rsplit('/').next().unwrap_or(folder));
        if real.contains(folder) {
            continue;
        }
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(std::io::ErrorKind::NotADirectory.into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&dir)?,
            Err(e) => return Err(e),
        }
        real.insert(folder.to_string());
    }
    std::fs::rename(from, join(out, path))
}

/// The folders a path lies in, `a/b/c.html` → `a/b`, `a`; not the output itself.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(_, c)| c == '/')
        .map(move |(i, _)| &path[..i])
}

/// Every folder that holds one of `paths`, the output itself left out. A hash set: at 10,000
/// pairs that is 140,000 ancestors of 46,000 paths, too many for ordered inserts.
pub fn folders_holding<'a>(paths: impl Iterator<Item = &'a str>) -> FxHashSet<&'a str> {
    paths.flat_map(ancestors).collect()
}

/// The folder a path lies in; `""` for the output itself.
pub fn parent_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

pub fn join_dir(out: &Path, dir: &str) -> PathBuf {
    if dir.is_empty() {
        out.to_path_buf()
    } else {
        join(out, dir)
    }
}

fn set_folder_time(out: &Path, time: &FolderTime) -> Result<(), OutputError> {
    let dir = join_dir(out, &time.folder);
    let when = UNIX_EPOCH + Duration::new(time.secs, time.nanos);
    match std::fs::File::open(&dir) {
        Ok(f) => f.set_modified(when).map_err(io(&dir)),
        // Gone since (a roll-forward after the folder was removed by hand): nothing to keep.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(&dir)(e)),
    }
}
