//! The labelled paragraphs of `tests/fixtures/style/labelled.yaml` (written by
//! `make_labelled.py`) and how the style rules' findings compare with their labels; shared by
//! `tests/style_labelled.rs` and `examples/style_eval.rs`.
// Each of the two uses part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use gongkai::style::{StyleConfig, check_body};

#[derive(Debug, serde::Deserialize)]
pub struct Item {
    pub part: String,
    pub source: String,
    pub text: String,
    /// `[rule, character offset]`.
    pub expect: Vec<(String, usize)>,
}

pub fn items() -> Vec<Item> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/style/labelled.yaml"
    );
    let text = std::fs::read_to_string(path).expect("labelled.yaml");
    gongkai::yaml::parse(&text).expect("labelled.yaml parses")
}

/// The configuration the labels assume: every rule on, `习大大` to avoid.
pub fn config() -> StyleConfig {
    StyleConfig {
        prefer: vec![("习大大".into(), "习近平".into())],
        ..StyleConfig::default()
    }
}

/// What the rules find in a paragraph, as `(rule, character offset)`.
pub fn found(item: &Item, config: &StyleConfig) -> BTreeSet<(String, usize)> {
    check_body(&item.text, config)
        .into_iter()
        .map(|f| {
            (
                f.rule.name().to_string(),
                item.text[..f.range.start].chars().count(),
            )
        })
        .collect()
}

/// True positives, false positives and false negatives per rule.
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

pub fn score<'a>(
    items: impl Iterator<Item = &'a Item>,
    config: &StyleConfig,
) -> BTreeMap<String, Score> {
    let mut by_rule: BTreeMap<String, Score> = BTreeMap::new();
    for item in items {
        let want: BTreeSet<(String, usize)> = item.expect.iter().cloned().collect();
        let got = found(item, config);
        for f in got.intersection(&want) {
            by_rule.entry(f.0.clone()).or_default().tp += 1;
        }
        for f in got.difference(&want) {
            by_rule.entry(f.0.clone()).or_default().fp += 1;
        }
        for f in want.difference(&got) {
            by_rule.entry(f.0.clone()).or_default().fn_ += 1;
        }
    }
    by_rule
}
