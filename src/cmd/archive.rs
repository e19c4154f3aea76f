//! `gongkai archive <year>`: the offline bundle of one year ([`crate::archive::bundle`]) written
//! as a zip. The zip is written to a temporary file beside `out` and renamed into place, so a
//! failure leaves no half-written zip; `out` is checked first ([`check_archive_out`]): never a
//! file of the site, and an existing file only when it is a gongkai zip or with `--force`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::archive::{Lock, bundle, manifest, warc};
use crate::messages::Msg;
use crate::model::Site;
use crate::options::BuildOptions;
use crate::output::Output;
use crate::output::{OutputError, check_archive_out};
use crate::pipeline::{Error, Loaded, load, render_into, signing_key};
use crate::urls::LinkStyle;

/// What `gongkai archive` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveSummary {
    pub out: PathBuf,
    pub year: u16,
    /// Published report files (every language) in the bundle.
    pub reports: usize,
    pub files: usize,
    pub bytes: usize,
    /// Whether `archive.lock` has the year (the bundle is of a settled year).
    pub frozen: bool,
}

impl ArchiveSummary {
    /// What the command line says about the bundle written: the file and its counts, and a
    /// note when the year is not frozen.
    pub fn messages(&self) -> Vec<Msg> {
        let mut out = vec![
            Msg::new("archive.wrote")
                .arg("path", self.out.display())
                .arg("reports", self.reports)
                .arg("files", self.files)
                .arg("bytes", self.bytes),
        ];
        if !self.frozen {
            out.push(
                Msg::new("archive.not_frozen")
                    .arg("year", self.year)
                    .arg("lock", crate::archive::LOCK_FILE),
            );
        }
        out
    }
}

/// Where `gongkai archive <year>` writes without `--out`: `gongkai-<year>.zip` in the site root.
pub fn default_out(root: &Path, year: u16) -> PathBuf {
    root.join(format!("gongkai-{year}.zip"))
}

/// The bundle of `year` in memory (path → bytes) and the one-year site it was rendered from;
/// unsigned.
pub fn files(opts: &BuildOptions, year: u16) -> Result<(Site, BTreeMap<String, Vec<u8>>), Error> {
    files_for(opts, year, None)
}

/// The bundle of `year`, signed when it is to be written to `out` and a signing key is
/// configured: its manifest lists exactly the bundle's files (README.txt in, the live site's
/// `404.html`, `sitemap.xml`, `robots.txt` out).
fn files_for(
    opts: &BuildOptions,
    year: u16,
    out: Option<&Path>,
) -> Result<(Site, BTreeMap<String, Vec<u8>>), Error> {
    let Loaded { site, theme, store } = load(&bundle::load_options(opts, year))?;
    let part = bundle::year_only(site, year)?;
    let signer = match out {
        Some(out) => signing_key(opts, &part, out)?,
        None => None,
    };
    let out = Output::default();
    let style = LinkStyle::Bundle { year };
    render_into(&part, &store, &theme, style, &out, &|| {})?;
    let mut files = bundle::offline_files(&part, year, out.into_files());
    manifest::seal(&part, &mut files, signer.as_ref());
    Ok((part, files))
}

/// Writes the bundle of `year` to `out` (default: [`default_out`]); `force` replaces an existing
/// file that is not a gongkai zip.
pub fn run(
    opts: &BuildOptions,
    year: u16,
    out: Option<&Path>,
    force: bool,
) -> Result<ArchiveSummary, Error> {
    let out = out.map_or_else(|| default_out(&opts.root, year), Path::to_path_buf);
    check_archive_out(&opts.root, &out, force)?;
    let (part, files) = files_for(opts, year, Some(&out))?;
    let zip = bundle::zip_files(&files)?;
    write_whole(&out, &zip)?;
    Ok(ArchiveSummary {
        year,
        reports: part.reports.len(),
        files: files.len(),
        bytes: zip.len(),
        frozen: Lock::read(&opts.root)?.is_frozen(year),
        out,
    })
}

/// Where `gongkai archive <year> --warc` writes without `--out`: `gongkai-<year>.warc.gz`.
pub fn default_warc_out(root: &Path, year: u16) -> PathBuf {
    root.join(format!("gongkai-{year}.warc.gz"))
}

/// Writes the files of the bundle of `year` as a WARC file ([`warc`]) to `out` (default:
/// [`default_warc_out`]); an existing WARC that gongkai wrote is replaced without `force`.
pub fn run_warc(
    opts: &BuildOptions,
    year: u16,
    out: Option<&Path>,
    force: bool,
) -> Result<ArchiveSummary, Error> {
    let out = out.map_or_else(|| default_warc_out(&opts.root, year), Path::to_path_buf);
    let ours = std::fs::read(&out).is_ok_and(|b| warc::is_gongkai_warc(&b));
    check_archive_out(&opts.root, &out, force || ours)?;
    let (part, files) = files_for(opts, year, Some(&out))?;
    let info = warc::WarcInfo {
        base_url: &part.config.base_url,
        year,
        date: warc::year_date(&part),
    };
    let bytes = warc::write(&info, &files);
    write_whole(&out, &bytes)?;
    Ok(ArchiveSummary {
        year,
        reports: part.reports.len(),
        files: files.len(),
        bytes: bytes.len(),
        frozen: Lock::read(&opts.root)?.is_frozen(year),
        out,
    })
}

/// Writes `bytes` to `out` through a temporary file in the same folder and a rename.
fn write_whole(out: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| OutputError::Io { path: p, source }
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = out
        .file_name()
        .map_or_else(|| "bundle".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
    if let Err(e) = std::fs::rename(&tmp, out) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(out)(e));
    }
    Ok(())
}
