//! Messages of the configuration, report kinds and style rules in the editor's language
//! (README "Messages in your language"): each mistake, run through the real binary, is said in
//! Chinese under a Chinese locale and in English under `--lang en`, at the same place.

mod common;

use common::{TempSite, gongkai, run_cmd};
use gongkai::messages::{Messages, UiLang};

/// `gongkai check` under a Chinese locale, and under the same locale with `--lang en`
/// (the flag wins): (exit code, stderr) of each.
fn check_both(site: &TempSite) -> [(i32, String); 2] {
    let root = site.root().to_string_lossy().into_owned();
    let run = |flag: &[&str]| {
        let mut cmd = gongkai();
        cmd.args(flag)
            .args(["check", "--root", &root])
            .env("LANG", "zh_CN.UTF-8")
            .env("GONGKAI_TODAY", "2024-01-01");
        let (code, _, stderr) = run_cmd(&mut cmd);
        (code, stderr)
    };
    [run(&[]), run(&["--lang", "en"])]
}

/// Each of `lines` (Chinese, then English) starts a line of the matching run's stderr, and the
/// run exits with `code`.
fn says(site: &TempSite, code: i32, lines: [&str; 2]) {
    for ((got, stderr), want) in check_both(site).iter().zip(lines) {
        assert_eq!(*got, code, "{stderr}");
        assert!(
            stderr.lines().any(|l| l.starts_with(want)),
            "no line starting `{want}` in:\n{stderr}"
        );
    }
}

fn with_config(extra: &str) -> TempSite {
    let site = TempSite::copy_of("basic");
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}{extra}"));
    site
}

#[test]
fn site_yaml_rules_in_both_languages() {
    // config.rs
    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "https://www.example.gov.cn/reports/",
        "www.x.cn",
    );
    says(
        &site,
        1,
        [
            "site.yaml:2:1: 错误：base_url `www.x.cn` 必须是以 `https://` 或 `http://` 开头的完整网址",
            "site.yaml:2:1: error: base_url `www.x.cn` must be an absolute http(s) address",
        ],
    );
    // config/label_checks.rs
    let site = TempSite::copy_of("basic");
    site.replace("site.yaml", ", en: Legal aid", "");
    says(
        &site,
        1,
        [
            "site.yaml:12:5: 错误：`legal-aid` 缺少 `en` 的显示名称",
            "site.yaml:12:5: error: `legal-aid` has no `en` label",
        ],
    );
    // config/identity.rs
    let site = TempSite::copy_of("basic");
    site.replace("site.yaml", "web@example.gov.cn", "webmaster");
    says(
        &site,
        1,
        [
            "site.yaml:19:10: 错误：identity：email `webmaster` 不是有效的电子邮箱地址",
            "site.yaml:19:10: error: identity: email `webmaster` is not an email address",
        ],
    );
}

#[test]
fn a_figure_listed_twice_is_named_at_its_second_entry() {
    // config/figures.rs: a quoted key is the same key, which the YAML reader lets through.
    let site = TempSite::copy_of("basic");
    site.replace(
        "site.yaml",
        "  penalty-cases:",
        "  \"legal-opinions\": { zh: 甲, en: A }\n  penalty-cases:",
    );
    says(
        &site,
        1,
        [
            "site.yaml:16:4: 错误：`legal-opinions` 写了两次，第一次在第 15 行",
            "site.yaml:16:4: error: `legal-opinions` is written twice; the first is on line 15",
        ],
    );
}

#[test]
fn translations_that_disagree_in_both_languages() {
    // model/mod.rs
    let site = TempSite::copy_of("basic");
    site.replace(
        "content/2022/justice-bureau.en.md",
        "department: justice-bureau",
        "department: finance-bureau",
    );
    says(
        &site,
        1,
        [
            "content/2022/justice-bureau.en.md:1:1: 错误：各语言版本不一致：`content/2022/justice-bureau.zh.md` 的部门是 `justice-bureau`",
            "content/2022/justice-bureau.en.md:1:1: error: translations disagree: `content/2022/justice-bureau.zh.md` has department `justice-bureau`",
        ],
    );
}

