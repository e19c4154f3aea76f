//! `gongkai serve`: incremental rebuilds give exactly what a full build gives; the real server
//! (started in-process on a free port) reloads pages over Server-Sent Events after edits,
//! additions, renames and deletions, shows and clears the error overlay, refuses paths outside
//! the site, and reports a port in use.

mod common;

use common::{SiteDir, TempSite};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use gongkai::BuildOptions;
use gongkai::serve::{self, DerivedMode, LiveSite, Outcome, Plan, ServeOptions, Shared};

const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// Incremental rebuilds against full builds

struct Fixture {
    site: TempSite,
    live: LiveSite,
    published: Shared,
    /// The last good full build, to check a broken edit left the output alone.
    last_good: BTreeMap<String, Vec<u8>>,
    drafts: bool,
}

/// The day the sample site's status page is as of, in the preview and the full builds it is
/// compared with (README "Report kinds": `GONGKAI_TODAY`), so a test running over midnight in
/// Shanghai compares like with like.
fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("a day")
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::with_drafts(false)
    }

    fn with_drafts(drafts: bool) -> Fixture {
        let site = TempSite::sample();
        let published = Shared::default();
        let mut opts = site.options();
        opts.drafts = drafts;
        opts.today = Some(today());
        let mut live = LiveSite::new(opts, DerivedMode::Inline(Box::default()), published.clone());
        let applied = live.apply(&Plan::full());
        assert!(
            matches!(applied.outcome, Outcome::Changed(_)),
            "{:?}",
            applied.outcome
        );
        let mut f = Fixture {
            site,
            live,
            published,
            last_good: BTreeMap::new(),
            drafts,
        };
        f.assert_same_as_full_build("initial build");
        f
    }

    fn root(&self) -> &Path {
        self.site.root()
    }

    fn site(&self) -> SiteDir {
        self.site.dir()
    }

    /// Tells the live site that `paths` changed (as the watcher would); the site must build,
    /// and what is served must be what a full build gives.
    fn changed(&mut self, what: &str, paths: &[&str]) -> Outcome {
        let outcome = self.apply(paths);
        if let Outcome::Broken(d) = &outcome {
            panic!("{what}: broken\n{d}");
        }
        self.assert_same_as_full_build(what);
        outcome
    }

    /// As [`changed`](Self::changed), for an edit that breaks the build: the last good output
    /// must still be served, with an error to show. Returns the error as shown.
    fn broken(&mut self, what: &str, paths: &[&str]) -> String {
        match self.apply(paths) {
            Outcome::Broken(d) => {
                self.assert_broken(what);
                d.render(false)
            }
            other => panic!("{what}: expected an error, got {other:?}"),
        }
    }

    fn apply(&mut self, paths: &[&str]) -> Outcome {
        let mut plan = Plan::default();
        for p in paths {
            plan.add(Path::new(p), "default");
        }
        self.live.apply(&plan).outcome
    }

    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        self.published.read().unwrap().snapshot()
    }

    fn opts(&self) -> BuildOptions {
        let mut opts = BuildOptions::new(self.root());
        opts.drafts = self.drafts;
        opts.today = Some(today());
        opts
    }

    fn assert_same_as_full_build(&mut self, what: &str) {
        let (_, out) = gongkai::build_in_memory(&self.opts())
            .unwrap_or_else(|e| panic!("{what}: the full build failed: {e}"));
        let full = out.into_files();
        let served = self.served();
        let missing: Vec<_> = full.keys().filter(|k| !served.contains_key(*k)).collect();
        let extra: Vec<_> = served.keys().filter(|k| !full.contains_key(*k)).collect();
        let differ: Vec<_> = full
            .iter()
            .filter(|(k, v)| served.get(*k).is_some_and(|s| s != *v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty() && differ.is_empty(),
            "{what}: served output differs from a full build\n missing: {missing:?}\n extra: {extra:?}\n differ: {differ:?}"
        );
        assert!(
            self.published.read().unwrap().error.is_none(),
            "{what}: error left set"
        );
        self.last_good = full;
    }

    fn assert_broken(&self, what: &str) {
        assert!(
            gongkai::build_in_memory(&self.opts()).is_err(),
            "{what}: the live site says broken, a full build succeeds"
        );
        assert!(
            self.served() == self.last_good,
            "{what}: a broken edit changed the served output"
        );
        assert!(
            self.published.read().unwrap().error.is_some(),
            "{what}: no error to show"
        );
    }
}

