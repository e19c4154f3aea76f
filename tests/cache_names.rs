//! Cache-safe names (README "Deploying `public/`"): every file a page loads — the stylesheet,
//! the search script, search buckets and report texts — is named by its content, so two
//! builds never give one name different bytes, and only HTML pages and each language's
//! `meta.js` need a short cache.

mod common;

use common::{Files, TempSite, html_pages};
use gongkai::links::broken_links;

/// Files a page loads and a cache may keep for a year.
fn long_cached(path: &str) -> bool {
    (path.starts_with("static/style.") || path.starts_with("static/search."))
        || (path.contains("/search/") && !path.ends_with("/meta.js") && !path.ends_with(".html"))
}

/// The 6-character tags concatenated in `s`.
fn split_tags(s: &str) -> Vec<String> {
    assert_eq!(s.len() % 6, 0, "{s}");
    (0..s.len() / 6)
        .map(|i| s[i * 6..i * 6 + 6].to_string())
        .collect()
}

/// The data a search file passes to `__gk(name, data)`.
fn data_of(files: &Files, path: &str, name: &str) -> serde_json::Value {
    let text = std::str::from_utf8(&files[path]).unwrap();
    let json = text
        .strip_prefix(&format!("__gk(\"{name}\","))
        .and_then(|m| m.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{path}: {text}"));
    serde_json::from_str(json).unwrap()
}

/// The tags of the buckets (read through the group files `meta.js` names, 32 buckets each)
/// and of the text folders.
fn meta_tags(files: &Files, lang: &str) -> (Vec<String>, Vec<String>) {
    let meta = data_of(files, &format!("{lang}/search/meta.js"), "meta");
    let groups = split_tags(meta["t"].as_str().unwrap());
    let mut buckets = Vec::new();
    for (g, tag) in groups.iter().enumerate() {
        let path = format!("{lang}/search/n/{g}.{tag}.js");
        assert!(files.contains_key(&path), "{path}");
        let tags = split_tags(data_of(files, &path, &format!("n/{g}")).as_str().unwrap());
        assert!(tags.len() <= 32, "{path}");
        buckets.extend(tags);
    }
    assert_eq!(buckets.len() as u64, meta["k"].as_u64().unwrap());
    (buckets, split_tags(meta["p"].as_str().unwrap()))
}

/// Every name a page or `meta.js` refers to is a file of the same build.
fn assert_every_reference_resolves(files: &Files) {
    let (checked, broken) = broken_links(files);
    assert!(checked > 100, "{checked}");
    assert!(broken.is_empty(), "{broken:?}");
    for lang in ["zh", "en"] {
        let (buckets, folders) = meta_tags(files, lang);
        let mut own = 0;
        for (i, tag) in buckets.iter().enumerate() {
            let path = format!("{lang}/search/t/{i}.{tag}.js");
            assert!(files.contains_key(&path), "{path}");
            // A frequent term's postings are a file of their own, named in its bucket.
            let bucket = data_of(files, &path, &format!("t/{i}"));
            for entry in bucket.as_object().unwrap().values() {
                if let Some(tag) = entry.as_str().unwrap().strip_prefix('*') {
                    let path = format!("{lang}/search/u/{tag}.js");
                    assert!(files.contains_key(&path), "{path}");
                    own += 1;
                }
            }
        }
        let own_files = files
            .keys()
            .filter(|p| p.starts_with(&format!("{lang}/search/u/")));
        assert_eq!(
            own_files.count(),
            own,
            "every term file is named by a bucket"
        );
        let groups = files
            .keys()
            .filter(|p| p.starts_with(&format!("{lang}/search/n/")));
        assert_eq!(groups.count(), buckets.len().div_ceil(32));
        // Every report has its first pack, and every pack file is in its folder of the tag
        // `meta.js` names.
        let prefix = format!("{lang}/search/p/");
        let texts: Vec<&String> = files.keys().filter(|p| p.starts_with(&prefix)).collect();
        let reports = texts.iter().filter(|p| p.ends_with("-0.js")).count();
        assert!(reports > 0);
        for d in 0..reports {
            let path = format!("{prefix}{}.{}/{d}-0.js", d / 64, folders[d / 64]);
            assert!(files.contains_key(&path), "{path}");
        }
        for path in texts {
            let (folder, file) = path[prefix.len()..].split_once('/').unwrap();
            let d: usize = file.split_once('-').unwrap().0.parse().unwrap();
            assert_eq!(folder, format!("{}.{}", d / 64, folders[d / 64]), "{path}");
        }
    }
    // The search page loads the script under its content name.
    let search = html_pages(files)
        .find(|(f, _)| *f == "zh/search/index.html")
        .unwrap()
        .1;
    let at = search.find("static/search.").unwrap();
    let name = &search[at..at + search[at..].find('"').unwrap()];
    assert!(files.contains_key(name), "{name}");
}

#[test]
fn loaded_files_are_named_by_their_content_across_two_builds() {
    let site = TempSite::sample();
    let before = site.build();
    assert_every_reference_resolves(&before);
    assert_eq!(
        site.build(),
        before,
        "the same input gives the same names and bytes"
    );

    site.replace(
        "content/2022/justice-bureau.zh.md",
        "## 一、",
        "新增一段：核电站安全检查。\n\n## 一、",
    );
    site.write("static/style.css", "body { color: #123; }\n");
    let after = site.build();
    assert_every_reference_resolves(&after);

    let mut renamed = 0;
    for (path, bytes) in after.iter().filter(|(p, _)| long_cached(p)) {
        match before.get(path) {
            // A name kept must mean the same bytes: a cache may hand out either build's copy.
            Some(old) => assert!(old == bytes, "{path} kept its name with other bytes"),
            None => renamed += 1,
        }
    }
    // Changed files have new names: the stylesheet, the edited report's text folder, and
    // the buckets of the words added.
    let new_names: Vec<&String> = after
        .keys()
        .filter(|p| long_cached(p) && !before.contains_key(*p))
        .collect();
    assert!(
        new_names.iter().any(|p| p.starts_with("static/style.")),
        "{new_names:?}"
    );
    assert!(
        new_names.iter().any(|p| p.starts_with("zh/search/p/")),
        "{new_names:?}"
    );
    assert!(
        new_names.iter().any(|p| p.starts_with("zh/search/t/")),
        "{new_names:?}"
    );
    // Unchanged files keep their names: the search script, and the English index.
    assert!(renamed < after.keys().filter(|p| long_cached(p)).count());
    assert!(new_names.iter().all(|p| !p.starts_with("static/search.")));
    assert!(
        new_names.iter().all(|p| !p.starts_with("en/search/")),
        "{new_names:?}"
    );
}
