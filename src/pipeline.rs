//! The pipeline: load ([`ContentStore`]) → model ([`Site`]) → render ([`Renderer`]) → write
//! ([`output`](crate::output)). [`build`] runs it into a folder, [`build_in_memory`] into an
//! [`Output`]; the commands and the preview call these stages, never each other.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::archive::manifest::Recorder;
use crate::cache;
use crate::content::ContentStore;
use crate::data;
use crate::diagnostics::Diagnostics;
pub use crate::error::Error;
use crate::model::{Bodies, Site};
use crate::options::BuildOptions;
use crate::output::{self, Changes, Output, Publish, Sink};
use crate::render::{Renderer, Theme};
use crate::search;
use crate::trust::sign::{Signer, signer};
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
    load_from(opts, ContentStore::load(opts.clone()))
}

/// [`load`] from a store already loaded (restored from the build cache, `cache/plan.rs`).
pub fn load_from(opts: &BuildOptions, store: ContentStore) -> Result<Loaded, Diagnostics> {
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
    // One link checker for `build` and `check`: a broken link in a report stops the build
    // before anything is written (`links/body.rs`).
    crate::links::check_bodies(&site, &theme, &store).into_result(())?;
    Ok(Loaded { site, theme, store })
}

/// Renders a loaded site into `sink`: pages, static files, search index and `manifest.json`
/// (unsigned: in-memory builds are not published); returns the number of files written.
pub fn render_into(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &Theme,
    style: LinkStyle,
    sink: &dyn Sink,
    on_page: &(dyn Fn() + Sync),
) -> Result<usize, Error> {
    let recorder = Recorder::new(site, sink);
    let pages = Renderer::new(site, bodies, theme, style)?.render_all(&recorder, on_page)?;
    let search = search::write(site, &recorder)?;
    let data = data::write(site, &recorder)?;
    Ok(pages + search.files + data + recorder.finish(None)?)
}

/// The key that signs a build into `out` (`None` without one): `opts.signing_key`
/// (`GONGKAI_SIGNING_KEY`) or `signing_key:` of `site.yaml`, checked against `public_key:`.
pub fn signing_key(opts: &BuildOptions, site: &Site, out: &Path) -> Result<Option<Signer>, Error> {
    let keys = &site.config.keys;
    let path = opts
        .signing_key
        .clone()
        .or_else(|| keys.signing_key.as_ref().map(|p| opts.root.join(p)));
    Ok(signer(
        path.as_deref(),
        keys.public.as_ref(),
        &opts.root,
        Some(out),
    )?)
}

/// The whole site in memory.
pub fn build_in_memory(opts: &BuildOptions) -> Result<(Site, Output), Error> {
    let Loaded { site, theme, store } = load(opts)?;
    let out = Output::default();
    render_into(&site, &store, &theme, opts.link_style, &out, &|| {})?;
    Ok((site, out))
}

/// What a finished build did, and how long each stage took.
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    pub reports: usize,
    /// Reports published in each language.
    pub by_lang: std::collections::BTreeMap<String, usize>,
    /// Drafts left out, by source path.
    pub drafts_left_out: Vec<PathBuf>,
    /// Problems that did not stop the build (none are counted yet: a stage that finds such a
    /// problem adds to it).
    pub warnings: usize,
    pub files: usize,
    /// Pages rendered (the others were kept as the last build wrote them, `cache/`).
    pub rendered: usize,
    /// Pages of the site.
    pub pages: usize,
    /// How each language's search index was written (kept, updated, or from scratch).
    pub indexes: std::collections::BTreeMap<String, cache::IndexWrite>,
    pub search_files: usize,
    pub search_bytes: usize,
    pub load: Duration,
    pub render: Duration,
    pub search: Duration,
    pub publish: Duration,
    /// `base_url` has a path (`https://host/fzzf/`), so `robots.txt` is not at the host's
    /// root, the only place crawlers read it (README "Deploying").
    pub robots_below_root: bool,
    /// The fingerprint of the key that signed the manifest.
    pub signed: Option<String>,
    /// `site.yaml` has a `public_key` but no signing key was given: published unsigned.
    pub unsigned: bool,
}

/// How many reports `site` publishes in each language.
pub fn reports_by_lang(site: &Site) -> std::collections::BTreeMap<String, usize> {
    let mut by_lang = std::collections::BTreeMap::new();
    for report in &site.reports {
        *by_lang.entry(report.lang.clone()).or_default() += 1;
    }
    by_lang
}

