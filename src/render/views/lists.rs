//! Render stage: the contexts of the chooser, the 404 page, the home, year, department and
//! theme pages, the index pages and the search page.

use std::collections::BTreeMap;

use minijinja::{Value, context};

use super::super::context::{Ctx, html_lang};
use super::super::pages::Page;
use super::figures::department_figures;
use super::identity::footer;
use super::{common, index_head, v};
use crate::config::label;
use crate::model::Site;
use crate::urls;

pub(super) fn chooser(ctx: &Ctx<'_>) -> Value {
    let site = ctx.site;
    let homes: Vec<_> = site
        .config
        .languages
        .iter()
        .map(|l| {
            context! {
                lang => l, html_lang => html_lang(l), name => ctx.lang_name(l),
                title => label(&site.config.title, l), href => ctx.href(&urls::home(l)),
                enter => ctx.strings[l].get("enter").cloned().unwrap_or_default(),
                footer => v(footer(ctx, l, &site.config.base_url)),
            }
        })
        .collect();
    let head = index_head(
        ctx,
        label(&site.config.title, ctx.lang).to_string(),
        "kind_home",
        None,
    );
    context! { page => v(common(ctx, &Page::Chooser, head)), homes }
}

pub(super) fn not_found(ctx: &Ctx<'_>) -> Value {
    // Served at any address, so links here are absolute paths on the configured host.
    let base_path = format!(
        "/{}",
        ctx.site.config.base_url.splitn(4, '/').nth(3).unwrap_or("")
    );
    let homes: Vec<_> = ctx
        .site
        .config
        .languages
        .iter()
        .map(|l| {
            context! {
                lang => l, html_lang => html_lang(l),
                title => ctx.strings[l].get("not_found_title").cloned().unwrap_or_default(),
                body => ctx.strings[l].get("not_found_body").cloned().unwrap_or_default(),
                home_label => ctx.strings[l].get("nav_home").cloned().unwrap_or_default(),
                href => format!("{base_path}{}", urls::home(l)),
                footer => v(footer(ctx, l, &ctx.site.config.base_url)),
            }
        })
        .collect();
    context! {
        lang => ctx.lang, html_lang => html_lang(ctx.lang),
        stylesheet => format!("{base_path}{}", ctx.theme.asset("style.css")),
        reading_script => format!("{base_path}{}", ctx.theme.asset("reading.js")), homes,
        site_title => label(&ctx.site.config.title, ctx.lang),
    }
}

pub(super) fn home(ctx: &Ctx<'_>, page: &Page) -> Value {
    let site = ctx.site;
    let latest = site.years().next();
    let latest_items = latest
        .map(|y| ctx.items(&site.by_year[&y]))
        .unwrap_or_default();
    let years: Vec<_> = site
        .years()
        .map(|y| {
            context! { year => y, href => ctx.href(&urls::year(ctx.lang, y)),
            count => site.by_year[&y].len(), archived => year_archived(site, y),
            count_label => ctx.count("report_count", site.by_year[&y].len()) }
        })
        .collect();
    let head = index_head(
        ctx,
        label(&site.config.title, ctx.lang).to_string(),
        "kind_home",
        site.entries.first(),
    );
    // README, "Signed manifests": readers compare this with the key they were given.
    let signing_key = site.config.keys.public.map(|k| {
        context! { fingerprint => k.fingerprint(), href => ctx.href(crate::trust::PUBLIC_KEY_FILE) }
    });
    context! { page => v(common(ctx, page, head)), latest, latest_items => v(latest_items), years, signing_key,
    departments => taxonomy_links(ctx, &site.config.departments, &site.by_department, urls::department),
    themes => taxonomy_links(ctx, &site.config.themes, &site.by_theme, urls::theme) }
}

/// A year is archived when none of its reports is its department's newest.
pub(super) fn year_archived(site: &Site, year: u16) -> bool {
    site.by_year[&year]
        .iter()
        .all(|&i| site.is_archived(&site.entries[i]))
}

