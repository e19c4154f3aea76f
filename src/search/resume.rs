//! Search: one language's index carried from one build to the next (the build cache,
//! `src/cache/`). [`IndexState`] is the little the cache keeps of it: the documents in order
//! with their sources' SHA-256, the files' tags, `meta.js` without them, and a fingerprint of
//! each document's terms. After an edit of one report, [`IndexState::update`] counts the terms
//! the report held from its text files in the output (as the fingerprint confirms), finds the
//! few terms whose counts the edit changed, resumes a [`LiveIndex`] holding only their
//! buckets, read back from the output, and lets it replace the report as the preview does:
//! the files it gives are those a full build writes (`tests/build_cache.rs` compares them),
//! and the other reports' texts are never read.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::buckets::{bucket_count, postings_of, term_weight};
use super::fingerprint;
use super::index::{LangIndex, build, doc_order, index_report, terms_of};
use super::live::{ChangedTerms, Changes, LiveIndex, TermState, changed_terms};
use super::names::PACKS_PER_FOLDER;
use super::postings::{Occurrence, Postings, Term};
use super::texts::{packs_per_file, read_doc_text};
use super::{SCRIPT_END, SearchStats, Tags, fnv1a, meta, names, script_start, write_lang_tagged};
use crate::model::{Report, Site};
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
    /// Each document's terms' fingerprint (`fingerprint.rs`).
    fingerprints: Vec<u64>,
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
            && self.fingerprints.len() == n
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
            fingerprints: index.fingerprints.clone(),
        }
    }

    /// The files that update `lang`'s index, as a full build would write it now, when one
    /// report changed in its place (the same documents in the same order, its department and
    /// themes unchanged, as the preview requires; and the bucket count unchanged); with the
    /// new state. `read` gives a file of the output as the last build wrote it: the edited
    /// report's text files, counted again to know the terms it held (checked against its
    /// fingerprint), and the buckets of the terms the edit changed. `None`: index the
    /// language from scratch.
    pub fn update(
        &self,
        site: &Site,
        lang: &str,
        read: &ReadOutput<'_>,
    ) -> Option<(Changes, IndexState)> {
        let order = doc_order(site, lang);
        let d = self.edited(&order)?;
        let report = order[d];
        let (doc, new_terms) = index_report(site, report);
        if doc.department != self.departments[d] || doc.themes != self.themes[d] {
            return None;
        }
        let dir = format!("{lang}/search");
        let old_terms = self.terms_before(d, &dir, read)?;
        let new_fingerprint = fingerprint::of(&new_terms);
        let changed = changed_terms(old_terms, new_terms);
        let buckets = bucket_count(self.total);
        let load: BTreeSet<usize> = (changed.keys())
            .map(|t| (fnv1a(&t.name()) % buckets) as usize)
            .collect();
        let loaded: Vec<(usize, Vec<(Term, TermState)>)> = (load.par_iter())
            .map(|&i| {
                let tag = self.tags.buckets.get(i)?;
                let bytes = read(&names::bucket_path(&dir, i, tag))?;
                Some((i, parse_bucket(&bytes, i, &dir, &changed, read)?))
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
        let changes = live.apply(d as u32, changed, &doc)?;
        let mut state = self.clone();
        state.docs[d].1 = report.source_sha256.clone();
        state.total = live.total;
        state.tags = live.tags;
        state.themes = live.themes;
        state.meta_base = live.meta_base.to_string();
        state.fingerprints[d] = new_fingerprint;
        Some((changes, state))
    }

    /// The one document whose report changed, when the documents are otherwise those of the
    /// last build, in the same order.
    fn edited(&self, order: &[&Report]) -> Option<usize> {
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
        Some(d)
    }

    /// Document `d`'s terms as the last build indexed them: counted again from its text
    /// files, and only if they give the fingerprint that build kept.
    fn terms_before(
        &self,
        d: usize,
        dir: &str,
        read: &ReadOutput<'_>,
    ) -> Option<Vec<(Term, Occurrence)>> {
        let folder = self.tags.folders.get(d / PACKS_PER_FOLDER)?;
        let text = read_doc_text(d, self.tags.packs[d], |j| {
            read(&names::doc_path(dir, d, j, folder))
        })?;
        let terms = terms_of(&text.title, &text.pack_sections());
        let fingerprint = fingerprint::of(&terms);
        (fingerprint == self.fingerprints[d]).then_some(terms)
    }
}

/// Reads a file of the output (a `/`-separated path) as the last build published it.
pub type ReadOutput<'a> = dyn Fn(&str) -> Option<Vec<u8>> + Sync + 'a;

/// The terms of bucket file `i` as written by [`super::buckets::bucket_file`]; the postings
/// of those in `changed` decoded (of a term with a file of its own, read with `read`): the
/// others are written back as they are listed.
fn parse_bucket(
    bytes: &[u8],
    i: usize,
    dir: &str,
    changed: &ChangedTerms,
    read: &ReadOutput<'_>,
) -> Option<Vec<(Term, TermState)>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body =
        (text.strip_prefix(&script_start(&format!("t/{i}"), 0)))?.strip_suffix(SCRIPT_END)?;
    let terms: BTreeMap<String, String> = serde_json::from_str(body).ok()?;
    terms
        .into_iter()
        .map(|(name, entry)| {
            let term = Term::parse(&name)?;
            let bytes = match changed.contains_key(&term) {
                true => postings_of(&name, &entry, dir, read)?,
                false => Vec::new(),
            };
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
