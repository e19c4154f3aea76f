//! The one place that knows the YAML library (serde_yaml is published as deprecated, so it stays
//! behind this module and could be swapped without touching anything else).
//!
//! Positions are byte offsets into the YAML text; callers map them into their file.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::DeserializeOwned;

mod guard;
pub mod mistakes;
pub mod numbers;

pub use guard::{MAX_BLOCK_DEPTH, MAX_FLOW_DEPTH, Refused};

/// A YAML syntax or shape error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub offset: usize,
    /// The key the library complained about, when it names one (`unknown field `x``).
    pub unknown_field: Option<String>,
    /// A typical editor mistake found in the refused text: a better explanation than the
    /// library's message, at its own place.
    pub mistake: Option<Box<mistakes::Found>>,
    /// What the guard refused before the library saw the text, if it did.
    pub refused: Option<Refused>,
}

/// Parses `text` into `T`, reporting the first problem with its position.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(refused) = guard::check(text) {
        // English only, as the library's own words are: the message catalogues are read with
        // this module, so it cannot read them; the editor is shown the refusal in their
        // language from `refused` (`diagnostics/from_yaml.rs`).
        let (message, offset) = match refused {
            Refused::FlowTooDeep(i) => (
                format!("`[` and `{{` nested more than {MAX_FLOW_DEPTH} deep"),
                i,
            ),
            Refused::BlockTooDeep(i) => (
                format!("indentation nested more than {MAX_BLOCK_DEPTH} deep"),
                i,
            ),
            Refused::Alias(i) => (
                "aliases are not allowed: write the value out (no `&name` or `*name`)".to_string(),
                i,
            ),
        };
        return Err(YamlError {
            message,
            offset,
            unknown_field: None,
            // The guard's refusals are about hostile shapes, and say what to do themselves.
            mistake: None,
            refused: Some(refused),
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
            mistake: mistakes::find(text).map(Box::new),
            refused: None,
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

/// Points at keys, and at words inside their values, in one block-style YAML text.
///
/// A key's value is found and its words indexed once, on first use; after that pointing at
/// another problem in it costs a lookup, so a file with thousands of problems takes time in
/// proportion to its size, not to its size times its problems.
pub struct Locator<'a> {
    text: &'a str,
    values: RefCell<HashMap<String, Option<Value<'a>>>>,
}

/// The value of one top-level key: from just after the key's name to the next top-level line.
struct Value<'a> {
    key: usize,
    start: usize,
    window: &'a str,
    /// Each word (a run of key characters) of the value and where it stands, in order.
    words: HashMap<&'a str, Vec<usize>>,
    /// Needles that are not one word (`a b`, `：`), searched for once each.
    others: HashMap<String, Vec<usize>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            values: RefCell::new(HashMap::new()),
        }
    }

    /// Byte offset of the top-level `key:`.
    pub fn key(&self, key: &str) -> Option<usize> {
        self.with_value(key, |v| v.key)
    }

    /// Byte offset of the `n`th (0-based) `needle` inside the value of top-level `key` (which
    /// may span several lines), e.g. a theme inside `themes: [a, b]` or a nested key inside
    /// `figures:`. A needle counts only where it is not glued to other key characters, so `a`
    /// is not found in `ab`; a repeated list item is found where it repeats.
    pub fn nth_in_value(&self, key: &str, needle: &str, n: usize) -> Option<usize> {
        self.with_value(key, |v| {
            let found = if is_word(needle) {
                v.words.get(needle)
            } else {
                let window = v.window;
                Some(
                    &*v.others
                        .entry(needle.to_string())
                        .or_insert_with(|| find_words(window, needle).collect()),
                )
            };
            found.and_then(|at| at.get(n)).map(|i| v.start + i)
        })
        .flatten()
    }

    fn with_value<R>(&self, key: &str, f: impl FnOnce(&mut Value<'a>) -> R) -> Option<R> {
        let mut values = self.values.borrow_mut();
        let value = values
            .entry(key.to_string())
            .or_insert_with(|| Value::find(self.text, key));
        value.as_mut().map(f)
    }
}

impl<'a> Value<'a> {
    fn find(text: &'a str, key: &str) -> Option<Value<'a>> {
        let key_at = find_key(text, key)?;
        let start = key_at + key.len();
        let end = text[start..]
            .split_inclusive('\n')
            .scan(start, |pos, line| {
                let here = *pos;
                *pos += line.len();
                Some((here, line))
            })
            .skip(1)
            .find(|(_, line)| !line.starts_with([' ', '\t', '-', '\n', '#']) && !line.is_empty())
            .map_or(text.len(), |(here, _)| here);
        let window = &text[start..end];
        let mut words: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut word_start = None;
        for (i, c) in window.char_indices().chain([(window.len(), ' ')]) {
            match (is_key_char(c), word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(s)) => {
                    words.entry(&window[s..i]).or_default().push(s);
                    word_start = None;
                }
                _ => {}
            }
        }
        Some(Value {
            key: key_at,
            start,
            window,
            words,
            others: HashMap::new(),
        })
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

/// [`Locator::nth_in_value`] for the first occurrence; each call searches `text` anew.
pub fn find_in_value(text: &str, key: &str, needle: &str) -> Option<usize> {
    find_nth_in_value(text, key, needle, 0)
}

/// [`Locator::nth_in_value`]; each call searches `text` anew.
pub fn find_nth_in_value(text: &str, key: &str, needle: &str, n: usize) -> Option<usize> {
    Locator::new(text).nth_in_value(key, needle, n)
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// One run of key characters: then its occurrences are exactly the words equal to it.
fn is_word(needle: &str) -> bool {
    !needle.is_empty() && needle.chars().all(is_key_char)
}

/// Occurrences of `needle` not glued to other key characters (so `a` does not match in `ab`).
fn find_words<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
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
        // The library took minutes on this; refused by the depth guard, it is one scan.
        let text = format!("a: {}", "[".repeat(100_000));
        let err = parse::<BTreeMap<String, String>>(&text).unwrap_err();
        assert_eq!(err.message, "`[` and `{` nested more than 64 deep");
        assert_eq!(err.offset, 3 + 64);
    }

    #[test]
    fn locator_finds_words_phrases_and_repeats() {
        let text = "title: x\nthemes:\n  - 法治\n  - a b\n  - 法治\n  - a b\n# c\nfigures: {}\n";
        let at = Locator::new(text);
        assert_eq!(at.key("themes"), text.find("themes"));
        assert_eq!(at.nth_in_value("themes", "法治", 1), text.rfind("法治"));
        assert_eq!(at.nth_in_value("themes", "a b", 1), text.rfind("a b"));
        assert_eq!(at.nth_in_value("themes", "a b", 2), None);
        // `c` is in a comment line, which is still the value of `themes`; `x` is not.
        assert_eq!(at.nth_in_value("themes", "c", 0), text.find("c\n"));
        assert_eq!(at.nth_in_value("themes", "x", 0), None);
        assert_eq!(at.key("date"), None);
        assert_eq!(at.nth_in_value("date", "x", 0), None);
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
