//! Archive stage: the offline bundle of one year (README, Archiving) — a zip that browses and
//! searches offline, opened from disk. `gongkai archive` (`src/cmd/archive.rs`) loads the site
//! with [`load_options`], hands it to [`files`] and writes [`zip_files`] of the result.
//!
//! The bundle is the site cut down to one year: a [`Site`] made with [`Site::new`] from that
//! year's published reports (so the home, year, department and theme pages and the search index
//! list only them), rendered with [`LinkStyle::Bundle`]: links inside name `index.html` files and
//! work from `file://`, and links to pages of other years (Markdown links between reports) are
//! written as the page's address on the live site (`base_url`). It keeps what the live site
//! knows about the years after: archived marks and notices are as on the live site, and the
//! notices link the newest report there. Departments and themes with no report that year are
//! left out. `404.html`, `sitemap.xml` and `robots.txt` serve the
//! live site only and are left out. Nothing is rewritten after rendering.
//!
//! Guarantees: the zip's bytes depend only on the input — entries sorted by path, every
//! timestamp 1980-01-01 00:00, permissions 0644, Unix as the creating system, one compression
//! level.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::config::label;
use crate::error::Error;
use crate::messages::Msg;
use crate::model::Site;
use crate::options::BuildOptions;
use crate::output::OutputError;
use crate::urls::LinkStyle;

/// Files of the live site that make no sense offline.
const LIVE_ONLY: [&str; 3] = ["404.html", "sitemap.xml", "robots.txt"];
pub const README_FILE: &str = "README.txt";

/// How to load the site for the bundle of `year`: published reports only, and links written for
/// the bundle from the start — Markdown links between reports are made while loading, so the
/// style must be known then.
pub fn load_options(opts: &BuildOptions, year: u16) -> BuildOptions {
    BuildOptions {
        drafts: false,
        link_style: LinkStyle::Bundle { year },
        ..opts.clone()
    }
}

/// The bundle's files: the one-year site as rendered with [`LinkStyle::Bundle`] (`manifest.json`
/// hashes each page as bundled), without the files that serve only the live site, with the
/// README.
pub fn offline_files(
    part: &Site,
    year: u16,
    mut rendered: BTreeMap<String, Vec<u8>>,
) -> BTreeMap<String, Vec<u8>> {
    for f in LIVE_ONLY {
        rendered.remove(f);
    }
    rendered.insert(README_FILE.into(), readme(part, year).into_bytes());
    rendered
}

/// The site cut down to `year`'s reports, still knowing the whole site (see [`Site::whole`]).
pub fn year_only(site: Site, year: u16) -> Result<Site, Error> {
    if !site.by_year.contains_key(&year) {
        let message = Msg::new("archive.bundle_no_report")
            .arg("year", year)
            .list("years", site.years());
        return Err(Error::Usage(message));
    }
    let reports: Vec<_> = site
        .reports
        .iter()
        .filter(|r| r.key.year == year)
        .cloned()
        .collect();
    // Only the departments and themes the year has reports of: the bundle is a record of that
    // year, where "0 reports" and "no reports yet" would say nothing (README, Archiving).
    let mut config = site.config.clone();
    config
        .departments
        .retain(|key, _| reports.iter().any(|r| &r.department == key));
    config
        .themes
        .retain(|key, _| reports.iter().any(|r| r.themes.contains(key)));
    // No status page: it is the live site's view of today, and a bundle must not depend on
    // the day it was made (README "Report kinds").
    config.kinds.status_page = false;
    let mut part = Site::new(config, reports)?;
    // Archived marks as on the live site: a later year supersedes, even outside the bundle.
    part.newest_year = site.newest_year.clone();
    part.whole = Some(Arc::new(site));
    Ok(part)
}

/// What the bundle is and how to open it, in both languages.
fn readme(site: &Site, year: u16) -> String {
    let title = |lang| label(&site.config.title, lang).to_string();
    let base = &site.config.base_url;
    format!(
        "{zh_title} — {year}年度离线归档\n\
         {en_title} — offline archive of {year}\n\
         \n\
         本文件包是{year}年度全部报告（中文、英文）的离线副本，由 gongkai 生成。\n\
         解压到任意位置后，用浏览器打开 index.html 即可阅读和搜索，无需联网。\n\
         指向其他年度的链接通往网站 {base}\n\
         manifest.json 列出每篇报告及其源文件和页面的 SHA-256 校验值，以及本文件包中每个文件的校验值，\n\
         可用 gongkai verify 逐一核对。\n\
         \n\
         This is an offline copy of every report of {year} (Chinese and English), made by gongkai.\n\
         Unpack it anywhere and open index.html in a web browser to read and search it; no\n\
         network is needed. Links to other years lead to the live site, {base}\n\
         manifest.json lists every report with the SHA-256 of its source file and of its page, and\n\
         every file of the bundle with its SHA-256; `gongkai verify` checks them all.\n",
        zh_title = title("zh"),
        en_title = title("en"),
    )
}

/// The zip of `files`: sorted, fixed timestamps and permissions, so identical input gives
/// identical bytes.
pub fn zip_files(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, OutputError> {
    let zip_err = |e: zip::result::ZipError| OutputError::Io {
        path: PathBuf::from("(zip)"),
        source: std::io::Error::other(e),
    };
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .system(System::Unix);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in files {
        zip.start_file(path.as_str(), options).map_err(zip_err)?;
        zip.write_all(bytes).map_err(|e| zip_err(e.into()))?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_is_deterministic() {
        let mut files = BTreeMap::new();
        files.insert("b.txt".to_string(), b"bee".to_vec());
        files.insert("a/index.html".to_string(), b"<p>a</p>".to_vec());
        let one = zip_files(&files).unwrap();
        assert_eq!(one, zip_files(&files).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        assert_eq!(archive.by_index(0).unwrap().name().unwrap(), "a/index.html");
        let file = archive.by_index(1).unwrap();
        assert_eq!(file.unix_mode(), Some(0o100644));
        assert_eq!(file.last_modified(), Some(DateTime::default()));
    }
}
