//! Rebuilds keep what did not change (README, "Deploying `public/`"): a file whose bytes are the
//! same keeps its inode and modification time, so `rsync -a` uploads only the changes, and
//! `build --changes FILE` lists what was added, changed and removed.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use common::{TempSite, run};

/// Every file under `dir` → (inode, modification time in nanoseconds).
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i128)> {
    walk(dir)
        .into_iter()
        .map(|(rel, m)| {
            let t = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
            (rel, (m.ino(), t))
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<(String, std::fs::Metadata)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().to_owned();
                out.push((rel.to_string_lossy().into_owned(), m));
            }
        }
    }
    out
}

fn build(site: &TempSite, changes: &Path) {
    let (code, _, err) = run(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--changes",
        changes.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_build_without_edits_keeps_every_file() {
    let site = TempSite::copy_of("basic");
    let list = site.parent().join("changes.txt");
    build(&site, &list);
    let first = stamps(&site.path("public"));
    assert!(lines(&list).iter().all(|l| l.starts_with("A ")));
    assert_eq!(lines(&list).len(), first.len(), "every file added");
    build(&site, &list);
    assert_eq!(stamps(&site.path("public")), first);
    assert_eq!(lines(&list), Vec::<String>::new());
}

#[test]
fn rsync_uploads_only_what_an_edit_changed() {
    let site = TempSite::copy_of("basic");
    let list = site.parent().join("changes.txt");
    build(&site, &list);
    let copy = site.parent().join("uploaded");
    let status = Command::new("cp")
        .args(["-a"])
        .arg(site.path("public"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    site.replace(
        "content/2021/justice-bureau.zh.md",
        "\n## ",
        "\n本段为新增内容。\n\n## ",
    );
    build(&site, &list);
    // The two builds run within one second, and rsync compares whole seconds by default: a
    // window of -1 makes it compare nanoseconds, as it would see builds seconds apart.
    let out = Command::new("rsync")
        .args(["-a", "--modify-window=-1", "--itemize-changes", "--dry-run"])
        .arg(format!("{}/", site.path("public").display()))
        .arg(format!("{}/", copy.display()))
        .output()
        .expect("rsync is installed (.ci/run)");
    assert!(out.status.success());
    let itemized = String::from_utf8(out.stdout).unwrap();
    let list = lines(&list);
    let listed: Vec<String> = list
        .iter()
        .filter(|l| !l.starts_with("D "))
        .map(|l| {
            assert!(l.starts_with("M ") || l.starts_with("A "), "{l}");
            l[2..].to_string()
        })
        .collect();
    // The folders that gained or lost a name: those of the files added or removed. Only they
    // may show up, as new folders (`cd+++++++`) or with a new time (`.d..t......`); a folder
    // whose files were only replaced keeps its time.
    let mut moved_folders = std::collections::BTreeSet::new();
    for l in list.iter().filter(|l| !l.starts_with("M ")) {
        let path = &l[2..];
        moved_folders.extend(path.match_indices('/').map(|(i, _)| path[..=i].to_string()));
    }
    // `>f.st...... path`: files sent. Search files are named by their content, so an edit adds
    // new names and leaves old ones behind (a later `--delete` removes them).
    let mut uploaded = Vec::new();
    let mut folders = Vec::new();
    for l in itemized.lines() {
        let (flags, path) = l.split_once(' ').unwrap();
        if flags.starts_with(">f") {
            uploaded.push(path.to_string());
        } else {
            assert!(
                (flags.starts_with("cd") || flags.starts_with(".d"))
                    && moved_folders.contains(path),
                "only changed files and the folders of added or removed ones: {l}"
            );
            folders.push(path.to_string());
        }
    }
    assert_eq!(uploaded, listed);
    assert!(
        folders.iter().all(|f| f.contains("/search/")),
        "only search folders gained or lost names: {folders:?}"
    );
    assert!(listed.contains(&"zh/2021/justice-bureau/index.html".to_string()));
    assert!(!listed.iter().any(|p| p.starts_with("en/")), "{listed:?}");
    let pages = listed.iter().filter(|p| p.ends_with(".html")).count();
    assert_eq!(pages, 1, "only the edited report's page: {listed:?}");
}

#[test]
fn the_list_names_added_and_removed_files() {
    let site = TempSite::copy_of("basic");
    let list = site.parent().join("changes.txt");
    build(&site, &list);
    site.remove("content/2022/justice-bureau.en.md");
    build(&site, &list);
    let lines = lines(&list);
    assert!(lines.contains(&"M en/2022/justice-bureau/index.html".to_string()));
    assert!(
        lines.iter().any(|l| l.starts_with("D en/search/")),
        "{lines:?}"
    );
    let mut sorted = lines.clone();
    sorted.sort_by(|a, b| a[2..].cmp(&b[2..]));
    assert_eq!(lines, sorted, "sorted by path");
    site.write(
        "content/2022/justice-bureau.en.md",
        std::fs::read(common::fixture("basic").join("content/2022/justice-bureau.en.md")).unwrap(),
    );
    build(&site, &list);
    let again = self::lines(&list);
    assert!(
        again.iter().any(|l| l.starts_with("A en/search/")),
        "{again:?}"
    );
}

#[test]
fn the_list_may_not_go_inside_the_output() {
    let site = TempSite::copy_of("basic");
    let inside = site.path("public/changes.txt");
    let (code, _, err) = run(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--changes",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("inside the output folder"), "{err}");
    assert!(!site.path("public").exists(), "nothing built");
}
