//! The load stage's, the link checker's and the theme's messages in the editor's language: each
//! representative problem, run through `gongkai check` under a Chinese locale, is printed once
//! in Chinese from the catalogue at its file, line and column; with `--lang en` the same problem
//! reads in English at the same place (README "Messages in your language").

mod common;

use common::{TempSite, gongkai, run_cmd};
use gongkai::messages::{Messages, Msg, UiLang};

/// A problem written into a copy of the `basic` site, and where and how it must be reported.
struct Case {
    name: &'static str,
    setup: fn(&TempSite),
    /// The end of the path (some are printed in full) and `:line:col`.
    place: &'static str,
    message: Msg,
    /// The hint, when the case has one worth pinning.
    hint: Option<Msg>,
}

const REPORT: &str = "content/2022/justice-bureau.zh.md";

/// Adds `text` as a paragraph at the end of the seed report's body.
fn append(site: &TempSite, text: &str) {
    let body = site.read(REPORT);
    site.write(REPORT, format!("{body}\n{text}\n"));
}

/// The line of the seed report a paragraph appended by [`append`] lands on.
fn appended_line(site: &TempSite) -> usize {
    site.read(REPORT).lines().count() + 2
}

/// The part of a catalogue text before a placeholder whose value comes from a library (an
/// `io::Error`, minijinja): what must be printed as is.
const FROM_A_LIBRARY: &str = "\u{1}";

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        // content/discover.rs
        Case {
            name: "report outside a year folder",
            setup: |s| { s.write("content/20x2/case.zh.md", s.read(REPORT)); },
            place: "content/20x2/case.zh.md:1:1",
            message: Msg::new("content.misplaced"),
            hint: Some(Msg::new("content.not_a_year").arg("folder", "20x2")),
        },
        Case {
            name: "the same report twice",
            setup: |s| { s.write("content/2022/finance-bureau.md", s.read("content/2022/finance-bureau.zh.md")); },
            place: "content/2022/finance-bureau.zh.md:1:1",
            message: Msg::new("content.duplicate")
                .arg("first", "content/2022/finance-bureau.md")
                .arg("year", 2022)
                .arg("stem", "finance-bureau")
                .arg("lang", "zh"),
            hint: Some(Msg::new("content.duplicate_hint")),
        },
        // content/figures.rs
        Case {
            name: "figure too large",
            setup: |s| { s.replace(REPORT, "legal-opinions: 231", "legal-opinions: 1e300"); },
            place: "content/2022/justice-bureau.zh.md:10:19",
            message: Msg::new("content.figure_too_large")
                .arg("key", "legal-opinions")
                .arg("value", "1e300"),
            hint: Some(Msg::new("content.figure_too_large_hint")),
        },
        // content/markdown.rs
        Case {
            name: "link to a report file that is not there",
            setup: |s| { s.replace(REPORT, "(../2021/justice-bureau.zh.md)", "(../2020/justice-bureau.zh.md)"); },
            place: "content/2022/justice-bureau.zh.md:16:",
            message: Msg::new("links.not_a_report").arg("path", "../2020/justice-bureau.zh.md"),
            hint: Some(Msg::new("links.not_a_report_hint")),
        },
        Case {
            name: "link to a draft",
            // finance-bureau is a draft in the fixture.
            setup: |s| append(s, "见[财政局报告](finance-bureau.zh.md)。"),
            place: "content/2022/justice-bureau.zh.md:",
            message: Msg::new("links.to_draft").arg("link", "finance-bureau.zh.md"),
            hint: Some(Msg::new("links.to_draft_hint")),
        },
        // links/body.rs, content/store/links.rs
        Case {
            name: "link to no page",
            setup: |s| append(s, "见[别处](../../nowhere/)。"),
            place: "content/2022/justice-bureau.zh.md:",
            message: Msg::new("links.nothing_there").arg("path", "../../nowhere/"),
            hint: Some(Msg::new("links.nothing_there_hint")),
        },
        Case {
            name: "link to a heading the report does not have",
            setup: |s| append(s, "见[第九部分](#九、其他)。"),
            place: "content/2022/justice-bureau.zh.md:",
            message: Msg::new("links.no_heading").arg("fragment", "九、其他"),
            hint: Some(Msg::new("links.no_heading_hint")),
        },
        // cmd/check.rs: raw HTML's links, checked in the rendered pages
        Case {
            name: "raw HTML link to no page",
            setup: |s| {
                let config = s.read("site.yaml");
                s.write("site.yaml", format!("{config}markdown: {{ unsafe_html: true }}\n"));
                append(s, "<a href=\"gone/\">旧页面</a>");
            },
            place: "content/2022/justice-bureau.zh.md:",
            message: Msg::new("links.broken").arg("href", "gone/"),
            hint: Some(Msg::new("links.broken_hint")),
        },
        // render/theme.rs
        Case {
            name: "theme folder missing",
            setup: |s| { s.replace("site.yaml", "theme: default", "theme: official"); },
            place: "site.yaml:1:1",
            message: Msg::new("theme.not_found").arg("theme", "official"),
            hint: None,
        },
        Case {
            name: "UI strings with a full-width colon",
            setup: |s| { s.write("i18n/zh.yaml", "search: 搜索\nlang_name：中文\n"); },
            place: "i18n/zh.yaml:2:10",
            message: Msg::new("yaml.full_width_colon").arg("key", "lang_name"),
            hint: Some(Msg::new("yaml.full_width_colon_hint").arg("key", "lang_name")),
        },
        Case {
            name: "UI strings that are not UTF-8 (read as empty before)",
            setup: |s| { s.write("i18n/zh.yaml", b"search: \xcb\xd1\xcb\xf7\n"); },
            place: "i18n/zh.yaml:1:1",
            message: Msg::new("theme.cannot_read").arg("error", FROM_A_LIBRARY),
            hint: None,
        },
        Case {
            name: "template that is not UTF-8",
            setup: |s| { s.write("templates/404.html", b"<p>\xff</p>"); },
            place: "templates/404.html:1:1",
            message: Msg::new("theme.cannot_read_template").arg("error", FROM_A_LIBRARY),
            hint: None,
        },
        // render/mod.rs
        Case {
            name: "template that does not compile",
            setup: |s| { s.write("templates/404.html", "<p>\n{% if %}\n</p>\n"); },
            place: "templates/404.html:2:1",
            message: Msg::new("theme.template").arg("error", FROM_A_LIBRARY),
            hint: None,
        },
    ]
}

