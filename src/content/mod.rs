//! Load stage: report files → validated [`Report`]s. [`ContentStore`] keeps every file's last
//! load and the rules between files (link targets, duplicates, links to drafts, frozen
//! reports), for `build` (everything at once) and `serve` (the files an edit names).

mod dates;
mod discover;
pub mod figures;
pub mod front_matter;
mod heading_ids;
pub mod markdown;
mod read_ahead;
mod sections;
pub mod source;
mod store;
mod table_scroll;
mod valid_html;

pub use discover::{SourceFile, discover, duplicates, is_report_path, place, report_files_under};
pub use heading_ids::reserved as theme_id;
pub use store::{
    CachedFile, ContentStore, LinkProblem, LoadedBodies, Reloaded, Stale, Stamp, stamp,
};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::hash::sha256_hex;
use crate::model::Report;
use markdown::ReportLink;

/// One report file, loaded: its report, its body as HTML, and its links to other reports.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub report: Report,
    pub html: String,
    pub links: Vec<ReportLink>,
    pub body_links: Vec<markdown::BodyLink>,
}

/// Reads one report file and loads it ([`load_bytes`]); every problem in it, or the report.
pub fn load_file(
    file: &SourceFile,
    config: &Config,
    md_options: &comrak::Options<'_>,
    targets: &markdown::LinkTargets,
) -> Result<LoadedFile, Vec<Diagnostic>> {
    // A file past the size limit is read no further than the limit (decoding refuses it).
    let bytes = source::read_bytes(&file.path, &file.shown, &config.limits).map_err(|d| vec![d])?;
    load_bytes(file, bytes, config, md_options, targets)
}

/// Decodes, splits, parses and renders the bytes of one report file (placed as `file` says).
pub fn load_bytes(
    file: &SourceFile,
    bytes: Vec<u8>,
    config: &Config,
    md_options: &comrak::Options<'_>,
    targets: &markdown::LinkTargets,
) -> Result<LoadedFile, Vec<Diagnostic>> {
    // Hashed as read, before decoding: what `sha256sum` says of the file (archive.lock).
    let source_sha256 = sha256_hex(&bytes);
    let text = source::decode_within(bytes, &file.shown, &config.limits).map_err(|d| vec![d])?;
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
        key: file.key(),
        lang: file.lang.clone(),
        source_path: file.shown.clone(),
        source_sha256,
        title: meta.title,
        department: meta.department,
        themes: meta.themes,
        date: meta.date,
        written_date: meta.written_date,
        summary,
        draft: meta.draft,
        figures: meta.figures,
        revisions: meta.revisions,
        sections: body.sections,
        kind: meta.kind,
        kind_line: meta.kind_line,
    };
    Ok(LoadedFile {
        report,
        html: body.html,
        links: body.report_links,
        body_links: body.body_links,
    })
}

fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}
