//! Load stage: `site.yaml`'s `figures:` as written — each figure's labels and its optional
//! unit, in the order the file lists them (README, "A site").
//!
//! Guarantees: the order is the file's (tables, charts and data files follow it, in every
//! language); a key listed twice is kept once and named in [`Figures::duplicates`], which
//! `config.rs` reports as an error (never a silent overwrite); a unit given as one text is the
//! same in every language. Checking labels against the site's languages is `config.rs`'s job.
//! Leaf: imports nothing of the crate.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

/// One figure of `site.yaml`: `legal-opinions: { zh: 出具法律意见, en: Legal opinions issued,
/// unit: { zh: 件, en: cases } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub key: String,
    /// Language → label, without the unit.
    pub labels: BTreeMap<String, String>,
    /// Language → unit (`件`, `cases`, `%`); `None` when the figure has none.
    pub unit: Option<Unit>,
}

/// A figure's unit: one text for every language (`%`), or one per language (`{ zh: 件 }`: a
/// Chinese measure word has no English form, and English shows none).
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    Same(String),
    PerLang(BTreeMap<String, String>),
}

impl Unit {
    /// The unit in `lang`; empty when it has none in that language.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Unit::Same(s) => s,
            Unit::PerLang(m) => m.get(lang).map_or("", String::as_str),
        }
    }
}

/// Every figure, in `site.yaml`'s order, with a lookup by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    list: Vec<Figure>,
    index: HashMap<String, usize>,
    /// Keys listed again after their first entry, in the file's order (the first one counts).
    duplicates: Vec<String>,
}

impl Figures {
    pub fn get(&self, key: &str) -> Option<&Figure> {
        self.index.get(key).map(|&i| &self.list[i])
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Keys in `site.yaml`'s order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + Clone {
        self.list.iter().map(|f| &f.key)
    }

    /// Figures in `site.yaml`'s order.
    pub fn iter(&self) -> std::slice::Iter<'_, Figure> {
        self.list.iter()
    }

    /// Key → labels, for looking a figure up by its label.
    pub fn labels(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        self.iter()
            .map(|f| (f.key.clone(), f.labels.clone()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The position of `key` in `site.yaml` (unknown keys last), for sorting.
    pub fn position(&self, key: &str) -> usize {
        self.index.get(key).copied().unwrap_or(usize::MAX)
    }

    /// Keys the file lists more than once: each one an error for the configuration's checks,
    /// which can say it at its place and in the reader's language.
    pub fn duplicates(&self) -> &[String] {
        &self.duplicates
    }

    fn push(&mut self, figure: Figure) -> bool {
        if self.index.contains_key(&figure.key) {
            return false;
        }
        self.index.insert(figure.key.clone(), self.list.len());
        self.list.push(figure);
        true
    }
}

impl<'a> IntoIterator for &'a Figures {
    type Item = &'a Figure;
    type IntoIter = std::slice::Iter<'a, Figure>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// One figure's value in `site.yaml`: labels by language, and `unit`.
#[derive(Deserialize)]
struct RawFigure {
    #[serde(default)]
    unit: Option<RawUnit>,
    #[serde(flatten)]
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawUnit {
    Same(String),
    PerLang(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for Figures {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(InOrder)
    }
}

/// Reads the mapping entry by entry, so the order is the file's (a `BTreeMap` would sort it).
struct InOrder;

impl<'de> Visitor<'de> for InOrder {
    type Value = Figures;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of figure keys to their labels")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Figures, A::Error> {
        let mut figures = Figures::default();
        while let Some((key, raw)) = map.next_entry::<String, RawFigure>()? {
            let unit = raw.unit.map(|u| match u {
                RawUnit::Same(s) => Unit::Same(s),
                RawUnit::PerLang(m) => Unit::PerLang(m),
            });
            let figure = Figure {
                key: key.clone(),
                labels: raw.labels,
                unit,
            };
            if !figures.push(figure) {
                figures.duplicates.push(key);
            }
        }
        Ok(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Figures, crate::yaml::YamlError> {
        crate::yaml::parse(yaml)
    }

    #[test]
    fn keeps_the_files_order_and_units() {
        let f = parse("zeta: { zh: 甲, en: A, unit: 件 }\nalpha: { zh: 乙, en: B, unit: { zh: 次, en: times } }\nmid: { zh: 丙, en: C }\n").unwrap();
        let keys: Vec<&str> = f.keys().map(String::as_str).collect();
        assert_eq!(keys, ["zeta", "alpha", "mid"]);
        assert_eq!(
            f.get("zeta").unwrap().unit.as_ref().unwrap().get("en"),
            "件"
        );
        assert_eq!(
            f.get("alpha").unwrap().unit.as_ref().unwrap().get("en"),
            "times"
        );
        assert_eq!(f.get("alpha").unwrap().unit.as_ref().unwrap().get("fr"), "");
        assert_eq!(f.get("alpha").unwrap().labels["zh"], "乙");
        assert!(!f.get("alpha").unwrap().labels.contains_key("unit"));
        assert_eq!(f.get("mid").unwrap().unit, None);
        assert_eq!(f.position("alpha"), 1);
    }

    #[test]
    fn a_key_listed_twice_is_named_and_the_first_kept() {
        let f = parse("a: { zh: 甲 }\nb: { zh: 乙 }\na: { zh: 丙 }\n").unwrap();
        assert_eq!(f.duplicates(), ["a"]);
        assert_eq!(f.get("a").unwrap().labels["zh"], "甲");
        assert_eq!(f.keys().count(), 2);
    }
}
