//! Check stage: the style rules over every Chinese report file of a site, files in parallel.
//! Drafts are read too: an editor wants the warnings before publishing.

use std::path::Path;

use rayon::prelude::*;

use super::file::{Warning, applies_to, check_file, report};
use super::messages::Messages;
use super::{Level, Rule};
use crate::config::Config;
use crate::content::{SourceFile, discover, is_report_path, place, source};
use crate::diagnostics::Diagnostic;

/// The findings of every Chinese report under `root/content/`: `error`-level ones as
/// diagnostics, `warn`-level ones as warnings, each sorted by file and position. A file that
/// cannot be read or placed has none here: loading reports it.
pub fn check_site(
    root: &Path,
    config: &Config,
    messages: &Messages,
) -> (Vec<Diagnostic>, Vec<Warning>) {
    // Every rule off: not even a parse, so `check` costs what it did before the rules.
    if Rule::ALL
        .iter()
        .all(|r| config.style.level(*r) == Level::Off)
    {
        return Default::default();
    }
    let (files, _) = discover(root, config);
    let per_file: Vec<(Vec<Diagnostic>, Vec<Warning>)> = files
        .par_iter()
        .filter_map(|f| check_source(f, config, messages))
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

/// The findings of the report file at `rel` (relative to `root`), or `None` when it is gone,
/// is not a Chinese report, or cannot be read (loading reports that).
pub fn check_one(
    root: &Path,
    rel: &Path,
    config: &Config,
    messages: &Messages,
) -> Option<(Vec<Diagnostic>, Vec<Warning>)> {
    let full = root.join(rel);
    if !is_report_path(&full) {
        return None;
    }
    check_source(&place(root, &full, config).ok()?, config, messages)
}

fn check_source(
    f: &SourceFile,
    config: &Config,
    messages: &Messages,
) -> Option<(Vec<Diagnostic>, Vec<Warning>)> {
    if !applies_to(&f.lang) {
        return None;
    }
    let text = source::read_text(&f.path, &f.shown, &config.limits).ok()?;
    let found = check_file(&text, &f.shown, &config.style);
    Some(report(&f.shown, &text, found, &config.style, messages))
}
