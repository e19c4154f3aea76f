//! Times the figures' data files (`data/`, README "Figures as open data") on a site, without
//! writing them: the rows, the CSV and JSON of the whole site and of every department, and
//! `datapackage.json`. `gongkai build --timings` gives the whole build's time beside it.
//!
//! ```sh
//! cargo run --release --example data_bench -- SITE_ROOT [--runs N]
//! ```

use std::process::ExitCode;
use std::time::Instant;

// The same allocator as the `gongkai` binary, so the figures match a real build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: data_bench SITE_ROOT [--runs N]");
        return ExitCode::from(2);
    };
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let clock = Instant::now();
    let loaded = match gongkai::load(&gongkai::BuildOptions::new(root)) {
        Ok(l) => l,
        Err(d) => {
            eprintln!("{}", d.render(false));
            return ExitCode::FAILURE;
        }
    };
    println!("load: {:.2} s", clock.elapsed().as_secs_f64());
    let mut best = f64::MAX;
    let mut bytes = 0;
    let mut files = 0;
    for _ in 0..runs {
        let clock = Instant::now();
        let out = gongkai::data::files(&loaded.site);
        best = best.min(clock.elapsed().as_secs_f64());
        files = out.len();
        bytes = out.iter().map(|(_, b)| b.len()).sum::<usize>();
    }
    let rows = gongkai::data::rows(&loaded.site).len();
    println!(
        "data files: {files} files, {rows} rows, {:.1} MB, best of {runs}: {:.1} ms",
        bytes as f64 / 1e6,
        best * 1e3
    );
    ExitCode::SUCCESS
}
