//! Check stage: the style rules over every Chinese report file of a site, files in parallel.
//! Drafts are read too: an editor wants the warnings before publishing.

use std::path::Path;

use rayon::prelude::*;

use super::file::{Warning, applies_to, check_file, report};
use super::messages::Messages;
use crate::config::Config;
use crate::content::{discover, source};
use crate::diagnostics::Diagnostic;

/// The findings of every Chinese report under `root/content/`: `error`-level ones as
/// diagnostics, `warn`-level ones as warnings, each sorted by file and position. A file that
/// cannot be read or placed has none here: loading reports it.
pub fn check_site(
    root: &Path,
    config: &Config,
    messages: &Messages,
) -> (Vec<Diagnostic>, Vec<Warning>) {
    let (files, _) = discover(root, config);
    let per_file: Vec<(Vec<Diagnostic>, Vec<Warning>)> = files
        .par_iter()
        .filter(|f| applies_to(&f.lang))
        .filter_map(|f| {
            let text = source::read_text(&f.path, &f.shown, &config.limits).ok()?;
            let found = check_file(&text, &f.shown, &config.style);
            Some(report(&f.shown, &text, found, &config.style, messages))
        })
        .collect();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (e, w) in per_file {
        errors.extend(e);
        warnings.extend(w);
    }
    warnings.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    (errors, warnings)
}
