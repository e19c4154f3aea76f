//! `gongkai serve`, as a property: after any sequence of edits, what the preview's incremental
//! engine serves is byte for byte what a full build of the same files gives (pages, search
//! index and `manifest.json`); an edit that breaks the site is reported as broken and leaves the
//! served output as it was (README, "Previewing"); lost watcher events are made up by
//! `LiveSite::reconcile`. After each edit `build` with its cache (README "Rebuilding") writes
//! the same files into the site's `public/`, or fails as the full build does.
//!
//! Sequences of 3 to 8 random edits run on fresh copies of `tests/fixtures/basic`, one seeded
//! generator each. A failure names its seed: `GONGKAI_PROP_SEED=<n>` reruns that sequence
//! alone, `GONGKAI_PROP_CASES=<n>` sets how many sequences run (seeds 0 to n-1).

mod common;

use std::fmt::Write as _;
use std::ops::{Range, RangeInclusive};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{Files, TempSite};
use gongkai::serve::{DerivedMode, LiveSite, Outcome, Plan, Shared};
use gongkai::{BuildOptions, Error};

/// Sequences per run unless `GONGKAI_PROP_CASES` says otherwise.
const CASES: u64 = 300;
const EDITS: RangeInclusive<usize> = 3..=8;
/// One sequence in this many builds with `--drafts`.
const DRAFTS_ONE_IN: u8 = 4;
/// Percent of edits whose watcher events are partly lost.
const LOST_PERCENT: u8 = 12;

const YEARS: [u16; 5] = [2020, 2021, 2022, 2023, 2024];
const STEMS: [&str; 5] = [
    "justice-bureau",
    "market-regulation",
    "finance-bureau",
    "audit-office",
    "legal-affairs",
];
/// The departments and themes of the fixture's `site.yaml`.
const DEPARTMENTS: [&str; 3] = ["justice-bureau", "market-regulation", "finance-bureau"];
const THEMES: [&str; 3] = ["rule-of-law", "legal-aid", "business-environment"];
/// Added to the fixture's themes; no report uses a theme whose key starts with `unused-`.
const UNUSED_THEME: &str = "    unused-0: { zh: 未用主题, en: Unused theme }";

#[test]
fn the_preview_equals_a_full_build_after_random_edit_sequences() {
    let seeds: Vec<u64> = match env_number("GONGKAI_PROP_SEED") {
        Some(seed) => vec![seed],
        None => (0..env_number("GONGKAI_PROP_CASES").unwrap_or(CASES)).collect(),
    };
    for seed in seeds {
        // Caught so that any panic, the engine's own included, names the seed to rerun.
        if let Err(e) = panic::catch_unwind(AssertUnwindSafe(|| run_sequence(seed))) {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{msg}\nrerun this sequence alone with GONGKAI_PROP_SEED={seed}");
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value}: not a number")),
    )
}

fn run_sequence(seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let drafts = rng.u8(..DRAFTS_ONE_IN) == 0;
    let edits = rng.usize(EDITS);
    let mut s = Sequence::new(rng, drafts);
    for _ in 0..edits {
        s.step();
    }
}

/// A file's content before an edit (`None`: it did not exist).
type Before = Vec<(String, Option<String>)>;

/// One fixture site, its live preview, and the edits made to it so far.
struct Sequence {
    site: TempSite,
    live: LiveSite,
    published: Shared,
    drafts: bool,
    rng: fastrand::Rng,
    /// Every write sets the file's modification time to the next tick of this clock: stamps
    /// (time and length) then always change, even for a write of the same length within the
    /// file system's clock granularity, so `reconcile` sees every write.
    clock: u64,
    /// Numbers the text edits write (titles, paragraphs, links), so that no two are alike.
    serial: usize,
    /// The edit being made: what its files held before.
    pending: Before,
    /// Edits not reverted yet, newest last.
    undo: Vec<Before>,
    /// What was done so far, for failure messages.
    log: Vec<String>,
    /// The last full build failed.
    broken: bool,
}

