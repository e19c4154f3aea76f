//! Times the search index's two stages on a site, without writing anything: building the
//! postings of each language (`search::build`) and encoding its files (`search::write_lang`,
//! into a sink that drops them). For profiling; `gongkai build --timings` gives the stage's
//! time in a real build, `bench/bench.py` its share of the build.
//!
//! ```sh
//! cargo run --release --example search_phases -- SITE_ROOT [zh|en] [--runs N]
//! RAYON_NUM_THREADS=1 cargo run --release --example search_phases -- SITE_ROOT zh   # CPU time
//! ```

use std::process::ExitCode;
use std::time::Instant;

use gongkai::output::{OutputError, Sink};

// The same allocator as the `gongkai` binary, so the figures match a real build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Counts what would be written.
#[derive(Default)]
struct Discard(std::sync::atomic::AtomicUsize);

impl Sink for Discard {
    fn put(&self, _path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        self.0
            .fetch_add(bytes.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

fn main() -> ExitCode {
    // As the binary does (src/main.rs).
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: search_phases SITE_ROOT [LANG...] [--runs N]");
        return ExitCode::from(2);
    };
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let clock = Instant::now();
    let site = match gongkai::load(&gongkai::BuildOptions::new(root)) {
        Ok(loaded) => loaded.site,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "loaded {} reports in {:.2?}",
        site.reports.len(),
        clock.elapsed()
    );
    let mut langs: Vec<&str> = args[1..]
        .iter()
        .take_while(|a| *a != "--runs")
        .map(String::as_str)
        .collect();
    if langs.is_empty() {
        langs = site.config.languages.iter().map(String::as_str).collect();
    }
    println!("| language | run | build postings | write files | terms | postings MB | files MB |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for lang in langs {
        for run in 1..=runs {
            let clock = Instant::now();
            let index = gongkai::search::build(&site, lang);
            let built = clock.elapsed();
            let postings: usize = index.postings.values().map(|p| p.bytes.len()).sum();
            let sink = Discard::default();
            let clock = Instant::now();
            if let Err(e) = gongkai::search::write_lang(&site, lang, &index, &sink) {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
            println!(
                "| {lang} | {run} | {:.0} ms | {:.0} ms | {} | {:.1} | {:.1} |",
                built.as_secs_f64() * 1e3,
                clock.elapsed().as_secs_f64() * 1e3,
                index.postings.len(),
                postings as f64 / 1e6,
                sink.0.into_inner() as f64 / 1e6
            );
        }
    }
    ExitCode::SUCCESS
}
