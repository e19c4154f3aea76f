//! Load stage: split a report into front matter and body by hand (so positions stay exact),
//! parse the YAML into typed metadata, and check every rule of SPEC 2 against `site.yaml`.
//!
//! Positions are reported in the file, not in the YAML block: the block starts on line 2.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, suggest};
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
        return Err(
            Diagnostic::at_file(shown, "missing front matter").with_hint(
                "a report starts with a `---` line, then title, department and date, then `---`",
            ),
        );
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
    Err(Diagnostic::at_file(shown, "front matter is not closed")
        .with_hint("add a `---` line after the last front matter key"))
}

/// Front matter as written (SPEC 2).
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
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    figures: BTreeMap<String, f64>,
    #[serde(default)]
    revisions: Vec<RawRevision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevision {
    date: String,
    note: String,
}

const KEYS: [&str; 11] = [
    "title",
    "department",
    "year",
    "themes",
    "date",
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
    pub summary: Option<String>,
    pub draft: bool,
    pub figures: BTreeMap<String, f64>,
    /// Oldest first, as written.
    pub revisions: Vec<Revision>,
}

/// Parses and checks the front matter of the file `source` (placed in `year`).
pub fn parse_meta(
    split: &Split<'_>,
    source: &Arc<str>,
    shown: &Path,
    year: u16,
    config: &Config,
) -> Result<Meta, Vec<Diagnostic>> {
    let at = |yaml_offset: usize, len: usize, message: String| {
        Diagnostic::at_offset(shown, source, split.yaml_offset + yaml_offset, len, message)
    };
    let raw: RawMeta = yaml::parse(split.yaml).map_err(|e| {
        let len = e.unknown_field.as_ref().map_or(1, String::len);
        let mut d = at(e.offset, len, e.message);
        if let Some(field) = &e.unknown_field {
            d = d.with_hint(suggest(field, KEYS.iter().copied()));
        }
        vec![d]
    })?;
    let mut problems = Vec::new();
    // Where the `nth` (0-based) `needle` stands in the value of `key` (or the key itself), for
    // pointing at it.
    let locate = |key: &str, needle: &str, nth: usize| {
        yaml::find_nth_in_value(split.yaml, key, needle, nth)
            .map(|o| (o, needle.len()))
            .or_else(|| yaml::find_key(split.yaml, key).map(|o| (o, key.len())))
            .unwrap_or((0, 1))
    };
    let mut error_at = |(offset, len): (usize, usize), message: String, hint: Option<String>| {
        let mut d = at(offset, len, message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        problems.push(d);
    };

    if raw.title.trim().is_empty() {
        error_at(locate("title", "title", 0), "title is empty".into(), None);
    }
    if !config.departments.contains_key(&raw.department) {
        error_at(
            locate("department", &raw.department, 0),
            format!("unknown department `{}`", raw.department),
            Some(suggest(
                &raw.department,
                config.departments.keys().map(String::as_str),
            )),
        );
    }
    if let Some(y) = raw.year
        && y != i64::from(year)
    {
        error_at(
            locate("year", &y.to_string(), 0),
            format!("year {y} does not match the folder content/{year}/"),
            Some(format!(
                "use `year: {year}` or move the file to content/{y}/"
            )),
        );
    }
    for (i, theme) in raw.themes.iter().enumerate() {
        if !config.themes.contains_key(theme) {
            error_at(
                locate("themes", theme, 0),
                format!("unknown theme `{theme}`"),
                Some(suggest(theme, config.themes.keys().map(String::as_str))),
            );
        } else if raw.themes[..i].contains(theme) {
            // Point at this repetition, not at the first occurrence.
            let nth = raw.themes[..i].iter().filter(|t| *t == theme).count();
            error_at(
                locate("themes", theme, nth),
                format!("theme `{theme}` is listed twice"),
                None,
            );
        }
    }
    let date = parse_date(&raw.date);
    if date.is_none() {
        error_at(
            locate("date", &raw.date, 0),
            format!("`{}` is not a date", raw.date),
            Some("write dates as YYYY-MM-DD, e.g. 2023-03-28".into()),
        );
    }
    for (key, value) in &raw.figures {
        if !config.figures.contains_key(key) {
            error_at(
                locate("figures", key, 0),
                format!("unknown figure `{key}`"),
                Some(suggest(key, config.figures.keys().map(String::as_str))),
            );
        } else if !value.is_finite() {
            error_at(
                locate("figures", key, 0),
                format!("figure `{key}` is not a number"),
                None,
            );
        }
    }
    let mut revisions = Vec::new();
    for (i, rev) in raw.revisions.iter().enumerate() {
        // Revisions are found by their date; count earlier ones of the same date.
        let nth = raw.revisions[..i]
            .iter()
            .filter(|r| r.date == rev.date)
            .count();
        match parse_date(&rev.date) {
            Some(d) => revisions.push(Revision {
                date: d,
                note: rev.note.trim().to_string(),
            }),
            None => error_at(
                locate("revisions", &rev.date, nth),
                format!("revision date `{}` is not a date", rev.date),
                Some("write dates as YYYY-MM-DD".into()),
            ),
        }
        if rev.note.trim().is_empty() {
            error_at(
                locate("revisions", &rev.date, nth),
                "revision note is empty".into(),
                None,
            );
        }
    }
    match date {
        Some(date) if problems.is_empty() => Ok(Meta {
            title: raw.title.trim().to_string(),
            department: raw.department,
            themes: raw.themes,
            date,
            summary: raw
                .summary
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            draft: raw.draft,
            figures: raw.figures,
            revisions,
        }),
        _ => Err(problems),
    }
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
mod tests {
    use super::*;

    #[test]
    fn split_maps_body_and_yaml_to_file_lines() {
        let text = "---\ntitle: a\ndate: b\n---\n\n# Body\n";
        let s = split(text, Path::new("x.md")).unwrap();
        assert_eq!(s.yaml, "title: a\ndate: b\n");
        assert_eq!(s.yaml_offset, 4);
        // YAML line 1 is file line 2; the body starts on file line 5.
        assert_eq!(crate::diagnostics::line_col(text, s.yaml_offset).0, 2);
        assert_eq!(s.body_line, 5);
        assert_eq!(s.body, "\n# Body\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        assert_eq!(
            split("---\ntitle: a\n", Path::new("x.md"))
                .unwrap_err()
                .message,
            "front matter is not closed"
        );
        assert_eq!(
            split("# Title\n", Path::new("x.md")).unwrap_err().message,
            "missing front matter"
        );
    }

    #[test]
    fn repeated_theme_is_pointed_at_where_it_repeats() {
        let site = "title: { zh: t }\nbase_url: https://x.cn/\nlanguages: [zh]\ntaxonomies:\n  departments:\n    d: { zh: d }\n  themes:\n    a: { zh: a }\n";
        let config = crate::config::parse(site, Path::new("site.yaml"), None).unwrap();
        let text: Arc<str> =
            Arc::from("---\ntitle: t\ndepartment: d\nthemes: [a, a]\ndate: 2023-01-01\n---\n");
        let s = split(&text, Path::new("x.md")).unwrap();
        let errs = parse_meta(&s, &text, Path::new("x.md"), 2022, &config).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (4, 13), "{}", errs[0]);
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2023-03-28").is_some());
        assert!(parse_date("2023-3-28").is_none());
        assert!(parse_date("2023-02-30").is_none());
    }
}
