//! Import stage: the document body, block by block, as Markdown: title, headings (Word heading
//! styles and Chinese numbered lines), paragraphs, lists, tables and footnotes. Guarantees:
//! the title leaves the body (it goes to the front matter); Word's heading 1 is `##` (the page
//! title is the only `#`); whatever is left out is added to the notes.

use std::collections::HashMap;

use roxmltree::Node;

use super::Imported;
use super::ctx::Ctx;
use super::docx::{ImportError, Parts, W, attr, parse};
use super::headings::numbered_level;
use super::inline::{self, escape};
use super::numbering::{Marker, Numbering};
use super::styles::{Role, Styles};
use super::table;
use crate::messages::Msg;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Title,
    Heading(u8),
    Para,
    Item(Marker, usize),
    Table,
}

struct Block {
    kind: Kind,
    markdown: String,
    plain: String,
}

pub fn convert(
    parts: &Parts,
    image_dir: &str,
) -> Result<(Imported, Vec<(String, String)>), ImportError> {
    let styles = Styles::parse(parts.styles.as_deref())?;
    let numbering = Numbering::parse(parts.numbering.as_deref())?;
    let mut ctx = Ctx::new(image_dir, relationships(parts.rels.as_deref())?);
    let doc = parse("word/document.xml", &parts.document)?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or(ImportError::NoBody)?;
    let mut blocks = Vec::new();
    walk(body, &styles, &numbering, &mut ctx, &mut blocks);
    let title = take_title(&mut blocks);
    let mut body = render(&blocks);
    body.push_str(&footnotes(parts.footnotes.as_deref(), &mut ctx)?);
    summary_notes(parts, &mut ctx);
    let imported = Imported {
        title,
        body,
        images: Vec::new(),
        notes: ctx.notes,
    };
    Ok((imported, ctx.images))
}

fn walk(
    node: Node<'_, '_>,
    styles: &Styles,
    numbering: &Numbering,
    ctx: &mut Ctx,
    out: &mut Vec<Block>,
) {
    for child in node
        .children()
        .filter(|c| c.tag_name().namespace() == Some(W))
    {
        match child.tag_name().name() {
            "p" => out.extend(paragraph(child, styles, numbering, ctx)),
            "tbl" => {
                ctx.tables += 1;
                if let Some(md) = table::table(child, ctx) {
                    out.push(Block {
                        kind: Kind::Table,
                        markdown: md,
                        plain: String::new(),
                    });
                }
            }
            "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" => {
                walk(child, styles, numbering, ctx, out)
            }
            _ => {}
        }
    }
}

fn paragraph(
    p: Node<'_, '_>,
    styles: &Styles,
    numbering: &Numbering,
    ctx: &mut Ctx,
) -> Option<Block> {
    let props = p.children().find(|c| c.has_tag_name((W, "pPr")));
    let prop = |name: &str| props.and_then(|pp| pp.children().find(|c| c.has_tag_name((W, name))));
    let role = prop("pStyle")
        .and_then(|s| attr(s, "val"))
        .and_then(|id| styles.role(id));
    let line = inline::paragraph(p, ctx);
    if line.markdown.is_empty() {
        return None;
    }
    let list = prop("numPr").and_then(|n| {
        let get = |tag: &str| {
            n.children()
                .find(|c| c.has_tag_name((W, tag)))
                .and_then(|c| attr(c, "val"))
        };
        let ilvl = get("ilvl").unwrap_or("0");
        let marker = numbering.marker(get("numId")?, ilvl)?;
        Some(Kind::Item(marker, ilvl.parse().unwrap_or(0)))
    });
    let kind = match (role, list) {
        (Some(Role::Title), _) => Kind::Title,
        (Some(Role::Heading(n)), _) => Kind::Heading(n),
        (None, Some(item)) => item,
        (None, None) => match numbered_level(&line.plain) {
            Some(level) => Kind::Heading(level - 1),
            None => Kind::Para,
        },
    };
    Some(Block {
        kind,
        markdown: line.markdown,
        plain: line.plain,
    })
}

