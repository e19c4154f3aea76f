//! The fuzz targets of `fuzz/` on stable Rust, over a generated corpus, on every `cargo test`:
//! the sample reports and `site.yaml` files mutated (byte flips, YAML and Markdown punctuation,
//! full-width characters, CR, BOM, NUL, invalid UTF-8, UTF-16, truncation, splicing), structured
//! front matter and configs, and large hostile inputs. Cases are deterministic (fixed seed); a
//! failure prints the case number and the input.

#[path = "../fuzz/targets/mod.rs"]
mod targets;

#[path = "fuzz_loaders/hostile.rs"]
mod hostile;
#[path = "fuzz_loaders/mutate.rs"]
mod mutate;
#[path = "fuzz_loaders/structured.rs"]
mod structured;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use mutate::{Rng, mutate};
use targets::Fixture;
use targets::Reached::{NoFrontMatter, NotText, Problems, Valid};

/// Cases per test; four tests share the budget of a few thousand.
const CASES: usize = 1500;
const SEED: u64 = 0x6f6e_676b_6169;

/// Runs `target` on `input`; on a panic, fails naming the case and showing the input.
fn run_case<R>(what: &str, case: usize, input: &[u8], target: impl FnOnce(&[u8]) -> R) -> R {
    match catch_unwind(AssertUnwindSafe(|| target(input))) {
        Ok(r) => r,
        Err(_) => panic!(
            "{what}, case {case}: the target panicked (message above) on this input ({} bytes):\n{}",
            input.len(),
            escaped(input)
        ),
    }
}

/// How many cases ended at each outcome; printed, and checked so a corpus that stopped
/// reaching a stage (say, every case refused as text) fails instead of passing vacuously.
#[derive(Default)]
struct Tally<K: Ord>(BTreeMap<K, usize>);

impl<K: Ord + std::fmt::Debug> Tally<K> {
    fn add(&mut self, k: K) {
        *self.0.entry(k).or_default() += 1;
    }

    /// Each of `stages` reached by at least `min` cases.
    fn assert_reached(&self, what: &str, stages: &[K], min: usize) {
        eprintln!("{what}: {:?}", self.0);
        for stage in stages {
            let n = self.0.get(stage).copied().unwrap_or(0);
            assert!(
                n >= min,
                "{what}: only {n} cases reached {stage:?}: {:?}",
                self.0
            );
        }
    }
}

