//! The URL scheme (SPEC 5) and relative links between pages.
//!
//! A page is named by its folder inside the output (`zh/2022/justice-bureau/`, or `` for the
//! root); its file is that folder's `index.html`. Every link is relative so the output works
//! under any sub-path, and in [`LinkStyle::IndexHtml`] links name the `index.html` file so the
//! site also browses from disk.

/// How links to a page folder are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStyle {
    /// `../2022/` — for web servers, which serve a folder's `index.html`.
    #[default]
    Directory,
    /// `../2022/index.html` — for `file://` (offline bundles).
    IndexHtml,
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

/// A link from page folder `from` to `to` (a page folder or a file), relative.
pub fn relative(from: &str, to: &str, style: LinkStyle) -> String {
    let mut link = "../".repeat(depth(from));
    link.push_str(to);
    if style == LinkStyle::IndexHtml && (to.is_empty() || to.ends_with('/')) {
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
}
