//! The `gongkai` command line, signing and checking (README, "Signed manifests"): `keygen`,
//! `verify`, and the signing key named by `GONGKAI_SIGNING_KEY`. Prints what the commands in
//! `gongkai::cmd` did; kept apart from `main.rs` so each file stays small.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai::Error;
use gongkai::cmd;
use gongkai::diagnostics::for_terminal;

/// `GONGKAI_SIGNING_KEY`, read here at the edge and passed down.
pub(crate) fn signing_key_env() -> Option<PathBuf> {
    std::env::var_os(gongkai::trust::sign::KEY_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

pub(crate) fn keygen(out: Option<PathBuf>, root: &Path) -> Result<(), Error> {
    let out = match out {
        Some(out) => out,
        None => {
            let config_home = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
                .ok_or_else(|| Error::Usage("no home folder: give --out FILE".into()))?;
            cmd::keygen::default_out(&config_home)
        }
    };
    let pair = cmd::keygen::run(root, &out)?;
    eprintln!(
        "wrote the private key {} (keep it secret, outside the site) and the public key {}",
        pair.private.display(),
        pair.public.display()
    );
    eprintln!("fingerprint: {}", pair.key.fingerprint());
    eprintln!("add to site.yaml (or set GONGKAI_SIGNING_KEY instead of signing_key):");
    println!("public_key: {}", pair.key.base64());
    println!("signing_key: {}", pair.private.display());
    Ok(())
}

/// `gongkai verify`: every difference on stdout, the verdict on stderr; exit 1 unless the
/// copy is what was published.
pub(crate) fn verify(
    target: &Path,
    key: Option<&str>,
    ui: &gongkai::messages::Messages,
) -> ExitCode {
    use gongkai::trust::check::Seal;
    let v = match cmd::verify::run(target, key) {
        Ok(v) => v,
        Err(e) => return super::failed(e, false, ui),
    };
    let d = &v.verdict;
    for (what, paths) in [
        ("changed", &d.changed),
        ("added", &d.added),
        ("missing", &d.missing),
    ] {
        for p in paths {
            println!("{what}: {}", for_terminal(p));
        }
    }
    match &d.seal {
        Seal::Trusted(fp) => eprintln!("signature: valid, made with the key you gave ({fp})"),
        Seal::Untrusted(fp) => eprintln!(
            "signature: valid for the key the manifest names ({fp}), but not checked against a key you trust: pass --key with the published public key"
        ),
        Seal::Unsigned if d.key_given => eprintln!("signature: missing (no manifest.json.sig)"),
        Seal::Unsigned => eprintln!("signature: none (the manifest is not signed); hashes only"),
        Seal::WrongKey(given, signer) => {
            eprintln!("signature: made with another key ({signer}), not the one you gave ({given})")
        }
        Seal::Invalid(why) => eprintln!("signature: INVALID: {why}"),
    }
    let bad = d.changed.len() + d.added.len() + d.missing.len();
    if d.ok() {
        eprintln!(
            "ok: {} ({}): all {} files as listed",
            target.display(),
            v.kind,
            d.listed
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "FAILED: {} ({}): {bad} files changed, added or missing of {} listed",
            target.display(),
            v.kind,
            d.listed
        );
        ExitCode::from(1)
    }
}
