//! Hostile text in site.yaml and reports reaches every page, feed and the sitemap as text, never
//! as markup. Checks are parse-free: a tiny tag scanner tells markup from escaped text.

mod common;

use common::{Files, TempSite, attr, build_fixture, main_of, tag_name, tag_skeleton, tags, text};

const EVENT_HANDLERS: [&str; 3] = ["onerror", "onclick", "onmouseover"];

fn text_files(files: &Files) -> impl Iterator<Item = (&str, &str)> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".txt"))
        .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).expect("UTF-8")))
}

/// Every way hostile text could have become markup in one file.
fn assert_inert(file: &str, content: &str) {
    assert!(
        !content.contains("<script>alert"),
        "{file}: raw <script>alert"
    );
    assert!(!content.contains("<img src=x"), "{file}: raw <img src=x");
    for tag in tags(content) {
        let skeleton = tag_skeleton(tag).to_ascii_lowercase();
        for handler in EVENT_HANDLERS {
            assert!(
                !skeleton.contains(handler),
                "{file}: `{handler}` inside a tag: {tag}"
            );
        }
        if let Some(name) = tag_name(tag) {
            // The only scripts are the theme's own: the search client on the search page, the
            // reading aids (README "Reading aids") on every page.
            let src = attr(tag, "src");
            let theme_script = name == "script"
                && (src
                    .as_deref()
                    .is_some_and(|s| s.contains("static/reading.") && s.ends_with(".js"))
                    || (file.ends_with("search/index.html")
                        && src
                            .as_deref()
                            .is_some_and(|s| s.contains("static/search.") && s.ends_with(".js"))));
            assert!(
                theme_script || !["script", "iframe", "object", "embed"].contains(&name.as_str()),
                "{file}: {tag}"
            );
            // Besides the page's own, titles name the department pages' SVG charts.
            let chart_title = tag.starts_with("<title id=\"chart-") && tag.ends_with("-title\">");
            assert!(
                name != "title" || tag == "<title>" || chart_title,
                "{file}: {tag}"
            );
        }
        for a in ["href", "src", "action"] {
            let value = attr(tag, a).unwrap_or_default().to_ascii_lowercase();
            assert!(
                !value.trim_start().starts_with("javascript:") && !value.starts_with("data:"),
                "{file}: {tag}"
            );
        }
    }
}

