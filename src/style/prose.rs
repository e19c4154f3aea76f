//! Check stage: the prose of a Markdown body, as units of text (a paragraph, a heading, a table
//! cell) that the rules read, each character mapped back to its byte in the source.
//!
//! Only what a reader sees as text is kept: code spans, raw HTML, autolinks, images and
//! footnote marks become one placeholder character (`U+FFFC`, neither Han nor punctuation, so no
//! rule fires across it); link destinations, code blocks and HTML blocks are never read.
//! Characters that are not plainly in the source (`\*`, `&amp;`) stay in the text for context
//! but map nowhere, so no finding or fix can land on them.

use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options, parse_document};

const NOWHERE: u32 = u32::MAX;
const PLACEHOLDER: char = '\u{FFFC}';

/// What kind of block a unit is; section numbering reads headings and top-level paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Heading(u8),
    /// A paragraph directly in the document (not in a list, quote or footnote).
    TopParagraph,
    Nested,
    Cell,
}

/// One block's prose: `text`, and for each byte of it that starts a character, the byte of the
/// body it came from (or none).
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    pub text: String,
    src: Vec<u32>,
}

impl Unit {
    /// The body bytes of `range` (bytes of `text`) and whether they are one plain stretch of
    /// the source, character for character; `None` when either end maps nowhere.
    pub fn source_range(
        &self,
        range: std::ops::Range<usize>,
    ) -> Option<(std::ops::Range<usize>, bool)> {
        let text = self.text.get(range.clone())?;
        let mut contiguous = true;
        let mut expect: Option<u32> = None;
        let mut first = None;
        let mut end = 0;
        for (i, c) in text.char_indices() {
            let at = self.src[range.start + i];
            if at == NOWHERE || expect.is_some_and(|e| e != at) {
                contiguous = false;
            }
            if at != NOWHERE {
                first.get_or_insert(at);
                end = at as usize + c.len_utf8();
                expect = Some(at + c.len_utf8() as u32);
            } else {
                expect = None;
            }
        }
        let last_mapped = text
            .char_indices()
            .last()
            .is_some_and(|(i, _)| self.src[range.start + i] != NOWHERE);
        match first {
            Some(s) if self.src[range.start] != NOWHERE && last_mapped => {
                Some((s as usize..end, contiguous))
            }
            _ => None,
        }
    }
}

/// The prose units of a Markdown body, in document order.
pub fn units(body: &str) -> Vec<Unit> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.cjk_friendly_emphasis = true;
    let arena = Arena::new();
    let root = parse_document(&arena, body, &options);
    let lines = LineStarts::new(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let kind = match &node.data.borrow().value {
            NodeValue::Heading(h) => UnitKind::Heading(h.level),
            NodeValue::TableCell => UnitKind::Cell,
            NodeValue::Paragraph => {
                let top = node
                    .parent()
                    .is_some_and(|p| matches!(p.data.borrow().value, NodeValue::Document));
                if top {
                    UnitKind::TopParagraph
                } else {
                    UnitKind::Nested
                }
            }
            _ => continue,
        };
        let mut unit = Unit {
            kind,
            text: String::new(),
            src: Vec::new(),
        };
        for child in node.children() {
            inline(child, body, &lines, &mut unit);
        }
        out.push(unit);
    }
    out
}

/// Appends one inline node's prose to `unit`.
fn inline<'a>(node: &'a AstNode<'a>, body: &str, lines: &LineStarts, unit: &mut Unit) {
    let data = node.data.borrow();
    match &data.value {
        NodeValue::Text(lit) => {
            let start = lines.offset(data.sourcepos);
            push_text(unit, lit, body, start);
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => push(unit, '\n', None),
        NodeValue::Link(link) => {
            let shown = text_of(node);
            let bare = shown == link.url
                || link.url.strip_prefix("mailto:") == Some(shown.as_str())
                || shown.starts_with("http://")
                || shown.starts_with("https://")
                || shown.starts_with("www.");
            if bare {
                push(unit, PLACEHOLDER, None);
            } else {
                drop(data);
                for child in node.children() {
                    inline(child, body, lines, unit);
                }
            }
        }
        NodeValue::Emph | NodeValue::Strong | NodeValue::Strikethrough => {
            drop(data);
            for child in node.children() {
                inline(child, body, lines, unit);
            }
        }
        _ => push(unit, PLACEHOLDER, None),
    }
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let NodeValue::Text(t) = &d.data.borrow().value {
            s.push_str(t);
        }
    }
    s
}

