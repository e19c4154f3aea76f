//! Import stage: which paragraph styles are the title and which are headings. Style ids vary
//! with the producer and the language of Word (`Heading1`, `1`, `a3`, `标题 1`…), so a style
//! is judged by its name and its outline level, following `basedOn` to its parents.

use std::collections::HashMap;

use super::docx::{ImportError, W, attr, parse};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    /// Word's heading level, 1 for `Heading 1`.
    Heading(u8),
}

#[derive(Default)]
pub struct Styles {
    roles: HashMap<String, Role>,
}

struct Raw {
    name: String,
    outline: Option<u8>,
    based_on: Option<String>,
}

impl Styles {
    pub fn parse(xml: Option<&str>) -> Result<Styles, ImportError> {
        let Some(xml) = xml else {
            return Ok(Styles::default());
        };
        let doc = parse("word/styles.xml", xml)?;
        let mut raw = HashMap::new();
        for style in doc.descendants().filter(|n| n.has_tag_name((W, "style"))) {
            let Some(id) = style.attribute((W, "styleId")) else {
                continue;
            };
            let child = |tag: &str| style.children().find(|c| c.has_tag_name((W, tag)));
            let outline = child("pPr")
                .and_then(|p| p.children().find(|c| c.has_tag_name((W, "outlineLvl"))))
                .and_then(|o| attr(o, "val"))
                .and_then(|v| v.parse::<u8>().ok());
            raw.insert(
                id.to_string(),
                Raw {
                    name: child("name")
                        .and_then(|n| attr(n, "val"))
                        .unwrap_or(id)
                        .to_string(),
                    outline,
                    based_on: child("basedOn")
                        .and_then(|b| attr(b, "val"))
                        .map(str::to_string),
                },
            );
        }
        let roles = raw
            .keys()
            .filter_map(|id| role_of(id, &raw, 0).map(|r| (id.clone(), r)))
            .collect();
        Ok(Styles { roles })
    }

    /// The role of a paragraph style id; without styles.xml, ids such as `Heading2` and
    /// `Title` still count.
    pub fn role(&self, id: &str) -> Option<Role> {
        self.roles.get(id).copied().or_else(|| by_name(id))
    }
}

fn role_of(id: &str, raw: &HashMap<String, Raw>, depth: u8) -> Option<Role> {
    let style = raw.get(id)?;
    if let Some(role) = by_name(&style.name) {
        return Some(role);
    }
    // Outline level 9 is "body text"; 0..=8 are heading levels 1..=9.
    if let Some(level) = style.outline.filter(|l| *l < 9) {
        return Some(Role::Heading(level + 1));
    }
    match &style.based_on {
        Some(parent) if depth < 10 => match role_of(parent, raw, depth + 1) {
            // A style based on the title is some other title-like style, not the title.
            Some(Role::Title) => None,
            other => other,
        },
        _ => None,
    }
}

/// `heading 1`, `Heading1`, `标题 1`, `标题1` → a heading; `Title`, `标题` → the title.
fn by_name(name: &str) -> Option<Role> {
    let lower = name.trim().to_lowercase();
    if lower == "title" || lower == "标题" {
        return Some(Role::Title);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    let level: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(Role::Heading(level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_english_and_chinese_and_outline_levels() {
        let xml = format!(
            r#"<w:styles xmlns:w="{W}">
            <w:style w:type="paragraph" w:styleId="a1"><w:name w:val="标题 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="x"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="y"><w:name w:val="Mine"/><w:basedOn w:val="x"/></w:style>
            <w:style w:type="paragraph" w:styleId="t"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="b"><w:name w:val="Body Text"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
            </w:styles>"#
        );
        let s = Styles::parse(Some(&xml)).unwrap();
        assert_eq!(s.role("a1"), Some(Role::Heading(2)));
        assert_eq!(s.role("x"), Some(Role::Heading(1)));
        assert_eq!(s.role("y"), Some(Role::Heading(1)));
        assert_eq!(s.role("t"), Some(Role::Title));
        assert_eq!(s.role("b"), None);
        assert_eq!(s.role("Heading3"), Some(Role::Heading(3)));
    }
}
