//! Shared helpers for the integration tests: fixture sites, temporary copies, the real binary,
//! and small parse-free HTML probes.
//!
//! Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output as ProcessOutput};

use gongkai::{BuildOptions, Diagnostic, Error};

/// Output path → bytes, as [`gongkai::Output::into_files`] returns them.
pub type Files = BTreeMap<String, Vec<u8>>;

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Builds the site at `opts.root` in memory.
pub fn build_with(opts: &BuildOptions) -> Result<Files, Error> {
    gongkai::build_in_memory(opts).map(|(_, out)| out.into_files())
}

/// Builds a fixture in memory with default options; panics with the diagnostics on failure.
pub fn build_fixture(name: &str) -> Files {
    build_ok(&BuildOptions::new(fixture(name)))
}

/// Builds in memory; panics with the rendered diagnostics on failure.
pub fn build_ok(opts: &BuildOptions) -> Files {
    match build_with(opts) {
        Ok(files) => files,
        Err(e) => panic!("build of {} failed:\n{e}", opts.root.display()),
    }
}

/// Builds in memory and expects content/config problems; returns them.
pub fn build_err(opts: &BuildOptions) -> Vec<Diagnostic> {
    match build_with(opts) {
        Ok(files) => panic!(
            "build of {} succeeded ({} files) but should have failed",
            opts.root.display(),
            files.len()
        ),
        Err(Error::Site(d)) => d.0,
        Err(e) => panic!("expected diagnostics, got {e}"),
    }
}

/// A site copied into a temporary folder, to be changed by one test. Its files are read and
/// changed through [`SiteDir`], which it dereferences to.
pub struct TempSite {
    // Held so the folder lives as long as the site.
    _dir: tempfile::TempDir,
    dir: SiteDir,
}

impl TempSite {
    /// A fresh copy of `tests/fixtures/<name>` in `<tmp>/site`.
    pub fn copy_of(name: &str) -> TempSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(&fixture(name), &root);
        TempSite {
            _dir: dir,
            dir: SiteDir { root },
        }
    }

    /// A fresh copy of the repository's sample site (`site.yaml` and `content/`) in
    /// `<tmp>/site`.
    pub fn sample() -> TempSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(&root).expect("create dir");
        std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
        copy_dir(&repo.join("content"), &root.join("content"));
        TempSite {
            _dir: dir,
            dir: SiteDir { root },
        }
    }

    /// The temporary folder holding the site folder (a place for outputs beside it).
    pub fn parent(&self) -> &Path {
        self.dir.root.parent().expect("site has a parent")
    }

    /// A handle on the site's files that borrows nothing (valid while `self` lives).
    pub fn dir(&self) -> SiteDir {
        self.dir.clone()
    }
}

impl std::ops::Deref for TempSite {
    type Target = SiteDir;
    fn deref(&self) -> &SiteDir {
        &self.dir
    }
}

/// A site folder's files, by path relative to the folder.
#[derive(Debug, Clone)]
pub struct SiteDir {
    root: PathBuf,
}

