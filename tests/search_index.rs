//! The search index, built from the model of fixture sites: recall of any Han run, drafts left
//! out, files split so a query never needs the whole index.

use std::path::Path;

use gongkai::search::tokenize::{fold, tokens};
use gongkai::search::{Term, build, query_terms};
use gongkai::{BuildOptions, Site};

fn sample() -> Site {
    gongkai::load(&BuildOptions::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .site
}

/// Documents that hold every term of `query` (what the script intersects).
fn candidates(site: &Site, lang: &str, query: &str) -> Vec<String> {
    let index = build(site, lang);
    let terms = query_terms(&tokens(&fold(query)));
    let mut docs: Option<Vec<u32>> = None;
    for name in terms {
        let term = Term::parse(&name).unwrap();
        let ids = index
            .postings
            .get(&term)
            .map(|p| p.doc_ids(&term))
            .unwrap_or_default();
        docs = Some(match docs {
            None => ids,
            Some(d) => d.into_iter().filter(|x| ids.contains(x)).collect(),
        });
    }
    docs.unwrap_or_default()
        .into_iter()
        .map(|d| index.docs[d as usize].url.clone())
        .collect()
}

#[test]
fn every_han_run_of_a_report_finds_it() {
    let site = sample();
    let index = build(&site, "zh");
    for (d, doc) in index.docs.iter().enumerate() {
        let text: String = doc
            .packs
            .iter()
            .flatten()
            .map(|s| s.text)
            .collect::<Vec<_>>()
            .join("\n");
        let chars: Vec<char> = text.chars().collect();
        // Every run of 1 to 6 Han characters at every 7th position of the text.
        for start in (0..chars.len()).step_by(7) {
            for len in 1..=6 {
                let Some(run) = chars.get(start..start + len) else {
                    break;
                };
                if !run.iter().all(|c| gongkai::search::tokenize::is_han(*c)) {
                    break;
                }
                let query: String = run.iter().collect();
                for name in query_terms(&tokens(&fold(&query))) {
                    let term = Term::parse(&name).unwrap();
                    let ids = index.postings[&term].doc_ids(&term);
                    assert!(
                        ids.contains(&(d as u32)),
                        "{query} ({name}) misses {}",
                        doc.url
                    );
                }
            }
        }
    }
}

#[test]
fn runs_across_word_boundaries_and_single_characters_are_found() {
    let site = sample();
    for q in [
        "复议",
        "行政复议",
        "法律顾问",
        "司警联调",
        "调机制",
        "调",
        "2022 法律援助",
        "２０２２ 法律援助",
    ] {
        let found = candidates(&site, "zh", q);
        assert!(
            found.contains(&"zh/2022/justice-bureau/".to_string()),
            "{q}: {found:?}"
        );
    }
    assert!(candidates(&site, "zh", "核电站").is_empty());
}

#[test]
fn english_is_stemmed_and_case_folded() {
    let site = sample();
    // The text says "people’s mediators".
    for q in ["mediators", "Mediator", "MEDIATORS", "médiator"] {
        let found = candidates(&site, "en", q);
        assert!(
            found.contains(&"en/2022/justice-bureau/".to_string()),
            "{q}: {found:?}"
        );
    }
    // No report says "appeal" in any form: stemming must not invent matches.
    assert!(candidates(&site, "en", "appeals").is_empty());
}

#[test]
fn drafts_are_never_indexed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let draft = std::fs::read_to_string(root.join("content/2024/justice-bureau.zh.md")).unwrap();
    assert!(draft.contains("draft: true"));
    let site = sample();
    let index = build(&site, "zh");
    assert!(index.docs.iter().all(|d| d.year != 2024));
    let with_drafts = gongkai::load(&BuildOptions {
        drafts: true,
        ..BuildOptions::new(root)
    })
    .unwrap()
    .site;
    assert!(
        build(&with_drafts, "zh")
            .docs
            .iter()
            .any(|d| d.year == 2024)
    );
}

#[test]
fn index_is_split_into_many_small_files() {
    let (_, out) =
        gongkai::build_in_memory(&BuildOptions::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let files = out.into_files();
    let search: Vec<(&String, usize)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("zh/search/") && p.ends_with(".js"))
        .map(|(p, b)| (p, b.len()))
        .collect();
    let total: usize = search.iter().map(|(_, n)| n).sum();
    let buckets = search.iter().filter(|(p, _)| p.contains("/t/")).count();
    let reports = search.iter().filter(|(p, _)| p.contains("/p/")).count();
    assert!(buckets >= 1 && reports >= 5, "{search:?}");
    // No single file is more than a fraction of the whole index.
    assert!(search.iter().all(|(_, n)| *n < total / 2), "{search:?}");
    // Every data file is a script call, loadable from file:// with a <script> element.
    for (p, _) in &search {
        assert!(files[*p].starts_with(b"__gk("), "{p}");
    }
}

/// The preview's index, updated one report at a time, writes exactly what a full build writes.
#[test]
fn live_index_updates_match_a_full_build() {
    let site = sample();
    let (mut live, files) = gongkai::search::LiveIndex::new(&site, "zh");
    let mut served: std::collections::BTreeMap<String, Vec<u8>> = files.into_iter().collect();
    let i = site
        .reports
        .iter()
        .position(|r| r.lang == "zh" && r.key.year == 2022 && r.key.stem == "justice-bureau")
        .unwrap();
    let old = site.reports[i].clone();
    let mut new = (*old).clone();
    new.title = "新标题：核电站检查".to_string();
    new.sections[1].text = "全新的段落，只有一句：放射源安全。".to_string();
    let mut reports = site.reports.clone();
    reports[i] = std::sync::Arc::new(new.clone());
    let edited = Site::new(site.config.clone(), reports).unwrap();
    let changed = live
        .replace(&edited, &old, &new)
        .expect("same place, same bucket count");
    // Files are named by their content: the edited report's folder moves, its old names go.
    assert!(
        changed.put.len() >= 3 && changed.put.len() < served.len(),
        "{}",
        changed.put.len()
    );
    assert!(changed.put.iter().any(|(p, _)| p == "zh/search/meta.js"));
    for (from, to) in changed.moved {
        let bytes = served.remove(&from).expect("a file moved is served");
        served.insert(to, bytes);
    }
    for path in &changed.removed {
        assert!(served.remove(path).is_some(), "{path} was not served");
    }
    served.extend(changed.put);

    let out = gongkai::Output::default();
    gongkai::search::write_lang(&edited, "zh", &build(&edited, "zh"), &out).unwrap();
    let full = out.into_files();
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &full {
        assert!(served[path] == *bytes, "{path} differs");
    }
}
