//! Preview: which pages an edit can change. A report's own pages always; the listings (year,
//! department, theme and home pages, the indexes, feeds) only when something they show of it
//! changed; the sitemap only when a page came or went or a date changed; every report of a
//! department when its newest reports (named by the "archived" notice) changed.
//!
//! The rules compare what the site showed before the edit with what it shows after
//! ([`Snapshot`]), so they hold whatever the edit was and however many edits a failed build
//! held back. `tests/serve.rs` checks them against full builds, byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::config::Lang;
use crate::model::{Entry, ReportKey, Revision, Site};
use crate::render::Page;
use crate::urls;

/// A page named by what it shows rather than by its place in `Site::entries`, so it names the
/// same page after reports are added or removed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    Report(Lang, ReportKey),
    /// Any page but a report.
    Other(Page),
}

impl PageId {
    /// The page's output file.
    pub fn file(&self, site: &Site) -> String {
        match self {
            PageId::Report(lang, key) => urls::file_of(&urls::report(lang, key.year, &key.stem)),
            PageId::Other(page) => page.file(site),
        }
    }

    /// The page in `site`, or `None` when `site` has no such page (its file is to be removed).
    pub fn page(&self, site: &Site, index: &HashMap<&ReportKey, usize>) -> Option<Page> {
        match self {
            PageId::Report(lang, key) => index.get(key).map(|&e| Page::Report(lang.clone(), e)),
            PageId::Other(Page::Year(_, y)) if !site.by_year.contains_key(y) => None,
            PageId::Other(Page::Department(_, k)) if !site.config.departments.contains_key(k) => {
                None
            }
            PageId::Other(Page::Theme(_, k)) if !site.config.themes.contains_key(k) => None,
            PageId::Other(page) => Some(page.clone()),
        }
    }
}

/// Entry key → index into `site.entries`.
pub fn entry_index(site: &Site) -> HashMap<&ReportKey, usize> {
    site.entries
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.key, i))
        .collect()
}

/// What pages other than its own show of one report in one language: lists, feeds, sitemap.
#[derive(Debug, Clone, PartialEq)]
struct Listed {
    title: String,
    date: NaiveDate,
    summary: String,
    revisions: Vec<Revision>,
    figures: Vec<(String, u64)>,
}

/// What pages other than its own show of one report, in every language it has.
#[derive(Debug, Clone, PartialEq)]
struct EntryFacts {
    department: String,
    themes: Vec<String>,
    listed: BTreeMap<Lang, Listed>,
}

impl EntryFacts {
    fn of(site: &Site, entry: &Entry) -> EntryFacts {
        let listed = entry
            .translations
            .iter()
            .map(|(lang, &i)| {
                let r = &site.reports[i];
                let listed = Listed {
                    title: r.title.clone(),
                    date: r.date,
                    summary: r.summary.clone(),
                    revisions: r.revisions.clone(),
                    figures: r
                        .figures
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_bits()))
                        .collect(),
                };
                (lang.clone(), listed)
            })
            .collect();
        EntryFacts {
            department: entry.department.clone(),
            themes: entry.themes.clone(),
            listed,
        }
    }

    /// What the sitemap shows: which languages exist and when each was last changed.
    fn sitemap(&self) -> Vec<(&str, NaiveDate)> {
        self.listed
            .iter()
            .map(|(lang, l)| {
                let revised = l.revisions.iter().map(|r| r.date).max();
                (lang.as_str(), revised.map_or(l.date, |d| d.max(l.date)))
            })
            .collect()
    }
}

/// A department's newest reports as older reports' "archived" notices name them.
#[derive(Debug, Clone, PartialEq)]
struct Newest {
    year: u16,
    entries: Vec<(ReportKey, BTreeMap<Lang, String>)>,
}

/// The facts of one state of the site that the rules compare.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Only the reports an edit touched.
    entries: HashMap<ReportKey, EntryFacts>,
    newest: BTreeMap<String, Newest>,
    years: BTreeSet<u16>,
}

