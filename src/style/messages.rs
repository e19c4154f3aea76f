//! Check stage: the texts of the style rules' messages, from the catalogues
//! `messages/style.<lang>.yaml` (a flat map of key → text with `{placeholder}`s), compiled in.
//! English unless Chinese is asked for.

use std::collections::BTreeMap;

use super::Finding;

const EN: &str = include_str!("../../messages/style.en.yaml");
const ZH: &str = include_str!("../../messages/style.zh.yaml");

/// One language's catalogue.
#[derive(Debug, Clone)]
pub struct Messages {
    texts: BTreeMap<String, String>,
}

impl Messages {
    /// The catalogue of `lang` (`zh…` is Chinese, anything else English).
    pub fn new(lang: &str) -> Messages {
        let text = if lang.starts_with("zh") { ZH } else { EN };
        // The catalogues are compiled in and parsed by a unit test, so they cannot fail here;
        // an empty map would only show keys instead of texts.
        let texts = crate::yaml::parse(text).unwrap_or_default();
        Messages { texts }
    }

    /// The language asked for by `GONGKAI_LANG`, else the locale (`LC_ALL`, `LANG`); `get` reads
    /// the environment, so tests need not touch the process's own.
    pub fn language_from(get: impl Fn(&str) -> Option<String>) -> String {
        ["GONGKAI_LANG", "LC_ALL", "LANG"]
            .into_iter()
            .find_map(|k| get(k).filter(|v| !v.is_empty()))
            .map_or_else(
                || "en".into(),
                |v| {
                    if v.starts_with("zh") {
                        "zh".into()
                    } else {
                        "en".into()
                    }
                },
            )
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn text(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self
            .texts
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    pub fn finding(&self, f: &Finding) -> String {
        self.text(f.key, &f.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_every_key() {
        let en: BTreeMap<String, String> = crate::yaml::parse(EN).unwrap();
        let zh: BTreeMap<String, String> = crate::yaml::parse(ZH).unwrap();
        assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
        let m = Messages::new("zh");
        let t = m.text(
            "half-width-punctuation",
            &[("found", ",".into()), ("fix", "，".into())],
        );
        assert_eq!(t, "中文中使用了半角“,”：应为“，”");
        assert_eq!(
            Messages::language_from(|k| (k == "LANG").then(|| "zh_CN.UTF-8".into())),
            "zh"
        );
        assert_eq!(Messages::language_from(|_| None), "en");
    }
}
