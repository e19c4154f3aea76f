//! The real `gongkai` binary: exit codes, messages on stderr, colour, progress, and the `build`,
//! `check` and `new` commands end to end.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TempSite, gongkai, read_tree, run, run_cmd};

fn root_arg(site: &TempSite) -> String {
    site.root().to_string_lossy().into_owned()
}

const BAD_DEPARTMENT: &str =
    "---\ntitle: 坏报告\ndepartment: justice-bureua\ndate: 2023-01-01\n---\n\n正文。\n";

#[test]
fn build_exits_0_and_writes_the_site() {
    let site = TempSite::copy_of("basic");
    let (code, stdout, stderr) = run(&["build", "--root", &root_arg(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // Notes (robots.txt below the host's root) come first; the summary line ends the output.
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("built 6 reports into "), "{stderr}");
    assert!(
        stderr
            .lines()
            .rev()
            .skip(1)
            .all(|l| l.starts_with("note: ")),
        "{stderr}"
    );
    let mut public = read_tree(&site.path("public"));
    // The marker is the folder's, not the site's: the library's in-memory build has no folder.
    assert!(
        public
            .remove(gongkai::output::MARKER)
            .is_some_and(|m| m.starts_with(b"This folder was written by `gongkai build`")),
    );
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "zh/feed.xml",
        "zh/2022/justice-bureau/index.html",
    ] {
        assert!(public.contains_key(file), "{file} missing");
    }
    assert_eq!(
        public,
        site.build(),
        "the binary builds what the library builds"
    );
}

#[test]
fn bad_content_exits_1_with_location_excerpt_and_hint() {
    let site = TempSite::copy_of("basic");
    site.write("content/2022/bad.zh.md", BAD_DEPARTMENT);
    let (code, stdout, stderr) = run(&["build", "--root", &root_arg(&site)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with(
            "content/2022/bad.zh.md:3:13: error: unknown department `justice-bureua`\n"
        ),
        "{stderr}"
    );
    // The excerpt shows the line with its number, and the hint.
    assert!(
        stderr.contains(" 3 │ department: justice-bureua"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `justice-bureau`?"),
        "{stderr}"
    );
    assert!(stderr.ends_with("error: 1 problem found\n"), "{stderr}");
    assert!(!site.path("public").exists(), "nothing published");
}

#[test]
fn three_broken_files_are_all_reported_and_exit_1() {
    let site = TempSite::copy_of("basic");
    site.write("content/2022/a.zh.md", BAD_DEPARTMENT);
    site.write(
        "content/2022/b.zh.md",
        "---\ntitle: b\ndepartment: justice-bureau\ndate: 2023-3-1\n---\n",
    );
    site.write(
        "content/2021/c.zh.md",
        "---\ntitel: c\ndepartment: justice-bureau\ndate: 2023-03-01\n---\n",
    );
    let (code, _, stderr) = run(&["build", "--root", &root_arg(&site)]);
    assert_eq!(code, 1, "{stderr}");
    for located in [
        "content/2021/c.zh.md:2:1: error: unknown field `titel`",
        "content/2022/a.zh.md:3:13: error: unknown department",
        "content/2022/b.zh.md:4:7: error: `2023-3-1` is not a date",
    ] {
        assert!(
            stderr.contains(located),
            "missing {located:?} in:\n{stderr}"
        );
    }
    assert!(stderr.ends_with("error: 3 problems found\n"), "{stderr}");
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["build", "--nope"][..],
        &[],
        &["new", "2024", "foo"],
        &["new", "year", "foo", "--department", "x"],
        &["frobnicate"],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 2, "gongkai {args:?}: {stderr}");
        // A usage error, or the help for a bare `gongkai`; on stderr either way.
        assert!(
            stderr.starts_with("error: ")
                || stderr.contains("\nUsage: gongkai [OPTIONS] <COMMAND>"),
            "{stderr}"
        );
        assert!(stdout.is_empty(), "{stdout}");
    }
}

#[test]
fn no_color_output_has_no_ansi_escapes() {
    let site = TempSite::copy_of("basic");
    site.write("content/2022/bad.zh.md", BAD_DEPARTMENT);
    let (code, _, stderr) =
        run_cmd(
            gongkai()
                .env("NO_COLOR", "1")
                .args(["build", "--root", &root_arg(&site)]),
        );
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown department"));
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
}

/// Runs the binary on a pseudo-terminal (util-linux `script`), so colour and progress decisions
/// see a terminal. `None` when `script` is not installed.
fn on_terminal(args: &str, no_color: bool) -> Option<String> {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: /usr/bin/script (util-linux) is not installed");
        return None;
    }
    let mut cmd = Command::new("/usr/bin/script");
    cmd.args([
        "-qec",
        &format!("{} {args}", env!("CARGO_BIN_EXE_gongkai")),
        "/dev/null",
    ]);
    cmd.env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().expect("run script");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let site = TempSite::copy_of("basic");
    site.write("content/2022/bad.zh.md", BAD_DEPARTMENT);
    let args = format!("build --root '{}'", root_arg(&site));
    let Some(coloured) = on_terminal(&args, false) else {
        return;
    };
    assert!(coloured.contains("unknown department"), "{coloured}");
    assert!(
        coloured.contains("\x1b["),
        "a terminal gets colour: {coloured:?}"
    );
    let plain = on_terminal(&args, true).expect("script present");
    assert!(plain.contains("unknown department"), "{plain}");
    assert!(
        !plain.contains('\x1b'),
        "NO_COLOR=1 on a terminal: {plain:?}"
    );
}