const NEW_REPORT: &str = "---
title: 广州市海珠区司法局关于2025年度法治政府建设情况的报告
department: justice-bureau
themes: [rule-of-law]
date: 2026-03-01
---

## 一、主要工作

推进严格规范公正文明执法。[前年的报告](../2023/justice-bureau.zh.md)

## 二、存在问题

无。
";

#[test]
fn incremental_rebuilds_match_full_builds_byte_for_byte() {
    let mut f = Fixture::new();
    let r = f.site();
    let jb22 = "content/2022/justice-bureau.zh.md";

    // Body only: the report's own pages.
    r.replace(jb22, "## ", "新增一段正文。\n\n## ");
    let out = f.changed("body edit", &[jb22]);
    let own = |files: &[String]| files.iter().all(|p| p.contains("2022/justice-bureau/"));
    assert!(
        matches!(&out, Outcome::Changed(files) if own(files)),
        "{out:?}"
    );
    // Saved again unchanged: nothing to reload.
    let out = f.changed("saved unchanged", &[jb22]);
    assert!(matches!(out, Outcome::Unchanged), "{out:?}");

    // Title, date (order in lists), summary, themes, figures, revisions.
    let mr23 = "content/2023/market-regulation.en.md";
    r.replace(mr23, "title: ", "title: Revised — ");
    f.changed("title edit", &[mr23]);
    let mr22 = "content/2022/market-regulation.zh.md";
    r.replace(mr22, "date: 20", "date: 19");
    f.changed("date edit", &[mr22]);
    let jb21 = "content/2021/justice-bureau.zh.md";
    r.replace(jb21, "summary: ", "summary: 修订：");
    f.changed("summary edit", &[jb21]);
    let go23 = "content/2023/government-office.zh.md";
    r.replace(go23, "rule-of-law]", "business-environment]");
    f.changed("themes edit", &[go23]);
    r.replace(jb21, "legal-opinions: 188", "legal-opinions: 189");
    f.changed("figure edit", &[jb21]);
    let revision = "revisions:\n  - { date: 2026-05-01, note: 更正数字 }\nfigures:";
    r.replace(jb21, "figures:", revision);
    f.changed("revision added", &[jb21]);

    // Department of a single-language report.
    r.replace(
        go23,
        "department: government-office",
        "department: market-regulation",
    );
    f.changed("department edit", &[go23]);

    // A new year: the department's newest report moves, older ones become archived.
    let jb25 = "content/2025/justice-bureau.zh.md";
    r.write(jb25, NEW_REPORT);
    f.changed("new year folder", &["content/2025"]);
    r.replace(jb25, "title: 广州市", "title: 新标题 广州市");
    f.changed("newest report's title", &[jb25]);
    let jb25en = "content/2025/justice-bureau.en.md";
    r.write(jb25en, NEW_REPORT.replace("title: 广州市", "title: EN "));
    f.changed("translation added", &[jb25en]);

    // Links between reports: to a report that goes, or becomes a draft.
    let linked = "content/2023/justice-bureau.zh.md";
    let saved = r.read(linked);
    std::fs::remove_file(r.path(linked)).unwrap();
    let error = f.broken("linked report removed", &[linked]);
    assert!(
        error.contains("content/2025/justice-bureau.zh.md:"),
        "{error}"
    );
    r.write(linked, &saved);
    f.changed("linked report restored", &[linked]);
    r.replace(linked, "date:", "draft: true\ndate:");
    let error = f.broken("linked report made a draft", &[linked]);
    assert!(
        error.contains("content/2025/justice-bureau.zh.md:"),
        "{error}"
    );
    r.write(linked, &saved);
    f.changed("linked report published again", &[linked]);

    std::fs::remove_file(r.path(jb25en)).unwrap();
    f.changed("translation removed", &[jb25en]);
    let renamed = "content/2025/legal-affairs.zh.md";
    std::fs::rename(r.path(jb25), r.path(renamed)).unwrap();
    f.changed("rename", &[jb25, renamed]);
    // The older justice-bureau reports name the department's first newest report now.
    r.replace(renamed, "title: ", "title: 改名后 ");
    f.changed("title of the newest named by other names", &[renamed]);
    r.replace(renamed, "date:", "draft: true\ndate:");
    f.changed("made a draft", &[renamed]);
    r.replace(renamed, "draft: true\n", "");
    f.changed("draft published", &[renamed]);
    std::fs::remove_dir_all(r.path("content/2025")).unwrap();
    f.changed("year folder removed", &["content/2025"]);

    // Broken edits keep the last good output; edits while broken are remembered.
    let jb22en = "content/2022/justice-bureau.en.md";
    r.replace(
        jb22en,
        "department: justice-bureau",
        "department: justice-bureua",
    );
    f.broken("unknown department", &[jb22en]);
    r.replace(
        "content/2023/justice-bureau.zh.md",
        "## ",
        "编辑于出错期间。\n\n## ",
    );
    f.broken("edit while broken", &["content/2023/justice-bureau.zh.md"]);
    r.replace(jb22en, "justice-bureua", "justice-bureau");
    f.changed("fixed", &[jb22en]);
    r.replace(jb22en, "themes: [", "themes: [business-environment, ");
    f.broken("translations disagree", &[jb22en]);
    r.replace(jb22en, "themes: [business-environment, ", "themes: [");
    f.changed("translations agree again", &[jb22en]);
    r.write("content/notes/readme.md", "# notes\n");
    f.broken("misplaced file", &["content/notes"]);
    std::fs::remove_dir_all(r.path("content/notes")).unwrap();
    f.changed("misplaced file removed", &["content/notes/readme.md"]);
    let dup = "content/2022/justice-bureau.md";
    r.write(dup, r.read(jb22));
    f.broken("duplicate", &[dup]);
    std::fs::remove_file(r.path(dup)).unwrap();
    f.changed("duplicate removed", &[dup]);
    std::fs::remove_dir_all(r.path("content/2021")).unwrap();
    f.changed("oldest year removed", &["content/2021"]);

    // Theme: templates and strings re-render every page; a static file is replaced alone.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let report_html = std::fs::read_to_string(theme.join("templates/report.html")).unwrap();
    let own = report_html.replace(
        "<article class=\"report\">",
        "<article class=\"report\" data-own>",
    );
    r.write("templates/report.html", &own);
    f.changed("template override", &["templates/report.html"]);
    r.write(
        "templates/report.html",
        report_html.replace("{% endblock %}", "{% if %}{% endblock %}"),
    );
    f.broken("template syntax error", &["templates/report.html"]);
    std::fs::remove_file(r.path("templates/report.html")).unwrap();
    f.changed("template override removed", &["templates/report.html"]);
    r.write("static/style.css", "body { color: #123; }\n");
    let out = f.changed("stylesheet override", &["static/style.css"]);
    // Named by its content: a new name, so every page linking it changes too.
    assert!(
        matches!(&out, Outcome::Changed(files)
            if files.iter().filter(|f| f.starts_with("static/style.")).count() == 2
            && files.iter().any(|f| f == "zh/index.html")),
        "{out:?}"
    );
    r.write("static/extra.css", "p { margin: 0; }\n");
    f.changed("static file added", &["static/extra.css"]);
    std::fs::remove_dir_all(r.path("static")).unwrap();
    f.changed("static folder removed", &["static"]);
    r.write("i18n/en.yaml", "published: First published\n");
    f.changed("strings override", &["i18n/en.yaml"]);

    // Configuration: a full rebuild.
    r.replace(
        "site.yaml",
        "title: { zh: 海珠区",
        "title: { zh: 广州市海珠区",
    );
    f.changed("site.yaml edit", &["site.yaml"]);
    r.replace("site.yaml", "base_url:", "base_ur:");
    f.broken("site.yaml broken", &["site.yaml"]);
    r.replace("site.yaml", "base_ur:", "base_url:");
    f.changed("site.yaml fixed", &["site.yaml"]);
    // And the first edits' report is still right after all this.
    r.replace(jb22, "新增一段正文。", "再次修改。");
    f.changed("body edit at the end", &[jb22]);
}

