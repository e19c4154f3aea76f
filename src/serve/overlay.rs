//! Preview: the build error shown over the page, in the page's own language (its
//! `<html lang>`): the diagnostics are rendered once per message language when the build
//! breaks, and each page, or the script on it, picks its own.

use serde_json::json;

use super::texts::lang_of_page;
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
            (m.text("serve.overlay_title"), d.render_in(false, &m))
        };
        BrokenText {
            en: in_lang(UiLang::En),
            zh: in_lang(UiLang::Zh),
        }
    }

    /// The title and the text in `lang`.
    pub fn in_lang(&self, lang: UiLang) -> (&str, &str) {
        let (title, text) = match lang {
            UiLang::Zh => &self.zh,
            UiLang::En => &self.en,
        };
        (title, text)
    }

    /// `{"en": {"title", "text"}, "zh": {…}}`, for the page's script.
    pub fn to_json(&self) -> serde_json::Value {
        let one = |(title, text): &(String, String)| json!({ "title": title, "text": text });
        json!({ "en": one(&self.en), "zh": one(&self.zh) })
    }

    /// The overlay's HTML for `page`, in the page's language (the script builds the same one
    /// from a `broken` event).
    pub fn html(&self, page: &[u8]) -> String {
        let (title, text) = self.in_lang(lang_of_page(page));
        let escape = crate::render::escape::escape;
        format!(
            "<div id=\"gongkai-overlay\" role=\"alert\"><div class=\"gongkai-overlay-box\">\
             <p class=\"gongkai-overlay-title\">{}</p><pre>{}</pre></div></div>\n",
            escape(title),
            escape(text)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::messages::Msg;

    #[test]
    fn a_page_gets_the_overlay_in_its_own_language() {
        let d = Diagnostics::from(
            Diagnostic::at_file("a.md", Msg::new("serve.internal_error").arg("what", "x"))
                .with_hint(crate::diagnostics::suggest_msg("b", ["b"])),
        );
        let t = BrokenText::new(&d);
        let zh = t.html(b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><body>");
        assert!(
            zh.contains("a.md:1:1: 错误：重新生成时发生了程序内部错误：x"),
            "{zh}"
        );
        assert!(zh.contains("是不是要写 `b`？"), "{zh}");
        assert!(zh.contains("上一次成功生成"), "{zh}");
        let en = t.html(b"<html lang='en'><body>");
        assert!(
            en.contains("error: internal error while rebuilding: x"),
            "{en}"
        );
        assert!(en.contains("did you mean `b`?"), "{en}");
        assert!(en.contains("the last good build"), "{en}");
        assert!(t.html(b"<p>no html element</p>").contains("did you mean"));
    }
}
