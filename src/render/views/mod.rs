//! Render stage: which template each page uses and the context it gets. Each page's context
//! is made in Rust (`lists.rs`, `report.rs`, `feeds.rs`), from what `shown.rs` says a page
//! shows of a report; `head.rs` makes what every page carries.

mod feeds;
mod figures;
mod head;
mod identity;
mod lists;
mod report;
mod status;

use std::collections::BTreeMap;

use minijinja::{Value, context};
use serde::Serialize;

use super::context::Ctx;
use super::pages::Page;
use super::theme::Theme;
use crate::model::{Bodies, Site};
use crate::urls::LinkStyle;
use feeds::{feed, sitemap};
use head::{Head, common, index_head};
use lists::{chooser, department, departments, home, not_found, search, theme, themes, year};
use report::report_or_missing;

/// Any serialisable value as a template value.
pub(super) fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The template and the context of `page`, with the theme's files and its strings as template
/// values per language.
pub fn view(
    site: &Site,
    bodies: &dyn Bodies,
    (files, string_values): (&Theme, &BTreeMap<String, Value>),
    style: LinkStyle,
    page: &Page,
) -> (&'static str, Value) {
    let lang = page.lang().unwrap_or(site.config.default_lang());
    let ctx = Ctx {
        site,
        strings: &files.strings,
        string_values,
        theme: files,
        lang,
        from: page.path(),
        style,
    };
    match page {
        Page::Chooser => ("chooser.html", chooser(&ctx)),
        Page::NotFound => ("404.html", not_found(&ctx)),
        Page::Sitemap => ("sitemap.xml", sitemap(site)),
        Page::Robots => ("robots.txt", context! { base_url => &site.config.base_url }),
        Page::Home(_) => ("home.html", home(&ctx, page)),
        Page::Year(_, y) => ("year.html", year(&ctx, page, *y)),
        Page::Report(_, key) => match site.entry(key) {
            Some(entry) => report_or_missing(&ctx, page, entry, bodies),
            None => ("404.html", not_found(&ctx)),
        },
        Page::Departments(_) => ("terms.html", departments(&ctx, page)),
        Page::Department(_, k) => ("department.html", department(&ctx, page, k)),
        Page::Themes(_) => ("terms.html", themes(&ctx, page)),
        Page::Theme(_, k) => ("theme.html", theme(&ctx, page, k)),
        Page::Search(_) => ("search.html", search(&ctx, page)),
        Page::Feed(_) => ("feed.xml", feed(&ctx)),
        Page::Status(_) => ("status.html", status::status(&ctx, page)),
    }
}
