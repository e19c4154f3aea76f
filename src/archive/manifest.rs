//! Archive stage: `manifest.json` at the output root (README, "Archiving") — every published report
//! of a build with the SHA-256 of its source file and of its rendered page, so a records office can
//! check that a page is what the source said, and every published file with its SHA-256 and
//! size, so `gongkai verify` can tell a changed, added or missing file. With a signing key the
//! manifest is signed (`manifest.json.sig`, [`crate::trust::sign`]) and the public key published
//! (`keys/public-key.pem`).
//!
//! Guarantees: sorted (year, report, language; files by path) and pretty-printed by serde_json,
//! no timestamps, so two builds of the same input write the same bytes. The hashes are of the
//! bytes this very build wrote (directory-style links on the web, `index.html` links in a
//! bundle). The manifest lists every file but itself and its signature.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use crate::hash::sha256_hex;
use crate::model::{Report, Site};
use crate::output::{OutputError, Sink};
use crate::render::Page;
use crate::trust::PUBLIC_KEY_FILE;
use crate::trust::sign::{SIGNATURE_FILE, Signer};
use crate::urls;

pub const MANIFEST_FILE: &str = "manifest.json";

/// A file's SHA-256 (lowercase hex) and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileHash {
    pub sha256: String,
    pub size: u64,
}

impl FileHash {
    pub fn of(bytes: &[u8]) -> FileHash {
        FileHash {
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub generator: &'static str,
    pub base_url: &'a str,
    /// The public key that signs this manifest (`site.yaml` `public_key`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    pub reports: Vec<ManifestReport<'a>>,
    /// Every published file but the manifest and its signature, sorted by path.
    pub files: Vec<ManifestFile<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ManifestFile<'a> {
    /// From the output root, `/`-separated.
    pub path: &'a str,
    pub sha256: &'a str,
    pub size: u64,
}

#[derive(Debug, Serialize)]
pub struct ManifestReport<'a> {
    pub year: u16,
    pub department: &'a str,
    pub lang: &'a str,
    pub title: &'a str,
    /// The page's address relative to the site root (`zh/2022/justice-bureau/`).
    pub url: String,
    /// The file written for it (`zh/2022/justice-bureau/index.html`).
    pub page: String,
    pub page_sha256: String,
    /// The source file, from the site root (`content/2022/justice-bureau.zh.md`).
    pub source: String,
    pub source_sha256: &'a str,
    pub revisions: usize,
}

/// Every published report page of `site`: output file → report (translations that do not exist
/// are "not translated" notices, not reports, and are left out).
pub fn report_pages(site: &Site) -> HashMap<String, &Report> {
    report_page_list(site).collect()
}

fn report_page_list(site: &Site) -> impl ParallelIterator<Item = (String, &Report)> {
    site.entries.par_iter().flat_map_iter(|entry| {
        (entry.translations.iter()).map(|(lang, &i)| {
            let page = Page::Report(lang.clone(), entry.key.clone());
            (page.file(), &*site.reports[i])
        })
    })
}

/// The manifest of `site`, given every file written but the manifest and its signature.
pub fn manifest<'a>(site: &'a Site, files: &'a BTreeMap<String, FileHash>) -> Manifest<'a> {
    let page_sha256 = |page: &str| files.get(page).map(|h| h.sha256.clone());
    let mut reports: Vec<ManifestReport<'a>> = report_page_list(site)
        .map(|(page, r)| ManifestReport {
            year: r.key.year,
            department: &r.department,
            lang: &r.lang,
            title: &r.title,
            url: urls::report(&r.lang, r.key.year, &r.key.stem),
            page_sha256: page_sha256(&page).unwrap_or_default(),
            page,
            source: super::lock::lock_path(r),
            source_sha256: &r.source_sha256,
            revisions: r.revisions.len(),
        })
        .collect();
    reports.par_sort_unstable_by(|a, b| (a.year, &a.url).cmp(&(b.year, &b.url)));
    Manifest {
        generator: "gongkai",
        base_url: &site.config.base_url,
        public_key: site.config.keys.public.map(|k| k.base64()),
        reports,
        files: files
            .iter()
            .filter(|(path, _)| !is_trust_file(path))
            .map(|(path, h)| ManifestFile {
                path,
                sha256: &h.sha256,
                size: h.size,
            })
            .collect(),
    }
}

/// The manifest and its signature: the files a manifest cannot list.
pub fn is_trust_file(path: &str) -> bool {
    path == MANIFEST_FILE || path == SIGNATURE_FILE
}

/// The files that seal an output, given the hashes of everything else in it: the public key
/// (when `site.yaml` has one, its hash added to `files`), `manifest.json`, and with `signer`
/// its signature. In this order, so the manifest lists the key file.
pub fn trust_files(
    site: &Site,
    files: &mut BTreeMap<String, FileHash>,
    signer: Option<&Signer>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(key) = site.config.keys.public {
        let pem = key.pem().into_bytes();
        files.insert(PUBLIC_KEY_FILE.to_string(), FileHash::of(&pem));
        out.push((PUBLIC_KEY_FILE.to_string(), pem));
    }
    let json = to_json(manifest(site, files));
    if let Some(signer) = signer {
        out.push((SIGNATURE_FILE.to_string(), signer.sign(&json)));
    }
    out.push((MANIFEST_FILE.to_string(), json));
    out
}

/// Replaces the trust files of `files` (a whole output in memory: a bundle) with ones made
/// for exactly the other files it holds; hashes in parallel.
pub fn seal(site: &Site, files: &mut BTreeMap<String, Vec<u8>>, signer: Option<&Signer>) {
    files.retain(|path, _| !is_trust_file(path) && path != PUBLIC_KEY_FILE);
    let mut hashes: BTreeMap<String, FileHash> = files
        .par_iter()
        .map(|(path, bytes)| (path.clone(), FileHash::of(bytes)))
        .collect();
    files.extend(trust_files(site, &mut hashes, signer));
}

/// `manifest.json`'s bytes: serde_json's pretty printing, its two long lists printed in
/// parallel (`json_lists.rs`).
pub fn to_json(mut manifest: Manifest<'_>) -> Vec<u8> {
    let reports = std::mem::take(&mut manifest.reports);
    let files = std::mem::take(&mut manifest.files);
    let lists = super::json_lists::with_lists(&manifest, ("reports", &reports), ("files", &files));
    lists.unwrap_or_else(|| {
        manifest.reports = reports;
        manifest.files = files;
        let mut bytes = serde_json::to_vec_pretty(&manifest).expect("serialising to memory");
        bytes.push(b'\n');
        bytes
    })
}

/// A sink that passes every file on and remembers its SHA-256, so the manifest needs no second
/// look at the output (which may be a folder being staged). Files are hashed on the threads
/// that write them, so hashing runs in parallel with rendering.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    site: &'a Site,
    hashes: Mutex<BTreeMap<String, FileHash>>,
}

