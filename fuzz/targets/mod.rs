//! Fuzz targets for the load stage, shared by `cargo fuzz` (`fuzz/fuzz_targets/`) and the stable
//! test `tests/fuzz_loaders.rs`, so the fuzzer and every `cargo test` run the same code.
//!
//! Each target feeds bytes through the loaders the way `config::load` and `content::load_file`
//! chain them, using only the library's public API, and checks README's promise that every
//! mistake is reported with its file, line and column: no panic, and every error is at least
//! one diagnostic naming the file at a line and column inside its text, which renders.

#![allow(dead_code)] // each fuzz target uses one entry point

use std::path::Path;

use gongkai::config::{self, Config};
use gongkai::content::{front_matter, markdown, source};
use gongkai::diagnostics::Diagnostic;
use gongkai::model::ReportId;

/// The repository's sample configuration: the departments, themes and figures reports use.
pub const SITE_YAML: &str = include_str!("../../site.yaml");
pub const SITE_PATH: &str = "site.yaml";
/// Where the report under test claims to live (its year, stem and language follow).
pub const REPORT_PATH: &str = "content/2022/justice-bureau.zh.md";
const YEAR: u16 = 2022;
const STEM: &str = "justice-bureau";
const LANG: &str = "zh";

/// Valid front matter put before the bytes of the Markdown target, so they reach the renderer.
pub const FRONT_MATTER: &str = "---\ntitle: 测试报告\ndepartment: justice-bureau\ndate: 2022-03-01\nthemes: [rule-of-law]\n---\n";

/// What every report target needs, built once: the sample config and the rendering inputs.
pub struct Fixture {
    pub config: Config,
    /// Safe and unsafe HTML: both settings of `markdown.unsafe_html` in `site.yaml`.
    md_options: [comrak::Options<'static>; 2],
    targets: markdown::LinkTargets,
}

impl Fixture {
    pub fn new() -> Fixture {
        let config = config::parse(SITE_YAML, Path::new(SITE_PATH), None)
            .unwrap_or_else(|e| panic!("the sample site.yaml must be valid:\n{e}"));
        // Links between reports are checked against the files of the sample site.
        let mut targets = markdown::LinkTargets {
            default_lang: config.default_lang().to_string(),
            ..Default::default()
        };
        for year in 2021..=2024 {
            for stem in ["justice-bureau", "market-regulation", "government-office"] {
                for lang in ["zh", "en"] {
                    targets.reports.insert(ReportId::new(year, stem, lang), 1);
                }
            }
        }
        Fixture {
            config,
            md_options: [markdown::options(false), markdown::options(true)],
            targets,
        }
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture::new()
    }
}

/// `site.yaml` target: the bytes as the text of a site configuration; whether it was accepted.
pub fn site_yaml(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let valid = check_config(&text);
    // `config::load` strips a BOM and CRLF before parsing; check that text too when it differs.
    let normalised = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    if normalised != text {
        check_config(&normalised);
    }
    valid
}

/// How far a report got, so the stable test can tell its corpus reaches every stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reached {
    /// Refused as text (encoding, NUL, empty).
    NotText,
    /// Refused by `front_matter::split`.
    NoFrontMatter,
    /// Split, with problems in the front matter or the body.
    Problems,
    /// A valid report.
    Valid,
}

/// Front matter target: the bytes as a whole report file.
pub fn report_file(fx: &Fixture, bytes: &[u8]) -> Reached {
    let shown = Path::new(REPORT_PATH);
    let text = match source::decode(bytes.to_vec(), shown) {
        Ok(text) => text,
        Err(d) => {
            // Refused before it is text: positions count in what decoded, after the BOM.
            let raw = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            check_diagnostic(&d, &String::from_utf8_lossy(raw), shown);
            return Reached::NotText;
        }
    };
    let split = match front_matter::split(&text, shown) {
        Ok(split) => split,
        Err(d) => {
            check_diagnostic(&d, &text, shown);
            return Reached::NoFrontMatter;
        }
    };
    check_split(&split, &text);
    let mut reached = Reached::Valid;
    match front_matter::parse_meta(&split, &text, shown, YEAR, &fx.config) {
        Ok(meta) => check_meta(&meta, &fx.config),
        Err(ds) => {
            check_diagnostics(&ds, &text, shown);
            reached = Reached::Problems;
        }
    }
    for options in &fx.md_options {
        let body = markdown::BodySource {
            shown,
            file_text: &text,
            body: split.body,
            body_line: split.body_line,
            year: YEAR,
            stem: STEM,
            lang: LANG,
        };
        match markdown::render(&body, options, &fx.targets) {
            Ok(rendered) => {
                for link in &rendered.report_links {
                    check_diagnostic(&link.to_draft(shown, &text), &text, shown);
                }
            }
            Err(ds) => {
                check_diagnostics(&ds, &text, shown);
                reached = Reached::Problems;
            }
        }
    }
    reached
}

