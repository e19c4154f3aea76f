//! Messages: every catalogue under `messages/` has the same keys in Chinese and English with the
//! same placeholders, and every key the code uses is in both (README "Messages in your
//! language"). A message added in one language only fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gongkai::messages::{AREAS, parse_catalogue, placeholders};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The keys the code names: the literal in `Msg::new("…")` and `.text("…")`.
fn keys_in_code() -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    sources(&repo().join("src"), &mut files);
    let mut keys = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for opener in ["Msg::new(\"", ".text(\""] {
            for (i, _) in text.match_indices(opener) {
                let rest = &text[i + opener.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.contains('.') && !key.contains(' ') {
                    keys.insert(key.to_string(), file.clone());
                }
            }
        }
    }
    keys
}

fn catalogue(area: &str, lang: &str) -> BTreeMap<String, String> {
    let path = repo().join(format!("messages/{area}.{lang}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse_catalogue(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_message_is_in_both_languages_with_the_same_placeholders() {
    for area in AREAS {
        let en = catalogue(area.name, "en");
        let zh = catalogue(area.name, "zh");
        // The embedded text is the file on disk.
        assert_eq!(parse_catalogue(area.en).unwrap(), en, "{}", area.name);
        assert_eq!(parse_catalogue(area.zh).unwrap(), zh, "{}", area.name);
        let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            only_en.is_empty(),
            "{}: no Chinese for {only_en:?}",
            area.name
        );
        assert!(
            only_zh.is_empty(),
            "{}: no English for {only_zh:?}",
            area.name
        );
        for (key, text) in &en {
            assert_eq!(
                placeholders(text),
                placeholders(&zh[key]),
                "{}: `{key}` has other placeholders in Chinese",
                area.name
            );
            assert!(
                !zh[key].trim().is_empty(),
                "{}: `{key}` is empty",
                area.name
            );
        }
    }
}

#[test]
fn every_key_in_the_code_is_in_a_catalogue() {
    let known: BTreeSet<String> = AREAS
        .iter()
        .flat_map(|a| catalogue(a.name, "en").into_keys())
        .chain(
            AREAS
                .iter()
                .flat_map(|a| catalogue(a.name, "zh").into_keys()),
        )
        .collect();
    let used = keys_in_code();
    assert!(used.len() > 5, "the scan found the keys: {used:?}");
    for (key, file) in &used {
        assert!(
            known.contains(key),
            "`{key}` ({}) is in no catalogue",
            file.display()
        );
    }
    // A key no code uses is dead text that nobody would notice going stale.
    let unused: Vec<_> = known.iter().filter(|k| !used.contains_key(*k)).collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:?}");
}

#[test]
fn a_key_is_never_in_two_areas() {
    let mut seen = BTreeMap::new();
    for area in AREAS {
        for key in catalogue(area.name, "en").into_keys() {
            if let Some(other) = seen.insert(key.clone(), area.name) {
                panic!("`{key}` is in {other} and {}", area.name);
            }
        }
    }
}
