//! The build cache (README "Rebuilding"): after any edit, and whatever happened to
//! `.gongkai/`, a build with the cache publishes exactly what a build without it publishes,
//! byte for byte; and it does use the cache when nothing stands in the way (fewer pages
//! rendered), so the equality is not that of two full builds.

mod common;

use std::path::Path;

use common::{Files, TempSite, read_tree};
use gongkai::cache::IndexWrite;
use gongkai::options::BuildOptions;
use gongkai::pipeline::{BuildSummary, build};

const REPORT: &str = "content/2023/market-regulation.zh.md";

/// An edit of the site's files.
type Edit = Box<dyn Fn(&TempSite)>;
/// The cache file's bytes, damaged.
type Damage = Box<dyn Fn(&[u8]) -> Vec<u8>>;

/// Builds the site into its `public/` with the cache.
fn build_cached(site: &TempSite) -> BuildSummary {
    build(&site.options(), &site.path("public"), &|_| {}, &|| {}).expect("build with the cache")
}

/// What a build without the cache writes, into a fresh folder beside the site.
fn build_fresh(site: &TempSite) -> Files {
    let out = site.parent().join("fresh");
    let _ = std::fs::remove_dir_all(&out);
    let opts = BuildOptions {
        no_cache: true,
        ..site.options()
    };
    build(&opts, &out, &|_| {}, &|| {}).expect("build without the cache");
    read_tree(&out)
}

/// Builds with the cache and checks the output against a build without it; returns the
/// cached build's summary.
fn same_as_fresh(site: &TempSite, step: &str) -> BuildSummary {
    let summary = build_cached(site);
    let cached = read_tree(&site.path("public"));
    let fresh = build_fresh(site);
    let differ: Vec<&String> = (cached.keys().chain(fresh.keys()))
        .filter(|p| cached.get(*p) != fresh.get(*p))
        .collect();
    assert!(differ.is_empty(), "after {step}: {differ:?} differ");
    summary
}

fn cache_file(site: &TempSite) -> std::path::PathBuf {
    gongkai::cache::path(site.root())
}

