//! The build cache's one file, `.gongkai/build.cache`: a header naming the format and the
//! gongkai version, the cache in postcard's encoding, then the SHA-256 of that encoding.
//! Anything that does not read back whole and equal (a truncated or edited file, another
//! version's, a folder in its place) is ignored, never used: the build then loads everything,
//! as with `--no-cache`, and writes a new cache.
//!
//! The keys and the report files' loads, most of the bytes, are encoded and written on a thread
//! of their own while the site is published ([`Writer`]); the output's records and the search
//! states follow once it is. A struct's postcard encoding is its fields' one after another, so
//! the parts read back as one [`Cache`].

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use super::{Cache, Keys, OutputFile, SearchCache};
use crate::content::CachedFile;
use crate::hash::sha256;

pub use crate::layout::CACHE_DIR;
const FILE: &str = "build.cache";
/// Changed whenever what the cache holds changes meaning, with the crate version beside it.
const FORMAT: &str = "gongkai build cache 5";

pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(FILE)
}

fn header() -> String {
    format!("{FORMAT} {}\n", env!("CARGO_PKG_VERSION"))
}

/// The cache of the site at `root`, when there is one that reads back whole.
pub fn read(root: &Path) -> Option<Cache> {
    let bytes = std::fs::read(path(root)).ok()?;
    let rest = bytes.strip_prefix(header().as_bytes())?;
    let (payload, digest) = rest.split_at_checked(rest.len().checked_sub(32)?)?;
    if sha256(payload) != digest {
        return None;
    }
    postcard::from_bytes::<Cache>(payload)
        .ok()
        .filter(Cache::is_sane)
}

/// The first part of the cache, written into a temporary file.
struct Part {
    file: std::fs::File,
    temp: PathBuf,
    digest: Sha256,
}

/// A cache being written: started with the keys and the loads, finished with the rest.
pub struct Writer {
    root: PathBuf,
    part: Option<JoinHandle<std::io::Result<Part>>>,
}

impl Writer {
    /// Starts writing the cache of the site at `root` on a thread of its own.
    pub fn start(root: &Path, keys: Keys, files: Vec<CachedFile>) -> Writer {
        let dir = root.join(CACHE_DIR);
        let part = std::thread::spawn(move || write_start(&dir, &keys, &files));
        Writer {
            root: root.to_path_buf(),
            part: Some(part),
        }
    }

    /// Adds the output's records and the search states and puts the cache in place of the old
    /// one, in one rename (a killed build leaves the old cache or the new one). A cache that
    /// cannot be written is no error (the output is published already); the old one is removed
    /// then, so no doubt is left.
    pub fn finish(mut self, output: &[OutputFile], search: &BTreeMap<String, SearchCache>) {
        let Some(part) = self.part.take() else { return };
        let finished = (part.join())
            .map_err(|_| std::io::Error::other("cache writer panicked"))
            .and_then(|part| part)
            .and_then(|part| write_finish(&self.root, part, output, search));
        if finished.is_err() {
            let _ = std::fs::remove_file(path(&self.root));
        }
    }
}

impl Drop for Writer {
    /// A build that failed leaves the old cache as it was: the part written is removed.
    fn drop(&mut self) {
        if let Some(Ok(Ok(part))) = self.part.take().map(JoinHandle::join) {
            let _ = std::fs::remove_file(part.temp);
        }
    }
}

fn write_start(dir: &Path, keys: &Keys, files: &Vec<CachedFile>) -> std::io::Result<Part> {
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# gongkai's build cache: safe to delete, never committed\n*\n",
        )?;
    }
    let temp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let mut part = Part {
        file: std::fs::File::create(&temp)?,
        temp,
        digest: Sha256::new(),
    };
    let written = (|| {
        part.file.write_all(header().as_bytes())?;
        append(&mut part, keys)?;
        append(&mut part, files)
    })();
    match written {
        Ok(()) => Ok(part),
        Err(e) => {
            let _ = std::fs::remove_file(&part.temp);
            Err(e)
        }
    }
}

fn append(part: &mut Part, value: &impl serde::Serialize) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(std::io::Error::other)?;
    part.digest.update(&bytes);
    part.file.write_all(&bytes)
}

fn write_finish(
    root: &Path,
    mut part: Part,
    output: &[OutputFile],
    search: &BTreeMap<String, SearchCache>,
) -> std::io::Result<()> {
    let written = (|| {
        append(&mut part, &output)?;
        append(&mut part, search)?;
        let digest: [u8; 32] = std::mem::take(&mut part.digest).finalize().into();
        part.file.write_all(&digest)?;
        std::fs::rename(&part.temp, path(root))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&part.temp);
    }
    written
}
