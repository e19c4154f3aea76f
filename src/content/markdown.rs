//! Load stage: Markdown body → HTML with comrak, plus the plain text of each section (for
//! search and summaries) and links between reports rewritten to page addresses.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use comrak::nodes::{AstNode, NodeValue};
use comrak::options::Plugins;
use comrak::{Arena, Options, parse_document};

use super::heading_ids::{IdWriter, heading_ids};
use super::sections::sections;
use super::valid_html;

use crate::diagnostics::{Diagnostic, Locator};
use crate::messages::Msg;
use crate::model::{ReportId, Section};
use crate::urls::{self, LinkStyle};

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub sections: Vec<Section>,
    /// Plain text of the first top-level paragraph (the fallback summary).
    pub first_paragraph: String,
    /// Every link to another report, so the build can refuse links to a draft it leaves out.
    pub report_links: Vec<ReportLink>,
    /// Every link and image within the site, as written, with its place: the link checker
    /// (`links/body.rs`) checks them against the pages and their headings.
    pub body_links: Vec<BodyLink>,
}

/// A link or image in the body to an address of this site (not `scheme:` or `//host`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BodyLink {
    /// As written, before links to report files are rewritten (`../2021/x.zh.md#一、`).
    pub written: String,
    /// The report a link to a report file leads to (resolved when the file was loaded).
    pub report: Option<ReportId>,
    /// Byte offset in the file's text, and its line and column (one table of line starts
    /// finds every link of a file).
    pub offset: usize,
    pub line_col: (usize, usize),
}

/// A link in the body to another report's file. It keeps the link's place, not the file's
/// text, so a loaded report holds no copy of its source.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportLink {
    /// The report linked to.
    pub target: ReportId,
    /// The link as written (`../2021/justice-bureau.zh.md`).
    pub written: String,
    /// Byte offset of the link in the file's text (as decoded).
    pub offset: usize,
    /// Its line and column, found when the file was rendered: a file can hold thousands of
    /// links to a draft, and finding each from the top again would be quadratic.
    pub line_col: (usize, usize),
}

impl ReportLink {
    /// The error at the link when its target is a draft this build leaves out; `text` is the
    /// file's text as the loader decoded it.
    pub fn to_draft(&self, shown: &Path, text: &Arc<str>) -> Diagnostic {
        Diagnostic::at_located(
            shown,
            text,
            self.offset,
            self.line_col,
            1,
            Msg::new("links.to_draft").arg("link", &self.written),
        )
        .with_hint(Msg::new("links.to_draft_hint"))
    }
}

/// Which report files exist, so links between reports can be checked and rewritten.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Each report, with how many files claim to be it (two is a duplicate, an error).
    pub reports: HashMap<ReportId, usize>,
    pub default_lang: String,
    pub style: LinkStyle,
    /// The live site, where a bundle's links to other years lead ([`LinkStyle::Bundle`]).
    pub base_url: String,
}

/// Where the body being rendered comes from.
pub struct BodySource<'a> {
    pub shown: &'a Path,
    pub file_text: &'a Arc<str>,
    pub body: &'a str,
    pub body_line: usize,
    pub year: u16,
    pub stem: &'a str,
    pub lang: &'a str,
}

pub fn options(unsafe_html: bool) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.header_id_prefix = Some(String::new());
    // Chinese reports bold a lead sentence ending in `。` right before more text; plain
    // CommonMark would not close that emphasis.
    o.extension.cjk_friendly_emphasis = true;
    o.render.r#unsafe = unsafe_html;
    o.render.escape = !unsafe_html;
    o
}

