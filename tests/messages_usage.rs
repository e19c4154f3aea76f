//! A mistyped command line is said in the reader's language (README "Messages in your
//! language"): an unknown command or option with the nearest one, a value that is missing or
//! not valid, a required argument left out; exit status 2, clap's usage line kept. Help stays
//! clap's.

mod common;

use common::{gongkai, run_cmd};

/// `gongkai args…` under a Chinese locale, then with `--lang en` before them.
fn both(args: &[&str]) -> ((i32, String), (i32, String)) {
    let zh = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").args(args));
    let en = run_cmd(
        gongkai()
            .env("LANG", "zh_CN.UTF-8")
            .args(["--lang", "en"])
            .args(args),
    );
    ((zh.0, zh.2), (en.0, en.2))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[test]
fn an_unknown_command_names_the_nearest_one() {
    let ((zc, zh), (ec, en)) = both(&["biuld"]);
    assert_eq!((zc, ec), (2, 2), "{zh}\n{en}");
    assert_eq!(first_line(&zh), "错误：没有 `biuld` 这个命令", "{zh}");
    assert!(zh.contains("提示：是不是要写 `build`？"), "{zh}");
    assert!(zh.contains("\nUsage: gongkai"), "{zh}");
    assert!(zh.contains("`gongkai --help`"), "{zh}");
    assert_eq!(
        first_line(&en),
        "error: there is no command `biuld`",
        "{en}"
    );
    assert!(en.contains("help: did you mean `build`?"), "{en}");
}

#[test]
fn a_command_nothing_like_any_lists_them_all() {
    let ((code, zh), _) = both(&["zzzz"]);
    assert_eq!(code, 2, "{zh}");
    for command in ["`build`", "`check`", "`serve`", "`import`", "`verify`"] {
        assert!(zh.contains(command), "{command}: {zh}");
    }
    assert!(!zh.contains("`help`"), "{zh}");
}

#[test]
fn an_unknown_option_names_the_nearest_one() {
    let ((zc, zh), (_, en)) = both(&["build", "--outt", "x"]);
    assert_eq!(zc, 2, "{zh}");
    assert_eq!(first_line(&zh), "错误：这里没有 `--outt` 这个选项", "{zh}");
    assert!(zh.contains("`--out`"), "{zh}");
    assert_eq!(
        first_line(&en),
        "error: there is no option `--outt` here",
        "{en}"
    );
}

#[test]
fn missing_and_bad_values_name_the_option() {
    let ((zc, zh), (_, en)) = both(&["check", "--root"]);
    assert_eq!(zc, 2, "{zh}");
    assert_eq!(
        first_line(&zh),
        "错误：`--root <ROOT>` 后面要写一个值",
        "{zh}"
    );
    assert_eq!(
        first_line(&en),
        "error: `--root <ROOT>` needs a value after it",
        "{en}"
    );
    let ((zc, zh), _) = both(&["status", "--year", "二〇二四"]);
    assert_eq!(zc, 2, "{zh}");
    assert!(
        first_line(&zh).starts_with("错误：`二〇二四` 不是 `--year <YEAR>` 的有效取值："),
        "{zh}"
    );
}

#[test]
fn a_required_argument_left_out_is_named() {
    let ((zc, zh), (_, en)) = both(&["new", "2024"]);
    assert_eq!(zc, 2, "{zh}");
    let line = first_line(&zh);
    assert!(line.starts_with("错误：这个命令还需要填写 "), "{zh}");
    assert!(
        line.contains("--department") && line.contains("<STEM>"),
        "{zh}"
    );
    assert!(
        first_line(&en).starts_with("error: this command also needs "),
        "{en}"
    );
}

#[test]
fn the_language_flag_before_the_command_decides_even_in_a_usage_error() {
    let (code, _, err) = run_cmd(gongkai().env("LANG", "C").args(["--lang", "zh", "biuld"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("错误："), "{err}");
    // After the command, `--lang` is a report's language, not the messages'.
    let (code, _, err) = run_cmd(gongkai().env("LANG", "C").args(["new", "--lang", "zh"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn help_is_still_clap_s_own_and_succeeds() {
    let (code, out, err) = run_cmd(gongkai().env("LANG", "zh_CN.UTF-8").arg("--help"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Usage: gongkai [OPTIONS] <COMMAND>"), "{out}");
}
