//! Import stage: headings written as plain paragraphs with Chinese numbering, the way most
//! bureaus type them: `一、` → `##`, `（一）` → `###`, `1.`/`1、` → `####`. Only a short line
//! counts (README "From Word"): at most [`MAX_CHARS`] characters and no full stop inside, so a
//! long paragraph that starts with a number stays a paragraph.

/// The longest line taken as a numbered heading: the seed reports' headings are 10–30
/// characters; their paragraphs are longer than 60.
pub const MAX_CHARS: usize = 40;

const CN_DIGITS: &str = "一二三四五六七八九十";

/// The Markdown level (2–4) of a numbered heading line, or `None` for an ordinary paragraph.
pub fn numbered_level(text: &str) -> Option<u8> {
    let text = text.trim();
    if text.chars().count() > MAX_CHARS || has_inner_stop(text) {
        return None;
    }
    let level = number_prefix(text)?;
    // A number with nothing after it is no heading.
    (text.chars().count() > level.1).then_some(level.0)
}

/// The level and the prefix's length in characters.
fn number_prefix(text: &str) -> Option<(u8, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let cn = chars.iter().take_while(|c| CN_DIGITS.contains(**c)).count();
    if cn > 0 && chars.get(cn) == Some(&'、') {
        return Some((2, cn + 1));
    }
    if matches!(chars.first(), Some('（' | '(')) {
        let inner = chars[1..]
            .iter()
            .take_while(|c| CN_DIGITS.contains(**c))
            .count();
        if inner > 0 && matches!(chars.get(inner + 1), Some('）' | ')')) {
            return Some((3, inner + 2));
        }
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits) && matches!(chars.get(digits), Some('.' | '．' | '、')) {
        // `1.5亿元` is a number, not a heading.
        if chars.get(digits + 1).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        return Some((4, digits + 1));
    }
    None
}

/// A sentence end before the last character: the line is a sentence, not a title.
fn has_inner_stop(text: &str) -> bool {
    let mut chars: Vec<char> = text.chars().collect();
    chars.pop();
    chars.iter().any(|c| matches!(c, '。' | '；' | '！' | '？'))
}

#[cfg(test)]
mod tests {
    use super::numbered_level;

    #[test]
    fn levels_and_what_is_not_a_heading() {
        assert_eq!(
            numbered_level("一、加强党的领导，法治政府建设逐步深化"),
            Some(2)
        );
        assert_eq!(numbered_level("十二、其他"), Some(2));
        assert_eq!(numbered_level("（一）完善制度"), Some(3));
        assert_eq!(numbered_level("(二)完善制度"), Some(3));
        assert_eq!(numbered_level("1.统筹推进"), Some(4));
        assert_eq!(numbered_level("2、统筹推进"), Some(4));
        assert_eq!(numbered_level("1.5亿元用于建设"), None);
        assert_eq!(numbered_level("一是加强领导"), None);
        assert_eq!(numbered_level("一、"), None);
        let long = format!("一、{}", "很长的段落".repeat(10));
        assert_eq!(numbered_level(&long), None);
        assert_eq!(numbered_level("1.开展检查。共检查3次。"), None);
    }
}
