//! Render stage: which template each page uses and the context it gets.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use serde::Serialize;

use super::chart;
use super::context::{
    Alternate, Common, Ctx, GovMeta, LangLink, Link, NavLink, domain, format_number, html_lang,
};
use super::pages::Page;
use super::shown::{self, FeedEntry};
use super::theme::Strings;
use crate::config::label;
use crate::model::{Bodies, Entry, Site};
use crate::urls::{self, LinkStyle};

/// Any serialisable value as a template value.
fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

pub fn view(
    site: &Site,
    bodies: &dyn Bodies,
    strings: &BTreeMap<String, Strings>,
    style: LinkStyle,
    page: &Page,
) -> (&'static str, Value) {
    let lang = page.lang().unwrap_or(site.config.default_lang());
    let ctx = Ctx {
        site,
        strings,
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
    }
}

/// Page title, column, and the article fields of the metadata.
struct Head {
    title: String,
    column: String,
    kind: &'static str,
    pub_date: String,
    source: String,
    keywords: Vec<String>,
    description: String,
}

fn common<'a>(ctx: &'a Ctx<'a>, page: &Page, head: Head) -> Common<'a> {
    let site = ctx.site;
    let config = &site.config;
    let current_nav = |p: &Page| std::mem::discriminant(p) == std::mem::discriminant(page);
    let nav_pages = [
        (Page::Home(ctx.lang.into()), "nav_home"),
        (Page::Departments(ctx.lang.into()), "nav_departments"),
        (Page::Themes(ctx.lang.into()), "nav_themes"),
        (Page::Search(ctx.lang.into()), "nav_search"),
    ];
    let nav = nav_pages
        .iter()
        .map(|(p, key)| NavLink {
            label: ctx.t(key),
            href: ctx.href(&p.path()),
            current: current_nav(p),
        })
        .collect();
    let switcher = config
        .languages
        .iter()
        .map(|l| LangLink {
            lang: l.clone(),
            html_lang: html_lang(l),
            name: ctx.lang_name(l),
            href: ctx.href(&page.in_lang(l).path()),
            current: l == ctx.lang,
        })
        .collect();
    // The chooser is the one language-neutral page: its alternates are the homes, and it is
    // the `x-default` of the homes (the page for readers of neither language).
    let alternate_in = |l: &str| match page {
        Page::Chooser => Page::Home(l.to_string()),
        p => p.in_lang(l),
    };
    let mut alternates: Vec<Alternate> = config
        .languages
        .iter()
        .filter(|l| page.exists_in(site, l))
        .map(|l| Alternate {
            hreflang: html_lang(l),
            href: urls::absolute(&config.base_url, &alternate_in(l).path()),
        })
        .collect();
    let x_default = match page {
        Page::Chooser | Page::Home(_) => Some(Page::Chooser),
        p if p.exists_in(site, config.default_lang()) => Some(p.in_lang(config.default_lang())),
        _ => None,
    };
    if let Some(p) = x_default {
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            href: urls::absolute(&config.base_url, &p.path()),
        });
    }
    let canonical = urls::absolute(&config.base_url, &page.path());
    let site_title = label(&config.title, ctx.lang);
    Common {
        lang: ctx.lang,
        html_lang: html_lang(ctx.lang),
        root: urls::root_prefix(&ctx.from),
        stylesheet: ctx.href("static/style.css"),
        site_title,
        title: head.title.clone(),
        home: ctx.href(&urls::home(ctx.lang)),
        search: ctx.href(&urls::search(ctx.lang)),
        feed: ctx.href(&urls::feed(ctx.lang)),
        nav,
        switcher,
        alternates,
        noindex: !page.exists_in(site, ctx.lang),
        meta: GovMeta {
            site_name: site_title.to_string(),
            site_domain: domain(&config.base_url),
            column_name: head.column,
            column_type: ctx.t(head.kind),
            article_title: head.title,
            pub_date: head.pub_date,
            content_source: if head.source.is_empty() {
                site_title.to_string()
            } else {
                head.source
            },
            keywords: head.keywords.join(","),
            description: head.description,
            url: canonical.clone(),
        },
        canonical,
        t: &ctx.strings[ctx.lang],
    }
}

