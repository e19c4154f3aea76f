//! Search: the report texts the script reads for excerpts. On a site of up to
//! [`SPLIT_UP_TO`] reports per language, one file per pack of a report
//! (`p/<doc / 64>.<tag>/<doc>-<pack>.js`), so a result downloads only the pack its match is in
//! (the postings' pack mask says which), not the whole report; on a larger site one file per
//! report (`<doc>-0.js`), because a file per pack would triple the files a build writes
//! (README "Search"). Each file repeats the few facts a result shows (title, address, year,
//! department) and says how many packs the report has, so any one file shows the result.

use serde::{Deserialize, Serialize};

use super::doc::{Doc, MAX_PACKS, PackSection};
use super::names::PACKS_PER_FOLDER;
use super::{SCRIPT_END, script_start};

/// Up to this many reports in a language, each pack of a report is a file of its own.
pub const SPLIT_UP_TO: usize = 3_000;

/// Separates the texts of a pack file.
const RS: u8 = 0x1e;

/// How many packs a text file holds in a language of `docs` reports: one, or every pack of a
/// report (see [`SPLIT_UP_TO`]).
pub fn packs_per_file(docs: usize) -> usize {
    if docs <= SPLIT_UP_TO { 1 } else { MAX_PACKS }
}

/// The files of document `d`, `per_file` packs each, in pack order: each a JSON head (title,
/// address, year, department, number of packs, the file's first pack, and per pack the ids
/// and headings of its sections), then each section's text after a U+001E separator, in
/// order; deflated. Texts are not JSON strings so that writing them is a copy rather than an
/// escape check per byte (a U+001E in a text, an invisible control character, becomes a
/// space). Files live in folders of 64 documents: a folder of tens of thousands of files
/// makes every file creation wait on the one directory lock.
pub fn doc_files(d: usize, doc: &Doc<'_>, per_file: usize, z: &mut Compressor) -> Vec<Vec<u8>> {
    let packs: &[Vec<PackSection<'_>>] = &doc.packs;
    if packs.is_empty() {
        return vec![text_file(d, 0, doc, 0, &[], z)];
    }
    packs
        .chunks(per_file.max(1))
        .enumerate()
        .map(|(j, group)| text_file(d, j, doc, j * per_file.max(1), group, z))
        .collect()
}

/// The script name of text file `j` of document `d` (`p/1/65-0`), the file's name without its
/// folder's tag.
pub fn file_name(d: usize, j: usize) -> String {
    format!("p/{}/{d}-{j}", d / PACKS_PER_FOLDER)
}

fn text_file(
    d: usize,
    j: usize,
    doc: &Doc<'_>,
    first: usize,
    packs: &[Vec<PackSection<'_>>],
    z: &mut Compressor,
) -> Vec<u8> {
    let sections = || packs.iter().flatten();
    let mut text = serde_json::to_vec(&FileHead {
        t: doc.title,
        u: &doc.url,
        y: doc.year,
        d: doc.department,
        n: doc.packs.len().max(1),
        k: first,
        p: packs
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
    let mut out = script_start(&file_name(d, j), text.len());
    out.push('"');
    z.deflate_base64(&text, &mut out);
    out.push('"');
    out.push_str(SCRIPT_END);
    out.into_bytes()
}

/// The head of a text file: the report's title, address, year, department and number of
/// packs, the number of the file's first pack, and per pack its sections' ids and headings.
#[derive(Serialize)]
struct FileHead<'a> {
    t: &'a str,
    u: &'a str,
    y: u16,
    d: u32,
    n: usize,
    k: usize,
    p: Vec<Vec<(&'a str, &'a str)>>,
}

/// A report's title and packs as its text files hold them, read back (for the build cache,
/// `resume.rs`): per pack, its sections' (id, heading, text).
#[derive(Debug, Default, PartialEq)]
pub struct DocText {
    pub title: String,
    pub packs: Vec<Vec<(String, String, String)>>,
}

impl DocText {
    /// The packs as [`Doc::packs`] holds them.
    pub fn pack_sections(&self) -> Vec<Vec<PackSection<'_>>> {
        (self.packs.iter())
            .map(|pack| {
                (pack.iter())
                    .map(|(id, heading, text)| PackSection { id, heading, text })
                    .collect()
            })
            .collect()
    }
}

#[derive(Deserialize)]
struct ReadHead {
    t: String,
    n: usize,
    k: usize,
    p: Vec<Vec<(String, String)>>,
}

/// Document `d`'s text read back from its files, in order (`read(j)` gives file `j`, as
/// [`doc_files`] wrote it); `None` when a file is missing or is not what it would write.
pub fn read_doc_text(
    d: usize,
    files: usize,
    read: impl Fn(usize) -> Option<Vec<u8>>,
) -> Option<DocText> {
    let mut doc = DocText::default();
    let mut count = 0;
    for j in 0..files {
        let bytes = read(j)?;
        let plain = String::from_utf8(read_deflated(&bytes, &file_name(d, j))?).ok()?;
        let mut parts = plain.split(RS as char);
        let head: ReadHead = serde_json::from_str(parts.next()?).ok()?;
        if head.k != doc.packs.len() {
            return None;
        }
        count = head.n;
        doc.title = head.t;
        for pack in head.p {
            let sections = (pack.into_iter())
                .map(|(id, heading)| Some((id, heading, parts.next()?.to_string())))
                .collect::<Option<_>>()?;
            doc.packs.push(sections);
        }
        parts.next().is_none().then_some(())?;
    }
    (doc.packs.len().max(1) == count).then_some(doc)
}

/// Compresses report texts: raw DEFLATE, base64. A pack's text is about half of the download
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
    pub(super) fn deflate_base64(&mut self, data: &[u8], out: &mut String) {
        let bound = self.deflate.deflate_compress_bound(data.len());
        if self.buffer.len() < bound {
            self.buffer.resize(bound, 0);
        }
        let n = self
            .deflate
            .deflate_compress(data, &mut self.buffer)
            .expect("the output buffer is as large as libdeflate asks");
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode_string(&self.buffer[..n], out);
    }
}

/// The bytes of a file written as `__gk(name, "<deflated, base64>");` (a report text file, a
/// frequent term's own file), inflated; `None` when it is not such a file for `name`.
pub(super) fn read_deflated(file: &[u8], name: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let text = std::str::from_utf8(file).ok()?;
    let b64 = (text.strip_prefix(&script_start(name, 0)))?
        .strip_prefix('"')?
        .strip_suffix(SCRIPT_END)?
        .strip_suffix('"')?;
    let deflated = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    inflate(&deflated)
}

/// Raw DEFLATE, inflated into a buffer grown as needed (postings are at most a few MB).
fn inflate(deflated: &[u8]) -> Option<Vec<u8>> {
    let mut z = libdeflater::Decompressor::new();
    let mut size = deflated.len().max(1024) * 4;
    while size <= 1 << 30 {
        let mut out = vec![0; size];
        match z.deflate_decompress(deflated, &mut out) {
            Ok(n) => {
                out.truncate(n);
                return Some(out);
            }
            Err(libdeflater::DecompressionError::InsufficientSpace) => size *= 4,
            Err(_) => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use serde_json::json;

    /// The JSON head and the section texts of a pack file.
    fn open(file: &[u8], name: &str) -> (serde_json::Value, Vec<String>) {
        let file = String::from_utf8(file.to_vec()).unwrap();
        let b64 = file
            .strip_prefix(&format!("__gk(\"{name}\",\""))
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
        let mut parts = text.split('\u{1e}');
        let head = serde_json::from_str(parts.next().unwrap()).unwrap();
        (head, parts.map(str::to_string).collect())
    }

    fn doc<'a>(a: &'a str, b: &'a str) -> Doc<'a> {
        Doc {
            source: std::path::Path::new("content/2022/x.zh.md"),
            title: "标题",
            url: "zh/2022/x/".to_string(),
            year: 2022,
            department: 3,
            themes: 0,
            packs: vec![
                vec![PackSection {
                    id: "",
                    heading: "",
                    text: a,
                }],
                vec![PackSection {
                    id: "h-2",
                    heading: "二、",
                    text: b,
                }],
            ],
        }
    }

    #[test]
    fn each_pack_is_a_file_with_the_reports_facts_and_its_own_sections() {
        let (a, b) = ("第一段\n复议\u{1e}案件", "Second \"pack\"");
        let files = doc_files(65, &doc(a, b), 1, &mut Compressor::default());
        assert_eq!(files.len(), 2);
        let (head, texts) = open(&files[0], "p/1/65-0");
        assert_eq!(
            head,
            json!({"t": "标题", "u": "zh/2022/x/", "y": 2022, "d": 3, "n": 2, "k": 0,
                   "p": [[["", ""]]]})
        );
        assert_eq!(texts, ["第一段\n复议 案件"]);
        let (head, texts) = open(&files[1], "p/1/65-1");
        assert_eq!(head["p"], json!([[["h-2", "二、"]]]));
        assert_eq!((&head["n"], &head["k"]), (&json!(2), &json!(1)));
        assert_eq!(texts, [b]);
    }

    #[test]
    fn a_reports_text_reads_back_from_its_files() {
        let doc = doc("第一段\n复议", "Second \"pack\"");
        for per_file in [1, MAX_PACKS] {
            let files = doc_files(65, &doc, per_file, &mut Compressor::default());
            let read = read_doc_text(65, files.len(), |j| files.get(j).cloned());
            let text = read.expect("read back");
            assert_eq!(text.title, "标题");
            let packs: Vec<Vec<(&str, &str, &str)>> = (doc.packs.iter())
                .map(|p| p.iter().map(|s| (s.id, s.heading, s.text)).collect())
                .collect();
            let back: Vec<Vec<(&str, &str, &str)>> = (text.packs.iter())
                .map(|p| p.iter().map(|(a, b, c)| (&**a, &**b, &**c)).collect())
                .collect();
            assert_eq!(back, packs, "{per_file} packs per file");
            // A file missing, or another document's, is not read as this one.
            assert!(read_doc_text(65, files.len() + 1, |j| files.get(j).cloned()).is_none());
            assert!(read_doc_text(64, files.len(), |j| files.get(j).cloned()).is_none());
        }
    }

    #[test]
    fn a_large_site_has_one_file_per_report() {
        assert_eq!(packs_per_file(SPLIT_UP_TO), 1);
        let per_file = packs_per_file(SPLIT_UP_TO + 1);
        let files = doc_files(3, &doc("一", "二"), per_file, &mut Compressor::default());
        assert_eq!(files.len(), 1);
        let (head, texts) = open(&files[0], "p/0/3-0");
        assert_eq!(head["p"], json!([[["", ""]], [["h-2", "二、"]]]));
        assert_eq!(texts, ["一", "二"]);
    }
}
