//! Preview (`gongkai serve`): builds the site in memory, serves it over HTTP on loopback, watches
//! its files, rebuilds only what an edit touches, and tells open pages to reload. Nothing is
//! written to disk.
//!
//! Three threads, each owning its part: the rebuild thread owns the watcher and the
//! [`LiveSite`] (the model and the output); the HTTP runtime (axum) reads the output through
//! [`Published`] and streams [`Event`]s; the derived worker keeps the search index and
//! `manifest.json` up to date in the background (`derived.rs`). [`start`] returns a [`Preview`]
//! with the bound address and a shutdown handle, so tests run the real server in-process on a
//! free port.

mod classify;
mod derived;
mod error;
mod events;
mod host;
mod http;
mod inject;
mod listen;
mod live;
mod overlay;
mod published;
mod texts;
mod watch;

use std::collections::BTreeSet;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch as signal};

pub use classify::{Change, Plan, classify};
pub use derived::{DerivedUpdate, Mirror};
pub use error::ServeError;
pub use events::{Event, MAX_EVENT_STREAMS};
pub use http::{CSP, EVENTS_PATH, site_path};
pub use inject::{SCRIPT_PATH, inject};
pub use listen::{HEAD_TIMEOUT, MAX_CONNECTIONS, WRITE_STALL};
pub use live::{Applied, DerivedMode, LiveSite, Outcome};
pub use published::{Published, Shared};

use crate::messages::UiLang;
use crate::options::BuildOptions;
use overlay::BrokenText;
use watch::{Msg, Watcher};

/// Updates of the derived outputs that arrive within this long of each other are made once.
const DERIVED_SETTLE: Duration = Duration::from_millis(10);

/// What a rebuild or an index update did, for the command line to print.
#[derive(Debug)]
pub enum Notice<'a> {
    Built {
        applied: &'a Applied,
        elapsed: Duration,
        /// The build at start-up.
        initial: bool,
    },
    Indexed {
        languages: usize,
        elapsed: Duration,
    },
}

pub type OnNotice = Arc<dyn Fn(&Notice<'_>) + Send + Sync>;

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0: any free port (see [`Preview::addr`]).
    pub port: u16,
    pub on_notice: Option<OnNotice>,
    /// The language of the server's own texts when neither the page nor the browser names one
    /// (`texts.rs`): the one the preview was started in.
    pub lang: UiLang,
}

impl ServeOptions {
    /// Loopback, port 4000, English.
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            build: BuildOptions::new(root),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 4000,
            on_notice: None,
            lang: UiLang::En,
        }
    }
}

/// A running preview server. Dropping it (or [`Preview::shutdown`]) stops it: open event
/// streams end, requests in flight finish, threads are joined. Do not drop it inside an async
/// context (it waits for the server).
pub struct Preview {
    addr: SocketAddr,
    published: Shared,
    events: broadcast::Sender<Event>,
    shutdown: signal::Sender<bool>,
    rebuild_tx: mpsc::Sender<Msg>,
    rebuild: Option<JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<tokio::task::JoinHandle<io::Result<()>>>,
}

impl Preview {
    /// The address the server listens on (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The output as served now.
    pub fn published(&self) -> &Shared {
        &self.published
    }

    /// The events sent to open pages, seen in-process.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Catches Ctrl-C (SIGINT) from now on; [`Preview::wait_for_ctrl_c`] waits for it. Call it
    /// before telling anyone the address: a Ctrl-C sent before the wait began would otherwise
    /// end the process at once (SIGINT's default), without stopping the server cleanly.
    pub fn catch_ctrl_c(&self) -> io::Result<CtrlC> {
        #[cfg(unix)]
        {
            let signal = match &self.runtime {
                Some(rt) => {
                    let _in_runtime = rt.enter();
                    let interrupt = tokio::signal::unix::SignalKind::interrupt();
                    Some(tokio::signal::unix::signal(interrupt)?)
                }
                None => None,
            };
            Ok(CtrlC { signal })
        }
        #[cfg(not(unix))]
        Ok(CtrlC {})
    }

