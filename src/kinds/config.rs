//! Load stage: the `kinds:`, `kind_rules:`, `timezone:` and `status:` parts of `site.yaml`
//! (README "Report kinds"), validated: every pattern compiles within a size bound, every
//! deadline is a real day, the time zone is an IANA name.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::messages::Msg;
use crate::style::config::Level;

/// A text in every language of the site, keyed by language (as `crate::config::Labels`).
pub type Labels = BTreeMap<String, String>;

/// A pattern longer than this is refused: a heading pattern is a few words.
const PATTERN_CHARS: usize = 500;
/// The compiled size of one pattern (bytes), so a pattern cannot make `check` slow or large.
const PATTERN_BYTES: usize = 1 << 18;

/// The report kinds of a site and how their rules count.
#[derive(Debug, Clone)]
pub struct Kinds {
    pub kinds: BTreeMap<String, Kind>,
    pub required_parts: Level,
    pub deadline: Level,
    /// The site's time zone: "today" for deadlines and the status table.
    pub timezone: Tz,
    /// Whether the site publishes the status page (`/zh/status/`, `/en/status/`).
    pub status_page: bool,
    /// The day the status page is as of: set by the pipeline from `BuildOptions::today` or
    /// the clock in `timezone` (`None` until then, and read as today).
    pub today: Option<chrono::NaiveDate>,
}

impl Kinds {
    /// These settings with the day the status page is as of: `today` when given
    /// (`GONGKAI_TODAY`), else today in the site's time zone (README "Report kinds").
    pub fn as_of(&self, today: Option<chrono::NaiveDate>) -> Kinds {
        let today = super::due::today(self.timezone, today);
        Kinds {
            today: Some(today),
            ..self.clone()
        }
    }
}

impl Default for Kinds {
    fn default() -> Self {
        Kinds {
            kinds: BTreeMap::new(),
            required_parts: Level::Warn,
            deadline: Level::Warn,
            timezone: chrono_tz::Asia::Shanghai,
            status_page: false,
            today: None,
        }
    }
}

/// One kind of report: its name, required parts, deadline and which departments owe it.
#[derive(Debug, Clone)]
pub struct Kind {
    pub label: Labels,
    pub parts: Vec<Part>,
    pub due: Due,
    /// The departments that owe this kind every year; empty = every department of the site.
    pub departments: Vec<String>,
}

/// A required part: its name, and per language the pattern one of the report's headings
/// must match. A language without a pattern is not checked for this part.
#[derive(Debug, Clone)]
pub struct Part {
    pub label: Labels,
    pub patterns: BTreeMap<String, Regex>,
}

/// The last day a report of year Y is on time: `month`/`day` of year Y + `year_offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Due {
    pub month: u32,
    pub day: u32,
    #[serde(default = "next_year")]
    pub year_offset: i32,
}

fn next_year() -> i32 {
    1
}

/// `kinds:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKind {
    label: Labels,
    #[serde(default)]
    parts: Vec<RawPart>,
    due: Due,
    #[serde(default)]
    departments: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    label: Labels,
    pattern: BTreeMap<String, String>,
}

/// `kind_rules:` as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawKindRules {
    required_parts: Option<Level>,
    deadline: Option<Level>,
}

/// The raw parts of `site.yaml` this module reads: `kinds:`, `kind_rules:`, `timezone:`,
/// `status:`.
pub type RawSettings = (
    Option<BTreeMap<String, RawKind>>,
    Option<RawKindRules>,
    Option<String>,
    Option<bool>,
);

/// A problem: the top-level key, the text to point at inside it, and the message.
pub type Problem = (&'static str, String, Msg);

/// Keys of these parts, for "did you mean" hints on a misspelt one.
pub const KEYS: [&str; 12] = [
    "kinds",
    "kind_rules",
    "timezone",
    "status",
    "label",
    "parts",
    "pattern",
    "due",
    "month",
    "day",
    "year_offset",
    "required-parts",
];

/// The validated settings, and every problem found (collected, not the first).
pub fn resolve(raw: RawSettings, departments: &BTreeMap<String, Labels>) -> (Kinds, Vec<Problem>) {
    let (raw_kinds, rules, zone, status) = raw;
    let rules = rules.unwrap_or_default();
    let mut problems = Vec::new();
    let timezone = match zone.as_deref() {
        None => chrono_tz::Asia::Shanghai,
        Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
            problems.push((
                "timezone",
                name.to_string(),
                Msg::new("kinds.bad_timezone").arg("zone", name),
            ));
            chrono_tz::Asia::Shanghai
        }),
    };
    let mut kinds = BTreeMap::new();
    for (key, kind) in raw_kinds.unwrap_or_default() {
        if !crate::layout::is_slug(&key) {
            problems.push((
                "kinds",
                key.clone(),
                Msg::new("kinds.bad_key").arg("kind", &key),
            ));
        }
        if due_date(kind.due, 2024).is_none() || kind.due.year_offset.abs() > 5 {
            problems.push((
                "kinds",
                key.clone(),
                Msg::new("kinds.bad_due").arg("kind", &key),
            ));
        }
        for d in &kind.departments {
            if !departments.contains_key(d) {
                let message = unknown_department(departments, d)
                    .arg("kind", &key)
                    .arg("department", d);
                problems.push(("kinds", d.clone(), message));
            }
        }
        let parts = kind
            .parts
            .into_iter()
            .map(|p| compile_part(&key, p, &mut problems))
            .collect();
        let departments = kind.departments;
        kinds.insert(
            key,
            Kind {
                label: kind.label,
                parts,
                due: kind.due,
                departments,
            },
        );
    }
    let kinds = Kinds {
        kinds,
        required_parts: rules.required_parts.unwrap_or_default(),
        deadline: rules.deadline.unwrap_or_default(),
        timezone,
        status_page: status.unwrap_or(false),
        today: None,
    };
    (kinds, problems)
}

