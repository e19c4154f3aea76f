//! Search: one language's index kept in memory for the preview and updated one report at a
//! time. The files it gives are exactly those a full build writes (`tests/serve.rs` compares
//! them byte for byte); when an edit would change what a full build numbers or sizes
//! differently (documents added, removed or moved, the bucket count), it says so and the
//! caller rebuilds the language.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::index::{build, index_report};
use super::postings::{Occurrence, Postings, Term};
use super::{
    Compressor, bucket_count, bucket_file, doc_file, fnv1a, postings_base64, term_weight,
    write_lang,
};
use crate::model::{Report, Site};
use crate::output::Output;

/// One term's postings, decoded and encoded.
struct TermState {
    name: String,
    entries: Vec<(u32, Occurrence, u64)>,
    postings: Postings,
    /// The postings as written in the bucket file, kept so an edit re-encodes only its terms.
    base64: String,
}

pub struct LiveIndex {
    dir: String,
    buckets: u32,
    total: usize,
    doc_of: HashMap<PathBuf, u32>,
    terms: FxHashMap<Term, TermState>,
    bucket_terms: Vec<BTreeSet<Term>>,
}

/// Files of the index: path → bytes.
pub type Files = Vec<(String, Vec<u8>)>;

impl LiveIndex {
    /// Builds the language's index; returns it with every file a full build writes.
    pub fn new(site: &Site, lang: &str) -> (LiveIndex, Files) {
        let index = build(site, lang);
        let out = Output::default();
        // Writing to memory cannot fail.
        let _ = write_lang(site, lang, &index, &out);
        let files: Files = out.into_files().into_iter().collect();
        let mut live = LiveIndex {
            dir: format!("{lang}/search"),
            buckets: 1,
            total: 0,
            doc_of: index
                .docs
                .iter()
                .enumerate()
                .map(|(d, doc)| (doc.source.to_path_buf(), d as u32))
                .collect(),
            terms: FxHashMap::default(),
            bucket_terms: Vec::new(),
        };
        for (term, postings) in index.postings {
            let name = term.name();
            live.total += term_weight(&name, &postings);
            let entries = postings.entries(&term);
            let base64 = postings_base64(&postings);
            live.terms.insert(
                term,
                TermState {
                    name,
                    entries,
                    postings,
                    base64,
                },
            );
        }
        live.buckets = bucket_count(live.total);
        live.bucket_terms = vec![BTreeSet::new(); live.buckets as usize];
        for (term, state) in &live.terms {
            live.bucket_terms[(fnv1a(&state.name) % live.buckets) as usize].insert(term.clone());
        }
        (live, files)
    }

    /// Replaces `old` by `new` (the same report file, in the same place in the site: same
    /// key, language, date, department and themes). Returns the files that changed, or `None`
    /// when the language must be rebuilt.
    pub fn replace(&mut self, site: &Site, old: &Report, new: &Report) -> Option<Files> {
        let d = *self.doc_of.get(&new.source_path)?;
        let (_, old_terms) = index_report(site, old);
        let (doc, new_terms) = index_report(site, new);
        let themes = doc.themes;
        let mut changed: FxHashMap<Term, Option<Occurrence>> =
            old_terms.into_iter().map(|(t, _)| (t, None)).collect();
        for (t, occ) in new_terms {
            changed.insert(t, Some(occ));
        }
        // Updated in place: when the bucket count changes the caller rebuilds the language
        // from scratch, so a half-updated state is never used.
        let mut buckets_touched = BTreeSet::new();
        for (term, occ) in changed {
            let state = self.terms.entry(term.clone()).or_insert_with(|| TermState {
                name: term.name(),
                entries: Vec::new(),
                postings: Postings::default(),
                base64: String::new(),
            });
            let at = state.entries.binary_search_by_key(&d, |e| e.0);
            match (at, occ) {
                // Unchanged by the edit: nothing to re-encode, no bucket to rewrite.
                (Ok(i), Some(o)) if state.entries[i] == (d, o, themes) => continue,
                (Ok(i), Some(o)) => state.entries[i] = (d, o, themes),
                (Err(i), Some(o)) => state.entries.insert(i, (d, o, themes)),
                (Ok(i), None) => {
                    state.entries.remove(i);
                }
                (Err(_), None) => continue,
            }
            if !state.postings.bytes.is_empty() {
                self.total -= term_weight(&state.name, &state.postings);
            }
            state.postings = Postings::encode(&term, &state.entries);
            state.base64 = postings_base64(&state.postings);
            let bucket = (fnv1a(&state.name) % self.buckets) as usize;
            buckets_touched.insert(bucket);
            if state.entries.is_empty() {
                self.terms.remove(&term);
                self.bucket_terms[bucket].remove(&term);
            } else {
                self.total += term_weight(&state.name, &state.postings);
                self.bucket_terms[bucket].insert(term);
            }
        }
        if bucket_count(self.total) != self.buckets {
            return None;
        }
        let touched: Vec<usize> = buckets_touched.into_iter().collect();
        let mut files: Files = touched
            .par_iter()
            .map(|&i| {
                let terms = self.bucket_terms[i]
                    .iter()
                    .map(|t| {
                        let s = &self.terms[t];
                        (s.name.as_str(), s.base64.as_str())
                    })
                    .collect();
                bucket_file(&self.dir, i, terms)
            })
            .collect();
        files.push(doc_file(
            &self.dir,
            d as usize,
            &doc,
            &mut Compressor::default(),
        ));
        Some(files)
    }
}
