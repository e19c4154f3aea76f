//! The report files' loads in the build cache, in parts: each part a file of its own in
//! `.gongkai/`, named by the SHA-256 of its bytes (`loads-<hex>`), which the cache file lists.
//! A part holds [`FILES_PER_PART`] loads in path order, so an edit changes one part, and a
//! build after it encodes and writes that part only: the others are named again, unread and
//! unwritten (at 10,000 pairs the loads are 35 MB, most of the cache). A report added or
//! removed moves the parts after it, which are then written again.
//!
//! A part is named again only when every load in it is the one the cache gave, not loaded
//! again since, and it starts and ends at the same files with as many loads: the loads given
//! come from the cache's loads, in the same order, so those between the same two files are
//! the same loads.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{CachedFile, ContentStore};
use crate::hash::{is_sha256_hex, sha256_hex};

/// Loads per part.
const FILES_PER_PART: usize = 1_000;

/// The part file prefix; the rest of the name is the part's SHA-256 in lowercase hex.
const PREFIX: &str = "loads-";

/// A part as the cache read it: its file's name (SHA-256), and its first and last files
/// with how many loads it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PartRef {
    pub sha256: String,
    files: usize,
    first: PathBuf,
    last: PathBuf,
}

impl PartRef {
    fn of(sha256: String, files: &[CachedFile]) -> Option<PartRef> {
        Some(PartRef {
            sha256,
            files: files.len(),
            first: files.first()?.path().to_path_buf(),
            last: files.last()?.path().to_path_buf(),
        })
    }

    /// Whether this part holds the loads `entries` (path, restored from the cache) name.
    fn holds(&self, entries: &[(&Path, bool)]) -> bool {
        self.files == entries.len()
            && entries.iter().all(|(_, restored)| *restored)
            && entries.first().is_some_and(|(p, _)| *p == self.first)
            && entries.last().is_some_and(|(p, _)| *p == self.last)
    }
}

/// One part of the loads being written.
enum Part {
    /// Unchanged: the file the last cache listed.
    Kept(String),
    /// Encoded and written anew.
    Written(Vec<CachedFile>),
}

/// The loads a cache is written with, part by part.
pub struct Loads(Vec<Part>);

impl Loads {
    /// Every load in `files` (in path order) written anew.
    pub fn all(mut files: Vec<CachedFile>) -> Loads {
        let mut parts = Vec::new();
        while !files.is_empty() {
            let rest = files.split_off(files.len().min(FILES_PER_PART));
            parts.push(Part::Written(std::mem::replace(&mut files, rest)));
        }
        Loads(parts)
    }

    /// The loads of `store`, with the parts of `before` (the cache it was restored from)
    /// that no load changed named again; `None` when a file is misplaced or failed to load.
    pub fn of(store: &ContentStore, before: &[PartRef]) -> Option<Loads> {
        Loads::in_parts_of(store, before, FILES_PER_PART)
    }

    fn in_parts_of(store: &ContentStore, before: &[PartRef], per_part: usize) -> Option<Loads> {
        let entries = store.cache_entries()?;
        let kept: Vec<Option<&PartRef>> = (entries.chunks(per_part).enumerate())
            .map(|(k, chunk)| before.get(k).filter(|b| b.holds(chunk)))
            .collect();
        let mut written = (store.to_cached(|i| kept[i / per_part].is_none())).into_iter();
        let parts = (kept.iter().enumerate())
            .map(|(k, kept)| match kept {
                Some(part) => Part::Kept(part.sha256.clone()),
                None => {
                    let len = per_part.min(entries.len() - k * per_part);
                    Part::Written(written.by_ref().take(len).collect())
                }
            })
            .collect();
        Some(Loads(parts))
    }

    /// Writes the parts not kept into `dir` and gives every part's name, in order. A kept
    /// part whose file is gone is an error: its loads are not at hand to write again.
    pub fn write(&self, dir: &Path) -> std::io::Result<Vec<String>> {
        (self.0.par_iter())
            .map(|part| match part {
                Part::Kept(name) if dir.join(file_name(name)).is_file() => Ok(name.clone()),
                Part::Kept(_) => Err(std::io::Error::other("a kept part of the cache is gone")),
                Part::Written(files) => write_part(dir, files),
            })
            .collect()
    }
}

fn file_name(sha256: &str) -> String {
    format!("{PREFIX}{sha256}")
}

/// Writes one part under its name, which it gives. A file of that name holding those bytes
/// is left as it is; one holding others (damaged) is replaced.
fn write_part(dir: &Path, files: &[CachedFile]) -> std::io::Result<String> {
    let bytes = postcard::to_allocvec(files).map_err(std::io::Error::other)?;
    let name = sha256_hex(&bytes);
    let path = dir.join(file_name(&name));
    if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
        let temp = dir.join(format!("{}.{}.tmp", file_name(&name), std::process::id()));
        std::fs::write(&temp, &bytes)
            .and_then(|()| std::fs::rename(&temp, &path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            })?;
    }
    Ok(name)
}

