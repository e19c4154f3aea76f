//! What makes the site a finished government site (README "Site identity", "Writing a report",
//! "Deploying"): identity in every footer, disclosure attributes on report pages, and the page
//! markup findings of the validators — heading levels, one description, sitemap alternates,
//! `robots.txt`, feed languages, contents numbering, plural forms, the current section, and
//! the offline bundle's lists.

mod common;

use std::collections::BTreeSet;

use common::{
    Files, TempSite, attr, build_fixture, fixture, gongkai, html_pages, main_of, run_cmd,
    stylesheet, tags, text,
};
use gongkai::BuildOptions;

fn footer(html: &str) -> &str {
    let start = html.find("<footer").expect("page has a footer");
    &html[start..]
}

fn meta(html: &str, name: &str) -> Option<String> {
    let needle = format!("<meta name=\"{name}\" ");
    tags(html)
        .into_iter()
        .find(|t| t.starts_with(&needle))
        .and_then(|t| attr(t, "content"))
}

#[test]
fn every_footer_shows_the_sites_identity_in_the_pages_language() {
    let files = build_fixture("basic");
    for (file, html) in html_pages(&files) {
        let f = footer(html);
        let (zh, en) = (f.contains("主办单位"), f.contains("Sponsored by"));
        match file.split('/').next() {
            Some("zh") => assert!(zh && !en, "{file}: {f}"),
            Some("en") => assert!(en && !zh, "{file}: {f}"),
            // The chooser and the 404 page belong to no language: both.
            _ => assert!(zh && en, "{file}: {f}"),
        }
        assert!(f.contains("1100000001"), "{file}: site code");
        assert!(
            f.contains(r#"<a href="https://beian.miit.gov.cn/">京ICP备00000001号</a>"#),
            "{file}"
        );
        assert!(
            f.contains("recordcode=11000002000001\">京公网安备 11000002000001号</a>"),
            "{file}"
        );
    }
    // The error report names the page it was opened from.
    let report = footer(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        report.contains(
            "jiucuo.html?site_code=1100000001&amp;url=https%3A%2F%2Fwww.example.gov.cn%2Freports%2Fzh%2F2022%2Fjustice-bureau%2F\">政府网站找错</a>"
        ),
        "{report}"
    );
}

#[test]
fn a_site_without_identity_shows_none_and_names_itself_as_author() {
    let files = build_fixture("ranking");
    for (file, html) in html_pages(&files) {
        assert!(!html.contains("site-identity"), "{file}");
        assert!(!html.contains("error-report"), "{file}");
        assert_eq!(meta(html, "SiteIDCode"), None, "{file}");
    }
    let home = text(&files, "zh/index.html");
    assert_eq!(meta(home, "Author"), meta(home, "SiteName"));
}

#[test]
fn identity_mistakes_are_errors_at_their_place() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "index_number: \"{site_code}-{year}-{department}-{stem}\"",
        "index_number: \"{year}-{seq}\"",
    )
    .replace(
        "site.yaml",
        "error_report: \"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}\"",
        "error_report: javascript:alert(1)",
    );
    let quoted = TempSite::copy_of("basic");
    quoted.replace("site.yaml", "&url={url}", "&url={url}\\\" onclick=\\\"x");
    let problems = quoted.build_err();
    assert!(
        problems[0].message.contains("must be an http(s) address"),
        "{problems:?}"
    );
    let problems = site.build_err();
    let found: Vec<_> = problems
        .iter()
        .map(|d| (d.line, d.col, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|(l, c, m)| (*l, *c) == (24, 18) && m.contains("`{seq}`")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(l, c, m)| (*l, *c) == (23, 17) && m.contains("http(s) address")),
        "{found:?}"
    );
}

