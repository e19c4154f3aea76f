//! Check stage: the rules of report kinds over loaded reports (README "Report kinds"): every
//! required part has a heading matching its pattern in the report's language, and a report is
//! dated no later than its deadline. Each finding is at the report's `kind:` line, as a warning
//! or an error as `kind_rules:` says.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::config::{Kind, Kinds, due_date};
use super::due::days_late;
use crate::config::label;
use crate::diagnostics::{Diagnostic, warning_line};
use crate::messages::Msg;
use crate::model::Report;
use crate::style::Level;

/// The two rules, by the names `kind_rules:` and the messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KindRule {
    RequiredParts,
    Deadline,
}

impl KindRule {
    pub fn name(self) -> &'static str {
        match self {
            KindRule::RequiredParts => "required-parts",
            KindRule::Deadline => "deadline",
        }
    }
}

/// A finding of a kind rule, located: `path:line:col: warning[rule]: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindWarning {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub rule: KindRule,
    pub message: String,
}

impl fmt::Display for KindWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (rule, message) = (self.rule.name(), &self.message);
        let line = warning_line(&self.path, self.line, self.col, rule, message);
        f.write_str(&line.english())
    }
}

/// The parts of `kind` that no heading of `report` matches, by their label in `lang`. A part
/// without a pattern in the report's language is not checked.
pub fn missing_parts<'a>(report: &Report, kind: &'a Kind) -> Vec<&'a crate::kinds::Part> {
    kind.parts
        .iter()
        .filter(|part| {
            part.patterns.get(&report.lang).is_some_and(|re| {
                !report
                    .sections
                    .iter()
                    .any(|s| !s.heading.is_empty() && re.is_match(&s.heading))
            })
        })
        .collect()
}

/// Every finding over `reports`, sorted by file: errors (rules set to `error`) and warnings.
/// `lang` is the language of the messages: the warnings' text and the labels of kinds and
/// parts; errors are rendered where they are printed.
pub fn check_reports(
    reports: &[Arc<Report>],
    kinds: &Kinds,
    lang: &str,
) -> (Vec<Diagnostic>, Vec<KindWarning>) {
    let mut found = Vec::new();
    for report in reports {
        let Some(kind) = report.kind.as_ref().and_then(|k| kinds.kinds.get(k)) else {
            continue;
        };
        if kinds.required_parts != Level::Off {
            for part in missing_parts(report, kind) {
                let message = Msg::new("kinds.missing_part")
                    .arg("kind", kind_name(kind, lang))
                    .arg("part", label(&part.label, lang));
                found.push((report, KindRule::RequiredParts, message));
            }
        }
        if kinds.deadline != Level::Off
            && !report.draft
            && let Some(due) = due_date(kind.due, report.key.year)
            && report.date > due
        {
            let n = days_late(report.date, due);
            let message = match n {
                1 => Msg::new("kinds.late_one"),
                n => Msg::new("kinds.late").arg("n", n),
            };
            let message = message.arg("date", report.date).arg("due", due);
            found.push((report, KindRule::Deadline, message));
        }
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let messages = super::messages_in(lang);
    for (report, rule, message) in found {
        let level = match rule {
            KindRule::RequiredParts => kinds.required_parts,
            KindRule::Deadline => kinds.deadline,
        };
        let (line, col) = (report.kind_line, 1);
        match level {
            Level::Off => {}
            Level::Warn => warnings.push(KindWarning {
                path: report.source_path.clone(),
                line,
                col,
                rule,
                message: messages.render(&message.arg("tag", "")),
            }),
            Level::Error => {
                let tag = format!("[{}] ", rule.name());
                let mut d = Diagnostic::at_file(&report.source_path, message.arg("tag", tag));
                (d.line, d.col) = (line, col);
                errors.push(d);
            }
        }
    }
    warnings.sort_by(|a, b| (&a.path, a.line, a.rule).cmp(&(&b.path, b.line, b.rule)));
    (errors, warnings)
}

fn kind_name<'a>(kind: &'a Kind, lang: &str) -> &'a str {
    label(&kind.label, lang)
}
