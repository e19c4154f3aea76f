//! The `gongkai` command line: parse arguments, call the library, print diagnostics.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use gongkai::{BuildOptions, Error};

// Building allocates many small strings on every core; mimalloc is markedly faster at that than
// the system allocator (see the benchmark notes in bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Static site generator for government transparency reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct RootArg {
    /// The site folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (all or nothing).
    Build {
        #[command(flatten)]
        root: RootArg,
        /// Output folder (default: public/ under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Use this address instead of site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage took and the size of the search index.
        #[arg(long)]
        timings: bool,
    },
    /// Validate content, configuration and internal links; writes nothing.
    Check {
        #[command(flatten)]
        root: RootArg,
        /// Check drafts too, as if building with --drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview: build in memory, serve, watch the files and reload open pages on every save.
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// Address to listen on; anything but loopback lets other machines read the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Record the SHA-256 of a settled year's report files in archive.lock (see README).
    Freeze {
        year: u16,
        #[command(flatten)]
        root: RootArg,
    },
    /// Write a self-contained offline bundle (zip) of one year's reports.
    Archive {
        year: u16,
        /// The zip to write (default: gongkai-<year>.zip in the site folder).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        root: RootArg,
    },
    /// Write a new report file with its front matter filled in.
    New {
        year: u16,
        stem: String,
        #[arg(long)]
        department: String,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        root: RootArg,
    },
}

