//! Load stage: `site.yaml` → [`Config`], every rule checked with file positions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::yaml;

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
    pub figures: BTreeMap<String, Labels>,
    pub unsafe_html: bool,
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
    figures: BTreeMap<String, Labels>,
    #[serde(default)]
    markdown: RawMarkdown,
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

const TOP_KEYS: [&str; 7] = [
    "title",
    "base_url",
    "languages",
    "theme",
    "taxonomies",
    "figures",
    "markdown",
];

/// Reads and validates `root/site.yaml`; `base_url` replaces the configured one when given.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let shown = PathBuf::from(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::at_file(&shown, format!("cannot read site configuration: {e}"))
            .with_hint(format!("is `{}` a site folder?", root.display()))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::at_file(&shown, "site.yaml is not UTF-8"))?;
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
        let mut d = Diagnostic::at_offset(shown, &source, e.offset, 1, e.message);
        if let Some(field) = &e.unknown_field {
            d = d.with_hint(suggest(field, KNOWN_KEYS.iter().copied()));
        }
        d
    })?;
    let mut problems = Diagnostics::default();
    let at = |key: &str, needle: Option<&str>, message: String| {
        let offset = match needle {
            Some(n) => yaml::find_in_value(text, key, n).or_else(|| yaml::find_key(text, key)),
            None => yaml::find_key(text, key),
        };
        Diagnostic::at_offset(
            shown,
            &source,
            offset.unwrap_or(0),
            needle.map_or(key.len(), str::len),
            message,
        )
    };

    if raw.languages.is_empty() {
        problems.push(at(
            "languages",
            None,
            "at least one language is needed".into(),
        ));
    }
    for (i, lang) in raw.languages.iter().enumerate() {
        if !is_lang_code(lang) {
            problems.push(at(
                "languages",
                Some(lang),
                format!("`{lang}` is not a language code such as `zh` or `en`"),
            ));
        } else if raw.languages[..i].contains(lang) {
            problems.push(at(
                "languages",
                Some(lang),
                format!("`{lang}` is listed twice"),
            ));
        }
    }
    let base = base_url.unwrap_or(&raw.base_url);
    if !(base.starts_with("https://") || base.starts_with("http://"))
        || base.contains(['"', '<', '>', '\\'])
        || base.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        problems.push(at(
            "base_url",
            None,
            format!("base_url `{base}` must be an absolute http(s) address"),
        ));
    } else if let Some(i) = base.find(['?', '#']) {
        // Every address is base_url followed by a page's path: a query or a fragment would
        // end up in the middle of each one (`…/?x=1zh/2022/…`).
        let part = &base[i..];
        let what = if part.starts_with('?') {
            "a query string"
        } else {
            "a fragment"
        };
        // At the `?` or `#` when the address is the one written in site.yaml.
        let offset = yaml::find_in_value(text, "base_url", base)
            .map(|o| o + i)
            .or_else(|| yaml::find_key(text, "base_url"));
        let message = format!("base_url `{base}` has {what} (`{part}`)");
        problems.push(
            Diagnostic::at_offset(shown, &source, offset.unwrap_or(0), part.len(), message)
                .with_hint(format!(
                    "remove `{part}`: base_url is the folder the site is served from"
                )),
        );
    }
    let mut check_labels = |key: &str, name: &str, labels: &Labels| {
        for lang in &raw.languages {
            if !labels.contains_key(lang) {
                problems.push(at(
                    key,
                    Some(name),
                    format!("`{name}` has no `{lang}` label"),
                ));
            }
        }
        for lang in labels.keys() {
            if !raw.languages.contains(lang) {
                problems.push(at(
                    key,
                    Some(lang),
                    format!("`{name}` has a label in `{lang}`, which is not in `languages`"),
                ));
            }
        }
    };
    check_labels("title", "title", &raw.title);
    for (section, map) in [
        ("taxonomies", &raw.taxonomies.departments),
        ("taxonomies", &raw.taxonomies.themes),
        ("figures", &raw.figures),
    ] {
        for (key, labels) in map {
            check_labels(section, key, labels);
        }
    }
    let mut check_slugs = |section: &str, map: &BTreeMap<String, Labels>| {
        for key in map.keys() {
            if !is_slug(key) {
                problems.push(at(
                    section,
                    Some(key),
                    format!(
                        "`{key}` must use only a-z, 0-9 and `-` (it becomes part of an address)"
                    ),
                ));
            }
        }
    };
    check_slugs("taxonomies", &raw.taxonomies.departments);
    check_slugs("taxonomies", &raw.taxonomies.themes);
    check_slugs("figures", &raw.figures);
    if !is_slug(&raw.theme) {
        problems.push(at(
            "theme",
            None,
            format!("theme name `{}` is not a folder name", raw.theme),
        ));
    }

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
        unsafe_html: raw.markdown.unsafe_html,
    })
}

// Nested keys are listed too, so a typo inside `taxonomies` or `markdown` gets a suggestion.
const KNOWN_KEYS: [&str; 10] = [
    TOP_KEYS[0],
    TOP_KEYS[1],
    TOP_KEYS[2],
    TOP_KEYS[3],
    TOP_KEYS[4],
    TOP_KEYS[5],
    TOP_KEYS[6],
    "departments",
    "themes",
    "unsafe_html",
];

/// Keys that become path segments: lowercase ASCII letters, digits and inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_lang_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: { zh: 标题, en: Title }\nbase_url: https://x.gov.cn/a\nlanguages: [zh, en]\ntaxonomies:\n  departments:\n    justice-bureau: { zh: 司法局, en: Justice }\n";

    #[test]
    fn refuses_a_base_url_with_a_query_or_a_fragment_at_its_position() {
        for (url, col) in [
            ("https://x.gov.cn/a?x=1", 29),
            ("https://x.gov.cn/a/#top", 30),
        ] {
            let text = GOOD.replace("https://x.gov.cn/a", url);
            let e = parse(&text, Path::new("site.yaml"), None).unwrap_err();
            let d = &e.0[0];
            assert_eq!((d.line, d.col), (2, col), "{e}");
            assert!(d.message.contains("base_url"), "{e}");
            assert!(
                d.hint.as_deref().is_some_and(|h| h.starts_with("remove")),
                "{e}"
            );
        }
        let e = parse(
            GOOD,
            Path::new("site.yaml"),
            Some("http://localhost:8000/?a"),
        )
        .unwrap_err();
        assert!(e.0[0].message.contains("a query string (`?a`)"), "{e}");
    }

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
