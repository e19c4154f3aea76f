//! Import stage: the runs of one Word paragraph as Markdown text. Guarantees: bold runs become
//! `**…**` (a bold lead sentence stays one span); line breaks inside the paragraph are joined
//! (nothing between Chinese characters, a space otherwise); inserted tracked text is kept and
//! deleted tracked text dropped (the accepted text); every character of the document's text
//! that Markdown would read as syntax is escaped.

use roxmltree::Node;

use super::ctx::Ctx;
use super::docx::{W, attr};

const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

enum Seg {
    Text {
        text: String,
        bold: bool,
    },
    /// Between two lines of one paragraph.
    Break,
    /// Already Markdown (a footnote reference, an image).
    Raw(String),
}

/// One paragraph's content: the Markdown and the plain text (for heading detection).
pub struct Line {
    pub markdown: String,
    pub plain: String,
}

pub fn paragraph(p: Node<'_, '_>, ctx: &mut Ctx) -> Line {
    let mut segs = Vec::new();
    collect(p, ctx, &mut segs);
    render(&segs)
}

fn collect(node: Node<'_, '_>, ctx: &mut Ctx, segs: &mut Vec<Seg>) {
    for child in node
        .children()
        .filter(|c| c.tag_name().namespace() == Some(W))
    {
        match child.tag_name().name() {
            "r" => run(child, ctx, segs),
            "del" | "moveFrom" => ctx.deletions += 1,
            "ins" | "moveTo" => {
                ctx.insertions += 1;
                collect(child, ctx, segs);
            }
            "hyperlink" | "smartTag" | "sdt" | "sdtContent" | "fldSimple" | "customXml" | "bdo"
            | "dir" => collect(child, ctx, segs),
            _ => {}
        }
    }
}

fn run(r: Node<'_, '_>, ctx: &mut Ctx, segs: &mut Vec<Seg>) {
    let props = r.children().find(|c| c.has_tag_name((W, "rPr")));
    let flag = |name: &str| {
        props
            .and_then(|p| p.children().find(|c| c.has_tag_name((W, name))))
            .is_some_and(|b| !matches!(attr(b, "val"), Some("0" | "false" | "off")))
    };
    if flag("vanish") {
        return;
    }
    let bold = flag("b");
    for child in r.children().filter(|c| c.is_element()) {
        match child.tag_name().name() {
            "t" => segs.push(Seg::Text {
                text: child.text().unwrap_or("").to_string(),
                bold,
            }),
            "tab" => segs.push(Seg::Text {
                text: " ".into(),
                bold,
            }),
            "br" if !matches!(attr(child, "type"), Some("page" | "column")) => {
                segs.push(Seg::Break)
            }
            "cr" => segs.push(Seg::Break),
            "noBreakHyphen" => segs.push(Seg::Text {
                text: "-".into(),
                bold,
            }),
            "footnoteReference" => {
                if let Some(id) = attr(child, "id") {
                    ctx.footnotes_used.push(id.to_string());
                    segs.push(Seg::Raw(format!("[^{id}]")));
                }
            }
            "endnoteReference" => ctx.endnotes += 1,
            "drawing" | "pict" | "object" => match image(child, ctx) {
                Some(md) => segs.push(Seg::Raw(md)),
                None if child
                    .descendants()
                    .any(|n| n.tag_name().name() == "txbxContent") =>
                {
                    ctx.text_boxes += 1
                }
                None => ctx.drawings += 1,
            },
            _ => {}
        }
    }
}

/// A picture as `![alt](dir/name)`; its part is queued for extraction.
fn image(node: Node<'_, '_>, ctx: &mut Ctx) -> Option<String> {
    let rel = node.descendants().find_map(|n| match n.tag_name().name() {
        "blip" => n.attribute((R, "embed")),
        "imagedata" => n.attribute((R, "id")),
        _ => None,
    })?;
    let alt = node
        .descendants()
        .find(|n| n.tag_name().name() == "docPr")
        .and_then(|d| {
            [d.attribute("descr"), d.attribute("title")]
                .into_iter()
                .flatten()
                .map(str::trim)
                .find(|s| !s.is_empty())
        })
        .map(str::to_string);
    let name = ctx.add_image(rel, alt.is_none())?;
    let alt = alt.unwrap_or_default();
    Some(format!("![{}]({}/{})", escape(&alt), ctx.image_dir, name))
}

fn render(segs: &[Seg]) -> Line {
    let mut markdown = String::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < segs.len() {
        match &segs[i] {
            Seg::Text { bold, .. } => {
                let b = *bold;
                let mut text = String::new();
                while let Some(Seg::Text { text: t, bold }) = segs.get(i)
                    && *bold == b
                {
                    text.push_str(t);
                    i += 1;
                }
                plain.push_str(&text);
                push_span(&mut markdown, &text, b);
                continue;
            }
            Seg::Break => {
                if !plain.ends_with(is_cjk) && !plain.is_empty() {
                    markdown.push(' ');
                    plain.push(' ');
                }
            }
            Seg::Raw(md) => markdown.push_str(md),
        }
        i += 1;
    }
    Line {
        markdown: markdown.trim().to_string(),
        plain: plain.trim().to_string(),
    }
}

/// A span of text; bold keeps its spaces outside the `**`, which CommonMark needs.
fn push_span(out: &mut String, text: &str, bold: bool) {
    let core = text.trim();
    if !bold || core.is_empty() {
        out.push_str(&escape(text));
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    out.push_str(lead);
    out.push_str("**");
    out.push_str(&escape(core));
    out.push_str("**");
    out.push_str(tail);
}

fn is_cjk(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace()
}

/// Escapes what Markdown would read as syntax inside a line of text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