#[test]
fn edits_publish_what_a_build_without_the_cache_publishes() {
    let site = TempSite::sample();
    let first = same_as_fresh(&site, "the first build");
    assert_eq!(first.rendered, first.pages, "nothing to reuse yet");
    assert!(
        cache_file(&site).is_file(),
        "the first build leaves a cache"
    );
    let unchanged = same_as_fresh(&site, "no edit");
    assert_eq!(
        unchanged.rendered, 0,
        "a build without edits renders nothing"
    );
    let steps: Vec<(&str, Edit)> = vec![
        (
            "a body edit",
            Box::new(|s| {
                s.replace(
                    REPORT,
                    "现将有关情况报告如下：",
                    "现将有关情况报告如下（修订）：",
                );
            }),
        ),
        (
            // The text files separate texts with U+001E and write one in a text as a space:
            // read back, that report's text differs from what was indexed.
            "a separator character in the body",
            Box::new(|s| {
                s.replace(REPORT, "（修订）", "（修订\u{1e}一）");
            }),
        ),
        (
            "a body edit after it",
            Box::new(|s| {
                s.replace(REPORT, "（修订\u{1e}一）", "（修订\u{1e}二）");
            }),
        ),
        (
            "the separator taken out",
            Box::new(|s| {
                s.replace(REPORT, "（修订\u{1e}二）", "（修订）");
            }),
        ),
        (
            "a title edit",
            Box::new(|s| {
                s.replace(REPORT, "title: 广州市海珠区", "title: 海珠区");
            }),
        ),
        (
            "a date edit",
            Box::new(|s| {
                s.replace(REPORT, "date: 2024-02-28", "date: 2024-03-05");
            }),
        ),
        (
            "a figure edit",
            Box::new(|s| {
                s.replace(REPORT, "penalty-cases: 1127", "penalty-cases: 1130");
            }),
        ),
        (
            "a report added",
            Box::new(|s| {
                let text = s.read("content/2024/justice-bureau.zh.md");
                s.write(
                    "content/2024/market-regulation.zh.md",
                    text.replace(
                        "department: justice-bureau",
                        "department: market-regulation",
                    )
                    .replace("draft: true\n", ""),
                );
            }),
        ),
        (
            "a report removed",
            Box::new(|s| {
                s.remove("content/2022/market-regulation.en.md");
            }),
        ),
        (
            "a report made a draft",
            Box::new(|s| {
                s.replace(
                    "content/2024/market-regulation.zh.md",
                    "---\n",
                    "---\ndraft: true\n",
                );
            }),
        ),
        (
            "a department label edit",
            Box::new(|s| {
                s.replace(
                    "site.yaml",
                    "en: Haizhu District Justice Bureau",
                    "en: Justice Bureau of Haizhu",
                );
            }),
        ),
        (
            "a template of the site's own",
            Box::new(|s| {
                let base = std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("themes/default/templates/robots.txt"),
                )
                .unwrap();
                s.write("templates/robots.txt", format!("{base}\n# edited\n"));
            }),
        ),
        (
            "a second body edit",
            Box::new(|s| {
                s.replace(REPORT, "（修订）", "（再次修订）");
            }),
        ),
    ];
    for (step, edit) in &steps {
        edit(&site);
        same_as_fresh(&site, step);
    }
    let after_body_edit = {
        site.replace(REPORT, "（再次修订）", "（第三次修订）");
        same_as_fresh(&site, "a third body edit")
    };
    assert!(
        after_body_edit.rendered < after_body_edit.pages / 2,
        "a body edit renders few pages: {} of {}",
        after_body_edit.rendered,
        after_body_edit.pages
    );
    let how = |s: &BuildSummary, lang: &str| s.indexes.get(lang).copied();
    assert_eq!(how(&after_body_edit, "zh"), Some(IndexWrite::Updated));
    assert_eq!(how(&after_body_edit, "en"), Some(IndexWrite::Kept));
}

/// `archive.lock` written (a year frozen): the store reads the lock again, and the output
/// still equals a build without the cache.
#[test]
fn a_year_frozen_publishes_what_a_build_without_the_cache_publishes() {
    let site = TempSite::sample();
    same_as_fresh(&site, "the first build");
    let frozen = gongkai::cmd::freeze::run(&site.options(), 2023).expect("freeze 2023");
    assert!(frozen.frozen > 0, "{frozen:?}");
    same_as_fresh(&site, "a year frozen");
    let unchanged = same_as_fresh(&site, "no edit after freezing");
    assert_eq!(
        unchanged.rendered, 0,
        "nothing changed since the last build"
    );
}

/// Body edits of one report after another, in both languages (text added and words taken
/// out), each updating the index in place from the state the build before left: every build
/// equals one without the cache.
#[test]
fn the_index_is_updated_in_place_edit_after_edit() {
    let site = TempSite::sample();
    build_cached(&site);
    let reports = [
        (
            "content/2023/market-regulation.zh.md",
            "zh",
            "现将有关情况报告如下：",
        ),
        ("content/2022/justice-bureau.en.md", "en", "\n## "),
        ("content/2021/justice-bureau.zh.md", "zh", "\n## "),
        ("content/2023/market-regulation.zh.md", "zh", "\n## "),
        ("content/2023/justice-bureau.en.md", "en", "\n## "),
    ];
    for (round, (path, lang, at)) in reports.iter().enumerate() {
        let text = site.read(path);
        let added = format!("新增段落{round}，执法与复议 appeal{round} review.\n");
        let edited = if *at == "\n## " {
            text.replacen(at, &format!("\n{added}\n## "), 1)
        } else {
            text.replacen(at, &format!("{at}{added}"), 1)
        };
        // Words taken out of the body too, so terms leave the report as well as join it.
        let body = edited.find("\n---\n").expect("front matter ends") + 5;
        let (front, rest) = edited.split_at(body);
        let rest = rest
            .replace("执法", "")
            .replace("legal", "")
            .replace("依法", "");
        let edited = format!("{front}{rest}");
        assert_ne!(edited, text, "{path}: nothing edited");
        site.write(path, edited);
        let summary = same_as_fresh(&site, &format!("edit {round} of {path}"));
        assert_eq!(
            summary.indexes.get(*lang),
            Some(&IndexWrite::Updated),
            "{path}"
        );
    }
}

