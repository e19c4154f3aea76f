//! Search: builds one language's index from the model (never from HTML).
//!
//! A document is a report in that language, numbered newest first, so a lower number is a newer
//! year (the last tie-break of ranking). Its text is cut into *packs* of whole sections (a few
//! kB each): a query's results download only the packs they show as excerpts. Postings record,
//! per term and document: frequency, which packs hold the term (bit mask), in which fields it
//! occurs (title, summary or heading, body), and the document's department and themes so
//! filters and their counts need nothing else.

use std::collections::HashMap;

use rayon::prelude::*;

use super::tokenize::{Token, fold, stem, tokens};
use crate::model::{Report, Site};

pub const FIELD_TITLE: u8 = 1;
pub const FIELD_HEAD: u8 = 2;
pub const FIELD_BODY: u8 = 4;
/// A pack holds whole sections up to about this many bytes of text.
const PACK_BYTES: usize = 6_000;
/// Packs beyond this share the last mask bit.
const MAX_PACKS_IN_MASK: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub tf: u32,
    pub packs: u32,
    pub fields: u8,
}

/// A section as shown in an excerpt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PackSection {
    pub id: String,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// The report's page, relative to the site root (`zh/2022/justice-bureau/`).
    pub url: String,
    pub year: u16,
    pub department: u32,
    pub themes: u64,
    pub packs: Vec<Vec<PackSection>>,
}

#[derive(Debug, Default)]
pub struct LangIndex {
    pub docs: Vec<Doc>,
    /// Term (`h:法`, `b:复议`, `w:appeal`) → postings in document order.
    pub postings: HashMap<String, Vec<Posting>>,
}

/// Builds the index of `lang`.
pub fn build(site: &Site, lang: &str) -> LangIndex {
    let reports: Vec<&Report> = site
        .entries
        .iter()
        .filter_map(|e| e.translations.get(lang).map(|&i| &site.reports[i]))
        .collect();
    let per_doc: Vec<(Doc, Vec<(String, Posting)>)> = reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| index_report(site, r, i as u32))
        .collect();
    let mut index = LangIndex::default();
    for (doc, terms) in per_doc {
        index.docs.push(doc);
        for (term, posting) in terms {
            index.postings.entry(term).or_default().push(posting);
        }
    }
    index
}

fn index_report(site: &Site, report: &Report, doc: u32) -> (Doc, Vec<(String, Posting)>) {
    let config = &site.config;
    let department = config
        .departments
        .keys()
        .position(|k| *k == report.department)
        .unwrap_or(0) as u32;
    let themes = report
        .themes
        .iter()
        .filter_map(|t| config.themes.keys().position(|k| k == t))
        .filter(|&i| i < 64)
        .fold(0u64, |m, i| m | (1 << i));
    let mut sections = vec![PackSection {
        id: String::new(),
        heading: String::new(),
        text: report.summary.clone(),
    }];
    sections.extend(report.sections.iter().map(|s| PackSection {
        id: s.id.clone(),
        heading: s.heading.clone(),
        text: s.text.clone(),
    }));
    let packs = into_packs(sections);

    let mut stats: HashMap<String, Posting> = HashMap::new();
    let mut add = |text: &str, field: u8, pack: usize| {
        let toks = tokens(&fold(text));
        let bit = 1u32 << pack.min(MAX_PACKS_IN_MASK - 1);
        super::tokenize::terms_of(&toks, |term| {
            let p = stats.entry(term).or_insert(Posting {
                doc,
                tf: 0,
                packs: 0,
                fields: 0,
            });
            p.tf += 1;
            p.packs |= bit;
            p.fields |= field;
        });
    };
    add(&report.title, FIELD_TITLE, 0);
    for (pi, pack) in packs.iter().enumerate() {
        for (si, s) in pack.iter().enumerate() {
            let field = if pi == 0 && si == 0 {
                FIELD_HEAD
            } else {
                FIELD_BODY
            };
            add(&s.heading, FIELD_HEAD, pi);
            add(&s.text, field, pi);
        }
    }
    let mut terms: Vec<(String, Posting)> = stats.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let doc = Doc {
        title: report.title.clone(),
        url: crate::urls::report(&report.lang, report.key.year, &report.key.stem),
        year: report.key.year,
        department,
        themes,
        packs,
    };
    (doc, terms)
}

/// Groups whole sections into packs of about [`PACK_BYTES`]; a longer section is cut at
/// whitespace or, in Chinese text, anywhere between characters.
fn into_packs(sections: Vec<PackSection>) -> Vec<Vec<PackSection>> {
    let mut packs: Vec<Vec<PackSection>> = vec![Vec::new()];
    let mut size = 0;
    for mut s in sections {
        loop {
            let room = PACK_BYTES.saturating_sub(size);
            if s.text.len() + s.heading.len() <= room || (size == 0 && s.text.len() <= PACK_BYTES) {
                size += s.text.len() + s.heading.len();
                packs.last_mut().expect("never empty").push(s);
                break;
            }
            if size > 0 && room < PACK_BYTES / 4 {
                packs.push(Vec::new());
                size = 0;
                continue;
            }
            let cut = cut_point(&s.text, room.max(1));
            let rest = s.text.split_off(cut);
            let tail = PackSection {
                id: s.id.clone(),
                heading: String::new(),
                text: rest,
            };
            packs.last_mut().expect("never empty").push(s);
            packs.push(Vec::new());
            size = 0;
            s = tail;
        }
    }
    packs.retain(|p| !p.is_empty());
    packs
}

fn cut_point(text: &str, max: usize) -> usize {
    let mut cut = max.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[..cut].rfind(['\n', ' ', '。', '；']) {
        Some(i) if i > cut / 2 => i + text[i..].chars().next().map_or(1, char::len_utf8),
        _ if cut == 0 => text.chars().next().map_or(0, char::len_utf8),
        _ => cut,
    }
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
    fn packs_keep_sections_whole_when_they_fit() {
        let s = |t: &str| PackSection {
            id: "a".into(),
            heading: "h".into(),
            text: t.into(),
        };
        let packs = into_packs(vec![s("x"), s("y")]);
        assert_eq!(packs.len(), 1);
        let big = "字".repeat(5_000);
        let packs = into_packs(vec![s("x"), s(&big)]);
        assert!(packs.len() >= 2);
        let joined: String = packs.iter().flatten().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, format!("x{big}"));
    }

    #[test]
    fn query_terms_cover_runs_with_bigrams() {
        let toks = tokens(&fold("2022 行政复议 法 Appeals"));
        assert_eq!(
            query_terms(&toks),
            vec!["w:2022", "b:行政", "b:政复", "b:复议", "h:法", "w:appeal"]
        );
    }
}
