//! Preview: which language the server's own texts are shown in (README "Messages in your
//! language"). The error box over a page follows the page's `<html lang>`, whatever the
//! terminal's language; an answer that is no page of the site (the page shown before the first
//! good build, a refusal, a plain 404) follows the browser's `Accept-Language`, else the
//! language the preview was started in; the style warnings panel is in that language too, as
//! `gongkai check` prints them (ARCHITECTURE "Decisions").
//!
//! Both languages' catalogues are parsed once, when the server starts, never per request.

use axum::http::{HeaderMap, header};

use crate::messages::{Messages, UiLang};

/// The catalogues of both message languages, and the one to use when nothing else says.
#[derive(Debug, Clone)]
pub struct Texts {
    en: Messages,
    zh: Messages,
    started_in: UiLang,
}

impl Texts {
    /// `started_in`: the language the preview was started in (`--lang`, else the locale).
    pub fn new(started_in: UiLang) -> Texts {
        Texts {
            en: Messages::new(UiLang::En),
            zh: Messages::new(UiLang::Zh),
            started_in,
        }
    }

    pub fn get(&self, lang: UiLang) -> &Messages {
        match lang {
            UiLang::En => &self.en,
            UiLang::Zh => &self.zh,
        }
    }

    /// In the language the preview was started in.
    pub fn started_in(&self) -> &Messages {
        self.get(self.started_in)
    }

    /// For an answer that is no page of the site: the browser's language, else the one the
    /// preview was started in.
    pub fn for_request(&self, headers: &HeaderMap) -> &Messages {
        let asked = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(preferred);
        self.get(asked.unwrap_or(self.started_in))
    }
}

/// The language of `page` as its `<html lang>` says; English when it says none we have.
pub fn lang_of_page(page: &[u8]) -> UiLang {
    UiLang::from_code(&page_lang(page)).unwrap_or(UiLang::En)
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

/// The message language an `Accept-Language` value ranks highest (`zh-CN,zh;q=0.9,en;q=0.8`),
/// or `None` when it names neither Chinese nor English. Ties keep the header's order.
fn preferred(value: &str) -> Option<UiLang> {
    let mut ranked: Vec<(f32, UiLang)> = value
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            // `C` and `POSIX` are locale names, not language tags.
            let lang = match tag.get(..2) {
                Some(two) if tag.len() == 2 || tag.as_bytes()[2] == b'-' => UiLang::from_code(two),
                _ => None,
            }?;
            (q > 0.0).then_some((q, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, lang)| *lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_ranked_highest_wins() {
        assert_eq!(preferred("zh-CN,zh;q=0.9,en;q=0.8"), Some(UiLang::Zh));
        assert_eq!(preferred("en-US,en;q=0.9,zh-CN;q=0.8"), Some(UiLang::En));
        assert_eq!(preferred("fr;q=1, en;q=0.2, zh;q=0.5"), Some(UiLang::Zh));
        assert_eq!(preferred("de, fr;q=0.5"), None);
        assert_eq!(preferred("zh;q=0, en;q=0.1"), Some(UiLang::En));
        assert_eq!(preferred("c, posix, english"), None);
        assert_eq!(preferred(""), None);
    }

    #[test]
    fn a_page_is_read_in_its_html_lang() {
        assert_eq!(
            lang_of_page(b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><body>"),
            UiLang::Zh
        );
        assert_eq!(lang_of_page(b"<HTML LANG='zh'>"), UiLang::Zh);
        assert_eq!(lang_of_page(b"<html lang='en'><body>"), UiLang::En);
        assert_eq!(lang_of_page(b"<p>no html element</p>"), UiLang::En);
    }

    #[test]
    fn an_answer_without_a_page_follows_the_browser_else_the_default() {
        let texts = Texts::new(UiLang::Zh);
        let mut headers = HeaderMap::new();
        assert_eq!(texts.for_request(&headers).lang, UiLang::Zh);
        headers.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
        assert_eq!(texts.for_request(&headers).lang, UiLang::En);
    }
}
