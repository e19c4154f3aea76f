//! Check stage: which characters are Han, Chinese punctuation, full-width letters and digits.
//! Leaf: imports nothing of the crate.

/// A Han character (CJK unified ideographs, their extensions A–F, compatibility ideographs, 〇).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}')
}

pub fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

/// Chinese punctuation that a half-width mark beside it would also want full-width
/// (`“双统筹”,` is as wrong as `统筹,`).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '【'
            | '】'
            | '…'
            | '—'
    )
}

/// Han or Chinese punctuation: the company a half-width mark should not keep.
pub fn is_chinese(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// A full-width digit or Latin letter (`２０２２`, `ＧＤＰ`), and its ASCII form.
pub fn full_width_alnum(c: char) -> Option<char> {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        _ => None,
    }
}

/// Which rules a unit of text can possibly trip, found in one pass so that clean text (most of
/// it) costs one scan rather than one per rule.
#[derive(Debug, Default, Clone, Copy)]
pub struct Triggers {
    pub han: bool,
    pub half_width: bool,
    pub quotes: bool,
    pub space: bool,
    pub full_width: bool,
    pub pairs: bool,
    pub repeated: bool,
}

pub fn triggers(text: &str) -> Triggers {
    let mut t = Triggers::default();
    let mut prev_mark = false;
    for c in text.chars() {
        if c.is_ascii() {
            match c {
                ',' | '.' | ':' | ';' | '!' | '?' | '(' | ')' => t.half_width = true,
                '"' | '\'' => t.quotes = true,
                ' ' | '\t' => t.space = true,
                _ => {}
            }
            prev_mark = false;
            continue;
        }
        let mark = matches!(c, '，' | '。' | '、' | '；' | '：' | '！' | '？');
        t.repeated |= mark && prev_mark;
        prev_mark = mark;
        match c {
            '（' | '）' | '《' | '》' | '“' | '”' | '‘' | '’' | '【' | '】' | '〔' | '〕'
            | '「' | '」' => t.pairs = true,
            '\u{FF10}'..='\u{FF5A}' => t.full_width = true,
            _ => t.han |= is_han(c),
        }
    }
    t
}

/// Chinese numerals from 一 to 九十九 (`一`, `十二`, `二十`), as written in section numbers.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// The Chinese numeral for 1..=99, for messages (`expected 三`).
pub fn to_chinese(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_round_trip() {
        for n in 1..=99 {
            assert_eq!(chinese_number(&to_chinese(n)), Some(n), "{n}");
        }
        assert_eq!(chinese_number("十十"), None);
        assert_eq!(chinese_number("零"), None);
    }

    #[test]
    fn classes() {
        assert!(is_han('法') && is_han('〇') && !is_han('，') && !is_han('a'));
        assert_eq!(full_width_alnum('２'), Some('2'));
        assert_eq!(full_width_alnum('Ｇ'), Some('G'));
        assert_eq!(full_width_alnum('ｚ'), Some('z'));
        assert_eq!(full_width_alnum('％'), None);
    }
}
