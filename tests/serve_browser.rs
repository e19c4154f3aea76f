//! `gongkai serve` in real headless Chromium (driven through chromedriver), under the server's
//! `Content-Security-Policy: default-src 'self'`: an open page reloads itself after an edit, a
//! stylesheet change is swapped in without a reload, a broken edit shows the error overlay and
//! the fix removes it. Chromium missing is a failure, not a skip (CI installs it).

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use gongkai::serve::{self, ServeOptions};
use serde_json::Value;

mod common;
#[path = "support/browser.rs"]
mod support;

use common::TempSite;

const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(30);

/// Runs `script` in the page until it returns true.
async fn until(client: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        // A page in the middle of reloading has no document to run a script in: try again.
        if let Ok(Value::Bool(true)) = client.execute(script, vec![]).await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let site = TempSite::sample();
    let mut opts = ServeOptions::new(site.root());
    opts.port = 0;
    let preview = serve::start(opts).expect("server starts");
    let url = format!("{}zh/2022/justice-bureau/", preview.url());

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        assert!(
            Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: apt-get install -y chromium chromium-driver"
        );
        let (client, _driver, _profile) = support::browser().await;
        client.goto(&url).await.unwrap();
        // A marker that lives as long as this page instance does.
        client.execute("window.__marker = 1; return true;", vec![]).await.unwrap();
        until(&client, "the event stream", "return typeof EventSource === 'function' && !!document.querySelector('script[src=\"/__gongkai/reload.js\"]');").await;

        // An edit: the page reloads itself and shows it.
        site.replace("content/2022/justice-bureau.zh.md", "## ", "浏览器里看到的新段落。\n\n## ");
        until(&client, "the page to reload with the edit",
              "return window.__marker === undefined && document.body.innerText.includes('浏览器里看到的新段落。');").await;

        // A stylesheet: swapped in place, no reload.
        client.execute("window.__marker = 2; return true;", vec![]).await.unwrap();
        site.write("static/style.css", "body { background-color: rgb(1, 2, 3); }\n");
        until(&client, "the new stylesheet",
              "return getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)';").await;
        let swapped = client
            .execute("return [window.__marker, document.querySelector('link[href*=\"style.css\"]').getAttribute('href')];", vec![])
            .await
            .unwrap();
        assert_eq!(swapped[0], 2, "a stylesheet change must not reload the page");
        assert!(swapped[1].as_str().unwrap().contains("style.css?v="), "{swapped}");

        // A broken edit: the overlay appears over the page (no reload), in the page's language
        // (this is a Chinese page), and goes with the fix.
        site.replace("content/2022/justice-bureau.zh.md", "department: justice-bureau", "department: justice-bureua");
        until(&client, "the error overlay",
              "const o = document.getElementById('gongkai-overlay'); return window.__marker === 2 && !!o && o.innerText.includes('是不是要写 `justice-bureau`？') && o.innerText.includes('content/2022/justice-bureau.zh.md:');").await;
        site.replace("content/2022/justice-bureau.zh.md", "justice-bureua", "justice-bureau");
        until(&client, "the overlay to go",
              "return window.__marker === undefined && document.readyState === 'complete' && !document.getElementById('gongkai-overlay');").await;
        client.close().await.unwrap();
    });
    preview.shutdown();
}
