//! Diagnostics: every problem found in a site, with the file, line and column it points at.
//!
//! Loading keeps going after a bad file so one run reports every problem; the caller decides the
//! exit status. Rendering goes through miette so excerpts look the same as other Rust tools.
//! Everything rendered is safe to print to a terminal: control characters from file names,
//! keys and file text are shown escaped (`\u{1b}`), never sent raw.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

mod excerpt;

use excerpt::Window;

/// One problem in one file, located by 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The whole file text and the byte span to underline, when the file could be read as text.
    excerpt: Option<(Arc<str>, Range<usize>)>,
}

impl Diagnostic {
    /// A problem with no useful position inside the file (unreadable, wrong place, …).
    pub fn at_file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 1,
            col: 1,
            message: message.into(),
            hint: None,
            excerpt: None,
        }
    }

    /// A problem at byte offset `offset` of `source` (the file's full text), `len` bytes long.
    pub fn at_offset(
        path: impl Into<PathBuf>,
        source: &Arc<str>,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let (line, col) = line_col(source, offset);
        Self::at_located(path, source, offset, (line, col), len, message)
    }

    /// A problem at byte `offset` of `source` whose line and column the caller already knows
    /// (from a [`Locator`]), so that many problems in one file cost no rescan each.
    pub fn at_located(
        path: impl Into<PathBuf>,
        source: &Arc<str>,
        offset: usize,
        (line, col): (usize, usize),
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let end = floor_char_boundary(source, (offset + len).min(source.len()));
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
            excerpt: Some((source.clone(), offset..end)),
        }
    }

    /// A problem at a 1-based line and column (in characters) of `source`.
    pub fn at_line_col(
        path: impl Into<PathBuf>,
        source: &Arc<str>,
        line: usize,
        col: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let offset = offset_of(source, line, col);
        Self::at_offset(path, source, offset, len, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:col: error: message`, then an excerpt of the source and the hint.
    pub fn render(&self, color: bool) -> String {
        // The first line carries the hint too, so one line says everything (logs, grep); the
        // excerpt below ends with it as `help:` where it sits beside the source.
        let mut out = format!("{self}\n");
        if let Some((source, span)) = &self.excerpt {
            let name = for_terminal(&self.path.display().to_string()).into_owned();
            let (window, span) = Window::new(name, source, span, self.line);
            let mut diag = MietteDiagnostic::new(for_terminal(&self.message))
                .with_label(LabeledSpan::at(span, "here"));
            if let Some(hint) = &self.hint {
                diag = diag.with_help(for_terminal(hint));
            }
            let report = miette::Report::new(diag).with_source_code(window);
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            // The excerpt's own `[path:line:col]` header counts columns in bytes, which
            // disagrees with ours (characters) on any line with Chinese text before the error:
            // name the file only, and leave the position to the first line.
            let handler = GraphicalReportHandler::new_themed(theme)
                .with_context_lines(1)
                .without_primary_span_start();
            let mut excerpt = String::new();
            if handler.render_report(&mut excerpt, report.as_ref()).is_ok() {
                out.push_str(&excerpt);
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            for_terminal(&self.path.display().to_string()),
            self.line,
            self.col,
            for_terminal(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({})", for_terminal(hint))?;
        }
        Ok(())
    }
}

/// `text` with every control character but newline and tab written as `\u{..}`: a name or a
/// line of a file can hold escape sequences (ESC, CSI, OSC, BEL) that would retitle, recolour
/// or clear the terminal the message is printed to, or hide the message itself.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Every problem one run found, sorted by file and position for stable output.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
        self.0.dedup();
        self
    }
    /// `Ok(value)` when nothing was reported, otherwise every diagnostic.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        let n = self.0.len();
        out.push_str(&format!(
            "error: {n} problem{} found\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

/// The nearest of `candidates` to `word`, when it is close enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate, or the list of valid ones.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match nearest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            if all.is_empty() {
                "none are defined".to_string()
            } else {
                format!("expected one of {}", all.join(", "))
            }
        }
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of 1-based `line` and character `col` in `text` (clamped to the text).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// Line and column lookups in one text through a table of where each line starts, built once:
/// every position costs a binary search and a count along its own line, where [`line_col`]
/// and [`offset_of`] start from the top each time (quadratic in the number of positions, which
/// a hostile file makes large: 100,000 revisions, each with a problem).
pub struct Locator<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator { text, starts }
    }

    /// 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let col = self.text[self.starts[line - 1]..offset].chars().count() + 1;
        (line, col)
    }

    /// Byte offset where 1-based `line` starts (the text's end when it has fewer lines).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A path shown relative to the site root when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "第一行\n标题：值\n";
        let offset = text.find('值').unwrap();
        assert_eq!(line_col(text, offset), (2, 4));
        assert_eq!(offset_of(text, 2, 4), offset);
    }

    #[test]
    fn locator_agrees_with_line_col_forwards_and_backwards() {
        let text = "第一行\n标题：值\n\nabc\n末";
        let loc = Locator::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(loc.line_col(o), line_col(text, o), "offset {o}");
        }
        for line in [1, 3, 2, 5, 4, 9] {
            assert_eq!(
                loc.line_start(line),
                offset_of(text, line, 1),
                "line {line}"
            );
        }
    }

    #[test]
    fn suggests_nearest_key() {
        let keys = ["justice-bureau", "finance-bureau"];
        assert_eq!(nearest("justice-bureua", keys), Some("justice-bureau"));
        assert_eq!(
            suggest("zzz", keys),
            "expected one of `justice-bureau`, `finance-bureau`"
        );
    }

    #[test]
    fn excerpt_never_shows_a_byte_column() {
        let src: Arc<str> = Arc::from("另见[x](../nowhere/)。\n");
        let d = Diagnostic::at_line_col("a.md", &src, 1, 3, 1, "broken link");
        let text = d.render(false);
        assert!(text.starts_with("a.md:1:3: error: broken link"), "{text}");
        // `另见` is 6 bytes: a byte count would say column 7.
        assert!(!text.contains("a.md:1:7"), "{text}");
        assert!(text.contains("╭─[a.md]"), "{text}");
    }

    #[test]
    fn render_prints_no_control_character_raw() {
        let src: Arc<str> = Arc::from("---\ndepartment: a\u{1b}]0;x\u{7}\n---\n");
        let d = Diagnostic::at_line_col(
            "c/\u{1b}[2J.md",
            &src,
            2,
            13,
            8,
            "unknown `a\u{1b}]0;x\u{7}`",
        )
        .with_hint("\u{9b}31m");
        // Colour adds escape sequences of its own: check the plain rendering.
        for text in [d.render(false), d.to_string()] {
            assert!(text.contains("\\u{1b}]0;x\\u{7}"), "{text:?}");
            assert!(text.contains("c/\\u{1b}[2J.md"), "{text:?}");
            assert!(text.contains("\\u{9b}31m"), "{text:?}");
            assert!(
                !text.chars().any(|c| c != '\n' && c.is_control()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn render_names_file_line_and_column() {
        let src: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::at_line_col("content/2022/a.md", &src, 2, 1, 5, "unknown key `titel`")
            .with_hint("did you mean `title`?");
        let text = d.render(false);
        assert!(text.starts_with("content/2022/a.md:2:1: error: unknown key `titel`"));
        assert!(text.contains("titel: x"), "{text}");
    }
}
