//! Import stage: what the block, inline and table readers share while one document is
//! walked: the pictures found (each saved once, under a safe file name), the notes of what
//! was not carried over, and the counts of tracked changes, footnotes and tables.

use std::collections::HashMap;

use crate::messages::Msg;

/// What the inline and table readers share while the body is walked.
pub struct Ctx<'a> {
    pub image_dir: &'a str,
    /// The document's relationships: id → target part.
    pub rels: HashMap<String, String>,
    /// (part in the zip, file name) of each picture, in order.
    pub images: Vec<(String, String)>,
    pub notes: Vec<Msg>,
    pub insertions: usize,
    pub deletions: usize,
    pub footnotes_used: Vec<String>,
    pub tables: usize,
    /// Things with no Markdown form, counted for the notes.
    pub endnotes: usize,
    pub text_boxes: usize,
    pub drawings: usize,
}

impl<'a> Ctx<'a> {
    pub fn new(image_dir: &'a str, rels: HashMap<String, String>) -> Self {
        Ctx {
            image_dir,
            rels,
            images: Vec::new(),
            notes: Vec::new(),
            insertions: 0,
            deletions: 0,
            footnotes_used: Vec::new(),
            tables: 0,
            endnotes: 0,
            text_boxes: 0,
            drawings: 0,
        }
    }

    /// The file name a picture (relationship `rel`) is saved as; reports a missing alt text.
    pub fn add_image(&mut self, rel: &str, no_alt: bool) -> Option<String> {
        let target = self.rels.get(rel)?;
        if target.contains("..") || target.contains("://") {
            self.notes
                .push(Msg::new("import.image_outside").arg("image", target));
            return None;
        }
        let source = match target.strip_prefix('/') {
            Some(t) => t.to_string(),
            None => format!("word/{target}"),
        };
        let name = match self.images.iter().find(|(s, _)| *s == source) {
            Some((_, n)) => n.clone(),
            None => {
                let mut name = safe_name(&source);
                if self.images.iter().any(|(_, n)| *n == name) {
                    name = format!("{}-{name}", self.images.len() + 1);
                }
                self.images.push((source, name.clone()));
                name
            }
        };
        if no_alt {
            self.notes
                .push(Msg::new("import.no_alt").arg("image", &name));
        }
        Some(name)
    }
}

/// A file name made of `a-z A-Z 0-9 . _ -` only, never starting with a dot.
fn safe_name(source: &str) -> String {
    let base = source.rsplit('/').next().unwrap_or(source);
    let name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match name.trim_start_matches('.') {
        "" => "image".into(),
        n => n.to_string(),
    }
}
