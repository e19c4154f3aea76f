//! `gongkai check`: everything `build` validates, plus every internal link of the rendered site
//! (links written in Markdown included), without writing anything.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::Page;
use crate::{BuildOptions, Error, Output, Site, load, render_into};

mod html;

pub use crate::urls::resolve;

#[derive(Debug, Clone, Copy)]
pub struct CheckSummary {
    pub reports: usize,
    pub files: usize,
    pub links: usize,
}

pub fn check(opts: &BuildOptions) -> Result<CheckSummary, Error> {
    let (site, theme) = load(opts)?;
    let out = Output::default();
    render_into(&site, &theme, opts.link_style, &out, &|| {})?;
    let files = out.into_files();
    let (links, broken) = broken_links(&files);
    let sources = report_sources(&site);
    let mut problems = Diagnostics::default();
    for link in broken {
        problems.push(locate(&opts.root, &sources, &link));
    }
    problems.into_result(()).map_err(Error::Site)?;
    Ok(CheckSummary {
        reports: site.reports.len(),
        files: files.len(),
        links,
    })
}

/// A link in a rendered file that leads to no file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub file: String,
    pub href: String,
}

/// Checks every `href`, `src` and `srcset` URL of every HTML file (read with an HTML tokenizer:
/// any quoting, entities decoded); returns how many were checked and the broken ones.
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

/// Output file of each report page → its source file.
fn report_sources(site: &Site) -> HashMap<String, PathBuf> {
    let mut map = HashMap::new();
    for (e, entry) in site.entries.iter().enumerate() {
        for (lang, &i) in &entry.translations {
            map.insert(
                Page::Report(lang.clone(), e).file(site),
                site.reports[i].source_path.clone(),
            );
        }
    }
    map
}

/// Points at the link in the Markdown source when the page is a report, else at the page.
fn locate(
    root: &std::path::Path,
    sources: &HashMap<String, PathBuf>,
    link: &BrokenLink,
) -> Diagnostic {
    let message = format!("broken link to `{}`", link.href);
    if let Some(src) = sources.get(&link.file)
        && let Ok(text) = std::fs::read_to_string(root.join(src))
    {
        let text: Arc<str> = Arc::from(text.replace("\r\n", "\n"));
        if let Some(i) = text.find(&format!("]({}", link.href)) {
            return Diagnostic::at_offset(src, &text, i + 2, link.href.len(), message)
                .with_hint("the link leads to no page of this site");
        }
        return Diagnostic::at_file(src, message);
    }
    Diagnostic::at_file(format!("(generated) {}", link.file), message)
        .with_hint("a template links to a page that does not exist")
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
        let (n, broken) = broken_links(&files);
        assert_eq!(n, 2);
        assert_eq!(
            broken,
            vec![BrokenLink {
                file: "zh/index.html".into(),
                href: "2021/".into()
            }]
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
}
