//! `gongkai keygen [--out FILE]` (README, "Signed manifests"): a new Ed25519 key pair — the
//! private key (PKCS#8 PEM, owner-only from its creation) and beside it `FILE.pub` (the public
//! key as PEM). Never inside a published folder of the site, never over an existing file.

use std::path::{Path, PathBuf};

use crate::pipeline::Error;
use crate::trust::TrustError;
use crate::trust::keys::{self, PublicKey};
use crate::trust::place::check_key_place;

/// What `gongkai keygen` wrote.
#[derive(Debug)]
pub struct KeyPair {
    pub private: PathBuf,
    pub public: PathBuf,
    pub key: PublicKey,
}

/// Where the private key goes without `--out`: the user's configuration folder, outside any
/// site (and any git checkout of one).
pub fn default_out(config_home: &Path) -> PathBuf {
    config_home.join("gongkai").join("signing-key.pem")
}

/// Writes a new key pair at `out` (private) and `out.pub`, refusing places inside the site at
/// `root` that are published.
pub fn run(root: &Path, out: &Path) -> Result<KeyPair, Error> {
    check_key_place(root, None, out)?;
    let public_path = PathBuf::from(format!("{}.pub", out.display()));
    for p in [out, public_path.as_path()] {
        if p.exists() {
            return Err(TrustError::KeyExists(p.to_path_buf()).into());
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mut dir = std::fs::DirBuilder::new();
        dir.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(parent).map_err(|e| TrustError::io(parent, e))?;
        // The folder may be a link into a published one: check what it resolves to.
        check_key_place(root, None, out)?;
    }
    let signing = keys::generate()?;
    let key = PublicKey(signing.verifying_key());
    keys::write_private(out, &keys::private_pem(&signing)?)?;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    std::io::Write::write_all(
        &mut open
            .open(&public_path)
            .map_err(|e| TrustError::io(&public_path, e))?,
        key.pem().as_bytes(),
    )
    .map_err(|e| TrustError::io(&public_path, e))?;
    Ok(KeyPair {
        private: out.to_path_buf(),
        public: public_path,
        key,
    })
}
