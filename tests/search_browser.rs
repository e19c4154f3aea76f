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
    // Some roots are the repository's fixtures: no build cache is written into them.
    let opts = gongkai::BuildOptions {
        no_cache: true,
        ..gongkai::BuildOptions::new(root)
    };
    gongkai::build(&opts, &out.path().join("public"), &|_| {}, &|| {}).unwrap();
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
    let input = c.find(Locator::Id("site-search")).await.unwrap();
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

    // Theme counts follow the reports' themes (of the four, two 2022–2023 justice bureau
    // reports are on the business environment, the government office's on disclosure).
    let themes = c.find(Locator::Css("select[name=theme]")).await.unwrap();
    for (theme, count) in [
        ("business-environment", "(2)"),
        ("information-disclosure", "(1)"),
        ("rule-of-law", "(4)"),
    ] {
        let option = themes
            .find(Locator::Css(&format!("option[value='{theme}']")))
            .await
            .unwrap();
        let text = option.text().await.unwrap();
        assert!(text.ends_with(count), "{theme}: {text}");
    }

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
        .find_all(Locator::Css(".search-results h2 a"))
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
    assert_eq!(wait_for_status(&c).await, "1 result");
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
    c.find(Locator::Css("#search-app > button.more"))
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

/// Whether the element the CSS selector finds is shown.
async fn shown(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap()
}

/// "More results" shows only while there are more: not with ten results or fewer (the
/// stylesheet's `button` display once beat `hidden`), not once all are on screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_results_shows_only_when_there_are_more() {
    let sample = build_sample();
    let base = format!("file://{}/", sample.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "共4条结果");
    assert!(!shown(&c, "#search-app > button.more").await);

    let root = counted_site();
    let counted = build_site(root.path());
    let base = format!("file://{}/", counted.path().join("public").display());
    c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "共13条结果");
    assert!(shown(&c, "#search-app > button.more").await);
    c.find(Locator::Css("#search-app > button.more"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shown_stems(&c, 13).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!shown(&c, "#search-app > button.more").await);
    c.close().await.unwrap();
}

/// One search box on the search page: the header's, holding the query; submitting it
/// searches in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_box_holds_the_query() {
    let site = build_sample();
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
        .await
        .unwrap();
    wait_for_status(&c).await;
    let boxes = c
        .find_all(Locator::Css("input[type=search]"))
        .await
        .unwrap();
    assert_eq!(boxes.len(), 1, "one search box");
    assert_eq!(boxes[0].prop("value").await.unwrap().unwrap(), "复议");
    assert_eq!(
        c.find_all(Locator::Css("[role=search]"))
            .await
            .unwrap()
            .len(),
        1
    );
    boxes[0].clear().await.unwrap();
    boxes[0].send_keys("核电站\u{E007}").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wait_for_status(&c).await, "共0条结果");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("search/index.html?q=")
    );
    c.close().await.unwrap();
}

/// The filters: apart from each other, each label above its own menu, at 1280 and 375 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_keep_their_labels_and_stay_apart() {
    let site = build_sample();
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    for width in [1280, 375] {
        c.set_window_size(width, 900).await.unwrap();
        c.goto(&format!("{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE"))
            .await
            .unwrap();
        wait_for_status(&c).await;
        let problems = c
            .execute(
                "var out = [], boxes = [];
                 document.querySelectorAll('.filters label').forEach(function (l) {
                   var t = l.querySelector('span').getBoundingClientRect();
                   var s = l.querySelector('select').getBoundingClientRect();
                   if (t.bottom > s.top + 1 || t.left > s.right || s.left > t.right)
                     out.push(l.textContent + ': label not above its menu');
                   boxes.push(l.getBoundingClientRect());
                 });
                 for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
                   var a = boxes[i], b = boxes[j];
                   var apart = a.right + 8 <= b.left || b.right + 8 <= a.left || a.bottom + 8 <= b.top || b.bottom + 8 <= a.top;
                   if (!apart) out.push('filters ' + i + ' and ' + j + ' run together');
                 }
                 if (boxes.length !== 3) out.push(boxes.length + ' filters');
                 return out;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(problems, serde_json::json!([]), "at {width} px");
    }
    c.close().await.unwrap();
}

