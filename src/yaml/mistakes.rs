//! Load stage: the YAML mistakes editors make most, found by a line scan after the library
//! refused a text, so the message names the cause at its own line and column instead of the
//! library's words at the next token (README "When `check` reports a problem"). The scan only
//! runs on text the library already refused (or on one number map), so it never rejects good
//! YAML; it reads block-style mappings (what site files are) and skips block scalars.

use std::collections::HashMap;

/// What the scan recognised. Offsets are bytes into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// `date：2025` — a full-width colon where the key ends.
    FullWidthColon { key: String },
    /// `date:2025` — no space after the colon, so YAML reads one word.
    NoSpaceAfterColon { key: String, value: String },
    /// `[a，b]` — a full-width comma (or `、`) between list items; `fixed` is the list as it
    /// should be written.
    FullWidthComma { ch: char, fixed: String },
    /// A tab in the indentation.
    Tab,
    /// `title: a: b` — an unquoted value holding `: `.
    ColonInValue { key: String, value: String },
    /// An unquoted value starting with a character YAML reserves (`@`, `` ` ``, `%`, `*`, `&`,
    /// `!`, `#`).
    SpecialStart {
        key: String,
        ch: char,
        value: String,
    },
    /// A key written twice in one mapping; `first` is the offset of the first.
    DuplicateKey { key: String, first: usize },
}

/// A mistake and where it is: `len` bytes from `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub mistake: Mistake,
    pub offset: usize,
    pub len: usize,
}

/// The first mistake in `text`, if it holds one the scan knows.
pub fn find(text: &str) -> Option<Found> {
    let mut scan = Scan::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let found = scan.line(line.trim_end_matches(['\n', '\r']), offset);
        if found.is_some() {
            return found;
        }
        offset += line.len();
    }
    None
}

/// The keys seen in each open mapping (by indentation), and the block scalar being skipped.
#[derive(Default)]
struct Scan {
    scopes: Vec<(usize, HashMap<String, usize>)>,
    /// Lines indented deeper than this belong to a block scalar (`|`, `>`).
    block_above: Option<usize>,
}

impl Scan {
    fn line(&mut self, line: &str, at: usize) -> Option<Found> {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[indent..];
        if let Some(tab) = line[..indent].find('\t')
            && self.block_above.is_none_or(|b| indent <= b)
        {
            return found(Mistake::Tab, at + tab, 1);
        }
        if rest.is_empty() {
            return None;
        }
        match self.block_above {
            Some(b) if indent > b => return None,
            _ => self.block_above = None,
        }
        if rest.starts_with('#') {
            return None;
        }
        let (indent, rest) = match rest.strip_prefix("- ") {
            Some(item) => {
                let skipped = item.len() - item.trim_start().len();
                // A list item opens a new mapping at the column of its first key.
                self.close(indent + 2 + skipped, true);
                (indent + 2 + skipped, item.trim_start())
            }
            None => (indent, rest),
        };
        self.entry(indent, rest, at + (line.len() - rest.len()))
    }

    /// Closes the mappings deeper than `indent` (and the one at it, for a new list item).
    fn close(&mut self, indent: usize, including: bool) {
        while self
            .scopes
            .last()
            .is_some_and(|(i, _)| *i > indent || (including && *i == indent))
        {
            self.scopes.pop();
        }
    }

    /// One `key: value` (or not) at column `indent`, starting at byte `at`.
    fn entry(&mut self, indent: usize, rest: &str, at: usize) -> Option<Found> {
        let key_len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_len);
        if key.is_empty() {
            return None;
        }
        if after.starts_with('：') {
            let key = key.to_string();
            return found(
                Mistake::FullWidthColon { key },
                at + key_len,
                '：'.len_utf8(),
            );
        }
        let value = after.strip_prefix(':')?;
        if !value.is_empty() && !value.starts_with([' ', '\t']) {
            let mistake = Mistake::NoSpaceAfterColon {
                key: key.to_string(),
                value: value.to_string(),
            };
            return found(mistake, at + key_len, 1);
        }
        if let Some(d) = self.remember(indent, key, at) {
            return Some(d);
        }
        let trimmed = value.trim_start();
        let value_at = at + key_len + 1 + (value.len() - trimmed.len());
        value_mistake(key, trimmed.trim_end(), value_at).or_else(|| {
            if trimmed.starts_with(['|', '>']) {
                self.block_above = Some(indent);
            }
            None
        })
    }

    /// Records `key` in the mapping at `indent`; a key seen there before is a duplicate.
    fn remember(&mut self, indent: usize, key: &str, at: usize) -> Option<Found> {
        self.close(indent, false);
        if self.scopes.last().is_none_or(|(i, _)| *i < indent) {
            self.scopes.push((indent, HashMap::new()));
        }
        let keys = &mut self.scopes.last_mut()?.1;
        match keys.get(key) {
            Some(&first) => {
                let key = key.to_string();
                let len = key.len();
                found(Mistake::DuplicateKey { key, first }, at, len)
            }
            None => {
                keys.insert(key.to_string(), at);
                None
            }
        }
    }
}

/// A mistake in the value of `key` (plain text, starting at byte `at`).
fn value_mistake(key: &str, value: &str, at: usize) -> Option<Found> {
    let first = value.chars().next()?;
    let owned = || (key.to_string(), value.to_string());
    if "@`%*&!#".contains(first) {
        let (key, value) = owned();
        let mistake = Mistake::SpecialStart {
            key,
            ch: first,
            value,
        };
        return found(mistake, at, first.len_utf8());
    }
    if first == '[' || first == '{' {
        let i = outside_quotes(value, |c| c == '，' || c == '、')?;
        let ch = value[i..].chars().next()?;
        let fixed = value.replace(['，', '、'], ", ");
        return found(Mistake::FullWidthComma { ch, fixed }, at + i, ch.len_utf8());
    }
    if first == '"' || first == '\'' || first == '|' || first == '>' {
        return None;
    }
    let colon = value
        .find(": ")
        .or_else(|| value.ends_with(':').then(|| value.len() - 1))?;
    let (key, value) = owned();
    found(Mistake::ColonInValue { key, value }, at + colon, 1)
}

/// The byte offset of the first character of `text` matching `want` outside quotes.
fn outside_quotes(text: &str, want: impl Fn(char) -> bool) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if want(c) => return Some(i),
            None => {}
        }
    }
    None
}

fn found(mistake: Mistake, offset: usize, len: usize) -> Option<Found> {
    Some(Found {
        mistake,
        offset,
        len,
    })
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}
