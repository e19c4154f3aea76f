//! The report files' loads in the build cache, in parts: each part a file of its own in
//! `.gongkai/`, named by the SHA-256 of its bytes (`loads-<hex>`), which the cache file lists.
//! A file's part follows from a hash of its path, so an edit changes one part, and a build
//! after it encodes and writes that part only: the others are named again, unread and
//! unwritten (at 10,000 pairs the loads are 35 MB, most of the cache).
//!
//! A part is named again only when every load in it is the one the cache gave, not loaded
//! again since, and it holds as many loads as before: with the same part count the loads
//! given from part `k` are all the loads that fall in part `k`, so the count tells whether
//! one was removed.

use std::hash::Hasher;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{CachedFile, ContentStore};
use crate::hash::sha256_hex;

/// Loads per part, about: parts hold more once the site outgrows a power of two of them.
const FILES_PER_PART: usize = 1_000;

/// The part file prefix; the rest of the name is the part's SHA-256 in lowercase hex.
const PREFIX: &str = "loads-";

/// A part as a cache lists it: its file's name (SHA-256) and how many loads it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartRef {
    pub sha256: String,
    pub files: u64,
}

/// How many parts `files` loads go in: a power of two, so a site growing by a few reports
/// keeps its parts.
fn part_count(files: usize) -> usize {
    files.div_ceil(FILES_PER_PART).max(1).next_power_of_two()
}

/// The part of `parts` that the load of the file at `path` goes in.
fn part_of(path: &Path, parts: usize) -> usize {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(path.as_os_str().as_encoded_bytes());
    (hasher.finish() % parts as u64) as usize
}

/// One part of the loads being written.
enum Part {
    /// Unchanged: the file the last cache listed.
    Kept(PartRef),
    /// Encoded and written anew.
    Written(Vec<CachedFile>),
}

/// The loads a cache is written with, part by part.
pub struct Loads(Vec<Part>);

impl Loads {
    /// Every load in `files` written anew.
    pub fn all(files: Vec<CachedFile>) -> Loads {
        let n = part_count(files.len());
        let mut parts: Vec<Vec<CachedFile>> = (0..n).map(|_| Vec::new()).collect();
        for file in files {
            parts[part_of(file.path(), n)].push(file);
        }
        Loads(parts.into_iter().map(Part::Written).collect())
    }

    /// The loads of `store`, with the parts of `before` (the cache it was restored from)
    /// that no load changed named again; `None` when a file is misplaced or failed to load.
    pub fn of(store: &ContentStore, before: &[PartRef]) -> Option<Loads> {
        let entries = store.cache_entries()?;
        let n = part_count(entries.len());
        let mut counts = vec![0u64; n];
        let mut changed = vec![before.len() != n; n];
        for (path, restored) in &entries {
            let k = part_of(path, n);
            counts[k] += 1;
            changed[k] |= !restored;
        }
        let kept: Vec<Option<&PartRef>> = (0..n)
            .map(|k| before.get(k).filter(|b| !changed[k] && b.files == counts[k]))
            .collect();
        let mut written: Vec<Vec<CachedFile>> = (0..n).map(|_| Vec::new()).collect();
        for file in store.to_cached(|path| kept[part_of(path, n)].is_none()) {
            written[part_of(file.path(), n)].push(file);
        }
        let parts = (kept.into_iter().zip(written))
            .map(|(kept, files)| match kept {
                Some(part) => Part::Kept(part.clone()),
                None => Part::Written(files),
            })
            .collect();
        Some(Loads(parts))
    }

    /// Writes the parts not kept into `dir` and gives every part's reference, in order. A
    /// kept part whose file is gone is an error: its loads are not at hand to write again.
    pub fn write(&self, dir: &Path) -> std::io::Result<Vec<PartRef>> {
        (self.0.par_iter())
            .map(|part| match part {
                Part::Kept(part) if dir.join(file_name(&part.sha256)).is_file() => {
                    Ok(part.clone())
                }
                Part::Kept(_) => Err(std::io::Error::other("a kept part of the cache is gone")),
                Part::Written(files) => write_part(dir, files),
            })
            .collect()
    }
}

fn file_name(sha256: &str) -> String {
    format!("{PREFIX}{sha256}")
}

/// Writes one part under its name; a file of that name is that part already.
fn write_part(dir: &Path, files: &[CachedFile]) -> std::io::Result<PartRef> {
    let bytes = postcard::to_allocvec(files).map_err(std::io::Error::other)?;
    let part = PartRef {
        sha256: sha256_hex(&bytes),
        files: files.len() as u64,
    };
    let path = dir.join(file_name(&part.sha256));
    if !path.is_file() {
        let temp = dir.join(format!("{}.{}.tmp", file_name(&part.sha256), std::process::id()));
        std::fs::write(&temp, &bytes)
            .and_then(|()| std::fs::rename(&temp, &path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            })?;
    }
    Ok(part)
}

/// The loads of the parts `names` lists, read from `dir` and each checked against its name:
/// `None` when one is missing, damaged or not a part name; sorted by path, the store's order.
pub fn read(dir: &Path, names: &[String]) -> Option<(Vec<CachedFile>, Vec<PartRef>)> {
    let parts: Vec<(Vec<CachedFile>, PartRef)> = (names.par_iter())
        .map(|name| {
            let hex = name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            let bytes = std::fs::read(dir.join(file_name(name))).ok().filter(|_| hex)?;
            let intact = sha256_hex(&bytes) == *name;
            let files: Vec<CachedFile> = postcard::from_bytes(&bytes).ok().filter(|_| intact)?;
            let files_len = files.len() as u64;
            Some((files, PartRef { sha256: name.clone(), files: files_len }))
        })
        .collect::<Option<_>>()?;
    let (parts, refs): (Vec<Vec<CachedFile>>, Vec<PartRef>) = parts.into_iter().unzip();
    let mut files: Vec<CachedFile> = parts.into_iter().flatten().collect();
    files.par_sort_unstable_by(|a, b| a.path().cmp(b.path()));
    Some((files, refs))
}

/// Removes the part files in `dir` that `keep` does not list: those of older caches.
pub fn remove_others(dir: &Path, keep: &[PartRef]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let keep: std::collections::HashSet<String> =
        keep.iter().map(|p| file_name(&p.sha256)).collect();
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

    #[test]
    fn parts_double_as_the_site_grows_and_a_path_stays_in_its_part() {
        assert_eq!(part_count(0), 1);
        assert_eq!(part_count(999), 1);
        assert_eq!(part_count(1_001), 2);
        assert_eq!(part_count(20_000), 32);
        let path = Path::new("content/2022/justice-bureau.zh.md");
        assert_eq!(part_of(path, 32), part_of(path, 32));
        let spread: std::collections::HashSet<usize> = (0..200)
            .map(|i| part_of(Path::new(&format!("content/2022/r-{i}.zh.md")), 32))
            .collect();
        assert!(spread.len() > 24, "paths spread over the parts: {spread:?}");
    }
}
