//! One link checker for `build` and `check` (`links/body.rs`): a link in a report's Markdown
//! to a page or file that is not there, or to a heading the target report does not have, is
//! an error at the link's line and column, and `build` then publishes nothing.

mod common;

use common::{TempSite, gongkai, run_cmd};

const REPORT: &str = "content/2022/justice-bureau.zh.md";

/// The site with `lines` appended to the 2022 justice bureau report, each link at the start
/// of its line (so an error's column is 5, the target's in `[x](target)`); returns the site
/// and the line number of the first appended line.
fn with_links(lines: &[&str]) -> (TempSite, usize) {
    let site = TempSite::copy_of("basic");
    let text = site.read(REPORT);
    let first = text.lines().count() + 2;
    site.write(REPORT, format!("{text}\n{}\n", lines.join("\n\n")));
    (site, first)
}

/// (line, column, message) of each problem in `REPORT`.
fn problems(site: &TempSite) -> Vec<(usize, usize, String)> {
    site.build_err()
        .into_iter()
        .map(|d| {
            assert!(
                d.path.ends_with(REPORT),
                "{}: {}",
                d.path.display(),
                d.message
            );
            (d.line, d.col, d.message)
        })
        .collect()
}

#[test]
fn broken_page_and_file_links_are_errors_at_the_link() {
    let (site, first) = with_links(&[
        // Relative to the page `zh/2022/justice-bureau/`: one `../` short.
        "[x](../2023/market-regulation/)",
        "[y](../../static/nothing.pdf)",
        "[ok](../../2021/justice-bureau/)",
        "[ok](../../../en/2022/justice-bureau/)",
        "![ok](../../../static/logo.png)",
        "[ok](https://example.org/nothing/) [ok](mailto:a@example.org)",
    ]);
    site.write("static/logo.png", "png");
    let found = problems(&site);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (first, 5), "{found:?}");
    assert!(
        found[0].2.contains("../2023/market-regulation/"),
        "{found:?}"
    );
    assert_eq!((found[1].0, found[1].1), (first + 2, 5), "{found:?}");
    assert!(found[1].2.contains("nothing.pdf"), "{found:?}");
}

#[test]
fn missing_heading_anchors_are_errors_at_the_link() {
    let site = TempSite::copy_of("basic");
    let page = site.build()["zh/2022/market-regulation/index.html"].clone();
    let page = String::from_utf8(page).unwrap();
    let at = page.find("<h2 id=\"").unwrap() + 8;
    let id = &page[at..at + page[at..].find('"').unwrap()];
    let own = {
        let page = site.build()["zh/2022/justice-bureau/index.html"].clone();
        let page = String::from_utf8(page).unwrap();
        let at = page.find("<h2 id=\"").unwrap() + 8;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    };
    let good_file = format!("[ok](market-regulation.zh.md#{id})");
    let good_page = format!("[ok](../market-regulation/#{id})");
    let good_own = format!("[ok](#{own}) [ok](#fn-1) [ok](#main)");
    let (site, first) = with_links(&[
        "[x](market-regulation.zh.md#不存在的标题)",
        "[y](#不存在)",
        "[z](../market-regulation/#%E4%B8%8D%E5%AD%98%E5%9C%A8)",
        &good_file,
        &good_page,
        &good_own,
    ]);
    let found = problems(&site);
    let places: Vec<(usize, usize)> = found.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(
        places,
        [(first, 5), (first + 2, 5), (first + 4, 5)],
        "{found:?}"
    );
    assert!(found[0].2.contains("#不存在的标题"), "{found:?}");
    assert!(found[2].2.contains("#不存在"), "{found:?}");
}

#[test]
fn build_publishes_nothing_and_check_reports_the_same_link() {
    let (site, first) = with_links(&["[x](../2023/market-regulation/)"]);
    let out = site.parent().join("public");
    let root = site.root().to_str().unwrap();
    let (code, _, stderr) =
        run_cmd(gongkai().args(["build", "--root", root, "--out", out.to_str().unwrap()]));
    assert_eq!(code, 1, "{stderr}");
    assert!(!out.exists(), "nothing published");
    let place = format!("justice-bureau.zh.md:{first}:5");
    assert!(stderr.contains(&place), "{stderr}");
    let (code, _, stderr) = run_cmd(gongkai().args(["check", "--root", root]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&place), "{stderr}");
    // Found once, by the one checker, not again in the rendered page.
    assert!(stderr.contains("1 problem found"), "{stderr}");
}

/// Links in raw HTML (`unsafe_html`) are not Markdown links: `check` finds them in the
/// rendered page and points at each in the source, reading the file once for all of them.
#[test]
fn check_locates_each_raw_html_link_at_its_line() {
    let (site, first) = with_links(&[
        "<a href=\"gone-1/\">a</a>",
        "<a href=\"gone-2/\">b</a>",
        "<img src=\"gone-3.png\">",
    ]);
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}markdown: {{ unsafe_html: true }}\n"),
    );
    let root = site.root().to_str().unwrap();
    let (code, _, stderr) = run_cmd(gongkai().args(["check", "--root", root]));
    assert_eq!(code, 1, "{stderr}");
    for (i, (href, col)) in [("gone-1/", 10), ("gone-2/", 10), ("gone-3.png", 11)]
        .iter()
        .enumerate()
    {
        let place = format!(
            "justice-bureau.zh.md:{}:{col}: error: broken link to `{href}`",
            first + 2 * i
        );
        assert!(stderr.contains(&place), "{place} in {stderr}");
    }
}
