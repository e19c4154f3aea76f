//! Messages: what to say about each typical YAML mistake ([`crate::yaml::mistakes`]) and each
//! value that is not a number ([`crate::yaml::numbers`]): the cause, and what to type instead.

use super::Msg;
use crate::yaml::mistakes::{Found, Mistake};
use crate::yaml::numbers::{BadNumber, NumberKind};

/// The message and the hint for `found`; `first_line` is the file line of a duplicate key's
/// first occurrence.
pub fn describe(found: &Found, first_line: usize) -> (Msg, Msg) {
    match &found.mistake {
        Mistake::FullWidthColon { key } => (
            Msg::new("yaml.full_width_colon").arg("key", key),
            Msg::new("yaml.full_width_colon_hint").arg("key", key),
        ),
        Mistake::NoSpaceAfterColon { key, value } => (
            Msg::new("yaml.no_space").arg("key", key),
            Msg::new("yaml.no_space_hint")
                .arg("key", key)
                .arg("value", value),
        ),
        Mistake::FullWidthComma { ch, fixed } => (
            Msg::new("yaml.full_width_comma").arg("ch", ch),
            Msg::new("yaml.full_width_comma_hint").arg("fixed", fixed),
        ),
        Mistake::Tab => (Msg::new("yaml.tab"), Msg::new("yaml.tab_hint")),
        Mistake::ColonInValue { key, value } => (
            Msg::new("yaml.colon_in_value").arg("key", key),
            quote_hint(key, value),
        ),
        Mistake::SpecialStart {
            key,
            ch: '#',
            value,
        } => (
            Msg::new("yaml.hash_start").arg("key", key),
            quote_hint(key, value),
        ),
        Mistake::SpecialStart { key, ch, value } => (
            Msg::new("yaml.special_start").arg("key", key).arg("ch", ch),
            quote_hint(key, value),
        ),
        Mistake::DuplicateKey { key, .. } => (
            Msg::new("yaml.duplicate_key")
                .arg("key", key)
                .arg("line", first_line),
            Msg::new("yaml.duplicate_key_hint").arg("key", key),
        ),
    }
}

/// "write it in double quotes", with the value quoted as it should be typed.
fn quote_hint(key: &str, value: &str) -> Msg {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    Msg::new("yaml.quote_hint")
        .arg("key", key)
        .arg("quoted", quoted)
}

/// The message and the hint for a figure that is not a number.
pub fn describe_number(bad: &BadNumber) -> (Msg, Msg) {
    let message = match bad.kind {
        NumberKind::FullWidth => Msg::new("figure.full_width"),
        NumberKind::Thousands => Msg::new("figure.thousands"),
        NumberKind::Percent => Msg::new("figure.percent"),
        NumberKind::Quoted => Msg::new("figure.quoted"),
        NumberKind::Magnitude => Msg::new("figure.magnitude"),
        NumberKind::Unit => Msg::new("figure.unit"),
        NumberKind::NotANumber => Msg::new("figure.not_a_number"),
    };
    let message = message.arg("value", &bad.value);
    let hint = match &bad.number {
        Some(n) => Msg::new("figure.write")
            .arg("name", &bad.name)
            .arg("number", n),
        None => Msg::new("figure.write_example").arg("name", &bad.name),
    };
    (message, hint)
}
