//! The one place that knows the YAML library (serde_yaml is published as deprecated, so it stays
//! behind this module and could be swapped without touching anything else).
//!
//! Positions are byte offsets into the YAML text; callers map them into their file.

use serde::de::DeserializeOwned;

mod flow_depth;

use flow_depth::{MAX_FLOW_DEPTH, too_deep};

/// A YAML syntax or shape error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub offset: usize,
    /// The key the library complained about, when it names one (`unknown field `x``).
    pub unknown_field: Option<String>,
}

/// Parses `text` into `T`, reporting the first problem with its position.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(offset) = too_deep(text) {
        return Err(YamlError {
            message: format!("`[` and `{{` nested more than {MAX_FLOW_DEPTH} deep"),
            offset,
            unknown_field: None,
        });
    }
    serde_yaml::from_str(text).map_err(|err| {
        let full = err.to_string();
        // Nested keys come with their path first (`revisions[0]: unknown field `nte``).
        let unknown_field = full
            .split_once("unknown field `")
            .and_then(|(_, rest)| rest.split('`').next())
            .map(str::to_string);
        YamlError {
            message: without_positions(&full),
            offset: err.location().map_or(0, |l| l.index()),
            unknown_field,
        }
    })
}

/// The library's message without the positions it writes into it (` at line 3 column 5`, up to
/// two of them, and ` at position 12`): they count lines of the text it was given, which for
/// front matter is not the file (its line 1 is the file's line 2), and every diagnostic already
/// says where it is.
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at ".len()..];
        match position_len(after) {
            Some(len) => rest = &after[len..],
            None => {
                out.push_str(" at ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of `line L column C` or `position P` at the start of `s`.
fn position_len(s: &str) -> Option<usize> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    if let Some(rest) = s.strip_prefix("line ") {
        let line = digits(rest);
        let col = digits(rest[line..].strip_prefix(" column ")?);
        (line > 0 && col > 0).then_some("line ".len() + line + " column ".len() + col)
    } else {
        let pos = digits(s.strip_prefix("position ")?);
        (pos > 0).then_some("position ".len() + pos)
    }
}

/// Byte offset of the top-level `key:` in block-style YAML `text`.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && rest.trim_start_matches([' ', '\t']).starts_with(':')
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Byte offset of `needle` inside the value of top-level `key` (which may span several lines),
/// e.g. a theme inside `themes: [a, b]` or a nested key inside `figures:`.
pub fn find_in_value(text: &str, key: &str, needle: &str) -> Option<usize> {
    find_nth_in_value(text, key, needle, 0)
}

/// Like [`find_in_value`], for the `n`th (0-based) occurrence: a repeated list item is pointed
/// at where it repeats, not where it first appears.
pub fn find_nth_in_value(text: &str, key: &str, needle: &str, n: usize) -> Option<usize> {
    let start = find_key(text, key)?;
    let value_start = start + key.len();
    let end = text[value_start..]
        .split_inclusive('\n')
        .scan(value_start, |pos, line| {
            let here = *pos;
            *pos += line.len();
            Some((here, line))
        })
        .skip(1)
        .find(|(_, line)| !line.starts_with([' ', '\t', '-', '\n', '#']) && !line.is_empty())
        .map_or(text.len(), |(here, _)| here);
    let window = &text[value_start..end];
    find_words(window, needle).nth(n).map(|i| value_start + i)
}

/// Occurrences of `needle` not glued to other key characters (so `a` does not match in `ab`).
fn find_words<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let is_key_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    haystack
        .match_indices(needle)
        .map(|(i, _)| i)
        .filter(move |&i| {
            let before = haystack[..i].chars().next_back();
            let after = haystack[i + needle.len()..].chars().next();
            !before.is_some_and(is_key_char) && !after.is_some_and(is_key_char)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn unknown_field_is_named() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            title: String,
        }
        let err = parse::<S>("title: a\ntitel: b\n").unwrap_err();
        assert_eq!(err.unknown_field.as_deref(), Some("titel"));
        assert_eq!(err.offset, 9);
        assert!(!err.message.contains("at line"));
    }

    #[test]
    fn nested_unknown_field_is_named() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            note: String,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            revisions: Vec<Inner>,
        }
        let err = parse::<Outer>("revisions:\n  - { nte: x }\n").unwrap_err();
        assert!(
            err.message.starts_with("revisions[0]: unknown field `nte`"),
            "{}",
            err.message
        );
        assert_eq!(err.unknown_field.as_deref(), Some("nte"));
    }

    #[test]
    fn message_has_no_position_of_the_yaml_block() {
        // Front matter starts on line 2 of its file: a line counted in the YAML block would
        // contradict the diagnostic's own position. Both of the library's positions go.
        let err = parse::<BTreeMap<String, String>>("a: \"\\q\"\n").unwrap_err();
        assert_eq!(
            err.message,
            "found unknown escape character, while parsing a quoted scalar"
        );
        assert_eq!(err.offset, 4);
        let err = parse::<BTreeMap<String, String>>("a: 'x\n").unwrap_err();
        assert_eq!(
            err.message,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(without_positions("b at position 12"), "b");
        assert_eq!(without_positions("x at lineage"), "x at lineage");
    }

    #[test]
    fn hundred_thousand_brackets_are_refused_before_the_library_parses_them() {
        // The library took 17 s on this (debug build); the depth guard refuses it in one scan.
        let text = format!("a: {}", "[".repeat(100_000));
        let err = parse::<BTreeMap<String, String>>(&text).unwrap_err();
        assert_eq!(err.message, "`[` and `{` nested more than 64 deep");
        assert_eq!(err.offset, 3 + 64);
    }

    #[test]
    fn finds_values_in_flow_and_block_lists() {
        let text =
            "title: x\nthemes: [legal-aid, rule-of-law]\nfigures:\n  a: 1\n  ab: 2\ndate: d\n";
        assert_eq!(find_key(text, "themes"), Some(9));
        assert_eq!(
            find_in_value(text, "themes", "rule-of-law"),
            text.find("rule-of-law")
        );
        assert_eq!(find_in_value(text, "figures", "ab"), text.find("ab:"));
        assert_eq!(find_in_value(text, "figures", "date"), None);
        let twice = "themes: [a, ab, a]\n";
        assert_eq!(find_nth_in_value(twice, "themes", "a", 1), Some(16));
        assert_eq!(find_nth_in_value(twice, "themes", "a", 2), None);
        let _: BTreeMap<String, String> = parse("a: b").unwrap();
    }
}
