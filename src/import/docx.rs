//! Import stage: the `.docx` package (a zip) opened and its XML parts read as text. Guarantees:
//! a `.doc`, `.wps` or `.pdf` (by extension or by its first bytes) is refused with the way to
//! save it as `.docx`; no part is read past [`PART_LIMIT`] bytes, so a zip bomb stops early.

use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use crate::messages::Msg;

/// WordprocessingML's namespace (the `w:` prefix).
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A `w:` attribute of a node.
pub fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// The most bytes read from one part: far above a 100-page report's document.xml (a few MB).
const PART_LIMIT: u64 = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// An older Word or WPS file, or a PDF: `kind` is `doc`, `wps` or `pdf`.
    OtherFormat {
        kind: &'static str,
    },
    /// Not a zip package: the zip reader's error.
    NotZip(String),
    /// Does not start as a zip does.
    NotZipStart,
    /// A part the document names is not in the package.
    PartMissing(String),
    /// A part that cannot be read out of the package: its name, the error.
    PartUnreadable {
        part: String,
        error: String,
    },
    /// A part every `.docx` has (`word/document.xml`) is not there.
    MissingPart(&'static str),
    /// No `w:body` in `word/document.xml`.
    NoBody,
    TooLarge {
        part: String,
    },
    Xml {
        part: String,
        error: String,
    },
}

impl ImportError {
    /// The message, whole, to be rendered in the reader's language (area `output`).
    pub fn msg(&self) -> Msg {
        match self {
            ImportError::OtherFormat { kind } => Msg::new("import.other_format").arg("kind", kind),
            ImportError::NotZip(e) => Msg::new("output.docx_not_zip").arg("error", e),
            ImportError::NotZipStart => Msg::new("output.docx_not_zip_start"),
            ImportError::PartMissing(p) => Msg::new("output.docx_part_missing").arg("part", p),
            ImportError::PartUnreadable { part, error } => Msg::new("output.docx_part_unreadable")
                .arg("part", part)
                .arg("error", error),
            ImportError::MissingPart(p) => Msg::new("output.docx_missing_part").arg("part", p),
            ImportError::NoBody => Msg::new("output.docx_no_body"),
            ImportError::TooLarge { part } => Msg::new("output.docx_too_large")
                .arg("part", part)
                .arg("limit", PART_LIMIT),
            ImportError::Xml { part, error } => Msg::new("output.docx_xml")
                .arg("part", part)
                .arg("error", error),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().english())
    }
}

/// Refuses what is not a `.docx` by its extension or its first bytes (an OLE compound file is
/// a `.doc` or `.wps`; `%PDF` a PDF).
pub fn sniff(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let by_name = match ext.as_deref() {
        Some("doc") => Some("doc"),
        Some("wps") => Some("wps"),
        Some("pdf") => Some("pdf"),
        _ => None,
    };
    let by_magic = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(if by_name == Some("wps") { "wps" } else { "doc" })
    } else if bytes.starts_with(b"%PDF") {
        Some("pdf")
    } else {
        None
    };
    match by_magic.or(by_name) {
        Some(kind) => Err(ImportError::OtherFormat { kind }),
        None if !bytes.starts_with(b"PK") => Err(ImportError::NotZipStart),
        None => Ok(()),
    }
}

/// The XML parts the converter reads; all but the document are optional.
pub struct Parts {
    pub document: String,
    pub styles: Option<String>,
    pub numbering: Option<String>,
    pub footnotes: Option<String>,
    pub rels: Option<String>,
    /// The page header and footer parts that hold any text (they are left out).
    pub headers_footers: usize,
    /// Comments exist (left out).
    pub comments: bool,
}

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        let zip =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::NotZip(e.to_string()))?;
        Ok(Package { zip })
    }

    pub fn parts(&mut self) -> Result<Parts, ImportError> {
        let document = self
            .read_text("word/document.xml")?
            .ok_or(ImportError::MissingPart("word/document.xml"))?;
        let names: Vec<String> = self
            .zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let mut headers_footers = 0;
        for name in names.iter().filter(|n| is_header_footer(n)) {
            if let Some(xml) = self.read_text(name)?
                && has_text(name, &xml)?
            {
                headers_footers += 1;
            }
        }
        Ok(Parts {
            document,
            styles: self.read_text("word/styles.xml")?,
            numbering: self.read_text("word/numbering.xml")?,
            footnotes: self.read_text("word/footnotes.xml")?,
            rels: self.read_text("word/_rels/document.xml.rels")?,
            headers_footers,
            comments: names.iter().any(|n| n == "word/comments.xml"),
        })
    }

    /// A part's bytes; a part that is not there is an error (a picture the document names).
    pub fn read_bytes(&mut self, name: &str) -> Result<Vec<u8>, ImportError> {
        let file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(_) => return Err(ImportError::PartMissing(name.into())),
        };
        let mut bytes = Vec::new();
        file.take(PART_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ImportError::PartUnreadable {
                part: name.into(),
                error: e.to_string(),
            })?;
        if bytes.len() as u64 > PART_LIMIT {
            return Err(ImportError::TooLarge { part: name.into() });
        }
        Ok(bytes)
    }

    fn read_text(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        if self.zip.index_for_name(name).is_none() {
            return Ok(None);
        }
        let bytes = self.read_bytes(name)?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| ImportError::Xml {
                part: name.into(),
                error: e.to_string(),
            })
    }
}

fn is_header_footer(name: &str) -> bool {
    name.strip_prefix("word/").is_some_and(|n| {
        (n.starts_with("header") || n.starts_with("footer")) && n.ends_with(".xml")
    })
}

/// Whether a header or footer part shows any text (LibreOffice writes empty ones).
fn has_text(name: &str, xml: &str) -> Result<bool, ImportError> {
    let doc = parse(name, xml)?;
    Ok(doc
        .descendants()
        .any(|n| n.tag_name().name() == "t" && n.text().is_some_and(|t| !t.trim().is_empty())))
}

/// Parses one XML part; the error names the part.
pub fn parse<'x>(part: &str, xml: &'x str) -> Result<roxmltree::Document<'x>, ImportError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options).map_err(|e| ImportError::Xml {
        part: part.into(),
        error: e.to_string(),
    })
}