/// A report file under `content/<year>/`.
#[derive(Debug, Clone)]
struct ReportFile {
    rel: String,
    year: u16,
    stem: String,
    lang: &'static str,
}

impl ReportFile {
    fn name(&self) -> &str {
        self.rel.rsplit('/').next().expect("a file name")
    }
}

impl Sequence {
    fn new(rng: fastrand::Rng, drafts: bool) -> Sequence {
        let site = TempSite::copy_of("basic");
        // A theme no report uses, so that removing one is always an edit to try.
        site.replace(
            "site.yaml",
            "  themes:\n",
            &format!("  themes:\n{UNUSED_THEME}\n"),
        );
        let published = Shared::default();
        let mut opts = site.options();
        opts.drafts = drafts;
        let mut live = LiveSite::new(opts, DerivedMode::Inline(Box::default()), published.clone());
        let first = live.apply(&Plan::full()).outcome;
        assert!(matches!(first, Outcome::Changed(_)), "{first:?}");
        Sequence {
            site,
            live,
            published,
            drafts,
            rng,
            clock: 0,
            serial: 0,
            pending: Vec::new(),
            undo: Vec::new(),
            log: vec![format!(
                "fixture `basic` with {UNUSED_THEME:?}, drafts: {drafts}"
            )],
            broken: false,
        }
    }

    /// One random edit, checked.
    fn step(&mut self) {
        // A broken site is mostly repaired by undoing, so sequences do not stay broken.
        let revert_percent = if self.broken { 50 } else { 8 };
        if !self.undo.is_empty() && self.rng.u8(..100) < revert_percent {
            return self.revert();
        }
        let done = match self.rng.u8(..100) {
            0..10 => self.edit_body(),
            10..16 => self.edit_field("title"),
            16..22 => self.edit_field("date"),
            22..28 => {
                let key = ["summary", "figures", "revisions"][self.rng.usize(..3)];
                self.edit_field(key)
            }
            28..34 => self.edit_shared("department"),
            34..40 => self.edit_shared("themes"),
            40..47 => self.add_report(),
            47..53 => self.delete_report(),
            53..59 => self.rename_report(false),
            59..64 => self.rename_report(true),
            64..71 => self.toggle_draft(),
            71..79 => return self.break_then_fix(),
            79..86 => self.edit_site_yaml(),
            86..93 => self.add_link(),
            93..97 => self.add_translation(),
            _ => self.remove_translation(),
        };
        if !done {
            // Nothing to edit of that kind: add a report (a sequence is too short to fill every
            // place of `YEARS` × `STEMS`).
            assert!(self.add_report(), "no free place for a new report");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Edits. Each changes files through `write`, `remove` and `rename` (which remember what the
    // files held) and ends with `finish`; false when there was nothing to edit of its kind.

    fn edit_body(&mut self) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        let text = self.site.read(&r.rel);
        let n = self.next_serial();
        let (what, new) = match self.rng.u8(..3) {
            0 => (
                "paragraph added",
                format!("{text}\n第{n}次修改：推进严格规范公正文明执法。\n"),
            ),
            1 => (
                "section added",
                format!("{text}\n## 新增部分{n}\n\n补充说明{n}。\n"),
            ),
            _ => {
                let body_lines: Vec<usize> = body_line_numbers(&text);
                if body_lines.is_empty() {
                    return false;
                }
                let drop = body_lines[self.rng.usize(..body_lines.len())];
                ("body line removed", without_line(&text, drop))
            }
        };
        self.write(&r.rel, &new);
        self.finish(format!("{what}: {}", r.rel));
        true
    }

    /// A field each translation has its own of: `title`, `date`, `summary`, `figures`,
    /// `revisions`.
    fn edit_field(&mut self, key: &str) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        let n = self.next_serial();
        let value = match key {
            "title" => format!("修订标题{n} Revised title {n}"),
            "summary" => format!("摘要{n}。"),
            "figures" => {
                let mut figures = Vec::new();
                for figure in ["legal-opinions", "penalty-cases"] {
                    if self.rng.bool() {
                        figures.push(format!("{figure}: {}", self.rng.u16(..1000)));
                    }
                }
                format!("{{ {} }}", figures.join(", "))
            }
            "revisions" => {
                let revisions: Vec<String> = (0..self.rng.usize(1..=2))
                    .map(|i| format!("{{ date: {}, note: 更正{n}-{i} }}", self.random_date()))
                    .collect();
                format!("[{}]", revisions.join(", "))
            }
            _ => self.random_date(),
        };
        let Some(new) = set_field(&self.site.read(&r.rel), key, &value) else {
            return false;
        };
        self.write(&r.rel, &new);
        self.finish(format!("{key} set to `{value}`: {}", r.rel));
        true
    }

    /// A fact translations share (`department`, `themes`): set in every translation, or now and
    /// then in one only (translations that disagree are an error).
    fn edit_shared(&mut self, key: &str) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        let value = match key {
            "department" => DEPARTMENTS[self.rng.usize(..DEPARTMENTS.len())].to_string(),
            _ => self.random_themes(),
        };
        let files: Vec<ReportFile> = if self.rng.u8(..100) < 85 {
            self.translations_of(&r)
        } else {
            vec![r]
        };
        let mut names = Vec::new();
        for f in &files {
            if let Some(new) = set_field(&self.site.read(&f.rel), key, &value) {
                self.write(&f.rel, &new);
                names.push(f.rel.as_str());
            }
        }
        if names.is_empty() {
            return false;
        }
        let what = format!("{key} set to `{value}`: {}", names.join(", "));
        self.finish(what);
        true
    }

