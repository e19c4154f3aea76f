//! Search benchmark: what a query costs a reader, measured in real headless Chromium.
//!
//! `cargo run --release --example search_bench -- PUBLIC_DIR [zh|en] QUERY...`
//!
//! For each query, in a fresh browser session (empty cache) over loopback HTTP: the bytes the
//! search transfers (the script plus every index file it loads, from Resource Timing's
//! `encodedBodySize`; the search page's own HTML is printed apart), the number of results, and
//! the time from the last keystroke to the first result on screen (median of 5 typed runs).

#[path = "../tests/support/browser.rs"]
mod browser;

use std::path::PathBuf;
use std::time::Duration;

const TRANSFER: &str = r#"
const done = arguments[arguments.length - 1];
const entries = performance.getEntriesByType('resource');
let index = 0, script = 0, files = 0;
for (const e of entries) {
  if (e.name.endsWith('/static/search.js')) script += e.encodedBodySize;
  else if (e.name.includes('/search/')) { index += e.encodedBodySize; files += 1; }
}
const nav = performance.getEntriesByType('navigation')[0];
done([script, index, files, nav ? nav.encodedBodySize : 0, document.getElementById('search-status').textContent]);
"#;

const LATENCY: &str = r#"
const done = arguments[arguments.length - 1];
const input = document.getElementById('site-search');
const list = document.querySelector('.search-results');
const query = arguments[0];
let last = 0, typed = false;
// The first result of the final query on screen (or, for no result, the count).
const status = document.getElementById('search-status');
const observer = new MutationObserver(() => {
  if (typed && (list.firstChild || status.textContent === '共0条结果' || status.textContent === '0 results')) {
    observer.disconnect(); done(performance.now() - last);
  }
});
observer.observe(list, { childList: true });
observer.observe(status, { childList: true, characterData: true, subtree: true });
// Type the query one character at a time, 30 ms apart, as a reader would.
let i = 0;
(function type() {
  input.value = query.slice(0, ++i);
  last = performance.now();
  input.dispatchEvent(new Event('input'));
  if (i < query.length) setTimeout(type, 30); else typed = true;
})();
"#;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [public, lang, queries @ ..] = &args[..] else {
        eprintln!("usage: search_bench PUBLIC_DIR zh|en QUERY...");
        std::process::exit(2);
    };
    let port = browser::serve(PathBuf::from(public));
    let page = format!("http://127.0.0.1:{port}/{lang}/search/");
    println!(
        "| query | results | script KB | index KB | index files | total KB | page HTML KB | latency ms (median of 5) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for q in queries {
        // Transfer: a fresh session, so nothing comes from the cache.
        let (c, _driver, _profile) = browser::browser().await;
        let url = format!("{page}?q={}", urlencode(q));
        c.goto(&url).await.unwrap();
        browser::wait_for_status(&c).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let v = c.execute_async(TRANSFER, vec![]).await.unwrap();
        let a = v.as_array().unwrap();
        let (script, index, files, html) = (
            a[0].as_f64().unwrap(),
            a[1].as_f64().unwrap(),
            a[2].as_u64().unwrap(),
            a[3].as_f64().unwrap(),
        );
        let status = a[4].as_str().unwrap().to_string();
        // Latency: typed into the box, index files already cached after the first run.
        let mut times = Vec::new();
        for _ in 0..5 {
            c.goto(&page).await.unwrap();
            let t = c
                .execute_async(LATENCY, vec![serde_json::json!(q)])
                .await
                .unwrap();
            times.push(t.as_f64().unwrap());
        }
        times.sort_by(f64::total_cmp);
        c.close().await.unwrap();
        println!(
            "| {q} | {status} | {:.1} | {:.1} | {files} | {:.1} | {:.1} | {:.0} |",
            script / 1024.0,
            index / 1024.0,
            (script + index) / 1024.0,
            html / 1024.0,
            times[2]
        );
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
