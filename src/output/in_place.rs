//! Write stage: a rebuild over gongkai's own output updates it in place, still all or nothing
//! (README, "Deploying `public/`"; ARCHITECTURE "Decisions"). Only the files whose bytes
//! changed were staged; once the whole build succeeded, a journal (`journal.rs`) lists the
//! renames and deletions, then they are made in the output, and the journal goes last. A build
//! killed in between leaves the journal, and the next build rolls the update forward before it
//! does anything else, so the output never stays a mix of two builds. Unchanged files are not
//! touched: they keep their inode and modification time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rustc_hash::FxHashSet;

use super::apply::{apply, folders_holding, join_dir, parent_of};
use super::folder::{self, KEPT};
use super::foreign;
use super::journal::{self, FolderTime, Plan};
use super::lock::try_lock;
use super::reuse::{Change, Changes, join};
use super::{OutputError, io};

/// Whether a build into `out` updates it in place: it is a folder gongkai wrote. An absent or
/// empty folder, or one replaced with `--force`, is built beside and swapped in whole.
pub fn applies(out: &Path) -> bool {
    std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir()) && folder::is_ours(out)
}

/// Finishes the update a killed build left in `out` (its journal beside it), if any: the
/// staged files of that build were all complete before its journal existed. Call with the
/// output locked. Without an output folder the journal is only removed.
pub fn roll_forward(parent: &Path, name: &str, out: &Path) -> Result<(), OutputError> {
    let Some(plan) = journal::read(parent, name)? else {
        return Ok(());
    };
    let staging = parent.join(&plan.staging);
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir()) {
        apply(out, &staging, &plan)?;
    }
    folder::remove_dir_if_exists(&staging)?;
    journal::remove(parent, name)
}

/// [`roll_forward`] for a command about to write `out` (`build`, before loading the site), with
/// the lock taken and released here. When another build holds the lock, this does not wait:
/// that build is applying the journal or rolls it forward itself, and this one rolls it
/// forward (or finds it gone) once [`publish`](super::publish) gets the lock, saying it waits.
pub fn recover(out: &Path) -> Result<(), OutputError> {
    let (parent, name) = folder::place(out);
    if std::fs::symlink_metadata(journal::path(&parent, &name)).is_err() {
        return Ok(());
    }
    let _lock = match std::fs::symlink_metadata(out) {
        Ok(m) if m.is_dir() => match try_lock(out)? {
            Some(lock) => Some(lock),
            None => return Ok(()),
        },
        _ => None,
    };
    roll_forward(&parent, &name, out)
}

/// Publishes the update `plan` (its files staged in `staging`) over `out`, which is locked:
/// the staged files synced, the journal written, the plan applied, the staging folder and the
/// journal removed, the journal last.
pub fn commit(out: &Path, staging: &Path, plan: &Plan) -> Result<(), OutputError> {
    let moves = [&plan.renames, &plan.deletions, &plan.folders];
    if moves.iter().all(|m| m.is_empty()) && plan.foreign.is_empty() {
        // Nothing changed (a build without edits): no journal needed.
        return folder::remove_dir_if_exists(staging);
    }
    let (parent, name) = folder::place(out);
    // Every staged file complete on disk before the journal says to move it.
    let mut staged: Vec<PathBuf> = plan.renames.iter().map(|p| join(staging, p)).collect();
    let folders = folders_holding(plan.renames.iter().map(String::as_str));
    staged.extend(folders.iter().map(|d| join(staging, d)));
    staged.push(staging.to_path_buf());
    journal::sync(&staged, staging).map_err(io(staging))?;
    journal::write(&parent, &name, plan)?;
    apply(out, staging, plan)?;
    folder::remove_dir_if_exists(staging)?;
    journal::remove(&parent, &name)
}

