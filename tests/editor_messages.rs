//! The editor's view of `gongkai`: each typical mistake gets one message, in Chinese under a
//! Chinese locale, at the mistake's line and column, saying what to type; `new` says it wrote
//! a draft, and `build` names the drafts it left out (README "Messages in your language").

mod common;

use common::{TempSite, gongkai, run, run_cmd};

const FILE: &str = "content/2022/case.zh.md";

/// The seed report's front matter with `from` replaced by `to`.
fn with(site: &TempSite, from: &str, to: &str) {
    let good = site.read("content/2022/justice-bureau.zh.md");
    assert!(good.contains(from), "{from}");
    // The positions below are those of the report without its optional `written_date` line.
    let text = good
        .replacen("written_date: 2023-03-20\n", "", 1)
        .replacen(from, to, 1)
        .replacen("justice-bureau\n", "finance-bureau\n", 0);
    site.remove("content/2022/justice-bureau.zh.md");
    site.write(FILE, text);
}

/// `gongkai check` under `LANG=zh_CN.UTF-8`: (exit code, stderr).
fn check_zh(site: &TempSite) -> (i32, String) {
    let root = site.root().to_string_lossy().into_owned();
    let (code, _, stderr) = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["check", "--root", &root]),
    );
    (code, stderr)
}

struct Case {
    from: &'static str,
    to: &'static str,
    /// `path:line:col: 错误：` and the start of the message.
    at: (usize, usize),
    message: &'static str,
    hint: &'static str,
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let case = |from, to, at, message, hint| Case {
        from,
        to,
        at,
        message,
        hint,
    };
    vec![
        case("date: 2023-03-28", "date：2023-03-28", (6, 5), "`date` 后面用了全角冒号", "`date: `"),
        case("themes: [rule-of-law, legal-aid]", "themes: [rule-of-law，legal-aid]", (5, 21), "列表各项之间用了全角的 `，`", "rule-of-law, legal-aid"),
        case("  legal-opinions: 231", "\tlegal-opinions: 231", (9, 1), "缩进里有制表符", "两个空格"),
        case("summary: 2022年度", "summary: 注意: 2022年度", (7, 12), "`summary` 的内容里有 `: `", "英文双引号"),
        case("summary: 2022年度", "summary: @2022年度", (7, 10), "`summary` 的内容以 `@` 开头", "\"@2022年度"),
        case("summary: 2022年度", "summary: #2022年度", (7, 10), "`summary` 的内容以 `#` 开头", "英文双引号"),
        case("legal-opinions: 231", "legal-opinions: 231件", (9, 19), "`231件` 不是数字", "`legal-opinions: 231`"),
        case("legal-opinions: 231", "legal-opinions: 1,231", (9, 19), "千位分隔符", "`legal-opinions: 1231`"),
        case("legal-opinions: 231", "legal-opinions: ２３１", (9, 19), "全角数字", "`legal-opinions: 231`"),
        case("legal-opinions: 231", "legal-opinions: 23.1%", (9, 19), "不带 `%`", "`legal-opinions: 23.1`"),
        case("year: 2022\n", "year: 2022\ndate: 2023-01-01\n", (7, 1), "`date` 写了两次，第一次在第 5 行", "只保留一行"),
        case("date: 2023-03-28", "date: 2023-02-30", (6, 7), "`2023-02-30` 这一天不存在", "2023-02-28"),
        case("date: 2023-03-28", "date: 2023年3月28日", (6, 7), "`2023年3月28日` 不是日期", "`2023-03-28`"),
        case("themes: [rule-of-law, legal-aid]", "themes: [rule-of-law, 法律援助]", (5, 23), "没有名为 `法律援助` 的主题", "键名 `legal-aid`"),
        case("department: justice-bureau", "department: Example District Finance Bureau", (3, 13), "没有名为", "键名 `finance-bureau`"),
    ]
}

