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

use super::tokenize::{Token, fold, scan, stem};
use crate::model::{Report, Site};

pub const FIELD_TITLE: u8 = 1;
pub const FIELD_HEAD: u8 = 2;
pub const FIELD_BODY: u8 = 4;
/// A pack holds whole sections up to about this many bytes of text.
const PACK_BYTES: usize = 4_000;
/// Packs beyond this share the last mask bit.
const MAX_PACKS_IN_MASK: usize = 32;

/// How a term occurs in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Occurrence {
    pub tf: u32,
    pub packs: u32,
    pub fields: u8,
}

/// (Part of) a section as shown in an excerpt, borrowed from the report.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PackSection<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// The report's file, which names the document across edits (preview).
    pub source: &'a std::path::Path,
    pub title: &'a str,
    /// The report's page, relative to the site root (`zh/2022/justice-bureau/`).
    pub url: String,
    pub year: u16,
    pub department: u32,
    pub themes: u64,
    pub packs: Vec<Vec<PackSection<'a>>>,
}

/// A term: a Han character, a Han bigram (both packed into a number), or a stemmed word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Han(u64),
    Word(String),
}

const BIGRAM: u64 = 1 << 42;

impl Term {
    fn bigram(a: char, b: char) -> Term {
        Term::Han(BIGRAM | (u64::from(a) << 21) | u64::from(b))
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
        let (mut v, mut shift) = (0u64, 0);
        for &b in &self.bytes {
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                values.push(v);
                (v, shift) = (0, 0);
            } else {
                shift += 7;
            }
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

/// Documents are indexed in parallel in chunks and merged in order, so memory holds one chunk
/// of per-document term lists at a time.
const CHUNK: usize = 512;

/// Builds the index of `lang`. Documents are numbered by year (newest first), then department,
/// so the script can tell both from a document's number.
pub fn build<'a>(site: &'a Site, lang: &str) -> LangIndex<'a> {
    let mut reports: Vec<&'a Report> = site
        .entries
        .iter()
        .filter_map(|e| e.translations.get(lang).map(|&i| &site.reports[i]))
        .collect();
    reports.sort_by(|a, b| {
        (std::cmp::Reverse(a.key.year), &a.department)
            .cmp(&(std::cmp::Reverse(b.key.year), &b.department))
    });
    let mut index = LangIndex::default();
    for (c, chunk) in reports.chunks(CHUNK).enumerate() {
        let indexed: Vec<(Doc<'a>, Vec<(Term, Occurrence)>)> =
            chunk.par_iter().map(|r| index_report(site, r)).collect();
        for (i, (doc, terms)) in indexed.into_iter().enumerate() {
            let id = (c * CHUNK + i) as u32;
            for (term, occ) in terms {
                let full = !term.is_char();
                index
                    .postings
                    .entry(term)
                    .or_default()
                    .push(id, occ, doc.themes, full);
            }
            index.docs.push(doc);
        }
    }
    index
}

pub fn index_report<'a>(site: &Site, report: &'a Report) -> (Doc<'a>, Vec<(Term, Occurrence)>) {
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
        id: "",
        heading: "",
        text: &report.summary,
    }];
    sections.extend(report.sections.iter().map(|s| PackSection {
        id: &s.id,
        heading: &s.heading,
        text: &s.text,
    }));
    let packs = into_packs(sections);

    let mut han: FxHashMap<u64, Occurrence> = FxHashMap::default();
    let mut words: FxHashMap<String, Occurrence> = FxHashMap::default();
    let mut add = |text: &str, field: u8, pack: usize| {
        let bit = 1u32 << pack.min(MAX_PACKS_IN_MASK - 1);
        let bump = |o: &mut Occurrence| {
            o.tf += 1;
            o.packs |= bit;
            o.fields |= field;
        };
        let folded = fold(text);
        scan(
            &folded,
            |c, prev| {
                bump(han.entry(u64::from(c)).or_default());
                if let Some(p) = prev {
                    let Term::Han(k) = Term::bigram(p, c) else {
                        unreachable!()
                    };
                    bump(han.entry(k).or_default());
                }
            },
            |w| {
                let stemmed = stem(w);
                match words.get_mut(stemmed.as_ref()) {
                    Some(o) => bump(o),
                    None => bump(words.entry(stemmed.into_owned()).or_default()),
                }
            },
        );
    };
    add(&report.title, FIELD_TITLE, 0);
    for (pi, pack) in packs.iter().enumerate() {
        for (si, s) in pack.iter().enumerate() {
            let field = if pi == 0 && si == 0 {
                FIELD_HEAD
            } else {
                FIELD_BODY
            };
            add(s.heading, FIELD_HEAD, pi);
            add(s.text, field, pi);
        }
    }
    let mut terms: Vec<(Term, Occurrence)> =
        han.into_iter().map(|(k, o)| (Term::Han(k), o)).collect();
    terms.extend(words.into_iter().map(|(w, o)| (Term::Word(w), o)));
    let doc = Doc {
        source: &report.source_path,
        title: &report.title,
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
fn into_packs(sections: Vec<PackSection<'_>>) -> Vec<Vec<PackSection<'_>>> {
    let mut packs: Vec<Vec<PackSection<'_>>> = vec![Vec::new()];
    let mut size = 0;
    for mut s in sections {
        // `s` is cut in place when it does not fit.
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
            let cut = cut_point(s.text, room.max(1));
            let (head, rest) = s.text.split_at(cut);
            let tail = PackSection {
                id: s.id,
                heading: "",
                text: rest,
            };
            packs
                .last_mut()
                .expect("never empty")
                .push(PackSection { text: head, ..s });
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
        fn s(text: &str) -> PackSection<'_> {
            PackSection {
                id: "a",
                heading: "h",
                text,
            }
        }
        let packs = into_packs(vec![s("x"), s("y")]);
        assert_eq!(packs.len(), 1);
        let big = "字".repeat(5_000);
        let packs = into_packs(vec![s("x"), s(big.as_str())]);
        assert!(packs.len() >= 2);
        let joined: String = packs.iter().flatten().map(|p| p.text).collect();
        assert_eq!(joined, format!("x{big}"));
    }

    #[test]
    fn query_terms_cover_runs_with_bigrams() {
        let toks = super::super::tokenize::tokens(&fold("2022 行政复议 法 Appeals"));
        assert_eq!(
            query_terms(&toks),
            vec!["w:2022", "b:行政", "b:政复", "b:复议", "h:法", "w:appeal"]
        );
    }
}