/// Nothing found: advice in the page's language, and a way to clear filters that hide
/// everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_results_gives_advice() {
    let site = build_sample();
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E6%A0%B8%E7%94%B5%E7%AB%99"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(&c).await, "共0条结果");
    let advice = texts(&c, ".search-advice").await.join("");
    assert!(
        advice.contains("减少关键词") && advice.contains("错别字"),
        "{advice}"
    );
    assert!(!advice.contains("清除筛选"), "no filter to clear: {advice}");

    c.goto(&format!("{base}en/search/index.html?q=zzyzx"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "0 results");
    let advice = texts(&c, ".search-advice").await.join("");
    assert!(
        advice.contains("fewer words") && advice.contains("spelling"),
        "{advice}"
    );

    // A year with no report hides every result: the advice offers to clear it.
    c.goto(&format!(
        "{base}zh/search/index.html?q=%E5%A4%8D%E8%AE%AE&year=1999"
    ))
    .await
    .unwrap();
    assert_eq!(wait_for_status(&c).await, "共0条结果");
    c.find(Locator::Css(".search-advice button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wait_for_status(&c).await, "共4条结果");
    assert!(!shown(&c, ".search-advice").await);
    assert!(!c.current_url().await.unwrap().as_str().contains("year="));
    c.close().await.unwrap();
}

/// An English report whose match sits past a run of ten-letter words, so an excerpt cut at a
/// fixed count of characters starts inside a word; and `law` beside `lawyer` and `laws`.
fn english_site() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let ranking = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ranking");
    std::fs::copy(ranking.join("site.yaml"), root.path().join("site.yaml")).unwrap();
    let year = root.path().join("content/2023");
    std::fs::create_dir_all(&year).unwrap();
    let filler = "abcdefghij ".repeat(20);
    std::fs::write(
        year.join("words.en.md"),
        format!(
            "---\ntitle: Words\ndepartment: a\ndate: 2024-01-01\nsummary: Annual work.\n---\n\n{filler}mediation {filler}\n\nThe lawyer read the law and the laws; lawyers too.\n"
        ),
    )
    .unwrap();
    root
}

/// English excerpts start and end at a word; a phrase marks whole words only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_excerpts_keep_whole_words() {
    let root = english_site();
    let site = build_site(root.path());
    let base = format!("file://{}/", site.path().join("public").display());
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}en/search/index.html?q=mediation"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "1 result");
    let excerpt = texts(&c, ".search-results .excerpt").await.join("");
    let inner = excerpt.trim_start_matches('…').trim_end_matches('…');
    assert!(excerpt.starts_with('…'), "{excerpt}");
    for word in inner.split_whitespace() {
        assert!(
            word == "abcdefghij" || word == "mediation",
            "a cut word `{word}` in {excerpt}"
        );
    }

    c.goto(&format!("{base}en/search/index.html?q=%22law%22"))
        .await
        .unwrap();
    assert_eq!(wait_for_status(&c).await, "1 result");
    let m = marks(&c).await;
    assert!(!m.is_empty(), "nothing marked");
    assert!(m.iter().all(|t| t == "law" || t == "laws"), "{m:?}");
    c.close().await.unwrap();
}

/// A report of five sections, each long enough to be a pack of its own (about 1.8 kB): the
/// third holds `核查点`, the second `独特词` and the fifth `另一词`; and `others` short
/// reports besides.
fn packed_site(others: usize) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let ranking = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ranking");
    std::fs::copy(ranking.join("site.yaml"), root.path().join("site.yaml")).unwrap();
    let year = root.path().join("content/2023");
    std::fs::create_dir_all(&year).unwrap();
    let filler = "文字内容。".repeat(60);
    let words = ["", "独特词", "核查点", "", "另一词"];
    let mut body = String::new();
    for (i, word) in words.iter().enumerate() {
        body.push_str(&format!("## 第{}部分\n\n{filler}{word}{filler}\n\n", i + 1));
    }
    std::fs::write(
        year.join("long.zh.md"),
        format!(
            "---\ntitle: 长报告\ndepartment: a\ndate: 2024-01-01\nsummary: 概要。\n---\n\n{body}"
        ),
    )
    .unwrap();
    for n in 0..others {
        std::fs::write(
            year.join(format!("r{n:04}.zh.md")),
            format!("---\ntitle: 报告{n}\ndepartment: b\ndate: 2024-01-01\nsummary: 短。\n---\n\n正文。\n"),
        )
        .unwrap();
    }
    root
}

