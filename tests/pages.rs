//! Behaviour of the built site (README, "A site"; ARCHITECTURE.md, "Pages and addresses"):
//! languages, switcher, alternates, metadata, relative links, sub-paths, drafts, determinism and
//! the all-or-nothing build.

mod common;

use std::collections::BTreeSet;

use common::{
    Files, TempSite, attr, build_fixture, build_ok, entries, fixture, folder_of, html_pages,
    main_of, read_tree, resolve, tag_name, tags, text,
};
use gongkai::BuildOptions;
use gongkai::links::broken_links;
use gongkai::urls::LinkStyle;

const BASE: &str = "https://www.example.gov.cn/reports/";
const LANGS: [(&str, &str); 2] = [("zh", "zh-CN"), ("en", "en")];

/// `zh/2022/justice-bureau/index.html` → (`zh`, `2022/justice-bureau/`).
fn split_lang(file: &str) -> Option<(&str, &str)> {
    let (lang, rest) = file.split_once('/')?;
    LANGS
        .iter()
        .any(|(l, _)| *l == lang)
        .then(|| (lang, folder_of(rest)))
}

fn html_lang(lang: &str) -> &'static str {
    LANGS
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, h)| *h)
        .expect("known language")
}

/// The `<link>`/`<meta>`/`<a>` tags of a page that satisfy `keep`.
fn tags_where(html: &str, keep: impl Fn(&str) -> bool) -> Vec<&str> {
    tags(html).into_iter().filter(|t| keep(t)).collect()
}

fn meta(html: &str, name: &str) -> Option<String> {
    let needle = format!("<meta name=\"{name}\" ");
    tags(html)
        .into_iter()
        .find(|t| t.starts_with(&needle))
        .and_then(|t| attr(t, "content"))
}

/// hreflang → href of the page's `<link rel="alternate" hreflang>` tags.
fn alternates(html: &str) -> Vec<(String, String)> {
    tags_where(html, |t| t.starts_with("<link rel=\"alternate\" hreflang="))
        .into_iter()
        .map(|t| (attr(t, "hreflang").unwrap(), attr(t, "href").unwrap()))
        .collect()
}

fn canonical(html: &str) -> String {
    let links = tags_where(html, |t| t.starts_with("<link rel=\"canonical\""));
    assert_eq!(links.len(), 1, "one canonical link");
    attr(links[0], "href").unwrap()
}

/// True for "not translated" pages (they are `noindex`).
fn is_not_translated(html: &str) -> bool {
    html.contains("<meta name=\"robots\" content=\"noindex\">")
}

#[test]
fn every_page_declares_its_language() {
    let files = build_fixture("basic");
    for (file, html) in html_pages(&files) {
        let want = match split_lang(file) {
            Some((lang, _)) => html_lang(lang),
            None => "zh-CN", // chooser and 404: the default language
        };
        assert!(
            html.contains(&format!("<html lang=\"{want}\">")),
            "{file} lacks lang={want}"
        );
    }
}

#[test]
fn language_switcher_leads_to_the_same_page_in_the_other_language() {
    let files = build_fixture("basic");
    let mut checked = 0;
    for (file, html) in html_pages(&files) {
        let Some((lang, rest)) = split_lang(file) else {
            continue;
        };
        let nav_start = html
            .find("<nav class=\"lang-switch\"")
            .unwrap_or_else(|| panic!("{file}: no switcher"));
        let nav = &html[nav_start..nav_start + html[nav_start..].find("</nav>").unwrap()];
        for (other, other_html) in LANGS.iter().filter(|(l, _)| *l != lang) {
            let link = tags(nav)
                .into_iter()
                .find(|t| {
                    t.starts_with("<a ") && attr(t, "hreflang").as_deref() == Some(other_html)
                })
                .unwrap_or_else(|| panic!("{file}: no switcher link to {other}"));
            let target = resolve(file, &attr(link, "href").unwrap()).unwrap();
            assert_eq!(
                target,
                format!("{other}/{rest}index.html"),
                "{file}: switcher"
            );
            assert!(
                files.contains_key(&target),
                "{file}: switcher leads to missing {target}"
            );
            checked += 1;
        }
        assert!(
            nav.contains(&format!(
                "<span aria-current=\"true\" lang=\"{}\">",
                html_lang(lang)
            )),
            "{file}"
        );
    }
    assert!(checked >= 30, "only {checked} switchers checked");
}

