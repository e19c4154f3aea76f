//! Load stage: what keeps comrak's HTML of a report body valid for the Nu Html Checker (README
//! "Validators"): table alignment as classes, no image without an address, and a heading for
//! the footnotes section. Guarantees: the text a reader sees is unchanged but for the notes'
//! heading, and nothing here runs per character of a body without a match.

use comrak::nodes::{AstNode, NodeValue};

/// An image whose address is empty, or one comrak refuses as unsafe (`javascript:`: written as
/// `src=""`, an error), becomes its description as text, which is what a reader would get from
/// a broken image anyway. With `unsafe_html` comrak writes every address as given, so only
/// empty ones go.
pub(super) fn drop_images_without_address<'a>(root: &'a AstNode<'a>, unsafe_html: bool) {
    let images: Vec<_> = root
        .descendants()
        .filter(|n| match &n.data().value {
            NodeValue::Image(link) => {
                link.url.trim().is_empty()
                    || (!unsafe_html && comrak::html::dangerous_url(&link.url))
            }
            _ => false,
        })
        .collect();
    for image in images {
        while let Some(child) = image.first_child() {
            child.detach();
            image.insert_before(child);
        }
        image.detach();
    }
}

/// The rendered body, made valid: see [`alignment_classes`] and [`footnotes_heading`].
pub(super) fn finish(html: String, lang: &str) -> String {
    footnotes_heading(alignment_classes(html), lang)
}

/// comrak marks a table column's alignment (`| ---: |`) with the `align` attribute, obsolete in
/// HTML; a class does the same through the stylesheet (`align-right` …), where a `style`
/// attribute would be blocked by the pages' `Content-Security-Policy` (README "Previewing").
/// Only comrak writes these exact tags: text is escaped, and raw HTML written the same way
/// (with `unsafe_html`) is made valid too.
fn alignment_classes(html: String) -> String {
    const ATTR: &str = " align=\"";
    let finder = memchr::memmem::Finder::new(ATTR);
    let Some(first) = finder.find(html.as_bytes()) else {
        return html;
    };
    // One pass over the body, from one attribute to the next: a replacement per cell and side
    // scanned and copied a report with tables six times (a tenth of a cold build's time).
    // The output is sized for every attribute first: growing it copies the allocator's whole
    // block, whose unwritten tail is then mapped to the zero page, and writing there later
    // costs every core a TLB flush (bench/README, "The allocator's zero page").
    let attrs = finder.find_iter(html.as_bytes()).count();
    let longer = " class=\"align-".len() - ATTR.len();
    let mut out = String::with_capacity(html.len() + attrs * longer + FOOTNOTES_ROOM);
    let mut rest = html.as_str();
    let mut next = Some(first);
    while let Some(at) = next {
        let (before, after) = rest.split_at(at);
        let value = &after[ATTR.len()..];
        out.push_str(before);
        let in_cell = before.ends_with("<th") || before.ends_with("<td");
        let side = ["left", "right", "center"].into_iter().find(|side| {
            value
                .strip_prefix(side)
                .is_some_and(|v| v.starts_with("\">"))
        });
        match side.filter(|_| in_cell) {
            Some(side) => {
                out.push_str(" class=\"align-");
                out.push_str(side);
                out.push_str("\">");
                rest = &value[side.len() + 2..];
            }
            None => {
                out.push_str(ATTR);
                rest = value;
            }
        }
        next = finder.find(rest.as_bytes());
    }
    out.push_str(rest);
    out
}

/// Room for the footnotes' heading, so adding it does not grow the body.
const FOOTNOTES_ROOM: usize = 64;

/// comrak puts footnotes in a `<section>` without a heading (a section should have one); it
/// gets a heading in the report's language, as printed reports title their notes (注释).
fn footnotes_heading(mut html: String, lang: &str) -> String {
    const OPEN: &str = "<section class=\"footnotes\" data-footnotes>";
    let Some(at) = memchr::memmem::find(html.as_bytes(), OPEN.as_bytes()) else {
        return html;
    };
    let title = match lang {
        "zh" => "注释",
        _ => "Notes",
    };
    html.insert_str(
        at + OPEN.len(),
        &format!("\n<h2 class=\"footnotes-title\">{title}</h2>"),
    );
    html
}

#[cfg(test)]
mod tests {
    use super::super::markdown::{LinkTargets, render_test_body};

    fn html(body: &str, lang: &str, unsafe_html: bool) -> String {
        render_test_body(body, lang, unsafe_html, &LinkTargets::default())
            .unwrap()
            .html
    }

    #[test]
    fn aligned_table_columns_get_classes_not_the_obsolete_align_attribute() {
        let h = html(
            "| 项目 | 数量 | 说明 |\n| :--- | ---: | :---: |\n| 甲 | 12 | 乙 |\n",
            "zh",
            false,
        );
        assert!(!h.contains("align="), "{h}");
        assert!(h.contains(r#"<th class="align-left">项目</th>"#), "{h}");
        assert!(h.contains(r#"<td class="align-right">12</td>"#), "{h}");
        assert!(h.contains(r#"<td class="align-center">乙</td>"#), "{h}");
    }

    #[test]
    fn only_a_cells_align_attribute_becomes_a_class() {
        let cases = [
            (
                r#"<th align="left">a</th><td align="right">b</td><td align="center">"#,
                r#"<th class="align-left">a</th><td class="align-right">b</td><td class="align-center">"#,
            ),
            (
                r#"<p align="left">x</p><td align="justify">y<td align="left" id="z">"#,
                r#"<p align="left">x</p><td align="justify">y<td align="left" id="z">"#,
            ),
            (
                r#"<td align="left"<td align="left">"#,
                r#"<td align="left"<td class="align-left">"#,
            ),
            (r#"end <td align=""#, r#"end <td align=""#),
        ];
        for (html, expected) in cases {
            assert_eq!(super::alignment_classes(html.to_string()), expected);
        }
    }

    #[test]
    fn an_image_without_a_usable_address_is_its_description() {
        for unsafe_html in [false, true] {
            let h = html(
                "前![图表](javascript:alert(1))后 ![空]()\n",
                "zh",
                unsafe_html,
            );
            assert!(!h.contains(r#"src="""#), "{h}");
            assert!(h.contains("前"), "{h}");
            assert!(h.contains("后 空"), "{h}");
        }
        let h = html("![图表](chart.png)\n", "zh", false);
        assert!(h.contains(r#"<img src="chart.png" alt="图表" />"#), "{h}");
    }

    #[test]
    fn footnotes_have_a_heading_in_the_reports_language() {
        let h = html("正文[^1]\n\n[^1]: 注。\n", "zh", false);
        assert!(
            h.contains("data-footnotes>\n<h2 class=\"footnotes-title\">注释</h2>"),
            "{h}"
        );
        let h = html("Text[^1]\n\n[^1]: Note.\n", "en", false);
        assert!(h.contains(">Notes</h2>"), "{h}");
    }
}
