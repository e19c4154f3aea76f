//! Preview: what a changed path means for the site. The watcher names paths; this module sorts
//! them into the few kinds of work the preview does (reload everything, reload some reports,
//! reload the theme), so nothing after it looks at paths again.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::archive::LOCK_FILE;
use crate::config::CONFIG_FILE;
use crate::layout::{CONTENT_DIR, is_ignored};

/// What one changed path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `site.yaml`: everything is loaded again (a full rebuild).
    Config,
    /// `archive.lock`: frozen reports are checked again; nothing is rendered.
    Lock,
    /// A file or folder under `content/`: the reports it holds are loaded again.
    Content,
    /// A template: every page is rendered again; no report is reloaded.
    Template,
    /// UI strings (`i18n/`): every page is rendered again.
    Strings,
    /// A static file: that file is replaced, and nothing is rendered.
    Static,
    /// Output, editors' swap and backup files, anything else.
    Ignored,
}

/// Classifies `rel`, a path relative to the site root, for a site whose theme is `theme`.
/// The default theme is compiled in, so `themes/default/` is not read and changes nothing.
pub fn classify(rel: &Path, theme: &str) -> Change {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => match s.to_str() {
                Some(s) if !is_ignored(s) => parts.push(s),
                _ => return Change::Ignored,
            },
            _ => return Change::Ignored,
        }
    }
    let theme_part = |dir: &str| match dir {
        "templates" => Change::Template,
        "i18n" => Change::Strings,
        "static" => Change::Static,
        _ => Change::Ignored,
    };
    match parts.as_slice() {
        [name] if *name == CONFIG_FILE => Change::Config,
        [name] if *name == LOCK_FILE => Change::Lock,
        [dir, ..] if *dir == CONTENT_DIR => Change::Content,
        ["themes", name, dir, ..] if *name == theme && theme != "default" => theme_part(dir),
        // The theme's folder itself came or went.
        ["themes", name] if *name == theme && theme != "default" => Change::Template,
        ["themes"] if theme != "default" => Change::Template,
        [dir, ..] => theme_part(dir),
        [] => Change::Ignored,
    }
}

/// The work one burst of changes asks for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Load everything again (the configuration changed, or events were lost).
    pub full: bool,
    /// Load the theme again (templates, strings, static files).
    pub theme: bool,
    /// Read `archive.lock` again.
    pub lock: bool,
    /// Paths under `content/` (relative to the root) to load again: files or folders, present
    /// or gone.
    pub content: BTreeSet<PathBuf>,
}

impl Plan {
    /// A plan to load everything.
    pub fn full() -> Plan {
        Plan {
            full: true,
            ..Plan::default()
        }
    }

    /// Adds one changed path; returns what it was.
    pub fn add(&mut self, rel: &Path, theme: &str) -> Change {
        let change = classify(rel, theme);
        match change {
            Change::Config => self.full = true,
            Change::Lock => self.lock = true,
            Change::Content => {
                self.content.insert(rel.to_path_buf());
            }
            Change::Template | Change::Strings | Change::Static => self.theme = true,
            Change::Ignored => {}
        }
        change
    }

    pub fn is_empty(&self) -> bool {
        !self.full && !self.theme && !self.lock && self.content.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(path: &str) -> Change {
        classify(Path::new(path), "default")
    }

    #[test]
    fn classifies_site_files() {
        assert_eq!(c("site.yaml"), Change::Config);
        assert_eq!(c("archive.lock"), Change::Lock);
        assert_eq!(c(".archive.lock.tmp-123"), Change::Ignored);
        assert_eq!(c("content/2022/justice-bureau.zh.md"), Change::Content);
        assert_eq!(c("content/2026"), Change::Content, "a new year folder");
        assert_eq!(
            c("content"),
            Change::Content,
            "content/ itself came or went"
        );
        assert_eq!(c("templates/report.html"), Change::Template);
        assert_eq!(c("templates/partials/x.html"), Change::Template);
        assert_eq!(c("static/style.css"), Change::Static);
        assert_eq!(c("static/img/logo.png"), Change::Static);
        assert_eq!(c("i18n/zh.yaml"), Change::Strings);
    }

    #[test]
    fn ignores_editor_files_output_and_the_rest() {
        for path in [
            "content/2022/.justice-bureau.zh.md.swp",
            "content/2022/justice-bureau.zh.md~",
            "content/2022/#justice-bureau.zh.md#",
            "content/2022/4913.tmp",
            "content/.git/index",
            "static/.style.css.swx",
            "site.yaml~",
            "public/zh/index.html",
            "target/debug/gongkai",
            "Cargo.toml",
            "README.md",
            "",
            "../content/2022/a.md",
            "/etc/passwd",
        ] {
            assert_eq!(c(path), Change::Ignored, "{path}");
        }
    }

    #[test]
    fn only_the_sites_own_theme_folder_counts() {
        let theme = |p: &str| classify(Path::new(p), "gov-blue");
        assert_eq!(
            theme("themes/gov-blue/templates/base.html"),
            Change::Template
        );
        assert_eq!(theme("themes/gov-blue/static/style.css"), Change::Static);
        assert_eq!(theme("themes/gov-blue/i18n/en.yaml"), Change::Strings);
        assert_eq!(theme("themes/gov-blue"), Change::Template);
        assert_eq!(theme("themes/other/templates/base.html"), Change::Ignored);
        assert_eq!(theme("themes/gov-blue/README.md"), Change::Ignored);
        // The default theme is compiled in: its folder in the repository is not read.
        assert_eq!(c("themes/default/templates/base.html"), Change::Ignored);
        assert_eq!(c("themes/default/static/style.css"), Change::Ignored);
    }

    #[test]
    fn a_plan_gathers_a_burst() {
        let mut plan = Plan::default();
        assert!(plan.is_empty());
        plan.add(Path::new("content/2022/a.zh.md"), "default");
        plan.add(Path::new("content/2022/.a.zh.md.swp"), "default");
        plan.add(Path::new("content/2022/a.zh.md"), "default");
        assert_eq!(plan.content.len(), 1);
        assert!(!plan.theme && !plan.full);
        plan.add(Path::new("static/style.css"), "default");
        assert!(plan.theme);
        plan.add(Path::new("site.yaml"), "default");
        assert!(plan.full);
    }
}
