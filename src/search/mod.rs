//! Search: a static full-text index per language, written beside the pages and read by the
//! theme's own script (`static/search.js`) with plain `<script>` loads, so it works under a
//! strict content security policy and from `file://`.
//!
//! Layout under `<lang>/search/` (names: `names.rs`):
//! - `meta.js`: bucket count, year ranges of document numbers, department and theme labels,
//!   and the content tags of the other files' names;
//! - `t/<bucket>.<tag>.js`: postings of the terms that hash (FNV-1a) into that bucket;
//! - `p/<doc / 64>.<tag>/<doc>.js`: a report's title, address and text in packs of sections,
//!   deflated, for excerpts.
//!
//! Every file calls `__gk(name, data)` with its name without the tag (`t/12`, `p/1/65`); a
//! query loads `meta.js`, one bucket per term and the packs of the results it shows, never the
//! whole index.

mod collect;
mod doc;
mod index;
mod live;
mod names;
mod postings;
pub mod tokenize;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

pub use index::{LangIndex, build, query_terms};
pub use live::{Changes, LiveIndex};
pub use postings::Term;

use crate::config::label;
use crate::model::Site;
use crate::output::{OutputError, Sink};

use names::PACKS_PER_FOLDER;
/// Aim for buckets of about this size, so one term costs one small download.
const BUCKET_BYTES: usize = 16_000;

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

/// The tags a language's index files are named with (see `names.rs`).
#[derive(Debug, Default, Clone)]
pub struct Tags {
    pub buckets: Vec<String>,
    /// Each report text file's SHA-256, in document order.
    pub docs: Vec<[u8; 32]>,
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
        .map(|(i, terms)| {
            // One buffer for the bucket's base64, not a string per term.
            let mut base64 = String::new();
            let spans: Vec<(&str, std::ops::Range<usize>)> = terms
                .iter()
                .map(|(term, p)| {
                    let start = base64.len();
                    URL_SAFE_NO_PAD.encode_string(&p.bytes, &mut base64);
                    (*term, start..base64.len())
                })
                .collect();
            let encoded = spans
                .iter()
                .map(|(term, span)| (*term, &base64[span.clone()]))
                .collect();
            let data = bucket_file(i, encoded);
            let tag = names::tag(&data);
            put(names::bucket_path(&dir, i, &tag), data)?;
            Ok(tag)
        })
        .collect::<Result<_, OutputError>>()?;
    let folders: Vec<(String, Vec<[u8; 32]>)> = index
        .docs
        .par_chunks(PACKS_PER_FOLDER)
        .enumerate()
        .map_init(Compressor::default, |z, (g, docs)| {
            let first = g * PACKS_PER_FOLDER;
            let texts: Vec<Vec<u8>> = (first..)
                .zip(docs)
                .map(|(d, doc)| doc_file(d, doc, z))
                .collect();
            let digests: Vec<[u8; 32]> = texts.iter().map(|t| crate::hash::sha256(t)).collect();
            let tag = names::folder_tag(digests.iter());
            for (d, data) in (first..).zip(texts) {
                put(names::doc_path(&dir, d, &tag), data)?;
            }
            Ok((tag, digests))
        })
        .collect::<Result<_, OutputError>>()?;
    let (folder_tags, digests): (Vec<String>, Vec<Vec<[u8; 32]>>) = folders.into_iter().unzip();
    let tags = Tags {
        buckets: bucket_tags,
        docs: digests.concat(),
        folders: folder_tags,
    };
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

/// `meta.js`: `base` with the tags of the files it names.
fn meta_file(base: &serde_json::Value, tags: &Tags) -> Vec<u8> {
    script(
        "meta",
        &names::with_tags(base, &tags.buckets, &tags.folders),
    )
}

fn meta(site: &Site, lang: &str, index: &LangIndex<'_>, buckets: u32) -> serde_json::Value {
    // Runs of documents with the same year and department: [first document, year, department].
    let mut runs: Vec<(usize, u16, u32)> = Vec::new();
    for (i, doc) in index.docs.iter().enumerate() {
        if runs
            .last()
            .is_none_or(|r| (r.1, r.2) != (doc.year, doc.department))
        {
            runs.push((i, doc.year, doc.department));
        }
    }
    let labels = |m: &BTreeMap<String, crate::config::Labels>| -> Vec<(String, String)> {
        m.iter()
            .map(|(k, l)| (k.clone(), label(l, lang).to_string()))
            .collect()
    };
    json!({
        "k": buckets,
        "n": index.docs.len(),
        "runs": runs,
        "departments": labels(&site.config.departments),
        "themes": labels(&site.config.themes),
    })
}

/// `__gk("name",{…});` — a data file loadable with a `<script>` element.
fn script(name: &str, data: &impl Serialize) -> Vec<u8> {
    let mut out = script_start(name, 0).into_bytes();
    serde_json::to_writer(&mut out, data).expect("serialising to memory cannot fail");
    out.extend_from_slice(SCRIPT_END.as_bytes());
    out
}

/// `__gk("name",`: the start of a data file, with room for `capacity` more bytes.
fn script_start(name: &str, capacity: usize) -> String {
    let name = serde_json::to_string(name).expect("a string");
    let mut out = String::with_capacity(name.len() + capacity + 16);
    out.push_str("__gk(");
    out.push_str(&name);
    out.push(',');
    out
}

const SCRIPT_END: &str = ");\n";

/// Term postings in bucket files: base64 whose alphabet (`A-Z a-z 0-9 - _`) needs no escaping
/// in a JSON string, so it is written as it is.
const URL_SAFE_NO_PAD: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The bucket file `t/<i>.<tag>.js` holding these terms' postings (name, base64): a JSON
/// object ordered by name.
fn bucket_file(i: usize, mut terms: Vec<(&str, &str)>) -> Vec<u8> {
    terms.sort_unstable_by_key(|&(name, _)| name);
    let size: usize = terms.iter().map(|(t, b)| t.len() + b.len() + 6).sum();
    let mut out = script_start(&format!("t/{i}"), size);
    out.push('{');
    for (k, (name, base64)) in terms.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(name).expect("a string"));
        out.push_str(":\"");
        out.push_str(base64);
        out.push('"');
    }
    out.push('}');
    out.push_str(SCRIPT_END);
    out.into_bytes()
}

