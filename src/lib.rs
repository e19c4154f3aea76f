//! gongkai: per-year Markdown reports in, a bilingual static site out.
//!
//! The pipeline is load ([`config`], [`content`]) → model ([`model`]) → render ([`render`]) →
//! write ([`output`]). [`build`] runs it into a folder, [`build_in_memory`] into an [`Output`].

pub mod archive;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod links;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod urls;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Diagnostics};
pub use model::Site;
pub use output::Output;

use content::LoadOptions;
use output::{OutputError, Sink};
use render::{RenderError, Renderer, Theme};
use urls::LinkStyle;

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files: content, config, templates.
    #[error("{0}")]
    Site(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A request that cannot be met as asked (a year without reports): exit status 2.
    #[error("{0}")]
    Usage(String),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Site(d)
    }
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Template(d) => Error::Site(d),
            RenderError::Output(o) => Error::Output(o),
        }
    }
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    pub link_style: LinkStyle,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            ..Default::default()
        }
    }
}

/// Loads and checks the site: config, theme, every report, and the frozen reports of
/// `archive.lock` (see [`archive::lock`]). Reports every problem at once.
pub fn load(opts: &BuildOptions) -> Result<(Site, Theme), Diagnostics> {
    let config = config::load(&opts.root, opts.base_url.as_deref())?;
    let theme = Theme::load(&opts.root, &config);
    let reports = content::load(
        &opts.root,
        &config,
        LoadOptions {
            drafts: opts.drafts,
            link_style: opts.link_style,
        },
    );
    let frozen = archive::Lock::read(&opts.root).map(|lock| match &reports {
        Ok(loaded) => lock.verify(&opts.root, loaded, opts.drafts),
        // Files that did not load have their own diagnostics; the lock is checked once they do.
        Err(_) => Diagnostics::default(),
    });
    let (theme, reports) = match (theme, reports, frozen) {
        (Ok(t), Ok(r), Ok(f)) if f.is_empty() => (t, r),
        (t, r, f) => {
            let mut all = t.err().unwrap_or_default();
            all.extend(r.err().unwrap_or_default().0);
            all.extend(f.unwrap_or_else(|e| e).0);
            return Err(all.sorted());
        }
    };
    Ok((Site::new(config, reports)?, theme))
}

/// Renders a loaded site into `sink`: pages, static files, search index and `manifest.json`;
/// returns the number of files written.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    style: LinkStyle,
    sink: &dyn Sink,
    on_page: &(dyn Fn() + Sync),
) -> Result<usize, Error> {
    let pages = render_pages(&Renderer::new(site, theme, style)?, site, sink, on_page)?;
    let search = search::write(site, sink)?;
    Ok(pages + search.files)
}

/// Every page and static file, then `manifest.json`, which needs the bytes of every report
/// page: a recording sink hashes them on the way. Returns the number of files written.
fn render_pages(
    renderer: &Renderer<'_>,
    site: &Site,
    sink: &dyn Sink,
    on_page: &(dyn Fn() + Sync),
) -> Result<usize, Error> {
    let recorder = archive::manifest::Recorder::new(site, sink);
    let files = renderer.render_all(&recorder, on_page)?;
    recorder.finish()?;
    Ok(files + 1)
}

/// The whole site in memory.
pub fn build_in_memory(opts: &BuildOptions) -> Result<(Site, Output), Error> {
    let (site, theme) = load(opts)?;
    let out = Output::default();
    render_into(&site, &theme, opts.link_style, &out, &|| {})?;
    Ok((site, out))
}

/// What a finished build did, and how long each stage took.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildSummary {
    pub reports: usize,
    pub files: usize,
    pub search_files: usize,
    pub search_bytes: usize,
    pub load: std::time::Duration,
    pub render: std::time::Duration,
    pub search: std::time::Duration,
    pub publish: std::time::Duration,
}

/// Builds into `out`: all or nothing (see [`output::publish`]). `on_start` gets the number of
/// pages to come, `on_page` is called after each.
pub fn build(
    opts: &BuildOptions,
    out: &Path,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildSummary, Error> {
    output::check_out_dir(&opts.root, out)?;
    let clock = std::time::Instant::now();
    let (mut site, theme) = load(opts)?;
    // Compile the theme first: a template error must stop the build before anything is written.
    Renderer::new(&site, &theme, opts.link_style)?;
    let mut summary = BuildSummary {
        reports: site.reports.len(),
        load: clock.elapsed(),
        ..Default::default()
    };
    on_start(render::all_pages(&site).len());
    output::publish(out, |sink| {
        let clock = std::time::Instant::now();
        {
            let renderer = Renderer::new(&site, &theme, opts.link_style)?;
            summary.files = render_pages(&renderer, &site, sink, on_page)?;
        }
        summary.render = clock.elapsed();
        // Page bodies are written; free them before the search index needs its memory.
        for report in &mut site.reports {
            report.body_html = String::new();
        }
        let clock = std::time::Instant::now();
        let search = search::write(&site, sink)?;
        summary.search = clock.elapsed();
        summary.search_files = search.files;
        summary.search_bytes = search.bytes;
        summary.files += search.files;
        Ok::<_, Error>(())
    })?;
    summary.publish = clock.elapsed() - summary.load - summary.search - summary.render;
    Ok(summary)
}
