//! Report kinds end to end (README "Report kinds"): kinds in `site.yaml`, `kind:` in front
//! matter, the required-parts and deadline warnings of `check`, and `gongkai status`.

mod common;

use common::{TempSite, gongkai, run_cmd};

const KINDS: &str = "kinds:
  rule-of-law:
    label: { zh: 法治政府建设年度报告, en: Rule-of-law report }
    due: { month: 3, day: 31 }
    parts:
      - { label: { zh: 主要举措和成效, en: Measures and results }, pattern: { zh: '^[一二三四五六七八九十]+、|举措|成效' } }
      - { label: { zh: 存在的不足和原因, en: Shortcomings }, pattern: { zh: 不足|问题 } }
      - { label: { zh: 第一责任人职责, en: Leaders' duty }, pattern: { zh: 第一责任人 } }
      - { label: { zh: 下一年度工作安排, en: Next year's plan }, pattern: { zh: 工作(安排|计划) } }
      - { label: { zh: 其他需要报告的事项, en: Other matters }, pattern: { zh: 其他.*事项 } }
";

fn report(kind: &str, date: &str, draft: bool, headings: &[&str]) -> String {
    let mut s = format!(
        "---\ntitle: 报告\ndepartment: justice-bureau\nkind: {kind}\ndate: {date}\ndraft: {draft}\n---\n\n正文。\n"
    );
    for h in headings {
        s.push_str(&format!("\n## {h}\n\n内容。\n"));
    }
    s
}

const ALL_PARTS: [&str; 5] = [
    "一、主要举措和成效",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、2023年工作安排",
    "五、其他需要报告的事项",
];

/// The basic fixture with `KINDS` and a report `content/2022/kinds-test.zh.md`.
fn site_with(report: &str) -> TempSite {
    let site = TempSite::copy_of("basic");
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}{KINDS}"));
    site.write("content/2022/kinds-test.zh.md", report);
    site
}

fn run_in(site: &TempSite, args: &[&str], today: &str) -> (i32, String, String) {
    let root = site.root().to_string_lossy().into_owned();
    let mut cmd = gongkai();
    cmd.args(args)
        .args(["--root", &root])
        .env("GONGKAI_LANG", "en")
        .env("GONGKAI_TODAY", today);
    run_cmd(&mut cmd)
}

#[test]
fn unknown_kind_is_an_error_at_its_place_with_the_nearest_key() {
    let site = site_with(&report("rule-of-lwa", "2023-03-01", false, &ALL_PARTS));
    let (code, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/2022/kinds-test.zh.md:4:7"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown report kind `rule-of-lwa`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `rule-of-law`"), "{stderr}");
}

#[test]
fn kind_config_errors_are_located_in_site_yaml() {
    let site = site_with(&report("rule-of-law", "2023-03-01", false, &ALL_PARTS));
    site.replace("site.yaml", "其他.*事项", "其他(.*事项");
    site.replace("site.yaml", "day: 31", "day: 32");
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}timezone: Asia/Shangai\n"));
    let (code, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("pattern `其他(.*事项` cannot be used"),
        "{stderr}"
    );
    assert!(stderr.contains("`due` is not a day"), "{stderr}");
    assert!(
        stderr.contains("`Asia/Shangai` is not an IANA time zone"),
        "{stderr}"
    );
    assert!(stderr.contains("site.yaml:"), "{stderr}");
}

#[test]
fn check_names_each_missing_part_at_the_kind_line() {
    let headings = [ALL_PARTS[0], ALL_PARTS[1], ALL_PARTS[3]];
    let site = site_with(&report("rule-of-law", "2023-03-01", false, &headings));
    let (code, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert_eq!(code, 0, "warnings do not fail check: {stderr}");
    let at = "content/2022/kinds-test.zh.md:4:1: warning[required-parts]";
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with(at)).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("“Leaders' duty”"), "{stderr}");
    assert!(lines[1].contains("“Other matters”"), "{stderr}");
    let (code, _, _) = run_in(&site, &["check", "--strict"], "2024-01-01");
    assert_eq!(code, 1, "--strict fails on kind warnings");
    // All five parts: nothing to say.
    let site = site_with(&report("rule-of-law", "2023-03-01", false, &ALL_PARTS));
    let (_, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert!(!stderr.contains("kinds-test"), "{stderr}");
}

#[test]
fn a_report_dated_after_its_deadline_is_late_by_n_days() {
    let site = site_with(&report("rule-of-law", "2023-04-10", false, &ALL_PARTS));
    let (code, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("content/2022/kinds-test.zh.md:4:1: warning[deadline]: published 2023-04-10 after the deadline 2023-03-31: late by 10 days"),
        "{stderr}"
    );
    // The deadline day itself is on time.
    let site = site_with(&report("rule-of-law", "2023-03-31", false, &ALL_PARTS));
    let (_, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert!(!stderr.contains("warning[deadline]"), "{stderr}");
    // A level from site.yaml: the deadline as an error fails check.
    let site = site_with(&report("rule-of-law", "2023-04-01", false, &ALL_PARTS));
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}kind_rules: {{ deadline: error }}\n"),
    );
    let (code, _, stderr) = run_in(&site, &["check"], "2024-01-01");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("late by 1 day"), "{stderr}");
}

