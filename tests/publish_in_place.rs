//! A rebuild over gongkai's own output updates it in place under a journal (README, "Deploying
//! `public/`"; ARCHITECTURE "Decisions"): a build killed while it renames staged files leaves
//! `.public.publishing` and its staging folder, and the next build finishes that update before
//! anything else, so the output never stays a mix of two builds. The crash is simulated: the
//! staged files and the journal are laid out as the update would have left them, some renames
//! already made.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Files, TempSite, entries, read_tree, run};

const STAGING: &str = ".public.staging-99999999";

fn build(site: &TempSite, extra: &[&str]) -> (i32, String) {
    let root = site.root().to_string_lossy().into_owned();
    let mut args = vec!["build", "--root", root.as_str()];
    args.extend_from_slice(extra);
    let (code, _, stderr) = run(&args);
    (code, stderr)
}

/// The folders holding `files`, `/`-separated, not the output itself.
fn folders(files: &Files) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for path in files.keys() {
        let mut rest = path.as_str();
        while let Some(i) = rest.rfind('/') {
            rest = &rest[..i];
            out.insert(rest.to_string());
        }
    }
    out
}

/// Builds the site, edits one report, and leaves `public/` as a build killed half-way through
/// its renames would: the journal written, the first half of the staged files moved into
/// place, the rest still staged, nothing deleted yet. Returns the output the edited site
/// builds to.
fn killed_half_way(site: &TempSite) -> Files {
    assert_eq!(build(site, &[]).0, 0);
    let before = read_tree(&site.path("public"));
    site.replace(
        "content/2021/justice-bureau.zh.md",
        "\n## ",
        "\n本段为新增内容。\n\n## ",
    );
    let scratch = site.parent().join("scratch");
    let (code, _, err) = run(&[
        "build",
        "--root",
        &site.root().to_string_lossy(),
        "--out",
        &scratch.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    let after = read_tree(&scratch);
    std::fs::remove_dir_all(&scratch).unwrap();

    let renames: Vec<&String> = (after.iter())
        .filter(|(p, bytes)| before.get(*p) != Some(*bytes))
        .map(|(p, _)| p)
        .collect();
    let deletions: Vec<&String> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(renames.len() >= 4 && !deletions.is_empty(), "{renames:?}");
    let new_folders = folders(&after);
    let mut gone: Vec<String> = folders(&before)
        .into_iter()
        .filter(|f| !new_folders.contains(f))
        .collect();
    gone.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    let (staging, public) = (site.path(STAGING), site.path("public"));
    for (i, path) in renames.iter().enumerate() {
        // The first half already renamed into place, the rest still staged.
        let target = if i < renames.len() / 2 {
            public.join(path)
        } else {
            staging.join(path)
        };
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &after[*path]).unwrap();
    }
    let journal = serde_json::json!({
        "staging": STAGING,
        "renames": renames,
        "deletions": deletions,
        "folders": gone,
        "times": [],
    });
    std::fs::write(site.path(".public.publishing"), journal.to_string()).unwrap();
    assert_ne!(read_tree(&public), after, "the output is mixed");
    after
}

#[test]
fn the_next_build_finishes_a_killed_update_before_anything_else() {
    let site = TempSite::copy_of("basic");
    let after = killed_half_way(&site);
    // This build fails at loading, before it writes anything of its own, but the update the
    // killed build left is finished first.
    site.write(
        "content/2022/broken.zh.md",
        "---\ntitle: x\ndepartment: nowhere\ndate: 2023-01-01\n---\n",
    );
    let (code, err) = build(&site, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown department `nowhere`"), "{err}");
    assert!(read_tree(&site.path("public")) == after, "rolled forward");
    assert_eq!(
        entries(site.root()),
        ["content", "public", "site.yaml"],
        "the journal and the staging folder are gone"
    );
}

#[test]
fn after_the_roll_forward_the_build_finds_nothing_to_change() {
    let site = TempSite::copy_of("basic");
    let after = killed_half_way(&site);
    let list = site.parent().join("changes.txt");
    let (code, err) = build(&site, &["--changes", &list.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    // The killed build's update was finished before this build compared its files, so it
    // has nothing left to add, change or remove; the journal and the staging folder never
    // show up as output files.
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "");
    let public = site.path("public");
    assert!(read_tree(&public) == after);
    assert_eq!(entries(site.root()), ["content", "public", "site.yaml"]);
    assert_journal_never_published(&public);
}

#[test]
fn an_edit_lists_neither_the_journal_nor_the_staging_folder() {
    let site = TempSite::copy_of("basic");
    let list = site.parent().join("changes.txt");
    assert_eq!(build(&site, &[]).0, 0);
    site.replace("content/2022/justice-bureau.zh.md", "231件", "232件");
    let (code, err) = build(&site, &["--changes", &list.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&list).unwrap();
    assert!(
        text.contains("M zh/2022/justice-bureau/index.html"),
        "{text}"
    );
    assert!(
        !text.contains("publishing") && !text.contains("staging"),
        "{text}"
    );
    assert_journal_never_published(&site.path("public"));
    assert_eq!(entries(site.root()), ["content", "public", "site.yaml"]);
}

/// `manifest.json` lists exactly the output's files (but itself and the marker): no journal,
/// no staged file.
fn assert_journal_never_published(public: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("manifest.json")).unwrap()).unwrap();
    let listed: BTreeSet<String> = (manifest["files"].as_array().unwrap().iter())
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let on_disk: BTreeSet<String> = read_tree(public)
        .into_keys()
        .filter(|p| p != "manifest.json" && p != ".gongkai-output")
        .collect();
    assert_eq!(listed, on_disk);
    assert!(
        !listed
            .iter()
            .any(|p| p.contains("publishing") || p.contains("staging")),
        "{listed:?}"
    );
}

#[test]
fn a_journal_changed_by_hand_stops_the_build_with_what_to_do_in_the_readers_language() {
    let site = TempSite::copy_of("basic");
    assert_eq!(build(&site, &[]).0, 0);
    let before = read_tree(&site.path("public"));
    std::fs::write(site.path(".public.publishing"), "{ not json").unwrap();
    let root = site.root().to_string_lossy().into_owned();
    let (code, _, err) = run(&["--lang", "zh", "build", "--root", &root]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("不是 gongkai 能读懂的发布记录"), "{err}");
    assert!(err.contains(".public.publishing"), "{err}");
    // Nothing was touched: the update it would have finished is unknown.
    assert_eq!(read_tree(&site.path("public")), before);
    // Doing what the message says puts it right.
    std::fs::remove_file(site.path(".public.publishing")).unwrap();
    assert_eq!(build(&site, &[]).0, 0);
    assert_eq!(read_tree(&site.path("public")), before);
}

/// Kills the build it holds if the test fails half-way, so no process outlives the test.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Holds the lock another build would hold on `public/` (`flock` on the folder, as
/// `output/lock.rs` takes it), runs `gongkai build` in Chinese, checks that it says once that it
/// waits and neither ends nor touches `public/` while the lock is held, then releases it and
/// waits for the build to succeed.
fn build_while_locked(site: &TempSite) {
    use std::io::BufRead;
    use std::process::Stdio;
    use std::time::Duration;

    let public = site.path("public");
    let before = read_tree(&public);
    let held = std::fs::File::open(&public).unwrap();
    held.lock().unwrap();
    let root = site.root().to_string_lossy().into_owned();
    let mut child = Child(
        common::gongkai()
            .args(["--lang", "zh", "build", "--root", &root])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (lines, stderr) = (std::sync::mpsc::channel(), child.0.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = lines.0.send(line.unwrap());
        }
    });
    let waiting = "另一个生成过程正在更新";
    // However slow the machine, the build says it waits before it waits (a build that ends
    // or never says so fails here: the line never comes).
    let said = std::iter::from_fn(|| lines.1.recv_timeout(Duration::from_secs(120)).ok())
        .find(|l| l.contains(waiting))
        .expect("the build says it waits");
    assert!(said.contains("public`，等待它完成"), "{said}");
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(200));
        assert!(child.0.try_wait().unwrap().is_none(), "ended while locked");
    }
    assert!(read_tree(&public) == before, "nothing moved while locked");

    held.unlock().unwrap();
    let status = child.0.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = lines.1.try_iter().collect();
    assert!(status.success(), "{rest:?}");
    assert!(
        !rest.iter().any(|l| l.contains(waiting)),
        "said once: {rest:?}"
    );
    assert_eq!(entries(site.root()), ["content", "public", "site.yaml"]);
}