/// Postings as they stand in a bucket file.
fn postings_base64(postings: &postings::Postings) -> String {
    URL_SAFE_NO_PAD.encode(&postings.bytes)
}

/// Separates the texts of a document file.
const RS: u8 = 0x1e;

/// The file of document `d`: a JSON head (title, address, year, department, and per pack the
/// ids and headings of its sections), then each section's text after a U+001E separator, in
/// order; deflated. Texts are not JSON strings so that writing them is a copy rather than an
/// escape check per byte (a U+001E in a text, an invisible control character, becomes a space).
/// Files live in folders of 64 documents: a folder of tens of thousands of files makes every
/// file creation wait on the one directory lock.
fn doc_file(d: usize, doc: &doc::Doc<'_>, z: &mut Compressor) -> Vec<u8> {
    let name = format!("p/{}/{d}", d / PACKS_PER_FOLDER);
    let sections = || doc.packs.iter().flatten();
    let mut text = serde_json::to_vec(&DocHead {
        t: doc.title,
        u: &doc.url,
        y: doc.year,
        d: doc.department,
        p: doc
            .packs
            .iter()
            .map(|pack| pack.iter().map(|s| (s.id, s.heading)).collect())
            .collect(),
    })
    .expect("serialising to memory cannot fail");
    text.reserve(sections().map(|s| s.text.len() + 1).sum());
    for s in sections() {
        text.push(RS);
        let bytes = s.text.as_bytes();
        if bytes.contains(&RS) {
            text.extend(bytes.iter().map(|&b| if b == RS { b' ' } else { b }));
        } else {
            text.extend_from_slice(bytes);
        }
    }
    let mut out = script_start(&name, text.len());
    out.push('"');
    z.deflate_base64(&text, &mut out);
    out.push('"');
    out.push_str(SCRIPT_END);
    out.into_bytes()
}