/// The loads of the parts `names` lists, read from `dir`, each checked against its name, and
/// their references; `None` when one is missing, damaged, empty or not a part name, or when
/// the loads are not in path order, the store's.
pub fn read(dir: &Path, names: &[String]) -> Option<(Vec<CachedFile>, Vec<PartRef>)> {
    let parts: Vec<(Vec<CachedFile>, PartRef)> = (names.par_iter())
        .map(|name| {
            // Checked before it names a file: nothing but a part in `dir` is ever read (and
            // an uppercase name then fails the comparison with the lowercase hash below).
            let bytes =
                is_sha256_hex(name).then(|| std::fs::read(dir.join(file_name(name))).ok())??;
            let intact = sha256_hex(&bytes) == *name;
            let files: Vec<CachedFile> = postcard::from_bytes(&bytes).ok().filter(|_| intact)?;
            let part = PartRef::of(name.clone(), &files)?;
            Some((files, part))
        })
        .collect::<Option<_>>()?;
    let (parts, refs): (Vec<Vec<CachedFile>>, Vec<PartRef>) = parts.into_iter().unzip();
    let files: Vec<CachedFile> = parts.into_iter().flatten().collect();
    files
        .is_sorted_by(|a, b| a.path() < b.path())
        .then_some((files, refs))
}

/// Removes the part files in `dir` that `keep` does not name: those of older caches.
pub fn remove_others(dir: &Path, keep: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let keep: std::collections::HashSet<String> = keep.iter().map(|n| file_name(n)).collect();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(PREFIX) && !name.ends_with(".tmp") && !keep.contains(name.as_ref()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::BuildOptions;

    /// The sample site in `content/`, its loads, and the references of those loads in parts
    /// of five, as a cache would list them (named by their number).
    fn sample() -> (BuildOptions, Vec<CachedFile>, Vec<PartRef>) {
        let opts = BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        let files = ContentStore::load(opts.clone()).to_cached(|_| true);
        assert!(files.len() > 10, "the sample site has three parts of five");
        let refs = (files.chunks(5).enumerate())
            .map(|(k, chunk)| PartRef::of(k.to_string(), chunk).unwrap())
            .collect();
        (opts, files, refs)
    }

    /// Which parts `loads` names again (their names) and which it writes (`None`).
    fn kept(loads: &Loads) -> Vec<Option<&str>> {
        (loads.0.iter())
            .map(|p| match p {
                Part::Kept(name) => Some(name.as_str()),
                Part::Written(_) => None,
            })
            .collect()
    }

    #[test]
    fn only_parts_whose_loads_all_came_from_the_cache_unchanged_are_named_again() {
        let (opts, files, refs) = sample();
        let loaded = ContentStore::load(opts.clone());
        let fresh = Loads::in_parts_of(&loaded, &refs, 5).unwrap();
        assert_eq!(kept(&fresh), [None, None, None], "loaded, not restored");

        let mut restored = ContentStore::restore(opts.clone(), files.clone());
        let same = Loads::in_parts_of(&restored, &refs, 5).unwrap();
        assert_eq!(kept(&same), [Some("0"), Some("1"), Some("2")]);

        // A file loaded again (its page is rendered): its part only.
        restored.load_bodies([files[7].path()]);
        let one = Loads::in_parts_of(&restored, &refs, 5).unwrap();
        assert_eq!(kept(&one), [Some("0"), None, Some("2")]);
        let Part::Written(part) = &one.0[1] else {
            unreachable!()
        };
        let paths = |fs: &[CachedFile]| fs.iter().map(|f| f.path().to_owned()).collect::<Vec<_>>();
        assert_eq!(paths(part), paths(&files[5..10]));

        // A file gone: the parts from its own on hold other files.
        let mut fewer = files.clone();
        fewer.remove(6);
        let restored = ContentStore::restore(opts, fewer);
        let shifted = Loads::in_parts_of(&restored, &refs, 5).unwrap();
        assert_eq!(kept(&shifted), [Some("0"), None, None]);
    }

    #[test]
    fn parts_read_back_as_written_and_a_damaged_one_spoils_the_whole() {
        let (_, files, _) = sample();
        let dir = tempfile::tempdir().unwrap();
        let names = Loads::all(files.clone()).write(dir.path()).unwrap();
        assert_eq!(names.len(), 1);
        let (back, refs) = read(dir.path(), &names).expect("reads back");
        assert_eq!(back.len(), files.len());
        assert_eq!(refs[0], PartRef::of(names[0].clone(), &files).unwrap());
        // Written again unchanged: the same name, the file left as it is.
        let part = dir.path().join(file_name(&names[0]));
        let before = std::fs::metadata(&part).unwrap().modified().unwrap();
        assert_eq!(Loads::all(files.clone()).write(dir.path()).unwrap(), names);
        assert_eq!(
            std::fs::metadata(&part).unwrap().modified().unwrap(),
            before
        );

        let good = std::fs::read(&part).unwrap();
        let mut flipped = good.clone();
        flipped[good.len() / 2] ^= 0x5A;
        std::fs::write(&part, &flipped).unwrap();
        assert!(read(dir.path(), &names).is_none(), "a changed byte");
        // Written again, the damaged file of that name is replaced.
        assert_eq!(Loads::all(files).write(dir.path()).unwrap(), names);
        assert!(read(dir.path(), &names).is_some(), "repaired");
        std::fs::write(&part, &flipped).unwrap();
        std::fs::remove_file(&part).unwrap();
        assert!(read(dir.path(), &names).is_none(), "a missing part");
        std::fs::write(dir.path().join("loads-..%2Fx"), &good).unwrap();
        assert!(
            read(dir.path(), &["..%2Fx".to_string()]).is_none(),
            "not a part name"
        );

        // Parts of older caches go; other files stay.
        std::fs::write(&part, &good).unwrap();
        std::fs::write(dir.path().join("build.cache"), "x").unwrap();
        remove_others(dir.path(), &[]);
        assert!(!part.exists());
        assert!(dir.path().join("build.cache").exists());
    }
}
