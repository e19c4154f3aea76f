//! `gongkai serve` trusts only itself: a request naming another host is refused (DNS
//! rebinding), a half-sent request is dropped, idle connections cannot crowd out a page,
//! event streams keep working and are bounded, and the watcher does not follow a symbolic
//! link that `build` ignores. Each test runs the real server in-process on a free loopback port.

mod common;

use common::TempSite;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use gongkai::serve::{self, EVENTS_PATH, HEAD_TIMEOUT, MAX_EVENT_STREAMS, ServeOptions};

/// Longer than any wait the server imposes; reaching it means the server failed.
const WAIT: Duration = Duration::from_secs(30);

fn start(site: &TempSite) -> serve::Preview {
    let mut opts = ServeOptions::new(site.root());
    opts.port = 0;
    serve::start(opts).expect("server starts")
}

/// One raw request with the given `Host`; the status line and the body, as text.
fn get(addr: SocketAddr, host: &str, path: &str) -> (u16, String) {
    let text = common::raw_get(addr, host, path, WAIT);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

#[test]
fn a_request_naming_another_host_gets_403_and_no_page() {
    let site = TempSite::sample();
    let preview = start(&site);
    let addr = preview.addr();
    let port = addr.port();
    let home = preview.published().read().unwrap().snapshot()["zh/index.html"].clone();
    let home = String::from_utf8(home).unwrap();
    let title = &home[home.find("<title>").unwrap()..home.find("</title>").unwrap()];

    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in [
            "/zh/",
            EVENTS_PATH,
            "/__gongkai/reload.js",
            "/zh/search/meta.js",
        ] {
            let (status, body) = get(addr, &host, path);
            assert_eq!(status, 403, "{host} {path}: {body}");
            assert!(body.contains("DNS rebinding"), "says why: {body}");
            assert!(!body.contains(title) && !body.contains("<html"), "{body}");
        }
    }
    // The absolute form names its host in the request line: that host counts too.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET http://evil.example/zh/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");

    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        addr.to_string(),
    ] {
        let (status, body) = get(addr, &host, "/zh/");
        assert_eq!(status, 200, "{host}");
        assert!(body.contains(title), "{host}: the page is served");
    }
}

#[test]
fn a_half_sent_request_is_closed_by_the_server() {
    let site = TempSite::sample();
    let preview = start(&site);
    let mut s = TcpStream::connect(preview.addr()).unwrap();
    // Longer than the server's limit: a read that times out here means the server kept the
    // connection open.
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET /zh/ HTTP/1.1\r\nHost: local").unwrap();
    let mut buf = [0u8; 1024];
    let mut answered = Vec::new();
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answered.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server kept a half-sent request open: {e}"),
        }
    }
    // Whatever it said before closing, it was not the page.
    assert!(!String::from_utf8_lossy(&answered).contains("200 OK"));
}

#[test]
fn idle_half_open_connections_do_not_stop_a_page_from_being_served() {
    let site = TempSite::sample();
    let preview = start(&site);
    let addr = preview.addr();
    let idle: Vec<TcpStream> = (0..500)
        .map(|i| {
            let mut s = TcpStream::connect_timeout(&addr, WAIT).unwrap();
            if i % 2 == 0 {
                let _ = s.write_all(b"GET / HTTP/1.1\r\n");
            }
            s
        })
        .collect();
    let (status, body) = get(addr, &format!("localhost:{}", addr.port()), "/zh/");
    assert_eq!(status, 200);
    assert!(body.contains("</html>"));
    drop(idle);
}

/// An event-stream client: reads events as (name, data) until the connection ends.
struct Stream {
    reader: BufReader<TcpStream>,
    status: u16,
}

impl Stream {
    fn open(addr: SocketAddr) -> Stream {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let status = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        Stream { reader, status }
    }

