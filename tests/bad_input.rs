//! Bad input: every mistake a web team makes is reported with its file, line, column, a message
//! and (where it helps) the nearest valid key. One table, one copied fixture site per case.

mod common;

use common::{TempSite, show};

/// A valid report, written to `content/2022/case.zh.md` and then spoiled by each case.
/// Line numbers in the table below refer to these lines.
const GOOD: &str = "\
---
title: 测试报告
department: justice-bureau
year: 2022
themes: [rule-of-law]
date: 2023-03-28
---

正文第一段。
";
const CASE: &str = "content/2022/case.zh.md";

/// `GOOD` with `from` replaced by `to` (which must be present).
fn report(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "`{from}` not in GOOD");
    GOOD.replacen(from, to, 1)
}

struct Case {
    name: &'static str,
    setup: fn(&TempSite),
    path: &'static str,
    line: usize,
    col: usize,
    /// A part of the message.
    message: &'static str,
    /// A part of the hint, when one is expected.
    hint: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unknown front matter key suggests the known one",
            setup: |s| {
                s.write(CASE, report("title:", "titel:"));
            },
            path: CASE,
            line: 2,
            col: 1,
            message: "unknown field `titel`",
            hint: Some("did you mean `title`?"),
        },
        Case {
            name: "unknown key inside revisions suggests `note`",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nrevisions:\n  - { date: 2023-04-01, nte: 更正 }\n",
                    ),
                );
            },
            path: CASE,
            line: 8,
            col: 25,
            message: "revisions[0]: unknown field `nte`",
            hint: Some("did you mean `note`?"),
        },
        Case {
            name: "unknown department suggests the nearest",
            setup: |s| {
                s.write(CASE, report("justice-bureau", "justice-bureua"));
            },
            path: CASE,
            line: 3,
            col: 13,
            message: "unknown department `justice-bureua`",
            hint: Some("did you mean `justice-bureau`?"),
        },
        Case {
            name: "unknown theme suggests the nearest",
            setup: |s| {
                s.write(CASE, report("[rule-of-law]", "[legal-aid, rule-of-low]"));
            },
            path: CASE,
            line: 5,
            col: 21,
            message: "unknown theme `rule-of-low`",
            hint: Some("did you mean `rule-of-law`?"),
        },
        Case {
            name: "theme listed twice points at the repetition",
            setup: |s| {
                s.write(CASE, report("[rule-of-law]", "[rule-of-law, rule-of-law]"));
            },
            path: CASE,
            line: 5,
            col: 23,
            message: "theme `rule-of-law` is listed twice",
            hint: None,
        },
        Case {
            name: "unknown figure suggests the nearest",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nfigures:\n  legal-opinoins: 3\n",
                    ),
                );
            },
            path: CASE,
            line: 8,
            col: 3,
            message: "unknown figure `legal-opinoins`",
            hint: Some("did you mean `legal-opinions`?"),
        },
        Case {
            name: "figure that is not a number",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nfigures:\n  legal-opinions: many\n",
                    ),
                );
            },
            path: CASE,
            line: 8,
            col: 19,
            message: "`many` is not a number",
            hint: Some("e.g. `legal-opinions: 512`"),
        },
        Case {
            name: "figure too large for a chart, at its value",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nfigures:\n  legal-opinions: 1.7976931348623157e308\n",
                    ),
                );
            },
            path: CASE,
            line: 8,
            col: 19,
            message: "figure `legal-opinions` is too large to show",
            hint: Some("at most 1000000000000000"),
        },
        Case {
            name: "figure that is not a number (.nan), at its value",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nfigures: { legal-opinions: .nan }\n",
                    ),
                );
            },
            path: CASE,
            line: 7,
            col: 28,
            message: "figure `legal-opinions` is not a number",
            hint: Some("write the figure as a number"),
        },
        Case {
            name: "year that is not the folder's",
            setup: |s| {
                s.write(CASE, report("year: 2022", "year: 2021"));
            },
            path: CASE,
            line: 4,
            col: 7,
            message: "year 2021 does not match the folder content/2022/",
            hint: Some("use `year: 2022`"),
        },
        Case {
            name: "date without leading zeros",
            setup: |s| {
                s.write(CASE, report("2023-03-28", "2023-3-28"));
            },
            path: CASE,
            line: 6,
            col: 7,
            message: "`2023-3-28` is not a date",
            hint: Some("YYYY-MM-DD"),
        },
        Case {
            name: "date that does not exist",
            setup: |s| {
                s.write(CASE, report("2023-03-28", "2023-02-30"));
            },
            path: CASE,
            line: 6,
            col: 7,
            message: "`2023-02-30` is not a date: month 2 of 2023 has 28 days",
            hint: Some("the last day of that month is 2023-02-28"),
        },
        Case {
            name: "revision date that is not a date",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nrevisions:\n  - { date: 2023-4-1, note: 更正 }\n",
                    ),
                );
            },
            path: CASE,
            line: 8,
            col: 13,
            message: "revision date `2023-4-1` is not a date",
            hint: Some("YYYY-MM-DD"),
        },
        Case {
            name: "missing title",
            setup: |s| {
                s.write(CASE, report("title: 测试报告\n", ""));
            },
            path: CASE,
            line: 2,
            col: 1,
            message: "missing field `title`",
            hint: None,
        },
        Case {
            name: "empty title",
            setup: |s| {
                s.write(CASE, report("title: 测试报告", "title: \"  \""));
            },
            path: CASE,
            line: 2,
            col: 1,
            message: "title is empty",
            hint: None,
        },
        Case {
            name: "missing front matter",
            setup: |s| {
                s.write(CASE, "# 测试报告\n\n正文。\n");
            },
            path: CASE,
            line: 1,
            col: 1,
            message: "missing front matter",
            hint: Some("starts with a `---` line"),
        },
        Case {
            name: "front matter never closed",
            setup: |s| {
                s.write(CASE, report("---\n\n", "\n"));
            },
            path: CASE,
            line: 1,
            col: 1,
            message: "front matter is not closed",
            hint: Some("add a `---` line"),
        },
        Case {
            name: "empty file",
            setup: |s| {
                s.write(CASE, "");
            },
            path: CASE,
            line: 1,
            col: 1,
            message: "file is empty",
            hint: None,
        },
        Case {
            name: "GBK-encoded file names the conversion",
            setup: |s| {
                let (gbk, _, _) = encoding_rs::GBK.encode(GOOD);
                s.write(CASE, gbk);
            },
            path: CASE,
            line: 2,
            col: 8,
            message: "file is not UTF-8 text",
            hint: Some("iconv -f GB18030 -t UTF-8 content/2022/case.zh.md"),
        },
        Case {
            // 司 is CB BE in GBK, which is also valid UTF-8: decoding fails one character late.
            name: "GBK file whose first character is also valid UTF-8",
            setup: |s| {
                let text = report("测试报告", "司法局报告");
                let (gbk, _, _) = encoding_rs::GBK.encode(&text);
                s.write(CASE, gbk);
            },
            path: CASE,
            line: 2,
            col: 8,
            message: "file is not UTF-8 text",
            hint: Some("GBK"),
        },
        Case {
            name: "NUL byte",
            setup: |s| {
                s.write(CASE, report("正文第一段", "正文\0第一段"));
            },
            path: CASE,
            line: 9,
            col: 3,
            message: "NUL byte",
            hint: None,
        },
        Case {
            name: "report outside a year folder",
            setup: |s| {
                s.write("content/x.zh.md", GOOD);
            },
            path: "content/x.zh.md",
            line: 1,
            col: 1,
            message: "a report must be in a year folder",
            hint: None,
        },
        Case {
            name: "folder that is not a year",
            setup: |s| {
                s.write("content/draft/x.md", GOOD);
            },
            path: "content/draft/x.md",
            line: 1,
            col: 1,
            message: "a report must be in a year folder",
            hint: Some("`draft` is not a year"),
        },
        Case {
            name: "language not in site.yaml lists the languages",
            setup: |s| {
                s.write("content/2022/x.fr.md", GOOD);
            },
            path: "content/2022/x.fr.md",
            line: 1,
            col: 1,
            message: "language `fr` is not one of the site's languages",
            hint: Some("expected one of `zh`, `en`"),
        },
        Case {
            name: "misspelt language suggests the nearest",
            setup: |s| {
                s.write("content/2022/x.eng.md", GOOD);
            },
            path: "content/2022/x.eng.md",
            line: 1,
            col: 1,
            message: "language `eng` is not one of the site's languages",
            hint: Some("did you mean `en`?"),
        },
        Case {
            name: "same report with and without the default language suffix",
            setup: |s| {
                s.write("content/2022/case.md", GOOD);
                s.write(CASE, GOOD);
            },
            path: CASE,
            line: 1,
            col: 1,
            message: "duplicate report: `content/2022/case.md` is the same report (2022 case in `zh`)",
            hint: Some("remove one of the two files"),
        },
        Case {
            name: "file name that cannot be an address",
            setup: |s| {
                s.write("content/2022/X Y.zh.md", GOOD);
            },
            path: "content/2022/X Y.zh.md",
            line: 1,
            col: 1,
            message: "file name `X Y` must use only a-z, 0-9 and `-`",
            hint: None,
        },
        Case {
            name: "YAML syntax error is located in the file, not the block",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "department: justice-bureau",
                        "department: justice-bureau: x",
                    ),
                );
            },
            path: CASE,
            line: 3,
            col: 27,
            message: "the value of `department` holds `: `",
            hint: Some("put the value in double quotes"),
        },
        Case {
            name: "translations disagree on the department",
            setup: |s| {
                s.replace(
                    "content/2022/justice-bureau.en.md",
                    "department: justice-bureau",
                    "department: market-regulation",
                );
            },
            // File-level: the message names the other translation and what it says.
            path: "content/2022/justice-bureau.en.md",
            line: 1,
            col: 1,
            message: "translations disagree: `content/2022/justice-bureau.zh.md` has department `justice-bureau`",
            hint: Some("same department and themes"),
        },
        Case {
            name: "link to a report that does not exist",
            setup: |s| {
                s.write(
                    CASE,
                    report(
                        "正文第一段。",
                        "见[前年报告](../2020/justice-bureau.zh.md)。",
                    ),
                );
            },
            path: CASE,
            line: 9,
            col: 2,
            message: "link to `../2020/justice-bureau.zh.md`, which is not a report of this site",
            hint: Some("../2021/justice-bureau.zh.md"),
        },
        Case {
            // Regression: the build published a page whose link led to the missing draft.
            name: "link from a published report to a draft left out of the build",
            setup: |s| {
                s.write(
                    CASE,
                    report("正文第一段。", "见[草稿](finance-bureau.zh.md)。"),
                );
            },
            path: CASE,
            line: 9,
            col: 2,
            message: "link to `finance-bureau.zh.md`, a draft that this build leaves out",
            hint: Some("build with --drafts"),
        },
        Case {
            name: "site.yaml unknown key suggests the known one",
            setup: |s| {
                s.replace("site.yaml", "base_url:", "base_ulr:");
            },
            path: "site.yaml",
            line: 2,
            col: 1,
            message: "unknown field `base_ulr`",
            hint: Some("did you mean `base_url`?"),
        },
        Case {
            name: "site.yaml nested unknown key suggests the known one",
            setup: |s| {
                s.replace("site.yaml", "  themes:", "  theems:");
            },
            path: "site.yaml",
            line: 10,
            col: 3,
            message: "taxonomies: unknown field `theems`",
            hint: Some("did you mean `themes`?"),
        },
        Case {
            name: "site.yaml label missing for a language",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "legal-aid: { zh: 法律援助, en: Legal aid }",
                    "legal-aid: { zh: 法律援助 }",
                );
            },
            path: "site.yaml",
            line: 12,
            col: 5,
            message: "`legal-aid` has no `en` label",
            hint: None,
        },
        Case {
            name: "site.yaml base_url not absolute",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "https://www.example.gov.cn/reports/",
                    "www.example.gov.cn/reports/",
                );
            },
            path: "site.yaml",
            line: 2,
            col: 1,
            message: "base_url `www.example.gov.cn/reports/` must be an absolute http(s) address",
            hint: None,
        },
        Case {
            name: "a line past the line limit that site.yaml lowered, where it passes it",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "theme: default",
                    "theme: default\nlimits: { line_chars: 300 }",
                );
                s.write(CASE, report("正文第一段。", &"长".repeat(305)));
            },
            path: CASE,
            line: 9,
            col: 301,
            message: "line is longer than 300 characters (305)",
            hint: Some("break the line"),
        },
        Case {
            name: "a report past the size limit that site.yaml lowered",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "theme: default",
                    "theme: default\nlimits: { report_kb: 1 }",
                );
                s.write(CASE, report("正文第一段。", &"段落。\n".repeat(200)));
            },
            path: CASE,
            line: 1,
            col: 1,
            message: "file is larger than 1 kB",
            hint: Some("split the report"),
        },
        Case {
            name: "more revisions than site.yaml allows, at `revisions`",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "theme: default",
                    "theme: default\nlimits:\n  revisions: 2",
                );
                s.write(
                    CASE,
                    report(
                        "date: 2023-03-28\n",
                        "date: 2023-03-28\nrevisions:\n  - { date: 2023-04-01, note: a }\n  - { date: 2023-04-02, note: b }\n  - { date: 2023-04-03, note: c }\n",
                    ),
                );
            },
            path: CASE,
            line: 7,
            col: 1,
            message: "3 revisions, more than 2",
            hint: Some("keep the revisions"),
        },
        Case {
            name: "a limit of 0 in site.yaml, at its key",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "theme: default",
                    "theme: default\nlimits: { line_chars: 0 }",
                );
            },
            path: "site.yaml",
            line: 5,
            col: 11,
            message: "limits: `line_chars` must be above 0",
            hint: None,
        },
        Case {
            name: "site.yaml base_url with a query string, at the `?`",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "https://www.example.gov.cn/reports/",
                    "https://www.example.gov.cn/reports/?from=feed",
                );
            },
            path: "site.yaml",
            line: 2,
            col: 46,
            message: "has a query string (`?from=feed`)",
            hint: Some("remove `?from=feed`"),
        },
        Case {
            name: "site.yaml base_url with a fragment, at the `#`",
            setup: |s| {
                s.replace(
                    "site.yaml",
                    "https://www.example.gov.cn/reports/",
                    "https://www.example.gov.cn/reports#top",
                );
            },
            path: "site.yaml",
            line: 2,
            col: 45,
            message: "has a fragment (`#top`)",
            hint: Some("remove `#top`"),
        },
        Case {
            name: "missing site.yaml",
            setup: |s| {
                s.remove("site.yaml");
            },
            path: "site.yaml",
            line: 1,
            col: 1,
            message: "cannot read site configuration",
            hint: Some("a site folder?"),
        },
        Case {
            name: "theme folder that does not exist",
            setup: |s| {
                s.replace("site.yaml", "theme: default", "theme: fancy");
            },
            // File-level: the theme is looked up after site.yaml is parsed.
            path: "site.yaml",
            line: 1,
            col: 1,
            message: "theme `fancy` not found",
            hint: None,
        },
        Case {
            name: "broken template override names the template and line",
            setup: |s| {
                s.write(
                    "templates/report.html",
                    "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ report.title }</h1>\n{% endblock %}\n",
                );
            },
            path: "templates/report.html",
            line: 3,
            col: 1,
            message: "syntax error",
            hint: None,
        },
        Case {
            name: "template override using an undefined value names the template and line",
            setup: |s| {
                s.write(
                    "templates/year.html",
                    "{% extends \"base.html\" %}\n{% block main %}\n{{ no_such_value.x }}\n{% endblock %}\n",
                );
            },
            path: "templates/year.html",
            line: 3,
            col: 1,
            message: "undefined value: `no_such_value` is undefined",
            hint: None,
        },
    ]
}

