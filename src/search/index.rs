//! Search: builds one language's index from the model (never from HTML).
//!
//! A document is a report in that language, numbered newest first, so a lower number is a newer
//! year (the last tie-break of ranking). Its text is cut into *packs* of whole sections (a few
//! kB each): a query's results download only the packs they show as excerpts. Postings record,
//! per term and document: frequency, which packs hold the term (bit mask), in which fields it
//! occurs (title, summary or heading, body), and the document's department and themes so
//! filters and their counts need nothing else. Documents are numbered by year and department,
//! so those need no storage at all.

use rayon::prelude::*;

use rustc_hash::FxHashMap;

use super::collect::Counter;
use super::doc::{Doc, doc_of};
use super::tokenize::{Token, stem};
use crate::model::{Report, Site};

pub const FIELD_TITLE: u8 = 1;
pub const FIELD_HEAD: u8 = 2;
pub const FIELD_BODY: u8 = 4;
/// Packs beyond this share the last mask bit.
pub const MAX_PACKS_IN_MASK: usize = 32;

/// How a term occurs in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Occurrence {
    pub tf: u32,
    pub packs: u32,
    pub fields: u8,
}

/// A term: a Han character, a Han bigram (both packed into a number), or a stemmed word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Han(u64),
    Word(String),
}

const BIGRAM: u64 = 1 << 42;

impl Term {
    pub fn char_key(c: char) -> u64 {
        u64::from(c)
    }
    pub fn bigram_key(a: char, b: char) -> u64 {
        BIGRAM | (u64::from(a) << 21) | u64::from(b)
    }
    fn bigram(a: char, b: char) -> Term {
        Term::Han(Term::bigram_key(a, b))
    }
    /// The term a name stands for (`b:复议` → the bigram), the inverse of [`Term::name`].
    pub fn parse(name: &str) -> Option<Term> {
        let (kind, rest) = name.split_once(':')?;
        let mut chars = rest.chars();
        match (kind, chars.next(), chars.next(), chars.next()) {
            ("h", Some(c), None, _) => Some(Term::Han(u64::from(c))),
            ("b", Some(a), Some(b), None) => Some(Term::bigram(a, b)),
            ("w", _, _, _) => Some(Term::Word(rest.to_string())),
            _ => None,
        }
    }

    /// The name the browser script asks for: `h:法`, `b:复议`, `w:appeal`.
    pub fn name(&self) -> String {
        let ch = |v: u64| char::from_u32((v & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
        match self {
            Term::Han(k) if k & BIGRAM != 0 => format!("b:{}{}", ch(k >> 21), ch(*k)),
            Term::Han(k) => format!("h:{}", ch(*k)),
            Term::Word(w) => format!("w:{w}"),
        }
    }
    pub fn is_char(&self) -> bool {
        matches!(self, Term::Han(k) if k & BIGRAM == 0)
    }
}

/// One term's postings, encoded as they are added (LEB128 varints, documents in order):
/// for a single Han character `doc delta, themes`; for other terms
/// `doc delta, tf << 3 | fields, pack mask, themes`.
#[derive(Debug, Default, Clone)]
pub struct Postings {
    last: Option<u32>,
    pub bytes: Vec<u8>,
}

impl Postings {
    /// Encodes postings given in document order, exactly as [`build`] encodes them.
    pub fn encode(term: &Term, entries: &[(u32, Occurrence, u64)]) -> Postings {
        let mut p = Postings::default();
        for (doc, occ, themes) in entries {
            p.push(*doc, *occ, *themes, !term.is_char());
        }
        p
    }

    /// Every entry: document, occurrence (tf, packs and fields; empty for single characters)
    /// and theme mask.
    pub fn entries(&self, term: &Term) -> Vec<(u32, Occurrence, u64)> {
        let full = !term.is_char();
        let mut values = Vec::new();
        let mut rest = &self.bytes[..];
        while let Some((v, len)) = read_varint(rest) {
            values.push(v);
            rest = &rest[len..];
        }
        let mut doc = 0u32;
        values
            .chunks(if full { 4 } else { 2 })
            .map(|c| {
                doc += c[0] as u32;
                let occ = if full {
                    Occurrence {
                        tf: (c[1] >> 3) as u32,
                        fields: (c[1] & 7) as u8,
                        packs: c[2] as u32,
                    }
                } else {
                    Occurrence::default()
                };
                (doc, occ, c[c.len() - 1])
            })
            .collect()
    }

    /// The documents listed, decoded (for tests and tools; the browser decodes its own).
    pub fn doc_ids(&self, term: &Term) -> Vec<u32> {
        self.entries(term)
            .into_iter()
            .map(|(doc, _, _)| doc)
            .collect()
    }

    /// Appends postings of later documents whose first entry counts from document 0, as a
    /// block's postings do: that entry is re-encoded to count from our last document.
    pub fn append(&mut self, later: Postings) {
        let Some(last) = self.last else {
            *self = later;
            return;
        };
        let (Some(later_last), Some((first, first_len))) = (later.last, read_varint(&later.bytes))
        else {
            return;
        };
        varint(&mut self.bytes, first - u64::from(last));
        self.bytes.extend_from_slice(&later.bytes[first_len..]);
        self.last = Some(later_last);
    }

    fn push(&mut self, doc: u32, occ: Occurrence, themes: u64, full: bool) {
        let delta = doc - self.last.unwrap_or(0);
        self.last = Some(doc);
        varint(&mut self.bytes, u64::from(delta));
        if full {
            varint(
                &mut self.bytes,
                (u64::from(occ.tf) << 3) | u64::from(occ.fields),
            );
            varint(&mut self.bytes, u64::from(occ.packs));
        }
        varint(&mut self.bytes, themes);
    }
}

/// The first LEB128 varint of `bytes` and its length in bytes; `None` when `bytes` holds no
/// whole varint.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let len = bytes.iter().position(|b| b & 0x80 == 0)? + 1;
    let v = bytes[..len]
        .iter()
        .rev()
        .fold(0u64, |v, b| (v << 7) | u64::from(b & 0x7f));
    Some((v, len))
}

pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[derive(Debug, Default)]
pub struct LangIndex<'a> {
    pub docs: Vec<Doc<'a>>,
    pub postings: FxHashMap<Term, Postings>,
}

