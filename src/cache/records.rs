//! The output files the last build published, with their hashes and their stamps right after
//! publishing. A file is known to hold the recorded bytes while its stamp is the same (the
//! update in place leaves unchanged files untouched); if any recorded file differs, was
//! removed or was replaced, nothing of the output is trusted and every page is rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::archive::manifest::FileHash;
use crate::output::{Changes, folders_holding};
use crate::stamp::{Stamp, Under};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFile {
    pub path: String,
    pub hash: FileHash,
    pub stamp: Stamp,
}

/// A folder of the output right after publishing: its stamp when it had settled by then
/// ([`Stamp::settled`]), so that the next build can take its entries from the records
/// (`output/survey.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFolder {
    pub path: String,
    pub stamp: Option<Stamp>,
}

/// How long a folder must have been left alone for its stamp to count ([`Stamp::settled`]).
const SETTLED: Duration = Duration::from_secs(2);

/// The recorded output files, all found as they were published.
/// Keyed by the build's own output paths with FxHash: SipHash was 4 % of the CPU of a build
/// after an edit, in these maps and the output survey's sets.
#[derive(Debug, Default)]
pub struct Records(FxHashMap<String, (FileHash, Stamp)>);

/// Where the output file `path` (`/`-separated) is under `out`.
pub fn output_path(out: &Path, path: &str) -> PathBuf {
    path.split('/').fold(out.to_path_buf(), |d, p| d.join(p))
}

impl Records {
    /// The records of `files` when every one of them is still in `out` as published.
    pub fn check(out: &Path, files: Vec<OutputFile>) -> Option<Records> {
        let under = Under::open(out);
        let intact = (files.par_iter()).all(|f| under.stamp(&f.path) == Some(f.stamp));
        let records = files.into_iter().map(|f| (f.path, (f.hash, f.stamp)));
        intact.then(|| Records(records.collect()))
    }

    pub fn get(&self, path: &str) -> Option<&FileHash> {
        self.0.get(path).map(|(hash, _)| hash)
    }

    /// The recorded files under the folder `dir` (`zh/search`).
    pub fn under(&self, dir: &str) -> Vec<(&str, &FileHash)> {
        let prefix = format!("{dir}/");
        (self.0.iter())
            .filter(|(p, _)| p.starts_with(&prefix))
            .map(|(p, (h, _))| (p.as_str(), h))
            .collect()
    }
}

/// The records of the files `hashes` names, as now published in `out`; `None` when one is
/// missing (the cache is then not written). A file `changes` does not list that `prior`
/// recorded with the same hash was not touched: its stamp is the recorded one.
pub fn stamp_output(
    out: &Path,
    hashes: BTreeMap<String, FileHash>,
    prior: &Records,
    changes: &Changes,
) -> Option<Vec<OutputFile>> {
    let under = Under::open(out);
    let files: Vec<(String, FileHash)> = hashes.into_iter().collect();
    files
        .into_par_iter()
        .map(|(path, hash)| {
            let kept = match prior.0.get(&path) {
                Some((h, stamp)) if *h == hash && !changes.0.contains_key(&path) => Some(*stamp),
                _ => None,
            };
            let stamp = kept.or_else(|| under.stamp(&path))?;
            Some(OutputFile { path, hash, stamp })
        })
        .collect()
}

/// The folders holding the published `files`, as now in `out`. A folder `prior` recorded with
/// a stamp keeps it when no path `changes` lists lies in it: the publishing did not touch it.
/// Others are stamped now; a folder changed just before gets no stamp, so the next build
/// reads it.
pub fn stamp_folders(
    out: &Path,
    files: &[OutputFile],
    prior: &[OutputFolder],
    changes: &Changes,
) -> Vec<OutputFolder> {
    let (under, now) = (Under::open(out), SystemTime::now());
    let mut folders: Vec<&str> = folders_holding(files.iter().map(|f| f.path.as_str()))
        .into_iter()
        .collect();
    folders.sort_unstable();
    let touched = folders_holding(changes.0.keys().map(String::as_str));
    let before: FxHashMap<&str, Stamp> = (prior.iter())
        .filter_map(|f| Some((f.path.as_str(), f.stamp?)))
        .collect();
    (folders.into_par_iter())
        .map(|path| {
            let kept = before
                .get(path)
                .filter(|_| !touched.contains(path))
                .copied();
            let stamp =
                kept.or_else(|| under.folder_stamp(path).filter(|s| s.settled(now, SETTLED)));
            OutputFolder {
                path: path.to_string(),
                stamp,
            }
        })
        .collect()
}
