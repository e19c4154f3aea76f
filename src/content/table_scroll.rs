//! Load stage: every table of a report body inside a scrolling wrapper. A wide table scrolls
//! sideways on a phone while the table itself keeps its table semantics for screen readers
//! (a `display: block` table loses them in some browsers; README "Reading aids").

/// `html` with each `<table>` the Markdown renderer wrote inside `<div class="table-scroll">`.
/// The wrapper takes keyboard focus so a table that scrolls can be scrolled without a mouse.
pub fn wrap_tables(html: String) -> String {
    const WRAPPER: &str = "<div class=\"table-scroll\" tabindex=\"0\">";
    const WRAPPER_END: &str = "</div>";
    const OPEN: &str = "<table>";
    const CLOSE: &str = "</table>";
    let finder = memchr::memmem::Finder::new("table>");
    let Some(first) = next_tag(&html, &finder) else {
        return html;
    };
    // Sized for every wrapper first: growing would copy the allocator's block with its
    // unwritten tail (`valid_html::alignment_classes`).
    let tables = memchr::memmem::find_iter(html.as_bytes(), OPEN).count();
    let mut out = String::with_capacity(html.len() + tables * (WRAPPER.len() + WRAPPER_END.len()));
    let mut depth = 0usize;
    let mut rest = html.as_str();
    let mut next = Some(first);
    while let Some(at) = next {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with(OPEN) {
            depth += 1;
            out.push_str(WRAPPER);
            out.push_str(OPEN);
            rest = &rest[OPEN.len()..];
        } else {
            out.push_str(CLOSE);
            rest = &rest[CLOSE.len()..];
            // A closing tag with no wrapper open (raw HTML of an `unsafe_html` site) is left
            // as it is: the wrappers always balance.
            if depth > 0 {
                depth -= 1;
                out.push_str(WRAPPER_END);
            }
        }
        next = next_tag(rest, &finder);
    }
    out.push_str(rest);
    for _ in 0..depth {
        out.push_str(WRAPPER_END);
    }
    out
}

/// Where the next `<table>` or `</table>` starts: one scan for `table>` (`finder`) up to the
/// first tag, where looking for each tag apart scanned past the other, again for every tag.
fn next_tag(s: &str, finder: &memchr::memmem::Finder<'_>) -> Option<usize> {
    const NAME: &str = "table>";
    let mut from = 0;
    while let Some(i) = finder.find(&s.as_bytes()[from..]) {
        let at = from + i;
        let before = &s[..at];
        if before.ends_with("</") {
            return Some(at - 2);
        }
        if before.ends_with('<') {
            return Some(at - 1);
        }
        from = at + NAME.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::wrap_tables;

    #[test]
    fn tables_get_a_scrolling_wrapper() {
        let html = "<p>a</p>\n<table>\n<tr><td>1</td></tr>\n</table>\n<p>b</p>\n";
        assert_eq!(
            wrap_tables(html.into()),
            "<p>a</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table>\n<tr><td>1</td></tr>\n</table></div>\n<p>b</p>\n"
        );
    }

    #[test]
    fn only_whole_tags_count() {
        let html = "a table> b</table c<table>d</table>e";
        assert_eq!(
            wrap_tables(html.into()),
            "a table> b</table c<div class=\"table-scroll\" tabindex=\"0\"><table>d</table></div>e"
        );
    }

    #[test]
    fn wrappers_balance_whatever_the_raw_html() {
        for html in [
            "<table>x",
            "x</table>",
            "<table></table></table>",
            "</table><table>",
        ] {
            let out = wrap_tables(html.into());
            assert_eq!(
                out.matches("<div").count(),
                out.matches("</div>").count(),
                "{out}"
            );
        }
    }

    #[test]
    fn text_without_tables_is_unchanged() {
        assert_eq!(wrap_tables("x</table>".into()), "x</table>");
        assert_eq!(
            wrap_tables("<p>&lt;table&gt;</p>".into()),
            "<p>&lt;table&gt;</p>"
        );
    }
}
