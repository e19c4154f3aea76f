//! Load stage: `content/` → validated [`Report`]s. Files are read and parsed in parallel; every
//! problem in every file is collected so one run reports them all.

mod discover;
pub mod front_matter;
pub mod markdown;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

pub use discover::{CONTENT_DIR, SourceFile, discover, is_ignored, place};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Report, ReportKey};
use crate::urls::LinkStyle;
use markdown::ReportLink;

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep `draft: true` reports.
    pub drafts: bool,
    pub link_style: LinkStyle,
}

/// Loads every report under `root/content`. Drafts are checked but left out unless asked for.
pub fn load(root: &Path, config: &Config, opts: LoadOptions) -> Result<Vec<Report>, Diagnostics> {
    let (files, mut problems) = discover(root, config);
    let targets = markdown::LinkTargets {
        reports: files
            .iter()
            .map(|f| (f.year, f.stem.clone(), f.lang.clone()))
            .collect(),
        default_lang: config.default_lang().to_string(),
        style: opts.link_style,
        base_url: config.base_url.clone(),
    };
    let md_options = markdown::options(config.unsafe_html);
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|file| load_file(file, config, &md_options, &targets))
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    let mut links = Vec::new();
    for result in results {
        match result {
            Ok((report, report_links)) => {
                if !report.draft {
                    links.extend(report_links);
                }
                reports.push(report);
            }
            Err(ds) => problems.extend(ds),
        }
    }
    problems.extend(duplicates(&files));
    if !opts.drafts {
        // A published report must not link to a page this build leaves out.
        let drafts: HashSet<(u16, &str, &str)> = reports
            .iter()
            .filter(|r| r.draft)
            .map(|r| (r.key.year, r.key.stem.as_str(), r.lang.as_str()))
            .collect();
        problems.extend(
            links
                .into_iter()
                .filter(|l| {
                    drafts.contains(&(l.target.0, l.target.1.as_str(), l.target.2.as_str()))
                })
                .map(|l| l.if_draft),
        );
    }
    let reports = reports
        .into_iter()
        .filter(|r| opts.drafts || !r.draft)
        .collect();
    problems.into_result(reports)
}

/// A report with its links to other reports, or every problem in its file.
pub type Loaded = Result<(Report, Vec<ReportLink>), Vec<Diagnostic>>;

/// Reads, splits, parses and renders one report file.
pub fn load_one(
    file: &SourceFile,
    config: &Config,
    md_options: &comrak::Options<'_>,
    targets: &markdown::LinkTargets,
) -> Result<Report, Vec<Diagnostic>> {
    load_file(file, config, md_options, targets).map(|(report, _)| report)
}

/// [`load_one`], with the report's links to other reports.
pub fn load_file(
    file: &SourceFile,
    config: &Config,
    md_options: &comrak::Options<'_>,
    targets: &markdown::LinkTargets,
) -> Loaded {
    let bytes = std::fs::read(&file.path).map_err(|e| {
        vec![Diagnostic::at_file(
            &file.shown,
            format!("cannot read file: {e}"),
        )]
    })?;
    // Hashed as read, before decoding: what `sha256sum` says of the file (archive.lock).
    let source_sha256 = crate::archive::sha256_hex(&bytes);
    let text = source::decode(bytes, &file.shown).map_err(|d| vec![d])?;
    let split = front_matter::split(&text, &file.shown).map_err(|d| vec![d])?;
    let meta = front_matter::parse_meta(&split, &text, &file.shown, file.year, config);
    let body = markdown::render(
        &markdown::BodySource {
            shown: &file.shown,
            file_text: &text,
            body: split.body,
            body_line: split.body_line,
            year: file.year,
            stem: &file.stem,
            lang: &file.lang,
        },
        md_options,
        targets,
    );
    let (meta, body) = match (meta, body) {
        (Ok(m), Ok(b)) => (m, b),
        (m, b) => {
            let mut all = m.err().unwrap_or_default();
            all.extend(b.err().unwrap_or_default());
            return Err(all);
        }
    };
    let summary = meta
        .summary
        .clone()
        .unwrap_or_else(|| truncate_chars(&body.first_paragraph, 160));
    let report = Report {
        key: ReportKey {
            year: file.year,
            stem: file.stem.clone(),
        },
        lang: file.lang.clone(),
        source_path: file.shown.clone(),
        source_sha256,
        title: meta.title,
        department: meta.department,
        themes: meta.themes,
        date: meta.date,
        summary,
        draft: meta.draft,
        figures: meta.figures,
        revisions: meta.revisions,
        body_html: body.html,
        sections: body.sections,
    };
    Ok((report, body.report_links))
}

/// Two files that are the same (year, stem, language), e.g. `a.md` and `a.zh.md`.
pub fn duplicates(files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut seen: HashMap<(u16, &str, &str), &SourceFile> = HashMap::new();
    let mut problems = Vec::new();
    for f in files {
        if let Some(first) = seen.insert((f.year, &f.stem, &f.lang), f) {
            let (a, b) = if first.shown < f.shown {
                (first, f)
            } else {
                (f, first)
            };
            problems.push(
                Diagnostic::at_file(
                    &b.shown,
                    format!(
                        "duplicate report: `{}` is the same report ({} {} in `{}`)",
                        a.shown.display(),
                        f.year,
                        f.stem,
                        f.lang
                    ),
                )
                .with_hint("remove one of the two files, or give one another name"),
            );
        }
    }
    problems
}

fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}
