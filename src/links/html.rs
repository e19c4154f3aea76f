//! Check stage: the URLs a built HTML page links to, read with a real HTML tokenizer (html5gum,
//! WHATWG-conformant), so quoting, line breaks between attributes and character references
//! (`&amp;`) are handled as a browser handles them.
//!
//! Guarantees: every `href`, `src` and `srcset` value of every start tag is seen (each `srcset`
//! candidate separately), decoded; the contents of `<script>`, `<style>`, `<title>` and
//! `<textarea>` are text, not tags. `<noscript>` is read as markup, as a browser without script
//! reads it: its links are the ones such a reader follows. Text is never copied, which keeps
//! reading tens of thousands of pages cheap.

use std::collections::VecDeque;

use html5gum::{Emitter, Error, State, Tokenizer};

/// Every URL in a link-bearing attribute of `html`, in document order.
pub fn urls(html: &[u8]) -> impl Iterator<Item = String> + '_ {
    Tokenizer::new_with_emitter(html, UrlEmitter::default()).map(|r| match r {
        Ok(url) => url,
        Err(never) => match never {},
    })
}

/// Attributes whose value is a URL (`href`, `src`) or a list of them (`srcset`), as a bit each,
/// so a repeated attribute can be ignored as the HTML standard says (the first one counts).
fn url_attribute(name: &[u8]) -> u8 {
    match name {
        b"href" => 1,
        b"src" => 2,
        b"srcset" => 4,
        _ => 0,
    }
}

/// Collects URL attribute values and nothing else; tracks just enough of the current tag for
/// the tokenizer to switch into raw text after `<script>` and back at `</script>`.
#[derive(Default)]
struct UrlEmitter {
    found: VecDeque<String>,
    tag: Vec<u8>,
    in_start_tag: bool,
    last_start_tag: Vec<u8>,
    attr_name: Vec<u8>,
    attr_value: Vec<u8>,
    /// The URL attributes the current tag already had (bits of [`url_attribute`]).
    seen: u8,
}

impl UrlEmitter {
    /// Ends the current attribute: keeps its value if it is the first URL attribute of its name.
    fn flush_attribute(&mut self) {
        let bit = url_attribute(&self.attr_name);
        if self.in_start_tag && bit != 0 && self.seen & bit == 0 {
            self.seen |= bit;
            let value = String::from_utf8_lossy(&self.attr_value);
            if bit == 4 {
                self.found.extend(srcset_urls(&value).map(str::to_string));
            } else {
                self.found.push_back(value.into_owned());
            }
        }
        self.attr_name.clear();
        self.attr_value.clear();
    }
}

/// The state the tokenizer continues in after a start tag: elements whose content is text.
fn content_state(tag: &[u8]) -> Option<State> {
    match tag {
        b"script" => Some(State::ScriptData),
        b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => Some(State::RawText),
        b"title" | b"textarea" => Some(State::RcData),
        b"plaintext" => Some(State::PlainText),
        _ => None,
    }
}

impl Emitter for UrlEmitter {
    type Token = String;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }
    fn emit_eof(&mut self) {}
    fn emit_error(&mut self, _: Error) {}
    fn should_emit_errors(&mut self) -> bool {
        false
    }
    fn pop_token(&mut self) -> Option<String> {
        self.found.pop_front()
    }
    fn emit_string(&mut self, _: &[u8]) {}
    fn init_start_tag(&mut self) {
        self.tag.clear();
        self.in_start_tag = true;
        self.seen = 0;
    }
    fn init_end_tag(&mut self) {
        self.tag.clear();
        self.in_start_tag = false;
    }
    fn init_comment(&mut self) {}
    fn emit_current_tag(&mut self) -> Option<State> {
        self.flush_attribute();
        if !self.in_start_tag {
            return None;
        }
        self.in_start_tag = false;
        std::mem::swap(&mut self.last_start_tag, &mut self.tag);
        content_state(&self.last_start_tag)
    }
    fn emit_current_comment(&mut self) {}
    fn emit_current_doctype(&mut self) {}
    fn set_self_closing(&mut self) {}
    fn set_force_quirks(&mut self) {}
    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag.extend_from_slice(s);
    }
    fn push_comment(&mut self, _: &[u8]) {}
    fn push_doctype_name(&mut self, _: &[u8]) {}
    fn init_doctype(&mut self) {}
    fn init_attribute(&mut self) {
        self.flush_attribute();
    }
    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attr_name.extend_from_slice(s);
    }
    fn push_attribute_value(&mut self, s: &[u8]) {
        self.attr_value.extend_from_slice(s);
    }
    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.in_start_tag && !self.last_start_tag.is_empty() && self.tag == self.last_start_tag
    }
}

/// The URLs of a `srcset` value (`a.png 1x, b.png 2x`), as the HTML standard splits it: a URL
/// runs to the next whitespace (commas at its end separate candidates), and its descriptors run
/// to the next comma outside parentheses.
fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r');
    let mut rest = value;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c| is_space(c) || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        rest = after;
        let bare = url.trim_end_matches(',');
        if bare.len() == url.len() {
            // Descriptors follow (`2x`, `480w`): skip them up to the comma that ends them.
            let mut depth = 0usize;
            let stop = rest.char_indices().find_map(|(i, c)| match c {
                '(' => {
                    depth += 1;
                    None
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    None
                }
                ',' if depth == 0 => Some(i),
                _ => None,
            });
            rest = &rest[stop.unwrap_or(rest.len())..];
        }
        Some(bare)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(html: &str) -> Vec<String> {
        urls(html.as_bytes()).collect()
    }

    #[test]
    fn reads_every_quoting_and_line_breaks() {
        assert_eq!(
            all(
                "<a href='single/'>x</a><a href=bare/>y</a><a\n  class=\"c\"\n  href=\"double/\"\n>z</a>"
            ),
            ["single/", "bare/", "double/"]
        );
        assert_eq!(all("<IMG SRC=\"s.png\">"), ["s.png"]);
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            all(r#"<a href="search/?q=a&amp;year=2022&#35;top">x</a>"#),
            ["search/?q=a&year=2022#top"]
        );
    }

    #[test]
    fn splits_srcset_candidates() {
        assert_eq!(
            all(r#"<img src="a.png" srcset="a.png 1x,b.png 2x, c,d.png 480w ,  e.png">"#),
            ["a.png", "a.png", "b.png", "c,d.png", "e.png"]
        );
        assert_eq!(
            srcset_urls("a.png, b.png,c.png (x, y) 2x, d.png").collect::<Vec<_>>(),
            ["a.png", "b.png,c.png", "d.png"],
            "a comma inside a URL belongs to it; descriptors end at a comma outside parentheses"
        );
    }

    #[test]
    fn skips_script_and_style_text_and_repeated_attributes() {
        assert_eq!(
            all(
                "<script>let s = '<a href=\"no/\">';</script><style>a{}</style>\
                 <title><a href=no/></title><a href=\"yes/\" href=\"no/\">x</a>"
            ),
            ["yes/"]
        );
        assert_eq!(
            all("<noscript><a href=\"../\">x</a></noscript></a href=\"end-tag/\">"),
            ["../"]
        );
        assert!(all("<a name=x>no link</a><!-- <a href=c/> -->").is_empty());
    }
}
