//! `gongkai fix`: applies the safe fixes of the style rules (README "Style rules") to Chinese
//! report files in place, each with one atomic write (a temporary file beside it, renamed over
//! it, with the file's permissions); the front matter is never touched. With `check_only`
//! nothing is written. A report frozen in `archive.lock` is fixed only when named as a file:
//! fixing it changes its bytes, which `build` then refuses until a revision is added (README
//! "Archiving"). Returns what changed; prints nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::archive::lock::Lock;
use crate::content::{SourceFile, place, report_files_under, source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::layout::CONTENT_DIR;
use crate::messages::Msg;
use crate::style::file::applies_to;
use crate::style::fix::{Change, fix_text};

/// One file that has (or would have) changed.
#[derive(Debug, Clone)]
pub struct FileFixed {
    pub shown: PathBuf,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Default)]
pub struct FixSummary {
    /// Chinese report files read.
    pub checked: usize,
    pub changed: Vec<FileFixed>,
    /// Frozen reports left alone (reached through a folder or by default, not named).
    pub frozen: Vec<PathBuf>,
    /// Frozen reports named and changed: each needs a `revisions:` entry before `build`.
    pub frozen_changed: Vec<PathBuf>,
}

impl FixSummary {
    /// Per file changed, a line with the count per rule, then one line per fix (`line:col:
    /// rule: `from` → `to``). `check_only` says whether it was done ("fixed") or not
    /// ("would fix").
    pub fn listing(&self, check_only: bool) -> Vec<Msg> {
        let mut lines = Vec::new();
        for file in &self.changed {
            let mut counts = std::collections::BTreeMap::new();
            for c in &file.changes {
                *counts.entry(c.rule.name()).or_insert(0usize) += 1;
            }
            let counts: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let head = if check_only {
                Msg::new("output.fix_would")
            } else {
                Msg::new("output.fix_fixed")
            };
            lines.push(
                head.arg("path", file.shown.display())
                    .arg("n", file.changes.len())
                    .list("rules", &counts),
            );
            for c in &file.changes {
                let place = Msg::new("output.fix_place")
                    .arg("line", c.line)
                    .arg("col", c.col)
                    .arg("rule", c.rule.name());
                lines.push(place.arg("from", &c.from).arg("to", &c.to));
            }
        }
        lines
    }

    /// What the editor must know about frozen reports.
    pub fn notes(&self) -> Vec<Msg> {
        let mut notes: Vec<Msg> = self
            .frozen_changed
            .iter()
            .map(|f| Msg::new("output.fix_frozen_changed").arg("path", f.display()))
            .collect();
        if !self.frozen.is_empty() {
            notes.push(Msg::new("output.fix_frozen_left").arg("n", self.frozen.len()));
        }
        notes
    }

    /// The closing line: files checked and changed.
    pub fn total(&self, check_only: bool) -> Msg {
        let m = if check_only {
            Msg::new("output.fix_total_would")
        } else {
            Msg::new("output.fix_total_fixed")
        };
        m.arg("checked", self.checked)
            .arg("changed", self.changed.len())
    }
}

