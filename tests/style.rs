//! The style rules end to end (README "Style rules"): `gongkai fix` on the seed report, the
//! sample site as published after `fix`, and the `check` / `fix` command lines.

mod common;

use std::path::Path;

use common::{TempSite, gongkai, run, run_cmd};
use gongkai::style::StyleConfig;
use gongkai::style::file::check_file;
use gongkai::style::fix::fix_text;

const SEED: &str = include_str!("fixtures/style/seed-raw.zh.md");

fn prefer() -> StyleConfig {
    StyleConfig {
        prefer: vec![("习大大".into(), "习近平".into())],
        ..StyleConfig::default()
    }
}

fn han(text: &str) -> String {
    text.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c) || ('\u{3400}'..='\u{4DBF}').contains(c))
        .collect()
}

#[test]
fn fixing_the_seed_leaves_no_warning_and_the_same_han_characters() {
    let shown = Path::new("content/2022/justice-bureau.zh.md");
    assert!(
        check_file(SEED, shown, &prefer()).len() > 100,
        "the raw seed has mistakes"
    );
    let (fixed, changes) = fix_text(SEED, shown, &prefer());
    assert!(!changes.is_empty());
    let left = check_file(&fixed, shown, &prefer());
    assert!(left.is_empty(), "{left:?}");
    // Only punctuation and the preferred words changed.
    assert_eq!(han(&fixed), han(&SEED.replace("习大大", "习近平")));
    assert_eq!(
        fixed.split("\n---\n").next(),
        SEED.split("\n---\n").next(),
        "front matter untouched"
    );
    assert!(
        !fixed.contains(',')
            || fixed
                .split("\n---\n")
                .nth(1)
                .is_some_and(|b| !b.contains(','))
    );
}

#[test]
fn the_sample_site_publishes_the_seed_as_fixed() {
    let published = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2022/justice-bureau.zh.md"),
    )
    .unwrap();
    let (fixed, _) = fix_text(SEED, Path::new("x.zh.md"), &prefer());
    assert_eq!(published, fixed);
}

const REPORT: &str = "---\ntitle: \"标题,不改\"\ndepartment: justice-bureau\ndate: 2023-03-01\n---\n\n2022年,我局坚持\"双统筹\"。\n\n## 一、甲\n\n## 三、丙\n\n`代码,不改` 见 http://example.gov.cn/a,b 。\n";

fn site_with(report: &str, style: &str) -> TempSite {
    let site = TempSite::copy_of("basic");
    site.write("content/2022/style-test.zh.md", report);
    if !style.is_empty() {
        let config = site.read("site.yaml");
        site.write("site.yaml", format!("{config}{style}"));
    }
    site
}

fn root(site: &TempSite) -> String {
    site.root().to_string_lossy().into_owned()
}

