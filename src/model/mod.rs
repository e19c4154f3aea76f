//! Model stage: reports paired into translations, and the indexes by year, department and
//! theme that every language's pages list. Pure data; nothing here reads files.

mod report;

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use report::{Bodies, Report, ReportId, ReportKey, Revision, Section};

use chrono::NaiveDate;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::messages::Msg;

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
    /// Indexes into `entries`, in key order (for [`Site::entry`]).
    by_key: Vec<usize>,
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
    ///
    /// The preview makes a new `Site` at every edit of a large site, so this takes the
    /// reports' order as it comes (the store gives them nearly sorted), groups translations
    /// in one pass, and clones only what an `Entry` keeps.
    pub fn new(config: Config, mut reports: Vec<Arc<Report>>) -> Result<Site, Diagnostics> {
        reports.sort_by(|a, b| (&a.key, &a.lang).cmp(&(&b.key, &b.lang)));
        let mut problems = Diagnostics::default();
        // Entries in key order first: `by_key` remembers that order for `entry`.
        let mut entries = Vec::new();
        let mut start = 0;
        while start < reports.len() {
            let key = &reports[start].key;
            let len = reports[start..]
                .iter()
                .take_while(|r| r.key == *key)
                .count();
            let (entry, disagree) = pair(&config, &reports, start..start + len);
            problems.extend(disagree);
            entries.push(entry);
            start += len;
        }
        let dates: Vec<Option<NaiveDate>> =
            entries.iter().map(|e| first_date(&reports, e)).collect();
        let mut order: Vec<usize> = (0..entries.len()).collect();
        // (year, stem) is unique, so the order is total and an unstable sort gives one result.
        order.sort_unstable_by(|&a, &b| {
            let (x, y) = (&entries[a], &entries[b]);
            (Reverse(x.key.year), Reverse(dates[a]), &x.key.stem).cmp(&(
                Reverse(y.key.year),
                Reverse(dates[b]),
                &y.key.stem,
            ))
        });
        let mut by_key = vec![0; entries.len()];
        for (new, &old) in order.iter().enumerate() {
            by_key[old] = new;
        }
        let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
        let entries: Vec<Entry> = order
            .iter()
            .map(|&old| slots[old].take().expect("each entry once"))
            .collect();
        let by_year = group(&entries, |e| [e.key.year]);
        let by_department = owned(group(&entries, |e| [e.department.as_str()]));
        let by_theme = owned(group(&entries, |e| e.themes.iter().map(String::as_str)));
        let newest_year = by_department
            .iter()
            .map(|(d, ids)| (d.clone(), entries[ids[0]].key.year))
            .collect();
        problems.into_result(Site {
            config,
            reports,
            entries,
            by_key,
            by_year,
            by_department,
            by_theme,
            newest_year,
            whole: None,
        })
    }

    /// The entry of the report `key`, if the site has it.
    pub fn entry(&self, key: &ReportKey) -> Option<&Entry> {
        let at = self
            .by_key
            .binary_search_by(|&i| self.entries[i].key.cmp(key))
            .ok()?;
        Some(&self.entries[self.by_key[at]])
    }

    /// The date that places the entry in lists: its earliest translation's.
    pub fn list_date(&self, entry: &Entry) -> Option<NaiveDate> {
        first_date(&self.reports, entry)
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

fn first_date(reports: &[Arc<Report>], entry: &Entry) -> Option<NaiveDate> {
    entry.translations.values().map(|&i| reports[i].date).min()
}

/// One report's translations (`range` of the sorted `reports`) as an entry, and a problem for
/// each translation that disagrees on department or themes with the default language's.
fn pair(
    config: &Config,
    reports: &[Arc<Report>],
    range: std::ops::Range<usize>,
) -> (Entry, Vec<Diagnostic>) {
    // Two files of one language (a duplicate, reported by the store): the last one counts.
    let translations: BTreeMap<String, usize> =
        range.map(|i| (reports[i].lang.clone(), i)).collect();
    let first = &reports[*translations
        .get(config.default_lang())
        .unwrap_or_else(|| translations.values().next().expect("non-empty"))];
    let problems = translations
        .values()
        .map(|&i| &reports[i])
        .filter(|other| other.department != first.department || other.themes != first.themes)
        .map(|other| {
            let message = Msg::new("model.translations_disagree")
                .arg("first", first.source_path.display())
                .arg("department", &first.department)
                .list("themes", &first.themes);
            Diagnostic::at_file(&other.source_path, message)
                .with_hint(Msg::new("model.translations_hint"))
        })
        .collect();
    let entry = Entry {
        key: first.key.clone(),
        department: first.department.clone(),
        themes: first.themes.clone(),
        translations,
    };
    (entry, problems)
}

/// The one grouping routine behind every index: entry order is kept inside each group.
fn group<'e, K: Ord, I: IntoIterator<Item = K>>(
    entries: &'e [Entry],
    keys: impl Fn(&'e Entry) -> I,
) -> BTreeMap<K, Vec<usize>> {
    let mut groups: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for k in keys(e) {
            groups.entry(k).or_default().push(i);
        }
    }
    groups
}

/// A grouping by borrowed names, with the names owned (a few dozen, not one per entry).
fn owned(groups: BTreeMap<&str, Vec<usize>>) -> BTreeMap<String, Vec<usize>> {
    groups
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}
