//! The output files the last build published, with their hashes and their stamps right after
//! publishing. A file is known to hold the recorded bytes while its stamp is the same (the
//! update in place leaves unchanged files untouched); if any recorded file differs, was
//! removed or was replaced, nothing of the output is trusted and every page is rendered.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::archive::manifest::FileHash;
use crate::content::{Stamp, stamp};
use crate::output::Changes;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFile {
    pub path: String,
    pub hash: FileHash,
    pub stamp: Stamp,
}

/// The recorded output files, all found as they were published.
#[derive(Debug, Default)]
pub struct Records(HashMap<String, (FileHash, Stamp)>);

/// Where the output file `path` (`/`-separated) is under `out`.
pub fn output_path(out: &Path, path: &str) -> PathBuf {
    path.split('/').fold(out.to_path_buf(), |d, p| d.join(p))
}

impl Records {
    /// The records of `files` when every one of them is still in `out` as published.
    pub fn check(out: &Path, files: Vec<OutputFile>) -> Option<Records> {
        let intact = (files.par_iter()).all(|f| stamp(&output_path(out, &f.path)) == Some(f.stamp));
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
    let files: Vec<(String, FileHash)> = hashes.into_iter().collect();
    files
        .into_par_iter()
        .map(|(path, hash)| {
            let kept = match prior.0.get(&path) {
                Some((h, stamp)) if *h == hash && !changes.0.contains_key(&path) => Some(*stamp),
                _ => None,
            };
            let stamp = kept.or_else(|| stamp(&output_path(out, &path)))?;
            Some(OutputFile { path, hash, stamp })
        })
        .collect()
}
