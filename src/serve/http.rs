//! Preview: the HTTP side (axum). Serves the published files from memory, adds the reload script
//! (and, while the site has errors, the error overlay) to HTML responses, and opens the event
//! stream of each page (`events.rs`).
//!
//! A request that names another host than this server is refused before anything else
//! (`host.rs`); at most [`MAX_EVENT_STREAMS`] event streams are open at once.
//!
//! Request paths are decoded and looked up in the in-memory map, never on disk; a path that is
//! not a plain path inside the site (`..`, `.`, encoded slashes or backslashes, NUL, empty
//! segments) is a 404 before any lookup.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, broadcast, watch};

use super::events::{self, Event, MAX_EVENT_STREAMS};
use super::host::Hosts;
use super::inject::{OVERLAY_CSS_PATH, SCRIPT_PATH, fallback_page, inject, inject_with};
use super::published::{self, Published, Shared};
use super::texts::Texts;
use crate::messages::{Messages, Msg};

pub const EVENTS_PATH: &str = "/__gongkai/events";
const RELOAD_JS: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// What pages are served under: scripts and styles from this server only.
pub const CSP: &str = "default-src 'self'";

pub struct AppState {
    published: Shared,
    events: broadcast::Sender<Event>,
    shutdown: watch::Receiver<bool>,
    hosts: Hosts,
    streams: Arc<Semaphore>,
    texts: Texts,
}

impl AppState {
    pub fn new(
        published: Shared,
        events: broadcast::Sender<Event>,
        shutdown: watch::Receiver<bool>,
        hosts: Hosts,
        texts: Texts,
    ) -> AppState {
        AppState {
            published,
            events,
            shutdown,
            hosts,
            streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
            texts,
        }
    }
}

pub fn router(state: AppState) -> Router {
    Router::new().fallback(handle).with_state(Arc::new(state))
}

async fn handle(
    State(app): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // Answers that are no page of the site speak the browser's language (`texts.rs`).
    let said = app.texts.for_request(&headers);
    if let Some(refusal) = foreign_host(&app.hosts, &uri, &headers, said) {
        return refusal;
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, said.text("serve.only_get"));
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match uri.path() {
        EVENTS_PATH => match app.streams.clone().try_acquire_owned() {
            Ok(slot) => {
                events::stream(&app.published, &app.events, &app.shutdown, slot).into_response()
            }
            Err(_) => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                said.text("serve.too_many_pages"),
            ),
        },
        SCRIPT_PATH => asset(RELOAD_JS, "text/javascript; charset=utf-8"),
        OVERLAY_CSS_PATH => asset(OVERLAY_CSS, "text/css; charset=utf-8"),
        path => {
            let published = published::read(&app.published);
            file(&published, path, uri.query(), &app.texts, said)
        }
    }
}

/// A 403 saying why, unless the request names this server: its `Host` header and, in the rare
/// absolute form (`GET http://host/ HTTP/1.1`), its URI's authority.
fn foreign_host(
    hosts: &Hosts,
    uri: &Uri,
    headers: &HeaderMap,
    said: &Messages,
) -> Option<Response> {
    let header = headers.get(header::HOST).map(|h| h.to_str().unwrap_or(""));
    let authority = uri.authority().map(|a| a.as_str());
    let named: Vec<&str> = header.into_iter().chain(authority).collect();
    if !named.is_empty() && named.iter().all(|h| hosts.allows(h)) {
        return None;
    }
    let text = said.render(&Msg::new("serve.foreign_host").arg("names", hosts.describe(said)));
    Some(plain(StatusCode::FORBIDDEN, text))
}

