//! The build cache's file, `.gongkai/build.cache`: a header naming the format and the gongkai
//! version, the cache's parts in postcard's encoding, each after its length in bytes, then the
//! SHA-256 of all but the header. Anything that does not read back whole and equal (a
//! truncated or edited file, another version's, a folder in its place, a part file missing or
//! changed) is ignored, never used: the build then loads everything, as with `--no-cache`, and
//! writes a new cache.
//!
//! The parts: the keys; the names of the report files' loads, which are most of the bytes and
//! kept in files of their own (`loads.rs`), read and decoded in parallel; the output's records
//! (files, then folders); the search states. The keys and the loads are written on a thread
//! of their own while the site is published ([`Writer`]); the rest follows once it is.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use super::loads::{self, Loads};
use super::{Cache, Keys, OutputFile, OutputFolder, SearchCache};
use crate::hash::sha256;

pub use crate::layout::CACHE_DIR;
const FILE: &str = "build.cache";
/// Changed whenever what the cache holds changes meaning, with the crate version beside it.
const FORMAT: &str = "gongkai build cache 8";

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
    let dir = root.join(CACHE_DIR);
    let ((intact, cache), loads) = rayon::join(
        || rayon::join(|| sha256(payload) == digest, || decode(payload)),
        || part_names(payload).and_then(|names| loads::read(&dir, &names)),
    );
    let (files, parts) = loads?;
    let cache = cache.filter(|c| intact && c.is_sane())?;
    Some(Cache {
        files,
        parts,
        ..cache
    })
}

/// The names of the loads' parts, the second part of `payload`.
fn part_names(payload: &[u8]) -> Option<Vec<String>> {
    let mut rest = payload;
    part(&mut rest)?;
    postcard::from_bytes(part(&mut rest)?).ok()
}

/// The parts of `payload`, decoded, but for the loads ([`loads::read`]).
fn decode(payload: &[u8]) -> Option<Cache> {
    let mut rest = payload;
    let keys = part(&mut rest)?;
    part(&mut rest)?;
    let output = part(&mut rest)?;
    let search = part(&mut rest)?;
    if !rest.is_empty() {
        return None;
    }
    let (output, folders) = postcard::from_bytes(output).ok()?;
    Some(Cache {
        keys: postcard::from_bytes(keys).ok()?,
        files: Vec::new(),
        parts: Vec::new(),
        output,
        folders,
        search: postcard::from_bytes(search).ok()?,
    })
}

/// The next part of `rest`: its length (8 bytes, little-endian), then its bytes.
fn part<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, after) = rest.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    let (part, after) = after.split_at_checked(len)?;
    *rest = after;
    Some(part)
}

/// The first part of the cache, written into a temporary file.
struct Part {
    file: std::fs::File,
    temp: PathBuf,
    digest: Sha256,
    /// The names of the loads' parts.
    parts: Vec<String>,
}

/// A cache being written: started with the keys and the loads, finished with the rest.
pub struct Writer {
    root: PathBuf,
    part: Option<JoinHandle<std::io::Result<Part>>>,
}

impl Writer {
    /// Starts writing the cache of the site at `root` on a thread of its own.
    pub fn start(root: &Path, keys: Keys, loads: Loads) -> Writer {
        let dir = root.join(CACHE_DIR);
        let part = std::thread::spawn(move || write_start(&dir, &keys, &loads));
        Writer {
            root: root.to_path_buf(),
            part: Some(part),
        }
    }

    /// Adds the output's records and the search states and puts the cache in place of the old
    /// one, in one rename (a killed build leaves the old cache or the new one). A cache that
    /// cannot be written is no error (the output is published already); the old one is removed
    /// then, so no doubt is left.
    pub fn finish(
        mut self,
        output: (&[OutputFile], &[OutputFolder]),
        search: &BTreeMap<String, SearchCache>,
    ) {
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

fn write_start(dir: &Path, keys: &Keys, loads: &Loads) -> std::io::Result<Part> {
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# gongkai's build cache: safe to delete, never committed\n*\n",
        )?;
    }
    let parts = loads.write(dir)?;
    let temp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let mut part = Part {
        file: std::fs::File::create(&temp)?,
        temp,
        digest: Sha256::new(),
        parts: Vec::new(),
    };
    let written = (|| {
        part.file.write_all(header().as_bytes())?;
        append(&mut part, keys)?;
        append(&mut part, &parts)
    })();
    match written {
        Ok(()) => Ok(Part { parts, ..part }),
        Err(e) => {
            let _ = std::fs::remove_file(&part.temp);
            Err(e)
        }
    }
}

/// Appends `value` as a part: its length, then its encoding.
fn append(part: &mut Part, value: &impl serde::Serialize) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(std::io::Error::other)?;
    let len = (bytes.len() as u64).to_le_bytes();
    part.digest.update(len);
    part.digest.update(&bytes);
    part.file.write_all(&len)?;
    part.file.write_all(&bytes)
}

fn write_finish(
    root: &Path,
    mut part: Part,
    output: (&[OutputFile], &[OutputFolder]),
    search: &BTreeMap<String, SearchCache>,
) -> std::io::Result<()> {
    let written = (|| {
        append(&mut part, &output)?;
        append(&mut part, search)?;
        let digest: [u8; 32] = std::mem::take(&mut part.digest).finalize().into();
        part.file.write_all(&digest)?;
        std::fs::rename(&part.temp, path(root))?;
        loads::remove_others(&root.join(CACHE_DIR), &part.parts);
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&part.temp);
    }
    written
}
