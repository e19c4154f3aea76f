//! Render stage: the data each template sees. Everything is computed here, in Rust, so
//! templates only lay it out; links are already relative to the page being rendered.

use serde::Serialize;

use super::shown::item_facts;
use super::theme::{Strings, Theme};
use crate::config::label;
use crate::model::{Entry, Report, Site};
use crate::urls::{self, LinkStyle};

/// What every page carries: language, navigation, switcher, alternates and metadata.
#[derive(Serialize)]
pub struct Common<'a> {
    pub lang: &'a str,
    pub html_lang: String,
    pub root: String,
    pub stylesheet: String,
    /// The reading-mode script, loaded in `<head>` (README "Reading aids").
    pub reading_script: String,
    pub site_title: &'a str,
    pub title: String,
    pub home: String,
    pub search: String,
    pub feed: String,
    /// The status page, when the site publishes it (README "Report kinds").
    pub status: Option<String>,
    pub nav: Vec<NavLink>,
    pub switcher: Vec<LangLink>,
    pub alternates: Vec<Alternate>,
    pub canonical: String,
    pub noindex: bool,
    pub meta: GovMeta,
    /// The site's identity in the page's language (README "Site identity").
    pub footer: Footer,
    /// The page language's UI strings (a template value shared by every page).
    pub t: minijinja::Value,
}

#[derive(Serialize)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    /// `aria-current`: `page` on the page itself, `true` on a page of its section (a theme
    /// page under "Themes"), none elsewhere.
    pub current: Option<&'static str>,
}

#[derive(Serialize)]
pub struct LangLink {
    pub lang: String,
    pub html_lang: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// One line of the footer or of the disclosure block: a label, a value, maybe a link.
#[derive(Serialize, Debug)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    /// The value is a date (`<time>`).
    pub date: bool,
}

/// What the footer shows of the site's identity, in one language.
#[derive(Serialize, Debug, Default)]
pub struct Footer {
    pub rows: Vec<Row>,
    /// The error-report link (政府网站找错) for the page at `url`.
    pub error_report: Option<String>,
    /// Its text (the chooser and 404 pages show every language's footer).
    pub error_report_label: String,
}

/// The page metadata Chinese government websites carry (`<meta name="SiteName">` …).
#[derive(Serialize, Default)]
pub struct GovMeta {
    pub site_name: String,
    pub site_domain: String,
    pub column_name: String,
    pub column_type: String,
    pub article_title: String,
    pub pub_date: String,
    pub content_source: String,
    pub keywords: String,
    pub description: String,
    pub url: String,
    /// 网站标识码, when `site.yaml` gives one; the template leaves out empty values.
    pub site_id_code: String,
    /// The report's department; elsewhere the sponsoring unit, or the site.
    pub author: String,
}

/// A report in a list.
#[derive(Serialize)]
pub struct Item {
    pub title: String,
    pub href: String,
    pub year: u16,
    pub date: String,
    pub department: String,
    pub department_href: String,
    pub summary: String,
    /// The report's language name, when it is not in the page's language.
    pub other_lang: Option<String>,
    /// The report's `lang` attribute value, when it is not in the page's language, so the
    /// title and summary are read in their own language (WCAG 3.1.2).
    pub other_html_lang: Option<String>,
    pub archived: bool,
}

#[derive(Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// Builds links and lists as seen from one page.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub strings: &'a std::collections::BTreeMap<String, Strings>,
    /// The same strings as template values (`Common::t`).
    pub string_values: &'a std::collections::BTreeMap<String, minijinja::Value>,
    /// The theme, for the names of the files pages load ([`Theme::asset`]).
    pub theme: &'a Theme,
    pub lang: &'a str,
    pub from: String,
    pub style: LinkStyle,
}

impl<'a> Ctx<'a> {
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(self.lang)
            .and_then(|s| s.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The link to the theme's static file `name` under its cache-safe name.
    pub fn asset(&self, name: &str) -> String {
        self.href(&self.theme.asset(name))
    }

    /// A count in words: the string `key` with `{n}` filled, or `key_one` for a count of one
    /// when the language has that form ("1 report", "2 reports"; Chinese has one form).
    pub fn count(&self, key: &str, n: usize) -> String {
        let one = format!("{key}_one");
        let strings = self.strings.get(self.lang);
        let form = match strings.and_then(|s| s.get(&one)) {
            Some(singular) if n == 1 => singular.clone(),
            _ => self.t(key),
        };
        form.replace("{n}", &n.to_string())
    }

    pub fn href(&self, to: &str) -> String {
        urls::link(&self.from, to, self.style, &self.site.config.base_url)
    }

    pub fn lang_name(&self, lang: &str) -> String {
        self.strings
            .get(lang)
            .and_then(|s| s.get("lang_name"))
            .cloned()
            .unwrap_or_else(|| lang.to_string())
    }

    pub fn department(&self, key: &str) -> String {
        self.site
            .config
            .departments
            .get(key)
            .map_or_else(|| key.to_string(), |l| label(l, self.lang).to_string())
    }

    pub fn theme(&self, key: &str) -> String {
        self.site
            .config
            .themes
            .get(key)
            .map_or_else(|| key.to_string(), |l| label(l, self.lang).to_string())
    }

    pub fn item(&self, entry: &Entry) -> Item {
        let facts = item_facts(self.site, entry, self.lang);
        let lang = facts.lang;
        Item {
            title: facts.title.to_string(),
            href: self.href(&urls::report(lang, facts.key.year, &facts.key.stem)),
            year: facts.key.year,
            date: facts.date.to_string(),
            department: self.department(facts.department),
            department_href: self.href(&urls::department(self.lang, facts.department)),
            summary: facts.summary.to_string(),
            other_lang: (!facts.exact).then(|| self.lang_name(lang)),
            other_html_lang: (!facts.exact).then(|| html_lang(lang)),
            archived: facts.archived,
        }
    }

    pub fn items(&self, ids: &[usize]) -> Vec<Item> {
        ids.iter()
            .map(|&i| self.item(&self.site.entries[i]))
            .collect()
    }

    pub fn theme_links(&self, keys: &[String]) -> Vec<Link> {
        keys.iter()
            .map(|k| Link {
                label: self.theme(k),
                href: self.href(&urls::theme(self.lang, k)),
            })
            .collect()
    }

    pub fn report_href(&self, report: &Report) -> String {
        self.href(&urls::report(
            &report.lang,
            report.key.year,
            &report.key.stem,
        ))
    }
}

/// `zh` → `zh-CN` (the sites are mainland, Simplified Chinese); other codes as they are.
pub fn html_lang(lang: &str) -> String {
    match lang {
        "zh" => "zh-CN".into(),
        other => other.into(),
    }
}

/// The host part of `base_url` (`www.example.gov.cn`), for `SiteDomain`.
pub fn domain(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A figure as written: integers without a decimal point.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
