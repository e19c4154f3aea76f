//! Load stage: the ids of a report's headings, which the page, its table of contents and the
//! search's section links share. Guarantees (ARCHITECTURE.md, Decisions): an id is never empty,
//! never one the default theme, the footnotes or the preview use on the same page, and unique
//! within the report; any other heading keeps the id comrak would give it.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};
use std::sync::Mutex;

use comrak::Anchorizer;
use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AstNode, NodeValue, Sourcepos};

/// Ids the default theme's templates give their own elements (`templates/*.html`).
const THEME_IDS: &[&str] = &[
    "main",
    "site-search",
    "search-app",
    "by-department",
    "by-theme",
    "by-year",
    "figures",
    "latest",
    "reports",
    "report-disclosure",
    "report-figures",
    "report-revisions",
    "report-toc",
];

/// Families of ids made by others: footnotes and their references (comrak: `fn-1`,
/// `fnref-1`, `fnref-1-2`), figure tables and charts (`figure-<key>`, `chart-<key>-title`),
/// and the preview's overlay (`gongkai-overlay`).
const RESERVED_PREFIXES: &[&str] = &["fn-", "fnref-", "figure-", "chart-", "gongkai-"];

pub fn reserved(id: &str) -> bool {
    THEME_IDS.contains(&id) || RESERVED_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// Hands out heading ids in document order.
#[derive(Default)]
struct HeadingIds {
    seen: HashSet<String>,
    /// Per base id, the last `-n` suffix handed out.
    suffix: HashMap<String, usize>,
    count: usize,
}

impl HeadingIds {
    /// The id of the next heading, whose text is `text`: comrak's slug of it, or
    /// `section-<slug>` when that is reserved, or `section-<n>` (the heading's number in the
    /// report) when the text has no letter or digit to make one; then `-1`, `-2`, … as comrak
    /// adds, until it is unique (`section-<slug>` again when a suffix would be reserved).
    fn next(&mut self, text: &str) -> String {
        self.count += 1;
        // A fresh anchorizer only slugs: uniqueness is kept here, over the final ids.
        let slug = Anchorizer::new().anchorize(text);
        let base = if slug.is_empty() {
            format!("section-{}", self.count)
        } else if reserved(&slug) {
            format!("section-{slug}")
        } else {
            slug
        };
        let id = self.unique(base);
        self.seen.insert(id.clone());
        id
    }

    /// `base`, or `base-1`, `base-2`, … whichever is free first. Each base remembers the last
    /// suffix it gave (every smaller one is taken), so a thousand headings of one text cost a
    /// thousand steps, not half a million.
    fn unique(&mut self, mut base: String) -> String {
        loop {
            if !self.seen.contains(&base) {
                return base;
            }
            let mut n = self.suffix.get(&base).copied().unwrap_or(0);
            loop {
                n += 1;
                let id = format!("{base}-{n}");
                if reserved(&id) {
                    // `fn` twice would make `fn-1`: take the prefixed form, never reserved.
                    base = format!("section-{base}");
                    break;
                }
                if !self.seen.contains(&id) {
                    self.suffix.insert(base, n);
                    return id;
                }
            }
        }
    }
}

/// Every heading's id, in document order (the order comrak renders them), with whether the
/// heading is a top-level block (a section of the report).
pub(super) fn heading_ids<'a>(root: &'a AstNode<'a>) -> Vec<(bool, String)> {
    let mut ids = HeadingIds::default();
    root.descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Heading(_)))
        .map(|n| {
            let top = n.parent().is_some_and(|p| p.same_node(root));
            (top, ids.next(&n.collect_text()))
        })
        .collect()
}

/// Writes each heading with its id from [`heading_ids`], and a permalink at its end: an anchor
/// whose accessible name says, in the report's language, which section it links, and whose
/// visible mark the stylesheet shows only on hover or focus (README "Writing a report"), so a
/// reader sees no stray `#` after every heading.
pub(super) struct IdWriter {
    /// Ids not yet written, in reverse order; and the id of the heading being written.
    ids: Mutex<(Vec<String>, String)>,
    /// The permalink's name before the heading's text (`本节链接：`, `Link to section: `).
    label: &'static str,
}

impl IdWriter {
    pub(super) fn new(ids: &[(bool, String)], lang: &str) -> Self {
        let rev = ids.iter().rev().map(|(_, id)| id.clone()).collect();
        IdWriter {
            ids: Mutex::new((rev, String::new())),
            label: permalink_label(lang),
        }
    }
}

/// The permalink's name in a report's language; reports are Chinese or English (the site's
/// languages), anything else reads the English one.
fn permalink_label(lang: &str) -> &'static str {
    match lang {
        "zh" => "本节链接：",
        _ => "Link to section: ",
    }
}

impl HeadingAdapter for IdWriter {
    fn enter(
        &self,
        out: &mut dyn Write,
        heading: &HeadingMeta,
        _sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        let mut ids = self.ids.lock().map_err(|_| fmt::Error)?;
        let (pending, current) = &mut *ids;
        *current = pending.pop().ok_or(fmt::Error)?;
        write!(out, r#"<h{} id="{current}">"#, heading.level)
    }

    fn exit(&self, out: &mut dyn Write, heading: &HeadingMeta) -> fmt::Result {
        let ids = self.ids.lock().map_err(|_| fmt::Error)?;
        write!(out, r##"<a href="#{}" class="anchor" aria-label=""##, ids.1)?;
        comrak::html::escape(out, self.label)?;
        comrak::html::escape(out, &heading.content)?;
        writeln!(out, "\"></a></h{}>", heading.level)
    }
}

#[cfg(test)]
mod tests {
    use super::HeadingIds;

    fn ids(texts: &[&str]) -> Vec<String> {
        let mut ids = HeadingIds::default();
        texts.iter().map(|t| ids.next(t)).collect()
    }

    #[test]
    fn ordinary_headings_keep_comraks_ids() {
        assert_eq!(
            ids(&["Legal aid", "Legal aid", "一、法律援助", "Legal aid-1"]),
            ["legal-aid", "legal-aid-1", "一法律援助", "legal-aid-1-1"]
        );
    }

    #[test]
    fn headings_never_take_the_themes_or_the_footnotes_ids() {
        assert_eq!(
            ids(&["Main", "Site search", "fn-1", "fnref-2", "Figures", "Main"]),
            [
                "section-main",
                "section-site-search",
                "section-fn-1",
                "section-fnref-2",
                "section-figures",
                "section-main-1"
            ]
        );
        // A suffix that would make a reserved id gives the prefixed form instead.
        assert_eq!(
            ids(&["fn", "fn", "fn"]),
            ["fn", "section-fn", "section-fn-1"]
        );
    }

    #[test]
    fn a_heading_without_letters_gets_its_number() {
        assert_eq!(
            ids(&["Intro", "！！！", "？"]),
            ["intro", "section-2", "section-3"]
        );
    }

    #[test]
    fn many_headings_of_one_text_are_numbered_in_order() {
        // Found by a held-out hostile file: 200,000 `# a` headings took minutes when each
        // heading counted up from `-1` again.
        let texts = vec!["同一标题"; 5000];
        let got = ids(&texts);
        assert_eq!(got[0], "同一标题");
        assert_eq!(got[1], "同一标题-1");
        assert_eq!(got[4999], "同一标题-4999");
        let unique: std::collections::HashSet<&String> = got.iter().collect();
        assert_eq!(unique.len(), 5000);
    }
}
