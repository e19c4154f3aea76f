//! Diagnostics: every problem found in a site, with the file, line and column it points at.
//!
//! Loading keeps going after a bad file so one run reports every problem; the caller decides the
//! exit status. A diagnostic keeps its message as a key and arguments ([`Msg`]), and
//! is rendered at the edge (the command line, the preview overlay) in the reader's language; its
//! `message` and `hint` fields hold the English text for code and logs. Each problem is printed
//! once: one line with the position and the message, then the excerpt and the hint.
//! Everything rendered is safe to print to a terminal: control characters from file names,
//! keys and file text are shown escaped (`\u{1b}`), never sent raw.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::messages::{Messages, Msg};

mod excerpt;
mod from_yaml;
mod position;
mod warning;

pub use from_yaml::{YamlSource, yaml_error};
use position::floor_char_boundary;
pub use position::{Locator, line_col, offset_of};
pub use warning::warning_line;

/// The keys of a diagnostic's message and hint. There is no plain-text message: one that is
/// not in the catalogues does not compile (README "Messages in your language").
#[derive(Debug, Clone, PartialEq)]
struct Keyed {
    message: Msg,
    hint: Option<Msg>,
}

/// One problem in one file, located by 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    /// The message in English.
    pub message: String,
    /// The hint in English.
    pub hint: Option<String>,
    /// The message and hint as keys, rendered in the reader's language (boxed, as the excerpt:
    /// a diagnostic travels in every `Result` of the load stage).
    keyed: Box<Keyed>,
    /// The whole file text and the byte span to underline, when the file could be read as text.
    excerpt: Option<Box<(Arc<str>, Range<usize>)>>,
}

impl Diagnostic {
    /// A problem with no useful position inside the file (unreadable, wrong place, …).
    pub fn at_file(path: impl Into<PathBuf>, message: Msg) -> Self {
        Diagnostic {
            path: path.into(),
            line: 1,
            col: 1,
            message: message.english(),
            hint: None,
            keyed: Box::new(Keyed {
                message,
                hint: None,
            }),
            excerpt: None,
        }
    }

    /// A problem at byte offset `offset` of `source` (the file's full text), `len` bytes long.
    pub fn at_offset(
        path: impl Into<PathBuf>,
        source: &Arc<str>,
        offset: usize,
        len: usize,
        message: Msg,
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
        message: Msg,
    ) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let end = floor_char_boundary(source, (offset + len).min(source.len()));
        let mut d = Self::at_file(path, message);
        d.line = line;
        d.col = col;
        d.excerpt = Some(Box::new((source.clone(), offset..end)));
        d
    }

    /// A problem at a 1-based line and column (in characters) of `source`.
    pub fn at_line_col(
        path: impl Into<PathBuf>,
        source: &Arc<str>,
        line: usize,
        col: usize,
        len: usize,
        message: Msg,
    ) -> Self {
        let offset = offset_of(source, line, col);
        Self::at_offset(path, source, offset, len, message)
    }

    pub fn with_hint(mut self, hint: Msg) -> Self {
        self.hint = Some(hint.english());
        self.keyed.hint = Some(hint);
        self
    }

    /// The message in the language of `m`.
    pub fn message_in(&self, m: &Messages) -> String {
        m.render(&self.keyed.message)
    }

    /// The hint in the language of `m`.
    pub fn hint_in(&self, m: &Messages) -> Option<String> {
        self.keyed.hint.as_ref().map(|h| m.render(h))
    }

    /// [`Diagnostic::render_in`] English.
    pub fn render(&self, color: bool) -> String {
        self.render_in(color, crate::messages::english())
    }

    /// `path:line:col: error: message`, then an excerpt of the source with the place marked,
    /// then the hint: each said once.
    pub fn render_in(&self, color: bool, m: &Messages) -> String {
        let paint = |code: &str, text: &str| match color {
            true => format!("\u{1b}[{code}m{text}\u{1b}[0m"),
            false => text.to_string(),
        };
        let mut out = format!(
            "{}:{}:{}: {}{}\n",
            for_terminal(&self.path.display().to_string()),
            self.line,
            self.col,
            paint("1;31", &m.text("diag.error")),
            for_terminal(&self.message_in(m))
        );
        if let Some((source, span)) = self.excerpt.as_deref() {
            out.push_str(&excerpt::draw(
                source,
                span,
                self.line,
                &m.text("diag.here"),
                &paint,
            ));
        }
        if let Some(hint) = self.hint_in(m) {
            let label = paint("36", &m.text("diag.hint"));
            out.push_str(&format!("  {label}{}\n", for_terminal(&hint)));
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
    /// [`Diagnostics::render_in`] English.
    pub fn render(&self, color: bool) -> String {
        self.render_in(color, crate::messages::english())
    }
    /// Every problem, a blank line after each, then how many there were.
    pub fn render_in(&self, color: bool, m: &Messages) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render_in(color, m));
            out.push('\n');
        }
        let n = self.0.len();
        let count = match n {
            1 => Msg::new("diag.problems_one"),
            _ => Msg::new("diag.problems"),
        };
        out.push_str(&m.render(&count.arg("n", n)));
        out.push('\n');
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

