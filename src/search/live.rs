//! Search: one language's index kept in memory for the preview and updated one report at a
//! time. The files it gives are exactly those a full build writes (`tests/serve.rs` compares
//! them byte for byte); when an edit would change what a full build numbers or sizes
//! differently (documents added, removed or moved, the bucket count), it says so and the
//! caller rebuilds the language.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::buckets::{self, bucket_count, bucket_file, listed, term_weight};
use super::doc::Doc;
use super::index::{build, index_report};
use super::names::{self, PACKS_PER_FOLDER};
use super::postings::{Occurrence, Postings, Term};
use super::texts::{Compressor, doc_files, packs_per_file};
use super::{Tags, fnv1a, meta, meta_file, themes_field, write_lang_tagged};
use crate::model::{Report, Site};
use crate::output::Output;

/// One term's postings, decoded and encoded.
pub(super) struct TermState {
    pub(super) name: String,
    /// Decoded when first needed (see [`TermState::entries`]): an edit's update reads back
    /// whole buckets but changes few of their terms.
    pub(super) entries: Vec<(u32, Occurrence)>,
    pub(super) decoded: bool,
    pub(super) postings: Postings,
    /// The postings as the bucket file lists them (base64, or `*<tag>` of the term's own
    /// file), kept so an edit re-encodes only its terms.
    pub(super) entry: String,
}

impl TermState {
    /// The entries, decoded from the postings the first time they are needed.
    fn entries(&mut self, term: &Term) -> &mut Vec<(u32, Occurrence)> {
        if !self.decoded {
            self.entries = self.postings.entries(term);
            self.decoded = true;
        }
        &mut self.entries
    }
}

pub struct LiveIndex {
    pub(super) dir: String,
    pub(super) buckets: u32,
    pub(super) total: usize,
    pub(super) doc_of: HashMap<PathBuf, u32>,
    pub(super) terms: FxHashMap<Term, TermState>,
    pub(super) bucket_terms: Vec<BTreeSet<Term>>,
    /// `meta.js` without the tags, and the tags the files are named with now.
    pub(super) meta_base: serde_json::Value,
    /// Each document's themes, as `meta.js` lists them.
    pub(super) themes: Vec<u64>,
    /// Packs per report text file (the number of documents stays: else the language is
    /// rebuilt).
    pub(super) per_file: usize,
    pub(super) tags: Tags,
}

/// The terms an edit changed in a document, with their occurrence after it (`None`: gone).
pub type ChangedTerms = FxHashMap<Term, Option<Occurrence>>;

/// The terms whose occurrence differs between a document's terms before (`old`) and after
/// (`new`) an edit. A single character's postings hold no counts, so its counts never make it
/// differ.
pub(super) fn changed_terms(
    old: Vec<(Term, Occurrence)>,
    new: Vec<(Term, Occurrence)>,
) -> ChangedTerms {
    let listed = |(t, o): (Term, Occurrence)| {
        let o = if t.is_char() {
            Occurrence::default()
        } else {
            o
        };
        (t, o)
    };
    let mut before: FxHashMap<Term, Occurrence> = old.into_iter().map(listed).collect();
    let mut changed = ChangedTerms::default();
    for (t, o) in new.into_iter().map(listed) {
        if before.remove(&t) != Some(o) {
            changed.insert(t, Some(o));
        }
    }
    changed.extend(before.into_keys().map(|t| (t, None)));
    changed
}

/// Files of the index: path → bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// What an edit did to the index's files: written, renamed with their bytes kept (the other
/// report texts of a renamed folder), and gone (the old names of the files written).
#[derive(Debug, Default)]
pub struct Changes {
    pub put: Files,
    /// (old path, new path)
    pub moved: Vec<(String, String)>,
    pub removed: Vec<String>,
}

