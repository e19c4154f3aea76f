//! Archiving past years (README, "Archiving"): archived notices, revisions, department figures and
//! charts, the feed, `freeze` and `archive.lock`, `manifest.json` and the offline bundle.
//!
//! Most tests build the sample site at the repository root in memory; the ones that edit files
//! work on a copy in a temporary folder and run the real binary.

mod common;

use common::{TempSite, main_of, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::BuildOptions;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample site, built once in memory.
fn sample() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let (_, out) = gongkai::build_in_memory(&BuildOptions::new(repo())).expect("sample builds");
        out.into_files()
    })
}

fn page(path: &str) -> String {
    let bytes = sample()
        .get(path)
        .unwrap_or_else(|| panic!("no {path} in the output"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

/// Byte offset of `needle` in `hay`, failing with the page when it is missing.
fn pos(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found in:\n{hay}"))
}

#[test]
fn superseded_report_says_archived_and_links_newest_in_both_languages() {
    let zh = page("zh/2022/justice-bureau/index.html");
    let zh = main_of(&zh);
    assert!(zh.contains("本报告已归档。"), "{zh}");
    assert!(zh.contains(
        r#"该部门的最新报告： <a href="../../../zh/2023/justice-bureau/">广州市海珠区司法局关于2023年度法治政府建设情况的报告</a>"#
    ));
    let en = page("en/2022/justice-bureau/index.html");
    let en = main_of(&en);
    assert!(en.contains("This report is archived."), "{en}");
    assert!(en.contains(r#"<a href="../../../en/2023/justice-bureau/">"#));
    // The newest report is not archived.
    let newest = page("zh/2023/justice-bureau/index.html");
    assert!(!main_of(&newest).contains("archived-notice"));
}

#[test]
fn year_page_marks_archived_years() {
    assert!(main_of(&page("zh/2022/index.html")).contains("archived-notice"));
    assert!(main_of(&page("en/2021/index.html")).contains("archived-notice"));
    assert!(!main_of(&page("zh/2023/index.html")).contains("archived-notice"));
}

#[test]
fn report_lists_revisions_newest_first_and_last_revised() {
    let site = TempSite::sample();
    site.replace(
        "content/2023/justice-bureau.en.md",
        "revisions:\n",
        "revisions:\n  - {date: 2024-04-01, note: Fixed a typo in Part I}\n",
    );
    let files = site.build();
    let html = text(&files, "en/2023/justice-bureau/index.html");
    let main = main_of(html);
    let newer = pos(main, "2024-05-06</time>: Corrected");
    let older = pos(main, "2024-04-01</time>: Fixed a typo");
    assert!(newer < older, "newest revision first");
    assert!(
        main.contains(r#"Last revised <time datetime="2024-05-06">"#),
        "{main}"
    );
}

#[test]
fn department_page_lists_years_newest_first() {
    for lang in ["zh", "en"] {
        let html = page(&format!("{lang}/departments/justice-bureau/index.html"));
        let main = main_of(&html);
        let y2023 = pos(main, &format!("../../../{lang}/2023/justice-bureau/"));
        let y2022 = pos(main, &format!("../../../{lang}/2022/justice-bureau/"));
        let y2021 = pos(main, &format!("../../../{lang}/2021/justice-bureau/"));
        assert!(y2023 < y2022 && y2022 < y2021, "{lang}: newest first");
    }
}

#[test]
fn department_page_has_figures_table_across_years() {
    let html = page("zh/departments/justice-bureau/index.html");
    let main = main_of(&html);
    assert!(
        main.contains("<h2 id=\"figures\">历年主要数据</h2>"),
        "{main}"
    );
    assert!(main.contains(
        r#"<th scope="col">2021年度</th><th scope="col">2022年度</th><th scope="col">2023年度</th>"#
    ));
    assert!(main.contains(
        r#"<tr><th scope="row">出具法律意见（件）</th><td class="num">188</td><td class="num">231</td><td class="num">253</td></tr>"#
    ), "{main}");
    let en = page("en/departments/justice-bureau/index.html");
    assert!(main_of(&en).contains(
        r#"<tr><th scope="row">Legal opinions issued</th><td class="num">188</td><td class="num">231</td><td class="num">253</td></tr>"#
    ));
}

#[test]
fn department_page_has_svg_chart_per_figure_with_text_alternative() {
    let html = page("en/departments/justice-bureau/index.html");
    let main = main_of(&html);
    let start = pos(main, "<svg ");
    let svg = &main[start..start + pos(&main[start..], "</svg>")];
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-labelledby="chart-"#));
    assert!(svg.contains("<title id=\"chart-"), "{svg}");
    assert!(main.contains(
        r#"<title id="chart-legal-opinions-title">Legal opinions issued</title><desc id="chart-legal-opinions-desc">2021: 188; 2022: 231; 2023: 253</desc>"#
    ));
    for value in ["188", "231", "253"] {
        assert!(
            main.contains(&format!(">{value}</text>")),
            "value {value} as text"
        );
    }
    assert!(main.contains(">Year</text>"), "x axis labelled");
    // The charts need no script: the only one is the theme's reading aids.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"../../../static/reading.")
            .count(),
        "no script on the department page but the reading aids"
    );
    let zh = page("zh/departments/justice-bureau/index.html");
    assert!(zh.contains(">年度</text>") && zh.contains(">出具法律意见（件）</text>"));
    assert_eq!(
        main.matches("<svg ").count(),
        main.matches("<tr><th scope=\"row\">").count(),
        "one chart per figure row"
    );
}

#[test]
fn department_figures_fall_back_to_the_other_language() {
    // The government office published its 2023 report in Chinese only.
    let html = page("en/departments/government-office/index.html");
    assert!(main_of(&html).contains(
        r#"<tr><th scope="row">New information disclosure requests</th><td class="num">433</td></tr>"#
    ));
}

#[test]
fn feed_entry_is_updated_by_revisions_and_says_what_was_revised() {
    let site = TempSite::sample();
    site.replace(
        "content/2023/justice-bureau.zh.md",
        "revisions:\n",
        "revisions:\n  - {date: 2024-04-02, note: 更正错别字 <甲>}\n",
    );
    let files = site.build();
    let feed = text(&files, "zh/feed.xml");
    let entry_start = pos(
        feed,
        "<id>https://www.example.gov.cn/fzzf/zh/2023/justice-bureau/</id>",
    );
    let entry = &feed[entry_start..entry_start + pos(&feed[entry_start..], "</entry>")];
    assert!(entry.contains("<published>2024-03-26T00:00:00Z</published>"));
    assert!(
        entry.contains("<updated>2024-05-06T00:00:00Z</updated>"),
        "{entry}"
    );
    assert!(entry.contains(r#"<content type="html">"#), "{entry}");
    // Escaped once for HTML and once more for XML.
    assert!(entry.contains("更正错别字 &amp;lt;甲&amp;gt;"), "{entry}");
    let newer = pos(entry, "由76份更正为79份");
    let older = pos(entry, "更正错别字");
    assert!(newer < older, "newest revision first");
    // Reports never revised carry no content, and the feed's own date is the newest revision.
    assert!(feed.contains("<updated>2024-05-06T00:00:00Z</updated>\n  <entry>"));
    let unrevised = &feed[pos(feed, "zh/2023/market-regulation/</id>")..];
    let unrevised = &unrevised[..pos(unrevised, "</entry>")];
    assert!(!unrevised.contains("<content"));
}

// ---------------------------------------------------------------------------------------------
// freeze and archive.lock

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lock's entry lines (no comments): (sha256, path, revisions).
fn lock_lines(root: &Path) -> Vec<(String, String, String)> {
    std::fs::read_to_string(root.join("archive.lock"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split("  ").collect();
            assert_eq!(f.len(), 3, "`<sha256>  <path>  revisions=<n>`: {l}");
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn freeze_writes_sorted_lock_and_merges_years() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let out = gongkai(&root, &["freeze", "2022"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(root.join("archive.lock")).unwrap();
    assert!(text.starts_with("# archive.lock"), "{text}");
    let lines = lock_lines(&root);
    let paths: Vec<&str> = lines.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(
        paths,
        [
            "content/2022/justice-bureau.en.md",
            "content/2022/justice-bureau.zh.md",
            "content/2022/market-regulation.en.md",
            "content/2022/market-regulation.zh.md",
        ]
    );
    for (hash, path, revisions) in &lines {
        assert_eq!(
            *hash,
            sha256(&std::fs::read(root.join(path)).unwrap()),
            "{path}"
        );
        assert_eq!(revisions, "revisions=0");
    }
    // Another year merges in, sorted; freezing a year again changes nothing.
    assert!(gongkai(&root, &["freeze", "2023"]).status.success());
    assert!(gongkai(&root, &["freeze", "2022"]).status.success());
    let lines = lock_lines(&root);
    let paths: Vec<&str> = lines.iter().map(|l| l.1.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 9);
    assert!(lines.contains(&(
        sha256(&std::fs::read(root.join("content/2023/justice-bureau.zh.md")).unwrap()),
        "content/2023/justice-bureau.zh.md".into(),
        "revisions=1".into()
    )));
    // Byte-identical when nothing changed.
    let before = std::fs::read(root.join("archive.lock")).unwrap();
    assert!(gongkai(&root, &["freeze", "2023"]).status.success());
    assert_eq!(std::fs::read(root.join("archive.lock")).unwrap(), before);
}

#[test]
fn freeze_leaves_drafts_out_and_refuses_a_year_without_published_reports() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    // 2024 holds one report, a draft.
    let out = gongkai(&root, &["freeze", "2024"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2024 has no published report"),
        "{}",
        stderr(&out)
    );
    assert!(!root.join("archive.lock").exists());
    let out = gongkai(&root, &["freeze", "1999"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn edited_frozen_report_is_refused_until_a_revision_is_added_then_freeze_records_it() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let file = "content/2022/justice-bureau.zh.md";
    assert!(gongkai(&root, &["freeze", "2022"]).status.success());
    assert!(gongkai(&root, &["build"]).status.success());
    let published = std::fs::read(root.join("public/zh/2022/justice-bureau/index.html")).unwrap();

    site.replace(
        file,
        "召开法务审查委员会会议10次",
        "召开法务审查委员会会议11次",
    );
    for command in ["build", "check"] {
        let out = gongkai(&root, &[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("content/2022/justice-bureau.zh.md:1:1: error: frozen report changed"),
            "{err}"
        );
        assert!(
            err.contains("revisions:") && err.contains("gongkai freeze 2022"),
            "{err}"
        );
    }
    // The refused build left the published site alone; the library refuses too (serve).
    assert_eq!(
        std::fs::read(root.join("public/zh/2022/justice-bureau/index.html")).unwrap(),
        published
    );
    assert!(gongkai::build_in_memory(&BuildOptions::new(&root)).is_err());

    site.replace(
        file,
        "---\n\n",
        "revisions:\n  - {date: 2023-06-01, note: 更正第一部分会议次数}\n---\n\n",
    );
    let out = gongkai(&root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page =
        std::fs::read_to_string(root.join("public/zh/2022/justice-bureau/index.html")).unwrap();
    assert!(page.contains("更正第一部分会议次数") && page.contains("会议11次"));

    // Freezing again records the new hash and revision count.
    assert!(gongkai(&root, &["freeze", "2022"]).status.success());
    let entry = lock_lines(&root)
        .into_iter()
        .find(|l| l.1 == "content/2022/justice-bureau.zh.md")
        .unwrap();
    assert_eq!(entry.0, sha256(&std::fs::read(site.path(file)).unwrap()));
    assert_eq!(entry.2, "revisions=1");
    assert!(gongkai(&root, &["build"]).status.success());

    // From now on, one revision is the baseline: another silent edit is refused again.
    site.replace(file, "会议11次", "会议12次");
    let out = gongkai(&root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("(revisions: 1 when frozen, 1 now)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn deleted_frozen_report_is_an_error() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    assert!(gongkai(&root, &["freeze", "2022"]).status.success());
    std::fs::remove_file(root.join("content/2022/market-regulation.en.md")).unwrap();
    let out = gongkai(&root, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "archive.lock:7:1: error: frozen report `content/2022/market-regulation.en.md` was deleted"
        ),
        "{err}"
    );
    assert!(err.contains("delete its line from archive.lock"), "{err}");
}

#[test]
fn frozen_report_turned_draft_is_refused() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    assert!(gongkai(&root, &["freeze", "2022"]).status.success());
    site.replace(
        "content/2022/market-regulation.zh.md",
        "\ndate:",
        "\ndraft: true\ndate:",
    );
    let out = gongkai(&root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/2022/market-regulation.zh.md:1:1: error: frozen report is now a draft"
        ),
        "{err}"
    );
    // Built with drafts, it is compared like any other frozen report.
    let out = gongkai(&root, &["build", "--drafts"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/2022/market-regulation.zh.md:1:1: error: frozen report changed"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// manifest.json

#[test]
fn manifest_lists_every_published_report_with_source_and_page_hashes() {
    let files = sample();
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["base_url"], "https://www.example.gov.cn/fzzf/");
    let reports = manifest["reports"].as_array().unwrap();
    // 11 published report files; the 2024 draft is not published.
    assert_eq!(reports.len(), 11);
    assert!(reports.iter().all(|r| r["year"] != 2024));
    let keys: Vec<(u64, String)> = reports
        .iter()
        .map(|r| {
            (
                r["year"].as_u64().unwrap(),
                r["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by year, then address");
    for r in reports {
        let page = r["page"].as_str().unwrap();
        assert_eq!(r["page_sha256"], sha256(&files[page]), "{page}");
        let source = repo().join(r["source"].as_str().unwrap());
        assert_eq!(r["source_sha256"], sha256(&std::fs::read(&source).unwrap()));
        assert_eq!(page, format!("{}index.html", r["url"].as_str().unwrap()));
    }
    let zh = reports
        .iter()
        .find(|r| r["url"] == "zh/2023/justice-bureau/")
        .unwrap();
    assert_eq!(zh["year"], 2023);
    assert_eq!(zh["department"], "justice-bureau");
    assert_eq!(zh["lang"], "zh");
    assert_eq!(zh["source"], "content/2023/justice-bureau.zh.md");
    assert_eq!(zh["revisions"], 1);
    // A report without a translation is listed once, in the language it has.
    assert_eq!(
        reports
            .iter()
            .filter(|r| r["url"]
                .as_str()
                .unwrap()
                .ends_with("/2023/government-office/"))
            .count(),
        1
    );
}

#[test]
fn manifest_is_written_by_build_and_deterministic() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    assert!(gongkai(&root, &["build"]).status.success());
    let first = std::fs::read(root.join("public/manifest.json")).unwrap();
    assert!(gongkai(&root, &["build"]).status.success());
    assert_eq!(
        std::fs::read(root.join("public/manifest.json")).unwrap(),
        first
    );
    assert_eq!(
        first,
        sample()["manifest.json"],
        "same in memory and on disk"
    );
}

// ---------------------------------------------------------------------------------------------
// gongkai archive: the offline bundle

const BASE_URL: &str = "https://www.example.gov.cn/fzzf/";

/// The sample site with Markdown links from a 2022 report to 2021, 2023 and another 2022 report
/// (to their files), and to a 2021 page written as a page address.
fn site_with_cross_year_links() -> TempSite {
    let site = TempSite::sample();
    site.replace(
        "content/2022/justice-bureau.zh.md",
        "## 一、",
        "参见[2021年度报告](../2021/justice-bureau.zh.md#一加强统筹部署法治建设责任进一步压实)、\
         [2023年度报告](../2023/justice-bureau.zh.md)和[市场监管局报告](market-regulation.zh.md)。\
         另见[英文版2021年页面](../../../en/2021/justice-bureau/?from=zh#main)。\n\n## 一、",
    );
    site
}

fn bundle(root: &Path, year: u16) -> BTreeMap<String, Vec<u8>> {
    gongkai::cmd::archive::files(&BuildOptions::new(root), year)
        .expect("bundle builds")
        .1
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part[..part.find('"').unwrap()].replace("&amp;", "&"));
        }
    }
    out
}

#[test]
fn archive_writes_a_zip_of_the_year_in_both_languages() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let out = gongkai(&root, &["archive", "2022"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2022 is not frozen"),
        "{}",
        stderr(&out)
    );
    let zip = std::fs::read(root.join("gongkai-2022.zip")).expect("default output in the root");
    let names = zip_names(&zip);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries sorted");
    for expected in [
        "README.txt",
        "manifest.json",
        "index.html",
        "zh/index.html",
        "en/index.html",
        "zh/2022/index.html",
        "en/2022/index.html",
        "zh/2022/justice-bureau/index.html",
        "en/2022/justice-bureau/index.html",
        "zh/2022/market-regulation/index.html",
        "en/2022/market-regulation/index.html",
        "zh/departments/index.html",
        "zh/departments/justice-bureau/index.html",
        "en/themes/rule-of-law/index.html",
        "zh/search/index.html",
        "zh/search/meta.js",
        "en/search/meta.js",
        "zh/feed.xml",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    // The files pages load, under their content-named names.
    for (start, end) in [("static/style.", ".css"), ("static/search.", ".js")] {
        assert!(
            names.iter().any(|n| n.starts_with(start)
                && n.ends_with(end)
                && n.len() == start.len() + 8 + end.len()),
            "{start}<tag>{end} missing: {names:?}"
        );
    }
    for name in &names {
        assert!(
            !name.contains("/2021/") && !name.contains("/2023/") && !name.contains("/2024/"),
            "{name}: another year"
        );
    }
    for live_only in ["404.html", "sitemap.xml", "robots.txt"] {
        assert!(!names.iter().any(|n| n == live_only), "{live_only}");
    }
    let out = gongkai(&root, &["archive", "2031"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn archive_runs_are_byte_identical() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let a = site.parent().join("a/one.zip");
    let b = site.parent().join("b.zip");
    for out in [&a, &b] {
        let run = gongkai(&root, &["archive", "2023", "--out", out.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    }
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::default()),
            "{:?}",
            f.name()
        );
        assert_eq!(f.unix_mode(), Some(0o100644), "{:?}", f.name());
    }
}

#[test]
fn bundle_lists_only_its_year_and_keeps_archived_marks() {
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let files = bundle(&root, 2022);
    let home = text(&files, "zh/index.html");
    let home = main_of(home);
    assert!(home.contains("2022/justice-bureau/index.html"));
    assert!(
        !home.contains("/2023/") && !home.contains("/2021/"),
        "{home}"
    );
    assert!(!home.contains("2021年度"), "{home}");
    let year = text(&files, "en/2022/index.html");
    assert!(
        main_of(year).contains("archived-notice"),
        "superseded on the live site"
    );
    let dept = text(&files, "zh/departments/justice-bureau/index.html");
    let dept = main_of(dept);
    assert!(
        dept.contains(r#"<th scope="col">2022年度</th></tr>"#),
        "{dept}"
    );
    assert!(!dept.contains("2021年度"));
    let meta = text(&files, "zh/search/meta.js");
    assert!(
        meta.contains("2022") && !meta.contains("2023") && !meta.contains("2021"),
        "{meta}"
    );
    let readme = text(&files, "README.txt");
    assert!(readme.contains("index.html") && readme.contains("2022年度离线归档"));
    assert!(readme.contains("offline archive of 2022"), "{readme}");
}

#[test]
fn bundle_links_name_index_html_and_leave_only_for_the_live_site() {
    let site = site_with_cross_year_links();
    let root = site.root().to_path_buf();
    let files = bundle(&root, 2022);
    let mut checked = 0;
    for (file, bytes) in files.iter().filter(|(f, _)| f.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        for href in links(&html) {
            if href.starts_with('#') {
                continue;
            }
            if href.contains("://") {
                assert!(
                    href.starts_with(BASE_URL),
                    "{file}: {href} leaves for another host"
                );
                continue;
            }
            checked += 1;
            let path = href.split('#').next().unwrap();
            assert!(
                !path.ends_with('/'),
                "{file}: {href} does not name index.html"
            );
            let target = gongkai::urls::resolve(file, &href).unwrap();
            assert!(
                files.contains_key(&target),
                "{file}: {href} → {target} not in the bundle"
            );
        }
    }
    assert!(checked > 300, "{checked} links checked");
    let zh = text(&files, "zh/2022/justice-bureau/index.html");
    // The archived notice and Markdown links to other years lead to the live site …
    assert!(
        zh.contains(&format!(
            r#"该部门的最新报告： <a href="{BASE_URL}zh/2023/justice-bureau/">"#
        )),
        "{zh}"
    );
    assert!(
        zh.contains(&format!(r#"<a href="{BASE_URL}zh/2021/justice-bureau/#"#)),
        "{zh}"
    );
    assert!(zh.contains(&format!(
        r#"<a href="{BASE_URL}zh/2023/justice-bureau/">2023年度报告"#
    )));
    // … so do links written to another year's page rather than its file …
    assert!(
        zh.contains(&format!(
            r#"<a href="{BASE_URL}en/2021/justice-bureau/?from=zh#main">英文版2021年页面"#
        )),
        "{zh}"
    );
    // … and links inside the year stay inside the bundle.
    assert!(
        zh.contains(r#"<a href="../../../zh/2022/market-regulation/index.html">市场监管局报告"#),
        "{zh}"
    );
}

#[test]
fn bundle_manifest_describes_the_bundle_pages() {
    let site = site_with_cross_year_links();
    let root = site.root().to_path_buf();
    let files = bundle(&root, 2022);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let reports = manifest["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 4);
    for r in reports {
        assert_eq!(r["year"], 2022);
        let page = r["page"].as_str().unwrap();
        assert_eq!(
            r["page_sha256"],
            sha256(&files[page]),
            "hash of the page as bundled"
        );
        let source = root.join(r["source"].as_str().unwrap());
        assert_eq!(r["source_sha256"], sha256(&std::fs::read(source).unwrap()));
    }
}

/// Opens the unpacked bundle from `file://` in headless Chromium and searches it. Chromium must
/// be installed (`.ci/run` installs it): a missing browser fails the test rather than skip it.
#[test]
fn bundle_searches_offline_in_a_browser() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        panic!("headless Chromium is needed: apt-get install chromium chromium-driver");
    };
    let site = TempSite::sample();
    let root = site.root().to_path_buf();
    let zip_path = site.parent().join("bundle.zip");
    let run = gongkai(
        &root,
        &["archive", "2022", "--out", zip_path.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let unpacked = site.parent().join("unpacked");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    zip.extract(&unpacked).unwrap();

    let search = |lang: &str, query: &str| -> String {
        let url = format!(
            "file://{}/{lang}/search/index.html?q={query}",
            unpacked.canonicalize().unwrap().display()
        );
        let out = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--virtual-time-budget=10000",
            ])
            .arg(format!(
                "--user-data-dir={}",
                site.parent().join("profile").display()
            ))
            .args(["--dump-dom", &url])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // 行政复议 (administrative reconsideration), percent-encoded.
    let dom = search("zh", "%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE");
    let results = &dom[pos(&dom, "<ol class=\"search-results\"")..];
    let results = &results[..pos(results, "</ol>")];
    assert!(
        results.contains(r#"href="../../zh/2022/justice-bureau/index.html"#),
        "{results}"
    );
    assert!(results.contains("<mark>行政复议</mark>"), "{results}");
    assert!(
        !results.contains("/2023/") && !results.contains("/2021/"),
        "only 2022: {results}"
    );
    let dom = search("en", "reconsideration");
    let results = &dom[pos(&dom, "<ol class=\"search-results\"")..];
    assert!(
        results.contains(r#"href="../../en/2022/justice-bureau/index.html"#),
        "{results}"
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers for tests that change files.

/// Runs the real binary on the site at `root`.
fn gongkai(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gongkai")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
