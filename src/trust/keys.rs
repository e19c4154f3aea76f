//! Trust stage: Ed25519 keys as files (README, "Signed manifests"). The private key is PKCS#8
//! PEM and the public key SubjectPublicKeyInfo PEM, the formats `openssl` reads, so a signature
//! can be checked without gongkai; `site.yaml` holds the public key as one line of base64 (the
//! PEM's body).
//!
//! Guarantees: a private key file is created with owner-only permissions from its first byte
//! (`open` with mode 0600, never a chmod after) and never replaces an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::error::{BadKey, TrustError};

/// Where the build publishes the public key, from the output root. Not under `.well-known/`:
/// that folder is deploy metadata the build keeps from the old output (README, "Deploying").
pub const PUBLIC_KEY_FILE: &str = "keys/public-key.pem";

/// An Ed25519 public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub VerifyingKey);

impl PublicKey {
    /// Reads the base64 line of `site.yaml` or `keygen`, or a whole PEM file's text.
    pub fn parse(text: &str) -> Result<PublicKey, BadKey> {
        let body: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("-----"))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| BadKey::NotBase64)?;
        VerifyingKey::from_public_key_der(&der)
            .map(PublicKey)
            .map_err(|_| BadKey::NotEd25519)
    }

    /// One line of base64: the body of [`PublicKey::pem`].
    pub fn base64(&self) -> String {
        STANDARD.encode(self.der())
    }

    fn der(&self) -> Vec<u8> {
        // Encoding 32 bytes into a fixed structure cannot fail.
        self.0
            .to_public_key_der()
            .map_or_else(|_| Vec::new(), |d| d.into_vec())
    }

    /// The published file: `-----BEGIN PUBLIC KEY-----` PEM.
    pub fn pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_else(|_| String::new())
    }

    /// SHA-256 of the 32 key bytes in hex, in groups of four: what a reader compares by eye
    /// with the home page footer and `gongkai verify`'s output.
    pub fn fingerprint(&self) -> String {
        let hex: Vec<String> = Sha256::digest(self.0.as_bytes())
            .chunks(2)
            .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
            .collect();
        hex.join(" ")
    }
}

/// The keys `site.yaml` names: the public key published with the site, and the private key
/// file (relative to the site root) that signs its manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteKeys {
    pub public: Option<PublicKey>,
    pub signing_key: Option<PathBuf>,
}

impl SiteKeys {
    /// Checks `public_key:`; the error says why it is not a key (in English: the site.yaml
    /// check words its own message around it).
    pub fn new(public: Option<&str>, signing_key: Option<PathBuf>) -> Result<SiteKeys, String> {
        let public = public
            .map(PublicKey::parse)
            .transpose()
            .map_err(|bad| bad.reason().english())?;
        Ok(SiteKeys {
            public,
            signing_key,
        })
    }
}

/// A new key pair from the operating system's random source.
pub fn generate() -> Result<SigningKey, TrustError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| TrustError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The private key's PEM text.
pub fn private_pem(key: &SigningKey) -> Result<String, TrustError> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|p| p.to_string())
        .map_err(|e| TrustError::Random(e.to_string()))
}

/// Writes `text` to a new file `path` readable by its owner only (Unix), failing if it exists.
pub fn write_private(path: &Path, text: &str) -> Result<(), TrustError> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut file = open.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => TrustError::KeyExists(path.to_path_buf()),
        _ => TrustError::io(path, e),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| TrustError::io(path, e))
}

/// Reads a private key file; on Unix refuses one that others may read (as ssh does), since a
/// key that leaked can sign anything in the bureau's name.
pub fn read_private(path: &Path) -> Result<SigningKey, TrustError> {
    let text = std::fs::read_to_string(path).map_err(|e| TrustError::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| TrustError::io(path, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(TrustError::KeyReadable(path.to_path_buf(), mode & 0o777));
        }
    }
    SigningKey::from_pkcs8_pem(&text).map_err(|_| TrustError::NotAKey(path.to_path_buf()))
}

/// Reads `--key`: a public key file (PEM or the base64 line), or the base64 line itself.
pub fn read_public(arg: &str) -> Result<PublicKey, TrustError> {
    let path = PathBuf::from(arg);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !arg.contains('/') => arg.to_string(),
        Err(e) => return Err(TrustError::io(&path, e)),
    };
    PublicKey::parse(&text).map_err(|why| TrustError::BadPublicKey(arg.to_string(), why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_round_trips_through_base64_and_pem() {
        let key = PublicKey(SigningKey::from_bytes(&[7; 32]).verifying_key());
        assert_eq!(PublicKey::parse(&key.base64()), Ok(key));
        assert_eq!(PublicKey::parse(&key.pem()), Ok(key));
        assert!(key.pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert_eq!(key.fingerprint().len(), 16 * 4 + 15);
        assert!(PublicKey::parse("not a key").is_err());
        assert!(PublicKey::parse(&STANDARD.encode([1u8; 44])).is_err());
    }
}
