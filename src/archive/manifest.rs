//! Archive stage: `manifest.json` at the output root (README, "Archiving") — every published report
//! of a build with the SHA-256 of its source file and of its rendered page, so a records office can
//! check that a page is what the source said.
//!
//! Guarantees: sorted (year, report, language) and pretty-printed by serde_json, no timestamps,
//! so two builds of the same input write the same bytes. The page hashes are of the bytes this
//! very build wrote (directory-style links on the web, `index.html` links in a bundle).

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

use crate::hash::sha256_hex;
use crate::model::{Report, Site};
use crate::output::{OutputError, Sink};
use crate::render::Page;
use crate::urls;

pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub generator: &'static str,
    pub base_url: &'a str,
    pub reports: Vec<ManifestReport<'a>>,
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
    let mut pages = HashMap::new();
    for entry in &site.entries {
        for (lang, &i) in &entry.translations {
            let page = Page::Report(lang.clone(), entry.key.clone());
            pages.insert(page.file(), &*site.reports[i]);
        }
    }
    pages
}

/// The manifest of `site`, given the SHA-256 of each report page as written.
pub fn manifest<'a>(site: &'a Site, page_sha256: impl Fn(&str) -> Option<String>) -> Manifest<'a> {
    let mut reports: Vec<ManifestReport<'a>> = report_pages(site)
        .into_iter()
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
    reports.sort_by(|a, b| (a.year, &a.url).cmp(&(b.year, &b.url)));
    Manifest {
        generator: "gongkai",
        base_url: &site.config.base_url,
        reports,
    }
}

/// `manifest.json`'s bytes.
pub fn to_json(manifest: &Manifest<'_>) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(manifest).expect("serialising to memory");
    bytes.push(b'\n');
    bytes
}

/// A sink that passes every file on and remembers the SHA-256 of the report pages, so the
/// manifest needs no second look at the output (which may be a folder being staged).
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    site: &'a Site,
    pages: HashMap<String, &'a Report>,
    hashes: Mutex<HashMap<String, String>>,
}

impl<'a> Recorder<'a> {
    pub fn new(site: &'a Site, inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            site,
            pages: report_pages(site),
            hashes: Mutex::default(),
        }
    }

    /// Writes `manifest.json` into the inner sink.
    pub fn finish(self) -> Result<(), OutputError> {
        let hashes = self.hashes.into_inner().unwrap_or_else(|e| e.into_inner());
        let json = to_json(&manifest(self.site, |page| hashes.get(page).cloned()));
        self.inner.put(MANIFEST_FILE, json)
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        if self.pages.contains_key(path) {
            let hash = sha256_hex(&bytes);
            self.hashes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_string(), hash);
        }
        self.inner.put(path, bytes)
    }
}
