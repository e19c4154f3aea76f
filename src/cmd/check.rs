//! `gongkai check`: everything `build` validates, plus every internal link of the rendered site
//! (links written in Markdown included) and the style rules of Chinese reports (README "Style
//! rules"), without writing anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::manifest::report_pages;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::kinds::check::{KindWarning, check_reports};
use crate::links::{BrokenLink, broken_links};
use crate::options::BuildOptions;
use crate::output::Output;
use crate::pipeline::{Error, Loaded, load, render_into};
use crate::style::file::Warning;
use crate::style::messages::Messages;

/// What `gongkai check` looked at.
#[derive(Debug, Clone)]
pub struct CheckSummary {
    pub reports: usize,
    pub files: usize,
    pub links: usize,
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
    for link in broken {
        problems.push(locate(&opts.root, &sources, &link));
    }
    problems.extend(kind_errors);
    problems.into_result(()).map_err(Error::Site)?;
    Ok((
        CheckSummary {
            reports: site.reports.len(),
            files: files.len(),
            links,
        },
        kind_warnings,
    ))
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
