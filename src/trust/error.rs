//! Trust stage: why a key could not be made or used, or a target could not be verified at
//! all. Each message names the file and says what to do, from the catalogue (area `trust`,
//! README "Messages in your language"); `Display` is its English text. A leaf of the trust
//! stage.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::messages::Msg;

/// Why a text is not a public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadKey {
    NotBase64,
    NotEd25519,
}

impl BadKey {
    /// The reason alone, for a message that names the key itself (`public_key:` in site.yaml).
    pub fn reason(self) -> Msg {
        match self {
            BadKey::NotBase64 => Msg::new("trust.not_base64"),
            BadKey::NotEd25519 => Msg::new("trust.not_ed25519"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No random numbers from the operating system: its error.
    Random(String),
    KeyPublished(PathBuf),
    KeyExists(PathBuf),
    /// A private key other users may read: the file and its mode.
    KeyReadable(PathBuf, u32),
    NotAKey(PathBuf),
    /// Not a public key: what was given, and why.
    BadPublicKey(String, BadKey),
    /// A signing key but no `public_key`: the key file and the line to add.
    NoPublicKey(PathBuf, String),
    KeyMismatch {
        path: PathBuf,
        key: String,
        config: String,
    },
    /// A copy that cannot be verified at all: `why` is a message of its own whose text names
    /// the copy as `{target}`.
    Target {
        target: PathBuf,
        why: Msg,
    },
}

impl TrustError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        TrustError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn target(target: &Path, why: Msg) -> Self {
        TrustError::Target {
            target: target.to_path_buf(),
            why,
        }
    }

    /// The message, to be rendered in the reader's language.
    pub fn msg(&self) -> Msg {
        match self {
            TrustError::Io { path, source } => Msg::new("trust.io")
                .arg("path", path.display())
                .arg("error", source),
            TrustError::Random(e) => Msg::new("trust.random").arg("error", e),
            TrustError::KeyPublished(p) => Msg::new("trust.key_published").arg("path", p.display()),
            TrustError::KeyExists(p) => Msg::new("trust.key_exists").arg("path", p.display()),
            TrustError::KeyReadable(p, mode) => Msg::new("trust.key_readable")
                .arg("path", p.display())
                .arg("mode", format!("{mode:o}")),
            TrustError::NotAKey(p) => Msg::new("trust.not_a_key").arg("path", p.display()),
            TrustError::BadPublicKey(given, BadKey::NotBase64) => {
                Msg::new("trust.bad_public_key_base64").arg("key", given)
            }
            TrustError::BadPublicKey(given, BadKey::NotEd25519) => {
                Msg::new("trust.bad_public_key_ed25519").arg("key", given)
            }
            TrustError::NoPublicKey(p, line) => Msg::new("trust.no_public_key")
                .arg("path", p.display())
                .arg("key", line),
            TrustError::KeyMismatch { path, key, config } => Msg::new("trust.key_mismatch")
                .arg("path", path.display())
                .arg("key", key)
                .arg("config", config),
            TrustError::Target { target, why } => why.clone().arg("target", target.display()),
        }
    }
}

impl fmt::Display for TrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().english())
    }
}
