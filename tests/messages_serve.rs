//! Messages of the preview in the reader's language (README "Messages in your language"): the
//! terminal lines of `gongkai serve` follow `--lang` or the locale; the error box over a page
//! follows the page's `<html lang>` whatever the terminal's language; answers that are no page
//! (the page before the first good build, refusals) follow the browser's `Accept-Language`,
//! else the preview's language; the style warnings panel speaks the preview's language.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{TempSite, gongkai, run_cmd};
use gongkai::messages::UiLang;
use gongkai::serve::{self, DerivedMode, LiveSite, Plan, ServeOptions, Shared};

const WAIT: Duration = Duration::from_secs(30);
const REPORT: &str = "content/2022/justice-bureau.zh.md";

/// One raw request; returns the whole answer (status line, headers, body) as text.
fn request(addr: SocketAddr, method: &str, host: &str, path: &str, lang: Option<&str>) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    let accept = lang.map_or(String::new(), |l| format!("Accept-Language: {l}\r\n"));
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{accept}Connection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .expect("write request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    String::from_utf8_lossy(&raw).into_owned()
}

fn get(preview: &serve::Preview, path: &str, lang: Option<&str>) -> String {
    let addr = preview.addr();
    request(addr, "GET", &addr.to_string(), path, lang)
}

fn start(site: &TempSite, lang: UiLang) -> serve::Preview {
    let mut opts = ServeOptions::new(site.root());
    opts.port = 0;
    opts.lang = lang;
    serve::start(opts).expect("server starts")
}

/// Waits until `path` answers with a body holding `needle`; returns that answer.
fn until_served(preview: &serve::Preview, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let answer = get(preview, path, None);
        if answer.contains(needle) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {needle}:\n{answer}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_error_box_follows_the_page_whatever_the_preview_language() {
    let site = TempSite::sample();
    let preview = start(&site, UiLang::En);
    site.replace(
        REPORT,
        "department: justice-bureau",
        "department: justice-bureua",
    );
    let zh = until_served(&preview, "/zh/", "id=\"gongkai-overlay\"");
    assert!(zh.contains("页面显示的是上一次成功生成的内容"), "{zh}");
    assert!(
        zh.contains(":3:13: 错误：没有名为 `justice-bureua` 的部门"),
        "{zh}"
    );
    assert!(!zh.contains("the last good build"), "{zh}");
    let en = get(&preview, "/en/", Some("zh-CN"));
    assert!(en.contains("the page shows the last good build"), "{en}");
    assert!(
        en.contains(":3:13: error: unknown department `justice-bureua`"),
        "{en}"
    );
    assert!(!en.contains("上一次成功生成"), "{en}");
    preview.shutdown();
}

#[test]
fn the_page_before_the_first_good_build_follows_the_browser() {
    let site = TempSite::sample();
    site.replace(
        REPORT,
        "department: justice-bureau",
        "department: justice-bureua",
    );
    let preview = start(&site, UiLang::En);
    let zh = get(&preview, "/zh/", Some("zh-CN,zh;q=0.9,en;q=0.8"));
    assert!(zh.starts_with("HTTP/1.1 503"), "{zh}");
    assert!(zh.contains("<html lang=\"zh\">"), "{zh}");
    assert!(zh.contains("<h1>网站有错误</h1>"), "{zh}");
    // The error box on it follows that page's language too.
    assert!(zh.contains("上一次成功生成"), "{zh}");
    let en = get(&preview, "/zh/", Some("en-US,en;q=0.9"));
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("<h1>The site has errors</h1>"), "{en}");
    assert!(
        en.contains("error: unknown department `justice-bureua`"),
        "{en}"
    );
    // No Accept-Language: the language the preview was started in.
    let plain = get(&preview, "/zh/", None);
    assert!(plain.contains("<h1>The site has errors</h1>"), "{plain}");
    preview.shutdown();
    let preview = start(&site, UiLang::Zh);
    assert!(get(&preview, "/", None).contains("<h1>网站有错误</h1>"));
    preview.shutdown();
}

