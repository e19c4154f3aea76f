//! The shape ARCHITECTURE.md promises, held by a test: no file in `src/` over 450 lines, no
//! function over 80 lines, and imports that run one way (no two files of `src/` import each
//! other, directly or through others).
//!
//! Imports are read from the source text: `use crate::…`, `use super::…` and inline
//! `crate::a::b` paths, each resolved to the file of the longest module path that exists.
//! `pub use` lines are a module's facade (re-exports), not a dependency, and are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 450;
const MAX_FN_LINES: usize = 80;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, by module path (`content::store` → `src/content/store/mod.rs`).
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src()) {
        let entry = entry.expect("src readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src()).expect("under src");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts
            .last()
            .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
        {
            parts.pop();
        }
        out.insert(parts, path.to_path_buf());
    }
    out
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).expect("source readable")
}

/// Code without `//` comments and string contents, so paths in docs and messages don't count.
fn code_lines(source: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_tests = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        // Unit tests may import anything of their module's parents.
        if trimmed.starts_with("#[cfg(test)]") {
            in_tests = true;
        }
        if in_tests {
            continue;
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut out = String::new();
        let mut in_string = false;
        for c in code.chars() {
            if c == '"' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
        }
        lines.push(out);
    }
    lines
}

/// The module paths a file names, from `use` statements (braces expanded) and inline
/// `crate::…`/`super::…` paths.
fn imported_paths(module: &[String], source: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut statement: Option<(bool, String)> = None;
    for line in code_lines(source) {
        let t = line.trim();
        if let Some((facade, s)) = &mut statement {
            s.push_str(t);
            if t.ends_with(';') {
                if !*facade {
                    paths.extend(expand(s).iter().filter_map(|p| resolve(module, p)));
                }
                statement = None;
            }
            continue;
        }
        let facade = t.starts_with("pub use ") || t.starts_with("pub(crate) use ");
        if let Some(rest) = t
            .strip_prefix("use ")
            .or(facade.then(|| t.split_once("use ").map_or("", |x| x.1)))
        {
            statement = Some((facade, rest.to_string()));
            if t.ends_with(';') {
                if !facade {
                    paths.extend(expand(rest).iter().filter_map(|p| resolve(module, p)));
                }
                statement = None;
            }
            continue;
        }
        for start in ["crate::", "super::"] {
            let mut rest = t;
            while let Some(i) = rest.find(start) {
                let tail = &rest[i..];
                let end = tail
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(tail.len());
                paths.extend(resolve(module, &tail[..end]));
                rest = &tail[end..];
            }
        }
    }
    paths
}

/// `a::{b::C, d::{e, f}};` → `a::b::C`, `a::d::e`, `a::d::f`.
fn expand(statement: &str) -> Vec<String> {
    let s: String = statement
        .trim_end_matches(';')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(open) = s.find('{') else {
        return vec![s.split(" as ").next().unwrap_or(&s).to_string()];
    };
    let (prefix, inner) = (&s[..open], &s[open + 1..s.rfind('}').unwrap_or(s.len())]);
    let mut items = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[from..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}{i}")))
        .collect()
}

/// A path as written in the file of `module` → an absolute module path.
fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut parts = path.split("::").filter(|p| !p.is_empty()).peekable();
    let mut base = match parts.peek().copied() {
        Some("crate") => {
            parts.next();
            Vec::new()
        }
        Some("super") | Some("self") => module.to_vec(),
        _ => return None,
    };
    while let Some(&p) = parts.peek() {
        match p {
            "super" => {
                base.pop();
            }
            "self" => {}
            _ => break,
        }
        parts.next();
    }
    base.extend(parts.map(str::to_string));
    Some(base)
}

#[test]
fn imports_run_one_way() {
    let modules = modules();
    let mut edges: BTreeMap<&PathBuf, BTreeSet<&PathBuf>> = BTreeMap::new();
    for (module, file) in &modules {
        for path in imported_paths(module, &text(file)) {
            // The longest prefix that is a module file.
            let target = (0..=path.len())
                .rev()
                .find_map(|n| modules.get(&path[..n]).filter(|_| n > 0));
            if let Some(target) = target
                && target != file
            {
                edges.entry(file).or_default().insert(target);
            }
        }
    }
    // A depth-first search for a way back to where it started.
    let mut circles = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(at).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = trail
                        .iter()
                        .map(|p| p.strip_prefix(src()).unwrap().display().to_string())
                        .collect();
                    circles.push(names.join(" -> "));
                } else if seen.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn files_and_functions_stay_small() {
    let mut problems = Vec::new();
    for file in modules().values() {
        let source = text(file);
        let lines: Vec<&str> = source.lines().collect();
        let name = file.strip_prefix(src()).unwrap().display().to_string();
        if lines.len() > MAX_FILE_LINES {
            problems.push(format!("{name}: {} lines", lines.len()));
        }
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(super) fn ",
                "pub(crate) fn ",
                "async fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let indent = line.len() - t.len();
            let close = " ".repeat(indent) + "}";
            let end = lines[i..]
                .iter()
                .position(|l| *l == close)
                .map_or(lines.len(), |n| i + n);
            if end - i + 1 > MAX_FN_LINES {
                problems.push(format!(
                    "{name}:{}: function of {} lines",
                    i + 1,
                    end - i + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "too long:\n{}", problems.join("\n"));
}
