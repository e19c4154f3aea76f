//! The search index resumed after one report's edit (`search::IndexState::update`): it counts
//! the terms the report held from its text files in the output, and trusts them only when they
//! give the fingerprint the last build kept; then it writes exactly the files a fresh index
//! differs by.

mod common;

use std::collections::BTreeMap;

use common::TempSite;
use gongkai::search::{IndexState, write_lang_state};
use gongkai::{Output, Site, load};

const REPORT: &str = "content/2023/market-regulation.zh.md";

/// The site as loaded now, with its `zh` index written from scratch: the files and the state.
fn index(site: &TempSite) -> (Site, Files, IndexState) {
    let loaded = load(&site.options()).expect("the sample loads");
    let out = Output::default();
    let (_, state) = write_lang_state(&loaded.site, "zh", &out).expect("written to memory");
    (loaded.site, out.into_files(), state)
}

type Files = BTreeMap<String, Vec<u8>>;

/// The sample's `zh` index, then a paragraph added to [`REPORT`]: the files and state before,
/// the site and the files of a fresh index after.
fn indexed_before_and_after_an_edit() -> (TempSite, Files, IndexState, Site, Files) {
    let site = TempSite::sample();
    let (_, before, state) = index(&site);
    site.replace(
        REPORT,
        "现将有关情况报告如下：",
        "现将有关情况报告如下：新增复议执法段落。",
    );
    let (edited, after, _) = index(&site);
    (site, before, state, edited, after)
}

/// The edited report's text files: those under `zh/search/p/` that differ between two builds.
fn texts_that_differ<'a>(before: &'a Files, after: &'a Files) -> Vec<(&'a String, &'a Vec<u8>)> {
    let texts = |files: &'a Files| (files.iter()).filter(|(p, _)| p.starts_with("zh/search/p/"));
    let old: Vec<_> = texts(before)
        .filter(|(p, _)| !after.contains_key(*p))
        .collect();
    assert!(!old.is_empty(), "the edit changed no text file");
    old
}

#[test]
fn an_update_gives_the_files_a_fresh_index_differs_by() {
    let (_site, before, state, edited, fresh) = indexed_before_and_after_an_edit();
    let read = |path: &str| before.get(path).cloned();
    let (changes, _) = state
        .update(&edited, "zh", &read)
        .expect("updated in place");
    let mut files = before.clone();
    for path in &changes.removed {
        files.remove(path);
    }
    for (from, to) in &changes.moved {
        let bytes = files.remove(from).expect("moved from the output");
        files.insert(to.clone(), bytes);
    }
    files.extend(changes.put);
    assert!(files == fresh, "the updated index differs from a fresh one");
}

/// When the text read back does not give the terms the last build indexed (here: the text as
/// it is after the edit, in place of the old one), the update is refused and the language is
/// indexed from scratch, rather than resumed from the wrong terms.
#[test]
fn terms_read_back_that_do_not_match_the_fingerprint_are_not_used() {
    let (_site, before, state, edited, after) = indexed_before_and_after_an_edit();
    let old = texts_that_differ(&before, &after);
    let new_text = |old_path: &str| {
        let name = old_path.rsplit('/').next()?;
        let found =
            (after.iter()).find(|(p, _)| p.starts_with("zh/search/p/") && p.ends_with(name));
        found.map(|(_, bytes)| bytes.clone())
    };
    let swapped = |path: &str| match old.iter().any(|(p, _)| p.as_str() == path) {
        true => new_text(path),
        false => before.get(path).cloned(),
    };
    assert!(state.update(&edited, "zh", &swapped).is_none());
    let read = |path: &str| before.get(path).cloned();
    assert!(
        state.update(&edited, "zh", &read).is_some(),
        "the true text is used"
    );
}
