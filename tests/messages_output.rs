//! The messages of writing, archiving and signing in the reader's language (README "Messages
//! in your language"): each command run under `LANG=zh_CN.UTF-8` says it in Chinese, at the
//! same place, and with `--lang en` in the English it always said. Covers the output folder,
//! usage errors, `archive.lock`, `freeze`, `archive`, WARC reading, `keygen`, `verify`, `fix`,
//! `check`'s warning lines, `status`, `import` and `--lang` itself.

mod common;

use std::path::{Path, PathBuf};

use common::{TempSite, gongkai, run_cmd};
use gongkai::messages::{Messages, UiLang};
use gongkai::output::OutputError;
use gongkai::trust::TrustError;
use gongkai::trust::error::BadKey;

/// `gongkai args…` under a Chinese locale, then again with `--lang en` (which wins over the
/// locale): (exit code, stdout, stderr) of each.
fn both(args: &[&str]) -> ((i32, String, String), (i32, String, String)) {
    let zh = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").args(args));
    let en = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .arg("--lang")
            .arg("en")
            .args(args),
    );
    (zh, en)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The line of `text` holding `needle`, or a failure showing the whole text.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn usage_errors_of_freeze_and_archive_are_in_the_readers_language_and_exit_2() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let ((code, _, zh), (en_code, _, en)) = both(&["freeze", "1999", "--root", &root]);
    assert_eq!((code, en_code), (2, 2), "{zh}{en}");
    assert!(
        zh.starts_with("错误：1999 年没有已发布的报告，无可封存"),
        "{zh}"
    );
    assert!(
        en.starts_with("error: 1999 has no published report: nothing to freeze"),
        "{en}"
    );
    let ((code, _, zh), (_, _, en)) = both(&["archive", "1999", "--root", &root]);
    assert_eq!(code, 2, "{zh}");
    assert!(zh.contains("1999 年没有已发布的报告，无可归档"), "{zh}");
    assert!(en.contains("nothing to archive"), "{en}");
}

#[test]
fn freeze_archive_and_a_bad_lock_line_speak_chinese() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let out = s(&site.parent().join("bundle.zip"));
    // Not frozen yet: `archive` says what it wrote and that the year is not frozen.
    let zh = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["archive", "2022", "--root", &root, "--out", &out]),
    );
    assert_eq!(zh.0, 0, "{}", zh.2);
    assert!(
        line_with(&zh.2, "已写出").contains("报告文件 3 个"),
        "{}",
        zh.2
    );
    assert!(zh.2.contains("注意：2022 年尚未封存"), "{}", zh.2);
    let zh = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["freeze", "2022", "--root", &root]),
    );
    assert!(
        zh.2.starts_with("已在 archive.lock 中封存 2022 年的 3 个报告文件"),
        "{}",
        zh.2
    );
    let lock = site.read("archive.lock");
    let line = lock.lines().count() + 1;
    site.write("archive.lock", format!("{lock}zzz\n"));
    let ((code, _, zh), (_, _, en)) = both(&["check", "--root", &root]);
    assert_eq!(code, 1, "{zh}");
    let at = format!("archive.lock:{line}:1: ");
    assert_eq!(
        line_with(&zh, &at),
        format!("{at}错误：这一行应有三项，用空格隔开"),
        "{zh}"
    );
    assert!(line_with(&zh, "提示：").contains("`gongkai freeze <年份>` 写出"));
    assert_eq!(
        line_with(&en, &at),
        format!("{at}error: expected three fields")
    );
}

