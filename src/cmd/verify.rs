//! `gongkai verify TARGET [--key PUBKEY]` (README, "Verifying a copy"): reads a copy of a site —
//! an output folder, an offline bundle zip or a WARC file — and checks it against its
//! `manifest.json` and signature ([`crate::trust::check`]). Needs nothing but the copy and,
//! to trust the signature, the public key.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::archive::warc;
use crate::messages::Msg;
use crate::output::{KEPT, MARKER};
use crate::pipeline::Error;
use crate::trust::TrustError;
use crate::trust::check::{Files, Verdict, check};
use crate::trust::keys::read_public;

/// The largest file read from a zip or WARC: far above any page, so a crafted archive cannot
/// make verify allocate without bound.
const MAX_FILE: u64 = 1 << 30;

/// What kind of copy was checked, and the verdict.
#[derive(Debug)]
pub struct Verified {
    pub kind: &'static str,
    pub verdict: Verdict,
}

/// Checks `target` with the public key `key` (a file or the base64 line), if given.
pub fn run(target: &Path, key: Option<&str>) -> Result<Verified, Error> {
    let key = key.map(read_public).transpose()?;
    let bad = |why: Msg| Error::Trust(TrustError::target(target, why));
    let meta = std::fs::metadata(target).map_err(|e| TrustError::io(target, e))?;
    let (kind, files, ignored): (_, Files<'_>, fn(&str) -> bool) = if meta.is_dir() {
        ("folder", folder(target), deploy_metadata)
    } else {
        let bytes = std::fs::read(target).map_err(|e| TrustError::io(target, e))?;
        if bytes.starts_with(b"PK\x03\x04") {
            ("zip", in_memory(zip(&bytes).map_err(bad)?), nothing)
        } else if bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(b"WARC/") {
            ("WARC", in_memory(warc_files(&bytes).map_err(bad)?), nothing)
        } else {
            return Err(bad(Msg::new("trust.not_a_copy")));
        }
    };
    let read = |name: &str| files.get(name).map(|r| r());
    let manifest = match read("manifest.json") {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Err(bad(Msg::new("trust.manifest_cannot_read").arg("error", e))),
        None => return Err(bad(Msg::new("trust.no_manifest"))),
    };
    let signature = read("manifest.json.sig").and_then(Result::ok);
    let verdict = check(
        &manifest,
        signature.as_deref(),
        key.as_ref(),
        &files,
        &ignored,
    )
    .map_err(bad)?;
    Ok(Verified { kind, verdict })
}

/// Files a deploy keeps in an output folder that no build wrote (README, "Deploying").
fn deploy_metadata(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or(path);
    top == MARKER || KEPT.contains(&top)
}

fn nothing(_: &str) -> bool {
    false
}

/// Every file under `dir` (symbolic links not followed: one is reported as added, since a build
/// writes none), read when checked.
fn folder(dir: &Path) -> Files<'static> {
    let mut files: Files<'static> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let path = entry.path().to_path_buf();
        let is_file = entry.file_type().is_file();
        files.insert(
            name.join("/"),
            Box::new(move || {
                if is_file {
                    std::fs::read(&path)
                } else {
                    Err(std::io::Error::other("not a regular file"))
                }
            }),
        );
    }
    files
}

fn in_memory(map: BTreeMap<String, Vec<u8>>) -> Files<'static> {
    map.into_iter()
        .map(|(k, v)| {
            let read: Box<dyn Fn() -> std::io::Result<Vec<u8>> + Send + Sync> =
                Box::new(move || Ok(v.clone()));
            (k, read)
        })
        .collect()
}

fn zip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, Msg> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Msg::new("trust.zip_unreadable").arg("error", e))?;
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| Msg::new("trust.zip_entry").arg("entry", i).arg("error", e))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().unwrap_or_default().to_string();
        let mut data = Vec::new();
        (&mut entry)
            .take(MAX_FILE)
            .read_to_end(&mut data)
            .map_err(|e| {
                Msg::new("trust.zip_entry_named")
                    .arg("name", &name)
                    .arg("error", e)
            })?;
        if files.insert(name.clone(), data).is_some() {
            return Err(Msg::new("trust.zip_twice").arg("name", name));
        }
    }
    Ok(files)
}

/// The files of a WARC: each `response` record's payload at its address under the
/// `base_url` the `warcinfo` record names. A record whose digests no longer match gets a
/// mark that no hash matches, so it shows as changed.
fn warc_files(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, Msg> {
    let records = warc::read(bytes)?;
    let info = records
        .first()
        .filter(|r| r.header("WARC-Type") == Some("warcinfo"))
        .ok_or_else(|| Msg::new("trust.warc_no_info"))?;
    let fields = String::from_utf8_lossy(&info.block);
    let base = fields
        .lines()
        .find_map(|l| l.strip_prefix("gongkai-base-url:"))
        .map(str::trim)
        .ok_or_else(|| Msg::new("trust.warc_no_base_url"))?
        .to_string();
    let mut files = BTreeMap::new();
    for (n, r) in records.iter().enumerate().skip(1) {
        if r.header("WARC-Type") != Some("response") {
            continue;
        }
        let uri = r.header("WARC-Target-URI").unwrap_or_default();
        let path = uri.strip_prefix(base.as_str()).unwrap_or(uri).to_string();
        let mut payload = r
            .payload()
            .ok_or_else(|| Msg::new("trust.warc_no_response").arg("n", n + 1))?
            .to_vec();
        if !r.digests_match() {
            payload.extend_from_slice(b"\0(WARC digest mismatch)");
        }
        files.insert(path, payload);
    }
    Ok(files)
}