    fn add_report(&mut self) -> bool {
        let reports = self.reports();
        let free: Vec<(u16, &str)> = YEARS
            .iter()
            .flat_map(|&y| STEMS.iter().map(move |&s| (y, s)))
            .filter(|&(y, s)| !reports.iter().any(|r| r.year == y && r.stem == s))
            .collect();
        if free.is_empty() {
            return false;
        }
        let (year, stem) = free[self.rng.usize(..free.len())];
        let suffix = [".zh.md", ".en.md", ".md"][self.rng.usize(..3)];
        let rel = format!("content/{year}/{stem}{suffix}");
        let n = self.next_serial();
        let mut text = format!(
            "---\ntitle: 新报告{n}\ndepartment: {}\nthemes: {}\ndate: {}\n",
            DEPARTMENTS[self.rng.usize(..DEPARTMENTS.len())],
            self.random_themes(),
            self.random_date(),
        );
        if self.rng.bool() {
            let _ = writeln!(text, "year: {year}");
        }
        if self.rng.u8(..5) == 0 {
            text.push_str("draft: true\n");
        }
        let _ = write!(text, "---\n\n## 一、主要工作\n\n新报告{n}的正文。\n");
        self.write(&rel, &text);
        self.finish(format!("report added: {rel}"));
        true
    }