/// `--drafts`: drafts are served, and follow their edits, as `build --drafts` writes them.
#[test]
fn drafts_are_previewed_with_drafts() {
    let mut f = Fixture::with_drafts(true);
    let r = f.site();
    assert!(f.served().contains_key("zh/2024/justice-bureau/index.html"));
    let jb24 = "content/2024/justice-bureau.zh.md";
    r.replace(jb24, "title: ", "title: 草稿 ");
    f.changed("draft edited", &[jb24]);
    r.write(
        "content/2025/justice-bureau.zh.md",
        NEW_REPORT.replace("2023/", "2024/"),
    );
    f.changed("a report linking to a draft", &["content/2025"]);
    r.replace(jb24, "draft: true\n", "");
    f.changed("draft published", &[jb24]);
}

/// `archive.lock`: a frozen report changed without a revision is refused, with one it is
/// accepted; the lock itself is watched.
#[test]
fn frozen_reports_are_checked_as_a_full_build_checks_them() {
    let mut f = Fixture::new();
    let r = f.site();
    gongkai::cmd::freeze::run(&r.options(), 2022).unwrap();
    f.changed("lock written", &["archive.lock"]);
    let jb22 = "content/2022/justice-bureau.zh.md";
    r.replace(jb22, "## ", "冻结后的修改。\n\n## ");
    let error = f.broken("frozen report changed", &[jb22]);
    assert!(
        error.contains("frozen report changed without a new revision"),
        "{error}"
    );
    r.replace(
        jb22,
        "figures:",
        "revisions:\n  - { date: 2026-05-01, note: 补充一段 }\nfigures:",
    );
    f.changed("revision recorded", &[jb22]);
    std::fs::write(r.path("archive.lock"), "not a lock\n").unwrap();
    f.broken("lock broken", &["archive.lock"]);
    std::fs::remove_file(r.path("archive.lock")).unwrap();
    f.changed("lock removed", &["archive.lock"]);
}