fn index_head(ctx: &Ctx<'_>, title: String, kind: &'static str, newest: Option<&Entry>) -> Head {
    let pub_date = newest
        .map(|e| ctx.site.in_lang(e, ctx.lang).0.date.to_string())
        .unwrap_or_default();
    Head {
        column: title.clone(),
        description: {
            let site_title = label(&ctx.site.config.title, ctx.lang);
            // Home and chooser are titled with the site title: say it once.
            if title == site_title {
                title.clone()
            } else {
                format!("{title} — {site_title}")
            }
        },
        title,
        kind,
        pub_date,
        source: String::new(),
        keywords: Vec::new(),
    }
}

fn chooser(ctx: &Ctx<'_>) -> Value {
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

fn not_found(ctx: &Ctx<'_>) -> Value {
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
            }
        })
        .collect();
    context! {
        lang => ctx.lang, html_lang => html_lang(ctx.lang),
        stylesheet => format!("{base_path}static/style.css"), homes,
        site_title => label(&ctx.site.config.title, ctx.lang),
    }
}

fn home(ctx: &Ctx<'_>, page: &Page) -> Value {
    let site = ctx.site;
    let latest = site.years().next();
    let latest_items = latest
        .map(|y| ctx.items(&site.by_year[&y]))
        .unwrap_or_default();
    let years: Vec<_> = site
        .years()
        .map(|y| {
            context! { year => y, href => ctx.href(&urls::year(ctx.lang, y)),
            count => site.by_year[&y].len(), archived => year_archived(site, y) }
        })
        .collect();
    let head = index_head(
        ctx,
        label(&site.config.title, ctx.lang).to_string(),
        "kind_home",
        site.entries.first(),
    );
    context! { page => v(common(ctx, page, head)), latest, latest_items => v(latest_items), years,
    departments => taxonomy_links(ctx, &site.config.departments, &site.by_department, urls::department),
    themes => taxonomy_links(ctx, &site.config.themes, &site.by_theme, urls::theme) }
}

/// A year is archived when none of its reports is its department's newest.
fn year_archived(site: &Site, year: u16) -> bool {
    site.by_year[&year]
        .iter()
        .all(|&i| site.is_archived(&site.entries[i]))
}

fn year(ctx: &Ctx<'_>, page: &Page, year: u16) -> Value {
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

fn taxonomy_links(
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
            count => ids.len(),
            newest_year => ids.first().map(|&i| ctx.site.entries[i].key.year) }
        })
        .collect()
}

fn departments(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("departments_title"), "kind_index", None);
    context! { page => v(common(ctx, page, head)),
    terms => taxonomy_links(ctx, &ctx.site.config.departments, &ctx.site.by_department, urls::department) }
}

fn themes(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("themes_title"), "kind_index", None);
    context! { page => v(common(ctx, page, head)),
    terms => taxonomy_links(ctx, &ctx.site.config.themes, &ctx.site.by_theme, urls::theme) }
}

fn department(ctx: &Ctx<'_>, page: &Page, key: &str) -> Value {
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
    figures => v(department_figures(ctx, ids)) }
}

/// Every figure a department reported, across the years (SPEC 9).
#[derive(Serialize, Default)]
struct FigureTable {
    /// Oldest first, so the table reads like the charts, left to right in time.
    years: Vec<String>,
    rows: Vec<FigureSeries>,
}

#[derive(Serialize)]
struct FigureSeries {
    key: String,
    label: String,
    /// One cell per year; `—` where that year's report has no such figure.
    values: Vec<String>,
    /// Inline SVG, escaped by [`chart::bar_chart`]; the template marks it `safe`.
    chart: String,
}

