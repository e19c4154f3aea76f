//! Render stage: the one HTML/XML text escaper (templates, charts, the preview's overlay), and
//! the cleaning of text bound for XML, which must hold only characters XML allows.

use std::borrow::Cow;
use std::fmt::{self, Write};

/// Writes `text` with `& < > " '` escaped, and nothing else: links stay readable and short.
pub fn write_escaped(out: &mut impl Write, text: &str) -> fmt::Result {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i])?;
        out.write_str(entity)?;
        last = i + 1;
    }
    out.write_str(&text[last..])
}

/// `text` escaped for HTML or XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_escaped(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Whether `c` may not appear in XML text: the C0 controls but tab, newline and carriage
/// return (XML 1.0 forbids them, and one makes the whole feed unreadable to a feed reader), the
/// C1 controls (allowed by XML 1.0 but "discouraged", and forbidden raw by XML 1.1), and the
/// noncharacters U+FFFE and U+FFFF (forbidden).
pub fn unfit_for_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// `text` without the characters XML cannot hold (ARCHITECTURE.md, Decisions): invisible, so
/// dropping them loses nothing a reader would see, and the feed stays well-formed.
pub fn xml_text(text: &str) -> Cow<'_, str> {
    if text.chars().any(unfit_for_xml) {
        Cow::Owned(text.chars().filter(|&c| !unfit_for_xml(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_text_drops_controls_and_keeps_the_rest() {
        assert_eq!(
            super::xml_text("a\u{1}b\u{1b}c\u{85}d\u{ffff}\te\nf\r中"),
            "abcd\te\nf\r中"
        );
        assert!(matches!(
            super::xml_text("plain 中文"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_the_five_special_characters_only() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a> ../中文/"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ../中文/"
        );
    }
}