#[test]
fn lost_events_are_made_up_by_comparing_stamps() {
    let mut f = Fixture::new();
    let r = f.site();
    // Nothing changed: nothing to load but the theme.
    let plan = f.live.reconcile();
    assert!(!plan.full && plan.content.is_empty(), "{plan:?}");
    r.replace(
        "content/2022/justice-bureau.zh.md",
        "## ",
        "无人通知的修改。\n\n## ",
    );
    r.write(
        "content/2023/new-report.zh.md",
        NEW_REPORT.replace(
            "../2024/justice-bureau.zh.md",
            "../2022/justice-bureau.zh.md",
        ),
    );
    std::fs::remove_file(r.path("content/2021/justice-bureau.en.md")).unwrap();
    let plan = f.live.reconcile();
    let paths: Vec<_> = plan
        .content
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "content/2021/justice-bureau.en.md",
            "content/2022/justice-bureau.zh.md",
            "content/2023/new-report.zh.md"
        ]
    );
    f.live.apply(&plan);
    f.assert_same_as_full_build("after reconcile");
}

// ---------------------------------------------------------------------------------------------
// The server, in-process

struct Server {
    site: TempSite,
    preview: serve::Preview,
}

impl Server {
    fn start() -> Server {
        let site = TempSite::sample();
        let mut opts = ServeOptions::new(site.root());
        opts.port = 0;
        opts.build.today = Some(today());
        let preview = serve::start(opts).expect("server starts");
        Server { site, preview }
    }

    fn root(&self) -> &Path {
        self.site.root()
    }

