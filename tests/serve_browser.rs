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
        if Instant::now() >= deadline {
            // What the page shows and fetched, so a failure says why.
            let state = client
                .execute(
                    "const s = document.getElementById('search-status'); \
                     return [location.href, s ? s.textContent : null, \
                     performance.getEntriesByType('resource').map(e => e.name.replace(location.origin, ''))];",
                    vec![],
                )
                .await;
            panic!("timed out waiting for {what}; page: {state:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The preview of `site` on a free port, and a runtime to drive the browser in.
fn preview_of(site: &TempSite) -> (serve::Preview, tokio::runtime::Runtime) {
    let mut opts = ServeOptions::new(site.root());
    opts.port = 0;
    let preview = serve::start(opts).expect("server starts");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (preview, rt)
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let site = TempSite::sample();
    let (preview, rt) = preview_of(&site);
    let url = format!("{}zh/2022/justice-bureau/", preview.url());
    let en_url = format!("{}en/2022/justice-bureau/", preview.url());

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

        // The theme's stylesheet is named by its content: a change renames it, so the page
        // reloads with the new name.
        client.execute("window.__marker = 2; return true;", vec![]).await.unwrap();
        site.write("static/style.css", "body { background-color: rgb(1, 2, 3); }\n");
        until(&client, "the new stylesheet",
              "return window.__marker === undefined && getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)';").await;
        // A new marker: the broken edit below must not reload the page.
        client.execute("window.__marker = 2; return true;", vec![]).await.unwrap();

        // A broken edit: the overlay appears over the page (no reload), in the page's language
        // (this is a Chinese page), and goes with the fix.
        site.replace("content/2022/justice-bureau.zh.md", "department: justice-bureau", "department: justice-bureua");
        until(&client, "the error overlay",
              "const o = document.getElementById('gongkai-overlay'); return window.__marker === 2 && !!o && o.innerText.includes('是不是要写 `justice-bureau`？') && o.innerText.includes('content/2022/justice-bureau.zh.md:');").await;
        // All of it in Chinese, though the preview was started in English: the title, the
        // label and the message (the script builds it from the `broken` event).
        let shown: Value = client.execute("return document.getElementById('gongkai-overlay').innerText;", vec![]).await.unwrap();
        let shown = shown.as_str().unwrap_or_default().to_string();
        assert!(shown.contains("页面显示的是上一次成功生成的内容"), "{shown}");
        assert!(shown.contains("错误：没有名为 `justice-bureua` 的部门"), "{shown}");
        assert!(!shown.contains("error:") && !shown.contains("did you mean"), "{shown}");
        // An English page loaded now shows the same error in English.
        client.goto(&en_url).await.unwrap();
        until(&client, "the English overlay",
              "const o = document.getElementById('gongkai-overlay'); return !!o && o.innerText.includes('the page shows the last good build') && o.innerText.includes('error: unknown department `justice-bureua`') && o.innerText.includes('did you mean `justice-bureau`?');").await;
        client.goto(&url).await.unwrap();
        client.execute("window.__marker = 2; return true;", vec![]).await.unwrap();
        site.replace("content/2022/justice-bureau.zh.md", "justice-bureua", "justice-bureau");
        until(&client, "the overlay to go",
              "return window.__marker === undefined && document.readyState === 'complete' && !document.getElementById('gongkai-overlay');").await;
        client.close().await.unwrap();
    });
    preview.shutdown();
}

/// An open search page refreshes its index after an edit (the preview's `index` event): the
/// page reloads as soon as the pages are rebuilt, before the index is, so without the refresh
/// it kept showing the old index's results.
#[test]
fn an_open_search_page_refreshes_its_index_after_an_edit() {
    let site = TempSite::sample();
    let (preview, rt) = preview_of(&site);
    // 核电站 is in no report of the sample site.
    let url = format!("{}zh/search/?q=%E6%A0%B8%E7%94%B5%E7%AB%99", preview.url());
    rt.block_on(async {
        let (client, _driver, _profile) = support::browser().await;
        client.goto(&url).await.unwrap();
        until(&client, "no results yet",
              "return document.getElementById('search-status').textContent === '共0条结果';").await;
        site.replace("content/2022/justice-bureau.zh.md", "## ", "新增核电站安全检查一段。\n\n## ");
        until(&client, "the edit found by the open page",
              "return document.getElementById('search-status').textContent === '共1条结果' && document.querySelector('.search-results mark') !== null;").await;
        client.close().await.unwrap();
    });
    preview.shutdown();
}

/// Where the `^` marks of an excerpt start and end in the overlay, beside the left edge of the
/// first character they mark (`from`, found in the excerpt line holding `line`) and the right
/// edge of the last (`to`, the first `to` after it), in pixels: a character in a wide cell is
/// measured by its cell.
const MARKS: &str = r#"
const [line, from, to] = arguments;
const pre = document.querySelector('#gongkai-overlay pre');
if (!pre) { return null; }
const lines = [[]];
const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const cell = n.parentElement.classList.contains('gongkai-w') ? n.parentElement : null;
  for (let i = 0; i < n.data.length; i++) {
    if (n.data[i] === '\n') { lines.push([]); continue; }
    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
    const b = (cell || r).getBoundingClientRect();
    lines[lines.length - 1].push({ c: n.data[i], l: b.left, r: b.right });
  }
}
const text = l => l.map(x => x.c).join('');
const src = lines.findIndex(l => text(l).includes(line));
if (src < 0) { return null; }
const marks = text(lines[src + 1]);
const at = text(lines[src]).indexOf(from);
const end = text(lines[src]).indexOf(to, at);
return [lines[src + 1][marks.indexOf('^')].l, lines[src][at].l,
        lines[src + 1][marks.lastIndexOf('^')].r, lines[src][end].r];
"#;

/// The error box's `^` marks stay under the characters they mark when those are Han
/// characters, which a browser draws from another font than the monospace Latin ones (the
/// marks drifted by a few pixels a character before): whether the page's script drew the box
/// or the server did.
#[test]
fn the_error_marks_stay_under_the_han_characters_they_mark() {
    let site = TempSite::sample();
    let (preview, rt) = preview_of(&site);
    let url = format!("{}zh/2022/justice-bureau/", preview.url());
    rt.block_on(async {
        let (client, _driver, _profile) = support::browser().await;
        client.goto(&url).await.unwrap();
        until(&client, "the event stream", "return !!document.querySelector('script[src=\"/__gongkai/reload.js\"]');").await;
        site.replace(
            "content/2022/justice-bureau.zh.md",
            "department: justice-bureau",
            "department: 司法局，司法局x",
        );
        until(&client, "the error overlay", "return !!document.getElementById('gongkai-overlay');").await;
        for drawn_by in ["the script", "the server"] {
            let args = vec![Value::from("department: 司法局"), Value::from("司"), Value::from("x")];
            let at = client.execute(MARKS, args).await.unwrap();
            let at: Vec<f64> = serde_json::from_value(at).expect("the excerpt and its marks");
            let (mark_left, text_left, mark_right, text_right) = (at[0], at[1], at[2], at[3]);
            assert!((mark_left - text_left).abs() < 0.5, "{drawn_by}: marks start at {mark_left}, text at {text_left}");
            assert!((mark_right - text_right).abs() < 0.5, "{drawn_by}: marks end at {mark_right}, text at {text_right}");
            client.refresh().await.unwrap();
            until(&client, "the overlay after a reload", "return document.readyState === 'complete' && !!document.getElementById('gongkai-overlay');").await;
        }
        client.close().await.unwrap();
    });
    preview.shutdown();
}