/// `gongkai [--lang en] check` under a Chinese locale: (exit code, stderr).
fn check(site: &TempSite, lang: Option<&str>) -> (i32, String) {
    let root = site.root().to_string_lossy().into_owned();
    let mut cmd = gongkai();
    cmd.env("LANG", "zh_CN.UTF-8");
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    let (code, _, stderr) = run_cmd(cmd.args(["check", "--root", &root]));
    (code, stderr)
}

/// The text of `msg` in `m`, up to a value a library gives (which is printed as it comes).
fn expected(m: &Messages, msg: &Msg) -> String {
    let text = m.render(msg);
    text.split(FROM_A_LIBRARY)
        .next()
        .unwrap_or_default()
        .to_string()
}

/// What is wrong with the report of `case` in `lang`, or `None` when it is right.
fn judge(case: &Case, site: &TempSite, lang: UiLang) -> Option<String> {
    let (m, flag) = match lang {
        UiLang::Zh => (Messages::new(UiLang::Zh), None),
        UiLang::En => (Messages::new(UiLang::En), Some("en")),
    };
    let (code, stderr) = check(site, flag);
    let first = stderr.lines().next().unwrap_or_default();
    let message = expected(&m, &case.message);
    let marker = format!(": {}{message}", m.text("diag.error"));
    // A place ending in `:` leaves the line (or column) open; another is the whole place.
    let at_place = |place: &str| match case.place.ends_with(':') {
        true => place.contains(case.place),
        false => place.ends_with(case.place),
    };
    let wrong = match first.find(&marker) {
        _ if code != 1 => Some(format!("exit {code}")),
        None => Some(format!("first line `{first}`, not `…{marker}`")),
        Some(at) if !at_place(&first[..at]) => {
            Some(format!("at `{}`, not `{}`", &first[..at], case.place))
        }
        Some(at) if stderr.matches(&first[at..]).count() != 1 => {
            Some("the message is not printed exactly once".to_string())
        }
        Some(_) => case
            .hint
            .as_ref()
            .map(|h| format!("{}{}", m.text("diag.hint"), m.render(h)))
            .filter(|h| !stderr.contains(h.as_str()))
            .map(|h| format!("no hint `{h}`")),
    };
    wrong.map(|w| format!("{} ({lang:?}): {w}\n{stderr}", case.name))
}

#[test]
fn each_problem_reads_in_chinese_under_a_chinese_locale_and_in_english_with_lang_en() {
    let mut wrong = Vec::new();
    for case in cases() {
        let site = TempSite::copy_of("basic");
        (case.setup)(&site);
        for lang in [UiLang::Zh, UiLang::En] {
            wrong.extend(judge(&case, &site, lang));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn chinese_and_english_texts_differ_so_the_language_is_seen() {
    // Guards the test above: were a Chinese text a copy of the English one, it would pass
    // whatever language was printed.
    let (zh, en) = (Messages::new(UiLang::Zh), Messages::new(UiLang::En));
    for case in cases() {
        let (z, e) = (expected(&zh, &case.message), expected(&en, &case.message));
        assert_ne!(z, e, "{}", case.name);
        assert!(
            z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: {z}",
            case.name
        );
    }
}

#[test]
fn a_link_appended_to_the_report_is_reported_on_its_own_line() {
    // The open places above (`…zh.md:`) are pinned here once: the appended link's line.
    let site = TempSite::copy_of("basic");
    let line = appended_line(&site);
    append(&site, "见[别处](../../nowhere/)。");
    let (_, stderr) = check(&site, None);
    let place = format!("{REPORT}:{line}:");
    assert!(stderr.starts_with(&place), "{place} in {stderr}");
}
