//! Load stage: `site.yaml` → [`Config`], every rule checked with file positions.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, YamlSource, line_col, yaml_error};
use crate::messages::Msg;
use crate::trust::keys::SiteKeys;
use crate::yaml;

mod identity;
pub use identity::{Identity, IndexFields};
mod figures;
mod label_checks;
pub mod labels;
mod licence;
pub use figures::{Figure, Figures, Unit};
pub use licence::DataLicense;

/// A language code from `site.yaml` (`zh`, `en`).
pub type Lang = String;
/// A text in every language of the site, keyed by language.
pub type Labels = BTreeMap<Lang, String>;

pub const CONFIG_FILE: &str = "site.yaml";

/// The site's configuration, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: Labels,
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// The first is the default language.
    pub languages: Vec<Lang>,
    pub theme: String,
    pub departments: BTreeMap<String, Labels>,
    pub themes: BTreeMap<String, Labels>,
    /// In `site.yaml`'s order, which tables, charts and data files follow.
    pub figures: Figures,
    pub data_license: Option<DataLicense>,
    pub unsafe_html: bool,
    pub limits: Limits,
    /// Who runs the site, filing numbers, report index numbers (`identity.rs`).
    pub identity: Identity,
    /// `public_key` and `signing_key` (README, "Signed manifests").
    pub keys: SiteKeys,
    pub style: crate::style::StyleConfig,
    pub kinds: crate::kinds::config::Kinds,
}

/// What one report file may hold (README "Writing a report"): past these, a file is refused
/// with an error at the place it passes them. The defaults fit every real report with room to
/// spare; a site may raise or lower them in `site.yaml` under `limits:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one report file (`report_kb` in `site.yaml`).
    pub report_bytes: usize,
    /// Characters of one line.
    pub line_chars: usize,
    /// Entries of `revisions:`.
    pub revisions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            report_bytes: 2048 * 1024,
            line_chars: 100_000,
            revisions: 1_000,
        }
    }
}

impl Config {
    pub fn default_lang(&self) -> &str {
        &self.languages[0]
    }
}

/// The label for `lang`, falling back to the first one given.
pub fn label<'a>(labels: &'a Labels, lang: &str) -> &'a str {
    labels
        .get(lang)
        .or_else(|| labels.values().next())
        .map_or("", String::as_str)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Labels,
    base_url: String,
    languages: Vec<Lang>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    taxonomies: RawTaxonomies,
    #[serde(default)]
    figures: Figures,
    data_license: Option<DataLicense>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    identity: identity::RawIdentity,
    public_key: Option<String>,
    signing_key: Option<PathBuf>,
    #[serde(default)]
    style: crate::style::config::RawStyle,
    kinds: Option<BTreeMap<String, crate::kinds::config::RawKind>>,
    kind_rules: Option<crate::kinds::config::RawKindRules>,
    timezone: Option<String>,
    status: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    report_kb: Option<usize>,
    line_chars: Option<usize>,
    revisions: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTaxonomies {
    #[serde(default)]
    departments: BTreeMap<String, Labels>,
    #[serde(default)]
    themes: BTreeMap<String, Labels>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    unsafe_html: bool,
}

fn default_theme() -> String {
    "default".to_string()
}

const TOP_KEYS: [&str; 12] = [
    "title",
    "base_url",
    "languages",
    "theme",
    "taxonomies",
    "figures",
    "markdown",
    "limits",
    "public_key",
    "signing_key",
    "data_license",
    "style",
];

/// Reads and validates `root/site.yaml`; `base_url` replaces the configured one when given.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let shown = PathBuf::from(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::at_file(&shown, Msg::new("config.cannot_read").arg("error", e))
            .with_hint(Msg::new("config.not_a_site").arg("root", root.display()))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::at_file(&shown, Msg::new("config.not_utf8")))?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    parse(&text, &shown, base_url)
}

