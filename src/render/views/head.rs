//! Render stage: what every page carries — language, navigation, the language switcher,
//! hreflang alternates, the canonical address and the metadata Chinese government sites use.

use super::super::context::{
    Alternate, Common, Ctx, GovMeta, LangLink, NavLink, domain, html_lang,
};
use super::super::pages::Page;
use super::identity::footer;
use crate::config::label;
use crate::model::{Entry, Site};
use crate::urls;

/// Page title, column, and the article fields of the metadata.
pub(super) struct Head {
    pub(super) title: String,
    pub(super) column: String,
    pub(super) kind: &'static str,
    pub(super) pub_date: String,
    pub(super) source: String,
    pub(super) keywords: Vec<String>,
    pub(super) description: String,
}

pub(super) fn common<'a>(ctx: &'a Ctx<'a>, page: &Page, head: Head) -> Common<'a> {
    let config = &ctx.site.config;
    let canonical = urls::absolute(&config.base_url, &page.path());
    let site_title = label(&config.title, ctx.lang);
    let author = if head.source.is_empty() {
        let sponsor = config.identity.sponsor.as_ref();
        sponsor
            .map_or(site_title, |s| label(s, ctx.lang))
            .to_string()
    } else {
        head.source.clone()
    };
    Common {
        lang: ctx.lang,
        html_lang: html_lang(ctx.lang),
        root: urls::root_prefix(&ctx.from),
        stylesheet: ctx.asset("style.css"),
        reading_script: ctx.asset("reading.js"),
        site_title,
        title: head.title.clone(),
        home: ctx.href(&urls::home(ctx.lang)),
        search: ctx.href(&urls::search(ctx.lang)),
        feed: ctx.href(&urls::feed(ctx.lang)),
        status: config
            .kinds
            .status_page
            .then(|| ctx.href(&urls::status(ctx.lang))),
        nav: nav(ctx, page),
        switcher: switcher(ctx, page),
        alternates: alternates(ctx.site, page),
        noindex: !page.exists_in(ctx.site, ctx.lang),
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
            site_id_code: config.identity.site_code.clone().unwrap_or_default(),
            author,
        },
        footer: footer(ctx, ctx.lang, &canonical),
        canonical,
        t: ctx.string_values[ctx.lang].clone(),
    }
}

/// The main navigation, the current page or section marked.
fn nav(ctx: &Ctx<'_>, page: &Page) -> Vec<NavLink> {
    let current = |p: &Page| match (p, page) {
        (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => Some("page"),
        (Page::Departments(_), Page::Department(..)) | (Page::Themes(_), Page::Theme(..)) => {
            Some("true")
        }
        _ => None,
    };
    let nav_pages = [
        (Page::Home(ctx.lang.into()), "nav_home"),
        (Page::Departments(ctx.lang.into()), "nav_departments"),
        (Page::Themes(ctx.lang.into()), "nav_themes"),
        (Page::Search(ctx.lang.into()), "nav_search"),
    ];
    nav_pages
        .iter()
        .map(|(p, key)| NavLink {
            label: ctx.t(key),
            href: ctx.href(&p.path()),
            current: current(p),
        })
        .collect()
}

/// The same page in every language.
fn switcher(ctx: &Ctx<'_>, page: &Page) -> Vec<LangLink> {
    ctx.site
        .config
        .languages
        .iter()
        .map(|l| LangLink {
            lang: l.clone(),
            html_lang: html_lang(l),
            name: ctx.lang_name(l),
            href: ctx.href(&page.in_lang(l).path()),
            current: l == ctx.lang,
        })
        .collect()
}

/// hreflang alternates: the languages the page exists in, and `x-default`. The page's
/// `<link rel="alternate">` tags and its sitemap entry both come from here, so they agree.
pub(super) fn alternates(site: &Site, page: &Page) -> Vec<Alternate> {
    let config = &site.config;
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
    alternates
}

pub(super) fn index_head(
    ctx: &Ctx<'_>,
    title: String,
    kind: &'static str,
    newest: Option<&Entry>,
) -> Head {
    let pub_date = newest
        .map(|e| ctx.site.in_lang(e, ctx.lang).0.date.to_string())
        .unwrap_or_default();
    // A list's keywords name what it lists, then the site, so none is empty.
    let mut keywords = vec![title.clone()];
    let site_title = label(&ctx.site.config.title, ctx.lang);
    if title != site_title {
        keywords.push(site_title.to_string());
    }
    Head {
        keywords,
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
    }
}
