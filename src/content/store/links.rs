//! Load stage: the store's side of the link checker (`links/body.rs`): each published
//! report's links within the site, the ids its page body gives, and diagnostics at a file's
//! links with the file read once for all of them.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::{Body, ContentStore, Load, Slot, State};
use crate::content::markdown::BodyLink;
use crate::content::source;
use crate::diagnostics::Diagnostic;
use crate::messages::Msg;
use crate::model::Report;

/// A problem found at one link: the link, the message and the hint.
pub type LinkProblem<'a> = (&'a BodyLink, Msg, Msg);

impl ContentStore {
    /// Every published report that links within the site, with those links in file order.
    pub fn body_links(&self) -> impl Iterator<Item = (&Arc<Report>, &[BodyLink])> {
        self.placed().filter_map(|(_, load)| match load {
            Load::Loaded {
                report, body_links, ..
            } if self.shown(report) && !body_links.is_empty() => {
                Some((report, body_links.as_slice()))
            }
            _ => None,
        })
    }

    /// The ids the body of the report loaded from `source` gives its page (headings,
    /// footnotes, raw HTML), read from its HTML.
    pub fn body_ids(&self, source: &Path) -> HashSet<String> {
        match self.slots.get(source).map(|s| &s.state) {
            Some(State::Placed {
                load: Load::Loaded { body, .. },
                ..
            }) => match body {
                Body::Html(html) => ids_in(html),
                Body::Ids(ids) => ids.iter().cloned().collect(),
            },
            _ => HashSet::new(),
        }
    }

    /// Diagnostics at `found`, links of the file `source`; the file is read once for the
    /// excerpts of all of them (loaded reports keep no copy of their text).
    pub fn at_links(&self, source: &Path, found: &[LinkProblem<'_>]) -> Vec<Diagnostic> {
        let (Ok(config), Some(Slot { state, .. })) = (&self.config, self.slots.get(source)) else {
            return Vec::new();
        };
        let State::Placed { file, .. } = state else {
            return Vec::new();
        };
        match source::read_text(&file.path, &file.shown, &config.limits) {
            Ok(text) => found
                .iter()
                .map(|(link, message, hint)| {
                    let len = link.written.len().max(1);
                    Diagnostic::at_located(
                        &file.shown,
                        &text,
                        link.offset,
                        link.line_col,
                        len,
                        message.clone(),
                    )
                    .with_hint(hint.clone())
                })
                .collect(),
            Err(d) => vec![d],
        }
    }
}

/// Every `id="…"` value in `html`, entities decoded.
pub(super) fn ids_in(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    let finder = memchr::memmem::Finder::new(" id=\"");
    while let Some(at) = finder.find(rest.as_bytes()) {
        rest = &rest[at + 5..];
        let end = memchr::memchr(b'"', rest.as_bytes()).unwrap_or(rest.len());
        let id = &rest[..end];
        ids.insert(match id.contains('&') {
            true => id
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
            false => id.to_string(),
        });
        rest = &rest[end..];
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_the_body_html() {
        let ids =
            ids_in(r#"<h2 id="一、加强">x</h2><p id="a&amp;b"></p><sup class="x" id="fnref-1">"#);
        let mut ids: Vec<String> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["a&b", "fnref-1", "一、加强"]);
    }
}
