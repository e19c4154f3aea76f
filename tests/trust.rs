//! Signed manifests (README, "Signed manifests" and "Verifying a copy"): `keygen`, signing by
//! `build` and `archive`, and `verify` on untouched and tampered copies, through the real
//! binary.

mod common;

use std::path::{Path, PathBuf};

use common::{TempSite, copy_dir, gongkai, run, run_cmd};

/// A change made to a copy of the output.
type Tamper = Box<dyn Fn(&Path)>;

/// A copy of the sample site with a key pair outside it, its `public_key` and `signing_key`
/// in `site.yaml`, built into `<tmp>/out`.
struct Signed {
    site: TempSite,
    key: PathBuf,
    public: PathBuf,
    out: PathBuf,
}

fn keygen(site: &TempSite, out: &Path) -> (i32, String, String) {
    run(&[
        "keygen",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn signed() -> Signed {
    let site = TempSite::sample();
    let key = site.parent().join("secret/signing.pem");
    let (code, stdout, stderr) = keygen(&site, &key);
    assert_eq!(code, 0, "{stderr}");
    let yaml = site.read("site.yaml") + &stdout;
    site.write("site.yaml", yaml);
    let out = site.parent().join("out");
    build(&site, &out, None);
    let public = PathBuf::from(format!("{}.pub", key.display()));
    Signed {
        site,
        key,
        public,
        out,
    }
}

fn build(site: &TempSite, out: &Path, env_key: Option<&Path>) -> (i32, String, String) {
    let mut cmd = gongkai();
    cmd.args(["build", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(out)
        .env_remove("GONGKAI_SIGNING_KEY");
    if let Some(k) = env_key {
        cmd.env("GONGKAI_SIGNING_KEY", k);
    }
    run_cmd(&mut cmd)
}

fn verify(target: &Path, key: Option<&Path>) -> (i32, String, String) {
    let mut cmd = gongkai();
    cmd.arg("verify").arg(target);
    if let Some(k) = key {
        cmd.arg("--key").arg(k);
    }
    run_cmd(&mut cmd)
}

/// A fresh copy of the signed output, to tamper with.
fn copy(s: &Signed, name: &str) -> PathBuf {
    let to = s.site.parent().join(name);
    copy_dir(&s.out, &to);
    to
}

#[test]
fn untouched_build_bundle_and_warc_pass_with_the_key() {
    let s = signed();
    assert!(s.out.join("manifest.json.sig").is_file());
    assert!(s.out.join("keys/public-key.pem").is_file());
    let zip = s.site.parent().join("b.zip");
    let warc = s.site.parent().join("b.warc.gz");
    let root = s.site.root().to_str().unwrap().to_string();
    for extra in [
        vec!["--out", zip.to_str().unwrap()],
        vec!["--warc", "--out", warc.to_str().unwrap()],
    ] {
        let mut args = vec!["archive", "2022", "--root", &root];
        args.extend(extra);
        let (code, _, err) = run_cmd(gongkai().args(&args).env("GONGKAI_SIGNING_KEY", &s.key));
        assert_eq!(code, 0, "{err}");
    }
    for target in [&s.out, &zip, &warc] {
        let (code, stdout, stderr) = verify(target, Some(&s.public));
        assert_eq!(code, 0, "{}: {stdout}{stderr}", target.display());
        assert!(
            stderr.contains("valid, made with the key you gave"),
            "{stderr}"
        );
        assert!(stdout.is_empty(), "{stdout}");
    }
    // Without a key the hashes are checked, and the output says the signer was not checked.
    let (code, _, stderr) = verify(&s.out, None);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("not checked against a key you trust"),
        "{stderr}"
    );
}

#[test]
fn manifest_lists_every_published_file_but_itself() {
    let s = signed();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut on_disk: Vec<String> = common::read_tree(&s.out).into_keys().collect();
    on_disk.retain(|p| {
        !["manifest.json", "manifest.json.sig", ".gongkai-output"].contains(&p.as_str())
    });
    assert_eq!(listed, on_disk);
    for must in [
        "404.html",
        "sitemap.xml",
        "zh/feed.xml",
        "keys/public-key.pem",
        "zh/search/meta.js",
    ] {
        assert!(listed.iter().any(|p| p == must), "{must} not listed");
    }
    let key_line = std::fs::read_to_string(&s.public).unwrap();
    assert_eq!(
        manifest["public_key"].as_str().unwrap(),
        key_line.lines().nth(1).unwrap()
    );
    let home = std::fs::read_to_string(s.out.join("en/index.html")).unwrap();
    let zh_home = std::fs::read_to_string(s.out.join("zh/index.html")).unwrap();
    // The fingerprint `keygen` printed is on both home pages, linked to the key.
    let fp = fingerprint(&s);
    for page in [&home, &zh_home] {
        assert!(page.contains(&fp), "no fingerprint {fp} on the home page");
        assert!(page.contains("href=\"../keys/public-key.pem\""));
    }
}

/// The fingerprint `build` reports for the key.
fn fingerprint(s: &Signed) -> String {
    let (code, _, stderr) = build(&s.site, &s.site.parent().join("again"), None);
    assert_eq!(code, 0, "{stderr}");
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("signed manifest.json with key "))
        .expect("build says it signed")
        .to_string()
}

#[test]
fn verify_names_each_changed_added_or_missing_file() {
    let s = signed();
    let search = std::fs::read_dir(s.out.join("zh/search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n != "meta.js" && !n.starts_with('.'))
        .map(|n| format!("zh/search/{n}"))
        .unwrap();
    let flip = |rel: String| -> Tamper {
        Box::new(move |dir: &Path| {
            let p = dir.join(&rel);
            let mut bytes = std::fs::read(&p).unwrap();
            let mid = bytes.len() / 2;
            bytes[mid] ^= 1;
            std::fs::write(&p, bytes).unwrap();
        })
    };
    let cases: Vec<(&str, Tamper, String)> = vec![
        (
            "page",
            flip("zh/2022/justice-bureau/index.html".into()),
            "changed: zh/2022/justice-bureau/index.html".into(),
        ),
        ("search", flip(search.clone()), format!("changed: {search}")),
        (
            "key",
            flip("keys/public-key.pem".into()),
            "changed: keys/public-key.pem".into(),
        ),
        (
            "deleted",
            Box::new(|d: &Path| std::fs::remove_file(d.join("zh/feed.xml")).unwrap()),
            "missing: zh/feed.xml".into(),
        ),
        (
            "added",
            Box::new(|d: &Path| std::fs::write(d.join("zh/extra.html"), "x").unwrap()),
            "added: zh/extra.html".into(),
        ),
    ];
    for (name, tamper, expected) in cases {
        let dir = copy(&s, name);
        tamper(&dir);
        let (code, stdout, stderr) = verify(&dir, Some(&s.public));
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert_eq!(stdout.trim(), expected, "{name}");
        assert!(stderr.contains("FAILED"), "{stderr}");
    }
}

#[test]
fn a_changed_manifest_or_signature_is_a_bad_signature() {
    let s = signed();
    let flip_at = |dir: &Path, rel: &str, at: usize| {
        let p = dir.join(rel);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[at] ^= 1;
        std::fs::write(&p, bytes).unwrap();
    };
    // One byte of the manifest (inside a hash), of the signature; a truncated manifest; a
    // truncated signature.
    let manifest = std::fs::read_to_string(s.out.join("manifest.json")).unwrap();
    let in_hash = manifest.find("\"sha256\": \"").unwrap() + 12;
    let cases: Vec<(&str, Tamper, &str)> = vec![
        (
            "manifest",
            Box::new(move |d: &Path| flip_at(d, "manifest.json", in_hash)),
            "does not match manifest.json",
        ),
        (
            "signature",
            Box::new(move |d: &Path| flip_at(d, "manifest.json.sig", 10)),
            "does not match manifest.json",
        ),
        (
            "truncated",
            Box::new(|d: &Path| {
                let p = d.join("manifest.json");
                let bytes = std::fs::read(&p).unwrap();
                std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            }),
            "does not match manifest.json",
        ),
        (
            "short-sig",
            Box::new(|d: &Path| std::fs::write(d.join("manifest.json.sig"), [0u8; 10]).unwrap()),
            "not an Ed25519 signature",
        ),
        (
            "no-sig",
            Box::new(|d: &Path| std::fs::remove_file(d.join("manifest.json.sig")).unwrap()),
            "signature: missing",
        ),
    ];
    for (name, tamper, expected) in cases {
        let dir = copy(&s, name);
        tamper(&dir);
        let (code, stdout, stderr) = verify(&dir, Some(&s.public));
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn another_key_is_named_as_the_wrong_key() {
    let s = signed();
    let other = s.site.parent().join("other/k.pem");
    assert_eq!(keygen(&s.site, &other).0, 0);
    let other_pub = PathBuf::from(format!("{}.pub", other.display()));
    // The reader holds another key than the one that signed.
    let (code, _, stderr) = verify(&s.out, Some(&other_pub));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("made with another key"), "{stderr}");
    // Someone re-signs a changed site with their own key and publishes their key with it:
    // with the bureau's key the copy fails; without one, verify says nobody vouched for it.
    let forged = s.site.dir();
    let yaml = forged.read("site.yaml");
    let own = std::fs::read_to_string(&other_pub).unwrap();
    let own_line = own.lines().nth(1).unwrap();
    let mut lines: Vec<String> = yaml
        .lines()
        .filter(|l| !l.starts_with("public_key:") && !l.starts_with("signing_key:"))
        .map(String::from)
        .collect();
    lines.push(format!("public_key: {own_line}"));
    forged.write("site.yaml", lines.join("\n") + "\n");
    let out = s.site.parent().join("forged");
    let (code, _, err) = build(&s.site, &out, Some(&other));
    assert_eq!(code, 0, "{err}");
    let (code, _, stderr) = verify(&out, Some(&s.public));
    assert_eq!(code, 1, "{stderr}");
    let (_, _, stderr) = verify(&out, None);
    assert!(
        stderr.contains("not checked against a key you trust"),
        "{stderr}"
    );
}

#[test]
fn an_unsigned_output_passes_on_hashes_only_and_fails_with_a_key() {
    let site = TempSite::sample();
    let out = site.parent().join("out");
    assert_eq!(build(&site, &out, None).0, 0);
    assert!(!out.join("manifest.json.sig").exists());
    let (code, _, stderr) = verify(&out, None);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("hashes only"), "{stderr}");
    let key = site.parent().join("k.pem");
    assert_eq!(keygen(&site, &key).0, 0);
    let (code, _, stderr) = verify(&out, Some(&PathBuf::from(format!("{}.pub", key.display()))));
    assert_eq!(code, 1, "{stderr}");
    // A manifest cut short, unsigned: an error saying so, not a panic.
    let p = out.join("manifest.json");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 40]).unwrap();
    let (code, _, stderr) = verify(&out, None);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("truncated or edited by hand"), "{stderr}");
}

#[test]
fn keygen_writes_an_owner_only_key_and_refuses_published_folders() {
    let site = TempSite::sample();
    let key = site.parent().join("keys/k.pem");
    let (code, stdout, stderr) = keygen(&site, &key);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("public_key: MCowBQYDK2VwAyEA"),
        "{stdout}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // Never over an existing key.
    let (code, _, stderr) = keygen(&site, &key);
    assert_eq!(code, 1);
    assert!(stderr.contains("never overwritten"), "{stderr}");
    std::fs::create_dir_all(site.parent().join("www")).unwrap();
    std::fs::write(site.parent().join("www/.gongkai-output"), "").unwrap();
    for inside in [
        "content/k.pem",
        "static/k.pem",
        "public/k.pem",
        "themes/x/k.pem",
        "../www/k.pem",
    ] {
        let (code, _, stderr) = keygen(&site, &site.path(inside));
        assert_eq!(code, 1, "{inside}");
        assert!(stderr.contains("published"), "{inside}: {stderr}");
        assert!(!site.path(inside).exists(), "{inside} written");
    }
}

#[test]
fn build_refuses_keys_it_must_not_use() {
    let s = signed();
    let out = s.site.parent().join("o2");
    // A key others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&s.key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (code, _, stderr) = build(&s.site, &out, None);
        assert_eq!(code, 1);
        assert!(stderr.contains("chmod 600"), "{stderr}");
        std::fs::set_permissions(&s.key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // A key that does not match public_key.
    let other = s.site.parent().join("other.pem");
    assert_eq!(keygen(&s.site, &other).0, 0);
    let (code, _, stderr) = build(&s.site, &out, Some(&other));
    assert_eq!(code, 1);
    assert!(stderr.contains("does not match `public_key`"), "{stderr}");
    // A key inside a published folder (copied there by mistake).
    let in_static = s.site.path("static/k.pem");
    std::fs::create_dir_all(in_static.parent().unwrap()).unwrap();
    std::fs::copy(&s.key, &in_static).unwrap();
    let (code, _, stderr) = build(&s.site, &out, Some(&in_static));
    assert_eq!(code, 1);
    assert!(stderr.contains("published"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    // A signing key without public_key in site.yaml: the error gives the line to add.
    let site = TempSite::sample();
    let (code, _, stderr) = build(&site, &site.parent().join("o"), Some(&s.key));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("add `public_key: MCowBQYDK2VwAyEA"),
        "{stderr}"
    );
    // A public_key that is not one: an error at its line in site.yaml.
    let yaml = site.read("site.yaml") + "public_key: not-a-key\n";
    site.write("site.yaml", &yaml);
    let (code, _, stderr) = build(&site, &site.parent().join("o"), None);
    assert_eq!(code, 1);
    let line = yaml.lines().count();
    assert!(stderr.contains(&format!("site.yaml:{line}:")), "{stderr}");
}

/// The preview serves the public key and an unsigned manifest of every served file, equal to a
/// full in-memory build, after edits of a report and of a static file.
#[test]
fn preview_serves_the_key_and_a_manifest_of_every_file() {
    use gongkai::serve::{DerivedMode, LiveSite, Plan, Shared};
    let s = signed();
    let site = s.site.dir();
    let published = Shared::default();
    let mut live = LiveSite::new(
        gongkai::BuildOptions::new(site.root()),
        DerivedMode::Inline(Box::default()),
        published.clone(),
    );
    let same_as_build = |what: &str| {
        let (_, out) = gongkai::build_in_memory(&gongkai::BuildOptions::new(site.root())).unwrap();
        let served = published.read().unwrap().snapshot();
        let full = out.into_files();
        assert!(served.contains_key("keys/public-key.pem"), "{what}");
        assert!(!served.contains_key("manifest.json.sig"), "{what}");
        let differ: Vec<&String> = full
            .keys()
            .filter(|k| served.get(*k) != full.get(*k))
            .collect();
        assert!(differ.is_empty(), "{what}: {differ:?}");
        assert_eq!(served.len(), full.len(), "{what}");
    };
    live.apply(&Plan::full());
    same_as_build("first build");
    for (path, from, to) in [
        (
            "content/2022/justice-bureau.zh.md",
            "## ",
            "新增一段。\n\n## ",
        ),
        ("static/style.css", "", "body { margin: 0 }\n"),
    ] {
        if from.is_empty() {
            site.write(path, to);
        } else {
            site.replace(path, from, to);
        }
        let mut plan = Plan::default();
        plan.add(Path::new(path), "default");
        live.apply(&plan);
        same_as_build(path);
    }
}