/// Parses and validates the text of a `site.yaml` shown as `shown` in messages.
pub fn parse(text: &str, shown: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let source: Arc<str> = Arc::from(text);
    let raw: RawConfig = yaml::parse(text).map_err(|e| {
        let keys: Vec<&str> = identity::and_keys(&TOP_KEYS)
            .chain(NESTED_KEYS)
            .chain(crate::style::config::KEYS)
            .chain(crate::kinds::config::KEYS)
            .collect();
        let at = YamlSource {
            shown,
            source: &source,
            yaml: text,
            yaml_offset: 0,
            keys: &keys,
            numbers: None,
        };
        yaml_error(&e, &at)
    })?;
    let base = base_url.unwrap_or(&raw.base_url);
    let mut check = Checks {
        locator: yaml::Locator::new(text),
        shown,
        source: &source,
        problems: Diagnostics::default(),
    };
    check.languages_are_codes_listed_once(&raw.languages);
    check.base_url_is_absolute(base);
    check.every_label_is_in_every_language(&raw);
    check.keys_are_slugs(&raw);
    check.theme_is_a_folder_name(&raw.theme);
    let limits = check.limits(&raw.limits);
    check.figures_are_listed_once(&raw.figures);
    let (identity, found) = identity::check(raw.identity, &raw.languages);
    for p in found {
        check.at("identity", Some(&p.needle), p.message);
    }
    let keys = SiteKeys::new(raw.public_key.as_deref(), raw.signing_key).unwrap_or_else(|why| {
        check.at(
            "public_key",
            None,
            Msg::new("config.public_key").arg("error", why),
        );
        SiteKeys::default()
    });
    let (style, style_problems) = crate::style::config::resolve(raw.style);
    let kinds_raw = (raw.kinds, raw.kind_rules, raw.timezone, raw.status);
    let (kinds, problems) = crate::kinds::config::resolve(kinds_raw, &raw.taxonomies.departments);
    let style_problems = style_problems.into_iter().map(|(w, m)| ("style", w, m));
    for (key, needle, message) in style_problems.chain(problems) {
        check.at(key, Some(&needle), message);
    }
    let problems = check.problems;

    let mut base_url = base.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    problems.into_result(Config {
        title: raw.title,
        base_url,
        languages: raw.languages,
        theme: raw.theme,
        departments: raw.taxonomies.departments,
        themes: raw.taxonomies.themes,
        figures: raw.figures,
        data_license: raw.data_license,
        unsafe_html: raw.markdown.unsafe_html,
        limits,
        identity,
        keys,
        style,
        kinds,
    })
}

/// The site's languages, each once, in order and as a set.
struct Languages<'a> {
    listed: Vec<&'a str>,
    set: HashSet<&'a str>,
}

/// The rules of a parsed `site.yaml`, each one a step; problems are collected, not returned,
/// so one run reports them all.
struct Checks<'a> {
    locator: yaml::Locator<'a>,
    shown: &'a Path,
    source: &'a Arc<str>,
    problems: Diagnostics,
}

