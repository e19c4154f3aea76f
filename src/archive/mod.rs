//! Archive stage (README, Archiving): the record of a settled year, the manifest of what a build
//! published, and the offline bundle of one year. Library code only: the commands that use it
//! (`gongkai freeze`, `gongkai archive`) are in `src/cmd/`.
//!
//! - [`lock`]: `archive.lock`, its format and the frozen-report check that every command gets
//!   through [`crate::load`];
//! - [`manifest`]: `manifest.json`, written at the output root by every build;
//! - [`bundle`]: a loaded site cut to one year, rendered for offline reading, and zipped.

pub mod bundle;
pub mod lock;
pub mod manifest;

use sha2::{Digest, Sha256};

pub use lock::{LOCK_FILE, Lock};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
