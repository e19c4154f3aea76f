//! Load stage: split a report into front matter and body by hand (so positions stay exact),
//! parse the YAML into typed metadata, and check every rule of README ("Writing a report")
//! against `site.yaml`.
//!
//! Positions are reported in the file, not in the YAML block: the block starts on line 2.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;

use super::dates;
use super::figures;
use crate::config::Config;
use crate::config::Labels;
use crate::config::labels::key_by_label;
use crate::diagnostics::{Diagnostic, Locator, YamlSource, suggest_msg, yaml_error};
use crate::messages::Msg;
use crate::model::Revision;
use crate::yaml;

/// A report file cut in two; offsets are bytes into the whole (normalised) file text.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub body: &'a str,
    /// 1-based file line on which the body starts.
    pub body_line: usize,
}

/// Separates the `---` front matter block from the body.
pub fn split<'a>(text: &'a str, shown: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::at_file(shown, Msg::new("fm.missing"))
            .with_hint(Msg::new("fm.missing_hint")));
    }
    let yaml_offset = (first_end + 1).min(text.len());
    let mut pos = yaml_offset;
    let mut line_no = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_offset..pos],
                yaml_offset,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        pos = end + 1;
        line_no += 1;
    }
    Err(Diagnostic::at_file(shown, Msg::new("fm.not_closed"))
        .with_hint(Msg::new("fm.not_closed_hint")))
}

/// Front matter as written (README, "Writing a report").
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: String,
    department: String,
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    themes: Vec<String>,
    date: String,
    #[serde(default)]
    written_date: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    figures: BTreeMap<String, f64>,
    #[serde(default)]
    revisions: Vec<RawRevision>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevision {
    date: String,
    note: String,
}

const KEYS: [&str; 13] = [
    "title",
    "kind",
    "department",
    "year",
    "themes",
    "date",
    "written_date",
    "summary",
    "draft",
    "figures",
    "revisions",
    // nested in `revisions`
    "note",
    "date",
];

/// A report's metadata, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub department: String,
    pub themes: Vec<String>,
    pub date: NaiveDate,
    /// 成文日期, when given (README "Writing a report").
    pub written_date: Option<NaiveDate>,
    pub summary: Option<String>,
    pub draft: bool,
    pub figures: BTreeMap<String, f64>,
    /// Oldest first, as written.
    pub revisions: Vec<Revision>,
    /// The report's kind (README "Report kinds"), a key of `kinds:` in `site.yaml`.
    pub kind: Option<String>,
    /// The file line of `kind:`, or 1 without one: where the kind rules point.
    pub kind_line: usize,
}

/// Parses and checks the front matter of the file `source` (placed in `year`).
pub fn parse_meta(
    split: &Split<'_>,
    source: &Arc<str>,
    shown: &Path,
    year: u16,
    config: &Config,
) -> Result<Meta, Vec<Diagnostic>> {
    let raw: RawMeta = yaml::parse(split.yaml).map_err(|e| {
        let at = YamlSource {
            shown,
            source,
            yaml: split.yaml,
            yaml_offset: split.yaml_offset,
            keys: &KEYS,
            numbers: Some("figures"),
        };
        vec![yaml_error(&e, &at)]
    })?;
    let mut check = Checks {
        split,
        locator: yaml::Locator::new(split.yaml),
        lines: Locator::new(source),
        source,
        shown,
        problems: Vec::new(),
    };
    check.no_value_is_a_comment();
    check.title_is_not_empty(&raw.title);
    check.department_is_known(&raw.department, config);
    check.year_matches_folder(raw.year, year);
    check.themes_are_known_and_listed_once(&raw.themes, config);
    let date = check.date("date", &raw.date);
    let written_date = raw
        .written_date
        .as_deref()
        .and_then(|d| check.date("written_date", d));
    check.figures_are_known_numbers(&raw.figures, config);
    let kind_line = check.kind_is_known(raw.kind.as_deref(), config);
    // More revisions than the limit are refused: each is listed on the page, and a real report
    // is corrected a handful of times (README "Writing a report").
    let revisions = check.revisions(&raw.revisions, config.limits.revisions);
    match date {
        Some(date) if check.problems.is_empty() => Ok(Meta {
            title: raw.title.trim().to_string(),
            department: raw.department,
            themes: raw.themes,
            date,
            written_date,
            summary: raw
                .summary
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            draft: raw.draft,
            figures: raw.figures,
            revisions,
            kind: raw.kind,
            kind_line,
        }),
        _ => Err(check.problems),
    }
}

