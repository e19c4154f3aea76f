//! Nothing outside the output is ever lost (README, "Deploying `public/`" and "Commands"): the
//! findings of issue #16, points 1 and 2, each reproduced through the real binary.
//! `build --out` replaces only an empty folder or one gongkai wrote, keeps deploy metadata,
//! refuses a file, removes staging folders of killed builds and cleans up on SIGINT/SIGTERM;
//! `archive --out` never writes over the site's own files or a file that is not its zip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TempSite, entries, gongkai, read_tree, run};

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `gongkai build --root <site> --out <out> [extra…]`.
fn build(site: &TempSite, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let (root, out) = (s(site.root()), s(out));
    let mut args = vec!["build", "--root", &root, "--out", &out];
    args.extend_from_slice(extra);
    run(&args)
}

/// Regression: `git init pages; echo x > pages/CNAME; gongkai build --out pages` exited 0 and
/// `pages/.git` and `CNAME` were gone.
#[test]
fn build_refuses_a_folder_it_did_not_write() {
    let site = TempSite::copy_of("basic");
    let pages = site.parent().join("pages");
    let git = Command::new("git")
        .args(["init", "-q"])
        .arg(&pages)
        .status()
        .expect("run git");
    assert!(git.success());
    std::fs::write(pages.join("CNAME"), "x\n").unwrap();
    std::fs::write(pages.join("notes.md"), "mine").unwrap();
    let before = read_tree(&pages);

    let (code, _, stderr) = build(&site, &pages, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("refusing to replace `{}`", pages.display())));
    assert!(
        stderr.contains("--force") && stderr.contains("--out"),
        "{stderr}"
    );
    assert_eq!(
        read_tree(&pages),
        before,
        "a refused build changed the folder"
    );
    assert_eq!(
        entries(site.parent()),
        ["pages", "site"],
        "nothing left beside it"
    );
}

#[test]
fn forced_build_keeps_git_and_cname_and_later_builds_need_no_force() {
    let site = TempSite::copy_of("basic");
    let pages = site.parent().join("pages");
    for dir in [".git/refs", ".well-known"] {
        std::fs::create_dir_all(pages.join(dir)).unwrap();
    }
    let kept = [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".well-known/security.txt", "Contact: x\n"),
        ("CNAME", "reports.example.gov.cn\n"),
        (".nojekyll", ""),
        (".htaccess", "Options -Indexes\n"),
    ];
    for (file, text) in kept {
        std::fs::write(pages.join(file), text).unwrap();
    }
    std::fs::write(pages.join("old.html"), "old").unwrap();

    for extra in [&["--force"][..], &[]] {
        let (code, _, stderr) = build(&site, &pages, extra);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        let files = read_tree(&pages);
        for (file, text) in kept {
            assert_eq!(
                files.get(file).map(Vec::as_slice),
                Some(text.as_bytes()),
                "{file}"
            );
        }
        assert!(!files.contains_key("old.html"), "the folder was replaced");
        assert!(files.contains_key(".gongkai-output") && files.contains_key("index.html"));
        assert_eq!(entries(site.parent()), ["pages", "site"]);
    }
}

/// Regression: an existing file as `--out` became a hidden `.afile.txt.old-PID` and the build
/// failed half-way.
#[test]
fn build_refuses_a_file_as_out_before_anything_moves() {
    let site = TempSite::copy_of("basic");
    let file = site.parent().join("afile.txt");
    std::fs::write(&file, "keep me").unwrap();
    for extra in [&[][..], &["--force"]] {
        let (code, _, stderr) = build(&site, &file, extra);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("it is not a folder"), "{stderr}");
        assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
        assert_eq!(entries(site.parent()), ["afile.txt", "site"]);
    }
}

