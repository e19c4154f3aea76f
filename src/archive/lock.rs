//! Archive stage: the `archive.lock` file (README, "Archiving") — what `gongkai freeze` recorded,
//! and the check every command runs against it.
//!
//! The format is meant to be read in review and committed: comment lines starting with `#`,
//! then one line per frozen report file, sorted by path:
//!
//! ```text
//! <sha256 of the file's bytes>  <path from the site root>  revisions=<count>
//! ```
//!
//! The first two fields are what `sha256sum` prints, so the lock can be checked without gongkai:
//! `grep -v '^#' archive.lock | sed 's/  revisions=.*//' | sha256sum -c`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::layout::CONTENT_DIR;
use crate::messages::Msg;
use crate::model::Report;
use crate::output::OutputError;

pub use crate::layout::LOCK_FILE;

const HEADER: &str = "\
# archive.lock: report files frozen with `gongkai freeze <year>`. Commit this file.
# build, check and serve refuse a frozen report whose content changed, unless its
# `revisions:` list grew; run `gongkai freeze <year>` again to record the new state.
# <sha256 of the file>  <path>  revisions=<number of revisions when frozen>
";

/// One frozen report file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// How many `revisions:` it had when frozen.
    pub revisions: usize,
    /// 1-based line in `archive.lock` (0 for an entry not yet written).
    pub line: usize,
}

/// The whole lock: path from the site root (`content/2022/justice-bureau.zh.md`) → entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    pub entries: BTreeMap<String, LockEntry>,
    /// The file's text as read, for excerpts in diagnostics.
    source: Option<Arc<str>>,
}

impl Lock {
    /// Reads `root/archive.lock`; no file means nothing is frozen.
    pub fn read(root: &Path) -> Result<Lock, Diagnostics> {
        match std::fs::read_to_string(root.join(LOCK_FILE)) {
            Ok(text) => Lock::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Lock::default()),
            Err(e) => {
                let message = Msg::new("archive.lock_unreadable").arg("error", e);
                Err(Diagnostic::at_file(LOCK_FILE, message).into())
            }
        }
    }

    pub fn parse(text: &str) -> Result<Lock, Diagnostics> {
        let source: Arc<str> = Arc::from(text.replace("\r\n", "\n"));
        let mut lock = Lock::default();
        let mut problems = Diagnostics::default();
        for (i, raw) in source.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let bad = |message: Msg| {
                Diagnostic::at_line_col(LOCK_FILE, &source, line, 1, raw.len(), message)
                    .with_hint(Msg::new("archive.lock_line_hint"))
            };
            let fields: Vec<&str> = trimmed.split_whitespace().collect();
            let [sha256, path, revisions] = fields[..] else {
                problems.push(bad(Msg::new("archive.lock_three_fields")));
                continue;
            };
            if !crate::hash::is_sha256_hex(sha256) {
                problems.push(bad(Msg::new("archive.lock_bad_sha")));
                continue;
            }
            let Some(revisions) = revisions
                .strip_prefix("revisions=")
                .and_then(|n| n.parse().ok())
            else {
                problems.push(bad(Msg::new("archive.lock_bad_revisions")));
                continue;
            };
            if year_of(path).is_none() {
                problems.push(bad(Msg::new("archive.lock_not_report").arg("path", path)));
                continue;
            }
            let entry = LockEntry {
                sha256: sha256.to_ascii_lowercase(),
                revisions,
                line,
            };
            if let Some(first) = lock.entries.insert(path.to_string(), entry) {
                let twice = Msg::new("archive.lock_twice")
                    .arg("path", path)
                    .arg("first", first.line);
                problems.push(bad(twice));
            }
        }
        lock.source = Some(source);
        problems.into_result(lock)
    }

    /// The file's text: the header, then one line per entry, sorted by path.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for (path, e) in &self.entries {
            out.push_str(&format!(
                "{}  {path}  revisions={}\n",
                e.sha256, e.revisions
            ));
        }
        out
    }

    /// Writes `root/archive.lock` (to a temporary file first, then renamed over it).
    pub fn write(&self, root: &Path) -> Result<(), OutputError> {
        let path = root.join(LOCK_FILE);
        let tmp = root.join(format!(".{LOCK_FILE}.tmp-{}", std::process::id()));
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| OutputError::Io { path: p, source }
        };
        std::fs::write(&tmp, self.render()).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))
    }

    /// Replaces the entries of `year` with `reports` (all of that year's published files).
    pub fn freeze_year(&mut self, year: u16, reports: &[&Report]) {
        self.entries.retain(|path, _| year_of(path) != Some(year));
        for r in reports {
            self.entries.insert(
                lock_path(r),
                LockEntry {
                    sha256: r.source_sha256.clone(),
                    revisions: r.revisions.len(),
                    line: 0,
                },
            );
        }
    }

    pub fn is_frozen(&self, year: u16) -> bool {
        self.entries.keys().any(|p| year_of(p) == Some(year))
    }

    /// Every frozen report that changed without a new revision, disappeared, or was turned
    /// into a draft. `reports` are the reports a build loaded cleanly (drafts included only
    /// when `drafts` is set).
    pub fn verify(&self, root: &Path, reports: &[Arc<Report>], drafts: bool) -> Diagnostics {
        if self.entries.is_empty() {
            return Diagnostics::default();
        }
        let by_path: HashMap<String, &Report> =
            reports.iter().map(|r| (lock_path(r), r.as_ref())).collect();
        let mut problems = Diagnostics::default();
        for (path, entry) in &self.entries {
            let year = year_of(path).unwrap_or_default();
            match by_path.get(path) {
                Some(r) if r.source_sha256 == entry.sha256 => {}
                // A recorded correction: accepted until the year is frozen again.
                Some(r) if r.revisions.len() > entry.revisions => {}
                Some(r) => {
                    let message = Msg::new("archive.frozen_changed")
                        .arg("year", year)
                        .arg("lock", LOCK_FILE)
                        .arg("then", entry.revisions)
                        .arg("now", r.revisions.len());
                    let hint = Msg::new("archive.frozen_changed_hint").arg("year", year);
                    problems.push(Diagnostic::at_file(&r.source_path, message).with_hint(hint))
                }
                // Loaded cleanly but left out: it is a draft now, and a frozen report was
                // published. (With `--drafts` it is loaded, and compared as any other.)
                None if root.join(path).is_file() && !drafts => {
                    let message = Msg::new("archive.frozen_draft")
                        .arg("year", year)
                        .arg("lock", LOCK_FILE);
                    let hint = Msg::new("archive.frozen_draft_hint").arg("lock", LOCK_FILE);
                    problems.push(Diagnostic::at_file(path, message).with_hint(hint))
                }
                None if root.join(path).is_file() => {}
                None => {
                    let message = Msg::new("archive.frozen_deleted").arg("path", path);
                    let d = match &self.source {
                        Some(src) if entry.line > 0 => {
                            let len = src.lines().nth(entry.line - 1).map_or(0, str::len);
                            Diagnostic::at_line_col(LOCK_FILE, src, entry.line, 1, len, message)
                        }
                        _ => Diagnostic::at_file(LOCK_FILE, message),
                    };
                    let hint = Msg::new("archive.frozen_deleted_hint")
                        .arg("path", path)
                        .arg("lock", LOCK_FILE);
                    problems.push(d.with_hint(hint));
                }
            }
        }
        problems
    }
}

