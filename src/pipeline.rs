//! The pipeline: load ([`ContentStore`]) → model ([`Site`]) → render ([`Renderer`]) → write
//! ([`output`](crate::output)). [`build`] runs it into a folder, [`build_in_memory`] into an
//! [`Output`]; the commands and the preview call these stages, never each other.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::archive::manifest::Recorder;
use crate::content::ContentStore;
use crate::diagnostics::Diagnostics;
pub use crate::error::Error;
use crate::model::{Bodies, Site};
use crate::options::BuildOptions;
use crate::output::{self, Output, Publish, Sink};
use crate::render::{self, Renderer, Theme};
use crate::search;
use crate::urls::LinkStyle;

/// A site loaded and checked: its model, its theme, and the store that holds the reports'
/// bodies (dropping it frees them).
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
    pub store: ContentStore,
}

/// Loads and checks the site: config, theme, every report, and the frozen reports of
/// `archive.lock`. Reports every problem at once.
pub fn load(opts: &BuildOptions) -> Result<Loaded, Diagnostics> {
    let store = ContentStore::load(opts.clone());
    let Some(config) = store.config() else {
        return Err(store.problems());
    };
    let theme = Theme::load(&opts.root, config);
    let mut problems = store.problems();
    let theme = match theme {
        Ok(theme) if problems.is_empty() => theme,
        theme => {
            problems.extend(theme.err().unwrap_or_default().0);
            return Err(problems.sorted());
        }
    };
    let mut config = config.clone();
    config.kinds = config.kinds.as_of(opts.today);
    let site = Site::new(config, store.reports())?;
    Ok(Loaded { site, theme, store })
}

/// Renders a loaded site into `sink`: pages, static files, search index and `manifest.json`;
/// returns the number of files written.
pub fn render_into(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &Theme,
    style: LinkStyle,
    sink: &dyn Sink,
    on_page: &(dyn Fn() + Sync),
) -> Result<usize, Error> {
    let pages = render_pages(
        &Renderer::new(site, bodies, theme, style)?,
        site,
        sink,
        on_page,
    )?;
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
    let recorder = Recorder::new(site, sink);
    let files = renderer.render_all(&recorder, on_page)?;
    recorder.finish()?;
    Ok(files + 1)
}

/// The whole site in memory.
pub fn build_in_memory(opts: &BuildOptions) -> Result<(Site, Output), Error> {
    let Loaded { site, theme, store } = load(opts)?;
    let out = Output::default();
    render_into(&site, &store, &theme, opts.link_style, &out, &|| {})?;
    Ok((site, out))
}

/// What a finished build did, and how long each stage took.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildSummary {
    pub reports: usize,
    pub files: usize,
    pub search_files: usize,
    pub search_bytes: usize,
    pub load: Duration,
    pub render: Duration,
    pub search: Duration,
    pub publish: Duration,
}

/// Builds into `out`: all or nothing (see [`output::publish`]). `on_start` gets the number of
/// pages to come, `on_page` is called after each.
pub fn build(
    opts: &BuildOptions,
    out: &Path,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildSummary, Error> {
    build_into(opts, out, &Publish::default(), on_start, on_page)
}

/// [`build`], replacing `out` as `how` allows (`--force`, a cancel flag set by signals).
pub fn build_into(
    opts: &BuildOptions,
    out: &Path,
    how: &Publish,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildSummary, Error> {
    output::check_out_dir(&opts.root, out, how.force)?;
    let clock = Instant::now();
    let Loaded { site, theme, store } = load(opts)?;
    // Only the bodies are needed from here on.
    let bodies = store.into_bodies();
    // Compile the theme first: a template error must stop the build before anything is written.
    Renderer::new(&site, &bodies, &theme, opts.link_style)?;
    let mut summary = BuildSummary {
        reports: site.reports.len(),
        load: clock.elapsed(),
        ..Default::default()
    };
    on_start(render::all_pages(&site).len());
    output::publish(out, how, |sink| {
        let clock = Instant::now();
        let renderer = Renderer::new(&site, &bodies, &theme, opts.link_style)?;
        summary.files = render_pages(&renderer, &site, sink, on_page)?;
        summary.render = clock.elapsed();
        // The pages are written: their bodies go before the search index needs its memory.
        drop(renderer);
        drop(bodies);
        let clock = Instant::now();
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
