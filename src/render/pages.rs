//! Render stage: the list of pages a site has (README, "A site"; ARCHITECTURE.md, "Decisions")
//! and where each one is written. A page is named by what it shows, so it names the same page
//! after reports are added or removed (the preview keeps pages to render across edits).

use crate::config::Lang;
use crate::model::{ReportKey, Site};
use crate::urls;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// `/index.html`: links both homes.
    Chooser,
    NotFound,
    Sitemap,
    Robots,
    Home(Lang),
    Year(Lang, u16),
    /// A report; where it has no translation in `Lang`, the "not translated" page at the
    /// address the translation would have.
    Report(Lang, ReportKey),
    Departments(Lang),
    Department(Lang, String),
    Themes(Lang),
    Theme(Lang, String),
    Search(Lang),
    Feed(Lang),
    /// Who is late (README "Report kinds"), only with `status: true`.
    Status(Lang),
}

impl Page {
    /// The page's folder (`zh/2022/`) or, for plain files, its path (`zh/feed.xml`).
    pub fn path(&self) -> String {
        match self {
            Page::Chooser => String::new(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Robots => "robots.txt".into(),
            Page::Home(l) => urls::home(l),
            Page::Year(l, y) => urls::year(l, *y),
            Page::Report(l, key) => urls::report(l, key.year, &key.stem),
            Page::Departments(l) => urls::departments(l),
            Page::Department(l, k) => urls::department(l, k),
            Page::Themes(l) => urls::themes(l),
            Page::Theme(l, k) => urls::theme(l, k),
            Page::Search(l) => urls::search(l),
            Page::Feed(l) => urls::feed(l),
            Page::Status(l) => urls::status(l),
        }
    }

    /// The file the page is written to.
    pub fn file(&self) -> String {
        urls::file_of(&self.path())
    }

    /// Whether `site` has this page (a page it lacks is a file to remove).
    pub fn exists(&self, site: &Site) -> bool {
        match self {
            Page::Report(_, key) => site.entry(key).is_some(),
            Page::Year(_, y) => site.by_year.contains_key(y),
            Page::Department(_, k) => site.config.departments.contains_key(k),
            Page::Theme(_, k) => site.config.themes.contains_key(k),
            Page::Status(_) => site.config.kinds.status_page,
            _ => true,
        }
    }

    pub fn lang(&self) -> Option<&str> {
        match self {
            Page::Chooser | Page::NotFound | Page::Sitemap | Page::Robots => None,
            Page::Home(l)
            | Page::Year(l, _)
            | Page::Report(l, _)
            | Page::Departments(l)
            | Page::Department(l, _)
            | Page::Themes(l)
            | Page::Theme(l, _)
            | Page::Search(l)
            | Page::Status(l)
            | Page::Feed(l) => Some(l),
        }
    }

    /// The same page in another language.
    pub fn in_lang(&self, lang: &str) -> Page {
        let l = lang.to_string();
        match self {
            Page::Home(_) => Page::Home(l),
            Page::Year(_, y) => Page::Year(l, *y),
            Page::Report(_, key) => Page::Report(l, key.clone()),
            Page::Departments(_) => Page::Departments(l),
            Page::Department(_, k) => Page::Department(l, k.clone()),
            Page::Themes(_) => Page::Themes(l),
            Page::Theme(_, k) => Page::Theme(l, k.clone()),
            Page::Search(_) => Page::Search(l),
            Page::Feed(_) => Page::Feed(l),
            Page::Status(_) => Page::Status(l),
            other => other.clone(),
        }
    }

    /// True for pages that exist as real content in `lang` (a report with that translation, or
    /// any index page); false for "not translated" pages.
    pub fn exists_in(&self, site: &Site, lang: &str) -> bool {
        match self {
            Page::Report(_, key) => site
                .entry(key)
                .is_some_and(|e| e.translations.contains_key(lang)),
            _ => true,
        }
    }
}

/// Every page of the site, in a stable order.
pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![Page::Chooser, Page::NotFound, Page::Sitemap, Page::Robots];
    for lang in &site.config.languages {
        pages.extend(pages_in(site, lang));
    }
    pages
}

fn pages_in(site: &Site, lang: &Lang) -> Vec<Page> {
    let l = || lang.clone();
    let mut pages = vec![
        Page::Home(l()),
        Page::Departments(l()),
        Page::Themes(l()),
        Page::Search(l()),
        Page::Feed(l()),
    ];
    if site.config.kinds.status_page {
        pages.push(Page::Status(l()));
    }
    pages.extend(site.by_year.keys().map(|y| Page::Year(l(), *y)));
    pages.extend(
        site.config
            .departments
            .keys()
            .map(|k| Page::Department(l(), k.clone())),
    );
    pages.extend(
        site.config
            .themes
            .keys()
            .map(|k| Page::Theme(l(), k.clone())),
    );
    pages.extend(
        site.entries
            .iter()
            .map(|e| Page::Report(l(), e.key.clone())),
    );
    pages
}
