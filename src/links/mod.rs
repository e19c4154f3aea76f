//! Check stage: internal links. [`check_bodies`] checks the links reports write in Markdown
//! before anything is rendered (`build`, `check` and `archive`, through `pipeline::load`);
//! [`broken_links`] checks every `href`, `src` and `srcset` URL of every rendered HTML page
//! (read by [`html`] with an HTML tokenizer), templates' links included, for `gongkai check`
//! (`src/cmd/check.rs`), which turns the broken ones into diagnostics.
//!
//! Guarantees: pure (the files are given in memory), deterministic (files in path order, links
//! in document order).

use std::collections::BTreeMap;

use crate::urls::resolve;

mod body;
mod html;

pub use body::check_bodies;

/// A link in a rendered file that leads to no file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub file: String,
    pub href: String,
}

/// Checks every `href`, `src` and `srcset` URL of every HTML file (read with an HTML tokenizer:
/// any quoting, entities decoded); returns how many were checked and the broken ones, in file
/// order.
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>) -> (usize, Vec<BrokenLink>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (file, bytes) in files {
        // The 404 page is served at any address, so its links are absolute by design.
        if !file.ends_with(".html") || file == "404.html" {
            continue;
        }
        for href in html::urls(bytes) {
            let Some(target) = resolve(file, &href) else {
                continue;
            };
            checked += 1;
            let exists =
                files.contains_key(&target) || files.contains_key(&format!("{target}/index.html"));
            if !exists {
                broken.push(BrokenLink {
                    file: file.clone(),
                    href,
                });
            }
        }
    }
    (checked, broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_links() {
        let mut files = BTreeMap::new();
        files.insert(
            "zh/index.html".to_string(),
            br#"<a href="2022/">a</a> <a href="2021/">b</a>"#.to_vec(),
        );
        files.insert("zh/2022/index.html".to_string(), Vec::new());
        files.insert("en/index.html".to_string(), br#"<a href="x/">"#.to_vec());
        let (n, broken) = broken_links(&files);
        assert_eq!(n, 3);
        let broken_link = |file: &str, href: &str| BrokenLink {
            file: file.into(),
            href: href.into(),
        };
        assert_eq!(
            broken,
            vec![
                broken_link("en/index.html", "x/"),
                broken_link("zh/index.html", "2021/")
            ],
            "in file order"
        );
    }

    #[test]
    fn finds_broken_links_however_the_attribute_is_written() {
        let page = "<a href='ok/'>a</a> <a href='gone-single/'>b</a>\n\
                    <a href=gone-bare/>c</a> <a href=ok/>d</a>\n\
                    <img\n  alt=\"x\"\n  src=\"gone-newline.png\">\n\
                    <img srcset=\"ok.png 1x, gone-srcset.png 2x\">\n\
                    <a href=\"ok/?q=1&amp;gone-entity\">e</a> <a href=\"gone/?a=1&amp;b=2\">f</a>";
        let mut files = BTreeMap::new();
        files.insert("zh/index.html".to_string(), page.as_bytes().to_vec());
        files.insert("zh/ok/index.html".to_string(), Vec::new());
        files.insert("zh/ok.png".to_string(), Vec::new());
        let (n, broken) = broken_links(&files);
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "gone-single/",
                "gone-bare/",
                "gone-newline.png",
                "gone-srcset.png",
                "gone/?a=1&b=2"
            ]
        );
        assert_eq!(n, 9);
    }

    #[test]
    fn the_404_page_and_other_files_are_not_read() {
        let mut files = BTreeMap::new();
        files.insert("404.html".to_string(), b"<a href=\"gone/\">".to_vec());
        files.insert(
            "zh/feed.xml".to_string(),
            b"<link href=\"gone/\"/>".to_vec(),
        );
        assert_eq!(broken_links(&files), (0, Vec::new()));
    }
}