/// "did you mean `x`?" for the nearest candidate, or the list of valid ones (in English).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    suggest_msg(word, candidates).english()
}

/// [`suggest`] as a message, to be rendered in the reader's language.
pub fn suggest_msg<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Msg {
    match nearest(word, candidates.clone()) {
        Some(c) => Msg::new("suggest.did_you_mean").arg("key", c),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            if all.is_empty() {
                Msg::new("suggest.none")
            } else {
                Msg::new("suggest.one_of").list("keys", all)
            }
        }
    }
}

/// A path shown relative to the site root when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(key: &str) -> Msg {
        Msg::new("yaml.unknown_key").arg("path", "").arg("key", key)
    }

    #[test]
    fn rendered_in_chinese_when_asked() {
        use crate::messages::UiLang;
        let src: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::at_line_col("a.md", &src, 2, 1, 5, unknown("titel"))
            .with_hint(suggest_msg("titel", ["title"]));
        let zh = d.render_in(false, &Messages::new(UiLang::Zh));
        assert!(zh.contains("a.md:2:1: 错误："), "{zh}");
        assert!(
            zh.contains(&Messages::new(UiLang::Zh).render(&unknown("titel"))),
            "{zh}"
        );
        assert!(zh.contains("是不是要写 `title`？"), "{zh}");
        assert!(zh.contains("^^^^^ 这里"), "{zh}");
        // The English text stays in the fields that code and logs read.
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
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
        let broken = Msg::new("links.broken").arg("href", "../nowhere/");
        let d = Diagnostic::at_line_col("a.md", &src, 1, 3, 1, broken);
        let text = d.render(false);
        assert!(text.starts_with("a.md:1:3: error: broken link"), "{text}");
        // `另见` is 6 bytes: a byte count would say column 7.
        assert!(!text.contains("a.md:1:7"), "{text}");
        assert!(text.contains(" 1 │ 另见[x](../nowhere/)。\n"), "{text}");
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
            unknown("a\u{1b}]0;x\u{7}"),
        )
        .with_hint(Msg::new("suggest.did_you_mean").arg("key", "\u{9b}31m"));
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
        let d = Diagnostic::at_line_col("content/2022/a.md", &src, 2, 1, 5, unknown("titel"))
            .with_hint(suggest_msg("titel", ["title"]));
        let text = d.render(false);
        assert!(text.starts_with("content/2022/a.md:2:1: error: unknown field `titel`\n"));
        assert!(text.contains(" 2 │ titel: x\n   │ ^^^^^ here\n"), "{text}");
        // Said once: the message and the hint each appear a single time.
        assert_eq!(text.matches("unknown field").count(), 1, "{text}");
        assert_eq!(text.matches("did you mean").count(), 1, "{text}");
        assert!(text.ends_with("  help: did you mean `title`?\n"), "{text}");
    }
}
