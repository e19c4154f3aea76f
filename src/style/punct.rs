//! Check stage: the rules on single marks in Chinese text (README "Style rules"): half-width
//! punctuation beside Han, repeated punctuation, spaces between Han, full-width letters and
//! digits, and words to avoid. Ranges are bytes of one unit's text.

use super::chars::{self, is_chinese, is_han};
use super::{Finding, Fix, Rule};

fn finding(
    rule: Rule,
    range: std::ops::Range<usize>,
    key: &'static str,
    found: &str,
    fix: Option<(String, bool)>,
) -> Finding {
    let mut args = vec![("found", found.to_string())];
    if let Some((r, _)) = &fix {
        args.push(("fix", r.clone()));
    }
    Finding {
        rule,
        range,
        key,
        args,
        fix: fix.map(|(replacement, safe)| Fix { replacement, safe }),
    }
}

/// Half-width `, . : ; ! ? ( )` next to Han. Left alone: marks between digits (`1,000`,
/// `2.5`, `10:30`), a `.` after a Latin letter or digit (`e.g.`, `1.`) or before one (`.pdf`),
/// runs of dots (an ellipsis), `://`, and parentheses with neither Han inside nor beside them.
pub fn half_width(text: &str) -> Vec<Finding> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let at = |k: usize| cs.get(k).map(|x| x.1);
    for (k, &(i, c)) in cs.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(at);
        let next = at(k + 1);
        let digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let han_beside = prev.is_some_and(is_han) || next.is_some_and(is_han);
        let full = match c {
            ',' | ';' | '!' | '?' if !digits && han_beside => Some(full_of(c)),
            ':' if !digits && han_beside && !text[i..].starts_with("://") => Some('：'),
            '.' if prev.is_some_and(is_chinese)
                && next.is_none_or(|n| !n.is_ascii_alphanumeric() && n != '.')
                && prev != Some('.') =>
            {
                Some('。')
            }
            _ => None,
        };
        if let Some(f) = full {
            // Spaces around a half-width mark beside Chinese go with it (`我局 , 坚持` →
            // `我局，坚持`): full-width marks carry their own space.
            let mut start = i;
            let head = text[..i].trim_end_matches([' ', '\t']);
            if head.len() < i && head.chars().next_back().is_some_and(is_chinese) {
                start = head.len();
            }
            let mut end = i + 1;
            let rest = &text[end..];
            let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if spaces > 0 && end + spaces < text.len() {
                end += spaces;
            }
            out.push(finding(
                Rule::HalfWidthPunctuation,
                start..end,
                "half-width-punctuation",
                &text[i..i + 1],
                Some((f.to_string(), true)),
            ));
        }
    }
    out.extend(parentheses(text));
    out
}

fn full_of(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        _ => c,
    }
}

/// Half-width parentheses, by pairs: a pair with Han inside or beside it becomes `（）` as a
/// whole; a lone one beside Han is reported too.
fn parentheses(text: &str) -> Vec<Finding> {
    let mut open: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    let mut lone = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => match open.pop() {
                Some(o) => pairs.push((o, i)),
                None => lone.push(i),
            },
            _ => {}
        }
    }
    lone.extend(open);
    let before = |i: usize| text[..i].chars().next_back();
    let after = |i: usize| text[i + 1..].chars().next();
    let mut out = Vec::new();
    for (o, c) in pairs {
        if is_chinese_pair(&text[o + 1..c], before(o), after(c)) {
            out.push(finding(
                Rule::HalfWidthPunctuation,
                o..o + 1,
                "half-width-punctuation",
                "(",
                Some(("（".into(), true)),
            ));
            out.push(finding(
                Rule::HalfWidthPunctuation,
                c..c + 1,
                "half-width-punctuation",
                ")",
                Some(("）".into(), true)),
            ));
        }
    }
    for i in lone {
        if before(i).is_some_and(is_han) || after(i).is_some_and(is_han) {
            let (found, full) = if &text[i..i + 1] == "(" {
                ("(", "（")
            } else {
                (")", "）")
            };
            out.push(finding(
                Rule::HalfWidthPunctuation,
                i..i + 1,
                "half-width-punctuation",
                found,
                Some((full.into(), true)),
            ));
        }
    }
    out
}

fn is_chinese_pair(inside: &str, before: Option<char>, after: Option<char>) -> bool {
    inside.chars().any(is_han) || before.is_some_and(is_han) || after.is_some_and(is_han)
}

/// Two marks in a row that never go together (`。。`, `，，`, `，。`); `！！`, `？？` too. The
/// suggested fix keeps the first; it is not made by `fix`, since which one was meant is a
/// choice.
pub fn repeated(text: &str) -> Vec<Finding> {
    let mark = |c: char| matches!(c, '，' | '。' | '、' | '；' | '：');
    let mut out = Vec::new();
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        if let Some((p, pc)) = prev {
            let twice = (mark(pc) && mark(c)) || (pc == c && matches!(c, '！' | '？'));
            if twice {
                let end = i + c.len_utf8();
                out.push(finding(
                    Rule::RepeatedPunctuation,
                    p..end,
                    "repeated-punctuation",
                    &text[p..end],
                    Some((pc.to_string(), false)),
                ));
                prev = None;
                continue;
            }
        }
        prev = Some((i, c));
    }
    out
}