fn main() -> ExitCode {
    // mimalloc maps its memory for transparent huge pages, and the kernel zeroes a whole 2 MiB
    // page at its first touch: with the many short-lived buffers of a build that was up to a
    // third of the build's CPU time and 200 MB of its peak memory (bench/README.md). Without
    // huge pages a build is faster and its time steadier. Failure only loses that gain.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if let Command::Serve {
        root,
        bind,
        port,
        open,
        drafts,
    } = cli.command
    {
        return serve(root.root, bind, port, open, drafts, color);
    }
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Site(d)) => {
            eprint!("{}", d.render(color));
            ExitCode::from(1)
        }
        Err(Error::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            timings,
        } => {
            let out = out.unwrap_or_else(|| root.root.join("public"));
            let opts = BuildOptions {
                root: root.root,
                drafts,
                base_url,
                ..Default::default()
            };
            let bar = OnceLock::new();
            let start = std::time::Instant::now();
            let summary = gongkai::build(
                &opts,
                &out,
                &|n| {
                    let _ = bar.set(progress(n));
                },
                &|| {
                    if let Some(b) = bar.get() {
                        b.inc(1);
                    }
                },
            )?;
            if let Some(b) = bar.get() {
                b.finish_and_clear();
            }
            eprintln!(
                "built {} reports into {} ({} files) in {:.2}s",
                summary.reports,
                out.display(),
                summary.files,
                start.elapsed().as_secs_f64()
            );
            if timings {
                eprintln!(
                    "timings: load {:.2}s, search index {:.2}s ({} files, {:.1} MB), render and write {:.2}s, publish {:.2}s",
                    summary.load.as_secs_f64(),
                    summary.search.as_secs_f64(),
                    summary.search_files,
                    summary.search_bytes as f64 / 1e6,
                    summary.render.as_secs_f64(),
                    summary.publish.as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Check { root, drafts } => {
            let opts = BuildOptions {
                root: root.root,
                drafts,
                ..Default::default()
            };
            let s = gongkai::check::check(&opts)?;
            eprintln!(
                "ok: {} reports, {} files, {} internal links checked",
                s.reports, s.files, s.links
            );
            Ok(())
        }
        Command::Serve { .. } => unreachable!("handled in main"),
        Command::Freeze { year, root } => {
            let s = gongkai::archive::freeze(&BuildOptions::new(root.root), year)?;
            eprintln!(
                "froze {} report files of {} in {} ({} new or changed)",
                s.frozen,
                s.year,
                gongkai::archive::LOCK_FILE,
                s.changed
            );
            Ok(())
        }
        Command::Archive { year, out, root } => {
            let out =
                out.unwrap_or_else(|| gongkai::archive::bundle::default_out(&root.root, year));
            let s = gongkai::archive::bundle::write(&BuildOptions::new(root.root), year, &out)?;
            eprintln!(
                "wrote {} ({} report files, {} files, {} bytes)",
                out.display(),
                s.reports,
                s.files,
                s.bytes
            );
            if !s.frozen {
                eprintln!(
                    "note: {year} is not frozen; `gongkai freeze {year}` records it in {}",
                    gongkai::archive::LOCK_FILE
                );
            }
            Ok(())
        }
        Command::New {
            year,
            stem,
            department,
            lang,
            title,
            root,
        } => {
            let today = chrono_today();
            let path = gongkai::new::create(
                &root.root,
                &gongkai::new::NewReport {
                    year,
                    stem: &stem,
                    department: &department,
                    lang: lang.as_deref(),
                    title: title.as_deref(),
                    date: &today,
                },
            )
            .map_err(|d| Error::Site(d.into()))?;
            eprintln!(
                "wrote {} (draft: set `draft: false` when it is ready)",
                path.display()
            );
            Ok(())
        }
    }
}

/// `gongkai serve`: runs until Ctrl-C. Content and template errors are shown in the browser and
/// here, and never stop the server; a port in use does (exit 1).
fn serve(
    root: PathBuf,
    bind: IpAddr,
    port: u16,
    open: bool,
    drafts: bool,
    color: bool,
) -> ExitCode {
    use gongkai::serve::{Notice, Outcome, ServeOptions};
    let on_notice = move |n: &Notice<'_>| match n {
        Notice::Built {
            applied,
            elapsed,
            initial,
        } => {
            let ms = elapsed.as_secs_f64() * 1000.0;
            match &applied.outcome {
                Outcome::Broken(d) => eprint!("{}", d.render(color)),
                Outcome::Changed(files) if *initial => {
                    eprintln!("built {} files in {ms:.0} ms", files.len())
                }
                Outcome::Changed(files) => {
                    eprintln!("rebuilt in {ms:.0} ms: {} files changed", files.len())
                }
                Outcome::Unchanged if applied.recovered => eprintln!("fixed ({ms:.0} ms)"),
                Outcome::Unchanged => {}
            }
        }
        Notice::Indexed { languages, elapsed } if *languages > 0 => {
            eprintln!(
                "search index updated ({languages} languages, {:.0} ms)",
                elapsed.as_secs_f64() * 1000.0
            );
        }
        Notice::Indexed { .. } => {}
    };
    let mut opts = ServeOptions::new(root);
    opts.build.drafts = drafts;
    opts.bind = bind;
    opts.port = port;
    opts.on_notice = Some(std::sync::Arc::new(on_notice));
    if !bind.is_loopback() {
        eprintln!(
            "warning: listening on {bind}, not loopback: anyone who can reach this machine can read the preview, drafts included"
        );
    }
    let preview = match gongkai::serve::start(opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let url = preview.url();
    println!("serving at {url} (Ctrl-C to stop)");
    if open && let Err(e) = opener::open_browser(&url) {
        eprintln!("warning: cannot open a browser: {e}");
    }
    if let Err(e) = preview.wait_for_ctrl_c() {
        eprintln!("warning: cannot wait for Ctrl-C: {e}");
    }
    eprintln!("stopping");
    preview.shutdown();
    ExitCode::SUCCESS
}

/// Today's date for a new report's `date:` (the author corrects it before publishing).
fn chrono_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    chrono::DateTime::from_timestamp(days * 86_400, 0)
        .map_or_else(|| "2000-01-01".into(), |d| d.format("%Y-%m-%d").to_string())
}

/// A progress bar on a terminal; hidden otherwise (CI logs, pipes).
fn progress(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}") {
        bar.set_style(style);
    }
    bar
}
