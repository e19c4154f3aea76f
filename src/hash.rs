//! Hashing of file bytes, shared by the load stage (`archive.lock`), the manifest and the
//! preview. A leaf: it imports nothing of the crate.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`: what `sha256sum` prints.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `s` is written as a SHA-256 is: 64 hex digits (of either case).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The first 8 hex digits of the SHA-256 of `bytes`: the content part of a cache-safe file
/// name (`style.3f9a1c2b.css`, README "Deploying `public/`"). 32 bits, as bundlers use: two
/// builds would have to give one file different bytes with the same 32 bits to mix.
pub fn content_tag(bytes: &[u8]) -> String {
    content_tag_of(&Sha256::digest(bytes))
}

/// [`content_tag`] of bytes already hashed (a digest, or several digests concatenated and
/// hashed again).
pub fn content_tag_of(digest: &[u8]) -> String {
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The raw SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