/// Spaces or tabs between two Han characters. A unit that is only short Han words separated
/// by spaces (a list of names in a table cell: `张三 李四 王五`) is left alone: there the
/// spaces separate.
pub fn space_between_han(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < cs.len() {
        let (i, c) = cs[k];
        if (c == ' ' || c == '\t') && k > 0 && is_han(cs[k - 1].1) {
            let mut e = k;
            while e < cs.len() && (cs[e].1 == ' ' || cs[e].1 == '\t') {
                e += 1;
            }
            if e < cs.len() && is_han(cs[e].1) {
                let end = cs[e].0;
                out.push(finding(
                    Rule::SpaceBetweenHan,
                    i..end,
                    "space-between-han",
                    &text[i..end],
                    Some((String::new(), true)),
                ));
            }
            k = e;
            continue;
        }
        k += 1;
    }
    if out.len() >= 2 && is_word_list(text) {
        return Vec::new();
    }
    out
}

fn is_word_list(text: &str) -> bool {
    text.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().all(is_han) && w.chars().count() <= 4)
}

/// Full-width Latin letters and digits (`２０２２年`, `ＧＤＰ`): one finding per run.
pub fn full_width_alnum(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut run: Option<(usize, String)> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\0')))
    {
        match (chars::full_width_alnum(c), &mut run) {
            (Some(a), Some((_, s))) => s.push(a),
            (Some(a), None) => run = Some((i, a.to_string())),
            (None, Some(_)) => {
                let (s, fixed) = run.take().unwrap_or_default();
                out.push(finding(
                    Rule::FullWidthAlphanumeric,
                    s..i,
                    "full-width-alphanumeric",
                    &text[s..i],
                    Some((fixed, true)),
                ));
            }
            (None, None) => {}
        }
    }
    out
}

/// Each use of a word `site.yaml` asks to avoid (`style: prefer:`). A use that is already part
/// of its replacement (`司法局` inside `区司法局` when `司法局: 区司法局`) is not one, so
/// fixing twice changes nothing.
pub fn preferred(text: &str, prefer: &[(String, String)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (old, new) in prefer {
        if old.is_empty() {
            continue;
        }
        for (i, _) in text.match_indices(old.as_str()) {
            let inside_new = new.match_indices(old.as_str()).any(|(k, _)| {
                i >= k
                    && text
                        .get(i - k..)
                        .is_some_and(|t| t.starts_with(new.as_str()))
            });
            if !inside_new {
                out.push(finding(
                    Rule::PreferredWording,
                    i..i + old.len(),
                    "preferred-wording",
                    old,
                    Some((new.clone(), true)),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixes(found: &[Finding], text: &str) -> Vec<(String, String)> {
        found
            .iter()
            .map(|f| {
                (
                    text[f.range.clone()].to_string(),
                    f.fix
                        .as_ref()
                        .map_or(String::new(), |x| x.replacement.clone()),
                )
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn half_width_beside_han_only() {
        let t = "2022年,我局坚持: 增长2.5%,时间10:30,共1,000件;见附件.pdf,e.g., x. 完成.";
        assert_eq!(
            fixes(&half_width(t), t),
            pairs(&[
                (",", "，"),
                (": ", "："),
                (",", "，"),
                (",", "，"),
                (";", "；"),
                (".", "。")
            ])
        );
        let t = "常务(全体)会议,GDP (gross) 和(1)加强";
        assert_eq!(
            fixes(&half_width(t), t),
            pairs(&[
                (",", "，"),
                ("(", "（"),
                (")", "）"),
                ("(", "（"),
                (")", "）")
            ])
        );
        assert!(half_width("详见 http://example.gov.cn 网站……").is_empty());
    }

    #[test]
    fn repeated_spaces_full_width_and_words() {
        let t = "完成。。下一步，，以及，。";
        assert_eq!(
            fixes(&repeated(t), t),
            pairs(&[("。。", "。"), ("，，", "，"), ("，。", "，")])
        );
        assert!(repeated("……——").is_empty());
        let t = "法治 政府 建设 GDP 增长";
        assert_eq!(
            fixes(&space_between_han(t), t),
            pairs(&[(" ", ""), (" ", "")])
        );
        assert!(space_between_han("张三 李四 王五").is_empty());
        let t = "２０２２年ＧＤＰ";
        assert_eq!(
            fixes(&full_width_alnum(t), t),
            pairs(&[("２０２２", "2022"), ("ＧＤＰ", "GDP")])
        );
        let prefer = vec![("司法局".to_string(), "区司法局".to_string())];
        let t = "司法局和区司法局";
        assert_eq!(
            fixes(&preferred(t, &prefer), t),
            pairs(&[("司法局", "区司法局")])
        );
    }
}
