//! Load stage: a report's sections and first paragraph as plain text, from its Markdown tree:
//! what search indexes and what lists show as a summary.

use comrak::arena_tree::NodeEdge;
use comrak::nodes::{AstNode, NodeValue};

use crate::model::Section;

/// The report's sections; `ids` are the top-level headings' ids, in order, as the page has them.
pub(super) fn sections<'a>(
    root: &'a AstNode<'a>,
    mut ids: impl Iterator<Item = String>,
    raw_as_text: bool,
) -> (Vec<Section>, String) {
    let mut sections = vec![Section {
        id: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    let mut first_paragraph = String::new();
    for node in root.children() {
        let is_heading = matches!(node.data().value, NodeValue::Heading(_));
        if is_heading {
            let id = ids.next().unwrap_or_default();
            let mut heading = String::new();
            plain_text(node, &mut heading, raw_as_text);
            sections.push(Section {
                id,
                heading: heading.trim().to_string(),
                text: String::new(),
            });
            continue;
        }
        let is_paragraph = matches!(node.data().value, NodeValue::Paragraph);
        let section = sections.last_mut().expect("never empty");
        let start = section.text.len();
        plain_text(node, &mut section.text, raw_as_text);
        if is_paragraph && first_paragraph.is_empty() {
            first_paragraph = section.text[start..].trim().to_string();
        }
    }
    if sections[0].text.trim().is_empty() && sections.len() > 1 {
        sections.remove(0);
    }
    for s in &mut sections {
        s.text = s.text.trim().to_string();
    }
    (sections, first_paragraph)
}

/// The readable text of a node: words separated where blocks, cells and line breaks separate
/// them, so search never joins two table cells into one phrase. It walks the tree with comrak's
/// iterative traversal, not by recursion: a line of 10,000 `>` nests that deep, and one stack
/// frame per level would overflow the thread's stack (a hostile report must fail cleanly or
/// build, ARCHITECTURE "Decisions").
fn plain_text<'a>(node: &'a AstNode<'a>, out: &mut String, raw_as_text: bool) {
    for edge in node.traverse() {
        match edge {
            NodeEdge::Start(n) => match &n.data().value {
                NodeValue::Text(t) => out.push_str(t),
                NodeValue::Code(c) => out.push_str(&c.literal),
                NodeValue::CodeBlock(c) => out.push_str(&c.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
                // Shown as text on the page when raw HTML is not allowed (`unsafe_html`).
                NodeValue::HtmlInline(h) if raw_as_text => out.push_str(h),
                NodeValue::HtmlBlock(b) if raw_as_text => out.push_str(&b.literal),
                _ => {}
            },
            NodeEdge::End(n) => {
                let value = &n.data().value;
                if matches!(value, NodeValue::TableCell) {
                    out.push(' ');
                } else if value.block() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
}
