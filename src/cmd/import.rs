//! `gongkai import FILE.docx`: a Word report turned into a draft report file, its pictures
//! saved under `static/import/<year>/<stem>.<lang>/` (README "From Word: `gongkai import`").
//! Guarantees: bad command-line values are usage errors (exit 2); nothing existing is ever
//! overwritten; a file that cannot be read writes nothing; what could not be carried over is
//! returned for printing, one message each.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, is_slug, labels::key_by_label};
use crate::diagnostics::{Diagnostic, suggest_msg};
use crate::import::{self, ImportError, Imported};
use crate::messages::{Messages, Msg, UiLang};
use crate::pipeline::Error;

pub struct ImportArgs<'a> {
    pub file: &'a Path,
    pub year: u16,
    pub department: &'a str,
    pub lang: Option<&'a str>,
    /// The file name's stem; default: the department key.
    pub stem: Option<&'a str>,
    /// The `date:` written (`YYYY-MM-DD`).
    pub date: &'a str,
}

/// What was written, from the site root, and what was not carried over.
pub struct Outcome {
    pub report: PathBuf,
    pub images: Vec<PathBuf>,
    pub notes: Vec<Msg>,
}

pub fn run(root: &Path, args: &ImportArgs<'_>) -> Result<Outcome, Error> {
    let config = config::load(root, None)?;
    let lang = args.lang.unwrap_or(config.default_lang());
    let stem = args.stem.unwrap_or(args.department);
    check_arguments(args, stem, lang, &config)?;
    let bytes = std::fs::read(args.file)
        .map_err(|e| file_error(args.file, Msg::new("import.cannot_read").arg("error", e)))?;
    let report = PathBuf::from(format!("content/{}/{stem}.{lang}.md", args.year));
    let image_dir = PathBuf::from(format!("static/import/{}/{stem}.{lang}", args.year));
    let link = format!("../../../{}", image_dir.display());
    let imported = import::sniff(args.file, &bytes)
        .and_then(|()| import::read_docx(&bytes, &link))
        .map_err(|e| read_error(args.file, e))?;
    let text = report_text(&imported, args, lang);
    let images: Vec<PathBuf> = imported
        .images
        .iter()
        .map(|i| image_dir.join(&i.name))
        .collect();
    for path in std::iter::once(&report).chain(&images) {
        if root.join(path).exists() {
            return Err(file_error(path, Msg::new("import.exists")));
        }
    }
    write_all(root, &report, text.as_bytes(), &imported, &images)?;
    Ok(Outcome {
        report,
        images,
        notes: imported.notes,
    })
}

fn file_error(path: &Path, message: Msg) -> Error {
    Error::Site(Diagnostic::at_file(path, message).into())
}

fn read_error(file: &Path, e: ImportError) -> Error {
    let d = match e {
        ImportError::OtherFormat { kind } => {
            Diagnostic::at_file(file, Msg::new("import.other_format").arg("kind", kind))
                .with_hint(Msg::new("import.save_as_docx"))
        }
        e => Diagnostic::at_file(file, e.msg()).with_hint(Msg::new("import.save_as_docx")),
    };
    Error::Site(d.into())
}

/// Front matter as `gongkai new` writes it, then the imported body.
fn report_text(imported: &Imported, args: &ImportArgs<'_>, lang: &str) -> String {
    let words = Messages::new(UiLang::from_code(lang).unwrap_or_default());
    let comment = words.render(&Msg::new("new.draft_comment").arg("year", args.year));
    format!(
        "---\ntitle: {}\ndepartment: {}\nyear: {}\nthemes: []\ndate: {}\n{comment}\ndraft: true\n---\n\n{}",
        serde_json::to_string(&imported.title).expect("a string serialises"),
        args.department,
        args.year,
        args.date,
        imported.body,
    )
}

/// Writes the pictures, then the report; on a failure removes what it wrote.
fn write_all(
    root: &Path,
    report: &Path,
    text: &[u8],
    imported: &Imported,
    images: &[PathBuf],
) -> Result<(), Error> {
    let mut written = Vec::new();
    let report = report.to_path_buf();
    let files = images
        .iter()
        .zip(imported.images.iter().map(|i| i.bytes.as_slice()))
        .chain(std::iter::once((&report, text)));
    for (rel, bytes) in files {
        if let Err(e) = write_new(&root.join(rel), bytes) {
            for done in &written {
                let _ = std::fs::remove_file(root.join(done));
            }
            return Err(file_error(
                rel,
                Msg::new("new.cannot_write").arg("error", e),
            ));
        }
        written.push(rel.clone());
    }
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

fn bad(message: Msg, hint: Option<Msg>) -> Error {
    Error::BadArgument { message, hint }
}

/// The same checks and messages as `gongkai new`.
fn check_arguments(
    args: &ImportArgs<'_>,
    stem: &str,
    lang: &str,
    config: &Config,
) -> Result<(), Error> {
    if !is_slug(stem) {
        let message = Msg::new("new.bad_name").arg("name", stem);
        return Err(bad(message, Some(Msg::new("new.name_hint"))));
    }
    if !(1900..=2999).contains(&args.year) {
        return Err(bad(Msg::new("new.bad_year").arg("year", args.year), None));
    }
    if !config.languages.iter().any(|l| l == lang) {
        let hint = suggest_msg(lang, config.languages.iter().map(String::as_str));
        return Err(bad(Msg::new("new.bad_lang").arg("lang", lang), Some(hint)));
    }
    if !config.departments.contains_key(args.department) {
        let keys = config.departments.keys().map(String::as_str);
        let hint = match key_by_label(&config.departments, args.department) {
            Some(key) => Msg::new("label.use_key")
                .arg("label", args.department)
                .arg("key", key),
            None => suggest_msg(args.department, keys),
        };
        let message = Msg::new("new.bad_department").arg("department", args.department);
        return Err(bad(message, Some(hint)));
    }
    Ok(())
}

/// Today in China (`YYYY-MM-DD`), the `date:` of an imported report: the dates inside a
/// `.docx` say when it was written or saved, not when the site publishes it, so the editor
/// sets the real date before publishing (README "From Word").
pub fn today_in_china() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(secs as i64, 0).map_or_else(
        || "2000-01-01".into(),
        |t| {
            t.with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d")
                .to_string()
        },
    )
}
