//! `gongkai archive <year> --warc` (README, "Archiving"): an independent reader (Python's
//! `warcio`, installed by `.ci/run`) reads the file without errors and every record's payload
//! is the file the bundle holds; the same input gives the same bytes; `verify` passes it and
//! names a record that was changed.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use common::{TempSite, run};

/// warcio is required: a test that skipped itself where it is missing would pass without
/// checking anything.
fn python_with_warcio() -> &'static str {
    let ok = Command::new("python3")
        .args(["-c", "import warcio"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "these tests need Python's warcio: `pip install warcio` (.ci/run installs it)"
    );
    "python3"
}

fn warc(site: &TempSite, name: &str) -> std::path::PathBuf {
    let out = site.parent().join(name);
    let (code, _, stderr) = run(&[
        "archive",
        "2022",
        "--warc",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    out
}

/// What warcio reads: target URI → (HTTP status, Content-Type, payload SHA-256), after
/// checking every digest (`warcio check`).
fn replay(path: &Path) -> BTreeMap<String, (String, String, String)> {
    let python = python_with_warcio();
    let check = Command::new(python)
        .args(["-m", "warcio.cli", "check", "-v"])
        .arg(path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "warcio check failed:\n{report}");
    assert!(!report.contains("digest failed"), "{report}");
    let script = r#"
import hashlib, json, sys
from warcio.archiveiterator import ArchiveIterator
out = {}
types = []
with open(sys.argv[1], "rb") as f:
    for r in ArchiveIterator(f):
        types.append(r.rec_type)
        if r.rec_type == "response":
            body = r.content_stream().read()
            out[r.rec_headers.get_header("WARC-Target-URI")] = [
                r.http_headers.get_statuscode(),
                r.http_headers.get_header("Content-Type"),
                hashlib.sha256(body).hexdigest(),
            ]
assert types[0] == "warcinfo" and all(t == "response" for t in types[1:]), types
print(json.dumps(out))
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let map: BTreeMap<String, Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    map.into_iter()
        .map(|(k, v)| (k, (v[0].clone(), v[1].clone(), v[2].clone())))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    gongkai::hash::sha256_hex(bytes)
}

#[test]
fn warcio_reads_every_record_and_each_payload_is_the_bundled_file() {
    let site = TempSite::sample();
    let path = warc(&site, "y.warc.gz");
    let records = replay(&path);
    let (_, files) =
        gongkai::cmd::archive::files(&gongkai::BuildOptions::new(site.root()), 2022).unwrap();
    let base = "https://www.example.gov.cn/fzzf/";
    let expected: BTreeMap<String, String> = files
        .iter()
        .map(|(p, b)| (format!("{base}{p}"), sha256(b)))
        .collect();
    let got: BTreeMap<String, String> = records
        .iter()
        .map(|(u, (_, _, h))| (u.clone(), h.clone()))
        .collect();
    assert_eq!(got, expected);
    for (uri, (status, mime, _)) in &records {
        assert_eq!(status, "200", "{uri}");
        let want = if uri.ends_with(".html") {
            "text/html; charset=utf-8"
        } else if uri.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            continue;
        };
        assert_eq!(mime, want, "{uri}");
    }
    let (code, _, stderr) = run(&["verify", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_same_input_gives_the_same_warc_bytes() {
    let site = TempSite::sample();
    let one = std::fs::read(warc(&site, "a.warc.gz")).unwrap();
    let two = std::fs::read(warc(&site, "b.warc.gz")).unwrap();
    assert!(one == two, "two runs differ");
    // Run again over the first: a WARC gongkai wrote is replaced without --force.
    assert_eq!(std::fs::read(warc(&site, "a.warc.gz")).unwrap(), one);
}

#[test]
fn verify_names_a_changed_record() {
    let site = TempSite::sample();
    let path = warc(&site, "t.warc.gz");
    // Unpack, change one byte of the home page's payload (keeping lengths), pack as one
    // gzip stream: a reader sees the same records, the page's digests no longer match.
    let mut plain = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_end(&mut plain)
        .unwrap();
    let uri = b"WARC-Target-URI: https://www.example.gov.cn/fzzf/zh/index.html\r\n";
    let at = plain.windows(uri.len()).position(|w| w == uri).unwrap();
    let body = at + plain[at..].windows(5).position(|w| w == b"<html").unwrap();
    plain[body + 1] = b'H';
    // And only the HTTP head of the feed's record: its payload is intact, its block digest
    // no longer matches.
    let uri = b"WARC-Target-URI: https://www.example.gov.cn/fzzf/zh/feed.xml\r\n";
    let at = plain.windows(uri.len()).position(|w| w == uri).unwrap();
    let ok = at + plain[at..].windows(6).position(|w| w == b"200 OK").unwrap();
    plain[ok + 5] = b'k';
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let (code, stdout, stderr) = run(&["verify", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout.trim(),
        "changed: zh/feed.xml\nchanged: zh/index.html"
    );
    // A WARC cut short: an error, not a panic.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, stderr) = run(&["verify", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("truncated"), "{stderr}");
}