#[test]
fn output_folder_refusals_are_translated() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let file = site.parent().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let ((code, _, zh), (_, _, en)) = both(&["build", "--root", &root, "--out", &s(&file)]);
    assert_eq!(code, 1, "{zh}");
    assert!(
        zh.contains("错误：拒绝生成到 `") && zh.contains("它不是文件夹（是文件或符号链接）"),
        "{zh}"
    );
    assert!(en.contains("error: refusing to build into `"), "{en}");
    assert!(en.contains("it is not a folder"), "{en}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn verify_says_its_verdict_and_findings_in_chinese() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let out = site.parent().join("out");
    let built = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").args([
        "build",
        "--timings",
        "--root",
        &root,
        "--out",
        &s(&out),
    ]));
    assert_eq!(built.0, 0, "{}", built.2);
    assert!(
        line_with(&built.2, "用时：读取 ").contains("秒，搜索索引 "),
        "{}",
        built.2
    );
    let ((code, _, zh), (_, _, en)) = both(&["verify", &s(&out)]);
    assert_eq!(code, 0, "{zh}");
    assert!(
        zh.contains("签名：无（清单没有签名）；只核对了校验值"),
        "{zh}"
    );
    assert!(line_with(&zh, "核验通过：").contains("（文件夹）"), "{zh}");
    assert!(en.contains("signature: none (the manifest is not signed)"));
    assert!(line_with(&en, "ok: ").contains("(folder): all"), "{en}");
    let page = out.join("index.html");
    let mut html = std::fs::read(&page).unwrap();
    html.extend_from_slice(b"<!-- changed -->");
    std::fs::write(&page, html).unwrap();
    let ((code, zh_out, zh), (_, en_out, _)) = both(&["verify", &s(&out)]);
    assert_eq!(code, 1);
    assert_eq!(zh_out, "已改动：index.html\n");
    assert_eq!(en_out, "changed: index.html\n");
    assert!(zh.contains("核验未通过："), "{zh}");
    // A manifest another tool wrote: the check's own finding, with the copy named.
    std::fs::write(out.join("manifest.json"), r#"{"generator":"x","files":[]}"#).unwrap();
    let ((code, _, zh), (_, _, en)) = both(&["verify", &s(&out)]);
    assert_eq!(code, 1);
    assert!(zh.contains("manifest.json 不是 gongkai 生成的"), "{zh}");
    assert!(zh.starts_with("错误：无法核验 "), "{zh}");
    assert!(
        en.contains("manifest.json was not written by gongkai"),
        "{en}"
    );
}

#[test]
fn unreadable_copies_and_broken_warc_files_are_named_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "hello").unwrap();
    let ((code, _, zh), (_, _, en)) = both(&["verify", &s(&other)]);
    assert_eq!(code, 1);
    assert!(zh.contains("它不是文件夹、zip 文件或 WARC 文件"), "{zh}");
    assert!(en.contains("not a folder, a zip or a WARC file"), "{en}");
    let warc = dir.path().join("cut.warc");
    std::fs::write(&warc, b"WARC/1.1\r\nWARC-Type: warcinfo").unwrap();
    let ((_, _, zh), (_, _, en)) = both(&["verify", &s(&warc)]);
    assert!(zh.contains("第 1 条记录的头部没有结尾"), "{zh}");
    assert!(
        en.contains("record 1: no end of header (truncated?)"),
        "{en}"
    );
}

#[test]
fn keygen_speaks_chinese_and_keeps_the_site_yaml_lines_as_typed() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let key = s(&site.parent().join("k.pem"));
    let zh = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["keygen", "--out", &key, "--root", &root]),
    );
    assert_eq!(zh.0, 0, "{}", zh.2);
    assert!(zh.2.starts_with("已写出签名私钥 "), "{}", zh.2);
    assert!(zh.2.contains("指纹："), "{}", zh.2);
    // What is pasted into site.yaml stays YAML in every language.
    assert!(zh.1.starts_with("public_key: "), "{}", zh.1);
    assert!(zh.1.contains("\nsigning_key: "), "{}", zh.1);
    let ((code, _, zh), (_, _, en)) = both(&["keygen", "--out", &key, "--root", &root]);
    assert_eq!(code, 1);
    assert!(zh.contains("密钥文件从不覆盖"), "{zh}");
    assert!(en.contains("a key file is never overwritten"), "{en}");
}

#[test]
fn style_warnings_and_fix_listings_are_in_chinese() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let report = "content/2022/justice-bureau.zh.md";
    let text = site.read(report);
    let body = text.rfind("\n---\n").unwrap() + 5;
    // A half-width comma between Han characters: a safe fix of the style rules.
    site.write(
        report,
        format!("{}甲,乙\n\n{}", &text[..body], &text[body..]),
    );
    let ((code, _, zh), (_, _, en)) = both(&["check", "--root", &root]);
    assert_eq!(code, 0, "{zh}");
    let at = format!("{report}:");
    assert!(
        line_with(&zh, &at).contains(": 警告[half-width-punctuation]：中文中使用了半角"),
        "{zh}"
    );
    assert!(
        line_with(&en, &at).contains(": warning[half-width-punctuation]: half-width"),
        "{en}"
    );
    let ((code, zh_out, zh), (_, en_out, en)) = both(&["fix", "--check", "--root", &root]);
    assert_eq!(code, 1, "{zh}");
    assert!(
        line_with(&zh_out, report).contains("：可修正 1 处"),
        "{zh_out}"
    );
    assert!(
        line_with(&en_out, report).contains(": would fix 1"),
        "{en_out}"
    );
    assert!(zh.contains("其中 1 个可以修正"), "{zh}");
    assert!(en.contains("1 would fix"), "{en}");
    let outside = site.parent().join("elsewhere.zh.md");
    std::fs::write(&outside, "x").unwrap();
    let ((code, _, zh), (_, _, en)) = both(&["fix", "--root", &root, &s(&outside)]);
    assert_eq!(code, 2, "{zh}");
    assert!(zh.contains("不在网站的 content/ 文件夹中"), "{zh}");
    assert!(
        en.contains("is not inside the site's content/ folder"),
        "{en}"
    );
}