pub fn render(
    src: &BodySource<'_>,
    options: &Options<'_>,
    targets: &LinkTargets,
) -> Result<Rendered, Vec<Diagnostic>> {
    let arena = Arena::new();
    let root = parse_document(&arena, src.body, options);
    let (report_links, body_links, problems) = rewrite_report_links(root, src, targets);
    if !problems.is_empty() {
        return Err(problems);
    }
    // Heading ids are ours (`heading_ids.rs`), written by the renderer and given to sections.
    valid_html::drop_images_without_address(root, options.render.r#unsafe);
    let ids = heading_ids(root);
    let writer = IdWriter::new(&ids, src.lang);
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&writer);
    let mut html = String::with_capacity(src.body.len() * 2);
    comrak::html::format_document_with_plugins(root, options, &mut html, &plugins)
        .expect("writing to a String cannot fail");
    let html = valid_html::finish(html, src.lang);
    let mut html = super::table_scroll::wrap_tables(html);
    // Every report's page body stays in memory until pages render: no slack capacity.
    html.shrink_to_fit();
    let top_level_ids = ids.into_iter().filter_map(|(top, id)| top.then_some(id));
    // Without `unsafe_html`, raw HTML is shown on the page as text, so it is searchable text.
    let raw_as_text = !options.render.r#unsafe;
    let (sections, first_paragraph) = sections(root, top_level_ids, raw_as_text);
    Ok(Rendered {
        html,
        sections,
        first_paragraph,
        report_links,
        body_links,
    })
}

/// Links to `*.md` report files become links to their pages; a link to a missing report is an
/// error at the link's position. Returns the links rewritten, every link within the site, and
/// the problems.
fn rewrite_report_links<'a>(
    root: &'a AstNode<'a>,
    src: &BodySource<'_>,
    targets: &LinkTargets,
) -> (Vec<ReportLink>, Vec<BodyLink>, Vec<Diagnostic>) {
    let mut links = Vec::new();
    let mut body_links = Vec::new();
    let mut problems = Vec::new();
    // One table of line starts finds every link, however many (ARCHITECTURE "Decisions").
    let locator = Locator::new(src.file_text);
    for node in root.descendants() {
        let mut data = node.data_mut();
        let pos = data.sourcepos.start;
        let (link, is_image) = match &mut data.value {
            NodeValue::Link(link) => (link, false),
            NodeValue::Image(link) => (link, true),
            _ => continue,
        };
        let line = src.body_line + pos.line - 1;
        let offset = locator.line_start(line) + pos.column.saturating_sub(1);
        if within_site(&link.url) {
            let at = target_offset(src.file_text, offset, &link.url);
            body_links.push(BodyLink {
                written: link.url.clone(),
                report: None,
                offset: at,
                line_col: locator.line_col(at),
            });
        }
        if is_image {
            continue;
        }
        let (path, fragment) = match link.url.split_once('#') {
            Some((p, f)) => (p.to_string(), format!("#{f}")),
            None => (link.url.clone(), String::new()),
        };
        let from = urls::report(src.lang, src.year, src.stem);
        if !path.ends_with(".md") || path.contains(':') || path.starts_with('/') {
            // A link to a page rather than to its file: kept as written, except that a bundle
            // sends one to another year's page to the live site.
            if let Some(url) =
                urls::live_address(&from, &link.url, targets.style, &targets.base_url)
            {
                link.url = url;
            }
            continue;
        }
        match resolve(&path, src.year, targets) {
            Some(target) => {
                if let Some(last) = body_links.last_mut() {
                    last.report = Some(target.clone());
                }
                let to = urls::report(&target.lang, target.key.year, &target.key.stem);
                let href = urls::link(&from, &to, targets.style, &targets.base_url);
                link.url = format!("{href}{fragment}");
                links.push(ReportLink {
                    target,
                    written: path.clone(),
                    offset,
                    line_col: locator.line_col(offset),
                });
            }
            None => problems.push(
                Diagnostic::at_located(
                    src.shown,
                    src.file_text,
                    offset,
                    locator.line_col(offset),
                    1,
                    Msg::new("links.not_a_report").arg("path", &path),
                )
                .with_hint(Msg::new("links.not_a_report_hint")),
            ),
        }
    }
    (links, body_links, problems)
}

/// Where the target of the link starting at `offset` is written (`[x](target)`), so an error
/// points at the address; the link's start when it is written another way (a reference).
fn target_offset(text: &str, offset: usize, url: &str) -> usize {
    let mut end = (offset + 1024 + url.len()).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let Some(window) = text.get(offset..end) else {
        return offset;
    };
    match window.find(&format!("]({url}")) {
        Some(i) => offset + i + 2,
        None => offset,
    }
}

/// A link to an address of this site: neither `scheme:` nor `//host`.
fn within_site(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or("");
    !url.is_empty() && !path.contains(':') && !url.starts_with("//")
}

