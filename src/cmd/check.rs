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
use crate::pipeline::{Error, Loaded, load, render_into, reports_by_lang};

/// What `gongkai check` looked at.
#[derive(Debug, Clone)]
pub struct CheckSummary {
    pub reports: usize,
    pub files: usize,
    pub links: usize,
    /// Reports a build would publish in each language.
    pub by_lang: BTreeMap<String, usize>,
    /// Drafts a build would leave out, by source path.
    pub drafts_left_out: Vec<PathBuf>,
    /// Problems that do not stop a build (none are counted yet).
    pub warnings: usize,
}

/// Loads and renders the site in memory and checks its links; every broken link is a
/// diagnostic, at the Markdown link when the page is a report.
pub fn run(opts: &BuildOptions) -> Result<CheckSummary, Error> {
    let Loaded { site, theme, store } = load(opts)?;
    let drafts_left_out = store.drafts_left_out();
    let out = Output::default();
    render_into(&site, &store, &theme, opts.link_style, &out, &|| {})?;
    let files = out.into_files();
    let (links, broken) = broken_links(&files);
    let sources: HashMap<String, PathBuf> = report_pages(&site)
        .into_iter()
        .map(|(page, report)| (page, report.source_path.clone()))
        .collect();
    let mut problems = Diagnostics::default();
    for link in broken {
        problems.push(locate(&opts.root, &sources, &link));
    }
    problems.into_result(()).map_err(Error::Site)?;
    Ok(CheckSummary {
        reports: site.reports.len(),
        files: files.len(),
        links,
        by_lang: reports_by_lang(&site),
        drafts_left_out,
        warnings: 0,
    })
}

/// Points at the link in the Markdown source when the page is a report, else at the page.
fn locate(root: &Path, sources: &HashMap<String, PathBuf>, link: &BrokenLink) -> Diagnostic {
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
