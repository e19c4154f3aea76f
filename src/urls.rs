//! Render stage: the URL scheme (README, "A site") and links between pages.
//!
//! A page is named by its folder inside the output (`zh/2022/justice-bureau/`, or `` for the
//! root); its file is that folder's `index.html`. Every link is relative so the output works
//! under any sub-path, and in [`LinkStyle::IndexHtml`] links name the `index.html` file so the
//! site also browses from disk. An offline bundle ([`LinkStyle::Bundle`]) holds one year: its
//! links to the pages of other years lead to the live site, so [`link`] writes those absolute.

/// How links to a page folder are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStyle {
    /// `../2022/` — for web servers, which serve a folder's `index.html`.
    #[default]
    Directory,
    /// `../2022/index.html` — for `file://`.
    IndexHtml,
    /// The offline bundle of `year` (README, Archiving): as [`LinkStyle::IndexHtml`] inside it,
    /// and pages of any other year (`zh/2021/…`) at `base_url`, where they are published.
    Bundle { year: u16 },
}

pub fn home(lang: &str) -> String {
    format!("{lang}/")
}
pub fn year(lang: &str, year: u16) -> String {
    format!("{lang}/{year}/")
}
pub fn report(lang: &str, year: u16, stem: &str) -> String {
    format!("{lang}/{year}/{stem}/")
}
pub fn departments(lang: &str) -> String {
    format!("{lang}/departments/")
}
pub fn department(lang: &str, key: &str) -> String {
    format!("{lang}/departments/{key}/")
}
pub fn themes(lang: &str) -> String {
    format!("{lang}/themes/")
}
pub fn theme(lang: &str, key: &str) -> String {
    format!("{lang}/themes/{key}/")
}
/// The status page (README "Report kinds"), when `status: true`.
pub fn status(lang: &str) -> String {
    format!("{lang}/status/")
}
pub fn search(lang: &str) -> String {
    format!("{lang}/search/")
}
pub fn feed(lang: &str) -> String {
    format!("{lang}/feed.xml")
}

/// The output file of a page folder (`zh/` → `zh/index.html`); files are returned unchanged.
pub fn file_of(page: &str) -> String {
    if page.is_empty() || page.ends_with('/') {
        format!("{page}index.html")
    } else {
        page.to_string()
    }
}

/// A link from page folder `from` to `to` (a page folder or a file) as `style` writes it:
/// relative, except that a bundle links the pages of years it does not hold on the live site
/// (`base_url`, folder addresses as the web server serves them).
pub fn link(from: &str, to: &str, style: LinkStyle, base_url: &str) -> String {
    match style {
        LinkStyle::Bundle { year } if year_of(to).is_some_and(|y| y != year) => {
            absolute(base_url, to)
        }
        _ => relative(from, to, style),
    }
}

/// Where a link written by hand on page `from` (`../../2021/justice-bureau/#s`, in a report's
/// Markdown) leads when `style` is a bundle and its target is a page of another year: that
/// page's address on the live site, with the query and fragment as written. `None` when the
/// link stays as it is.
pub fn live_address(from: &str, href: &str, style: LinkStyle, base_url: &str) -> Option<String> {
    let LinkStyle::Bundle { year } = style else {
        return None;
    };
    let target = resolve(&file_of(from), href)?;
    if target.starts_with("../") || year_of(&target).is_none_or(|y| y == year) {
        return None;
    }
    let page = target.strip_suffix("index.html").unwrap_or(&target);
    let rest = href.find(['?', '#']).map_or("", |i| &href[i..]);
    Some(format!("{}{rest}", absolute(base_url, page)))
}

