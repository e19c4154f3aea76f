//! Preview: the build error shown over the page, in the page's own language (its
//! `<html lang>`): the diagnostics are rendered once per message language when the build
//! breaks, and each page, or the script on it, picks its own.

use serde_json::json;

use crate::diagnostics::Diagnostics;
use crate::messages::{Messages, UiLang};

/// The error text in each message language.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenText {
    en: (String, String),
    zh: (String, String),
}

impl BrokenText {
    pub fn new(d: &Diagnostics) -> Self {
        let in_lang = |lang| {
            let m = Messages::new(lang);
            (m.text("overlay.title"), d.render_in(false, &m))
        };
        BrokenText {
            en: in_lang(UiLang::En),
            zh: in_lang(UiLang::Zh),
        }
    }

    /// The title and the text for a page of `lang` (`zh`, `zh-CN`, `en`; English otherwise).
    pub fn for_lang(&self, lang: &str) -> (&str, &str) {
        let (title, text) = match UiLang::from_code(lang) {
            Some(UiLang::Zh) => &self.zh,
            _ => &self.en,
        };
        (title, text)
    }

    /// `{"en": {"title", "text"}, "zh": {…}}`, for the page's script.
    pub fn to_json(&self) -> serde_json::Value {
        let one = |(title, text): &(String, String)| json!({ "title": title, "text": text });
        json!({ "en": one(&self.en), "zh": one(&self.zh) })
    }

    /// The overlay's HTML for `page` (the script builds the same one from a `broken` event).
    pub fn html(&self, page: &[u8]) -> String {
        let (title, text) = self.for_lang(&page_lang(page));
        let escape = crate::render::escape::escape;
        format!(
            "<div id=\"gongkai-overlay\" role=\"alert\"><div class=\"gongkai-overlay-box\">\
             <p class=\"gongkai-overlay-title\">{}</p><pre>{}</pre></div></div>\n",
            escape(title),
            escape(text)
        )
    }
}

/// The value of the first `<html lang="…">` of `page`, or empty.
fn page_lang(page: &[u8]) -> String {
    let head = &page[..page.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    lower
        .find("<html")
        .and_then(|i| lower[i..].find("lang=").map(|j| i + j + "lang=".len()))
        .map(|at| {
            text[at..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn a_page_gets_the_overlay_in_its_own_language() {
        let d = Diagnostics::from(
            Diagnostic::at_file("a.md", "x").with_hint(crate::diagnostics::suggest_msg("b", ["b"])),
        );
        let t = BrokenText::new(&d);
        let zh = t.html(b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><body>");
        assert!(zh.contains("是不是要写 `b`？"), "{zh}");
        assert!(zh.contains("上一次成功生成"), "{zh}");
        let en = t.html(b"<html lang='en'><body>");
        assert!(en.contains("did you mean `b`?"), "{en}");
        assert!(t.html(b"<p>no html element</p>").contains("did you mean"));
    }
}