#[test]
fn a_build_into_a_locked_output_says_it_waits_then_publishes_once_released() {
    let site = TempSite::copy_of("basic");
    assert_eq!(build(&site, &[]).0, 0);
    site.replace("content/2022/justice-bureau.zh.md", "231件", "232件");
    build_while_locked(&site);
    let page = site.read("public/zh/2022/justice-bureau/index.html");
    assert!(
        page.contains("232件") && !page.contains("231件"),
        "edit published"
    );
}

#[test]
fn a_killed_update_found_while_another_build_holds_the_lock_is_finished_after_the_wait() {
    // The lock holder would finish the journal itself; the waiting build does not roll it
    // forward behind its back, and finishes it once it has the lock (here the holder did not).
    let site = TempSite::copy_of("basic");
    let after = killed_half_way(&site);
    build_while_locked(&site);
    assert!(read_tree(&site.path("public")) == after, "rolled forward");
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_left_in_the_output_are_removed_and_listed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let site = TempSite::copy_of("basic");
    assert_eq!(build(&site, &[]).0, 0);
    let public = site.path("public");
    let before = read_tree(&public);
    // Left by another tool: a file in a folder of the site, a folder of its own with a file
    // and a folder inside, neither name UTF-8 (GBK bytes of 报告, as an old upload tool wrote).
    let stray = public
        .join("zh")
        .join(OsStr::from_bytes(b"\xb1\xa8\xb8\xe6.html"));
    std::fs::write(&stray, "old").unwrap();
    let folder = public.join(OsStr::from_bytes(b"up\xff"));
    std::fs::create_dir_all(folder.join("inner")).unwrap();
    std::fs::write(folder.join("inner/x.html"), "old").unwrap();
    std::fs::write(public.join("2019.html"), "old").unwrap();

    // No edit: the build has nothing of its own to change, the strays still go.
    let list = site.parent().join("changes.txt");
    let (code, err) = build(&site, &["--changes", &list.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    assert!(!stray.exists() && !folder.exists());
    assert!(
        read_tree(&public) == before,
        "only gongkai's files are left"
    );
    let text = std::fs::read_to_string(&list).unwrap();
    assert_eq!(
        text,
        "D 2019.html\nD up\u{FFFD}/inner/x.html\nD zh/\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.html\n",
        "listed, with U+FFFD for the bytes that are not UTF-8"
    );
    assert_eq!(entries(site.root()), ["content", "public", "site.yaml"]);
}

/// With the build cache, a folder left alone since the build before is not read again: its
/// entries come from the cache's records (`src/output/survey.rs`). A file another tool puts
/// into such a folder changes the folder's times, so the next build still finds it, removes
/// it and lists it, as a build without the cache does.
#[test]
fn strays_in_folders_the_cache_knows_are_still_removed_and_listed() {
    let site = TempSite::copy_of("basic");
    assert_eq!(build(&site, &[]).0, 0);
    let public = site.path("public");
    let before = read_tree(&public);
    // Once the folders have been left alone for two seconds, a build records their stamps.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(build(&site, &[]).0, 0);
    let cache = gongkai::cache::read(site.root()).expect("the build left its cache");
    assert!(!cache.folders.is_empty());
    assert!(cache.folders.iter().all(|f| f.stamp.is_some()), "settled");

    let page = (before.keys())
        .find(|p| p.starts_with("zh/") && p.matches('/').count() == 3)
        .expect("a report page");
    let folder = &page[..page.rfind('/').unwrap()];
    std::fs::write(public.join(folder).join("stray.html"), "old").unwrap();
    std::fs::create_dir_all(public.join(folder).join("up/inner")).unwrap();
    std::fs::write(public.join(folder).join("up/inner/x.html"), "old").unwrap();
    let list = site.parent().join("changes.txt");
    let (code, err) = build(&site, &["--changes", &list.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        read_tree(&public) == before,
        "only gongkai's files are left"
    );
    assert!(!public.join(folder).join("up").exists());
    assert_eq!(
        std::fs::read_to_string(&list).unwrap(),
        format!("D {folder}/stray.html\nD {folder}/up/inner/x.html\n")
    );
}
