//! Render stage: the one HTML/XML text escaper (templates, charts, the preview's overlay).

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

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_special_characters_only() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a> ../中文/"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ../中文/"
        );
    }
}