/// Every way the cache file can be damaged: each time the build renders every page again
/// (the cache is not used) and publishes what a build without it publishes.
#[test]
fn a_damaged_cache_is_never_used() {
    let site = TempSite::sample();
    build_cached(&site);
    let good = std::fs::read(cache_file(&site)).unwrap();
    let header_end = good.iter().position(|&b| b == b'\n').unwrap() + 1;
    let damage: Vec<(&str, Damage)> = vec![
        ("emptied", Box::new(|_| Vec::new())),
        ("cut in half", Box::new(|b| b[..b.len() / 2].to_vec())),
        ("its last byte cut", Box::new(|b| b[..b.len() - 1].to_vec())),
        (
            "a byte of the cache changed",
            Box::new(move |b| flip(b, header_end + 3)),
        ),
        (
            "a byte of the checksum changed",
            Box::new(|b| flip(b, b.len() - 3)),
        ),
        (
            "another version's header",
            Box::new(|b| {
                let text =
                    String::from_utf8_lossy(b).replacen(env!("CARGO_PKG_VERSION"), "0.0.0", 1);
                text.into_bytes()
            }),
        ),
        ("bytes appended", Box::new(|b| [b, b"more"].concat())),
        ("garbage", Box::new(|b| vec![0xA5; b.len()])),
    ];
    for (i, (how, damaged)) in damage.iter().enumerate() {
        site.replace(
            REPORT,
            "现将有关情况报告如下",
            &format!("现将有关情况报告如下{i}"),
        );
        std::fs::write(cache_file(&site), damaged(&good)).unwrap();
        let summary = same_as_fresh(&site, how);
        assert_eq!(summary.rendered, summary.pages, "{how}: the cache was used");
        std::fs::write(cache_file(&site), &good).unwrap();
    }
    // A folder where the file should be.
    std::fs::remove_file(cache_file(&site)).unwrap();
    std::fs::create_dir(cache_file(&site)).unwrap();
    let summary = same_as_fresh(&site, "a folder in its place");
    assert_eq!(summary.rendered, summary.pages);
    std::fs::remove_dir(cache_file(&site)).unwrap();
    // Deleted: rebuilt from nothing, and written again.
    let summary = same_as_fresh(&site, "deleted");
    assert_eq!(summary.rendered, summary.pages);
    assert!(cache_file(&site).is_file());
}

/// The files of the loads' parts in the cache folder (`loads-<sha256>`).
fn loads_parts(site: &TempSite) -> Vec<std::path::PathBuf> {
    let dir = site.path(gongkai::cache::CACHE_DIR);
    let mut parts: Vec<_> = (std::fs::read_dir(dir).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("loads-")
        })
        .collect();
    parts.sort();
    parts
}

