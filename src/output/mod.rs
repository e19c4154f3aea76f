//! Write stage: where rendered files go. [`Output`] keeps them in memory (preview, tests,
//! `check`); [`DirSink`] writes them into a staging folder that [`publish`] swaps in for the
//! real one only when the whole build succeeded. `folder.rs` says which folders a build may
//! replace, `archive_target.rs` which paths `archive --out` may write.

mod apply;
mod archive_target;
mod error;
mod folder;
mod foreign;
mod in_place;
mod journal;
mod lock;
mod publish;
mod reuse;
mod survey;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub use apply::folders_holding;
pub use archive_target::{check_archive_out, is_gongkai_zip};
pub use error::OutputError;
pub use folder::{KEPT, MARKER, resolve};
pub use in_place::recover;
pub use lock::OnWait;
pub use publish::{Prepared, Publish, check_out_dir, prepare, publish, publish_prepared};
pub use reuse::{Change, Changes};
pub use survey::Known;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Receives rendered files; called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError>;

    /// Keeps the previous output's file at `path` as it is, instead of putting the same bytes
    /// again (a build with its cache, `src/cache/`). Only a sink writing over a previous
    /// output can; the others refuse.
    fn keep(&self, path: &str) -> Result<(), OutputError> {
        Err(OutputError::NotKept(path.to_string()))
    }
}

/// Output paths are made from validated keys, but a bug or a hostile theme file name must still
/// never write outside the output folder.
pub fn check_path(path: &str) -> Result<(), OutputError> {
    let ok = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    if ok {
        Ok(())
    } else {
        Err(OutputError::UnsafePath(path.to_string()))
    }
}

/// A built site held in memory: output path → bytes, sorted.
#[derive(Debug, Default)]
pub struct Output {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Output {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        check_path(path)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Writes files under a folder, keeping the previous output's file where the bytes are the
/// same (`reuse.rs`); once `cancel` is set, refuses every file, so the build stops at its next
/// file.
pub struct DirSink {
    dir: PathBuf,
    cancel: Option<Arc<AtomicBool>>,
    reuse: reuse::Reuse,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            cancel: None,
            reuse: reuse::Reuse::new(None, false),
        }
    }
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        check_path(path)?;
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
        {
            return Err(OutputError::Interrupted(self.dir.clone()));
        }
        // Output paths are `/`-separated; each part is joined, so the folders are made with the
        // platform's own separator (by `reuse.rs`, only for a file that is staged).
        let full = reuse::join(&self.dir, path);
        self.reuse.put(path, &full, &bytes)
    }

    fn keep(&self, path: &str) -> Result<(), OutputError> {
        check_path(path)?;
        self.reuse.keep(path, &self.dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_leaving_the_output() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "a//b", "a\\b", ""] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        assert!(check_path("zh/2022/index.html").is_ok());
    }

    #[test]
    fn refuses_to_replace_the_site_or_its_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/2022")).unwrap();
        std::fs::write(root.join("site.yaml"), "").unwrap();
        for bad in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/2022"),
            root.join("static"),
            root.join(".gongkai"),
        ] {
            assert!(
                check_out_dir(&root, &bad, false).is_err(),
                "{}",
                bad.display()
            );
        }
        // Another site's folder is refused too.
        let other = dir.path().join("other");
        std::fs::create_dir_all(other.join("content")).unwrap();
        assert!(check_out_dir(&root, &other, false).is_err());
        for good in [
            root.join("public"),
            dir.path().join("out"),
            root.join("public/sub"),
        ] {
            assert!(
                check_out_dir(&root, &good, false).is_ok(),
                "{}",
                good.display()
            );
        }
        // Relative paths are compared as absolute ones.
        assert!(check_out_dir(Path::new("."), Path::new("."), false).is_err());
    }

    #[test]
    fn failed_publish_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish::<_, OutputError>(&out, &Publish::default(), |s| {
            s.put("a.html", b"one".to_vec())
        })
        .unwrap();
        let r = publish::<(), OutputError>(&out, &Publish::default(), |s| {
            s.put("a.html", b"two".to_vec())?;
            Err(OutputError::UnsafePath("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
        publish::<_, OutputError>(&out, &Publish::default(), |s| {
            s.put("b.html", b"new".to_vec())
        })
        .unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "old folder removed"
        );
    }
}