/// Regression: a build killed by SIGTERM left `.public.staging-PID` behind for good.
#[test]
fn stale_staging_folders_of_dead_builds_are_removed() {
    let site = TempSite::copy_of("basic");
    let out = site.path("public");
    let (code, _, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let alive = format!(".public.staging-{}", std::process::id());
    for stale in [".public.staging-99999999", ".public.old-99999999", &alive] {
        std::fs::create_dir_all(site.path(stale).join("zh")).unwrap();
        std::fs::write(site.path(stale).join("zh/index.html"), "old").unwrap();
    }
    let (code, _, stderr) = build(&site, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    // The folder of a running process (this test's) may be another build's: it stays.
    assert_eq!(
        entries(site.root()),
        [alive.as_str(), "content", "public", "site.yaml"]
    );
}

/// A site large enough that writing it takes a while: the benchmark corpus of 300 report pairs.
fn large_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let made = Command::new("python3")
        .arg(&script)
        .arg(&root)
        .arg("300")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run gen_corpus.py");
    assert!(made.success());
    (dir, root)
}

/// Starts a build into `out`, waits until its staging folder exists (the build is writing),
/// sends `signal`, and returns its exit code and stderr.
fn interrupt_build(root: &Path, out: &Path, signal: &str) -> (i32, String) {
    let mut child = gongkai()
        .args(["build", "--root", &s(root), "--out", &s(out)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start gongkai");
    let staging = out
        .parent()
        .unwrap()
        .join(format!(".public.staging-{}", child.id()));
    // A deadline only so a broken build cannot hang the test; nothing is asserted about time.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !staging.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before it began writing");
        }
        assert!(Instant::now() < deadline, "no staging folder appeared");
        std::thread::sleep(Duration::from_millis(1));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let done = child.wait_with_output().expect("wait for gongkai");
    (
        done.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    )
}

/// SIGTERM or SIGINT while a build writes: the staging folder is removed and the old output
/// stays as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_staging_folder_and_keeps_the_old_output() {
    let (_dir, root) = large_site();
    let out = root.join("public");
    let (code, _, stderr) = run(&["build", "--root", &s(&root), "--out", &s(&out)]);
    assert_eq!(code, 0, "{stderr}");
    let before = read_tree(&out);
    // A change, so a finished build would differ from the old output.
    let report = root.join("content/2019/justice-bureau.zh.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replacen("\n\n", "\n\n新增一段。\n\n", 1)).unwrap();

    for signal in ["-TERM", "-INT"] {
        let (code, stderr) = interrupt_build(&root, &out, signal);
        assert_eq!(code, 1, "{signal}: {stderr}");
        assert!(stderr.contains("interrupted"), "{signal}: {stderr}");
        assert_eq!(
            entries(&root),
            ["content", "public", "site.yaml"],
            "{signal}: staging folder left behind"
        );
        assert!(
            read_tree(&out) == before,
            "{signal}: the old output changed"
        );
    }
}

/// Regression: `archive --out site.yaml` (or a report file) replaced it with a zip and exited 0;
/// `--out archive.lock` replaced the lock and then failed.
#[test]
fn archive_refuses_the_sites_own_files() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let (code, _, stderr) = run(&["freeze", "2021", "--root", &root]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&["build", "--root", &root]);
    assert_eq!(code, 0, "{stderr}");
    let before = read_tree(site.root());
    for target in [
        "site.yaml",
        "archive.lock",
        "content/2022/justice-bureau.zh.md",
        "content/2021/new.zip",
        "templates/x.zip",
        "public/x.zip",
        "public/index.html",
    ] {
        for extra in [&[][..], &["--force"]] {
            let out = s(&site.path(target));
            let mut args = vec!["archive", "2021", "--root", &root, "--out", &out];
            args.extend_from_slice(extra);
            let (code, _, stderr) = run(&args);
            assert_eq!(code, 1, "--out {target} {extra:?}: {stderr}");
            assert!(
                stderr.contains("refusing to write the archive to"),
                "{target}: {stderr}"
            );
            assert!(
                read_tree(site.root()) == before,
                "--out {target} changed the site"
            );
        }
    }
}

#[test]
fn archive_replaces_only_its_own_zip_unless_forced() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let notes = site.parent().join("notes.zip");
    std::fs::write(&notes, "not a zip").unwrap();
    let archive = |extra: &[&str]| {
        let out = s(&notes);
        let mut args = vec!["archive", "2021", "--root", &root, "--out", &out];
        args.extend_from_slice(extra);
        run(&args)
    };
    let (code, _, stderr) = archive(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("not a zip written by `gongkai archive`"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(&notes).unwrap(), b"not a zip");

    let (code, _, stderr) = archive(&["--force"]);
    assert_eq!(code, 0, "{stderr}");
    let zip = std::fs::read(&notes).unwrap();
    assert!(zip.starts_with(b"PK"));
    // Now it is gongkai's zip: replaced without --force.
    let (code, _, stderr) = archive(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(&notes).unwrap(), zip);
}