#[test]
fn refusals_follow_the_browser_else_the_preview_language() {
    let site = TempSite::sample();
    let preview = start(&site, UiLang::Zh);
    let addr = preview.addr();
    let port = addr.port();
    let here = addr.to_string();
    let post = request(addr, "POST", &here, "/zh/", None);
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    assert!(post.ends_with("预览只接受 GET 和 HEAD 请求\n"), "{post}");
    let post = request(addr, "POST", &here, "/zh/", Some("en"));
    assert!(post.ends_with("\r\n\r\nonly GET and HEAD\n"), "{post}");

    let foreign = request(addr, "GET", "evil.example", "/zh/", None);
    assert!(foreign.starts_with("HTTP/1.1 403"), "{foreign}");
    assert!(
        foreign.contains(&format!(
            "403 禁止访问：本预览只回应以 localhost:{port}、127.0.0.1:{port}"
        )),
        "{foreign}"
    );
    assert!(foreign.contains("DNS 重绑定"), "{foreign}");
    let foreign = request(addr, "GET", "evil.example", "/zh/", Some("en-GB"));
    assert!(
        foreign.contains(&format!(
            "403 Forbidden: this preview answers only requests addressed to it as localhost:{port}, 127.0.0.1:{port}"
        )),
        "{foreign}"
    );
    preview.shutdown();
}

/// A Chinese report with `n` half-width commas between Chinese characters: `n` warnings.
fn with_commas(site: &TempSite, n: usize) {
    site.replace(REPORT, "## ", &format!("{}\n\n## ", "甲,乙".repeat(n)));
}

#[test]
fn the_warnings_panel_speaks_the_preview_language() {
    let site = TempSite::sample();
    with_commas(&site, 1);
    for (lang, title, line) in [
        (
            UiLang::Zh,
            "<summary>gongkai：1 条文字规范警告</summary>",
            "justice-bureau.zh.md:22:2: 警告[half-width-punctuation]：中文中使用了半角“,”：应为“，”",
        ),
        (
            UiLang::En,
            "<summary>gongkai: 1 style warnings</summary>",
            "justice-bureau.zh.md:22:2: warning[half-width-punctuation]: half-width `,` in Chinese text: write `，`",
        ),
    ] {
        let preview = start(&site, lang);
        // The same on a page of either language: the panel is the editor's, like `check`.
        for page in ["/zh/", "/en/"] {
            let body = get(&preview, page, None);
            assert!(body.contains(title), "{lang:?} {page}: {body}");
            assert!(body.contains(line), "{lang:?} {page}: {body}");
        }
        preview.shutdown();
    }
}

#[test]
fn warnings_past_the_panel_limit_are_counted_and_named() {
    let site = TempSite::sample();
    with_commas(&site, 205);
    let published = Shared::default();
    let mut live = LiveSite::new(
        site.options(),
        DerivedMode::Inline(Box::default()),
        published.clone(),
    );
    live.speak(UiLang::Zh);
    live.apply(&Plan::full());
    let p = published.read().unwrap();
    assert_eq!(p.warning_count, 205);
    let text = p.warnings.clone().unwrap_or_default();
    assert_eq!(
        text.lines().count(),
        201,
        "200 listed, then the rest counted"
    );
    assert_eq!(
        text.lines().last(),
        Some("……另有 5 条未列出：运行 `gongkai check` 查看全部")
    );
    assert!(text.contains("中文中使用了半角"), "{text}");
    drop(p);
    live.speak(UiLang::En);
    live.apply(&Plan::full());
    let text = published
        .read()
        .unwrap()
        .warnings
        .clone()
        .unwrap_or_default();
    assert!(
        text.ends_with("… and 5 more: run `gongkai check`"),
        "{text}"
    );
}

/// `gongkai serve` with `args` on a free port, under `LANG=locale`.
fn spawn(site: &Path, locale: &str, args: &[&str]) -> Child {
    gongkai()
        .env("LANG", locale)
        .args(args)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gongkai serve")
}

