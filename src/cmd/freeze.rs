//! `gongkai freeze <year>`: records the year's published report files in `archive.lock` (the
//! format and the frozen-report check are [`crate::archive::lock`]).

use crate::archive::lock::{self, Lock};
use crate::messages::Msg;
use crate::model::Report;
use crate::options::BuildOptions;
use crate::pipeline::{Error, load};

/// What `gongkai freeze` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezeSummary {
    pub year: u16,
    /// Report files recorded for the year.
    pub frozen: usize,
    /// Of those, how many were new to the lock or recorded with another hash than before.
    pub changed: usize,
}

/// Records the SHA-256 and revision count of every published report file of `year` (every
/// language; drafts are not published, so they are left out) in `archive.lock`, keeping the
/// entries of other years. The site must load as `build` loads it, frozen reports included: a
/// changed frozen report needs its revision before it can be frozen again.
pub fn run(opts: &BuildOptions, year: u16) -> Result<FreezeSummary, Error> {
    let opts = BuildOptions {
        drafts: false,
        ..opts.clone()
    };
    let site = load(&opts)?.site;
    let published: Vec<&Report> = site
        .reports
        .iter()
        .filter(|r| r.key.year == year)
        .map(|r| &**r)
        .collect();
    if published.is_empty() {
        let message = Msg::new("archive.freeze_no_report")
            .arg("year", year)
            .list("years", site.years());
        return Err(Error::Usage(message));
    }
    let mut lock = Lock::read(&opts.root)?;
    let before = lock.entries.clone();
    lock.freeze_year(year, &published);
    let changed = published
        .iter()
        .filter(|r| {
            before
                .get(&lock::lock_path(r))
                .is_none_or(|e| e.sha256 != r.source_sha256 || e.revisions != r.revisions.len())
        })
        .count();
    lock.write(&opts.root)?;
    Ok(FreezeSummary {
        year,
        frozen: published.len(),
        changed,
    })
}
