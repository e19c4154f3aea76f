//! `gongkai new`: a report file with its front matter filled in, ready to write.

use std::path::{Path, PathBuf};

use crate::config::{self, is_slug};
use crate::diagnostics::{Diagnostic, suggest};
use crate::pipeline::Error;

pub struct NewReport<'a> {
    pub year: u16,
    pub stem: &'a str,
    pub department: &'a str,
    pub lang: Option<&'a str>,
    pub title: Option<&'a str>,
    /// Publication date written into the file (`YYYY-MM-DD`).
    pub date: &'a str,
}

/// Writes `content/<year>/<stem>.<lang>.md`; refuses to overwrite. Returns the path written,
/// from the site root.
pub fn run(root: &Path, new: &NewReport<'_>) -> Result<PathBuf, Error> {
    create(root, new).map_err(|d| Error::Site(d.into()))
}

/// Today's date, `YYYY-MM-DD` (UTC), for a new report's `date:` (the author corrects it before
/// publishing).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    chrono::DateTime::from_timestamp(days * 86_400, 0)
        .map_or_else(|| "2000-01-01".into(), |d| d.format("%Y-%m-%d").to_string())
}

fn create(root: &Path, new: &NewReport<'_>) -> Result<PathBuf, Diagnostic> {
    let config = config::load(root, None).map_err(|d| d.0.into_iter().next().expect("one"))?;
    let lang = new.lang.unwrap_or(config.default_lang());
    let rel = PathBuf::from(format!("content/{}/{}.{}.md", new.year, new.stem, lang));
    if !is_slug(new.stem) {
        return Err(Diagnostic::at_file(
            &rel,
            format!("name `{}` must use only a-z, 0-9 and `-`", new.stem),
        ));
    }
    if !(1900..=2999).contains(&new.year) {
        return Err(Diagnostic::at_file(
            &rel,
            format!("`{}` is not a year such as 2022", new.year),
        ));
    }
    if !config.languages.iter().any(|l| l == lang) {
        return Err(Diagnostic::at_file(
            &rel,
            format!("language `{lang}` is not one of the site's languages"),
        )
        .with_hint(suggest(lang, config.languages.iter().map(String::as_str))));
    }
    let Some(department) = config.departments.get(new.department) else {
        return Err(Diagnostic::at_file(
            "site.yaml",
            format!("unknown department `{}`", new.department),
        )
        .with_hint(suggest(
            new.department,
            config.departments.keys().map(String::as_str),
        )));
    };
    let title = match new.title {
        Some(t) => t.to_string(),
        None if lang == "zh" => format!("{}{}年度报告", config::label(department, lang), new.year),
        None => format!(
            "{} Annual Report {}",
            config::label(department, lang),
            new.year
        ),
    };
    let text = format!(
        "---\ntitle: {}\ndepartment: {}\nyear: {}\nthemes: []\ndate: {}\ndraft: true\n---\n\n",
        serde_json::to_string(&title).expect("a string serialises"),
        new.department,
        new.year,
        new.date
    );
    let full = root.join(&rel);
    if full.exists() {
        return Err(Diagnostic::at_file(
            &rel,
            "file already exists; not overwriting it",
        ));
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(full.parent().expect("has a parent"))?;
        std::fs::write(&full, text)
    };
    write().map_err(|e| Diagnostic::at_file(&rel, format!("cannot write: {e}")))?;
    Ok(rel)
}
