//! `gongkai new`: a report file with its front matter filled in and the usual parts of an
//! annual report as headings, written as a draft. Bad command-line values are usage errors
//! (exit status 2) that say what to type, never a position in a file.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, is_slug, labels::key_by_label};
use crate::diagnostics::{Diagnostic, nearest, suggest_msg};
use crate::messages::{Messages, Msg, UiLang};
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
    let config = config::load(root, None)?;
    let lang = new.lang.unwrap_or(config.default_lang());
    check_arguments(new, lang, &config)?;
    create(root, new, lang, &config).map_err(|d| Error::Site(d.into()))
}

/// Today's date in China, `YYYY-MM-DD`, for a new report's `date:` (the author corrects it before
/// publishing).
pub fn today() -> String {
    // China's date, as `import` and the status page use: in UTC a report made before 08:00
    // would be dated the day before.
    crate::kinds::due::today(chrono_tz::Asia::Shanghai, None)
        .format("%Y-%m-%d")
        .to_string()
}

fn bad(message: Msg, hint: Option<Msg>) -> Error {
    Error::BadArgument { message, hint }
}

/// The name, year, language and department as given on the command line.
fn check_arguments(new: &NewReport<'_>, lang: &str, config: &Config) -> Result<(), Error> {
    if !is_slug(new.stem) {
        let hint = Msg::new("new.name_hint");
        return Err(bad(
            Msg::new("new.bad_name").arg("name", new.stem),
            Some(hint),
        ));
    }
    if !(1900..=2999).contains(&new.year) {
        return Err(bad(Msg::new("new.bad_year").arg("year", new.year), None));
    }
    if !config.languages.iter().any(|l| l == lang) {
        let langs = config.languages.iter().map(String::as_str);
        let hint = suggest_msg(lang, langs);
        return Err(bad(Msg::new("new.bad_lang").arg("lang", lang), Some(hint)));
    }
    if !config.departments.contains_key(new.department) {
        let keys = config.departments.keys().map(String::as_str);
        let hint = match key_by_label(&config.departments, new.department) {
            Some(key) => Msg::new("label.use_key")
                .arg("label", new.department)
                .arg("key", key),
            None if nearest(new.department, keys.clone()).is_none() => {
                Msg::new("new.departments").list("keys", keys.map(|k| format!("`{k}`")))
            }
            None => suggest_msg(new.department, keys),
        };
        let message = Msg::new("new.bad_department").arg("department", new.department);
        return Err(bad(message, Some(hint)));
    }
    Ok(())
}

fn create(
    root: &Path,
    new: &NewReport<'_>,
    lang: &str,
    config: &Config,
) -> Result<PathBuf, Diagnostic> {
    let rel = PathBuf::from(format!("content/{}/{}.{}.md", new.year, new.stem, lang));
    let department = &config.departments[new.department];
    let title = match new.title {
        Some(t) => t.to_string(),
        None if lang == "zh" => format!("{}{}年度报告", config::label(department, lang), new.year),
        None => format!(
            "{} Annual Report {}",
            config::label(department, lang),
            new.year
        ),
    };
    // The skeleton and the draft note are in the report's language, not the reader's.
    let words = Messages::new(UiLang::from_code(lang).unwrap_or_default());
    let year = |m: Msg| words.render(&m.arg("year", new.year).arg("next", new.year + 1));
    let text = format!(
        "---\ntitle: {}\ndepartment: {}\nyear: {}\nthemes: []\ndate: {}\n{}\ndraft: true\n---\n\n{}",
        serde_json::to_string(&title).expect("a string serialises"),
        new.department,
        new.year,
        new.date,
        year(Msg::new("new.draft_comment")),
        year(Msg::new("new.skeleton")),
    );
    let full = root.join(&rel);
    if full.exists() {
        return Err(Diagnostic::at_file(&rel, Msg::new("new.exists")));
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(full.parent().expect("has a parent"))?;
        std::fs::write(&full, text)
    };
    write().map_err(|e| Diagnostic::at_file(&rel, Msg::new("new.cannot_write").arg("error", e)))?;
    Ok(rel)
}
