//! Load stage: the label rules of `site.yaml`: every label in every language of the site and
//! in no other, and keys that can be parts of page addresses.

use std::collections::HashSet;

use super::{Checks, Labels, Languages, RawConfig, Unit, is_slug};
use crate::messages::Msg;

impl Checks<'_> {
    /// The site title and every department, theme and figure have a label in each language of
    /// the site, and in no other.
    pub(super) fn every_label_is_in_every_language(&mut self, raw: &RawConfig) {
        // Each language once: a repeated one is reported as such, and would only repeat the
        // same missing labels (once for every map times every repetition).
        let mut languages: Vec<&str> = raw.languages.iter().map(String::as_str).collect();
        let mut seen = HashSet::new();
        languages.retain(|l| seen.insert(*l));
        let languages = Languages {
            listed: languages,
            set: seen,
        };
        self.labels_match_languages("title", "title", &raw.title, &languages);
        for (section, map) in [
            ("taxonomies", &raw.taxonomies.departments),
            ("taxonomies", &raw.taxonomies.themes),
        ] {
            for (key, labels) in map {
                self.labels_match_languages(section, key, labels, &languages);
            }
        }
        for figure in &raw.figures {
            self.labels_match_languages("figures", &figure.key, &figure.labels, &languages);
            // A unit may be left out in a language (a measure word has no English form).
            if let Some(Unit::PerLang(units)) = &figure.unit {
                for lang in units.keys().filter(|l| !languages.set.contains(l.as_str())) {
                    let message = Msg::new("config.unit_lang_unknown")
                        .arg("figure", &figure.key)
                        .arg("lang", lang);
                    self.at("figures", Some(lang), message);
                }
            }
        }
    }

    fn labels_match_languages(
        &mut self,
        key: &str,
        name: &str,
        labels: &Labels,
        languages: &Languages<'_>,
    ) {
        for &lang in &languages.listed {
            if !labels.contains_key(lang) {
                let message = Msg::new("config.no_label")
                    .arg("name", name)
                    .arg("lang", lang);
                self.at(key, Some(name), message);
            }
        }
        for lang in labels.keys() {
            if !languages.set.contains(lang.as_str()) {
                self.at(
                    key,
                    Some(lang),
                    Msg::new("config.label_lang_unknown")
                        .arg("name", name)
                        .arg("lang", lang),
                );
            }
        }
    }

    /// Department, theme and figure keys become parts of page addresses.
    pub(super) fn keys_are_slugs(&mut self, raw: &RawConfig) {
        for (section, keys) in [
            (
                "taxonomies",
                raw.taxonomies.departments.keys().collect::<Vec<_>>(),
            ),
            ("taxonomies", raw.taxonomies.themes.keys().collect()),
            ("figures", raw.figures.keys().collect()),
        ] {
            for key in keys {
                if !is_slug(key) {
                    self.at(
                        section,
                        Some(key),
                        Msg::new("config.key_not_slug").arg("key", key),
                    );
                }
            }
        }
    }
}