/// The status line of `department` in the table `gongkai status` prints.
fn status_row(stdout: &str, department: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with(department))
        .unwrap_or_else(|| panic!("no row for {department}: {stdout}"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn status_shows_on_time_late_draft_missing_and_not_yet_due() {
    // Justice bureau: 2022 late by 5 days; 2023 a draft. Market regulation: nothing, ever.
    let site = site_with(&report("rule-of-law", "2023-04-05", false, &ALL_PARTS));
    site.write(
        "content/2023/kinds-draft.zh.md",
        report("rule-of-law", "2024-03-01", true, &ALL_PARTS),
    );
    let (code, stdout, stderr) = run_in(&site, &["status"], "2024-03-31");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("as of 2024-03-31 (Asia/Shanghai)"),
        "{stdout}"
    );
    assert_eq!(
        status_row(&stdout, "Example District Justice Bureau"),
        "Example District Justice Bureau late by 5 days draft"
    );
    // On the deadline day an unpublished 2023 report is not yet due; the day after, missing.
    assert_eq!(
        status_row(&stdout, "Example District Market Regulation"),
        "Example District Market Regulation missing not yet due"
    );
    let (_, stdout, _) = run_in(&site, &["status"], "2024-04-01");
    assert_eq!(
        status_row(&stdout, "Example District Market Regulation"),
        "Example District Market Regulation missing missing"
    );
    let (_, stdout, _) = run_in(&site, &["status", "--year", "2023"], "2024-04-01");
    assert_eq!(
        status_row(&stdout, "Example District Justice Bureau"),
        "Example District Justice Bureau draft"
    );
    // On time.
    site.replace("content/2022/kinds-test.zh.md", "2023-04-05", "2023-03-05");
    let (_, stdout, _) = run_in(&site, &["status"], "2024-04-01");
    assert!(
        status_row(&stdout, "Example District Justice Bureau").contains("Bureau on time draft"),
        "{stdout}"
    );
    // A bad GONGKAI_TODAY is a usage error, not a guess.
    let (code, _, stderr) = run_in(&site, &["status"], "2024-02-30");
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn the_sample_site_declares_both_kinds_and_only_its_real_gaps_warn() {
    let site = TempSite::sample();
    let config = site.read("site.yaml");
    assert!(
        config.contains("\n  rule-of-law:\n") && config.contains("\n  information-disclosure:\n")
    );
    for entry in walk(&site.root().join("content")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(
            text.contains("\nkind: rule-of-law\n")
                || text.contains("\nkind: information-disclosure\n"),
            "{} names no kind",
            entry.display()
        );
    }
    let (code, _, stderr) = run_in(&site, &["check"], "2026-12-02");
    assert_eq!(code, 0, "{stderr}");
    // The intended warnings: the sample reports, as published, have no part on the leaders'
    // duty and none on other matters (rule-of-law), and the 2023 disclosure report gives its
    // proactive disclosure inside the overview, with no heading of its own. Nothing is late.
    let kind_warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning[required-parts]") || l.contains("warning[deadline]"))
        .collect();
    let expected = |l: &&str| {
        l.contains("warning[required-parts]")
            && (l.contains("first responsible persons")
                || l.contains("Other matters to report")
                || (l.contains("government-office") && l.contains("disclosed proactively")))
    };
    assert!(kind_warnings.iter().all(expected), "{kind_warnings:#?}");
    assert_eq!(kind_warnings.len(), 21, "{kind_warnings:#?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out
}

/// The `<main>` of a built page.
fn main_of(files: &common::Files, path: &str) -> String {
    let html = common::text(files, path);
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("end of main");
    html[start..end].to_string()
}

#[test]
fn the_status_page_is_opt_in_a_real_table_in_both_languages() {
    let site = site_with(&report("rule-of-law", "2023-04-05", false, &ALL_PARTS));
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let opts = gongkai::BuildOptions {
        today: Some(day("2024-04-01")),
        ..site.options()
    };
    let files = common::build_ok(&opts);
    assert!(
        !files.contains_key("en/status/index.html"),
        "off unless asked"
    );
    assert!(!common::text(&files, "en/index.html").contains("status/"));

    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}status: true\n"));
    let files = common::build_ok(&opts);
    let en = main_of(&files, "en/status/index.html");
    assert!(
        en.contains("<caption>Rule-of-law report · As of 2024-04-01 (Asia/Shanghai)</caption>"),
        "{en}"
    );
    assert!(en.contains(r#"<th scope="col">2023</th>"#), "{en}");
    assert!(
        en.contains(r#"<th scope="row"><a href="../../en/departments/justice-bureau/">Example District Justice Bureau</a></th>"#),
        "{en}"
    );
    assert!(
        en.contains(r#"<td class="status-late"><a href="../../en/2022/kinds-test/">late by 5 days</a></td><td class="status-missing">missing</td>"#),
        "{en}"
    );
    let zh = main_of(&files, "zh/status/index.html");
    assert!(zh.contains("截至2024-04-01（Asia/Shanghai）"), "{zh}");
    assert!(
        zh.contains(">逾期5天发布</a></td><td class=\"status-missing\">未发布</td>"),
        "{zh}"
    );
    // Linked from every page's footer, in its language.
    let home = common::text(&files, "zh/index.html");
    assert!(
        home.contains(r#"<a href="../zh/status/">报告发布情况</a>"#),
        "{home}"
    );
    // The day before the 2023 deadline passes in Shanghai, 2023 is not yet due.
    let opts = gongkai::BuildOptions {
        today: Some(day("2024-03-31")),
        ..opts
    };
    let en = main_of(&common::build_ok(&opts), "en/status/index.html");
    assert!(
        en.contains(r#"<td class="status-not-yet-due">not yet due</td>"#),
        "{en}"
    );
}