/// The number of buckets for postings of about `total` bytes (see [`BUCKET_BYTES`]).
fn bucket_count(total: usize) -> u32 {
    (total / BUCKET_BYTES).clamp(1, 1 << 16) as u32
}

/// What one term adds to the total that sets the number of buckets.
fn term_weight(name: &str, postings: &postings::Postings) -> usize {
    name.len() + postings.bytes.len() * 4 / 3 + 6
}

/// The head of a document file: title, address, year, department, and per pack the sections'
/// ids and headings.
#[derive(Serialize)]
struct DocHead<'a> {
    t: &'a str,
    u: &'a str,
    y: u16,
    d: u32,
    p: Vec<Vec<(&'a str, &'a str)>>,
}

/// Compresses report texts: raw DEFLATE, base64. A report's text is a third of the download
/// this way; the script inflates it with the browser's own `DecompressionStream`. libdeflate
/// compresses a whole buffer at once: at level 1 it is twice as fast as zlib at level 3 for
/// output 3 % larger, and compressing every report is most of the cost of writing the index.
pub struct Compressor {
    deflate: libdeflater::Compressor,
    /// The deflated bytes, kept from one text to the next.
    buffer: Vec<u8>,
}

impl Default for Compressor {
    fn default() -> Self {
        let level = libdeflater::CompressionLvl::new(1).unwrap_or_default();
        Compressor {
            deflate: libdeflater::Compressor::new(level),
            buffer: Vec::new(),
        }
    }
}

impl Compressor {
    /// Appends `data`, deflated, in base64 (whose standard alphabet needs no escaping in a
    /// JSON string either), to `out`.
    fn deflate_base64(&mut self, data: &[u8], out: &mut String) {
        let bound = self.deflate.deflate_compress_bound(data.len());
        if self.buffer.len() < bound {
            self.buffer.resize(bound, 0);
        }
        let n = self
            .deflate
            .deflate_compress(data, &mut self.buffer)
            .expect("the output buffer is as large as libdeflate asks");
        base64::engine::general_purpose::STANDARD.encode_string(&self.buffer[..n], out);
    }
}

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
    fn document_files_hold_every_section_text_after_a_json_head() {
        let (a, b) = ("第一段\n复议\u{1e}案件", "Second \"pack\"");
        let doc = doc::Doc {
            source: std::path::Path::new("content/2022/x.zh.md"),
            title: "标题",
            url: "zh/2022/x/".to_string(),
            year: 2022,
            department: 3,
            themes: 0,
            packs: vec![
                vec![doc::PackSection {
                    id: "",
                    heading: "",
                    text: a,
                }],
                vec![doc::PackSection {
                    id: "h-2",
                    heading: "二、",
                    text: b,
                }],
            ],
        };
        let file = doc_file(65, &doc, &mut Compressor::default());
        let file = String::from_utf8(file).unwrap();
        let b64 = file
            .strip_prefix("__gk(\"p/1/65\",\"")
            .and_then(|f| f.strip_suffix("\");\n"))
            .unwrap();
        let deflated = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let mut text = vec![0; 1 << 16];
        let n = libdeflater::Decompressor::new()
            .deflate_decompress(&deflated, &mut text)
            .unwrap();
        let text = String::from_utf8(text[..n].to_vec()).unwrap();
        let parts: Vec<&str> = text.split('\u{1e}').collect();
        let head: serde_json::Value = serde_json::from_str(parts[0]).unwrap();
        assert_eq!(
            head,
            json!({"t": "标题", "u": "zh/2022/x/", "y": 2022, "d": 3,
                   "p": [[["", ""]], [["h-2", "二、"]]]})
        );
        assert_eq!(parts[1..], ["第一段\n复议 案件", b]);
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