/// A report's path as the lock writes it: from the site root, `/`-separated.
pub fn lock_path(report: &Report) -> String {
    report.source_path.to_string_lossy().replace('\\', "/")
}

/// The year folder of a report path (`content/2022/a.zh.md` → 2022).
pub fn year_of(path: &str) -> Option<u16> {
    let mut parts = path.split('/');
    let (Some(dir), Some(year), Some(file), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (dir == CONTENT_DIR && year.len() == 4 && file.ends_with(".md"))
        .then(|| year.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn lock_round_trips_sorted() {
        let text = format!(
            "# comment\n\n{SHA}  content/2022/b.zh.md  revisions=1\n{SHA}  content/2021/a.md  revisions=0\n"
        );
        let lock = Lock::parse(&text).unwrap();
        assert_eq!(lock.entries["content/2022/b.zh.md"].revisions, 1);
        assert_eq!(lock.entries["content/2022/b.zh.md"].line, 3);
        let rendered = lock.render();
        assert!(rendered.starts_with("# archive.lock"));
        let lines: Vec<&str> = rendered.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                format!("{SHA}  content/2021/a.md  revisions=0"),
                format!("{SHA}  content/2022/b.zh.md  revisions=1"),
            ]
        );
        let fields = |l: &Lock| -> Vec<(String, String, usize)> {
            l.entries
                .iter()
                .map(|(p, e)| (p.clone(), e.sha256.clone(), e.revisions))
                .collect()
        };
        assert_eq!(fields(&Lock::parse(&rendered).unwrap()), fields(&lock));
    }

    #[test]
    fn bad_lock_lines_point_at_their_line() {
        let text = format!(
            "# c\n{SHA}  content/2022/a.md\nxyz  content/2022/b.md  revisions=0\n{SHA}  content/2022/a.md  revisions=x\n"
        );
        let problems = Lock::parse(&text).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(problems.iter().all(|d| d.path == Path::new(LOCK_FILE)));
    }

    #[test]
    fn year_comes_from_the_folder() {
        assert_eq!(year_of("content/2022/justice-bureau.zh.md"), Some(2022));
        assert_eq!(year_of("content/22/a.md"), None);
        assert_eq!(year_of("site.yaml"), None);
        assert_eq!(year_of("content/2022/x/a.md"), None);
    }
}