    /// Blocks until the Ctrl-C caught by [`Preview::catch_ctrl_c`].
    pub fn wait_for_ctrl_c(&self, caught: CtrlC) -> io::Result<()> {
        let Some(rt) = &self.runtime else {
            return Ok(());
        };
        #[cfg(unix)]
        if let Some(mut signal) = caught.signal {
            rt.block_on(signal.recv());
            return Ok(());
        }
        let _ = caught;
        rt.block_on(tokio::signal::ctrl_c())
    }

    /// Stops the server and waits for it.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        let _ = self.rebuild_tx.send(Msg::Stop);
        if let Some(rebuild) = self.rebuild.take() {
            let _ = rebuild.join();
        }
        if let (Some(rt), Some(server)) = (self.runtime.take(), self.server.take()) {
            let _ =
                rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), server).await });
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Ctrl-C being listened for (where the system lets a listener be set up ahead of the wait).
pub struct CtrlC {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

/// Binds, builds the site, starts watching and serving. A site with errors still starts (the
/// error is shown in the browser); only a port in use, an unreadable root or a failed watch
/// stop it.
pub fn start(opts: ServeOptions) -> Result<Preview, ServeError> {
    let root = std::fs::canonicalize(&opts.build.root).map_err(|source| ServeError::Root {
        path: opts.build.root.clone(),
        source,
    })?;
    let listener = listen::bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(ServeError::Runtime)?;

    // Watch before loading, so an edit made while the first build runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = Watcher::new(&root, tx.clone()).map_err(|source| ServeError::Watch {
        path: root.clone(),
        source,
    })?;
    watcher.ensure(None, &BTreeSet::new());

    let published = Shared::default();
    // Versions start from the clock, so a page left open across a restart of the server
    // reloads when it reconnects.
    published::write(&published).version = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let (events, _) = broadcast::channel(64);
    let (derived_tx, derived_rx) = mpsc::channel();
    let mut build = opts.build.clone();
    build.root = root;
    let mut live = LiveSite::new(
        build,
        DerivedMode::Background(derived_tx),
        published.clone(),
    );
    live.speak(opts.lang);
    let started = Instant::now();
    let applied = live.apply(&Plan::full());
    if let Some(f) = &opts.on_notice {
        f(&Notice::Built {
            applied: &applied,
            elapsed: started.elapsed(),
            initial: true,
        });
    }
    watcher.ensure(live.theme_name(), &BTreeSet::new());

    let worker = Worker {
        published: published.clone(),
        events: events.clone(),
        on_notice: opts.on_notice.clone(),
    };
    let derived_worker = worker.clone();
    std::thread::Builder::new()
        .name("gongkai-derived".into())
        .spawn(move || derived_worker.derived_loop(derived_rx))
        .map_err(ServeError::Runtime)?;
    let rebuild = std::thread::Builder::new()
        .name("gongkai-rebuild".into())
        .spawn(move || worker.rebuild_loop(live, watcher, rx))
        .map_err(ServeError::Runtime)?;

    let http = serve_http(listener, &published, &events, opts.lang)?;
    Ok(Preview {
        addr,
        published,
        events,
        shutdown: http.shutdown,
        rebuild_tx: tx,
        rebuild: Some(rebuild),
        runtime: Some(http.runtime),
        server: Some(http.server),
    })
}

/// The running HTTP side of a preview.
struct Http {
    runtime: tokio::runtime::Runtime,
    server: tokio::task::JoinHandle<io::Result<()>>,
    shutdown: signal::Sender<bool>,
}

/// The HTTP side: its own runtime, serving `published` and streaming `events` until told to
/// shut down. Only requests addressed to this server by name are answered (`host.rs`).
fn serve_http(
    listener: TcpListener,
    published: &Shared,
    events: &broadcast::Sender<Event>,
    lang: UiLang,
) -> Result<Http, ServeError> {
    let bound = listener.local_addr().map_err(ServeError::Runtime)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gongkai-http")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let (shutdown, shutdown_rx) = signal::channel(false);
    let app = http::router(http::AppState::new(
        published.clone(),
        events.clone(),
        shutdown_rx.clone(),
        host::Hosts::for_this_machine(bound),
        texts::Texts::new(lang),
    ));
    let server = runtime.spawn(listen::serve(listener, app, shutdown_rx));
    Ok(Http {
        runtime,
        server,
        shutdown,
    })
}

