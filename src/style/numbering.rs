//! Check stage: section numbers (README "Style rules"). Headings and top-level paragraphs that
//! start with a section number (`一、`, `（一）`, `1.`, `1、`, `（1）`) must count up by one
//! within their level: a number repeated or skipped is reported. A heading starts its level
//! anew and ends every deeper one; a paragraph numbered in a higher style (`（二）`) ends the
//! lower ones (`1.`) below it. Markdown ordered lists are numbered by the page, not checked.

use super::chars::{chinese_number, to_chinese};
use super::prose::{Unit, UnitKind};
use super::{Finding, Rule};

/// Number styles, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    ChineseComma,
    ChineseParen,
    Arabic,
    ArabicParen,
}

const STYLES: usize = 4;

impl Style {
    fn rank(self) -> usize {
        self as usize
    }

    fn show(self, n: u32, mark: &str) -> String {
        match self {
            Style::ChineseComma => format!("{}、", to_chinese(n)),
            Style::ChineseParen => format!("（{}）", to_chinese(n)),
            Style::Arabic => format!("{n}{mark}"),
            Style::ArabicParen => format!("（{n}）"),
        }
    }
}

/// The section number a text starts with: its style, value, length in bytes, and the mark
/// after an Arabic number (`.`, `．` or `、`).
fn number(text: &str) -> Option<(Style, u32, usize, &str)> {
    let t = text.trim_start_matches([' ', '\u{3000}']);
    let lead = text.len() - t.len();
    let paren = |open: char, close: char| -> Option<(&str, usize)> {
        let rest = t.strip_prefix(open)?;
        let end = rest.find(close)?;
        Some((&rest[..end], open.len_utf8() + end + close.len_utf8()))
    };
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some((inner, len)) = paren(open, close) {
            if let Some(n) = chinese_number(inner) {
                return Some((Style::ChineseParen, n, lead + len, ""));
            }
            if let Ok(n) = inner.parse::<u32>()
                && inner.len() <= 2
            {
                return Some((Style::ArabicParen, n, lead + len, ""));
            }
        }
    }
    None
}

/// `一、` or `1.` / `1．` / `1、` at the start (after [`number`]'s parenthesised forms).
fn plain_number(text: &str) -> Option<(Style, u32, usize, &str)> {
    let t = text.trim_start_matches([' ', '\u{3000}']);
    let lead = text.len() - t.len();
    if let Some(end) = t.find('、')
        && let Some(n) = chinese_number(&t[..end])
    {
        return Some((Style::ChineseComma, n, lead + end + '、'.len_utf8(), ""));
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let rest = &t[digits..];
    let mark = ["．", "、", "."]
        .into_iter()
        .find(|m| rest.starts_with(m))?;
    // `1.5亿元` is a number, not a section.
    if rest[mark.len()..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let n = t[..digits].parse().ok()?;
    Some((Style::Arabic, n, lead + digits + mark.len(), mark))
}

/// Every section number that repeats or skips one, as (unit index, finding in its text).
pub fn check(units: &[Unit]) -> Vec<(usize, Finding)> {
    // Last number seen per heading level (1..=6, index 0 for paragraphs) and style.
    let mut last = [[None::<u32>; STYLES]; 7];
    let mut out = Vec::new();
    for (k, unit) in units.iter().enumerate() {
        let level = match unit.kind {
            UnitKind::Heading(l) => usize::from(l.min(6)),
            UnitKind::TopParagraph => 0,
            _ => continue,
        };
        if level > 0 {
            for deeper in last.iter_mut().skip(level + 1) {
                *deeper = [None; STYLES];
            }
            last[0] = [None; STYLES];
        }
        let Some((style, n, len, mark)) = number(&unit.text).or_else(|| plain_number(&unit.text))
        else {
            continue;
        };
        let row = &mut last[level];
        for lower in row.iter_mut().skip(style.rank() + 1) {
            *lower = None;
        }
        let prev = row[style.rank()].replace(n);
        let key = match prev {
            Some(p) if n == p => "numbering-repeat",
            Some(p) if n > p + 1 => "numbering-gap",
            Some(p) if n < p && n != 1 => "numbering-order",
            _ => continue,
        };
        let expected = style.show(prev.map_or(1, |p| p + 1), mark);
        out.push((
            k,
            Finding {
                rule: Rule::SectionNumbering,
                range: 0..len,
                key,
                args: vec![
                    ("found", unit.text[..len].trim().to_string()),
                    ("fix", expected.clone()),
                ],
                fix: None,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::prose::units;
    use super::*;

    fn found(body: &str) -> Vec<String> {
        let us = units(body);
        check(&us)
            .into_iter()
            .map(|(k, f)| format!("{}:{}", f.key, &us[k].text[f.range]))
            .collect()
    }

    #[test]
    fn gaps_and_repeats_per_level() {
        let body = "## 一、甲\n\n（一）子\n\n（三）子\n\n## 二、乙\n\n（一）新的一级\n\n1.项\n\n1.项\n\n（二）下一个\n\n1.重新开始\n\n## 四、丁\n";
        assert_eq!(
            found(body),
            [
                "numbering-gap:（三）",
                "numbering-repeat:1.",
                "numbering-gap:四、"
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_sections() {
        assert!(found("1.5亿元投入\n\n2.5亿元\n\n一是加强\n\n三是推进\n").is_empty());
        assert!(
            found("## 一、甲\n\n### 1．子\n\n### 2．子\n\n## 二、乙\n\n### 1．子\n").is_empty()
        );
    }
}
