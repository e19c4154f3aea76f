//! Trust stage: why a key could not be made or used, or a target could not be verified at
//! all. Each message names the file and says what to do. A leaf of the trust stage.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no random numbers from the operating system: {0}")]
    Random(String),
    #[error(
        "refusing to keep the private key `{0}` inside a folder that is published (`content/`, `static/`, `templates/`, `i18n/`, `themes/`, `public/` or a build output): anyone could sign in your name; keep it outside the site folder"
    )]
    KeyPublished(PathBuf),
    #[error(
        "refusing to replace `{0}`: a key file is never overwritten; choose another path with `--out`"
    )]
    KeyExists(PathBuf),
    #[error(
        "refusing to use the private key `{0}`: other users may read it (mode {1:o}); run `chmod 600` on it"
    )]
    KeyReadable(PathBuf, u32),
    #[error("`{0}` is not an Ed25519 private key (PKCS#8 PEM, as `gongkai keygen` writes)")]
    NotAKey(PathBuf),
    #[error("`{0}` is not an Ed25519 public key: {1}")]
    BadPublicKey(String, String),
    #[error(
        "a signing key is configured (`{0}`) but site.yaml has no `public_key`: add `public_key: {1}` so readers can check the signature"
    )]
    NoPublicKey(PathBuf, String),
    #[error(
        "the signing key `{path}` does not match `public_key` in site.yaml (key {key}, site.yaml {config}): use the key `gongkai keygen` wrote with that public key"
    )]
    KeyMismatch {
        path: PathBuf,
        key: String,
        config: String,
    },
    #[error("cannot verify {target}: {why}")]
    Target { target: PathBuf, why: String },
}

impl TrustError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        TrustError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn target(target: &Path, why: impl Into<String>) -> Self {
        TrustError::Target {
            target: target.to_path_buf(),
            why: why.into(),
        }
    }
}
