//! Render stage: which pages an edit can change (the preview between edits, `build` with its
//! cache). A report's own pages always; any other page only
//! when what it shows of a report differs between the site before the edit and after it, as
//! the views themselves compute it ([`crate::render::shown`]): list items, feed entries,
//! department figures, sitemap dates, archived notices, the status page's tables.
//!
//! The rules compare two states of the site, so they hold whatever the edit was and however
//! many edits a failed build held back. `tests/serve.rs` and `tests/serve_property.rs` check
//! them against full builds, byte for byte.

use std::collections::{BTreeMap, BTreeSet};

use super::Page;
use super::shown::{self, ItemFacts};
use crate::config::Lang;
use crate::model::{ReportKey, Site};

/// The two states of the site an edit moved between, and the reports it touched.
struct Edit<'a> {
    before: &'a Site,
    after: &'a Site,
    touched: &'a BTreeSet<ReportKey>,
}

/// The pages of `after` that may differ from `before`, given the reports whose files changed;
/// pages no longer in `after` are included (their files are removed).
pub fn affected(before: &Site, after: &Site, touched: &BTreeSet<ReportKey>) -> BTreeSet<Page> {
    let edit = Edit {
        before,
        after,
        touched,
    };
    let mut pages = BTreeSet::new();
    let langs = &after.config.languages;
    for key in touched {
        pages.extend(langs.iter().map(|l| Page::Report(l.clone(), key.clone())));
    }
    let departments = edit.departments();
    let candidates = edit.candidates(&departments);
    for lang in langs {
        for key in &candidates {
            edit.listed(key, lang, &mut pages);
            if notice(before, key, lang) != notice(after, key, lang) {
                pages.insert(Page::Report(lang.clone(), key.clone()));
            }
        }
        if shown::feed_entries(before, lang) != shown::feed_entries(after, lang) {
            pages.insert(Page::Feed(lang.clone()));
        }
        for dept in &departments {
            if figures(before, dept, lang) != figures(after, dept, lang) {
                pages.insert(Page::Department(lang.clone(), dept.clone()));
            }
        }
    }
    if edit.sitemap_differs() {
        pages.insert(Page::Sitemap);
    }
    if after.config.kinds.status_page && status(before) != status(after) {
        pages.extend(langs.iter().map(|l| Page::Status(l.clone())));
    }
    pages
}

/// What the status page shows (README "Report kinds"): its day and every kind's table.
fn status(
    site: &Site,
) -> (
    Option<chrono::NaiveDate>,
    Vec<crate::kinds::status::KindTable>,
) {
    let kinds = &site.config.kinds;
    let today = kinds.today;
    let departments: Vec<String> = site.config.departments.keys().cloned().collect();
    let day = today.unwrap_or_default();
    let tables = crate::kinds::status::tables(&site.reports, &departments, kinds, day, None);
    (today, tables)
}

impl Edit<'_> {
    /// The departments of the touched reports, before and after.
    fn departments(&self) -> BTreeSet<String> {
        let mut departments = BTreeSet::new();
        for key in self.touched {
            for site in [self.before, self.after] {
                departments.extend(site.entry(key).map(|e| e.department.clone()));
            }
        }
        departments
    }

    /// The reports whose list items or notices an edit can change: those touched, and every
    /// report of their departments (whose "archived" state and notices follow the newest).
    fn candidates(&self, departments: &BTreeSet<String>) -> BTreeSet<ReportKey> {
        let mut keys = self.touched.clone();
        for site in [self.before, self.after] {
            for dept in departments {
                let ids = site.by_department.get(dept).map_or(&[][..], Vec::as_slice);
                keys.extend(ids.iter().map(|&i| site.entries[i].key.clone()));
            }
        }
        keys
    }

    /// Queues the lists in `lang` that show `key`, on either side, when what they show of it
    /// differs; the home and index pages too when it moved between groups.
    fn listed(&self, key: &ReportKey, lang: &Lang, pages: &mut BTreeSet<Page>) {
        let (b, a) = (facts(self.before, key, lang), facts(self.after, key, lang));
        if b == a {
            return;
        }
        let l = || lang.clone();
        for f in [&b, &a].into_iter().flatten() {
            pages.insert(Page::Year(l(), f.key.year));
            pages.insert(Page::Department(l(), f.department.to_string()));
            pages.extend(f.themes.iter().map(|t| Page::Theme(l(), t.clone())));
        }
        // The home lists the latest year and every year, department and theme with counts.
        pages.insert(Page::Home(l()));
        if b.as_ref().map(group_of) != a.as_ref().map(group_of) {
            pages.insert(Page::Departments(l()));
            pages.insert(Page::Themes(l()));
        }
    }

    /// Whether the sitemap changes: a page came or went, or a report's date did.
    fn sitemap_differs(&self) -> bool {
        let years = |s: &Site| s.by_year.keys().copied().collect::<Vec<_>>();
        if years(self.before) != years(self.after) {
            return true;
        }
        self.touched.iter().any(|key| {
            let dates = |site: &Site| {
                site.entry(key).map(|e| {
                    e.translations
                        .iter()
                        .map(|(l, &i)| (l.clone(), shown::lastmod(&site.reports[i])))
                        .collect::<Vec<_>>()
                })
            };
            dates(self.before) != dates(self.after)
        })
    }
}

/// Where a report is counted on the index pages: its year, department and themes.
fn group_of<'f>(f: &'f ItemFacts<'_>) -> (u16, &'f str, &'f [String]) {
    (f.key.year, f.department, f.themes)
}

fn facts<'s>(site: &'s Site, key: &ReportKey, lang: &str) -> Option<ItemFacts<'s>> {
    site.entry(key).map(|e| shown::item_facts(site, e, lang))
}

/// The report an archived report's notice names (key, language, title), if archived.
fn notice<'s>(
    site: &'s Site,
    key: &ReportKey,
    lang: &str,
) -> Option<(&'s ReportKey, &'s str, &'s str)> {
    let entry = site.entry(key)?;
    shown::newest_named(site, entry, lang).map(|r| (&r.key, r.lang.as_str(), r.title.as_str()))
}

fn figures<'s>(site: &'s Site, department: &str, lang: &str) -> BTreeMap<(&'s str, u16), f64> {
    let ids = site
        .by_department
        .get(department)
        .map_or(&[][..], Vec::as_slice);
    shown::figure_values(site, ids, lang)
}