    fn delete_report(&mut self) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        if self.rng.u8(..4) > 0 {
            self.remove(&r.rel);
            self.finish(format!("report deleted: {}", r.rel));
            return true;
        }
        // The whole year folder: the watcher names the folder only.
        let folder = format!("content/{}", r.year);
        for f in self.reports().iter().filter(|f| f.year == r.year) {
            self.remember(&f.rel);
        }
        std::fs::remove_dir_all(self.site.path(&folder)).expect("remove year folder");
        self.finish_told(format!("year folder deleted: {folder}"), vec![folder]);
        true
    }

    /// Renames a report file to another stem in its year, or moves it to another year folder
    /// (fixing its `year:` field, mostly).
    fn rename_report(&mut self, other_year: bool) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        let reports = self.reports();
        let places: Vec<(u16, &str)> = YEARS
            .iter()
            .flat_map(|&y| STEMS.iter().map(move |&s| (y, s)))
            .filter(|&(y, s)| (y != r.year) == other_year && (y, s) != (r.year, r.stem.as_str()))
            .filter(|&(y, s)| {
                !reports
                    .iter()
                    .any(|o| o.year == y && o.stem == s && o.lang == r.lang)
            })
            .collect();
        if places.is_empty() {
            return false;
        }
        let (year, stem) = places[self.rng.usize(..places.len())];
        let suffix = &r.name()[r.stem.len()..];
        let to = format!("content/{year}/{stem}{suffix}");
        self.rename(&r.rel, &to);
        let mut what = format!("renamed: {} -> {to}", r.rel);
        if other_year && self.rng.u8(..100) < 85 {
            let text = self.site.read(&to);
            if let Some(new) = field(&text, "year").and(set_field(&text, "year", &year.to_string()))
            {
                self.write(&to, &new);
                what.push_str(" (year field updated)");
            }
        }
        self.finish(what);
        true
    }

    fn toggle_draft(&mut self) -> bool {
        let Some(r) = self.pick_report() else {
            return false;
        };
        let text = self.site.read(&r.rel);
        let (what, new) = match field(&text, "draft") {
            Some(_) => ("draft removed", remove_field(&text, "draft")),
            None => ("draft: true", set_field(&text, "draft", "true")),
        };
        let Some(new) = new else { return false };
        self.write(&r.rel, &new);
        self.finish(format!("{what}: {}", r.rel));
        true
    }

    /// Breaks the site (bad YAML, unknown department, a link to a missing report, a broken
    /// `site.yaml`), checks, then restores the files and checks again.
    fn break_then_fix(&mut self) {
        let was_broken = self.broken;
        let kind = self.rng.u8(..4);
        let r = self.pick_report();
        let what = match (kind, r) {
            (0, Some(r)) => {
                let text = self.site.read(&r.rel);
                let Some(new) = set_field(&text, "title", "[unclosed") else {
                    return self.break_site_yaml();
                };
                self.write(&r.rel, &new);
                format!("bad YAML: {}", r.rel)
            }
            (1, Some(r)) => {
                let text = self.site.read(&r.rel);
                let Some(new) = set_field(&text, "department", "justice-bureua") else {
                    return self.break_site_yaml();
                };
                self.write(&r.rel, &new);
                format!("unknown department: {}", r.rel)
            }
            (2, Some(r)) => {
                let n = self.next_serial();
                let text = self.site.read(&r.rel);
                let link = format!("\n[缺失的报告{n}](../2019/no-such-report.zh.md)\n");
                self.write(&r.rel, format!("{text}{link}"));
                format!("link to a missing report: {}", r.rel)
            }
            _ => return self.break_site_yaml(),
        };
        self.broken_and_fixed(what, was_broken);
    }

    fn break_site_yaml(&mut self) {
        let was_broken = self.broken;
        let text = self.site.read("site.yaml");
        self.write(
            "site.yaml",
            text.replacen("languages: [zh, en]", "languages: [zh, en", 1),
        );
        self.broken_and_fixed("bad YAML: site.yaml".to_string(), was_broken);
    }

    fn broken_and_fixed(&mut self, what: String, was_broken: bool) {
        let before = std::mem::take(&mut self.pending);
        let paths: Vec<String> = before.iter().map(|(p, _)| p.clone()).collect();
        self.log.push(what.clone());
        self.apply_and_check(&what, &paths);
        assert!(
            was_broken || self.broken,
            "{what}: meant to break the site, but a full build succeeds{}",
            self.history()
        );
        self.restore(&before);
        let fixed = format!("fixed again ({what})");
        self.log.push(fixed.clone());
        self.apply_and_check(&fixed, &paths);
    }

    /// `site.yaml`: the title, a department's label, a theme no report uses added or removed.
    fn edit_site_yaml(&mut self) -> bool {
        let text = self.site.read("site.yaml");
        let n = self.next_serial();
        let (what, new) = match self.rng.u8(..3) {
            0 => (
                "title".to_string(),
                replace_line(
                    &text,
                    "title:",
                    &format!("title: {{ zh: 报告{n}, en: Reports {n} }}"),
                ),
            ),
            1 => {
                let d = DEPARTMENTS[self.rng.usize(..DEPARTMENTS.len())];
                let line = format!("    {d}: {{ zh: 部门{n}, en: Department {n} }}");
                (
                    format!("label of {d}"),
                    replace_line(&text, &format!("    {d}:"), &line),
                )
            }
            _ => match text.lines().find(|l| l.starts_with("    unused-")) {
                Some(line) => {
                    let key = line.trim().split(':').next().unwrap_or("").to_string();
                    (
                        format!("theme {key} removed"),
                        without(&text, &format!("{line}\n")),
                    )
                }
                None => {
                    let line =
                        format!("  themes:\n    unused-{n}: {{ zh: 主题{n}, en: Theme {n} }}\n");
                    (
                        format!("theme unused-{n} added"),
                        Some(text.replacen("  themes:\n", &line, 1)),
                    )
                }
            },
        };
        let Some(new) = new.filter(|new| *new != text) else {
            return false;
        };
        self.write("site.yaml", &new);
        self.finish(format!("site.yaml: {what}"));
        true
    }

    /// A link from one report to another, as authors write it (`../2021/justice-bureau.zh.md`).
    fn add_link(&mut self) -> bool {
        let reports = self.reports();
        if reports.len() < 2 {
            return false;
        }
        let from = &reports[self.rng.usize(..reports.len())];
        let others: Vec<&ReportFile> = reports.iter().filter(|r| r.rel != from.rel).collect();
        let to = others[self.rng.usize(..others.len())];
        let n = self.next_serial();
        let text = self.site.read(&from.rel);
        let link = format!("\n参见[相关报告{n}](../{}/{})。\n", to.year, to.name());
        self.write(&from.rel, format!("{text}{link}"));
        self.finish(format!("link added: {} -> {}", from.rel, to.rel));
        true
    }

    /// An English translation of a report that has none: the same facts, its own title and body.
    fn add_translation(&mut self) -> bool {
        let reports = self.reports();
        let single: Vec<&ReportFile> = reports
            .iter()
            .filter(|r| r.lang == "zh" && self.translations_of(r).len() == 1)
            .collect();
        if single.is_empty() {
            return false;
        }
        let r = single[self.rng.usize(..single.len())].clone();
        let n = self.next_serial();
        let text = self.site.read(&r.rel);
        let Some(titled) = set_field(&text, "title", &format!("English report {n}")) else {
            return false;
        };
        let Some(end) = front_matter_end(&titled) else {
            return false;
        };
        let en = format!(
            "{}\n## 1. Main work\n\nTranslation {n}: the Bureau reviewed its enforcement.\n",
            &titled[..end]
        );
        let rel = format!("content/{}/{}.en.md", r.year, r.stem);
        self.write(&rel, en);
        self.finish(format!("translation added: {rel}"));
        true
    }

    fn remove_translation(&mut self) -> bool {
        let reports = self.reports();
        let paired: Vec<&ReportFile> = reports
            .iter()
            .filter(|r| r.lang == "en" && self.translations_of(r).len() > 1)
            .collect();
        if paired.is_empty() {
            return false;
        }
        let rel = paired[self.rng.usize(..paired.len())].rel.clone();
        self.remove(&rel);
        self.finish(format!("translation removed: {rel}"));
        true
    }

    /// Undoes the newest edit not undone yet: its files get back what they held.
    fn revert(&mut self) {
        let before = self.undo.pop().expect("an edit to revert");
        self.restore(&before);
        let paths: Vec<String> = before.iter().map(|(p, _)| p.clone()).collect();
        let what = format!("reverted: {}", paths.join(", "));
        self.log.push(what.clone());
        self.apply_and_check(&what, &paths);
    }

    // -----------------------------------------------------------------------------------------
    // Applying and checking

    /// Ends an edit: remembers it, tells the live site, checks.
    fn finish(&mut self, what: String) {
        let paths: Vec<String> = self.pending.iter().map(|(p, _)| p.clone()).collect();
        self.finish_told(what, paths);
    }

    /// As [`finish`](Self::finish), when the watcher names other paths than the files (a
    /// folder).
    fn finish_told(&mut self, what: String, paths: Vec<String>) {
        let before = std::mem::take(&mut self.pending);
        self.undo.push(before);
        self.log.push(what.clone());
        self.apply_and_check(&what, &paths);
    }

    /// Tells the live site that `paths` changed, as the watcher would, and checks the outcome.
    /// Now and then some events are lost: the live site hears of only part of the edit, then
    /// `reconcile` must find the rest.
    fn apply_and_check(&mut self, what: &str, paths: &[String]) {
        let lose = !paths.is_empty() && self.rng.u8(..100) < LOST_PERCENT;
        let mut heard: Vec<&String> = paths.iter().collect();
        if lose {
            heard.retain(|_| self.rng.bool());
            if heard.len() == paths.len() {
                heard.pop();
            }
            self.live.apply(&plan_of(&heard));
            let plan = self.live.reconcile();
            self.log
                .push(format!("  (only {heard:?} told; then reconciled)"));
            let before = self.served();
            let outcome = self.live.apply(&plan).outcome;
            self.check(what, outcome, &before);
        } else {
            let before = self.served();
            let outcome = self.live.apply(&plan_of(&heard)).outcome;
            self.check(what, outcome, &before);
        }
    }

    /// The property: a site a full build makes is served exactly; a site a full build refuses
    /// is reported broken, with the output served before left as it was.
    fn check(&mut self, what: &str, outcome: Outcome, before: &Files) {
        let served = self.served();
        let error_shown = self.published.read().unwrap().error.is_some();
        match gongkai::build_in_memory(&self.opts()) {
            Ok((_, out)) => {
                if let Outcome::Broken(d) = &outcome {
                    panic!(
                        "{what}: the preview says broken, a full build succeeds:\n{}{}",
                        d.render(false),
                        self.history()
                    );
                }
                let full = out.into_files();
                assert!(
                    served == full,
                    "{what}: served output differs from a full build\n{}{}",
                    differences(&full, &served),
                    self.history()
                );
                assert!(!error_shown, "{what}: error left shown{}", self.history());
                self.broken = false;
                self.check_cached_build(what, Some(&full));
            }
            Err(Error::Site(_)) => {
                assert!(
                    matches!(outcome, Outcome::Broken(_)),
                    "{what}: a full build fails, the preview says {outcome:?}{}",
                    self.history()
                );
                assert!(
                    served == *before,
                    "{what}: a broken edit changed the served output\n{}{}",
                    differences(before, &served),
                    self.history()
                );
                assert!(error_shown, "{what}: no error to show{}", self.history());
                self.broken = true;
                self.check_cached_build(what, None);
            }
            Err(e) => panic!("{what}: the full build failed: {e}{}", self.history()),
        }
    }

    /// `build` with its cache into the site's `public/`, as after each edit a web team would:
    /// it writes what the full build gives (`full`), or fails when that fails and leaves the
    /// output as it was (README "Rebuilding").
    fn check_cached_build(&self, what: &str, full: Option<&Files>) {
        let out = self.site.path("public");
        let before = out.is_dir().then(|| common::read_tree(&out));
        let built = gongkai::build(&self.opts(), &out, &|_| {}, &|| {});
        let after = out.is_dir().then(|| common::read_tree(&out));
        match (full, built) {
            (Some(full), Ok(_)) => {
                let mut written = after.unwrap_or_default();
                written.remove(gongkai::output::MARKER);
                assert!(
                    written == *full,
                    "{what}: the build with its cache differs from a full build\n{}{}",
                    differences(full, &written),
                    self.history()
                );
            }
            (None, Err(_)) => assert!(
                before == after,
                "{what}: a failed build changed the output{}",
                self.history()
            ),
            (_, built) => panic!(
                "{what}: the build with its cache gave {:?} where a full build {}{}",
                built.map(|_| ()),
                if full.is_some() { "succeeds" } else { "fails" },
                self.history()
            ),
        }
    }

    fn served(&self) -> Files {
        self.published.read().unwrap().snapshot()
    }

    fn opts(&self) -> BuildOptions {
        let mut opts = self.site.options();
        opts.drafts = self.drafts;
        opts
    }

    fn history(&self) -> String {
        let mut out = String::from("\nedits, oldest first:\n");
        for line in &self.log {
            let _ = writeln!(out, "  {line}");
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Files

    /// Report files, sorted (the same seed must make the same choices on any file system).
    fn reports(&self) -> Vec<ReportFile> {
        let mut out = Vec::new();
        for year in common::entries(&self.site.path("content")) {
            let Ok(y) = year.parse::<u16>() else { continue };
            for name in common::entries(&self.site.path(&format!("content/{year}"))) {
                let Some(base) = name.strip_suffix(".md") else {
                    continue;
                };
                let (stem, lang) = match base.rsplit_once('.') {
                    Some((stem, "en")) => (stem, "en"),
                    Some((stem, _)) => (stem, "zh"),
                    None => (base, "zh"),
                };
                out.push(ReportFile {
                    rel: format!("content/{year}/{name}"),
                    year: y,
                    stem: stem.to_string(),
                    lang,
                });
            }
        }
        out
    }

    fn pick_report(&mut self) -> Option<ReportFile> {
        let reports = self.reports();
        (!reports.is_empty()).then(|| reports[self.rng.usize(..reports.len())].clone())
    }

    /// The files of `r`'s report (itself included): same year, same stem.
    fn translations_of(&self, r: &ReportFile) -> Vec<ReportFile> {
        self.reports()
            .into_iter()
            .filter(|o| o.year == r.year && o.stem == r.stem)
            .collect()
    }

    fn remember(&mut self, rel: &str) {
        if !self.pending.iter().any(|(p, _)| p == rel) {
            let old = std::fs::read_to_string(self.site.path(rel)).ok();
            self.pending.push((rel.to_string(), old));
        }
    }

    fn write(&mut self, rel: &str, text: impl AsRef<[u8]>) {
        self.remember(rel);
        self.site.write(rel, text);
        self.tick(rel);
    }

    fn remove(&mut self, rel: &str) {
        self.remember(rel);
        self.site.remove(rel);
    }

    fn rename(&mut self, from: &str, to: &str) {
        self.remember(from);
        self.remember(to);
        let to_path = self.site.path(to);
        std::fs::create_dir_all(to_path.parent().expect("parent")).expect("create dir");
        std::fs::rename(self.site.path(from), to_path).expect("rename");
    }

    /// Gives every file of `before` what it held then.
    fn restore(&mut self, before: &Before) {
        for (rel, old) in before {
            match old {
                Some(text) => {
                    self.site.write(rel, text);
                    self.tick(rel);
                }
                None if self.site.path(rel).exists() => {
                    self.site.remove(rel);
                }
                None => {}
            }
        }
    }

    fn tick(&mut self, rel: &str) {
        self.clock += 1;
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000 + self.clock);
        std::fs::File::options()
            .write(true)
            .open(self.site.path(rel))
            .and_then(|f| f.set_modified(when))
            .expect("set modification time");
    }

    fn next_serial(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    fn random_date(&mut self) -> String {
        let year = self.rng.u16(2020..=2025);
        let month = self.rng.u8(1..=12);
        let day = self.rng.u8(1..=28);
        format!("{year}-{month:02}-{day:02}")
    }

    fn random_themes(&mut self) -> String {
        let chosen: Vec<&str> = THEMES.iter().copied().filter(|_| self.rng.bool()).collect();
        format!("[{}]", chosen.join(", "))
    }
}

fn plan_of(paths: &[&String]) -> Plan {
    let mut plan = Plan::default();
    for p in paths {
        plan.add(Path::new(p.as_str()), "default");
    }
    plan
}

/// Which files differ, for a failure message.
fn differences(expected: &Files, served: &Files) -> String {
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !served.contains_key(*k))
        .collect();
    let extra: Vec<_> = served
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let differ: Vec<_> = expected
        .iter()
        .filter(|(k, v)| served.get(*k).is_some_and(|s| s != *v))
        .map(|(k, _)| k)
        .collect();
    format!(" missing: {missing:?}\n extra: {extra:?}\n differ: {differ:?}")
}