/// The rules of parsed front matter, each one a step; problems are collected so one run
/// reports them all, each pointed at in the file.
struct Checks<'a> {
    split: &'a Split<'a>,
    locator: yaml::Locator<'a>,
    /// Line and column of each problem without rescanning the file: a list of 100,000
    /// revisions can hold as many problems.
    lines: Locator<'a>,
    source: &'a Arc<str>,
    shown: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Checks<'_> {
    /// Where the `nth` (0-based) `needle` stands in the value of `key` (or the key itself), for
    /// pointing at it: (offset in the YAML, length).
    fn locate(&self, key: &str, needle: &str, nth: usize) -> (usize, usize) {
        let at = &self.locator;
        at.nth_in_value(key, needle, nth)
            .map(|o| (o, needle.len()))
            .or_else(|| at.key(key).map(|o| (o, key.len())))
            .unwrap_or((0, 1))
    }

    fn error_at(&mut self, (offset, len): (usize, usize), message: Msg, hint: Option<Msg>) {
        let offset = self.split.yaml_offset + offset;
        let at = self.lines.line_col(offset);
        let mut d = Diagnostic::at_located(self.shown, self.source, offset, at, len, message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.problems.push(d);
    }

    /// `summary: #1 …` is valid YAML whose value is empty (`#` starts a comment): the text
    /// would vanish without a word, so it is an error like any other misread value.
    fn no_value_is_a_comment(&mut self) {
        let found = yaml::mistakes::find(self.split.yaml).filter(|f| {
            matches!(
                f.mistake,
                yaml::mistakes::Mistake::SpecialStart { ch: '#', .. }
            )
        });
        if let Some(found) = found {
            let (message, hint) = crate::messages::mistakes::describe(&found, 0);
            self.error_at((found.offset, found.len), message, Some(hint));
        }
    }

    fn title_is_not_empty(&mut self, title: &str) {
        if title.trim().is_empty() {
            self.error_at(
                self.locate("title", "title", 0),
                Msg::new("fm.title_empty"),
                None,
            );
        }
    }

    fn department_is_known(&mut self, department: &str, config: &Config) {
        if !config.departments.contains_key(department) {
            self.error_at(
                self.locate("department", department, 0),
                Msg::new("fm.unknown_department").arg("department", department),
                Some(key_hint(department, &config.departments)),
            );
        }
    }

    /// `kind:` is optional; when given it names a kind of `site.yaml`. Returns the file line
    /// the kind rules point at: the `kind:` line, or 1.
    fn kind_is_known(&mut self, kind: Option<&str>, config: &Config) -> usize {
        let Some(kind) = kind else {
            return 1;
        };
        let at = self.locate("kind", kind, 0);
        if !config.kinds.kinds.contains_key(kind) {
            let names = config.kinds.kinds.keys().map(String::as_str);
            let hint = if config.kinds.kinds.is_empty() {
                Msg::new("fm.no_kinds")
            } else {
                suggest_msg(kind, names)
            };
            let message = Msg::new("fm.unknown_kind").arg("kind", kind);
            self.error_at(at, message, Some(hint));
        }
        self.lines.line_col(self.split.yaml_offset + at.0).0
    }

    /// `year:` is optional; when given it must agree with the folder the file is in.
    fn year_matches_folder(&mut self, written: Option<i64>, year: u16) {
        if let Some(y) = written
            && y != i64::from(year)
        {
            self.error_at(
                self.locate("year", &y.to_string(), 0),
                Msg::new("fm.year_mismatch")
                    .arg("written", y)
                    .arg("year", year),
                Some(
                    Msg::new("fm.year_mismatch_hint")
                        .arg("written", y)
                        .arg("year", year),
                ),
            );
        }
    }

    fn themes_are_known_and_listed_once(&mut self, themes: &[String], config: &Config) {
        // How many times each known theme was listed before this one.
        let mut earlier: HashMap<&str, usize> = HashMap::new();
        for theme in themes {
            if let Some(i) = theme.find(['，', '、']) {
                // `[a，b]` is one item to YAML: the full-width comma is the mistake.
                let (at, _) = self.locate("themes", theme, 0);
                let ch = theme[i..].chars().next().unwrap_or('，');
                let fixed = theme.replace(['，', '、'], ", ");
                self.error_at(
                    (at + i, ch.len_utf8()),
                    Msg::new("yaml.full_width_comma").arg("ch", ch),
                    Some(Msg::new("yaml.full_width_comma_hint").arg("fixed", fixed)),
                );
            } else if !config.themes.contains_key(theme) {
                self.error_at(
                    self.locate("themes", theme, 0),
                    Msg::new("fm.unknown_theme").arg("theme", theme),
                    Some(key_hint(theme, &config.themes)),
                );
            } else if let nth @ 1.. = next_count(&mut earlier, theme) {
                // Point at this repetition, not at the first occurrence.
                self.error_at(
                    self.locate("themes", theme, nth),
                    Msg::new("fm.theme_twice").arg("theme", theme),
                    None,
                );
            }
        }
    }

    /// The date under `key` (`date`, `written_date`), when it is one.
    fn date(&mut self, key: &str, date: &str) -> Option<NaiveDate> {
        let parsed = parse_date(date);
        if parsed.is_none() {
            let (impossible, hint) = dates::explain(date);
            let message = impossible.unwrap_or_else(|| Msg::new("fm.not_a_date").arg("date", date));
            self.error_at(self.locate(key, date, 0), message, Some(hint));
        }
        parsed
    }

    fn figures_are_known_numbers(&mut self, figures: &BTreeMap<String, f64>, config: &Config) {
        for (key, value) in figures {
            if !config.figures.contains_key(key) {
                self.error_at(
                    self.locate("figures", key, 0),
                    Msg::new("fm.unknown_figure").arg("figure", key),
                    Some(key_hint(key, &config.figures.labels())),
                );
            } else if let Err(p) = figures::check(key, *value) {
                let at = self.locate("figures", key, 0);
                let at = figures::value_span(self.split.yaml, at.0, key).unwrap_or(at);
                let (offset, len) = at;
                let offset = self.split.yaml_offset + offset;
                let pos = self.lines.line_col(offset);
                let d =
                    Diagnostic::at_located(self.shown, self.source, offset, pos, len, p.message);
                self.problems.push(d.with_hint(p.hint));
            }
        }
    }

    /// The revisions with a valid date, each with a note.
    fn revisions(&mut self, raw: &[RawRevision], max: usize) -> Vec<Revision> {
        if raw.len() > max {
            self.error_at(
                self.locate("revisions", "revisions", 0),
                Msg::new("fm.too_many_revisions")
                    .arg("n", raw.len())
                    .arg("max", max),
                Some(Msg::new("fm.too_many_revisions_hint")),
            );
            return Vec::new();
        }
        let mut revisions = Vec::new();
        let mut earlier: HashMap<&str, usize> = HashMap::new();
        for rev in raw {
            // Revisions are found by their date; count earlier ones of the same date.
            let nth = next_count(&mut earlier, &rev.date);
            match parse_date(&rev.date) {
                Some(d) => revisions.push(Revision {
                    date: d,
                    note: rev.note.trim().to_string(),
                }),
                None => {
                    let (impossible, hint) = dates::explain(&rev.date);
                    let message = impossible.unwrap_or_else(|| {
                        Msg::new("fm.revision_not_a_date").arg("date", &rev.date)
                    });
                    let at = self.locate("revisions", &rev.date, nth);
                    self.error_at(at, message, Some(hint));
                }
            }
            if rev.note.trim().is_empty() {
                self.error_at(
                    self.locate("revisions", &rev.date, nth),
                    Msg::new("fm.revision_note_empty"),
                    None,
                );
            }
        }
        revisions
    }
}

/// What to write instead of an unknown department, theme or figure: the key when `written`
/// is one of its labels (in any language), else the nearest key or the list of keys.
fn key_hint(written: &str, known: &BTreeMap<String, Labels>) -> Msg {
    match key_by_label(known, written) {
        Some(key) => Msg::new("label.use_key")
            .arg("label", written)
            .arg("key", key),
        None => suggest_msg(written, known.keys().map(String::as_str)),
    }
}

/// How many times `item` was counted before, counting it once more: one pass over a list finds
/// every repetition and which one it is.
fn next_count<'a>(counts: &mut HashMap<&'a str, usize>, item: &'a str) -> usize {
    let count = counts.entry(item).or_default();
    *count += 1;
    *count - 1
}

/// Strictly `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests;
