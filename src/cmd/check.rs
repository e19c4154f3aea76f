//! `gongkai check`: everything `build` validates, plus every internal link of the rendered site
//! (links written in Markdown included), without writing anything.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::manifest::report_pages;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::{BrokenLink, broken_links};
use crate::options::BuildOptions;
use crate::output::Output;
use crate::pipeline::{Error, Loaded, load, render_into};

/// What `gongkai check` looked at.
#[derive(Debug, Clone, Copy)]
pub struct CheckSummary {
    pub reports: usize,
    pub files: usize,
    pub links: usize,
}

/// Loads and renders the site in memory and checks its links; every broken link is a
/// diagnostic, at the Markdown link when the page is a report.
pub fn run(opts: &BuildOptions) -> Result<CheckSummary, Error> {
    let Loaded { site, theme, store } = load(opts)?;
    let out = Output::default();
    render_into(&site, &store, &theme, opts.link_style, &out, &|| {})?;
    let files = out.into_files();
    let (links, broken) = broken_links(&files);
    let sources: HashMap<String, PathBuf> = report_pages(&site)
        .into_iter()
        .map(|(page, report)| (page, report.source_path.clone()))
        .collect();
    let mut problems = Diagnostics::default();
    // Grouped by source file, so each file is read and scanned once, however many links.
    let mut by_source: BTreeMap<&PathBuf, Vec<&BrokenLink>> = BTreeMap::new();
    for link in &broken {
        match sources.get(&link.file) {
            Some(src) => by_source.entry(src).or_default().push(link),
            None => problems.push(
                Diagnostic::at_file(
                    format!("(generated) {}", link.file),
                    format!("broken link to `{}`", link.href),
                )
                .with_hint("a template links to a page that does not exist"),
            ),
        }
    }
    for (src, links) in by_source {
        problems.extend(locate(&opts.root, src, &links));
    }
    problems.into_result(()).map_err(Error::Site)?;
    Ok(CheckSummary {
        reports: site.reports.len(),
        files: files.len(),
        links,
    })
}

/// Points at each link in the Markdown source of a report page. Links written in Markdown were
/// checked when the site loaded (`links/body.rs`); what remains here is raw HTML's. The file
/// is read once and its link targets found in one pass.
fn locate(root: &Path, src: &Path, links: &[&BrokenLink]) -> Vec<Diagnostic> {
    let message = |link: &BrokenLink| format!("broken link to `{}`", link.href);
    let Ok(text) = std::fs::read_to_string(root.join(src)) else {
        return links
            .iter()
            .map(|l| Diagnostic::at_file(src, message(l)))
            .collect();
    };
    let text: Arc<str> = Arc::from(text.replace("\r\n", "\n"));
    let places = link_places(&text);
    links
        .iter()
        .map(|link| match places.get(link.href.as_str()) {
            Some(&at) => Diagnostic::at_offset(src, &text, at, link.href.len(), message(link))
                .with_hint("the link leads to no page of this site"),
            None => Diagnostic::at_file(src, message(link)),
        })
        .collect()
}

/// Where each link target first appears in a Markdown file: after `](`, `href="` or `src="`.
fn link_places(text: &str) -> HashMap<&str, usize> {
    let mut places = HashMap::new();
    for (open, close) in [
        ("](", &[')', ' '][..]),
        ("href=\"", &['"'][..]),
        ("src=\"", &['"'][..]),
    ] {
        for (i, _) in text.match_indices(open) {
            let start = i + open.len();
            let len = text[start..].find(close).unwrap_or(text.len() - start);
            places.entry(&text[start..start + len]).or_insert(start);
        }
    }
    places
}
