//! Department charts in real headless Chromium, at a phone's width (375 px) and a desktop's
//! (1280 px): each chart fills its cell of the content column, and its text shows at a
//! readable size (README, "Archiving": each department page shows a table and a chart).

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;

use browser::{browser, serve};

/// Per chart: its width over its cell's width, the content column's width (inside its padding),
/// and the size its smallest text is drawn at, in CSS pixels.
const MEASURE: &str = r#"
const m = document.querySelector('main'), cs = getComputedStyle(m);
const main = m.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const cell = svg.parentElement.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('[font-size]')].map(e => +e.getAttribute('font-size'));
  return { fill: box.width / cell.width, cell: cell.width, main, font: Math.min(...sizes) * scale };
});
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_fill_their_cell_with_readable_text_on_phone_and_desktop() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    gongkai::build(&gongkai::BuildOptions::new(root), &public, &|_| {}, &|| {}).unwrap();
    let port = serve(public);
    let (c, _driver, _profile) = browser().await;
    for (width, lang) in [(375u32, "zh"), (1280, "en"), (375, "en"), (1280, "zh")] {
        c.set_window_size(width, 900).await.unwrap();
        let url = format!("http://127.0.0.1:{port}/{lang}/departments/justice-bureau/");
        c.goto(&url).await.unwrap();
        let charts = c.execute(MEASURE, vec![]).await.unwrap();
        let charts = charts.as_array().unwrap();
        assert!(!charts.is_empty(), "{url}: no chart");
        for m in charts {
            let f = |k: &str| m[k].as_f64().unwrap();
            assert!(
                f("fill") > 0.97,
                "{width}px {url}: chart fills its cell: {m}"
            );
            // One chart per row on a phone, at most two side by side on a desktop.
            assert!(f("cell") > 0.45 * f("main"), "{width}px {url}: {m}");
            assert!(f("font") >= 12.0, "{width}px {url}: text too small: {m}");
        }
        if width == 375 {
            assert!(
                charts
                    .iter()
                    .all(|m| m["cell"].as_f64() >= Some(0.95 * m["main"].as_f64().unwrap()))
            );
        }
    }
    c.close().await.unwrap();
}
