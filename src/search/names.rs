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
//! - the buckets' tags are listed in group files of 32 (`n/<bucket / 32>.<tag>.js`, the tag
//!   from the group file's bytes), and `meta.js` lists the groups' tags: a query reads one
//!   small group file per term instead of every bucket's tag in `meta.js` (a thousand tags at
//!   1,000 report pairs, three thousand at 10,000: most of `meta.js`), and an edit renames the
//!   groups of the buckets it renamed.
//!
//! Tags are 6 characters of URL-safe base64 (the first 36 bits of the SHA-256), concatenated
//! (`meta.js`: `t` for bucket groups, `p` for folders; a group file: its buckets'), so the
//! script finds tag `i` at `6 * i`: 6 characters rather than 8 hex digits carry more bits in
//! fewer bytes. Names differ in case (`t/3.aB-x_9.js`), never only in case within one build:
//! one file per bucket, group or folder number.

use super::{SCRIPT_END, script_start};
use crate::hash::sha256;

/// Documents per folder (`p/<doc / 64>.<tag>/<doc>-<pack>.js`).
pub const PACKS_PER_FOLDER: usize = 64;

/// Buckets per group file (`n/<bucket / 32>.<tag>.js`).
pub const BUCKETS_PER_GROUP: usize = 32;

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

/// `<dir>/n/<group>.<tag>.js`
pub fn group_path(dir: &str, group: usize, tag: &str) -> String {
    format!("{dir}/n/{group}.{tag}.js")
}

/// The group files naming the buckets of `bucket_tags`, in group order: each
/// `__gk("n/<group>","<its buckets' tags>");`, with its tag.
pub fn group_files(bucket_tags: &[String]) -> Vec<(Vec<u8>, String)> {
    bucket_tags
        .chunks(BUCKETS_PER_GROUP)
        .enumerate()
        .map(|(g, tags)| {
            let mut out = script_start(&format!("n/{g}"), TAG_LEN * tags.len() + 2);
            out.push('"');
            out.extend(tags.iter().map(String::as_str));
            out.push('"');
            out.push_str(SCRIPT_END);
            let data = out.into_bytes();
            let tag = tag(&data);
            (data, tag)
        })
        .collect()
}

/// The group files' tags (see [`group_files`]).
pub fn group_tags(bucket_tags: &[String]) -> Vec<String> {
    group_files(bucket_tags)
        .into_iter()
        .map(|(_, tag)| tag)
        .collect()
}

/// The entry file's data: `base` (counts, runs, labels) with the bucket groups' and folders'
/// tags.
pub fn with_tags(
    base: &serde_json::Value,
    buckets: &[String],
    folders: &[String],
) -> serde_json::Value {
    let mut meta = base.clone();
    if let Some(m) = meta.as_object_mut() {
        m.insert("t".into(), group_tags(buckets).concat().into());
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

    #[test]
    fn group_files_list_32_bucket_tags_each() {
        let tags: Vec<String> = (0..40).map(|i| tag(&[i])).collect();
        let groups = group_files(&tags);
        assert_eq!(groups.len(), 2);
        let first = String::from_utf8(groups[0].0.clone()).unwrap();
        assert_eq!(
            first,
            format!("__gk(\"n/0\",\"{}\");\n", tags[..32].concat())
        );
        assert_eq!(groups[1].0.len(), first.len() - 24 * TAG_LEN);
        assert_eq!(groups[0].1, tag(&groups[0].0));
        assert_eq!(
            group_path("en/search", 1, &groups[1].1),
            format!("en/search/n/1.{}.js", groups[1].1)
        );
        // A bucket renamed renames its group only.
        let mut renamed = tags.clone();
        renamed[35] = tag(b"new");
        let after = group_tags(&renamed);
        assert_eq!(after[0], groups[0].1);
        assert_ne!(after[1], groups[1].1);
    }
}
