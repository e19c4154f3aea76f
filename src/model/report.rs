//! Model: one report in one language, as loaded.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::Lang;
pub use crate::content::front_matter::Revision;
pub use crate::content::markdown::Section;

/// What makes reports translations of each other: the year folder and the file stem.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportKey {
    pub year: u16,
    pub stem: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub key: ReportKey,
    pub lang: Lang,
    /// Relative to the site root (`content/2022/justice-bureau.zh.md`).
    pub source_path: PathBuf,
    /// Lowercase hex SHA-256 of the file's bytes as read (for `archive.lock`, `manifest.json`).
    pub source_sha256: String,
    pub title: String,
    pub department: String,
    pub themes: Vec<String>,
    pub date: NaiveDate,
    /// From front matter, or the start of the body.
    pub summary: String,
    pub draft: bool,
    pub figures: BTreeMap<String, f64>,
    /// Oldest first, as written.
    pub revisions: Vec<Revision>,
    pub body_html: String,
    pub sections: Vec<Section>,
}

impl Report {
    /// The date of the newest revision, when there is one.
    pub fn last_revised(&self) -> Option<NaiveDate> {
        self.revisions.iter().map(|r| r.date).max()
    }
}
