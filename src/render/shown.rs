//! Render stage: what pages other than its own show of a report — its list item, its feed
//! entry, its figures on the department page, its date in the sitemap, the archived notice
//! that names it. The views build their contexts from these functions, and the preview
//! compares their results before and after an edit to know which pages to render again
//! (`render/deps.rs`), so a view that starts showing something more of a report is re-rendered
//! when that changes, with no second list of rules to keep in step.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Entry, Report, ReportKey, Revision, Site};

/// How many reports a language's Atom feed carries.
pub const FEED_ENTRIES: usize = 50;

/// What a list (home, year, department and theme pages) shows of one report, in the page's
/// language, before links and labels are made for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFacts<'a> {
    pub key: &'a ReportKey,
    /// The language of the report shown: the page's, or the best other one.
    pub lang: &'a str,
    /// Whether it is the page's language.
    pub exact: bool,
    pub title: &'a str,
    pub date: NaiveDate,
    pub summary: &'a str,
    pub department: &'a str,
    pub themes: &'a [String],
    pub archived: bool,
    /// What places it in the list, with the year and stem (lists are newest first).
    pub list_date: Option<NaiveDate>,
}

pub fn item_facts<'a>(site: &'a Site, entry: &'a Entry, lang: &str) -> ItemFacts<'a> {
    let (report, exact) = site.in_lang(entry, lang);
    ItemFacts {
        key: &entry.key,
        lang: &report.lang,
        exact,
        title: &report.title,
        date: report.date,
        summary: &report.summary,
        department: &entry.department,
        themes: &entry.themes,
        archived: site.is_archived(entry),
        list_date: site.list_date(entry),
    }
}

/// One report in a language's Atom feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry<'a> {
    pub key: &'a ReportKey,
    pub lang: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub department: &'a str,
    pub date: NaiveDate,
    /// The newest revision date, or the publication date.
    pub updated: NaiveDate,
    /// Newest first.
    pub revisions: Vec<&'a Revision>,
}

/// The feed of `lang`: its reports most recently updated first, at most [`FEED_ENTRIES`].
pub fn feed_entries<'a>(site: &'a Site, lang: &str) -> Vec<FeedEntry<'a>> {
    let updated = |r: &Report| r.last_revised().unwrap_or(r.date).max(r.date);
    let mut newest: Vec<(NaiveDate, &'a Report)> = site
        .reports
        .iter()
        .filter(|r| r.lang == lang)
        .map(|r| (updated(r), &**r))
        .collect();
    // Keys are unique within a language, so the order is total: the fifty newest are picked
    // without sorting every report (the preview asks at every edit).
    let order =
        |a: &(NaiveDate, &Report), b: &(NaiveDate, &Report)| (b.0, &b.1.key).cmp(&(a.0, &a.1.key));
    if newest.len() > FEED_ENTRIES {
        newest.select_nth_unstable_by(FEED_ENTRIES - 1, order);
        newest.truncate(FEED_ENTRIES);
    }
    newest.sort_unstable_by(order);
    newest
        .into_iter()
        .map(|(updated, r)| {
            let mut revisions: Vec<&Revision> = r.revisions.iter().collect();
            revisions.sort_by_key(|r| Reverse(r.date));
            FeedEntry {
                key: &r.key,
                lang: &r.lang,
                title: &r.title,
                summary: &r.summary,
                department: &r.department,
                date: r.date,
                updated,
                revisions,
            }
        })
        .collect()
}

/// The figures of a department's reports (`ids` index `site.entries`) as its page shows them:
/// (figure key, year) → value, from the report in `lang` or else another translation; when a
/// department published several reports in one year, the newest has it.
pub fn figure_values<'a>(
    site: &'a Site,
    ids: &[usize],
    lang: &str,
) -> BTreeMap<(&'a str, u16), f64> {
    let mut values = BTreeMap::new();
    for &i in ids {
        let entry = &site.entries[i];
        let (first, _) = site.in_lang(entry, lang);
        let others = entry.translations.values().map(|&r| &*site.reports[r]);
        for report in std::iter::once(first).chain(others) {
            for (key, value) in &report.figures {
                values
                    .entry((key.as_str(), entry.key.year))
                    .or_insert(*value);
            }
        }
    }
    values
}

/// The sitemap's `lastmod` of a report page: its newest revision or its publication date.
pub fn lastmod(report: &Report) -> NaiveDate {
    report
        .last_revised()
        .map_or(report.date, |d| d.max(report.date))
}

/// The report an archived report's notice links: its department's newest report of the same
/// name, else the first newest. `None` when the report is not archived. In a site cut out of a
/// bigger one (an archive bundle), the newest report is looked up in the whole site.
pub fn newest_named<'a>(site: &'a Site, entry: &Entry, lang: &str) -> Option<&'a Report> {
    if !site.is_archived(entry) {
        return None;
    }
    let whole = site.whole.as_deref().unwrap_or(site);
    let newest = whole.newest_of_department(&entry.department);
    let pick = newest
        .iter()
        .find(|e| e.key.stem == entry.key.stem)
        .or_else(|| newest.first())?;
    Some(whole.in_lang(pick, lang).0)
}
