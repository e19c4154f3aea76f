//! Accessibility in real headless Chromium: axe-core (npm, installed into `tests/axe/` by
//! `.ci/run` with `npm ci`) over every kind of page of the sample site, both languages, at 1280
//! and 375 px, in every reading mode (README "Reading aids"), under WCAG 2.2 AA and axe's
//! best-practice rules: 0 violations. The same pass checks the layout holds at 375 px and at
//! 200 % text. One browser session serves every check.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;
use std::time::Duration;

use browser::{browser, serve_under, wait_for_status};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

const TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// The reading modes as `reading.js` stores them.
const MODES: [(&str, &str); 4] = [
    ("normal", "{}"),
    ("large text", r#"{"text":"large"}"#),
    ("high contrast", r#"{"contrast":"high"}"#),
    ("both", r#"{"text":"large","contrast":"high"}"#),
];

fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install axe-core with `npm ci` in tests/axe (.ci/run does)",
            path.display()
        )
    })
}

fn build_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    gongkai::build(
        &gongkai::BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR"))),
        &out.path().join("public"),
        &|_| {},
        &|| {},
    )
    .unwrap();
    out
}

/// Every kind of page of the sample site, and whether it is a search page (which is checked
/// once its results are on screen).
fn page_kinds() -> Vec<(String, bool)> {
    let mut pages = vec![
        ("index.html".to_string(), false),
        ("404.html".to_string(), false),
        ("en/2023/government-office/".to_string(), false), // not translated
    ];
    for (lang, found, none) in [
        ("zh", "%E5%A4%8D%E8%AE%AE", "%E6%A0%B8%E7%94%B5%E7%AB%99"),
        ("en", "mediation", "zzyzx"),
    ] {
        for p in [
            "",
            "2023/",
            "2022/", // archived year
            "departments/",
            "departments/justice-bureau/",
            "themes/",
            "themes/rule-of-law/",
            "2023/justice-bureau/",
            "2022/justice-bureau/", // archived report
            "status/",              // who is late (README "Report kinds")
        ] {
            pages.push((format!("{lang}/{p}"), false));
        }
        pages.push((format!("{lang}/search/?q={found}"), true));
        pages.push((format!("{lang}/search/?q={none}"), true));
    }
    pages
}

async fn set_width(c: &Client, width: u32) {
    c.set_window_size(width, 900).await.unwrap();
    let inner = c.execute("return window.innerWidth", vec![]).await.unwrap();
    assert_eq!(inner, json!(width), "the window must be {width} px wide");
}

/// Sets the stored reading mode; `reading.js` applies it on the next page load.
async fn set_mode(c: &Client, base: &str, stored: &str) {
    c.goto(&format!("{base}index.html")).await.unwrap();
    c.execute(
        "localStorage.setItem('gongkai-reading', arguments[0])",
        vec![json!(stored)],
    )
    .await
    .unwrap();
}