/// Builds into `out`: all or nothing (see [`output::publish`]). `on_start` gets the number of
/// pages to come, `on_page` is called after each.
pub fn build(
    opts: &BuildOptions,
    out: &Path,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildSummary, Error> {
    build_into(opts, out, &Publish::default(), on_start, on_page).map(|(summary, _)| summary)
}

/// [`build`], replacing `out` as `how` allows (`--force`, a cancel flag set by signals); also
/// returns the files added, changed and removed against the previous output.
pub fn build_into(
    opts: &BuildOptions,
    out: &Path,
    how: &Publish,
    on_start: &dyn Fn(usize),
    on_page: &(dyn Fn() + Sync),
) -> Result<(BuildSummary, Changes), Error> {
    output::check_out_dir(&opts.root, out, how.force)?;
    // An update in place that a killed build left unfinished is finished first, whatever
    // happens to this build (`output/in_place.rs`).
    output::recover(out)?;
    let clock = Instant::now();
    // The output is locked, then listed while the site loads, from the cache's records.
    let mut prepared = output::prepare(out, how)?;
    let cache = cache::usable(opts);
    prepared.start_listing(cache.as_ref().map(cache::Cache::known_output));
    // With the build cache, only the files changed since the last build are loaded, and only
    // what they change is rendered and indexed again (`cache/`).
    let (store, prior) = cache::load_store(opts, out, cache);
    let Loaded {
        site,
        theme,
        mut store,
    } = load_from(opts, store)?;
    let keys = cache::Keys::new(opts, &theme, out, site.config.kinds.today);
    let mut plan = cache::Plan::new(prior, keys, &site);
    let search_site = plan.prepare(&mut store, &site, out);
    let drafts_left_out = store.drafts_left_out();
    let writer = plan.start_saving(opts, &store);
    // Only the bodies are needed from here on.
    let bodies = store.into_bodies();
    // Compile the theme and read the key first: a template or key error must stop the build
    // before anything is written.
    Renderer::new(&site, &bodies, &theme, opts.link_style)?;
    let signer = signing_key(opts, &site, out)?;
    let mut summary = BuildSummary {
        reports: site.reports.len(),
        by_lang: reports_by_lang(&site),
        drafts_left_out,
        load: clock.elapsed(),
        robots_below_root: (site.config.base_url.splitn(4, '/').nth(3))
            .is_some_and(|path| !path.is_empty()),
        signed: signer.as_ref().map(|s| s.public().fingerprint()),
        unsigned: signer.is_none() && site.config.keys.public.is_some(),
        ..Default::default()
    };
    let pages = plan.pages(&site);
    on_start(pages.len());
    let (hashes, changes) = output::publish_prepared(out, how, prepared, |sink| {
        let clock = Instant::now();
        let renderer = Renderer::new(&site, &bodies, &theme, opts.link_style)?;
        // Every file passes the recorder, for the manifest that is written last.
        let recorder = Recorder::new(&site, sink);
        summary.files = renderer.render_pages(&pages, &recorder, on_page)?;
        summary.rendered = pages.len();
        let kept = plan.keep_pages(&site, &recorder)?;
        summary.files += kept;
        summary.pages = pages.len() + kept;
        summary.render = clock.elapsed();
        // The pages are written: their bodies go before the search index needs its memory.
        drop(renderer);
        drop(bodies);
        let clock = Instant::now();
        let search = plan.search(search_site.as_ref().unwrap_or(&site), &recorder, out)?;
        summary.indexes = search.how;
        let (indexes, search) = (search.states, search.stats);
        summary.search = clock.elapsed();
        summary.search_files = search.files;
        summary.search_bytes = search.bytes;
        let data = data::write(&site, &recorder)?;
        let (trust, hashes) = recorder.finish_recorded(signer.as_ref())?;
        summary.files += search.files + data + trust;
        Ok::<_, Error>((hashes, indexes))
    })?;
    let (hashes, indexes) = hashes;
    cache::save(opts, out, plan, writer, hashes, &changes, indexes);
    summary.publish = clock.elapsed() - summary.load - summary.search - summary.render;
    cache::free_aside((site, search_site, pages, theme));
    Ok((summary, changes))
}
