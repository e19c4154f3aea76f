//! Render stage: the Atom feed of each language and the sitemap. Every text a report or the
//! configuration brings into the feed passes `xml_text`, so the feed is well-formed XML
//! whatever characters the text held.

use minijinja::{Value, context};

use super::super::context::{Ctx, html_lang};
use super::super::escape::{escape, xml_text};
use super::super::pages::{Page, all_pages};
use super::super::shown::{self, FeedEntry};
use super::head::alternates;
use super::v;
use crate::config::label;
use crate::model::Site;
use crate::urls;

pub(super) fn feed(ctx: &Ctx<'_>) -> Value {
    let site = ctx.site;
    let base = &site.config.base_url;
    let entries = shown::feed_entries(site, ctx.lang);
    let feed_updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                title => xml_text(e.title), summary => xml_text(e.summary),
                url => urls::absolute(base, &urls::report(e.lang, e.key.year, &e.key.stem)),
                published => format!("{}T00:00:00Z", e.date),
                updated => format!("{}T00:00:00Z", e.updated),
                author => xml_text(&ctx.department(e.department)),
                content => feed_content(ctx, e),
            }
        })
        .collect();
    context! {
        lang => html_lang(ctx.lang), title => xml_text(label(&site.config.title, ctx.lang)),
        self_url => urls::absolute(base, &urls::feed(ctx.lang)),
        home_url => urls::absolute(base, &urls::home(ctx.lang)),
        updated => feed_updated, entries,
    }
}

/// A revised report's feed entry says what was revised: the summary, then the corrections,
/// newest first, as HTML (the template escapes it once more for `<content type="html">`).
/// `None` for a report never revised: its summary says it all.
pub(super) fn feed_content(ctx: &Ctx<'_>, entry: &FeedEntry<'_>) -> Option<String> {
    if entry.revisions.is_empty() {
        return None;
    }
    let mut html = format!(
        "<p>{}</p><p><strong>{}</strong></p><ul>",
        escape(&xml_text(entry.summary)),
        escape(&xml_text(&ctx.t("revisions")))
    );
    for r in &entry.revisions {
        html.push_str(&format!(
            "<li><time datetime=\"{d}\">{d}</time> {}</li>",
            escape(&xml_text(&r.note)),
            d = r.date
        ));
    }
    html.push_str("</ul>");
    Some(html)
}

pub(super) fn sitemap(site: &Site) -> Value {
    let base = &site.config.base_url;
    let mut urls_out = Vec::new();
    for page in all_pages(site) {
        let Some(lang) = page.lang() else { continue };
        if matches!(page, Page::Feed(_)) || !page.exists_in(site, lang) {
            continue;
        }
        let alternates = alternates(site, &page);
        let lastmod = match &page {
            Page::Report(l, key) => site
                .entry(key)
                .map(|e| shown::lastmod(site.in_lang(e, l).0).to_string()),
            _ => None,
        };
        urls_out.push((
            page.path(),
            context! { loc => urls::absolute(base, &page.path()), alternates => v(alternates), lastmod },
        ));
    }
    urls_out.sort_by(|a, b| a.0.cmp(&b.0));
    let root = context! { loc => base, alternates => v(alternates(site, &Page::Chooser)),
    lastmod => None::<String> };
    let mut all = vec![root];
    all.extend(urls_out.into_iter().map(|(_, v)| v));
    context! { urls => all }
}
