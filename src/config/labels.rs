//! Load stage: a department, theme or figure written by its label (`司法局`, `Justice Bureau`)
//! instead of its key, found so the message can say which key to write (README "Writing a
//! report").

use std::collections::BTreeMap;

use super::Labels;

/// The key whose label in any language is `text` (ignoring case and surrounding space).
pub fn key_by_label<'a>(map: &'a BTreeMap<String, Labels>, text: &str) -> Option<&'a str> {
    let want = text.trim().to_lowercase();
    if want.is_empty() {
        return None;
    }
    map.iter()
        .find(|(_, labels)| labels.values().any(|l| l.trim().to_lowercase() == want))
        .map(|(key, _)| key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_in_either_language_finds_its_key() {
        let labels = |zh: &str, en: &str| {
            Labels::from([("zh".to_string(), zh.to_string()), ("en".into(), en.into())])
        };
        let map = BTreeMap::from([
            (
                "justice-bureau".to_string(),
                labels("司法局", "Justice Bureau"),
            ),
            (
                "business".to_string(),
                labels("营商环境", "Business Environment"),
            ),
        ]);
        assert_eq!(key_by_label(&map, "营商环境"), Some("business"));
        assert_eq!(
            key_by_label(&map, " justice bureau "),
            Some("justice-bureau")
        );
        assert_eq!(key_by_label(&map, "法治"), None);
        assert_eq!(key_by_label(&map, ""), None);
    }
}
