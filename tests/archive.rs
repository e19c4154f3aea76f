//! Archiving past years (SPEC 8, 9): archived notices, revisions, department figures and charts,
//! the feed, `freeze` and `archive.lock`, `manifest.json` and the offline bundle.
//!
//! Most tests build the sample site at the repository root in memory; the ones that edit files
//! work on a copy in a temporary folder and run the real binary.

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

/// The `<main>` element of a page: what the tests look at, not the header and footer.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>");
    &html[start..end]
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
    let dir = tempfile::tempdir().unwrap();
    let root = copy_sample(dir.path());
    edit(
        &root.join("content/2023/justice-bureau.en.md"),
        "revisions:\n",
        "revisions:\n  - {date: 2024-04-01, note: Fixed a typo in Part I}\n",
    );
    let (_, out) = gongkai::build_in_memory(&BuildOptions::new(&root)).unwrap();
    let files = out.into_files();
    let html = String::from_utf8(files["en/2023/justice-bureau/index.html"].clone()).unwrap();
    let main = main_of(&html);
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
    assert!(
        !html.contains("<script"),
        "no script on the department page"
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
    let dir = tempfile::tempdir().unwrap();
    let root = copy_sample(dir.path());
    edit(
        &root.join("content/2023/justice-bureau.zh.md"),
        "revisions:\n",
        "revisions:\n  - {date: 2024-04-02, note: 更正错别字 <甲>}\n",
    );
    let (_, out) = gongkai::build_in_memory(&BuildOptions::new(&root)).unwrap();
    let files = out.into_files();
    let feed = String::from_utf8(files["zh/feed.xml"].clone()).unwrap();
    let entry_start = pos(
        &feed,
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
    let unrevised = &feed[pos(&feed, "zh/2023/market-regulation/</id>")..];
    let unrevised = &unrevised[..pos(unrevised, "</entry>")];
    assert!(!unrevised.contains("<content"));
}

// ---------------------------------------------------------------------------------------------
// Helpers for tests that change files.

/// Copies `site.yaml` and `content/` of the sample site into `dir`.
fn copy_sample(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
    copy_dir(&repo().join("content"), &root.join("content"));
    root
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces the first `from` in the file with `to`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}