/// axe's violations on the current page, one line each: rule, then the elements.
async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    let loaded = c.execute("return typeof axe", vec![]).await.unwrap();
    if loaded != json!("object") {
        c.execute(&format!("{axe}\n;window.axe = axe;"), vec![])
            .await
            .unwrap();
    }
    let found = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
               .then(function (r) {
                 done(r.violations.map(function (v) {
                   return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                 }));
               }, function (e) { done(['axe failed: ' + e]); });",
            vec![json!(TAGS)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// What breaks the layout: elements wider than the window (outside a scrolling table), a
/// count or date split over two lines, a table that is no longer a table.
const LAYOUT: &str = "
  var out = [], w = document.documentElement.clientWidth;
  document.querySelectorAll('body *').forEach(function (e) {
    // An svg clips what it draws: only the svg itself counts.
    if (e.closest('.table-scroll') || e.closest('[hidden]') || e.closest('.skip-link') || e.ownerSVGElement) return;
    var r = e.getBoundingClientRect();
    if (r.width && r.right > w + 1) out.push('wider than the window: ' + e.tagName + '.' + e.className + ' ' + Math.round(r.right));
  });
  document.querySelectorAll('.count, time').forEach(function (e) {
    if (e.getClientRects().length > 1) out.push('split over lines: ' + e.textContent);
  });
  document.querySelectorAll('table').forEach(function (e) {
    var d = getComputedStyle(e).display;
    if (d !== 'table') out.push('table shown as ' + d);
  });
  return out;";

async fn layout_problems(c: &Client, text_percent: u32) -> Vec<String> {
    // The browser's own text size: rem units follow the root size, as with the browser's
    // setting; the large-text mode sits on top of it.
    c.execute(
        "var large = document.documentElement.getAttribute('data-text') === 'large';
         document.documentElement.style.fontSize = (arguments[0] * (large ? 1.25 : 1)) + '%';",
        vec![json!(text_percent)],
    )
    .await
    .unwrap();
    let found = c.execute(LAYOUT, vec![]).await.unwrap();
    serde_json::from_value::<Vec<String>>(found).unwrap()
}

async fn wait_for_results(c: &Client) {
    wait_for_status(c).await;
    // The status is written once the first page of results is on screen.
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// axe finds nothing, and the layout holds, on every page kind, in both languages, at both
/// widths, in every reading mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_kind_passes_axe_in_every_mode_and_width() {
    let site = build_sample();
    let port = serve_under(site.path().join("public"), "/fzzf/");
    let base = format!("http://127.0.0.1:{port}/fzzf/");
    let axe = axe_source();
    let (c, _driver, _profile) = browser().await;
    let mut problems = Vec::new();
    for (mode, stored) in MODES {
        set_mode(&c, &base, stored).await;
        for width in [1280, 375] {
            set_width(&c, width).await;
            for (page, is_search) in page_kinds() {
                c.goto(&format!("{base}{page}")).await.unwrap();
                if is_search {
                    wait_for_results(&c).await;
                }
                for v in axe_violations(&c, &axe).await {
                    problems.push(format!("{page} ({mode}, {width} px): {v}"));
                }
                let text = if width == 375 { 100 } else { 200 };
                for p in layout_problems(&c, text).await {
                    problems.push(format!("{page} ({mode}, {width} px, {text} % text): {p}"));
                }
            }
        }
    }
    c.close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// 200 % text on a phone: the text wraps, nothing runs off the side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_at_double_text_size_keeps_its_layout() {
    let site = build_sample();
    let port = serve_under(site.path().join("public"), "/fzzf/");
    let base = format!("http://127.0.0.1:{port}/fzzf/");
    let (c, _driver, _profile) = browser().await;
    set_width(&c, 375).await;
    let mut problems = Vec::new();
    for (page, is_search) in page_kinds() {
        c.goto(&format!("{base}{page}")).await.unwrap();
        if is_search {
            wait_for_results(&c).await;
        }
        for p in layout_problems(&c, 200).await {
            problems.push(format!("{page}: {p}"));
        }
    }
    c.close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

async fn root_attr(c: &Client, name: &str) -> Value {
    c.execute(
        "return document.documentElement.getAttribute(arguments[0])",
        vec![json!(name)],
    )
    .await
    .unwrap()
}

async fn pressed(c: &Client, mode: &str) -> String {
    c.find(Locator::Css(&format!(
        ".reading-modes button[data-reading={mode}]"
    )))
    .await
    .unwrap()
    .attr("aria-pressed")
    .await
    .unwrap()
    .unwrap_or_default()
}

/// The reading aids: shown on every page with a header, pressed by keyboard, `aria-pressed`
/// telling their state, remembered on the next page (in the other language too), undone by a
/// second press.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_modes_switch_by_keyboard_and_are_remembered() {
    let site = build_sample();
    let port = serve_under(site.path().join("public"), "/fzzf/");
    let base = format!("http://127.0.0.1:{port}/fzzf/");
    let (c, _driver, _profile) = browser().await;
    c.goto(&format!("{base}zh/")).await.unwrap();
    let size = "return getComputedStyle(document.documentElement).fontSize";
    assert_eq!(c.execute(size, vec![]).await.unwrap(), json!("16px"));
    assert_eq!(pressed(&c, "text").await, "false");
    for mode in ["text", "contrast"] {
        let button = c
            .find(Locator::Css(&format!(
                ".reading-modes button[data-reading={mode}]"
            )))
            .await
            .unwrap();
        assert!(button.is_displayed().await.unwrap());
        // Enter on the focused button, as a keyboard user presses it.
        button.send_keys("\u{E007}").await.unwrap();
        assert_eq!(pressed(&c, mode).await, "true");
    }
    assert_eq!(root_attr(&c, "data-text").await, json!("large"));
    assert_eq!(c.execute(size, vec![]).await.unwrap(), json!("20px"));

    // Another page, in the other language: both modes on from the start.
    c.goto(&format!("{base}en/2023/justice-bureau/"))
        .await
        .unwrap();
    assert_eq!(root_attr(&c, "data-text").await, json!("large"));
    assert_eq!(root_attr(&c, "data-contrast").await, json!("high"));
    assert_eq!(pressed(&c, "text").await, "true");
    assert_eq!(pressed(&c, "contrast").await, "true");
    let colour = c
        .execute(
            "return getComputedStyle(document.querySelector('.meta')).color",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        colour,
        json!("rgb(0, 0, 0)"),
        "high contrast makes grey text black"
    );

    // Pressed again: off, and off on the next page.
    c.find(Locator::Css(".reading-modes button[data-reading=text]"))
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    assert_eq!(pressed(&c, "text").await, "false");
    c.goto(&format!("{base}zh/departments/")).await.unwrap();
    assert_eq!(root_attr(&c, "data-text").await, Value::Null);
    assert_eq!(c.execute(size, vec![]).await.unwrap(), json!("16px"));
    assert_eq!(root_attr(&c, "data-contrast").await, json!("high"));
    c.close().await.unwrap();
}

/// The mode is applied by a script in `<head>` that nothing defers, so the first paint already
/// has it; without script the buttons stay hidden (they could do nothing).
#[test]
fn reading_script_runs_before_the_body_and_buttons_wait_for_it() {
    let site = build_sample();
    let public = site.path().join("public");
    for page in [
        "zh/index.html",
        "en/2023/justice-bureau/index.html",
        "404.html",
    ] {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let head = &html[..html.find("</head>").unwrap()];
        let tag = head
            .lines()
            .find(|l| l.contains("static/reading."))
            .unwrap_or_else(|| panic!("{page}: no reading.js in <head>"));
        assert!(
            !tag.contains("defer") && !tag.contains("async"),
            "{page}: {tag}"
        );
    }
    let html = std::fs::read_to_string(public.join("zh/index.html")).unwrap();
    assert!(
        html.contains("class=\"reading-modes\" role=\"group\" aria-label=\"阅读辅助\" hidden>")
    );
}
