//! Text that cannot be shown safely is cleaned or refused where it enters (ARCHITECTURE.md,
//! Decisions): control characters never reach the feeds, escape sequences never reach the
//! terminal raw, heading ids never clash with the theme's, chart values are drawable,
//! `base_url` is a plain address, and a symlinked report is reported.

mod common;

use common::{TempSite, attr, run, tags, text};

const REPORT: &str = "content/2022/justice-bureau.zh.md";

/// Every language's feed and the sitemap parse as XML.
fn assert_well_formed(files: &common::Files) {
    for path in ["zh/feed.xml", "en/feed.xml", "sitemap.xml"] {
        let xml = text(files, path);
        if let Err(e) = roxmltree::Document::parse(xml) {
            panic!("{path} is not well-formed XML: {e}\n{xml}");
        }
    }
}

#[test]
fn control_characters_in_feed_text_leave_the_feed_well_formed() {
    let site = TempSite::copy_of("basic");
    // YAML escapes put any character in the front matter; the body holds them raw.
    site.replace(
        REPORT,
        "summary: 2022年度法治政府建设情况及2023年工作计划。",
        "summary: \"2022年度\\u0001法治\\u001b[2J政府\\x85建设\\uFFFF\"",
    )
    .replace(
        REPORT,
        "note: 更正第一部分数字",
        "note: \"更正\\u0002第一部分\"",
    )
    .replace(
        REPORT,
        "title: 示例区司法局2022年度法治政府建设情况报告",
        "title: \"示例区\\u0008司法局2022年度法治政府建设情况报告\"",
    )
    .replace(
        "content/2021/market-regulation.md",
        "2021年，我局",
        "2021年\u{1}，我局\u{7f}",
    );
    let files = site.build();
    assert_well_formed(&files);
    let feed = text(&files, "zh/feed.xml");
    assert!(feed.contains("2022年度法治[2J政府建设"), "{feed}");
    assert!(feed.contains("更正第一部分"), "{feed}");
    assert!(feed.contains("示例区司法局2022年度"), "{feed}");
    assert!(feed.contains("2021年，我局优化"), "{feed}");
}

#[test]
fn check_prints_escape_sequences_escaped() {
    let site = TempSite::copy_of("basic");
    site.replace(
        REPORT,
        "department: justice-bureau",
        "department: \"a\\u001b]0;x\\u0007\"",
    )
    .write("content/2022/x\u{1b}[2J.zh.md", "---\ntitle: x\n---\n");
    let (code, stdout, stderr) = run(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    for out in [&stdout, &stderr] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
    assert!(stderr.contains("a\\u{1b}]0;x\\u{7}"), "{stderr}");
    assert!(stderr.contains("x\\u{1b}[2J.zh.md"), "{stderr}");
}

#[test]
fn heading_ids_are_never_empty_and_never_the_themes() {
    let site = TempSite::copy_of("basic");
    site.write(
        "content/2022/market-regulation.zh.md",
        "---\ntitle: 标题\ndepartment: market-regulation\ndate: 2023-03-30\n---\n\n\
         正文[^1]。\n\n## Main\n\n甲\n\n## Site search\n\n乙\n\n## fn-1\n\n丙\n\n\
         ## ！！！\n\n丁\n\n## ？\n\n戊\n\n## 法律援助\n\n己\n\n[^1]: 注。\n",
    );
    let files = site.build();
    let page = text(&files, "zh/2022/market-regulation/index.html");
    let mut ids: Vec<String> = tags(page).iter().filter_map(|t| attr(t, "id")).collect();
    assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "an id repeats on the page: {ids:?}");
    // Ordinary headings keep comrak's ids; the table of contents links every heading.
    for id in [
        "section-main",
        "section-site-search",
        "section-fn-1",
        "section-4",
        "section-5",
        "法律援助",
    ] {
        assert!(ids.contains(&id.to_string()), "no `{id}` in {ids:?}");
        assert!(
            page.contains(&format!("href=\"#{id}\"")),
            "no link to `{id}`"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinked_report_files_and_folders_are_errors_at_their_path() {
    let site = TempSite::copy_of("basic");
    let elsewhere = site.parent().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("2019")).unwrap();
    std::fs::write(
        elsewhere.join("2019/a.zh.md"),
        "---\ntitle: x\ndepartment: justice-bureau\ndate: 2020-01-01\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        elsewhere.join("2019/a.zh.md"),
        site.path("content/2022/linked.zh.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(elsewhere.join("2019"), site.path("content/2019")).unwrap();
    // A link to a file that is not a report stays as unnoticed as the file would be.
    std::fs::write(elsewhere.join("notes.txt"), "x").unwrap();
    std::os::unix::fs::symlink(
        elsewhere.join("notes.txt"),
        site.path("content/2022/notes.txt"),
    )
    .unwrap();
    let ds = site.build_err();
    let paths: Vec<String> = ds.iter().map(|d| d.path.display().to_string()).collect();
    assert_eq!(
        paths,
        ["content/2019", "content/2022/linked.zh.md"],
        "{}",
        common::show(&ds)
    );
    assert!(ds.iter().all(|d| d.message.contains("symbolic link")));
}
