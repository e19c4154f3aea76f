//! Import stage: a Word `.docx` file turned into one report body in Markdown, plus its images
//! and the list of what could not be carried over (README "From Word: `gongkai import`").
//! Guarantees: the file is read only through the zip reader and the XML parser (no text
//! scanning of XML); nothing is written here (the `import` command writes); every loss is
//! listed in [`Imported::notes`], never silent.

mod blocks;
mod ctx;
mod docx;
mod headings;
mod inline;
mod numbering;
mod styles;
mod table;

pub use docx::{ImportError, sniff};

use crate::messages::Msg;

/// A picture of the document, to be written under `static/import/<stem>/`.
#[derive(Debug, Clone)]
pub struct Image {
    /// The file name (`image1.png`), already checked to be a plain name.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the importer made of one `.docx`.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// From the `Title` style, else the first paragraph (which then leaves the body).
    pub title: String,
    /// The report body in Markdown, headings from `##` down.
    pub body: String,
    pub images: Vec<Image>,
    /// One message per thing not carried over (merged cells, missing alt text, dropped page
    /// headers, tracked changes), in document order.
    pub notes: Vec<Msg>,
}

/// Reads a `.docx` (its bytes) into Markdown; `image_dir` is the images' folder as linked from
/// the report (`../../../static/import/<stem>`).
pub fn read_docx(bytes: &[u8], image_dir: &str) -> Result<Imported, ImportError> {
    let mut package = docx::Package::open(bytes)?;
    let parts = package.parts()?;
    let (mut out, sources) = blocks::convert(&parts, image_dir)?;
    for (source, name) in sources {
        let bytes = package.read_bytes(&source)?;
        out.images.push(Image { name, bytes });
    }
    Ok(out)
}