impl<'a> Recorder<'a> {
    pub fn new(site: &'a Site, inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            site,
            hashes: Mutex::default(),
        }
    }

    /// Keeps the previous output's file at `path`, whose hash the build cache recorded.
    pub fn keep(&self, path: &str, hash: &FileHash) -> Result<(), OutputError> {
        self.inner.keep(path)?;
        self.hashes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), hash.clone());
        Ok(())
    }

    /// Writes the public key, `manifest.json` and, with `signer`, its signature into the inner
    /// sink; returns how many files that is.
    pub fn finish(self, signer: Option<&Signer>) -> Result<usize, OutputError> {
        self.finish_recorded(signer).map(|(n, _)| n)
    }

    /// [`finish`](Self::finish), also giving the hash of every file the manifest lists.
    pub fn finish_recorded(
        self,
        signer: Option<&Signer>,
    ) -> Result<(usize, BTreeMap<String, FileHash>), OutputError> {
        let mut hashes = self.hashes.into_inner().unwrap_or_else(|e| e.into_inner());
        let files = trust_files(self.site, &mut hashes, signer);
        let n = files.len();
        for (path, bytes) in files {
            self.inner.put(&path, bytes)?;
        }
        Ok((n, hashes))
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let hash = FileHash::of(&bytes);
        self.hashes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), hash);
        self.inner.put(path, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(i: usize, title: &str) -> ManifestReport<'_> {
        ManifestReport {
            year: 2020 + (i % 5) as u16,
            department: "justice-bureau",
            lang: "zh",
            title,
            url: format!("zh/2022/r-{i}/"),
            page: format!("zh/2022/r-{i}/index.html"),
            page_sha256: format!("{i:064x}"),
            source: format!("content/2022/r-{i}.zh.md"),
            source_sha256: "ab",
            revisions: i % 3,
        }
    }

    #[test]
    fn the_bytes_are_serde_jsons() {
        let titles = [
            "标题 \"引号\"\n换行\t\u{1}",
            "plain",
            "\\ back\\slash </script>",
        ];
        let paths: Vec<String> = (0..2_500)
            .map(|i| format!("zh/{i}/页面 \"{i}\".html"))
            .collect();
        for (reports, files, key) in [(0, 0, None), (1, 1, Some("KEY")), (2_100, 2_500, None)] {
            let manifest = || Manifest {
                generator: "gongkai",
                base_url: "https://example.gov.cn/",
                public_key: key.map(str::to_string),
                reports: (0..reports).map(|i| report(i, titles[i % 3])).collect(),
                files: (paths.iter().take(files).enumerate())
                    .map(|(i, path)| ManifestFile {
                        path,
                        sha256: titles[i % 3],
                        size: i as u64,
                    })
                    .collect(),
            };
            let mut expected = serde_json::to_vec_pretty(&manifest()).unwrap();
            expected.push(b'\n');
            let got = to_json(manifest());
            assert!(got == expected, "{reports} reports, {files} files differ");
        }
    }
}
