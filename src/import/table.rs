//! Import stage: a Word table as a GFM table. Guarantees: the first row is the header; every
//! row has the same number of cells; a merged cell (`gridSpan` across, `vMerge` down) keeps
//! its text in its first cell and leaves the cells it covered empty, and the table's number
//! of such cells is reported, since a Markdown table cannot merge cells.

use roxmltree::Node;

use super::ctx::Ctx;
use super::docx::{W, attr};
use super::inline;
use crate::messages::Msg;

pub fn table(tbl: Node<'_, '_>, ctx: &mut Ctx) -> Option<String> {
    let mut merged = 0;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for tr in tbl.children().filter(|c| c.has_tag_name((W, "tr"))) {
        let mut row = Vec::new();
        for tc in tr.children().filter(|c| c.has_tag_name((W, "tc"))) {
            let props = tc.children().find(|c| c.has_tag_name((W, "tcPr")));
            let prop =
                |name: &str| props.and_then(|p| p.children().find(|c| c.has_tag_name((W, name))));
            let span: usize = prop("gridSpan")
                .and_then(|g| attr(g, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            let continued = prop("vMerge").is_some_and(|v| attr(v, "val") != Some("restart"));
            let text = if continued {
                merged += 1;
                String::new()
            } else {
                cell_text(tc, ctx)
            };
            row.push(text);
            for _ in 1..span {
                merged += 1;
                row.push(String::new());
            }
        }
        rows.push(row);
    }
    let width = rows.iter().map(Vec::len).max().filter(|w| *w > 0)?;
    if merged > 0 {
        ctx.notes.push(
            Msg::new("import.merged_cells")
                .arg("table", ctx.tables)
                .arg("count", merged),
        );
    }
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for i in 0..width {
            s.push(' ');
            s.push_str(cells.get(i).map_or("", String::as_str));
            s.push_str(" |");
        }
        s
    };
    let mut out = vec![line(&rows[0]), format!("|{}", " --- |".repeat(width))];
    out.extend(rows[1..].iter().map(|r| line(r)));
    Some(out.join("\n"))
}

/// A cell's paragraphs (nested tables' too) on one line.
fn cell_text(tc: Node<'_, '_>, ctx: &mut Ctx) -> String {
    let parts: Vec<String> = tc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| inline::paragraph(p, ctx).markdown)
        .filter(|t| !t.is_empty())
        .collect();
    parts.join(" ")
}
