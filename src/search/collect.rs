//! Search: counts the terms of documents, one document after another. Each document's terms
//! are first counted in small maps that stay in cache; only then is each distinct term given
//! its number in the [`Dictionary`] that the documents of a block share (a lookup in a table
//! too large for the cache, so once per term and document rather than once per occurrence).

use rustc_hash::FxHashMap;

use super::postings::{MAX_PACKS_IN_MASK, Occurrence, Term};
use super::tokenize::{Scanned, Scanner, stem};

/// Han characters of Extension A and the Unified Ideographs (nearly every character of a
/// Chinese report) are numbered through an array.
const DENSE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;
const DENSE_LEN: usize = (*DENSE.end() - *DENSE.start() + 1) as usize;
const UNNUMBERED: u32 = u32::MAX;

fn dense_offset(c: char) -> Option<usize> {
    (c as u32)
        .checked_sub(*DENSE.start())
        .map(|o| o as usize)
        .filter(|&o| o < DENSE_LEN)
}

/// Words of up to 16 bytes (nearly all) are keyed by their bytes in one number: no string
/// hashing or comparing. Words are ASCII letters and digits, never NUL, so zero padding is
/// unambiguous.
fn short_word_key(word: &str) -> Option<u128> {
    // Shifted in byte by byte: copying into a buffer and reading it back as one number makes
    // the processor wait for the copy (a store-forwarding stall), the hottest spot here.
    (word.len() <= 16).then(|| {
        word.bytes()
            .rev()
            .fold(0u128, |key, b| (key << 8) | u128::from(b))
    })
}

fn short_word(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// Dense numbers for terms, in order of first appearance.
#[derive(Debug)]
pub struct Dictionary {
    dense_chars: Vec<u32>,
    han: FxHashMap<u64, u32>,
    short_words: FxHashMap<u128, u32>,
    words: FxHashMap<String, u32>,
    terms: Vec<Term>,
}

impl Default for Dictionary {
    fn default() -> Self {
        Dictionary {
            dense_chars: vec![UNNUMBERED; DENSE_LEN],
            han: FxHashMap::default(),
            short_words: FxHashMap::default(),
            words: FxHashMap::default(),
            terms: Vec::new(),
        }
    }
}

impl Dictionary {
    pub fn into_terms(self) -> Vec<Term> {
        self.terms
    }

    /// The number of character `c`, at `offset` in the dense range.
    fn dense_char(&mut self, offset: usize, c: char) -> u32 {
        let slot = &mut self.dense_chars[offset];
        if *slot == UNNUMBERED {
            *slot = self.terms.len() as u32;
            self.terms.push(Term::Han(Term::char_key(c)));
        }
        *slot
    }

    fn han(&mut self, key: u64) -> u32 {
        number(&mut self.han, &mut self.terms, key, |&k| Term::Han(k))
    }

    fn short_word(&mut self, key: u128) -> u32 {
        number(&mut self.short_words, &mut self.terms, key, |&k| {
            Term::Word(short_word(k))
        })
    }

    fn word(&mut self, word: String) -> u32 {
        number(&mut self.words, &mut self.terms, word, |w| {
            Term::Word(w.clone())
        })
    }
}

/// The number of `key` in `numbers`; a new key gets the next number and its term is added.
fn number<K: std::hash::Hash + Eq>(
    numbers: &mut FxHashMap<K, u32>,
    terms: &mut Vec<Term>,
    key: K,
    term: impl FnOnce(&K) -> Term,
) -> u32 {
    let next = terms.len() as u32;
    *numbers.entry(key).or_insert_with_key(|k| {
        terms.push(term(k));
        next
    })
}

/// The term counts of the document being read.
#[derive(Debug)]
pub struct Counter {
    pub dictionary: Dictionary,
    scanner: Scanner,
    /// The document being read, counting from 1.
    document: u32,
    /// By dense character: the last document it was seen in. A single character's postings
    /// only list documents, so this is all they need.
    dense_seen: Vec<u32>,
    /// Numbers of the dense characters seen in this document.
    chars: Vec<u32>,
    /// This document's bigrams and other Han characters, and words, by key.
    han: FxHashMap<u64, Occurrence>,
    short_words: FxHashMap<u128, Occurrence>,
    words: FxHashMap<String, Occurrence>,
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            dictionary: Dictionary::default(),
            scanner: Scanner::default(),
            document: 1,
            dense_seen: vec![0; DENSE_LEN],
            chars: Vec::new(),
            han: FxHashMap::default(),
            short_words: FxHashMap::default(),
            words: FxHashMap::default(),
        }
    }
}

