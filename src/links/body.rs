//! Check stage: the links reports write in Markdown (links and images), checked against the
//! files a build writes and the ids of report pages, before anything is written. `build`,
//! `check` and `archive` run it through `pipeline::load`, so `build` never publishes a link
//! `check` reports (README "Writing a report"). A link to a page or file that is not there, or
//! to a heading a report page does not have (`#x`, `other.zh.md#x`, `../2023/x/#x`), is an
//! error at the link's line and column in the Markdown source. Links to report files were
//! resolved when the files loaded (a missing report or a draft left out is an error there).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::archive::manifest::MANIFEST_FILE;
use crate::content::{ContentStore, LinkProblem, theme_id};
use crate::diagnostics::Diagnostics;
use crate::messages::Msg;
use crate::model::{ReportId, Site};
use crate::render::{Theme, all_pages};
use crate::urls;

/// Every broken link and missing heading in the published reports' bodies.
pub fn check_bodies(site: &Site, theme: &Theme, store: &ContentStore) -> Diagnostics {
    let mut files: HashSet<String> = all_pages(site).iter().map(|p| p.file()).collect();
    files.extend(theme.static_files().map(|(path, _)| path));
    files.insert(MANIFEST_FILE.to_string());
    // Report page file → the source whose body it shows, for the ids.
    let sources: HashMap<String, &Path> = site
        .reports
        .iter()
        .map(|r| {
            (
                page_file(&r.lang, r.key.year, &r.key.stem),
                r.source_path.as_path(),
            )
        })
        .collect();
    let mut ids: HashMap<&Path, HashSet<String>> = HashMap::new();
    let mut problems = Diagnostics::default();
    for (report, links) in store.body_links() {
        let from = page_file(&report.lang, report.key.year, &report.key.stem);
        let mut found: Vec<LinkProblem<'_>> = Vec::new();
        for link in links {
            let (path, fragment) = link
                .written
                .split_once('#')
                .unwrap_or((link.written.as_str(), ""));
            let target = match &link.report {
                Some(ReportId { key, lang }) => page_file(lang, key.year, &key.stem),
                None if path.is_empty() || path.starts_with('?') => from.clone(),
                None => match urls::resolve(&from, &percent_decode(path)) {
                    Some(t) if files.contains(&t) => t,
                    Some(t) if files.contains(&format!("{t}/index.html")) => {
                        format!("{t}/index.html")
                    }
                    Some(_) => {
                        found.push((
                            link,
                            Msg::new("links.nothing_there").arg("path", path),
                            Msg::new("links.nothing_there_hint"),
                        ));
                        continue;
                    }
                    None => continue,
                },
            };
            let fragment = percent_decode(fragment);
            let Some(source) = sources.get(&target) else {
                // Not a report page (an index, a file): only whether it exists is known.
                continue;
            };
            if fragment.is_empty() || theme_id(&fragment) {
                continue;
            }
            let known = ids.entry(source).or_insert_with(|| store.body_ids(source));
            if !known.contains(&fragment) {
                found.push((
                    link,
                    Msg::new("links.no_heading").arg("fragment", &fragment),
                    Msg::new("links.no_heading_hint"),
                ));
            }
        }
        if !found.is_empty() {
            problems.extend(store.at_links(&report.source_path, &found));
        }
    }
    problems.sorted()
}

/// The file of a report page (`zh/2022/justice-bureau/index.html`).
fn page_file(lang: &str, year: u16, stem: &str) -> String {
    format!("{}index.html", urls::report(lang, year, stem))
}

/// `%E4%B8%8D` → `不`: links may be written encoded or not; invalid escapes stay as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_and_paths_are_percent_decoded() {
        assert_eq!(percent_decode("%E4%B8%8D%E5%AD%98"), "不存");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("一、"), "一、");
    }
}