    fn site(&self) -> SiteDir {
        self.site.dir()
    }

    fn addr(&self) -> SocketAddr {
        self.preview.addr()
    }

    fn get(&self, path: &str) -> Response {
        request(self.addr(), path)
    }

    /// Waits until the search index caught up and compares everything served with a full build.
    fn assert_same_as_full_build(&self) {
        let full = gongkai::build_in_memory(&BuildOptions {
            today: Some(today()),
            ..BuildOptions::new(self.root())
        })
        .unwrap()
        .1
        .into_files();
        let deadline = Instant::now() + WAIT;
        loop {
            let served = self.preview.published().read().unwrap().snapshot();
            if served == full {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "served output never matched a full build"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// One raw HTTP/1.1 request: the path is sent exactly as given.
fn request(addr: SocketAddr, path: &str) -> Response {
    let text = common::raw_get(addr, &addr.to_string(), path, WAIT);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        headers: head.to_ascii_lowercase(),
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A Server-Sent Events client: events arrive on the channel as (name, data).
fn events(addr: SocketAddr) -> Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__gongkai/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        // Headers.
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = l.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ") {
                data.push_str(v);
            } else if l.is_empty()
                && !name.is_empty()
                && tx
                    .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                    .is_err()
            {
                return;
            }
            // Anything else: chunk sizes, keep-alive comments.
        }
    });
    rx
}

/// The next event named one of `names` (others, such as `index`, are skipped).
fn next_event(rx: &Receiver<(String, String)>, names: &[&str]) -> (String, String) {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((name, data)) if names.contains(&name.as_str()) => return (name, data),
            Ok(_) => {}
            Err(_) => panic!("no {names:?} event within {WAIT:?}"),
        }
    }
}

fn until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn edits_additions_renames_and_deletions_reload_open_pages() {
    let s = Server::start();
    let r = s.site();
    let page = "/zh/2022/justice-bureau/";
    let first = s.get(page);
    assert_eq!(first.status, 200);
    assert!(first.headers.contains("content-type: text/html"));
    assert!(
        first
            .headers
            .contains("content-security-policy: default-src 'self'")
    );
    assert!(first.body.contains("<script src=\"/__gongkai/reload.js\""));
    let rx = events(s.addr());
    assert_eq!(next_event(&rx, &["hello"]).0, "hello");

    // Write in place.
    r.replace(
        "content/2022/justice-bureau.zh.md",
        "## ",
        "第一次保存的新段落。\n\n## ",
    );
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");
    assert!(s.get(page).body.contains("第一次保存的新段落。"));

    // Write to a temporary file, then rename over (many editors), with a swap file beside it.
    r.write("content/2022/.justice-bureau.zh.md.swp", "swap");
    let text = r
        .read("content/2022/justice-bureau.zh.md")
        .replace("第一次", "第二次");
    r.write("content/2022/justice-bureau.zh.md.tmp", &text);
    std::fs::rename(
        r.path("content/2022/justice-bureau.zh.md.tmp"),
        r.path("content/2022/justice-bureau.zh.md"),
    )
    .unwrap();
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");
    until("second save served", || {
        s.get(page).body.contains("第二次保存的新段落。")
    });

    // Rename the original away and write a new one (vim's backup), then a burst of saves.
    std::fs::rename(
        r.path("content/2022/justice-bureau.zh.md"),
        r.path("content/2022/justice-bureau.zh.md~"),
    )
    .unwrap();
    r.write(
        "content/2022/justice-bureau.zh.md",
        text.replace("第二次", "第三次"),
    );
    for stem in ["justice-bureau", "market-regulation"] {
        r.replace(
            &format!("content/2023/{stem}.en.md"),
            "title: ",
            "title: Burst ",
        );
    }
    until("backup-style save and burst served", || {
        s.get(page).body.contains("第三次保存的新段落。")
            && s.get("/en/2023/market-regulation/").body.contains("Burst ")
    });
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");

    // A new folder with a report, made at once.
    r.write("content/2025/justice-bureau.zh.md", NEW_REPORT);
    until("new report served", || {
        s.get("/zh/2025/justice-bureau/").status == 200
    });
    // 2024 is a draft: 2023 was the department's newest report, and is archived now.
    assert!(
        s.get("/zh/2023/justice-bureau/")
            .body
            .contains("archived-notice")
    );

    // Rename: the old address goes, the new one comes.
    std::fs::rename(
        r.path("content/2025/justice-bureau.zh.md"),
        r.path("content/2025/legal-affairs.zh.md"),
    )
    .unwrap();
    until("renamed report served", || {
        s.get("/zh/2025/legal-affairs/").status == 200
    });
    assert_eq!(s.get("/zh/2025/justice-bureau/").status, 404);

    // Delete.
    std::fs::remove_dir_all(r.path("content/2025")).unwrap();
    until("deleted report gone", || {
        s.get("/zh/2025/legal-affairs/").status == 404
    });
    assert!(
        !s.get("/zh/2023/justice-bureau/")
            .body
            .contains("archived-notice")
    );
    s.assert_same_as_full_build();
}