/// What the rebuild and search threads share.
#[derive(Clone)]
struct Worker {
    published: Shared,
    events: broadcast::Sender<Event>,
    on_notice: Option<OnNotice>,
}

impl Worker {
    fn rebuild_loop(self, mut live: LiveSite, mut watcher: Watcher, rx: Receiver<Msg>) {
        let root = live.root().to_path_buf();
        loop {
            let theme = live.theme_name().unwrap_or("default").to_string();
            let relevant = |rel: &Path| classify(rel, &theme) != Change::Ignored;
            let Some(burst) = watch::next_burst(&rx, &root, &relevant) else {
                return;
            };
            let started = Instant::now();
            let mut plan = if burst.rescan {
                live.reconcile()
            } else {
                Plan::default()
            };
            for path in burst.paths() {
                plan.add(path, &theme);
            }
            if plan.is_empty() {
                continue;
            }
            // A folder created in this burst (`static/`) is watched before its files are read:
            // a file written into it after the read then still makes a burst. Watched only
            // after, a write finished between the read and the watch was never seen, and the
            // preview kept the half-written file (an empty stylesheet, seen in the browser test).
            let touched: BTreeSet<PathBuf> = burst.paths().cloned().collect();
            watcher.ensure(live.theme_name(), &touched);
            let applied = apply_guarded(&mut live, &plan);
            // Again, for a theme that the edit changed.
            watcher.ensure(live.theme_name(), &BTreeSet::new());
            if let Some(event) = self.event_for(&applied) {
                let _ = self.events.send(event);
            }
            if let Some(f) = &self.on_notice {
                f(&Notice::Built {
                    applied: &applied,
                    elapsed: started.elapsed(),
                    initial: false,
                });
            }
        }
    }

    /// What open pages are told after a rebuild.
    fn event_for(&self, applied: &Applied) -> Option<Event> {
        let version = published::read(&self.published).version;
        match &applied.outcome {
            Outcome::Broken(d) => Some(Event::Broken {
                message: BrokenText::new(d),
            }),
            _ if applied.recovered => Some(Event::Reload { version }),
            Outcome::Changed(files) if files.iter().all(|f| f.ends_with(".css")) => {
                Some(Event::Css {
                    version,
                    paths: files.iter().map(|f| format!("/{f}")).collect(),
                })
            }
            Outcome::Changed(_) => Some(Event::Reload { version }),
            Outcome::Unchanged => None,
        }
    }

    /// Keeps the search index and the manifest up to date, after the pages.
    fn derived_loop(self, rx: Receiver<DerivedUpdate>) {
        // Its own low-priority thread pool, so an index build never delays the pages of the
        // next edit.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "gongkai-derived-pool".into())
            .start_handler(|_| lower_priority())
            .build();
        let mut mirror = Mirror::default();
        while let Ok(mut update) = rx.recv() {
            loop {
                match rx.recv_timeout(DERIVED_SETTLE) {
                    Ok(later) => update.merge(later),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            let started = Instant::now();
            let derive = || published::derive(&self.published, &mut mirror, update);
            let languages = match &pool {
                Ok(pool) => pool.install(derive),
                Err(_) => derive(),
            };
            let _ = self.events.send(Event::Index);
            if let Some(f) = &self.on_notice {
                f(&Notice::Indexed {
                    languages,
                    elapsed: started.elapsed(),
                });
            }
        }
    }
}

/// [`LiveSite::apply`], but a bug that panics in it shows as an error in the browser and the
/// next edit reloads everything, instead of the preview silently stopping.
fn apply_guarded(live: &mut LiveSite, plan: &Plan) -> Applied {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| live.apply(plan))) {
        Ok(applied) => applied,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            live.reset();
            let d = crate::diagnostics::Diagnostic::at_file(
                "gongkai",
                crate::messages::Msg::new("serve.internal_error").arg("what", what),
            )
            .with_hint(crate::messages::Msg::new("serve.internal_error_hint"));
            let d = crate::diagnostics::Diagnostics::from(d);
            published::write(live.published()).error = Some(BrokenText::new(&d));
            Applied {
                outcome: Outcome::Broken(d),
                recovered: false,
                rendered: 0,
            }
        }
    }
}

/// Lowers the calling thread's scheduling priority (nice 10), where the system allows it.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
    }
}
