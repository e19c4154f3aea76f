//! Write stage: where `gongkai archive --out` may write its zip (README, "Commands"). Never over
//! the site's own files, into its sources or into an output folder; an existing file is replaced
//! only when it is a zip gongkai wrote, unless `--force`.

use std::io::Read;
use std::path::Path;

use super::OutputError;
use super::folder::{is_ours, resolve};
use crate::layout::{CONFIG_FILE, LOCK_FILE, SOURCE_DIRS};

/// The largest `manifest.json` read to recognise a zip: far above any real site's.
const MANIFEST_LIMIT: u64 = 64 << 20;

/// Refuses `out` when it is `site.yaml`, `archive.lock`, inside a source folder of the site at
/// `root`, inside `public/` or any gongkai output folder, or a folder; and, unless `force`, when
/// it exists and is not a zip gongkai wrote ([`is_gongkai_zip`]). Checked before anything is
/// written.
pub fn check_archive_out(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    let (root, out_abs) = (resolve(root), resolve(out));
    let site_file = [CONFIG_FILE, LOCK_FILE]
        .iter()
        .any(|f| out_abs == root.join(f));
    let in_sources = SOURCE_DIRS
        .iter()
        .chain(&["public"])
        .any(|d| out_abs.starts_with(root.join(d)));
    let in_output = out_abs.ancestors().skip(1).any(is_ours);
    if site_file || in_sources || in_output || root.starts_with(&out_abs) {
        return Err(OutputError::ArchiveOverSite(out.to_path_buf()));
    }
    match std::fs::metadata(out) {
        Ok(m) if m.is_dir() => Err(OutputError::ArchiveIsFolder(out.to_path_buf())),
        Ok(_) if !force && !is_gongkai_zip(out) => {
            Err(OutputError::ArchiveNotOurs(out.to_path_buf()))
        }
        _ => Ok(()),
    }
}

/// Whether `path` is a zip written by `gongkai archive`: its `manifest.json` names gongkai as
/// its generator (README, "Archiving").
pub fn is_gongkai_zip(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(entry) = zip.by_name("manifest.json") else {
        return false;
    };
    let mut bytes = Vec::new();
    if entry.take(MANIFEST_LIMIT).read_to_end(&mut bytes).is_err() {
        return false;
    }
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| v["generator"] == "gongkai")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_sites_own_files_and_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/2023")).unwrap();
        std::fs::write(root.join("site.yaml"), "").unwrap();
        std::fs::create_dir_all(dir.path().join("built")).unwrap();
        std::fs::write(dir.path().join("built/.gongkai-output"), "").unwrap();
        for bad in [
            root.join("site.yaml"),
            root.join("archive.lock"),
            root.join("content/2023/x.zh.md"),
            root.join("content/new.zip"),
            root.join("public/a.zip"),
            root.join("templates/a.zip"),
            root.join("content/../site.yaml"),
            dir.path().join("built/a.zip"),
        ] {
            assert!(
                matches!(
                    check_archive_out(&root, &bad, true),
                    Err(OutputError::ArchiveOverSite(_))
                ),
                "{}",
                bad.display()
            );
        }
        assert!(matches!(
            check_archive_out(&root, dir.path(), true),
            Err(OutputError::ArchiveOverSite(_))
        ));
        assert!(check_archive_out(&root, &root.join("gongkai-2023.zip"), false).is_ok());
        assert!(check_archive_out(&root, &dir.path().join("a.zip"), false).is_ok());
    }

    #[test]
    fn replaces_only_its_own_zips_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "mine").unwrap();
        assert!(matches!(
            check_archive_out(&root, &notes, false),
            Err(OutputError::ArchiveNotOurs(_))
        ));
        assert!(check_archive_out(&root, &notes, true).is_ok());
        assert!(matches!(
            check_archive_out(&root, &root, true),
            Err(OutputError::ArchiveOverSite(_))
        ));
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(matches!(
            check_archive_out(&root, &sub, true),
            Err(OutputError::ArchiveIsFolder(_))
        ));
    }
}