#[test]
fn a_broken_edit_shows_the_error_over_every_page_until_fixed() {
    let s = Server::start();
    let r = s.site();
    let rx = events(s.addr());
    next_event(&rx, &["hello"]);
    let good = s.get("/en/").body;
    r.replace(
        "content/2023/market-regulation.zh.md",
        "department: market-regulation",
        "department: market-regulaton",
    );
    let (_, data) = next_event(&rx, &["broken", "reload"]);
    assert!(
        data.contains("content/2023/market-regulation.zh.md:"),
        "{data}"
    );
    assert!(data.contains("did you mean `market-regulation`?"), "{data}");
    for page in ["/en/", "/zh/2023/market-regulation/", "/zh/no-such-page/"] {
        let body = s.get(page).body;
        assert!(
            body.contains("id=\"gongkai-overlay\""),
            "{page}: no overlay"
        );
        assert!(
            body.contains("content/2023/market-regulation.zh.md:3:13: "),
            "{body}"
        );
        // The overlay speaks the page's language.
        if page.starts_with("/en/") {
            assert!(
                body.contains(":3:13: error: unknown department `market-regulaton`"),
                "{body}"
            );
        } else {
            assert!(
                body.contains(":3:13: 错误：没有名为 `market-regulaton` 的部门"),
                "{body}"
            );
            assert!(body.contains("是不是要写 `market-regulation`？"), "{body}");
        }
        assert!(
            body.contains("department: market-regulaton"),
            "the source excerpt"
        );
    }
    // The last good site is still served under the overlay.
    assert!(
        s.get("/en/").body.starts_with(
            &good[..good
                .find("<link rel=\"stylesheet\" href=\"/__gongkai/")
                .unwrap()]
        )
    );
    // A new page load learns of the error from its first event.
    let late = events(s.addr());
    assert!(next_event(&late, &["hello"]).1.contains("market-regulaton"));

    r.replace(
        "content/2023/market-regulation.zh.md",
        "market-regulaton",
        "market-regulation",
    );
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");
    assert!(!s.get("/en/").body.contains("gongkai-overlay\""));
    s.assert_same_as_full_build();

    // Templates too: an error in one never stops the server.
    r.write(
        "templates/home.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope( }}{% endblock %}",
    );
    let (name, data) = next_event(&rx, &["broken", "reload"]);
    assert_eq!(name, "broken");
    assert!(data.contains("templates/home.html"), "{data}");
    std::fs::remove_file(r.path("templates/home.html")).unwrap();
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");
    s.assert_same_as_full_build();
}

