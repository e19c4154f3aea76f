//! `gongkai serve` in real headless Chromium (driven through chromedriver), under the server's
//! `Content-Security-Policy: default-src 'self'`: an open page reloads itself after an edit, a
//! stylesheet change is swapped in without a reload, a broken edit shows the error overlay and
//! the fix removes it. Chromium missing is a failure, not a skip (CI installs it).

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use gongkai::serve::{self, ServeOptions};
use serde_json::Value;

#[path = "support/browser.rs"]
mod support;

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

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(src.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    for entry in walkdir::WalkDir::new(src.join("content")) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(to).unwrap();
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
    let root = dir.path().to_path_buf();
    let mut opts = ServeOptions::new(dir.path());
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
        replace(&root, "content/2022/justice-bureau.zh.md", "## ", "浏览器里看到的新段落。\n\n## ");
        until(&client, "the page to reload with the edit",
              "return window.__marker === undefined && document.body.innerText.includes('浏览器里看到的新段落。');").await;

        // A stylesheet: swapped in place, no reload.
        client.execute("window.__marker = 2; return true;", vec![]).await.unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/style.css"), "body { background-color: rgb(1, 2, 3); }\n").unwrap();
        until(&client, "the new stylesheet",
              "return getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)';").await;
        let swapped = client
            .execute("return [window.__marker, document.querySelector('link[href*=\"style.css\"]').getAttribute('href')];", vec![])
            .await
            .unwrap();
        assert_eq!(swapped[0], 2, "a stylesheet change must not reload the page");
        assert!(swapped[1].as_str().unwrap().contains("style.css?v="), "{swapped}");

        // A broken edit: the overlay appears over the page (no reload), and goes with the fix.
        replace(&root, "content/2022/justice-bureau.zh.md", "department: justice-bureau", "department: justice-bureua");
        until(&client, "the error overlay",
              "const o = document.getElementById('gongkai-overlay'); return window.__marker === 2 && !!o && o.innerText.includes('did you mean `justice-bureau`?') && o.innerText.includes('content/2022/justice-bureau.zh.md:');").await;
        replace(&root, "content/2022/justice-bureau.zh.md", "justice-bureua", "justice-bureau");
        until(&client, "the overlay to go",
              "return window.__marker === undefined && document.readyState === 'complete' && !document.getElementById('gongkai-overlay');").await;
        client.close().await.unwrap();
    });
    preview.shutdown();
}
