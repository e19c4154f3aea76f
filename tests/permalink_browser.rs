//! Heading permalinks in headless Chromium (README "Writing a report"): no `#` shows after a
//! heading until the reader hovers it or reaches the link by keyboard, and the link has a name.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;

use browser::browser;

/// The permalink's `::after` opacity and the link's name, for the report's first section.
const PROBE: &str = r#"
const a = document.querySelector('.report-body h2 > a.anchor');
if (arguments[0]) { a.focus(); }
const after = getComputedStyle(a, '::after');
return [after.content, after.opacity, a.getAttribute('aria-label'), a.textContent];
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heading_permalink_shows_only_on_focus_and_has_a_name() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    gongkai::build(&gongkai::BuildOptions::new(root), &public, &|_| {}, &|| {}).unwrap();
    let (c, _driver, _profile) = browser().await;
    let page = public.join("zh/2022/justice-bureau/index.html");
    c.goto(&format!("file://{}", page.display())).await.unwrap();
    let probe = |focus: bool| {
        let c = c.clone();
        async move {
            let v = c
                .execute(PROBE, vec![serde_json::json!(focus)])
                .await
                .unwrap();
            let v: Vec<String> = serde_json::from_value(v).unwrap();
            v
        }
    };
    let before = probe(false).await;
    assert_eq!(before[0], "\"#\"", "{before:?}");
    assert_eq!(before[1], "0", "hidden until hover or focus: {before:?}");
    assert!(before[2].starts_with("本节链接：一、"), "{before:?}");
    assert_eq!(before[3], "", "no text of its own: {before:?}");
    let focused = probe(true).await;
    assert_eq!(focused[1], "1", "shown on keyboard focus: {focused:?}");
    c.close().await.unwrap();
}