#[test]
fn missing_translation_gets_a_page_linking_the_version_that_exists() {
    let files = build_fixture("basic");
    // content/2022/market-regulation.zh.md has no English version.
    let page = text(&files, "en/2022/market-regulation/index.html");
    assert!(is_not_translated(page), "noindex");
    let main = main_of(page);
    assert!(main.contains("<h1>Not available in English</h1>"), "{main}");
    assert!(main.contains(
        r#"<a href="../../../zh/2022/market-regulation/" hreflang="zh-CN" lang="zh-CN">示例区市场监督管理局2022年度报告</a>"#
    ));
    assert_eq!(
        alternates(page),
        [
            (
                "zh-CN".to_string(),
                format!("{BASE}zh/2022/market-regulation/")
            ),
            (
                "x-default".to_string(),
                format!("{BASE}zh/2022/market-regulation/")
            ),
        ],
        "a page that is not a translation is no hreflang alternate"
    );
    let sitemap = text(&files, "sitemap.xml");
    assert!(!sitemap.contains(&format!("<loc>{BASE}en/2022/market-regulation/</loc>")));
    assert!(sitemap.contains(&format!("<loc>{BASE}zh/2022/market-regulation/</loc>")));
    // A file without a language suffix is in the default language.
    assert!(!is_not_translated(text(
        &files,
        "zh/2021/market-regulation/index.html"
    )));
    assert!(is_not_translated(text(
        &files,
        "en/2021/market-regulation/index.html"
    )));
}

#[test]
fn every_page_has_canonical_link_and_hreflang_alternates() {
    let files = build_fixture("basic");
    for (file, html) in html_pages(&files) {
        if file == "404.html" {
            assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
            continue;
        }
        let alts = alternates(html);
        match split_lang(file) {
            Some((lang, rest)) => {
                assert_eq!(canonical(html), format!("{BASE}{lang}/{rest}"), "{file}");
                if is_not_translated(html) {
                    continue;
                }
                let mut want: Vec<(String, String)> = LANGS
                    .iter()
                    .map(|(l, h)| (h.to_string(), format!("{BASE}{l}/{rest}")))
                    .collect();
                let x_default = if rest.is_empty() {
                    BASE.to_string()
                } else {
                    format!("{BASE}zh/{rest}")
                };
                if files
                    .get(&format!("zh/{rest}index.html"))
                    .is_some_and(|b| is_not_translated(&String::from_utf8_lossy(b)))
                {
                    continue; // checked in missing_translation_gets_a_page_linking_the_version_that_exists
                }
                if files
                    .get(&format!("en/{rest}index.html"))
                    .is_some_and(|b| is_not_translated(&String::from_utf8_lossy(b)))
                {
                    want.retain(|(h, _)| h != "en");
                }
                want.push(("x-default".into(), x_default));
                assert_eq!(alts, want, "{file}");
            }
            None => {
                assert_eq!(file, "index.html");
                assert_eq!(canonical(html), BASE);
            }
        }
    }
}

