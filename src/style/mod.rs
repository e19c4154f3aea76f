//! Check stage: the Chinese typography rules of README ("Style rules"). Every rule reads only
//! the prose of a Chinese report (paragraphs, headings, list items, table cells; never code,
//! addresses, HTML or front matter) and returns findings with the fix it would make; `fix`
//! applies only the fixes marked safe, which cannot change what the text says.

mod chars;
pub mod config;
pub mod file;
pub mod fix;
mod marks;
pub mod messages;
mod numbering;
mod prose;
mod punct;
pub mod site;

use std::ops::Range;

pub use config::{Level, StyleConfig};
pub use prose::{Unit, units};

/// A rule, by the name `site.yaml` and the messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    HalfWidthPunctuation,
    StraightQuotes,
    UnbalancedMarks,
    RepeatedPunctuation,
    SpaceBetweenHan,
    FullWidthAlphanumeric,
    SectionNumbering,
    PreferredWording,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::HalfWidthPunctuation,
        Rule::StraightQuotes,
        Rule::UnbalancedMarks,
        Rule::RepeatedPunctuation,
        Rule::SpaceBetweenHan,
        Rule::FullWidthAlphanumeric,
        Rule::SectionNumbering,
        Rule::PreferredWording,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::HalfWidthPunctuation => "half-width-punctuation",
            Rule::StraightQuotes => "straight-quotes",
            Rule::UnbalancedMarks => "unbalanced-marks",
            Rule::RepeatedPunctuation => "repeated-punctuation",
            Rule::SpaceBetweenHan => "space-between-han",
            Rule::FullWidthAlphanumeric => "full-width-alphanumeric",
            Rule::SectionNumbering => "section-numbering",
            Rule::PreferredWording => "preferred-wording",
        }
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// What a finding would change: `replacement` for the finding's range. `safe` fixes are the
/// ones `gongkai fix` makes (README "Style rules"); the others are only suggested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub replacement: String,
    pub safe: bool,
}

/// One finding: the rule, the bytes of the body it points at, the message key in
/// `messages/style.*.yaml` with its placeholders, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub range: Range<usize>,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub fix: Option<Fix>,
}

/// Every finding of the rules `config` does not turn off in a Markdown body, ordered by
/// position. Ranges are byte offsets into `body`.
pub fn check_body(body: &str, config: &StyleConfig) -> Vec<Finding> {
    let units = units(body);
    let mut found = Vec::new();
    for unit in &units {
        found.extend(check_text(unit, config));
    }
    if config.level(Rule::SectionNumbering) != Level::Off {
        found.extend(
            numbering::check(&units)
                .into_iter()
                .filter_map(|f| unit_finding(&units[f.0], f.1)),
        );
    }
    found.sort_by_key(|f| (f.range.start, f.rule));
    found
}

/// The findings in one unit of prose, mapped back to the body; a finding whose text is not
/// plainly in the source (an escape, an entity) is dropped rather than guessed at.
pub fn check_text(unit: &Unit, config: &StyleConfig) -> Vec<Finding> {
    let t = chars::triggers(&unit.text);
    if !t.han {
        return Vec::new();
    }
    let text = unit.text.as_str();
    let on = |r: Rule| config.level(r) != Level::Off;
    let mut found = Vec::new();
    if t.half_width && on(Rule::HalfWidthPunctuation) {
        found.extend(punct::half_width(text));
    }
    if t.repeated && on(Rule::RepeatedPunctuation) {
        found.extend(punct::repeated(text));
    }
    if t.space && on(Rule::SpaceBetweenHan) {
        found.extend(punct::space_between_han(text));
    }
    if t.full_width && on(Rule::FullWidthAlphanumeric) {
        found.extend(punct::full_width_alnum(text));
    }
    if t.quotes && on(Rule::StraightQuotes) {
        found.extend(marks::straight_quotes(text));
    }
    if t.pairs && on(Rule::UnbalancedMarks) {
        found.extend(marks::unbalanced(text));
    }
    if !config.prefer.is_empty() && on(Rule::PreferredWording) {
        found.extend(punct::preferred(text, &config.prefer));
    }
    found
        .into_iter()
        .filter_map(|f| unit_finding(unit, f))
        .collect()
}

/// A finding in a unit's text, moved to the body; its fix is kept only when the range is one
/// stretch of the source, so a fix never swallows markup between two pieces of text.
fn unit_finding(unit: &Unit, mut f: Finding) -> Option<Finding> {
    let (range, contiguous) = unit.source_range(f.range.clone())?;
    if !contiguous {
        f.fix = None;
    }
    f.range = range;
    Some(f)
}
