//! Check stage: the style rules over one report file. Findings are located in the file (lines
//! count the front matter, columns count characters, as every diagnostic does); a finding at
//! `error` level becomes a [`Diagnostic`], one at `warn` level a [`Warning`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::messages::Messages;
use super::{Finding, Level, Rule, StyleConfig, check_body};
use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, warning_line};

/// Whether the style rules read a report in `lang`: Chinese reports only (README "Style rules").
pub fn applies_to(lang: &str) -> bool {
    lang == "zh" || lang.starts_with("zh-")
}

/// A finding located in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub finding: Finding,
    /// Byte offsets in the whole file text.
    pub offset: usize,
    pub line: usize,
    pub col: usize,
}

/// Every finding of the rules on in `config`, located in the file `text` (decoded, CRLF
/// normalised). A file whose front matter cannot be split has none: loading reports that.
pub fn check_file(text: &str, shown: &Path, config: &StyleConfig) -> Vec<Located> {
    let Ok(split) = front_matter::split(text, shown) else {
        return Vec::new();
    };
    let body_at = text.len() - split.body.len();
    let found = check_body(split.body, config)
        .into_iter()
        .filter(|f| config.level(f.rule) != Level::Off);
    locate(text, body_at, found)
}

/// Lines and columns of findings (in order of offset), counted in one pass over the text.
pub fn locate(text: &str, body_at: usize, found: impl Iterator<Item = Finding>) -> Vec<Located> {
    let (mut at, mut line, mut col) = (0usize, 1usize, 1usize);
    let mut out = Vec::new();
    for mut f in found {
        let offset = body_at + f.range.start;
        for c in text[at.min(offset)..offset].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        at = at.max(offset);
        f.range = offset..body_at + f.range.end;
        out.push(Located {
            finding: f,
            offset,
            line,
            col,
        });
    }
    out
}

/// A style finding at `warn` level, ready to print: `path:line:col: warning[rule]: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub rule: Rule,
    pub message: String,
    /// What the text should read, when the rule knows.
    pub fix: Option<String>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (rule, message) = (self.rule.name(), &self.message);
        let line = warning_line(&self.path, self.line, self.col, rule, message);
        f.write_str(&line.english())
    }
}

/// A file's findings split by level: errors as diagnostics (with the excerpt), warnings.
pub fn report(
    shown: &Path,
    text: &Arc<str>,
    found: Vec<Located>,
    config: &StyleConfig,
    messages: &Messages,
) -> (Vec<Diagnostic>, Vec<Warning>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for l in found {
        let f = &l.finding;
        let fix = f.fix.as_ref().map(|x| x.replacement.clone());
        match config.level(f.rule) {
            Level::Off => {}
            Level::Warn => warnings.push(Warning {
                path: shown.to_path_buf(),
                line: l.line,
                col: l.col,
                rule: f.rule,
                message: messages.finding(f),
                fix,
            }),
            Level::Error => errors.push(Diagnostic::at_located(
                shown,
                text,
                l.offset,
                (l.line, l.col),
                f.range.len(),
                super::messages::msg(f).arg("tag", format!("[{}] ", f.rule.name())),
            )),
        }
    }
    (errors, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_front_matter_and_characters() {
        let text = "---\ntitle: 标题\n---\n\n2022年,我局\n\n“甲”乙 丙\n";
        let found = check_file(text, Path::new("x.zh.md"), &StyleConfig::default());
        let at: Vec<(Rule, usize, usize)> = found
            .iter()
            .map(|l| (l.finding.rule, l.line, l.col))
            .collect();
        assert_eq!(
            at,
            [
                (Rule::HalfWidthPunctuation, 5, 6),
                (Rule::SpaceBetweenHan, 7, 5)
            ]
        );
        assert_eq!(&text[found[0].finding.range.clone()], ",");
    }
}
