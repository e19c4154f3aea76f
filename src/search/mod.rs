//! Search: a static full-text index per language, written beside the pages and read by the
//! theme's own script (`static/search.js`) with plain `<script>` loads, so it works under a
//! strict content security policy and from `file://`.
//!
//! Layout under `<lang>/search/` (names: `names.rs`):
//! - `meta.js`: bucket count, year ranges of document numbers, department and theme labels,
//!   each document's themes, and the content tags of the bucket groups' and text folders'
//!   names;
//! - `n/<bucket / 32>.<tag>.js`: the tags of 32 buckets' names;
//! - `t/<bucket>.<tag>.js`: postings of the terms that hash (FNV-1a) into that bucket, and
//!   `u/<tag>.js`: the postings of a frequent term, deflated, named in its bucket
//!   (`buckets.rs`);
//! - `p/<doc / 64>.<tag>/<doc>-<pack>.js`: one pack of sections of a report's text with its
//!   title and address, deflated, for excerpts (`texts.rs`).
//!
//! Every file calls `__gk(name, data)` with its name without the tag (`t/12`, `p/1/65-0`); a
//! query loads `meta.js`, one group file and one bucket per term and the packs of the results
//! it shows, never the whole index.

mod buckets;
mod collect;
mod doc;
mod fingerprint;
mod index;
mod live;
mod names;
mod postings;
mod resume;
mod texts;
pub mod tokenize;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

pub use index::{LangIndex, build, query_terms};
pub use live::{Changes, LiveIndex};
pub use postings::Term;
pub use resume::{IndexState, write_lang_state};
pub use texts::Compressor;

use crate::config::label;
use crate::model::Site;
use crate::output::{OutputError, Sink};

use buckets::{Listed, bucket_count, bucket_file, listed, term_weight};
use names::PACKS_PER_FOLDER;
#[derive(Debug, Default, Clone, Copy)]
pub struct SearchStats {
    pub files: usize,
    pub bytes: usize,
}

/// Builds and writes the index of every language; languages are indexed side by side, so one
/// language's merge (the one serial step) overlaps the other's parallel work.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<SearchStats, OutputError> {
    let per_lang: Vec<SearchStats> = site
        .config
        .languages
        .par_iter()
        .map(|lang| write_lang(site, lang, &build(site, lang), sink))
        .collect::<Result<_, _>>()?;
    Ok(per_lang
        .iter()
        .fold(SearchStats::default(), |a, s| SearchStats {
            files: a.files + s.files,
            bytes: a.bytes + s.bytes,
        }))
}

/// Whether the output file `path` belongs to `lang`'s index (`meta.js`, buckets, report
/// texts), not to the search page beside them.
pub fn is_index_file(lang: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(&format!("{lang}/search/")) else {
        return false;
    };
    rest == "meta.js" || ["t/", "u/", "n/", "p/"].iter().any(|d| rest.starts_with(d))
}

/// The tags a language's index files are named with (see `names.rs`).
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
pub struct Tags {
    pub buckets: Vec<String>,
    /// Per report, in document order, the SHA-256 of its pack files' SHA-256s.
    pub docs: Vec<[u8; 32]>,
    /// Per report, in document order, how many pack files it has.
    pub packs: Vec<usize>,
    pub folders: Vec<String>,
}

/// Writes one language's index, file by file in parallel (nothing is gathered in memory but
/// one folder of report texts at a time), the entry file `meta.js` last.
pub fn write_lang(
    site: &Site,
    lang: &str,
    index: &LangIndex<'_>,
    sink: &dyn Sink,
) -> Result<SearchStats, OutputError> {
    write_lang_tagged(site, lang, index, sink).map(|(stats, _)| stats)
}

/// [`write_lang`], also returning the tags the files were named with.
pub fn write_lang_tagged(
    site: &Site,
    lang: &str,
    index: &LangIndex<'_>,
    sink: &dyn Sink,
) -> Result<(SearchStats, Tags), OutputError> {
    let dir = format!("{lang}/search");
    let files = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let put = |path: String, data: Vec<u8>| {
        files.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(data.len(), Ordering::Relaxed);
        sink.put(&path, data)
    };
    let named: Vec<(String, &postings::Postings)> =
        index.postings.iter().map(|(t, p)| (t.name(), p)).collect();
    let total: usize = named.iter().map(|(t, p)| term_weight(t, p)).sum();
    let buckets = bucket_count(total);
    let mut grouped: Vec<Vec<(&str, &postings::Postings)>> = vec![Vec::new(); buckets as usize];
    for (term, postings) in &named {
        grouped[(fnv1a(term) % buckets) as usize].push((term.as_str(), postings));
    }
    let bucket_tags: Vec<String> = grouped
        .par_iter_mut()
        .enumerate()
        .map_init(Compressor::default, |z, (i, terms)| {
            let mut listed: Vec<(&str, Listed)> = terms
                .iter()
                .map(|(term, p)| (*term, listed(term, p, z)))
                .collect();
            for (_, l) in &mut listed {
                if let Some((tag, data)) = l.own.take() {
                    put(buckets::own_path(&dir, &tag), data)?;
                }
            }
            let entries = listed.iter().map(|(t, l)| (*t, l.entry.as_str())).collect();
            let data = bucket_file(i, entries);
            let tag = names::tag(&data);
            put(names::bucket_path(&dir, i, &tag), data)?;
            Ok(tag)
        })
        .collect::<Result<_, OutputError>>()?;
    for (g, (data, tag)) in names::group_files(&bucket_tags).into_iter().enumerate() {
        put(names::group_path(&dir, g, &tag), data)?;
    }
    let mut tags = write_texts(&dir, &index.docs, &put)?;
    tags.buckets = bucket_tags;
    put(
        format!("{dir}/meta.js"),
        meta_file(&meta(site, lang, index, buckets), &tags),
    )?;
    let stats = SearchStats {
        files: files.into_inner(),
        bytes: bytes.into_inner(),
    };
    Ok((stats, tags))
}

