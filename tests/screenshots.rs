//! Not a check: makes the README's screenshots (`docs/screenshots/*.png`) of the sample site in
//! headless Chromium — home, report, department and search pages, both languages, at 1280 px
//! (desktop) and 375 px (phone). Ignored by `cargo test`; `docs/screenshots/make.sh` runs it
//! after a change to the theme.

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;
use std::time::Duration;

use browser::{browser, serve, wait_for_status};

/// Tallest picture, in CSS pixels: the top of a long page says enough.
const MAX_HEIGHT: u32 = 1800;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes docs/screenshots/; run by docs/screenshots/make.sh"]
async fn make_screenshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    gongkai::build(&gongkai::BuildOptions::new(root), &public, &|_| {}, &|| {}).unwrap();
    let port = serve(public);
    let base = format!("http://127.0.0.1:{port}/");
    let dir = root.join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let (c, _driver, _profile) = browser().await;
    for (width, device) in [(1280u32, "desktop"), (375, "phone")] {
        for (lang, query) in [("zh", "%E5%A4%8D%E8%AE%AE"), ("en", "mediation")] {
            for (name, page) in [
                ("home", String::new()),
                ("report", "2023/justice-bureau/".to_string()),
                ("department", "departments/justice-bureau/".to_string()),
                ("search", format!("search/?q={query}")),
            ] {
                c.set_window_size(width, 900).await.unwrap();
                c.goto(&format!("{base}{lang}/{page}")).await.unwrap();
                if name == "search" {
                    wait_for_status(&c).await;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                // The window's size includes the browser's own bars: the page gets what is left.
                let height = c
                    .execute(
                        "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight",
                        vec![],
                    )
                    .await
                    .unwrap()
                    .as_u64()
                    .unwrap_or(900) as u32;
                c.set_window_size(width, height.min(MAX_HEIGHT))
                    .await
                    .unwrap();
                let png = c.screenshot().await.unwrap();
                std::fs::write(dir.join(format!("{name}-{lang}-{device}.png")), png).unwrap();
            }
        }
    }
    // The reading aids (README "Reading aids"): larger text and high contrast, on a phone.
    c.goto(&format!("{base}zh/2023/justice-bureau/"))
        .await
        .unwrap();
    c.execute(
        "localStorage.setItem('gongkai-reading', '{\"text\":\"large\",\"contrast\":\"high\"}')",
        vec![],
    )
    .await
    .unwrap();
    c.set_window_size(375, 1000).await.unwrap();
    c.refresh().await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join("report-zh-phone-reading-aids.png"), png).unwrap();
    c.close().await.unwrap();
}