/// The file at `raw_path`, with the preview's additions in the page's language (from `texts`);
/// `said` is the language of an answer that is no page of the site.
fn file(
    p: &Published,
    raw_path: &str,
    query: Option<&str>,
    texts: &Texts,
    said: &Messages,
) -> Response {
    let warnings = p.warnings.as_deref().map(|w| (w, p.warning_count));
    if !p.is_ready() {
        // No good build yet: every address shows the error, and reloads once it is fixed.
        let page = inject_with(
            fallback_page(said).as_bytes(),
            p.version,
            p.error.as_ref(),
            warnings,
            texts,
        );
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            Bytes::from(page),
        );
    }
    let Some(key) = site_path(raw_path) else {
        return not_found(p, said);
    };
    if let Some(bytes) = p.get(&key) {
        let body = if key.ends_with(".html") {
            Bytes::from(inject_with(
                bytes,
                p.version,
                p.error.as_ref(),
                warnings,
                texts,
            ))
        } else {
            bytes.clone()
        };
        return respond(StatusCode::OK, &key, body);
    }
    // A folder asked for without its slash: redirect, so the page's relative links work.
    if !key.ends_with("index.html") && p.get(&format!("{key}/index.html")).is_some() {
        let mut to = format!("{}/", raw_path.trim_end_matches('/'));
        if let Some(q) = query {
            to = format!("{to}?{q}");
        }
        let mut r = plain(StatusCode::FOUND, String::new());
        if let Ok(v) = HeaderValue::from_str(&to) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    not_found(p, said)
}

fn not_found(p: &Published, said: &Messages) -> Response {
    match p.files.get("404.html") {
        Some(page) => respond(
            StatusCode::NOT_FOUND,
            "404.html",
            Bytes::from(inject(page, p.version, p.error.as_ref())),
        ),
        None => plain(StatusCode::NOT_FOUND, said.text("serve.not_found")),
    }
}

/// The output path a request path names, or `None` when it is not a plain path inside the
/// site. A folder (`/zh/2022/`, `/`) names its `index.html`.
pub fn site_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let mut key = Vec::with_capacity(segments.len());
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            // Only the end may be empty: `/zh/2022/` is a folder, `/zh//2022` is not a path.
            if i + 1 == segments.len() {
                break;
            }
            return None;
        }
        let decoded = percent_decode(seg)?;
        let plain = !decoded.is_empty()
            && decoded != "."
            && decoded != ".."
            && !decoded.contains(['/', '\\'])
            && !decoded.chars().any(char::is_control);
        if !plain {
            return None;
        }
        key.push(decoded);
    }
    let mut key = key.join("/");
    if rest.is_empty() || rest.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// `%XX` escapes decoded; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, path: &str, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if path.ends_with(".html") {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    r
}

/// A short text answer, ended by a newline.
fn plain(status: StatusCode, mut text: String) -> Response {
    if !text.is_empty() {
        text.push('\n');
    }
    respond(status, "x.txt", Bytes::from(text.into_bytes()))
}

fn asset(text: &'static str, kind: &'static str) -> Response {
    let mut r = respond(StatusCode::OK, "x", Bytes::from_static(text.as_bytes()));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::UiLang;

    #[test]
    fn request_paths_map_to_output_files() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/zh/").as_deref(), Some("zh/index.html"));
        assert_eq!(
            site_path("/zh/2022/justice-bureau/").as_deref(),
            Some("zh/2022/justice-bureau/index.html")
        );
        assert_eq!(site_path("/zh/2022").as_deref(), Some("zh/2022"));
        assert_eq!(
            site_path("/static/style.css").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(
            site_path("/zh/%E6%90%9C/").as_deref(),
            Some("zh/搜/index.html")
        );
    }

    #[test]
    fn paths_leaving_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/zh/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/zh/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/zh%2f..%2f..%2fetc/passwd",
            "/..%5c..%5cetc/passwd",
            "/./index.html",
            "//etc/passwd",
            "/zh//2022/",
            "/index.html%00",
            "/%00",
            "/%zz",
            "/%ff",
            "etc/passwd",
            "",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_request_must_name_this_server() {
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap(), None);
        let with_host = |h: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            m
        };
        let en = Messages::new(UiLang::En);
        let foreign_host = |uri: &Uri, headers: &HeaderMap| foreign_host(&hosts, uri, headers, &en);
        let origin: Uri = "/zh/".parse().unwrap();
        assert!(foreign_host(&origin, &with_host("localhost:4000")).is_none());
        let refused = foreign_host(&origin, &with_host("evil.example:4000")).unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // No Host at all (HTTP/1.0): nothing says the request is for us.
        assert!(foreign_host(&origin, &HeaderMap::new()).is_some());
        // The absolute form names its host in the request line, and that host counts.
        let absolute: Uri = "http://evil.example/zh/".parse().unwrap();
        assert!(foreign_host(&absolute, &with_host("localhost:4000")).is_some());
        let ours: Uri = "http://localhost:4000/zh/".parse().unwrap();
        assert!(foreign_host(&ours, &HeaderMap::new()).is_none());
    }
}