/// Writes the report text files, a folder of 64 reports at a time in parallel; returns the
/// folders' tags and each report's digest and number of files (the buckets' tags empty).
fn write_texts(
    dir: &str,
    docs: &[doc::Doc<'_>],
    put: &(dyn Fn(String, Vec<u8>) -> Result<(), OutputError> + Sync),
) -> Result<Tags, OutputError> {
    let per_file = texts::packs_per_file(docs.len());
    type Folder = (String, Vec<[u8; 32]>, Vec<usize>);
    let folders: Vec<Folder> = docs
        .par_chunks(PACKS_PER_FOLDER)
        .enumerate()
        .map_init(Compressor::default, |z, (g, docs)| {
            let first = g * PACKS_PER_FOLDER;
            let texts: Vec<Vec<Vec<u8>>> = (first..)
                .zip(docs)
                .map(|(d, doc)| texts::doc_files(d, doc, per_file, z))
                .collect();
            let digests: Vec<[u8; 32]> = texts.iter().map(|t| names::doc_digest(t)).collect();
            let tag = names::folder_tag(digests.iter());
            let packs = texts.iter().map(Vec::len).collect();
            for (d, files) in (first..).zip(texts) {
                for (k, data) in files.into_iter().enumerate() {
                    put(names::doc_path(dir, d, k, &tag), data)?;
                }
            }
            Ok((tag, digests, packs))
        })
        .collect::<Result<_, OutputError>>()?;
    let mut tags = Tags::default();
    for (tag, digests, packs) in folders {
        tags.folders.push(tag);
        tags.docs.extend(digests);
        tags.packs.extend(packs);
    }
    Ok(tags)
}

/// `meta.js`: `base` with the tags of the files it names.
fn meta_file(base: &serde_json::Value, tags: &Tags) -> Vec<u8> {
    script(
        "meta",
        &names::with_tags(base, &tags.buckets, &tags.folders),
    )
}

fn meta(site: &Site, lang: &str, index: &LangIndex<'_>, buckets: u32) -> serde_json::Value {
    let labels = |m: &BTreeMap<String, crate::config::Labels>| -> Vec<(String, String)> {
        m.iter()
            .map(|(k, l)| (k.clone(), label(l, lang).to_string()))
            .collect()
    };
    json!({
        "k": buckets,
        "n": index.docs.len(),
        "g": texts::packs_per_file(index.docs.len()),
        "r": runs(index.docs.iter().map(|d| (d.year, d.department))),
        "m": themes_field(index.docs.iter().map(|d| d.themes)),
        "departments": labels(&site.config.departments),
        "themes": labels(&site.config.themes),
    })
}

/// Which year and department each document number has: documents are numbered by year, then
/// department, so per year `[year, department, count, department, count, …]` in document
/// order says it (a third of the bytes of listing each run's first document, year and
/// department).
fn runs(docs: impl Iterator<Item = (u16, u32)>) -> Vec<Vec<u32>> {
    let mut years: Vec<Vec<u32>> = Vec::new();
    for (year, department) in docs {
        match years.last_mut() {
            Some(y) if y[0] == u32::from(year) => {
                let n = y.len();
                if y[n - 2] == department {
                    y[n - 1] += 1;
                } else {
                    y.extend([department, 1]);
                }
            }
            _ => years.push(vec![u32::from(year), department, 1]),
        }
    }
    years
}

/// Each document's theme mask, in document order: LEB128 varints, deflated, in base64. Listed
/// once here rather than in every posting of the document (where it made up a third of a
/// bucket's bytes); deflated, since a department's reports repeat a few combinations (at
/// 10,000 report pairs 24 kB of `meta.js` became 15 kB).
fn themes_field(themes: impl Iterator<Item = u64>) -> String {
    let mut bytes = Vec::new();
    for mask in themes {
        postings::varint(&mut bytes, mask);
    }
    let mut out = String::new();
    Compressor::default().deflate_base64(&bytes, &mut out);
    out
}

/// `__gk("name",{…});` — a data file loadable with a `<script>` element.
fn script(name: &str, data: &impl Serialize) -> Vec<u8> {
    let mut out = script_start(name, 0).into_bytes();
    serde_json::to_writer(&mut out, data).expect("serialising to memory cannot fail");
    out.extend_from_slice(SCRIPT_END.as_bytes());
    out
}

/// `__gk("name",`: the start of a data file, with room for `capacity` more bytes.
pub(super) fn script_start(name: &str, capacity: usize) -> String {
    let name = serde_json::to_string(name).expect("a string");
    let mut out = String::with_capacity(name.len() + capacity + 16);
    out.push_str("__gk(");
    out.push_str(&name);
    out.push(',');
    out
}

pub(super) const SCRIPT_END: &str = ");\n";

/// FNV-1a over UTF-8, as the browser script computes it.
pub fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_say_each_documents_year_and_department() {
        let docs = [
            (2023, 1),
            (2023, 1),
            (2023, 4),
            (2022, 1),
            (2022, 1),
            (2021, 0),
        ];
        assert_eq!(
            runs(docs.into_iter()),
            [vec![2023, 1, 2, 4, 1], vec![2022, 1, 2], vec![2021, 0, 1]]
        );
    }

    #[test]
    fn varints_and_hash_are_stable() {
        let mut b = Vec::new();
        postings::varint(&mut b, 300);
        assert_eq!(b, [0xac, 0x02]);
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
