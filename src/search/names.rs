//! Search: the names of the index files. Every file a query loads is named by its content
//! (README "Deploying `public/`"), so a browser or CDN holding a file of yesterday's build
//! never hands it to today's script; only `meta.js`, the entry file, keeps its name and lists
//! the others' tags:
//! - a bucket is `t/<bucket>.<tag>.js`, its tag from its own bytes, so an edit renames only
//!   the buckets whose postings it changed;
//! - report texts live in folders of 64 reports (`p/<doc / 64>.<tag>/<doc>-<pack>.js`), the
//!   folder's tag made from its files' hashes: `meta.js` then carries one tag per 64 reports
//!   instead of one per file, and an edit renames one folder.
//!
//! Tags are 6 characters of URL-safe base64 (the first 36 bits of the SHA-256), concatenated
//! in `meta.js` (`t` for buckets, `p` for folders), so the script finds bucket `i`'s at
//! `6 * i`. `meta.js` lists one tag per bucket, a thousand at 1,000 report pairs and part of
//! every query's download: 6 characters rather than 8 hex digits carry more bits in fewer
//! bytes. Names differ in case (`t/3.aB-x_9.js`), never only in case within one build: one
//! file per bucket or folder number.

use crate::hash::sha256;

/// Documents per folder (`p/<doc / 64>.<tag>/<doc>-<pack>.js`).
pub const PACKS_PER_FOLDER: usize = 64;

/// Characters of a tag.
pub const TAG_LEN: usize = 6;

/// The tag of a file's bytes.
pub fn tag(bytes: &[u8]) -> String {
    tag_of(&sha256(bytes))
}

/// The tag of a folder of report texts, from its files' SHA-256 in document order.
pub fn folder_tag<'a>(digests: impl Iterator<Item = &'a [u8; 32]>) -> String {
    let all: Vec<u8> = digests.flatten().copied().collect();
    tag_of(&sha256(&all))
}

/// Whether `tag` is one [`tag`] could have made (a cached tag names files to read).
pub fn is_tag(tag: &str) -> bool {
    tag.len() == TAG_LEN
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The first 36 bits of `digest` in URL-safe base64.
fn tag_of(digest: &[u8; 32]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) >> 28;
    (0..TAG_LEN)
        .rev()
        .map(|i| char::from(ALPHABET[((bits >> (6 * i)) & 63) as usize]))
        .collect()
}

/// `<dir>/t/<bucket>.<tag>.js`
pub fn bucket_path(dir: &str, bucket: usize, tag: &str) -> String {
    format!("{dir}/t/{bucket}.{tag}.js")
}

/// A report's digest for its folder's tag: the SHA-256 of its pack files' SHA-256s.
pub fn doc_digest(files: &[Vec<u8>]) -> [u8; 32] {
    let all: Vec<u8> = files.iter().flat_map(|f| sha256(f)).collect();
    sha256(&all)
}

/// `<dir>/p/<doc / 64>.<tag>/<doc>-<pack>.js`
pub fn doc_path(dir: &str, doc: usize, pack: usize, folder_tag: &str) -> String {
    format!(
        "{dir}/p/{}.{folder_tag}/{doc}-{pack}.js",
        doc / PACKS_PER_FOLDER
    )
}

/// The entry file's data: `base` (counts, runs, labels) with the buckets' and folders' tags.
pub fn with_tags(
    base: &serde_json::Value,
    buckets: &[String],
    folders: &[String],
) -> serde_json::Value {
    let mut meta = base.clone();
    if let Some(m) = meta.as_object_mut() {
        m.insert("t".into(), buckets.concat().into());
        m.insert("p".into(), folders.concat().into());
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_tag_and_folders_group_64_documents() {
        assert_eq!(
            bucket_path("zh/search", 12, "0a1b2c3d"),
            "zh/search/t/12.0a1b2c3d.js"
        );
        assert_eq!(
            doc_path("zh/search", 65, 2, "0a1b2c3d"),
            "zh/search/p/1.0a1b2c3d/65-2.js"
        );
        assert_eq!(tag(b"x").len(), TAG_LEN);
        // SHA-256("x") starts 2d711642b7…: its first 36 bits, six at a time.
        assert_eq!(tag(b"x"), "LXEWQr");
        assert_ne!(tag(b"x"), tag(b"y"));
        let (a, b) = (sha256(b"a"), sha256(b"b"));
        assert_ne!(
            folder_tag([&a, &b].into_iter()),
            folder_tag([&b, &a].into_iter())
        );
    }
}