#[test]
fn report_pages_carry_the_disclosure_attributes() {
    let files = build_fixture("basic");
    let zh = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    let block = &zh[zh
        .find("<section class=\"disclosure\"")
        .expect("disclosure block")..];
    let block = &block[..block.find("</section>").unwrap()];
    let rows: Vec<&str> = block.split("<div>").skip(1).collect();
    let expected = [
        "<dt>索引号</dt><dd>1100000001-2022-justice-bureau-justice-bureau</dd>",
        "<dt>发布机构</dt><dd>示例区司法局</dd>",
        "<dt>成文日期</dt><dd><time datetime=\"2023-03-20\">2023-03-20</time></dd>",
        "<dt>发布日期</dt><dd><time datetime=\"2023-03-28\">2023-03-28</time></dd>",
        "<dt>主题分类</dt><dd>法治政府建设、法律援助</dd>",
    ];
    assert_eq!(rows.len(), expected.len(), "{block}");
    for (row, want) in rows.iter().zip(expected) {
        assert!(row.starts_with(want), "{row} should start with {want}");
    }
    // The translation shares the number; it gives no written date, so that row is left out.
    let en = main_of(text(&files, "en/2022/justice-bureau/index.html"));
    assert!(
        en.contains("<dt>Index number</dt><dd>1100000001-2022-justice-bureau-justice-bureau</dd>")
    );
    assert!(!en.contains("Date written"), "{en}");
    let css = stylesheet(&files);
    let print = &css[css.rfind("@media print").unwrap()..];
    assert!(print.contains(".disclosure"), "the block has a print rule");
}

#[test]
fn a_written_date_that_is_no_date_is_an_error_at_it() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "content/2022/justice-bureau.zh.md",
        "written_date: 2023-03-20",
        "written_date: 2023-02-30",
    );
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].line, problems[0].col), (7, 15));
    assert!(problems[0].message.contains("`2023-02-30` is not a date"));
}

/// Every heading on every page is at most one level below the one before it.
fn skipped_levels(html: &str) -> Vec<(u8, u8)> {
    let mut last = 0u8;
    let mut skips = Vec::new();
    for t in tags(html) {
        let b = t.as_bytes();
        if b.len() > 3
            && b[1] == b'h'
            && (b'1'..=b'6').contains(&b[2])
            && !b[3].is_ascii_alphanumeric()
        {
            let level = b[2] - b'0';
            if level > last + 1 {
                skips.push((last, level));
            }
            last = level;
        }
    }
    skips
}

#[test]
fn headings_never_skip_a_level() {
    for name in ["basic", "ranking"] {
        let files = build_fixture(name);
        for (file, html) in html_pages(&files) {
            assert_eq!(skipped_levels(html), [], "{name}: {file}");
        }
    }
}

#[test]
fn sitemap_lists_the_alternates_each_page_declares() {
    let files = build_fixture("basic");
    let base = "https://www.example.gov.cn/reports/";
    let sitemap = text(&files, "sitemap.xml");
    let doc = roxmltree::Document::parse(sitemap).unwrap();
    let mut checked = 0;
    for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .unwrap();
        let listed: BTreeSet<(String, String)> = url
            .children()
            .filter(|n| n.has_tag_name("link"))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap().into(),
                    n.attribute("href").unwrap().into(),
                )
            })
            .collect();
        let file = format!("{}index.html", &loc[base.len()..]);
        let declared: BTreeSet<(String, String)> = tags(text(&files, &file))
            .into_iter()
            .filter(|t| t.starts_with("<link rel=\"alternate\" hreflang="))
            .map(|t| (attr(t, "hreflang").unwrap(), attr(t, "href").unwrap()))
            .collect();
        assert_eq!(listed, declared, "{loc}");
        assert!(listed.iter().any(|(h, _)| h == "x-default"), "{loc}");
        checked += 1;
    }
    assert!(checked > 20, "{checked} urls");
}