// ---------------------------------------------------------------------------------------------
// Front matter, edited line by line: the fixture's top-level keys each hold one line.

/// The byte offset just past the closing `---` line of the front matter.
fn front_matter_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---\n")?;
    let close = rest.find("\n---\n")?;
    Some(4 + close + "\n---\n".len())
}

/// Where top-level key `key` is: its line and the indented lines under it (`figures:`).
fn field_span(text: &str, key: &str) -> Option<Range<usize>> {
    let end = front_matter_end(text)?;
    let prefix = format!("{key}:");
    let (mut start, mut pos) = (None, 0);
    for line in text[..end].split_inclusive('\n') {
        match start {
            None if line.starts_with(&prefix) => start = Some(pos),
            Some(s) if !line.starts_with(' ') => return Some(s..pos),
            _ => {}
        }
        pos += line.len();
    }
    None
}

/// The value on top-level key `key`'s line.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let span = field_span(text, key)?;
    let line = text[span].lines().next()?;
    Some(line[key.len() + 1..].trim())
}

/// `key: value` in place of the key's entry, or added at the end of the front matter.
fn set_field(text: &str, key: &str, value: &str) -> Option<String> {
    let line = format!("{key}: {value}\n");
    let span = match field_span(text, key) {
        Some(span) => span,
        None => {
            let close = front_matter_end(text)? - "---\n".len();
            close..close
        }
    };
    Some(format!(
        "{}{line}{}",
        &text[..span.start],
        &text[span.end..]
    ))
}

