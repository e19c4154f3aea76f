//! Write stage: names in the old output that are not UTF-8 (README, "How a rebuild is
//! published"). No build writes one, so such a file was left by another tool (a crashed
//! upload, an archive unpacked by hand) and must not stay published: an update in place removes
//! it whole, as the whole-folder swap always did. The journal keeps its name as bytes, since
//! JSON text cannot hold it; `--changes` lists it with U+FFFD for the bytes that are not UTF-8.
//! Only on Unix, where a name is bytes; elsewhere such names are left as they are.

use std::path::Path;

use super::{OutputError, io};

/// The bytes of `rel` (a path under the output, not UTF-8) when it is the first part of its
/// path that is not: removing it removes everything under it too.
pub fn root(rel: &Path) -> Option<Vec<u8>> {
    let in_utf8_folder = rel.parent().is_some_and(|p| p.to_str().is_some());
    in_utf8_folder.then(|| bytes(rel)).flatten()
}

/// `rel` for the list of changes: `/`-separated, U+FFFD for what is not UTF-8.
pub fn lossy(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The output folder (`/`-separated, `""` for the output itself) that holds the root `raw`.
pub fn parent(raw: &[u8]) -> String {
    let at = raw.iter().rposition(|&b| b == b'/').unwrap_or(0);
    String::from_utf8_lossy(&raw[..at]).into_owned()
}

/// Removes the root `raw` from `out`, a folder with all it holds; nothing when it is gone (a
/// roll-forward) or when a folder on the way is not a real folder (never through a link).
pub fn remove(out: &Path, raw: &[u8]) -> Result<(), OutputError> {
    let Some(rel) = path(raw) else {
        return Ok(());
    };
    let plain = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain {
        // Only a journal changed by hand could hold one; nothing outside the output goes.
        return Ok(());
    }
    let mut folder = out.to_path_buf();
    for part in rel.parent().into_iter().flat_map(Path::iter) {
        folder.push(part);
        if !std::fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
    }
    let full = out.join(rel);
    let removed = match std::fs::symlink_metadata(&full) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&full),
        Ok(_) => std::fs::remove_file(&full),
        Err(e) => Err(e),
    };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&full)(e)),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn bytes(rel: &Path) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Some(rel.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn bytes(_rel: &Path) -> Option<Vec<u8>> {
    None
}

#[cfg(unix)]
fn path(raw: &[u8]) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt;
    Some(Path::new(std::ffi::OsStr::from_bytes(raw)))
}

#[cfg(not(unix))]
fn path(_raw: &[u8]) -> Option<&Path> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    use super::*;

    #[test]
    fn the_first_part_not_utf8_is_the_root_and_its_folder_is_named() {
        let top = Path::new(OsStr::from_bytes(b"a/b\xff"));
        assert_eq!(root(top).as_deref(), Some(&b"a/b\xff"[..]));
        assert_eq!(root(&top.join("c.html")), None, "removed with its folder");
        assert_eq!(parent(b"a/b\xff"), "a");
        assert_eq!(parent(b"\xff"), "");
        assert_eq!(lossy(&top.join("c.html")), "a/b\u{FFFD}/c.html");
    }

    #[test]
    fn nothing_is_removed_outside_the_output_or_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let (out, elsewhere) = (dir.path().join("out"), dir.path().join("elsewhere"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join(OsStr::from_bytes(b"x\xff")), "keep").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("linked")).unwrap();
        remove(&out, b"linked/x\xff").unwrap();
        remove(&out, b"../elsewhere/x\xff").unwrap();
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        std::fs::create_dir(out.join(OsStr::from_bytes(b"d\xff"))).unwrap();
        std::fs::write(out.join(OsStr::from_bytes(b"d\xff/f")), "x").unwrap();
        remove(&out, b"d\xff").unwrap();
        remove(&out, b"d\xff").unwrap();
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            1,
            "only the link left"
        );
    }
}