fn compile_part(kind: &str, raw: RawPart, problems: &mut Vec<Problem>) -> Part {
    let mut patterns = BTreeMap::new();
    for (lang, pattern) in raw.pattern {
        match compile(&pattern) {
            Ok(re) => {
                patterns.insert(lang, re);
            }
            Err(why) => {
                let message = why.msg().arg("kind", kind).arg("pattern", &pattern);
                problems.push(("kinds", pattern, message));
            }
        }
    }
    Part {
        label: raw.label,
        patterns,
    }
}

/// The message for an unknown department of a kind, with the nearest key or the list of keys
/// (`{kind}` and `{department}` left for the caller).
fn unknown_department(departments: &BTreeMap<String, Labels>, department: &str) -> Msg {
    let keys = departments.keys().map(String::as_str);
    match crate::diagnostics::nearest(department, keys.clone()) {
        Some(near) => Msg::new("kinds.unknown_department").arg("near", near),
        None if departments.is_empty() => Msg::new("kinds.unknown_department_none"),
        None => {
            let all: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
            Msg::new("kinds.unknown_department_list").list("keys", all)
        }
    }
}

/// Why a heading pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadPattern {
    Empty,
    TooLong,
    TooLarge,
    /// The regular expression library's own words (not translated).
    Syntax(String),
}

impl BadPattern {
    /// The message, with `{kind}` and `{pattern}` left for the caller.
    pub fn msg(&self) -> Msg {
        match self {
            BadPattern::Empty => Msg::new("kinds.pattern_empty"),
            BadPattern::TooLong => Msg::new("kinds.pattern_long").arg("max", PATTERN_CHARS),
            BadPattern::TooLarge => Msg::new("kinds.pattern_too_large"),
            BadPattern::Syntax(e) => Msg::new("kinds.pattern_syntax").arg("error", e),
        }
    }
}

/// A heading pattern: a regular expression (plain text is one), case-insensitive, bounded.
pub fn compile(pattern: &str) -> Result<Regex, BadPattern> {
    if pattern.trim().is_empty() {
        return Err(BadPattern::Empty);
    }
    if pattern.chars().count() > PATTERN_CHARS {
        return Err(BadPattern::TooLong);
    }
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(PATTERN_BYTES)
        .dfa_size_limit(PATTERN_BYTES)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => BadPattern::TooLarge,
            // The syntax error's own text spans several lines with a caret; its last line
            // says what is wrong.
            e => BadPattern::Syntax(
                e.to_string()
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("invalid")
                    .trim()
                    .to_string(),
            ),
        })
}

/// The last on-time day of a report of `year`, or `None` when `due` names no real day.
/// 29 February in a year without it is 28 February.
pub fn due_date(due: Due, year: u16) -> Option<chrono::NaiveDate> {
    let y = i32::from(year) + due.year_offset;
    chrono::NaiveDate::from_ymd_opt(y, due.month, due.day).or_else(|| {
        (due.month == 2 && due.day == 29)
            .then(|| chrono::NaiveDate::from_ymd_opt(y, 2, 28))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(kinds: &str, timezone: Option<&str>) -> (Kinds, Vec<Problem>) {
        let kinds = crate::yaml::parse(kinds).unwrap();
        let raw = (Some(kinds), None, timezone.map(String::from), None);
        let mut departments = BTreeMap::new();
        departments.insert("justice-bureau".to_string(), Labels::new());
        resolve(raw, &departments)
    }

    #[test]
    fn bad_patterns_days_zones_and_departments_are_refused() {
        let (_, p) = settings(
            "x:\n  label: { zh: 甲 }\n  due: { month: 2, day: 30 }\n  departments: [justice-bureu]\n  parts:\n    - { label: { zh: 乙 }, pattern: { zh: '(一' } }\n    - { label: { zh: 丙 }, pattern: { zh: 'a{1000}{1000}' } }\n",
            Some("Asia/Shanghia"),
        );
        let messages: Vec<String> = p.iter().map(|p| p.2.english()).collect();
        assert_eq!(p.len(), 5, "{messages:#?}");
        assert!(messages[0].contains("IANA"));
        assert!(messages.iter().any(|m| m.contains("not a day")));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("did you mean `justice-bureau`"))
        );
        assert!(messages.iter().any(|m| m.contains("unclosed group")));
        assert!(messages.iter().any(|m| m.contains("too large")));
    }

    #[test]
    fn good_kind_compiles_case_insensitively() {
        let (k, p) = settings(
            "rule-of-law:\n  label: { en: Rule of law }\n  due: { month: 3, day: 31 }\n  parts:\n    - { label: { en: Plan }, pattern: { en: work plan } }\n",
            None,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(k.timezone, chrono_tz::Asia::Shanghai);
        let kind = &k.kinds["rule-of-law"];
        assert!(kind.parts[0].patterns["en"].is_match("Work Plan for 2023"));
        assert_eq!(
            due_date(kind.due, 2022),
            chrono::NaiveDate::from_ymd_opt(2023, 3, 31)
        );
    }
}
