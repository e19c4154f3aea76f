//! Model stage: reports paired into translations, and the indexes by year, department and
//! theme that every language's pages list. Pure data; nothing here reads files.

mod report;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use report::{Bodies, Report, ReportId, ReportKey, Revision, Section};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// One report across its languages.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: ReportKey,
    pub department: String,
    pub themes: Vec<String>,
    /// Language → index into [`Site::reports`].
    pub translations: BTreeMap<String, usize>,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Sorted by key, then language.
    pub reports: Vec<Arc<Report>>,
    /// Newest first: year, then publication date, then stem.
    pub entries: Vec<Entry>,
    /// Report key → index into `entries`.
    entry_of: HashMap<ReportKey, usize>,
    /// Year → entries (indexes into `entries`, newest first).
    pub by_year: BTreeMap<u16, Vec<usize>>,
    pub by_department: BTreeMap<String, Vec<usize>>,
    pub by_theme: BTreeMap<String, Vec<usize>>,
    /// The latest year in which each department published a report.
    pub newest_year: BTreeMap<String, u16>,
    /// For a site cut out of a bigger one (an archive bundle holds one year): the whole site,
    /// whose newest reports the archived notices link on the live site. `None` otherwise.
    pub whole: Option<std::sync::Arc<Site>>,
}

impl Site {
    /// Pairs translations and builds the indexes. Translations must agree on department and
    /// themes, or the indexes would differ between languages.
    pub fn new(config: Config, mut reports: Vec<Arc<Report>>) -> Result<Site, Diagnostics> {
        reports.sort_by(|a, b| (&a.key, &a.lang).cmp(&(&b.key, &b.lang)));
        let mut by_key: BTreeMap<ReportKey, BTreeMap<String, usize>> = BTreeMap::new();
        for (i, r) in reports.iter().enumerate() {
            by_key
                .entry(r.key.clone())
                .or_default()
                .insert(r.lang.clone(), i);
        }
        let mut problems = Diagnostics::default();
        let mut entries = Vec::with_capacity(by_key.len());
        for (key, translations) in by_key {
            let first = &reports[*translations
                .get(config.default_lang())
                .unwrap_or_else(|| translations.values().next().expect("non-empty"))];
            for &i in translations.values() {
                let other = &reports[i];
                if other.department != first.department || other.themes != first.themes {
                    problems.push(
                        Diagnostic::at_file(
                            &other.source_path,
                            format!(
                                "translations disagree: `{}` has department `{}` and themes [{}]",
                                first.source_path.display(),
                                first.department,
                                first.themes.join(", ")
                            ),
                        )
                        .with_hint(
                            "give every language of a report the same department and themes",
                        ),
                    );
                }
            }
            entries.push(Entry {
                key,
                department: first.department.clone(),
                themes: first.themes.clone(),
                translations,
            });
        }
        let date_of = |e: &Entry| e.translations.values().map(|&i| reports[i].date).min();
        entries
            .sort_by_cached_key(|e| (Reverse(e.key.year), Reverse(date_of(e)), e.key.stem.clone()));

        let entry_of = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.clone(), i))
            .collect();
        let by_year = group(&entries, |e| vec![e.key.year]);
        let by_department = group(&entries, |e| vec![e.department.clone()]);
        let by_theme = group(&entries, |e| e.themes.clone());
        let newest_year = by_department
            .iter()
            .map(|(d, ids)| (d.clone(), entries[ids[0]].key.year))
            .collect();
        problems.into_result(Site {
            config,
            reports,
            entries,
            entry_of,
            by_year,
            by_department,
            by_theme,
            newest_year,
            whole: None,
        })
    }

    /// The entry of the report `key`, if the site has it.
    pub fn entry(&self, key: &ReportKey) -> Option<&Entry> {
        self.entry_of.get(key).map(|&i| &self.entries[i])
    }

    /// The entry's report in `lang`, or in the best other language (default first), and
    /// whether it is in the language asked for.
    pub fn in_lang(&self, entry: &Entry, lang: &str) -> (&Report, bool) {
        if let Some(&i) = entry.translations.get(lang) {
            return (&self.reports[i], true);
        }
        let i = entry
            .translations
            .get(self.config.default_lang())
            .or_else(|| entry.translations.values().next())
            .expect("an entry has at least one report");
        (&self.reports[*i], false)
    }

    /// True when the entry's department has published a report in a later year.
    pub fn is_archived(&self, entry: &Entry) -> bool {
        self.newest_year
            .get(&entry.department)
            .is_some_and(|&y| y > entry.key.year)
    }

    /// The department's newest entries (several when it published several reports that year).
    pub fn newest_of_department(&self, department: &str) -> Vec<&Entry> {
        let Some(&year) = self.newest_year.get(department) else {
            return Vec::new();
        };
        self.by_department[department]
            .iter()
            .map(|&i| &self.entries[i])
            .filter(|e| e.key.year == year)
            .collect()
    }

    /// Years newest first.
    pub fn years(&self) -> impl Iterator<Item = u16> + '_ {
        self.by_year.keys().rev().copied()
    }
}

/// The one grouping routine behind every index: entry order is kept inside each group.
fn group<K: Ord>(entries: &[Entry], keys: impl Fn(&Entry) -> Vec<K>) -> BTreeMap<K, Vec<usize>> {
    let mut groups: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for k in keys(e) {
            groups.entry(k).or_default().push(i);
        }
    }
    groups
}