/// The update that makes `out` the new build staged in `staging`: `changed` (added and
/// modified files, staged) and `written` (every file of the build) against the files now in
/// `out`; with what was added, changed and removed.
pub fn plan(
    out: &Path,
    staging: &Path,
    listing: Listing,
    mut changed: BTreeMap<String, Change>,
    written: &BTreeSet<String>,
) -> Result<(Plan, Changes), OutputError> {
    let Listing {
        files,
        dirs,
        foreign,
        foreign_files,
    } = listing;
    stage_linked(out, staging, &files, &mut changed, written)?;
    let staging = staging
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let in_build: FxHashSet<&str> = written.iter().map(String::as_str).collect();
    let deletions: Vec<String> = (files.into_iter())
        .filter(|f| !in_build.contains(f.as_str()))
        .collect();
    let kept_dirs = folders_holding(written.iter().map(String::as_str));
    let mut folders: Vec<String> = (dirs.iter())
        .filter(|d| !kept_dirs.contains(d.as_str()))
        .cloned()
        .collect();
    folders.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    // A folder whose entries change names gets the time of the update; one whose files were
    // only replaced keeps its time, as it would have if they had been rewritten where they are.
    let foreign_parents: Vec<String> = foreign.iter().map(|r| foreign::parent(r)).collect();
    let mut renamed: BTreeSet<&str> = (deletions.iter().chain(&folders))
        .map(|p| parent_of(p))
        .chain(foreign_parents.iter().map(String::as_str))
        .collect();
    let mut replaced = BTreeSet::new();
    for (path, change) in &changed {
        match change {
            Change::Modified => replaced.insert(parent_of(path)),
            _ => renamed.insert(gaining(path, &dirs)),
        };
    }
    let times = (replaced.difference(&renamed))
        .filter_map(|d| folder_time(out, d))
        .collect();
    // New files first: only the changed pages and `meta.js` name them, and those come after,
    // so a page being served never names a file not there yet (README, "How a rebuild is
    // published").
    let (added, modified): (Vec<_>, Vec<_>) = (changed.iter())
        .map(|(path, c)| (path.clone(), *c))
        .partition(|(_, c)| *c == Change::Added);
    let renames = added.into_iter().chain(modified).map(|(p, _)| p).collect();

    for path in &deletions {
        changed.insert(path.clone(), Change::Deleted);
    }
    // Listed as best it can be (README, "How a rebuild is published").
    for path in foreign_files {
        changed.entry(path).or_insert(Change::Deleted);
    }
    let plan = Plan {
        staging,
        renames,
        deletions,
        folders,
        foreign,
        times,
    };
    Ok((plan, Changes(changed)))
}

/// A file the build found unchanged but only through a symbolic link of the old output (a
/// folder linked from elsewhere) is not in the listing: the link is removed with the other
/// files the build did not write, so the file is staged too, copied from where the link led.
fn stage_linked(
    out: &Path,
    staging: &Path,
    files: &[String],
    changed: &mut BTreeMap<String, Change>,
    written: &BTreeSet<String>,
) -> Result<(), OutputError> {
    let listed: FxHashSet<&str> = files.iter().map(String::as_str).collect();
    for path in written {
        if listed.contains(path.as_str()) || changed.contains_key(path) {
            continue;
        }
        let to = join(staging, path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::copy(join(out, path), &to).map_err(io(&to))?;
        changed.insert(path.clone(), Change::Modified);
    }
    Ok(())
}

/// The files and the folders of an output, by `/`-separated path; and what it holds under
/// names that are not UTF-8 (`foreign.rs`).
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<String>,
    pub dirs: BTreeSet<String>,
    /// The first part not UTF-8 of each such path, as bytes: removed whole.
    pub foreign: Vec<Vec<u8>>,
    /// Every file among them, for the list of changes, U+FFFD for what is not UTF-8.
    pub foreign_files: Vec<String>,
}

/// Every file and folder under `out` as `/`-separated paths, leaving out the deploy metadata
/// at the top ([`KEPT`]). Symbolic links count as files: the build never writes one, so one
/// found is removed, as before. So does a name that is not UTF-8 (no build writes one).
pub fn walk(out: &Path) -> Listing {
    let mut listing = Listing::default();
    walk_below(out, Path::new(""), &mut listing);
    listing
}

/// Adds everything below `rel` (a folder of `out`, `""` for `out` itself) to `listing`.
pub fn walk_below(out: &Path, rel: &Path, listing: &mut Listing) {
    let at_top = rel.as_os_str().is_empty();
    let entries = walkdir::WalkDir::new(out.join(rel))
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !at_top || e.depth() != 1 || !KEPT.iter().any(|k| e.file_name() == *k));
    for entry in entries.filter_map(Result::ok) {
        if let Ok(rel) = entry.path().strip_prefix(out) {
            listing.add(rel, entry.file_type().is_dir());
        }
    }
}

impl Listing {
    /// Adds the entry `rel` (a path under the output); returns its `/`-separated path when it
    /// is UTF-8.
    pub fn add(&mut self, rel: &Path, is_dir: bool) -> Option<String> {
        let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
        let Some(path) = parts.map(|p| p.join("/")) else {
            self.foreign.extend(foreign::root(rel));
            if cfg!(unix) && !is_dir {
                self.foreign_files.push(foreign::lossy(rel));
            }
            return None;
        };
        if is_dir {
            self.dirs.insert(path.clone());
        } else {
            self.files.push(path.clone());
        }
        Some(path)
    }
}

/// The folder that gains a name when `path` is added: its deepest folder that exists already.
fn gaining<'a>(path: &'a str, dirs: &BTreeSet<String>) -> &'a str {
    let mut folder = parent_of(path);
    while !folder.is_empty() && !dirs.contains(folder) {
        folder = parent_of(folder);
    }
    folder
}