#[test]
fn style_settings_and_findings_in_both_languages() {
    // style/config.rs
    let site = with_config("style: { prefer: { 某某: 某某 } }\n");
    says(
        &site,
        1,
        [
            "site.yaml:25:20: 错误：style: prefer：`某某` 被替换成了它自己",
            "site.yaml:25:20: error: style: prefer: `某某` is replaced by itself",
        ],
    );
    // style/messages.rs: a warning, then the same finding as an error.
    let site = TempSite::copy_of("basic");
    site.write(
        "content/2022/style-test.zh.md",
        "---\ntitle: 报告\ndepartment: justice-bureau\ndate: 2023-03-01\n---\n\n2022年,我局依法行政。\n",
    );
    says(
        &site,
        0,
        [
            "content/2022/style-test.zh.md:7:6: 警告[half-width-punctuation]：中文中使用了半角“,”：应为“，”",
            "content/2022/style-test.zh.md:7:6: warning[half-width-punctuation]: half-width `,` in Chinese text: write `，`",
        ],
    );
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}style: {{ rules: {{ half-width-punctuation: error }} }}\n"),
    );
    says(
        &site,
        1,
        [
            "content/2022/style-test.zh.md:7:6: 错误：[half-width-punctuation] 中文中使用了半角“,”：应为“，”",
            "content/2022/style-test.zh.md:7:6: error: [half-width-punctuation] half-width `,` in Chinese text: write `，`",
        ],
    );
}

const KIND: &str = "kinds:\n  rule-of-law:\n    label: { zh: 法治政府建设年度报告, en: Rule-of-law report }\n    due: { month: 3, day: 31 }\n    parts:\n      - { label: { zh: 下一年度工作安排, en: Next year's plan }, pattern: { zh: 工作安排, en: plan } }\n";

fn kind_report(date: &str) -> String {
    format!(
        "---\ntitle: 报告\ndepartment: justice-bureau\nkind: rule-of-law\ndate: {date}\n---\n\n正文。\n"
    )
}

#[test]
fn kind_settings_and_rules_in_both_languages() {
    // kinds/config.rs
    let site = with_config(&format!("{KIND}timezone: Asia/Shangai\n"));
    says(
        &site,
        1,
        [
            "site.yaml:31:11: 错误：`Asia/Shangai` 不是时区名称，应写成 `Asia/Shanghai` 这样的 IANA 时区名",
            "site.yaml:31:11: error: `Asia/Shangai` is not an IANA time zone name such as `Asia/Shanghai`",
        ],
    );
    // kinds/check.rs: warnings in the reader's language, labels in it too.
    let site = with_config(KIND);
    site.write("content/2022/kinds-test.zh.md", kind_report("2023-04-10"));
    let at = "content/2022/kinds-test.zh.md:4:1: ";
    says(
        &site,
        0,
        [
            &format!("{at}警告[deadline]：发布日期2023-04-10晚于截止日期2023-03-31，逾期10天"),
            &format!(
                "{at}warning[deadline]: published 2023-04-10 after the deadline 2023-03-31: late by 10 days"
            ),
        ],
    );
    says(
        &site,
        0,
        [
            &format!(
                "{at}警告[required-parts]：法治政府建设年度报告缺少必备部分“下一年度工作安排”"
            ),
            &format!(
                "{at}warning[required-parts]: Rule-of-law report lacks the required part “Next year's plan”"
            ),
        ],
    );
    // As errors (kind_rules), rendered where printed.
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}kind_rules: {{ deadline: error }}\n"),
    );
    site.write("content/2022/kinds-test.zh.md", kind_report("2023-04-01"));
    says(
        &site,
        1,
        [
            &format!("{at}错误：[deadline] 发布日期2023-04-01晚于截止日期2023-03-31，逾期1天"),
            &format!(
                "{at}error: [deadline] published 2023-04-01 after the deadline 2023-03-31: late by 1 day"
            ),
        ],
    );
}

#[test]
fn standings_and_a_bad_today_in_both_languages() {
    // kinds/due.rs: the status table's words and the `GONGKAI_TODAY` usage message.
    use gongkai::kinds::Standing;
    use gongkai::kinds::due::parse_today;
    assert_eq!(Standing::Late(5).text("zh"), "逾期5天发布");
    assert_eq!(Standing::Late(5).text("en"), "late by 5 days");
    assert_eq!(Standing::Late(1).text("en"), "late by 1 day");
    assert_eq!(Standing::NotYetDue.text("zh-Hans"), "未到期");
    assert_eq!(Standing::Missing.text("fr"), "missing");
    let bad = parse_today("2024-13-01").unwrap_err();
    assert_eq!(
        Messages::new(UiLang::Zh).render(&bad),
        "GONGKAI_TODAY `2024-13-01` 不是日期，应写成 2024-04-01 这样的格式"
    );
    assert_eq!(
        bad.english(),
        "GONGKAI_TODAY `2024-13-01` is not a date such as 2024-04-01"
    );
}