/// The stylesheet is named by its content (README "Deploying `public/`"): a change gives it a
/// new name, which every page links, so pages reload; the old name is gone.
#[test]
fn a_stylesheet_change_renames_it_and_reloads_pages() {
    let s = Server::start();
    let r = s.site();
    let rx = events(s.addr());
    next_event(&rx, &["hello"]);
    let linked = |page: &str| {
        let html = s.get(page).body;
        let at = html.find("static/style.").expect("a stylesheet link");
        let end = at + html[at..].find('"').unwrap();
        html[at..end].to_string()
    };
    let before = linked("/zh/");
    r.write("static/style.css", "body { background: #fffbe6; }\n");
    let (name, _) = next_event(&rx, &["css", "reload", "broken"]);
    assert_eq!(name, "reload");
    let after = linked("/zh/");
    assert_ne!(before, after);
    assert_eq!(linked("/en/2022/"), after);
    assert_eq!(
        s.get(&format!("/{after}")).body,
        "body { background: #fffbe6; }\n"
    );
    assert_eq!(s.get(&format!("/{before}")).status, 404);
    let css = s.get(&format!("/{after}"));
    assert!(css.headers.contains("content-type: text/css"));
    assert!(
        !css.body.contains("__gongkai"),
        "nothing injected outside HTML"
    );
}

#[test]
fn requests_outside_the_site_get_404() {
    let s = Server::start();
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/zh/..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/zh/%00/index.html",
        "/index.html%00.css",
        "/site.yaml",
        "/content/2022/justice-bureau.zh.md",
        // Absolute form naming this server (another host is refused: tests/serve_hardening.rs).
        "http://127.0.0.1/../site.yaml",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("base_url"), "{path} leaked site.yaml");
    }
    assert_eq!(s.get("/").status, 200);
    assert_eq!(s.get("/zh/2022/justice-bureau/index.html").status, 200);
    let redirect = s.get("/zh/2022?x=1");
    assert_eq!(redirect.status, 302);
    assert!(
        redirect.headers.contains("location: /zh/2022/?x=1"),
        "{}",
        redirect.headers
    );
    until("search index served", || {
        s.get("/zh/search/meta.js").status == 200
    });
    assert!(
        s.get("/no/such/page/").body.contains("__gongkai/reload.js"),
        "404 page reloads too"
    );
    let mut post = TcpStream::connect(s.addr()).unwrap();
    write!(
        post,
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        s.addr()
    )
    .unwrap();
    let mut answer = String::new();
    post.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = TempSite::sample();
    let mut opts = ServeOptions::new(site.root());
    opts.port = port;
    let err = serve::start(opts).err().expect("the port is taken");
    assert!(
        matches!(err, serve::ServeError::PortInUse { port: p, .. } if p == port),
        "{err}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
}

/// The real binary: loopback by default, prints its address, warns about other addresses,
/// stops on Ctrl-C (SIGINT) with status 0.
#[test]
fn the_command_prints_its_address_and_stops_on_ctrl_c() {
    let site = TempSite::sample();
    for (bind, warned) in [(None, false), (Some("0.0.0.0"), true)] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        cmd.args(["serve", "--port", "0", "--root"])
            .arg(site.root());
        if let Some(b) = bind {
            cmd.args(["--bind", b]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let expected = if warned {
            "serving at http://0.0.0.0:"
        } else {
            "serving at http://127.0.0.1:"
        };
        assert!(line.starts_with(expected), "{line}");
        let port: u16 = line
            .rsplit(':')
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(request(([127, 0, 0, 1], port).into(), "/zh/").status, 200);
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + WAIT;
        let code = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s.code();
            }
            assert!(Instant::now() < deadline, "did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(code, Some(0));
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            stderr.contains("warning: listening on 0.0.0.0"),
            warned,
            "{stderr}"
        );
    }
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let r = TempSite::sample();
    r.replace("content/2021/justice-bureau.en.md", "title: ", "titel: ");
    let mut opts = ServeOptions::new(r.root());
    opts.port = 0;
    let preview = serve::start(opts).unwrap();
    let page = request(preview.addr(), "/en/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("titel"), "{}", page.body);
    let rx = events(preview.addr());
    next_event(&rx, &["hello"]);
    r.replace("content/2021/justice-bureau.en.md", "titel: ", "title: ");
    assert_eq!(next_event(&rx, &["reload", "broken"]).0, "reload");
    assert_eq!(request(preview.addr(), "/en/").status, 200);
    preview.shutdown();
}