#[test]
fn every_bad_input_is_reported_with_file_line_column_and_hint() {
    let cases = cases();
    assert!(cases.len() >= 20, "at least 20 distinct bad inputs");
    let mut failures = Vec::new();
    for case in &cases {
        let site = TempSite::copy_of("basic");
        (case.setup)(&site);
        let ds = site.build_err();
        let found = ds.iter().find(|d| d.message.contains(case.message));
        let Some(d) = found else {
            failures.push(format!(
                "{}: no diagnostic containing {:?}; got:\n{}",
                case.name,
                case.message,
                show(&ds)
            ));
            continue;
        };
        let got = (d.path.to_string_lossy().into_owned(), d.line, d.col);
        let want = (case.path.to_string(), case.line, case.col);
        if got != want {
            failures.push(format!("{}: at {got:?}, expected {want:?}: {d}", case.name));
        }
        match (case.hint, &d.hint) {
            (Some(h), Some(got)) if got.contains(h) => {}
            (None, _) => {}
            (Some(h), got) => failures.push(format!("{}: hint {got:?} lacks {h:?}", case.name)),
        }
        if ds.len() != 1 {
            failures.push(format!(
                "{}: expected exactly one problem, got:\n{}",
                case.name,
                show(&ds)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn one_build_reports_every_broken_file() {
    let site = TempSite::copy_of("basic");
    site.write(
        "content/2022/a.zh.md",
        report("justice-bureau", "justice-bureua"),
    );
    site.write("content/2022/b.zh.md", report("2023-03-28", "2023-3-28"));
    site.write("content/2021/c.zh.md", report("title:", "titel:"));
    let ds = site.build_err();
    let paths: Vec<String> = ds
        .iter()
        .map(|d| d.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "content/2021/c.zh.md",
            "content/2022/a.zh.md",
            "content/2022/b.zh.md"
        ],
        "{}",
        show(&ds)
    );
}

#[test]
fn bom_and_crlf_report_builds() {
    let site = TempSite::copy_of("basic");
    let crlf = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
    site.write(CASE, crlf);
    let files = site.build();
    let page = common::text(&files, "zh/2022/case/index.html");
    assert!(page.contains("<h1>测试报告</h1>"), "{page}");
    assert!(page.contains("<p>正文第一段。</p>"));
    assert!(!page.contains('\u{feff}') && !page.contains('\r'));
}

#[test]
fn crlf_file_positions_count_lines_not_carriage_returns() {
    let site = TempSite::copy_of("basic");
    let bad = report("justice-bureau", "justice-bureua").replace('\n', "\r\n");
    site.write(CASE, format!("\u{feff}{bad}"));
    let ds = site.build_err();
    assert_eq!((ds[0].line, ds[0].col), (3, 13), "{}", show(&ds));
}

#[test]
fn links_to_drafts_are_fine_when_drafts_are_built_or_the_link_is_in_a_draft() {
    let site = TempSite::copy_of("basic");
    site.write(
        CASE,
        report("正文第一段。", "见[草稿](finance-bureau.zh.md)。"),
    );
    let opts = gongkai::BuildOptions {
        drafts: true,
        ..site.options()
    };
    let files = common::build_ok(&opts);
    let page = common::text(&files, "zh/2022/case/index.html");
    assert!(
        page.contains(r#"<a href="../../../zh/2022/finance-bureau/">草稿</a>"#),
        "{page}"
    );
    // A draft may link to another draft: neither is published.
    site.write(
        CASE,
        report("正文第一段。", "见[草稿](finance-bureau.zh.md)。")
            .replace("date: 2023-03-28\n", "date: 2023-03-28\ndraft: true\n"),
    );
    site.build();
}
