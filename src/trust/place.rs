//! Trust stage: where a private key may live (README, "Signed manifests"). A key inside a
//! folder that is published — the site's sources (`content/`, `static/`, `templates/`,
//! `i18n/`, `themes/`), `public/`, the build's output folder, or any folder a build wrote (it
//! holds `.gongkai-output`) — would be uploaded with the site, and anyone could then sign in
//! the bureau's name. `keygen` refuses to write one there and `build` to read one from there.

use std::path::{Path, PathBuf};

use super::error::TrustError;
use crate::layout::SOURCE_DIRS;
use crate::output::{MARKER, resolve};

/// Refuses `key` when it is inside a published folder of the site at `root` or inside `out`.
pub fn check_key_place(root: &Path, out: Option<&Path>, key: &Path) -> Result<(), TrustError> {
    let key_real = resolve(key);
    let mut published: Vec<PathBuf> = SOURCE_DIRS
        .iter()
        .chain(&["public"])
        .map(|d| resolve(&root.join(d)))
        .collect();
    published.extend(out.map(resolve));
    let inside_output = key_real
        .ancestors()
        .skip(1)
        .any(|dir| dir.join(MARKER).is_file());
    if inside_output || published.iter().any(|dir| key_real.starts_with(dir)) {
        return Err(TrustError::KeyPublished(key.to_path_buf()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_published_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/2022")).unwrap();
        let out = dir.path().join("www");
        std::fs::create_dir_all(out.join("x")).unwrap();
        for bad in [
            root.join("content/2022/k.pem"),
            root.join("static/k.pem"),
            root.join("themes/t/k.pem"),
            root.join("public/k.pem"),
            root.join("content/../static/k.pem"),
            out.join("x/k.pem"),
        ] {
            assert!(
                matches!(
                    check_key_place(&root, Some(&out), &bad),
                    Err(TrustError::KeyPublished(_))
                ),
                "{}",
                bad.display()
            );
        }
        assert!(check_key_place(&root, Some(&out), &dir.path().join("k.pem")).is_ok());
        let old = dir.path().join("old");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(MARKER), "").unwrap();
        assert!(check_key_place(&root, None, &old.join("k.pem")).is_err());
    }
}
