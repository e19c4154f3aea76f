//! Search: counts the terms of documents, one document after another. The documents of a block
//! share one [`Dictionary`] that numbers their terms densely, so counting a term is an array
//! update; a document's counts are then drained term by term into the block's postings.

use rustc_hash::FxHashMap;

use super::index::{MAX_PACKS_IN_MASK, Occurrence, Term};
use super::tokenize::{Scanned, scan, stem};

/// Han characters of Extension A and the Unified Ideographs (nearly every character of a
/// Chinese report) are numbered through an array; other terms through hash maps.
const DENSE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;
const UNNUMBERED: u32 = u32::MAX;

/// Dense numbers for terms, in order of first appearance.
#[derive(Debug)]
pub struct Dictionary {
    dense_chars: Vec<u32>,
    han: FxHashMap<u64, u32>,
    words: FxHashMap<Box<str>, u32>,
    terms: Vec<Term>,
}

impl Default for Dictionary {
    fn default() -> Self {
        Dictionary {
            dense_chars: vec![UNNUMBERED; DENSE.clone().count()],
            han: FxHashMap::default(),
            words: FxHashMap::default(),
            terms: Vec::new(),
        }
    }
}

impl Dictionary {
    pub fn into_terms(self) -> Vec<Term> {
        self.terms
    }

    fn char(&mut self, c: char) -> u32 {
        let Some(slot) = (c as u32)
            .checked_sub(*DENSE.start())
            .and_then(|i| self.dense_chars.get_mut(i as usize))
        else {
            return self.han_key(Term::char_key(c));
        };
        if *slot == UNNUMBERED {
            *slot = self.terms.len() as u32;
            self.terms.push(Term::Han(Term::char_key(c)));
        }
        *slot
    }

    fn han_key(&mut self, key: u64) -> u32 {
        let next = self.terms.len() as u32;
        let id = *self.han.entry(key).or_insert(next);
        if id == next {
            self.terms.push(Term::Han(key));
        }
        id
    }

    fn word(&mut self, stemmed: &str) -> u32 {
        if let Some(&id) = self.words.get(stemmed) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.words.insert(stemmed.into(), id);
        self.terms.push(Term::Word(stemmed.to_string()));
        id
    }
}

/// The term counts of the document being read.
#[derive(Debug, Default)]
pub struct Counter {
    pub dictionary: Dictionary,
    /// By term number; all empty between documents.
    counts: Vec<Occurrence>,
    /// Terms counted in this document, in order of first appearance.
    seen: Vec<u32>,
}

impl Counter {
    /// Counts the terms of `text`, found in `field` of the document, in pack `pack`.
    pub fn add(&mut self, text: &str, field: u8, pack: usize) {
        let bit = 1u32 << pack.min(MAX_PACKS_IN_MASK - 1);
        scan(text, |s| match s {
            Scanned::Han(c, prev) => {
                let id = self.dictionary.char(c);
                self.bump(id, bit, field);
                if let Some(p) = prev {
                    let id = self.dictionary.han_key(Term::bigram_key(p, c));
                    self.bump(id, bit, field);
                }
            }
            Scanned::Word(w) => {
                let id = self.dictionary.word(&stem(w));
                self.bump(id, bit, field);
            }
        });
    }

    fn bump(&mut self, id: u32, bit: u32, field: u8) {
        let i = id as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1, Occurrence::default());
        }
        let o = &mut self.counts[i];
        if o.tf == 0 {
            self.seen.push(id);
        }
        o.tf += 1;
        o.packs |= bit;
        o.fields |= field;
    }

    /// Gives every term of the document with its counts, and starts the next document.
    pub fn drain(&mut self, mut each: impl FnMut(u32, &Term, Occurrence)) {
        for &id in &self.seen {
            let occ = std::mem::take(&mut self.counts[id as usize]);
            each(id, &self.dictionary.terms[id as usize], occ);
        }
        self.seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{FIELD_BODY, FIELD_TITLE};

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
        assert_eq!(occ("h:复").map(|o| o.tf), Some(2));
        assert_eq!(
            occ("w:appeal"),
            Some(Occurrence {
                tf: 2,
                packs: 0b101,
                fields: FIELD_TITLE | FIELD_BODY
            })
        );
        assert_eq!(occ("b:𠀀𠀁").map(|o| o.tf), Some(1));
        assert_eq!(occ("h:𠀁").map(|o| o.tf), Some(1));

        // The next document starts from nothing but keeps the numbers.
        let before = counter.dictionary.terms.len();
        counter.add("复议", FIELD_BODY, 0);
        let got = counted(&mut counter);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(_, o)| o.tf == 1 && o.fields == FIELD_BODY));
        assert_eq!(counter.dictionary.terms.len(), before);
    }
}