impl Checks<'_> {
    /// `limits:` as given over the defaults; each given one a whole number above zero.
    fn limits(&mut self, raw: &RawLimits) -> Limits {
        let mut limits = Limits::default();
        let given = [
            ("report_kb", raw.report_kb, &mut limits.report_bytes, 1024),
            ("line_chars", raw.line_chars, &mut limits.line_chars, 1),
            ("revisions", raw.revisions, &mut limits.revisions, 1),
        ];
        for (key, value, limit, unit) in given {
            match value {
                Some(0) => self.at(
                    "limits",
                    Some(key),
                    Msg::new("config.limit_zero").arg("key", key),
                ),
                Some(v) => *limit = v.saturating_mul(unit),
                None => {}
            }
        }
        limits
    }

    /// Reports `message` at `needle` inside the value of top-level `key`, or at `key` itself.
    fn at(&mut self, key: &str, needle: Option<&str>, message: Msg) {
        let at = &self.locator;
        let offset = match needle {
            Some(n) => at.nth_in_value(key, n, 0).or_else(|| at.key(key)),
            None => at.key(key),
        };
        self.problems.push(Diagnostic::at_offset(
            self.shown,
            self.source,
            offset.unwrap_or(0),
            needle.map_or(key.len(), str::len),
            message,
        ));
    }

    fn languages_are_codes_listed_once(&mut self, languages: &[Lang]) {
        if languages.is_empty() {
            self.at("languages", None, Msg::new("config.no_language"));
        }
        let mut seen = HashSet::new();
        for lang in languages {
            if !is_lang_code(lang) {
                self.at(
                    "languages",
                    Some(lang),
                    Msg::new("config.not_lang_code").arg("lang", lang),
                );
            } else if !seen.insert(lang) {
                let message = Msg::new("config.lang_twice").arg("lang", lang);
                self.at("languages", Some(lang), message);
            }
        }
    }

    fn base_url_is_absolute(&mut self, base: &str) {
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.contains(['"', '<', '>', '\\'])
            || base.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            self.at(
                "base_url",
                None,
                Msg::new("config.base_url_not_absolute").arg("base", base),
            );
        } else if let Some(i) = base.find(['?', '#']) {
            // Every address is base_url followed by a page's path: a query or a fragment would
            // end up in the middle of each one (`…/?x=1zh/2022/…`).
            let part = &base[i..];
            let what = if part.starts_with('?') {
                Msg::new("config.base_url_query")
            } else {
                Msg::new("config.base_url_fragment")
            };
            // At the `?` or `#` when the address is the one written in site.yaml.
            let offset = yaml::find_in_value(self.source, "base_url", base)
                .map(|o| o + i)
                .or_else(|| self.locator.key("base_url"));
            let message = what.arg("base", base).arg("part", part);
            self.problems.push(
                Diagnostic::at_offset(
                    self.shown,
                    self.source,
                    offset.unwrap_or(0),
                    part.len(),
                    message,
                )
                .with_hint(Msg::new("config.base_url_part_hint").arg("part", part)),
            );
        }
    }

    /// A figure key listed twice, at its second entry, naming the first's line (the first one
    /// counts), said as any other key written twice in a YAML map.
    fn figures_are_listed_once(&mut self, figures: &Figures) {
        for key in figures.duplicates() {
            let at = &self.locator;
            let first = at.nth_in_value("figures", key, 0);
            let offset = at.nth_in_value("figures", key, 1).or(first);
            let line = line_col(self.source, first.unwrap_or(0)).0;
            let message = Msg::new("yaml.duplicate_key")
                .arg("key", key)
                .arg("line", line);
            let hint = Msg::new("yaml.duplicate_key_hint").arg("key", key);
            let d = Diagnostic::at_offset(
                self.shown,
                self.source,
                offset.unwrap_or(0),
                key.len(),
                message,
            );
            self.problems.push(d.with_hint(hint));
        }
    }

    fn theme_is_a_folder_name(&mut self, theme: &str) {
        if !is_slug(theme) {
            self.at(
                "theme",
                None,
                Msg::new("config.theme_not_folder").arg("theme", theme),
            );
        }
    }
}

// Nested keys are listed too, so a typo inside `taxonomies` or `markdown` gets a suggestion.
const NESTED_KEYS: [&str; 3] = ["departments", "themes", "unsafe_html"];

pub use crate::layout::is_slug;

fn is_lang_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: { zh: 标题, en: Title }\nbase_url: https://x.gov.cn/a\nlanguages: [zh, en]\ntaxonomies:\n  departments:\n    justice-bureau: { zh: 司法局, en: Justice }\n";

    #[test]
    fn parses_and_normalises_base_url() {
        let c = parse(GOOD, Path::new("site.yaml"), None).unwrap();
        assert_eq!(c.base_url, "https://x.gov.cn/a/");
        assert_eq!(c.default_lang(), "zh");
        assert_eq!(label(&c.departments["justice-bureau"], "en"), "Justice");
    }

    #[test]
    fn missing_label_is_located() {
        let text = GOOD.replace(", en: Justice", "");
        let err = parse(&text, Path::new("site.yaml"), None).unwrap_err();
        let d = &err.0[0];
        assert_eq!((d.line, d.col), (6, 5), "{d}");
        assert!(d.message.contains("no `en` label"));
    }

    #[test]
    fn unknown_top_key_suggests() {
        let text = format!("{GOOD}langauges: [zh]\n");
        let err = parse(&text, Path::new("site.yaml"), None).unwrap_err();
        assert_eq!(err.0[0].line, 7);
        assert_eq!(err.0[0].hint.as_deref(), Some("did you mean `languages`?"));
    }
}