#[test]
fn each_typical_mistake_is_named_once_in_chinese_at_its_place() {
    let mut wrong = Vec::new();
    for c in cases() {
        let site = TempSite::copy_of("basic");
        with(&site, c.from, c.to);
        let (code, stderr) = check_zh(&site);
        let first = stderr.lines().next().unwrap_or_default();
        let want = format!("{FILE}:{}:{}: 错误：", c.at.0, c.at.1);
        let once = stderr.matches("错误：").count() == 1;
        let named = first.starts_with(&want) && first.contains(c.message);
        if code != 1 || !named || !stderr.contains(c.hint) || !once {
            wrong.push(format!(
                "{} → want {want:?}, {:?} and {:?}; got:\n{stderr}",
                c.to, c.message, c.hint
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_lang_flag_wins_over_the_locale_and_gongkai_lang_over_the_locale() {
    let site = TempSite::copy_of("basic");
    with(&site, "date: 2023-03-28", "date：2023-03-28");
    let root = site.root().to_string_lossy().into_owned();
    let args = ["check", "--root", root.as_str()];
    let (_, _, en) = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .arg("--lang")
            .arg("en")
            .args(args),
    );
    assert!(
        en.contains("error: full-width colon `：` after `date`"),
        "{en}"
    );
    let (_, _, en) = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .env("GONGKAI_LANG", "en")
            .args(args),
    );
    assert!(en.contains("error: full-width colon"), "{en}");
    let (_, _, zh) = run_cmd(
        gongkai()
            .env("LC_ALL", "zh_CN.UTF-8")
            .env("LANG", "en_US.UTF-8")
            .args(args),
    );
    assert!(zh.contains("错误：`date` 后面用了全角冒号"), "{zh}");
    let (_, _, en) = run(&args);
    assert!(en.contains("error: full-width colon"), "{en}");
}

#[test]
fn new_writes_a_skeleton_and_build_names_the_draft_it_left_out() {
    let site = TempSite::copy_of("basic");
    let root = site.root().to_string_lossy().into_owned();
    let (code, _, said) = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").args([
        "new",
        "2024",
        "foo",
        "--department",
        "justice-bureau",
        "--root",
        &root,
    ]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("已创建 content/2024/foo.zh.md"), "{said}");
    assert!(
        said.contains("草稿") && said.contains("draft: false"),
        "{said}"
    );
    let written = site.read("content/2024/foo.zh.md");
    assert!(
        written.contains("\n## 一、2024年推进法治政府建设的主要举措和成效\n"),
        "{written}"
    );
    assert!(
        written.contains("\n## 四、2025年推进法治政府建设的主要安排\n"),
        "{written}"
    );
    assert!(written.contains("\ndraft: true\n"), "{written}");

    let (code, _, said) = run(&["build", "--root", &root]);
    assert_eq!(code, 0, "{said}");
    // One summary line, after any notes (the fixture's base_url has a path: robots.txt).
    let lines: Vec<&str> = said.lines().filter(|l| !l.starts_with("note: ")).collect();
    assert_eq!(lines.len(), 1, "one summary line: {said}");
    // The fixture has a draft of its own.
    let drafts = "2 drafts left out: content/2022/finance-bureau.zh.md, content/2024/foo.zh.md";
    assert!(lines[0].contains(drafts), "{said}");
    assert!(lines[0].contains("zh 4"), "{said}");
    let (code, _, said) = run(&["check", "--root", &root]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains(drafts), "{said}");
}

#[test]
fn a_department_written_by_its_label_on_the_command_line_is_a_usage_error_naming_the_key() {
    let site = TempSite::copy_of("basic");
    let root = site.root().to_string_lossy().into_owned();
    let (code, _, said) = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").args([
        "new",
        "2024",
        "foo",
        "--department",
        "示例区司法局",
        "--root",
        &root,
    ]));
    assert_eq!(code, 2, "{said}");
    assert!(
        said.starts_with("错误：没有名为 `示例区司法局` 的部门\n"),
        "{said}"
    );
    assert!(said.contains("键名 `justice-bureau`"), "{said}");
    assert!(!site.path("content/2024/foo.zh.md").exists());
}

#[test]
fn the_iconv_command_given_for_a_utf16_file_converts_it() {
    if std::process::Command::new("iconv")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no iconv on this machine");
        return;
    }
    let site = TempSite::copy_of("basic");
    let rel = "content/2022/justice-bureau.zh.md";
    let text = site.read(rel);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    site.write(rel, utf16);
    let root = site.root().to_string_lossy().into_owned();
    let (code, _, said) = run(&["check", "--root", &root]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("saved as UTF-16, not UTF-8"), "{said}");
    let command = said
        .split('`')
        .find(|s| s.starts_with("iconv "))
        .expect("a command");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} && mv {rel}.utf8 {rel}"))
        .current_dir(site.root())
        .status()
        .unwrap();
    assert!(status.success());
    let (code, _, said) = run(&["check", "--root", &root]);
    assert_eq!(code, 0, "after the command: {said}");
}