fn folder_time(out: &Path, dir: &str) -> Option<FolderTime> {
    let since = std::fs::metadata(join_dir(out, dir))
        .and_then(|m| m.modified())
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?;
    Some(FolderTime {
        folder: dir.to_string(),
        secs: since.as_secs(),
        nanos: since.subsec_nanos(),
    })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;
    use crate::output::{DirSink, MARKER, Publish, Sink, publish};

    fn tree(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = walk(dir).files;
        all.extend(
            KEPT.iter()
                .filter(|k| dir.join(k).exists())
                .map(|k| k.to_string()),
        );
        all.sort();
        all
    }

    #[test]
    fn a_file_may_become_a_folder_and_a_folder_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = |s: &DirSink| {
            s.put("a", b"file".to_vec())?;
            s.put("b/c.html", b"c".to_vec())?;
            s.put("keep.html", b"k".to_vec())
        };
        publish::<_, OutputError>(&out, &Publish::default(), first).unwrap();
        std::fs::write(out.join("CNAME"), "x.example").unwrap();
        let inode = std::fs::metadata(out.join("keep.html")).unwrap().ino();
        assert!(applies(&out));
        let second = |s: &DirSink| {
            s.put("a/x.html", b"x".to_vec())?;
            s.put("b", b"file".to_vec())?;
            s.put("keep.html", b"k".to_vec())
        };
        let ((), changes) = publish::<_, OutputError>(&out, &Publish::default(), second).unwrap();
        assert_eq!(tree(&out), [MARKER, "CNAME", "a/x.html", "b", "keep.html"]);
        assert_eq!(std::fs::read(out.join("b")).unwrap(), b"file");
        assert_eq!(
            changes.to_text(),
            "D a\nA a/x.html\nM b\nD b/c.html\n",
            "a folder replaced by a file counts as changed"
        );
        assert_eq!(
            std::fs::metadata(out.join("keep.html")).unwrap().ino(),
            inode
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no staging folder or journal left");
    }

    #[test]
    fn new_files_move_in_before_the_pages_that_name_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("zh")).unwrap();
        for old in ["index.html", "zh/index.html", "zh/old.js"] {
            std::fs::write(dir.path().join(old), "old").unwrap();
        }
        let changed = BTreeMap::from([
            ("index.html".to_string(), Change::Modified),
            ("zh/index.html".to_string(), Change::Modified),
            ("zh/t/new.1234.js".to_string(), Change::Added),
            ("zh/new.5678.js".to_string(), Change::Added),
        ]);
        let written: BTreeSet<String> = changed.keys().cloned().collect();
        let staging = dir.path().join(".staging");
        let listing = walk(dir.path());
        let (plan, changes) = plan(dir.path(), &staging, listing, changed, &written).unwrap();
        assert_eq!(
            plan.renames,
            [
                "zh/new.5678.js",
                "zh/t/new.1234.js",
                "index.html",
                "zh/index.html"
            ]
        );
        assert_eq!(plan.deletions, ["zh/old.js"]);
        assert_eq!(changes.0.len(), 5);
        // The top folder's names stay; `zh/` gains and loses some.
        let timed: Vec<&str> = plan.times.iter().map(|t| t.folder.as_str()).collect();
        assert_eq!(timed, [""]);
    }

    #[test]
    fn nothing_is_written_through_a_link_in_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let put = |s: &DirSink| {
            s.put("a/same.html", b"same".to_vec())?;
            s.put("a/new.html", b"new".to_vec())
        };
        publish::<_, OutputError>(&out, &Publish::default(), put).unwrap();
        // Someone links `a` to a folder elsewhere holding the same file and an older page.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("same.html"), "same").unwrap();
        std::fs::write(elsewhere.join("new.html"), "old").unwrap();
        std::fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        publish::<_, OutputError>(&out, &Publish::default(), put).unwrap();
        assert!(std::fs::symlink_metadata(out.join("a")).unwrap().is_dir());
        assert_eq!(tree(&out), [MARKER, "a/new.html", "a/same.html"]);
        assert_eq!(std::fs::read(out.join("a/new.html")).unwrap(), b"new");
        assert_eq!(std::fs::read(out.join("a/same.html")).unwrap(), b"same");
        assert_eq!(std::fs::read(elsewhere.join("new.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 2);
    }

    #[test]
    fn a_failed_build_stages_but_never_touches_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let put = |s: &DirSink| s.put("a.html", b"1".to_vec());
        publish::<_, OutputError>(&out, &Publish::default(), put).unwrap();
        let r = publish::<(), OutputError>(&out, &Publish::default(), |s| {
            s.put("a.html", b"2".to_vec())?;
            s.put("b.html", b"2".to_vec())?;
            Err(OutputError::UnsafePath("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(tree(&out), [MARKER, "a.html"]);
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"1");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "staging folder removed");
    }
}
