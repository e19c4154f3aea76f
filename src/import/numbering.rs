//! Import stage: Word's list numbering (`word/numbering.xml`): whether a paragraph with a
//! `numPr` is a bullet or a numbered list item. Word keeps the number itself out of the
//! text, so the Markdown list marker is the only place it survives.

use std::collections::HashMap;

use super::docx::{ImportError, W, attr, parse};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Bullet,
    Number,
}

#[derive(Default)]
pub struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// (abstractNumId, ilvl) → numFmt.
    formats: HashMap<(String, String), String>,
}

impl Numbering {
    pub fn parse(xml: Option<&str>) -> Result<Numbering, ImportError> {
        let Some(xml) = xml else {
            return Ok(Numbering::default());
        };
        let doc = parse("word/numbering.xml", xml)?;
        let mut out = Numbering::default();
        for node in doc.root_element().children() {
            if node.has_tag_name((W, "abstractNum")) {
                let Some(id) = attr(node, "abstractNumId") else {
                    continue;
                };
                for lvl in node.children().filter(|c| c.has_tag_name((W, "lvl"))) {
                    let fmt = lvl
                        .children()
                        .find(|c| c.has_tag_name((W, "numFmt")))
                        .and_then(|f| attr(f, "val"))
                        .unwrap_or("decimal");
                    let ilvl = attr(lvl, "ilvl").unwrap_or("0");
                    out.formats
                        .insert((id.to_string(), ilvl.to_string()), fmt.to_string());
                }
            } else if node.has_tag_name((W, "num")) {
                let abs = node
                    .children()
                    .find(|c| c.has_tag_name((W, "abstractNumId")))
                    .and_then(|a| attr(a, "val"));
                if let (Some(id), Some(abs)) = (attr(node, "numId"), abs) {
                    out.nums.insert(id.to_string(), abs.to_string());
                }
            }
        }
        Ok(out)
    }

    /// The marker for list `num_id` at level `ilvl`; `None` when it is no list (`numId` 0,
    /// format `none`, or a list numbering.xml does not define).
    pub fn marker(&self, num_id: &str, ilvl: &str) -> Option<Marker> {
        if num_id == "0" {
            return None;
        }
        let abs = self.nums.get(num_id)?;
        let fmt = self.formats.get(&(abs.clone(), ilvl.to_string()))?;
        match fmt.as_str() {
            "none" => None,
            "bullet" => Some(Marker::Bullet),
            _ => Some(Marker::Number),
        }
    }
}