/// Rows are the figures any report of the department has, in `site.yaml` key order; columns
/// are the years. A value comes from the report in the page's language, or else from another
/// translation; when a department published several reports in one year, the newest has it.
fn department_figures(ctx: &Ctx<'_>, ids: &[usize]) -> FigureTable {
    let site = ctx.site;
    let mut years: Vec<u16> = ids.iter().map(|&i| site.entries[i].key.year).collect();
    years.sort_unstable();
    years.dedup();
    let values = shown::figure_values(site, ids, ctx.lang);
    let rows = site
        .config
        .figures
        .iter()
        .filter(|(key, _)| {
            years
                .iter()
                .any(|y| values.contains_key(&(key.as_str(), *y)))
        })
        .map(|(key, labels)| {
            let label = label(labels, ctx.lang).to_string();
            let series: Vec<Option<f64>> = years
                .iter()
                .map(|y| values.get(&(key.as_str(), *y)).copied())
                .collect();
            let bars: Vec<chart::Bar> = years
                .iter()
                .zip(&series)
                .map(|(y, v)| chart::Bar {
                    label: y.to_string(),
                    value: *v,
                })
                .collect();
            let svg = chart::bar_chart(&chart::BarChart {
                id: &format!("chart-{key}"),
                title: &label,
                x_label: &ctx.t("chart_year_axis"),
                y_label: &label,
                no_data: &ctx.t("no_data"),
                bars: &bars,
            });
            FigureSeries {
                key: key.clone(),
                label,
                values: series
                    .iter()
                    .map(|v| v.map_or_else(|| "—".to_string(), format_number))
                    .collect(),
                chart: svg,
            }
        })
        .collect();
    FigureTable {
        years: years
            .iter()
            .map(|y| ctx.t("year_label").replace("{year}", &y.to_string()))
            .collect(),
        rows,
    }
}

fn theme(ctx: &Ctx<'_>, page: &Page, key: &str) -> Value {
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

fn search(ctx: &Ctx<'_>, page: &Page) -> Value {
    let head = index_head(ctx, ctx.t("search_title"), "kind_search", None);
    let strings: BTreeMap<&str, String> = [
        ("label", "search_label"),
        ("all", "search_all"),
        ("year", "search_year"),
        ("department", "search_department"),
        ("theme", "search_theme"),
        ("results", "search_results"),
        ("more", "search_more"),
        ("error", "search_error"),
    ]
    .into_iter()
    .map(|(k, key)| (k, ctx.t(key)))
    .collect();
    context! { page => v(common(ctx, page, head)),
    script => ctx.href("static/search.js"),
    strings => serde_json::to_string(&strings).unwrap_or_default(),
    years_href => ctx.href(&urls::home(ctx.lang)),
    departments_href => ctx.href(&urls::departments(ctx.lang)),
    themes_href => ctx.href(&urls::themes(ctx.lang)) }
}

#[derive(Serialize)]
struct FigureRow {
    label: String,
    value: String,
}

fn report_or_missing(
    ctx: &Ctx<'_>,
    page: &Page,
    entry: &Entry,
    bodies: &dyn Bodies,
) -> (&'static str, Value) {
    let (report, exact) = ctx.site.in_lang(entry, ctx.lang);
    let mut head = Head {
        title: report.title.clone(),
        column: ctx
            .t("year_title")
            .replace("{year}", &entry.key.year.to_string()),
        kind: "kind_report",
        pub_date: report.date.to_string(),
        source: ctx.department(&entry.department),
        keywords: entry.themes.iter().map(|t| ctx.theme(t)).collect(),
        description: report.summary.clone(),
    };
    if !exact {
        head.kind = "kind_not_translated";
        let available = context! { title => &report.title, href => ctx.report_href(report),
        lang => &report.lang, html_lang => html_lang(&report.lang), name => ctx.lang_name(&report.lang) };
        return (
            "not_translated.html",
            context! { page => v(common(ctx, page, head)), available },
        );
    }
    head.keywords.insert(0, ctx.department(&entry.department));
    let figures: Vec<FigureRow> = report
        .figures
        .iter()
        .map(|(k, v)| FigureRow {
            label: ctx
                .site
                .config
                .figures
                .get(k)
                .map_or_else(|| k.clone(), |l| label(l, ctx.lang).to_string()),
            value: format_number(*v),
        })
        .collect();
    let mut revisions = report.revisions.clone();
    revisions.sort_by_key(|r| std::cmp::Reverse(r.date));
    let newest = newest_link(ctx, entry);
    let toc: Vec<_> = report
        .sections
        .iter()
        .filter(|s| !s.id.is_empty())
        .map(|s| context! { id => &s.id, heading => &s.heading })
        .collect();
    (
        "report.html",
        context! {
            page => v(common(ctx, page, head)),
            report => context! {
                title => &report.title, date => report.date.to_string(), year => entry.key.year,
                year_href => ctx.href(&urls::year(ctx.lang, entry.key.year)),
                department => ctx.department(&entry.department),
                department_href => ctx.href(&urls::department(ctx.lang, &entry.department)),
                themes => v(ctx.theme_links(&entry.themes)),
                last_revised => report.last_revised().map(|d| d.to_string()),
                revisions => v(revisions), figures => v(figures), toc,
                body => Value::from_safe_string(
                    bodies.html(&report.source_path).unwrap_or_default().to_string()
                ),
            },
            archived => v(newest),
        },
    )
}

/// The department's newest report, for the "archived" notice on older ones. In a site cut out
/// of a bigger one (an archive bundle), the newest report is outside it: the link leads to its
/// page on the live site (`base_url`).
fn newest_link(ctx: &Ctx<'_>, entry: &Entry) -> Option<Link> {
    let report = shown::newest_named(ctx.site, entry, ctx.lang)?;
    let inside = ctx
        .site
        .entry(&report.key)
        .is_some_and(|e| e.translations.contains_key(&report.lang));
    let href = if inside {
        ctx.report_href(report)
    } else {
        let page = urls::report(&report.lang, report.key.year, &report.key.stem);
        urls::absolute(&ctx.site.config.base_url, &page)
    };
    Some(Link {
        label: report.title.clone(),
        href,
    })
}

fn feed(ctx: &Ctx<'_>) -> Value {
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
                title => e.title, summary => e.summary,
                url => urls::absolute(base, &urls::report(e.lang, e.key.year, &e.key.stem)),
                published => format!("{}T00:00:00Z", e.date),
                updated => format!("{}T00:00:00Z", e.updated),
                author => ctx.department(e.department),
                content => feed_content(ctx, e),
            }
        })
        .collect();
    context! {
        lang => ctx.lang, title => label(&site.config.title, ctx.lang),
        self_url => urls::absolute(base, &urls::feed(ctx.lang)),
        home_url => urls::absolute(base, &urls::home(ctx.lang)),
        updated => feed_updated, entries,
    }
}

