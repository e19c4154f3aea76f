//! Render stage: the theme's files. The default theme is compiled into the binary; a site's
//! `themes/<name>/` replaces it, and the site's own `templates/` and `static/` override single
//! files of the same name.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, YamlSource, yaml_error};
use crate::layout::is_ignored;
use crate::messages::Msg;
use crate::yaml;

/// UI strings of one language: key → text.
pub type Strings = BTreeMap<String, String>;

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    /// Output path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    pub strings: BTreeMap<String, Strings>,
    /// The files pages load by name (see [`LOADED`]) → the name they are written under, with
    /// their content's tag (`style.3f9a1c2b.css`); made by [`Theme::seal`].
    assets: BTreeMap<String, String>,
}

/// The static files the theme's pages load through `page.stylesheet` and the search page's
/// `script`: named by their content (README "Deploying `public/`"), so a browser or CDN that
/// keeps them for a year never pairs an old one with a new page. Other static files (a
/// department's PDF, a logo) keep their names: reports and templates link them by name.
pub const LOADED: [&str; 3] = ["style.css", "search.js", "reading.js"];

macro_rules! embed {
    ($map:expr, $dir:literal, [$($name:literal),* $(,)?], $read:ident) => {
        $( $map.insert($name.to_string(), $read!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $dir, "/", $name)).into()); )*
    };
}

impl Theme {
    /// The default theme as compiled in.
    pub fn embedded() -> Theme {
        let mut t = Theme::default();
        embed!(
            t.templates,
            "templates",
            [
                "base.html",
                "macros.html",
                "chooser.html",
                "home.html",
                "year.html",
                "report.html",
                "not_translated.html",
                "terms.html",
                "department.html",
                "theme.html",
                "search.html",
                "status.html",
                "404.html",
                "feed.xml",
                "sitemap.xml",
                "robots.txt",
            ],
            include_str
        );
        embed!(
            t.statics,
            "static",
            ["style.css", "search.js", "reading.js"],
            include_bytes
        );
        let mut raw: BTreeMap<String, String> = BTreeMap::new();
        embed!(raw, "i18n", ["zh.yaml", "en.yaml"], include_str);
        for (file, text) in raw {
            let strings = yaml::parse(&text).expect("embedded i18n files are valid YAML");
            t.strings
                .insert(file.trim_end_matches(".yaml").to_string(), strings);
        }
        t.seal();
        t
    }

    /// Names the files of [`LOADED`] by their content; called once the files are final.
    fn seal(&mut self) {
        self.assets = LOADED
            .iter()
            .filter_map(|name| {
                let bytes = self.statics.get(*name)?;
                let (stem, ext) = name.rsplit_once('.')?;
                let tag = crate::hash::content_tag(bytes);
                Some((name.to_string(), format!("{stem}.{tag}.{ext}")))
            })
            .collect();
    }

    /// The output path of the static file `name` (`static/style.3f9a1c2b.css`).
    pub fn asset(&self, name: &str) -> String {
        let file = self.assets.get(name).map_or(name, String::as_str);
        format!("static/{file}")
    }

    /// Every static file: (output path, bytes).
    pub fn static_files(&self) -> impl Iterator<Item = (String, &Vec<u8>)> {
        self.statics
            .iter()
            .map(|(name, bytes)| (self.asset(name), bytes))
    }

    /// The theme for the site at `root`, with the site's own overrides applied.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let mut theme = Theme::embedded();
        let mut problems = Diagnostics::default();
        if config.theme != "default" {
            let dir = root.join("themes").join(&config.theme);
            if !dir.is_dir() {
                let message = Msg::new("theme.not_found").arg("theme", &config.theme);
                return Err(Diagnostic::at_file("site.yaml", message).into());
            }
            theme.overlay(&dir, "", &mut problems);
        }
        theme.overlay(root, "", &mut problems);
        for lang in &config.languages {
            if !theme.strings.contains_key(lang) {
                problems.push(Diagnostic::at_file(
                    "site.yaml",
                    Msg::new("theme.no_strings").arg("lang", lang),
                ));
            }
        }
        theme.seal();
        problems.into_result(theme)
    }

    /// Reads `templates/`, `static/` and `i18n/` under `dir`, replacing files of the same name.
    fn overlay(&mut self, dir: &Path, _prefix: &str, problems: &mut Diagnostics) {
        for (rel, full) in files_under(&dir.join("templates")) {
            match std::fs::read_to_string(&full) {
                Ok(text) => {
                    self.templates.insert(rel, text);
                }
                Err(e) => problems.push(Diagnostic::at_file(
                    full,
                    Msg::new("theme.cannot_read_template").arg("error", e),
                )),
            }
        }
        for (rel, full) in files_under(&dir.join("static")) {
            match std::fs::read(&full) {
                Ok(bytes) => {
                    self.statics.insert(rel, bytes);
                }
                Err(e) => problems.push(Diagnostic::at_file(
                    full,
                    Msg::new("theme.cannot_read").arg("error", e),
                )),
            }
        }
        for (rel, full) in files_under(&dir.join("i18n")) {
            let Some(lang) = rel.strip_suffix(".yaml") else {
                continue;
            };
            // A file that cannot be read is reported, never taken as empty: the site's own
            // words would silently give way to the theme's.
            let text = match std::fs::read_to_string(&full) {
                Ok(text) => text,
                Err(e) => {
                    let message = Msg::new("theme.cannot_read").arg("error", e);
                    problems.push(Diagnostic::at_file(full, message));
                    continue;
                }
            };
            match yaml::parse::<Strings>(&text) {
                Ok(strings) => self
                    .strings
                    .entry(lang.to_string())
                    .or_default()
                    .extend(strings),
                Err(e) => {
                    // Explained as front matter is: a typical mistake (a full-width colon, a
                    // tab) named at its place, in the reader's language.
                    let source = std::sync::Arc::from(text.as_str());
                    let at = YamlSource {
                        shown: &full,
                        source: &source,
                        yaml: &text,
                        yaml_offset: 0,
                        keys: &[],
                        numbers: None,
                    };
                    problems.push(yaml_error(&e, &at));
                }
            }
        }
    }
}

/// Files under `dir` as (relative path with `/`, full path), sorted; editors' temporary files
/// are skipped.
fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or(".")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}
