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
use super::doc::{Doc, doc_of};
use super::postings::{FIELD_BODY, FIELD_HEAD, FIELD_TITLE, Occurrence, Postings, Term};
use super::tokenize::{Token, stem};
use crate::model::{Report, Site};

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
    let reports = doc_order(site, lang);
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
            postings[t].push(id, occ, !term.is_char());
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