fn remove_field(text: &str, key: &str) -> Option<String> {
    let span = field_span(text, key)?;
    Some(format!("{}{}", &text[..span.start], &text[span.end..]))
}

/// `text` with the first line that starts with `prefix` replaced by `line`.
fn replace_line(text: &str, prefix: &str, line: &str) -> Option<String> {
    let old = text.lines().find(|l| l.starts_with(prefix))?;
    Some(text.replacen(&format!("{old}\n"), &format!("{line}\n"), 1))
}

fn without(text: &str, part: &str) -> Option<String> {
    text.contains(part).then(|| text.replacen(part, "", 1))
}

/// Line numbers (from 0) of the body's non-empty lines.
fn body_line_numbers(text: &str) -> Vec<usize> {
    let Some(end) = front_matter_end(text) else {
        return Vec::new();
    };
    let skip = text[..end].lines().count();
    text.lines()
        .enumerate()
        .skip(skip)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, _)| i)
        .collect()
}

fn without_line(text: &str, n: usize) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i != n)
        .map(|(_, l)| l)
        .collect()
}

/// The generator's front-matter edits replace a key's whole entry, nested lines included, so
/// an edit meant to keep the site valid does not break its YAML.
#[test]
fn front_matter_edits_replace_whole_entries() {
    let text = "---\ntitle: T\nfigures:\n  legal-opinions: 1\ndate: 2023-01-01\n---\n\nBody.\n";
    assert_eq!(field(text, "title"), Some("T"));
    assert_eq!(
        set_field(text, "figures", "{ penalty-cases: 2 }").as_deref(),
        Some("---\ntitle: T\nfigures: { penalty-cases: 2 }\ndate: 2023-01-01\n---\n\nBody.\n")
    );
    assert_eq!(
        remove_field(text, "figures").as_deref(),
        Some("---\ntitle: T\ndate: 2023-01-01\n---\n\nBody.\n")
    );
    assert_eq!(
        set_field(text, "draft", "true").as_deref(),
        Some(
            "---\ntitle: T\nfigures:\n  legal-opinions: 1\ndate: 2023-01-01\ndraft: true\n---\n\nBody.\n"
        )
    );
    assert_eq!(body_line_numbers(text), [7]);
}