/// A revised report's feed entry says what was revised: the summary, then the corrections,
/// newest first, as HTML (the template escapes it once more for `<content type="html">`).
/// `None` for a report never revised: its summary says it all.
fn feed_content(ctx: &Ctx<'_>, entry: &FeedEntry<'_>) -> Option<String> {
    if entry.revisions.is_empty() {
        return None;
    }
    let mut html = format!(
        "<p>{}</p><p><strong>{}</strong></p><ul>",
        super::escape::escape(entry.summary),
        super::escape::escape(&ctx.t("revisions"))
    );
    for r in &entry.revisions {
        html.push_str(&format!(
            "<li><time datetime=\"{d}\">{d}</time> {}</li>",
            super::escape::escape(&r.note),
            d = r.date
        ));
    }
    html.push_str("</ul>");
    Some(html)
}

fn sitemap(site: &Site) -> Value {
    let base = &site.config.base_url;
    let mut urls_out = Vec::new();
    for page in super::pages::all_pages(site) {
        let Some(lang) = page.lang() else { continue };
        if matches!(page, Page::Feed(_)) || !page.exists_in(site, lang) {
            continue;
        }
        let alternates: Vec<_> = site.config.languages.iter().filter(|l| page.exists_in(site, l))
            .map(|l| context! { hreflang => html_lang(l), href => urls::absolute(base, &page.in_lang(l).path()) })
            .collect();
        let lastmod = match &page {
            Page::Report(l, key) => site
                .entry(key)
                .map(|e| shown::lastmod(site.in_lang(e, l).0).to_string()),
            _ => None,
        };
        urls_out.push((
            page.path(),
            context! { loc => urls::absolute(base, &page.path()), alternates, lastmod },
        ));
    }
    urls_out.sort_by(|a, b| a.0.cmp(&b.0));
    let root =
        context! { loc => base, alternates => Vec::<Value>::new(), lastmod => None::<String> };
    let mut all = vec![root];
    all.extend(urls_out.into_iter().map(|(_, v)| v));
    context! { urls => all }
}