/// The first `Title`-styled paragraph, else the first paragraph of text.
fn take_title(blocks: &mut Vec<Block>) -> String {
    let at = blocks
        .iter()
        .position(|b| b.kind == Kind::Title)
        .or_else(|| blocks.iter().position(|b| b.kind != Kind::Table));
    match at {
        Some(i) => blocks.remove(i).plain,
        None => String::new(),
    }
}

fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous: Option<Kind> = None;
    for b in blocks {
        let text = match b.kind {
            Kind::Title | Kind::Heading(_) => {
                let level = match b.kind {
                    Kind::Heading(n) => (n + 1).min(6),
                    _ => 2,
                };
                format!("{} {}", "#".repeat(level as usize), escape(&b.plain))
            }
            Kind::Para => guard_line_start(&b.markdown),
            Kind::Item(marker, level) => {
                let (indent, mark) = match marker {
                    Marker::Bullet => ("  ", "-"),
                    Marker::Number => ("   ", "1."),
                };
                format!("{}{mark} {}", indent.repeat(level.min(8)), b.markdown)
            }
            Kind::Table => b.markdown.clone(),
        };
        // Items of one list are tight; a bullet list after a numbered one is a new list.
        let tight = match (previous, b.kind) {
            (Some(Kind::Item(a, la)), Kind::Item(m, lb)) => a == m || la != lb,
            _ => false,
        };
        if !out.is_empty() {
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&text);
        previous = Some(b.kind);
    }
    out.push('\n');
    out
}

/// A paragraph that starts like a list item or a setext underline (`- `, `+ `, `1. `, `=`)
/// gets that character escaped, so it stays a paragraph.
fn guard_line_start(md: &str) -> String {
    let digits = md.chars().take_while(|c| c.is_ascii_digit()).count();
    let after = md[digits..].chars().next();
    let next = md[digits..].chars().nth(1);
    let spaced = next.is_none_or(|c| c == ' ');
    match after {
        Some('.' | ')') if digits > 0 && spaced => format!("{}\\{}", &md[..digits], &md[digits..]),
        Some('-' | '+' | '=') if digits == 0 => format!("\\{md}"),
        _ => md.to_string(),
    }
}

fn relationships(xml: Option<&str>) -> Result<HashMap<String, String>, ImportError> {
    let Some(xml) = xml else {
        return Ok(HashMap::new());
    };
    let doc = parse("word/_rels/document.xml.rels", xml)?;
    Ok(doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("TargetMode") != Some("External"))
        .filter_map(|n| {
            Some((
                n.attribute("Id")?.to_string(),
                n.attribute("Target")?.to_string(),
            ))
        })
        .collect())
}

/// `[^id]: text` for each footnote the body refers to.
fn footnotes(xml: Option<&str>, ctx: &mut Ctx) -> Result<String, ImportError> {
    let Some(xml) = xml.filter(|_| !ctx.footnotes_used.is_empty()) else {
        return Ok(String::new());
    };
    let doc = parse("word/footnotes.xml", xml)?;
    let mut out = String::new();
    for note in doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "footnote")))
    {
        let Some(id) = attr(note, "id").filter(|id| ctx.footnotes_used.iter().any(|u| u == id))
        else {
            continue;
        };
        let text: Vec<String> = note
            .children()
            .filter(|c| c.has_tag_name((W, "p")))
            .map(|p| inline::paragraph(p, ctx).markdown)
            .filter(|t| !t.is_empty())
            .collect();
        out.push_str(&format!("\n[^{id}]: {}\n", text.join(" ")));
    }
    Ok(out)
}

fn summary_notes(parts: &Parts, ctx: &mut Ctx) {
    if parts.headers_footers > 0 {
        ctx.notes.push(Msg::new("import.headers_footers"));
    }
    if ctx.insertions + ctx.deletions > 0 {
        ctx.notes.push(
            Msg::new("import.tracked_changes")
                .arg("insertions", ctx.insertions)
                .arg("deletions", ctx.deletions),
        );
    }
    for (count, msg) in [
        (ctx.endnotes, Msg::new("import.endnotes")),
        (ctx.text_boxes, Msg::new("import.text_boxes")),
        (ctx.drawings, Msg::new("import.drawings")),
    ] {
        if count > 0 {
            ctx.notes.push(msg.arg("count", count));
        }
    }
    if parts.comments {
        ctx.notes.push(Msg::new("import.comments"));
    }
}
