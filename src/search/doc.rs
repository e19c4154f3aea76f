//! Search: a report as the index sees it: its number's facts (year, department, themes) and
//! its text cut into *packs* of whole sections, a few kB each, for excerpts.

use crate::model::{Report, Site};

/// A pack holds whole sections up to about this many bytes of text: a result's excerpt
/// downloads one pack (on a site of up to `texts::SPLIT_UP_TO` reports per language), so
/// smaller packs make a query lighter (ten results' packs were half of a query's download at
/// 1,000 report pairs with 4 kB packs) for more files.
const PACK_BYTES: usize = 2_000;

/// A report's packs beyond this many are left out of the index: the first ~512 kB of a
/// report's text (about 170,000 Chinese characters, several times the longest real report) are
/// searchable, so one huge report cannot fill the index with thousands of files (a 50 MB
/// report wrote 11,347). README "Writing a report" documents the limit.
pub const MAX_PACKS: usize = 256;

/// (Part of) a section as shown in an excerpt, borrowed from the report.
#[derive(Debug, Clone, Copy)]
pub struct PackSection<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// The report's file, which names the document across edits (preview).
    pub source: &'a std::path::Path,
    pub title: &'a str,
    /// The report's page, relative to the site root (`zh/2022/justice-bureau/`).
    pub url: String,
    pub year: u16,
    pub department: u32,
    pub themes: u64,
    pub packs: Vec<Vec<PackSection<'a>>>,
}

/// The document of `report`.
pub fn doc_of<'a>(site: &Site, report: &'a Report) -> Doc<'a> {
    let config = &site.config;
    let department = config
        .departments
        .keys()
        .position(|k| *k == report.department)
        .unwrap_or(0) as u32;
    let themes = report
        .themes
        .iter()
        .filter_map(|t| config.themes.keys().position(|k| k == t))
        .filter(|&i| i < 64)
        .fold(0u64, |m, i| m | (1 << i));
    let mut sections = vec![PackSection {
        id: "",
        heading: "",
        text: &report.summary,
    }];
    sections.extend(report.sections.iter().map(|s| PackSection {
        id: &s.id,
        heading: &s.heading,
        text: &s.text,
    }));
    Doc {
        source: &report.source_path,
        title: &report.title,
        url: crate::urls::report(&report.lang, report.key.year, &report.key.stem),
        year: report.key.year,
        department,
        themes,
        packs: into_packs(sections),
    }
}

/// Groups whole sections into packs of about [`PACK_BYTES`]; a longer section is cut at
/// whitespace or, in Chinese text, anywhere between characters.
fn into_packs(sections: Vec<PackSection<'_>>) -> Vec<Vec<PackSection<'_>>> {
    let mut packs: Vec<Vec<PackSection<'_>>> = vec![Vec::new()];
    let mut size = 0;
    for mut s in sections {
        // `s` is cut in place when it does not fit; cutting stops past the limit, so a huge
        // section costs no more than the packs kept.
        while packs.len() <= MAX_PACKS {
            let room = PACK_BYTES.saturating_sub(size);
            if s.text.len() + s.heading.len() <= room || (size == 0 && s.text.len() <= PACK_BYTES) {
                size += s.text.len() + s.heading.len();
                packs.last_mut().expect("never empty").push(s);
                break;
            }
            if size > 0 && room < PACK_BYTES / 4 {
                packs.push(Vec::new());
                size = 0;
                continue;
            }
            let cut = cut_point(s.text, room.max(1));
            let (head, rest) = s.text.split_at(cut);
            let tail = PackSection {
                id: s.id,
                heading: "",
                text: rest,
            };
            packs
                .last_mut()
                .expect("never empty")
                .push(PackSection { text: head, ..s });
            packs.push(Vec::new());
            size = 0;
            s = tail;
        }
    }
    packs.retain(|p| !p.is_empty());
    packs.truncate(MAX_PACKS);
    packs
}

fn cut_point(text: &str, max: usize) -> usize {
    let mut cut = max.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[..cut].rfind(['\n', ' ', '。', '；']) {
        Some(i) if i > cut / 2 => i + text[i..].chars().next().map_or(1, char::len_utf8),
        _ if cut == 0 => text.chars().next().map_or(0, char::len_utf8),
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_keep_sections_whole_when_they_fit() {
        fn s(text: &str) -> PackSection<'_> {
            PackSection {
                id: "a",
                heading: "h",
                text,
            }
        }
        let packs = into_packs(vec![s("x"), s("y")]);
        assert_eq!(packs.len(), 1);
        let big = "字".repeat(5_000);
        let packs = into_packs(vec![s("x"), s(big.as_str())]);
        assert!(packs.len() >= 2);
        let joined: String = packs.iter().flatten().map(|p| p.text).collect();
        assert_eq!(joined, format!("x{big}"));
    }

    #[test]
    fn a_huge_report_is_indexed_up_to_the_limit() {
        let big = "字".repeat(PACK_BYTES * MAX_PACKS);
        let sections = (0..4).map(|_| PackSection {
            id: "a",
            heading: "h",
            text: big.as_str(),
        });
        let packs = into_packs(sections.collect());
        assert_eq!(packs.len(), MAX_PACKS);
    }
}