pub(super) fn year(ctx: &Ctx<'_>, page: &Page, year: u16) -> Value {
    let ids = &ctx.site.by_year[&year];
    let title = ctx.t("year_title").replace("{year}", &year.to_string());
    let head = index_head(
        ctx,
        title,
        "kind_year",
        ids.first().map(|&i| &ctx.site.entries[i]),
    );
    context! { page => v(common(ctx, page, head)), year, items => v(ctx.items(ids)),
    archived => year_archived(ctx.site, year) }
}

pub(super) fn taxonomy_links(
    ctx: &Ctx<'_>,
    labels: &BTreeMap<String, crate::config::Labels>,
    groups: &BTreeMap<String, Vec<usize>>,
    url: fn(&str, &str) -> String,
) -> Vec<Value> {
    labels
        .iter()
        .map(|(key, l)| {
            let ids = groups.get(key).map_or(&[][..], Vec::as_slice);
            context! { key, label => label(l, ctx.lang), href => ctx.href(&url(ctx.lang, key)),
            count => ids.len(), count_label => ctx.count("report_count", ids.len()),
            newest_year => ids.first().map(|&i| ctx.site.entries[i].key.year) }
        })
        .collect()
}

pub(super) fn departments(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("departments_title"), "kind_index", None);
    context! { page => v(common(ctx, page, head)),
    terms => taxonomy_links(ctx, &ctx.site.config.departments, &ctx.site.by_department, urls::department) }
}

pub(super) fn themes(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("themes_title"), "kind_index", None);
    context! { page => v(common(ctx, page, head)),
    terms => taxonomy_links(ctx, &ctx.site.config.themes, &ctx.site.by_theme, urls::theme) }
}

pub(super) fn department(ctx: &Ctx<'_>, page: &Page, key: &str) -> Value {
    let ids = ctx
        .site
        .by_department
        .get(key)
        .map_or(&[][..], Vec::as_slice);
    let name = ctx.department(key);
    let mut head = index_head(
        ctx,
        name.clone(),
        "kind_department",
        ids.first().map(|&i| &ctx.site.entries[i]),
    );
    head.source = name.clone();
    context! { page => v(common(ctx, page, head)), name, items => v(ctx.items(ids)),
    figures => v(department_figures(ctx, key, ids)) }
}

pub(super) fn theme(ctx: &Ctx<'_>, page: &Page, key: &str) -> Value {
    let ids = ctx.site.by_theme.get(key).map_or(&[][..], Vec::as_slice);
    let name = ctx.theme(key);
    let head = index_head(
        ctx,
        name.clone(),
        "kind_theme",
        ids.first().map(|&i| &ctx.site.entries[i]),
    );
    context! { page => v(common(ctx, page, head)), name, items => v(ctx.items(ids)) }
}

pub(super) fn search(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("search_title"), "kind_search", None);
    let strings: BTreeMap<&str, String> = [
        ("label", "search_label"),
        ("all", "search_all"),
        ("year", "search_year"),
        ("department", "search_department"),
        ("theme", "search_theme"),
        ("results", "search_results"),
        ("results_one", "search_results_one"),
        ("more", "search_more"),
        ("error", "search_error"),
        ("filters", "search_filters"),
        ("advice", "search_advice"),
        ("advice_fewer", "search_advice_fewer"),
        ("advice_spelling", "search_advice_spelling"),
        ("advice_clear", "search_advice_clear"),
    ]
    .into_iter()
    .map(|(k, key)| (k, ctx.t(key)))
    .collect();
    context! { page => v(common(ctx, page, head)),
    script => ctx.asset("search.js"),
    strings => serde_json::to_string(&strings).unwrap_or_default(),
    years_href => ctx.href(&urls::home(ctx.lang)),
    departments_href => ctx.href(&urls::departments(ctx.lang)),
    themes_href => ctx.href(&urls::themes(ctx.lang)) }
}