    /// The next event named `name`; panics if the stream ends or stays silent too long.
    fn next(&mut self, name: &str) -> String {
        let mut line = String::new();
        let mut current = String::new();
        loop {
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("the stream stays open");
            assert!(n > 0, "the stream ended before a `{name}` event");
            let l = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = l.strip_prefix("event: ") {
                current = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ")
                && current == name
            {
                return v.to_string();
            }
        }
    }
}

#[test]
fn event_streams_outlive_the_head_timeout_and_are_bounded() {
    let site = TempSite::sample();
    let preview = start(&site);
    let addr = preview.addr();
    let mut first = Stream::open(addr);
    assert_eq!(first.status, 200);
    first.next("hello");
    let mut others: Vec<Stream> = (1..MAX_EVENT_STREAMS).map(|_| Stream::open(addr)).collect();
    assert!(others.iter().all(|s| s.status == 200));
    let refused = Stream::open(addr);
    assert_eq!(refused.status, 503, "one stream more than the bound");
    // Pages are still served while every stream is open.
    let (status, _) = get(addr, &addr.to_string(), "/zh/");
    assert_eq!(status, 200);
    // A stream that ends frees its place.
    others.pop();
    let mut again = Stream::open(addr);
    let deadline = Instant::now() + WAIT;
    while again.status == 503 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        again = Stream::open(addr);
    }
    assert_eq!(again.status, 200);

    // The head timeout is for requests being sent, not for answers being streamed: an edit
    // made after it reaches the stream.
    std::thread::sleep(HEAD_TIMEOUT + Duration::from_secs(1));
    site.dir().replace(
        "content/2022/justice-bureau.zh.md",
        "## ",
        "新增一段正文。\n\n## ",
    );
    let reload = first.next("reload");
    assert!(reload.contains("version"), "{reload}");
}

/// The inode of every folder this process holds an inotify watch on (Linux: from
/// `/proc/self/fdinfo`, lines `inotify wd:1 ino:5e0a4 sdev:…`).
#[cfg(target_os = "linux")]
fn watched_inodes() -> std::collections::BTreeSet<u64> {
    let mut inodes = std::collections::BTreeSet::new();
    for fd in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let is_inotify =
            std::fs::read_link(fd.path()).is_ok_and(|t| t.to_string_lossy().contains("inotify"));
        if !is_inotify {
            continue;
        }
        let info = std::fs::read_to_string(format!(
            "/proc/self/fdinfo/{}",
            fd.file_name().to_string_lossy()
        ))
        .unwrap_or_default();
        let watches = info.lines().filter(|l| l.starts_with("inotify "));
        for word in watches.flat_map(str::split_whitespace) {
            if let Some(hex) = word.strip_prefix("ino:") {
                inodes.insert(u64::from_str_radix(hex, 16).unwrap());
            }
        }
    }
    inodes
}

#[cfg(target_os = "linux")]
#[test]
fn the_watcher_does_not_follow_a_symlinked_folder() {
    use std::os::unix::fs::MetadataExt;

    let site = TempSite::sample();
    // A tree outside the site, linked from inside `content/` (as `/usr` was): `build` does not
    // read it, so the preview must not watch it.
    let outside = tempfile::tempdir().unwrap();
    let mut behind = Vec::new();
    for i in 0..20 {
        let dir = outside.path().join(format!("d{i}")).join("sub");
        std::fs::create_dir_all(&dir).unwrap();
        behind.push(dir.metadata().unwrap().ino());
        behind.push(dir.parent().unwrap().metadata().unwrap().ino());
    }
    behind.push(outside.path().metadata().unwrap().ino());
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/linked")).unwrap();

    let preview = start(&site);
    let content = site.root().join("content").metadata().unwrap().ino();
    assert!(watched_inodes().contains(&content), "content/ is watched");
    // A link made while serving, and a real folder made at the same time: once the folder is
    // watched, the link has been seen too.
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/2022/later")).unwrap();
    let real = site.root().join("content/2022/real");
    std::fs::create_dir(&real).unwrap();
    let real = real.metadata().unwrap().ino();
    let deadline = Instant::now() + WAIT;
    while !watched_inodes().contains(&real) {
        assert!(Instant::now() < deadline, "a new folder is never watched");
        std::thread::sleep(Duration::from_millis(20));
    }
    let watched = watched_inodes();
    let followed: Vec<_> = behind.iter().filter(|i| watched.contains(i)).collect();
    assert!(
        followed.is_empty(),
        "{} folders behind the link are watched",
        followed.len()
    );
    drop(preview);
}
