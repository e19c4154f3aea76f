//! `gongkai check`: everything `build` validates, plus every internal link of the rendered site
//! (links written in Markdown included) and the style rules of Chinese reports (README "Style
//! rules"), without writing anything.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::manifest::report_pages;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kinds::check::{KindWarning, check_reports};
use crate::links::{BrokenLink, broken_links};
use crate::messages::Msg;
use crate::options::BuildOptions;
use crate::output::Output;
use crate::pipeline::{Error, Loaded, load, render_into, reports_by_lang};
use crate::style::file::Warning;
use crate::style::messages::Messages;

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

/// What `check` found: the outcome of every rule that can fail it, and the style warnings,
/// which are reported whether or not the site has errors.
#[derive(Debug)]
pub struct Checked {
    pub result: Result<CheckSummary, Error>,
    pub warnings: Vec<Warning>,
    /// The warnings of the kind rules (README "Report kinds"), once the site loads.
    pub kind_warnings: Vec<KindWarning>,
}

/// [`site`], then the style rules; a style rule set to `error` in `site.yaml` fails the check
/// like any other error, at its place. Messages are in `lang`.
pub fn run(opts: &BuildOptions, lang: &str) -> Checked {
    // Side by side: the style rules fill the cores the site's serial steps (discovery, the
    // model, the link check) leave idle.
    let ((style_errors, warnings), checked) = rayon::join(
        || match crate::config::load(&opts.root, None) {
            Ok(config) => crate::style::site::check_site(&opts.root, &config, &Messages::new(lang)),
            // Loading reports the configuration's problems.
            Err(_) => Default::default(),
        },
        || site(opts, lang),
    );
    let (checked, kind_warnings) = match checked {
        Ok((summary, kind_warnings)) => (Ok(summary), kind_warnings),
        Err(e) => (Err(e), Vec::new()),
    };
    let result = match (checked, style_errors.is_empty()) {
        (result, true) => result,
        (Ok(_), false) => Err(Error::Site(Diagnostics(style_errors))),
        (Err(Error::Site(mut d)), false) => {
            d.extend(style_errors);
            Err(Error::Site(d))
        }
        (Err(e), false) => Err(e),
    };
    Checked {
        result,
        warnings,
        kind_warnings,
    }
}

/// Loads and renders the site in memory and checks its links; every broken link is a
/// diagnostic, at the Markdown link when the page is a report; then the kind rules over the
/// reports loaded (drafts too with `--drafts`), messages in `lang`.
pub fn site(opts: &BuildOptions, lang: &str) -> Result<(CheckSummary, Vec<KindWarning>), Error> {
    let Loaded { site, theme, store } = load(opts)?;
    let drafts_left_out = store.drafts_left_out();
    let (kind_errors, kind_warnings) = check_reports(&site.reports, &site.config.kinds, lang);
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
                    Msg::new("links.generated_broken").arg("href", &link.href),
                )
                .with_hint(Msg::new("links.generated_broken_hint")),
            ),
        }
    }
    for (src, links) in by_source {
        problems.extend(locate(&opts.root, src, &links));
    }
    problems.extend(kind_errors);
    problems.into_result(()).map_err(Error::Site)?;
    Ok((
        CheckSummary {
            reports: site.reports.len(),
            files: files.len(),
            links,
            by_lang: reports_by_lang(&site),
            drafts_left_out,
            warnings: 0,
        },
        kind_warnings,
    ))
}

/// Points at each link in the Markdown source of a report page. Links written in Markdown were
/// checked when the site loaded (`links/body.rs`); what remains here is raw HTML's. The file
/// is read once and its link targets found in one pass.
fn locate(root: &Path, src: &Path, links: &[&BrokenLink]) -> Vec<Diagnostic> {
    let message = |link: &BrokenLink| Msg::new("links.broken").arg("href", &link.href);
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
                .with_hint(Msg::new("links.broken_hint")),
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
