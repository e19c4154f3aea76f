//! Search in every browser (README "Search"), in headless Chromium: without
//! `DecompressionStream` the theme's own inflate routine gives the same results, and an index
//! file that fails to load shows a message and is asked for again by the next query.

#[path = "support/browser.rs"]
mod browser;

use std::path::{Path, PathBuf};
use std::time::Duration;

use browser::{browser, wait_for_status};
use fantoccini::{Client, Locator};

fn build_sample() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    gongkai::build(
        &gongkai::BuildOptions::new(env!("CARGO_MANIFEST_DIR")),
        &public,
        &|_| {},
        &|| {},
    )
    .unwrap();
    (out, public)
}

/// A copy of the search page of `lang` that deletes `DecompressionStream` before the page's
/// own scripts run: `<lang>/search/plain.html`.
fn page_without_decompression(public: &Path, lang: &str) {
    std::fs::write(
        public.join("no-decompression.js"),
        "delete window.DecompressionStream;\n",
    )
    .unwrap();
    let search = public.join(lang).join("search");
    let html = std::fs::read_to_string(search.join("index.html")).unwrap();
    let html = html.replacen(
        "</head>",
        "<script src=\"../../no-decompression.js\"></script>\n</head>",
        1,
    );
    std::fs::write(search.join("plain.html"), html).unwrap();
}

/// Each result's text (title, department and year, excerpt), once the status is shown and
/// the results stop changing.
async fn results(c: &Client, url: &str) -> (String, Vec<String>) {
    c.goto(url).await.unwrap();
    let status = wait_for_status(c).await;
    let mut last = Vec::new();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut now = Vec::new();
        for e in c
            .find_all(Locator::Css(".search-results li"))
            .await
            .unwrap()
        {
            now.push(e.text().await.unwrap());
        }
        if now == last && !now.is_empty() {
            break;
        }
        last = now;
    }
    (status, last)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_without_decompression_stream_gives_the_same_results() {
    let (_dir, public) = build_sample();
    page_without_decompression(&public, "zh");
    page_without_decompression(&public, "en");
    let base = format!("file://{}/", public.display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/search/plain.html"))
        .await
        .unwrap();
    let missing = c
        .execute("return typeof DecompressionStream;", vec![])
        .await
        .unwrap();
    assert_eq!(missing, "undefined", "the page must run without it");
    for (lang, q) in [
        ("zh", "%E5%A4%8D%E8%AE%AE"),
        ("zh", "%E6%B3%95%E5%BE%8B%E6%8F%B4%E5%8A%A9"),
        ("zh", "%E8%B0%83%E6%9C%BA%E5%88%B6"),
        ("en", "mediator"),
    ] {
        let with = results(&c, &format!("{base}{lang}/search/index.html?q={q}")).await;
        let without = results(&c, &format!("{base}{lang}/search/plain.html?q={q}")).await;
        assert!(!with.1.is_empty(), "{q}: {with:?}");
        assert_eq!(with, without, "{q}");
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_index_load_shows_a_message_and_the_next_query_retries() {
    let (dir, public) = build_sample();
    let buckets = public.join("zh/search/t");
    let away = dir.path().join("buckets-away");
    std::fs::rename(&buckets, &away).unwrap();
    let (c, _driver, _profile) = browser().await;
    let base = format!("file://{}/", public.display());
    c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "搜索暂不可用。");
    // The files come back (an upload finished): the next query loads them.
    std::fs::rename(&away, &buckets).unwrap();
    let input = c.find(Locator::Id("site-search")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("复议").await.unwrap();
    let mut status = String::new();
    for _ in 0..100 {
        status = wait_for_status(&c).await;
        if status != "搜索暂不可用。" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "共4条结果");
    c.close().await.unwrap();
}

/// The preview's `index` event (`gongkai:index`, sent on by its reload script) makes an open
/// search page forget the index it loaded and run its query on the new files, without a
/// reload: here the site is rebuilt under the open page, then the event is dispatched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_event_makes_the_open_page_search_the_new_index() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.yaml"), site.join("site.yaml")).unwrap();
    copy_dir(&repo.join("content"), &site.join("content"));
    let public = dir.path().join("public");
    let build = || {
        gongkai::build(&gongkai::BuildOptions::new(&site), &public, &|_| {}, &|| {}).unwrap();
    };
    build();
    let (c, _driver, _profile) = browser().await;
    // 核电站 is in no report of the sample site.
    let url = format!(
        "file://{}/zh/search/index.html?q=%E6%A0%B8%E7%94%B5%E7%AB%99",
        public.display()
    );
    c.goto(&url).await.unwrap();
    assert_eq!(wait_for_status(&c).await, "共0条结果");
    c.execute("window.__marker = 1; return true;", vec![])
        .await
        .unwrap();
    let report = site.join("content/2022/justice-bureau.zh.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replacen("## ", "新增核电站安全检查一段。\n\n## ", 1),
    )
    .unwrap();
    build();
    c.execute(
        "window.dispatchEvent(new CustomEvent('gongkai:index')); return true;",
        vec![],
    )
    .await
    .unwrap();
    let mut status = String::new();
    for _ in 0..100 {
        status = wait_for_status(&c).await;
        if status == "共1条结果" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "共1条结果");
    let marker = c.execute("return window.__marker;", vec![]).await.unwrap();
    assert_eq!(marker, 1, "no reload");
    c.close().await.unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
