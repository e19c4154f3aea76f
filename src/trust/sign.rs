//! Trust stage: the key that signs a build's `manifest.json`, chosen and checked before
//! anything is written (README, "Signed manifests"). The signature is the raw 64 bytes of
//! Ed25519 over the manifest's exact bytes, in `manifest.json.sig` beside it, so `openssl
//! pkeyutl -verify -rawin` checks it too.

use std::path::Path;

use ed25519_dalek::{Signer as _, SigningKey};

use super::error::TrustError;
use super::keys::{PublicKey, read_private};
use super::place::check_key_place;

/// The detached signature, beside `manifest.json`.
pub const SIGNATURE_FILE: &str = "manifest.json.sig";

/// Where a private key comes from besides `signing_key:` in `site.yaml` (and before it: a
/// publishing machine's secret wins over the editor's configuration).
pub const KEY_ENV: &str = "GONGKAI_SIGNING_KEY";

/// A private key checked against the site's `public_key`.
pub struct Signer {
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.public().fingerprint())
    }
}

impl Signer {
    pub fn public(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    /// The detached signature of `bytes`.
    pub fn sign(&self, bytes: &[u8]) -> Vec<u8> {
        self.key.sign(bytes).to_bytes().to_vec()
    }
}

/// The signer of a build into `out` (`None` for in-memory builds): the private key at
/// `key_path` when one is configured, which must not be published and must match `public`.
pub fn signer(
    key_path: Option<&Path>,
    public: Option<&PublicKey>,
    root: &Path,
    out: Option<&Path>,
) -> Result<Option<Signer>, TrustError> {
    let Some(path) = key_path else {
        return Ok(None);
    };
    check_key_place(root, out, path)?;
    let signer = Signer {
        key: read_private(path)?,
    };
    let own = signer.public();
    match public {
        None => Err(TrustError::NoPublicKey(path.to_path_buf(), own.base64())),
        Some(p) if *p != own => Err(TrustError::KeyMismatch {
            path: path.to_path_buf(),
            key: own.fingerprint(),
            config: p.fingerprint(),
        }),
        Some(_) => Ok(Some(signer)),
    }
}