impl LiveIndex {
    /// Builds the language's index; returns it with every file a full build writes.
    pub fn new(site: &Site, lang: &str) -> (LiveIndex, Files) {
        let index = build(site, lang);
        let out = Output::default();
        // Writing to memory cannot fail.
        let tags = write_lang_tagged(site, lang, &index, &out)
            .map(|(_, tags)| tags)
            .unwrap_or_default();
        let files: Files = out.into_files().into_iter().collect();
        let total: usize = index
            .postings
            .iter()
            .map(|(t, p)| term_weight(&t.name(), p))
            .sum();
        let meta_base = meta(site, lang, &index, bucket_count(total));
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
            meta_base,
            themes: index.docs.iter().map(|d| d.themes).collect(),
            per_file: packs_per_file(index.docs.len()),
            tags,
        };
        for (term, postings) in index.postings {
            let name = term.name();
            live.total += term_weight(&name, &postings);
            let entries = postings.entries(&term);
            let entry = buckets::entry(&name, &postings);
            live.terms.insert(
                term,
                TermState {
                    name,
                    entries,
                    decoded: true,
                    postings,
                    entry,
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
    /// key, language, date, department and themes). Returns what changed in the files, or
    /// `None` when the language must be rebuilt.
    pub fn replace(&mut self, site: &Site, old: &Report, new: &Report) -> Option<Changes> {
        let d = *self.doc_of.get(&new.source_path)?;
        let (_, old_terms) = index_report(site, old);
        let (doc, new_terms) = index_report(site, new);
        self.apply(d, changed_terms(old_terms, new_terms), &doc)
    }

    /// Makes document `d` the document `doc`, whose terms whose occurrence the edit changed
    /// are `changed` (`None`: no longer in it). The buckets of those terms are those it
    /// rewrites, so only they need to be held.
    pub(super) fn apply(
        &mut self,
        d: u32,
        changed: ChangedTerms,
        doc: &Doc<'_>,
    ) -> Option<Changes> {
        // Updated in place: when the bucket count changes the caller rebuilds the language
        // from scratch, so a half-updated state is never used.
        let mut buckets_touched = BTreeSet::new();
        let mut own_files = Changes::default();
        let mut z = Compressor::default();
        for (term, occ) in changed {
            let state = self.terms.entry(term.clone()).or_insert_with(|| TermState {
                name: term.name(),
                entries: Vec::new(),
                decoded: true,
                postings: Postings::default(),
                entry: String::new(),
            });
            let at = state.entries(&term).binary_search_by_key(&d, |e| e.0);
            match (at, occ) {
                // Unchanged by the edit: nothing to re-encode, no bucket to rewrite.
                (Ok(i), Some(o)) if state.entries[i] == (d, o) => continue,
                (Ok(i), Some(o)) => state.entries[i] = (d, o),
                (Err(i), Some(o)) => state.entries.insert(i, (d, o)),
                (Ok(i), None) => {
                    state.entries.remove(i);
                }
                (Err(_), None) => continue,
            }
            if !state.postings.bytes.is_empty() {
                self.total -= term_weight(&state.name, &state.postings);
            }
            state.postings = Postings::encode(&term, &state.entries);
            let listed = listed(&state.name, &state.postings, &mut z);
            if let Some(old) = state.entry.strip_prefix('*') {
                own_files.removed.push(buckets::own_path(&self.dir, old));
            }
            if let Some((tag, data)) = listed.own {
                own_files
                    .put
                    .push((buckets::own_path(&self.dir, &tag), data));
            }
            state.entry = listed.entry;
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
        let mut changes = self.rewrite_buckets(buckets_touched);
        changes.put.append(&mut own_files.put);
        changes.removed.append(&mut own_files.removed);
        let themes_changed = self.themes[d as usize] != doc.themes;
        if themes_changed {
            self.themes[d as usize] = doc.themes;
            self.meta_base["m"] = themes_field(self.themes.iter().copied()).into();
        }
        let texts = doc_files(d as usize, doc, self.per_file, &mut Compressor::default());
        self.rename_texts(d as usize, texts, &mut changes);
        if !changes.put.is_empty() || themes_changed {
            let meta = meta_file(&self.meta_base, &self.tags);
            changes.put.push((format!("{}/meta.js", self.dir), meta));
        }
        Some(changes)
    }

    /// The touched buckets whose bytes changed, under their new names.
    fn rewrite_buckets(&mut self, touched: BTreeSet<usize>) -> Changes {
        let touched: Vec<usize> = touched.into_iter().collect();
        let files: Vec<(usize, Vec<u8>)> = touched
            .par_iter()
            .map(|&i| {
                let terms = self.bucket_terms[i]
                    .iter()
                    .map(|t| {
                        let s = &self.terms[t];
                        (s.name.as_str(), s.entry.as_str())
                    })
                    .collect();
                (i, bucket_file(i, terms))
            })
            .collect();
        let mut changes = Changes::default();
        let groups_before = names::group_tags(&self.tags.buckets);
        for (i, data) in files {
            let tag = names::tag(&data);
            if tag != self.tags.buckets[i] {
                let old = std::mem::replace(&mut self.tags.buckets[i], tag);
                changes.removed.push(names::bucket_path(&self.dir, i, &old));
                let path = names::bucket_path(&self.dir, i, &self.tags.buckets[i]);
                changes.put.push((path, data));
            }
        }
        let groups = names::group_files(&self.tags.buckets);
        for (g, ((data, tag), old)) in groups.into_iter().zip(groups_before).enumerate() {
            if tag != old {
                changes.removed.push(names::group_path(&self.dir, g, &old));
                changes
                    .put
                    .push((names::group_path(&self.dir, g, &tag), data));
            }
        }
        changes
    }

    /// Puts report `d`'s new pack files; when their bytes changed its folder gets a new tag,
    /// and the folder's other files move there with their bytes.
    fn rename_texts(&mut self, d: usize, texts: Vec<Vec<u8>>, changes: &mut Changes) {
        let digest = names::doc_digest(&texts);
        if digest == self.tags.docs[d] {
            return;
        }
        self.tags.docs[d] = digest;
        let g = d / PACKS_PER_FOLDER;
        let range = g * PACKS_PER_FOLDER..((g + 1) * PACKS_PER_FOLDER).min(self.tags.docs.len());
        let tag = names::folder_tag(self.tags.docs[range.clone()].iter());
        let old = std::mem::replace(&mut self.tags.folders[g], tag);
        let new = &self.tags.folders[g];
        for other in range.filter(|&o| o != d) {
            for k in 0..self.tags.packs[other] {
                let from = names::doc_path(&self.dir, other, k, &old);
                changes
                    .moved
                    .push((from, names::doc_path(&self.dir, other, k, new)));
            }
        }
        for k in 0..self.tags.packs[d] {
            changes.removed.push(names::doc_path(&self.dir, d, k, &old));
        }
        self.tags.packs[d] = texts.len();
        for (k, text) in texts.into_iter().enumerate() {
            changes
                .put
                .push((names::doc_path(&self.dir, d, k, new), text));
        }
    }
}
