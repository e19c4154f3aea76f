//! Search: bucket files. Terms are spread over buckets by hash (FNV-1a of the term's name);
//! a bucket file `t/<i>.<tag>.js` lists, per term, its postings in base64, or, for a term
//! whose postings are larger than [`OWN_FILE_OVER`], `*<tag>` naming a file of its own,
//! `u/<tag>.js`, holding them deflated. A frequent term (`执法`, `法` in nearly every report)
//! would otherwise make its bucket many times the size of the others, and every query of a
//! term that shares it would pay for it; deflated, postings of a term in nearly every
//! document shrink to a fraction (a document delta of 1, again and again).

use base64::Engine;

use super::names::{self, TAG_LEN};
use super::postings::Postings;
use super::texts::{Compressor, read_deflated};
use super::{SCRIPT_END, script_start};

/// Postings of more than this many bytes go to a file of their own.
pub const OWN_FILE_OVER: usize = 1_536;

/// Buckets hold about `2 * sqrt(total)` bytes of postings, within these bounds. A query pays
/// for one bucket per term and for `meta.js` and the group files naming the buckets: with
/// `total` bytes in buckets of `b` bytes the names cost about `8 * total / b` for a two-term
/// query, least together at `b = 2 * sqrt(total)`.
const BUCKET_BYTES: std::ops::RangeInclusive<usize> = 2_000..=16_000;

/// Term postings in bucket files: base64 whose alphabet (`A-Z a-z 0-9 - _`) needs no escaping
/// in a JSON string, so it is written as it is.
pub(super) const URL_SAFE_NO_PAD: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A term's postings as its bucket lists them, and the file of its own when it has one.
pub struct Listed {
    /// Base64 postings, or `*<tag>`.
    pub entry: String,
    /// (tag, file bytes) of `u/<tag>.js`.
    pub own: Option<(String, Vec<u8>)>,
}

/// How the bucket lists the term `name` with `postings`, with the term's own file when
/// [`entry`] names one.
pub fn listed(name: &str, postings: &Postings, z: &mut Compressor) -> Listed {
    let entry = entry(name, postings);
    let own = entry.strip_prefix('*').map(|tag| {
        let mut out = script_start(&format!("u/{tag}"), postings.bytes.len());
        out.push('"');
        z.deflate_base64(&postings.bytes, &mut out);
        out.push('"');
        out.push_str(SCRIPT_END);
        (tag.to_string(), out.into_bytes())
    });
    Listed { entry, own }
}

/// What the bucket lists for the term: its postings in base64, or `*<tag>` of its own file.
pub fn entry(name: &str, postings: &Postings) -> String {
    if has_own_file(&postings.bytes) {
        format!("*{}", own_tag(name, &postings.bytes))
    } else {
        URL_SAFE_NO_PAD.encode(&postings.bytes)
    }
}

fn has_own_file(postings: &[u8]) -> bool {
    postings.len() > OWN_FILE_OVER
}

/// The tag of a term's own file: from its name and postings, so two terms with the same
/// postings never share a file (an edit of one would remove the other's).
fn own_tag(name: &str, postings: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(name.len() + 1 + postings.len());
    bytes.extend_from_slice(name.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(postings);
    names::tag(&bytes)
}

/// `<dir>/u/<tag>.js`
pub fn own_path(dir: &str, tag: &str) -> String {
    format!("{dir}/u/{tag}.js")
}

/// The postings a bucket's `entry` stands for: decoded from base64, or read with `read_own`
/// (a path under the index) from the term's own file, inflated, and checked against its tag.
/// `None` when anything does not match what [`listed`] writes.
pub fn postings_of(
    name: &str,
    entry: &str,
    dir: &str,
    read_own: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let Some(tag) = entry.strip_prefix('*') else {
        return URL_SAFE_NO_PAD.decode(entry).ok();
    };
    if !names::is_tag(tag) {
        return None;
    }
    let file = read_own(&own_path(dir, tag))?;
    let bytes = read_deflated(&file, &format!("u/{tag}"))?;
    (has_own_file(&bytes) && own_tag(name, &bytes) == tag).then_some(bytes)
}

/// The bucket file `t/<i>.<tag>.js` listing these terms (name, entry): a JSON object ordered by
/// name.
pub fn bucket_file(i: usize, mut terms: Vec<(&str, &str)>) -> Vec<u8> {
    terms.sort_unstable_by_key(|&(name, _)| name);
    let size: usize = terms.iter().map(|(t, b)| t.len() + b.len() + 6).sum();
    let mut out = script_start(&format!("t/{i}"), size);
    out.push('{');
    for (k, (name, entry)) in terms.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(name).expect("a string"));
        out.push_str(":\"");
        out.push_str(entry);
        out.push('"');
    }
    out.push('}');
    out.push_str(SCRIPT_END);
    out.into_bytes()
}