#[test]
fn progress_is_not_printed_when_not_a_terminal() {
    let site = TempSite::copy_of("basic");
    let (code, stdout, stderr) = run(&["build", "--root", &root_arg(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    assert!(!stderr.contains("pages"), "{stderr:?}");
    // The sample's base_url has a path: a note says where robots.txt belongs.
    let lines = stderr.lines().filter(|l| !l.starts_with("note: "));
    assert_eq!(lines.count(), 1, "one summary line: {stderr:?}");
    assert!(stdout.is_empty());
}

#[test]
fn check_passes_on_the_sample_site() {
    let (code, _, stderr) = run(&["check", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(code, 0, "{stderr}");
    // The sample's intended kind warnings (README "Report kinds") come first; the summary ends.
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("ok: "), "{stderr}");
    assert!(last.contains("internal links checked"), "{stderr}");
}

#[test]
fn check_writes_nothing() {
    let site = TempSite::copy_of("basic");
    let before = read_tree(site.parent());
    let (code, _, stderr) = run(&["check", "--root", &root_arg(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read_tree(site.parent()), before);
}

#[test]
fn check_fails_on_a_broken_markdown_link_naming_file_and_line() {
    let site = TempSite::copy_of("basic");
    let file = "content/2022/justice-bureau.zh.md";
    let text = site.read(file);
    let line = text.lines().count() + 2;
    site.write(file, format!("{text}\n另见[x](../../zh/nowhere/)。\n"));
    // Column 7 is the link's target, counted in characters (`另见` are two, not six bytes).
    let want = format!("{file}:{line}:7: error: broken link to `../../zh/nowhere/`");
    // `build` checks links as `check` does (one checker), and publishes nothing...
    let (code, _, stderr) = run(&["build", "--root", &root_arg(&site)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with(&want), "expected {want:?} in:\n{stderr}");
    // ...and `check` points at the link in the Markdown source.
    let (code, _, stderr) = run(&["check", "--root", &root_arg(&site)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with(&want), "expected {want:?} in:\n{stderr}");
    assert!(
        stderr.contains(&format!("{line} │ 另见[x](../../zh/nowhere/)。")),
        "excerpt: {stderr}"
    );
    // Regression: the excerpt header repeated the position with a byte column (`:11`).
    assert!(!stderr.contains(&format!("{file}:{line}:11")), "{stderr}");
    assert!(stderr.ends_with("error: 1 problem found\n"), "{stderr}");
}

#[test]
fn new_writes_a_draft_that_builds_and_refuses_to_overwrite() {
    let site = TempSite::copy_of("basic");
    let root = root_arg(&site);
    let new_foo = [
        "new",
        "2024",
        "foo",
        "--department",
        "justice-bureau",
        "--root",
        &root,
    ];
    let (code, _, stderr) = run(&new_foo);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("content/2024/foo.zh.md"), "{stderr}");
    let written = site.read("content/2024/foo.zh.md");
    assert!(
        written.starts_with(
            "---\ntitle: \"示例区司法局2024年度报告\"\ndepartment: justice-bureau\nyear: 2024\n"
        ),
        "{written}"
    );
    assert!(written.contains("\ndraft: true\n"), "{written}");

    // A draft: left out of a build, built with --drafts.
    let (code, _, stderr) = run(&["build", "--root", &root]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!site.path("public/zh/2024").exists());
    let (code, _, stderr) = run(&["build", "--drafts", "--root", &root]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(site.path("public/zh/2024/foo/index.html")).unwrap();
    assert!(page.contains("<h1>示例区司法局2024年度报告</h1>"));

    // Never overwrites an existing report.
    site.write(
        "content/2024/foo.zh.md",
        format!("{written}编辑过的正文。\n"),
    );
    let (code, _, stderr) = run(&new_foo);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/2024/foo.zh.md:1:1: error: file already exists"),
        "{stderr}"
    );
    assert!(
        site.read("content/2024/foo.zh.md")
            .ends_with("编辑过的正文。\n")
    );
}

#[test]
fn new_takes_language_and_title_and_checks_the_department() {
    let site = TempSite::copy_of("basic");
    let root = root_arg(&site);
    let (code, _, stderr) = run(&[
        "new",
        "2024",
        "bar",
        "--department",
        "market-regulation",
        "--lang",
        "en",
        "--title",
        "Bar \"quoted\": report",
        "--root",
        &root,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let written = site.read("content/2024/bar.en.md");
    assert!(
        written.starts_with("---\ntitle: \"Bar \\\"quoted\\\": report\"\n"),
        "{written}"
    );
    let (code, _, stderr) = run(&["build", "--drafts", "--root", &root]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(site.path("public/en/2024/bar/index.html")).unwrap();
    assert!(
        page.contains("<h1>Bar &quot;quoted&quot;: report</h1>"),
        "{page}"
    );

    let (code, _, stderr) = run(&[
        "new",
        "2024",
        "baz",
        "--department",
        "justice-bureua",
        "--root",
        &root,
    ]);
    // A bad command-line value is a usage error (2), not a position in site.yaml.
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: unknown department `justice-bureua`\n  help: did you mean `justice-bureau`?\n"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("site.yaml"), "{stderr}");
    assert!(!site.path("content/2024/baz.zh.md").exists());
}

#[test]
fn base_url_flag_changes_canonical_links() {
    let site = TempSite::copy_of("basic");
    let out = site.parent().join("out");
    let (code, _, stderr) = run(&[
        "build",
        "--root",
        &root_arg(&site),
        "--base-url",
        "https://other.example/x/",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let files = read_tree(&out);
    let page = common::text(&files, "zh/2022/justice-bureau/index.html");
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://other.example/x/zh/2022/justice-bureau/">"#
        ),
        "{page}"
    );
    assert!(page.contains(
        r#"<meta name="Url" content="https://other.example/x/zh/2022/justice-bureau/">"#
    ));
    assert!(page.contains(r#"<meta name="SiteDomain" content="other.example">"#));
    assert!(common::text(&files, "sitemap.xml").contains("<loc>https://other.example/x/en/</loc>"));
    assert!(
        common::text(&files, "zh/feed.xml")
            .contains("<id>https://other.example/x/zh/feed.xml</id>")
    );
    assert!(common::text(&files, "404.html").contains(r#"href="/x/zh/""#));
    for (file, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("www.example.gov.cn"),
            "{file} still names site.yaml's base_url"
        );
    }
    assert!(!site.path("public").exists(), "--out replaces public/");
}

/// Regression: `--out content` swapped the built site in for the reports and deleted them.
#[test]
fn build_refuses_an_out_folder_holding_the_site() {
    let site = TempSite::copy_of("basic");
    let before = read_tree(site.root());
    for out in [
        site.path("content"),
        site.root().to_path_buf(),
        site.parent().to_path_buf(),
        site.path("content/2022"),
    ] {
        let (code, _, stderr) = run(&[
            "build",
            "--root",
            &root_arg(&site),
            "--out",
            &out.to_string_lossy(),
        ]);
        assert_eq!(code, 1, "--out {}: {stderr}", out.display());
        assert!(stderr.contains("refusing to build into"), "{stderr}");
        assert_eq!(
            read_tree(site.root()),
            before,
            "--out {} changed the site",
            out.display()
        );
    }
    assert_eq!(common::entries(site.parent()), ["site"]);
}