/// Markdown target: the bytes as the body of a report with valid front matter.
pub fn markdown_body(fx: &Fixture, bytes: &[u8]) -> Reached {
    let mut file = FRONT_MATTER.as_bytes().to_vec();
    file.extend_from_slice(bytes);
    report_file(fx, &file)
}

fn check_config(text: &str) -> bool {
    let shown = Path::new(SITE_PATH);
    match config::parse(text, shown, None) {
        Ok(config) => {
            assert!(!config.languages.is_empty(), "a config without languages");
            assert!(config.base_url.ends_with('/'), "{}", config.base_url);
            for key in config.departments.keys().chain(config.themes.keys()) {
                assert!(config::is_slug(key), "`{key}` accepted as a slug");
            }
            true
        }
        Err(ds) => {
            check_diagnostics(&ds.0, text, shown);
            false
        }
    }
}

/// The two halves are the file's own text at the offsets and line the split claims.
fn check_split(split: &front_matter::Split<'_>, text: &str) {
    let yaml_end = split.yaml_offset + split.yaml.len();
    assert_eq!(text.get(split.yaml_offset..yaml_end), Some(split.yaml));
    assert!(text.ends_with(split.body));
    if !split.body.is_empty() {
        let body_start = text.len() - split.body.len();
        let line = text[..body_start].matches('\n').count() + 1;
        assert_eq!(split.body_line, line, "body_line");
    }
}

/// Accepted metadata obeys the rules it was checked against.
fn check_meta(meta: &front_matter::Meta, config: &Config) {
    assert!(!meta.title.is_empty());
    assert!(config.departments.contains_key(&meta.department));
    for theme in &meta.themes {
        assert!(
            config.themes.contains_key(theme),
            "theme `{theme}` accepted"
        );
    }
    for (key, value) in &meta.figures {
        assert!(
            config.figures.contains_key(key) && value.is_finite(),
            "{key}: {value}"
        );
    }
}

fn check_diagnostics(ds: &[Diagnostic], text: &str, shown: &Path) {
    assert!(!ds.is_empty(), "an error without a diagnostic");
    for d in ds {
        check_position(d, text, shown);
    }
    // Rendering copies and scans the whole file for each diagnostic (`Diagnostic::render`), so
    // a hostile file with thousands of problems would measure that, not the loaders: render the
    // first and last few.
    const RENDERED: usize = 32;
    let last = ds.iter().skip(RENDERED).rev().take(RENDERED);
    for d in ds.iter().take(RENDERED).chain(last) {
        check_rendering(d, shown);
    }
}

/// Names `shown`, at a line and column inside `text`. A whole-file diagnostic
/// (`Diagnostic::at_file`) says line 1, column 1, which is inside every text, so the same check
/// holds for it.
pub fn check_diagnostic(d: &Diagnostic, text: &str, shown: &Path) {
    check_position(d, text, shown);
    check_rendering(d, shown);
}

fn check_position(d: &Diagnostic, text: &str, shown: &Path) {
    assert_eq!(d.path, shown, "{d}");
    assert!(d.line >= 1 && d.col >= 1, "{d}");
    // Lines as `diagnostics::line_col` counts them: the text after the last `\n` is a line.
    let line = text.split('\n').nth(d.line - 1);
    let Some(line) = line else {
        panic!(
            "line {} of a {}-line text: {d}",
            d.line,
            text.split('\n').count()
        );
    };
    let len = line.chars().count();
    assert!(
        d.col <= len + 1,
        "column {} of a {len}-character line: {d}",
        d.col
    );
    // A position in the message (the YAML library's) would count lines of the front matter, not
    // of the file; only the input itself may put such words there.
    if let Some(i) = d.message.find(" at line ") {
        let words = &d.message[i..];
        let words = &words[..words.find(',').unwrap_or(words.len())];
        assert!(text.contains(words), "a position in the message: {d}");
    }
}

/// Renders without panicking, starting with the position.
fn check_rendering(d: &Diagnostic, shown: &Path) {
    let rendered = d.render(false);
    let head = format!("{}:{}:{}: error: ", shown.display(), d.line, d.col);
    assert!(rendered.starts_with(&head), "{rendered}");
}
