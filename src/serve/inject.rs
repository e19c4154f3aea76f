//! Preview: what the server adds to each HTML page it serves, before the page's last
//! `</body>`: the overlay's stylesheet, the error box while the site has errors (in the page's
//! language), the style warnings panel, and the reload script. Never written into the built site.
//! Also the page every address shows before the first good build.

use super::overlay::BrokenText;
use super::texts::Texts;
use crate::messages::{Messages, Msg};

/// Where the added script and stylesheet are served from (`http.rs`).
pub const SCRIPT_PATH: &str = "/__gongkai/reload.js";
pub const OVERLAY_CSS_PATH: &str = "/__gongkai/overlay.css";

/// The page with the reload script (and the error overlay) added before `</body>`.
pub fn inject(html: &[u8], version: u64, error: Option<&BrokenText>) -> Vec<u8> {
    add_before_body_end(html, version, error, "")
}

/// [`inject`], with the style warnings (README "Style rules"; their text and how many) in a
/// panel beside the page, in the language the preview was started in (`texts.rs`).
pub(super) fn inject_with(
    html: &[u8],
    version: u64,
    error: Option<&BrokenText>,
    warnings: Option<(&str, usize)>,
    texts: &Texts,
) -> Vec<u8> {
    let panel = warnings.map_or_else(String::new, |(text, n)| {
        warnings_panel(text, n, texts.started_in())
    });
    add_before_body_end(html, version, error, &panel)
}

fn add_before_body_end(
    html: &[u8],
    version: u64,
    error: Option<&BrokenText>,
    panel: &str,
) -> Vec<u8> {
    let mut snippet = format!("<link rel=\"stylesheet\" href=\"{OVERLAY_CSS_PATH}\">\n");
    if let Some(message) = error {
        snippet.push_str(&message.html(html));
    }
    snippet.push_str(panel);
    snippet.push_str(&format!(
        "<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\"></script>\n"
    ));
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Style warnings: a closed panel in a corner, opened by the editor; it never covers the page.
fn warnings_panel(text: &str, n: usize, m: &Messages) -> String {
    let escape = crate::render::escape::escape;
    format!(
        "<details id=\"gongkai-warnings\" role=\"status\"><summary>{}</summary>\
         <pre>{}</pre></details>\n",
        escape(&m.render(&Msg::new("serve.warnings_title").arg("n", n))),
        escape(text)
    )
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// What every address shows before the first good build, in `m`'s language (so the error box
/// on it is too).
pub(super) fn fallback_page(m: &Messages) -> String {
    let escape = crate::render::escape::escape;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n</head>\n<body>\n<main><h1>{}</h1><p>{}</p></main>\n</body>\n</html>\n",
        m.lang.code(),
        escape(&m.text("serve.fallback_title")),
        escape(&m.text("serve.fallback_heading")),
        escape(&m.text("serve.fallback_text"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::UiLang;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", 7, None);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(
                "<script src=\"/__gongkai/reload.js\" data-version=\"7\"></script>\n</BODY>"
            ),
            "{out}"
        );
        assert!(!out.contains("gongkai-overlay\""));
        let what = Msg::new("serve.internal_error").arg("what", "<b>&");
        let d = crate::diagnostics::Diagnostic::at_file("a.md", what);
        let text = BrokenText::new(&d.into());
        let broken = String::from_utf8(inject(b"<body></body>", 1, Some(&text))).unwrap();
        assert!(
            broken.contains(
                "<pre>a.md:1:1: error: internal error while rebuilding: &lt;b&gt;&amp;\n"
            ),
            "{broken}"
        );
        assert!(
            String::from_utf8(inject(b"no body", 1, None))
                .unwrap()
                .starts_with("no body<link")
        );
    }

    #[test]
    fn style_warnings_are_a_closed_escaped_panel() {
        let text = "a.zh.md:1:2: warning[straight-quotes]: <b>\"x\"</b>";
        let texts = Texts::new(UiLang::En);
        let page = b"<html lang=\"zh-CN\"><body></body>";
        let out = inject_with(page, 1, None, Some((text, 1)), &texts);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<details id=\"gongkai-warnings\""), "{out}");
        assert!(out.contains("gongkai: 1 style warnings"), "{out}");
        // The panel speaks the language the preview was started in, as its lines do.
        let zh = inject_with(page, 1, None, Some((text, 3)), &Texts::new(UiLang::Zh));
        let zh = String::from_utf8(zh).unwrap();
        assert!(
            zh.contains("<summary>gongkai：3 条文字规范警告</summary>"),
            "{zh}"
        );
        assert!(out.contains("&lt;b&gt;") && !out.contains("<b>"), "{out}");
        assert!(
            !out.contains("gongkai-overlay\""),
            "warnings never cover the page"
        );
        let plain = String::from_utf8(inject(b"<body></body>", 1, None)).unwrap();
        assert!(!plain.contains("gongkai-warnings"));
    }
}
