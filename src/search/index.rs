//! Search: builds one language's index from the model (never from HTML).
//!
//! A document is a report in that language, numbered newest first, so a lower number is a newer
//! year (the last tie-break of ranking). Its text is cut into *packs* of whole sections (a few
//! kB each): a query's results download only the packs they show as excerpts. Postings record,
//! per term and document: frequency, which packs hold the term (bit mask), in which fields it
//! occurs (title, summary or heading, body); `meta.js` lists each document's themes, so
//! filters and their counts need nothing else. Documents are numbered by year and department,
//! so those need no storage at all.

use rayon::prelude::*;

use rustc_hash::FxHashMap;

use super::collect::Counter;
use super::doc::{Doc, PackSection, doc_of};
use super::fingerprint;
use super::postings::{FIELD_BODY, FIELD_HEAD, FIELD_TITLE, Occurrence, Postings, Term};
use super::tokenize::{Token, stem};
use crate::model::{Report, Site};

#[derive(Debug, Default)]
pub struct LangIndex<'a> {
    pub docs: Vec<Doc<'a>>,
    pub postings: FxHashMap<Term, Postings>,
    /// Each document's [`fingerprint`], for the build cache.
    pub fingerprints: Vec<u64>,
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
    let reports = doc_order(site, lang);
    let size = block_size(reports.len());
    let blocks: Vec<Block<'a>> = reports
        .par_chunks(size)
        .enumerate()
        .map(|(b, chunk)| index_block(site, chunk, (b * size) as u32))
        .collect();
    let mut index = LangIndex::default();
    for block in blocks {
        index.docs.extend(block.docs);
        index.fingerprints.extend(block.fingerprints);
        for (term, p) in block.terms.into_iter().zip(block.postings) {
            index.postings.entry(term).or_default().append(p);
        }
    }
    index
}

/// The reports of `lang` in document order: by year (newest first), then department, each
/// group in the site's list order.
pub fn doc_order<'a>(site: &'a Site, lang: &str) -> Vec<&'a Report> {
    let mut reports: Vec<&'a Report> = site
        .entries
        .iter()
        .filter_map(|e| e.translations.get(lang).map(|&i| &*site.reports[i]))
        .collect();
    reports.sort_by(|a, b| {
        (std::cmp::Reverse(a.key.year), &a.department)
            .cmp(&(std::cmp::Reverse(b.key.year), &b.department))
    });
    reports
}

/// Consecutive documents indexed: their terms with postings (the first entry of each counting
/// from document 0, see [`Postings::append`]).
struct Block<'a> {
    docs: Vec<Doc<'a>>,
    fingerprints: Vec<u64>,
    terms: Vec<Term>,
    postings: Vec<Postings>,
}

/// Indexes consecutive documents, numbered from `first`.
fn index_block<'a>(site: &Site, reports: &[&'a Report], first: u32) -> Block<'a> {
    let mut counter = Counter::default();
    let mut postings: Vec<Postings> = Vec::new();
    let mut docs = Vec::with_capacity(reports.len());
    let mut fingerprints = Vec::with_capacity(reports.len());
    for (i, report) in reports.iter().enumerate() {
        let doc = doc_of(site, report);
        count_doc(&mut counter, doc.title, &doc.packs);
        let id = first + i as u32;
        let mut sum = 0u64;
        counter.drain(|t, term, occ| {
            sum = fingerprint::add(sum, term, &occ);
            let t = t as usize;
            if t >= postings.len() {
                postings.resize_with(t + 1, Postings::default);
            }
            postings[t].push(id, occ, !term.is_char());
        });
        docs.push(doc);
        fingerprints.push(sum);
    }
    Block {
        docs,
        fingerprints,
        terms: counter.dictionary.into_terms(),
        postings,
    }
}

/// Counts a document's terms: its title, then its packs, the summary as a heading.
fn count_doc(counter: &mut Counter, title: &str, packs: &[Vec<PackSection<'_>>]) {
    counter.add(title, FIELD_TITLE, 0);
    for (pi, pack) in packs.iter().enumerate() {
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
    let terms = terms_of(doc.title, &doc.packs);
    (doc, terms)
}

/// The terms of a document with this title and these packs, as [`build`] counts them.
pub fn terms_of(title: &str, packs: &[Vec<PackSection<'_>>]) -> Vec<(Term, Occurrence)> {
    let mut counter = Counter::default();
    count_doc(&mut counter, title, packs);
    let mut terms = Vec::new();
    counter.drain(|_, term, occ| terms.push((term.clone(), occ)));
    terms
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
