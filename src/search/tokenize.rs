//! Search: the tokenizer. The browser script (`themes/default/static/search.js`) implements the
//! same rules; `tests/search_browser.rs` runs both on the same inputs.
//!
//! - Text is folded: NFKD (full-width letters, digits and punctuation become half-width),
//!   combining marks dropped (diacritics), lowercase.
//! - Han characters are indexed as single characters and as overlapping bigrams, so any run of
//!   Han characters can be found whatever word boundaries a segmenter would draw.
//! - Runs of ASCII letters and digits are words; English words are stemmed by [`stem`].

use std::borrow::Cow;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One token of folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Han(char),
    Word(String),
    /// Anything that separates tokens (space, punctuation); Han bigrams never cross it.
    Break,
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Folds width, case and diacritics.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_fast(c) {
            Some(f) => out.push(f),
            None => fold_char(c, |f| out.push(f)),
        }
    }
    out
}

/// Folds one character outside the fast paths: its compatibility decomposition (NFKD),
/// combining marks dropped, lowercased.
fn fold_char(c: char, mut each: impl FnMut(char)) {
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) {
            d.to_lowercase().for_each(&mut each);
        }
    });
}

/// What [`Scanner::scan`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scanned<'a> {
    /// A Han character, with the one before it when they are adjacent (a bigram).
    Han(char, Option<char>),
    /// A word of ASCII letters and digits, folded, not stemmed.
    Word(&'a str),
}

/// Finds the Han characters and words of texts, folding as it goes: the same as tokenizing
/// [`fold`]`(text)`, without building the folded copy (the index scans every report's text).
/// The word buffer is kept from one text to the next.
#[derive(Debug, Default)]
pub struct Scanner {
    word: String,
}

impl Scanner {
    /// Calls `each` for each Han character and each word of `text`.
    pub fn scan(&mut self, text: &str, mut each: impl FnMut(Scanned<'_>)) {
        let mut prev: Option<char> = None;
        let word = &mut self.word;
        word.clear();
        let mut feed = |c: char| {
            if c.is_ascii_alphanumeric() {
                word.push(c);
                prev = None;
                return;
            }
            if !word.is_empty() {
                each(Scanned::Word(word));
                word.clear();
            }
            if is_han(c) {
                each(Scanned::Han(c, prev));
                prev = Some(c);
            } else {
                prev = None;
            }
        };
        for c in text.chars() {
            match fold_fast(c) {
                Some(f) => feed(f),
                None => fold_char(c, &mut feed),
            }
        }
        feed(' ');
    }
}

/// The folded form of the characters that are nearly all of a report's text: ASCII, the main
/// Han blocks, Chinese punctuation and full-width forms; `None` for the others.
fn fold_fast(c: char) -> Option<char> {
    match c as u32 {
        0..=0x7f => Some(c.to_ascii_lowercase()),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF => Some(c),
        // 、。〈〉《》「」『』【】 and ‘’“”: no decomposition, no case.
        0x3001..=0x3002 | 0x3008..=0x3011 | 0x2018..=0x2019 | 0x201C..=0x201D => Some(c),
        // Full-width ASCII (！ to ～) decomposes to ASCII.
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).map(|a| a.to_ascii_lowercase()),
        _ => None,
    }
}

/// Tokens of already folded text.
pub fn tokens(folded: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(&mut word)));
        }
        if is_han(c) {
            out.push(Token::Han(c));
        } else if out.last() != Some(&Token::Break) {
            out.push(Token::Break);
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

/// A light English stemmer (plurals, `-ing`, `-ed`): small enough to be written identically in
/// the browser script, which must stem queries exactly as the index was stemmed.
pub fn stem(word: &str) -> Cow<'_, str> {
    let n = word.len();
    if n <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let w: Cow<'_, str> = if n > 4 && word.ends_with("ies") {
        Cow::Owned(format!("{}y", &word[..n - 3]))
    } else if word.ends_with("sses") {
        Cow::Borrowed(&word[..n - 2])
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        Cow::Borrowed(&word[..n - 1])
    } else {
        Cow::Borrowed(word)
    };
    let n = w.len();
    let cut = if n >= 7 && w.ends_with("ing") {
        3
    } else if n >= 6 && w.ends_with("ed") && !w.ends_with("eed") {
        2
    } else {
        0
    };
    match w {
        Cow::Borrowed(b) => Cow::Borrowed(&b[..n - cut]),
        Cow::Owned(mut o) => {
            o.truncate(n - cut);
            Cow::Owned(o)
        }
    }
}

/// An index term: `h:法` (one Han character), `b:复议` (a Han bigram) or `w:appeal` (a stemmed
/// word).
pub fn terms_of(tokens: &[Token], mut each: impl FnMut(String)) {
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Han(c) => {
                each(format!("h:{c}"));
                if let Some(Token::Han(d)) = tokens.get(i + 1) {
                    each(format!("b:{c}{d}"));
                }
            }
            Token::Word(w) => each(format!("w:{}", stem(w))),
            Token::Break => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_diacritics() {
        assert_eq!(fold("２０２２年ＡＢＣ，Café"), "2022年abc,cafe");
    }

    #[test]
    fn fast_folding_agrees_with_decomposition() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            if let Some(fast) = fold_fast(c) {
                let mut slow = String::new();
                fold_char(c, |f| slow.push(f));
                assert_eq!(slow, fast.to_string(), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn stems_plurals_and_endings() {
        assert_eq!(stem("appeals"), "appeal");
        assert_eq!(stem("mediators"), "mediator");
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("appealed"), "appeal");
        assert_eq!(stem("processing"), "process");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("law"), "law");
    }

    #[test]
    fn scan_agrees_with_tokens_of_the_folded_text() {
        for raw in [
            "2022年，行政复议 appeals司警联调",
            "２０２２年ＡＢＣ，Café naïve Ⅻ ﬁle 㐀丽𠀀𠀁",
            "Ｍｅｄｉａｔｏｒｓ\u{3000}复议。ÉCOLE straße İstanbul ß",
            "",
            "法",
            "x",
        ] {
            assert_scan_agrees(raw);
        }
    }

    fn assert_scan_agrees(raw: &str) {
        let text = fold(raw);
        let mut scanned = Vec::new();
        Scanner::default().scan(raw, |s| match s {
            Scanned::Han(c, p) => {
                scanned.push(format!("h:{c}"));
                if let Some(p) = p {
                    scanned.push(format!("b:{p}{c}"));
                }
            }
            Scanned::Word(w) => scanned.push(format!("w:{}", stem(w))),
        });
        let mut from_tokens = Vec::new();
        terms_of(&tokens(&text), |t| from_tokens.push(t));
        scanned.sort();
        from_tokens.sort();
        assert_eq!(scanned, from_tokens, "{raw}");
    }

    #[test]
    fn han_bigrams_do_not_cross_punctuation() {
        let mut terms = Vec::new();
        terms_of(&tokens(&fold("行政，复议")), |t| terms.push(t));
        assert!(terms.contains(&"b:行政".to_string()));
        assert!(!terms.contains(&"b:政复".to_string()));
        let mut terms = Vec::new();
        terms_of(&tokens(&fold("司警联调机制")), |t| terms.push(t));
        assert!(terms.contains(&"b:调机".to_string()));
    }
}
