//! Search: one language's index carried from one build to the next (the build cache,
//! `src/cache/`). [`IndexState`] is the little the cache keeps of it: the documents in order
//! with their sources' SHA-256, the files' tags, `meta.js` without them, and which buckets each
//! document's terms fall in. After an edit of one report, [`IndexState::update`] resumes a
//! [`LiveIndex`] holding only the buckets that report's terms fall in, before and after the
//! edit, read back from the output, and lets it replace the report as the preview does: the
//! files it gives are those a full build writes (`tests/build_cache.rs` compares them), and the
//! other reports' texts are never read.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::buckets::{bucket_count, postings_of, term_weight};
use super::index::{LangIndex, build, doc_order, index_report};
use super::live::{Changes, LiveIndex, TermState};
use super::postings::{Postings, Term};
use super::texts::packs_per_file;
use super::{SCRIPT_END, SearchStats, Tags, fnv1a, meta, names, script_start, write_lang_tagged};
use crate::model::Site;
use crate::output::{OutputError, Sink};

/// What the build cache keeps of one language's index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexState {
    /// Each document's report file and the SHA-256 of its bytes, in document order.
    docs: Vec<(PathBuf, String)>,
    /// The weight of every term (sets the bucket count).
    total: usize,
    tags: Tags,
    /// `meta.js` without the tags, as JSON.
    meta_base: String,
    themes: Vec<u64>,
    /// Each document's department, as numbered in `meta.js`.
    departments: Vec<u32>,
    /// Per document, a bit per bucket its terms fall in.
    doc_buckets: Vec<Vec<u64>>,
}

/// Writes `lang`'s index from scratch, as [`super::write_lang`] does, and returns its state.
pub fn write_lang_state(
    site: &Site,
    lang: &str,
    sink: &dyn Sink,
) -> Result<(SearchStats, IndexState), OutputError> {
    let index = build(site, lang);
    let (stats, tags) = write_lang_tagged(site, lang, &index, sink)?;
    Ok((stats, IndexState::of(site, lang, &index, tags)))
}

impl IndexState {
    /// Whether every tag is one the index could have written, and each document has its
    /// facts: a state read from a cache names files to read with them.
    pub fn is_sane(&self) -> bool {
        let tags = &self.tags;
        let n = self.docs.len();
        (tags.buckets.iter().chain(&tags.folders)).all(|t| names::is_tag(t))
            && [tags.docs.len(), tags.packs.len(), self.themes.len()]
                .iter()
                .all(|&l| l == n)
            && self.departments.len() == n
            && self.doc_buckets.len() == n
    }

    fn of(site: &Site, lang: &str, index: &LangIndex<'_>, tags: Tags) -> IndexState {
        let total: usize = (index.postings.iter())
            .map(|(t, p)| term_weight(&t.name(), p))
            .sum();
        let buckets = bucket_count(total);
        let docs = doc_order(site, lang)
            .iter()
            .map(|r| (r.source_path.clone(), r.source_sha256.clone()))
            .collect();
        IndexState {
            docs,
            total,
            tags,
            meta_base: meta(site, lang, index, buckets).to_string(),
            themes: index.docs.iter().map(|d| d.themes).collect(),
            departments: index.docs.iter().map(|d| d.department).collect(),
            doc_buckets: doc_buckets(index, buckets),
        }
    }