/// Regression: the chooser declared itself as the zh-CN and the en version of the site.
#[test]
fn chooser_alternates_are_the_homes_and_it_is_their_x_default() {
    let files = build_fixture("basic");
    let chooser = text(&files, "index.html");
    let want = [
        ("zh-CN".to_string(), format!("{BASE}zh/")),
        ("en".to_string(), format!("{BASE}en/")),
        ("x-default".to_string(), BASE.to_string()),
    ];
    assert_eq!(alternates(chooser), want);
    assert_eq!(alternates(text(&files, "zh/index.html")), want);
    assert_eq!(alternates(text(&files, "en/index.html")), want);
    let main = main_of(chooser);
    assert!(
        main.contains(r#"<a class="button" href="zh/" hreflang="zh-CN">进入中文版</a>"#),
        "{main}"
    );
    assert!(
        main.contains(r#"<a class="button" href="en/" hreflang="en">Enter the English site</a>"#)
    );
}

#[test]
fn every_page_carries_government_metadata() {
    let names = [
        "SiteName",
        "SiteDomain",
        "ColumnName",
        "ColumnType",
        "ArticleTitle",
        "ContentSource",
        "Keywords",
        "Author",
        "Description",
        "Url",
        "SiteIDCode",
    ];
    let files = build_fixture("basic");
    for (file, html) in html_pages(&files) {
        if file == "404.html" {
            continue;
        }
        for name in names {
            let value = meta(html, name);
            assert!(
                value.is_some_and(|v| !v.is_empty()),
                "{file} lacks <meta name=\"{name}\"> or has it empty"
            );
        }
        // Dated by the newest report a page lists, or not at all: never empty.
        if let Some(date) = meta(html, "PubDate") {
            assert_eq!(date.len(), "2023-03-28".len(), "{file}: PubDate {date:?}");
        }
        let descriptions = tags(html)
            .into_iter()
            .filter(|t| {
                t.to_ascii_lowercase()
                    .starts_with("<meta name=\"description\"")
            })
            .count();
        assert_eq!(descriptions, 1, "{file}: one description meta");
        assert_eq!(meta(html, "Url").unwrap(), canonical(html), "{file}");
        assert_eq!(
            meta(html, "SiteDomain").unwrap(),
            "www.example.gov.cn",
            "{file}"
        );
        let site_name = if file.starts_with("en/") {
            "Example District Rule-of-Law Reports"
        } else {
            "示例区法治政府建设年度报告"
        };
        assert_eq!(meta(html, "SiteName").unwrap(), site_name, "{file}");
        assert!(!meta(html, "ColumnName").unwrap().is_empty(), "{file}");
        assert!(!meta(html, "Description").unwrap().is_empty(), "{file}");
    }
    assert_eq!(meta(text(&files, "zh/search/index.html"), "PubDate"), None);
    // Only pages that list reports are dated: an index of departments changes with none of
    // their dates, and the preview re-renders it only when its counts change.
    for list in [
        "zh/index.html",
        "zh/themes/legal-aid/index.html",
        "zh/2022/index.html",
    ] {
        assert!(meta(text(&files, list), "PubDate").is_some(), "{list}");
    }
    for index in [
        "index.html",
        "zh/themes/index.html",
        "zh/departments/index.html",
    ] {
        assert_eq!(meta(text(&files, index), "PubDate"), None, "{index}");
    }
    assert_eq!(
        meta(text(&files, "zh/2022/index.html"), "Keywords").unwrap(),
        "2022年度报告,示例区法治政府建设年度报告"
    );
    assert_eq!(
        meta(text(&files, "zh/index.html"), "Author").unwrap(),
        "示例区人民政府办公室"
    );
    let report = text(&files, "zh/2022/justice-bureau/index.html");
    assert_eq!(meta(report, "Author").unwrap(), "示例区司法局");
    assert_eq!(meta(report, "SiteIDCode").unwrap(), "1100000001");
    assert_eq!(
        meta(report, "ArticleTitle").unwrap(),
        "示例区司法局2022年度法治政府建设情况报告"
    );
    assert_eq!(meta(report, "PubDate").unwrap(), "2023-03-28");
    assert_eq!(meta(report, "ContentSource").unwrap(), "示例区司法局");
    assert_eq!(
        meta(report, "Keywords").unwrap(),
        "示例区司法局,法治政府建设,法律援助"
    );
    assert_eq!(
        meta(report, "Description").unwrap(),
        "2022年度法治政府建设情况及2023年工作计划。"
    );
    assert_eq!(meta(report, "ColumnName").unwrap(), "2022年度报告");
    let en = text(&files, "en/2022/justice-bureau/index.html");
    assert_eq!(
        meta(en, "ContentSource").unwrap(),
        "Example District Justice Bureau"
    );
    assert_eq!(meta(en, "ColumnType").unwrap(), "Annual report");
}

/// Regression: the home page's description repeated the site title twice.
#[test]
fn home_description_says_the_site_title_once() {
    let files = build_fixture("basic");
    assert_eq!(
        meta(text(&files, "zh/index.html"), "Description").unwrap(),
        "示例区法治政府建设年度报告"
    );
    assert_eq!(
        meta(text(&files, "en/2021/index.html"), "Description").unwrap(),
        "Reports for 2021 — Example District Rule-of-Law Reports"
    );
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let files = build_fixture("basic");
    let is_remote = |url: &str| url.contains(':') || url.starts_with("//");
    for (file, html) in html_pages(&files) {
        for tag in tags(html) {
            let Some(name) = tag_name(tag) else { continue };
            if let Some(src) = attr(tag, "src") {
                assert!(!is_remote(&src), "{file}: {tag}");
            }
            assert!(
                !["script", "iframe", "object", "embed"].contains(&name.as_str())
                    || attr(tag, "src").is_none_or(|s| !is_remote(&s)),
                "{file}: {tag}"
            );
            if name == "link" {
                let href = attr(tag, "href").unwrap_or_default();
                let rel = attr(tag, "rel").unwrap_or_default();
                let feed = attr(tag, "type").as_deref() == Some("application/atom+xml");
                assert!(
                    !is_remote(&href) || ((rel == "canonical" || rel == "alternate") && !feed),
                    "{file}: only canonical and hreflang links may name the live host: {tag}"
                );
            }
        }
        assert!(
            !html.contains("src=\"http") && !html.contains("src=\"//"),
            "{file}"
        );
    }
    for (file, bytes) in files.iter().filter(|(f, _)| f.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        assert!(
            !css.contains("@import") && !css.contains("url(http") && !css.contains("url(//"),
            "{file}"
        );
    }
}

#[test]
fn internal_links_are_relative_except_on_the_404_page() {
    let files = build_fixture("basic");
    for (file, html) in html_pages(&files) {
        let absolute_path = ["href=\"/", "src=\"/", "action=\"/"]
            .iter()
            .any(|a| html.contains(a));
        if file == "404.html" {
            // Served at any address: its links are absolute paths under base_url's path.
            assert!(
                html.contains(r#"<a href="/reports/zh/">首页</a>"#),
                "{html}"
            );
            let css = files
                .keys()
                .find(|f| f.starts_with("static/style.") && f.ends_with(".css"))
                .expect("the stylesheet");
            let link = format!(r#"<link rel="stylesheet" href="/reports/{css}">"#);
            assert!(html.contains(&link), "{html}");
        } else {
            assert!(!absolute_path, "{file} has an absolute-path link");
        }
    }
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let opts = BuildOptions {
        base_url: Some("https://www.example.org/a/b/c/".into()),
        no_cache: true,
        ..BuildOptions::new(fixture("basic"))
    };
    let files = build_ok(&opts);
    let (checked, broken) = broken_links(&files);
    assert!(broken.is_empty(), "{broken:?}");
    assert!(checked > 300, "only {checked} links checked");
    let not_found = text(&files, "404.html");
    assert!(
        not_found.contains(r#"<a href="/a/b/c/zh/">首页</a>"#),
        "{not_found}"
    );
    assert_eq!(
        canonical(text(&files, "zh/index.html")),
        "https://www.example.org/a/b/c/zh/"
    );
}

#[test]
fn link_checker_finds_a_missing_page() {
    // The check above is only worth something if a missing page is noticed.
    let mut files = build_fixture("basic");
    files.remove("zh/2021/index.html");
    let (_, broken) = broken_links(&files);
    assert!(
        broken
            .iter()
            .any(|b| b.file == "zh/2021/justice-bureau/index.html"),
        "{broken:?}"
    );
}

#[test]
fn index_html_links_name_files_so_the_site_browses_from_disk() {
    let opts = BuildOptions {
        link_style: LinkStyle::IndexHtml,
        no_cache: true,
        ..BuildOptions::new(fixture("basic"))
    };
    let files = build_ok(&opts);
    let (checked, broken) = broken_links(&files);
    assert!(broken.is_empty() && checked > 300, "{broken:?}");
    for (file, html) in html_pages(&files) {
        if file == "404.html" {
            continue;
        }
        for tag in tags(html) {
            let Some(href) = attr(tag, "href").or_else(|| attr(tag, "src")) else {
                continue;
            };
            if resolve(file, &href).is_some() {
                let path = href.split('#').next().unwrap();
                assert!(!path.ends_with('/'), "{file}: `{href}` names a folder");
            }
        }
    }
    let report = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        report.contains(r#"<a href="../../../zh/2021/justice-bureau/index.html">上一年度报告</a>"#),
        "{report}"
    );
}

#[test]
fn links_between_reports_are_rewritten_to_pages() {
    let files = build_fixture("basic");
    let zh = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(
        zh.contains(r#"<a href="../../../zh/2021/justice-bureau/">上一年度报告</a>"#),
        "{zh}"
    );
    let en = main_of(text(&files, "en/2022/justice-bureau/index.html"));
    assert!(
        en.contains(r#"<a href="../../../en/2021/justice-bureau/">the previous year's report</a>"#),
        "{en}"
    );
    assert!(!zh.contains(".md\"") && !en.contains(".md\""));
}

#[test]
fn drafts_are_left_out_by_default() {
    let files = build_fixture("basic");
    assert!(
        !files.keys().any(|f| f.contains("2022/finance-bureau")),
        "draft page built"
    );
    for (file, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("草稿"), "{file} mentions the draft");
    }
    let department = main_of(text(&files, "zh/departments/finance-bureau/index.html"));
    assert!(department.contains("<p>暂无报告。</p>"), "{department}");
}

#[test]
fn drafts_are_included_when_asked() {
    let opts = BuildOptions {
        drafts: true,
        no_cache: true,
        ..BuildOptions::new(fixture("basic"))
    };
    let files = build_ok(&opts);
    let page = text(&files, "zh/2022/finance-bureau/index.html");
    assert!(page.contains("<h1>示例区财政局2022年度报告（草稿）</h1>"));
    assert!(text(&files, "zh/2022/index.html").contains("../../zh/2022/finance-bureau/"));
    assert!(text(&files, "zh/feed.xml").contains("zh/2022/finance-bureau/"));
    assert!(text(&files, "sitemap.xml").contains("zh/2022/finance-bureau/"));
    assert!(
        !main_of(text(&files, "zh/departments/finance-bureau/index.html")).contains("暂无报告")
    );
}

#[test]
fn superseded_reports_are_archived_and_link_the_newest() {
    let files = build_fixture("basic");
    let old = main_of(text(&files, "zh/2021/justice-bureau/index.html"));
    assert!(old.contains("archived-notice"), "{old}");
    assert!(old.contains(r#"<a href="../../../zh/2022/justice-bureau/">示例区司法局2022年度法治政府建设情况报告</a>"#), "{old}");
    let new = main_of(text(&files, "zh/2022/justice-bureau/index.html"));
    assert!(!new.contains("archived-notice"));
    assert!(main_of(text(&files, "en/2021/index.html")).contains("archived-notice"));
    assert!(!main_of(text(&files, "en/2022/index.html")).contains("archived-notice"));
}

#[test]
fn revisions_are_shown_newest_first_and_update_the_feed() {
    let files = build_fixture("basic");
    let page = main_of(text(&files, "en/2022/justice-bureau/index.html"));
    let newer = page
        .find("Added the legal aid table")
        .expect("newer revision");
    let older = page
        .find("Corrected a figure in part 1")
        .expect("older revision");
    assert!(newer < older, "newest first");
    assert!(
        page.contains(r#"Last revised <time datetime="2023-05-06">2023-05-06</time>"#),
        "{page}"
    );
    let feed = text(&files, "en/feed.xml");
    assert!(feed.contains("<updated>2023-05-06T00:00:00Z</updated>"));
    assert!(text(&files, "sitemap.xml").contains("<lastmod>2023-05-06</lastmod>"));
}

/// Regression: reports listed on a page of another language had no `lang`, so screen readers
/// read Chinese titles with an English voice (WCAG 3.1.2).
#[test]
fn listed_report_in_another_language_is_marked_with_its_language() {
    let files = build_fixture("basic");
    let year = main_of(text(&files, "en/2021/index.html"));
    assert!(
        year.contains(r#"<a href="../../zh/2021/market-regulation/" hreflang="zh-CN" lang="zh-CN">示例区市场监督管理局2021年度报告</a> <span class="badge">中文 only</span>"#),
        "{year}"
    );
    assert!(
        year.contains(r#"<p class="summary" lang="zh-CN">2021年"#),
        "{year}"
    );
    let same = main_of(text(&files, "zh/2021/index.html"));
    assert!(
        !same.contains("lang=\""),
        "no lang on reports in the page's language: {same}"
    );
}

/// Regression: a Markdown heading "Revisions" got the id `revisions`, which the report
/// template also gave its corrections heading.
#[test]
fn ids_are_unique_on_every_page() {
    let site = TempSite::copy_of("basic");
    site.replace(
        "content/2022/justice-bureau.en.md",
        "## 2. Legal aid",
        "## Revisions\n\nNone.\n\n## Figures\n\nSee below.\n\n## Contents\n\n## TOC\n\n## 2. Legal aid",
    );
    let files = site.build();
    let mut all = vec![files];
    all.push(build_fixture("hostile"));
    for files in &all {
        for (file, html) in html_pages(files) {
            let mut seen = BTreeSet::new();
            for tag in tags(html) {
                if let Some(id) = attr(tag, "id") {
                    assert!(seen.insert(id.clone()), "{file}: id `{id}` used twice");
                }
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    // The repository's fixture: no build cache is written into it.
    let opts = BuildOptions {
        no_cache: true,
        ..BuildOptions::new(fixture("basic"))
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    gongkai::build(&opts, &a, &|_| {}, &|| {}).unwrap();
    gongkai::build(&opts, &b, &|_| {}, &|| {}).unwrap();
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 30);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
    // The in-memory build is the same site; the folder also holds the marker that makes it
    // gongkai's to replace (README, "Deploying `public/`").
    let memory: Files = build_fixture("basic");
    let mut ta = ta;
    assert!(ta.remove(gongkai::output::MARKER).is_some());
    assert_eq!(memory, ta);
}

#[test]
fn failed_build_leaves_public_as_it_was() {
    let site = TempSite::copy_of("basic");
    let public = site.path("public");
    gongkai::build(&site.options(), &public, &|_| {}, &|| {}).unwrap();
    let before = read_tree(&public);
    let root_before = entries(site.root());
    assert_eq!(root_before, ["content", "public", "site.yaml"]);

    site.write(
        "content/2022/broken.zh.md",
        "---\ntitle: x\ndepartment: nowhere\ndate: 2023-01-01\n---\n",
    );
    site.replace("content/2022/justice-bureau.zh.md", "231件", "232件");
    let err = gongkai::build(&site.options(), &public, &|_| {}, &|| {}).unwrap_err();
    assert!(
        err.to_string().contains("unknown department `nowhere`"),
        "{err}"
    );

    assert_eq!(
        read_tree(&public),
        before,
        "public/ changed by a failed build"
    );
    assert_eq!(
        entries(site.root()),
        root_before,
        "staging folder left behind"
    );
}

#[test]
fn failed_render_leaves_public_as_it_was() {
    // A template error only shows while rendering pages, after staging has begun.
    let site = TempSite::copy_of("basic");
    let public = site.path("public");
    gongkai::build(&site.options(), &public, &|_| {}, &|| {}).unwrap();
    let before = read_tree(&public);
    site.write(
        "templates/year.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.x }}{% endblock %}",
    );
    assert!(gongkai::build(&site.options(), &public, &|_| {}, &|| {}).is_err());
    assert_eq!(read_tree(&public), before);
    assert_eq!(
        entries(site.root()),
        ["content", "public", "site.yaml", "templates"]
    );
}

#[test]
fn build_writes_nothing_outside_out() {
    let site = TempSite::copy_of("basic");
    let before = read_tree(site.root());
    let elsewhere = site.parent().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = elsewhere.join("out");
    gongkai::build(&site.options(), &out, &|_| {}, &|| {}).unwrap();
    // In the site folder, only the build cache is new (README "Rebuilding").
    let mut now = read_tree(site.root());
    let cache: Vec<String> = (now.keys())
        .filter(|p| p.starts_with(".gongkai/"))
        .cloned()
        .collect();
    let (files, parts) = cache.split_at(2);
    assert_eq!(files, [".gongkai/.gitignore", ".gongkai/build.cache"]);
    assert_eq!(
        parts.len(),
        1,
        "the report files' loads in one part: {parts:?}"
    );
    let hash = parts[0].strip_prefix(".gongkai/loads-").unwrap_or_default();
    assert!(gongkai::hash::is_sha256_hex(hash), "{parts:?}");
    now.retain(|p, _| !p.starts_with(".gongkai/"));
    let changed: Vec<&String> = (now.keys().chain(before.keys()))
        .filter(|p| now.get(*p) != before.get(*p))
        .collect();
    assert!(changed.is_empty(), "the site folder changed: {changed:?}");
    assert_eq!(entries(&elsewhere), ["out"]);
    assert_eq!(entries(site.parent()), ["elsewhere", "site"]);
    // A rebuild swaps the folder and removes the previous one.
    gongkai::build(&site.options(), &out, &|_| {}, &|| {}).unwrap();
    assert_eq!(entries(&elsewhere), ["out"]);
    let mut written = read_tree(&out);
    assert!(written.remove(gongkai::output::MARKER).is_some());
    assert_eq!(written, build_fixture("basic"));
}