fn bump(o: &mut Occurrence, bit: u32, field: u8) {
    o.tf += 1;
    o.packs |= bit;
    o.fields |= field;
}

impl Counter {
    /// Counts the terms of `text`, found in `field` of the document, in pack `pack`.
    pub fn add(&mut self, text: &str, field: u8, pack: usize) {
        let bit = 1u32 << pack.min(MAX_PACKS_IN_MASK - 1);
        let mut scanner = std::mem::take(&mut self.scanner);
        scanner.scan(text, |s| match s {
            Scanned::Han(c, prev) => {
                match dense_offset(c) {
                    Some(o) if self.dense_seen[o] == self.document => {}
                    Some(o) => {
                        self.dense_seen[o] = self.document;
                        let id = self.dictionary.dense_char(o, c);
                        self.chars.push(id);
                    }
                    // Listed, not counted: single characters have no counts.
                    None => {
                        self.han.entry(Term::char_key(c)).or_default();
                    }
                }
                if let Some(p) = prev {
                    let key = Term::bigram_key(p, c);
                    bump(self.han.entry(key).or_default(), bit, field);
                }
            }
            Scanned::Word(w) => {
                let stemmed = stem(w);
                let o = match short_word_key(&stemmed) {
                    Some(key) => self.short_words.entry(key).or_default(),
                    None => self.words.entry(stemmed.into_owned()).or_default(),
                };
                bump(o, bit, field);
            }
        });
        self.scanner = scanner;
    }

    /// Gives every term of the document with its counts (none for single characters), and
    /// starts the next document.
    pub fn drain(&mut self, mut each: impl FnMut(u32, &Term, Occurrence)) {
        let dictionary = &mut self.dictionary;
        for &id in &self.chars {
            each(id, &dictionary.terms[id as usize], Occurrence::default());
        }
        for (&key, &occ) in &self.han {
            let id = dictionary.han(key);
            each(id, &dictionary.terms[id as usize], occ);
        }
        for (&key, &occ) in &self.short_words {
            let id = dictionary.short_word(key);
            each(id, &dictionary.terms[id as usize], occ);
        }
        for (word, occ) in self.words.drain() {
            let id = dictionary.word(word);
            each(id, &dictionary.terms[id as usize], occ);
        }
        self.chars.clear();
        self.han.clear();
        self.short_words.clear();
        self.document += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::postings::{FIELD_BODY, FIELD_TITLE};

    fn counted(counter: &mut Counter) -> Vec<(String, Occurrence)> {
        let mut out = Vec::new();
        counter.drain(|_, t, o| out.push((t.name(), o)));
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn counts_characters_bigrams_and_stemmed_words_per_document() {
        let mut counter = Counter::default();
        counter.add("复议复议 Appeals", FIELD_TITLE, 0);
        counter.add("appeal 𠀀𠀁", FIELD_BODY, 2);
        let got = counted(&mut counter);
        let occ = |name: &str| got.iter().find(|(n, _)| n == name).map(|(_, o)| *o);
        assert_eq!(
            occ("b:复议"),
            Some(Occurrence {
                tf: 2,
                packs: 1,
                fields: FIELD_TITLE
            })
        );
        assert_eq!(occ("b:议复").map(|o| o.tf), Some(1));
        // Single characters only list documents.
        assert_eq!(occ("h:复"), Some(Occurrence::default()));
        assert_eq!(
            occ("w:appeal"),
            Some(Occurrence {
                tf: 2,
                packs: 0b101,
                fields: FIELD_TITLE | FIELD_BODY
            })
        );
        assert_eq!(occ("b:𠀀𠀁").map(|o| o.tf), Some(1));
        assert_eq!(occ("h:𠀁"), Some(Occurrence::default()));

        // The next document starts from nothing but keeps the numbers.
        let before = counter.dictionary.terms.len();
        counter.add("复议", FIELD_BODY, 0);
        let got = counted(&mut counter);
        assert_eq!(got.len(), 3);
        let bigram = got.iter().find(|(n, _)| n == "b:复议").map(|(_, o)| *o);
        assert_eq!(bigram.map(|o| (o.tf, o.fields)), Some((1, FIELD_BODY)));
        assert_eq!(counter.dictionary.terms.len(), before);
    }
}