/// The report texts the page has loaded (their file names).
async fn texts_loaded(c: &Client) -> Vec<String> {
    let names = c
        .execute(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; })\
               .filter(function (n) { return n.indexOf('/search/p/') >= 0; });",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(names).unwrap()
}

/// A result downloads only the pack of the report that holds its match; a query whose
/// phrases are in different packs reads those packs and still finds the report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_loads_only_the_pack_of_its_match() {
    let root = packed_site(0);
    let site = build_site(root.path());
    let public = site.path().join("public");
    let port = serve(public);
    let (c, _driver, _profile) = browser().await;
    let base = format!("http://127.0.0.1:{port}/zh/search/index.html");
    c.goto(&format!("{base}?q=核查点")).await.unwrap();
    assert_eq!(wait_for_status(&c).await, "共1条结果");
    assert_eq!(marks(&c).await, ["核查点"]);
    let loaded = texts_loaded(&c).await;
    assert_eq!(loaded.len(), 1, "{loaded:?}");
    assert!(loaded[0].ends_with("/0-2.js"), "{loaded:?}");
    let href = result_links(&c).await;
    // The link goes to the third section's heading (`#第3部分`).
    assert!(
        href[0].ends_with("#%E7%AC%AC3%E9%83%A8%E5%88%86"),
        "{href:?}"
    );

    c.goto(&format!("{base}?q=独特词+另一词")).await.unwrap();
    assert_eq!(wait_for_status(&c).await, "共1条结果");
    let m = marks(&c).await;
    assert!(m == ["独特词"] || m == ["另一词"], "{m:?}");
    let mut loaded = texts_loaded(&c).await;
    loaded.sort();
    assert_eq!(loaded.len(), 2, "{loaded:?}");
    assert!(
        loaded[0].ends_with("/0-1.js") && loaded[1].ends_with("/0-4.js"),
        "{loaded:?}"
    );
    c.close().await.unwrap();
}

/// Above 3,000 reports in a language a report's text is one file: a result loads it once,
/// whichever packs its phrases are in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_large_site_a_result_loads_its_reports_one_text_file() {
    let root = packed_site(3_000);
    let site = build_site(root.path());
    let public = site.path().join("public");
    let port = serve(public);
    let (c, _driver, _profile) = browser().await;
    let base = format!("http://127.0.0.1:{port}/zh/search/index.html");
    for (q, found) in [
        ("核查点", vec!["核查点"]),
        ("独特词+另一词", vec!["独特词", "另一词"]),
    ] {
        c.goto(&format!("{base}?q={q}")).await.unwrap();
        assert_eq!(wait_for_status(&c).await, "共1条结果", "{q}");
        let m = marks(&c).await;
        assert!(m.len() == 1 && found.contains(&m[0].as_str()), "{q}: {m:?}");
        let loaded = texts_loaded(&c).await;
        assert_eq!(loaded.len(), 1, "{loaded:?}");
        assert!(loaded[0].ends_with("-0.js"), "{loaded:?}");
    }
    let href = result_links(&c).await;
    assert!(href[0].contains("/zh/2023/long/#"), "{href:?}");
    // `正文` is in the 3,000 short reports: its postings are a file of their own
    // (`u/<tag>.js`), named in its bucket and inflated by the script.
    c.goto(&format!("{base}?q=正文")).await.unwrap();
    assert_eq!(wait_for_status(&c).await, "共3000条结果");
    let own = c
        .execute(
            "return performance.getEntriesByType('resource')\
               .filter(function (e) { return e.name.indexOf('/search/u/') >= 0; }).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(own, serde_json::json!(1));
    c.close().await.unwrap();
}