/// `../2021/x.en.md` seen from `content/<year>/` → (2021, x, en), when that report exists.
fn resolve(path: &str, year: u16, targets: &LinkTargets) -> Option<ReportId> {
    let mut parts: Vec<String> = vec![year.to_string()];
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    let [y, file] = &parts[..] else { return None };
    let y: u16 = y.parse().ok()?;
    let name = file.strip_suffix(".md")?;
    let (stem, lang) = name
        .split_once('.')
        .unwrap_or((name, targets.default_lang.as_str()));
    let id = ReportId::new(y, stem, lang);
    targets.reports.contains_key(&id).then_some(id)
}

/// Renders `body` as the body of `content/2022/a.<lang>.md` after a two-line front matter: the
/// one way tests of the load stage render Markdown.
#[cfg(test)]
pub(super) fn render_test_body(
    body: &str,
    lang: &str,
    unsafe_html: bool,
    targets: &LinkTargets,
) -> Result<Rendered, Vec<Diagnostic>> {
    let text: Arc<str> = Arc::from(format!("---\ntitle: t\n---\n{body}"));
    let src = BodySource {
        shown: Path::new("content/2022/a.zh.md"),
        file_text: &text,
        body,
        body_line: 4,
        year: 2022,
        stem: "a",
        lang,
    };
    render(&src, &options(unsafe_html), targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_body(body: &str, targets: &LinkTargets) -> Result<Rendered, Vec<Diagnostic>> {
        render_test_body(body, "zh", false, targets)
    }

    #[test]
    fn chinese_headings_get_stable_ids_matching_sections() {
        let r = render_body(
            "引言。\n\n## 一、加强党的领导，法治政府建设\n\n正文\n",
            &LinkTargets::default(),
        )
        .unwrap();
        assert_eq!(r.sections[1].id, "一加强党的领导法治政府建设");
        assert!(
            r.html.contains(r#"id="一加强党的领导法治政府建设""#),
            "{}",
            r.html
        );
        assert_eq!(r.sections[1].text, "正文");
        assert_eq!(r.first_paragraph, "引言。");
    }

    #[test]
    fn heading_permalink_is_named_in_the_reports_language_and_has_no_text() {
        let r = render_body("## 一、法律援助\n", &LinkTargets::default()).unwrap();
        assert!(
            r.html.contains(
                r##"<a href="#一法律援助" class="anchor" aria-label="本节链接：一、法律援助"></a></h2>"##
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn bold_lead_sentence_closes_before_chinese_text() {
        let r = render_body("**切实履行职责。**局党组书记\n", &LinkTargets::default()).unwrap();
        assert!(
            r.html.contains("<strong>切实履行职责。</strong>局党组书记"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let r = render_body(
            "<script>alert(1)</script>\n\nx <b>y</b>\n",
            &LinkTargets::default(),
        )
        .unwrap();
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<b>"));
    }

    #[test]
    fn raw_html_shown_as_text_is_searchable_text() {
        let r = render_body(
            "<b>粗体文字</b> 后文\n\n<div>块内文字</div>\n",
            &LinkTargets::default(),
        )
        .unwrap();
        assert!(r.html.contains("&lt;b&gt;粗体文字"), "{}", r.html);
        let text = &r.sections[0].text;
        assert!(text.contains("<b>粗体文字</b>"), "{text}");
        assert!(text.contains("<div>块内文字</div>"), "{text}");
    }

    #[test]
    fn table_cells_stay_apart_in_text() {
        let r = render_body(
            "| 甲 | 乙 |\n| --- | --- |\n| 一 | 二 |\n",
            &LinkTargets::default(),
        )
        .unwrap();
        assert!(r.html.contains("<table>"));
        assert!(r.sections[0].text.contains("甲 乙"), "{:?}", r.sections);
    }

    #[test]
    fn report_links_are_rewritten_or_reported() {
        let mut targets = LinkTargets {
            default_lang: "zh".into(),
            ..Default::default()
        };
        targets.reports.insert(ReportId::new(2021, "b", "zh"), 1);
        let r = render_body("[去年](../2021/b.md#x)\n", &targets).unwrap();
        assert!(
            r.html.contains(r#"href="../../../zh/2021/b/#x""#),
            "{}",
            r.html
        );
        let errs = render_body("\n[missing](../2021/c.en.md)\n", &targets).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (5, 1));
    }
}
