//! Write stage: which folders `build` may replace, and what it keeps of them (README,
//! "Deploying `public/`"). A folder is replaced only when it is empty or gongkai wrote it (its
//! marker file); the deploy metadata users keep in it is carried into the new output; the
//! staging folders of killed builds are recognised by the process id in their name.

use std::path::{Path, PathBuf};

use super::OutputError;

/// The file every `build` writes at the top of its output, so the next build knows the folder
/// is its own to replace.
pub const MARKER: &str = ".gongkai-output";

/// The marker's text: it tells whoever opens it why it is there. No date, so two builds of one
/// site stay byte-identical.
pub const MARKER_TEXT: &str = "\
This folder was written by `gongkai build`. The next build replaces it as a whole, keeping
only .git, .well-known/, .htaccess, .nojekyll and CNAME. Files you add here are lost then.
This file marks the folder as gongkai's; it need not be uploaded.
";

/// Deploy metadata that users keep in an output folder (a GitHub Pages checkout, a web
/// server's root): carried from the old output into the new one when replacing it.
pub const KEPT: [&str; 5] = [".git", ".well-known", ".htaccess", ".nojekyll", "CNAME"];

/// Whether `dir` holds a gongkai output: the marker, or, for outputs written before the marker
/// existed, a `manifest.json` that names gongkai as its generator.
pub fn is_ours(dir: &Path) -> bool {
    if std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return true;
    }
    std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v["generator"] == "gongkai")
}

/// Refuses an `out` that [`super::publish`] must not replace: anything but a folder (a file, a
/// symbolic link), or a folder that is neither empty nor gongkai's unless `force`. Nothing has
/// moved when this refuses.
pub fn check_replaceable(out: &Path, force: bool) -> Result<(), OutputError> {
    let meta = match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(OutputError::Io {
                path: out.to_path_buf(),
                source,
            });
        }
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(OutputError::OutNotAFolder(out.to_path_buf()));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|source| OutputError::Io {
            path: out.to_path_buf(),
            source,
        })?
        .next()
        .is_none();
    if empty || force || is_ours(out) {
        Ok(())
    } else {
        Err(OutputError::OutNotOurs(out.to_path_buf()))
    }
}

/// Moves the [`KEPT`] entries of `old` into `new` (a rename: same parent folder, so the same
/// file system), unless the build wrote one of the same name. Returns the names moved, for
/// [`carry_back`].
pub fn carry_over(old: &Path, new: &Path) -> Result<Vec<&'static str>, OutputError> {
    let mut moved = Vec::new();
    for name in KEPT {
        let (from, to) = (old.join(name), new.join(name));
        if std::fs::symlink_metadata(&from).is_err() || std::fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        if let Err(source) = std::fs::rename(&from, &to) {
            carry_back(new, old, &moved);
            return Err(OutputError::Io { path: from, source });
        }
        moved.push(name);
    }
    Ok(moved)
}

/// Undoes [`carry_over`] when the swap fails, so the old output is whole again.
pub fn carry_back(new: &Path, old: &Path, moved: &[&str]) {
    for name in moved {
        let _ = std::fs::rename(new.join(name), old.join(name));
    }
}

/// The folder that holds `out` (`.` for a bare name) and `out`'s own name: staging folders and
/// the journal go beside it, on the same file system.
pub fn place(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// The staging and previous-output folders of `out` named with a process id:
/// `.NAME.staging-PID`, `.NAME.old-PID` beside it.
pub fn work_dirs(parent: &Path, name: &str, pid: u32) -> (PathBuf, PathBuf) {
    (
        parent.join(format!(".{name}.staging-{pid}")),
        parent.join(format!(".{name}.old-{pid}")),
    )
}

/// Removes the staging and previous-output folders of `out` left by builds that were killed
/// before they could clean up, and their half-written journals (`.NAME.journal-PID`): those
/// whose process is no longer running. A running one belongs to a build under way into the
/// same folder and is left alone. A complete journal (`.NAME.publishing`) is rolled forward
/// before this runs (`in_place.rs`), which removes the staging folder it names.
pub fn remove_stale(parent: &Path, name: &str) -> Result<(), OutputError> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let dir_pid = rest
            .strip_prefix("staging-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        let file_pid = rest
            .strip_prefix("journal-")
            .and_then(|p| p.parse::<u32>().ok());
        let kind = entry.file_type().ok();
        let path = entry.path();
        let removed = match (dir_pid, file_pid) {
            (Some(pid), _) if kind.is_some_and(|t| t.is_dir()) && !running(pid) => {
                std::fs::remove_dir_all(&path)
            }
            (_, Some(pid)) if kind.is_some_and(|t| t.is_file()) && !running(pid) => {
                std::fs::remove_file(&path)
            }
            _ => Ok(()),
        };
        removed.map_err(|source| OutputError::Io { path, source })?;
    }
    Ok(())
}

/// Whether process `pid` exists (a signal-0 probe). Where that cannot be asked, every process
/// counts as running, so nothing is removed that might be in use.
fn running(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, test_kill_process};
        let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
            return false;
        };
        !matches!(test_kill_process(pid), Err(rustix::io::Errno::SRCH))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        true
    }
}

/// `p` made absolute with symbolic links resolved as far as it exists, so a path is compared
/// by what it names (`public/../site.yaml`, a link to `content/`).
pub fn resolve(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(base) {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Removes `dir` and everything in it; a folder already gone is not an error.
pub(super) fn remove_dir_if_exists(dir: &Path) -> Result<(), OutputError> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(super::io(dir)(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_empty_or_own_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check_replaceable(&out, false).is_ok(), "absent");
        std::fs::create_dir(&out).unwrap();
        assert!(check_replaceable(&out, false).is_ok(), "empty");
        std::fs::write(out.join("CNAME"), "x").unwrap();
        assert!(matches!(
            check_replaceable(&out, false),
            Err(OutputError::OutNotOurs(_))
        ));
        assert!(check_replaceable(&out, true).is_ok());
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_replaceable(&out, false).is_ok(), "marked");
        let file = dir.path().join("file.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            check_replaceable(&file, true),
            Err(OutputError::OutNotAFolder(_))
        ));
    }

    #[test]
    fn an_older_output_is_recognised_by_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"generator": "other"}"#,
        )
        .unwrap();
        assert!(!is_ours(dir.path()));
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"generator":"gongkai"}"#,
        )
        .unwrap();
        assert!(is_ours(dir.path()));
    }

    #[test]
    fn stale_folders_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            ".public.staging-99999999",
            ".public.old-99999999",
            ".public.staging-notapid",
            ".other.staging-99999999",
        ];
        for n in names {
            std::fs::create_dir(dir.path().join(n)).unwrap();
        }
        std::fs::write(dir.path().join(".public.journal-99999999"), "{").unwrap();
        let mine = format!(".public.staging-{}", std::process::id());
        std::fs::create_dir(dir.path().join(&mine)).unwrap();
        remove_stale(dir.path(), "public").unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want = vec![
            ".other.staging-99999999".to_string(),
            ".public.staging-notapid".to_string(),
            mine,
        ];
        want.sort();
        assert_eq!(left, want);
    }

    #[test]
    fn resolve_follows_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        assert_eq!(
            resolve(&dir.path().join("a/../b/c.zip")),
            real.join("b/c.zip")
        );
    }
}
