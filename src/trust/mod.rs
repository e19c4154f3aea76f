//! Trust stage (README, "Signed manifests"): Ed25519 keys, the detached signature of
//! `manifest.json`, and the check of a published copy — an output folder, a bundle zip or a
//! WARC file — against its manifest.
//!
//! - [`keys`]: key files and their formats (`openssl` reads them), fingerprints;
//! - [`place`]: where a private key may not live;
//! - [`sign`]: which key signs a build, checked before anything is written;
//! - [`check`]: a set of files against a manifest and its signature.

pub mod check;
pub mod error;
pub mod keys;
pub mod place;
pub mod sign;

pub use error::TrustError;
pub use keys::{PUBLIC_KEY_FILE, PublicKey};
