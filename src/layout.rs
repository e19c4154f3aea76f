//! The names of a site folder's parts, shared by every stage that reads the folder: where the
//! configuration, the reports and the frozen-report record live, and which files are never
//! content. A leaf: it imports nothing of the crate.

/// The site's configuration, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";
/// The folder of report files: `content/<year>/<stem>[.<lang>].md`.
pub const CONTENT_DIR: &str = "content";
/// The frozen-report record written by `gongkai freeze` (README, "Archiving").
pub const LOCK_FILE: &str = "archive.lock";
/// The build cache's folder (`src/cache/`), git-ignored, safe to delete.
pub const CACHE_DIR: &str = ".gongkai";
/// Folders of a site that hold its sources, never build output.
pub const SOURCE_DIRS: [&str; 5] = [CONTENT_DIR, "templates", "static", "i18n", "themes"];

/// Keys that become path segments: lowercase ASCII letters, digits and inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Editors' swap, backup and hidden files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}