/// The input as a Rust literal: a string when it is UTF-8, bytes otherwise.
fn escaped(input: &[u8]) -> String {
    const MAX: usize = 20_000;
    let shown = &input[..input.len().min(MAX)];
    let literal = match std::str::from_utf8(shown) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("b\"{}\"", shown.escape_ascii()),
    };
    if input.len() > MAX {
        format!("{literal} … ({} more bytes)", input.len() - MAX)
    } else {
        literal
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dirs` (relative to the repository) named `*.{ext}`, sorted for determinism.
fn seeds(dirs: &[&str], name: impl Fn(&Path) -> bool) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(repo().join(d)))
        .map(|e| e.expect("readable seed folder").into_path())
        .filter(|p| p.is_file() && name(p))
        .collect();
    paths.sort();
    paths.dedup();
    assert!(!paths.is_empty(), "no seed files in {dirs:?}");
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed"))
        .collect()
}

fn report_seeds() -> Vec<Vec<u8>> {
    seeds(&["content", "tests/fixtures"], |p| {
        p.extension().is_some_and(|e| e == "md")
    })
}

fn site_seeds() -> Vec<Vec<u8>> {
    seeds(&["site.yaml", "tests/fixtures"], |p| {
        p.file_name().is_some_and(|n| n == "site.yaml")
    })
}

/// The bodies of the sample reports, plus Markdown the samples do not use.
fn body_seeds() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = report_seeds()
        .iter()
        .filter_map(|r| {
            let text = std::str::from_utf8(r).ok()?;
            let (_, body) = text.split_once("\n---\n")?;
            Some(body.as_bytes().to_vec())
        })
        .collect();
    for extra in [
        "| 甲 | 乙 |\n|---|:-:|\n| 1 | 2 |\n",
        "脚注[^1]。\n\n[^1]: 说明\n",
        "- a\n  - b\n    1. c\n\n> 引用\n> > 嵌套\n",
        "```rust\nfn x() {}\n```\n\n    缩进代码\n",
        "<div>块</div>\n\n行内 <b>粗</b> <script>x</script>\n",
        "见[去年](../2021/justice-bureau.md#一)和[英文](../2022/market-regulation.en.md)。\n[坏](../2021/nowhere.md)\n",
        "Setext\n===\n\n# ATX #\n\n***\n\n~~删~~ https://example.gov.cn <http://x.cn>\n",
        "[ref]: ../2023/justice-bureau.zh.md\n\n[引用][ref] ![图](a.png)\n",
    ] {
        bodies.push(extra.as_bytes().to_vec());
    }
    bodies
}

/// `CASES` mutations of `seeds`, each run through `target`; how many ended where.
fn mutated<K: Ord + std::fmt::Debug>(
    what: &str,
    salt: u64,
    seeds: &[Vec<u8>],
    mut target: impl FnMut(&[u8]) -> K,
) -> Tally<K> {
    let mut rng = Rng::new(SEED ^ salt);
    let mut tally = Tally(BTreeMap::new());
    for case in 0..CASES {
        let seed = rng.pick(seeds).clone();
        let input = mutate(&mut rng, &seed, seeds);
        tally.add(run_case(what, case, &input, &mut target));
    }
    tally
}

#[test]
fn mutated_site_yaml_never_panics_and_points_inside_the_file() {
    let tally = mutated("site.yaml", 1, &site_seeds(), targets::site_yaml);
    tally.assert_reached("site.yaml", &[true, false], CASES / 20);
}

#[test]
fn mutated_reports_never_panic_and_point_inside_the_file() {
    let fx = Fixture::new();
    let tally = mutated("report file", 2, &report_seeds(), |b| {
        targets::report_file(&fx, b)
    });
    tally.assert_reached("report file", &[NotText, NoFrontMatter], 5);
    tally.assert_reached("report file", &[Problems, Valid], CASES / 20);
}

#[test]
fn mutated_markdown_never_panics_and_points_inside_the_file() {
    let fx = Fixture::new();
    let tally = mutated("Markdown body", 3, &body_seeds(), |b| {
        targets::markdown_body(&fx, b)
    });
    // Only a link to a missing report is an error in a body.
    tally.assert_reached("Markdown body", &[Problems], 5);
    tally.assert_reached("Markdown body", &[Valid], CASES / 20);
}

#[test]
fn structured_front_matter_and_configs_point_inside_the_file() {
    let fx = Fixture::new();
    let mut rng = Rng::new(SEED ^ 4);
    let mut reports = Tally(BTreeMap::new());
    let mut sites = Tally(BTreeMap::new());
    for case in 0..CASES {
        let mut report = structured::report(&mut rng);
        let mut site = structured::site_yaml(&mut rng);
        // One in four also gets a byte-level mutation.
        if rng.one_in(4) {
            report = mutate(&mut rng, &report, &[site.clone()]);
            site = mutate(&mut rng, &site, &[report.clone()]);
        }
        reports.add(run_case("structured report", case, &report, |b| {
            targets::report_file(&fx, b)
        }));
        sites.add(run_case(
            "structured site.yaml",
            case,
            &site,
            targets::site_yaml,
        ));
    }
    reports.assert_reached("structured report", &[Problems, Valid], CASES / 20);
    sites.assert_reached("structured site.yaml", &[true, false], CASES / 20);
}

#[test]
fn hostile_inputs_finish() {
    run_hostile(hostile::inputs(hostile::N));
}

/// Runs each input of `inputs` through its target, printing how long it took.
fn run_hostile(inputs: Vec<hostile::Hostile>) {
    let fx = Fixture::new();
    for (case, h) in inputs.into_iter().enumerate() {
        let what = format!("hostile input `{}`", h.name);
        let started = std::time::Instant::now();
        let outcome = run_case(&what, case, &h.bytes, |b| match h.target {
            hostile::Target::SiteYaml => format!("valid: {}", targets::site_yaml(b)),
            hostile::Target::ReportFile => format!("{:?}", targets::report_file(&fx, b)),
            hostile::Target::MarkdownBody => format!("{:?}", targets::markdown_body(&fx, b)),
        });
        // Shown with --nocapture; not asserted (speed is measured by benchmarks).
        eprintln!("{what}: {outcome}, {:?}", started.elapsed());
    }
}

/// `markdown::plain_text` once recursed per nesting level, so 10,000 nested quotes or
/// emphases overflowed the 2 MiB stack of a test thread or a rayon worker and aborted the
/// whole process (not a panic: nothing catches it); it now walks the tree iteratively.
#[test]
fn deep_markdown_nesting_does_not_overflow_the_stack() {
    run_hostile(hostile::deep_nesting(hostile::N));
}

/// The excerpt renderer (miette, before gongkai drew its own) formatted the underline with a
/// width of the label's column, and Rust refuses
/// widths over 65,535 ("Formatting argument out of range"): the excerpt is cut to a window
/// around the position (`diagnostics/excerpt.rs`) so a problem far along a long line renders.
#[test]
fn diagnostic_far_along_a_long_line_renders() {
    let fx = Fixture::new();
    let themes = "rule-of-law, ".repeat(6_000);
    let text = format!(
        "---\ntitle: t\ndepartment: justice-bureau\ndate: 2022-03-01\nthemes: [{themes}]\n---\n"
    );
    run_case("long line", 0, text.as_bytes(), |b| {
        targets::report_file(&fx, b)
    });
}