#[test]
fn status_and_a_bad_today_are_in_the_readers_language() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let ((code, zh_out, _), (_, en_out, _)) = both(&["status", "--root", &root]);
    assert_eq!(code, 0);
    assert_eq!(
        zh_out,
        "没有哪篇报告写明 site.yaml 中定义的报告类型（kind:）\n"
    );
    assert_eq!(
        en_out,
        "no report names a kind (kind:) that site.yaml declares\n"
    );
    let zh = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .env("GONGKAI_TODAY", "soon")
            .args(["status", "--root", &root]),
    );
    assert_eq!(zh.0, 2);
    assert_eq!(
        zh.2,
        "错误：GONGKAI_TODAY `soon` 不是日期，应写成 2024-04-01 这样的格式\n"
    );
}

#[test]
fn a_file_that_is_no_docx_and_a_bad_lang_value_are_explained_in_chinese() {
    let site = TempSite::copy_of("basic");
    let root = s(site.root());
    let file: PathBuf = site.parent().join("report.docx");
    std::fs::write(&file, "plain text").unwrap();
    let args = [
        "import",
        &s(&file),
        "--year",
        "2022",
        "--department",
        "justice-bureau",
        "--root",
        &root,
    ];
    let ((code, _, zh), (_, _, en)) = both(&args);
    assert_eq!(code, 1, "{zh}");
    assert!(
        line_with(&zh, "report.docx:1:1: ")
            .contains("错误：无法作为 Word .docx 文件读取：它不是 .docx 文件"),
        "{zh}"
    );
    assert!(en.contains("it does not start as a zip"), "{en}");
    let zh = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["--lang", "fr", "check"]),
    );
    assert_eq!(zh.0, 2);
    assert!(zh.2.contains("应为 `zh` 或 `en`"), "{}", zh.2);
}

/// Every error the output folder and the keys can give has Chinese of its own (a variant whose
/// key were missing would show English, or the bare key).
#[test]
fn every_output_and_trust_error_has_chinese() {
    let zh = Messages::new(UiLang::Zh);
    let p = || PathBuf::from("public");
    let io = || std::io::Error::other("disk full");
    let output = [
        OutputError::UnsafePath("../x".into()),
        OutputError::OutHoldsSources(p()),
        OutputError::OutNotAFolder(p()),
        OutputError::OutNotOurs(p()),
        OutputError::ChangesInOutput(p()),
        OutputError::Interrupted(p()),
        OutputError::BadJournal(p()),
        OutputError::ArchiveOverSite(p()),
        OutputError::ArchiveIsFolder(p()),
        OutputError::ArchiveNotOurs(p()),
        OutputError::Io {
            path: p(),
            source: io(),
        },
    ];
    let trust = [
        TrustError::io(&p(), io()),
        TrustError::Random("none".into()),
        TrustError::KeyPublished(p()),
        TrustError::KeyExists(p()),
        TrustError::KeyReadable(p(), 0o644),
        TrustError::NotAKey(p()),
        TrustError::BadPublicKey("x".into(), BadKey::NotBase64),
        TrustError::BadPublicKey("x".into(), BadKey::NotEd25519),
        TrustError::NoPublicKey(p(), "AAAA".into()),
        TrustError::KeyMismatch {
            path: p(),
            key: "a".into(),
            config: "b".into(),
        },
    ];
    let msgs = output.iter().map(|e| (e.msg(), e.to_string()));
    for (msg, english) in msgs.chain(trust.iter().map(|e| (e.msg(), e.to_string()))) {
        let text = zh.render(&msg);
        assert!(
            text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: {text}",
            msg.key
        );
        assert_eq!(english, msg.english(), "Display is the English text");
    }
}
