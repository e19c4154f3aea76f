//! The `gongkai` command line, signing and checking (README, "Signed manifests"): `keygen`,
//! `verify`, and the signing key named by `GONGKAI_SIGNING_KEY`. Prints what the commands in
//! `gongkai::cmd` did; kept apart from `main.rs` so each file stays small.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai::Error;
use gongkai::cmd;
use gongkai::diagnostics::for_terminal;
use gongkai::messages::{Messages, Msg};
use gongkai::trust::check::{Seal, Verdict};

/// `GONGKAI_SIGNING_KEY`, read here at the edge and passed down.
pub(crate) fn signing_key_env() -> Option<PathBuf> {
    std::env::var_os(gongkai::trust::sign::KEY_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

pub(crate) fn keygen(out: Option<PathBuf>, root: &Path, ui: &Messages) -> Result<(), Error> {
    let out = match out {
        Some(out) => out,
        None => {
            let config_home = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
                .ok_or_else(|| Error::Usage(Msg::new("trust.no_home")))?;
            cmd::keygen::default_out(&config_home)
        }
    };
    let pair = cmd::keygen::run(root, &out)?;
    let wrote = Msg::new("trust.keygen_wrote")
        .arg("private", pair.private.display())
        .arg("public", pair.public.display());
    let fingerprint = Msg::new("trust.keygen_fingerprint").arg("key", pair.key.fingerprint());
    for m in [wrote, fingerprint, Msg::new("trust.keygen_add")] {
        eprintln!("{}", for_terminal(&ui.render(&m)));
    }
    // The lines to paste into site.yaml: keys as YAML reads them, in every language.
    println!("public_key: {}", pair.key.base64());
    println!("signing_key: {}", pair.private.display());
    Ok(())
}

/// `gongkai verify`: every difference on stdout, the verdict on stderr; exit 1 unless the
/// copy is what was published.
pub(crate) fn verify(target: &Path, key: Option<&str>, ui: &Messages) -> ExitCode {
    let v = match cmd::verify::run(target, key) {
        Ok(v) => v,
        Err(e) => return super::failed(e, false, ui),
    };
    let d = &v.verdict;
    for (what, paths) in [
        (Msg::new("trust.changed"), &d.changed),
        (Msg::new("trust.added"), &d.added),
        (Msg::new("trust.missing"), &d.missing),
    ] {
        for p in paths {
            println!("{}", for_terminal(&ui.render(&what.clone().arg("path", p))));
        }
    }
    eprintln!("{}", for_terminal(&seal(d, ui)));
    let kind = ui.render(&match v.kind {
        "zip" => Msg::new("trust.kind_zip"),
        "WARC" => Msg::new("trust.kind_warc"),
        _ => Msg::new("trust.kind_folder"),
    });
    let verdict = if d.ok() {
        Msg::new("trust.verified")
    } else {
        let bad = d.changed.len() + d.added.len() + d.missing.len();
        Msg::new("trust.failed").arg("bad", bad)
    };
    let verdict = verdict
        .arg("target", target.display())
        .arg("kind", kind)
        .arg("listed", d.listed);
    eprintln!("{}", for_terminal(&ui.render(&verdict)));
    if d.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The signature's line of the verdict.
fn seal(d: &Verdict, ui: &Messages) -> String {
    let m = match &d.seal {
        Seal::Trusted(fp) => Msg::new("trust.seal_trusted").arg("key", fp),
        Seal::Untrusted(fp) => Msg::new("trust.seal_untrusted").arg("key", fp),
        Seal::Unsigned if d.key_given => Msg::new("trust.seal_missing"),
        Seal::Unsigned => Msg::new("trust.seal_none"),
        Seal::WrongKey(given, signer) => Msg::new("trust.seal_wrong_key")
            .arg("given", given)
            .arg("signer", signer),
        Seal::Invalid(why) => {
            return format!("{}{}", ui.text("trust.seal_invalid"), ui.render(why));
        }
    };
    ui.render(&m)
}