impl Snapshot {
    /// The facts of `site` for the reports in `touched` (and the site-wide ones).
    pub fn capture(site: &Site, touched: &BTreeSet<ReportKey>) -> Snapshot {
        let entries = site
            .entries
            .iter()
            .filter(|e| touched.contains(&e.key))
            .map(|e| (e.key.clone(), EntryFacts::of(site, e)))
            .collect();
        let newest = site
            .newest_year
            .iter()
            .map(|(dept, &year)| {
                let entries = site
                    .newest_of_department(dept)
                    .into_iter()
                    .map(|e| {
                        let titles = e
                            .translations
                            .iter()
                            .map(|(l, &i)| (l.clone(), site.reports[i].title.clone()))
                            .collect();
                        (e.key.clone(), titles)
                    })
                    .collect();
                (dept.clone(), Newest { year, entries })
            })
            .collect();
        Snapshot {
            entries,
            newest,
            years: site.by_year.keys().copied().collect(),
        }
    }
}

/// The pages of `site` (the state after an edit) that may differ from the state `before`,
/// given the reports the edit `touched`; pages no longer in `site` are included (their files
/// are removed).
pub fn affected(
    before: &Snapshot,
    after: &Snapshot,
    site: &Site,
    touched: &BTreeSet<ReportKey>,
) -> BTreeSet<PageId> {
    let langs = &site.config.languages;
    let mut pages = BTreeSet::new();
    let mut listings = false;
    let mut sitemap = false;
    let (mut years, mut departments, mut themes) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for key in touched {
        for lang in langs {
            pages.insert(PageId::Report(lang.clone(), key.clone()));
        }
        let (b, a) = (before.entries.get(key), after.entries.get(key));
        for facts in [b, a].into_iter().flatten() {
            departments.insert(facts.department.clone());
        }
        if b != a {
            listings = true;
            years.insert(key.year);
            for facts in [b, a].into_iter().flatten() {
                themes.extend(facts.themes.iter().cloned());
            }
        }
        if b.map(EntryFacts::sitemap) != a.map(EntryFacts::sitemap) {
            sitemap = true;
        }
    }
    let mut all_listings = false;
    for dept in &departments {
        let (b, a) = (before.newest.get(dept), after.newest.get(dept));
        if b == a {
            continue;
        }
        let members = |n: &Newest| {
            (
                n.year,
                n.entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            )
        };
        let ids = site.by_department.get(dept).map_or(&[][..], Vec::as_slice);
        match (b, a) {
            // The same reports are the newest, only their titles changed: an older report's
            // notice names the newest of the same name, else the first newest.
            (Some(b), Some(a)) if members(b) == members(a) => {
                let retitled: BTreeSet<&ReportKey> = b
                    .entries
                    .iter()
                    .zip(&a.entries)
                    .filter(|(x, y)| x.1 != y.1)
                    .map(|(x, _)| &x.0)
                    .collect();
                for &e in ids {
                    let key = &site.entries[e].key;
                    let named = a
                        .entries
                        .iter()
                        .find(|(k, _)| k.stem == key.stem)
                        .or(a.entries.first());
                    if key.year < a.year && named.is_some_and(|(k, _)| retitled.contains(k)) {
                        pages.extend(langs.iter().map(|l| PageId::Report(l.clone(), key.clone())));
                    }
                }
            }
            // Other reports are the newest: every older report's notice may change, and when
            // the newest year moved, every list marking reports "archived" too.
            _ => {
                for &e in ids {
                    let key = &site.entries[e].key;
                    pages.extend(langs.iter().map(|l| PageId::Report(l.clone(), key.clone())));
                }
                if b.map(|n| n.year) != a.map(|n| n.year) {
                    all_listings = true;
                }
            }
        }
    }
    if all_listings {
        listings = true;
        years.extend(before.years.iter().chain(&after.years));
        departments.extend(site.config.departments.keys().cloned());
        themes.extend(site.config.themes.keys().cloned());
    }
    if !listings && !sitemap {
        return pages;
    }
    for lang in langs {
        let l = || lang.clone();
        if listings {
            pages.extend(
                [
                    Page::Home(l()),
                    Page::Departments(l()),
                    Page::Themes(l()),
                    Page::Feed(l()),
                ]
                .map(PageId::Other),
            );
            pages.extend(years.iter().map(|&y| PageId::Other(Page::Year(l(), y))));
            pages.extend(
                departments
                    .iter()
                    .map(|d| PageId::Other(Page::Department(l(), d.clone()))),
            );
            pages.extend(
                themes
                    .iter()
                    .map(|t| PageId::Other(Page::Theme(l(), t.clone()))),
            );
        }
    }
    if sitemap {
        pages.insert(PageId::Other(Page::Sitemap));
    }
    pages
}