#[test]
fn check_prints_warnings_with_place_and_strict_fails_on_them() {
    let site = site_with(REPORT, "");
    let (code, _, stderr) = run(&["check", "--root", &root(&site)]);
    assert_eq!(code, 0, "warnings do not fail check: {stderr}");
    let at = "content/2022/style-test.zh.md:7:6: warning[half-width-punctuation]";
    assert!(stderr.contains(at), "{stderr}");
    assert!(
        stderr.contains("content/2022/style-test.zh.md:7:11: warning[straight-quotes]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/2022/style-test.zh.md:11:4: warning[section-numbering]"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(":13:"),
        "nothing in code or addresses: {stderr}"
    );
    let (code, _, _) = run(&["check", "--strict", "--root", &root(&site)]);
    assert_eq!(code, 1);
    // A warning never stops build.
    let (code, _, stderr) = run(&["build", "--root", &root(&site)]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn rule_levels_from_site_yaml() {
    let site = site_with(
        REPORT,
        "style:\n  rules: { half-width-punctuation: error, straight-quotes: off }\n",
    );
    let (code, _, stderr) = run(&["check", "--root", &root(&site)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/2022/style-test.zh.md:7:6: error: [half-width-punctuation]"),
        "{stderr}"
    );
    assert!(!stderr.contains("straight-quotes"), "{stderr}");
    assert!(stderr.contains("warning[section-numbering]"), "{stderr}");
    let site = site_with(REPORT, "style:\n  rules: { straight-quote: off }\n");
    let (code, _, stderr) = run(&["check", "--root", &root(&site)]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("did you mean `straight-quotes`?"),
        "{stderr}"
    );
}

#[test]
fn fix_rewrites_in_place_once_keeps_front_matter_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with(REPORT, "style:\n  prefer: { 我局: 本局 }\n");
    let file = site.path("content/2022/style-test.zh.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, stdout, stderr) = run(&["fix", "--check", "--root", &root(&site)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("content/2022/style-test.zh.md: would fix"),
        "{stdout}"
    );
    assert_eq!(
        site.read("content/2022/style-test.zh.md"),
        REPORT,
        "--check writes nothing"
    );
    let (code, stdout, stderr) = run(&["fix", "--root", &root(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  7:6: half-width-punctuation: `,` → `，`"),
        "{stdout}"
    );
    assert!(stdout.contains("preferred-wording 1"), "{stdout}");
    let fixed = site.read("content/2022/style-test.zh.md");
    assert_eq!(
        fixed,
        REPORT.replace("2022年,我局坚持\"双统筹\"", "2022年，本局坚持“双统筹”")
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let (code, stdout, _) = run(&["fix", "--check", "--root", &root(&site)]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, ""),
        "a second run changes nothing"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path("content/2022"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("gongkai-fix"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn fix_refuses_paths_outside_content_and_non_reports() {
    let site = site_with(REPORT, "");
    let outside = site.parent().join("elsewhere.zh.md");
    std::fs::write(&outside, REPORT).unwrap();
    for path in [
        outside,
        site.path("site.yaml"),
        site.path("content/2022/notes.txt"),
    ] {
        let _ = std::fs::write(site.path("content/2022/notes.txt"), "x");
        let (code, _, stderr) = run_cmd(gongkai().args(["fix", "--root", &root(&site)]).arg(&path));
        assert_eq!(code, 2, "{}: {stderr}", path.display());
    }
    assert_eq!(
        std::fs::read_to_string(site.parent().join("elsewhere.zh.md")).unwrap(),
        REPORT
    );
    // A file named inside content/ is fixed, and only it.
    let (code, stdout, stderr) = run_cmd(
        gongkai()
            .args(["fix", "--root", &root(&site)])
            .arg(site.path("content/2022/style-test.zh.md")),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("style-test.zh.md: fixed"), "{stdout}");
}

#[test]
fn fix_leaves_frozen_reports_alone_unless_named() {
    let site = site_with(REPORT, "");
    let (code, _, stderr) = run(&["freeze", "2022", "--root", &root(&site)]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(&["fix", "--root", &root(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("style-test"), "{stdout}");
    assert!(
        stderr.contains("frozen report files left as they are"),
        "{stderr}"
    );
    assert_eq!(site.read("content/2022/style-test.zh.md"), REPORT);
    let named = site.path("content/2022/style-test.zh.md");
    let (code, stdout, stderr) =
        run_cmd(gongkai().args(["fix", "--root", &root(&site)]).arg(&named));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("style-test.zh.md: fixed"), "{stdout}");
    assert!(
        stderr.contains("is frozen in archive.lock: add a `revisions:` entry"),
        "{stderr}"
    );
}

#[test]
fn the_preview_lists_warnings_beside_the_page_and_keeps_them_current() {
    use gongkai::serve::{DerivedMode, LiveSite, Outcome, Plan, Shared};
    let site = TempSite::sample();
    let published = Shared::default();
    let mut live = LiveSite::new(
        site.options(),
        DerivedMode::Inline(Box::default()),
        published.clone(),
    );
    live.apply(&Plan::full());
    assert_eq!(
        published.read().unwrap().warnings,
        None,
        "the sample site is clean"
    );
    let rel = "content/2022/justice-bureau.zh.md";
    site.replace(rel, "2022年，我局", "2022年,我局");
    let mut plan = Plan::default();
    plan.add(Path::new(rel), "default");
    let applied = live.apply(&plan);
    assert!(
        matches!(applied.outcome, Outcome::Changed(_)),
        "a warning never stops the preview"
    );
    let shown = published
        .read()
        .unwrap()
        .warnings
        .clone()
        .unwrap_or_default();
    assert!(
        shown.starts_with(&format!("{rel}:20:6: warning[half-width-punctuation]")),
        "{shown}"
    );
    assert_eq!(shown.lines().count(), 1, "{shown}");
    site.replace(rel, "2022年,我局", "2022年，我局");
    live.apply(&plan);
    assert_eq!(published.read().unwrap().warnings, None);
}