impl SiteDir {
    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes `bytes` to `rel` under the site, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let full = self.root.join(rel);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("create dir");
        std::fs::write(&full, bytes).expect("write file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read file")
    }

    /// Replaces the first occurrence of `from` with `to` in `rel`; panics when absent, so a
    /// test never silently mutates nothing.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "`{from}` not found in {rel}");
        self.write(rel, text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root.join(rel)).expect("remove file");
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.root)
    }

    pub fn build(&self) -> Files {
        build_ok(&self.options())
    }

    pub fn build_err(&self) -> Vec<Diagnostic> {
        build_err(&self.options())
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file under `dir` (relative path with `/` → bytes), including hidden ones.
pub fn read_tree(dir: &Path) -> Files {
    fn walk(base: &Path, dir: &Path, out: &mut Files) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("dir entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = Files::new();
    walk(dir, dir, &mut out);
    out
}

/// Names directly inside `dir`, sorted; a site's build cache (`.gongkai/`, which every build
/// leaves in the site folder) is left out: `tests/build_cache.rs` checks what it holds.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name != gongkai::layout::CACHE_DIR)
        .collect();
    names.sort();
    names
}

/// The `gongkai` binary Cargo built for these tests.
pub fn gongkai() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.env_remove("NO_COLOR");
    // Messages in English whatever the machine's locale; tests of Chinese ask for it.
    for var in ["GONGKAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `gongkai args…`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_cmd(gongkai().args(args))
}

pub fn run_cmd(cmd: &mut Command) -> (i32, String, String) {
    let ProcessOutput {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run gongkai");
    (
        status.code().expect("exited normally"),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// A file of the output as text.
pub fn text<'a>(files: &'a Files, path: &str) -> &'a str {
    let bytes = files.get(path).unwrap_or_else(|| {
        panic!(
            "no output file {path}; have {:?}",
            files.keys().collect::<Vec<_>>()
        )
    });
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

/// The `<main …>…</main>` element of a page, tags included.
/// The theme's stylesheet in a build, under its content-tagged name (`static/style.<tag>.css`).
pub fn stylesheet(files: &Files) -> &str {
    let name = files
        .keys()
        .find(|f| f.starts_with("static/style.") && f.ends_with(".css"))
        .expect("a stylesheet");
    text(files, name)
}

pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html[start..].find("</main>").expect("page has </main>") + start + "</main>".len();
    &html[start..end]
}

/// The HTML pages of an output, sorted.
pub fn html_pages(files: &Files) -> impl Iterator<Item = (&str, &str)> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).expect("UTF-8 page")))
}

/// Every tag of `html` (`<a href="x">`, `</p>`), as written, comments skipped. Quoted attribute
/// values may hold `>`; text never holds a raw `<` in well-escaped output.
pub fn tags(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let mut quote = None;
        let mut j = start + 1;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(html.len());
        out.push(&html[start..end]);
        i = end;
    }
    out
}

/// The part of a tag outside its quoted attribute values: tag name and attribute names.
pub fn tag_skeleton(tag: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in tag.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) => out.push(c),
            (Some(_), _) => {}
        }
    }
    out
}

/// The name of a tag (`a` for `<a href="x">`), lowercased; `None` for end tags and doctype.
pub fn tag_name(tag: &str) -> Option<String> {
    let rest = tag.strip_prefix('<')?;
    if rest.starts_with(['/', '!', '?']) {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    Some(name.to_ascii_lowercase())
}

/// The value of attribute `name` in a tag (`attr(r#"<a href="x">"#, "href")` → `x`), unescaped
/// for `&amp;` only.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let i = tag.find(&needle)? + needle.len();
    let end = tag[i..].find('"')? + i;
    Some(tag[i..end].replace("&amp;", "&"))
}

/// The output file a relative link from `file` leads to (`zh/2022/` → `zh/2022/index.html`);
/// `None` for links to other hosts, other schemes or the same page (`#x`). Panics on a link
/// that climbs above the site root: no page may have one.
pub fn resolve(file: &str, href: &str) -> Option<String> {
    let target = gongkai::urls::resolve(file, href)?;
    assert!(
        !target.starts_with("../"),
        "link `{href}` in {file} climbs above the site root"
    );
    Some(target)
}

/// The page folder of an output file (`zh/2022/index.html` → `zh/2022/`).
pub fn folder_of(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

/// A diagnostic as one line, for assertion messages.
pub fn show(ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| format!("{d}\n")).collect()
}

/// One raw HTTP/1.1 GET, the path sent exactly as given with this `Host`; the whole response
/// as text (status line, headers, body), read until the server closes.
pub fn raw_get(
    addr: std::net::SocketAddr,
    host: &str,
    path: &str,
    wait: std::time::Duration,
) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(wait)).expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    String::from_utf8_lossy(&raw).into_owned()
}
