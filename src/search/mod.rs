//! Search: a static full-text index per language, written beside the pages and read by the
//! theme's own script (`static/search.js`) with plain `<script>` loads, so it works under a
//! strict content security policy and from `file://`.
//!
//! Layout under `<lang>/search/`:
//! - `meta.js`: bucket count, year ranges of document numbers, department and theme labels;
//! - `t/<bucket>.js`: postings of the terms that hash (FNV-1a) into that bucket;
//! - `p/<doc>-<pack>.js`: one pack of a report's text, for excerpts.
//!
//! Every file calls `__gk(name, data)`; a query loads `meta.js`, one bucket per term and the
//! packs of the results it shows, never the whole index.

mod index;
pub mod tokenize;

use std::collections::BTreeMap;

use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

pub use index::{LangIndex, Posting, build, query_terms};

use crate::config::label;
use crate::model::Site;
use crate::output::{OutputError, Sink};

/// Aim for buckets of about this size, so one term costs one small download.
const BUCKET_BYTES: usize = 12_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct SearchStats {
    pub files: usize,
    pub bytes: usize,
}

/// Builds and writes the index of every language.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<SearchStats, OutputError> {
    let mut stats = SearchStats::default();
    for lang in &site.config.languages {
        let index = build(site, lang);
        for (path, bytes) in files(site, lang, &index) {
            stats.files += 1;
            stats.bytes += bytes.len();
            sink.put(&path, bytes)?;
        }
    }
    Ok(stats)
}

/// The files of one language's index: path → bytes.
pub fn files(site: &Site, lang: &str, index: &LangIndex) -> Vec<(String, Vec<u8>)> {
    let dir = format!("{lang}/search");
    let mut encoded: Vec<(&String, String)> = index
        .postings
        .par_iter()
        .map(|(t, p)| (t, encode_postings(p, &index.docs)))
        .collect();
    encoded.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let total: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let buckets = (total / BUCKET_BYTES).clamp(1, 1 << 16) as u32;
    let mut grouped: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); buckets as usize];
    for (term, postings) in &encoded {
        grouped[(fnv1a(term) % buckets) as usize].insert(term.as_str(), postings.as_str());
    }
    let mut out: Vec<(String, Vec<u8>)> = grouped
        .par_iter()
        .enumerate()
        .map(|(i, terms)| (format!("{dir}/t/{i}.js"), script(&format!("t/{i}"), terms)))
        .collect();
    out.push((
        format!("{dir}/meta.js"),
        script("meta", &meta(site, lang, index, buckets)),
    ));
    let dir = dir.as_str();
    let packs: Vec<(String, Vec<u8>)> = index
        .docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, doc)| {
            doc.packs.iter().enumerate().map(move |(p, sections)| {
                let name = format!("p/{d}-{p}");
                let data = json!({ "t": doc.title, "u": doc.url, "y": doc.year, "d": doc.department, "s": sections });
                (format!("{dir}/{name}.js"), script(&name, &data))
            })
        })
        .collect();
    out.extend(packs);
    out
}

fn meta(site: &Site, lang: &str, index: &LangIndex, buckets: u32) -> serde_json::Value {
    let mut years: Vec<(u16, usize, usize)> = Vec::new();
    for (i, doc) in index.docs.iter().enumerate() {
        match years.last_mut() {
            Some((y, _, end)) if *y == doc.year => *end = i + 1,
            _ => years.push((doc.year, i, i + 1)),
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
        "years": years,
        "departments": labels(&site.config.departments),
        "themes": labels(&site.config.themes),
    })
}

/// `__gk("name",{…});` — a data file loadable with a `<script>` element.
fn script(name: &str, data: &impl Serialize) -> Vec<u8> {
    let mut out = format!("__gk({},", serde_json::to_string(name).expect("a string")).into_bytes();
    serde_json::to_writer(&mut out, data).expect("serialising to memory cannot fail");
    out.extend_from_slice(b");\n");
    out
}

/// Postings as base64url of LEB128 varints: doc delta, tf, pack mask, fields, department,
/// theme mask (the last two let the script filter and count without another download).
fn encode_postings(postings: &[Posting], docs: &[index::Doc]) -> String {
    let mut bytes = Vec::with_capacity(postings.len() * 5);
    let mut last = 0;
    for p in postings {
        let doc = &docs[p.doc as usize];
        let values = [
            u64::from(p.doc - last),
            u64::from(p.tf),
            u64::from(p.packs),
            u64::from(p.fields),
            u64::from(doc.department),
            doc.themes,
        ];
        for v in values {
            varint(&mut bytes, v);
        }
        last = p.doc;
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
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
    fn varints_and_hash_are_stable() {
        let mut b = Vec::new();
        varint(&mut b, 300);
        assert_eq!(b, [0xac, 0x02]);
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
