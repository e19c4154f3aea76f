//! Times the preview's rebuild of one edit, in process, without the watcher or the server:
//! loads SITE_ROOT into a `LiveSite`, then edits FILE (relative to the root) N times — its
//! title (`--edit title`, every list showing it changes) or its body (`--edit body`) — and
//! prints, for each edit, how long `LiveSite::apply` took and how many pages it rendered.
//! The search index and manifest are left to a worker that is not running (as in the server,
//! they come after the pages). The file is restored at the end.
//!
//! `cargo run --release --example preview_edit -- SITE_ROOT content/2025/x.zh.md [N] [--edit title]`

// The binary's allocator, so the figures are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongkai::BuildOptions;
use gongkai::serve::{DerivedMode, LiveSite, Outcome, Plan, Shared};

fn main() {
    // As `gongkai` itself does (see main.rs): no transparent huge pages.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let title = args.iter().any(|a| a == "title");
    let plain: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with("--") && *a != "title" && *a != "body")
        .collect();
    let (Some(root), Some(file)) = (plain.first(), plain.get(1)) else {
        eprintln!("usage: preview_edit SITE_ROOT FILE [N] [--edit title|body]");
        std::process::exit(2);
    };
    let n: usize = plain.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let root = PathBuf::from(root.as_str());
    let path = root.join(file.as_str());
    let original = std::fs::read_to_string(&path).expect("the file to edit");

    // The receiver is dropped: derived updates are discarded, as the pages are what is timed.
    let (tx, _) = std::sync::mpsc::channel();
    let mut live = LiveSite::new(
        BuildOptions::new(&root),
        DerivedMode::Background(tx),
        Shared::default(),
    );
    let clock = Instant::now();
    let first = live.apply(&Plan::full());
    println!(
        "initial: {:.0} ms, {} pages",
        clock.elapsed().as_secs_f64() * 1000.0,
        first.rendered
    );
    let mut times = Vec::new();
    for i in 0..n {
        let text = if title {
            original.replacen("\ntitle: ", &format!("\ntitle: 第{}稿 ", i + 1), 1)
        } else {
            format!("{original}\n\n新增段落{i}。\n")
        };
        std::fs::write(&path, text).expect("write");
        let mut plan = Plan::default();
        plan.add(Path::new(file.as_str()), "default");
        let clock = Instant::now();
        let applied = live.apply(&plan);
        let ms = clock.elapsed().as_secs_f64() * 1000.0;
        if let Outcome::Broken(d) = &applied.outcome {
            eprintln!("{d}");
        }
        println!("edit {i}: {ms:.1} ms, {} pages", applied.rendered);
        times.push(ms);
    }
    std::fs::write(&path, &original).expect("restore");
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        println!(
            "median {:.1} ms, min {:.1} ms, max {:.1} ms",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
}
