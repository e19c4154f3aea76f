//! Preview: the build error shown over the page, in the page's own language (its
//! `<html lang>`): the diagnostics are rendered once per message language when the build
//! breaks, and each page, or the script on it, picks its own.

use serde_json::json;
use unicode_width::UnicodeWidthChar;

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

    /// `{"en": {"title", "text", "html"}, "zh": {…}}`, for the page's script: `html` is the
    /// text as [`cells`] marks it up, so the script shows what the server would.
    pub fn to_json(&self) -> serde_json::Value {
        let one = |(title, text): &(String, String)| json!({ "title": title, "text": text, "html": cells(text) });
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
            cells(text)
        )
    }
}

/// `text` escaped for HTML; in the lines of a source excerpt (` 3 │ …` and the `^` marks under
/// it) each wide character (a Han character, full-width punctuation: two columns in a
/// terminal, as the marks count it) is put in a `<span class="gongkai-w">` that the stylesheet
/// makes exactly two Latin characters wide. A browser draws Han characters from another font
/// than the monospace Latin ones, at other than twice their width, so without the cells the
/// marks drift away from the text they mark. The message lines are left as plain text.
pub fn cells(text: &str) -> String {
    let escape = crate::render::escape::escape;
    let mut out = String::with_capacity(text.len() + 16);
    let mut one = [0u8; 4];
    for line in text.split_inclusive('\n') {
        if !is_excerpt_line(line) {
            out.push_str(&escape(line));
            continue;
        }
        for c in line.chars() {
            let escaped = escape(c.encode_utf8(&mut one));
            if UnicodeWidthChar::width(c) == Some(2) {
                out.push_str("<span class=\"gongkai-w\">");
                out.push_str(&escaped);
                out.push_str("</span>");
            } else {
                out.push_str(&escaped);
            }
        }
    }
    out
}

/// Whether `line` is one of an excerpt's: a gutter of spaces and a line number, then ` │ `.
fn is_excerpt_line(line: &str) -> bool {
    line.split_once(" │ ")
        .is_some_and(|(gutter, _)| gutter.chars().all(|c| c == ' ' || c.is_ascii_digit()))
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

    #[test]
    fn wide_characters_get_a_cell_of_two_columns() {
        let text = "a.md:3:1: 错误：x\n 3 │ a：<局>\n   │ ^^^ 这里\n  提示：y\n";
        assert_eq!(
            cells(text),
            "a.md:3:1: 错误：x\n 3 │ a<span class=\"gongkai-w\">：</span>&lt;\
             <span class=\"gongkai-w\">局</span>&gt;\n   │ ^^^ <span class=\"gongkai-w\">这</span>\
             <span class=\"gongkai-w\">里</span>\n  提示：y\n"
        );
        assert_eq!(cells("^^ → x │ 局"), "^^ → x │ 局");
    }
}
