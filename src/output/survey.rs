//! Write stage: the listing of an output that an update in place needs ([`Listing`]), made with
//! what the last build recorded of it ([`Known`], kept in the build cache). A folder found
//! with the stamp recorded right after the last build published holds what it held then, so
//! its files and folders are taken from the record instead of read; the others are read, and
//! a folder the record does not know is walked whole. On a 10,000-pair site, where nearly every
//! folder holds one report page, this spares some 20,000 folder reads per build. The listing
//! equals [`walk`]'s (`tests` below compare them); at any doubt it is [`walk`]'s.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::apply::{join_dir, parent_of};
use super::folder::KEPT;
use super::in_place::{Listing, walk, walk_below};
use crate::stamp::{Stamp, Under};

/// What the last build left in an output, as it recorded it right after publishing.
#[derive(Debug, Default)]
pub struct Known {
    /// Every folder under the output but the output itself, `/`-separated, with its stamp
    /// then; `None` when it had changed too shortly before to prove anything
    /// ([`Stamp::settled`]).
    pub folders: Vec<(String, Option<Stamp>)>,
    /// Every file the build published.
    pub files: Vec<String>,
}

/// The listing of `out`, reading only the folders that changed since `known` was recorded.
pub fn survey(out: &Path, known: &Known) -> Listing {
    let mut inside: FxHashMap<&str, (Vec<&str>, Vec<&str>)> = FxHashMap::default();
    for file in &known.files {
        inside.entry(parent_of(file)).or_default().0.push(file);
    }
    for (folder, _) in &known.folders {
        inside.entry(parent_of(folder)).or_default().1.push(folder);
    }
    let known_folders: FxHashSet<&str> = known.folders.iter().map(|(f, _)| f.as_str()).collect();
    let under = Under::open(out);
    let unchanged: FxHashSet<&str> = (known.folders.par_iter())
        .filter(|(folder, then)| then.is_some() && under.folder_stamp(folder) == *then)
        .map(|(folder, _)| folder.as_str())
        .collect();
    let mut listing = Listing::default();
    let mut to_list = vec![String::new()];
    while let Some(folder) = to_list.pop() {
        if unchanged.contains(folder.as_str()) {
            if let Some((files, folders)) = inside.get(folder.as_str()) {
                listing.files.extend(files.iter().map(|f| f.to_string()));
                listing.dirs.extend(folders.iter().map(|f| f.to_string()));
                to_list.extend(folders.iter().map(|f| f.to_string()));
            }
            continue;
        }
        let Some(below) = read_folder(out, &folder, &mut listing) else {
            // The folder went while being listed: no record can be trusted now.
            return walk(out);
        };
        for sub in below {
            if known_folders.contains(sub.as_str()) {
                to_list.push(sub);
            } else {
                walk_below(out, Path::new(&sub), &mut listing);
            }
        }
    }
    listing
}

