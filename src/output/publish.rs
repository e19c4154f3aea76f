//! Write stage: `build`'s output folder published all or nothing (README, "Deploying
//! `public/`"). The site is written into a staging folder beside the output and published only
//! when everything succeeded: swapped in as a whole for a new output, or moved into gongkai's
//! own output file by file under a journal (`in_place.rs`). An interrupted or failed build
//! removes its staging folder and leaves the old output as it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::folder::{self, KEPT, MARKER, MARKER_TEXT};
use super::lock::{self, OnWait};
use super::reuse::{Changes, Reuse};
use super::survey::{Known, survey};
use super::{DirSink, OutputError, Sink, io};
use super::{in_place, journal};
use crate::layout::{CACHE_DIR, SOURCE_DIRS};

/// How [`publish`] may treat the output folder.
#[derive(Debug, Clone, Default)]
pub struct Publish {
    /// Replace a folder gongkai did not write (`--force`).
    pub force: bool,
    /// Set when the build must stop (SIGINT, SIGTERM): checked before each file is written and
    /// before the swap.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Told once, before waiting, when another build holds the output's lock
    /// ([`lock::lock`]); the caller prints it (the library prints nothing).
    pub on_wait: Option<OnWait>,
}

impl Publish {
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }
}

/// [`publish`] replaces `out` as a whole, so `out` must not be the site root, one of its
/// parents, a folder of its sources (`--out content` would delete every report) or another
/// site; nor a file, nor a folder gongkai did not write unless `force`
/// ([`folder::check_replaceable`]).
pub fn check_out_dir(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    let (root, out_abs) = (folder::resolve(root), folder::resolve(out));
    let holds_a_site = out_abs.join("site.yaml").exists() || out_abs.join("content").is_dir();
    let refused = root.starts_with(&out_abs)
        || SOURCE_DIRS
            .iter()
            .chain([&CACHE_DIR])
            .any(|d| out_abs.starts_with(root.join(d)))
        || holds_a_site;
    if refused {
        return Err(OutputError::OutHoldsSources(out.to_path_buf()));
    }
    folder::check_replaceable(out, force)
}

