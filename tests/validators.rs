//! The Nu Html Checker (vnu.jar, installed by `.ci/run` from npm's `vnu-jar`) over every page
//! the binary builds for the sample site, the fixture sites and a 200-pair reference corpus:
//! no error and no warning (README "Validators").

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, gongkai, run_cmd};

/// Where `.ci/run` installs the checker, unless `VNU_JAR` names another copy.
fn vnu_jar() -> PathBuf {
    if let Some(path) = std::env::var_os("VNU_JAR") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
}

fn build(root: &Path, out: &Path) {
    let (code, _, stderr) = run_cmd(
        gongkai()
            .arg("build")
            .arg("--root")
            .arg(root)
            .arg("--out")
            .arg(out),
    );
    assert_eq!(code, 0, "build of {} failed:\n{stderr}", root.display());
}

fn corpus(dir: &Path, pairs: usize) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .arg(pairs.to_string())
        .status()
        .expect("run python3 bench/gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
}

/// One message of the checker's JSON output, as a line a person can act on.
fn describe(m: &serde_json::Value) -> String {
    let s = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let n = |k: &str| m.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    format!(
        "{}:{}:{}: {}{}: {}\n    {}",
        s("url"),
        n("lastLine"),
        n("firstColumn"),
        s("type"),
        m.get("subType")
            .and_then(|v| v.as_str())
            .map(|t| format!(" ({t})"))
            .unwrap_or_default(),
        s("message"),
        s("extract").replace('\n', " ")
    )
}

/// Errors, and warnings too: this checker reports obsolete markup (the `align` attribute) as a
/// warning, which a page meant to pass the checker may not carry either. Plain information
/// messages (`type: info` without `subType`) are not problems.
fn problems(report: &serde_json::Value) -> Vec<String> {
    report["messages"]
        .as_array()
        .expect("the checker's JSON has a messages list")
        .iter()
        .filter(|m| m["type"] != "info" || m["subType"] == "warning")
        .map(describe)
        .collect()
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    assert!(
        jar.is_file(),
        "{} is missing: run .ci/run, or `npm install --prefix target/vnu vnu-jar`, or set VNU_JAR",
        jar.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    let mut add = |name: &str, root: &Path| {
        let out = tmp.path().join(name);
        build(root, &out);
        outs.push(out);
    };
    add("sample", Path::new(env!("CARGO_MANIFEST_DIR")));
    for name in ["basic", "hostile", "ranking"] {
        add(name, &fixture(name));
    }
    let corpus_root = tmp.path().join("corpus-site");
    corpus(&corpus_root, 200);
    add("corpus", &corpus_root);

    // One run over every folder: the checker's start-up is most of its time.
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--skip-non-html"])
        .args(&outs)
        .output()
        .expect("run java -jar vnu.jar (install a JRE: default-jre-headless)");
    // The checker writes its JSON report to stderr.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "the checker's output is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let found = problems(&report);
    assert!(
        found.is_empty(),
        "the Nu Html Checker found {} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}