    /// The files that update `lang`'s index, as a full build would write it now, when one
    /// report changed in its place (the same documents in the same order, its department and
    /// themes unchanged, as the preview requires; and the bucket count unchanged); with the
    /// new state. `read` gives a file of the output as the last build
    /// wrote it. `None`: index the language from scratch.
    pub fn update(
        &self,
        site: &Site,
        lang: &str,
        read: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    ) -> Option<(Changes, IndexState)> {
        let order = doc_order(site, lang);
        if order.len() != self.docs.len() {
            return None;
        }
        let mut edited = Vec::new();
        for (d, (report, (path, sha))) in order.iter().zip(&self.docs).enumerate() {
            if report.source_path.as_os_str() != path.as_os_str() {
                return None;
            }
            if report.source_sha256 != *sha {
                edited.push(d);
            }
        }
        let [d] = edited[..] else { return None };
        let report = order[d];
        let buckets = bucket_count(self.total);
        let (doc, new_terms) = index_report(site, report);
        if doc.department != self.departments[d] || doc.themes != self.themes[d] {
            return None;
        }
        let new_buckets: BTreeSet<usize> = (new_terms.iter())
            .map(|(t, _)| (fnv1a(&t.name()) % buckets) as usize)
            .collect();
        let mut load = bits_set(&self.doc_buckets[d]);
        load.extend(&new_buckets);
        let dir = format!("{lang}/search");
        let loaded: Vec<(usize, Vec<(Term, TermState)>)> = (load.par_iter())
            .map(|&i| {
                let tag = self.tags.buckets.get(i)?;
                let bytes = read(&names::bucket_path(&dir, i, tag))?;
                Some((i, parse_bucket(&bytes, i, &dir, read)?))
            })
            .collect::<Option<_>>()?;
        let mut live = LiveIndex {
            dir,
            buckets,
            total: self.total,
            doc_of: HashMap::new(),
            terms: Default::default(),
            bucket_terms: vec![BTreeSet::new(); buckets as usize],
            meta_base: serde_json::from_str(&self.meta_base).ok()?,
            themes: self.themes.clone(),
            per_file: packs_per_file(self.docs.len()),
            tags: self.tags.clone(),
        };
        for (i, terms) in loaded {
            for (term, state) in terms {
                live.bucket_terms[i].insert(term.clone());
                live.terms.insert(term, state);
            }
        }
        let number = d as u32;
        let old_terms: Vec<Term> = (live.terms.iter())
            .filter(|(t, s)| s.postings.has_doc(t, number))
            .map(|(t, _)| t.clone())
            .collect();
        let changes = live.apply(site, number, old_terms.into_iter(), report)?;
        let mut state = self.clone();
        state.docs[d].1 = report.source_sha256.clone();
        state.total = live.total;
        state.tags = live.tags;
        state.themes = live.themes;
        state.meta_base = live.meta_base.to_string();
        state.doc_buckets[d] = bits_of(&new_buckets, buckets);
        Some((changes, state))
    }
}

/// Per document, the buckets its terms fall in: the postings decoded once, in as many parts as
/// there are threads.
fn doc_buckets(index: &LangIndex<'_>, buckets: u32) -> Vec<Vec<u64>> {
    let words = (buckets as usize).div_ceil(64);
    let empty = || vec![vec![0u64; words]; index.docs.len()];
    let terms: Vec<(&Term, &Postings)> = index.postings.iter().collect();
    let part = terms.len().div_ceil(rayon::current_num_threads()).max(1);
    (terms.par_chunks(part))
        .map(|chunk| {
            let mut bits = empty();
            for (term, postings) in chunk {
                let b = (fnv1a(&term.name()) % buckets) as usize;
                for d in postings.doc_ids(term) {
                    bits[d as usize][b / 64] |= 1 << (b % 64);
                }
            }
            bits
        })
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                for (u, v) in x.iter_mut().zip(y) {
                    *u |= v;
                }
            }
            a
        })
}

fn bits_set(bits: &[u64]) -> BTreeSet<usize> {
    (0..bits.len() * 64)
        .filter(|&b| bits[b / 64] & (1 << (b % 64)) != 0)
        .collect()
}

fn bits_of(set: &BTreeSet<usize>, buckets: u32) -> Vec<u64> {
    let mut bits = vec![0u64; (buckets as usize).div_ceil(64)];
    for &b in set {
        bits[b / 64] |= 1 << (b % 64);
    }
    bits
}

/// The terms of bucket file `i` as written by [`super::buckets::bucket_file`], decoded (the
/// postings of a term with a file of its own read with `read`).
fn parse_bucket(
    bytes: &[u8],
    i: usize,
    dir: &str,
    read: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
) -> Option<Vec<(Term, TermState)>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body =
        (text.strip_prefix(&script_start(&format!("t/{i}"), 0)))?.strip_suffix(SCRIPT_END)?;
    let terms: BTreeMap<String, String> = serde_json::from_str(body).ok()?;
    terms
        .into_iter()
        .map(|(name, entry)| {
            let term = Term::parse(&name)?;
            let bytes = postings_of(&name, &entry, dir, read)?;
            let state = TermState {
                name,
                entries: Vec::new(),
                decoded: false,
                postings: Postings::read_only(bytes),
                entry,
            };
            Some((term, state))
        })
        .collect()
}