/// The first line on stdout, then everything on stderr once Ctrl-C (SIGINT) stopped the server.
fn first_line_then_stderr(mut child: Child) -> (String, String) {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(child.wait().unwrap().code(), Some(0), "stops on Ctrl-C");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (line, stderr)
}

#[test]
fn the_terminal_lines_follow_the_locale_or_lang() {
    let site = TempSite::sample();
    let zh = spawn(site.root(), "zh_CN.UTF-8", &[]);
    let (line, stderr) = first_line_then_stderr(zh);
    assert!(line.starts_with("预览地址：http://127.0.0.1:"), "{line}");
    assert!(line.ends_with("（按 Ctrl-C 停止）\n"), "{line}");
    assert!(stderr.starts_with("已生成 "), "{stderr}");
    assert!(stderr.contains(" 个文件，用时 "), "{stderr}");
    assert!(stderr.contains("\n正在停止\n"), "{stderr}");

    let en = spawn(site.root(), "zh_CN.UTF-8", &["--lang", "en"]);
    let (line, stderr) = first_line_then_stderr(en);
    assert!(line.starts_with("serving at http://127.0.0.1:"), "{line}");
    assert!(stderr.starts_with("built "), "{stderr}");
    assert!(stderr.contains("\nstopping\n"), "{stderr}");

    // Reachable from other machines: the warning, in the terminal's language.
    let exposed = gongkai()
        .env("LANG", "zh_CN.UTF-8")
        .args(["serve", "--port", "0", "--bind", "0.0.0.0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (_, stderr) = first_line_then_stderr(exposed);
    assert!(
        stderr.starts_with("警告：正在 0.0.0.0 上监听，而不是只在本机"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_is_said_in_the_terminal_language() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = TempSite::sample();
    let serve = |lang: &str| {
        let mut cmd = gongkai();
        cmd.args([
            "--lang",
            lang,
            "serve",
            "--port",
            &port.to_string(),
            "--root",
        ])
        .arg(site.root());
        run_cmd(&mut cmd)
    };
    let (code, _, stderr) = serve("zh");
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "错误：127.0.0.1 上的端口 {port} 已被占用：请先关掉另一个服务，或用 `--port` 换一个端口"
        )),
        "{stderr}"
    );
    let (code, _, stderr) = serve("en");
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "error: port {port} is already in use on 127.0.0.1: stop the other server"
        )),
        "{stderr}"
    );
}

/// Lines of `gongkai serve`'s stderr as they come, until `wanted` starts one (or the wait
/// ends, which fails).
fn until_line(lines: &std::sync::mpsc::Receiver<String>, wanted: &str) -> String {
    let deadline = Instant::now() + WAIT;
    let mut seen = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.starts_with(wanted) => return line,
            Ok(line) => seen.push_str(&line),
            Err(_) => panic!("no line starting with {wanted:?}; saw:\n{seen}"),
        }
    }
}

#[test]
fn rebuild_lines_follow_the_terminal_language() {
    let site = TempSite::sample();
    let mut child = spawn(site.root(), "zh_CN.UTF-8", &[]);
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line + "\n");
        }
    });
    until_line(&lines, "已生成 ");
    until_line(&lines, "搜索索引已更新（");
    site.replace(REPORT, "## ", "新的一段。\n\n## ");
    let rebuilt = until_line(&lines, "已重新生成，用时 ");
    assert!(rebuilt.ends_with(" 个文件有变化\n"), "{rebuilt}");
    site.replace(
        REPORT,
        "department: justice-bureau",
        "department: justice-bureua",
    );
    until_line(
        &lines,
        "content/2022/justice-bureau.zh.md:3:13: 错误：没有名为",
    );
    site.replace(REPORT, "justice-bureua", "justice-bureau");
    until_line(&lines, "错误已改正（");
    child.kill().unwrap();
    child.wait().unwrap();
}