/// The number of buckets for postings of about `total` bytes (see [`BUCKET_BYTES`]), in
/// coarse steps (a power of two up to 16, then a multiple of 16) so that an edit in the
/// preview seldom changes it: a new count re-indexes the whole language.
pub fn bucket_count(total: usize) -> u32 {
    let size = (2 * total.isqrt()).clamp(*BUCKET_BYTES.start(), *BUCKET_BYTES.end());
    let count = (total / size).clamp(1, 1 << 16);
    let step = if count < 16 {
        1 << count.ilog2()
    } else {
        count / 16 * 16
    };
    step as u32
}

/// What one term adds to its bucket's bytes, and so to the total that sets the number of
/// buckets: its name and postings, or its name and its own file's tag.
pub fn term_weight(name: &str, postings: &Postings) -> usize {
    let listed = if has_own_file(&postings.bytes) {
        1 + TAG_LEN
    } else {
        postings.bytes.len() * 4 / 3
    };
    name.len() + listed + 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_postings_get_a_file_of_their_own_read_back_whole() {
        let term = crate::search::Term::Han(u64::from('法'));
        let ones = |n: usize| -> Vec<(u32, crate::search::postings::Occurrence)> {
            (1..=n as u32).map(|d| (d, Default::default())).collect()
        };
        let small = Postings::encode(&term, &ones(OWN_FILE_OVER));
        let big = Postings::encode(&term, &ones(OWN_FILE_OVER + 1));
        assert_eq!(big.bytes, vec![1; OWN_FILE_OVER + 1]);
        let z = &mut Compressor::default();
        let inline = listed("h:法", &small, z);
        assert!(inline.own.is_none());
        let none = |_: &str| -> Option<Vec<u8>> { None };
        assert_eq!(
            postings_of("h:法", &inline.entry, "zh/search", &none),
            Some(small.bytes.clone())
        );
        let own = listed("h:法", &big, z);
        assert_eq!(entry("h:法", &big), own.entry);
        assert_eq!(entry("h:法", &small), inline.entry);
        let (tag, file) = own.own.clone().unwrap();
        assert_eq!(own.entry, format!("*{tag}"));
        // A delta of 1 again and again deflates to almost nothing.
        assert!(file.len() < 100, "{}", file.len());
        let path = own_path("zh/search", &tag);
        let read = |p: &str| (p == path).then(|| file.clone());
        assert_eq!(
            postings_of("h:法", &own.entry, "zh/search", &read),
            Some(big.bytes.clone())
        );
        // Another term's file, or a damaged one, is refused.
        assert_eq!(postings_of("h:治", &own.entry, "zh/search", &read), None);
        let mut bad = file.clone();
        let at = bad.len() - 6;
        bad[at] ^= 1;
        let damaged = |p: &str| (p == path).then(|| bad.clone());
        assert_eq!(postings_of("h:法", &own.entry, "zh/search", &damaged), None);
        assert_ne!(own_tag("h:法", &big.bytes), own_tag("h:治", &big.bytes));
        assert!(term_weight("h:法", &big) < term_weight("h:法", &small));
    }
}