/// Fixes the report files at `paths` (files or folders under `content/`; every report when
/// empty). A path outside `content/`, or a file that is not a report, is a usage error
/// (nothing is written then).
pub fn run(root: &Path, paths: &[PathBuf], check_only: bool) -> Result<FixSummary, Error> {
    let config = crate::config::load(root, None)?;
    let lock = Lock::read(root)?;
    let files = targets(root, paths, &config)?;
    let mut summary = FixSummary::default();
    let mut problems = Diagnostics::default();
    for (file, named) in files.iter().filter(|f| applies_to(&f.0.lang)) {
        let frozen = lock
            .entries
            .contains_key(&file.shown.to_string_lossy().replace('\\', "/"));
        if frozen && !named {
            summary.frozen.push(file.shown.clone());
            continue;
        }
        summary.checked += 1;
        match fix_file(file, &config, check_only) {
            Ok(Some(changes)) => {
                if frozen {
                    summary.frozen_changed.push(file.shown.clone());
                }
                summary.changed.push(FileFixed {
                    shown: file.shown.clone(),
                    changes,
                })
            }
            Ok(None) => {}
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(summary).map_err(Error::Site)
}

/// The report files named, each with whether it was named as a file: each path resolved
/// (symbolic links too) and required to be inside the site's `content/` folder.
fn targets(
    root: &Path,
    paths: &[PathBuf],
    config: &crate::config::Config,
) -> Result<Vec<(SourceFile, bool)>, Error> {
    let usage = |p: &Path, why: Msg| Error::Usage(why.arg("path", p.display()));
    let root = root
        .canonicalize()
        .map_err(|e| usage(root, Msg::new("output.fix_not_site").arg("error", e)))?;
    let content = root.join(CONTENT_DIR);
    let mut found = Vec::new();
    if paths.is_empty() {
        found = report_files_under(&root, &content)
            .into_iter()
            .map(|p| (root.join(p), false))
            .collect();
    }
    for p in paths {
        let real = p
            .canonicalize()
            .map_err(|e| usage(p, Msg::new("output.fix_unreadable").arg("error", e)))?;
        if !real.starts_with(&content) {
            return Err(usage(p, Msg::new("output.fix_outside_content")));
        }
        if real.is_dir() {
            found.extend(
                report_files_under(&root, &real)
                    .into_iter()
                    .map(|f| (root.join(f), false)),
            );
        } else if crate::content::is_report_path(&real) {
            found.push((real, true));
        } else {
            return Err(usage(p, Msg::new("output.fix_not_report")));
        }
    }
    // Named as a file wins over reached through a folder.
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    found.dedup_by(|a, b| a.0 == b.0);
    let mut problems = Diagnostics::default();
    let mut files = Vec::new();
    for (path, named) in found {
        match place(&root, &path, config) {
            Ok(f) => files.push((f, named)),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(files).map_err(Error::Site)
}

/// Fixes one file; `None` when nothing changes. A byte-order mark and CRLF line ends are kept.
fn fix_file(
    file: &SourceFile,
    config: &crate::config::Config,
    check_only: bool,
) -> Result<Option<Vec<Change>>, Diagnostic> {
    let bytes = source::read_bytes(&file.path, &file.shown, &config.limits)?;
    let raw = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::at_file(&file.shown, Msg::new("output.fix_not_utf8")))?;
    let (bom, text) = match raw.strip_prefix('\u{feff}') {
        Some(t) => ("\u{feff}", t),
        None => ("", raw.as_str()),
    };
    let crlf = text.contains('\r');
    if crlf
        && text.matches("\r\n").count()
            != text.matches('\r').count().max(text.matches('\n').count())
    {
        return Err(Diagnostic::at_file(
            &file.shown,
            Msg::new("output.fix_mixed_line_ends"),
        ));
    }
    let text = if crlf {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    let (fixed, changes) = fix_text(&text, &file.shown, &config.style);
    if changes.is_empty() {
        return Ok(None);
    }
    if !check_only {
        let fixed = if crlf {
            fixed.replace('\n', "\r\n")
        } else {
            fixed
        };
        write_atomic(&file.path, format!("{bom}{fixed}").as_bytes()).map_err(|e| {
            Diagnostic::at_file(
                &file.shown,
                Msg::new("output.fix_cannot_write").arg("error", e),
            )
        })?;
    }
    Ok(Some(changes))
}

/// Writes `bytes` to a new file beside `path`, with `path`'s permissions, and renames it over
/// `path`: a reader (the preview, an editor) sees the old file or the new one, never half.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // A leading dot and no `.md` ending: neither the loader nor the preview takes it for a report.
    let tmp = dir.join(format!(".{name}.gongkai-fix-{}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.set_permissions(std::fs::metadata(path)?.permissions())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
