//! Trust stage: a copy of a site — its files by path — checked against its `manifest.json`
//! and `manifest.json.sig` (README, "Verifying a copy"). Readers of the copies (a folder, a
//! zip, a WARC file) are in `cmd/verify.rs` and `archive/warc.rs`; this file only compares.
//!
//! Guarantees: every file is hashed (in parallel), every difference is named — changed, added,
//! missing — and a manifest that is not what gongkai writes (truncated, hand-edited into
//! something else) is an error saying where, never a panic.

use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::{Signature, Verifier};
use rayon::prelude::*;
use serde::Deserialize;

use super::keys::PublicKey;
use crate::messages::Msg;

/// The files of a copy: path from its root (`/`-separated) → how to read its bytes.
pub type Files<'a> = BTreeMap<String, Box<dyn Fn() -> std::io::Result<Vec<u8>> + Send + Sync + 'a>>;

/// What the signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// Valid under the key the reader trusts (`--key`): fingerprint.
    Trusted(String),
    /// Valid under the key the manifest names, which nobody vouched for: fingerprint.
    Untrusted(String),
    /// No `manifest.json.sig`.
    Unsigned,
    /// Valid, but under another key than the one given: (given, signer's) fingerprints.
    WrongKey(String, String),
    /// Not a valid signature of these manifest bytes: why.
    Invalid(Msg),
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub seal: Seal,
    /// Whether a key was given to check against.
    pub key_given: bool,
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub missing: Vec<String>,
    /// Files the manifest lists.
    pub listed: usize,
}

impl Verdict {
    /// True when the copy is what was published (and, with a key, signed by it).
    pub fn ok(&self) -> bool {
        let seal_ok = match self.seal {
            Seal::Trusted(_) => true,
            Seal::Untrusted(_) | Seal::Unsigned => !self.key_given,
            Seal::WrongKey(..) | Seal::Invalid(_) => false,
        };
        seal_ok && self.changed.is_empty() && self.added.is_empty() && self.missing.is_empty()
    }
}

#[derive(Deserialize)]
struct Manifest {
    generator: String,
    public_key: Option<String>,
    files: Vec<Listed>,
}

#[derive(Deserialize)]
struct Listed {
    path: String,
    sha256: String,
}

/// Checks `files` against `manifest` (its bytes) and `signature`, with `key` if the reader
/// gave one. `ignored` says which unlisted files are not the site's (deploy metadata).
pub fn check(
    manifest: &[u8],
    signature: Option<&[u8]>,
    key: Option<&PublicKey>,
    files: &Files<'_>,
    ignored: &dyn Fn(&str) -> bool,
) -> Result<Verdict, Msg> {
    let parsed: Result<Manifest, _> = serde_json::from_slice(manifest);
    let named = parsed
        .as_ref()
        .ok()
        .and_then(|m| m.public_key.as_deref())
        .and_then(|k| PublicKey::parse(k).ok());
    let seal = seal(manifest, signature, key, named.as_ref());
    let m = match parsed {
        Ok(m) if m.generator == "gongkai" => m,
        Ok(_) => return Err(Msg::new("trust.manifest_not_gongkai")),
        // A signature that fails already says the manifest was changed; say so, not where.
        Err(_) if matches!(seal, Seal::Invalid(_)) => return Ok(verdict(seal, key)),
        Err(e) => {
            return Err(Msg::new("trust.manifest_unreadable").arg("error", e));
        }
    };
    let mut listed = BTreeMap::new();
    for f in m.files {
        if !crate::hash::is_sha256_hex(&f.sha256) {
            return Err(Msg::new("trust.manifest_no_sha").arg("path", f.path));
        }
        if listed
            .insert(f.path.clone(), f.sha256.to_ascii_lowercase())
            .is_some()
        {
            return Err(Msg::new("trust.manifest_twice").arg("path", f.path));
        }
    }
    let mut v = verdict(seal, key);
    v.listed = listed.len();
    let hashed: Vec<(String, Option<String>)> = listed
        .par_iter()
        .filter_map(|(path, _)| files.get(path).map(|read| (path, read)))
        .map(|(path, read)| {
            (
                path.clone(),
                read().ok().map(|b| crate::hash::sha256_hex(&b)),
            )
        })
        .collect();
    let hashed: BTreeMap<String, Option<String>> = hashed.into_iter().collect();
    for (path, sha) in &listed {
        match hashed.get(path) {
            None => v.missing.push(path.clone()),
            Some(got) if got.as_ref() != Some(sha) => v.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    let listed: BTreeSet<&String> = listed.keys().collect();
    v.added = files
        .keys()
        .filter(|p| !listed.contains(p) && !is_trust_file(p) && !ignored(p))
        .cloned()
        .collect();
    Ok(v)
}

fn verdict(seal: Seal, key: Option<&PublicKey>) -> Verdict {
    Verdict {
        seal,
        key_given: key.is_some(),
        changed: Vec::new(),
        added: Vec::new(),
        missing: Vec::new(),
        listed: 0,
    }
}

fn is_trust_file(path: &str) -> bool {
    path == "manifest.json" || path == "manifest.json.sig"
}

/// The signature's verdict: under the given key if any, else under the key the manifest names.
fn seal(
    manifest: &[u8],
    signature: Option<&[u8]>,
    key: Option<&PublicKey>,
    named: Option<&PublicKey>,
) -> Seal {
    let Some(sig) = signature else {
        return Seal::Unsigned;
    };
    let Ok(sig) = Signature::from_slice(sig) else {
        return Seal::Invalid(Msg::new("trust.sig_not_ed25519").arg("len", sig.len()));
    };
    let valid = |k: &PublicKey| k.0.verify(manifest, &sig).is_ok();
    match (key, named) {
        (Some(k), _) if valid(k) => Seal::Trusted(k.fingerprint()),
        (Some(k), Some(n)) if n != k && valid(n) => {
            Seal::WrongKey(k.fingerprint(), n.fingerprint())
        }
        (Some(k), _) => {
            Seal::Invalid(Msg::new("trust.sig_mismatch_given").arg("key", k.fingerprint()))
        }
        (None, Some(n)) if valid(n) => Seal::Untrusted(n.fingerprint()),
        (None, Some(n)) => {
            Seal::Invalid(Msg::new("trust.sig_mismatch_named").arg("key", n.fingerprint()))
        }
        (None, None) => Seal::Invalid(Msg::new("trust.sig_no_key")),
    }
}