#[test]
fn hostile_text_never_becomes_markup_in_any_file() {
    let files = build_fixture("hostile");
    let mut checked = 0;
    for (file, content) in text_files(&files) {
        assert_inert(file, content);
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn every_page_has_exactly_one_title_element() {
    let files = build_fixture("hostile");
    for (file, content) in text_files(&files).filter(|(f, _)| f.ends_with(".html")) {
        let content = &without_svg(content);
        assert_eq!(content.matches("<title>").count(), 1, "{file}");
        assert_eq!(
            content.matches("</title>").count(),
            1,
            "{file}: `</title>` in text closed the title"
        );
    }
}

/// The page without its inline SVG charts, whose `<title>`s are the charts' own.
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</svg>")
            .map_or(rest.len(), |e| start + e + "</svg>".len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn chart_labels_reach_the_svg_escaped() {
    let files = build_fixture("hostile");
    let en = text(&files, "en/departments/justice-bureau/index.html");
    assert!(
        en.contains(r#"<title id="chart-legal-opinions-title">Opinions &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; (=cmd|&#39; /C calc&#39;!A0 &lt;/title&gt;)</title>"#),
        "{en}"
    );
    let zh = text(&files, "zh/departments/justice-bureau/index.html");
    assert!(
        zh.contains(r#">意见&quot;&gt;&lt;img src=x onerror=alert(1)&gt;（&lt;b&gt;件&lt;/b&gt;&quot;）</text>"#),
        "{zh}"
    );
}

#[test]
fn hostile_text_reaches_pages_escaped() {
    let files = build_fixture("hostile");
    let zh = text(&files, "zh/2022/justice-bureau/index.html");
    // Title element, heading and metadata attribute.
    assert!(zh.contains("<title>标题&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot; ]]&gt; &lt;/title&gt; | "), "{zh}");
    assert!(zh.contains("<h1>标题&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot; ]]&gt; &lt;/title&gt;</h1>"));
    assert!(zh.contains(r#"<meta name="Description" content="摘要&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; ]]&gt; &lt;/title&gt;">"#));
    // Labels from site.yaml: site title, department, theme, figure.
    assert!(zh.contains(r#"<a class="site-title" href="../../../zh/">&lt;script&gt;alert(1)&lt;/script&gt;公开 &amp; &quot;引号&quot; &lt;/title&gt;</a>"#));
    assert!(zh.contains("司法局&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>"));
    assert!(zh.contains("法治&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>"));
    assert!(
        zh.contains(r#"<th scope="row">意见&quot;&gt;&lt;img src=x onerror=alert(1)&gt;（&lt;b&gt;件&lt;/b&gt;&quot;）</th>"#)
    );
    // Revision note.
    assert!(zh.contains("更正&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;]]&gt;</li>"));
    // Single quotes in attribute-bound text.
    let en = text(&files, "en/2022/justice-bureau/index.html");
    assert!(
        en.contains("Justice &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;Co&#39; ]]&gt;</a>"),
        "{en}"
    );
    // Index pages list the report with its escaped title and summary.
    let year = main_of(text(&files, "zh/2022/index.html"));
    assert!(
        year.contains("标题&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{year}"
    );
    assert!(year.contains("摘要&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn feeds_and_sitemap_stay_well_formed() {
    let files = build_fixture("hostile");
    for feed in ["zh/feed.xml", "en/feed.xml"] {
        let xml = text(&files, feed);
        assert!(!xml.contains("]]>"), "{feed}: `]]>` unescaped");
        assert_eq!(
            xml.matches("<title>").count(),
            xml.matches("</title>").count(),
            "{feed}"
        );
        assert_eq!(
            xml.matches("<title>").count(),
            2,
            "{feed}: feed title and one entry"
        );
        assert_inert(feed, xml);
    }
    let zh = text(&files, "zh/feed.xml");
    assert!(zh.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;公开 &amp; &quot;引号&quot; &lt;/title&gt;</title>"), "{zh}");
    assert!(zh.contains("<summary>摘要&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; ]]&gt; &lt;/title&gt;</summary>"));
    assert!(zh.contains(
        "<author><name>司法局&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</name></author>"
    ));
    let en = text(&files, "en/feed.xml");
    assert!(en.contains("<title>Reports &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; ]]&gt; &lt;/title&gt;</title>"), "{en}");
    let sitemap = text(&files, "sitemap.xml");
    assert!(!sitemap.contains("]]>") && !sitemap.contains("<script"));
    assert_eq!(
        sitemap.matches("<url>").count(),
        sitemap.matches("</url>").count()
    );
}

#[test]
fn dangerous_links_in_markdown_are_dropped() {
    let files = build_fixture("hostile");
    let body = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    for bad in ["javascript:", "JaVaScRiPt:", "data:text/html"] {
        assert!(!body.contains(&format!("href=\"{bad}")), "{bad}: {body}");
        assert!(!body.contains(&format!("src=\"{bad}")), "{bad}: {body}");
    }
    // The links stay as text; only their targets are gone.
    assert!(body.contains(r#"<a href="">脚本链接</a>"#), "{body}");
    // A quote in a URL cannot end the attribute.
    assert!(
        body.contains(r#"<a href="https://example.org/%22onmouseover=%22alert(1)">带引号</a>"#),
        "{body}"
    );
}

#[test]
fn raw_html_in_markdown_is_shown_as_text_by_default() {
    let files = build_fixture("hostile");
    let body = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        body.contains("<p>正文&lt;script&gt;alert(1)&lt;/script&gt;原始HTML。</p>"),
        "{body}"
    );
    assert!(
        body.contains("&lt;div onclick=&quot;alert(1)&quot;&gt;&lt;b&gt;raw&lt;/b&gt;&lt;/div&gt;"),
        "{body}"
    );
    assert!(!body.contains("<b>raw</b>"));
    assert!(body.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"));
}

#[test]
fn raw_html_in_markdown_is_kept_with_unsafe_html() {
    let site = TempSite::copy_of("hostile");
    site.write(
        "site.yaml",
        format!(
            "{}markdown: {{ unsafe_html: true }}\n",
            site.read("site.yaml")
        ),
    );
    let files = site.build();
    let body = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        body.contains(r#"<div onclick="alert(1)"><b>raw</b></div>"#),
        "{body}"
    );
    assert!(
        body.contains("正文<script>alert(1)</script>原始HTML"),
        "{body}"
    );
    // Only the Markdown body is trusted: labels and front matter are still escaped.
    let page = text(&files, "zh/2022/justice-bureau/index.html");
    let outside = page.replace(body, "");
    assert_inert("zh/2022/justice-bureau/index.html outside <main>", &outside);
    assert!(page.contains("<h1>标题&lt;script&gt;alert(1)&lt;/script&gt;"));
    for feed in ["zh/feed.xml", "en/feed.xml", "sitemap.xml"] {
        assert_inert(feed, text(&files, feed));
    }
}
