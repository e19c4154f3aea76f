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
