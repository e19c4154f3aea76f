//! Search in real headless Chromium (driven through chromedriver): typing, filters kept in the
//! address, `<mark>` in excerpts; over HTTP (loopback) and from `file://`.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;
use std::time::Duration;

use browser::{browser, serve, wait_for_status};
use fantoccini::{Client, Locator};

fn build_sample() -> tempfile::TempDir {
    build_site(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn build_site(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    gongkai::build(
        &gongkai::BuildOptions::new(root),
        &out.path().join("public"),
        &|_| {},
        &|| {},
    )
    .unwrap();
    out
}

/// The text of every element the CSS selector `css` finds.
async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

async fn marks(c: &Client) -> Vec<String> {
    texts(c, ".search-results mark").await
}

async fn type_query_and_filter(c: &Client, base: &str) {
    c.goto(&format!("{base}zh/search/index.html"))
        .await
        .unwrap();
    let input = c.find(Locator::Id("search-q")).await.unwrap();
    input.send_keys("复议").await.unwrap();
    let status = wait_for_status(c).await;
    assert_eq!(status, "共4条结果");
    let m = marks(c).await;
    assert!(!m.is_empty() && m.iter().all(|t| t == "复议"), "{m:?}");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("q=%E5%A4%8D%E8%AE%AE")
    );

    // A filter narrows the results, shows counts and is kept in the address.
    let select = c.find(Locator::Css("select[name=year]")).await.unwrap();
    let option = select
        .find(Locator::Css("option[value='2022']"))
        .await
        .unwrap();
    assert_eq!(option.text().await.unwrap(), "2022 (1)");
    select.select_by_value("2022").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let years = texts(c, ".search-results .meta").await;
    assert_eq!(years.len(), 1);
    assert!(years[0].ends_with("2022"), "{years:?}");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("year=2022")
    );
    // Results link to the nearest heading.
    let href = c
        .find(Locator::Css(".search-results a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        href.contains("2022/justice-bureau/") && href.contains('#'),
        "{href}"
    );
}

async fn address_query_and_phrases(c: &Client, base: &str) {
    // A run that crosses word boundaries, read from the address.
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E8%B0%83%E6%9C%BA%E5%88%B6"
    ))
    .await
    .unwrap();
    wait_for_status(c).await;
    assert!(marks(c).await.iter().all(|t| t == "调机制"));
    assert!(!marks(c).await.is_empty());
    // A word in no report finds nothing.
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E6%A0%B8%E7%94%B5%E7%AB%99"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(c).await, "共0条结果");
    // English: stemming and case folding.
    c.goto(&format!("{base}en/search/index.html?q=MEDIATOR"))
        .await
        .unwrap();
    let status = wait_for_status(c).await;
    assert_ne!(status, "0 results");
    assert!(
        marks(c)
            .await
            .iter()
            .any(|t| t.to_lowercase().starts_with("mediator"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_works_over_http_and_from_file() {
    let site = build_sample();
    let public = site.path().join("public");
    let (c, _driver, _profile) = browser().await;
    let file_base = format!("file://{}/", public.display());
    type_query_and_filter(&c, &file_base).await;
    address_query_and_phrases(&c, &file_base).await;
    let port = serve(public.clone());
    let http_base = format!("http://127.0.0.1:{port}/");
    type_query_and_filter(&c, &http_base).await;
    address_query_and_phrases(&c, &http_base).await;
    c.close().await.unwrap();
}

async fn result_links(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for a in c
        .find_all(Locator::Css(".search-results h3 a"))
        .await
        .unwrap()
    {
        out.push(a.attr("href").await.unwrap().unwrap());
    }
    out
}

/// Title matches first, then headings, then body; more matches first; ties by newer year.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranking_follows_fields_counts_and_years() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ranking");
    let site = build_site(&root);
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E5%8F%B8%E6%B3%95%E7%A1%AE%E8%AE%A4"
    ))
    .await
    .unwrap();
    wait_for_status(&c).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let order: Vec<String> = result_links(&c)
        .await
        .iter()
        .map(|h| h.split('/').nth(4).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        order,
        [
            "title",
            "heading",
            "body-thrice",
            "body-once",
            "body-once-older"
        ]
    );

    // Quoted English phrases must occur as written, not as scattered words.
    c.goto(&format!(
        "{base}en/search/index.html?q=%22people%27s%20mediation%22"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(&c).await, "1 results");
    assert!(
        marks(&c).await.iter().any(|m| m == "people's mediation"),
        "{:?}",
        marks(&c).await
    );
    c.goto(&format!(
        "{base}en/search/index.html?q=%22mediation%20people%22"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(&c).await, "0 results");
    c.close().await.unwrap();
}

/// The script tokenizes queries exactly as the index was tokenized.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_tokenizer_matches_the_index_tokenizer() {
    let site = build_sample();
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/search/index.html"))
        .await
        .unwrap();
    let samples = [
        "行政复议",
        "２０２２年ＡＢＣ，法律援助",
        "Appeals MEDIATORS policies processing",
        "Café naïve résumé",
        "司警联调机制（试行）",
        "x",
        "法",
        "status bus is",
        "   ",
        "appealed agreed",
        "㐀㐁 豈 𠀀𠀁",
        "Ⅻ ﬁle",
    ];
    for s in samples {
        let js = c
            .execute(
                "const g = window.__gkSearch; return g.queryTerms(g.tokens(g.fold(arguments[0])));",
                vec![serde_json::json!(s)],
            )
            .await
            .unwrap();
        let rust = gongkai::search::query_terms(&gongkai::search::tokenize::tokens(
            &gongkai::search::tokenize::fold(s),
        ));
        assert_eq!(js, serde_json::json!(rust), "{s}");
    }
    // A phrase the page confirms against the text is looked up by bigrams that cover it: one
    // bucket per two characters, not one per character.
    for (s, cover) in [
        ("公共法律服务", vec!["b:公共", "b:法律", "b:服务"]),
        ("法治政府建", vec!["b:法治", "b:政府", "b:府建"]),
        ("调机制", vec!["b:调机", "b:机制"]),
    ] {
        let js = c
            .execute(
                "const g = window.__gkSearch; return g.queryTerms(g.tokens(g.fold(arguments[0])), true);",
                vec![serde_json::json!(s)],
            )
            .await
            .unwrap();
        assert_eq!(js, serde_json::json!(cover), "{s}");
    }
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C%E5%BB%BA%E8%AE%BE"
    ))
    .await
    .unwrap();
    assert_ne!(wait_for_status(&c).await, "共0条结果");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let m = marks(&c).await;
    assert!(
        !m.is_empty() && m.iter().all(|t| t == "法治政府建设"),
        "{m:?}"
    );
    // A mixed query: a number and a Chinese phrase, found in different sections of a report.
    c.goto(&format!(
        "{base}zh/search/index.html?q=2022%20%E6%B3%95%E5%BE%8B%E6%8F%B4%E5%8A%A9"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(&c).await, "共3条结果");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let m = marks(&c).await;
    assert!(
        !m.is_empty() && m.iter().all(|t| t == "法律援助" || t == "2022"),
        "{m:?}"
    );
    c.close().await.unwrap();
}