/// The output file a relative link from `file` leads to; `None` for links that leave the site
/// (other hosts, `mailto:`) or stay on the page (`#…`). A link that climbs above the root keeps
/// its `../` (`../../x/`), so it matches no file.
pub fn resolve(file: &str, href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.contains(':') || path.starts_with("//") {
        return None;
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    if path.starts_with('/') {
        parts.clear();
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(format!("../{path}"));
                }
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if path.ends_with('/') || target.is_empty() {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(target)
}

/// The year of a page under `<lang>/<year>/` (a year page or a report), if `page` is one.
fn year_of(page: &str) -> Option<u16> {
    let mut parts = page.split('/');
    let (_lang, year) = (parts.next()?, parts.next()?);
    let digits = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| year.parse().ok()).flatten()
}

/// A link from page folder `from` to `to` (a page folder or a file), relative: the link inside
/// the output, whatever [`link`] would do with pages outside it.
pub fn relative(from: &str, to: &str, style: LinkStyle) -> String {
    let mut link = "../".repeat(depth(from));
    link.push_str(to);
    if style != LinkStyle::Directory && (to.is_empty() || to.ends_with('/')) {
        link.push_str("index.html");
    }
    if link.is_empty() {
        link.push_str("./");
    }
    link
}

/// The prefix that leads from page folder `from` back to the site root (`../../`).
pub fn root_prefix(from: &str) -> String {
    "../".repeat(depth(from))
}

fn depth(page: &str) -> usize {
    let dir = match page.rfind('/') {
        Some(i) => &page[..=i],
        None => "",
    };
    dir.matches('/').count()
}

/// An absolute address on the live site.
pub fn absolute(base_url: &str, page: &str) -> String {
    format!("{base_url}{page}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        let from = report("zh", 2022, "justice-bureau");
        assert_eq!(
            relative(
                &from,
                &report("en", 2022, "justice-bureau"),
                LinkStyle::Directory
            ),
            "../../../en/2022/justice-bureau/"
        );
        assert_eq!(relative("", &home("zh"), LinkStyle::Directory), "zh/");
        assert_eq!(relative("", "", LinkStyle::Directory), "./");
        assert_eq!(
            relative("zh/", "static/style.css", LinkStyle::Directory),
            "../static/style.css"
        );
        assert_eq!(
            relative("zh/feed.xml", "zh/", LinkStyle::Directory),
            "../zh/"
        );
    }

    #[test]
    fn index_html_style_names_files() {
        assert_eq!(
            relative("zh/2022/", &home("zh"), LinkStyle::IndexHtml),
            "../../zh/index.html"
        );
        assert_eq!(relative("zh/", "", LinkStyle::IndexHtml), "../index.html");
        assert_eq!(file_of("zh/2022/"), "zh/2022/index.html");
        assert_eq!(file_of(""), "index.html");
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("zh/2022/a/index.html", "../../").as_deref(),
            Some("zh/index.html")
        );
        assert_eq!(
            resolve("zh/index.html", "../static/s.css").as_deref(),
            Some("static/s.css")
        );
        assert_eq!(
            resolve("index.html", "zh/").as_deref(),
            Some("zh/index.html")
        );
        assert_eq!(resolve("zh/index.html", "#main"), None);
        assert_eq!(resolve("zh/index.html", "https://x.cn/"), None);
        assert_eq!(resolve("index.html", "../x/").as_deref(), Some("../../x/"));
    }

    #[test]
    fn hand_written_links_to_other_years_leave_a_bundle_only() {
        let base = "https://live/";
        let style = LinkStyle::Bundle { year: 2022 };
        let from = report("zh", 2022, "a");
        let live = |href| live_address(&from, href, style, base);
        assert_eq!(
            live("../../2021/b/?q=1#s").as_deref(),
            Some("https://live/zh/2021/b/?q=1#s")
        );
        assert_eq!(
            live("../../../en/2023/b/index.html").as_deref(),
            Some("https://live/en/2023/b/")
        );
        assert_eq!(live("../../2022/b/"), None, "the bundle's year");
        assert_eq!(live("../../departments/"), None);
        assert_eq!(live("https://x.cn/zh/2021/"), None);
        assert_eq!(live("#s"), None);
        assert_eq!(
            live_address(&from, "../../2021/b/", LinkStyle::IndexHtml, base),
            None
        );
    }

    #[test]
    fn bundle_links_other_years_on_the_live_site() {
        let base = "https://www.example.gov.cn/fzzf/";
        let style = LinkStyle::Bundle { year: 2022 };
        let from = report("zh", 2022, "justice-bureau");
        assert_eq!(
            link(&from, &report("zh", 2021, "justice-bureau"), style, base),
            "https://www.example.gov.cn/fzzf/zh/2021/justice-bureau/"
        );
        assert_eq!(
            link(&from, &year("en", 2023), style, base),
            "https://www.example.gov.cn/fzzf/en/2023/"
        );
        assert_eq!(
            link(&from, &report("en", 2022, "justice-bureau"), style, base),
            "../../../en/2022/justice-bureau/index.html"
        );
        for inside in [home("zh"), departments("zh"), search("en"), feed("zh")] {
            assert!(
                !link(&from, &inside, style, base).contains("://"),
                "{inside}"
            );
        }
        assert_eq!(
            link("", "static/style.css", style, base),
            "static/style.css"
        );
        assert_eq!(
            link(&from, &report("zh", 2021, "a"), LinkStyle::IndexHtml, base),
            "../../../zh/2021/a/index.html",
            "only a bundle leaves the output"
        );
    }
}
