//! Model: one report in one language, as loaded, and the names that identify it.
//!
//! A [`Report`] holds the report's facts and its section texts; its rendered HTML is kept apart
//! (see [`Bodies`]), so lists, feeds and the search index share one copy of the facts
//! (`Arc<Report>`) and the HTML goes away with whatever holds it once the pages are written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Lang;

/// What makes reports translations of each other: the year folder and the file stem.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ReportKey {
    pub year: u16,
    pub stem: String,
}

/// One report in one language, by its place in the site (`content/2022/justice-bureau.zh.md`
/// is 2022, `justice-bureau`, `zh`): the same id whatever else an edit changes.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ReportId {
    pub key: ReportKey,
    pub lang: Lang,
}

impl ReportId {
    pub fn new(year: u16, stem: &str, lang: &str) -> ReportId {
        ReportId {
            key: ReportKey {
                year,
                stem: stem.to_string(),
            },
            lang: lang.to_string(),
        }
    }
}

/// A correction after publication (`revisions:` in front matter).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Revision {
    pub date: NaiveDate,
    pub note: String,
}

/// A part of a report under one heading; the part before the first heading has no heading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// The heading's `id` in the page (empty before the first heading).
    pub id: String,
    pub heading: String,
    /// Plain text, for the search index.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// 成文日期: when the report was written or signed, if the front matter says
    /// (`written_date`); shown in the disclosure block.
    pub written_date: Option<NaiveDate>,
    /// From front matter, or the start of the body.
    pub summary: String,
    pub draft: bool,
    pub figures: BTreeMap<String, f64>,
    /// Oldest first, as written.
    pub revisions: Vec<Revision>,
    pub sections: Vec<Section>,
    /// The report's kind, a key of `site.yaml`'s `kinds:` (README "Report kinds").
    pub kind: Option<String>,
    /// The file line of `kind:` (1 without one): where the kind rules point.
    pub kind_line: usize,
}

impl Report {
    /// The report with its sections' texts left empty (the build cache keeps it so: the texts
    /// are most of its size and only the search index reads them).
    pub fn without_texts(&self) -> Report {
        let sections = (self.sections.iter())
            .map(|s| Section {
                id: s.id.clone(),
                heading: s.heading.clone(),
                text: String::new(),
            })
            .collect();
        Report {
            key: self.key.clone(),
            lang: self.lang.clone(),
            source_path: self.source_path.clone(),
            source_sha256: self.source_sha256.clone(),
            title: self.title.clone(),
            department: self.department.clone(),
            themes: self.themes.clone(),
            date: self.date,
            written_date: self.written_date,
            summary: self.summary.clone(),
            draft: self.draft,
            figures: self.figures.clone(),
            revisions: self.revisions.clone(),
            sections,
            kind: self.kind.clone(),
            kind_line: self.kind_line,
        }
    }

    /// The date of the newest revision, when there is one.
    pub fn last_revised(&self) -> Option<NaiveDate> {
        self.revisions.iter().map(|r| r.date).max()
    }

    pub fn id(&self) -> ReportId {
        ReportId {
            key: self.key.clone(),
            lang: self.lang.clone(),
        }
    }
}

/// Where the rendered HTML of each report's body is found: the load stage's store, which the
/// build drops once the pages are written.
pub trait Bodies: Sync {
    /// The body of the report loaded from `source_path`, as HTML.
    fn html(&self, source_path: &Path) -> Option<&str>;
}

/// No bodies: for sites rendered only for their lists (tests, the model alone).
impl Bodies for () {
    fn html(&self, _: &Path) -> Option<&str> {
        None
    }
}