fn push(unit: &mut Unit, c: char, at: Option<usize>) {
    unit.text.push(c);
    unit.src.push(at.map_or(NOWHERE, |a| a as u32));
    for _ in 1..c.len_utf8() {
        unit.src.push(NOWHERE);
    }
}

/// Appends a text literal, aligning it with the source from `start`: a character is mapped
/// where the source has it as written; a backslash escape or an entity maps nowhere; anything
/// else unexpected stops the mapping for the rest of the literal.
fn push_text(unit: &mut Unit, lit: &str, body: &str, start: Option<usize>) {
    // Most text is in the source as written: map it in one go.
    if let Some(s) = start
        && body.get(s..s + lit.len()) == Some(lit)
    {
        let base = unit.text.len();
        unit.text.push_str(lit);
        unit.src.resize(base + lit.len(), NOWHERE);
        for (i, _) in lit.char_indices() {
            unit.src[base + i] = (s + i) as u32;
        }
        return;
    }
    let mut src = start
        .and_then(|s| body.get(s..))
        .map(|s| (s, start.unwrap_or(0)));
    let mut j = 0;
    for c in lit.chars() {
        let mut at = None;
        if let Some((s, base)) = src {
            let rest = &s[j..];
            if let Some(k) = entity(rest) {
                j += k;
            } else if rest.starts_with(c) {
                at = Some(base + j);
                j += c.len_utf8();
            } else if rest.starts_with('\\') && rest[1..].starts_with(c) {
                j += 1 + c.len_utf8();
            } else {
                src = None;
            }
        }
        push(unit, c, at);
    }
}

/// The length of the character reference (`&amp;`, `&#12290;`) `rest` starts with, if any.
fn entity(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('&')?;
    let end = inner.find(';')?;
    let name = &inner[..end];
    (1..=32)
        .contains(&end)
        .then_some(())
        .filter(|()| name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'))
        .map(|()| end + 2)
}

/// Byte offsets of the body's lines, to turn comrak's line and column into an offset.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(body: &str) -> Self {
        let mut v = vec![0];
        v.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(v)
    }

    fn offset(&self, pos: Sourcepos) -> Option<usize> {
        let line = *self.0.get(pos.start.line.checked_sub(1)?)?;
        Some(line + pos.start.column.checked_sub(1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(body: &str, unit: &Unit, needle: &str) -> Option<String> {
        let i = unit.text.find(needle)?;
        let (r, _) = unit.source_range(i..i + needle.len())?;
        Some(body[r].to_string())
    }

    #[test]
    fn prose_maps_back_to_the_source() {
        let body = "段落**粗体。**正文,`a,b`继续\\*转义 &amp; 结尾\n第二行 http://a.b/c,和 [链接,文](http://x,y)\n\n| 甲,乙 | 丙 |\n|--|--|\n| 丁 | 戊 |\n\n- 项目一,好\n\n## 一、标题\n\n```\n代码,块\n```\n";
        let us = units(body);
        let kinds: Vec<UnitKind> = us.iter().map(|u| u.kind).collect();
        assert_eq!(
            kinds,
            [
                UnitKind::TopParagraph,
                UnitKind::Cell,
                UnitKind::Cell,
                UnitKind::Cell,
                UnitKind::Cell,
                UnitKind::Nested,
                UnitKind::Heading(2)
            ]
        );
        let p = &us[0];
        assert!(!p.text.contains("a,b") && !p.text.contains("http") && !p.text.contains("x,y"));
        assert_eq!(mapped(body, p, "正文,").as_deref(), Some("正文,"));
        assert_eq!(mapped(body, p, "链接,文").as_deref(), Some("链接,文"));
        // The escaped `*` is text but maps nowhere.
        assert_eq!(mapped(body, p, "*"), None);
        assert_eq!(mapped(body, p, "结尾").as_deref(), Some("结尾"));
        let (_, contiguous) = p.source_range(0..p.text.find("正文").unwrap()).unwrap();
        assert!(!contiguous, "the range crosses `**`");
        assert_eq!(mapped(body, &us[1], "甲,乙").as_deref(), Some("甲,乙"));
        assert_eq!(mapped(body, &us[6], "一、").as_deref(), Some("一、"));
        assert!(us.iter().all(|u| !u.text.contains("代码")));
    }
}