#[test]
fn robots_txt_ends_in_a_newline_and_the_build_says_where_it_belongs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, _, stderr) = run_cmd(
        gongkai()
            .args(["build", "--no-cache", "--root"])
            .arg(fixture("basic"))
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 0, "{stderr}");
    // base_url is https://www.example.gov.cn/reports/: crawlers never read /reports/robots.txt.
    assert!(
        stderr.contains("robots.txt is not at the host's root"),
        "{stderr}"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.ends_with("sitemap.xml\n"), "{robots:?}");
    let (code, _, stderr) = run_cmd(
        gongkai()
            .args([
                "build",
                "--no-cache",
                "--base-url",
                "https://www.example.gov.cn/",
                "--root",
            ])
            .arg(fixture("basic"))
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("robots.txt"),
        "at the root it is where it belongs: {stderr}"
    );
}

#[test]
fn feeds_say_the_same_language_as_the_pages() {
    let files = build_fixture("basic");
    for (lang, tag) in [("zh", "zh-CN"), ("en", "en")] {
        let feed = text(&files, &format!("{lang}/feed.xml"));
        assert!(feed.contains(&format!("xml:lang=\"{tag}\"")), "{feed}");
        let home = text(&files, &format!("{lang}/index.html"));
        assert!(home.contains(&format!("<html lang=\"{tag}\">")));
    }
}

#[test]
fn contents_of_self_numbered_headings_carry_no_second_number() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "content/2022/justice-bureau.en.md",
        "## 1. Party leadership",
        "## Party leadership",
    )
    .replace(
        "content/2022/justice-bureau.en.md",
        "## 2. Legal aid",
        "## Legal aid",
    );
    let files = site.build();
    let zh = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        zh.contains(
            "<ol class=\"self-numbered\"><li><a href=\"#一加强党的领导法治政府建设逐步深化\">"
        ),
        "{zh}"
    );
    let en = main_of(text(&files, "en/2022/justice-bureau/index.html"));
    assert!(
        en.contains("<h2 id=\"report-toc\">Contents</h2>\n  <ol><li>"),
        "{en}"
    );
    let css = stylesheet(&files);
    assert!(css.contains(".toc ol.self-numbered { list-style: none;"));
}

#[test]
fn english_counts_say_one_report_and_two_reports() {
    let files = build_fixture("basic");
    let home = main_of(text(&files, "en/index.html"));
    assert!(!home.contains(">1 reports<"), "{home}");
    assert!(home.contains(">1 report<"), "{home}");
    assert!(
        home.contains(">2 reports<") || home.contains(">3 reports<"),
        "{home}"
    );
}

#[test]
fn department_and_theme_pages_mark_their_section_in_the_navigation() {
    let files = build_fixture("basic");
    let current = |file: &str| -> Vec<(String, String)> {
        tags(text(&files, file))
            .into_iter()
            .filter(|t| t.starts_with("<a ") && t.contains("aria-current"))
            .map(|t| (attr(t, "href").unwrap(), attr(t, "aria-current").unwrap()))
            .collect()
    };
    assert_eq!(
        current("zh/themes/legal-aid/index.html"),
        [("../../../zh/themes/".to_string(), "true".to_string())]
    );
    assert_eq!(
        current("zh/departments/justice-bureau/index.html"),
        [("../../../zh/departments/".to_string(), "true".to_string())]
    );
    assert_eq!(
        current("zh/themes/index.html"),
        [("../../zh/themes/".to_string(), "page".to_string())]
    );
}

#[test]
fn offline_bundle_lists_only_departments_and_themes_of_its_year() {
    let files: Files = gongkai::cmd::archive::files(&BuildOptions::new(fixture("basic")), 2021)
        .expect("bundle builds")
        .1;
    for (file, html) in html_pages(&files) {
        let main = main_of(html);
        assert!(
            !main.contains(">0篇<") && !main.contains(">0 reports<"),
            "{file}: {main}"
        );
        assert!(
            !main.contains("暂无报告") && !main.contains("No reports yet"),
            "{file}"
        );
    }
    assert!(files.contains_key("zh/departments/justice-bureau/index.html"));
    assert!(!files.contains_key("zh/departments/finance-bureau/index.html"));
}
