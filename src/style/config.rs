//! Load stage: the `style:` part of `site.yaml` (README "Style rules"): words to avoid with
//! their replacements, and each rule's level. Unknown rule names and levels are refused by the
//! YAML reader itself, at their place, with the nearest name as a hint.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Rule;
use crate::messages::Msg;

/// How a rule's findings count: not at all, as warnings (never stop anything but
/// `check --strict`), or as errors (make `check` fail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    #[default]
    Warn,
    Error,
}

/// The style settings, validated; every rule is on as a warning unless `site.yaml` says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StyleConfig {
    /// Words to avoid and their replacements, in `site.yaml` order of keys (sorted).
    pub prefer: Vec<(String, String)>,
    pub levels: BTreeMap<Rule, Level>,
}

impl StyleConfig {
    pub fn level(&self, rule: Rule) -> Level {
        self.levels.get(&rule).copied().unwrap_or_default()
    }
}

/// `style:` as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawStyle {
    #[serde(default)]
    prefer: BTreeMap<String, String>,
    #[serde(default)]
    rules: RawRules,
}

/// `style: rules:` as written: one optional level per rule name.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    half_width_punctuation: Option<Level>,
    straight_quotes: Option<Level>,
    unbalanced_marks: Option<Level>,
    repeated_punctuation: Option<Level>,
    space_between_han: Option<Level>,
    full_width_alphanumeric: Option<Level>,
    section_numbering: Option<Level>,
    preferred_wording: Option<Level>,
}

/// Keys of `style:`, for "did you mean" hints on a misspelt one.
pub const KEYS: [&str; 11] = [
    "style",
    "prefer",
    "rules",
    "half-width-punctuation",
    "straight-quotes",
    "unbalanced-marks",
    "repeated-punctuation",
    "space-between-han",
    "full-width-alphanumeric",
    "section-numbering",
    "preferred-wording",
];

/// A problem in `style: prefer:`: the word it is at, and what is wrong.
pub type Problem = (String, Msg);

/// The settings from `style:`, and the entries of `prefer` that cannot work: an empty word, a
/// word replaced by itself, or a replacement holding another word to avoid (fixing would then
/// go round in circles, or depend on the order of the words).
pub fn resolve(raw: RawStyle) -> (StyleConfig, Vec<Problem>) {
    let r = raw.rules;
    let given = [
        (Rule::HalfWidthPunctuation, r.half_width_punctuation),
        (Rule::StraightQuotes, r.straight_quotes),
        (Rule::UnbalancedMarks, r.unbalanced_marks),
        (Rule::RepeatedPunctuation, r.repeated_punctuation),
        (Rule::SpaceBetweenHan, r.space_between_han),
        (Rule::FullWidthAlphanumeric, r.full_width_alphanumeric),
        (Rule::SectionNumbering, r.section_numbering),
        (Rule::PreferredWording, r.preferred_wording),
    ];
    let levels = given
        .into_iter()
        .filter_map(|(rule, level)| Some((rule, level?)))
        .collect();
    let mut problems = Vec::new();
    for (old, new) in &raw.prefer {
        if old.trim().is_empty() {
            problems.push((old.clone(), Msg::new("style.prefer-empty")));
        } else if old == new {
            let message = Msg::new("style.prefer-itself").arg("word", old);
            problems.push((old.clone(), message));
        } else if let Some(other) = raw
            .prefer
            .keys()
            .find(|o| *o != old && new.contains(o.as_str()))
        {
            let message = Msg::new("style.prefer-circle")
                .arg("word", old)
                .arg("other", other);
            problems.push((old.clone(), message));
        }
    }
    let prefer = raw.prefer.into_iter().collect();
    (StyleConfig { prefer, levels }, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Result<RawStyle, String> {
        crate::yaml::parse::<RawStyle>(text).map_err(|e| e.message)
    }

    #[test]
    fn levels_and_words() {
        let (c, p) = resolve(raw("prefer: { 习大大: 习近平 }\nrules: { straight-quotes: off, section-numbering: error }\n").unwrap());
        assert!(p.is_empty());
        assert_eq!(c.level(Rule::StraightQuotes), Level::Off);
        assert_eq!(c.level(Rule::SectionNumbering), Level::Error);
        assert_eq!(c.level(Rule::HalfWidthPunctuation), Level::Warn);
        assert_eq!(c.prefer, [("习大大".to_string(), "习近平".to_string())]);
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(
            raw("rules: { straight-quote: off }\n")
                .unwrap_err()
                .contains("straight-quote")
        );
        assert!(
            raw("rules: { straight-quotes: warning }\n")
                .unwrap_err()
                .contains("warning")
        );
        let (_, p) = resolve(raw("prefer: { 甲: 乙, 乙: 甲, 丙: 丙 }\n").unwrap());
        assert_eq!(p.len(), 3, "{p:?}");
    }
}
