//! Diagnostics: a YAML text the library refused, explained. A typical editor mistake found in
//! it (a full-width colon, a tab, a duplicate key, …) is named at its own place with what to
//! type; a value that should be a number is named with the number to write; otherwise the
//! library's own words are shown at the position it gave.

use std::path::Path;
use std::sync::Arc;

use super::{Diagnostic, line_col, suggest_msg};
use crate::messages::Msg;
use crate::messages::mistakes::{describe, describe_number};
use crate::yaml::{MAX_BLOCK_DEPTH, MAX_FLOW_DEPTH, Refused, YamlError, numbers};

/// Where the refused YAML sits in its file, and what the file may hold.
pub struct YamlSource<'a> {
    pub shown: &'a Path,
    /// The whole file text.
    pub source: &'a Arc<str>,
    /// The YAML text and its byte offset in the file (front matter starts on line 2).
    pub yaml: &'a str,
    pub yaml_offset: usize,
    /// The keys the file may hold, to suggest for an unknown one.
    pub keys: &'a [&'a str],
    /// The top-level map whose values must be numbers (`figures`), if any.
    pub numbers: Option<&'a str>,
}

/// The diagnostic for `e`.
pub fn yaml_error(e: &YamlError, at: &YamlSource<'_>) -> Diagnostic {
    let locate = |offset: usize, len: usize, message: Msg| {
        Diagnostic::at_offset(at.shown, at.source, at.yaml_offset + offset, len, message)
    };
    // A mistake before the library's position is its cause; an unknown key the library named
    // is its own problem (the scan may find something further on).
    if let Some(found) = &e.mistake
        && (e.unknown_field.is_none() || found.offset <= e.offset)
    {
        let first = match &found.mistake {
            crate::yaml::mistakes::Mistake::DuplicateKey { first, .. } => *first,
            _ => 0,
        };
        let first_line = line_col(at.source, at.yaml_offset + first).0;
        let (message, hint) = describe(found, first_line);
        return locate(found.offset, found.len, message).with_hint(hint);
    }
    let wants_number = e.message.contains("expected f64");
    if let Some(bad) = at
        .numbers
        .filter(|_| wants_number)
        .and_then(|key| numbers::first_bad(at.yaml, key))
    {
        let (message, hint) = describe_number(&bad);
        return locate(bad.offset, bad.len, message).with_hint(hint);
    }
    if let Some(field) = &e.unknown_field {
        // Nested keys come with their path (`revisions[0]: `), which says which entry.
        let path = e.message.split("unknown field").next().unwrap_or_default();
        let message = Msg::new("yaml.unknown_key")
            .arg("path", path)
            .arg("key", field);
        let hint = suggest_msg(field, at.keys.iter().copied());
        return locate(e.offset, field.len(), message).with_hint(hint);
    }
    let message = match e.refused {
        Some(Refused::Alias(_)) => {
            return locate(e.offset, 1, Msg::new("yaml.alias"))
                .with_hint(Msg::new("yaml.alias_hint"));
        }
        Some(Refused::FlowTooDeep(_)) => Msg::new("yaml.flow_too_deep").arg("max", MAX_FLOW_DEPTH),
        Some(Refused::BlockTooDeep(_)) => {
            Msg::new("yaml.block_too_deep").arg("max", MAX_BLOCK_DEPTH)
        }
        None => Msg::new("yaml.syntax").arg("detail", &e.message),
    };
    locate(e.offset, 1, message)
}