/// Adds the entries of `folder` to `listing`, the deploy metadata at the top left out; returns
/// its folders with UTF-8 names, to list next. `None` when it cannot be read.
fn read_folder(out: &Path, folder: &str, listing: &mut Listing) -> Option<Vec<String>> {
    let mut below = Vec::new();
    for entry in std::fs::read_dir(join_dir(out, folder)).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        if folder.is_empty() && KEPT.iter().any(|k| name == *k) {
            continue;
        }
        let is_dir = entry.file_type().ok()?.is_dir();
        let rel = Path::new(folder).join(&name);
        match listing.add(&rel, is_dir) {
            Some(path) if is_dir => below.push(path),
            // A folder not UTF-8: everything in it is listed too, all of it foreign.
            None if is_dir => walk_below(out, &rel, listing),
            _ => {}
        }
    }
    Some(below)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::stamp::folder_stamp;

    /// What the last build would record of `out`: every folder, settled or not.
    fn record(out: &Path, files: &[&str], settled: bool) -> Known {
        let mut folders: Vec<String> = (files.iter())
            .flat_map(|f| super::super::apply::ancestors(f))
            .map(str::to_string)
            .collect();
        folders.sort();
        folders.dedup();
        let now = SystemTime::now() + Duration::from_secs(if settled { 10 } else { 0 });
        Known {
            folders: (folders.into_iter())
                .map(|f| {
                    let stamp = folder_stamp(&join_dir(out, &f))
                        .filter(|s| s.settled(now, Duration::from_secs(2)));
                    (f, stamp)
                })
                .collect(),
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn sorted(mut listing: Listing) -> (Vec<String>, Vec<String>, Vec<Vec<u8>>, Vec<String>) {
        listing.files.sort();
        listing.foreign.sort();
        listing.foreign_files.sort();
        let dirs = listing.dirs.into_iter().collect();
        (listing.files, dirs, listing.foreign, listing.foreign_files)
    }

    fn write(out: &Path, path: &str) {
        let full = out.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, path).unwrap();
    }

    const PUBLISHED: [&str; 5] = [
        "index.html",
        "zh/index.html",
        "zh/2022/a/index.html",
        "zh/2022/b/index.html",
        "zh/search/x.js",
    ];

    #[test]
    fn unchanged_folders_are_taken_from_the_record_and_the_listing_is_the_walks() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        PUBLISHED.iter().for_each(|p| write(out, p));
        let known = record(out, &PUBLISHED, true);
        assert!(known.folders.iter().all(|(_, s)| s.is_some()));
        assert_eq!(sorted(survey(out, &known)), sorted(walk(out)));

        // A recorded folder whose stamp is not that of the folder now is read, so a file
        // another tool put there is found. Here the record is made to lie about the folder
        // `zh/2022/a`: it says it holds nothing.
        let mut lying = record(out, &PUBLISHED, true);
        lying.files.retain(|f| f != "zh/2022/a/index.html");
        let listed = sorted(survey(out, &lying)).0;
        assert!(
            !listed.contains(&"zh/2022/a/index.html".to_string()),
            "trusted"
        );
        // Past the file system clock's tick, so the folder's times move.
        std::thread::sleep(Duration::from_millis(50));
        std::fs::remove_file(out.join("zh/2022/a/index.html")).unwrap();
        write(out, "zh/2022/a/index.html");
        assert_eq!(sorted(survey(out, &lying)), sorted(walk(out)));
    }

    #[test]
    fn added_removed_and_foreign_entries_are_found_as_the_walk_finds_them() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        PUBLISHED.iter().for_each(|p| write(out, p));
        let known = record(out, &PUBLISHED, true);
        write(out, "zh/2022/new/deep/page.html");
        write(out, ".well-known/security.txt");
        write(out, "CNAME");
        std::fs::remove_dir_all(out.join("zh/2022/b")).unwrap();
        std::fs::remove_dir_all(out.join("zh/search")).unwrap();
        std::os::unix::fs::symlink(out.join("zh"), out.join("zh/search")).unwrap();
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = out.join("zh").join(std::ffi::OsStr::from_bytes(b"x\xff"));
            std::fs::create_dir(&odd).unwrap();
            std::fs::write(odd.join("f.html"), "f").unwrap();
        }
        let surveyed = sorted(survey(out, &known));
        assert_eq!(surveyed, sorted(walk(out)));
        assert!(
            surveyed
                .0
                .contains(&"zh/2022/new/deep/page.html".to_string())
        );
        assert!(
            surveyed.0.contains(&"zh/search".to_string()),
            "a link is a file"
        );
        assert!(
            !surveyed
                .0
                .iter()
                .any(|f| f.starts_with(".well-known") || f == "CNAME")
        );
    }

    #[test]
    fn a_folder_recorded_unsettled_is_always_read() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        PUBLISHED.iter().for_each(|p| write(out, p));
        let mut known = record(out, &PUBLISHED, false);
        assert!(
            known.folders.iter().all(|(_, s)| s.is_none()),
            "just changed"
        );
        known.files.clear();
        assert_eq!(sorted(survey(out, &known)), sorted(walk(out)));
    }
}