/// The report files' loads are kept in part files of their own, named by their hash: a part
/// damaged, emptied or gone makes the whole cache unused; a build without edits names the
/// same part again without writing it, and one after an edit replaces it.
#[test]
fn a_damaged_part_of_the_loads_is_never_used_and_an_unchanged_one_is_kept() {
    let site = TempSite::sample();
    build_cached(&site);
    let parts = loads_parts(&site);
    assert_eq!(parts.len(), 1, "the sample site's loads fit in one part");
    let written = std::fs::metadata(&parts[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let summary = build_cached(&site);
    assert_eq!(summary.rendered, 0, "the cache was used");
    assert_eq!(loads_parts(&site), parts, "named again");
    let kept = std::fs::metadata(&parts[0]).unwrap().modified().unwrap();
    assert_eq!(kept, written, "not written again");

    let damage: Vec<(&str, Damage)> = vec![
        (
            "a byte of a part changed",
            Box::new(|b| flip(b, b.len() / 2)),
        ),
        ("a part emptied", Box::new(|_| Vec::new())),
        ("a part cut short", Box::new(|b| b[..b.len() - 1].to_vec())),
    ];
    for (i, (how, damaged)) in damage.iter().enumerate() {
        site.replace(
            REPORT,
            "现将有关情况报告如下",
            &format!("现将有关情况报告如下{i}"),
        );
        let parts = loads_parts(&site);
        assert_eq!(parts.len(), 1, "{how}: the older part was removed");
        std::fs::write(&parts[0], damaged(&std::fs::read(&parts[0]).unwrap())).unwrap();
        let summary = same_as_fresh(&site, how);
        assert_eq!(summary.rendered, summary.pages, "{how}: the cache was used");
        assert_ne!(
            loads_parts(&site),
            parts,
            "{how}: the part was written anew"
        );
    }
    site.replace(REPORT, "现将有关情况报告如下", "现将有关情况报告如下：");
    std::fs::remove_file(&loads_parts(&site)[0]).unwrap();
    let summary = same_as_fresh(&site, "a part gone");
    assert_eq!(
        summary.rendered, summary.pages,
        "a part gone: the cache was used"
    );
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0x5A;
    b
}

/// What the cache describes no longer holds: a report changed with its length and
/// modification time kept, a published page changed or removed by hand, a build without
/// the cache in between. The output still equals a build without the cache.
#[test]
fn a_stale_cache_is_noticed() {
    let site = TempSite::sample();
    build_cached(&site);
    // Same length, modification time put back (`touch -r`, `rsync -a`).
    let path = site.path(REPORT);
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.replace(REPORT, "penalty-cases: 1127", "penalty-cases: 1128");
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    same_as_fresh(&site, "an edit that kept the length and time");
    // A page edited and one removed by hand in the output.
    let public = site.path("public");
    let page = public.join("zh/2023/market-regulation/index.html");
    std::fs::write(&page, "edited by hand").unwrap();
    std::fs::remove_file(public.join("en/2023/market-regulation/index.html")).unwrap();
    let summary = same_as_fresh(&site, "pages changed by hand");
    assert_eq!(
        summary.rendered, summary.pages,
        "the output was not trusted"
    );
    // A build without the cache changes the output; the cache it left is then out of date.
    site.replace(REPORT, "penalty-cases: 1128", "penalty-cases: 1129");
    let opts = BuildOptions {
        no_cache: true,
        ..site.options()
    };
    build(&opts, &public, &|_| {}, &|| {}).unwrap();
    site.replace(REPORT, "现将有关情况报告如下", "现将有关情况报告如下：");
    same_as_fresh(&site, "a build without the cache in between");
}

#[test]
fn the_cache_folder_ignores_itself_in_git() {
    let site = TempSite::sample();
    build_cached(&site);
    let ignore = site.path(".gongkai/.gitignore");
    let text = std::fs::read_to_string(ignore).unwrap();
    assert!(text.lines().any(|l| l.trim() == "*"), "{text}");
    // --no-cache neither writes nor needs it.
    std::fs::remove_dir_all(site.path(".gongkai")).unwrap();
    let opts = BuildOptions {
        no_cache: true,
        ..site.options()
    };
    build(&opts, &site.path("public"), &|_| {}, &|| {}).unwrap();
    assert!(!site.path(".gongkai").exists());
}

/// A cache that reads back whole but names a file outside the output (written by hand or by a
/// tool, checksum and all) is not used: no file outside `public/` is read or kept.
#[test]
fn a_cache_naming_files_outside_the_output_is_not_used() {
    let site = TempSite::sample();
    build_cached(&site);
    std::fs::write(site.parent().join("secret.txt"), "not for publishing").unwrap();
    let mut cache = gongkai::cache::read(site.root()).expect("the cache reads back");
    cache.output[0].path = "../../secret.txt".into();
    let loads = gongkai::cache::Loads::all(cache.files);
    let writer = gongkai::cache::Writer::start(site.root(), cache.keys, loads);
    writer.finish((&cache.output, &cache.folders), &cache.search);
    assert!(
        gongkai::cache::read(site.root()).is_none(),
        "refused on reading"
    );
    site.replace(REPORT, "现将有关情况报告如下", "现将有关情况报告如下：");
    let summary = same_as_fresh(&site, "a cache naming a file outside the output");
    assert_eq!(summary.rendered, summary.pages);
}

/// The cache describes one output and one set of options: building into another folder, or
/// with `--drafts`, between two builds renders everything, and each output still equals a
/// build without the cache.
#[test]
fn another_output_folder_or_drafts_in_between() {
    let site = TempSite::sample();
    build_cached(&site);
    let other = site.parent().join("other");
    let elsewhere = build(&site.options(), &other, &|_| {}, &|| {}).unwrap();
    assert_eq!(
        elsewhere.rendered, elsewhere.pages,
        "another folder: everything"
    );
    assert_eq!(read_tree(&other), build_fresh(&site));
    site.replace(REPORT, "现将有关情况报告如下", "现将有关情况报告如下：");
    let back = same_as_fresh(&site, "back to public/ after an edit");
    assert_eq!(
        back.rendered, back.pages,
        "the cache was of the other folder"
    );
    let drafts = BuildOptions {
        drafts: true,
        ..site.options()
    };
    let with_drafts = build(&drafts, &site.path("public"), &|_| {}, &|| {}).unwrap();
    assert_eq!(
        with_drafts.rendered, with_drafts.pages,
        "--drafts: everything"
    );
    let summary = same_as_fresh(&site, "without --drafts again");
    assert_eq!(summary.rendered, summary.pages);
    let unchanged = same_as_fresh(&site, "no edit");
    assert_eq!(unchanged.rendered, 0);
}

/// A site where `执法` is in 600 reports: its postings pass 1.5 kB and are a file of their own
/// (`u/<tag>.js`, named in its bucket). An edit that changes them writes the new file and
/// removes the old one, read back from the output, as a build without the cache would.
#[test]
fn a_frequent_terms_own_file_is_updated_in_place() {
    let site = TempSite::sample();
    for n in 0..600 {
        site.write(
            &format!("content/2020/unit-{n:03}.zh.md"),
            format!(
                "---\ntitle: 单位{n}报告\ndepartment: justice-bureau\nyear: 2020\n\
                 date: 2021-01-0{}\nsummary: 概要{n}。\n---\n\n## 一、执法\n\n规范执法{n}次。\n",
                1 + n % 9
            ),
        );
    }
    let own = |files: &Files| -> Vec<String> {
        (files.keys())
            .filter(|p| p.starts_with("zh/search/u/"))
            .cloned()
            .collect()
    };
    same_as_fresh(&site, "the first build");
    let before = own(&read_tree(&site.path("public")));
    assert!(!before.is_empty(), "no term has a file of its own");
    let path = "content/2020/unit-007.zh.md";
    for (round, (from, to)) in [("规范执法", "执法执法执法"), ("执法执法执法", "规范")]
        .iter()
        .enumerate()
    {
        site.replace(path, from, to);
        let summary = same_as_fresh(&site, &format!("edit {round}"));
        assert_eq!(summary.indexes.get("zh"), Some(&IndexWrite::Updated));
        let after = own(&read_tree(&site.path("public")));
        assert_ne!(after, before, "edit {round}: the term's file kept its name");
        assert_eq!(after.len(), before.len(), "edit {round}: {after:?}");
    }
}