/// A site of 13 reports, report `rNN` holding `复议` NN times (odd ones in department a):
/// ranked by their counts, so the expected order is r13 down to r01.
fn counted_site() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let ranking = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ranking");
    std::fs::copy(ranking.join("site.yaml"), root.path().join("site.yaml")).unwrap();
    let year = root.path().join("content/2023");
    std::fs::create_dir_all(&year).unwrap();
    for n in 1..=13 {
        let department = if n % 2 == 1 { "a" } else { "b" };
        let body = "复议。".repeat(n);
        std::fs::write(
            year.join(format!("r{n:02}.zh.md")),
            format!(
                "---\ntitle: 报告{n}\ndepartment: {department}\ndate: 2024-01-01\nsummary: 年度工作。\n---\n\n{body}\n"
            ),
        )
        .unwrap();
    }
    root
}

/// The stems of the results on screen, once there are `count` of them.
async fn shown_stems(c: &Client, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let links = result_links(c).await;
        if links.len() >= count {
            return links
                .iter()
                .map(|h| h.split('/').nth(4).unwrap_or_default().to_string())
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} results appeared");
}

fn stems(numbers: impl Iterator<Item = usize>) -> Vec<String> {
    numbers.map(|n| format!("r{n:02}")).collect()
}

/// Results come ten at a time in rank order, each as soon as it is ready; "more" appends the
/// next page; a filter replaces the list, leaving nothing of the view before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_come_page_by_page_in_rank_order() {
    let root = counted_site();
    let site = build_site(root.path());
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "共13条结果");
    assert_eq!(shown_stems(&c, 10).await, stems((4..=13).rev()));
    c.find(Locator::Css("#search-app > button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(shown_stems(&c, 13).await, stems((1..=13).rev()));

    let select = c
        .find(Locator::Css("select[name=department]"))
        .await
        .unwrap();
    select.select_by_value("a").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        shown_stems(&c, 7).await,
        stems((1..=13).rev().filter(|n| n % 2 == 1))
    );
    c.close().await.unwrap();
}
