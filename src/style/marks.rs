//! Check stage: marks that come in pairs (README "Style rules"): straight quotes around Chinese
//! text, and brackets, book-title marks and quotes left open or closed twice within one unit.
//! Ranges are bytes of one unit's text.

use super::chars::{has_han, is_han};
use super::{Finding, Fix, Rule};

/// Straight `"` and `'` around Chinese text. Quotes pair up in order; a pair with Han inside or
/// beside it becomes `“”` or `‘’` (a safe fix). An apostrophe between Latin letters
/// (`People's`) is not a quote. An odd count is reported without a fix: which quote is the
/// stray one is the editor's call.
pub fn straight_quotes(text: &str) -> Vec<Finding> {
    let mut out = quotes_of(text, '"', ('“', '”'));
    out.extend(quotes_of(text, '\'', ('‘', '’')));
    out
}

fn quotes_of(text: &str, q: char, (open, close): (char, char)) -> Vec<Finding> {
    let before = |i: usize| text[..i].chars().next_back();
    let after = |i: usize| text[i + 1..].chars().next();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let at: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c == q && !(q == '\'' && latin(before(i)) && latin(after(i))))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    if at.len() % 2 == 1 {
        let near_han = at
            .iter()
            .any(|&i| before(i).is_some_and(is_han) || after(i).is_some_and(is_han));
        if near_han || has_han(text) && q == '"' {
            let i = at[at.len() - 1];
            out.push(Finding {
                rule: Rule::StraightQuotes,
                range: i..i + 1,
                key: "straight-quote-unpaired",
                args: vec![("found", q.to_string())],
                fix: None,
            });
        }
        return out;
    }
    for pair in at.chunks(2) {
        let (o, c) = (pair[0], pair[1]);
        let chinese = has_han(&text[o + 1..c])
            || before(o).is_some_and(is_han)
            || after(c).is_some_and(is_han);
        if !chinese {
            continue;
        }
        for (i, m) in [(o, open), (c, close)] {
            out.push(Finding {
                rule: Rule::StraightQuotes,
                range: i..i + 1,
                key: "straight-quotes",
                args: vec![("found", q.to_string()), ("fix", m.to_string())],
                fix: Some(Fix {
                    replacement: m.to_string(),
                    safe: true,
                }),
            });
        }
    }
    out
}

const PAIRS: [(char, char); 7] = [
    ('（', '）'),
    ('《', '》'),
    ('“', '”'),
    ('‘', '’'),
    ('【', '】'),
    ('〔', '〕'),
    ('「', '」'),
];

/// Each kind of pair counted on its own (so `《关于（试行）》` nests freely): a closing mark
/// with nothing open, or an opening one still open at the end of the unit, is reported.
pub fn unbalanced(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut open: [Vec<usize>; PAIRS.len()] = Default::default();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|x| x.1);
        let before = prev.replace(c);
        if c.is_ascii() {
            continue;
        }
        for (k, (o, cl)) in PAIRS.iter().enumerate() {
            if c == *o {
                open[k].push(i);
            } else if c == *cl {
                // `’` between Latin letters is an apostrophe (`People’s`).
                let apostrophe = c == '’'
                    && before.is_some_and(|p| p.is_ascii_alphabetic())
                    && next.is_some_and(|n| n.is_ascii_alphabetic());
                if !apostrophe && open[k].pop().is_none() {
                    out.push(unmatched(i, c, "unbalanced-close", *o));
                }
            }
        }
    }
    for (k, stack) in open.iter().enumerate() {
        for &i in stack {
            out.push(unmatched(i, PAIRS[k].0, "unbalanced-open", PAIRS[k].1));
        }
    }
    out.sort_by_key(|f| f.range.start);
    out
}

fn unmatched(i: usize, mark: char, key: &'static str, partner: char) -> Finding {
    Finding {
        rule: Rule::UnbalancedMarks,
        range: i..i + mark.len_utf8(),
        key,
        args: vec![
            ("found", mark.to_string()),
            ("partner", partner.to_string()),
        ],
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(found: &[Finding], text: &str) -> Vec<(String, Option<String>)> {
        found
            .iter()
            .map(|f| {
                (
                    text[f.range.clone()].to_string(),
                    f.fix.as_ref().map(|x| x.replacement.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn straight_quotes_pair_up_around_chinese() {
        let t = "实行\"出入库\"动态调整,People's \"OK\" 'x'";
        let s = |a: &str, b: &str| (a.to_string(), Some(b.to_string()));
        assert_eq!(
            shown(&straight_quotes(t), t),
            vec![s("\"", "“"), s("\"", "”")]
        );
        let t = "他说\"好";
        assert_eq!(
            shown(&straight_quotes(t), t),
            vec![("\"".to_string(), None)]
        );
        assert!(straight_quotes("the \"plan\" and People's").is_empty());
    }

    #[test]
    fn unbalanced_marks_are_found() {
        assert!(unbalanced("《关于（试行）的通知》和“双统筹”，People’s").is_empty());
        let t = "学习《条例和”双统筹”）";
        let found: Vec<&str> = unbalanced(t).iter().map(|f| &t[f.range.clone()]).collect();
        assert_eq!(found, ["《", "”", "”", "）"]);
    }
}