/// Builds with `build` and publishes the result over `out`, all or nothing; returns what was
/// added, changed and removed. The files are written into a staging folder beside `out`;
/// when `build` fails or the build is cancelled, the staging folder is removed and `out` is
/// left exactly as it was.
///
/// Over a folder gongkai wrote, only the files whose bytes changed are staged, and the output
/// is updated in place under a journal (`in_place.rs`); an unfinished update of a killed build
/// is rolled forward first. Otherwise (no output yet, an empty folder, `--force` over another
/// folder) the staging folder is swapped in for `out` as a whole ([`swap_in`]). Staging folders
/// of builds that were killed are removed first ([`folder::remove_stale`]).
pub fn publish<T, E: From<OutputError>>(
    out: &Path,
    how: &Publish,
    build: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<(T, Changes), E> {
    let prepared = prepare(out, how)?;
    publish_prepared(out, how, prepared, build)
}

/// What [`prepare`] readied in the output before the site is built: the lock on it and, when it
/// is updated in place, its listing, made on a thread of its own while the site loads and
/// renders (on a 10,000-pair site a walk of the output takes a third of a second).
pub struct Prepared {
    _lock: Option<lock::Lock>,
    /// The output, when it is updated in place.
    in_place: Option<PathBuf>,
    listing: Option<std::thread::JoinHandle<in_place::Listing>>,
}

/// Readies `out` for [`publish_prepared`], before the site is loaded: takes its lock (so the
/// output stays as the build cache finds it until it is published), rolls forward an update a
/// killed build left, and removes stale staging folders.
pub fn prepare(out: &Path, how: &Publish) -> Result<Prepared, OutputError> {
    folder::check_replaceable(out, how.force)?;
    let (parent, name) = folder::place(out);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let in_place = in_place::applies(out);
    let lock = (in_place.then(|| lock::lock(out, how.on_wait.as_ref()))).transpose()?;
    in_place::roll_forward(&parent, &name, out)?;
    folder::remove_stale(&parent, &name)?;
    Ok(Prepared {
        _lock: lock,
        in_place: in_place.then(|| out.to_path_buf()),
        listing: None,
    })
}

impl Prepared {
    /// Starts listing the output, when it is updated in place, with what the last build
    /// recorded of it (`survey.rs`) or, without a record, by walking it all. Publishing starts
    /// it itself when it was not started before.
    pub fn start_listing(&mut self, known: Option<Known>) {
        let (Some(out), None) = (self.in_place.clone(), &self.listing) else {
            return;
        };
        self.listing = Some(std::thread::spawn(move || match known {
            Some(known) => survey(&out, &known),
            None => in_place::walk(&out),
        }));
    }
}

/// [`publish`] into the output `prepared` readied.
pub fn publish_prepared<T, E: From<OutputError>>(
    out: &Path,
    how: &Publish,
    prepared: Prepared,
    build: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<(T, Changes), E> {
    let mut prepared = prepared;
    prepared.start_listing(None);
    let Prepared { _lock, listing, .. } = prepared;
    let (parent, name) = folder::place(out);
    let (staging, old) = folder::work_dirs(&parent, &name, std::process::id());
    folder::remove_dir_if_exists(&staging)?;
    if how.cancelled() {
        return Err(OutputError::Interrupted(out.to_path_buf()).into());
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let previous = std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
    let in_place = listing.is_some();
    let sink = DirSink {
        dir: staging.clone(),
        cancel: how.cancel.clone(),
        reuse: Reuse::new(previous.then(|| out.to_path_buf()), in_place),
    };
    let built = build(&sink).and_then(|value| {
        if how.cancelled() {
            return Err(OutputError::Interrupted(out.to_path_buf()).into());
        }
        sink.put(MARKER, MARKER_TEXT.as_bytes().to_vec())?;
        Ok(value)
    });
    let value = match built {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let published = if let Some(listing) = listing {
        update_in_place(out, &staging, sink.reuse, listing, how)
    } else {
        swap_in(out, &staging, &old, sink.reuse)
    };
    match published {
        Ok(changes) => Ok((value, changes)),
        Err(e) => {
            // Before the journal exists nothing in `out` moved; after it, the next build
            // rolls the update forward, so the staging folder stays.
            if !journal::path(&parent, &name).exists() {
                let _ = std::fs::remove_dir_all(&staging);
            }
            Err(e.into())
        }
    }
}

/// The staged files moved into `out` under a journal ([`in_place::commit`]), unless the build
/// was cancelled before: the last moment to stop, past it the output is being changed.
fn update_in_place(
    out: &Path,
    staging: &Path,
    reuse: Reuse,
    listing: std::thread::JoinHandle<in_place::Listing>,
    how: &Publish,
) -> Result<Changes, OutputError> {
    let listing = listing.join().unwrap_or_else(|_| in_place::walk(out));
    let (changed, written) = reuse.into_parts();
    let (plan, changes) = in_place::plan(out, staging, listing, changed, &written)?;
    if how.cancelled() {
        return Err(OutputError::Interrupted(out.to_path_buf()));
    }
    in_place::commit(out, staging, &plan)?;
    Ok(changes)
}

/// A fresh build swapped in for `out` as a whole, carrying over the deploy metadata
/// ([`folder::KEPT`]). Files whose bytes are those of `out`'s file at the same path are hard
/// links to it (`reuse.rs`), so they keep their inode and time.
fn swap_in(out: &Path, staging: &Path, old: &Path, reuse: Reuse) -> Result<Changes, OutputError> {
    if std::fs::symlink_metadata(out).is_err() {
        let changes = reuse.finish(staging, &KEPT)?;
        std::fs::rename(staging, out).map_err(io(out))?;
        return Ok(changes);
    }
    let moved = folder::carry_over(out, staging)?;
    // After the carry-over, which moves entries into the staging folder's top.
    let swapped = reuse
        .finish(staging, &KEPT)
        .and_then(|changes| swap(staging, out, old).map(|()| changes));
    match swapped {
        Ok(changes) => {
            folder::remove_dir_if_exists(old)?;
            Ok(changes)
        }
        Err(e) => {
            folder::carry_back(staging, out, &moved);
            Err(e)
        }
    }
}

/// Exchanges the new folder with the old one in a single step where the kernel can
/// (renameat2 RENAME_EXCHANGE), so `out` never disappears; otherwise two renames, the first
/// undone when the second fails. An error means `out` is still the old output.
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<(), OutputError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous output; the swap is done whatever happens to it.
            if std::fs::rename(staging, old).is_err() {
                let _ = std::fs::remove_dir_all(staging);
            }
            return Ok(());
        }
    }
    std::fs::rename(out, old).map_err(io(out))?;
    std::fs::rename(staging, out).map_err(|e| {
        let _ = std::fs::rename(old, out);
        io(out)(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sink;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replacing_keeps_deploy_metadata_and_marks_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pages");
        std::fs::create_dir_all(out.join(".git/objects")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(out.join("CNAME"), "x.example").unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let put = |s: &DirSink| s.put("a.html", b"new".to_vec());
        assert!(matches!(
            publish::<_, OutputError>(&out, &Publish::default(), put),
            Err(OutputError::OutNotOurs(_))
        ));
        assert_eq!(names(&out), [".git", "CNAME", "old.html"]);
        let force = Publish {
            force: true,
            ..Publish::default()
        };
        publish::<_, OutputError>(&out, &force, put).unwrap();
        assert_eq!(names(&out), [".git", MARKER, "CNAME", "a.html"]);
        assert_eq!(std::fs::read(out.join(".git/HEAD")).unwrap(), b"ref");
        // Now it is gongkai's: replaced without `force`, the metadata still kept.
        publish::<_, OutputError>(&out, &Publish::default(), put).unwrap();
        assert_eq!(names(&out), [".git", MARKER, "CNAME", "a.html"]);
        assert_eq!(names(dir.path()), ["pages"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_name_not_utf8_swapped_out_is_listed_as_removed() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pages");
        std::fs::create_dir_all(&out).unwrap();
        let stray = out.join(std::ffi::OsStr::from_bytes(b"x\xff.html"));
        std::fs::write(&stray, "old").unwrap();
        let force = Publish {
            force: true,
            ..Publish::default()
        };
        let put = |s: &DirSink| s.put("a.html", b"new".to_vec());
        let ((), changes) = publish::<_, OutputError>(&out, &force, put).unwrap();
        assert!(!stray.exists());
        let text = changes.to_text();
        assert!(text.ends_with("A a.html\nD x\u{FFFD}.html\n"), "{text}");
    }

    #[test]
    fn a_cancelled_build_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish::<_, OutputError>(&out, &Publish::default(), |s| {
            s.put("a.html", b"1".to_vec())
        })
        .unwrap();
        let cancel = Arc::new(AtomicBool::new(false));
        let how = Publish {
            cancel: Some(cancel.clone()),
            ..Publish::default()
        };
        let r = publish::<_, OutputError>(&out, &how, |s| {
            s.put("a.html", b"2".to_vec())?;
            cancel.store(true, Ordering::SeqCst);
            s.put("b.html", b"2".to_vec())
        });
        assert!(matches!(r, Err(OutputError::Interrupted(_))), "{r:?}");
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"1");
        assert_eq!(names(dir.path()), ["public"]);
    }
}
