//! Load stage: find report files under `content/` with walkdir and read their place in the site
//! from the path: `content/<year>/<stem>[.<lang>].md`. A symbolic link that would be a report
//! (a `*.md` link, or a link to a folder) is an error at its path, never skipped in silence.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::{Config, Lang, is_slug};
use crate::diagnostics::{Diagnostic, Diagnostics, suggest_msg};
use crate::layout::{CONTENT_DIR, is_ignored};
use crate::messages::Msg;
use crate::model::{ReportId, ReportKey};

/// A report file, placed by its path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    pub year: u16,
    pub stem: String,
    pub lang: Lang,
    /// Relative to the site root, with `/` separators (`content/2022/justice-bureau.zh.md`).
    pub shown: PathBuf,
    pub path: PathBuf,
}

impl SourceFile {
    /// The report this file is.
    pub fn id(&self) -> ReportId {
        ReportId {
            key: self.key(),
            lang: self.lang.clone(),
        }
    }

    /// The report this file is a translation of.
    pub fn key(&self) -> ReportKey {
        ReportKey {
            year: self.year,
            stem: self.stem.clone(),
        }
    }
}

/// Every report file under `root/content`, sorted; every misplaced file is a diagnostic.
pub fn discover(root: &Path, config: &Config) -> (Vec<SourceFile>, Diagnostics) {
    let content = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    let mut problems = Diagnostics::default();
    if !content.is_dir() {
        problems.push(Diagnostic::at_file(
            CONTENT_DIR,
            Msg::new("content.no_content_dir"),
        ));
        return (files, problems);
    }
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                problems.push(Diagnostic::at_file(
                    shown(root, &path),
                    Msg::new("content.cannot_read").arg("error", e),
                ));
                continue;
            }
        };
        if !is_candidate(&entry) {
            continue;
        }
        // walkdir read the entry's type with the folder, links included: no stat per file.
        let placed = if entry.path_is_symlink() {
            Err(symlink_refused(root, entry.path()))
        } else {
            place_file(root, entry.path(), config)
        };
        match placed {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    files.sort();
    (files, problems)
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(root).unwrap_or(path);
    PathBuf::from(rel.to_string_lossy().replace('\\', "/"))
}

/// Whether a walked entry is a report file, or a link that would be one (walkdir does not
/// follow links, so a linked folder is an entry of its own, never entered).
fn is_candidate(entry: &walkdir::DirEntry) -> bool {
    candidate(entry.path(), entry.file_type())
}

/// [`is_candidate`] for a path (the preview's reload asks of each path an edit names).
pub fn is_report_path(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| candidate(path, m.file_type()))
}

fn candidate(path: &Path, kind: std::fs::FileType) -> bool {
    let md = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".md"));
    (kind.is_file() && md)
        || (kind.is_symlink() && (md || std::fs::metadata(path).is_ok_and(|m| m.is_dir())))
}

/// Reads year, stem and language from a path under `content/`. A symbolic link is refused:
/// it may lead out of the site, `archive.lock` would record what it points at today, and the
/// preview would watch a folder `build` does not own.
pub fn place(root: &Path, path: &Path, config: &Config) -> Result<SourceFile, Diagnostic> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(symlink_refused(root, path));
    }
    place_file(root, path, config)
}

fn symlink_refused(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::at_file(shown(root, path), Msg::new("content.symlink"))
        .with_hint(Msg::new("content.symlink_hint"))
}

/// [`place`] for a path known not to be a symbolic link.
fn place_file(root: &Path, path: &Path, config: &Config) -> Result<SourceFile, Diagnostic> {
    let shown = shown(root, path);
    let rel = path.strip_prefix(root.join(CONTENT_DIR)).unwrap_or(path);
    let parts: Vec<&str> = rel
        .iter()
        .map(|p| p.to_str().unwrap_or("\u{fffd}"))
        .collect();
    let misplaced = || Diagnostic::at_file(&shown, Msg::new("content.misplaced"));
    let [year_dir, file_name] = parts[..] else {
        return Err(misplaced());
    };
    let year = match year_dir.parse::<u16>() {
        Ok(y) if year_dir.len() == 4 && (1900..=2999).contains(&y) => y,
        _ => {
            let hint = Msg::new("content.not_a_year").arg("folder", year_dir);
            return Err(misplaced().with_hint(hint));
        }
    };
    let name = file_name.strip_suffix(".md").unwrap_or(file_name);
    let (stem, lang) = match name.split_once('.') {
        Some((stem, lang)) => (stem, lang),
        None => (name, config.default_lang()),
    };
    if !config.languages.iter().any(|l| l == lang) {
        return Err(Diagnostic::at_file(
            &shown,
            Msg::new("content.unknown_lang").arg("lang", lang),
        )
        .with_hint(suggest_msg(
            lang,
            config.languages.iter().map(String::as_str),
        )));
    }
    if !is_slug(stem) {
        return Err(Diagnostic::at_file(
            &shown,
            Msg::new("content.bad_stem").arg("stem", stem),
        ));
    }
    Ok(SourceFile {
        year,
        stem: stem.to_string(),
        lang: lang.to_string(),
        shown,
        path: path.to_path_buf(),
    })
}

/// Two files that are the same (year, stem, language), e.g. `a.md` and `a.zh.md`.
pub fn duplicates(files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut seen: HashMap<ReportId, &SourceFile> = HashMap::new();
    let mut problems = Vec::new();
    for f in files {
        if let Some(first) = seen.insert(f.id(), f) {
            let (a, b) = if first.shown < f.shown {
                (first, f)
            } else {
                (f, first)
            };
            problems.push(
                Diagnostic::at_file(
                    &b.shown,
                    Msg::new("content.duplicate")
                        .arg("first", a.shown.display())
                        .arg("year", f.year)
                        .arg("stem", &f.stem)
                        .arg("lang", &f.lang),
                )
                .with_hint(Msg::new("content.duplicate_hint")),
            );
        }
    }
    problems
}

/// Report files (`*.md`, editors' files skipped) under `dir`, relative to `root`, and the links
/// that would be reports (each an error, as [`discover`] finds them).
pub fn report_files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or(".")))
        .filter_map(Result::ok)
        .filter(is_candidate)
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}
