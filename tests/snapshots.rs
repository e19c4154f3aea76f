//! Snapshots of the `basic` fixture: the sorted list of output files, the `<main>` of each kind
//! of page (whole page for the chooser and 404), the feed and the sitemap.
//!
//! Review a changed snapshot as you would review the page: `INSTA_UPDATE=always cargo test
//! --test snapshots`, then read the `.snap` diff before committing.

mod common;

use std::sync::OnceLock;

use common::{Files, build_fixture, main_of, text};
use insta::assert_snapshot;

fn basic() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| build_fixture("basic"))
}

fn main_html(path: &str) -> &'static str {
    main_of(text(basic(), path))
}

#[test]
fn output_files() {
    let list: Vec<&str> = basic().keys().map(String::as_str).collect();
    assert_snapshot!(list.join("\n"));
}

#[test]
fn chooser_page() {
    assert_snapshot!(text(basic(), "index.html"));
}

#[test]
fn not_found_page() {
    assert_snapshot!(text(basic(), "404.html"));
}

#[test]
fn home_main() {
    assert_snapshot!(main_html("zh/index.html"));
}

#[test]
fn year_main() {
    assert_snapshot!(main_html("zh/2022/index.html"));
}

#[test]
fn archived_year_main_in_other_language() {
    assert_snapshot!(main_html("en/2021/index.html"));
}

#[test]
fn report_main() {
    assert_snapshot!(main_html("zh/2022/justice-bureau/index.html"));
}

#[test]
fn report_head() {
    let page = text(basic(), "en/2022/justice-bureau/index.html");
    let head = &page[page.find("<head>").unwrap()..page.find("</head>").unwrap() + "</head>".len()];
    assert_snapshot!(head);
}

#[test]
fn archived_report_main() {
    assert_snapshot!(main_html("en/2021/justice-bureau/index.html"));
}

#[test]
fn not_translated_main() {
    assert_snapshot!(main_html("en/2022/market-regulation/index.html"));
}

#[test]
fn departments_main() {
    assert_snapshot!(main_html("en/departments/index.html"));
}

#[test]
fn department_main() {
    assert_snapshot!(main_html("zh/departments/justice-bureau/index.html"));
}

#[test]
fn themes_main() {
    assert_snapshot!(main_html("zh/themes/index.html"));
}

#[test]
fn theme_main() {
    assert_snapshot!(main_html("en/themes/rule-of-law/index.html"));
}

#[test]
fn search_main() {
    assert_snapshot!(main_html("zh/search/index.html"));
}

#[test]
fn feed_xml() {
    assert_snapshot!(text(basic(), "zh/feed.xml"));
}

#[test]
fn sitemap_xml() {
    assert_snapshot!(text(basic(), "sitemap.xml"));
}

#[test]
fn robots_txt() {
    assert_snapshot!(text(basic(), "robots.txt"));
}