/// Documents per block: blocks are indexed in parallel, each with its own dictionary, and
/// their postings concatenated. Enough blocks to keep every core busy, few enough that each
/// dictionary is filled once and reused for many documents.
fn block_size(docs: usize) -> usize {
    (docs / (4 * rayon::current_num_threads())).clamp(64, 4096)
}

/// Builds the index of `lang`. Documents are numbered by year (newest first), then department,
/// so the script can tell both from a document's number.
pub fn build<'a>(site: &'a Site, lang: &str) -> LangIndex<'a> {
    let mut reports: Vec<&'a Report> = site
        .entries
        .iter()
        .filter_map(|e| e.translations.get(lang).map(|&i| &*site.reports[i]))
        .collect();
    reports.sort_by(|a, b| {
        (std::cmp::Reverse(a.key.year), &a.department)
            .cmp(&(std::cmp::Reverse(b.key.year), &b.department))
    });
    let size = block_size(reports.len());
    let blocks: Vec<(Vec<Doc<'a>>, Vec<Term>, Vec<Postings>)> = reports
        .par_chunks(size)
        .enumerate()
        .map(|(b, chunk)| index_block(site, chunk, (b * size) as u32))
        .collect();
    let mut index = LangIndex::default();
    for (docs, terms, postings) in blocks {
        index.docs.extend(docs);
        for (term, p) in terms.into_iter().zip(postings) {
            index.postings.entry(term).or_default().append(p);
        }
    }
    index
}

/// Indexes consecutive documents, numbered from `first`: their documents, and their terms
/// with postings (the first entry of each counting from document 0, see [`Postings::append`]).
fn index_block<'a>(
    site: &Site,
    reports: &[&'a Report],
    first: u32,
) -> (Vec<Doc<'a>>, Vec<Term>, Vec<Postings>) {
    let mut counter = Counter::default();
    let mut postings: Vec<Postings> = Vec::new();
    let mut docs = Vec::with_capacity(reports.len());
    for (i, report) in reports.iter().enumerate() {
        let doc = doc_of(site, report);
        count_report(&mut counter, report, &doc);
        let id = first + i as u32;
        counter.drain(|t, term, occ| {
            let t = t as usize;
            if t >= postings.len() {
                postings.resize_with(t + 1, Postings::default);
            }
            postings[t].push(id, occ, doc.themes, !term.is_char());
        });
        docs.push(doc);
    }
    (docs, counter.dictionary.into_terms(), postings)
}

/// Counts a report's terms: its title, then its packs, the summary as a heading.
fn count_report(counter: &mut Counter, report: &Report, doc: &Doc<'_>) {
    counter.add(&report.title, FIELD_TITLE, 0);
    for (pi, pack) in doc.packs.iter().enumerate() {
        for (si, s) in pack.iter().enumerate() {
            let field = if pi == 0 && si == 0 {
                FIELD_HEAD
            } else {
                FIELD_BODY
            };
            counter.add(s.heading, FIELD_HEAD, pi);
            counter.add(s.text, field, pi);
        }
    }
}

/// One report's document and terms, as [`build`] counts them (for the preview's updates).
pub fn index_report<'a>(site: &Site, report: &'a Report) -> (Doc<'a>, Vec<(Term, Occurrence)>) {
    let doc = doc_of(site, report);
    let mut counter = Counter::default();
    count_report(&mut counter, report, &doc);
    let mut terms = Vec::new();
    counter.drain(|_, term, occ| terms.push((term.clone(), occ)));
    (doc, terms)
}

/// The terms a query phrase (already folded and tokenized) needs: Han runs of two or more
/// characters as bigrams, a lone Han character as itself, words stemmed.
pub fn query_terms(toks: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Token::Han(c) => {
                let mut run = vec![*c];
                while let Some(Token::Han(d)) = toks.get(i + run.len()) {
                    run.push(*d);
                }
                if run.len() == 1 {
                    out.push(format!("h:{c}"));
                } else {
                    out.extend(run.windows(2).map(|w| format!("b:{}{}", w[0], w[1])));
                }
                i += run.len();
            }
            Token::Word(w) => {
                out.push(format!("w:{}", stem(w)));
                i += 1;
            }
            Token::Break => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_terms_cover_runs_with_bigrams() {
        let toks = crate::search::tokenize::tokens(&crate::search::tokenize::fold(
            "2022 行政复议 法 Appeals",
        ));
        assert_eq!(
            query_terms(&toks),
            vec!["w:2022", "b:行政", "b:政复", "b:复议", "h:法", "w:appeal"]
        );
    }
}
