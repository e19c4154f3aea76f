//! Write stage: where rendered files go. [`Output`] keeps them in memory (preview, tests,
//! `check`); [`DirSink`] writes them into a staging folder that [`publish`] swaps in for the
//! real one only when the whole build succeeded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write `{0}`: not a plain path inside the output folder")]
    UnsafePath(String),
    #[error(
        "refusing to build into `{0}`: it holds the site's own files, and the output folder is replaced as a whole"
    )]
    OutHoldsSources(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Receives rendered files; called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError>;
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

/// Writes files under a folder.
pub struct DirSink {
    dir: PathBuf,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into() }
    }
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        check_path(path)?;
        // Output paths are `/`-separated; each part is joined, so the folders are made with the
        // platform's own separator.
        let full = path
            .split('/')
            .fold(self.dir.clone(), |dir, part| dir.join(part));
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&full, bytes).map_err(io(&full))
    }
}

/// Folders of a site that hold its sources, never build output.
const SOURCE_DIRS: [&str; 5] = ["content", "templates", "static", "i18n", "themes"];

/// [`publish`] replaces `out` as a whole, so `out` must not be the site root, one of its
/// parents, or a folder of its sources (`--out content` would delete every report).
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), OutputError> {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, out_abs) = (absolute(root), absolute(out));
    let holds_a_site = out_abs.join("site.yaml").exists() || out_abs.join("content").is_dir();
    let refused = root.starts_with(&out_abs)
        || SOURCE_DIRS
            .iter()
            .any(|d| out_abs.starts_with(root.join(d)))
        || holds_a_site;
    if refused {
        Err(OutputError::OutHoldsSources(out.to_path_buf()))
    } else {
        Ok(())
    }
}

/// Builds into a fresh folder beside `out` with `build`, then swaps it in for `out`. When `build`
/// fails, the staging folder is removed and `out` is left exactly as it was.
pub fn publish<T, E: From<OutputError>>(
    out: &Path,
    build: impl FnOnce(&DirSink) -> Result<T, E>,
) -> Result<T, E> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    remove_dir_if_exists(&staging)?;
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let value = match build(&DirSink::new(&staging)) {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if out.exists() {
        swap(&staging, out, &old)?;
        remove_dir_if_exists(&old)?;
    } else {
        std::fs::rename(&staging, out).map_err(io(out))?;
    }
    Ok(value)
}

/// Exchanges the new folder with the old one in a single step where the kernel can
/// (renameat2 RENAME_EXCHANGE), so `out` never disappears; otherwise two renames.
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<(), OutputError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous output.
            return std::fs::rename(staging, old).map_err(io(old));
        }
    }
    std::fs::rename(out, old).map_err(io(out))?;
    std::fs::rename(staging, out).map_err(io(out))
}

fn remove_dir_if_exists(dir: &Path) -> Result<(), OutputError> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(dir)(e)),
        _ => Ok(()),
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
        ] {
            assert!(check_out_dir(&root, &bad).is_err(), "{}", bad.display());
        }
        // Another site's folder is refused too.
        let other = dir.path().join("other");
        std::fs::create_dir_all(other.join("content")).unwrap();
        assert!(check_out_dir(&root, &other).is_err());
        for good in [
            root.join("public"),
            dir.path().join("out"),
            root.join("public/sub"),
        ] {
            assert!(check_out_dir(&root, &good).is_ok(), "{}", good.display());
        }
        // Relative paths are compared as absolute ones.
        assert!(check_out_dir(Path::new("."), Path::new(".")).is_err());
    }

    #[test]
    fn failed_publish_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish::<_, OutputError>(&out, |s| s.put("a.html", b"one".to_vec())).unwrap();
        let r = publish::<(), OutputError>(&out, |s| {
            s.put("a.html", b"two".to_vec())?;
            Err(OutputError::UnsafePath("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
        publish::<_, OutputError>(&out, |s| s.put("b.html", b"new".to_vec())).unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "old folder removed"
        );
    }
}
