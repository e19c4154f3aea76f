//! Check stage: applying the safe fixes of the style rules to a report's text (README "Style
//! rules", `gongkai fix`). The front matter is never touched: only body ranges change. Fixing
//! is repeated until nothing changes (a fix can reveal another: `我局 ,坚持`), so a second
//! run of `fix` changes nothing.

use std::path::Path;

use super::file::{Located, check_file};
use super::{Rule, StyleConfig};

/// How many times the fixes are applied at most; each pass only makes marks full-width,
/// quotes curly, removes spaces or replaces words, so two passes are the most seen in practice.
const PASSES: usize = 4;

/// One fix made: the rule, where it was (in the text as it was before that fix's pass), and
/// what was replaced by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub rule: Rule,
    pub line: usize,
    pub col: usize,
    pub from: String,
    pub to: String,
}

/// `text` with every safe fix applied, and the fixes made.
pub fn fix_text(text: &str, shown: &Path, config: &StyleConfig) -> (String, Vec<Change>) {
    let mut text = text.to_string();
    let mut changes = Vec::new();
    for _ in 0..PASSES {
        let found: Vec<Located> = check_file(&text, shown, config)
            .into_iter()
            .filter(|l| l.finding.fix.as_ref().is_some_and(|f| f.safe))
            .collect();
        let (next, made) = apply(&text, &found);
        if made.is_empty() {
            break;
        }
        text = next;
        changes.extend(made);
    }
    (text, changes)
}

/// Applies the fixes that do not overlap an earlier one (the rest wait for the next pass).
fn apply(text: &str, found: &[Located]) -> (String, Vec<Change>) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    let mut made = Vec::new();
    for l in found {
        let f = &l.finding;
        let Some(fix) = &f.fix else { continue };
        if f.range.start < at {
            continue;
        }
        out.push_str(&text[at..f.range.start]);
        out.push_str(&fix.replacement);
        made.push(Change {
            rule: f.rule,
            line: l.line,
            col: l.col,
            from: text[f.range.clone()].to_string(),
            to: fix.replacement.clone(),
        });
        at = f.range.end;
    }
    out.push_str(&text[at..]);
    (out, made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_body_only_and_twice_is_once() {
        let config = StyleConfig {
            prefer: vec![("司法局".into(), "区司法局".into())],
            ..StyleConfig::default()
        };
        let text = "---\ntitle: \"a,b\" 司法局,甲\n---\n\n2022年,我局 ,坚持\"双统筹\",司法局(全体)会议。。２０２２\n";
        let (fixed, changes) = fix_text(text, Path::new("x.zh.md"), &config);
        assert_eq!(
            fixed,
            "---\ntitle: \"a,b\" 司法局,甲\n---\n\n2022年，我局，坚持“双统筹”，区司法局（全体）会议。。2022\n"
        );
        assert!(
            changes
                .iter()
                .any(|c| c.rule == Rule::SpaceBetweenHan || c.from == " ,")
        );
        let (again, none) = fix_text(&fixed, Path::new("x.zh.md"), &config);
        assert_eq!(again, fixed);
        assert!(none.is_empty(), "{none:?}");
    }
}
