//! Load stage: the site's identity from `site.yaml` `identity:` (README "Site identity"): who
//! runs the site, how to reach them, its filing numbers, where to report an error, and how
//! report index numbers are made. Every field is optional; what is given is checked here, so a
//! page never shows a link that is not a web address or an index number with a hole in it.

use serde::Deserialize;

use super::{Labels, Lang};
use crate::messages::Msg;

/// A text the same in every language, or one per language (`{ zh: …, en: … }`).
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub(super) enum RawText {
    Same(String),
    Each(Labels),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentity {
    sponsor: Option<RawText>,
    operator: Option<RawText>,
    address: Option<RawText>,
    phone: Option<String>,
    email: Option<String>,
    site_code: Option<String>,
    icp: Option<String>,
    public_security: Option<String>,
    error_report: Option<String>,
    index_number: Option<String>,
}

/// `keys`, then `identity` and its keys: what a mistyped key may have meant.
pub(super) fn and_keys<'a>(keys: &'a [&'a str]) -> impl Iterator<Item = &'a str> + Clone {
    keys.iter().chain(&["identity"]).chain(&KEYS).copied()
}

/// The keys of `identity:`, for "did you mean" hints.
const KEYS: [&str; 10] = [
    "sponsor",
    "operator",
    "address",
    "phone",
    "email",
    "site_code",
    "icp",
    "public_security",
    "error_report",
    "index_number",
];

/// The placeholders of `index_number` (README "Site identity"); each depends on the report
/// alone, so a number never changes when another report is added.
const INDEX_PLACEHOLDERS: [&str; 5] = ["site_code", "year", "department", "stem", "date"];

/// The identity, checked. Texts are per language of the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    /// 主办单位.
    pub sponsor: Option<Labels>,
    /// 承办单位.
    pub operator: Option<Labels>,
    pub address: Option<Labels>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 网站标识码, also the `SiteIDCode` meta.
    pub site_code: Option<String>,
    /// ICP备案号 (links to the MIIT filing system).
    pub icp: Option<String>,
    /// 公安机关备案号 (links to the public-security filing system with its digits).
    pub public_security: Option<String>,
    /// The error-report address (政府网站找错), `{site_code}` and `{url}` filled per page.
    pub error_report: Option<String>,
    /// The pattern of report index numbers (索引号).
    pub index_number: String,
}

/// A problem in `identity:`: the text to point at in the file and what is wrong.
pub(super) struct Problem {
    pub needle: String,
    pub message: Msg,
}

fn per_language(text: Option<RawText>, languages: &[Lang]) -> Option<Labels> {
    let labels = match text? {
        RawText::Same(s) => languages.iter().map(|l| (l.clone(), s.clone())).collect(),
        RawText::Each(labels) => labels,
    };
    let labels: Labels = labels
        .into_iter()
        .map(|(l, s)| (l, s.trim().to_string()))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    (!labels.is_empty()).then_some(labels)
}

fn given(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks `identity:` and returns it with the problems found.
pub(super) fn check(raw: RawIdentity, languages: &[Lang]) -> (Identity, Vec<Problem>) {
    let mut problems = Vec::new();
    let site_code = given(raw.site_code);
    let email = given(raw.email);
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(|c: char| c.is_whitespace() || "<>\"'".contains(c)))
    {
        problems.push(Problem {
            needle: e.clone(),
            message: Msg::new("config.email").arg("email", e),
        });
    }
    let error_report = given(raw.error_report);
    // Like base_url: a web address with nothing an address cannot hold.
    if let Some(u) = &error_report
        && (!(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(['"', '<', '>', '\\'])
            || u.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        problems.push(Problem {
            needle: u.clone(),
            message: Msg::new("config.error_report").arg("url", u),
        });
    }
    let default_pattern = match site_code {
        Some(_) => "{site_code}-{year}-{stem}",
        None => "{year}-{stem}",
    };
    let index_number = given(raw.index_number).unwrap_or_else(|| default_pattern.into());
    for name in placeholders(&index_number) {
        let message = if !INDEX_PLACEHOLDERS.contains(&name) {
            Msg::new("config.index_unknown_placeholder")
                .arg("placeholder", format!("{{{name}}}"))
                .list("known", INDEX_PLACEHOLDERS.map(|p| format!("{{{p}}}")))
        } else if name == "site_code" && site_code.is_none() {
            Msg::new("config.index_no_site_code").arg("placeholder", "{site_code}")
        } else {
            continue;
        };
        // At the pattern: a placeholder alone is glued to the text around it.
        problems.push(Problem {
            needle: index_number.clone(),
            message,
        });
    }
    let identity = Identity {
        sponsor: per_language(raw.sponsor, languages),
        operator: per_language(raw.operator, languages),
        address: per_language(raw.address, languages),
        phone: given(raw.phone),
        email,
        site_code,
        icp: given(raw.icp),
        public_security: given(raw.public_security),
        error_report,
        index_number,
    };
    (identity, problems)
}

/// The names between braces in a pattern, in order.
fn placeholders(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}

/// The values a report gives the placeholders of `index_number`.
pub struct IndexFields<'a> {
    pub year: u16,
    pub department: &'a str,
    pub stem: &'a str,
    /// Publication date, `YYYYMMDD`.
    pub date: String,
}

impl Identity {
    /// A report's index number (索引号) from the pattern.
    pub fn index_number(&self, f: &IndexFields<'_>) -> String {
        self.index_number
            .replace("{site_code}", self.site_code.as_deref().unwrap_or(""))
            .replace("{year}", &f.year.to_string())
            .replace("{department}", f.department)
            .replace("{stem}", f.stem)
            .replace("{date}", &f.date)
    }

    /// The public-security filing system's page for this site: its record code is the digits of
    /// the number as written (`粤公网安备 44010502000001号`).
    pub fn public_security_href(&self) -> Option<String> {
        let number = self.public_security.as_deref()?;
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        Some(format!(
            "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={digits}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(
            placeholders("{site_code}-{year}/{x}"),
            ["site_code", "year", "x"]
        );
        assert!(placeholders("no braces {").is_empty());
    }

    #[test]
    fn index_number_fills_every_placeholder() {
        let raw = RawIdentity {
            site_code: Some("4401050001".into()),
            index_number: Some("{site_code}/{year}-{department}-{stem}-{date}".into()),
            ..Default::default()
        };
        let (id, problems) = check(raw, &["zh".into()]);
        assert!(problems.is_empty());
        let n = id.index_number(&IndexFields {
            year: 2022,
            department: "justice-bureau",
            stem: "justice-bureau-2",
            date: "20230328".into(),
        });
        assert_eq!(
            n,
            "4401050001/2022-justice-bureau-justice-bureau-2-20230328"
        );
    }

    #[test]
    fn unknown_placeholder_and_missing_site_code_are_problems() {
        let raw = RawIdentity {
            index_number: Some("{site_code}-{seq}".into()),
            ..Default::default()
        };
        let (_, problems) = check(raw, &["zh".into()]);
        let messages: Vec<_> = problems.iter().map(|p| p.message.english()).collect();
        assert!(messages[0].contains("no site_code"), "{messages:?}");
        assert!(messages[1].contains("`{seq}`"), "{messages:?}");
    }
}
